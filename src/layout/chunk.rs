//! Long paragraphs laid out in bounded pieces, so that memory does not grow with the
//! length of a paragraph.
//!
//! A paragraph longer than [`CHUNK_BYTES`] is laid out a piece at a time. Each piece
//! ends just after a space near [`CHUNK_BYTES`] (or at a character boundary when there is
//! none), and all its lines but the last are kept; the next piece's lines start where
//! that last line started, so lines are wrapped exactly as in one pass. A few bytes
//! before that are laid out with the piece as context, so that a word split between
//! lines keeps its joining. Every piece gets the base direction of the whole paragraph
//! (rules P2 and P3 over all of it).
//!
//! What a piece cannot know: bidi rules that look further than one line back (a number
//! after an Arabic letter more than a piece earlier, a bracket pair spanning pieces)
//! resolve as if the paragraph started at the piece; and a piece that is one line alone
//! (no break opportunity in [`CHUNK_BYTES`], or no wrapping) is cut there; a run of
//! blanks cut that way still hangs on its line. GNU FriBidi's
//! command line cuts its lines every 65,000 bytes, with no such care.

use std::ops::Range;

use unicode_bidi::BidiClass;

use super::{BaseDirection, Cell, LayoutOptions, PreparedParagraph, VisualLine, prepare, sanitize};

/// Paragraphs up to this many bytes are laid out whole.
pub const CHUNK_BYTES: usize = 256 * 1024;

/// Text before a piece's first line that is laid out with it, not shown: enough for
/// the letter that line's first letter joins to, even behind a few marks.
const CONTEXT_BYTES: usize = 64;

/// One piece of a long paragraph, laid out.
pub(crate) struct Piece<'a> {
    /// Where the piece starts in the paragraph.
    pub offset: usize,
    pub prepared: &'a PreparedParagraph,
    /// The wrapped lines (ranges of cells) to keep.
    pub lines: Vec<Range<usize>>,
    /// Whitespace that continues the line before the piece (a run of blanks cut between
    /// pieces): it hangs at the end of that line, as it would in one pass.
    pub hanging: Option<Range<usize>>,
}

/// Lays `paragraph` out in pieces and gives each to `each`, in order. `width` is the
/// wrapping width (`u32::MAX`: none).
pub(crate) fn for_each_piece(
    paragraph: &str,
    options: &LayoutOptions,
    width: u32,
    mut each: impl FnMut(Piece),
) {
    let options = LayoutOptions {
        base: base_direction(paragraph, options.base),
        ..*options
    };
    // Lines are kept from `first` on; the text before it, from `start`, is context for
    // shaping and bidi (the letter a line's first letter joins to).
    let (mut start, mut first) = (0, 0);
    // The piece before was cut with its last line in it (nothing carried over).
    let mut cut = false;
    loop {
        let end = piece_end(paragraph, first);
        let prepared = prepare(&paragraph[start..end], &options);
        let mut lines = prepared.wrap_from(prepared.first_cell_from(first - start), width);
        let last = end == paragraph.len();
        let next = if !last && lines.len() > 1 {
            let carried = lines.pop().unwrap_or_default();
            start + prepared.source_start(carried.start)
        } else {
            end
        };
        let hanging = (cut && lines.first().is_some_and(|l| prepared.all_blank(l.clone())))
            .then(|| lines.remove(0));
        each(Piece {
            offset: start,
            prepared: &prepared,
            lines,
            hanging,
        });
        if last {
            return;
        }
        cut = next == end;
        first = next;
        start = next.saturating_sub(CONTEXT_BYTES);
        while !paragraph.is_char_boundary(start) {
            start -= 1;
        }
    }
}

/// Where the piece that starts at `start` ends: the end of the paragraph when the rest
/// fits in [`CHUNK_BYTES`]; else just after the last space in the second half of the
/// allowance; else at the last character boundary within it.
fn piece_end(paragraph: &str, start: usize) -> usize {
    if paragraph.len() - start <= CHUNK_BYTES {
        return paragraph.len();
    }
    let mut limit = start + CHUNK_BYTES;
    while !paragraph.is_char_boundary(limit) {
        limit -= 1;
    }
    let half = start + CHUNK_BYTES / 2;
    match memchr::memrchr(b' ', &paragraph.as_bytes()[half..limit]) {
        Some(space) => half + space + 1,
        None => limit,
    }
}

/// The base direction of the whole paragraph: `base` unless it is `Auto`, then the
/// direction of its first strong character outside isolates (P2, P3), read a bounded
/// piece at a time from the sanitized text.
pub(crate) fn base_direction(paragraph: &str, base: BaseDirection) -> BaseDirection {
    if base != BaseDirection::Auto {
        return base;
    }
    let mut isolates = 0usize;
    let mut start = 0;
    while start < paragraph.len() {
        let mut end = (start + CHUNK_BYTES).min(paragraph.len());
        while !paragraph.is_char_boundary(end) {
            end -= 1;
        }
        let clean = sanitize::sanitize(&paragraph[start..end]);
        for c in clean.text.chars() {
            use BidiClass::*;
            match super::bidi::class_of(c) {
                LRI | RLI | FSI => isolates += 1,
                PDI => isolates = isolates.saturating_sub(1),
                L if isolates == 0 => return BaseDirection::Ltr,
                R | AL if isolates == 0 => return BaseDirection::Rtl,
                _ => {}
            }
        }
        start = end;
    }
    BaseDirection::Ltr
}

/// [`super::layout_paragraph`] for a paragraph of any length.
pub(crate) fn layout_long_paragraph(
    paragraph: &str,
    options: &LayoutOptions,
    width: u16,
) -> Vec<VisualLine> {
    let width = u32::from(width.max(1));
    let mut out: Vec<VisualLine> = Vec::new();
    for_each_piece(paragraph, options, width, |piece| {
        let shift = |r: Range<usize>| r.start + piece.offset..r.end + piece.offset;
        if let Some(hanging) = piece.hanging
            && let Some(before) = out.last_mut()
        {
            // Hidden, like hanging whitespace beyond the width: no columns, no text.
            let blank = piece.prepared.visual_line(hanging, width, true);
            let at = before.text.len();
            before.source.end = shift(blank.source).end;
            before
                .cells
                .extend(blank.cells.into_iter().map(|cell| Cell {
                    text: at..at,
                    width: 0,
                    source: shift(cell.source),
                    ..cell
                }));
        }
        for range in piece.lines {
            let mut line = piece.prepared.visual_line(range, width, true);
            line.source = shift(line.source);
            for cell in &mut line.cells {
                cell.source = shift(cell.source.clone());
            }
            out.push(line);
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_end_after_a_space_on_a_character_boundary() {
        let text = "ب ".repeat(CHUNK_BYTES);
        let end = piece_end(&text, 0);
        assert!(end <= CHUNK_BYTES && end > CHUNK_BYTES / 2);
        assert_eq!(&text[end - 1..end], " ");
        let no_space = "ب".repeat(CHUNK_BYTES);
        let end = piece_end(&no_space, 2);
        assert!(no_space.is_char_boundary(end));
        assert_eq!(piece_end("short", 0), 5);
    }

    #[test]
    fn base_direction_looks_past_the_first_piece() {
        let text = format!("{}مرحبا", "1 ".repeat(CHUNK_BYTES));
        assert_eq!(
            base_direction(&text, BaseDirection::Auto),
            BaseDirection::Rtl
        );
        let escaped = "\u{1b}[31mمرحبا";
        assert_eq!(
            base_direction(escaped, BaseDirection::Auto),
            BaseDirection::Rtl,
            "letters of an escape sequence do not count"
        );
    }
}
