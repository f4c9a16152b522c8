//! Putting the text engine's visual lines into a ratatui buffer, cell by cell.

use ratatui::buffer::Buffer;
use ratatui::style::Style;

use crate::layout::{Cell, LayoutOptions, VisualLine, layout_paragraph};

/// Draws `line` starting at column `x` of row `y`, in at most `max_width` columns,
/// styling each cell with `style_of`. Returns the columns used.
pub fn draw_line(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    max_width: u16,
    line: &VisualLine,
    style_of: impl Fn(&Cell) -> Style,
) -> u16 {
    let area = buf.area;
    if y < area.y || y >= area.bottom() {
        return 0;
    }
    let end = x.saturating_add(max_width).min(area.right());
    let mut used = 0;
    for (at, cell) in placed_cells(line, x, end) {
        let target = &mut buf[(at, y)];
        target.set_symbol(line.cell_text(cell));
        target.set_style(style_of(cell));
        for extra in 1..cell.width {
            buf[(at + extra, y)].reset();
            buf[(at + extra, y)].set_style(style_of(cell));
        }
        used = at + cell.width - x;
    }
    used
}

/// The printed cells of `line` with the column each starts at, from column `x`, as
/// many as fit before column `end`.
fn placed_cells(line: &VisualLine, x: u16, end: u16) -> impl Iterator<Item = (u16, &Cell)> {
    let mut at = x;
    line.cells
        .iter()
        .filter(|cell| cell.width > 0)
        .map_while(move |cell| {
            if at + cell.width > end {
                return None;
            }
            let start = at;
            at += cell.width;
            Some((start, cell))
        })
}

/// Right-to-left embedding and its end (RLE, PDF), around a line in logical order.
const RLE: char = '\u{202B}';
const PDF: char = '\u{202C}';

/// For a terminal that reorders by itself: marks the `width` columns drawn from column
/// `x` of row `y` as a right-to-left embedding, so that the terminal lays them out
/// right to left whatever the row's own direction (a trailing quote or comma then ends
/// up on the left, and Latin words inside keep their place). The marks take no column:
/// RLE goes with the cell before the line (the terminal attaches a zero-width
/// character to the cell before it), PDF with the line's last cell.
pub fn embed_rtl(buf: &mut Buffer, x: u16, y: u16, width: u16) {
    let area = buf.area;
    if width == 0 || y < area.y || y >= area.bottom() || x < area.x {
        return;
    }
    let last = (x + width - 1).min(area.right() - 1);
    if x > area.x {
        let before = &mut buf[(x - 1, y)];
        let symbol = format!("{}{RLE}", before.symbol());
        before.set_symbol(&symbol);
    } else {
        let first = &mut buf[(x, y)];
        let symbol = format!("{RLE}{}", first.symbol());
        first.set_symbol(&symbol);
    }
    let end = &mut buf[(last, y)];
    let symbol = format!("{}{PDF}", end.symbol());
    end.set_symbol(&symbol);
}

/// For a terminal that reorders but does not mirror (Konsole): mirrors the brackets
/// of the cells of `line` drawn from column `x` of row `y` whose level is right-to-left
/// (rule L4), which the terminal leaves as they are.
pub fn mirror_rtl_brackets(buf: &mut Buffer, x: u16, y: u16, width: u16, line: &VisualLine) {
    let area = buf.area;
    if y < area.y || y >= area.bottom() {
        return;
    }
    let end = x.saturating_add(width).min(area.right());
    for (at, cell) in placed_cells(line, x, end) {
        let text = line.cell_text(cell);
        if cell.level % 2 == 1 && text.chars().any(unicode_bidi_mirroring::is_mirroring) {
            let mirrored: String = text
                .chars()
                .map(|c| unicode_bidi_mirroring::get_mirrored(c).unwrap_or(c))
                .collect();
            buf[(at, y)].set_symbol(&mirrored);
        }
    }
}

/// Draws one short text (a label, a name, a message) through the text engine on row
/// `y`, in at most `max_width` columns. Text that does not fit is cut at its logical
/// end and ends with `…`. Returns the columns used.
pub fn draw_text(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    max_width: u16,
    text: &str,
    options: &LayoutOptions,
    style: Style,
) -> u16 {
    let Some(line) = label_line(text, options, max_width) else {
        return 0;
    };
    // No embedding marks here: these are short labels in a row of their own, and mlterm
    // gives the marks columns of their own, which pushed the status bar past its edge.
    draw_line(buf, x, y, max_width, &line, |_| style)
}

/// One short text laid out as one visual line of at most `max_width` columns (cut at
/// its logical end with `…` when it does not fit); its direction is in `rtl`. None for
/// an empty text or no room.
pub fn label_line(text: &str, options: &LayoutOptions, max_width: u16) -> Option<VisualLine> {
    if max_width == 0 || text.is_empty() {
        return None;
    }
    let single_line = text.replace(['\n', '\r'], " ");
    let line = layout_paragraph(&single_line, options, u16::MAX).pop()?;
    Some(if line.width > max_width {
        truncate(&single_line, options, max_width)
    } else {
        line
    })
}

/// `text` laid out in `width` columns with its logical end replaced by `…`.
fn truncate(text: &str, options: &LayoutOptions, width: u16) -> VisualLine {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut keep = chars.len();
    while keep > 0 {
        keep -= 1;
        let candidate = format!("{}\u{2026}", &text[..chars[keep].0]);
        let lines = layout_paragraph(&candidate, options, u16::MAX);
        if let Some(line) = lines.into_iter().next()
            && line.width <= width
        {
            return line;
        }
        // Cut faster through long texts.
        keep = keep.saturating_sub(keep / 8);
    }
    layout_paragraph("\u{2026}", options, width)
        .into_iter()
        .next()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;

    #[test]
    fn brackets_in_logical_rtl_text_are_mirrored_for_konsole() {
        let options = LayoutOptions {
            reorder: false,
            shaping: false,
            ..LayoutOptions::default()
        };
        let line = layout_paragraph("قال (نعم) ok (x)", &options, 40)
            .pop()
            .unwrap();
        let mut buf = Buffer::empty(Rect::new(0, 0, 20, 1));
        let used = draw_line(&mut buf, 0, 0, 20, &line, |_| Style::default());
        mirror_rtl_brackets(&mut buf, 0, 0, used, &line);
        let row: String = buf.content().iter().map(|c| c.symbol()).collect();
        // Logical order kept; the brackets around the Arabic word (right-to-left level)
        // are mirrored, those around the Latin one are not.
        assert_eq!(row.trim_end(), "قال )نعم( ok (x)");
    }
}
