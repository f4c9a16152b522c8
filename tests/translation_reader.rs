//! Machine translation in the reader, driven through `update` as the event loop drives
//! it: the panel's states (not configured, streaming, done, failed, offline, stopped),
//! requests cancelled when the cursor leaves their sentence, stale answers dropped,
//! hostile text cleaned, explain under the glossary entries, the selection, prefetch,
//! and a reader that keeps answering while a provider blocks.
//!
//! The provider is a small one written here: it answers from a script the test feeds
//! step by step, and blocks (polling its cancel token) until the next step comes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

mod common;

use common::reader::screen_text;
use qari::app::{
    self, Action, App, Effect, MachineState, MachineTask, Msg, PanelContent, PanelEntry, PanelView,
    TranslatorInfo,
};
use qari::config::Config;
use qari::document::Document;
use qari::keymap::Keymap;
use qari::tasks::translate::TranslateJob;
use qari::tasks::{CancelToken, Lane};
use qari::translate::{Provider, Request, Task, TranslateError};
use qari::ui::{self, UiContext};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const TEXT: &str = "ذهب الولد إلى المدرسة صباحًا. ثم عاد إلى البيت مساءً.\n\nفقرة ثانية قصيرة.";

/// One step of the scripted provider's answer.
enum Step {
    Piece(&'static str),
    Finish,
    Fail(TranslateError),
}

/// A provider that answers from a script, one step at a time, and blocks in between.
struct Scripted {
    steps: Mutex<Receiver<Step>>,
    requests: Mutex<Vec<Request>>,
    cancelled: AtomicUsize,
    explains: bool,
}

impl Provider for Scripted {
    fn name(&self) -> &str {
        "Scripted"
    }

    fn can_explain(&self) -> bool {
        self.explains
    }

    fn translate(
        &self,
        request: &Request,
        cancel: &CancelToken,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<String, TranslateError> {
        self.requests.lock().unwrap().push(request.clone());
        let steps = self.steps.lock().unwrap();
        let mut whole = String::new();
        loop {
            if cancel.is_cancelled() {
                self.cancelled.fetch_add(1, Ordering::SeqCst);
                return Err(TranslateError::Cancelled);
            }
            match steps.recv_timeout(Duration::from_millis(5)) {
                Ok(Step::Piece(text)) => {
                    whole.push_str(text);
                    on_text(text);
                }
                Ok(Step::Finish) => return Ok(whole),
                Ok(Step::Fail(error)) => return Err(error),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(TranslateError::Network("script ended".into()));
                }
            }
        }
    }
}

/// The reader with a translation lane on the scripted provider, as run.rs wires it.
struct Rig {
    app: App,
    lane: Lane<TranslateJob>,
    answers: Receiver<Msg>,
    script: Sender<Step>,
    provider: Arc<Scripted>,
}

fn info(can_explain: bool, prefetch: bool) -> TranslatorInfo {
    TranslatorInfo {
        name: "Scripted".into(),
        can_explain,
        from: "ar".into(),
        to: "en".into(),
        prefetch,
    }
}

fn reader(text: &str) -> App {
    let mut config = Config::default();
    config.panel.visible = true;
    config.panel.width = 40;
    App::new(Document::from_text("t", text.into()), &config, 100, 14)
}

impl Rig {
    fn new(can_explain: bool, prefetch: bool) -> Rig {
        let (script, steps) = mpsc::channel();
        let provider = Arc::new(Scripted {
            steps: Mutex::new(steps),
            requests: Mutex::new(Vec::new()),
            cancelled: AtomicUsize::new(0),
            explains: can_explain,
        });
        let (tx, answers) = mpsc::channel();
        let lane = Lane::spawn("test translation", TranslateJob::new(provider.clone()), tx)
            .expect("a thread");
        let mut app = reader(TEXT);
        app::update(&mut app, Msg::Translator(Some(info(can_explain, prefetch))));
        Rig {
            app,
            lane,
            answers,
            script,
            provider,
        }
    }

    /// Sends `msg` through `update` and carries out the translation effects; returns
    /// all the effects.
    fn send(&mut self, msg: Msg) -> Vec<Effect> {
        let effects = app::update(&mut self.app, msg);
        for effect in &effects {
            match effect {
                Effect::Translate { id, request } => self.lane.submit(*id, request.clone()),
                Effect::CancelTranslation => self.lane.cancel(),
                _ => {}
            }
        }
        effects
    }

    fn act(&mut self, action: Action) -> Vec<Effect> {
        self.send(Msg::Action(action))
    }

    /// Feeds the provider one step and applies the message it sends back.
    fn step(&mut self, step: Step) {
        self.script.send(step).unwrap();
        let msg = self
            .answers
            .recv_timeout(Duration::from_secs(10))
            .expect("the lane answers");
        self.send(msg);
    }

    fn state(&self) -> MachineState {
        match &self.app.panel.shows {
            PanelView::Machine { answer, .. } => answer.state.clone(),
            other => panic!("the panel shows {other:?}"),
        }
    }
}

fn translations(effects: &[Effect]) -> Vec<Request> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Translate { request, .. } => Some(request.clone()),
            _ => None,
        })
        .collect()
}

fn lookups(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::Lookup { .. }))
        .count()
}

/// The words of the panel's rows (the right 40 columns, borders left out), joined by
/// spaces.
fn panel_words(app: &App) -> String {
    screen_text(app)
        .lines()
        .map(|row| {
            row.chars()
                .skip(60)
                .filter(|&c| c != '│')
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn without_a_provider_the_panel_says_how_to_set_one_up() {
    let mut app = reader(TEXT);
    let effects = app::update(&mut app, Msg::Action(Action::TranslateSentence));
    assert!(
        translations(&effects).is_empty(),
        "nothing leaves the machine"
    );
    match &app.panel.shows {
        PanelView::Machine { answer, .. } => {
            assert_eq!(answer.state, MachineState::NotConfigured);
            assert_eq!(answer.source, "ذهب الولد إلى المدرسة صباحًا.");
        }
        other => panic!("{other:?}"),
    }
    let words = panel_words(&app);
    for needle in [
        "not set up",
        "[translate]",
        "provider = \"openai\"",
        "to = \"en\"",
    ] {
        assert!(words.contains(needle), "{needle:?} not in {words}");
    }
}

#[test]
fn a_sentence_streams_into_the_panel_then_is_done() {
    let mut rig = Rig::new(false, false);
    let effects = rig.act(Action::TranslateSentence);
    let sent = translations(&effects);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].task, Task::Translate);
    assert_eq!(sent[0].text, "ذهب الولد إلى المدرسة صباحًا.");
    assert_eq!((sent[0].from.as_str(), sent[0].to.as_str()), ("ar", "en"));
    assert_eq!(
        rig.state(),
        MachineState::Streaming {
            text: String::new()
        }
    );
    assert!(panel_words(&rig.app).contains("asking…"));

    rig.step(Step::Piece("The boy went "));
    assert_eq!(
        rig.state(),
        MachineState::Streaming {
            text: "The boy went ".into()
        }
    );
    let words = panel_words(&rig.app);
    assert!(
        words.contains("receiving…") && words.contains("The boy went"),
        "{words}"
    );

    rig.step(Step::Piece("to school in the morning."));
    rig.step(Step::Finish);
    let done = MachineState::Done {
        text: "The boy went to school in the morning.".into(),
    };
    assert_eq!(rig.state(), done);
    let words = panel_words(&rig.app);
    assert!(words.contains("machine sentence · Scripted"), "{words}");
    assert!(words.contains("The boy went to school in the"), "{words}");
    assert!(!words.contains("receiving"), "{words}");
}

#[test]
fn moving_within_the_sentence_keeps_the_translation_and_leaving_it_cancels() {
    let mut rig = Rig::new(false, false);
    rig.act(Action::TranslateSentence);
    rig.step(Step::Piece("The boy"));
    // Within the sentence: no lookup replaces the translation, nothing is cancelled.
    let effects = rig.act(Action::NextWord);
    assert_eq!(lookups(&effects), 0);
    assert!(!effects.contains(&Effect::CancelTranslation));
    assert!(matches!(rig.state(), MachineState::Streaming { .. }));
    // Into the next sentence: the request nobody waits for is cancelled.
    let mut effects = Vec::new();
    for _ in 0..4 {
        effects.extend(rig.act(Action::NextWord));
    }
    assert!(effects.contains(&Effect::CancelTranslation), "{effects:?}");
    assert_eq!(lookups(&effects), 1, "the word is looked up again");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while rig.provider.cancelled.load(Ordering::SeqCst) == 0 {
        assert!(std::time::Instant::now() < deadline, "never cancelled");
        std::thread::sleep(Duration::from_millis(5));
    }
    // Its last word (the cancellation) comes back and changes nothing.
    let shown = rig.app.panel.shows.clone();
    let late = rig.answers.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(matches!(late, Msg::TranslationDone { .. }), "{late:?}");
    rig.send(late);
    assert_eq!(rig.app.panel.shows, shown);
}

#[test]
fn answers_to_superseded_requests_are_dropped() {
    let mut app = reader(TEXT);
    app::update(&mut app, Msg::Translator(Some(info(false, false))));
    let first = app::update(&mut app, Msg::Action(Action::TranslateSentence));
    let first_id = match &first[..] {
        [Effect::Translate { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    let second = app::update(&mut app, Msg::Action(Action::TranslateParagraph));
    assert!(second.contains(&Effect::CancelTranslation));
    let second_id = second
        .iter()
        .find_map(|e| match e {
            Effect::Translate { id, request } => {
                assert_eq!(request.text, TEXT.lines().next().unwrap());
                Some(*id)
            }
            _ => None,
        })
        .unwrap();
    assert_ne!(first_id, second_id);
    for msg in [
        Msg::TranslationPiece {
            id: first_id,
            text: "stale".into(),
        },
        Msg::TranslationDone {
            id: first_id,
            result: Ok("stale".into()),
        },
    ] {
        app::update(&mut app, msg);
    }
    match &app.panel.shows {
        PanelView::Machine { answer, .. } => {
            assert_eq!(answer.task, MachineTask::Paragraph);
            assert_eq!(
                answer.state,
                MachineState::Streaming {
                    text: String::new()
                }
            );
        }
        other => panic!("{other:?}"),
    }
    app::update(
        &mut app,
        Msg::TranslationDone {
            id: second_id,
            result: Ok("fresh".into()),
        },
    );
    assert!(panel_words(&app).contains("fresh"));
}

#[test]
fn a_failure_shows_the_servers_words_and_the_key_that_retries() {
    let mut rig = Rig::new(false, false);
    rig.act(Action::TranslateSentence);
    rig.step(Step::Fail(TranslateError::Status {
        provider: "DeepL".into(),
        status: 456,
        message: "Quota exceeded".into(),
    }));
    assert_eq!(
        rig.state(),
        MachineState::Failed {
            message: "DeepL answered 456: Quota exceeded".into()
        }
    );
    let words = panel_words(&rig.app);
    assert!(words.contains("(!) DeepL answered 456: Quota"), "{words}");
    assert!(words.contains("T tries again"), "{words}");
    // The reader keeps working, and the key asks again.
    rig.act(Action::ScrollDown);
    let again = rig.act(Action::TranslateSentence);
    assert_eq!(translations(&again).len(), 1);
}

#[test]
fn offline_without_a_cached_answer_says_so() {
    let mut rig = Rig::new(false, false);
    rig.act(Action::TranslateSentence);
    rig.step(Step::Fail(TranslateError::Offline));
    assert_eq!(rig.state(), MachineState::Offline);
    assert!(panel_words(&rig.app).contains("offline, and the cache has no translation"));
}

#[test]
fn text_from_the_provider_is_cleaned_even_when_an_escape_is_split() {
    let mut rig = Rig::new(false, false);
    rig.act(Action::TranslateSentence);
    rig.step(Step::Piece("red\u{1b}[3"));
    rig.step(Step::Piece("1m alert\u{1b}]0;pwned\u{7} bell\u{7}"));
    let MachineState::Streaming { text } = rig.state() else {
        panic!()
    };
    assert!(!text.contains(['\u{1b}', '\u{7}']), "{text:?}");
    assert!(text.starts_with("red alert"), "{text:?}");
    assert!(!text.contains("1m"), "{text:?}");
    rig.step(Step::Finish);
    let MachineState::Done { text } = rig.state() else {
        panic!()
    };
    assert!(!text.contains(['\u{1b}', '\u{7}']), "{text:?}");
    assert!(!screen_text(&rig.app).contains('\u{1b}'));
}

#[test]
fn the_reader_answers_while_a_request_blocks() {
    let mut rig = Rig::new(false, false);
    rig.act(Action::TranslateSentence);
    // The provider has no step to give: it blocks. The reader goes on.
    let top = rig.app.top;
    rig.act(Action::PageDown);
    rig.act(Action::PageUp);
    rig.act(Action::TogglePanel);
    rig.act(Action::TogglePanel);
    rig.act(Action::ToggleHarakat);
    assert!(rig.lane.is_pending(), "the request still runs");
    assert_eq!(rig.app.top, top);
    assert!(matches!(rig.state(), MachineState::Streaming { .. }));
    screen_text(&rig.app);
    // Esc stops it.
    let effects = rig.act(Action::Cancel);
    assert!(effects.contains(&Effect::CancelTranslation));
    assert_eq!(
        rig.state(),
        MachineState::Stopped {
            text: String::new()
        }
    );
}

#[test]
fn explain_needs_a_chat_provider() {
    let mut rig = Rig::new(false, false);
    let effects = rig.act(Action::ExplainWord);
    assert!(translations(&effects).is_empty());
    let message = rig.app.message.clone().expect("a message").text;
    assert!(message.contains("only translates"), "{message}");
    assert!(message.contains("openai"), "{message}");
}

#[test]
fn explain_shows_under_the_entries_marked_as_machine_output() {
    let mut rig = Rig::new(true, false);
    let effects = rig.act(Action::ExplainWord);
    let sent = translations(&effects);
    assert_eq!(
        sent[0].task,
        Task::Explain {
            word: "ذهب".into()
        }
    );
    assert_eq!(sent[0].text, "ذهب الولد إلى المدرسة صباحًا.");
    // The entries of the word arrive while the explanation streams.
    let lookup = effects
        .iter()
        .find_map(|e| match e {
            Effect::Lookup { id, text, .. } => Some((*id, text.clone())),
            _ => None,
        })
        .expect("a lookup of the word");
    assert_eq!(lookup.1, "ذهب");
    rig.step(Step::Piece("went (past of yadhhabu)"));
    rig.send(Msg::LookupDone {
        id: lookup.0,
        content: PanelContent {
            title: "ذهب".into(),
            entries: vec![PanelEntry {
                headword: "ذهب".into(),
                source: "builtin".into(),
                senses: vec!["gold".into()],
                ..PanelEntry::default()
            }],
            ..PanelContent::default()
        },
    });
    rig.step(Step::Finish);
    let words = panel_words(&rig.app);
    let gold = words.find("gold").expect("the entry");
    let went = words.find("went (past").expect("the explanation");
    assert!(gold < went, "{words}");
    assert!(words.contains("machine explanation"), "{words}");
    assert!(
        words.contains("(machine output: it may be wrong)"),
        "{words}"
    );
}

#[test]
fn a_selection_starts_extends_and_is_translated() {
    let mut rig = Rig::new(false, false);
    let effects = rig.act(Action::TranslateSelection);
    assert!(
        translations(&effects).is_empty(),
        "the first press starts it"
    );
    assert!(rig.app.selection.is_some());
    rig.act(Action::NextWord);
    rig.act(Action::NextWord);
    let span = rig
        .app
        .selection
        .as_ref()
        .and_then(|s| s.span)
        .expect("a span");
    assert_eq!(
        &TEXT[span.start.1..span.end.1],
        "ذهب الولد إلى",
        "anchor to cursor"
    );
    let effects = rig.act(Action::TranslateSelection);
    assert_eq!(translations(&effects)[0].text, "ذهب الولد إلى");
    assert!(rig.app.selection.is_none());
    // Esc cancels a selection.
    rig.act(Action::TranslateSelection);
    rig.act(Action::Cancel);
    assert!(rig.app.selection.is_none());
}

#[test]
fn prefetch_translates_the_next_sentence_ahead() {
    let mut rig = Rig::new(false, true);
    rig.act(Action::TranslateSentence);
    rig.step(Step::Piece("The boy went to school."));
    rig.script.send(Step::Finish).unwrap();
    let done = rig.answers.recv_timeout(Duration::from_secs(10)).unwrap();
    let effects = rig.send(done);
    let ahead = translations(&effects);
    assert_eq!(ahead.len(), 1, "{effects:?}");
    assert_eq!(ahead[0].text, "ثم عاد إلى البيت مساءً.");
    rig.step(Step::Piece("Then he came home."));
    rig.script.send(Step::Finish).unwrap();
    let msg = rig.answers.recv_timeout(Duration::from_secs(10)).unwrap();
    rig.send(msg);
    // In the next sentence, the translation is there at once: nothing more is sent.
    for _ in 0..5 {
        rig.act(Action::NextWord);
    }
    let effects = rig.act(Action::TranslateSentence);
    assert!(translations(&effects).is_empty(), "{effects:?}");
    assert_eq!(
        rig.state(),
        MachineState::Done {
            text: "Then he came home.".into()
        }
    );
    assert_eq!(rig.provider.requests.lock().unwrap().len(), 2);
}

#[test]
fn the_translated_text_is_underlined_while_its_translation_shows() {
    let mut rig = Rig::new(false, false);
    rig.act(Action::TranslateSentence);
    let (keymap, _) = Keymap::load("default", None).unwrap();
    let ui = UiContext::new(&keymap, "test", Config::default().colors);
    let underlined = |app: &App| {
        let mut terminal = Terminal::new(TestBackend::new(100, 14)).unwrap();
        terminal.draw(|f| ui::draw(app, &ui, f)).unwrap();
        let buffer = terminal.backend().buffer().clone();
        (0..60u16)
            .filter(|&x| {
                buffer[(x, 0)]
                    .modifier
                    .contains(ratatui::style::Modifier::UNDERLINED)
            })
            .count()
    };
    assert!(underlined(&rig.app) > 10);
    rig.act(Action::TogglePanel);
    assert_eq!(underlined(&rig.app), 0, "no highlight without the panel");
}

#[test]
fn a_lookup_answer_arriving_late_does_not_replace_the_translation() {
    let mut app = reader(TEXT);
    app::update(&mut app, Msg::Translator(Some(info(false, false))));
    let lookup = app
        .start()
        .into_iter()
        .find_map(|e| match e {
            Effect::Lookup { id, .. } => Some(id),
            _ => None,
        })
        .expect("the first lookup");
    app::update(&mut app, Msg::Action(Action::TranslateSentence));
    app::update(
        &mut app,
        Msg::LookupDone {
            id: lookup,
            content: PanelContent {
                title: "ذهب".into(),
                ..PanelContent::default()
            },
        },
    );
    assert!(matches!(app.panel.shows, PanelView::Machine { .. }));
}

#[test]
fn an_english_translation_is_laid_out_left_to_right_even_after_an_arabic_name() {
    let mut app = reader(TEXT);
    app::update(&mut app, Msg::Translator(Some(info(false, false))));
    let id = match &app::update(&mut app, Msg::Action(Action::TranslateSentence))[..] {
        [Effect::Translate { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    let text = "محمد went to school in the morning and came back home in the evening.";
    app::update(
        &mut app,
        Msg::TranslationDone {
            id,
            result: Ok(text.into()),
        },
    );
    let screen = screen_text(&app);
    let rows: Vec<String> = screen
        .lines()
        .map(|row| row.chars().skip(61).take(38).collect())
        .filter(|row: &String| row.contains("went") || row.contains("evening"))
        .collect();
    assert_eq!(rows.len(), 2, "{screen}");
    // Left-to-right: each row starts at the panel's left edge, the text runs on to the
    // right, and the Arabic name comes first.
    let (name, rest) = rows[0].split_once(' ').expect("two words");
    assert_eq!(name.chars().count(), 4, "{rows:?}");
    assert!(rest.starts_with("went to school"), "{rows:?}");
    assert!(!rows[1].starts_with(' '), "{rows:?}");
    assert!(rows[1].trim_end().ends_with("evening."), "{rows:?}");
}

#[test]
fn a_selection_too_long_to_send_is_refused_with_a_message() {
    let long: String = (0..40)
        .map(|i| format!("فقرة رقم {i} فيها كلام كثير. ").repeat(12) + "\n\n")
        .collect();
    assert!(long.chars().count() > 10_000);
    let mut app = reader(&long);
    app::update(&mut app, Msg::Translator(Some(info(false, false))));
    app::update(&mut app, Msg::Action(Action::TranslateSelection));
    app::update(&mut app, Msg::Action(Action::GoBottom));
    let effects = app::update(&mut app, Msg::Action(Action::TranslateSelection));
    assert!(translations(&effects).is_empty(), "{effects:?}");
    let message = app.message.clone().expect("a message").text;
    assert!(message.contains("too long to translate"), "{message}");
}
