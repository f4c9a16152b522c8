//! The reader's state and its one entry point for change: [`update`]. No terminal I/O
//! happens here: `update` changes the state and returns [`Effect`]s (a lookup to run,
//! a position to save), which the event loop carries out and answers with messages.
//!
//! After every change the App recomputes [`App::screen`], the rows the reading pane
//! shows, so that drawing only reads.

pub mod action;
mod input;
mod motion;
pub mod panel;
pub mod search;
pub mod toc;
pub mod translation;
pub mod view;
mod word_count;

use std::collections::HashMap;
use std::rc::Rc;

pub use action::Action;
pub use input::{InputMsg, InputState, PENDING_TIMEOUT, expire_pending, handle_key};
pub use panel::{PanelContent, PanelEntry, PanelView};
pub use translation::{MachineState, MachineTask, MachineText, Span, TranslatorInfo};

use ratatui::layout::Rect;

use crate::config::{Config, LookupOn, PanelSide};
use crate::document::Document;
use crate::layout::{BaseDirection, Harakat, LayoutOptions};
use crate::tasks::JobId;
use crate::translate::{Request, TranslateError};
use search::Search;
use view::{LayoutCache, ParagraphLayout, Pos, WordSpan};

/// The word cursor: a word of a paragraph, and how many words after it are selected too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub para: usize,
    pub word: usize,
    /// Extra words selected after `word` (0 to 2), for phrase lookups.
    pub extra: usize,
}

/// A selection of words for translation: from `anchor` (paragraph, word) to the cursor,
/// whichever comes first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub anchor: (usize, usize),
    /// The anchor word's bytes in its paragraph.
    pub anchor_bytes: std::ops::Range<usize>,
    /// The bytes it covers, recomputed after every change.
    pub span: Option<Span>,
}

/// The side panel.
#[derive(Debug, Clone)]
pub struct Panel {
    pub visible: bool,
    pub side: PanelSide,
    pub width: u16,
    pub focused: bool,
    pub scroll: usize,
    pub shows: PanelView,
}

/// What keys go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// A line of input in the status bar.
    Prompt {
        kind: PromptKind,
        input: String,
    },
    /// The next key names a mark.
    AwaitMark {
        set: bool,
    },
    /// The help overlay, scrolled.
    Help {
        scroll: usize,
    },
    /// The table of contents ([`App::toc`]), with entry `selected` chosen.
    Toc {
        selected: usize,
    },
}

/// What a prompt asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    SearchForward,
    SearchBackward,
    Percent,
    /// A gloss for the personal glossary, for the word in [`App::gloss_word`].
    Gloss,
}

/// How serious a status message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// A message in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub level: Level,
}

/// Something for the event loop to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Look up this text; answer with [`Msg::LookupDone`] carrying the same `id`.
    /// `previous` is the word before it in its sentence (it ranks the entries).
    Lookup {
        id: u64,
        text: String,
        previous: Option<String>,
    },
    /// Save `gloss` for `word` in the personal glossary, then look `word` up again
    /// (answered with [`Msg::LookupDone`] carrying `id`).
    SaveGloss {
        id: u64,
        word: String,
        gloss: String,
    },
    /// Send `request` to the translation provider; answer with
    /// [`Msg::TranslationPiece`]s and a [`Msg::TranslationDone`] carrying `id`.
    Translate { id: JobId, request: Request },
    /// Nobody waits for the translation under way any more: stop it.
    CancelTranslation,
    /// Clear the terminal and draw everything again.
    Redraw,
    /// Give the terminal back and stop until the shell continues qari (ctrl-z).
    Suspend,
    /// The user quit.
    Quit,
}

/// What the event loop tells the App.
#[derive(Debug, Clone)]
pub enum Msg {
    Action(Action),
    /// A count was typed before an action (less's `50%`).
    CountedAction(Action, u32),
    Resize(u16, u16),
    /// A left click at a screen position.
    Click(u16, u16),
    /// Mouse wheel: positive scrolls down.
    Wheel(i32),
    /// A lookup finished.
    LookupDone {
        id: JobId,
        content: PanelContent,
    },
    /// A lookup failed (its job panicked): the panel says so.
    LookupFailed {
        id: JobId,
        title: String,
        error: String,
    },
    /// Something for the status bar from the event loop or the lookup worker.
    Status(Level, String),
    /// Search for a query (from the search prompt).
    Search {
        query: String,
        backward: bool,
    },
    /// Only the first part of a large file is here: job `id` reads the whole.
    LoadingDocument(JobId),
    /// Nothing is here yet: job `id` downloads the page at `url` (`qari URL`).
    Downloading {
        id: JobId,
        url: String,
    },
    /// How much of the page job `id` downloads has arrived, of how much (when the
    /// server said).
    DownloadProgress {
        id: JobId,
        received: u64,
        total: Option<u64>,
    },
    /// The whole document, after a large file was opened with its first part only.
    DocumentLoaded {
        id: JobId,
        doc: Box<Document>,
    },
    /// Reading the whole document failed; the first part stays.
    DocumentFailed {
        id: JobId,
        error: String,
    },
    /// Why the BiDi mode was chosen, for the status bar.
    BidiNote(String),
    /// What a key asks of a prompt, the mark prompt or the help overlay.
    Input(InputMsg),
    /// Go back to a saved position (blocks found again by their texts, or the byte
    /// offsets an older qari saved).
    RestorePosition(crate::state::SavedPosition),
    /// The reader is on screen: the panel's first lookup, if it wants one.
    Start,
    /// Keys of a sequence are pending: what may follow (key, description), or `None`
    /// when nothing is pending any more.
    PendingKeys(Option<Vec<(String, String)>>),
    /// The translation provider, or `None` when translation is not configured.
    Translator(Option<TranslatorInfo>),
    /// A piece of a translation's text, as it arrives (raw: `update` cleans it).
    TranslationPiece {
        id: JobId,
        text: String,
    },
    /// A translation finished: the whole text, or why it failed.
    TranslationDone {
        id: JobId,
        result: Result<String, TranslateError>,
    },
}

impl Msg {
    /// True for what needs the whole document: jumps to the end or to a percentage,
    /// and searches.
    fn needs_whole_document(&self) -> bool {
        use Action::*;
        match self {
            Msg::Action(action) => {
                matches!(action, GoBottom | NextMatch | PrevMatch | TableOfContents)
            }
            Msg::CountedAction(action, _) => matches!(action, GoTop | GoBottom | GotoPercent),
            Msg::Search { .. } => true,
            _ => false,
        }
    }
}

/// A page on its way, before there is anything to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    pub url: String,
    pub received: u64,
    pub total: Option<u64>,
}

/// One row of the reading pane.
#[derive(Debug, Clone)]
pub enum ScreenRow {
    /// A visual line of a paragraph.
    Line {
        para: usize,
        line: usize,
        layout: Rc<ParagraphLayout>,
        spans: Vec<WordSpan>,
    },
    /// The blank row between paragraphs.
    Blank,
    /// Past the end of the document.
    End,
}

/// Where things go on a screen of a given size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// The reading pane, margins included.
    pub text: Rect,
    /// The side panel, when shown.
    pub panel: Option<Rect>,
    /// True when the panel covers the text (a narrow terminal).
    pub panel_overlays: bool,
    pub status: Rect,
}

/// Silent reading speed assumed for the time left: adults read Arabic at about 140
/// words a minute (Trauzettel-Klosinski et al., IReST, 2012: 138 ± 20).
const WORDS_PER_MINUTE: usize = 140;

/// Narrower than this, the reading pane is not squeezed: the panel covers it instead.
const MIN_TEXT_WIDTH: u16 = 40;

/// Below the text, the panel takes this share of the rows (in fifths)...
const STACKED_PANEL_FIFTHS: u16 = 2;
/// ...and at least this many, its border included; the text keeps as many at least.
const MIN_STACKED_ROWS: u16 = 3;

/// Computes the areas for a `width`×`height` screen.
///
/// The panel sits beside the text when the text keeps [`MIN_TEXT_WIDTH`] columns. On a
/// narrower screen it goes below the text, full width, so that no line is cut and the
/// word under the cursor stays visible; only a screen too short for both is covered
/// by the panel.
pub fn areas(width: u16, height: u16, panel: &Panel) -> Areas {
    let status = Rect::new(0, height.saturating_sub(1), width, height.min(1));
    let main = Rect::new(0, 0, width, height.saturating_sub(1));
    if !panel.visible || main.width == 0 {
        return Areas {
            text: main,
            panel: None,
            panel_overlays: false,
            status,
        };
    }
    let panel_width = panel.width.clamp(10, 200).min(main.width);
    if main.width.saturating_sub(panel_width) < MIN_TEXT_WIDTH {
        if main.height < 2 * MIN_STACKED_ROWS {
            return Areas {
                text: main,
                panel: Some(main),
                panel_overlays: true,
                status,
            };
        }
        let panel_height = (main.height * STACKED_PANEL_FIFTHS / 5)
            .max(MIN_STACKED_ROWS)
            .min(main.height - MIN_STACKED_ROWS);
        let text_height = main.height - panel_height;
        return Areas {
            text: Rect::new(0, 0, main.width, text_height),
            panel: Some(Rect::new(0, text_height, main.width, panel_height)),
            panel_overlays: false,
            status,
        };
    }
    let text_width = main.width - panel_width;
    let (text_x, panel_x) = match panel.side {
        PanelSide::Left => (panel_width, 0),
        PanelSide::Right => (0, text_width),
    };
    Areas {
        text: Rect::new(text_x, 0, text_width, main.height),
        panel: Some(Rect::new(panel_x, 0, panel_width, main.height)),
        panel_overlays: false,
        status,
    }
}

/// What the status bar says on opening `doc`: its warnings, or that it is empty.
fn opening_message(doc: &Document) -> Option<Message> {
    if !doc.warnings.is_empty() {
        return Some(Message {
            text: doc.warnings.join("; "),
            level: Level::Warning,
        });
    }
    doc.paragraphs.is_empty().then(|| Message {
        text: "this document is empty: it holds no text to read".to_owned(),
        level: Level::Info,
    })
}

/// The reader.
#[derive(Debug)]
pub struct App {
    pub doc: Document,
    pub options: LayoutOptions,
    pub margin: u16,
    /// The widest text column, in cells; 0 for no limit.
    pub max_width: u16,
    pub lookup_on: LookupOn,
    /// Screen size.
    pub size: (u16, u16),
    /// The first row on screen.
    pub top: Pos,
    pub cursor: Option<Cursor>,
    pub search: Option<Search>,
    pub panel: Panel,
    pub mode: Mode,
    pub message: Option<Message>,
    pub marks: HashMap<char, Pos>,
    /// Where the last jump started, for `jump_back`.
    pub jumped_from: Option<Pos>,
    pub quit: bool,
    /// The table of contents while its view is open.
    pub toc: Vec<crate::document::TocEntry>,
    /// The rows on screen, recomputed after every update.
    pub screen: Vec<ScreenRow>,
    /// Shown in the status bar next to the mode (the terminal's BiDi situation).
    pub bidi_note: Option<String>,
    /// The word a gloss prompt is for.
    pub gloss_word: Option<String>,
    /// The job reading the rest of a large file, while only its first part is here, or
    /// downloading the page.
    loading: Option<JobId>,
    /// The page being downloaded, while nothing else is here.
    pub download: Option<Download>,
    /// Why the document never arrived (its download failed): the reader ends and says
    /// so.
    pub failed: Option<String>,
    /// While a key sequence is pending: the keys that may follow and what they do.
    pub pending_keys: Option<Vec<(String, String)>>,
    /// After a percent jump the top may lie past the last full screen, as in less.
    overscroll: bool,
    /// Where the last percent jump landed and the percentage typed, shown while the
    /// top stays there.
    landed: Option<(Pos, u16)>,
    /// Words in each paragraph and all after it, for the time left.
    words_from: Vec<usize>,
    /// What waits for the whole document.
    deferred: Vec<Msg>,
    cache: LayoutCache,
    next_lookup: JobId,
    /// The lookup whose answer the panel waits for.
    pending_lookup: Option<JobId>,
    /// The last text looked up, so that the same word is not looked up twice.
    looked_up: Option<String>,
    /// Words selected for translation.
    pub selection: Option<Selection>,
    /// Machine translation: the provider, and the requests under way.
    pub translations: translation::Translations,
}

impl App {
    /// A reader on `doc` with the settings of `config`, for a `width`×`height` screen.
    pub fn new(doc: Document, config: &Config, width: u16, height: u16) -> Self {
        // A terminal that reorders by itself gets logical order, still shaped: in
        // presentation forms Lam-Alef is one character in one cell, as qari counts it
        // (Konsole left a gap after the ligature it made of two cells).
        let terminal_bidi = config.bidi == Some(crate::config::BidiMode::Terminal);
        let options = LayoutOptions {
            base: BaseDirection::Auto,
            shaping: config.shaping,
            reorder: !terminal_bidi,
            harakat: match config.harakat {
                crate::config::HarakatSetting::Keep => Harakat::Keep,
                crate::config::HarakatSetting::Strip => Harakat::Strip,
            },
            ..LayoutOptions::default()
        };
        let message = opening_message(&doc);
        let mut app = Self {
            doc,
            options,
            margin: config.margin,
            max_width: config.max_width,
            lookup_on: config.lookup_on,
            size: (width, height),
            top: Pos::default(),
            cursor: None,
            search: None,
            panel: Panel {
                visible: config.panel.visible,
                side: config.panel.side,
                width: config.panel.width,
                focused: false,
                scroll: 0,
                shows: PanelView::Idle,
            },
            mode: Mode::Normal,
            message,
            marks: HashMap::new(),
            jumped_from: None,
            quit: false,
            toc: Vec::new(),
            screen: Vec::new(),
            bidi_note: None,
            gloss_word: None,
            loading: None,
            download: None,
            failed: None,
            pending_keys: None,
            overscroll: false,
            landed: None,
            words_from: Vec::new(),
            deferred: Vec::new(),
            cache: LayoutCache::default(),
            next_lookup: 0,
            pending_lookup: None,
            looked_up: None,
            selection: None,
            translations: translation::Translations::default(),
        };
        app.count_words();
        app.refresh();
        motion::keep_cursor_on_screen(&mut app);
        app
    }

    /// True while only the first part of a large file is here, or the page downloads.
    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    /// True for what must wait until the document loading now is here: what needs the
    /// whole of it, and a saved position in a page still on its way or beyond the first
    /// part of a large file.
    fn waits_for_document(&self, msg: &Msg) -> bool {
        use crate::state::SavedPosition;
        match msg {
            Msg::RestorePosition(_) if self.download.is_some() => true,
            // Taken now only where the part here has the saved blocks' texts at their
            // saved places: a block that moved may be further on.
            Msg::RestorePosition(SavedPosition::Blocks { top, cursor, .. }) => {
                [top, cursor].iter().any(|anchor| {
                    anchor.block >= self.doc.paragraphs.len()
                        || crate::document::anchor::fingerprint(self.doc.paragraph(anchor.block))
                            != anchor.fingerprint
                })
            }
            Msg::RestorePosition(SavedPosition::Bytes {
                top_offset,
                cursor_offset,
                ..
            }) => *top_offset.max(cursor_offset) >= self.doc.text.len(),
            _ => msg.needs_whole_document(),
        }
    }

    /// Starts waiting for the answer to lookup `id` of `title`.
    fn wait_for_lookup(&mut self, title: String) -> JobId {
        self.next_lookup += 1;
        self.pending_lookup = Some(self.next_lookup);
        self.looked_up = Some(title.clone());
        self.panel.shows = PanelView::loading(title, std::time::Instant::now(), &self.panel.shows);
        self.next_lookup
    }

    /// Counts the words of every paragraph once, for [`App::minutes_left`].
    fn count_words(&mut self) {
        let mut from = vec![0; self.doc.paragraphs.len() + 1];
        for para in (0..self.doc.paragraphs.len()).rev() {
            from[para] = from[para + 1] + word_count::count(self.doc.paragraph(para));
        }
        self.words_from = from;
    }

    /// Where the top of the screen is: (paragraph, counting from 1; paragraphs).
    pub fn paragraph_position(&self) -> (usize, usize) {
        let total = self.doc.paragraphs.len();
        let at = if self.at_end() {
            total
        } else {
            self.top.para + 1
        };
        (at.min(total), total)
    }

    /// Reading time left from the top of the screen, in minutes, rounded up; 0 at the
    /// end.
    pub fn minutes_left(&self) -> usize {
        if self.at_end() {
            return 0;
        }
        let words = self.words_from.get(self.top.para).copied().unwrap_or(0);
        words.div_ceil(WORDS_PER_MINUTE)
    }

    /// The areas of the current screen.
    pub fn areas(&self) -> Areas {
        areas(self.size.0, self.size.1, &self.panel)
    }

    /// Columns the text is laid out in.
    pub fn text_width(&self) -> u16 {
        self.text_column().width.max(1)
    }

    /// Where the lines of text go: the reading pane less its margins, at most
    /// `max_width` columns, centred in the pane.
    pub fn text_column(&self) -> Rect {
        let pane = self.areas().text;
        let margin = self.margin.min(pane.width / 2);
        let room = pane.width - 2 * margin;
        let width = match self.max_width {
            0 => room,
            max => room.min(max),
        };
        Rect::new(
            pane.x + margin + (room - width) / 2,
            pane.y,
            width,
            pane.height,
        )
    }

    /// Rows of the reading pane.
    pub fn text_height(&self) -> usize {
        usize::from(self.areas().text.height).max(1)
    }

    /// Paragraph `para`, laid out at the current width.
    pub fn paragraph_layout(&mut self, para: usize) -> Rc<ParagraphLayout> {
        self.cache.get(&self.doc, para)
    }

    /// How far through the document the top of the screen is, in percent: what was
    /// typed after a percent jump, 100 when the end is on screen, else the share of the
    /// text before the top line.
    pub fn percent(&self) -> u16 {
        if let Some((pos, percent)) = self.landed
            && pos == self.top
        {
            return percent;
        }
        let total = self.doc.text.len().max(1);
        let Some(range) = self.doc.paragraphs.get(self.top.para) else {
            return 100;
        };
        if self.at_end() {
            return 100;
        }
        let start = match self.screen.first() {
            Some(ScreenRow::Line { line, layout, .. }) => {
                range.start + layout.lines[*line].source.start
            }
            // The blank row after a paragraph: the next one starts below it.
            _ => self
                .doc
                .paragraphs
                .get(self.top.para + 1)
                .map_or(range.end, |r| r.start),
        };
        (start * 100 / total).min(100) as u16
    }

    /// True when the last row of the document is on screen.
    pub fn at_end(&self) -> bool {
        self.screen.iter().any(|r| matches!(r, ScreenRow::End))
            || self.screen.last().is_some_and(|r| match r {
                ScreenRow::Line {
                    para, line, layout, ..
                } => *para + 1 == self.doc.paragraphs.len() && *line + 1 == layout.lines.len(),
                _ => false,
            })
    }

    /// The text of the word (or selection) under the cursor.
    pub fn cursor_text(&mut self) -> Option<String> {
        let cursor = self.cursor?;
        let layout = self.paragraph_layout(cursor.para);
        let first = layout.words.get(cursor.word)?;
        let last = layout
            .words
            .get((cursor.word + cursor.extra).min(layout.words.len() - 1))?;
        Some(self.doc.paragraph(cursor.para)[first.start..last.end].to_owned())
    }

    /// The word before the one under the cursor, when only spaces separate them (a
    /// punctuation mark or the start of the paragraph ends the context).
    pub fn word_before_cursor(&mut self) -> Option<String> {
        let cursor = self.cursor?;
        let before = cursor.word.checked_sub(1)?;
        let layout = self.paragraph_layout(cursor.para);
        let (prev, here) = (layout.words.get(before)?, layout.words.get(cursor.word)?);
        let (prev, here) = (prev.clone(), here.clone());
        let text = self.doc.paragraph(cursor.para);
        let gap = text.get(prev.end..here.start)?;
        (prev.end <= here.start && gap.chars().all(|c| c == ' ')).then(|| text[prev].to_owned())
    }

    /// The word (or selection) under the cursor, as written; read from the screen.
    pub fn cursor_word(&self) -> Option<String> {
        let cursor = self.cursor?;
        self.screen.iter().find_map(|row| match row {
            ScreenRow::Line { para, layout, .. } if *para == cursor.para => {
                let first = layout.words.get(cursor.word)?;
                let last = layout
                    .words
                    .get((cursor.word + cursor.extra).min(layout.words.len() - 1))?;
                Some(self.doc.paragraph(cursor.para)[first.start..last.end].to_owned())
            }
            _ => None,
        })
    }

    /// Where the reader is, for saving: the top line's block and character offset, its
    /// visual line, and the word under the cursor, each with its block's fingerprint.
    pub fn position(&mut self) -> crate::state::SavedPosition {
        let top_line = self.top.row;
        let Some(top_para) = self
            .doc
            .paragraphs
            .len()
            .checked_sub(1)
            .map(|last| self.top.para.min(last))
        else {
            return crate::state::SavedPosition::Blocks {
                top: crate::document::Anchor::default(),
                top_line: 0,
                cursor: crate::document::Anchor::default(),
            };
        };
        let layout = self.paragraph_layout(top_para);
        let top_start = layout
            .lines
            .get(top_line)
            .map_or(0, |line| line.source.start);
        let top = self.doc.anchor_at(top_para, top_start);
        let cursor = match self.cursor {
            Some(c) => {
                let layout = self.paragraph_layout(c.para);
                let start = layout.words.get(c.word).map_or(0, |w| w.start);
                self.doc.anchor_at(c.para, start)
            }
            None => top,
        };
        crate::state::SavedPosition::Blocks {
            top,
            top_line,
            cursor,
        }
    }

    /// Goes back to a saved position given as byte offsets into the text (offsets beyond
    /// the document are clamped).
    pub fn restore_position(&mut self, top_offset: usize, top_line: usize, cursor_offset: usize) {
        update(
            self,
            Msg::RestorePosition(crate::state::SavedPosition::Bytes {
                top_offset,
                top_line,
                cursor_offset,
            }),
        );
    }

    /// See [`Msg::RestorePosition`].
    fn go_to_position(&mut self, position: crate::state::SavedPosition) {
        use crate::state::SavedPosition;
        if self.doc.paragraphs.is_empty() {
            return;
        }
        let ((top_para, top_row), (cursor_para, cursor_byte)) = match position {
            SavedPosition::Bytes {
                top_offset,
                top_line,
                cursor_offset,
            } => {
                let para = self.doc.paragraph_at(top_offset);
                let cursor_para = self.doc.paragraph_at(cursor_offset);
                let start = self.doc.paragraphs[cursor_para].start;
                (
                    (para, top_line),
                    (cursor_para, cursor_offset.saturating_sub(start)),
                )
            }
            // The saved line number is only right at the width it was saved at: the
            // line that now shows the top's text is taken instead.
            SavedPosition::Blocks { top, cursor, .. } => {
                let (Some((top_para, top_byte)), Some(cursor_at)) =
                    (self.doc.resolve(top), self.doc.resolve(cursor))
                else {
                    return;
                };
                let row = self.paragraph_layout(top_para).line_of(top_byte);
                ((top_para, row), cursor_at)
            }
        };
        self.top = Pos {
            para: top_para,
            row: top_row,
        };
        let layout = self.paragraph_layout(cursor_para);
        let word = layout.word_at(cursor_byte).unwrap_or(0);
        self.cursor = (!layout.words.is_empty()).then_some(Cursor {
            para: cursor_para,
            word,
            extra: 0,
        });
    }

    /// The first status message, once the document is open: where reading resumed and
    /// the key back to the start, or else which key shows the keys. A warning about the
    /// document is not replaced.
    pub fn greet(&mut self, keymap: &crate::keymap::Keymap, resumed: bool) {
        if let Some(text) = self.greeting(keymap, resumed) {
            update(self, Msg::Status(Level::Info, text));
        }
    }

    /// The text of [`App::greet`], if it has one now.
    pub fn greeting(&self, keymap: &crate::keymap::Keymap, resumed: bool) -> Option<String> {
        if self.message.is_some() {
            return None;
        }
        let text = if resumed && self.top != Pos::default() {
            let back = keymap.key_names(Action::GoTop, 1);
            match back.first() {
                Some(key) => format!("resumed at {}%: {key} goes to the start", self.percent()),
                None => format!("resumed at {}%", self.percent()),
            }
        } else {
            let help = help_keys(keymap);
            if help.is_empty() {
                return None;
            }
            format!("{} shows the keys", help.join(" or "))
        };
        Some(text)
    }

    /// Sets a status message.
    pub fn say(&mut self, level: Level, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            level,
        });
    }

    /// Recomputes the layout settings, the position limits and the rows on screen.
    fn refresh(&mut self) {
        let width = self.text_width();
        self.cache.configure(width, self.options);
        if self.doc.paragraphs.is_empty() {
            self.screen = vec![ScreenRow::End; self.text_height()];
            self.cursor = None;
            return;
        }
        // Clamp the top so the screen is never emptier than the document allows.
        let rows = self.cache.rows(&self.doc, self.top.para);
        self.top.row = self.top.row.min(rows - 1);
        let max_top = self.cache.max_top(&self.doc, self.text_height());
        if self.top > max_top && !self.overscroll {
            self.top = max_top;
        }
        if self.top <= max_top {
            self.overscroll = false;
        }
        self.build_screen();
        self.update_selection();
    }

    /// Recomputes the bytes the selection covers, from its anchor to the cursor. Only
    /// the cursor's paragraph is laid out (it is on screen): the anchor's bytes were
    /// kept when the selection started.
    fn update_selection(&mut self) {
        let (Some(selection), Some(cursor)) = (self.selection.clone(), self.cursor) else {
            self.selection = None;
            return;
        };
        let Some(word) = self
            .paragraph_layout(cursor.para)
            .words
            .get(cursor.word)
            .cloned()
        else {
            return;
        };
        let (anchor_para, anchor_word) = selection.anchor;
        let anchor = &selection.anchor_bytes;
        let span = if (anchor_para, anchor_word) <= (cursor.para, cursor.word) {
            Span {
                start: (anchor_para, anchor.start),
                end: (cursor.para, word.end),
            }
        } else {
            Span {
                start: (cursor.para, word.start),
                end: (anchor_para, anchor.end),
            }
        };
        self.selection = Some(Selection {
            span: Some(span),
            ..selection
        });
    }

    /// The cursor's word: its paragraph and its first byte there.
    pub fn cursor_offset(&mut self) -> Option<(usize, usize)> {
        let cursor = self.cursor?;
        let layout = self.paragraph_layout(cursor.para);
        Some((cursor.para, layout.words.get(cursor.word)?.start))
    }

    /// Looks `text` up for the entries of the panel without changing what it shows
    /// meanwhile (an explanation on its way stays).
    fn lookup_in_place(&mut self, text: String) -> Effect {
        // The word before counts only when `text` is the cursor's own word.
        let previous = if self.cursor_text().as_deref() == Some(text.as_str()) {
            self.word_before_cursor()
        } else {
            None
        };
        self.next_lookup += 1;
        self.pending_lookup = Some(self.next_lookup);
        self.looked_up = Some(text.clone());
        Effect::Lookup {
            id: self.next_lookup,
            text,
            previous,
        }
    }

    fn build_screen(&mut self) {
        let height = self.text_height();
        let width = self.cache.width();
        let mut screen = Vec::with_capacity(height);
        let mut pos = self.top;
        while screen.len() < height {
            let layout = self.cache.get(&self.doc, pos.para);
            if pos.row < layout.lines.len() {
                let spans = view::line_spans(&layout, pos.row, width);
                screen.push(ScreenRow::Line {
                    para: pos.para,
                    line: pos.row,
                    layout,
                    spans,
                });
            } else {
                screen.push(ScreenRow::Blank);
            }
            let next = self.cache.down(&self.doc, pos, 1);
            if next == pos {
                while screen.len() < height {
                    screen.push(ScreenRow::End);
                }
                break;
            }
            pos = next;
        }
        self.screen = screen;
    }

    /// The screen row and span of the cursor, when it is on screen.
    pub fn cursor_on_screen(&self) -> Option<(usize, usize)> {
        let cursor = self.cursor?;
        self.screen
            .iter()
            .enumerate()
            .find_map(|(r, row)| match row {
                ScreenRow::Line { para, spans, .. } if *para == cursor.para => spans
                    .iter()
                    .position(|s| s.word == cursor.word)
                    .map(|k| (r, k)),
                _ => None,
            })
    }

    /// Saves a personal gloss for the word the prompt was opened on.
    fn save_gloss_effect(&mut self, gloss: String) -> Option<Effect> {
        let word = self.gloss_word.take()?;
        self.panel.visible = true;
        let id = self.wait_for_lookup(word.clone());
        Some(Effect::SaveGloss { id, word, gloss })
    }

    /// What the event loop should do before the first key: the panel's first lookup.
    pub fn start(&mut self) -> Vec<Effect> {
        update(self, Msg::Start)
    }

    /// Asks for a lookup of the word under the cursor when the panel wants one.
    fn lookup_effect(&mut self, forced: bool) -> Option<Effect> {
        if !self.panel.visible || (!forced && self.lookup_on == LookupOn::Enter) {
            return None;
        }
        let text = self.cursor_text()?;
        if !forced && self.looked_up.as_deref() == Some(text.as_str()) {
            return None;
        }
        let previous = self.word_before_cursor();
        let id = self.wait_for_lookup(text.clone());
        Some(Effect::Lookup { id, text, previous })
    }
}

/// Up to two keys that show the help, a function key first (it works whatever the
/// keyboard layout), named as on the keyboard (`F1`).
fn help_keys(keymap: &crate::keymap::Keymap) -> Vec<String> {
    let is_function_key = |name: &str| {
        name.strip_prefix('f')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    let mut keys = keymap.key_names(Action::ToggleHelp, usize::MAX);
    keys.sort_by_key(|k| !is_function_key(k));
    keys.into_iter()
        .take(2)
        .map(|k| {
            if is_function_key(&k) {
                k.to_uppercase()
            } else {
                k
            }
        })
        .collect()
}

/// What the status bar says when a key waits for the page being downloaded.
const STILL_DOWNLOADING: &str = "the page is still downloading…";
/// What the status bar says when a key waits for the rest of the document.
const STILL_READING: &str = "reading the rest of the document…";

/// Applies `msg` to `app`. Returns what the event loop must do.
pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    if app.loading.is_some() && app.waits_for_document(&msg) {
        if !matches!(msg, Msg::RestorePosition(_)) {
            let text = if app.download.is_some() {
                STILL_DOWNLOADING
            } else {
                STILL_READING
            };
            app.say(Level::Info, text);
        }
        app.deferred.push(msg);
        return Vec::new();
    }
    let before = app.cursor;
    let mut effects = Vec::new();
    let mut forced_lookup = false;
    // The first lookup: asked for whether the cursor moved or not, as configured.
    let mut forced_start = false;
    match msg {
        Msg::Action(action) => {
            if action != Action::Noop {
                app.message = None;
            }
            forced_lookup = action == Action::LookupWord;
            motion::apply(app, action, None, &mut effects);
        }
        Msg::CountedAction(action, count) => {
            app.message = None;
            motion::apply(app, action, Some(count), &mut effects);
        }
        Msg::Resize(width, height) => {
            app.size = (width, height);
            app.overscroll = false;
            // Keep the top paragraph and the cursor; rows within the paragraph change.
            app.top.row = 0;
        }
        Msg::Click(x, y) => motion::click(app, x, y),
        Msg::Wheel(delta) => {
            let action = if delta > 0 {
                Action::ScrollDown
            } else {
                Action::ScrollUp
            };
            for _ in 0..delta.unsigned_abs().min(20) {
                motion::apply(app, action, None, &mut effects);
            }
        }
        Msg::Status(level, text) => app.say(level, text),
        Msg::Search { query, backward } => motion::search(app, &query, backward),
        Msg::BidiNote(note) => app.bidi_note = Some(note),
        Msg::Input(input) => input::apply(app, input, &mut effects),
        Msg::RestorePosition(position) => app.go_to_position(position),
        Msg::Start => {
            app.looked_up = None;
            forced_start = true;
        }
        Msg::LoadingDocument(id) => app.loading = Some(id),
        Msg::Downloading { id, url } => {
            app.loading = Some(id);
            app.message = None;
            app.download = Some(Download {
                url,
                received: 0,
                total: None,
            });
        }
        Msg::DownloadProgress {
            id,
            received,
            total,
        } if app.loading == Some(id) => {
            if let Some(download) = &mut app.download {
                download.received = received;
                download.total = total;
            }
        }
        Msg::DownloadProgress { .. } => {}
        Msg::DocumentFailed { id, error } if app.loading == Some(id) && app.download.is_some() => {
            // Nothing to read: the reader ends, and says why on the terminal it gives
            // back.
            app.loading = None;
            app.deferred.clear();
            app.failed = Some(error);
            app.quit = true;
        }
        Msg::DocumentFailed { id, error } if app.loading == Some(id) => {
            app.loading = None;
            app.deferred.clear();
            app.say(
                Level::Error,
                format!("cannot read the rest of the document: {error}"),
            );
        }
        Msg::DocumentLoaded { id, doc } if app.loading == Some(id) => {
            // The first part's paragraphs are a prefix of the whole document's, so the
            // position and the cursor stay valid; the last of them may have grown. A
            // downloaded page starts at its top (a saved position follows, deferred).
            app.doc = *doc;
            app.loading = None;
            if app.download.take().is_some() {
                app.top = Pos::default();
                app.cursor = None;
                app.overscroll = false;
                app.landed = None;
            }
            app.cache = LayoutCache::default();
            app.count_words();
            // The document's own message replaces what was said; a note that it was
            // still loading goes, and anything else (the greeting) stays.
            match opening_message(&app.doc) {
                Some(message) => app.message = Some(message),
                None if app.message.as_ref().is_some_and(|m| {
                    [STILL_DOWNLOADING, STILL_READING].contains(&m.text.as_str())
                }) =>
                {
                    app.message = None;
                }
                None => {}
            }
            for deferred in std::mem::take(&mut app.deferred) {
                effects.extend(update(app, deferred));
            }
            // What waited for the document may have said something (a search's hit):
            // the document's warnings stay in front of it.
            if let (Some(opening), Some(said)) = (opening_message(&app.doc), &app.message)
                && opening.level == Level::Warning
                && said.level == Level::Info
            {
                app.message = Some(Message {
                    text: format!("{}; {}", opening.text, said.text),
                    level: Level::Warning,
                });
            }
        }
        // Answers to a request superseded since are dropped.
        Msg::DocumentFailed { .. } | Msg::DocumentLoaded { .. } => {}
        Msg::PendingKeys(keys) => app.pending_keys = keys,
        Msg::Translator(info) => app.translations.info = info,
        Msg::TranslationPiece { id, text } => translation::piece(app, id, &text),
        Msg::TranslationDone { id, result } => translation::done(app, id, result, &mut effects),
        Msg::LookupDone { id, content } => {
            if app.pending_lookup == Some(id) && translation::entries_arrived(app, &content) {
                app.pending_lookup = None;
            } else if app.pending_lookup == Some(id) {
                app.panel.shows = PanelView::Entries(content);
                app.panel.scroll = 0;
                app.pending_lookup = None;
            }
        }
        Msg::LookupFailed { id, title, error } => {
            if app.pending_lookup == Some(id) {
                app.panel.shows = PanelView::Error {
                    title,
                    message: error,
                };
                app.panel.scroll = 0;
                app.pending_lookup = None;
            }
        }
    }
    app.refresh();
    motion::keep_cursor_on_screen(app);
    if app.cursor != before {
        app.update_selection();
    }
    // While the cursor stays in the text of the translation shown, the panel keeps it.
    let keeps_translation = app.cursor != before && translation::cursor_moved(app, &mut effects);
    if (app.cursor != before || forced_lookup || forced_start)
        && (!keeps_translation || forced_lookup)
        && let Some(effect) = app.lookup_effect(forced_lookup)
    {
        effects.push(effect);
    }
    if app.quit {
        effects.push(Effect::Quit);
    }
    effects
}
