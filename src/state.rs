//! Where the reader stopped in each document, kept in `positions.tsv` in the state
//! directory: one line per document, `path <TAB> byte offset of the top line <TAB>
//! line within that paragraph <TAB> byte offset of the cursor`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A saved reading position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SavedPosition {
    /// Byte offset of the paragraph at the top of the screen.
    pub top_offset: usize,
    /// Visual line of that paragraph at the top.
    pub top_line: usize,
    /// Byte offset of the word under the cursor.
    pub cursor_offset: usize,
}

fn file() -> PathBuf {
    crate::paths::state_dir().join("positions.tsv")
}

fn read_all(path: &Path) -> BTreeMap<String, SavedPosition> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return BTreeMap::new();
    };
    text.lines()
        .filter_map(|line| {
            let mut f = line.split('\t');
            let key = f.next()?.to_owned();
            let top_offset = f.next()?.parse().ok()?;
            let top_line = f.next()?.parse().ok()?;
            let cursor_offset = f.next()?.parse().ok()?;
            Some((
                key,
                SavedPosition {
                    top_offset,
                    top_line,
                    cursor_offset,
                },
            ))
        })
        .collect()
}

/// The saved position for `document`, if any.
pub fn load(document: &Path) -> Option<SavedPosition> {
    read_all(&file())
        .get(&document.to_string_lossy().into_owned())
        .copied()
}

/// Saves the position for `document`. Errors are returned for the status bar.
pub fn save(document: &Path, position: SavedPosition) -> std::io::Result<()> {
    let path = file();
    let mut all = read_all(&path);
    all.insert(document.to_string_lossy().into_owned(), position);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut out = String::new();
    for (key, p) in all {
        if key.contains(['\t', '\n']) {
            continue;
        }
        out.push_str(&format!(
            "{key}\t{}\t{}\t{}\n",
            p.top_offset, p.top_line, p.cursor_offset
        ));
    }
    let tmp = path.with_extension("tsv.tmp");
    std::fs::write(&tmp, out)?;
    std::fs::rename(tmp, path)
}
