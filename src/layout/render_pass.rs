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
//! level throughout, a mixed one goes through `implicit::resolve`.
//!
//! `tests/render_pass.rs` holds it to the full engine's output on generated and real text.

use std::cell::RefCell;
use std::ops::Range;

use unicode_bidi::BidiClass;
use unicode_linebreak::BreakOpportunity;

use super::LayoutOptions;
use super::char_props::CharProps;
use super::shape::{self, Form, JoiningType};
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
    chars: Vec<char>,
    props: Vec<CharProps>,
    classes: Vec<BidiClass>,
    shaped: Vec<u8>,
    cells: Vec<PassCell>,
    line_levels: Vec<u8>,
    line: Vec<u8>,
}

/// Above this many characters, the buffers are given back after the paragraph.
const KEEP_CHARS: usize = 1 << 16;

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
        self.chars.clear();
        self.props.clear();
        let mut seen = 0u32;
        for c in paragraph.chars() {
            let props = CharProps::of(c);
            if props.needs_full_engine() {
                return false;
            }
            seen |= 1 << props.class_index();
            self.chars.push(c);
            self.props.push(props);
        }
        let paragraph_level = match options.base {
            BaseDirection::Rtl => 1,
            BaseDirection::Ltr => 0,
            // P2, P3 (there are no isolates here).
            BaseDirection::Auto => self
                .props
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
        if one_level {
            let levels = Uniform(paragraph_level);
            self.shape_cells(paragraph, &levels, options);
            self.write_lines(&levels, paragraph_level, width, pad, out);
        } else {
            self.classes.clear();
            self.classes.extend(self.props.iter().map(|p| p.class()));
            let levels = super::implicit::resolve(&self.chars, &self.classes, paragraph_level);
            let levels: &[u8] = &levels;
            self.shape_cells(paragraph, &levels, options);
            self.write_lines(&levels, paragraph_level, width, pad, out);
        }
        true
    }

    /// Shapes the characters, mirrors them, groups them into cells and marks the break
    /// opportunities before cells: `prepare`'s work, into `shaped` and `cells`.
    fn shape_cells<L: Levels>(&mut self, text: &str, levels: &L, options: &LayoutOptions) {
        let Self {
            chars,
            props,
            shaped,
            cells,
            ..
        } = self;
        let (chars, props) = (&chars[..], &props[..]);
        shaped.clear();
        cells.clear();
        shaped.reserve(text.len() + text.len() / 2);
        let n = chars.len();
        if n == 0 {
            return;
        }
        let shaping = options.shaping;
        let strip = options.harakat == Harakat::Strip;
        let mut breaks = unicode_linebreak::linebreaks(text);
        let mut next_break = breaks.next();

        // The open cell.
        let mut has_base = false;
        let mut base_level = levels.at(0);
        let mut base_props = props[0];
        let mut cell_width = 0u16;
        let mut blank = true;
        let mut break_flags = 0u8;

        // Shaping state: the level of the last joining character when it joins forward.
        let mut prev_forward: Option<u8> = None;
        let mut ligated_at = usize::MAX;

        let mut byte = 0usize;
        for i in 0..n {
            let c = chars[i];
            let p = props[i];
            let shaped_char = if i == ligated_at {
                None
            } else if !shaping || p.transparent() {
                Some(c)
            } else {
                let level = levels.at(i);
                let jt = p.joining();
                let joins_prev = jt.joins_backward() && prev_forward == Some(level);
                if jt == JoiningType::NonJoining {
                    prev_forward = None;
                    Some(c)
                } else {
                    let mut next = i + 1;
                    while next < n && props[next].transparent() {
                        next += 1;
                    }
                    let joins_next = jt.joins_forward()
                        && next < n
                        && props[next].joining().joins_backward()
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
                        let form = if jt == JoiningType::Causing {
                            None
                        } else {
                            Some(match (joins_prev, joins_next) {
                                (true, true) => Form::Medial,
                                (true, false) => Form::Final,
                                (false, true) => Form::Initial,
                                (false, false) => Form::Isolated,
                            })
                        };
                        prev_forward = jt.joins_forward().then_some(level);
                        Some(
                            form.and_then(|form| shape::presentation_form(c, form))
                                .unwrap_or(c),
                        )
                    }
                }
            };

            let char_width = p.width();
            if char_width > 0 && shaped_char.is_some() {
                if has_base {
                    cells.push(PassCell {
                        end: shaped.len() as u32,
                        width: cell_width,
                        level: base_level,
                        flags: cell_flags(blank, base_props, break_flags),
                    });
                    cell_width = 0;
                    blank = true;
                    break_flags = 0;
                    while let Some((at, _)) = next_break
                        && at < byte
                    {
                        next_break = breaks.next();
                    }
                    if let Some((at, opportunity)) = next_break
                        && at == byte
                    {
                        break_flags = match opportunity {
                            BreakOpportunity::Mandatory => BREAK_MANDATORY,
                            BreakOpportunity::Allowed => BREAK_ALLOWED,
                        };
                    }
                }
                has_base = true;
                base_level = levels.at(i);
                base_props = p;
            }
            byte += c.len_utf8();
            let Some(shaped_char) = shaped_char else {
                continue;
            };
            if p.hidden() || (strip && p.haraka()) {
                continue;
            }
            let printed =
                if base_level % 2 == 1 && p.is(BidiClass::ON) && (shaped_char != c || p.mirrored())
                {
                    unicode_bidi_mirroring::get_mirrored(shaped_char).unwrap_or(shaped_char)
                } else {
                    shaped_char
                };
            push_char(shaped, printed);
            if printed == c {
                blank &= p.white_space();
            } else if printed == shaped_char {
                // A presentation form or a ligature: a letter (the char_props tests check
                // that no form is whitespace).
                blank = false;
            } else {
                blank &= super::is_white_space(printed);
            }
            cell_width += if printed == shaped_char || printed == c {
                char_width
            } else {
                super::char_width(printed)
            };
        }
        cells.push(PassCell {
            end: shaped.len() as u32,
            width: cell_width,
            level: base_level,
            flags: cell_flags(blank, base_props, break_flags),
        });
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
        let lines = wrap::wrap(&self.cells, width);
        for range in lines {
            self.write_line(range, levels, paragraph_level, width, pad, out);
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
        range: Range<usize>,
        levels: &L,
        paragraph_level: u8,
        width: u32,
        pad: bool,
        out: &mut Vec<u8>,
    ) {
        let order = self.line_order(range.clone(), levels, paragraph_level);
        let cells = &self.cells[range.clone()];
        let total: u32 = cells.iter().map(|c| u32::from(c.width)).sum();
        if total > width {
            let rtl = paragraph_level % 2 == 1;
            return self.write_line_over(range, order, total, width, pad && rtl, out);
        }
        let first = self.cell_start(range.start);
        let last = cells.last().map_or(first, |c| c.end as usize);
        if pad && paragraph_level % 2 == 1 && last > first {
            out.resize(out.len() + (width - total) as usize, b' ');
        }
        match order {
            Order::Logical => out.extend_from_slice(&self.shaped[first..last]),
            Order::Reversed => {
                // Cells are a few bytes each: copied byte by byte, not by a call to
                // memcpy per cell.
                out.reserve(last - first);
                let mut end = last;
                for k in range.rev() {
                    let start = self.cell_start(k);
                    for &byte in &self.shaped[start..end] {
                        out.push(byte);
                    }
                    end = start;
                }
            }
            Order::Levels => {
                for i in super::bidi::visual_order(&self.line_levels) {
                    let k = range.start + i;
                    out.extend_from_slice(
                        &self.shaped[self.cell_start(k)..self.cells[k].end as usize],
                    );
                }
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
        let cells = &self.cells[range.clone()];
        let mut hidden_from = cells.len();
        let mut shown = total;
        while shown > width && hidden_from > 0 && cells[hidden_from - 1].flags & BLANK != 0 {
            hidden_from -= 1;
            shown -= u32::from(cells[hidden_from].width);
        }
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

/// How a line's cells are ordered left to right.
enum Order {
    Logical,
    Reversed,
    Levels,
}

#[inline]
fn cell_flags(blank: bool, base: CharProps, break_flags: u8) -> u8 {
    let mut flags = break_flags;
    if blank {
        flags |= BLANK;
    }
    if super::bidi::is_trailing_resettable(base.class()) {
        flags |= RESETTABLE;
    }
    flags
}

#[inline]
pub(crate) fn push_char(out: &mut Vec<u8>, c: char) {
    let cp = c as u32;
    // Byte by byte: `extend_from_slice` calls memcpy, costly for two bytes.
    if cp < 0x80 {
        out.push(cp as u8);
    } else if cp < 0x800 {
        out.push(0xC0 | (cp >> 6) as u8);
        out.push(0x80 | (cp & 0x3F) as u8);
    } else if cp < 0x10000 {
        out.push(0xE0 | (cp >> 12) as u8);
        out.push(0x80 | ((cp >> 6) & 0x3F) as u8);
        out.push(0x80 | (cp & 0x3F) as u8);
    } else {
        out.push(0xF0 | (cp >> 18) as u8);
        out.push(0x80 | ((cp >> 12) & 0x3F) as u8);
        out.push(0x80 | ((cp >> 6) & 0x3F) as u8);
        out.push(0x80 | (cp & 0x3F) as u8);
    }
}
