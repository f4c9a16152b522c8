//! The last step before cells are sent: rearranging them for terminals that lay out
//! right-to-left text themselves, so that what they show is the screen qari drew.
//!
//! kitty has no BiDi algorithm but shapes text with HarfBuzz: it splits each row into
//! runs of cells drawn with the same font and hands each run to HarfBuzz, which guesses
//! the run's direction from its first character of a real script (not a space, digit or
//! punctuation mark). A run guessed right-to-left comes back reversed, its brackets
//! mirrored, and kitty puts the glyphs into the run's cells from the left. Spaces and
//! empty cells are never in a run (kitty draws them blank), box-drawing characters are
//! drawn one by one, and bold or italic cells use another font, so they start a run of
//! their own. Colours do not split runs and stay in their cells.
//!
//! qari's cells are already in visual order, so for kitty each right-to-left run gets its
//! characters reversed and mirrored back, and kitty's own reversal puts every character
//! into the cell it was drawn for. The styles are left where they are: kitty moves glyphs,
//! not colours, so the cursor highlight and search hits stay on their words.
//!
//! Harakat need one more step. kitty (0.26, `group_normal` in `kitty/fonts.c`) hands the
//! glyphs HarfBuzz returns to the run's cells from the left, each glyph taking as many
//! code points as lie between its cluster and the next glyph's. In a right-to-left run
//! the glyphs come in visual order with falling cluster numbers, so each glyph takes the
//! code point count of its logical predecessor, not its own: as long as every cell holds
//! as many code points as every other, that is the same number, but a letter with a mark
//! (two code points) next to a bare letter (one) shifts every glyph after it into the
//! wrong cell. So every cell of such a run is filled up with combining grapheme joiners
//! (U+034F: no width, no glyph, kept by kitty as a mark of the cell, ignored by
//! HarfBuzz's positioning) to the largest count in the run.

use ratatui::buffer::Buffer;
use ratatui::style::Modifier;
use unicode_width::UnicodeWidthStr;

/// How the cells of a finished frame are arranged for the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CellOrder {
    /// As drawn: terminals that show cells as given.
    #[default]
    AsShown,
    /// Each run kitty shapes right-to-left is stored reversed, so kitty shows it as drawn.
    KittyRuns,
    /// Logical order for a terminal that reorders by itself (`--bidi terminal`): every
    /// row starts with a left-to-right mark, so that the terminal lays the row out left to
    /// right (mlterm would otherwise take a row's direction from its first letter and
    /// move qari's alignment spaces to the other side); right-to-left lines inside are
    /// embeddings of their own ([`super::embed_rtl`]). With `marks_take_a_column`
    /// (mlterm gives every mark a column of its own), a mark replaces the blank next to
    /// it instead of joining its neighbour's cell, so rows keep their width.
    ///
    /// With `mirror_brackets` (Konsole, which reorders but leaves brackets as they
    /// are), brackets inside right-to-left text are sent mirrored.
    LtrRows {
        marks_take_a_column: bool,
        mirror_brackets: bool,
    },
}

impl CellOrder {
    /// True when qari mirrors the brackets of right-to-left text for the terminal.
    pub fn mirrors_brackets(self) -> bool {
        matches!(
            self,
            Self::LtrRows {
                mirror_brackets: true,
                ..
            }
        )
    }
}

/// Rearranges the cells of `buf` for the terminal.
pub fn apply(order: CellOrder, buf: &mut Buffer) {
    match order {
        CellOrder::AsShown => {}
        CellOrder::KittyRuns => {
            let area = buf.area;
            for y in area.top()..area.bottom() {
                reverse_kitty_runs(buf, y);
            }
        }
        CellOrder::LtrRows {
            marks_take_a_column,
            ..
        } => {
            let area = buf.area;
            for y in area.top()..area.bottom() {
                if marks_take_a_column {
                    give_marks_a_column(buf, y);
                    if buf[(area.x, y)].symbol() == " " {
                        buf[(area.x, y)].set_symbol(&LRM.to_string());
                        continue;
                    }
                }
                mark_ltr_row(buf, area.x, y);
            }
        }
    }
}

/// The left-to-right mark, a strong left-to-right character that takes no column.
const LRM: char = '\u{200E}';
const RLE: &str = "\u{202B}";
const PDF: &str = "\u{202C}";

/// Moves embedding marks into blank cells of their own: a space followed by RLE becomes
/// RLE alone, and a PDF after a line's last cell moves into the blank cell after it.
/// An embedding without a blank of its own on either side (a line against the panel's
/// border, or one that starts in the row's second column, whose first blank takes the
/// row's LRM) loses both marks rather than push the row past its edge.
fn give_marks_a_column(buf: &mut Buffer, y: u16) {
    let area = buf.area;
    let mut x = area.left();
    while x < area.right() {
        if !buf[(x, y)].symbol().contains(RLE) {
            x += 1;
            continue;
        }
        let Some(end) = (x..area.right()).find(|&e| buf[(e, y)].symbol().contains(PDF)) else {
            strip(buf, x, y, RLE);
            x += 1;
            continue;
        };
        // The row's first blank is the LRM's: a line that starts right after it gets
        // no embedding rather than a second mark in that cell.
        let open_alone = x > area.left() && buf[(x, y)].symbol() == format!(" {RLE}");
        let close_room = end + 1 < area.right() && buf[(end + 1, y)].symbol() == " ";
        if open_alone && close_room {
            buf[(x, y)].set_symbol(RLE);
            strip(buf, end, y, PDF);
            buf[(end + 1, y)].set_symbol(PDF);
        } else {
            strip(buf, x, y, RLE);
            strip(buf, end, y, PDF);
        }
        x = end + 1;
    }
}

/// Takes `mark` out of the cell at (`x`, `y`).
fn strip(buf: &mut Buffer, x: u16, y: u16, mark: &str) {
    let symbol = buf[(x, y)].symbol().replace(mark, "");
    buf[(x, y)].set_symbol(if symbol.is_empty() { " " } else { &symbol });
}

/// Puts a left-to-right mark into the row's first cell: after its character, so the
/// terminal keeps it in that cell, or before an embedding that starts there.
fn mark_ltr_row(buf: &mut Buffer, x: u16, y: u16) {
    let cell = &mut buf[(x, y)];
    let old = cell.symbol();
    let symbol = match old.chars().next() {
        Some(first) if first != '\u{202B}' => {
            let rest = &old[first.len_utf8()..];
            format!("{first}{LRM}{rest}")
        }
        _ => format!("{LRM}{old}"),
    };
    cell.set_symbol(&symbol);
}

/// Which font kitty draws a cell with, as far as it splits runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RunFont {
    /// Spaces and empty cells: drawn blank, never shaped.
    Blank,
    /// Box drawing, braille and the like: drawn one cell at a time.
    Single,
    /// Text, by bold and italic.
    Text { bold: bool, italic: bool },
}

fn run_font(symbol: &str, modifier: Modifier) -> RunFont {
    let Some(first) = symbol.chars().next() else {
        return RunFont::Blank;
    };
    match first {
        '\0' | ' ' | '\t' => RunFont::Blank,
        '\u{2500}'..='\u{259F}'
        | '\u{2800}'..='\u{28FF}'
        | '\u{E0B0}'..='\u{E0BF}'
        | '\u{1FB00}'..='\u{1FBAE}' => RunFont::Single,
        _ => RunFont::Text {
            bold: modifier.contains(Modifier::BOLD),
            italic: modifier.contains(Modifier::ITALIC),
        },
    }
}

/// The direction HarfBuzz gives a run whose first character of a real script is `c`:
/// `Some(true)` right-to-left, `Some(false)` left-to-right, `None` for characters of no
/// script of their own (spaces, digits, punctuation, symbols, combining marks).
fn script_direction(c: char) -> Option<bool> {
    match c {
        // Common and inherited characters inside the right-to-left blocks.
        '\u{060C}' | '\u{061B}' | '\u{061C}' | '\u{061F}' | '\u{0640}' | '\u{06DD}'
        | '\u{FD3E}' | '\u{FD3F}' | '\u{FEFF}' => None,
        '\u{064B}'..='\u{0655}' | '\u{0670}' => None,
        '\u{0590}'..='\u{08FF}'
        | '\u{FB1D}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFE}'
        | '\u{10800}'..='\u{10FFF}'
        | '\u{1E800}'..='\u{1EFFF}' => Some(true),
        c if c.is_alphabetic() => Some(false),
        _ => None,
    }
}

/// Reverses, in row `y`, the characters of every run kitty will shape right-to-left.
fn reverse_kitty_runs(buf: &mut Buffer, y: u16) {
    let area = buf.area;
    // Units: a cell, with the cell a wide character covers after it.
    let mut units: Vec<(u16, u16)> = Vec::new();
    let mut x = area.left();
    while x < area.right() {
        let width = buf[(x, y)].symbol().width().clamp(1, 2) as u16;
        let width = width.min(area.right() - x);
        units.push((x, width));
        x += width;
    }
    let mut start = 0;
    while start < units.len() {
        let font = font_of(buf, units[start].0, y);
        let mut end = start + 1;
        while end < units.len() && font_of(buf, units[end].0, y) == font {
            end += 1;
        }
        if matches!(font, RunFont::Text { .. }) && run_is_rtl(buf, y, &units[start..end]) {
            reverse_run(buf, y, &units[start..end]);
        }
        start = end;
    }
}

fn font_of(buf: &Buffer, x: u16, y: u16) -> RunFont {
    let cell = &buf[(x, y)];
    run_font(cell.symbol(), cell.modifier)
}

fn run_is_rtl(buf: &Buffer, y: u16, units: &[(u16, u16)]) -> bool {
    units
        .iter()
        .flat_map(|&(x, _)| buf[(x, y)].symbol().chars().collect::<Vec<_>>())
        .find_map(script_direction)
        .unwrap_or(false)
}

/// Puts the symbols of `units` in reverse order, brackets mirrored; styles stay put.
fn reverse_run(buf: &mut Buffer, y: u16, units: &[(u16, u16)]) {
    let symbols: Vec<String> = units
        .iter()
        .map(|&(x, _)| mirrored(buf[(x, y)].symbol()))
        .collect();
    // Wide characters change places with narrow ones only if the run has both; keep
    // such runs as they are rather than split a character.
    if units.iter().any(|&(_, w)| w != 1) {
        return;
    }
    // kitty keeps at most three marks in a cell; a cell with more is wrong anyway.
    let most = symbols
        .iter()
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(1)
        .min(1 + KITTY_MARKS_PER_CELL);
    for (&(x, _), mut symbol) in units.iter().zip(symbols.into_iter().rev()) {
        let count = symbol.chars().count();
        symbol.extend(std::iter::repeat_n(CGJ, most.saturating_sub(count)));
        buf[(x, y)].set_symbol(&symbol);
    }
}

/// The combining grapheme joiner: a mark that takes no column and draws nothing.
const CGJ: char = '\u{034F}';
/// How many combining characters kitty keeps in one cell (`cc_idx` in its `CPUCell`).
const KITTY_MARKS_PER_CELL: usize = 3;

fn mirrored(symbol: &str) -> String {
    symbol
        .chars()
        .map(|c| unicode_bidi_mirroring::get_mirrored(c).unwrap_or(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::{Color, Style};

    fn row(cells: &[(&str, Style)]) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(0, 0, cells.len() as u16, 1));
        for (x, (symbol, style)) in cells.iter().enumerate() {
            buf[(x as u16, 0)].set_symbol(symbol).set_style(*style);
        }
        buf
    }

    fn plain(text: &str) -> Buffer {
        let cells: Vec<(String, Style)> = text
            .chars()
            .map(|c| (c.to_string(), Style::default()))
            .collect();
        let refs: Vec<(&str, Style)> = cells.iter().map(|(s, st)| (s.as_str(), *st)).collect();
        row(&refs)
    }

    fn symbols(buf: &Buffer) -> String {
        buf.content().iter().map(|c| c.symbol()).collect()
    }

    fn kitty(text: &str) -> String {
        let mut buf = plain(text);
        apply(CellOrder::KittyRuns, &mut buf);
        symbols(&buf)
    }

    #[test]
    fn each_arabic_word_between_spaces_is_reversed() {
        // Visual order as qari draws it (presentation forms); kitty reverses each run.
        assert_eq!(kitty("ﺏﻮﺸﻧ ﺭﺎﺠﺷ"), "ﻧﺸﻮﺏ ﺷﺠﺎﺭ");
    }

    #[test]
    fn latin_digits_and_punctuation_runs_stay() {
        assert_eq!(kitty("Think Again 2024 (CSCC)"), "Think Again 2024 (CSCC)");
    }

    #[test]
    fn a_run_is_as_rtl_as_its_first_letter() {
        // Punctuation first, then Arabic: right-to-left, the quotes move with the run.
        assert_eq!(kitty("”ﺮﺘﻳﻮﺗ“"), "“ﺗﻮﻳﺘﺮ”");
        // Latin first, then Arabic in the same run: left-to-right, untouched.
        assert_eq!(kitty("CSCC\u{FE94}"), "CSCC\u{FE94}");
    }

    #[test]
    fn brackets_are_mirrored_back() {
        // qari drew "(ﺏﺍ)"; kitty will reverse and mirror, so qari sends it pre-mirrored.
        assert_eq!(kitty("(ﺏﺍ)"), "(ﺍﺏ)");
    }

    #[test]
    fn styles_stay_in_their_cells_and_bold_splits_runs() {
        let hit = Style::default().bg(Color::Yellow);
        let bold = Style::default().add_modifier(Modifier::BOLD);
        let mut buf = row(&[
            ("ﺍ", hit),
            ("ﺏ", hit),
            ("ﺕ", Style::default()),
            ("ﺙ", bold),
            ("ﺝ", bold),
            ("│", Style::default()),
            ("ﺡ", Style::default()),
            ("ﺥ", Style::default()),
        ]);
        apply(CellOrder::KittyRuns, &mut buf);
        assert_eq!(symbols(&buf), "ﺕﺏﺍﺝﺙ│ﺥﺡ");
        assert_eq!(buf[(0, 0)].bg, Color::Yellow);
        assert_eq!(buf[(1, 0)].bg, Color::Yellow);
        assert_eq!(buf[(2, 0)].bg, Color::Reset);
        assert!(buf[(3, 0)].modifier.contains(Modifier::BOLD));
    }

    #[test]
    fn harakat_stay_with_their_letter() {
        let mut buf = row(&[("ﺏَ", Style::default()), ("ﺍ", Style::default())]);
        apply(CellOrder::KittyRuns, &mut buf);
        assert_eq!(buf[(0, 0)].symbol(), "ﺍ\u{034F}");
        assert_eq!(buf[(1, 0)].symbol(), "ﺏَ");
    }

    #[test]
    fn a_vocalised_run_has_as_many_code_points_in_every_cell() {
        // صَلَّى as drawn (visual order): ى, then لَّ (two marks), then صَ.
        let mut buf = row(&[
            ("\u{FEF0}", Style::default()),
            ("\u{FEE0}\u{0651}\u{064E}", Style::default()),
            ("\u{FEBB}\u{064E}", Style::default()),
            (" ", Style::default()),
            ("\u{FEB3}", Style::default()),
            ("\u{FEE0}", Style::default()),
        ]);
        apply(CellOrder::KittyRuns, &mut buf);
        let cells: Vec<&str> = buf.content().iter().map(|c| c.symbol()).collect();
        assert_eq!(
            cells,
            [
                "\u{FEBB}\u{064E}\u{034F}",
                "\u{FEE0}\u{0651}\u{064E}",
                "\u{FEF0}\u{034F}\u{034F}",
                " ",
                // A run without marks is left without joiners.
                "\u{FEE0}",
                "\u{FEB3}",
            ]
        );
        // The joiners take no column.
        assert!(buf.content().iter().all(|c| c.symbol().width() == 1));
    }

    #[test]
    fn terminal_bidi_rows_start_left_to_right_and_rtl_lines_are_embedded() {
        // "  سلام،" drawn in logical order from column 2 of a 10-column row.
        let mut buf = plain("  ﺳﻼﻡ،   ");
        super::super::embed_rtl(&mut buf, 2, 0, 4);
        apply(
            CellOrder::LtrRows {
                marks_take_a_column: false,
                mirror_brackets: false,
            },
            &mut buf,
        );
        let cells: Vec<&str> = buf.content().iter().map(|c| c.symbol()).collect();
        assert_eq!(cells[0], " \u{200E}");
        assert_eq!(cells[1], " \u{202B}");
        assert_eq!(cells[2], "ﺳ");
        assert_eq!(cells[5], "،\u{202C}");
        // The marks take no column.
        let columns: usize = buf.content().iter().map(|c| c.symbol().width()).sum();
        assert_eq!(columns, buf.content().len());
        // A line from the first column carries its embedding in its first cell, after
        // the row's mark.
        let mut buf = plain("ﺳﻼﻡ");
        super::super::embed_rtl(&mut buf, 0, 0, 3);
        apply(
            CellOrder::LtrRows {
                marks_take_a_column: false,
                mirror_brackets: false,
            },
            &mut buf,
        );
        assert_eq!(buf[(0, 0)].symbol(), "\u{200E}\u{202B}ﺳ");
        assert_eq!(buf[(2, 0)].symbol(), "ﻡ\u{202C}");
    }

    /// The row's cells after the rearrangement for mlterm.
    fn for_mlterm(buf: &mut Buffer) -> Vec<String> {
        apply(
            CellOrder::LtrRows {
                marks_take_a_column: true,
                mirror_brackets: false,
            },
            buf,
        );
        buf.content()
            .iter()
            .map(|c| c.symbol().to_owned())
            .collect()
    }

    #[test]
    fn for_mlterm_the_embedding_marks_take_the_blanks_around_the_line() {
        let mut buf = plain("  ﺳﻼﻡ،   ");
        super::super::embed_rtl(&mut buf, 2, 0, 4);
        let cells = for_mlterm(&mut buf);
        assert_eq!(
            cells[..7],
            ["\u{200E}", "\u{202B}", "ﺳ", "ﻼ", "ﻡ", "،", "\u{202C}"]
        );
    }

    #[test]
    fn for_mlterm_a_line_against_a_border_is_not_embedded() {
        let mut buf = plain(" ﺳﻼﻡ│");
        super::super::embed_rtl(&mut buf, 1, 0, 3);
        let cells = for_mlterm(&mut buf);
        assert_eq!(cells, ["\u{200E}", "ﺳ", "ﻼ", "ﻡ", "│"]);
    }

    #[test]
    fn for_mlterm_a_line_from_the_second_column_leaves_the_first_to_the_row_mark() {
        let mut buf = plain(" ﺳﻼﻡ ");
        super::super::embed_rtl(&mut buf, 1, 0, 3);
        let cells = for_mlterm(&mut buf);
        assert_eq!(cells, ["\u{200E}", "ﺳ", "ﻼ", "ﻡ", " "]);
    }

    #[test]
    fn as_shown_changes_nothing() {
        let mut buf = plain("ﺏﻮﺸﻧ ﺭﺎﺠﺷ");
        apply(CellOrder::AsShown, &mut buf);
        assert_eq!(symbols(&buf), "ﺏﻮﺸﻧ ﺭﺎﺠﺷ");
    }
}
