//! The output of the text pipeline: visual lines made of cells.
//!
//! A cell is what a terminal shows in one or more columns: a base character with its
//! marks, already shaped and mirrored. Cells are in visual order, left to right, and
//! each one remembers the byte range of the source paragraph it came from, so that a
//! click, the cursor or a search hit can be mapped back to the logical text.

use std::ops::Range;

/// One terminal cell (or two, for wide characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// Where the cell's text is in [`VisualLine::text`].
    pub text: Range<usize>,
    /// Columns the cell takes: 0 (nothing printed), 1 or 2.
    pub width: u16,
    /// The bytes of the source paragraph this cell stands for.
    pub source: Range<usize>,
    /// The resolved embedding level after rule L1 (odd: right-to-left).
    pub level: u8,
}

impl Cell {
    /// True when the cell stands for whitespace or prints nothing.
    pub fn is_blank(&self, line: &VisualLine) -> bool {
        self.width == 0 || line.cell_text(self).chars().all(char::is_whitespace)
    }
}

/// One line of a paragraph, in visual order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VisualLine {
    /// The text of all cells, left to right: what the terminal should print.
    pub text: String,
    /// The cells, left to right.
    pub cells: Vec<Cell>,
    /// The sum of the cells' widths.
    pub width: u16,
    /// True when the paragraph is right-to-left: the line is aligned to the right.
    pub rtl: bool,
    /// The bytes of the source paragraph on this line, in logical order.
    pub source: Range<usize>,
}

impl VisualLine {
    /// The text of one cell of this line.
    pub fn cell_text(&self, cell: &Cell) -> &str {
        &self.text[cell.text.clone()]
    }

    /// Columns to leave empty on the left so the line is aligned inside `width` columns:
    /// right-to-left lines end at the right edge, left-to-right ones start at the left.
    pub fn indent(&self, width: u16) -> u16 {
        if self.rtl {
            width.saturating_sub(self.width)
        } else {
            0
        }
    }

    /// The cell that covers source byte `offset`, if it is on this line.
    pub fn cell_at_source(&self, offset: usize) -> Option<usize> {
        self.cells
            .iter()
            .position(|c| c.source.start <= offset && offset < c.source.end)
    }

    /// The cell at screen column `column` (counted from the line's first cell).
    pub fn cell_at_column(&self, column: u16) -> Option<usize> {
        let mut x = 0u16;
        for (i, cell) in self.cells.iter().enumerate() {
            if cell.width > 0 && column < x + cell.width {
                return Some(i);
            }
            x += cell.width;
        }
        None
    }
}
