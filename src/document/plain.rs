//! Plain text to blocks: the format stage for text files. Paragraphs end at blank lines,
//! or at every line break when the text has no blank line (posts, one paragraph a line);
//! the lines of a hard-wrapped paragraph are joined with a space.
//!
//! Promises: every block is a paragraph; no block is empty; a text with no blank line
//! gives one block per non-blank line, as before this stage knew about paragraphs.

use clap::ValueEnum;

use super::model::{Block, BlockKind, Builder, Structured};

/// Where paragraphs end (`--paragraphs`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ParagraphMode {
    /// At blank lines when the text has any, else at every line break.
    #[default]
    Auto,
    /// At blank lines; the lines in between are joined.
    Blank,
    /// At every line break.
    Line,
}

impl ParagraphMode {
    /// `Auto` made concrete for `text`: `Blank` when it has a blank line.
    pub fn resolve(self, text: &str) -> ParagraphMode {
        match self {
            ParagraphMode::Auto if has_blank_line(text) => ParagraphMode::Blank,
            ParagraphMode::Auto => ParagraphMode::Line,
            mode => mode,
        }
    }
}

/// True when a blank line (only white space) lies between two lines with text.
fn has_blank_line(text: &str) -> bool {
    let mut seen_text = false;
    let mut blank_after_text = false;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank_after_text |= seen_text;
        } else if blank_after_text {
            return true;
        } else {
            seen_text = true;
        }
    }
    false
}

/// The lines of `text`, at LF, CRLF, CR and U+2029.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    crate::layout::paragraph_ranges(text)
        .into_iter()
        .map(move |r| &text[r])
}

/// Cuts `text` into paragraph blocks. With a paragraph a line, the text is kept as it is
/// (no copy: large files are often of this kind).
pub fn parse(text: String, mode: ParagraphMode) -> Structured {
    let mut builder = Builder::new();
    match mode.resolve(&text) {
        ParagraphMode::Blank => {
            let mut paragraph = String::new();
            for line in lines(&text) {
                let line = line.trim();
                if line.is_empty() {
                    builder.push(BlockKind::Paragraph, &paragraph, None);
                    paragraph.clear();
                    continue;
                }
                if !paragraph.is_empty() {
                    paragraph.push(' ');
                }
                paragraph.push_str(line);
            }
            builder.push(BlockKind::Paragraph, &paragraph, None);
        }
        _ => {
            let blocks = super::index_paragraphs(&text)
                .into_iter()
                .map(|range| Block {
                    kind: BlockKind::Paragraph,
                    range,
                    dir: None,
                })
                .collect();
            return Structured {
                text,
                blocks,
                ..Structured::default()
            };
        }
    }
    builder.finish()
}

/// Where a first part of `text` may be cut so that its paragraphs are those of the
/// whole text: after the last paragraph end `mode` recognises (None: no such place).
pub fn last_paragraph_end(text: &[u8], mode: ParagraphMode) -> Option<usize> {
    match mode {
        ParagraphMode::Blank => {
            let mut end = text.len();
            // A line holding only white space ends a paragraph: find "\n<blank>\n".
            while let Some(nl) = memchr::memrchr(b'\n', &text[..end]) {
                if let Some(prev) = memchr::memrchr(b'\n', &text[..nl])
                    && text[prev + 1..nl].iter().all(u8::is_ascii_whitespace)
                {
                    return Some(nl + 1);
                }
                end = nl;
            }
            None
        }
        _ => memchr::memrchr(b'\n', text).map(|i| i + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(text: &str, mode: ParagraphMode) -> Vec<String> {
        let doc = parse(text.to_owned(), mode);
        (0..doc.blocks.len())
            .map(|i| doc.block_text(i).to_owned())
            .collect()
    }

    #[test]
    fn blank_lines_end_paragraphs_and_wrapped_lines_are_joined() {
        let text = "السطر الأول\nيكمل هنا\n\n  \nفقرة ثانية\r\nتكمل\n";
        assert_eq!(
            blocks(text, ParagraphMode::Auto),
            ["السطر الأول يكمل هنا", "فقرة ثانية تكمل"]
        );
        assert_eq!(blocks(text, ParagraphMode::Line).len(), 4);
    }

    #[test]
    fn without_blank_lines_each_line_is_a_paragraph() {
        assert_eq!(blocks("أ\nب\r\nج", ParagraphMode::Auto), ["أ", "ب", "ج"]);
        assert_eq!(blocks("أ\nب", ParagraphMode::Blank), ["أ ب"]);
        assert_eq!(
            ParagraphMode::Auto.resolve("\n\nأ\nب\n\n"),
            ParagraphMode::Line
        );
    }

    #[test]
    fn a_cut_falls_after_a_paragraph() {
        let text = b"a\nb\n\nc\nd";
        assert_eq!(last_paragraph_end(text, ParagraphMode::Blank), Some(5));
        assert_eq!(last_paragraph_end(text, ParagraphMode::Line), Some(7));
        assert_eq!(last_paragraph_end(b"abc", ParagraphMode::Blank), None);
    }
}
