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
pub mod line;
pub mod sanitize;
pub mod shape;
mod shape_tables;
pub mod wrap;

use std::ops::Range;

use unicode_bidi::BidiClass;
use unicode_width::UnicodeWidthChar;

pub use bidi::BaseDirection;
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
}

impl Default for LayoutOptions {
    fn default() -> Self {
        Self {
            base: BaseDirection::Auto,
            shaping: true,
            harakat: Harakat::Keep,
            tab_width: 4,
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

fn char_width(c: char) -> u16 {
    if is_hidden(c) {
        0
    } else {
        c.width().unwrap_or(0) as u16
    }
}

/// Runs the width-independent steps on one paragraph (text without line breaks).
pub fn prepare(paragraph: &str, options: &LayoutOptions) -> PreparedParagraph {
    let clean = sanitize::sanitize(paragraph);
    let text: &str = &clean.text;
    let levels = bidi::ParagraphLevels::resolve(text, options.base);
    let strip = options.harakat == Harakat::Strip;

    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let shaped: Vec<Shaped> = if options.shaping {
        let plain: Vec<char> = chars.iter().map(|&(_, c)| c).collect();
        let char_levels: Vec<u8> = chars.iter().map(|&(i, _)| levels.levels[i]).collect();
        shape::shape(&plain, &char_levels, strip)
    } else {
        chars.iter().map(|&(_, c)| Shaped::Char(c)).collect()
    };

    // A cell starts at every character that takes columns (and is not the Alef of a
    // ligature); zero-width characters stay with the cell before them.
    let mut starts: Vec<usize> = Vec::with_capacity(chars.len() + 1);
    let mut seen_visible = false;
    for (i, &(_, c)) in chars.iter().enumerate() {
        let visible = (c == '\t' || char_width(c) > 0) && shaped[i] != Shaped::Ligated;
        if visible {
            if seen_visible {
                starts.push(i);
            }
            seen_visible = true;
        }
    }
    if !chars.is_empty() {
        starts.insert(0, 0);
    }

    let mut out = String::with_capacity(text.len() + text.len() / 2);
    let mut cells = Vec::with_capacity(starts.len());
    for (n, &first) in starts.iter().enumerate() {
        let last = starts.get(n + 1).copied().unwrap_or(chars.len());
        let byte_start = chars[first].0;
        let byte_end = chars.get(last).map_or(text.len(), |&(b, _)| b);
        // The base is the first character that takes columns; leading controls do not count.
        let base = (first..last)
            .find(|&i| chars[i].1 == '\t' || char_width(chars[i].1) > 0)
            .unwrap_or(first);
        let level = levels.levels[chars[base].0];
        let text_start = out.len();
        let mut width = 0u16;
        for i in first..last {
            let c = chars[i].1;
            let Shaped::Char(shaped_char) = shaped[i] else {
                continue;
            };
            if is_hidden(c) || (strip && shape::is_haraka(c)) {
                continue;
            }
            if c == '\t' {
                for _ in 0..options.tab_width {
                    out.push(' ');
                }
                width += options.tab_width;
                continue;
            }
            let printed = if level % 2 == 1 {
                unicode_bidi_mirroring::get_mirrored(shaped_char).unwrap_or(shaped_char)
            } else {
                shaped_char
            };
            out.push(printed);
            width += char_width(printed);
        }
        let printed = &out[text_start..];
        cells.push(LogicalCell {
            text: text_start as u32..out.len() as u32,
            source: clean.source_range(byte_start..byte_end),
            width,
            level,
            class: levels.class(chars[base].0),
            blank: printed.chars().all(char::is_whitespace),
            break_before: Break::Never,
        });
    }

    // Break opportunities are byte offsets of the clean text; keep those at cell starts.
    let mut next_cell = 0;
    for (at, opportunity) in unicode_linebreak::linebreaks(text) {
        if at >= text.len() {
            break;
        }
        while next_cell < starts.len() && chars[starts[next_cell]].0 < at {
            next_cell += 1;
        }
        if next_cell < starts.len() && chars[starts[next_cell]].0 == at && next_cell > 0 {
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
    }
}

impl PreparedParagraph {
    /// True when the paragraph's base direction is right-to-left.
    pub fn rtl(&self) -> bool {
        self.paragraph_level % 2 == 1
    }

    /// Wraps the paragraph at `width` columns and reorders each line.
    pub fn lines(&self, width: u16) -> Vec<VisualLine> {
        let width = width.max(1);
        let units: Vec<WrapUnit> = self
            .cells
            .iter()
            .map(|c| WrapUnit {
                width: c.width,
                blank: c.blank,
                break_before: c.break_before,
            })
            .collect();
        wrap::wrap(&units, width)
            .into_iter()
            .map(|range| self.visual_line(range, width))
            .collect()
    }

    fn visual_line(&self, range: Range<usize>, width: u16) -> VisualLine {
        let cells = &self.cells[range.clone()];
        let mut levels: Vec<u8> = cells.iter().map(|c| c.level).collect();
        let classes: Vec<BidiClass> = cells.iter().map(|c| c.class).collect();
        bidi::reset_trailing_levels(&mut levels, &classes, self.paragraph_level);

        // Hanging whitespace that does not fit is kept in the source map but not printed.
        let mut widths: Vec<u16> = cells.iter().map(|c| c.width).collect();
        let mut total: u32 = widths.iter().map(|&w| u32::from(w)).sum();
        for (i, cell) in cells.iter().enumerate().rev() {
            if total <= u32::from(width) || !cell.blank {
                break;
            }
            total -= u32::from(widths[i]);
            widths[i] = 0;
        }

        let mut line = VisualLine {
            text: String::new(),
            cells: Vec::with_capacity(cells.len()),
            width: 0,
            rtl: self.rtl(),
            source: match (cells.first(), cells.last()) {
                (Some(first), Some(last)) => first.source.start..last.source.end,
                _ => 0..0,
            },
        };
        for i in bidi::visual_order(&levels) {
            let cell = &cells[i];
            let start = line.text.len();
            let mut cell_width = widths[i];
            if cell_width > width {
                // A tab, or a wide character, on a line narrower than it: a tab loses
                // spaces; a wide character is shown as an ellipsis.
                let text = &self.text[cell.text.start as usize..cell.text.end as usize];
                let spaces = text.bytes().take_while(|&b| b == b' ').count();
                let excess = usize::from(cell_width - width);
                if spaces >= excess {
                    line.text.push_str(&text[excess..]);
                    cell_width = width;
                } else {
                    line.text.push('\u{2026}');
                    cell_width = 1;
                }
            } else if cell_width > 0 || cell.width == 0 {
                line.text
                    .push_str(&self.text[cell.text.start as usize..cell.text.end as usize]);
            }
            line.width += cell_width;
            line.cells.push(Cell {
                text: start..line.text.len(),
                width: cell_width,
                source: cell.source.clone(),
                level: levels[i],
            });
        }
        line
    }
}

/// Lays out one paragraph at `width` columns: [`prepare`] then [`PreparedParagraph::lines`].
pub fn layout_paragraph(paragraph: &str, options: &LayoutOptions, width: u16) -> Vec<VisualLine> {
    prepare(paragraph, options).lines(width)
}

/// Splits a document's text into paragraphs at line breaks (LF, CRLF, CR, U+2029),
/// returning each paragraph's byte range.
pub fn paragraph_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (is_break, len) = match bytes[i] {
            b'\n' => (true, 1),
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => (true, 2),
            b'\r' => (true, 1),
            0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA9) => (true, 3),
            _ => (false, 1),
        };
        if is_break {
            out.push(start..i);
            start = i + len;
        }
        i += len;
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}
