//! The panel says what it shows (a hint, a lookup under way, entries, an error), and
//! answers from background jobs reach the App only through `update`, which drops the
//! answers to requests superseded since.

use std::time::{Duration, Instant};

mod common;

use common::reader::screen_text;
use qari::app::{self, Action, App, Effect, Level, Msg, PanelContent, PanelEntry, PanelView};
use qari::config::Config;
use qari::document::Document;

fn reader(text: &str) -> App {
    let mut config = Config::default();
    config.panel.visible = true;
    config.panel.width = 40;
    App::new(Document::from_text("t", text.into()), &config, 100, 12)
}

/// The lookups `effects` ask for, as (id, text).
fn lookups(effects: &[Effect]) -> Vec<(u64, String)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Lookup { id, text, .. } => Some((*id, text.clone())),
            _ => None,
        })
        .collect()
}

fn entries(title: &str) -> PanelContent {
    PanelContent {
        title: title.into(),
        entries: vec![PanelEntry {
            headword: title.into(),
            source: "test".into(),
            senses: vec![format!("gloss of {title}")],
            ..PanelEntry::default()
        }],
        ..PanelContent::default()
    }
}

#[test]
fn an_answer_to_a_superseded_lookup_is_dropped() {
    let mut app = reader("قرأت الكتاب الجديد");
    let first = lookups(&app.start());
    assert_eq!(first.len(), 1, "the panel looks up the first word");
    assert!(matches!(app.panel.shows, PanelView::Loading { .. }));
    let second = lookups(&app::update(&mut app, Msg::Action(Action::NextWord)));
    assert_eq!(second.len(), 1, "moving on looks up the next word");
    assert_ne!(first[0].0, second[0].0, "each request has its own id");

    let (old_id, old_text) = first[0].clone();
    app::update(
        &mut app,
        Msg::LookupDone {
            id: old_id,
            content: entries(&old_text),
        },
    );
    assert!(
        matches!(&app.panel.shows, PanelView::Loading { title, .. } if *title == second[0].1),
        "the late answer for {old_text} is dropped: {:?}",
        app.panel.shows
    );
    let (id, text) = second[0].clone();
    app::update(
        &mut app,
        Msg::LookupDone {
            id,
            content: entries(&text),
        },
    );
    assert_eq!(app.panel.shows, PanelView::Entries(entries(&text)));
}

#[test]
fn a_failed_lookup_shows_as_an_error_in_the_panel() {
    let mut app = reader("قرأت الكتاب");
    let (id, text) = lookups(&app.start())[0].clone();
    app::update(
        &mut app,
        Msg::LookupFailed {
            id,
            title: text.clone(),
            error: "the lookup failed: internal error: index out of bounds".into(),
        },
    );
    assert!(matches!(&app.panel.shows, PanelView::Error { title, .. } if *title == text));
    let screen = screen_text(&app);
    assert!(
        screen.contains("the lookup failed: internal error"),
        "{screen}"
    );
    // The reader goes on: the next word is looked up.
    let next = lookups(&app::update(&mut app, Msg::Action(Action::NextWord)));
    assert_eq!(next.len(), 1);
}

#[test]
fn a_slow_lookup_shows_its_elapsed_time_and_a_quick_one_keeps_the_entries() {
    let mut app = reader("قرأت الكتاب");
    let before = entries("قرأت");
    // A lookup that started "later than now" has taken no time whatever the machine's
    // load: the test does not depend on how fast it runs.
    let just_now = Instant::now() + Duration::from_secs(3600);
    app.panel.shows = PanelView::Loading {
        title: "الكتاب".into(),
        since: just_now,
        previous: Some(before.clone()),
    };
    let screen = screen_text(&app);
    assert!(screen.contains("gloss of"), "the entries stay: {screen}");
    assert!(!screen.contains("looking it up"), "{screen}");

    let Some(since) = Instant::now().checked_sub(Duration::from_secs(3)) else {
        eprintln!("SKIPPED: the clock is too close to its start to go back 3 s");
        return;
    };
    app.panel.shows = PanelView::Loading {
        title: "الكتاب".into(),
        since,
        previous: Some(before),
    };
    let screen = screen_text(&app);
    assert!(screen.contains("looking it up… 3."), "{screen}");
    assert!(!screen.contains("gloss of"), "{screen}");
}

#[test]
fn a_stale_document_is_dropped_and_a_failed_load_is_said() {
    let mut app = reader("الجزء الأول");
    app::update(&mut app, Msg::LoadingDocument(2));
    assert!(app.is_loading());
    app::update(
        &mut app,
        Msg::DocumentLoaded {
            id: 1,
            doc: Box::new(Document::from_text("t", "غير هذا\n\nولا هذا".into())),
        },
    );
    assert!(
        app.is_loading(),
        "an answer for another job changes nothing"
    );
    assert_eq!(app.doc.paragraphs.len(), 1);
    app::update(&mut app, Msg::Action(Action::GoBottom));
    app::update(
        &mut app,
        Msg::DocumentFailed {
            id: 2,
            error: "permission denied".into(),
        },
    );
    assert!(!app.is_loading());
    let message = app.message.clone().expect("the failure is said");
    assert_eq!(message.level, Level::Error);
    assert!(
        message
            .text
            .contains("cannot read the rest of the document: permission denied"),
        "{message:?}"
    );
}

#[test]
fn a_lookup_carries_the_word_before_in_its_sentence() {
    let mut app = reader("لن يكتب. الكتاب");
    let previous = |effects: &[Effect]| -> Vec<Option<String>> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Lookup { previous, .. } => Some(previous.clone()),
                _ => None,
            })
            .collect()
    };
    assert_eq!(previous(&app.start()), [None], "the first word has none");
    let next = app::update(&mut app, Msg::Action(Action::NextWord));
    assert_eq!(previous(&next), [Some("لن".to_string())]);
    // A full stop ends the sentence: the word after it has no context.
    let next = app::update(&mut app, Msg::Action(Action::NextWord));
    assert_eq!(previous(&next), [None]);
}
