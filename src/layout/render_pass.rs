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
use super::char_props::{CharProps, LOW_END};
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
// `CharProps::cell_flags` gives these two as they are numbered here.
const _: () = assert!(BLANK == 1 && RESETTABLE == 2);
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
        let Some(low) = CharProps::low(table) else {
            return false;
        };
        // A paragraph has at most as many characters as bytes; the properties have
        // one slot more, for the end sentinel (see `shape_cells`).
        let room = paragraph.len();
        if self.chars.len() < room {
            self.chars.resize(room, '\0');
        }
        if self.props.len() < room + 1 {
            self.props.resize(room + 1, END);
        }
        let first = read_chars(
            paragraph,
            table,
            low,
            &mut self.chars[..room],
            &mut self.props[..room],
        );
        let n = first.n;
        self.n = n;
        let any = CharProps::from_bits(first.any);
        if any.needs_full_engine() {
            return false;
        }
        let seen = first.seen;
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
        let common = !any.other_break_class();
        let needed_anyway = any.mandatory_break();
        let breaks = Breaks {
            needed_anyway,
            common,
            // The cells are at most as wide as the characters: a paragraph whose
            // characters fit is one line whatever its break opportunities.
            in_walk: common && (needed_anyway || first.width > width),
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
    /// or has a mandatory break: otherwise it is one line whatever they are. (When
    /// `breaks.in_walk` says so, they are marked during the walk, and may then be
    /// marked on a paragraph that turns out to fit, where wrapping ignores them.)
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
        // The end sentinel: neither transparent nor joining, it ends every look-ahead
        // for the next non-transparent character without a test of the index.
        if props.len() < n + 1 {
            props.resize(n + 1, END);
        }
        props[n] = END;
        let (chars, props) = (&chars[..n], &props[..n + 1]);
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
        // Each character prints at most one character of at most four bytes.
        let room = 4 * n + COPY;
        if shaped.len() < room {
            shaped.resize(room, 0);
        }
        *cell_count = 0;
        self.total_width = 0;
        self.shaped_len = 0;
        if n == 0 {
            return;
        }
        let cells = &mut cells[..n + 1];
        let cell_sources = &mut cell_sources[..n + 1];
        // The first cell, open: it gathers what comes before its base character.
        cells[0] = PassCell {
            end: 0,
            width: 0,
            level: levels.at(0),
            flags: BLANK | (props[0].cell_flags() & RESETTABLE),
        };
        cell_sources[0] = 0;
        let mut walk = ShapeWalk {
            chars,
            props,
            levels,
            encoded: shape::encoded_forms(),
            shaped: &mut shaped[..room],
            pos: 0,
            cells,
            sources: cell_sources,
            open: 0,
            based: false,
            total_width: 0,
            prev_forward: NO_LEVEL,
            ligated_at: usize::MAX,
            shaping: options.shaping,
            strip: options.harakat == Harakat::Strip,
        };
        let mut breaker = super::breaks::Breaker::new();
        let mut break_flags = |p: CharProps| {
            u8::from(breaks.in_walk && breaker.next(p.break_class())) * BREAK_ALLOWED
        };
        // Up to the first character with columns, which the first cell takes as its
        // base, the general way.
        let mut start = 0;
        while start < n && !walk.based {
            let (c, p, after) = (chars[start], props[start], props[start + 1]);
            let flags = break_flags(p);
            walk.other(start, c, p, after, flags);
            start += 1;
        }
        // Which characters take which short way, tested with one mask each.
        let plain = CharProps::PLAIN_BIT
            | if options.shaping {
                0
            } else {
                CharProps::LETTER_BIT
            };
        let letter = if options.shaping {
            CharProps::LETTER_BIT
        } else {
            0
        };
        let rest = chars[start..]
            .iter()
            .zip(&props[start..n])
            .zip(&props[start + 1..]);
        for (i, ((&c, &p), &after)) in (start..).zip(rest) {
            let flags = break_flags(p);
            if p.bits() & plain != 0 {
                walk.plain(i, c, p, flags);
            } else if p.bits() & letter != 0 {
                walk.letter(i, c, p, after, flags);
            } else {
                walk.other(i, c, p, after, flags);
            }
        }
        let (count, total_width, pos) = (walk.open + 1, walk.total_width, walk.pos);
        *cell_count = count;
        self.total_width = total_width;
        self.shaped_len = pos;
        let (cells, cell_sources) = (&mut cells[..count], &cell_sources[..count]);
        if !breaks.in_walk && (breaks.needed_anyway || total_width > width) {
            if breaks.common {
                mark_common_breaks(&props[..n], cells, cell_sources);
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

/// The properties after the last character: neither transparent nor joining.
const END: CharProps = CharProps::from_bits(0);

/// What the first walk over a paragraph finds besides its characters.
struct FirstWalk {
    /// The number of characters.
    n: usize,
    /// Bit `k` is set when a character of bidi class `k` is there.
    seen: u32,
    /// Every property bit of any character.
    any: u32,
    /// The width of all the characters: no fewer columns than the cells take.
    width: u32,
}

/// Decodes `text` into `chars` and each character's properties into `props` (each at
/// least as long as `text` has bytes). The text is valid UTF-8, most of it one or two
/// bytes a character, whose properties are below [`LOW_END`]: those are decoded here
/// and looked up with no range test; longer ones are decoded by `str::chars`.
#[inline]
fn read_chars(
    text: &str,
    table: &[CharProps],
    low: &[CharProps; LOW_END],
    chars: &mut [char],
    props: &mut [CharProps],
) -> FirstWalk {
    let bytes = text.as_bytes();
    let mut walk = FirstWalk {
        n: 0,
        seen: 0,
        any: 0,
        width: 0,
    };
    let mut at = 0;
    for (char_slot, props_slot) in chars.iter_mut().zip(props.iter_mut()) {
        let Some(&lead) = bytes.get(at) else {
            break;
        };
        let (c, p, len) = if lead < 0x80 {
            (char::from(lead), low[usize::from(lead)], 1)
        } else if lead < 0xE0 {
            let next = bytes.get(at + 1).copied().unwrap_or(0);
            let cp = (u32::from(lead & 0x1F) << 6) | u32::from(next & 0x3F);
            let c = char::from_u32(cp).unwrap_or('\u{FFFD}');
            (c, low[cp as usize], 2)
        } else {
            let c = text
                .get(at..)
                .and_then(|rest| rest.chars().next())
                .unwrap_or('\u{FFFD}');
            (c, CharProps::lookup(table, c), c.len_utf8())
        };
        walk.seen |= 1 << p.class_index();
        walk.any |= p.bits();
        walk.width += u32::from(p.width());
        *char_slot = c;
        *props_slot = p;
        walk.n += 1;
        at += len;
    }
    walk
}

/// No level: what `ShapeWalk::prev_forward` holds when the last joining character does
/// not join forward.
const NO_LEVEL: u32 = u32::MAX;

/// The form a joining character takes: an index into a row of
/// [`shape::encoded_forms`] (0 for the character itself, else `1 + Form as usize`),
/// or a Lam-Alef ligature.
enum Joined {
    Form(usize),
    Ligature(char),
}

/// The walk of [`Scratch::shape_cells`]: each character in turn shaped, mirrored and
/// written to the shaped text, and to the cells: a character with columns opens a cell,
/// written at once and brought up to date by the marks that follow it. Most characters
/// take one of two short ways ([`plain`](Self::plain) and [`letter`](Self::letter),
/// once the first cell has its base); [`other`](Self::other) is the general one.
struct ShapeWalk<'a, L: Levels> {
    chars: &'a [char],
    /// The properties, and the end sentinel after them.
    props: &'a [CharProps],
    levels: &'a L,
    encoded: &'static [[u32; 5]; shape::ENCODED_END],
    /// The shaped text, written from `pos` on.
    shaped: &'a mut [u8],
    pos: usize,
    /// The cells and their base characters; `open` is the last, still open.
    cells: &'a mut [PassCell],
    sources: &'a mut [u32],
    open: usize,
    /// The first cell has its base character.
    based: bool,
    total_width: u32,
    /// The level of the last joining character when it joins forward, else
    /// [`NO_LEVEL`].
    prev_forward: u32,
    /// The Alef that went into the last Lam-Alef ligature: it prints nothing.
    ligated_at: usize,
    shaping: bool,
    strip: bool,
}

impl<L: Levels> ShapeWalk<'_, L> {
    /// A character that prints as itself in a cell of its own (`CharProps::plain`,
    /// or any letter when shaping is off).
    #[inline(always)]
    fn plain(&mut self, i: usize, c: char, p: CharProps, break_flags: u8) {
        self.prev_forward = NO_LEVEL;
        match self.encoded.get(c as usize) {
            Some(row) => self.put(row[0]),
            None => self.pos = put_char(self.shaped, self.pos, c),
        }
        self.push_cell(i, p, self.levels.at(i), break_flags);
    }

    /// A joining letter, shaped (`CharProps::letter`): never whitespace, never
    /// mirrored, always a cell of its own unless it went into a ligature. `after` is
    /// the properties of the character after it.
    #[inline(always)]
    fn letter(&mut self, i: usize, c: char, p: CharProps, after: CharProps, break_flags: u8) {
        if i == self.ligated_at {
            return;
        }
        let level = self.levels.at(i);
        match (
            self.join(i, c, p, after, level),
            self.encoded.get(c as usize),
        ) {
            (Joined::Form(form), Some(row)) => self.put(row[form]),
            (Joined::Form(form), None) => {
                self.pos = put_char(self.shaped, self.pos, form_of(c, form));
            }
            (Joined::Ligature(ligature), _) => self.put(shape::encode(ligature)),
        }
        self.push_cell(i, p, level, break_flags);
    }

    /// The cell of the character at `i`, just written: its own, whose flags and width
    /// are its properties' (a letter's forms are one column and not blank, like the
    /// letter). Only once the first cell has its base.
    #[inline(always)]
    fn push_cell(&mut self, i: usize, p: CharProps, level: u8, break_flags: u8) {
        let width = p.width();
        self.open += 1;
        self.cells[self.open] = PassCell {
            end: self.pos as u32,
            width,
            level,
            flags: p.cell_flags() | break_flags,
        };
        self.sources[self.open] = i as u32;
        self.total_width += u32::from(width);
    }

    /// Any other character: the rules in full.
    fn other(&mut self, i: usize, c: char, p: CharProps, after: CharProps, break_flags: u8) {
        let shaped_char = if i == self.ligated_at {
            None
        } else if !self.shaping || p.transparent() {
            Some(c)
        } else if p.non_joining() {
            self.prev_forward = NO_LEVEL;
            Some(c)
        } else {
            Some(match self.join(i, c, p, after, self.levels.at(i)) {
                Joined::Form(form) => form_of(c, form),
                Joined::Ligature(ligature) => ligature,
            })
        };
        let char_width = p.width();
        if char_width > 0 && shaped_char.is_some() {
            self.start_cell(i, p, self.levels.at(i), break_flags);
        }
        let Some(shaped_char) = shaped_char else {
            return;
        };
        if p.hidden() || (self.strip && p.haraka()) {
            return;
        }
        // A character of class ON in a right-to-left cell prints mirrored, when it
        // has a mirror other than itself.
        let mirrored = if self.cells[self.open].level % 2 == 1
            && p.is(BidiClass::ON)
            && (shaped_char != c || p.mirrored())
        {
            unicode_bidi_mirroring::get_mirrored(shaped_char).filter(|&m| m != shaped_char)
        } else {
            None
        };
        let printed = mirrored.unwrap_or(shaped_char);
        self.pos = put_char(self.shaped, self.pos, printed);
        let (blank, width) = if printed == c {
            (p.white_space(), char_width)
        } else if mirrored.is_none() {
            // A presentation form or a ligature: a letter (the char_props tests check
            // that no form is whitespace), as wide as the letter.
            (false, char_width)
        } else {
            (super::is_white_space(printed), super::char_width(printed))
        };
        let cell = &mut self.cells[self.open];
        cell.end = self.pos as u32;
        cell.width += width;
        if !blank {
            cell.flags &= !BLANK;
        }
        self.total_width += u32::from(width);
    }

    /// Opens a cell at character `i`, of properties `p` at `level`, with nothing in it
    /// yet; or gives the first cell its base (what it gathered before stays in it).
    fn start_cell(&mut self, i: usize, p: CharProps, level: u8, break_flags: u8) {
        let resettable = p.cell_flags() & RESETTABLE;
        if self.based {
            self.open += 1;
            self.cells[self.open] = PassCell {
                end: self.pos as u32,
                width: 0,
                level,
                flags: BLANK | resettable | break_flags,
            };
        } else {
            self.based = true;
            let first = &mut self.cells[0];
            first.level = level;
            first.flags = (first.flags & BLANK) | resettable;
        }
        self.sources[self.open] = i as u32;
    }

    /// The joining rules for the joining character `c` at `i`, at `level`, with
    /// `after` the properties of the character after it: its form from whether it
    /// joins the non-transparent characters before and after it at the same level, or
    /// the ligature a Lam makes with the Alef after it.
    #[inline(always)]
    fn join(&mut self, i: usize, c: char, p: CharProps, after: CharProps, level: u8) -> Joined {
        let joins_prev = p.joins_backward() && self.prev_forward == u32::from(level);
        let joins_next = p.joins_forward() && {
            let (next, next_props) = if after.transparent() {
                self.next_solid(i + 2)
            } else {
                (i + 1, after)
            };
            next_props.joins_backward() && self.levels.at(next) == level
        };
        if c == shape::LAM
            && let Some(ligature) = self.lam_alef(i, level, joins_prev)
        {
            self.prev_forward = NO_LEVEL;
            return Joined::Ligature(ligature);
        }
        self.prev_forward = if p.joins_forward() {
            u32::from(level)
        } else {
            NO_LEVEL
        };
        if p.causing() {
            Joined::Form(0)
        } else {
            Joined::Form(1 + (usize::from(joins_prev) | (usize::from(joins_next) << 1)))
        }
    }

    /// The first character from `from` on that is not transparent, and its
    /// properties: the end sentinel stops the search.
    fn next_solid(&self, from: usize) -> (usize, CharProps) {
        let mut next = from;
        while self.props[next].transparent() {
            next += 1;
        }
        (next, self.props[next])
    }

    /// The ligature of the Lam at `i` with an Alef after it (marks between them at the
    /// same level do not stop it), noting the Alef in `ligated_at`.
    fn lam_alef(&mut self, i: usize, level: u8, joins_prev: bool) -> Option<char> {
        let n = self.chars.len();
        let mut j = i + 1;
        while j < n && self.levels.at(j) == level && self.props[j].mark() {
            j += 1;
        }
        let (isolated, final_form) = shape::lam_alef(*self.chars.get(j)?)?;
        if self.levels.at(j) != level {
            return None;
        }
        self.ligated_at = j;
        Some(if joins_prev { final_form } else { isolated })
    }

    /// Writes a character encoded by [`shape::encode`].
    #[inline(always)]
    fn put(&mut self, encoded: u32) {
        let bytes = (encoded & 0x00FF_FFFF).to_le_bytes();
        self.shaped[self.pos..self.pos + 4].copy_from_slice(&bytes);
        self.pos += (encoded >> 24) as usize;
    }
}

/// The character `c` in form `form` (as [`Joined::Form`] numbers them), or `c` where
/// that form is not encoded.
fn form_of(c: char, form: usize) -> char {
    const FORMS: [Form; 4] = [Form::Isolated, Form::Final, Form::Initial, Form::Medial];
    match form.checked_sub(1).and_then(|k| FORMS.get(k)) {
        Some(&form) => shape::presentation_form(c, form).unwrap_or(c),
        None => c,
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
    /// The walk marks them, with [`super::breaks::Breaker`] (only when `common`):
    /// when they will likely be needed, this saves a second walk.
    in_walk: bool,
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

    /// The cells of `text` with their break flags as the walk marks them, as the
    /// pass's own table marks them after the walk, and as unicode-linebreak does.
    fn three_ways(text: &str) -> [Vec<u8>; 3] {
        let mut scratch = Scratch::default();
        let table = CharProps::table();
        scratch.chars.extend(text.chars());
        scratch
            .props
            .extend(text.chars().map(|c| CharProps::lookup(table, c)));
        scratch.n = scratch.chars.len();
        let n = scratch.n;
        let options = LayoutOptions::default();
        let flags = |cells: &[PassCell]| cells.iter().map(|c| c.flags).collect();
        let in_walk = Breaks {
            needed_anyway: false,
            common: true,
            in_walk: true,
        };
        scratch.shape_cells(text, &Uniform(1), &options, u32::MAX, in_walk);
        let walked = flags(&scratch.cells[..scratch.cell_count]);
        let no_breaks = Breaks {
            in_walk: false,
            ..in_walk
        };
        scratch.shape_cells(text, &Uniform(1), &options, u32::MAX, no_breaks);
        let count = scratch.cell_count;
        let sources = &scratch.cell_sources[..count];
        let mut own = scratch.cells[..count].to_vec();
        mark_common_breaks(&scratch.props[..n], &mut own, sources);
        let mut reference = scratch.cells[..count].to_vec();
        mark_breaks(text, &scratch.chars[..n], &mut reference, sources);
        [walked, flags(&own), flags(&reference)]
    }

    #[test]
    fn own_break_table_marks_the_cells_unicode_linebreak_marks() {
        let pieces = [
            "ب", "لَا", "ة", "a", "7", "٣", "\u{64E}", "\u{651}", " ", "(", ")", "«", "»", "\"", ".",
            ",", "،", "؟", "!", "%", "-", "/", "$", "\u{2010}", "\u{AD}", "}", "\u{A0}",
        ];
        let mut rng = crate::layout::test_rng::Lcg(99);
        let mut with_breaks = 0;
        for _ in 0..5000 {
            let mut text = String::new();
            for _ in 0..24 {
                text.push_str(pieces[rng.below(pieces.len() as u64) as usize]);
            }
            assert!(
                text.chars()
                    .all(|c| !CharProps::lookup(CharProps::table(), c).other_break_class()),
                "{text:?}"
            );
            let [walked, own, reference] = three_ways(&text);
            with_breaks += usize::from(reference.iter().any(|f| f & BREAK_ALLOWED != 0));
            assert_eq!(own, reference, "{text:?}");
            assert_eq!(walked, reference, "{text:?}");
        }
        assert!(with_breaks > 4000);
    }
}
