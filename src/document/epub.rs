//! EPUB: chapters in spine order, the book's table of contents and metadata (`rbook`).
//!
//! Placeholder until the EPUB loader lands (issue 11): it refuses every book.

use super::model::Structured;

/// Parses an EPUB file's bytes. `source` names it in the metadata.
pub fn parse(_bytes: &[u8], _source: &str) -> Result<Structured, String> {
    Err("EPUB is not supported yet".to_string())
}
