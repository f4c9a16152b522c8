//! The fused render pass: one paragraph straight to printed lines, for `qari render`.
//!
//! It prints exactly what [`super::PreparedParagraph::write_lines`] prints, but does the
//! work of the stages in fewer passes and with buffers that are reused from paragraph to
//! paragraph: one table lookup per character ([`CharProps`]) gives everything the stages
//! ask about it; shaping, cells, mirroring and break opportunities are done in one walk
//! over the characters, which leaves the shaped text and a compact list of cells; lines
//! are wrapped over those cells and written from the shaped text.
//!
//! It covers the common paragraph: no controls (the sanitizer would rewrite them), no
//! tabs, no explicit embeddings, overrides or isolates, lines reordered. For any other it
//! declines before writing anything, and the caller runs the full engine. Levels come
//! from the same resolvers as in the full engine: a paragraph in one direction is at one
//! level throughout, a mixed one goes through `implicit::resolve_into`.
//!
//! `tests/render_pass.rs` holds it to the full engine's output on generated and real text.

use std::cell::RefCell;
use std::ops::Range;

use unicode_bidi::BidiClass;
use unicode_linebreak::BreakOpportunity;

use super::LayoutOptions;
use super::char_props::CharProps;
use super::shape::{self, Form};
use super::wrap::{self, Break, WrapItem};
use super::{BaseDirection, Harakat};

/// A cell of the shaped text: a base character with its marks.
#[derive(Debug, Clone, Copy)]
struct PassCell {
    /// Where its text ends in the shaped text (it starts where the cell before ends).
    end: u32,
    width: u16,
    /// The level of its base character.
    level: u8,
    flags: u8,
}

/// The cell prints only whitespace, or nothing.
const BLANK: u8 = 1;
/// Rule L1 resets the cell to the paragraph level at the end of a line.
const RESETTABLE: u8 = 2;
const BREAK_ALLOWED: u8 = 4;
const BREAK_MANDATORY: u8 = 8;

impl WrapItem for PassCell {
    #[inline]
    fn width(&self) -> u16 {
        self.width
    }
    #[inline]
    fn blank(&self) -> bool {
        self.flags & BLANK != 0
    }
    #[inline]
    fn break_before(&self) -> Break {
        if self.flags & BREAK_MANDATORY != 0 {
            Break::Mandatory
        } else if self.flags & BREAK_ALLOWED != 0 {
            Break::Allowed
        } else {
            Break::Never
        }
    }
    #[inline]
    fn breaks_before(&self) -> bool {
        self.flags & (BREAK_ALLOWED | BREAK_MANDATORY) != 0
    }
}

/// The level of each character: one for the whole paragraph, or one each.
trait Levels {
    fn at(&self, i: usize) -> u8;
    /// True when every character is at the same level.
    fn uniform(&self) -> bool;
}

struct Uniform(u8);

impl Levels for Uniform {
    #[inline]
    fn at(&self, _: usize) -> u8 {
        self.0
    }
    #[inline]
    fn uniform(&self) -> bool {
        true
    }
}

impl Levels for &[u8] {
    #[inline]
    fn at(&self, i: usize) -> u8 {
        self[i]
    }
    #[inline]
    fn uniform(&self) -> bool {
        false
    }
}

/// Buffers kept from one paragraph to the next, one set per thread.
#[derive(Default)]
struct Scratch {
    /// The characters and their properties: the first `n` of each. Both are written by
    /// index and never shortened, so that no write checks their capacity.
    chars: Vec<char>,
    props: Vec<CharProps>,
    n: usize,
    /// The bidi classes, for the implicit resolver, and the levels it gives.
    classes: Vec<BidiClass>,
    levels: Vec<u8>,
    /// The shaped text, written by index: it is longer than what it holds (see
    /// [`Scratch::shape_cells`]); `shaped_len` bytes are the text.
    shaped: Vec<u8>,
    shaped_len: usize,
    /// The cells: the first `cell_count`, written by index like `chars`.
    cells: Vec<PassCell>,
    /// The index of each cell's base character, to place the break opportunities when
    /// they are needed (the first `cell_count`).
    cell_sources: Vec<u32>,
    cell_count: usize,
    /// The width of all the cells, as `shape_cells` leaves it.
    total_width: u32,
    /// The levels of the line's cells after rule L1, when they are not all one.
    line_levels: Vec<u8>,
    /// The runs of the line's cells in visual order, when they are not all one level.
    runs: Vec<super::bidi::VisualRun>,
    /// The text of a line being cut (`write_line_over`).
    line: Vec<u8>,
}

/// Above this many characters, the buffers are given back after the paragraph.
const KEEP_CHARS: usize = 1 << 16;

/// Bytes copied at once when a cell is copied: cells are a few bytes long, and a copy
/// of a fixed size is cheaper than a call to memcpy. The shaped text and each line
/// being written have this much room past their end.
const COPY: usize = 8;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Appends the visual lines of `paragraph` to `out` exactly as
/// [`super::PreparedParagraph::write_lines`] would, and returns true; or returns false,
/// having written nothing, when the paragraph needs the full engine (see the module
/// comment).
pub fn try_write_paragraph(
    paragraph: &str,
    options: &LayoutOptions,
    width: Option<u16>,
    pad: bool,
    out: &mut Vec<u8>,
) -> bool {
    if !options.reorder || paragraph.len() > super::chunk::CHUNK_BYTES {
        return false;
    }
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => {
            let done = scratch.write(paragraph, options, width, pad, out);
            if scratch.chars.capacity() > KEEP_CHARS {
                *scratch = Scratch::default();
            }
            done
        }
        Err(_) => false,
    })
}

impl Scratch {
    fn write(
        &mut self,
        paragraph: &str,
        options: &LayoutOptions,
        width: Option<u16>,
        pad: bool,
        out: &mut Vec<u8>,
    ) -> bool {
        let table = CharProps::table();
        // A paragraph has at most as many characters as bytes.
        let room = paragraph.len();
        if self.chars.len() < room {
            self.chars.resize(room, '\0');
        }
        if self.props.len() < room {
            self.props.resize(room, CharProps::from_bits(0));
        }
        let mut seen = 0u32;
        let mut any = 0u32;
        let mut n = 0;
        let slots = self.chars[..room].iter_mut().zip(&mut self.props[..room]);
        for (c, (char_slot, props_slot)) in paragraph.chars().zip(slots) {
            let props = CharProps::lookup(table, c);
            seen |= 1 << props.class_index();
            any |= props.bits();
            *char_slot = c;
            *props_slot = props;
            n += 1;
        }
        self.n = n;
        let any = CharProps::from_bits(any);
        if any.needs_full_engine() {
            return false;
        }
        let paragraph_level = match options.base {
            BaseDirection::Rtl => 1,
            BaseDirection::Ltr => 0,
            // P2, P3 (there are no isolates here).
            BaseDirection::Auto => self.props[..n]
                .iter()
                .find_map(|p| match p.class() {
                    BidiClass::L => Some(0),
                    BidiClass::R | BidiClass::AL => Some(1),
                    _ => None,
                })
                .unwrap_or(0),
        };
        let bit = |class: BidiClass| 1u32 << (class as u32);
        // The same shortcuts as `bidi::ParagraphLevels::resolve`.
        let one_level = if paragraph_level == 0 {
            seen & (bit(BidiClass::R) | bit(BidiClass::AL) | bit(BidiClass::AN)) == 0
        } else {
            seen & (bit(BidiClass::L) | bit(BidiClass::EN) | bit(BidiClass::AN)) == 0
        };
        let (width, pad) = super::write_width(width, pad);
        let breaks = Breaks {
            needed_anyway: any.mandatory_break(),
            common: !any.other_break_class(),
        };
        if one_level {
            let levels = Uniform(paragraph_level);
            self.shape_cells(paragraph, &levels, options, width, breaks);
            self.write_lines(&levels, paragraph_level, width, pad, out);
        } else {
            self.classes.clear();
            self.classes
                .extend(self.props[..n].iter().map(|p| p.class()));
            let mut levels = std::mem::take(&mut self.levels);
            super::implicit::resolve_into(
                &mut levels,
                &self.chars[..n],
                &self.classes,
                paragraph_level,
            );
            let kept: &[u8] = &levels;
            self.shape_cells(paragraph, &kept, options, width, breaks);
            self.write_lines(&kept, paragraph_level, width, pad, out);
            self.levels = levels;
        }
        true
    }

    /// Shapes the characters, mirrors them, groups them into cells and marks the break
    /// opportunities before cells: `prepare`'s work, into `shaped` and `cells`.
    /// Break opportunities are looked for only when the paragraph is wider than `width`
    /// or has a mandatory break: otherwise it is one line whatever they are.
    fn shape_cells<L: Levels>(
        &mut self,
        text: &str,
        levels: &L,
        options: &LayoutOptions,
        width: u32,
        breaks: Breaks,
    ) {
        let Self {
            chars,
            props,
            n,
            shaped,
            cells,
            cell_sources,
            cell_count,
            ..
        } = self;
        let n = *n;
        let (chars, props) = (&chars[..n], &props[..n]);
        // A cell per character at most.
        let empty = PassCell {
            end: 0,
            width: 0,
            level: 0,
            flags: 0,
        };
        if cells.len() < n + 1 {
            cells.resize(n + 1, empty);
        }
        if cell_sources.len() < n + 1 {
            cell_sources.resize(n + 1, 0);
        }
        let cells = &mut cells[..n + 1];
        let cell_sources = &mut cell_sources[..n + 1];
        *cell_count = 0;
        self.total_width = 0;
        let mut count = 0usize;
        // Each character prints at most one character of at most four bytes.
        let room = 4 * n + COPY;
        if shaped.len() < room {
            shaped.resize(room, 0);
        }
        let shaped = &mut shaped[..room];
        self.shaped_len = 0;
        if n == 0 {
            return;
        }
        let shaping = options.shaping;
        let strip = options.harakat == Harakat::Strip;
        let low_forms = shape::low_presentation_forms();

        // The open cell.
        let mut has_base = false;
        let mut base_level = levels.at(0);
        let mut base_props = props[0];
        let mut base_index = 0u32;
        let mut cell_width = 0u16;
        let mut blank = true;
        let mut total_width = 0u32;

        // Shaping state: the level of the last joining character when it joins forward.
        let mut prev_forward: Option<u8> = None;
        let mut ligated_at = usize::MAX;

        let mut pos = 0usize;
        for i in 0..n {
            let c = chars[i];
            let p = props[i];
            let shaped_char = if i == ligated_at {
                None
            } else if !shaping || p.transparent() {
                Some(c)
            } else {
                if p.non_joining() {
                    prev_forward = None;
                    Some(c)
                } else {
                    let level = levels.at(i);
                    let joins_prev = p.joins_backward() && prev_forward == Some(level);
                    let mut next = i + 1;
                    while next < n && props[next].transparent() {
                        next += 1;
                    }
                    let joins_next = p.joins_forward()
                        && next < n
                        && props[next].joins_backward()
                        && levels.at(next) == level;
                    let mut ligature = None;
                    if c == shape::LAM {
                        let mut j = i + 1;
                        while j < n && levels.at(j) == level && props[j].mark() {
                            j += 1;
                        }
                        if j < n
                            && let Some((isolated, final_form)) = shape::lam_alef(chars[j])
                            && levels.at(j) == level
                        {
                            ligated_at = j;
                            ligature = Some(if joins_prev { final_form } else { isolated });
                        }
                    }
                    if let Some(ligature) = ligature {
                        prev_forward = None;
                        Some(ligature)
                    } else {
                        let form = if p.causing() {
                            None
                        } else {
                            Some(match (joins_prev, joins_next) {
                                (true, true) => Form::Medial,
                                (true, false) => Form::Final,
                                (false, true) => Form::Initial,
                                (false, false) => Form::Isolated,
                            })
                        };
                        prev_forward = p.joins_forward().then_some(level);
                        Some(
                            form.and_then(|form| match low_forms.get(c as usize) {
                                Some(forms) => match forms[form as usize] {
                                    0 => None,
                                    cp => char::from_u32(u32::from(cp)),
                                },
                                None => shape::presentation_form(c, form),
                            })
                            .unwrap_or(c),
                        )
                    }
                }
            };

            let char_width = p.width();
            if char_width > 0 && shaped_char.is_some() {
                if has_base {
                    cells[count] = PassCell {
                        end: pos as u32,
                        width: cell_width,
                        level: base_level,
                        flags: cell_flags(blank, base_props, 0),
                    };
                    cell_sources[count] = base_index;
                    count += 1;
                    total_width += u32::from(cell_width);
                    cell_width = 0;
                    blank = true;
                }
                has_base = true;
                base_level = levels.at(i);
                base_props = p;
                base_index = i as u32;
            }
            let Some(shaped_char) = shaped_char else {
                continue;
            };
            if p.hidden() || (strip && p.haraka()) {
                continue;
            }
            // A character of class ON in a right-to-left cell prints mirrored, when it
            // has a mirror other than itself.
            let mirrored =
                if base_level % 2 == 1 && p.is(BidiClass::ON) && (shaped_char != c || p.mirrored())
                {
                    unicode_bidi_mirroring::get_mirrored(shaped_char).filter(|&m| m != shaped_char)
                } else {
                    None
                };
            match mirrored {
                None => {
                    pos = put_char(shaped, pos, shaped_char);
                    if shaped_char == c {
                        blank &= p.white_space();
                    } else {
                        // A presentation form or a ligature: a letter (the char_props
                        // tests check that no form is whitespace).
                        blank = false;
                    }
                    cell_width += char_width;
                }
                Some(printed) => {
                    pos = put_char(shaped, pos, printed);
                    if printed == c {
                        blank &= p.white_space();
                        cell_width += char_width;
                    } else {
                        blank &= super::is_white_space(printed);
                        cell_width += super::char_width(printed);
                    }
                }
            }
        }
        cells[count] = PassCell {
            end: pos as u32,
            width: cell_width,
            level: base_level,
            flags: cell_flags(blank, base_props, 0),
        };
        cell_sources[count] = base_index;
        count += 1;
        *cell_count = count;
        let (cells, cell_sources) = (&mut cells[..count], &cell_sources[..count]);
        total_width += u32::from(cell_width);
        self.total_width = total_width;
        self.shaped_len = pos;
        if breaks.needed_anyway || total_width > width {
            if breaks.common {
                mark_common_breaks(props, cells, cell_sources);
            } else {
                mark_breaks(text, chars, cells, cell_sources);
            }
        }
    }

    /// Wraps the cells at `width` and writes each line, as `write_lines` does.
    fn write_lines<L: Levels>(
        &mut self,
        levels: &L,
        paragraph_level: u8,
        width: u32,
        pad: bool,
        out: &mut Vec<u8>,
    ) {
        // Each line is written as the wrapper finds it: no list of lines is kept.
        let mut lines = wrap::LineCursor::new(width);
        while let Some(line) = lines.next_line(&self.cells[..self.cell_count]) {
            self.write_line(line, levels, paragraph_level, width, pad, out);
        }
    }

    /// Where cell `k` starts in the shaped text.
    #[inline]
    fn cell_start(&self, k: usize) -> usize {
        if k == 0 {
            0
        } else {
            self.cells[k - 1].end as usize
        }
    }

    /// The levels of the cells in `range` after rule L1, into `line_levels`.
    fn line_levels(&mut self, range: Range<usize>, paragraph_level: u8) {
        let cells = &self.cells[range];
        self.line_levels.clear();
        self.line_levels.extend(cells.iter().map(|c| c.level));
        for (level, cell) in self.line_levels.iter_mut().zip(cells).rev() {
            if cell.flags & RESETTABLE == 0 {
                break;
            }
            *level = paragraph_level;
        }
    }

    /// How the line's cells go left to right: in logical order, reversed, or by rule
    /// L2 (then `line_levels` holds the levels).
    fn line_order<L: Levels>(
        &mut self,
        range: Range<usize>,
        levels: &L,
        paragraph_level: u8,
    ) -> Order {
        if levels.uniform() {
            // Every cell is at the paragraph level, and so is whatever L1 resets.
            return if paragraph_level % 2 == 1 {
                Order::Reversed
            } else {
                Order::Logical
            };
        }
        self.line_levels(range, paragraph_level);
        let first = self.line_levels.first().copied().unwrap_or(0);
        if self.line_levels.iter().all(|&l| l == first) {
            if first % 2 == 1 {
                Order::Reversed
            } else {
                Order::Logical
            }
        } else {
            Order::Levels
        }
    }

    /// One line, as `write_line_directly` writes a line whose cells fit in `width`, and
    /// as `visual_line` does any other.
    fn write_line<L: Levels>(
        &mut self,
        line: wrap::Line,
        levels: &L,
        paragraph_level: u8,
        width: u32,
        pad: bool,
        out: &mut Vec<u8>,
    ) {
        let range = line.units;
        let order = self.line_order(range.clone(), levels, paragraph_level);
        // Only right-to-left lines are padded.
        let pad = pad && paragraph_level % 2 == 1;
        // The cells of a line take far fewer than `u32::MAX` columns.
        let total = u32::try_from(line.width).unwrap_or(u32::MAX);
        if total <= width {
            self.write_cells(range, order, total, width, pad, out);
        } else if let Some((shown, shown_width)) = self.hang(range.clone(), total, width) {
            self.write_cells(
                range.start..range.start + shown,
                order,
                shown_width,
                width,
                pad,
                out,
            );
        } else {
            self.write_line_over(range, order, total, width, pad, out);
        }
    }

    /// A line over `width` only because of whitespace that hangs (the common line over
    /// the width): how many of its first cells print, and their width. `None` when it
    /// is more than that (a cell wider than the line, or one hidden that takes no
    /// column and so still prints): `write_line_over` writes those.
    fn hang(&self, range: Range<usize>, total: u32, width: u32) -> Option<(usize, u32)> {
        let cells = &self.cells[range];
        let (shown, shown_width) = shown_cells(cells, total, width);
        let fits = shown_width <= width
            && cells[..shown].iter().all(|c| u32::from(c.width) <= width)
            && cells[shown..].iter().all(|c| c.width > 0);
        fits.then_some((shown, shown_width))
    }

    /// Writes the cells of `range`, which take `total` columns, no more than `width`,
    /// in the line's `order` (with `pad`, right-aligned at `width`); `line_levels`
    /// holds their levels when the order is by levels.
    fn write_cells(
        &mut self,
        range: Range<usize>,
        order: Order,
        total: u32,
        width: u32,
        pad: bool,
        out: &mut Vec<u8>,
    ) {
        let first = self.cell_start(range.start);
        let last = self.cells[range.clone()]
            .last()
            .map_or(first, |c| c.end as usize);
        if pad && last > first {
            out.resize(out.len() + width.saturating_sub(total) as usize, b' ');
        }
        match order {
            Order::Logical => out.extend_from_slice(&self.shaped[first..last]),
            Order::Reversed => {
                let at = out.len();
                out.resize(at + (last - first) + COPY, 0);
                let at = copy_reversed(&self.cells, &self.shaped, range, out, at);
                out.truncate(at);
            }
            Order::Levels => {
                super::bidi::visual_runs_into(&self.line_levels[..range.len()], &mut self.runs);
                let mut at = out.len();
                out.resize(at + (last - first) + COPY, 0);
                for run in &self.runs {
                    let cells = range.start + run.start as usize..range.start + run.end as usize;
                    at = if run.reversed() {
                        copy_reversed(&self.cells, &self.shaped, cells, out, at)
                    } else {
                        let text =
                            self.cell_start(cells.start)..self.cells[cells.end - 1].end as usize;
                        let end = at + text.len();
                        out[at..end].copy_from_slice(&self.shaped[text]);
                        end
                    };
                }
                out.truncate(at);
            }
        }
        out.push(b'\n');
    }

    /// `visual_line` without cells: a line over `width`, whose hanging whitespace is not
    /// printed and whose cells wider than the line are cut.
    /// `total` is the width of all its cells; `pad` is set for a right-to-left line
    /// that is to be padded.
    fn write_line_over(
        &mut self,
        range: Range<usize>,
        order: Order,
        total: u32,
        width: u32,
        pad: bool,
        out: &mut Vec<u8>,
    ) {
        let (hidden_from, _) = shown_cells(&self.cells[range.clone()], total, width);
        let mut line = std::mem::take(&mut self.line);
        line.clear();
        let mut line_width = 0u16;
        let mut emit = |i: usize| {
            let k = range.start + i;
            let cell = self.cells[k];
            let text = &self.shaped[self.cell_start(k)..cell.end as usize];
            let mut cell_width = if i >= hidden_from { 0 } else { cell.width };
            if u32::from(cell_width) > width {
                let width = width as u16;
                let spaces = text.iter().filter(|&&b| b == b' ').count();
                let excess = usize::from(cell_width - width);
                if spaces >= excess {
                    let mut dropped = 0;
                    for &b in text {
                        if b == b' ' && dropped < excess {
                            dropped += 1;
                        } else {
                            line.push(b);
                        }
                    }
                    cell_width = width;
                } else {
                    line.extend_from_slice("\u{2026}".as_bytes());
                    cell_width = 1;
                }
            } else if cell_width > 0 || cell.width == 0 {
                line.extend_from_slice(text);
            }
            line_width = line_width.saturating_add(cell_width);
        };
        let count = range.len();
        match order {
            Order::Logical => (0..count).for_each(&mut emit),
            Order::Reversed => (0..count).rev().for_each(&mut emit),
            Order::Levels => super::bidi::visual_order(&self.line_levels)
                .into_iter()
                .for_each(&mut emit),
        }
        if pad && !line.is_empty() {
            let indent = width.saturating_sub(u32::from(line_width));
            out.resize(out.len() + indent as usize, b' ');
        }
        out.extend_from_slice(&line);
        out.push(b'\n');
        self.line = line;
    }
}

/// Hanging whitespace: of the cells of a line over `width`, which take `total` columns,
/// how many come before the whitespace at its end that goes past `width` and is not
/// printed, and their width.
fn shown_cells(cells: &[PassCell], total: u32, width: u32) -> (usize, u32) {
    let mut shown = cells.len();
    let mut shown_width = total;
    while shown_width > width && shown > 0 && cells[shown - 1].flags & BLANK != 0 {
        shown -= 1;
        shown_width -= u32::from(cells[shown].width);
    }
    (shown, shown_width)
}

/// How a line's cells are ordered left to right.
enum Order {
    Logical,
    Reversed,
    Levels,
}

#[inline]
fn cell_flags(blank: bool, base: CharProps, break_flags: u8) -> u8 {
    break_flags | (u8::from(blank) * BLANK) | (u8::from(base.trailing_resettable()) * RESETTABLE)
}

/// Writes `c` in UTF-8 at `pos` of `buf`, which has at least four bytes from `pos` on;
/// returns where the next character goes. Four bytes are stored at once, whatever the
/// length: a store of fixed size instead of a byte at a time.
#[inline]
pub(crate) fn put_char(buf: &mut [u8], pos: usize, c: char) -> usize {
    let cp = c as u32;
    let (bytes, len) = if cp < 0x80 {
        (cp, 1)
    } else if cp < 0x800 {
        (0xC0 | (cp >> 6) | ((0x80 | (cp & 0x3F)) << 8), 2)
    } else if cp < 0x10000 {
        (
            0xE0 | (cp >> 12) | ((0x80 | ((cp >> 6) & 0x3F)) << 8) | ((0x80 | (cp & 0x3F)) << 16),
            3,
        )
    } else {
        (
            0xF0 | (cp >> 18)
                | ((0x80 | ((cp >> 12) & 0x3F)) << 8)
                | ((0x80 | ((cp >> 6) & 0x3F)) << 16)
                | ((0x80 | (cp & 0x3F)) << 24),
            4,
        )
    };
    buf[pos..pos + 4].copy_from_slice(&bytes.to_le_bytes());
    pos + len
}

/// Copies the text of `cells[range]`, which is not empty, from `shaped` to `out` at
/// `at`, the last cell first; `out` has [`COPY`] bytes of room past them. Returns where
/// the next cell goes.
#[inline]
fn copy_reversed(
    cells: &[PassCell],
    shaped: &[u8],
    range: Range<usize>,
    out: &mut [u8],
    mut at: usize,
) -> usize {
    let first = if range.start == 0 {
        0
    } else {
        cells[range.start - 1].end as usize
    };
    let cells = &cells[range];
    // Each cell starts where the one before it ends: walking the cells from the last,
    // the end of each one before gives where the next to copy starts, and the first
    // starts at `first`.
    let mut end = cells.last().map_or(first, |c| c.end as usize);
    for before in cells.iter().rev().skip(1) {
        let start = before.end as usize;
        at = copy_cell(shaped, start..end, out, at);
        end = start;
    }
    copy_cell(shaped, first..end, out, at)
}

/// Copies `shaped[cell]` to `out` at `at`, where `out` has [`COPY`] bytes of room past
/// the cell (and `shaped` past the text); returns where the next cell goes.
#[inline]
fn copy_cell(shaped: &[u8], cell: Range<usize>, out: &mut [u8], at: usize) -> usize {
    let len = cell.end - cell.start;
    if len <= COPY {
        out[at..at + COPY].copy_from_slice(&shaped[cell.start..cell.start + COPY]);
    } else {
        out[at..at + len].copy_from_slice(&shaped[cell]);
    }
    at + len
}

/// What the paragraph's characters say of its break opportunities.
#[derive(Clone, Copy)]
struct Breaks {
    /// A mandatory break: they are needed whatever the width.
    needed_anyway: bool,
    /// Every character is of a class `breaks` covers.
    common: bool,
}

/// Marks the break opportunities before cells, from each character's class
/// ([`super::breaks::Breaker`]); `sources` holds the index of each cell's base
/// character. Only for paragraphs of the classes it covers.
fn mark_common_breaks(props: &[CharProps], cells: &mut [PassCell], sources: &[u32]) {
    let mut breaker = super::breaks::Breaker::new();
    let mut k = 1;
    for (i, p) in props.iter().enumerate() {
        let allowed = breaker.next(p.break_class());
        if sources.get(k) == Some(&(i as u32)) {
            if allowed {
                cells[k].flags |= BREAK_ALLOWED;
            }
            k += 1;
        }
    }
}

/// Marks the UAX #14 break opportunities (unicode-linebreak) before the cells whose
/// base character starts where one is; `sources` holds the index of each cell's base
/// character in `chars`, the characters of `text`.
fn mark_breaks(text: &str, chars: &[char], cells: &mut [PassCell], sources: &[u32]) {
    // Where each cell starts in `text`.
    let mut starts = Vec::with_capacity(sources.len());
    let mut byte = 0u32;
    let mut k = 0;
    for (i, c) in chars.iter().enumerate() {
        if sources.get(k) == Some(&(i as u32)) {
            starts.push(byte);
            k += 1;
        }
        byte += c.len_utf8() as u32;
    }
    // The first cell starts the paragraph: no break is read before it.
    let mut k = 1;
    for (at, opportunity) in unicode_linebreak::linebreaks(text) {
        let at = at as u32;
        while k < starts.len() && starts[k] < at {
            k += 1;
        }
        if k == starts.len() {
            break;
        }
        if starts[k] == at {
            cells[k].flags |= match opportunity {
                BreakOpportunity::Mandatory => BREAK_MANDATORY,
                BreakOpportunity::Allowed => BREAK_ALLOWED,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cells of `text` with their break flags from the pass's own table and from
    /// unicode-linebreak.
    fn both_ways(text: &str) -> (Vec<u8>, Vec<u8>) {
        let mut scratch = Scratch::default();
        let table = CharProps::table();
        scratch.chars.extend(text.chars());
        scratch
            .props
            .extend(text.chars().map(|c| CharProps::lookup(table, c)));
        scratch.n = scratch.chars.len();
        let no_breaks = Breaks {
            needed_anyway: false,
            common: true,
        };
        let options = LayoutOptions::default();
        scratch.shape_cells(text, &Uniform(1), &options, u32::MAX, no_breaks);
        let count = scratch.cell_count;
        let sources = &scratch.cell_sources[..count];
        let mut own = scratch.cells[..count].to_vec();
        mark_common_breaks(&scratch.props, &mut own, sources);
        let mut reference = scratch.cells[..count].to_vec();
        mark_breaks(text, &scratch.chars, &mut reference, sources);
        let flags = |cells: &[PassCell]| cells.iter().map(|c| c.flags).collect();
        (flags(&own), flags(&reference))
    }

    #[test]
    fn own_break_table_marks_the_cells_unicode_linebreak_marks() {
        let pieces = [
            "ب", "لَا", "ة", "a", "7", "٣", "\u{64E}", "\u{651}", " ", "(", ")", "«", "»", "\"", ".",
            ",", "،", "؟", "!", "%", "-", "/", "$", "\u{2010}", "\u{AD}", "}", "\u{A0}",
        ];
        let mut state = 99u64;
        let mut with_breaks = 0;
        for _ in 0..5000 {
            let mut text = String::new();
            for _ in 0..24 {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(state >> 33) as usize % pieces.len()]);
            }
            assert!(
                text.chars()
                    .all(|c| !CharProps::lookup(CharProps::table(), c).other_break_class()),
                "{text:?}"
            );
            let (own, reference) = both_ways(&text);
            with_breaks += usize::from(reference.iter().any(|f| f & BREAK_ALLOWED != 0));
            assert_eq!(own, reference, "{text:?}");
        }
        assert!(with_breaks > 4000);
    }
}
