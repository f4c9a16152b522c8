//! The reading pane's model: paragraphs laid out on demand, and a position counted in
//! screen rows.
//!
//! The document is a sequence of rows: each block's visual lines, then one blank row
//! between blocks (none between the items of a list). Quotes, list items and code keep a
//! gutter of [`GUTTER`] cells on their starting side for their marker. Only paragraphs that are reached get laid out, each once per
//! (width, options), so opening a large file or jumping to its end costs a few
//! paragraphs, never the whole document.

use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

use unicode_segmentation::UnicodeSegmentation;

use crate::document::{BlockKind, Document};
use crate::layout::{self, LayoutOptions, VisualLine};

/// A paragraph laid out at one width.
#[derive(Debug)]
pub struct ParagraphLayout {
    /// Its visual lines.
    pub lines: Vec<VisualLine>,
    /// Byte ranges (within the paragraph) of its words, in reading order.
    pub words: Vec<Range<usize>>,
    /// Cells kept free on the line's starting side for a block marker.
    pub gutter: u16,
}

/// Cells a quote, a list item or a code block keeps for its marker.
pub const GUTTER: u16 = 2;

/// The gutter a block of `kind` keeps.
pub fn gutter(kind: BlockKind) -> u16 {
    match kind {
        BlockKind::Quote | BlockKind::ListItem | BlockKind::Code => GUTTER,
        _ => 0,
    }
}

impl ParagraphLayout {
    /// The first column of line `line` in a column `width` cells wide: right-to-left
    /// lines end before the gutter on the right, left-to-right ones start after the
    /// gutter on the left.
    pub fn line_x(&self, line: &VisualLine, width: u16) -> u16 {
        let inner = width.saturating_sub(self.gutter);
        if line.rtl {
            line.indent(inner)
        } else {
            self.gutter.min(width)
        }
    }

    /// The index of the word that holds byte `offset` of the paragraph.
    pub fn word_at(&self, offset: usize) -> Option<usize> {
        let i = self.words.partition_point(|w| w.end <= offset);
        (i < self.words.len() && self.words[i].start <= offset).then_some(i)
    }

    /// The line that shows byte `offset` of the paragraph.
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines
            .iter()
            .position(|l| offset < l.source.end)
            .unwrap_or(self.lines.len().saturating_sub(1))
    }
}

/// Words of a paragraph: UAX #29 word segments that contain a letter or a digit.
pub fn words(text: &str) -> Vec<Range<usize>> {
    text.split_word_bound_indices()
        .filter(|(_, w)| w.chars().any(char::is_alphanumeric))
        .map(|(i, w)| i..i + w.len())
        .collect()
}

/// Where a word of a visual line is on screen, relative to the line's first column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordSpan {
    /// First column.
    pub x: u16,
    /// Columns.
    pub width: u16,
    /// Index into [`ParagraphLayout::words`].
    pub word: usize,
}

/// The words of line `line` of `layout`, left to right, with their columns (the line's
/// alignment inside `width` columns included).
pub fn line_spans(layout: &ParagraphLayout, line: usize, width: u16) -> Vec<WordSpan> {
    let Some(visual) = layout.lines.get(line) else {
        return Vec::new();
    };
    let mut spans: Vec<WordSpan> = Vec::new();
    let mut x = layout.line_x(visual, width);
    for cell in &visual.cells {
        if cell.width > 0
            && let Some(word) = layout.word_at(cell.source.start)
        {
            match spans.last_mut() {
                Some(last) if last.word == word && last.x + last.width == x => {
                    last.width += cell.width
                }
                _ => spans.push(WordSpan {
                    x,
                    width: cell.width,
                    word,
                }),
            }
        }
        x += cell.width;
    }
    spans
}

/// A place in the document: a paragraph and a row within it. Row `lines.len()` is the
/// blank row after the paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub para: usize,
    pub row: usize,
}

/// Laid-out paragraphs, kept while the width and options stay the same.
#[derive(Debug, Default)]
pub struct LayoutCache {
    width: u16,
    options: Option<LayoutOptions>,
    map: HashMap<usize, Rc<ParagraphLayout>>,
}

/// How many paragraphs the cache keeps before it starts over.
const CACHE_LIMIT: usize = 4096;

impl LayoutCache {
    /// Forgets everything when the width or the options changed.
    pub fn configure(&mut self, width: u16, options: LayoutOptions) {
        if self.width != width || self.options != Some(options) {
            self.map.clear();
            self.width = width;
            self.options = Some(options);
        }
    }

    /// The width paragraphs are laid out at.
    pub fn width(&self) -> u16 {
        self.width
    }

    /// Paragraph `para` of `doc`, laid out.
    pub fn get(&mut self, doc: &Document, para: usize) -> Rc<ParagraphLayout> {
        if let Some(found) = self.map.get(&para) {
            return Rc::clone(found);
        }
        if self.map.len() >= CACHE_LIMIT {
            self.map.clear();
        }
        let text = doc.paragraph(para);
        let mut options = self.options.unwrap_or_default();
        if doc.kind(para) == BlockKind::Code {
            // Code reads left to right, whatever its comments and strings are written in.
            options.base = layout::BaseDirection::Ltr;
        }
        let gutter = gutter(doc.kind(para)).min(self.width.saturating_sub(1) / 2);
        let mut lines = layout::layout_block(text, &options, (self.width - gutter).max(1));
        // A rule has no text, but a row to draw it on.
        if lines.is_empty() {
            lines.push(VisualLine::default());
        }
        let laid = Rc::new(ParagraphLayout {
            lines,
            words: words(text),
            gutter,
        });
        self.map.insert(para, Rc::clone(&laid));
        laid
    }

    /// Rows paragraph `para` takes, its blank separator included.
    pub fn rows(&mut self, doc: &Document, para: usize) -> usize {
        let list = |p| doc.kind(p) == BlockKind::ListItem;
        let separator =
            usize::from(para + 1 < doc.paragraphs.len() && !(list(para) && list(para + 1)));
        self.get(doc, para).lines.len() + separator
    }

    /// `pos` moved `n` rows down, stopping at the last row of the document.
    pub fn down(&mut self, doc: &Document, mut pos: Pos, mut n: usize) -> Pos {
        while n > 0 && !doc.paragraphs.is_empty() {
            let rows = self.rows(doc, pos.para);
            let left = rows - 1 - pos.row.min(rows - 1);
            if n <= left {
                pos.row += n;
                return pos;
            }
            if pos.para + 1 >= doc.paragraphs.len() {
                pos.row = rows - 1;
                return pos;
            }
            n -= left + 1;
            pos = Pos {
                para: pos.para + 1,
                row: 0,
            };
        }
        pos
    }

    /// `pos` moved `n` rows up, stopping at the first row.
    pub fn up(&mut self, doc: &Document, mut pos: Pos, mut n: usize) -> Pos {
        while n > 0 {
            if n <= pos.row {
                pos.row -= n;
                return pos;
            }
            if pos.para == 0 {
                pos.row = 0;
                return pos;
            }
            n -= pos.row + 1;
            let para = pos.para - 1;
            pos = Pos {
                para,
                row: self.rows(doc, para) - 1,
            };
        }
        pos
    }

    /// The last row of the document.
    pub fn end(&mut self, doc: &Document) -> Pos {
        let para = doc.paragraphs.len().saturating_sub(1);
        if doc.paragraphs.is_empty() {
            return Pos::default();
        }
        Pos {
            para,
            row: self.rows(doc, para) - 1,
        }
    }

    /// The highest top row that still fills a screen of `height` rows: the last row of
    /// the document sits at the bottom.
    pub fn max_top(&mut self, doc: &Document, height: usize) -> Pos {
        let end = self.end(doc);
        self.up(doc, end, height.saturating_sub(1))
    }

    /// Rows from `a` down to `b` (0 when `b` is not below `a`), counting at most `limit`.
    pub fn distance(&mut self, doc: &Document, a: Pos, b: Pos, limit: usize) -> usize {
        let mut pos = a;
        let mut n = 0;
        while pos < b && n < limit {
            let next = self.down(doc, pos, 1);
            if next == pos {
                break;
            }
            pos = next;
            n += 1;
        }
        n
    }
}
