//! Drawing: `draw(&App, &UiContext, &mut Frame)` paints the reading pane, the side
//! panel, the status bar and the help overlay. It only reads the App.
//!
//! All text goes through the text engine, the status bar, panel, help and prompts
//! included, so no Arabic reaches the screen unshaped or in logical order.

mod cell_order;
mod download;
mod panel;
mod text;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::app::{Action, App, Level, Mode, PromptKind, ScreenRow};
use crate::config::Colors;
use crate::document::BlockKind;
use crate::keymap::Keymap;
use crate::layout::{BaseDirection, LayoutOptions};

pub use cell_order::CellOrder;
pub use text::{draw_line, draw_text, embed_rtl, label_line, mirror_rtl_brackets};

/// What drawing needs besides the App: colours and the help text of the active keymap.
#[derive(Debug, Clone, Default)]
pub struct UiContext {
    pub colors: Colors,
    /// (keys, description) for each binding, in help order.
    pub help: Vec<(String, String)>,
    pub keymap_name: String,
    /// The keys that move the word cursor (`h, l, w, b`), named in the panel's hint.
    pub cursor_keys: String,
    /// How the finished frame's cells are arranged for the terminal.
    pub cell_order: CellOrder,
    /// The help overlay's title: the keys that scroll it in this keymap.
    pub help_title: String,
    /// The first key of each translate action, for "T tries again".
    pub translate_keys: Vec<(Action, String)>,
    /// The key that quits, for "q stops" while a page downloads.
    pub quit_key: Option<String>,
}

impl UiContext {
    /// The context for `keymap`: its help text and the key names that hints show.
    pub fn new(keymap: &Keymap, keymap_name: impl Into<String>, colors: Colors) -> UiContext {
        let cursor_keys = [
            Action::CursorLeft,
            Action::CursorRight,
            Action::NextWord,
            Action::PrevWord,
        ]
        .into_iter()
        .filter_map(|action| keymap.key_names(action, 1).into_iter().next())
        .collect::<Vec<_>>()
        .join(", ");
        // The help overlay scrolls with the keymap's own line keys; Esc and q always close it.
        let first = |action| keymap.key_names(action, 1).into_iter().next();
        let scroll = match (first(Action::ScrollDown), first(Action::ScrollUp)) {
            (Some(down), Some(up)) => format!("{down}/{up} scroll, "),
            _ => String::new(),
        };
        let translate_keys = [
            Action::TranslateSentence,
            Action::TranslateParagraph,
            Action::TranslateSelection,
            Action::ExplainWord,
        ]
        .into_iter()
        .filter_map(|action| first(action).map(|key| (action, key)))
        .collect();
        let keymap_name = keymap_name.into();
        let help_title = format!(" Keys ({keymap_name} keymap): {scroll}Esc closes ");
        UiContext {
            colors,
            help: keymap
                .help_entries()
                .into_iter()
                .map(|e| (e.keys, e.desc))
                .collect(),
            keymap_name,
            cursor_keys,
            cell_order: CellOrder::default(),
            help_title,
            translate_keys,
            quit_key: first(Action::Quit),
        }
    }

    /// The key that runs `action`, as named on the keyboard.
    pub fn translate_key(&self, action: Action) -> Option<&str> {
        self.translate_keys
            .iter()
            .find(|(a, _)| *a == action)
            .map(|(_, key)| key.as_str())
    }
}

/// Draws the whole screen.
pub fn draw(app: &App, ui: &UiContext, frame: &mut Frame) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    draw_into(app, ui, area, buf);
    cell_order::apply(ui.cell_order, buf);
}

/// Draws the whole screen into `buf` (the frame's buffer; also used by tests).
pub fn draw_into(app: &App, ui: &UiContext, area: Rect, buf: &mut Buffer) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let areas = app.areas();
    draw_pane(app, ui, areas.text.intersection(area), buf);
    if let Some(panel) = areas.panel {
        panel::draw_panel(app, ui, panel.intersection(area), buf);
    }
    draw_status(app, ui, areas.status.intersection(area), buf);
    draw_pending(app, areas.status.y, area, buf);
    if let Mode::Help { scroll } = app.mode {
        draw_help(app, ui, scroll, area, buf);
    }
    if let Mode::Toc { selected } = app.mode {
        draw_toc(app, ui, selected, area, buf);
    }
}

fn options_for_ui(app: &App) -> LayoutOptions {
    LayoutOptions {
        base: BaseDirection::Auto,
        ..app.options
    }
}

fn draw_pane(app: &App, ui: &UiContext, area: Rect, buf: &mut Buffer) {
    if let Some(download) = &app.download {
        download::draw(download, ui, area, buf);
        return;
    }
    let column = app.text_column().intersection(area);
    let width = column.width.max(1);
    let x0 = column.x;
    for (r, row) in app.screen.iter().enumerate() {
        let y = area.y + r as u16;
        if y >= area.bottom() {
            break;
        }
        let ScreenRow::Line {
            para, line, layout, ..
        } = row
        else {
            continue;
        };
        let visual = &layout.lines[*line];
        let cursor = app.cursor.filter(|c| c.para == *para).and_then(|c| {
            let first = layout.words.get(c.word)?;
            let last = layout
                .words
                .get((c.word + c.extra).min(layout.words.len() - 1))?;
            Some((first.start..first.end, first.start..last.end))
        });
        let hits = app.search.as_ref().map(|s| s.hits_in(*para)).unwrap_or(&[]);
        let current = app
            .search
            .as_ref()
            .and_then(|s| s.current.map(|i| &s.hits[i]))
            .filter(|h| h.para == *para);
        let overlaps = |a: &std::ops::Range<usize>, b: &std::ops::Range<usize>| {
            a.start < b.end && b.start < a.end
        };
        // The text whose machine answer the panel shows, and the words selected.
        let translated = crate::app::translation::shown(app)
            .filter(|_| app.panel.visible)
            .and_then(|answer| answer.span.in_paragraph(*para));
        let selected = app
            .selection
            .as_ref()
            .and_then(|s| s.span)
            .and_then(|span| span.in_paragraph(*para));
        let kind = app.doc.kind(*para);
        let base = block_style(kind);
        let style_of = |cell: &crate::layout::Cell| {
            let mut style = base;
            if translated
                .as_ref()
                .is_some_and(|r| overlaps(r, &cell.source))
            {
                style = style.add_modifier(Modifier::UNDERLINED);
            }
            if selected.as_ref().is_some_and(|r| overlaps(r, &cell.source)) {
                style = style.bg(ui.colors.selection).fg(Color::Black);
            }
            if hits.iter().any(|h| overlaps(&h.range, &cell.source)) {
                style = style.bg(ui.colors.search_hit).fg(Color::Black);
            }
            if current.is_some_and(|h| overlaps(&h.range, &cell.source)) {
                style = style.bg(ui.colors.current_hit).fg(Color::Black);
            }
            if let Some((word, selection)) = &cursor {
                if overlaps(word, &cell.source) {
                    style = style.bg(ui.colors.cursor).fg(Color::Black);
                } else if overlaps(selection, &cell.source) {
                    style = style.bg(ui.colors.selection).fg(Color::Black);
                }
            }
            style
        };
        draw_marker(buf, kind, *line, x0, y, width, layout.gutter, visual.rtl);
        let x = x0 + layout.line_x(visual, width);
        let used = draw_line(
            buf,
            x,
            y,
            column.right().saturating_sub(x),
            visual,
            style_of,
        );
        if !app.options.reorder && ui.cell_order.mirrors_brackets() {
            mirror_rtl_brackets(buf, x, y, used, visual);
        }
        if !app.options.reorder && visual.rtl {
            embed_rtl(buf, x, y, used);
        }
    }
}

/// How a block's text looks: headings bold (the first level underlined too), code dim.
fn block_style(kind: BlockKind) -> Style {
    match kind {
        BlockKind::Heading(1) => Style::default()
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
            .fg(Color::LightCyan),
        BlockKind::Heading(_) => Style::default()
            .add_modifier(Modifier::BOLD)
            .fg(Color::LightCyan),
        BlockKind::Code => Style::default().fg(Color::Gray),
        BlockKind::Quote => Style::default().add_modifier(Modifier::ITALIC),
        _ => Style::default(),
    }
}

/// The marker of a block in its gutter (a bar beside quotes, a bullet before the first
/// line of a list item, a bar beside code), and a rule's line.
#[allow(clippy::too_many_arguments)]
fn draw_marker(
    buf: &mut Buffer,
    kind: BlockKind,
    line: usize,
    x0: u16,
    y: u16,
    width: u16,
    gutter: u16,
    rtl: bool,
) {
    let dim = Style::default().fg(Color::DarkGray);
    let marker = match kind {
        BlockKind::Rule => {
            let len = (width / 3).max(1);
            let x = x0 + (width - len) / 2;
            buf.set_string(x, y, "─".repeat(usize::from(len)), dim);
            return;
        }
        BlockKind::Quote | BlockKind::Code => "│",
        BlockKind::ListItem if line == 0 => "•",
        _ => return,
    };
    if gutter == 0 {
        return;
    }
    // The marker sits on the line's starting side, one cell from the text.
    let x = if rtl { x0 + width - 1 } else { x0 };
    buf.set_string(x, y, marker, dim);
}

/// What may follow a pending key sequence or name a mark: (key, what it does).
fn pending_lines(app: &App) -> Vec<(String, String)> {
    match app.mode {
        Mode::AwaitMark { set: true } => vec![("a-z".into(), "the mark's name".into())],
        Mode::AwaitMark { set: false } => {
            let mut names: Vec<char> = app.marks.keys().copied().collect();
            names.sort_unstable();
            let mut lines: Vec<(String, String)> = names
                .into_iter()
                .map(|name| (name.to_string(), format!("mark {name}")))
                .collect();
            lines.push(("'".into(), "where the last jump started".into()));
            lines
        }
        _ => app.pending_keys.clone().unwrap_or_default(),
    }
}

/// The keys that may follow, in a box above the status bar's right end (as helix and
/// which-key show them).
fn draw_pending(app: &App, status_y: u16, area: Rect, buf: &mut Buffer) {
    let lines = pending_lines(app);
    if lines.is_empty() {
        return;
    }
    let key_width = lines
        .iter()
        .map(|(k, _)| unicode_width::UnicodeWidthStr::width(k.as_str()))
        .max()
        .unwrap_or(0);
    let desc_width = lines
        .iter()
        .map(|(_, d)| unicode_width::UnicodeWidthStr::width(d.as_str()))
        .max()
        .unwrap_or(0);
    let width = ((key_width + desc_width + 6) as u16).min(area.width);
    let height = (lines.len() as u16 + 2).min(status_y.saturating_sub(area.y));
    if width < 8 || height < 3 {
        return;
    }
    let popup = Rect::new(area.right() - width, status_y - height, width, height);
    Clear.render(popup, buf);
    let block = Block::default().borders(Borders::ALL).title(" next key ");
    let inner = block.inner(popup);
    block.render(popup, buf);
    let options = options_for_ui(app);
    let bold = Style::default().add_modifier(Modifier::BOLD);
    for (i, (key, desc)) in lines.iter().take(usize::from(inner.height)).enumerate() {
        let y = inner.y + i as u16;
        let x = inner.x + 1;
        let right = inner.right();
        draw_text(buf, x, y, right.saturating_sub(x), key, &options, bold);
        let x = x + key_width as u16 + 2;
        draw_text(
            buf,
            x,
            y,
            right.saturating_sub(x),
            desc,
            &options,
            Style::default(),
        );
    }
}

fn draw_status(app: &App, ui: &UiContext, area: Rect, buf: &mut Buffer) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let base = Style::default().bg(ui.colors.status_bar).fg(Color::White);
    buf.set_style(area, base);
    let options = options_for_ui(app);
    let y = area.y;
    let mut x = area.x;
    let right = area.right();
    if let Mode::Prompt { kind, input } = &app.mode {
        let prefix = match kind {
            PromptKind::SearchForward => "/",
            PromptKind::SearchBackward => "?",
            PromptKind::Percent => "go to %: ",
            PromptKind::Gloss => "your gloss: ",
        };
        x += draw_text(buf, x, y, right - x, prefix, &options, base);
        x += draw_text(buf, x, y, right.saturating_sub(x), input, &options, base);
        if x < right {
            buf[(x, y)].set_style(base.add_modifier(Modifier::REVERSED));
        }
        return;
    }
    let mode = match app.mode {
        Mode::Normal if app.panel.focused => "PANEL",
        Mode::Normal => "READ",
        Mode::AwaitMark { set: true } => "MARK",
        Mode::AwaitMark { set: false } => "GOTO MARK",
        Mode::Help { .. } => "HELP",
        Mode::Toc { .. } => "CONTENTS",
        Mode::Prompt { .. } => "PROMPT",
    };
    let right_text = place_text(app, mode, area.width >= 60);
    let right_width = unicode_width::UnicodeWidthStr::width(right_text.as_str()) as u16;
    let right_x = right.saturating_sub(right_width).max(area.x);
    draw_text(
        buf,
        right_x,
        y,
        right - right_x,
        &right_text,
        &options,
        base,
    );
    let limit = right_x;
    let bold = base.add_modifier(Modifier::BOLD);
    x += draw_text(buf, x, y, limit.saturating_sub(x), " ", &options, base);
    // A message that does not fit after the document's name goes first: the name is
    // the one thing on this bar the reader already knows.
    let width_of = |text: &str| unicode_width::UnicodeWidthStr::width(text);
    let title = app.doc.title();
    let crowded = app.message.as_ref().is_some_and(|m| {
        width_of(title) + 2 + width_of(&m.text) > usize::from(limit.saturating_sub(x))
    });
    if !crowded {
        x += draw_text(buf, x, y, limit.saturating_sub(x), title, &options, bold);
        x += draw_text(buf, x, y, limit.saturating_sub(x), "  ", &options, base);
    }
    if let Some(message) = &app.message {
        let style = match message.level {
            Level::Info => base,
            Level::Warning => base.fg(Color::Yellow),
            Level::Error => base.fg(Color::LightRed).add_modifier(Modifier::BOLD),
        };
        draw_text(
            buf,
            x,
            y,
            limit.saturating_sub(x),
            &message.text,
            &options,
            style,
        );
        return;
    }
    if let Some(note) = &app.bidi_note {
        x += draw_text(
            buf,
            x,
            y,
            limit.saturating_sub(x),
            note,
            &options,
            base.fg(Color::Yellow),
        );
        x += draw_text(buf, x, y, limit.saturating_sub(x), "  ", &options, base);
    }
    if let Some(word) = app.cursor_word() {
        draw_text(
            buf,
            x,
            y,
            limit.saturating_sub(x),
            &word,
            &options,
            bold.fg(ui.colors.cursor),
        );
    }
}

/// The right end of the status bar: the mode, always, and where the reader is. In a
/// document: the percentage, always, and the paragraph and the time left when `wide`.
/// While a page downloads: how much has arrived; while the rest of a document loads: the
/// paragraph, and that more is coming (the document's end is not known yet, so neither
/// a count nor a percentage); in an empty document: that it is empty.
fn place_text(app: &App, mode: &str, wide: bool) -> String {
    if let Some(download) = &app.download {
        return format!(
            " {}  {mode} ",
            download::amount(download.received, download.total)
        );
    }
    if app.doc.paragraphs.is_empty() {
        return format!(" empty  {mode} ");
    }
    let (para, paras) = app.paragraph_position();
    if app.is_loading() {
        return match wide {
            true => format!(" ¶ {para}  loading the rest…  {mode} "),
            false => format!(" loading…  {mode} "),
        };
    }
    let percent = format!(" {mode}  {:>3}% ", app.percent());
    if !wide {
        return percent;
    }
    let left = match app.minutes_left() {
        0 => "end".to_owned(),
        minutes => format!("{minutes} min left"),
    };
    format!(" ¶ {para}/{paras}  {left} {percent}")
}

/// A bordered box over the middle of `area`, at most `max_width` wide, cleared; its
/// inside, or None when the screen is too small for one.
fn overlay(
    ui: &UiContext,
    area: Rect,
    max_width: u16,
    title: &str,
    buf: &mut Buffer,
) -> Option<Rect> {
    let width = area.width.saturating_sub(4).min(max_width);
    let height = area.height.saturating_sub(2);
    if width < 10 || height < 3 {
        return None;
    }
    let rect = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height.saturating_sub(1) - height) / 2,
        width,
        height,
    );
    Clear.render(rect, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(title)
        .border_style(Style::default().fg(ui.colors.panel_border));
    let inner = block.inner(rect);
    block.render(rect, buf);
    Some(inner)
}

/// The table of contents, in a box over the text: chapters and headings laid out by the
/// text engine, right-to-left titles aligned right and left-to-right ones left, each
/// indented by level from its own side; the one the reader is in marked with an arrow
/// on that side, the chosen row reversed.
fn draw_toc(app: &App, ui: &UiContext, selected: usize, area: Rect, buf: &mut Buffer) {
    let Some(inner) = overlay(ui, area, 80, " Contents: Enter jumps, Esc closes ", buf) else {
        return;
    };
    let options = options_for_ui(app);
    let current = crate::app::toc::current(&app.toc, app.top.para);
    let rows = usize::from(inner.height);
    // Keep the chosen entry on screen.
    let first = selected.saturating_sub(rows.saturating_sub(1));
    for (i, entry) in app.toc.iter().enumerate().skip(first).take(rows) {
        let y = inner.y + (i - first) as u16;
        let mut style = Style::default();
        if i == selected {
            style = style.add_modifier(Modifier::REVERSED);
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
        }
        if entry.level <= 1 {
            style = style.add_modifier(Modifier::BOLD);
        }
        // The mark's two cells, then two per level below the first.
        let indent = (2 + 2 * u16::from(entry.level.saturating_sub(1)).min(8)).min(inner.width);
        let room = inner.width - indent;
        let Some(line) = label_line(&entry.title, &options, room) else {
            continue;
        };
        let mark_style = style.fg(ui.colors.cursor);
        let marked = Some(i) == current;
        if line.rtl {
            if marked {
                buf.set_string(inner.right() - 2, y, " ◂", mark_style);
            }
            let x = inner.right() - indent - line.width.min(room);
            draw_line(buf, x, y, room, &line, |_| style);
        } else {
            if marked {
                buf.set_string(inner.x, y, "▸ ", mark_style);
            }
            draw_line(buf, inner.x + indent, y, room, &line, |_| style);
        }
    }
}

fn draw_help(app: &App, ui: &UiContext, scroll: usize, area: Rect, buf: &mut Buffer) {
    let Some(inner) = overlay(ui, area, 90, &ui.help_title, buf) else {
        return;
    };
    let options = LayoutOptions {
        base: BaseDirection::Ltr,
        ..options_for_ui(app)
    };
    let key_width = ui
        .help
        .iter()
        .map(|(k, _)| k.chars().count() as u16)
        .max()
        .unwrap_or(0)
        .min(inner.width / 3);
    let scroll = scroll.min(ui.help.len().saturating_sub(usize::from(inner.height)));
    for (r, (keys, desc)) in ui.help.iter().skip(scroll).enumerate() {
        let y = inner.y + r as u16;
        if y >= inner.bottom() {
            break;
        }
        let key_style = Style::default()
            .fg(ui.colors.cursor)
            .add_modifier(Modifier::BOLD);
        draw_text(buf, inner.x + 1, y, key_width, keys, &options, key_style);
        let x = inner.x + 1 + key_width + 2;
        draw_text(
            buf,
            x,
            y,
            inner.right().saturating_sub(x),
            desc,
            &options,
            Style::default(),
        );
    }
}
