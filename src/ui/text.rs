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
    let mut at = x;
    for cell in &line.cells {
        if cell.width == 0 {
            continue;
        }
        if at + cell.width > end {
            break;
        }
        let target = &mut buf[(at, y)];
        target.set_symbol(line.cell_text(cell));
        target.set_style(style_of(cell));
        for extra in 1..cell.width {
            buf[(at + extra, y)].reset();
            buf[(at + extra, y)].set_style(style_of(cell));
        }
        at += cell.width;
    }
    at - x
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
    if max_width == 0 || text.is_empty() {
        return 0;
    }
    let single_line = text.replace(['\n', '\r'], " ");
    let mut lines = layout_paragraph(&single_line, options, u16::MAX);
    let Some(mut line) = lines.pop() else {
        return 0;
    };
    if line.width > max_width {
        line = truncate(&single_line, options, max_width);
    }
    // No embedding marks here: these are short labels in a row of their own, and mlterm
    // gives the marks columns of their own, which pushed the status bar past its edge.
    draw_line(buf, x, y, max_width, &line, |_| style)
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
