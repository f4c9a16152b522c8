//! The reader's behaviour through `update`, as keys and clicks would drive it.

mod common;

use common::reader::{act, app_on};
use qari::app::{self, Action, App, Msg, ScreenRow, areas};
use qari::config::{Config, PanelSide};
use qari::document::Document;

fn word(app: &App) -> String {
    app.cursor_word().unwrap_or_default()
}

#[test]
fn cursor_moves_in_reading_order_and_visually() {
    let mut app = app_on("واحد اثنان ثلاثة", 40, 5);
    assert_eq!(word(&app), "واحد", "the cursor starts on the first word");
    act(&mut app, Action::NextWord);
    assert_eq!(word(&app), "اثنان");
    // In a right-to-left line, the next word in reading order is on the left.
    act(&mut app, Action::CursorLeft);
    assert_eq!(word(&app), "ثلاثة");
    act(&mut app, Action::CursorRight);
    act(&mut app, Action::CursorRight);
    assert_eq!(word(&app), "واحد");
    act(&mut app, Action::PrevWord);
    assert_eq!(word(&app), "واحد", "no word before the first");

    let mut app = app_on("one two three", 40, 5);
    act(&mut app, Action::CursorRight);
    assert_eq!(word(&app), "two", "left to right in a left-to-right line");
}

#[test]
fn visual_motion_continues_on_the_next_line() {
    // Two lines at width 11: "واحد اثنان" then "ثلاثة".
    let mut app = app_on("واحد اثنان ثلاثة", 13, 6);
    act(&mut app, Action::NextWord);
    assert_eq!(word(&app), "اثنان");
    act(&mut app, Action::CursorLeft);
    assert_eq!(
        word(&app),
        "ثلاثة",
        "past the left end of an RTL line: the next line"
    );
    act(&mut app, Action::CursorUp);
    assert!(["واحد", "اثنان"].contains(&word(&app).as_str()));
}

#[test]
fn a_click_selects_the_word_under_the_pointer() {
    let mut app = app_on("alpha beta gamma", 40, 5);
    let (row, span) = app
        .screen
        .iter()
        .enumerate()
        .find_map(|(r, row)| match row {
            ScreenRow::Line { spans, .. } => Some((r, spans[2])),
            _ => None,
        })
        .unwrap();
    let x = app.areas().text.x + app.margin + span.x;
    app::update(&mut app, Msg::Click(x, row as u16));
    assert_eq!(word(&app), "gamma");
}

#[test]
fn jumps_marks_and_percent() {
    let text: String = (0..200).map(|i| format!("paragraph {i}\n")).collect();
    let mut app = app_on(&text, 40, 10);
    act(&mut app, Action::GoBottom);
    assert!(app.at_end());
    assert_eq!(app.percent(), 100);
    act(&mut app, Action::GoTop);
    assert_eq!(app.top.para, 0);
    act(&mut app, Action::JumpBack);
    assert!(app.at_end(), "jump back returns to the end");
    app::update(&mut app, Msg::CountedAction(Action::GotoPercent, 50));
    assert!(
        (95..=105).contains(&app.top.para),
        "50% is the middle: {}",
        app.top.para
    );
    act(&mut app, Action::SetMark);
    assert!(matches!(app.mode, app::Mode::AwaitMark { set: true }));
    let marked = app.top;
    let keymap = qari::keymap::Keymap::load("default", None).unwrap().0;
    let mut input = app::InputState::default();
    let key = |c| crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c));
    app::handle_key(&mut app, &keymap, &mut input, key('a'));
    act(&mut app, Action::GoTop);
    app::handle_key(&mut app, &keymap, &mut input, key('\''));
    app::handle_key(&mut app, &keymap, &mut input, key('a'));
    assert_eq!(app.top, marked, "'a goes back to mark a");
    // A count typed before % jumps to that percentage.
    for c in "25%".chars() {
        app::handle_key(&mut app, &keymap, &mut input, key(c));
    }
    assert!((45..=55).contains(&app.top.para), "25%: {}", app.top.para);
}

#[test]
fn scrolling_keeps_the_cursor_on_screen() {
    let text: String = (0..100).map(|i| format!("line number {i}\n")).collect();
    let mut app = app_on(&text, 40, 8);
    act(&mut app, Action::PageDown);
    assert!(app.top.para > 0);
    assert!(app.cursor_on_screen().is_some());
    assert!(
        word(&app) == "line",
        "the cursor moved to the first word on screen"
    );
}

#[test]
fn the_panel_goes_below_the_text_on_a_narrow_screen() {
    let mut app = app_on("نص", 120, 20);
    act(&mut app, Action::TogglePanel);
    let wide = app.areas();
    assert!(!wide.panel_overlays);
    assert_eq!(wide.text.width + wide.panel.unwrap().width, 120);
    app::update(&mut app, Msg::Resize(60, 20));
    let narrow = app.areas();
    assert!(!narrow.panel_overlays, "the text is not covered");
    assert_eq!(narrow.text.width, 60, "the text is not squeezed");
    let panel = narrow.panel.unwrap();
    assert_eq!(panel.y, narrow.text.bottom(), "the panel is below the text");
    assert_eq!(panel.width, 60);
    act(&mut app, Action::SwapPanelSide);
    assert_eq!(app.panel.side, PanelSide::Left);
    let left = areas(120, 20, &app.panel);
    assert_eq!(left.panel.unwrap().x, 0);
    assert!(left.text.x > 0);
    let before = app.panel.width;
    act(&mut app, Action::WidenPanel);
    assert!(app.panel.width > before);
}

#[test]
fn toggling_harakat_relays_out_the_text() {
    let mut app = app_on("كَتَبَ", 40, 5);
    let with = format!("{:?}", app.screen);
    act(&mut app, Action::ToggleHarakat);
    let without = format!("{:?}", app.screen);
    assert_ne!(with, without);
    assert!(!without.contains('\u{64E}'));
}

#[test]
fn writing_a_personal_gloss_from_the_reader() {
    use qari::app::{Effect, InputState};
    use qari::glossary::{Glossary, GlossaryConfig};
    use qari::tasks::glossary::PanelSource;

    let dir = tempfile::tempdir().unwrap();
    let glossary = Glossary::open(&GlossaryConfig {
        system_dicts: false,
        no_cache: true,
        personal_glossary: Some(dir.path().join("glossary.tsv")),
        ..GlossaryConfig::default()
    })
    .0;
    let mut app = app_on("قرأت الكتاب", 40, 5);
    let keymap = qari::keymap::Keymap::load("default", None).unwrap().0;
    let mut input = InputState::default();
    let key = |c| crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c));
    app::handle_key(&mut app, &keymap, &mut input, key('a'));
    assert!(
        matches!(app.mode, app::Mode::Prompt { .. }),
        "a asks for a gloss"
    );
    for c in "I read (my note)".chars() {
        app::handle_key(&mut app, &keymap, &mut input, key(c));
    }
    let effects = app::handle_key(
        &mut app,
        &keymap,
        &mut input,
        crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Enter),
    );
    let Some(Effect::SaveGloss { word, gloss, .. }) = effects
        .into_iter()
        .find(|e| matches!(e, Effect::SaveGloss { .. }))
    else {
        panic!("Enter saves the gloss");
    };
    assert_eq!(
        (word.as_str(), gloss.as_str()),
        ("قرأت", "I read (my note)")
    );
    glossary.save_gloss(&word, &gloss).unwrap();
    let content = PanelSource::lookup(&glossary, &word);
    let first = content.entries.first().expect("an entry");
    assert_eq!(first.source, "personal", "the personal entry comes first");
    assert_eq!(first.senses, ["I read (my note)"]);
    let saved = std::fs::read_to_string(dir.path().join("glossary.tsv")).unwrap();
    assert!(saved.contains("قرأت\tI read (my note)"), "{saved}");

    // With the entry in the panel, `a` again offers the gloss for editing.
    assert_eq!(content.personal.as_deref(), Some("I read (my note)"));
    app.panel.shows = app::PanelView::Entries(content);
    app::handle_key(&mut app, &keymap, &mut input, key('a'));
    assert_eq!(
        app.mode,
        app::Mode::Prompt {
            kind: app::PromptKind::Gloss,
            input: "I read (my note)".into()
        }
    );
}

#[test]
fn a_large_file_shows_its_first_part_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.txt");
    let paragraph = "فقرة طويلة من نص عربي للتجربة، تتكرر كثيرا حتى يكبر الملف.\n";
    let count = (qari::document::PROGRESSIVE_THRESHOLD as usize / paragraph.len()) + 1000;
    std::fs::write(&path, paragraph.repeat(count)).unwrap();
    let (first, rest) = Document::open_progressive(path.to_str().unwrap()).unwrap();
    let rest = rest.expect("a large file is read in two steps");
    assert!(first.paragraphs.len() < count, "the first part is a part");
    assert!(!first.paragraphs.is_empty());
    let mut app = App::new(first, &Config::default(), 80, 20);
    app::update(&mut app, Msg::LoadingDocument(1));
    act(&mut app, Action::GoBottom);
    assert_eq!(app.top.para, 0, "G waits for the whole document");
    let whole = rest.load().unwrap();
    assert_eq!(whole.paragraphs.len(), count);
    app::update(
        &mut app,
        Msg::DocumentLoaded {
            id: 1,
            doc: Box::new(whole),
        },
    );
    assert!(app.at_end(), "then goes to its end");
    assert!(app.top.para > count - 20);
}

#[test]
fn terminal_bidi_mode_shows_logical_shaped_text() {
    let config = Config {
        bidi: Some(qari::config::BidiMode::Terminal),
        ..Config::default()
    };
    let app = App::new(Document::from_text("t", "سلام عليكم".into()), &config, 40, 5);
    let ScreenRow::Line { layout, line, .. } = &app.screen[0] else {
        panic!("the first row shows text");
    };
    let line = &layout.lines[*line];
    // Logical order: the cells follow the source from its start.
    let starts: Vec<usize> = line.cells.iter().map(|c| c.source.start).collect();
    assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
    // Shaped: Lam-Alef is one cell (its final form, after Seen), so that a terminal
    // that shapes by itself leaves no gap after it.
    let lam_alef = line.cells.iter().find(|c| line.cell_text(c) == "\u{FEFC}");
    assert_eq!(lam_alef.map(|c| c.source.clone()), Some(2..6));
    assert_eq!(line.width, 9);
}
