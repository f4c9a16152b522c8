//! Bytes to text: a document is its text plus an index of its paragraphs.
//!
//! Sources: a file, standard input (`-`), or the built-in guide. The paragraph index is
//! built by scanning the bytes once; nothing is laid out here. Empty paragraphs (blank
//! lines) are not indexed: the reader puts one blank line between paragraphs itself.

use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::fsread;

pub mod epub;
pub mod fetch;
pub mod html;
pub mod model;

/// The built-in guide, written for this project.
pub const GUIDE: &str = include_str!("../../assets/guide.txt");

/// An open document.
#[derive(Debug, Clone)]
pub struct Document {
    /// What the status bar calls it.
    pub name: String,
    /// The file it came from, made absolute, when there is one.
    pub path: Option<PathBuf>,
    /// The whole text, UTF-8.
    pub text: String,
    /// Byte ranges of the non-empty paragraphs, in order.
    pub paragraphs: Vec<Range<usize>>,
    /// Problems met while reading it, for the status bar.
    pub warnings: Vec<String>,
}

/// Why a document could not be opened.
#[derive(Debug, Error)]
pub enum DocumentError {
    #[error("cannot open {path}: {}", crate::error_words::io_error(.source))]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open {}: {}", .0.path().display(), .0.reason())]
    File(#[from] fsread::ReadError),
    #[error("{path} looks like binary data (a NUL byte at offset {offset}); qari opens text files")]
    Binary { path: String, offset: usize },
    #[error(
        "cannot open {0}: opening web pages is not supported yet; save the page as text and open the file"
    )]
    Url(String),
}

impl Document {
    /// Opens `source`: a path, `-` for standard input, or a URL.
    pub fn open(source: &str) -> Result<Self, DocumentError> {
        if source.starts_with("http://") || source.starts_with("https://") {
            return Err(DocumentError::Url(source.to_owned()));
        }
        let bytes = if source == "-" {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes).map_err(
                |source| DocumentError::Io {
                    path: "standard input".into(),
                    source,
                },
            )?;
            bytes
        } else {
            fsread::read_regular(Path::new(source), fsread::limit::DOCUMENT)?
        };
        let name = display_name(source);
        let path = (source != "-")
            .then(|| std::fs::canonicalize(source).unwrap_or_else(|_| source.into()));
        let mut doc = Self::from_bytes(&name, bytes).map_err(|offset| DocumentError::Binary {
            path: source.to_owned(),
            offset,
        })?;
        doc.path = path;
        Ok(doc)
    }

    /// Opens `source` so that the first screen can be shown before a large file is read:
    /// for a file over [`PROGRESSIVE_THRESHOLD`] bytes, returns a document of its first
    /// paragraphs now, and what reads the whole document (a job for `tasks`).
    pub fn open_progressive(source: &str) -> Result<(Self, Option<Rest>), DocumentError> {
        let size = std::fs::metadata(source).map(|m| m.len()).unwrap_or(0);
        if source == "-" || size <= PROGRESSIVE_THRESHOLD || source.contains("://") {
            return Self::open(source).map(|doc| (doc, None));
        }
        let io_error = |err| DocumentError::Io {
            path: source.to_owned(),
            source: err,
        };
        let mut head = Vec::with_capacity(FIRST_PART as usize);
        fsread::open_regular(Path::new(source))?
            .0
            .take(FIRST_PART)
            .read_to_end(&mut head)
            .map_err(io_error)?;
        // Cut after the last complete paragraph of the first part.
        if let Some(end) = memchr::memrchr(b'\n', &head) {
            head.truncate(end + 1);
        }
        let mut first = Self::from_bytes(&display_name(source), head).map_err(|offset| {
            DocumentError::Binary {
                path: source.to_owned(),
                offset,
            }
        })?;
        // A cut inside a character is not an encoding problem of the file.
        first.warnings.clear();
        first.path = Some(std::fs::canonicalize(source).unwrap_or_else(|_| source.into()));
        let rest = Rest {
            source: source.to_owned(),
        };
        Ok((first, Some(rest)))
    }

    /// The built-in guide.
    pub fn guide() -> Self {
        Self::from_text("qari guide", GUIDE.to_owned())
    }

    /// A document from text already in memory.
    pub fn from_text(name: &str, text: String) -> Self {
        let paragraphs = index_paragraphs(&text);
        Self {
            name: name.to_owned(),
            path: None,
            text,
            paragraphs,
            warnings: Vec::new(),
        }
    }

    /// A document from raw bytes. Fails with the offset of a NUL byte for binary data;
    /// bytes that are not UTF-8 become U+FFFD, with a warning.
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Result<Self, usize> {
        let probe = &bytes[..bytes.len().min(64 * 1024)];
        if let Some(offset) = memchr::memchr(0, probe) {
            return Err(offset);
        }
        let mut warnings = Vec::new();
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(err) => {
                let offset = err.utf8_error().valid_up_to();
                warnings.push(format!(
                    "{name} is not valid UTF-8 (first bad byte at offset {offset}); bad bytes are shown as \u{FFFD}"
                ));
                String::from_utf8_lossy(err.as_bytes()).into_owned()
            }
        };
        let mut doc = Self::from_text(name, text);
        doc.warnings = warnings;
        Ok(doc)
    }

    /// The text of paragraph `index`.
    pub fn paragraph(&self, index: usize) -> &str {
        &self.text[self.paragraphs[index].clone()]
    }

    /// The paragraph that holds byte `offset` of the text, or the nearest one before it.
    pub fn paragraph_at(&self, offset: usize) -> usize {
        self.paragraphs
            .partition_point(|r| r.start <= offset)
            .saturating_sub(1)
    }
}

/// The rest of a large file: what reads the whole document after its first part (see
/// [`Document::open_progressive`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rest {
    source: String,
}

impl Rest {
    /// Reads the whole document (slow for a large file: run it off the UI thread).
    pub fn load(&self) -> Result<Document, DocumentError> {
        Document::open(&self.source)
    }
}

/// Files larger than this are opened progressively (see [`Document::open_progressive`]).
pub const PROGRESSIVE_THRESHOLD: u64 = 4 * 1024 * 1024;
/// How much of a large file is read before the first screen.
const FIRST_PART: u64 = 512 * 1024;

/// What the status bar calls a source.
fn display_name(source: &str) -> String {
    if source == "-" {
        "stdin".to_owned()
    } else {
        Path::new(source)
            .file_name()
            .map_or_else(|| source.to_owned(), |n| n.to_string_lossy().into_owned())
    }
}

/// Byte ranges of the paragraphs of `text` that are not blank.
pub fn index_paragraphs(text: &str) -> Vec<Range<usize>> {
    crate::layout::paragraph_ranges(text)
        .into_iter()
        .filter(|r| !text[r.clone()].trim().is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_are_not_paragraphs() {
        let doc = Document::from_text("t", "أ\n\n  \nب\r\nج".into());
        let texts: Vec<&str> = (0..doc.paragraphs.len())
            .map(|i| doc.paragraph(i))
            .collect();
        assert_eq!(texts, ["أ", "ب", "ج"]);
        assert_eq!(doc.paragraph_at(0), 0);
        assert_eq!(doc.paragraph_at(doc.text.len()), 2);
    }

    #[test]
    fn binary_data_is_refused_and_bad_utf8_warned() {
        assert_eq!(
            Document::from_bytes("b", b"ab\0cd".to_vec()).unwrap_err(),
            2
        );
        let doc = Document::from_bytes("x", b"ok \xff here".to_vec()).unwrap();
        assert_eq!(doc.text, "ok \u{FFFD} here");
        assert!(doc.warnings[0].contains("offset 3"));
    }

    #[test]
    fn the_guide_has_paragraphs() {
        assert!(Document::guide().paragraphs.len() > 10);
    }
}
