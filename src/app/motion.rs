//! What each action does to the App: scrolling, jumps, marks, the word cursor, the
//! panel and display toggles.

use super::view::{Pos, WordSpan, line_spans};
use super::{Action, App, Cursor, Effect, Level, Mode, PromptKind, ScreenRow};
use crate::config::PanelSide;
use crate::layout::Harakat;

/// Carries out `action`, given an optional count typed before it.
pub(super) fn apply(app: &mut App, action: Action, count: Option<u32>, effects: &mut Vec<Effect>) {
    use Action::*;
    let height = app.text_height();
    let n = count.map_or(1, |c| c as usize);
    // With the focus in the panel, the scrolling keys scroll the panel.
    let action = if app.panel.focused && app.panel.visible {
        match action {
            ScrollDown => PanelScrollDown,
            ScrollUp => PanelScrollUp,
            other => other,
        }
    } else {
        action
    };
    match action {
        Quit => app.quit = true,
        ScrollDown => scroll_down(app, n),
        ScrollUp => scroll_up(app, n),
        PageDown if app.panel.focused => app.panel.scroll += height,
        PageUp if app.panel.focused => app.panel.scroll = app.panel.scroll.saturating_sub(height),
        PageDown => scroll_down(app, n * height),
        PageUp => scroll_up(app, n * height),
        HalfPageDown => scroll_down(app, n * (height / 2).max(1)),
        HalfPageUp => scroll_up(app, n * (height / 2).max(1)),
        GoTop | GoBottom | GotoPercent if count.is_some() => goto_percent(app, n.min(100)),
        GoTop => {
            jump(app, Pos::default());
            // The eyes go to the top line: so does the cursor.
            app.cursor = None;
        }
        GoBottom => {
            let end = app.cache.max_top(&app.doc, height);
            jump(app, end);
            cursor_to_last_line(app);
        }
        GotoPercent => {
            app.mode = Mode::Prompt {
                kind: PromptKind::Percent,
                input: String::new(),
            }
        }
        NextParagraph => {
            if app.top.para + 1 < app.doc.paragraphs.len() {
                app.top = Pos {
                    para: app.top.para + 1,
                    row: 0,
                };
            }
        }
        PrevParagraph => {
            app.top = if app.top.row > 0 || app.top.para == 0 {
                Pos {
                    para: app.top.para,
                    row: 0,
                }
            } else {
                Pos {
                    para: app.top.para - 1,
                    row: 0,
                }
            }
        }
        SetMark => app.mode = Mode::AwaitMark { set: true },
        JumpToMark => app.mode = Mode::AwaitMark { set: false },
        JumpBack => jump_back(app),
        CursorLeft => move_visually(app, Side::Left),
        CursorRight => move_visually(app, Side::Right),
        CursorDown => move_vertically(app, true),
        CursorUp => move_vertically(app, false),
        NextWord => step_word(app, true),
        PrevWord => step_word(app, false),
        ExtendSelection => extend_selection(app),
        EditGloss => match app.cursor_text() {
            Some(word) => {
                // Editing an existing gloss starts from its text.
                let input = match app.panel.shows.entries() {
                    Some(content) if content.title == word => {
                        content.personal.clone().unwrap_or_default()
                    }
                    _ => String::new(),
                };
                app.gloss_word = Some(word);
                app.mode = Mode::Prompt {
                    kind: PromptKind::Gloss,
                    input,
                };
            }
            None => app.say(Level::Info, "no word under the cursor"),
        },
        LookupWord => {
            if !app.panel.visible {
                app.panel.visible = true;
            }
        }
        SearchForward | SearchBackward => {
            app.mode = Mode::Prompt {
                kind: if action == SearchForward {
                    PromptKind::SearchForward
                } else {
                    PromptKind::SearchBackward
                },
                input: String::new(),
            }
        }
        NextMatch => goto_match(app, false),
        PrevMatch => goto_match(app, true),
        ClearSearch => {
            if app.search.take().is_some() {
                app.say(Level::Info, "search highlights cleared");
            }
        }
        TogglePanel => {
            app.panel.visible = !app.panel.visible;
            app.panel.focused = false;
            app.say(
                Level::Info,
                if app.panel.visible {
                    "panel shown"
                } else {
                    "panel hidden"
                },
            );
            app.looked_up = None;
            // A translation of the text under the cursor stays.
            if app.panel.visible
                && !super::translation::holds_cursor(app)
                && let Some(effect) = app.lookup_effect(false)
            {
                effects.push(effect);
            }
        }
        FocusPanel => {
            app.panel.focused = app.panel.visible && !app.panel.focused;
            app.say(
                Level::Info,
                match (app.panel.visible, app.panel.focused) {
                    (false, _) => "the panel is hidden: nothing to focus",
                    (true, true) => "keys go to the panel",
                    (true, false) => "keys go to the text",
                },
            );
        }
        SwapPanelSide => {
            app.panel.side = match app.panel.side {
                PanelSide::Left => PanelSide::Right,
                PanelSide::Right => PanelSide::Left,
            };
            let side = match app.panel.side {
                PanelSide::Left => "left",
                PanelSide::Right => "right",
            };
            app.say(Level::Info, format!("panel on the {side}"));
        }
        WidenPanel | NarrowPanel => {
            app.panel.width = if action == WidenPanel {
                (app.panel.width + 4).min(200)
            } else {
                app.panel.width.saturating_sub(4).max(10)
            };
            app.say(
                Level::Info,
                format!("panel {} columns wide", app.panel.width),
            );
        }
        PanelScrollDown => app.panel.scroll += n,
        PanelScrollUp => app.panel.scroll = app.panel.scroll.saturating_sub(n),
        ToggleHarakat => {
            app.options.harakat = match app.options.harakat {
                Harakat::Keep => Harakat::Strip,
                Harakat::Strip => Harakat::Keep,
            };
            app.top.row = 0;
            app.say(
                Level::Info,
                match app.options.harakat {
                    Harakat::Keep => "harakat shown",
                    Harakat::Strip => "harakat hidden",
                },
            );
        }
        ToggleShaping => {
            app.options.shaping = !app.options.shaping;
            app.top.row = 0;
            app.say(
                Level::Info,
                if app.options.shaping {
                    "shaping on: letters joined"
                } else {
                    "shaping off: letters in their isolated forms"
                },
            );
        }
        ToggleHelp => {
            app.mode = match app.mode {
                Mode::Help { .. } => Mode::Normal,
                _ => Mode::Help { scroll: 0 },
            }
        }
        TableOfContents => match app.mode {
            Mode::Toc { .. } => app.mode = Mode::Normal,
            _ => super::toc::open(app),
        },
        Redraw => effects.push(Effect::Redraw),
        Suspend => effects.push(Effect::Suspend),
        Cancel => {
            app.mode = Mode::Normal;
            app.panel.focused = false;
            if let Some(cursor) = &mut app.cursor {
                cursor.extra = 0;
            }
            // Esc ends a selection first, then stops a translation on its way.
            if app.selection.take().is_some() {
                app.say(Level::Info, "selection cancelled");
            } else if super::translation::cancel(app, effects) {
                app.say(Level::Info, "translation stopped");
            }
        }
        TranslateSentence | TranslateParagraph | TranslateSelection | ExplainWord => {
            super::translation::ask(app, action, effects)
        }
        Noop => {}
    }
}

fn scroll_down(app: &mut App, n: usize) {
    let max_top = app.cache.max_top(&app.doc, app.text_height());
    if app.top >= max_top {
        // Already at (or, after a percent jump, past) the end.
        return;
    }
    let next = app.cache.down(&app.doc, app.top, n);
    app.top = next.min(max_top).max(app.top.min(max_top));
}

fn scroll_up(app: &mut App, n: usize) {
    app.top = app.cache.up(&app.doc, app.top, n);
}

/// Moves the top to `to`, remembering where the jump started.
fn jump(app: &mut App, to: Pos) {
    if to != app.top {
        app.jumped_from = Some(app.top);
    }
    app.top = to;
}

fn jump_back(app: &mut App) {
    match app.jumped_from {
        Some(back) => {
            let here = app.top;
            app.top = back;
            app.jumped_from = Some(here);
        }
        None => app.say(Level::Info, "no jump to go back to"),
    }
}

/// Puts the line holding `percent` of the document's bytes at the top, as less does:
/// near the end that leaves rows past the end empty, and the status bar shows the
/// percentage typed for as long as the view stays there.
fn goto_percent(app: &mut App, percent: usize) {
    if app.doc.paragraphs.is_empty() {
        return;
    }
    let len = app.doc.text.len();
    let offset = (len * percent / 100).min(len.saturating_sub(1));
    let para = app.doc.paragraph_at(offset);
    let start = app.doc.paragraphs[para].start;
    let layout = app.cache.get(&app.doc, para);
    let row = layout.line_of(offset.saturating_sub(start));
    let to = Pos { para, row };
    jump(app, to);
    app.overscroll = true;
    app.landed = Some((to, percent as u16));
    app.cursor = None;
}

/// Puts the cursor on the reading-first word of the last line with words on screen.
fn cursor_to_last_line(app: &mut App) {
    app.refresh();
    let last = app.screen.iter().rev().find_map(|r| match r {
        ScreenRow::Line { para, spans, .. } => {
            spans.iter().map(|s| s.word).min().map(|word| (*para, word))
        }
        _ => None,
    });
    app.cursor = last.map(|(para, word)| Cursor {
        para,
        word,
        extra: 0,
    });
}

/// Sets or follows the mark named `name`.
pub(super) fn mark(app: &mut App, name: char, set: bool) {
    app.mode = Mode::Normal;
    if set {
        app.marks.insert(name, app.top);
        app.say(Level::Info, format!("mark {name} set"));
    } else if name == '\'' || name == '`' {
        jump_back(app);
    } else if let Some(&pos) = app.marks.get(&name) {
        jump(app, pos);
        app.cursor = None;
    } else {
        app.say(Level::Warning, format!("mark {name} is not set"));
    }
}

/// Runs the search in `query` and goes to its first hit from the cursor.
pub(crate) fn search(app: &mut App, query: &str, backward: bool) {
    let hits = super::search::find_all(&app.doc, query);
    if hits.is_empty() {
        app.search = None;
        app.say(Level::Warning, format!("not found: {query}"));
        return;
    }
    app.search = Some(super::search::Search {
        query: query.to_owned(),
        hits,
        current: None,
        backward,
    });
    goto_match(app, false);
}

fn goto_match(app: &mut App, reverse: bool) {
    let Some(search) = &app.search else {
        app.say(Level::Info, "no search: press / to search");
        return;
    };
    let backward = search.backward != reverse;
    let (para, offset) = match app.cursor {
        Some(c) => {
            let layout = app.cache.get(&app.doc, c.para);
            (c.para, layout.words.get(c.word).map_or(0, |w| w.start))
        }
        None => (app.top.para, 0),
    };
    // Searching forward from the very start of the document includes its first hit.
    let from_start = app.cursor.is_none() && !backward;
    let index = if from_start {
        let i = search
            .hits
            .partition_point(|h| (h.para, h.range.start) < (para, offset));
        Some(i % search.hits.len())
    } else {
        search.next_from(para, offset, backward)
    };
    let Some(index) = index else { return };
    let hit = search.hits[index].clone();
    let total = search.hits.len();
    // Past the last hit (or before the first, going back) the search starts over.
    let here = (para, offset);
    let there = (hit.para, hit.range.start);
    let wrapped = if from_start {
        false
    } else if backward {
        there >= here
    } else {
        there <= here
    };
    if let Some(search) = &mut app.search {
        search.current = Some(index);
    }
    let layout = app.cache.get(&app.doc, hit.para);
    let word = layout
        .word_at(hit.range.start)
        .or_else(|| layout.words.iter().position(|w| w.start >= hit.range.start))
        .unwrap_or(0);
    app.cursor = Some(Cursor {
        para: hit.para,
        word,
        extra: 0,
    });
    let line = layout.line_of(hit.range.start);
    let target = Pos {
        para: hit.para,
        row: line,
    };
    if !row_on_screen(app, target) {
        // Put the hit a third of the way down the screen, as less does.
        let third = app.text_height() / 3;
        let top = app.cache.up(&app.doc, target, third);
        jump(app, top);
    }
    let position = format!("{}/{total}", index + 1);
    match (wrapped, backward) {
        (false, _) => app.say(Level::Info, position),
        (true, false) => app.say(
            Level::Info,
            format!("{position}  search went past the end: back at the first hit"),
        ),
        (true, true) => app.say(
            Level::Info,
            format!("{position}  search went past the start: back at the last hit"),
        ),
    }
}

fn row_on_screen(app: &mut App, pos: Pos) -> bool {
    if pos < app.top {
        return false;
    }
    let height = app.text_height();
    app.cache.distance(&app.doc, app.top, pos, height) < height
}

/// Keeps the cursor on a word on screen: after scrolling it moves to the first word on
/// screen (or the last, when the text moved down past it).
pub(super) fn keep_cursor_on_screen(app: &mut App) {
    if app.cursor_on_screen().is_some() {
        return;
    }
    let before_top = app.cursor.is_some_and(|c| {
        let layout = app.cache.get(&app.doc, c.para);
        let line = layout
            .words
            .get(c.word)
            .map_or(0, |w| layout.line_of(w.start));
        Pos {
            para: c.para,
            row: line,
        } < app.top
    });
    let rows: Vec<(usize, &Vec<WordSpan>, bool)> = app
        .screen
        .iter()
        .filter_map(|r| match r {
            ScreenRow::Line {
                para,
                spans,
                layout,
                line,
            } if !spans.is_empty() => Some((*para, spans, layout.lines[*line].rtl)),
            _ => None,
        })
        .collect();
    let pick = if app.cursor.is_none() || before_top {
        rows.first()
            .map(|&(para, spans, _)| (para, spans.iter().map(|s| s.word).min().unwrap_or(0)))
    } else {
        rows.last()
            .map(|&(para, spans, _)| (para, spans.iter().map(|s| s.word).max().unwrap_or(0)))
    };
    app.cursor = pick.map(|(para, word)| Cursor {
        para,
        word,
        extra: 0,
    });
}

/// Scrolls so that the cursor's line is on screen.
fn reveal_cursor(app: &mut App) {
    let Some(c) = app.cursor else { return };
    let layout = app.cache.get(&app.doc, c.para);
    let Some(word) = layout.words.get(c.word) else {
        return;
    };
    let target = Pos {
        para: c.para,
        row: layout.line_of(word.start),
    };
    if target < app.top {
        app.top = target;
    } else if !row_on_screen(app, target) {
        let height = app.text_height();
        app.top = app.cache.up(&app.doc, target, height - 1);
    }
}

fn step_word(app: &mut App, forward: bool) {
    let Some(c) = app.cursor else { return };
    let count = app.cache.get(&app.doc, c.para).words.len();
    let next = if forward && c.word + 1 < count {
        Some((c.para, c.word + 1))
    } else if !forward && c.word > 0 {
        Some((c.para, c.word - 1))
    } else {
        // The next paragraph (in that direction) that has words.
        let mut para = c.para;
        loop {
            if forward {
                if para + 1 >= app.doc.paragraphs.len() {
                    break None;
                }
                para += 1;
            } else {
                if para == 0 {
                    break None;
                }
                para -= 1;
            }
            let words = app.cache.get(&app.doc, para).words.len();
            if words > 0 {
                break Some((para, if forward { 0 } else { words - 1 }));
            }
        }
    };
    if let Some((para, word)) = next {
        app.cursor = Some(Cursor {
            para,
            word,
            extra: 0,
        });
        reveal_cursor(app);
    }
}

fn extend_selection(app: &mut App) {
    let Some(c) = app.cursor else { return };
    let words = app.cache.get(&app.doc, c.para).words.len();
    let extra = if c.extra >= 2 || c.word + c.extra + 1 >= words {
        0
    } else {
        c.extra + 1
    };
    app.cursor = Some(Cursor { extra, ..c });
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Left,
    Right,
}

/// The visual line after (or before) `(para, line)`, across paragraphs.
fn neighbour_line(app: &mut App, para: usize, line: usize, next: bool) -> Option<(usize, usize)> {
    if next {
        if line + 1 < app.cache.get(&app.doc, para).lines.len() {
            Some((para, line + 1))
        } else if para + 1 < app.doc.paragraphs.len() {
            Some((para + 1, 0))
        } else {
            None
        }
    } else if line > 0 {
        Some((para, line - 1))
    } else if para > 0 {
        let lines = app.cache.get(&app.doc, para - 1).lines.len();
        Some((para - 1, lines - 1))
    } else {
        None
    }
}

/// The cursor's line and the spans of that line.
fn cursor_line(app: &mut App) -> Option<(Cursor, usize, Vec<WordSpan>, bool)> {
    let c = app.cursor?;
    let layout = app.cache.get(&app.doc, c.para);
    let line = layout.line_of(layout.words.get(c.word)?.start);
    let spans = line_spans(&layout, line, app.cache.width());
    Some((c, line, spans, layout.lines[line].rtl))
}

fn move_visually(app: &mut App, side: Side) {
    let Some((c, line, spans, rtl)) = cursor_line(app) else {
        return;
    };
    let Some(k) = spans.iter().position(|s| s.word == c.word) else {
        return;
    };
    let target = match side {
        Side::Left if k > 0 => Some((c.para, spans[k - 1].word)),
        Side::Right if k + 1 < spans.len() => Some((c.para, spans[k + 1].word)),
        _ => {
            // At the edge: going on in reading direction continues on the next line,
            // going against it returns to the previous line.
            let forward = (side == Side::Left) == rtl;
            let mut at = (c.para, line);
            loop {
                let Some((para, l)) = neighbour_line(app, at.0, at.1, forward) else {
                    break None;
                };
                at = (para, l);
                let layout = app.cache.get(&app.doc, para);
                let spans = line_spans(&layout, l, app.cache.width());
                if spans.is_empty() {
                    continue;
                }
                let line_rtl = layout.lines[l].rtl;
                // Reading-first word of the next line, reading-last of the previous.
                let span = if forward == line_rtl {
                    spans.last()
                } else {
                    spans.first()
                };
                break span.map(|s| (para, s.word));
            }
        }
    };
    if let Some((para, word)) = target {
        app.cursor = Some(Cursor {
            para,
            word,
            extra: 0,
        });
        reveal_cursor(app);
    }
}

fn move_vertically(app: &mut App, down: bool) {
    let Some((c, line, spans, _)) = cursor_line(app) else {
        return;
    };
    let Some(current) = spans.iter().find(|s| s.word == c.word) else {
        return;
    };
    let centre = i32::from(current.x) * 2 + i32::from(current.width);
    let mut at = (c.para, line);
    while let Some((para, l)) = neighbour_line(app, at.0, at.1, down) {
        at = (para, l);
        let layout = app.cache.get(&app.doc, para);
        let spans = line_spans(&layout, l, app.cache.width());
        if let Some(best) = spans
            .iter()
            .min_by_key(|s| (i32::from(s.x) * 2 + i32::from(s.width) - centre).abs())
        {
            app.cursor = Some(Cursor {
                para,
                word: best.word,
                extra: 0,
            });
            reveal_cursor(app);
            return;
        }
    }
}

/// A left click at screen position `(x, y)`: selects the word there, or focuses the panel.
pub(super) fn click(app: &mut App, x: u16, y: u16) {
    let areas = app.areas();
    if let Some(panel) = areas.panel
        && panel.contains((x, y).into())
    {
        app.panel.focused = true;
        return;
    }
    app.panel.focused = false;
    let text = areas.text;
    if !text.contains((x, y).into()) {
        return;
    }
    let lines = app.text_column();
    if x < lines.x {
        return;
    }
    let column = x - lines.x;
    if let Some(ScreenRow::Line { para, spans, .. }) = app.screen.get(usize::from(y - text.y))
        && let Some(span) = spans
            .iter()
            .find(|s| s.x <= column && column < s.x + s.width)
    {
        app.cursor = Some(Cursor {
            para: *para,
            word: span.word,
            extra: 0,
        });
    }
}
