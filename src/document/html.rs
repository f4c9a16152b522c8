//! HTML: the article a page holds (readability extraction with `dom_smoothie`), or its
//! whole visible text.
//!
//! Placeholder until the HTML loader lands (issue 11): it refuses every page.

use super::model::Structured;

/// How much of a page to keep.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HtmlOptions {
    /// Keep the whole visible text instead of the article (`--no-extract`).
    pub whole_page: bool,
}

/// Parses a decoded page. `source` names it in the metadata (a path or a URL).
pub fn parse(_html: &str, _source: &str, _options: HtmlOptions) -> Result<Structured, String> {
    Err("HTML is not supported yet".to_string())
}
