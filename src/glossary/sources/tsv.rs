//! Tab-separated glossaries: the reader's personal glossary
//! (`$XDG_DATA_HOME/qari/glossary.tsv`: word, gloss, note) and any `--dict FILE.tsv`.
//!
//! The file is kept as read, in one buffer; each entry is three byte ranges into it and
//! the index is a sorted list of (key hash, entry), so a glossary of a million lines
//! costs a few allocations, not several per line.
//!
//! Saving a gloss from the reader merges with the file on disk under a lock
//! ([`crate::store`]): the line of that word is replaced (or a line appended) and every
//! other line is written back byte for byte, whatever it holds (comments, lines that are
//! not UTF-8, extra columns, spaces), so glosses saved by another reader are kept.

use std::path::{Path, PathBuf};

use super::super::analyze::PosMask;
use super::super::entry::Warning;
use super::super::normalize::normalize;
use super::super::source::{Dictionary, Hit, WarningSink};
use crate::store::{self, StoreError};

/// One entry, as read (word, gloss and note without their surrounding white space).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TsvEntry {
    pub word: String,
    pub gloss: String,
    pub note: String,
}

/// Byte ranges of an entry's word, gloss and note in the text.
#[derive(Debug, Clone, Copy)]
struct Slot {
    word: (u32, u32),
    gloss: (u32, u32),
    note: (u32, u32),
}

#[derive(Debug)]
pub struct TsvGlossary {
    name: String,
    path: PathBuf,
    text: Vec<u8>,
    entries: Vec<Slot>,
    /// (hash of the normalised word, entry), sorted; entries of one word in file order.
    index: Vec<(u64, u32)>,
}

/// The error of saving the personal glossary.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct SaveError(#[from] StoreError);

/// The largest file whose offsets fit the index.
const MAX_LEN: usize = u32::MAX as usize;

/// FNV-1a: cheap, and good enough to spread normalised words (collisions are checked).
fn key_hash(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// What one line of the file is.
enum Parsed<'a> {
    /// Blank or a comment.
    Skip,
    Entry {
        word: &'a str,
        gloss: &'a str,
        note: &'a str,
    },
    Unreadable(&'static str),
}

fn parse_line(line: &[u8]) -> Parsed<'_> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let Ok(line) = std::str::from_utf8(line) else {
        return Parsed::Unreadable("the line is not UTF-8; it is kept but not used");
    };
    if line.trim().is_empty() || line.starts_with('#') {
        return Parsed::Skip;
    }
    let mut cols = line.split('\t');
    let word = cols.next().unwrap_or("").trim();
    let gloss = cols.next().unwrap_or("").trim();
    let note = cols.next().unwrap_or("").trim();
    if word.is_empty() || gloss.is_empty() || normalize(word).is_empty() {
        return Parsed::Unreadable(
            "expected word TAB gloss [TAB note]; the line is kept but not used",
        );
    }
    Parsed::Entry { word, gloss, note }
}

impl TsvGlossary {
    /// An empty glossary that will be saved at `path`.
    pub fn empty(name: &str, path: &Path) -> TsvGlossary {
        TsvGlossary {
            name: name.to_string(),
            path: path.to_path_buf(),
            text: Vec::new(),
            entries: Vec::new(),
            index: Vec::new(),
        }
    }

    /// Reads `path`; a missing file is an empty glossary, a bad line a warning.
    pub fn open(name: &str, path: &Path, warnings: &mut Vec<Warning>) -> TsvGlossary {
        let mut g = TsvGlossary::empty(name, path);
        match crate::fsread::read_regular(path, crate::fsread::limit::GLOSSARY) {
            Ok(bytes) => g.load(bytes, Some(warnings)),
            Err(e) if e.is_not_found() => {}
            Err(e) => warnings.push(Warning::new(
                path.display().to_string(),
                None,
                format!("cannot read: {}", e.reason()),
            )),
        }
        g
    }

    /// Replaces the contents with `bytes`, indexed.
    fn load(&mut self, mut bytes: Vec<u8>, warnings: Option<&mut Vec<Warning>>) {
        let mut no_warnings = Vec::new();
        let mut sink = WarningSink::new(
            self.path.display().to_string(),
            warnings.unwrap_or(&mut no_warnings),
        );
        if bytes.len() > MAX_LEN {
            sink.warn(
                None,
                "the file is larger than 4 GiB; only its start is used",
            );
            bytes.truncate(MAX_LEN);
        }
        self.entries.clear();
        self.index.clear();
        let base = bytes.as_ptr() as usize;
        // The fields are slices of `bytes`; an absent one is an empty literal.
        let range = |s: &str| match (s.as_ptr() as usize).checked_sub(base) {
            Some(start) if !s.is_empty() => (start as u32, (start + s.len()) as u32),
            _ => (0, 0),
        };
        for (i, line) in store::split_lines(&bytes).enumerate() {
            match parse_line(line) {
                Parsed::Skip => {}
                Parsed::Unreadable(why) => sink.warn(Some(format!("line {}", i + 1)), why),
                Parsed::Entry { word, gloss, note } => {
                    let id = self.entries.len() as u32;
                    self.index.push((key_hash(&normalize(word)), id));
                    self.entries.push(Slot {
                        word: range(word),
                        gloss: range(gloss),
                        note: range(note),
                    });
                }
            }
        }
        drop(sink);
        // Stable, so that the entries of one word stay in file order.
        self.index.sort_by_key(|&(hash, _)| hash);
        self.index.shrink_to_fit();
        self.entries.shrink_to_fit();
        self.text = bytes;
    }

    fn str_at(&self, (start, end): (u32, u32)) -> &str {
        // Ranges were cut from valid UTF-8 at char boundaries when the text was loaded.
        std::str::from_utf8(&self.text[start as usize..end as usize]).unwrap_or_default()
    }

    fn word(&self, id: u32) -> &str {
        self.entries
            .get(id as usize)
            .map_or("", |slot| self.str_at(slot.word))
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries whose normalised word is `key`, in file order.
    fn ids(&self, key: &str) -> impl Iterator<Item = u32> + '_ {
        let hash = key_hash(key);
        let first = self.index.partition_point(|&(h, _)| h < hash);
        let key = key.to_owned();
        self.index[first..]
            .iter()
            .take_while(move |&&(h, _)| h == hash)
            .map(|&(_, id)| id)
            .filter(move |&id| normalize(self.word(id)) == key)
    }

    /// The entry for `word` (normalised match), if any.
    pub fn get(&self, word: &str) -> Option<TsvEntry> {
        let id = self.ids(&normalize(word)).next()?;
        let slot = self.entries[id as usize];
        Some(TsvEntry {
            word: self.str_at(slot.word).to_owned(),
            gloss: self.str_at(slot.gloss).to_owned(),
            note: self.str_at(slot.note).to_owned(),
        })
    }

    /// Adds an entry for `word`, or replaces the gloss and note of the existing one, and
    /// saves the file, merged with what is on disk now. Afterwards this glossary holds
    /// the file as saved, glosses saved by other readers included.
    pub fn upsert(&mut self, word: &str, gloss: &str, note: &str) -> Result<(), SaveError> {
        let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ").trim().to_string();
        let (word, gloss, note) = (clean(word), clean(gloss), clean(note));
        let key = normalize(&word);
        let saved = store::rewrite(&self.path, |old| merge(old, &key, &word, &gloss, &note))?;
        self.load(saved, None);
        Ok(())
    }
}

/// `old` with the first entry of `key` given `gloss` and `note` (its word as written and
/// any columns after the note kept), or with a line for `word` appended. Every other
/// line is copied byte for byte.
fn merge(old: &[u8], key: &str, word: &str, gloss: &str, note: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(old.len() + word.len() + gloss.len() + note.len() + 3);
    let mut replaced = false;
    for line in store::split_lines(old) {
        if !replaced
            && let Parsed::Entry { word: old_word, .. } = parse_line(line)
            && normalize(old_word) == key
        {
            let (body, cr) = match line.strip_suffix(b"\r") {
                Some(body) => (body, &b"\r"[..]),
                None => (line, &b""[..]),
            };
            let mut cols = body.split(|&b| b == b'\t');
            out.extend_from_slice(cols.next().unwrap_or_default());
            out.extend_from_slice(format!("\t{gloss}\t{note}").as_bytes());
            for extra in cols.skip(2) {
                out.push(b'\t');
                out.extend_from_slice(extra);
            }
            out.extend_from_slice(cr);
            replaced = true;
        } else {
            out.extend_from_slice(line);
        }
        out.push(b'\n');
    }
    if !replaced {
        out.extend_from_slice(format!("{word}\t{gloss}\t{note}\n").as_bytes());
    }
    out
}

impl Dictionary for TsvGlossary {
    fn name(&self) -> &str {
        &self.name
    }

    fn find(&self, key: &str, _allows: PosMask, out: &mut Vec<Hit>) {
        out.extend(self.ids(key).map(|id| Hit {
            id,
            headword: self.word(id).to_owned(),
        }));
    }

    fn definition(&self, id: u32) -> Result<String, Warning> {
        let slot = self.entries.get(id as usize).ok_or_else(|| {
            Warning::new(
                self.path.display().to_string(),
                None,
                format!("no entry {id}"),
            )
        })?;
        let (gloss, note) = (self.str_at(slot.gloss), self.str_at(slot.note));
        Ok(if note.is_empty() {
            gloss.to_owned()
        } else {
            format!("{gloss}\n{note}")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replaced_line_keeps_its_word_its_extra_columns_and_its_line_end() {
        let old = "# c\n  كِتاب\told\tn\tx1\tx2\r\nقلم\tpen\n".as_bytes();
        let new = merge(old, &normalize("كتاب"), "كتاب", "book", "");
        assert_eq!(
            String::from_utf8(new).unwrap(),
            "# c\n  كِتاب\tbook\t\tx1\tx2\r\nقلم\tpen\n"
        );
    }

    #[test]
    fn a_new_word_is_appended_after_a_last_line_without_newline() {
        let new = merge(b"a\tb", "c", "c", "d", "e");
        assert_eq!(new, b"a\tb\nc\td\te\n");
    }
}
