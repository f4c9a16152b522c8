//! What the side panel shows: the entries of a lookup, each with its fields, so that
//! drawing (src/ui/panel.rs) decides how they look and nothing here is formatted text.

use crate::glossary::entry::{Entry, parse_definition};
use crate::glossary::normalize::normalize;

/// The answer to a lookup, as the side panel shows it. The default (empty title) is the
/// panel before the first lookup.
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

impl PanelContent {
    /// True before the first lookup.
    pub fn is_idle(&self) -> bool {
        self.title.is_empty() && self.entries.is_empty() && self.warnings.is_empty()
    }
}
