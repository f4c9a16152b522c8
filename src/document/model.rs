//! What a format parser makes of a document: its text, cut into blocks with a kind and
//! a direction, its chapters and its metadata. Every format (plain text, Markdown,
//! HTML, EPUB) produces a [`Structured`] through a [`Builder`]; the reader and the
//! CLI commands take it from there. No terminal I/O here.

use std::ops::Range;

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A heading, level 1 (the largest) to 6.
    Heading(u8),
    Paragraph,
    Quote,
    ListItem,
    Code,
    /// A thematic break (`<hr>`, `---`); its text is empty.
    Rule,
}

/// A direction the source states (`dir="rtl"`, EPUB's page-progression-direction).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Rtl,
    Ltr,
}

/// One block: its kind, where its text lies in [`Structured::text`], and its stated
/// direction (None: decided by its text, as UAX #9's rules P2–P3 say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub range: Range<usize>,
    pub dir: Option<Direction>,
}

/// A chapter (EPUB spine item, or a part a format marks as one): its title and the
/// index of its first block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    pub title: String,
    pub first_block: usize,
}

/// What the source says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    pub title: Option<String>,
    pub author: Option<String>,
    pub language: Option<String>,
    /// Where it came from: a path, a URL, or "standard input".
    pub source: Option<String>,
}

/// A parsed document. Blocks follow each other in reading order; their texts are
/// sanitised (no control characters but tab) and hold no line breaks but those the
/// source means (a `<br>`, a line of a poem, a line of code).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Structured {
    pub text: String,
    pub blocks: Vec<Block>,
    pub chapters: Vec<Chapter>,
    pub meta: Meta,
}

impl Structured {
    /// The text of block `index`.
    pub fn block_text(&self, index: usize) -> &str {
        self.blocks
            .get(index)
            .and_then(|b| self.text.get(b.range.clone()))
            .unwrap_or("")
    }
}

/// Builds a [`Structured`] block by block. Blocks are separated in `text` by one
/// "\n\n", so that a block's range never touches another's.
#[derive(Debug, Default)]
pub struct Builder {
    doc: Structured,
}

impl Builder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a block; an empty text adds nothing, except for a [`BlockKind::Rule`]. White
    /// space around the text is dropped, except in code, whose lines keep their
    /// indentation: only blank lines before it and white space after it are dropped.
    pub fn push(&mut self, kind: BlockKind, text: &str, dir: Option<Direction>) {
        if text.trim().is_empty() && kind != BlockKind::Rule {
            return;
        }
        let text = if kind == BlockKind::Code {
            code_text(text)
        } else {
            text.trim()
        };
        if !self.doc.text.is_empty() {
            self.doc.text.push_str("\n\n");
        }
        let start = self.doc.text.len();
        self.doc.text.push_str(text);
        let end = self.doc.text.len();
        self.doc.blocks.push(Block {
            kind,
            range: start..end,
            dir,
        });
    }

    /// Starts a chapter at the next block.
    pub fn chapter(&mut self, title: &str) {
        self.doc.chapters.push(Chapter {
            title: title.trim().to_string(),
            first_block: self.doc.blocks.len(),
        });
    }

    pub fn meta_mut(&mut self) -> &mut Meta {
        &mut self.doc.meta
    }

    /// How many blocks were added so far.
    pub fn blocks(&self) -> usize {
        self.doc.blocks.len()
    }

    pub fn finish(self) -> Structured {
        self.doc
    }
}

/// A code block's text without the blank lines before it and the white space after it;
/// the first line's indentation stays.
fn code_text(text: &str) -> &str {
    let text = text.trim_end();
    let first_line = text
        .char_indices()
        .take_while(|(_, c)| c.is_whitespace())
        .filter(|&(_, c)| c == '\n')
        .last()
        .map_or(0, |(i, _)| i + 1);
    &text[first_line..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_keep_their_ranges_apart() {
        let mut b = Builder::new();
        b.chapter("One");
        b.push(BlockKind::Heading(1), " عنوان ", Some(Direction::Rtl));
        b.push(BlockKind::Paragraph, "   ", None);
        b.push(BlockKind::Paragraph, "نص", None);
        let d = b.finish();
        assert_eq!(d.blocks.len(), 2);
        assert_eq!(d.block_text(0), "عنوان");
        assert_eq!(d.block_text(1), "نص");
        assert_eq!(d.text, "عنوان\n\nنص");
        assert_eq!(d.chapters[0].first_block, 0);
        assert_eq!(d.block_text(9), "");
    }

    #[test]
    fn code_keeps_its_indentation_and_line_breaks() {
        let mut b = Builder::new();
        b.push(
            BlockKind::Code,
            "\n  \n    fn main() {\n\tprint(\"نص\")\n\n    }\n  \n",
            None,
        );
        b.push(BlockKind::Paragraph, "  نص  ", None);
        b.push(BlockKind::Code, " \n \n", None);
        let d = b.finish();
        assert_eq!(d.blocks.len(), 2);
        assert_eq!(d.block_text(0), "    fn main() {\n\tprint(\"نص\")\n\n    }");
        assert_eq!(d.block_text(1), "نص");
    }
}
