//! The reader's event loop: terminal events become messages for `app::update`, its
//! effects are carried out (lookups on a worker thread, whose answers come back over a
//! channel), and the screen is drawn from the App after each change.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, MouseButton, MouseEventKind};

use crate::app::{self, App, Effect, InputState, Level, Msg, PanelContent, PanelEntry};
use crate::config::{BidiMode, Config};
use crate::document::Document;
use crate::glossary::{Glossary, GlossaryConfig};
use crate::keymap::Keymap;
use crate::state::{self, SavedPosition};
use crate::terminal::SignalRequest;
use crate::ui::{self, UiContext};

/// What the side panel asks of the lookup worker. Runs off the UI thread.
pub trait PanelSource {
    /// The panel's text for a word or a phrase.
    fn lookup(&self, text: &str) -> PanelContent;
    /// Saves the user's own gloss for `word`; returns a message for the status bar.
    fn save_gloss(&self, word: &str, gloss: &str) -> Result<String, String>;
}

/// Makes the [`PanelSource`] on the worker thread, so that loading dictionaries never
/// delays the first frame; also returns warnings about the sources for the status bar.
pub type LookupFactory = Box<dyn FnOnce() -> (Box<dyn PanelSource>, Vec<String>) + Send>;

impl PanelSource for Glossary {
    fn lookup(&self, text: &str) -> PanelContent {
        panel_content(self, text)
    }

    fn save_gloss(&self, word: &str, gloss: &str) -> Result<String, String> {
        self.set_personal(word, gloss, "")
            .map(|()| format!("saved your gloss for {word}"))
            .map_err(|err| format!("cannot save the gloss: {err}"))
    }
}

/// The glossary as the side panel's source.
pub fn glossary_lookup(config: GlossaryConfig) -> LookupFactory {
    Box::new(move || {
        let (glossary, warnings) = Glossary::open(&config);
        let source: Box<dyn PanelSource> = Box::new(glossary);
        (source, warnings.iter().map(ToString::to_string).collect())
    })
}

/// The panel's content for `text` (a word, or a phrase of two or three): the entries,
/// best first, and problems with a source (a DICT server that is down or slow).
pub fn panel_content(glossary: &Glossary, text: &str) -> PanelContent {
    let words: Vec<&str> = text.split_whitespace().collect();
    let (entries, warnings) = if words.len() > 1 {
        (glossary.lookup_phrase(&words), Vec::new())
    } else {
        let found = glossary.lookup_detailed(text);
        (found.entries, found.warnings)
    };
    PanelContent {
        title: text.to_owned(),
        warnings: warnings.iter().map(ToString::to_string).collect(),
        entries: entries.iter().map(PanelEntry::from).collect(),
        personal: glossary.personal_entry(text).map(|(gloss, _)| gloss),
    }
}

/// What the reader needs to start.
pub struct ReaderSetup {
    pub doc: Document,
    /// The whole document, when `doc` is only the first part of a large file.
    pub rest: Option<crate::document::Rest>,
    pub config: Config,
    pub keymap: Keymap,
    pub keymap_name: String,
    pub bidi: BidiMode,
    /// Why `bidi` was chosen, when it was not asked for (shown in the status bar).
    pub bidi_note: Option<String>,
    pub from_start: bool,
    pub lookup: LookupFactory,
}

/// A restored terminal on every way out of `run`, errors included.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        crate::terminal::restore();
    }
}

/// Runs the reader until the user quits. Returns the exit code.
pub fn run(setup: ReaderSetup) -> anyhow::Result<i32> {
    let ReaderSetup {
        doc,
        mut rest,
        config,
        keymap,
        keymap_name,
        bidi,
        bidi_note,
        from_start,
        lookup,
    } = setup;
    let path: Option<PathBuf> = doc.path.clone();
    let (saved, state_warnings) = match &path {
        Some(path) => state::load(path),
        None => (None, Vec::new()),
    };
    let saved = saved.filter(|_| !from_start);

    let mut terminal = crate::terminal::enter(bidi == BidiMode::App)?;
    let _restore = Restore;
    let size = terminal.size()?;
    let config = Config {
        bidi: Some(bidi),
        ..config
    };
    let mut app = App::new(doc, &config, size.width, size.height);
    app.bidi_note = bidi_note;
    app.loading = rest.is_some();
    if let Some(saved) = saved {
        app.restore_position(saved.top_offset, saved.top_line, saved.cursor_offset);
    }
    if let Some(first) = state_warnings.first() {
        app::update(&mut app, Msg::Status(Level::Warning, first.clone()));
    }
    app.greet(&keymap, saved.is_some());
    let mut ui_context = UiContext::new(&keymap, keymap_name, config.colors.clone());
    ui_context.cell_order = crate::terminal::TerminalKind::detect().cell_order(bidi);

    let (request_tx, request_rx) = mpsc::channel::<Request>();
    let (done_tx, done_rx) = mpsc::channel::<Msg>();
    std::thread::Builder::new()
        .name("the lookup worker".into())
        .spawn(move || worker(lookup, request_rx, done_tx))?;

    let mut input = InputState::default();
    let mut effects = app.start();
    // Whatever ends the loop, an error included (a terminal that went away), the
    // position is saved.
    let mut exit_code = 0;
    let outcome = (|| -> anyhow::Result<()> {
        loop {
            match crate::terminal::pending_signal() {
                Some(SignalRequest::Quit(signal)) => {
                    exit_code = 128 + signal;
                    break;
                }
                Some(SignalRequest::Suspend) => effects.push(Effect::Suspend),
                Some(SignalRequest::Resume) => {
                    crate::terminal::take_back()?;
                    effects.extend(after_resume(&mut app, &mut terminal)?);
                }
                None => {}
            }
            while let Some(panic) = crate::terminal::take_thread_panic() {
                let text = format!("internal error in {panic}");
                effects.extend(app::update(&mut app, Msg::Status(Level::Error, text)));
            }
            for effect in std::mem::take(&mut effects) {
                match effect {
                    Effect::Lookup { id, text } => {
                        let _ = request_tx.send(Request::Lookup { id, text });
                    }
                    Effect::SaveGloss { id, word, gloss } => {
                        let _ = request_tx.send(Request::Save { id, word, gloss });
                    }
                    Effect::Redraw => terminal.clear()?,
                    Effect::Suspend => {
                        crate::terminal::suspend()?;
                        effects.extend(after_resume(&mut app, &mut terminal)?);
                    }
                    Effect::Quit => {}
                }
            }
            if app.quit {
                break;
            }
            terminal.draw(|frame| ui::draw(&app, &ui_context, frame))?;

            while let Ok(msg) = done_rx.try_recv() {
                effects.extend(app::update(&mut app, msg));
            }
            if let Some(receiver) = &rest {
                match receiver.try_recv() {
                    Ok(Ok(doc)) => {
                        effects.extend(app::update(&mut app, Msg::DocumentLoaded(Box::new(doc))));
                    }
                    Ok(Err(err)) => {
                        app.loading = false;
                        app.say(Level::Error, format!("cannot read the rest: {err}"));
                    }
                    Err(mpsc::TryRecvError::Empty) => {}
                    Err(mpsc::TryRecvError::Disconnected) => {
                        // The loader ended without an answer: it panicked.
                        app.loading = false;
                        let why = crate::terminal::take_thread_panic()
                            .unwrap_or_else(|| "it stopped without an answer".to_owned());
                        let text = format!("cannot read the rest of the document: {why}");
                        effects.extend(app::update(&mut app, Msg::Status(Level::Error, text)));
                    }
                }
                if !app.loading {
                    rest = None;
                    continue;
                }
            }
            if !event::poll(Duration::from_millis(50))? {
                effects.extend(app::expire_pending(&mut app, &mut input, Instant::now()));
                continue;
            }
            let msg = match event::read()? {
                Event::Key(key) => {
                    effects.extend(app::handle_key(&mut app, &keymap, &mut input, key));
                    continue;
                }
                Event::Resize(width, height) => Msg::Resize(width, height),
                Event::Mouse(mouse) => match mouse.kind {
                    MouseEventKind::Down(MouseButton::Left) => Msg::Click(mouse.column, mouse.row),
                    MouseEventKind::ScrollDown => Msg::Wheel(3),
                    MouseEventKind::ScrollUp => Msg::Wheel(-3),
                    _ => continue,
                },
                _ => continue,
            };
            effects.extend(app::update(&mut app, msg));
        }
        Ok(())
    })();

    let saved = match &path {
        Some(path) => {
            let (top_offset, top_line, cursor_offset) = app.position();
            let position = SavedPosition {
                top_offset,
                top_line,
                cursor_offset,
            };
            state::save(path, position)
        }
        None => Ok(()),
    };
    drop(_restore);
    // Panics of other threads the status bar had no time to show.
    while let Some(panic) = crate::terminal::take_thread_panic() {
        eprintln!("qari: internal error in {panic}");
    }
    if let Err(err) = saved {
        eprintln!("qari: cannot save the reading position: {err}");
        outcome?;
        return Ok(if exit_code == 0 { 1 } else { exit_code });
    }
    outcome?;
    Ok(exit_code)
}

/// After a stop: everything is drawn again, at the terminal's size now.
fn after_resume(app: &mut App, terminal: &mut crate::terminal::Tui) -> anyhow::Result<Vec<Effect>> {
    terminal.clear()?;
    let size = terminal.size()?;
    Ok(app::update(app, Msg::Resize(size.width, size.height)))
}

/// A job for the lookup worker.
enum Request {
    Lookup {
        id: u64,
        text: String,
    },
    Save {
        id: u64,
        word: String,
        gloss: String,
    },
}

/// The lookup worker: opens the sources, then answers requests until the reader quits.
/// A panic while opening or answering is caught: the user gets an error message and the
/// worker goes on with the next request (with no sources, if opening them failed).
fn worker(factory: LookupFactory, requests: mpsc::Receiver<Request>, answers: mpsc::Sender<Msg>) {
    let opened = catch_unwind(AssertUnwindSafe(factory));
    let (source, warnings): (Box<dyn PanelSource>, Vec<String>) = match opened {
        Ok(opened) => opened,
        Err(payload) => {
            let why = format!(
                "cannot open the glossary (internal error: {})",
                crate::terminal::panic_text(&*payload)
            );
            (Box::new(Unavailable(why.clone())), vec![why])
        }
    };
    if let Some(first) = warnings.first() {
        let more = match warnings.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        let _ = answers.send(Msg::Status(Level::Warning, format!("{first}{more}")));
    }
    while let Ok(mut request) = requests.recv() {
        // Only the newest lookup matters when the cursor moved quickly; saves all run.
        while let Request::Lookup { .. } = request {
            match requests.try_recv() {
                Ok(newer) => request = newer,
                Err(_) => break,
            }
        }
        let (id, text) = match &request {
            Request::Lookup { id, text } => (*id, text.clone()),
            Request::Save { id, word, .. } => (*id, word.clone()),
        };
        let answered = catch_unwind(AssertUnwindSafe(|| answer(&*source, request, &answers)));
        let answer = match answered {
            Ok(Some(answer)) => answer,
            Ok(None) => break,
            Err(payload) => {
                let why = format!("internal error: {}", crate::terminal::panic_text(&*payload));
                let _ = answers.send(Msg::Status(
                    Level::Error,
                    format!("the lookup of {text} failed ({why}); other lookups go on"),
                ));
                Msg::LookupDone {
                    id,
                    content: PanelContent {
                        title: text,
                        warnings: vec![format!("the lookup failed: {why}")],
                        ..PanelContent::default()
                    },
                }
            }
        };
        if answers.send(answer).is_err() {
            break;
        }
    }
}

/// Carries out one request; `None` when the reader has gone.
fn answer(source: &dyn PanelSource, request: Request, answers: &mpsc::Sender<Msg>) -> Option<Msg> {
    Some(match request {
        Request::Lookup { id, text } => Msg::LookupDone {
            id,
            content: source.lookup(&text),
        },
        Request::Save { id, word, gloss } => {
            let status = match source.save_gloss(&word, &gloss) {
                Ok(message) => Msg::Status(Level::Info, message),
                Err(message) => Msg::Status(Level::Error, message),
            };
            answers.send(status).ok()?;
            Msg::LookupDone {
                id,
                content: source.lookup(&word),
            }
        }
    })
}

/// The panel's source when the glossary could not be opened.
struct Unavailable(String);

impl PanelSource for Unavailable {
    fn lookup(&self, text: &str) -> PanelContent {
        PanelContent {
            title: text.to_owned(),
            warnings: vec![self.0.clone()],
            ..PanelContent::default()
        }
    }

    fn save_gloss(&self, _word: &str, _gloss: &str) -> Result<String, String> {
        Err(self.0.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

        fn save_gloss(&self, _word: &str, _gloss: &str) -> Result<String, String> {
            Ok(String::new())
        }
    }

    fn lookup_done(msg: Msg) -> (u64, PanelContent) {
        match msg {
            Msg::LookupDone { id, content } => (id, content),
            other => panic!("expected an answer, got {other:?}"),
        }
    }

    #[test]
    fn a_panicking_lookup_is_an_error_and_the_worker_goes_on() {
        let (request_tx, request_rx) = mpsc::channel();
        let (done_tx, done_rx) = mpsc::channel();
        let factory: LookupFactory = Box::new(|| (Box::new(Fragile), Vec::new()));
        let worker = std::thread::spawn(move || worker(factory, request_rx, done_tx));
        let text = "boom".to_owned();
        request_tx.send(Request::Lookup { id: 1, text }).unwrap();
        let Msg::Status(Level::Error, status) = done_rx.recv().unwrap() else {
            panic!("expected an error in the status bar");
        };
        assert!(status.contains("the lookup of boom failed"), "{status}");
        let (id, content) = lookup_done(done_rx.recv().unwrap());
        assert_eq!(id, 1);
        assert!(
            content.warnings[0].starts_with("the lookup failed"),
            "{content:?}"
        );
        // The same worker answers the next request.
        let text = "كتاب".to_owned();
        request_tx.send(Request::Lookup { id: 2, text }).unwrap();
        let (id, content) = lookup_done(done_rx.recv().unwrap());
        assert_eq!(
            (id, content.personal.as_deref()),
            (2, Some("entry for كتاب"))
        );
        drop(request_tx);
        worker
            .join()
            .expect("the worker ends when the reader goes, without a panic");
    }

    #[test]
    fn a_glossary_that_panics_while_opening_leaves_lookups_answered() {
        let (request_tx, request_rx) = mpsc::channel();
        let (done_tx, done_rx) = mpsc::channel();
        let factory: LookupFactory = Box::new(|| panic!("corrupt index"));
        let worker = std::thread::spawn(move || worker(factory, request_rx, done_tx));
        let Msg::Status(Level::Warning, status) = done_rx.recv().unwrap() else {
            panic!("expected a message in the status bar");
        };
        assert!(status.contains("corrupt index"), "{status}");
        let text = "كتاب".to_owned();
        request_tx.send(Request::Lookup { id: 7, text }).unwrap();
        let (id, content) = lookup_done(done_rx.recv().unwrap());
        assert_eq!(id, 7);
        assert!(
            content.warnings[0].contains("cannot open the glossary"),
            "{content:?}"
        );
        drop(request_tx);
        worker.join().unwrap();
    }
}
