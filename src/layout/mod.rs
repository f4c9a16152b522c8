//! The text engine: one paragraph of logical text in, visual lines of cells out.
//!
//! Pure and terminal-free. The steps, each in its own module:
//!
//! ```text
//! paragraph -> sanitize (controls neutralised, source map kept)
//!           -> bidi levels for the whole paragraph (UAX #9, P2–I2)
//!           -> shape (joining forms, Lam-Alef ligatures; logical order)
//!           -> cells (a base character with its marks; mirrored at odd levels: L4)
//!           -> wrap (UAX #14 opportunities, widths after shaping)
//!           -> each line reordered on its own (L1, L2) -> VisualLine
//! ```
//!
//! [`prepare`] does everything that does not depend on the width, so a paragraph can be
//! wrapped again at another width cheaply; [`PreparedParagraph::lines`] does the rest.

pub mod bidi;
mod block;
mod breaks;
mod char_props;
mod chunk;
mod fast;
mod haraka;
mod implicit;
pub mod line;
pub mod render_pass;
pub mod sanitize;
pub mod sentence;
pub mod shape;
mod shape_tables;
#[cfg(test)]
mod test_rng;
pub mod wrap;

use std::ops::Range;

use unicode_bidi::BidiClass;
use unicode_width::UnicodeWidthChar;

pub use bidi::BaseDirection;
pub use block::layout_block;
pub use line::{Cell, VisualLine};

use shape::Shaped;
use wrap::{Break, WrapUnit};

/// What to do with harakat (short-vowel marks, U+064B–U+065F and U+0670).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Harakat {
    /// Keep each mark in its base letter's cell.
    #[default]
    Keep,
    /// Leave them out.
    Strip,
}

/// How paragraphs are laid out. The same options give the same lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LayoutOptions {
    /// How each paragraph's base direction is chosen.
    pub base: BaseDirection,
    /// Use Arabic presentation forms (off for fonts or terminals that shape themselves).
    pub shaping: bool,
    /// Keep or strip harakat.
    pub harakat: Harakat,
    /// Columns a tab takes.
    pub tab_width: u16,
    /// Reorder lines into visual order (and mirror brackets). Off for terminals that do
    /// their own BiDi: lines then stay in logical order.
    pub reorder: bool,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        Self {
            base: BaseDirection::Auto,
            shaping: true,
            harakat: Harakat::Keep,
            tab_width: 4,
            reorder: true,
        }
    }
}

/// A paragraph after every step that does not depend on the line width.
#[derive(Debug, Clone)]
pub struct PreparedParagraph {
    /// The shaped, mirrored text of all cells, in logical order.
    text: String,
    cells: Vec<LogicalCell>,
    paragraph_level: u8,
    reorder: bool,
}

/// A cell before reordering.
#[derive(Debug, Clone)]
struct LogicalCell {
    text: Range<u32>,
    source: Range<usize>,
    width: u16,
    level: u8,
    class: BidiClass,
    blank: bool,
    break_before: Break,
}

/// True for characters that act on the layout but are never printed: bidi controls,
/// joiners, zero-width space, word joiner, byte order mark, soft hyphen.
#[inline]
pub fn is_hidden(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Unicode's White_Space property, spelled out so that letters are rejected with a few
/// comparisons instead of a table search.
pub(crate) fn is_white_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'..='\r'
            | '\u{85}'
            | '\u{A0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200A}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{3000}'
    )
}

/// Columns `c` takes on a terminal: 0 for hidden characters and marks.
#[inline]
pub fn char_width(c: char) -> u16 {
    static TABLE: fast::CodePointTable<u8> = fast::CodePointTable::new();
    fn slow(c: char) -> u8 {
        if is_hidden(c) {
            0
        } else {
            c.width().unwrap_or(0) as u8
        }
    }
    u16::from(TABLE.get(c, slow))
}

/// Runs the width-independent steps on one paragraph (text without line breaks).
pub fn prepare(paragraph: &str, options: &LayoutOptions) -> PreparedParagraph {
    let clean = sanitize::sanitize(paragraph);
    let text: &str = &clean.text;
    let strip = options.harakat == Harakat::Strip;

    let chars: Vec<char> = text.chars().collect();
    let levels = bidi::ParagraphLevels::resolve(text, &chars, options.base);
    let shaped: Option<Vec<Shaped>> = options
        .shaping
        .then(|| shape::shape(&chars, &levels.levels));

    let mut builder = CellBuilder {
        out: String::with_capacity(text.len() + text.len() / 2),
        cells: Vec::with_capacity(chars.len()),
        starts: Vec::with_capacity(chars.len()),
    };
    // A cell starts at every character that takes columns (and is not the Alef of a
    // ligature); zero-width characters stay with the cell before them, and those at the
    // very start go with the first cell.
    let mut open: Option<OpenCell> = None;
    let mut byte = 0usize;
    for (i, &c) in chars.iter().enumerate() {
        let width = char_width(c);
        let shaped_char = match &shaped {
            Some(shaped) => shaped[i],
            None => Shaped::Char(c),
        };
        let visible = (width > 0 || c == '\t') && shaped_char != Shaped::Ligated;
        match &mut open {
            Some(cell) if visible && cell.has_base => {
                let done = std::mem::replace(cell, OpenCell::new(byte, builder.out.len()));
                builder.finish(done, byte, &clean, &levels);
            }
            Some(_) => {}
            None => open = Some(OpenCell::new(byte, builder.out.len())),
        }
        let cell = open.as_mut().expect("a cell is open");
        if visible && !cell.has_base {
            cell.has_base = true;
            cell.base = i;
        }
        byte += c.len_utf8();
        let Shaped::Char(shaped_char) = shaped_char else {
            continue;
        };
        if is_hidden(c) || (strip && shape::is_haraka(c)) {
            continue;
        }
        if c == '\t' {
            for _ in 0..options.tab_width {
                builder.out.push(' ');
            }
            cell.width += options.tab_width;
            continue;
        }
        let printed = if options.reorder
            && levels.levels[cell.base] % 2 == 1
            && levels.classes[i] == BidiClass::ON
        {
            unicode_bidi_mirroring::get_mirrored(shaped_char).unwrap_or(shaped_char)
        } else {
            shaped_char
        };
        builder.out.push(printed);
        cell.blank &= is_white_space(printed);
        cell.width += if printed == shaped_char || printed == c {
            width
        } else {
            char_width(printed)
        };
    }
    if let Some(cell) = open {
        builder.finish(cell, text.len(), &clean, &levels);
    }
    let CellBuilder {
        out,
        mut cells,
        starts,
    } = builder;

    // Break opportunities are byte offsets of the clean text; keep those at cell starts.
    let mut next_cell = 1;
    for (at, opportunity) in unicode_linebreak::linebreaks(text) {
        if at >= text.len() {
            break;
        }
        while next_cell < starts.len() && (starts[next_cell] as usize) < at {
            next_cell += 1;
        }
        if next_cell < starts.len() && starts[next_cell] as usize == at {
            cells[next_cell].break_before = match opportunity {
                unicode_linebreak::BreakOpportunity::Mandatory => Break::Mandatory,
                unicode_linebreak::BreakOpportunity::Allowed => Break::Allowed,
            };
        }
    }

    if cells.is_empty() && !paragraph.is_empty() {
        // Nothing printable is left (an escape sequence alone): one empty cell still
        // stands for the source, so that every byte maps to a cell.
        cells.push(LogicalCell {
            text: 0..0,
            source: 0..paragraph.len(),
            width: 0,
            level: levels.paragraph_level,
            class: BidiClass::BN,
            blank: true,
            break_before: Break::Never,
        });
    }

    PreparedParagraph {
        text: out,
        cells,
        paragraph_level: levels.paragraph_level,
        reorder: options.reorder,
    }
}

/// A cell being filled by [`prepare`].
struct OpenCell {
    /// Byte offset of its first character in the clean text.
    start: usize,
    /// Where its printed text starts.
    text_start: usize,
    /// Index of the character that takes its columns.
    base: usize,
    has_base: bool,
    width: u16,
    /// Everything printed so far is whitespace.
    blank: bool,
}

impl OpenCell {
    fn new(start: usize, text_start: usize) -> Self {
        Self {
            start,
            text_start,
            base: 0,
            has_base: false,
            width: 0,
            blank: true,
        }
    }
}

/// The cells [`prepare`] has finished, and their printed text.
struct CellBuilder {
    out: String,
    cells: Vec<LogicalCell>,
    /// Byte offset in the clean text where each cell starts.
    starts: Vec<u32>,
}

impl CellBuilder {
    fn finish(
        &mut self,
        cell: OpenCell,
        end: usize,
        clean: &sanitize::Sanitized,
        levels: &bidi::ParagraphLevels,
    ) {
        self.starts.push(cell.start as u32);
        self.cells.push(LogicalCell {
            text: cell.text_start as u32..self.out.len() as u32,
            source: clean.source_range(cell.start..end),
            width: cell.width,
            level: levels.levels[cell.base],
            class: levels.classes[cell.base],
            blank: cell.blank,
            break_before: Break::Never,
        });
    }
}

impl PreparedParagraph {
    /// True when the paragraph's base direction is right-to-left.
    pub fn rtl(&self) -> bool {
        self.paragraph_level % 2 == 1
    }

    /// Wraps the paragraph at `width` columns and reorders each line.
    pub fn lines(&self, width: u16) -> Vec<VisualLine> {
        let width = u32::from(width.max(1));
        self.wrap(width)
            .into_iter()
            .map(|range| self.visual_line(range, width, true))
            .collect()
    }

    /// Appends the printed text of each line to `out`, one line per row, with RTL lines
    /// padded on the left when `pad` is set: what [`lines`](Self::lines) gives, without
    /// building cells (for `qari render`). With `width` `None` nothing is wrapped (lines
    /// end only at mandatory breaks) and nothing is padded.
    pub fn write_lines(&self, width: Option<u16>, pad: bool, out: &mut Vec<u8>) {
        let (width, pad) = write_width(width, pad);
        self.write_wrapped(self.wrap(width), width, pad, out);
    }

    /// Writes the lines `lines` (ranges of cells) as [`write_lines`](Self::write_lines).
    fn write_wrapped(&self, lines: Vec<Range<usize>>, width: u32, pad: bool, out: &mut Vec<u8>) {
        for range in lines {
            if self.write_line_directly(range.clone(), width, pad, out) {
                continue;
            }
            let line = self.visual_line(range, width, false);
            if pad && !line.text.is_empty() && line.rtl {
                let indent = width.saturating_sub(u32::from(line.width));
                out.resize(out.len() + indent as usize, b' ');
            }
            out.extend_from_slice(line.text.as_bytes());
            out.push(b'\n');
        }
    }

    /// True when every cell in `cells` is whitespace (or prints nothing).
    fn all_blank(&self, cells: Range<usize>) -> bool {
        self.cells[cells].iter().all(|c| c.blank)
    }

    /// Where cell `cell` starts in the source paragraph.
    fn source_start(&self, cell: usize) -> usize {
        self.cells.get(cell).map_or(0, |c| c.source.start)
    }

    /// The common case of [`write_lines`](Self::write_lines), written straight into
    /// `out`: a line that fits (nothing hangs over the edge). Returns false, having
    /// written nothing, for any other line.
    fn write_line_directly(
        &self,
        range: Range<usize>,
        width: u32,
        pad: bool,
        out: &mut Vec<u8>,
    ) -> bool {
        let cells = &self.cells[range];
        let total: u32 = cells.iter().map(|c| u32::from(c.width)).sum();
        if total > width {
            return false;
        }
        let text = self.text.as_bytes();
        let (first, last) = match (cells.first(), cells.last()) {
            (Some(first), Some(last)) => (first.text.start as usize, last.text.end as usize),
            _ => (0, 0),
        };
        if pad && self.rtl() && last > first {
            out.resize(out.len() + (width - total) as usize, b' ');
        }
        let cell_text = |c: &LogicalCell| &text[c.text.start as usize..c.text.end as usize];
        let mut levels: Vec<u8> = cells.iter().map(|c| c.level).collect();
        bidi::reset_trailing_levels(&mut levels, |i| cells[i].class, self.paragraph_level);
        let level = levels.first().copied().unwrap_or(0);
        if !self.reorder || levels.iter().all(|&l| l == level && l % 2 == 0) {
            out.extend_from_slice(&text[first..last]);
        } else if levels.iter().all(|&l| l == level) {
            for cell in cells.iter().rev() {
                out.extend_from_slice(cell_text(cell));
            }
        } else {
            for i in bidi::visual_order(&levels) {
                out.extend_from_slice(cell_text(&cells[i]));
            }
        }
        out.push(b'\n');
        true
    }

    fn wrap(&self, width: u32) -> Vec<Range<usize>> {
        self.wrap_from(0, width)
    }

    /// The lines of the cells from `first` on, as if the paragraph started there.
    fn wrap_from(&self, first: usize, width: u32) -> Vec<Range<usize>> {
        let units: Vec<WrapUnit> = self.cells[first.min(self.cells.len())..]
            .iter()
            .map(|c| WrapUnit {
                width: c.width,
                blank: c.blank,
                break_before: c.break_before,
            })
            .collect();
        let mut lines = wrap::wrap(&units, width);
        for line in &mut lines {
            *line = line.start + first..line.end + first;
        }
        lines
    }

    /// The first cell that starts at or after source byte `offset`.
    fn first_cell_from(&self, offset: usize) -> usize {
        self.cells.partition_point(|c| c.source.start < offset)
    }

    /// One line; without `with_cells`, only its text and width.
    /// `width` is at least 1; `u32::MAX` means no limit.
    fn visual_line(&self, range: Range<usize>, width: u32, with_cells: bool) -> VisualLine {
        let cells = &self.cells[range];
        let mut levels: Vec<u8> = cells.iter().map(|c| c.level).collect();
        bidi::reset_trailing_levels(&mut levels, |i| cells[i].class, self.paragraph_level);

        // Hanging whitespace that does not fit is kept in the source map but not printed.
        let total: u32 = cells.iter().map(|c| u32::from(c.width)).sum();
        let mut hidden_from = cells.len();
        let mut shown = total;
        while shown > width && hidden_from > 0 && cells[hidden_from - 1].blank {
            hidden_from -= 1;
            shown -= u32::from(cells[hidden_from].width);
        }

        let text_len: usize = cells
            .iter()
            .map(|c| (c.text.end - c.text.start) as usize)
            .sum();
        let mut line = VisualLine {
            text: String::with_capacity(text_len),
            cells: Vec::with_capacity(if with_cells { cells.len() } else { 0 }),
            width: 0,
            rtl: self.rtl(),
            source: match (cells.first(), cells.last()) {
                (Some(first), Some(last)) => first.source.start..last.source.end,
                _ => 0..0,
            },
        };
        let mut emit = |i: usize| {
            let cell = &cells[i];
            let start = line.text.len();
            let text = &self.text[cell.text.start as usize..cell.text.end as usize];
            let mut cell_width = if i >= hidden_from { 0 } else { cell.width };
            if u32::from(cell_width) > width {
                // A tab, or a wide character, on a line narrower than it: a tab loses
                // spaces; a wide character is shown as an ellipsis. (`width` is then
                // below `cell_width`, so it fits a u16.)
                let width = width as u16;
                let spaces = text.bytes().filter(|&b| b == b' ').count();
                let excess = usize::from(cell_width - width);
                if spaces >= excess {
                    let mut dropped = 0;
                    for c in text.chars() {
                        if c == ' ' && dropped < excess {
                            dropped += 1;
                        } else {
                            line.text.push(c);
                        }
                    }
                    cell_width = width;
                } else {
                    line.text.push('\u{2026}');
                    cell_width = 1;
                }
            } else if cell_width > 0 || cell.width == 0 {
                line.text.push_str(text);
            }
            line.width = line.width.saturating_add(cell_width);
            if !with_cells {
                return;
            }
            line.cells.push(Cell {
                text: start..line.text.len(),
                width: cell_width,
                source: cell.source.clone(),
                level: levels[i],
            });
        };
        let first = levels.first().copied().unwrap_or(0);
        if !self.reorder {
            (0..cells.len()).for_each(&mut emit);
        } else if levels.iter().all(|&l| l == first) {
            // One direction for the whole line: no need to compute runs.
            if first % 2 == 1 {
                (0..cells.len()).rev().for_each(&mut emit);
            } else {
                (0..cells.len()).for_each(&mut emit);
            }
        } else {
            bidi::visual_order(&levels).into_iter().for_each(&mut emit);
        }
        line
    }
}

/// Lays out one paragraph at `width` columns: [`prepare`] then [`PreparedParagraph::lines`],
/// a bounded piece at a time for paragraphs longer than 256 KiB.
pub fn layout_paragraph(paragraph: &str, options: &LayoutOptions, width: u16) -> Vec<VisualLine> {
    if paragraph.len() <= chunk::CHUNK_BYTES {
        return prepare(paragraph, options).lines(width);
    }
    chunk::layout_long_paragraph(paragraph, options, width)
}

/// Appends the visual lines of one paragraph to `out`, as
/// [`PreparedParagraph::write_lines`] does: through the fused pass
/// ([`render_pass`]) when the paragraph allows it, a bounded piece at a time for
/// paragraphs longer than 256 KiB.
pub fn write_paragraph(
    paragraph: &str,
    options: &LayoutOptions,
    width: Option<u16>,
    pad: bool,
    out: &mut Vec<u8>,
) {
    if paragraph.len() <= chunk::CHUNK_BYTES {
        if render_pass::try_write_paragraph(paragraph, options, width, pad, out) {
            return;
        }
        return prepare(paragraph, options).write_lines(width, pad, out);
    }
    let (width, pad) = write_width(width, pad);
    chunk::for_each_piece(paragraph, options, width, |piece| {
        piece.prepared.write_wrapped(piece.lines, width, pad, out)
    });
}

/// The wrapping width and padding of `write_lines`: no width means no wrapping (a
/// limit of `u32::MAX`) and no padding.
fn write_width(width: Option<u16>, pad: bool) -> (u32, bool) {
    match width {
        Some(width) => (u32::from(width.max(1)), pad),
        None => (u32::MAX, false),
    }
}

/// Splits a document's text into paragraphs at line breaks (LF, CRLF, CR, U+2029),
/// returning each paragraph's byte range.
pub fn paragraph_ranges(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut from = 0;
    // U+2029 is E2 80 A9 in UTF-8: look for its lead byte as a third candidate.
    while let Some(found) = memchr::memchr3(b'\n', b'\r', 0xE2, &bytes[from..]) {
        let i = from + found;
        let len = match bytes[i] {
            b'\n' => 1,
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => 2,
            b'\r' => 1,
            _ if bytes[i..].starts_with("\u{2029}".as_bytes()) => 3,
            _ => {
                from = i + 1;
                continue;
            }
        };
        out.push(start..i);
        start = i + len;
        from = start;
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn white_space_list_matches_the_standard_library() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(
                super::is_white_space(c),
                c.is_whitespace(),
                "U+{:04X}",
                c as u32
            );
        }
    }
}
