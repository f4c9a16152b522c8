//! What the side panel shows ([`PanelView`]: a hint, a lookup under way, the entries of
//! a lookup, an error, or a machine translation), each entry with its fields, so that drawing
//! (src/ui/panel.rs) decides how they look and nothing here is formatted text.

use std::time::{Duration, Instant};

use super::translation::MachineText;
use crate::glossary::entry::{Entry, parse_definition};
use crate::glossary::normalize::normalize;

/// What the side panel shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum PanelView {
    /// Before the first lookup: how to look a word up.
    #[default]
    Idle,
    /// A lookup is under way since `since`. The entries shown before stay on screen
    /// for [`PanelView::QUICK`], so that quick lookups do not flicker.
    Loading {
        title: String,
        since: Instant,
        previous: Option<PanelContent>,
    },
    /// The answer to a lookup.
    Entries(PanelContent),
    /// A lookup that failed.
    Error { title: String, message: String },
    /// A machine translation, or a machine explanation of a word shown under the
    /// glossary's `entries` for it.
    Machine {
        entries: Option<PanelContent>,
        answer: MachineText,
    },
}

impl PanelView {
    /// How long a lookup may take before the panel says it is waiting.
    pub const QUICK: Duration = Duration::from_millis(250);

    /// Waiting for the lookup of `title`, keeping what is shown now meanwhile.
    pub fn loading(title: String, now: Instant, shown: &PanelView) -> PanelView {
        PanelView::Loading {
            title,
            since: now,
            previous: shown.entries().cloned(),
        }
    }

    /// The entries on screen, if any (those kept while a lookup is under way too).
    pub fn entries(&self) -> Option<&PanelContent> {
        match self {
            PanelView::Entries(content) => Some(content),
            PanelView::Loading { previous, .. } => previous.as_ref(),
            PanelView::Machine { entries, .. } => entries.as_ref(),
            PanelView::Idle | PanelView::Error { .. } => None,
        }
    }
}

/// The answer to a lookup, as the side panel shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PanelContent {
    /// The word or phrase looked up.
    pub title: String,
    /// Problems with a source (a DICT server that is down), shown above the entries.
    pub warnings: Vec<String>,
    /// The entries, best first.
    pub entries: Vec<PanelEntry>,
    /// The user's own gloss for the title, if there is one (offered when editing it).
    pub personal: Option<String>,
}

/// One dictionary entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PanelEntry {
    /// The headword, as the entry writes it when that is the same word (with harakat).
    pub headword: String,
    /// Where the entry comes from: `personal`, `builtin`, a dictionary's name.
    pub source: String,
    /// How the word looked up leads to the headword (`مجند + ين: recruit + [pl./dual]`).
    pub analysis: Option<String>,
    /// The pronunciation, without slashes (`fʕʕˈaːl`).
    pub pronunciation: Option<String>,
    /// The senses in order, without numbers and without line breaks.
    pub senses: Vec<String>,
}

impl From<&Entry> for PanelEntry {
    fn from(entry: &Entry) -> Self {
        let parsed = parse_definition(&entry.definition);
        let headword = match parsed.written {
            Some(written) if normalize(&written) == normalize(&entry.headword) => written,
            _ => entry.headword.clone(),
        };
        PanelEntry {
            headword,
            source: entry.source.clone(),
            analysis: entry.analysis.clone(),
            pronunciation: parsed.pronunciation,
            senses: parsed.senses,
        }
    }
}
