//! Machine translation in the reader: what the translate and explain actions ask for,
//! and what their answers do to the panel. Requests become [`Effect::Translate`]; the
//! answers come back as messages with their job id, and an answer to a request the
//! reader no longer waits for is dropped.
//!
//! Text from a provider is hostile: it is cleaned ([`Cleaner`]) as it arrives, before
//! anything can draw it.

use std::ops::Range;
use std::time::Instant;

use super::{Action, App, Effect, Level, PanelContent, PanelView};
use crate::tasks::JobId;
use crate::translate::{Request, Task, TranslateError};

/// What the reader knows of the configured provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslatorInfo {
    /// The provider's name, as shown in the panel ("DeepL").
    pub name: String,
    /// True when it can explain a word in its sentence (a chat model).
    pub can_explain: bool,
    /// Language codes, lower case.
    pub from: String,
    pub to: String,
    /// Translate the next sentence ahead, after a sentence's translation is done.
    pub prefetch: bool,
}

/// A stretch of the document: (paragraph, byte offset in it) from `start` to `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: (usize, usize),
    pub end: (usize, usize),
}

impl Span {
    /// The bytes of paragraph `para` inside the span, if any.
    pub fn in_paragraph(&self, para: usize) -> Option<Range<usize>> {
        if para < self.start.0 || para > self.end.0 {
            return None;
        }
        let from = if para == self.start.0 {
            self.start.1
        } else {
            0
        };
        let to = if para == self.end.0 {
            self.end.1
        } else {
            usize::MAX
        };
        Some(from..to)
    }

    /// True when the byte `offset` of paragraph `para` lies in the span.
    pub fn contains(&self, para: usize, offset: usize) -> bool {
        self.in_paragraph(para).is_some_and(|r| r.contains(&offset))
    }
}

/// What a machine answer was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MachineTask {
    Sentence,
    Paragraph,
    Selection,
    /// The meaning of `word` in its sentence.
    Explain {
        word: String,
    },
}

impl MachineTask {
    /// The action that asks for it again (the panel names its key for a retry).
    pub fn action(&self) -> Action {
        match self {
            MachineTask::Sentence => Action::TranslateSentence,
            MachineTask::Paragraph => Action::TranslateParagraph,
            MachineTask::Selection => Action::TranslateSelection,
            MachineTask::Explain { .. } => Action::ExplainWord,
        }
    }
}

/// Where a machine answer stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MachineState {
    /// Translation is not configured: the panel says how to set it up.
    NotConfigured,
    /// Asked, nothing back yet, or the text so far.
    Streaming { text: String },
    /// The whole answer.
    Done { text: String },
    /// It failed; the message says why (never a key).
    Failed { message: String },
    /// `--offline`, and the cache has no answer.
    Offline,
    /// The cursor left the text before the answer was complete: the request was
    /// cancelled, what had come stays.
    Stopped { text: String },
}

/// A machine answer as the panel shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MachineText {
    pub task: MachineTask,
    /// The text sent, in logical order.
    pub source: String,
    /// Where it is in the document: highlighted while the answer shows.
    pub span: Span,
    /// The provider's name ("" when none is configured).
    pub provider: String,
    /// The language of the answer ("en"; "" when none is configured).
    pub to: String,
    /// When it was asked, for the elapsed time.
    pub since: Instant,
    pub state: MachineState,
}

/// Cleans streamed text before anything draws it: escape sequences are removed whole,
/// other controls become visible placeholders, bidi controls go. A piece may end in
/// the middle of an escape sequence, so text from the last ESC on waits for the next
/// piece (or the end).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaner {
    clean: String,
    held: String,
}

/// Text held back after an ESC longer than this is let through (cleaned): no real
/// escape sequence is this long, and the reader must see the text.
const MAX_HELD: usize = 256;

impl Cleaner {
    /// Adds a raw piece.
    pub fn push(&mut self, piece: &str) {
        self.held.push_str(piece);
        let cut = self
            .held
            .rfind(['\u{1b}', '\u{9b}', '\u{9d}', '\u{90}'])
            .filter(|&at| self.held.len() - at <= MAX_HELD)
            .unwrap_or(self.held.len());
        let ready: String = self.held[..cut].to_owned();
        self.held.drain(..cut);
        self.clean.push_str(&clean(&ready));
    }

    /// The clean text so far (what is held back is not shown yet).
    pub fn text(&self) -> &str {
        &self.clean
    }
}

/// `text` made safe to draw (see [`Cleaner`]).
pub fn clean(text: &str) -> String {
    crate::cli::safe::for_terminal(text).into_owned()
}

/// The request the panel waits for, and the one running ahead.
#[derive(Debug, Default)]
pub struct Translations {
    pub info: Option<TranslatorInfo>,
    next_id: JobId,
    /// The request whose answer the panel shows, and its text so far.
    waiting: Option<(JobId, Cleaner)>,
    /// The next sentence, translated ahead: its text, the job and its answer so far.
    ahead: Option<Ahead>,
}

#[derive(Debug)]
struct Ahead {
    id: JobId,
    source: String,
    text: Cleaner,
    done: bool,
}

impl Translations {
    /// True while the panel waits for an answer.
    pub fn is_waiting(&self) -> bool {
        self.waiting.is_some()
    }

    fn next(&mut self) -> JobId {
        self.next_id += 1;
        self.next_id
    }
}

/// The machine answer the panel shows, if any.
pub fn shown(app: &App) -> Option<&MachineText> {
    match &app.panel.shows {
        PanelView::Machine { answer, .. } => Some(answer),
        _ => None,
    }
}

fn shown_mut(app: &mut App) -> Option<&mut MachineText> {
    match &mut app.panel.shows {
        PanelView::Machine { answer, .. } => Some(answer),
        _ => None,
    }
}

/// Carries out a translate or explain action.
pub(super) fn ask(app: &mut App, action: Action, effects: &mut Vec<Effect>) {
    let target = match action {
        Action::TranslateSelection => match selection_target(app) {
            Some(target) => target,
            None => return,
        },
        _ => cursor_target(app, action),
    };
    let Some((task, span, source)) = target else {
        app.say(Level::Info, "no word under the cursor");
        return;
    };
    app.panel.visible = true;
    app.panel.scroll = 0;
    let entries = match &task {
        MachineTask::Explain { word } => app
            .panel
            .shows
            .entries()
            .filter(|content| &content.title == word)
            .cloned(),
        _ => None,
    };
    let mut answer = MachineText {
        task: task.clone(),
        source: source.clone(),
        span,
        provider: String::new(),
        to: String::new(),
        since: Instant::now(),
        state: MachineState::NotConfigured,
    };
    if let (Some(info), MachineTask::Explain { .. }) = (&app.translations.info, &task)
        && !info.can_explain
    {
        let text = format!(
            "{} only translates: explaining a word needs an OpenAI-compatible chat provider \
             (provider = \"openai\" under [translate] in config.toml)",
            info.name
        );
        app.say(Level::Warning, text);
        return;
    }
    stop_waiting(app, effects);
    // A lookup still on its way would replace the answer: nobody waits for it now.
    app.pending_lookup = None;
    let Some(info) = app.translations.info.clone() else {
        app.panel.shows = PanelView::Machine { entries, answer };
        return;
    };
    answer.provider = info.name.clone();
    answer.to = info.to.clone();
    let request_task = match &task {
        MachineTask::Explain { word } => Task::Explain { word: word.clone() },
        _ => Task::Translate,
    };
    // The glossary's entries for the word, under which the explanation shows.
    if let MachineTask::Explain { word } = &task
        && entries.is_none()
    {
        effects.push(app.lookup_in_place(word.clone()));
    }
    // The next sentence may be here already, or on its way.
    if let Some(ahead) = app.translations.ahead.take_if(|a| a.source == source) {
        answer.state = if ahead.done {
            MachineState::Done {
                text: ahead.text.text().to_owned(),
            }
        } else {
            app.translations.waiting = Some((ahead.id, ahead.text.clone()));
            MachineState::Streaming {
                text: ahead.text.text().to_owned(),
            }
        };
        app.panel.shows = PanelView::Machine { entries, answer };
        return;
    }
    app.translations.ahead = None;
    let id = app.translations.next();
    app.translations.waiting = Some((id, Cleaner::default()));
    answer.state = MachineState::Streaming {
        text: String::new(),
    };
    app.panel.shows = PanelView::Machine { entries, answer };
    effects.push(Effect::Translate {
        id,
        request: Request {
            task: request_task,
            text: source,
            from: info.from,
            to: info.to,
        },
    });
}

/// What the action at the cursor asks for: the task, where its text is, the text.
fn cursor_target(app: &mut App, action: Action) -> Option<(MachineTask, Span, String)> {
    let cursor = app.cursor?;
    let layout = app.paragraph_layout(cursor.para);
    let word = layout.words.get(cursor.word)?.clone();
    let text = app.doc.paragraph(cursor.para);
    let range = match action {
        Action::TranslateParagraph => {
            let start = text.len() - text.trim_start().len();
            start..text.trim_end().len()
        }
        _ => crate::layout::sentence::sentence_at(text, word.start).unwrap_or(word.clone()),
    };
    let task = match action {
        Action::TranslateParagraph => MachineTask::Paragraph,
        Action::ExplainWord => MachineTask::Explain {
            word: text[word].to_owned(),
        },
        _ => MachineTask::Sentence,
    };
    let span = Span {
        start: (cursor.para, range.start),
        end: (cursor.para, range.end),
    };
    Some((task, span, text[range].to_owned()))
}

/// The longest selection sent for translation, in characters (a few pages): a
/// selection from the top to `G` must not send a whole book.
const MAX_SELECTION: usize = 10_000;

/// The selection's text to translate, ending the selection; without a selection,
/// starts one (and returns `None`).
fn selection_target(app: &mut App) -> Option<Option<(MachineTask, Span, String)>> {
    let Some(selection) = app.selection.take() else {
        let Some(cursor) = app.cursor else {
            return Some(None);
        };
        let layout = app.paragraph_layout(cursor.para);
        let Some(anchor_bytes) = layout.words.get(cursor.word).cloned() else {
            return Some(None);
        };
        app.selection = Some(super::Selection {
            anchor: (cursor.para, cursor.word),
            anchor_bytes,
            span: None,
        });
        app.say(
            Level::Info,
            "selecting: move the cursor to extend, press the same key again to translate, \
             Esc cancels",
        );
        return None;
    };
    let span = selection.span?;
    let source = span_text(app, span);
    let length = source.chars().count();
    if length > MAX_SELECTION {
        app.say(
            Level::Warning,
            format!(
                "the selection is too long to translate ({length} characters, at most \
                 {MAX_SELECTION}): translate it a paragraph at a time"
            ),
        );
        return None;
    }
    Some(Some((MachineTask::Selection, span, source)))
}

/// The text of `span`, paragraphs joined by a line end.
pub fn span_text(app: &App, span: Span) -> String {
    (span.start.0..=span.end.0)
        .filter_map(|para| {
            let text = app
                .doc
                .paragraphs
                .get(para)
                .map(|_| app.doc.paragraph(para))?;
            let range = span.in_paragraph(para)?;
            let end = range.end.min(text.len());
            text.get(range.start.min(end)..end)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Stops waiting for the answer the panel shows (a newer request replaces it).
fn stop_waiting(app: &mut App, effects: &mut Vec<Effect>) {
    if app.translations.waiting.take().is_some() {
        effects.push(Effect::CancelTranslation);
    }
}

/// A piece of the answer to job `id`.
pub(super) fn piece(app: &mut App, id: JobId, text: &str) {
    if let Some(ahead) = &mut app.translations.ahead
        && ahead.id == id
    {
        ahead.text.push(text);
        return;
    }
    let Some((waiting, cleaner)) = &mut app.translations.waiting else {
        return;
    };
    if *waiting != id {
        return;
    }
    cleaner.push(text);
    let so_far = cleaner.text().to_owned();
    if let Some(answer) = shown_mut(app)
        && let MachineState::Streaming { text } = &mut answer.state
    {
        *text = so_far;
    }
}

/// The end of job `id`: the whole answer, or why there is none.
pub(super) fn done(
    app: &mut App,
    id: JobId,
    result: Result<String, TranslateError>,
    effects: &mut Vec<Effect>,
) {
    if let Some(ahead) = &mut app.translations.ahead
        && ahead.id == id
    {
        match result {
            Ok(text) => {
                ahead.text = Cleaner::default();
                ahead.text.push(&text);
                ahead.done = true;
            }
            Err(_) => app.translations.ahead = None,
        }
        return;
    }
    if app.translations.waiting.as_ref().map(|(w, _)| *w) != Some(id) {
        return;
    }
    app.translations.waiting = None;
    let state = match result {
        Ok(text) => MachineState::Done { text: clean(&text) },
        Err(TranslateError::Offline) => MachineState::Offline,
        Err(TranslateError::NotConfigured) => MachineState::NotConfigured,
        Err(TranslateError::Cancelled) => MachineState::Stopped {
            text: match shown(app).map(|a| &a.state) {
                Some(MachineState::Streaming { text }) => text.clone(),
                _ => String::new(),
            },
        },
        Err(error) => MachineState::Failed {
            message: clean(&error.to_string()),
        },
    };
    let finished_sentence = matches!(state, MachineState::Done { .. });
    let Some(answer) = shown_mut(app) else { return };
    answer.state = state;
    if finished_sentence && answer.task == MachineTask::Sentence {
        let span = answer.span;
        prefetch_after(app, span, effects);
    }
}

/// Translates the sentence after `span` ahead, when the configuration asks for it.
fn prefetch_after(app: &mut App, span: Span, effects: &mut Vec<Effect>) {
    let Some(info) = app.translations.info.clone().filter(|i| i.prefetch) else {
        return;
    };
    let Some(source) = next_sentence(app, span) else {
        return;
    };
    let id = app.translations.next();
    app.translations.ahead = Some(Ahead {
        id,
        source: source.clone(),
        text: Cleaner::default(),
        done: false,
    });
    effects.push(Effect::Translate {
        id,
        request: Request {
            task: Task::Translate,
            text: source,
            from: info.from,
            to: info.to,
        },
    });
}

/// The text of the sentence after `span`: later in its paragraph, or the first of the
/// next paragraph that has one.
fn next_sentence(app: &App, span: Span) -> Option<String> {
    let (para, after) = span.end;
    for p in para..app.doc.paragraphs.len() {
        let text = app.doc.paragraph(p);
        let found = crate::layout::sentence::sentences(text)
            .into_iter()
            .find(|r| p > para || r.start >= after);
        if let Some(range) = found {
            return Some(text[range].to_owned());
        }
    }
    None
}

/// The cursor moved: leaving the text of an answer still on its way cancels the
/// request, since nobody waits for it any more. True while the cursor stays in the
/// text of the answer shown (the panel keeps it instead of looking the word up).
pub(super) fn cursor_moved(app: &mut App, effects: &mut Vec<Effect>) -> bool {
    if shown(app).is_none() {
        return false;
    }
    if holds_cursor(app) {
        return true;
    }
    if let Some(answer) = shown_mut(app)
        && let MachineState::Streaming { text } = &answer.state
    {
        answer.state = MachineState::Stopped { text: text.clone() };
        stop_waiting(app, effects);
    }
    false
}

/// True when the panel shows a machine answer for the text under the cursor.
pub(super) fn holds_cursor(app: &mut App) -> bool {
    let Some(at) = app.cursor_offset() else {
        return false;
    };
    shown(app).is_some_and(|answer| answer.span.contains(at.0, at.1))
}

/// Esc while an answer is on its way: stop it.
pub(super) fn cancel(app: &mut App, effects: &mut Vec<Effect>) -> bool {
    let Some(answer) = shown_mut(app) else {
        return false;
    };
    let MachineState::Streaming { text } = &answer.state else {
        return false;
    };
    answer.state = MachineState::Stopped { text: text.clone() };
    stop_waiting(app, effects);
    true
}

/// A lookup answer while an explanation shows for the same word: its entries go above
/// the explanation. True when it was taken that way.
pub(super) fn entries_arrived(app: &mut App, content: &PanelContent) -> bool {
    if let PanelView::Machine { entries, answer } = &mut app.panel.shows
        && let MachineTask::Explain { word } = &answer.task
        && *word == content.title
    {
        *entries = Some(content.clone());
        return true;
    }
    false
}
