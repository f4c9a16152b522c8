//! Drawing the side panel: each entry as a block (a rule naming its source, the headword,
//! the pronunciation, the analysis, the senses), the best first.
//!
//! Every piece is its own paragraph with the base direction it needs: the headword
//! right-to-left, the pronunciation and English senses left-to-right, so that the bidi
//! algorithm never mixes an IPA transcription into Arabic. When the entries do not fit,
//! the first senses of every entry come first and the rest follow under "more senses".

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Widget};

use super::{UiContext, draw_line, embed_rtl, mirror_rtl_brackets};
use crate::app::{App, PanelContent, PanelEntry, PanelView};
use crate::layout::{BaseDirection, LayoutOptions, VisualLine, layout_paragraph};

/// Senses shown per entry before the rest move below every entry, when space is short.
const FIRST_SENSES: usize = 3;

/// One paragraph of the panel, before layout.
#[derive(Debug, Clone, PartialEq)]
struct Piece {
    text: String,
    base: BaseDirection,
    style: Style,
}

impl Piece {
    fn new(text: impl Into<String>, base: BaseDirection, style: Style) -> Piece {
        Piece {
            text: text.into(),
            base,
            style,
        }
    }
}

pub(super) fn draw_panel(app: &App, ui: &UiContext, area: Rect, buf: &mut Buffer) {
    if area.width < 3 || area.height < 3 {
        return;
    }
    Clear.render(area, buf);
    // The border in the terminal's own foreground unless configured: it is legible on
    // the terminal's background, light or dark. Focus is shown by weight, not colour.
    let mut border = Style::default().fg(ui.colors.panel_border);
    let mut block = Block::default().borders(Borders::ALL);
    if app.panel.focused {
        border = border.add_modifier(Modifier::BOLD);
        block = block.border_type(BorderType::Thick);
    }
    let block = block.border_style(border);
    let inner = block.inner(area);
    block.render(area, buf);
    let options = super::options_for_ui(app);
    let rows = panel_rows(&app.panel.shows, ui, &options, inner.width, inner.height);
    for (r, (line, style)) in rows.iter().skip(app.panel.scroll).enumerate() {
        let y = inner.y + r as u16;
        if y >= inner.bottom() {
            break;
        }
        let x = inner.x + line.indent(inner.width);
        let used = draw_line(buf, x, y, inner.right().saturating_sub(x), line, |_| *style);
        if !options.reorder && ui.cell_order.mirrors_brackets() {
            mirror_rtl_brackets(buf, x, y, used, line);
        }
        if !options.reorder && line.rtl {
            embed_rtl(buf, x, y, used);
        }
    }
}

/// The panel's rows in `width` columns; `height` rows are on screen at once.
fn panel_rows(
    view: &PanelView,
    ui: &UiContext,
    options: &LayoutOptions,
    width: u16,
    height: u16,
) -> Vec<(VisualLine, Style)> {
    let width = width.max(1);
    let lay_out = |pieces: &[Piece]| -> Vec<(VisualLine, Style)> {
        let mut rows = Vec::new();
        for piece in pieces {
            let options = LayoutOptions {
                base: piece.base,
                ..*options
            };
            for line in layout_paragraph(&piece.text, &options, width) {
                rows.push((line, piece.style));
            }
        }
        rows
    };
    let all = lay_out(&pieces(view, ui, width, usize::MAX));
    if all.len() <= usize::from(height) {
        return all;
    }
    lay_out(&pieces(view, ui, width, FIRST_SENSES))
}

/// The panel's paragraphs for what it shows, with at most `first` senses of each entry
/// in its place.
fn pieces(view: &PanelView, ui: &UiContext, width: u16, first: usize) -> Vec<Piece> {
    use BaseDirection::{Auto, Ltr};
    let plain = Style::default();
    let bold = plain.add_modifier(Modifier::BOLD);
    match view {
        PanelView::Idle => {
            let hint = if ui.cursor_keys.is_empty() {
                "Move the cursor to a word to look it up.".to_owned()
            } else {
                format!(
                    "To look up a word, move the cursor to it: {}",
                    ui.cursor_keys
                )
            };
            vec![Piece::new(hint, Auto, plain)]
        }
        PanelView::Entries(content) => entry_pieces(content, ui, width, first),
        // A quick lookup leaves the previous entries on screen until its answer.
        PanelView::Loading {
            previous: Some(content),
            since,
            ..
        } if since.elapsed() < PanelView::QUICK => entry_pieces(content, ui, width, first),
        PanelView::Loading { title, since, .. } if since.elapsed() < PanelView::QUICK => {
            vec![Piece::new(title, Auto, bold)]
        }
        PanelView::Loading { title, since, .. } => vec![
            Piece::new(title, Auto, bold),
            Piece::new(
                format!("looking it up… {:.1} s", since.elapsed().as_secs_f32()),
                Ltr,
                plain.add_modifier(Modifier::ITALIC),
            ),
        ],
        PanelView::Error { title, message } => vec![
            Piece::new(title, Auto, bold),
            Piece::new(format!("(!) {message}"), Auto, bold),
        ],
    }
}

/// The entries' paragraphs, showing at most `first` senses of each entry in its place
/// and the others after every entry.
fn entry_pieces(content: &PanelContent, ui: &UiContext, width: u16, first: usize) -> Vec<Piece> {
    use BaseDirection::{Auto, Ltr};
    let plain = Style::default();
    let bold = plain.add_modifier(Modifier::BOLD);
    let rule_style = plain.fg(ui.colors.panel_border);
    let mut out = Vec::new();
    out.push(Piece::new(&content.title, Auto, bold));
    for warning in &content.warnings {
        out.push(Piece::new(format!("(!) {warning}"), Auto, bold));
    }
    if content.entries.is_empty() {
        out.push(Piece::new("No entry found.", Ltr, plain));
    }
    for entry in &content.entries {
        out.push(Piece::new(rule(&entry.source, width), Ltr, rule_style));
        entry_head(entry, &mut out);
        senses(entry, 0..first.min(entry.senses.len()), &mut out);
        let hidden = entry.senses.len().saturating_sub(first);
        if hidden > 0 {
            let more = match hidden {
                1 => "  (1 more sense below)".to_owned(),
                n => format!("  ({n} more senses below)"),
            };
            out.push(Piece::new(more, Ltr, plain.add_modifier(Modifier::ITALIC)));
        }
    }
    let tail: Vec<&PanelEntry> = content
        .entries
        .iter()
        .filter(|e| e.senses.len() > first)
        .collect();
    if !tail.is_empty() {
        out.push(Piece::new(rule("more senses", width), Ltr, rule_style));
        for entry in tail {
            out.push(Piece::new(&entry.headword, Auto, bold));
            senses(entry, first..entry.senses.len(), &mut out);
        }
    }
    out
}

/// Headword, pronunciation and analysis, each its own paragraph.
fn entry_head(entry: &PanelEntry, out: &mut Vec<Piece>) {
    let plain = Style::default();
    out.push(Piece::new(
        &entry.headword,
        BaseDirection::Auto,
        plain.add_modifier(Modifier::BOLD),
    ));
    if let Some(pronunciation) = &entry.pronunciation {
        out.push(Piece::new(
            format!("/{pronunciation}/"),
            BaseDirection::Ltr,
            plain,
        ));
    }
    if let Some(analysis) = &entry.analysis {
        out.push(Piece::new(
            analysis,
            BaseDirection::Auto,
            plain.add_modifier(Modifier::ITALIC),
        ));
    }
}

/// The senses in `range`, numbered when the entry has more than one.
fn senses(entry: &PanelEntry, range: std::ops::Range<usize>, out: &mut Vec<Piece>) {
    let numbered = entry.senses.len() > 1;
    for i in range {
        let sense = &entry.senses[i];
        let text = if numbered {
            format!("{}. {sense}", i + 1)
        } else {
            sense.clone()
        };
        out.push(Piece::new(text, BaseDirection::Auto, Style::default()));
    }
}

/// `── label ─────` across `width` columns (the label alone when it is wider).
fn rule(label: &str, width: u16) -> String {
    let used = label.chars().count() + 4;
    let rest = usize::from(width).saturating_sub(used);
    format!("── {label} {}", "─".repeat(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_fill_the_width() {
        assert_eq!(rule("builtin", 15), "── builtin ────");
        assert_eq!(rule("a-very-long-source", 8), "── a-very-long-source ");
    }
}
