//! The reader's event loop: terminal events become messages for `app::update`, its
//! effects become jobs in `tasks` lanes (whose answers come back over one channel, as
//! messages for `update` too), and the screen is drawn from the App after each change.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, MouseButton, MouseEventKind};

use crate::app::{self, App, Effect, InputState, Level, Msg};
use crate::config::{BidiMode, Config};
use crate::document::Document;
use crate::keymap::Keymap;
use crate::state;
use crate::tasks::Lane;
use crate::tasks::document::{LoadDocument, LoadRequest};
use crate::tasks::glossary::{GlossaryJob, GlossaryRequest, LookupFactory};
use crate::tasks::translate::TranslateJob;
use crate::terminal::SignalRequest;
use crate::ui::{self, UiContext};

/// What the reader needs to start.
pub struct ReaderSetup {
    pub doc: Document,
    /// What loads the document in the background: the whole of a large file whose
    /// first part `doc` is, or the page at a URL (`doc` is then empty until it arrives).
    pub load: Option<LoadRequest>,
    pub config: Config,
    pub keymap: Keymap,
    pub keymap_name: String,
    pub bidi: BidiMode,
    /// Why `bidi` was chosen, when it was not asked for (shown in the status bar).
    pub bidi_note: Option<String>,
    pub from_start: bool,
    pub lookup: LookupFactory,
    /// How translations use the answer cache (`--no-cache`, `--offline`).
    pub translate_cache: crate::translate::CacheMode,
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
        load,
        config,
        keymap,
        keymap_name,
        bidi,
        bidi_note,
        from_start,
        lookup,
        translate_cache,
    } = setup;
    // A file's position is kept under its path, a page's under its URL as typed.
    let path: Option<PathBuf> = match &load {
        Some(LoadRequest::Url { url, .. }) => Some(PathBuf::from(url)),
        _ => doc.path.clone(),
    };
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
    if let Some(note) = bidi_note {
        app::update(&mut app, Msg::BidiNote(note));
    }
    // Every lane answers on one channel; `update` drops answers nobody waits for.
    let (done_tx, done_rx) = mpsc::channel::<Msg>();
    let mut loader = Lane::spawn("the document loader", LoadDocument, done_tx.clone())?;
    if let Some(request) = load {
        const DOCUMENT: crate::tasks::JobId = 1;
        let msg = match &request {
            LoadRequest::Url { url, .. } => Msg::Downloading {
                id: DOCUMENT,
                url: url.clone(),
            },
            LoadRequest::Rest(_) => Msg::LoadingDocument(DOCUMENT),
        };
        loader.submit(DOCUMENT, request);
        app::update(&mut app, msg);
    }
    // Restored once the document is here (a page downloads first).
    if let Some(saved) = saved {
        app::update(&mut app, Msg::RestorePosition(saved));
    }
    if let Some(first) = state_warnings.first() {
        app::update(&mut app, Msg::Status(Level::Warning, first.clone()));
    }
    if let Some(text) = app.greeting(&keymap, saved.is_some()) {
        app::update(&mut app, Msg::Status(Level::Info, text));
    }
    let mut ui_context = UiContext::new(&keymap, keymap_name, config.colors.clone());
    ui_context.cell_order = crate::terminal::TerminalKind::detect().cell_order(bidi);

    let mut glossary = Lane::spawn(
        "the lookup worker",
        GlossaryJob::new(lookup),
        done_tx.clone(),
    )?;
    let provider = translate_provider(&config, translate_cache, &done_tx);
    let mut translator = match &provider {
        Some(provider) => Some(Lane::spawn(
            "the translation worker",
            TranslateJob::new(Arc::clone(provider)),
            done_tx.clone(),
        )?),
        None => None,
    };
    let info = provider
        .as_deref()
        .map(|provider| translator_info(provider, &config.translate));
    app::update(&mut app, Msg::Translator(info));

    let mut input = InputState::default();
    let mut effects = app::update(&mut app, Msg::Start);
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
                    Effect::Lookup { id, text, previous } => {
                        glossary.submit(id, GlossaryRequest::Lookup { text, previous });
                    }
                    Effect::SaveGloss { id, word, gloss } => {
                        glossary.submit(id, GlossaryRequest::Save { word, gloss });
                    }
                    Effect::Translate { id, request } => {
                        if let Some(lane) = &mut translator {
                            lane.submit(id, request);
                        }
                    }
                    Effect::CancelTranslation => {
                        if let Some(lane) = &mut translator {
                            lane.cancel();
                        }
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
            // While a translation streams in, its pieces are drawn within a frame
            // (16 ms) of their arrival; otherwise a 50 ms tick is enough for spinners.
            let tick = if app.translations.is_waiting() {
                Duration::from_millis(16)
            } else {
                Duration::from_millis(50)
            };
            if !event::poll(tick)? {
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

    // A page that never arrived has no position to keep (the saved one stays).
    let saved = match &path {
        Some(path) if app.download.is_none() && app.failed.is_none() => {
            state::save(path, app.position())
        }
        _ => Ok(()),
    };
    drop(_restore);
    // Panics of other threads the status bar had no time to show.
    while let Some(panic) = crate::terminal::take_thread_panic() {
        eprintln!(
            "{}",
            crate::cli::safe::for_terminal(&format!("qari: internal error in {panic}"))
        );
    }
    if let Some(error) = &app.failed {
        eprintln!(
            "{}",
            crate::cli::safe::for_terminal(&format!("qari: {error}"))
        );
        outcome?;
        return Ok(if exit_code == 0 { 1 } else { exit_code });
    }
    if let Err(err) = saved {
        eprintln!(
            "{}",
            crate::cli::safe::for_terminal(&format!(
                "qari: cannot save the reading position: {err}"
            ))
        );
        outcome?;
        return Ok(if exit_code == 0 { 1 } else { exit_code });
    }
    outcome?;
    Ok(exit_code)
}

/// The translation provider from the configuration (`[translate]` in config.toml), behind
/// the answer cache; `None` while translation is not configured (the panel then says how
/// to set it up). Notes about the cache (locked by another process, rebuilt after damage)
/// and a provider that cannot be opened reach the status bar.
///
/// This is the one place the reader gets its provider.
fn translate_provider(
    config: &Config,
    cache: crate::translate::CacheMode,
    messages: &mpsc::Sender<Msg>,
) -> Option<Arc<dyn crate::translate::Provider>> {
    let notes = Mutex::new(messages.clone());
    let warn: crate::translate::Warn = Arc::new(move |note: &str| {
        if let Ok(sender) = notes.lock() {
            let _ = sender.send(Msg::Status(Level::Warning, note.to_owned()));
        }
    });
    match crate::translate::open(&config.translate, cache, warn) {
        Ok(provider) => provider,
        Err(err) => {
            let _ = messages.send(Msg::Status(
                Level::Warning,
                format!("translation is off: {err}"),
            ));
            None
        }
    }
}

/// What the reader shows of `provider`, with the languages of `[translate]`.
fn translator_info(
    provider: &dyn crate::translate::Provider,
    config: &crate::translate::config::TranslateConfig,
) -> app::TranslatorInfo {
    app::TranslatorInfo {
        name: provider.name().to_owned(),
        can_explain: provider.can_explain(),
        from: config.from.clone(),
        to: config.to.clone(),
        prefetch: config.prefetch,
    }
}

/// After a stop: everything is drawn again, at the terminal's size now.
fn after_resume(app: &mut App, terminal: &mut crate::terminal::Tui) -> anyhow::Result<Vec<Effect>> {
    terminal.clear()?;
    let size = terminal.size()?;
    Ok(app::update(app, Msg::Resize(size.width, size.height)))
}
