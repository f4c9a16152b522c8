//! The glossary lane: opens the dictionaries on its worker thread (so that loading them
//! never delays the first frame), then answers lookups and saves personal glosses.
//! Lookups are latest-wins; saves are kept, in order.

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::{CancelToken, Emitter, Job, JobId};
use crate::app::{Level, Msg, PanelContent, PanelEntry};
use crate::glossary::{Glossary, GlossaryConfig};

/// What the side panel asks of the glossary. Runs off the UI thread.
pub trait PanelSource: Send {
    /// The panel's entries for a word or a phrase.
    fn lookup(&self, text: &str) -> PanelContent;
    /// [`PanelSource::lookup`] of a word read after `previous` in its sentence.
    fn lookup_after(&self, text: &str, previous: Option<&str>) -> PanelContent {
        let _ = previous;
        self.lookup(text)
    }
    /// Saves the user's own gloss for `word`; returns a message for the status bar.
    fn save_gloss(&self, word: &str, gloss: &str) -> Result<String, String>;
}

/// Makes the [`PanelSource`] on the worker thread; also returns warnings about the
/// sources for the status bar.
pub type LookupFactory = Box<dyn FnOnce() -> (Box<dyn PanelSource>, Vec<String>) + Send>;

impl PanelSource for Glossary {
    fn lookup(&self, text: &str) -> PanelContent {
        panel_content(self, text)
    }

    fn lookup_after(&self, text: &str, previous: Option<&str>) -> PanelContent {
        panel_content_after(self, text, previous)
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

/// The panel's entries for `text` (a word, or a phrase of two or three), best first,
/// and problems with a source (a DICT server that is down or slow).
pub fn panel_content(glossary: &Glossary, text: &str) -> PanelContent {
    panel_content_after(glossary, text, None)
}

/// [`panel_content`] for a word read after `previous` in its sentence.
pub fn panel_content_after(
    glossary: &Glossary,
    text: &str,
    previous: Option<&str>,
) -> PanelContent {
    let words: Vec<&str> = text.split_whitespace().collect();
    let (entries, warnings) = if words.len() > 1 {
        (glossary.lookup_phrase(&words), Vec::new())
    } else {
        let found = glossary.lookup_in_context(text, previous);
        (found.entries, found.warnings)
    };
    PanelContent {
        title: text.to_owned(),
        warnings: warnings.iter().map(ToString::to_string).collect(),
        entries: entries.iter().map(PanelEntry::from).collect(),
        personal: glossary.personal_entry(text).map(|(gloss, _)| gloss),
    }
}

/// A request to the glossary lane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GlossaryRequest {
    /// Answered with [`Msg::LookupDone`]; `previous` is the word before `text`.
    Lookup {
        text: String,
        previous: Option<String>,
    },
    /// Answered with a status message, then [`Msg::LookupDone`] for `word`.
    Save { word: String, gloss: String },
}

/// The glossary's worker: the factory until [`Job::start`] opens it, then the source.
pub struct GlossaryJob {
    factory: Option<LookupFactory>,
    source: Box<dyn PanelSource>,
}

impl GlossaryJob {
    pub fn new(factory: LookupFactory) -> Self {
        GlossaryJob {
            factory: Some(factory),
            source: Box::new(Unavailable("the glossary is not open yet".to_owned())),
        }
    }
}

impl Job for GlossaryJob {
    type Request = GlossaryRequest;
    type Message = Msg;

    /// Opens the sources. A panic while opening leaves a source that says so for every
    /// lookup, so that the panel still answers.
    fn start(&mut self, out: &Emitter<Msg>) {
        let Some(factory) = self.factory.take() else {
            return;
        };
        let (source, warnings): (Box<dyn PanelSource>, Vec<String>) =
            match catch_unwind(AssertUnwindSafe(factory)) {
                Ok(opened) => opened,
                Err(payload) => {
                    let why = format!(
                        "cannot open the glossary (internal error: {})",
                        crate::terminal::panic_text(&*payload)
                    );
                    (Box::new(Unavailable(why.clone())), vec![why])
                }
            };
        self.source = source;
        if let Some(first) = warnings.first() {
            let more = match warnings.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            out.send(Msg::Status(Level::Warning, format!("{first}{more}")));
        }
    }

    fn run(
        &mut self,
        id: JobId,
        request: GlossaryRequest,
        cancel: &CancelToken,
        out: &Emitter<Msg>,
    ) {
        match request {
            GlossaryRequest::Lookup { text, previous } => {
                // Superseded while it waited: nobody reads the answer.
                if cancel.is_cancelled() {
                    return;
                }
                let content = self.source.lookup_after(&text, previous.as_deref());
                out.send(Msg::LookupDone { id, content });
            }
            GlossaryRequest::Save { word, gloss } => {
                let status = match self.source.save_gloss(&word, &gloss) {
                    Ok(message) => Msg::Status(Level::Info, message),
                    Err(message) => Msg::Status(Level::Error, message),
                };
                out.send(status);
                let content = self.source.lookup(&word);
                out.send(Msg::LookupDone { id, content });
            }
        }
    }

    fn panicked(&mut self, id: JobId, what: &str, why: &str, out: &Emitter<Msg>) {
        let why = format!("internal error: {why}");
        out.send(Msg::Status(
            Level::Error,
            format!("the lookup of {what} failed ({why}); other lookups go on"),
        ));
        out.send(Msg::LookupFailed {
            id,
            title: what.to_owned(),
            error: format!("the lookup failed: {why}"),
        });
    }

    fn describe(request: &GlossaryRequest) -> String {
        match request {
            GlossaryRequest::Lookup { text, .. } => text.clone(),
            GlossaryRequest::Save { word, .. } => word.clone(),
        }
    }

    fn keep(request: &GlossaryRequest) -> bool {
        matches!(request, GlossaryRequest::Save { .. })
    }
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
mod tests;
