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

/// Looks up a word or phrase for the side panel. Runs off the UI thread.
pub type Lookup = Box<dyn Fn(&str) -> PanelContent + Send>;

/// Makes the [`Lookup`] on the worker thread, so that loading dictionaries never delays
/// the first frame; also returns warnings about the sources for the status bar.
pub type LookupFactory = Box<dyn FnOnce() -> (Lookup, Vec<String>) + Send>;

/// The glossary as the side panel's lookup.
pub fn glossary_lookup(config: GlossaryConfig) -> LookupFactory {
    Box::new(move || {
        let (glossary, warnings) = Glossary::open(&config);
        let lookup: Lookup = Box::new(move |text: &str| panel_content(&glossary, text));
        (lookup, warnings.iter().map(ToString::to_string).collect())
    })
}

/// The panel's text for the entries of `text` (a word, or a phrase of two or three).
pub fn panel_content(glossary: &Glossary, text: &str) -> PanelContent {
    let words: Vec<&str> = text.split_whitespace().collect();
    let entries = if words.len() > 1 {
        glossary.lookup_phrase(&words)
    } else {
        glossary.lookup(text)
    };
    let mut body = Vec::new();
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
    }
}

/// What the reader needs to start.
pub struct ReaderSetup {
    pub doc: Document,
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
    let mut app = App::new(doc, &config, size.width, size.height);
    if bidi == BidiMode::Terminal {
        app.options.shaping = false;
        app.options.reorder = false;
    }
    app.bidi_note = bidi_note;
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
    };

    let (lookup_tx, lookup_rx) = mpsc::channel::<(u64, String)>();
    let (done_tx, done_rx) = mpsc::channel::<(u64, PanelContent)>();
    let (warn_tx, warn_rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        let (lookup, warnings) = lookup();
        for warning in warnings {
            let _ = warn_tx.send(warning);
        }
        while let Ok((id, text)) = lookup_rx.recv() {
            // Only the newest request matters when the cursor moved quickly.
            let (mut id, mut text) = (id, text);
            while let Ok(newer) = lookup_rx.try_recv() {
                (id, text) = newer;
            }
            if done_tx.send((id, lookup(&text))).is_err() {
                break;
            }
        }
    });

    let mut input = InputState::default();
    let mut effects = app.start();
    loop {
        for effect in effects.drain(..) {
            match effect {
                Effect::Lookup { id, text } => {
                    let _ = lookup_tx.send((id, text));
                }
                Effect::Redraw => terminal.clear()?,
                Effect::Quit => {}
            }
        }
        if app.quit {
            break;
        }
        terminal.draw(|frame| ui::draw(&app, &ui_context, frame))?;

        if let Ok(warning) = warn_rx.try_recv() {
            app.say(Level::Warning, warning);
        }
        while let Ok((id, content)) = done_rx.try_recv() {
            effects.extend(app::update(&mut app, Msg::LookupDone { id, content }));
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
