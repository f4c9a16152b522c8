use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use super::*;
use crate::tasks::Lane;

const PATIENCE: Duration = Duration::from_secs(20);

/// A source that breaks on one word.
struct Fragile;

impl PanelSource for Fragile {
    fn lookup(&self, text: &str) -> PanelContent {
        assert_ne!(text, "boom", "a source that breaks on one word");
        PanelContent {
            title: text.to_owned(),
            personal: Some(format!("entry for {text}")),
            ..PanelContent::default()
        }
    }

    fn save_gloss(&self, word: &str, _gloss: &str) -> Result<String, String> {
        Ok(format!("saved {word}"))
    }
}

fn lane(factory: LookupFactory) -> (Lane<GlossaryJob>, Receiver<Msg>) {
    let (tx, rx) = mpsc::channel();
    let lane = Lane::spawn("the glossary lane", GlossaryJob::new(factory), tx).unwrap();
    (lane, rx)
}

fn next(rx: &Receiver<Msg>) -> Msg {
    rx.recv_timeout(PATIENCE).expect("the lane answers")
}

fn lookup(text: &str) -> GlossaryRequest {
    GlossaryRequest::Lookup {
        text: text.into(),
        previous: None,
    }
}

#[test]
fn a_panicking_lookup_is_an_error_and_the_lane_goes_on() {
    let (mut lane, rx) = lane(Box::new(|| (Box::new(Fragile), Vec::new())));
    lane.submit(1, lookup("boom"));
    let Msg::Status(Level::Error, status) = next(&rx) else {
        panic!("expected an error in the status bar");
    };
    assert!(status.contains("the lookup of boom failed"), "{status}");
    let Msg::LookupFailed { id, title, error } = next(&rx) else {
        panic!("expected the panel to say the lookup failed");
    };
    assert_eq!((id, title.as_str()), (1, "boom"));
    assert!(error.starts_with("the lookup failed"), "{error}");
    // The same lane answers the next request.
    lane.submit(2, lookup("كتاب"));
    let Msg::LookupDone { id, content } = next(&rx) else {
        panic!("expected an answer");
    };
    assert_eq!(
        (id, content.personal.as_deref()),
        (2, Some("entry for كتاب"))
    );
}

#[test]
fn a_glossary_that_panics_while_opening_leaves_lookups_answered() {
    let (mut lane, rx) = lane(Box::new(|| panic!("corrupt index")));
    let Msg::Status(Level::Warning, status) = next(&rx) else {
        panic!("expected a message in the status bar");
    };
    assert!(status.contains("corrupt index"), "{status}");
    lane.submit(7, lookup("كتاب"));
    let Msg::LookupDone { id, content } = next(&rx) else {
        panic!("expected an answer");
    };
    assert_eq!(id, 7);
    assert!(
        content.warnings[0].contains("cannot open the glossary"),
        "{content:?}"
    );
}

#[test]
fn a_save_is_answered_with_its_status_then_the_new_entries() {
    let (mut lane, rx) = lane(Box::new(|| (Box::new(Fragile), Vec::new())));
    let save = GlossaryRequest::Save {
        word: "قرأ".into(),
        gloss: "read".into(),
    };
    lane.submit(3, save);
    lane.submit(4, lookup("كتاب"));
    let Msg::Status(Level::Info, status) = next(&rx) else {
        panic!("expected the save's status");
    };
    assert_eq!(status, "saved قرأ");
    let Msg::LookupDone { id: 3, content } = next(&rx) else {
        panic!("expected the saved word's entries");
    };
    assert_eq!(content.title, "قرأ");
    let Msg::LookupDone { id: 4, .. } = next(&rx) else {
        panic!("the lookup after the save is answered too");
    };
}
