//! What a lookup returns: dictionary entries, and warnings about sources that misbehaved.

use std::fmt;

use serde::Serialize;

/// How an entry was reached; lower sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// From the reader's personal glossary.
    Personal,
    /// The word as written (after normalisation) is a headword.
    Exact,
    /// A headword reached by removing clitics and affixes.
    Analysed,
}

/// One dictionary entry for a looked-up word.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// The headword as the source writes it.
    pub headword: String,
    /// Where it comes from: `personal`, `builtin`, `buckwalter`, a dictionary's name, or a
    /// `dict://` address.
    pub source: String,
    /// The definition text.
    pub definition: String,
    /// The segmentation that led here, e.g. `و + ال + خارجي + ة: and + the + … + [fem.]`;
    /// `None` for an exact or personal match.
    pub analysis: Option<String>,
    #[serde(skip)]
    pub kind: MatchKind,
    /// Affix cost of the analysis (0 for exact matches); fewer and commoner affixes cost less.
    #[serde(skip)]
    pub cost: u32,
}

/// A problem with one source. The other sources keep working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The file or server concerned.
    pub source: String,
    /// Where in it, when known: `line 12`, `byte 4096`, `entry 7`.
    pub place: Option<String>,
    pub message: String,
}

impl Warning {
    pub fn new(
        source: impl Into<String>,
        place: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        Warning {
            source: source.into(),
            place,
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Some(place) => write!(f, "{}: {}: {}", self.source, place, self.message),
            None => write!(f, "{}: {}", self.source, self.message),
        }
    }
}
