//! The interface every indexed dictionary offers to the ranking in `lookup`, and the
//! normalised key index they share.

use super::analyze::{ANY, PosMask};
use super::entry::Warning;
use super::normalize::normalize;

/// A headword found under a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The source's own number for the entry, passed back to [`Dictionary::definition`].
    pub id: u32,
    pub headword: String,
}

/// A dictionary whose headwords are indexed by normalised key.
pub trait Dictionary: Send + Sync {
    /// The name shown as an entry's source.
    fn name(&self) -> &str;
    /// Appends the headwords whose key is `key` and whose part of speech is in `allows`
    /// (sources that do not know parts of speech ignore `allows`).
    fn find(&self, key: &str, allows: PosMask, out: &mut Vec<Hit>);
    /// The definition of a hit; a broken file gives a warning, never a panic.
    fn definition(&self, id: u32) -> Result<String, Warning>;
    /// The parts of speech of an entry, when the source knows them.
    fn pos(&self, _id: u32) -> PosMask {
        ANY
    }
}

/// One headword of an on-disk dictionary and where its definition lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    pub key: Box<str>,
    pub headword: Box<str>,
    pub offset: u64,
    pub size: u32,
}

/// Headwords by normalised key: the entries sorted by key, searched by bisection (no
/// per-entry allocation beyond the entries themselves, so a cached index loads fast).
#[derive(Debug, Default)]
pub struct KeyIndex {
    pub entries: Vec<IndexEntry>,
}

impl KeyIndex {
    /// Builds the index; `key` fields must already hold the normalised headword. Entries
    /// with one key keep their order in the dictionary.
    pub fn from_entries(mut entries: Vec<IndexEntry>) -> KeyIndex {
        if !entries.is_sorted_by(|a, b| a.key <= b.key) {
            entries.sort_by(|a, b| a.key.cmp(&b.key));
        }
        KeyIndex { entries }
    }

    /// An entry with its key computed from the headword.
    pub fn entry(headword: &str, offset: u64, size: u32) -> IndexEntry {
        IndexEntry {
            key: normalize(headword).into_boxed_str(),
            headword: headword.into(),
            offset,
            size,
        }
    }

    pub fn find(&self, key: &str, out: &mut Vec<Hit>) {
        let from = self.entries.partition_point(|e| &*e.key < key);
        for (i, e) in self.entries[from..].iter().enumerate() {
            if &*e.key != key {
                break;
            }
            out.push(Hit {
                id: (from + i) as u32,
                headword: e.headword.to_string(),
            });
        }
    }

    pub fn get(&self, id: u32) -> Option<&IndexEntry> {
        self.entries.get(id as usize)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Collects warnings for one file, keeping the first few and counting the rest, so that a
/// badly broken file does not flood the reader.
pub struct WarningSink<'a> {
    source: String,
    out: &'a mut Vec<Warning>,
    kept: usize,
    dropped: usize,
}

const MAX_WARNINGS_PER_FILE: usize = 5;

impl<'a> WarningSink<'a> {
    pub fn new(source: impl Into<String>, out: &'a mut Vec<Warning>) -> Self {
        WarningSink {
            source: source.into(),
            out,
            kept: 0,
            dropped: 0,
        }
    }

    pub fn warn(&mut self, place: Option<String>, message: impl Into<String>) {
        if self.kept < MAX_WARNINGS_PER_FILE {
            self.out
                .push(Warning::new(self.source.clone(), place, message));
            self.kept += 1;
        } else {
            self.dropped += 1;
        }
    }
}

impl Drop for WarningSink<'_> {
    fn drop(&mut self) {
        if self.dropped > 0 {
            self.out.push(Warning::new(
                self.source.clone(),
                None,
                format!("{} more problems like these", self.dropped),
            ));
        }
    }
}
