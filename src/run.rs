//! The reader's event loop: terminal events become messages for `app::update`, its
//! effects are carried out (lookups on a worker thread, whose answers come back over a
//! channel), and the screen is drawn from the App after each change.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use crossterm::event::{self, Event, MouseButton, MouseEventKind};

use crate::app::{self, App, Effect, InputState, Level, Msg, PanelContent};
use crate::config::{BidiMode, Config};
use crate::document::Document;
use crate::glossary::{Glossary, GlossaryConfig};
use crate::keymap::Keymap;
use crate::state::{self, SavedPosition};
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

/// The panel's text for the entries of `text` (a word, or a phrase of two or three).
/// Problems with a source (a DICT server that is down or slow) are shown too.
pub fn panel_content(glossary: &Glossary, text: &str) -> PanelContent {
    let words: Vec<&str> = text.split_whitespace().collect();
    let (entries, warnings) = if words.len() > 1 {
        (glossary.lookup_phrase(&words), Vec::new())
    } else {
        let found = glossary.lookup_detailed(text);
        (found.entries, found.warnings)
    };
    let mut body = Vec::new();
    for warning in warnings {
        body.push(format!("(!) {warning}"));
    }
    if entries.is_empty() {
        body.push("No entry found.".to_owned());
    }
    for entry in entries {
        // Each on its own paragraph, so each gets its own base direction: the
        // headword right-to-left, the English definition left-to-right.
        body.push(entry.headword.clone());
        body.push(entry.definition.trim().to_owned());
        match &entry.analysis {
            Some(analysis) => body.push(format!("[{}] {analysis}", entry.source)),
            None => body.push(format!("[{}]", entry.source)),
        }
        body.push(String::new());
    }
    PanelContent {
        title: text.to_owned(),
        body,
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
    let saved = match (&path, from_start) {
        (Some(path), false) => state::load(path),
        _ => None,
    };

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
    let ui_context = UiContext {
        colors: config.colors.clone(),
        help: keymap
            .help_entries()
            .into_iter()
            .map(|e| (e.keys, e.desc))
            .collect(),
        keymap_name,
        cell_order: crate::terminal::TerminalKind::detect().cell_order(bidi),
    };

    let (request_tx, request_rx) = mpsc::channel::<Request>();
    let (done_tx, done_rx) = mpsc::channel::<Msg>();
    std::thread::spawn(move || worker(lookup, request_rx, done_tx));

    let mut input = InputState::default();
    let mut effects = app.start();
    loop {
        for effect in effects.drain(..) {
            match effect {
                Effect::Lookup { id, text } => {
                    let _ = request_tx.send(Request::Lookup { id, text });
                }
                Effect::SaveGloss { id, word, gloss } => {
                    let _ = request_tx.send(Request::Save { id, word, gloss });
                }
                Effect::Redraw => terminal.clear()?,
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
                Err(mpsc::TryRecvError::Disconnected) => app.loading = false,
            }
            if !app.loading {
                rest = None;
                continue;
            }
        }
        if !event::poll(Duration::from_millis(50))? {
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

    if let Some(path) = &path {
        let (top_offset, top_line, cursor_offset) = app.position();
        if let Err(err) = state::save(
            path,
            SavedPosition {
                top_offset,
                top_line,
                cursor_offset,
            },
        ) {
            app.say(
                Level::Error,
                format!("cannot save the reading position: {err}"),
            );
            drop(_restore);
            eprintln!("qari: cannot save the reading position: {err}");
        }
    }
    Ok(0)
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
fn worker(factory: LookupFactory, requests: mpsc::Receiver<Request>, answers: mpsc::Sender<Msg>) {
    let (source, warnings) = factory();
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
        let answer = match request {
            Request::Lookup { id, text } => Msg::LookupDone {
                id,
                content: source.lookup(&text),
            },
            Request::Save { id, word, gloss } => {
                let status = match source.save_gloss(&word, &gloss) {
                    Ok(message) => Msg::Status(Level::Info, message),
                    Err(message) => Msg::Status(Level::Error, message),
                };
                if answers.send(status).is_err() {
                    break;
                }
                Msg::LookupDone {
                    id,
                    content: source.lookup(&word),
                }
            }
        };
        if answers.send(answer).is_err() {
            break;
        }
    }
}
