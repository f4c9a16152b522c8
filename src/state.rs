//! Where the reader stopped in each document, kept in `positions.tsv` in the state
//! directory: one line per document, `path <TAB> byte offset of the top line <TAB>
//! line within that paragraph <TAB> byte offset of the cursor`.
//!
//! Saving merges with the file on disk under a lock ([`crate::store`]), so several
//! readers open at once keep every document's position. The path is kept as the bytes
//! the system gave (a file name need not be UTF-8). A line that cannot be read is kept
//! byte for byte and reported, never dropped.

use std::path::{Path, PathBuf};

use crate::store::{self, StoreError};

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

/// The positions file in the state directory.
pub fn file() -> PathBuf {
    crate::paths::state_dir().join("positions.tsv")
}

/// The key of `document` in the file.
fn key(document: &Path) -> &[u8] {
    document.as_os_str().as_encoded_bytes()
}

/// One line read: a document's position, or a line kept as it is.
enum Line<'a> {
    Position(&'a [u8], SavedPosition),
    Unreadable,
}

fn parse(line: &[u8]) -> Line<'_> {
    let mut fields = line.split(|&b| b == b'\t');
    let number = |f: Option<&[u8]>| -> Option<usize> { std::str::from_utf8(f?).ok()?.parse().ok() };
    let key = fields.next().unwrap_or_default();
    let (Some(top_offset), Some(top_line), Some(cursor_offset), None) = (
        number(fields.next()),
        number(fields.next()),
        number(fields.next()),
        fields.next(),
    ) else {
        return Line::Unreadable;
    };
    if key.is_empty() {
        return Line::Unreadable;
    }
    Line::Position(
        key,
        SavedPosition {
            top_offset,
            top_line,
            cursor_offset,
        },
    )
}

/// The saved position of `document` in the positions file at `file`, and a warning for
/// each line that could not be read (those lines are kept when the file is saved).
pub fn load_from(file: &Path, document: &Path) -> (Option<SavedPosition>, Vec<String>) {
    let bytes = match store::read_existing(file) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (None, Vec::new()),
        Err(e) => {
            let why = crate::error_words::io_error(&e);
            return (None, vec![format!("cannot read {}: {why}", file.display())]);
        }
    };
    let mut found = None;
    let mut warnings = Vec::new();
    for (i, line) in store::split_lines(&bytes).enumerate() {
        match parse(line) {
            Line::Position(k, position) if k == key(document) => found = Some(position),
            Line::Position(..) => {}
            Line::Unreadable => warnings.push(format!(
                "{}:{}: expected path TAB three numbers; the line is kept as it is",
                file.display(),
                i + 1
            )),
        }
    }
    (found, warnings)
}

/// The saved position for `document`, with warnings about the positions file.
pub fn load(document: &Path) -> (Option<SavedPosition>, Vec<String>) {
    load_from(&file(), document)
}

/// Why a position was not saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("the path {0} contains a tab or a line break, which positions.tsv cannot hold")]
    Unstorable(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Saves the position of `document` in the positions file at `file`, keeping every other
/// line as it is on disk at the time of saving.
pub fn save_to(file: &Path, document: &Path, position: SavedPosition) -> Result<(), SaveError> {
    let key = key(document);
    if key.is_empty() || key.contains(&b'\t') || key.contains(&b'\n') || key.contains(&b'\r') {
        return Err(SaveError::Unstorable(document.display().to_string()));
    }
    let mut new_line = key.to_vec();
    new_line.extend_from_slice(
        format!(
            "\t{}\t{}\t{}",
            position.top_offset, position.top_line, position.cursor_offset
        )
        .as_bytes(),
    );
    store::rewrite(file, |old| {
        let mut out = Vec::with_capacity(old.len() + new_line.len() + 1);
        let mut replaced = false;
        for line in store::split_lines(old) {
            match parse(line) {
                Line::Position(k, _) if k == key => {
                    if !replaced {
                        out.extend_from_slice(&new_line);
                        out.push(b'\n');
                        replaced = true;
                    }
                }
                _ => {
                    out.extend_from_slice(line);
                    out.push(b'\n');
                }
            }
        }
        if !replaced {
            out.extend_from_slice(&new_line);
            out.push(b'\n');
        }
        out
    })?;
    Ok(())
}

/// Saves the position for `document` in the state directory.
pub fn save(document: &Path, position: SavedPosition) -> Result<(), SaveError> {
    save_to(&file(), document, position)
}
