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

/// Headwords by normalised key, searched by bisection. Keys and headwords live in one
/// string and each entry is a few numbers into it, so an index read from the cache costs
/// two allocations whatever its size.
#[derive(Debug, Default)]
pub struct KeyIndex {
    text: String,
    /// Sorted by key; entries with one key keep their order in the dictionary.
    slots: Vec<Slot>,
}

/// One entry of a [`KeyIndex`]: byte ranges of its key and headword in the text, and where
/// its definition lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub key: (u32, u32),
    pub headword: (u32, u32),
    pub offset: u64,
    pub size: u32,
}

/// An entry of a [`KeyIndex`], borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryRef<'a> {
    pub key: &'a str,
    pub headword: &'a str,
    pub offset: u64,
    pub size: u32,
}

impl KeyIndex {
    /// Builds the index; `key` fields must already hold the normalised headword. Entries
    /// with one key keep their order in the dictionary.
    pub fn from_entries(mut entries: Vec<IndexEntry>) -> KeyIndex {
        if !entries.is_sorted_by(|a, b| a.key <= b.key) {
            entries.sort_by(|a, b| a.key.cmp(&b.key));
        }
        let mut text = String::new();
        let mut slots = Vec::with_capacity(entries.len());
        // Ranges are u32: an index past 4 GiB of headwords is cut there.
        let at = |text: &String| u32::try_from(text.len()).ok();
        for e in &entries {
            let (Some(start), Some(end)) = (
                at(&text),
                at(&text).and_then(|a| a.checked_add(e.key.len() as u32)),
            ) else {
                break;
            };
            text.push_str(&e.key);
            let key = (start, end);
            let headword = if e.headword == e.key {
                key
            } else {
                let Some(head_end) = end.checked_add(e.headword.len() as u32) else {
                    break;
                };
                text.push_str(&e.headword);
                (end, head_end)
            };
            slots.push(Slot {
                key,
                headword,
                offset: e.offset,
                size: e.size,
            });
        }
        KeyIndex { text, slots }
    }

    /// An index from its parts, as the cache stores them: `None` unless every range lies
    /// on character boundaries of `text` and the slots are sorted by key.
    pub fn from_parts(text: String, slots: Vec<Slot>) -> Option<KeyIndex> {
        let index = KeyIndex { text, slots };
        let ok = |(a, b): (u32, u32)| a <= b && index.text.get(a as usize..b as usize).is_some();
        if !index.slots.iter().all(|s| ok(s.key) && ok(s.headword)) {
            return None;
        }
        // The ranges are checked above: compare their bytes, as `str` would.
        let bytes = |(a, b): (u32, u32)| &index.text.as_bytes()[a as usize..b as usize];
        if !index
            .slots
            .windows(2)
            .all(|w| bytes(w[0].key) <= bytes(w[1].key))
        {
            return None;
        }
        Some(index)
    }

    /// The text and slots, for the cache.
    pub fn parts(&self) -> (&str, &[Slot]) {
        (&self.text, &self.slots)
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

    fn str(&self, (a, b): (u32, u32)) -> &str {
        &self.text[a as usize..b as usize]
    }

    fn entry_ref(&self, s: &Slot) -> EntryRef<'_> {
        EntryRef {
            key: self.str(s.key),
            headword: self.str(s.headword),
            offset: s.offset,
            size: s.size,
        }
    }

    pub fn find(&self, key: &str, out: &mut Vec<Hit>) {
        let from = self.slots.partition_point(|s| self.str(s.key) < key);
        for (i, s) in self.slots[from..].iter().enumerate() {
            if self.str(s.key) != key {
                break;
            }
            out.push(Hit {
                id: (from + i) as u32,
                headword: self.str(s.headword).to_string(),
            });
        }
    }

    pub fn get(&self, id: u32) -> Option<EntryRef<'_>> {
        self.slots.get(id as usize).map(|s| self.entry_ref(s))
    }

    /// Keeps the entries for which `keep` is true, in their order.
    pub fn retain(&mut self, mut keep: impl FnMut(EntryRef<'_>) -> bool) {
        let mut slots = std::mem::take(&mut self.slots);
        slots.retain(|s| keep(self.entry_ref(s)));
        self.slots = slots;
    }

    /// The end of the definition that ends last (offset plus size), or `None` when one
    /// of them overflows.
    pub fn definitions_end(&self) -> Option<u64> {
        self.slots.iter().try_fold(0u64, |end, s| {
            Some(end.max(s.offset.checked_add(u64::from(s.size))?))
        })
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
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
