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
use crate::app::{
    App, MachineState, MachineTask, MachineText, PanelContent, PanelEntry, PanelView,
};
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
        PanelView::Machine { entries, answer } => {
            let mut out = match (entries, &answer.task) {
                (Some(content), _) => entry_pieces(content, ui, width, first),
                (None, MachineTask::Explain { word }) => vec![Piece::new(word, Auto, bold)],
                (None, _) => Vec::new(),
            };
            machine_pieces(answer, ui, width, &mut out);
            out
        }
    }
}

/// Frames of the spinner shown while a translation is on its way, one per 100 ms.
const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/// What the panel says when translation is not configured: the lines to add to
/// config.toml.
const SET_UP: &[&str] = &[
    "Machine translation is not set up. To set it up, add to config.toml \
     (~/.config/qari/config.toml):",
    "[translate]",
    "provider = \"openai\"",
    "url = \"http://localhost:11434/v1\"",
    "model = \"qwen2.5:3b\"",
    "from = \"ar\"",
    "to = \"en\"",
    "provider may be \"libretranslate\", \"deepl\" or \"openai\" (any OpenAI-compatible \
     server: Ollama, llama.cpp's llama-server, a hosted service). Keys come from \
     LIBRETRANSLATE_API_KEY, DEEPL_AUTH_KEY or OPENAI_API_KEY. Then start qari again.",
];

/// A machine answer: a rule that says it is machine output, then its state.
fn machine_pieces(answer: &MachineText, ui: &UiContext, width: u16, out: &mut Vec<Piece>) {
    use BaseDirection::Ltr;
    let plain = Style::default();
    let italic = plain.add_modifier(Modifier::ITALIC);
    let bold = plain.add_modifier(Modifier::BOLD);
    let what = match answer.task {
        MachineTask::Sentence => "sentence",
        MachineTask::Paragraph => "paragraph",
        MachineTask::Selection => "selection",
        MachineTask::Explain { .. } => "explanation",
    };
    let label = match answer.provider.as_str() {
        "" => format!("machine {what}"),
        name => format!("machine {what} · {name}"),
    };
    out.push(Piece::new(
        rule(&label, width),
        Ltr,
        plain.fg(ui.colors.panel_border),
    ));
    let base = answer_direction(answer);
    let text_pieces = |text: &str, out: &mut Vec<Piece>| {
        for line in text.lines().map(str::trim_end).filter(|l| !l.is_empty()) {
            out.push(Piece::new(line, base, plain));
        }
    };
    let elapsed = answer.since.elapsed();
    match &answer.state {
        MachineState::NotConfigured => {
            for (i, line) in SET_UP.iter().enumerate() {
                let style = if i == 0 { bold } else { plain };
                out.push(Piece::new(*line, Ltr, style));
            }
        }
        MachineState::Streaming { text } => {
            let frame = SPINNER[(elapsed.as_millis() / 100) as usize % SPINNER.len()];
            let status = if text.is_empty() {
                "asking"
            } else {
                "receiving"
            };
            out.push(Piece::new(
                format!("{frame} {status}… {:.0} s", elapsed.as_secs_f32().floor()),
                Ltr,
                italic,
            ));
            text_pieces(text, out);
        }
        MachineState::Done { text } => {
            text_pieces(text, out);
            if text.trim().is_empty() {
                out.push(Piece::new("(the answer was empty)", Ltr, italic));
            }
        }
        MachineState::Stopped { text } => {
            text_pieces(text, out);
            out.push(Piece::new(
                "(stopped before the end: nobody waited for the rest)",
                Ltr,
                italic,
            ));
        }
        MachineState::Failed { message } => {
            out.push(Piece::new(format!("(!) {message}"), Ltr, bold));
            if let Some(key) = ui.translate_key(answer.task.action()) {
                out.push(Piece::new(format!("{key} tries again"), Ltr, italic));
            }
        }
        MachineState::Offline => out.push(Piece::new(
            "(!) offline, and the cache has no translation of this text",
            Ltr,
            bold,
        )),
    }
    if matches!(answer.task, MachineTask::Explain { .. }) {
        out.push(Piece::new("(machine output: it may be wrong)", Ltr, italic));
    }
}

/// Right-to-left for an answer in a right-to-left language, left-to-right otherwise:
/// the first strong character of an English translation may be an Arabic name.
fn answer_direction(answer: &MachineText) -> BaseDirection {
    const RTL: &[&str] = &["ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv", "ug", "sd"];
    let language = answer.to.split(['-', '_']).next().unwrap_or("");
    if RTL.contains(&language.to_ascii_lowercase().as_str()) {
        BaseDirection::Rtl
    } else {
        BaseDirection::Ltr
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
