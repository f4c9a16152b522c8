//! Reader comforts (issue 12): where the cursor goes after jumps, what the status bar
//! says, and how the page is placed. Driven through `update` and `handle_key` as keys
//! would drive the reader.

mod common;

use common::reader::{act, app_on};
use crossterm::event::{KeyCode, KeyEvent};
use qari::app::{self, Action, App, Msg, ScreenRow};
use qari::config::Config;
use qari::document::Document;
use qari::keymap::Keymap;

fn keys(app: &mut App, keymap: &str, typed: &str) {
    let keymap = Keymap::load(keymap, None).unwrap().0;
    let mut input = app::InputState::default();
    for c in typed.chars() {
        app::handle_key(app, &keymap, &mut input, KeyEvent::from(KeyCode::Char(c)));
    }
}

/// The screen row of the cursor, and the number of rows holding text.
fn cursor_row(app: &App) -> (usize, usize) {
    let (row, _) = app.cursor_on_screen().expect("the cursor is on screen");
    let text_rows = app
        .screen
        .iter()
        .filter(|r| matches!(r, ScreenRow::Line { .. }))
        .count();
    (row, text_rows)
}

/// The last screen row that shows text.
fn last_text_row(app: &App) -> usize {
    app.screen
        .iter()
        .rposition(|r| matches!(r, ScreenRow::Line { .. }))
        .unwrap()
}

fn numbered(n: usize) -> String {
    (0..n).map(|i| format!("paragraph {i} here\n")).collect()
}

#[test]
fn g_puts_the_cursor_on_the_top_line() {
    let mut app = app_on(&numbered(100), 40, 10);
    act(&mut app, Action::PageDown);
    act(&mut app, Action::PageDown);
    act(&mut app, Action::GoTop);
    assert_eq!(app.top.para, 0);
    assert_eq!(
        cursor_row(&app).0,
        0,
        "after g the cursor is on the top line"
    );
    assert_eq!(app.cursor_word().as_deref(), Some("paragraph"));
}

#[test]
fn vim_gg_puts_the_cursor_on_the_top_line() {
    let mut app = app_on(&numbered(100), 40, 10);
    keys(&mut app, "vim", "G");
    keys(&mut app, "vim", "gg");
    assert_eq!(app.top.para, 0);
    assert_eq!(cursor_row(&app).0, 0);
}

#[test]
fn capital_g_puts_the_cursor_on_the_last_line() {
    let mut app = app_on(&numbered(100), 40, 10);
    act(&mut app, Action::GoBottom);
    assert!(app.at_end());
    assert_eq!(cursor_row(&app).0, last_text_row(&app));
    assert_eq!(app.cursor_word().as_deref(), Some("paragraph"));
    let cursor = app.cursor.unwrap();
    assert_eq!(cursor.para, 99, "the last paragraph");
}

#[test]
fn a_percent_jump_puts_the_cursor_at_the_top_of_the_landing_view() {
    let mut app = app_on(&numbered(100), 40, 10);
    act(&mut app, Action::GoBottom);
    keys(&mut app, "default", "30%");
    assert_eq!(app.percent(), 30);
    assert_eq!(cursor_row(&app).0, 0);
}

#[test]
fn percent_jumps_land_on_what_was_typed() {
    // Paragraphs of very different lengths: a paragraph-precise jump misses.
    let text: String = (0..20)
        .map(|i| format!("{}\n", "word ".repeat(1 + (i * 7) % 23)))
        .collect();
    let mut app = app_on(&text, 30, 10);
    for percent in [10, 25, 50, 75, 90, 100] {
        keys(&mut app, "default", &format!("{percent}%"));
        assert_eq!(app.percent(), percent, "after {percent}%");
        // The top line holds the byte at that percentage.
        let len = app.doc.text.len();
        let target = (len * usize::from(percent) / 100).min(len - 1);
        let ScreenRow::Line {
            para, line, layout, ..
        } = &app.screen[0]
        else {
            panic!("a text line at the top after {percent}%");
        };
        let start = app.doc.paragraphs[*para].start;
        let source = &layout.lines[*line].source;
        let last_line = *line + 1 == layout.lines.len();
        assert!(
            start + source.start <= target && (target < start + source.end || last_line),
            "{percent}%: the top line {source:?} of paragraph {para} holds byte {target}"
        );
    }
}

#[test]
fn scrolling_after_a_jump_past_the_last_screen_does_not_jump_back() {
    let mut app = app_on(&numbered(100), 40, 10);
    keys(&mut app, "default", "100%");
    let top = app.top;
    assert_eq!(app.percent(), 100);
    act(&mut app, Action::ScrollDown);
    assert_eq!(app.top, top, "j at the end stays");
    act(&mut app, Action::ScrollUp);
    assert!(app.top < top, "k goes up one line");
}

#[test]
fn percent_jumps_on_the_seed_article() {
    let Some(article) = common::seed_article() else {
        return;
    };
    let mut app = App::new(
        Document::from_text("seed-article.txt", article),
        &Config::default(),
        200,
        40,
    );
    let mut tops = Vec::new();
    for percent in [25, 75, 100] {
        keys(&mut app, "default", &format!("{percent}%"));
        assert_eq!(app.percent(), percent, "{percent}% shows {percent}%");
        tops.push(app.top);
    }
    assert!(tops[0] < tops[1] && tops[1] < tops[2], "{tops:?}");
}

fn status(app: &App) -> String {
    app.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn every_toggle_says_what_it_set() {
    let mut app = app_on("كَتَبَ الوَلَدُ الدَّرْسَ", 80, 10);
    let cases = [
        (Action::ToggleHarakat, "harakat hidden"),
        (Action::ToggleHarakat, "harakat shown"),
        (Action::ToggleShaping, "shaping off"),
        (Action::ToggleShaping, "shaping on"),
        (Action::TogglePanel, "panel shown"),
        (Action::SwapPanelSide, "panel on the left"),
        (Action::SwapPanelSide, "panel on the right"),
        (Action::WidenPanel, "panel 44 columns wide"),
        (Action::NarrowPanel, "panel 40 columns wide"),
        (Action::FocusPanel, "keys go to the panel"),
        (Action::FocusPanel, "keys go to the text"),
        (Action::TogglePanel, "panel hidden"),
    ];
    for (action, said) in cases {
        act(&mut app, action);
        assert!(
            status(&app).starts_with(said),
            "{action:?}: {:?}, expected {said:?}",
            status(&app)
        );
    }
}

#[test]
fn n_says_when_the_search_wraps() {
    let text = "zero alpha one\n\nbeta alpha\n\ngamma alpha\n";
    let mut app = app_on(text, 40, 10);
    app::update(
        &mut app,
        Msg::Search {
            query: "alpha".into(),
            backward: false,
        },
    );
    assert_eq!(status(&app), "1/3");
    act(&mut app, Action::NextMatch);
    assert_eq!(status(&app), "2/3");
    act(&mut app, Action::NextMatch);
    assert_eq!(status(&app), "3/3");
    act(&mut app, Action::NextMatch);
    assert!(status(&app).starts_with("1/3"), "{}", status(&app));
    assert!(status(&app).contains("past the end"), "{}", status(&app));
    act(&mut app, Action::PrevMatch);
    assert!(status(&app).starts_with("3/3"), "{}", status(&app));
    assert!(status(&app).contains("past the start"), "{}", status(&app));
    act(&mut app, Action::PrevMatch);
    assert_eq!(status(&app), "2/3", "no wrap, no note");
}

#[test]
fn a_fresh_document_names_the_help_key_of_the_active_keymap() {
    for (name, expected) in [
        ("default", "F1 or H shows the keys"),
        // less binds no function key to the help, as in less itself.
        ("less", "h or H shows the keys"),
    ] {
        let keymap = Keymap::load(name, None).unwrap().0;
        let mut app = app_on(&numbered(50), 40, 10);
        app.greet(&keymap, false);
        assert_eq!(status(&app), expected, "{name}");
    }
    // Whatever the keymap, the keys named are the ones that show the help.
    for name in ["vim", "emacs"] {
        let keymap = Keymap::load(name, None).unwrap().0;
        let mut app = app_on(&numbered(50), 40, 10);
        app.greet(&keymap, false);
        let help = keymap.key_names(Action::ToggleHelp, usize::MAX);
        assert!(
            help.iter().any(|k| k == "f1"),
            "{name} binds F1 to the help"
        );
        let said = status(&app);
        let named = said.strip_suffix(" shows the keys").expect("a hint");
        assert!(named.starts_with("F1"), "{name}: {said}");
        for key in named.split(" or ").skip(1) {
            assert!(
                help.contains(&key.to_owned()),
                "{name}: {key} shows the help"
            );
        }
    }
}

#[test]
fn a_reopened_document_says_where_it_resumed_and_how_to_go_back() {
    let mut app = app_on(&numbered(100), 40, 10);
    let len = app.doc.text.len();
    let offset = app.doc.paragraphs[43].start;
    app.restore_position(offset, 0, offset);
    let keymap = Keymap::load("default", None).unwrap().0;
    app.greet(&keymap, true);
    let percent = offset * 100 / len;
    assert_eq!(
        status(&app),
        format!("resumed at {percent}%: g goes to the start")
    );
    keys(&mut app, "default", "g");
    assert_eq!(app.top.para, 0, "the key named goes to the start");

    let vim = Keymap::load("vim", None).unwrap().0;
    let mut app = app_on(&numbered(100), 40, 10);
    app.restore_position(offset, 0, offset);
    app.greet(&vim, true);
    assert!(
        status(&app).ends_with("g g goes to the start"),
        "{}",
        status(&app)
    );
}

#[test]
fn a_warning_about_the_document_is_not_replaced_by_the_greeting() {
    let keymap = Keymap::load("default", None).unwrap().0;
    let mut app = app_on("text", 40, 10);
    app.say(app::Level::Warning, "decoded as Windows-1256");
    app.greet(&keymap, false);
    assert_eq!(status(&app), "decoded as Windows-1256");
}

fn app_with(text: &str, config: &Config, width: u16, height: u16) -> App {
    App::new(
        Document::from_text("t", text.to_owned()),
        config,
        width,
        height,
    )
}

#[test]
fn the_text_column_is_at_most_max_width_and_centred() {
    let text = "كلمة ".repeat(200);
    let app = app_with(&text, &Config::default(), 200, 20);
    let column = app.text_column();
    assert_eq!(column.width, 80, "80 cells by default");
    let pane = app.areas().text;
    let left = column.x - pane.x;
    let right = pane.right() - column.right();
    assert!(left.abs_diff(right) <= 1, "centred: {left} and {right}");
    for row in &app.screen {
        if let ScreenRow::Line { layout, line, .. } = row {
            assert!(layout.lines[*line].width <= 80);
        }
    }
    // No limit: the pane less its margins.
    let config = Config {
        max_width: 0,
        ..Config::default()
    };
    let app = app_with(&text, &config, 200, 20);
    assert_eq!(app.text_column().width, 200 - 2 * app.margin);
}

#[test]
fn the_panel_keeps_its_width_and_the_column_centres_in_what_is_left() {
    let mut config = Config::default();
    config.panel.visible = true;
    config.panel.width = 50;
    config.panel.side = qari::config::PanelSide::Left;
    let app = app_with(&"كلمة ".repeat(200), &config, 200, 20);
    let areas = app.areas();
    assert_eq!(areas.panel.unwrap().width, 50);
    let column = app.text_column();
    assert_eq!(column.width, 80);
    assert!(column.x >= 50, "right of the panel");
    let left = column.x - areas.text.x;
    let right = areas.text.right() - column.right();
    assert!(left.abs_diff(right) <= 1, "centred: {left} and {right}");
}

#[test]
fn a_click_in_a_centred_column_finds_its_word() {
    let app = &mut app_with("alpha beta gamma", &Config::default(), 200, 5);
    let (row, span) = app
        .screen
        .iter()
        .enumerate()
        .find_map(|(r, row)| match row {
            ScreenRow::Line { spans, .. } => Some((r, spans[1])),
            _ => None,
        })
        .unwrap();
    let x = app.text_column().x + span.x;
    app::update(app, Msg::Click(x, row as u16));
    assert_eq!(app.cursor_word().as_deref(), Some("beta"));
}

#[test]
fn the_status_bar_says_which_paragraph_and_how_long_is_left() {
    // 30 paragraphs of 70 words: 2100 words, 15 minutes at 140 words a minute.
    let text: String = (0..30)
        .map(|_| format!("{}\n", "كلمة ".repeat(70)))
        .collect();
    let mut app = app_on(&text, 80, 20);
    assert_eq!(app.paragraph_position(), (1, 30));
    assert_eq!(app.minutes_left(), 15);
    keys(&mut app, "default", "50%");
    let (para, total) = app.paragraph_position();
    assert_eq!((para, total), (app.top.para + 1, 30));
    assert_eq!(app.minutes_left(), ((30 - app.top.para) * 70).div_ceil(140));
    act(&mut app, Action::GoBottom);
    assert_eq!(app.paragraph_position(), (30, 30));
    assert_eq!(app.minutes_left(), 0);

    let ui = qari::ui::UiContext::new(
        &Keymap::load("default", None).unwrap().0,
        "default",
        Config::default().colors,
    );
    let status = |app: &App| {
        let (w, h) = app.size;
        let mut buffer = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::new(0, 0, w, h));
        qari::ui::draw_into(app, &ui, buffer.area, &mut buffer);
        (0..w)
            .map(|x| buffer[(x, h - 1)].symbol().to_owned())
            .collect::<String>()
    };
    act(&mut app, Action::GoTop);
    let line = status(&app);
    assert!(
        line.trim_end().ends_with("¶ 1/30  15 min left  READ    0%"),
        "{line:?}"
    );
    act(&mut app, Action::GoBottom);
    let line = status(&app);
    assert!(
        line.trim_end().ends_with("¶ 30/30  end  READ  100%"),
        "{line:?}"
    );
}

#[test]
fn on_a_narrow_screen_the_panel_leaves_whole_lines_and_the_cursor_visible() {
    let text = "كلمة ".repeat(300);
    for (width, height) in [(50, 20), (30, 8), (45, 12)] {
        let mut config = Config::default();
        config.panel.visible = true;
        let app = app_with(&text, &config, width, height);
        let areas = app.areas();
        let panel = areas.panel.unwrap();
        assert!(!areas.panel_overlays, "{width}x{height}");
        assert!(
            !panel.intersects(areas.text),
            "{width}x{height}: the panel covers nothing"
        );
        assert!(areas.text.height >= 3, "{width}x{height}: text rows");
        assert!(app.cursor_on_screen().is_some(), "{width}x{height}");
        let column = app.text_column();
        for row in &app.screen {
            if let ScreenRow::Line { layout, line, .. } = row {
                assert!(layout.lines[*line].width <= column.width);
            }
        }
    }
    // Too short for both: the panel the reader asked for covers the text.
    let mut config = Config::default();
    config.panel.visible = true;
    let app = app_with(&text, &config, 30, 6);
    assert!(app.areas().panel_overlays);
}

/// Types `typed` key by key into `app` with `keymap` (its layout set).
fn type_keys(app: &mut App, keymap: &Keymap, typed: &str) {
    let mut input = app::InputState::default();
    for c in typed.chars() {
        let key = match c {
            '\n' => KeyEvent::from(KeyCode::Enter),
            c => KeyEvent::from(KeyCode::Char(c)),
        };
        app::handle_key(app, keymap, &mut input, key);
    }
}

#[test]
fn the_keymap_works_with_an_arabic_layout_active() {
    let keymap = Keymap::load("default", None).unwrap().0;
    let mut app = app_on(&numbered(100), 40, 10);
    // ت is where j is: scroll down; ن is where k is.
    type_keys(&mut app, &keymap, "تتت");
    assert_eq!(app.top, app::view::Pos { para: 1, row: 1 });
    type_keys(&mut app, &keymap, "ن");
    assert_eq!(app.top, app::view::Pos { para: 1, row: 0 });
    // Arabic-Indic digits and ٪ make a percent jump.
    type_keys(&mut app, &keymap, "٥٠٪");
    assert_eq!(app.percent(), 50);
    // ظ is where / is: a search whose text is taken as typed.
    type_keys(&mut app, &keymap, "ظparagraph 7 \n");
    let search = app.search.as_ref().expect("a search ran");
    assert_eq!(search.query, "paragraph 7 ");
    // The vim keymap's sequences too: ل ل is g g.
    let vim = Keymap::load("vim", None).unwrap().0;
    type_keys(&mut app, &vim, "لل");
    assert_eq!(app.top.para, 0);
}

#[test]
fn arabic_text_in_prompts_is_not_turned_into_latin_keys() {
    let keymap = Keymap::load("default", None).unwrap().0;
    let mut app = app_on("كتب الولد الدرس\n\nثم نام\n", 40, 10);
    type_keys(&mut app, &keymap, "/نام\n");
    assert_eq!(app.search.as_ref().unwrap().query, "نام");
}

#[test]
fn the_persian_layout_differs_where_the_layouts_differ() {
    let mut keymap = Keymap::load("default", None).unwrap().0;
    keymap.set_layout(qari::keymap::KeyboardLayout::Persian);
    let mut app = app_on(&numbered(100), 40, 10);
    // On the Persian layout / is /, and ظ is z (unbound): no search prompt opens.
    type_keys(&mut app, &keymap, "ظ");
    assert_eq!(app.mode, app::Mode::Normal);
    type_keys(&mut app, &keymap, "ت");
    assert_eq!(app.top.row, 1, "ت is j on both layouts");
}

#[test]
fn a_pending_sequence_shows_what_may_follow_and_gives_up_after_a_while() {
    let vim = Keymap::load("vim", None).unwrap().0;
    let mut app = app_on(&numbered(100), 40, 10);
    type_keys(&mut app, &vim, "G");
    let bottom = app.top;
    let mut input = app::InputState::default();
    let g = KeyEvent::from(KeyCode::Char('g'));
    app::handle_key(&mut app, &vim, &mut input, g);
    let next = app.pending_keys.clone().expect("g is pending");
    let keys: Vec<&str> = next.iter().map(|(k, _)| k.as_str()).collect();
    assert!(keys.contains(&"g") && keys.contains(&"j"), "{next:?}");
    assert!(next.iter().all(|(_, desc)| !desc.is_empty()));
    // Before the timeout nothing changes; after it the sequence is dropped.
    let soon = std::time::Instant::now();
    app::expire_pending(&mut app, &mut input, soon);
    assert!(app.pending_keys.is_some());
    app::expire_pending(&mut app, &mut input, soon + app::PENDING_TIMEOUT * 2);
    assert!(app.pending_keys.is_none());
    assert!(status(&app).contains("gave up"), "{}", status(&app));
    // The next g starts a new sequence instead of completing g g.
    app::handle_key(&mut app, &vim, &mut input, g);
    assert_eq!(app.top, bottom);
    assert!(app.pending_keys.is_some());
    app::handle_key(&mut app, &vim, &mut input, g);
    assert_eq!(app.top.para, 0, "g g");
    assert!(
        app.pending_keys.is_none(),
        "the popup goes with the sequence"
    );
}

#[test]
fn waiting_for_a_mark_name_gives_up_after_a_while() {
    let keymap = Keymap::load("default", None).unwrap().0;
    let mut app = app_on(&numbered(100), 40, 10);
    let mut input = app::InputState::default();
    app::handle_key(
        &mut app,
        &keymap,
        &mut input,
        KeyEvent::from(KeyCode::Char('m')),
    );
    assert!(matches!(app.mode, app::Mode::AwaitMark { set: true }));
    let later = std::time::Instant::now() + app::PENDING_TIMEOUT * 2;
    app::expire_pending(&mut app, &mut input, later);
    assert_eq!(app.mode, app::Mode::Normal);
}
