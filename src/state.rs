//! Where the reader stopped in each document, kept in `positions.tsv` in the state
//! directory: one line per document (a file's path, or a URL as typed), `key <TAB> top
//! block <TAB> line within it <TAB> top character offset <TAB> top block's fingerprint
//! <TAB> cursor block <TAB> cursor character offset <TAB> cursor block's fingerprint`
//! <TAB> top block's head <TAB> tail <TAB> words at the top <TAB> cursor block's head
//! <TAB> tail <TAB> words at the cursor` (fingerprints in hex; see
//! [`crate::document::anchor`]), so that a position survives a page re-extracted with a
//! paragraph more or a menu item less, and a block edited a little. Lines without the
//! last six fields (from an older qari) are read too.
//!
//! Lines written before positions were kept per block (`key <TAB> byte offset of the top
//! paragraph <TAB> line <TAB> byte offset of the cursor`) are still read and restored.
//!
//! Saving merges with the file on disk under a lock ([`crate::store`]), so several
//! readers open at once keep every document's position. The path is kept as the bytes
//! the system gave (a file name need not be UTF-8). A line that cannot be read is kept
//! byte for byte and reported, never dropped.

use std::path::{Path, PathBuf};

use crate::document::Anchor;
use crate::document::anchor::Near;
use crate::store::{self, StoreError};

/// A saved reading position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SavedPosition {
    /// Blocks and character offsets, found again by the blocks' texts.
    Blocks {
        /// The block at the top of the screen (its character offset is where the top
        /// line starts, for a layout at another width).
        top: Anchor,
        /// Visual line of that block at the top.
        top_line: usize,
        /// The word under the cursor.
        cursor: Anchor,
    },
    /// A line of an older qari: byte offsets into the whole text.
    Bytes {
        top_offset: usize,
        top_line: usize,
        cursor_offset: usize,
    },
}

impl SavedPosition {
    /// The furthest block the position names (None for byte offsets): what a document
    /// opened part first must hold for the position to be taken at once.
    pub fn furthest_block(&self) -> Option<usize> {
        match self {
            SavedPosition::Blocks { top, cursor, .. } => Some(top.block.max(cursor.block)),
            SavedPosition::Bytes { .. } => None,
        }
    }
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
    let key = fields.next().unwrap_or_default();
    let fields: Vec<&[u8]> = fields.collect();
    let text = |f: &[u8]| std::str::from_utf8(f).ok().map(str::to_owned);
    let number = |f: &[u8]| -> Option<usize> { text(f)?.parse().ok() };
    let hex = |f: &[u8]| -> Option<u32> {
        let t = text(f)?;
        (t.len() == 8).then_some(())?;
        u32::from_str_radix(&t, 16).ok()
    };
    let position = match fields.as_slice() {
        [top, line, cursor] => (|| {
            Some(SavedPosition::Bytes {
                top_offset: number(top)?,
                top_line: number(line)?,
                cursor_offset: number(cursor)?,
            })
        })(),
        [
            top,
            line,
            top_char,
            top_fp,
            cursor,
            cursor_char,
            cursor_fp,
            extra @ ..,
        ] if extra.is_empty() || extra.len() == 6 => (|| {
            let near = |fields: &[&[u8]]| -> Option<Option<Near>> {
                match fields {
                    [] => Some(None),
                    [head, tail, at, ..] => Some(Some(Near {
                        head: hex(head)?,
                        tail: hex(tail)?,
                        at: hex(at)?,
                    })),
                    _ => None,
                }
            };
            Some(SavedPosition::Blocks {
                top: Anchor {
                    block: number(top)?,
                    char_offset: number(top_char)?,
                    fingerprint: hex(top_fp)?,
                    near: near(extra.get(..3).unwrap_or_default())?,
                },
                top_line: number(line)?,
                cursor: Anchor {
                    block: number(cursor)?,
                    char_offset: number(cursor_char)?,
                    fingerprint: hex(cursor_fp)?,
                    near: near(extra.get(3..).unwrap_or_default())?,
                },
            })
        })(),
        _ => None,
    };
    match position {
        Some(position) if !key.is_empty() => Line::Position(key, position),
        _ => Line::Unreadable,
    }
}

/// The fields after the key, as [`parse`] reads them.
fn fields(position: SavedPosition) -> String {
    match position {
        SavedPosition::Blocks {
            top,
            top_line,
            cursor,
        } => {
            let mut line = format!(
                "\t{}\t{top_line}\t{}\t{:08x}\t{}\t{}\t{:08x}",
                top.block,
                top.char_offset,
                top.fingerprint,
                cursor.block,
                cursor.char_offset,
                cursor.fingerprint
            );
            if let (Some(top), Some(cursor)) = (top.near, cursor.near) {
                for near in [top, cursor] {
                    line.push_str(&format!(
                        "\t{:08x}\t{:08x}\t{:08x}",
                        near.head, near.tail, near.at
                    ));
                }
            }
            line
        }
        SavedPosition::Bytes {
            top_offset,
            top_line,
            cursor_offset,
        } => format!("\t{top_offset}\t{top_line}\t{cursor_offset}"),
    }
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
                "{}:{}: expected a path and a position (TAB-separated numbers); the line is kept as it is",
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
    new_line.extend_from_slice(fields(position).as_bytes());
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
