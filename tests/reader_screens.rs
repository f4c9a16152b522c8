//! Whole-screen snapshots of the reader, drawn by the real `App` and `ui::draw` on
//! ratatui's TestBackend: the guide at 80×24, the seed article at 120×40 with the panel
//! open, a search with its highlights, and a tiny 20×6 terminal.
//!
//! Below each screen, a second layer marks styled cells: `*` the word cursor, `#` the
//! current search hit, `^` other hits, `+` the rest of a selection.

mod common;

use common::reader::apply;
use qari::app::{self, Action, App, Effect, Msg};
use qari::config::Config;
use qari::document::Document;
use qari::glossary::{Glossary, GlossaryConfig};
use qari::keymap::Keymap;
use qari::ui::{self, UiContext};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

fn context() -> UiContext {
    let (keymap, _) = Keymap::load("default", None).expect("the default keymap loads");
    UiContext::new(&keymap, "default", Config::default().colors)
}

/// The screen as text, then the style layer.
fn screen(app: &App, ui: &UiContext) -> String {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| ui::draw(app, ui, f)).unwrap();
    let buffer: &Buffer = terminal.backend().buffer();
    let mut text = String::new();
    let mut marks = String::new();
    for y in 0..h {
        let mut skip = 0;
        for x in 0..w {
            let cell = &buffer[(x, y)];
            if skip > 0 {
                skip -= 1;
            } else {
                text.push_str(cell.symbol());
                skip = unicode_width::UnicodeWidthStr::width(cell.symbol()).saturating_sub(1);
            }
            let bg = cell.bg;
            marks.push(if bg == ui.colors.cursor {
                '*'
            } else if bg == ui.colors.current_hit {
                '#'
            } else if bg == ui.colors.search_hit {
                '^'
            } else if bg == ui.colors.selection {
                '+'
            } else {
                ' '
            });
        }
        text.push('\n');
        marks.push('\n');
    }
    format!("{text}---- styles ----\n{marks}")
}

/// Built-in lexicon only, so the panel's text does not depend on the machine.
fn builtin_glossary() -> Glossary {
    Glossary::open(&GlossaryConfig {
        system_dicts: false,
        personal: false,
        no_cache: true,
        ..GlossaryConfig::default()
    })
    .0
}

#[test]
fn guide_at_80x24() {
    let app = App::new(Document::guide(), &Config::default(), 80, 24);
    insta::assert_snapshot!(screen(&app, &context()));
}

#[test]
fn tiny_terminal_20x6() {
    let app = App::new(Document::guide(), &Config::default(), 20, 6);
    insta::assert_snapshot!(screen(&app, &context()));
}

#[test]
fn help_overlay() {
    let mut app = App::new(Document::guide(), &Config::default(), 80, 24);
    app::update(&mut app, Msg::Action(Action::ToggleHelp));
    insta::assert_snapshot!(screen(&app, &context()));
}

#[test]
fn the_help_title_names_the_scroll_keys_of_the_keymap_in_use() {
    for (name, down, up) in [("default", "j", "k"), ("emacs", "ctrl+n", "ctrl+p")] {
        let (keymap, _) = Keymap::load(name, None).expect("a shipped keymap loads");
        let ui = UiContext::new(&keymap, name, Config::default().colors);
        let mut app = App::new(Document::guide(), &Config::default(), 80, 24);
        app::update(&mut app, Msg::Action(Action::ToggleHelp));
        let top = screen(&app, &ui)
            .lines()
            .next()
            .unwrap_or_default()
            .to_lowercase();
        assert!(
            top.contains(&format!("{down}/{up} scroll")),
            "{name}: the help title should name {down}/{up}: {top}"
        );
    }
}

#[test]
fn seed_article_at_120x40_with_the_panel_open() {
    let Some(article) = common::seed_article() else {
        return;
    };
    let glossary = builtin_glossary();
    let mut config = Config::default();
    config.panel.visible = true;
    let mut app = App::new(
        Document::from_text("seed-article.txt", article),
        &config,
        120,
        40,
    );
    for _ in 0..3 {
        apply(&mut app, &glossary, Msg::Action(Action::NextWord));
    }
    let shot = screen(&app, &context());
    assert!(
        matches!(&app.panel.shows, app::PanelView::Entries(content) if !content.entries.is_empty()),
        "the panel shows the lookup"
    );
    insta::assert_snapshot!(shot);
}

#[test]
fn search_highlights_hits() {
    let Some(article) = common::seed_article() else {
        return;
    };
    let mut app = App::new(
        Document::from_text("seed-article.txt", article),
        &Config::default(),
        120,
        40,
    );
    let keymap = Keymap::load("default", None).unwrap().0;
    let mut input = app::InputState::default();
    for c in "/تويتر".chars() {
        app::handle_key(&mut app, &keymap, &mut input, key(c));
    }
    app::handle_key(
        &mut app,
        &keymap,
        &mut input,
        crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Enter),
    );
    let search = app.search.as_ref().expect("the search ran");
    let total = search.hits.len();
    assert!(total >= 3, "تويتر occurs several times ({total})");
    let message = app.message.as_ref().map(|m| m.text.clone()).unwrap();
    assert_eq!(message, format!("1/{total}"));
    app::handle_key(&mut app, &keymap, &mut input, key('n'));
    assert_eq!(app.message.as_ref().unwrap().text, format!("2/{total}"));
    insta::assert_snapshot!(screen(&app, &context()));
}

fn key(c: char) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c))
}

#[test]
fn seed_article_at_200x40_in_a_centred_column() {
    let Some(article) = common::seed_article() else {
        return;
    };
    let app = App::new(
        Document::from_text("seed-article.txt", article),
        &Config::default(),
        200,
        40,
    );
    insta::assert_snapshot!(screen(&app, &context()));
}

/// The seed article with the panel open on a small screen, its first word looked up.
fn small_screen_with_the_panel(width: u16, height: u16) -> Option<String> {
    let article = common::seed_article()?;
    let glossary = builtin_glossary();
    let mut config = Config::default();
    config.panel.visible = true;
    let mut app = App::new(
        Document::from_text("seed-article.txt", article),
        &config,
        width,
        height,
    );
    let effects = app.start();
    for effect in effects {
        if let Effect::Lookup { id, text, .. } = effect {
            let content = qari::tasks::glossary::panel_content(&glossary, &text);
            apply(&mut app, &glossary, Msg::LookupDone { id, content });
        }
    }
    Some(screen(&app, &context()))
}

#[test]
fn panel_below_the_text_at_50x20() {
    if let Some(shot) = small_screen_with_the_panel(50, 20) {
        insta::assert_snapshot!(shot);
    }
}

#[test]
fn panel_below_the_text_at_30x8() {
    if let Some(shot) = small_screen_with_the_panel(30, 8) {
        insta::assert_snapshot!(shot);
    }
}

#[test]
fn pending_keys_popup_in_vim() {
    let (keymap, _) = Keymap::load("vim", None).unwrap();
    let ui = UiContext::new(&keymap, "vim", Config::default().colors);
    let mut app = App::new(Document::guide(), &Config::default(), 80, 24);
    let mut input = app::InputState::default();
    app::handle_key(&mut app, &keymap, &mut input, key('g'));
    insta::assert_snapshot!(screen(&app, &ui));
}

#[test]
fn marks_popup() {
    let keymap = Keymap::load("default", None).unwrap().0;
    let mut app = App::new(Document::guide(), &Config::default(), 80, 24);
    let mut input = app::InputState::default();
    for c in "ma".chars().chain(std::iter::once('\'')) {
        app::handle_key(&mut app, &keymap, &mut input, key(c));
    }
    insta::assert_snapshot!(screen(&app, &context()));
}
