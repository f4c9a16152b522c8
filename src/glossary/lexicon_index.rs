//! The index of the built-in lexicon, written at compile time by build.rs (which includes
//! this file) and read in place from the bytes embedded in the binary: opening it costs
//! nothing whatever the lexicon's size, and a lemma is read from its TSV line only when a
//! lookup reaches it.
//!
//! Layout, all numbers u32 little-endian:
//! - header: magic `QLX1`, then the counts of lemmas, keys and ids;
//! - lemmas: per lemma, in file order, its file (number in the file list), its part of
//!   speech (place in [`POS_NAMES`]) and the byte range of its line in that file's text;
//! - keys, sorted by their bytes, plus one sentinel: per key the offsets of its bytes in the
//!   string area and of its first id (a key ends where the next one starts);
//! - ids: the lemmas of each key, in file order;
//! - the string area: the keys' bytes, one after the other.
//!
//! A lemma's id is its place among the lemmas of all files, in order, as the runtime parser
//! numbers them.

use super::lexicon_line::{POS_NAMES, is_blank, parse_line, pos_index};

const MAGIC: &[u8; 4] = b"QLX1";
const HEADER: usize = 16;
const LEMMA_SIZE: usize = 16;
const KEY_SIZE: usize = 8;

/// Where a lemma's line lies, and what the index keeps of it without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LemmaRecord {
    /// The file's place in the list the index was built from.
    pub file: usize,
    /// The part of speech, one of [`POS_NAMES`].
    pub pos: &'static str,
    /// The byte range of the line in the file's text.
    pub line: std::ops::Range<usize>,
}

/// Reads every file (name, text) and writes the index. A malformed line is an error that
/// names the file and the line: the built-in files are checked when qari is built.
pub fn build(files: &[(&str, &str)]) -> Result<Vec<u8>, String> {
    let mut lemmas: Vec<[u32; 4]> = Vec::new();
    let mut pairs: Vec<(String, u32)> = Vec::new();
    for (f, (name, text)) in files.iter().enumerate() {
        let mut start = 0;
        for (i, raw) in text.split_inclusive('\n').enumerate() {
            let line_start = start;
            start += raw.len();
            let line = raw.strip_suffix('\n').unwrap_or(raw);
            if is_blank(line) {
                continue;
            }
            let parsed = parse_line(line).map_err(|e| format!("{name}, line {}: {e}", i + 1))?;
            let id = u32::try_from(lemmas.len()).map_err(|_| "too many lemmas".to_string())?;
            let pos = pos_index(parsed.pos).unwrap_or(0);
            lemmas.push([
                to_u32(f)?,
                to_u32(pos)?,
                to_u32(line_start)?,
                to_u32(line_start + line.len())?,
            ]);
            pairs.extend(parsed.keys().into_iter().map(|k| (k, id)));
        }
    }
    // Stable: the ids of one key stay in file order.
    pairs.sort_by(|a, b| a.0.cmp(&b.0));

    let mut keys: Vec<[u32; 2]> = Vec::new();
    let (mut ids, mut strings) = (Vec::new(), Vec::new());
    let mut last: Option<&str> = None;
    for (key, id) in &pairs {
        if last != Some(key.as_str()) {
            keys.push([to_u32(strings.len())?, to_u32(ids.len())?]);
            strings.extend_from_slice(key.as_bytes());
            last = Some(key);
        }
        ids.push(*id);
    }
    keys.push([to_u32(strings.len())?, to_u32(ids.len())?]);

    let mut out = Vec::with_capacity(
        HEADER + lemmas.len() * LEMMA_SIZE + keys.len() * KEY_SIZE + ids.len() * 4 + strings.len(),
    );
    out.extend_from_slice(MAGIC);
    for n in [lemmas.len(), keys.len() - 1, ids.len()] {
        out.extend_from_slice(&to_u32(n)?.to_le_bytes());
    }
    for n in lemmas
        .iter()
        .flatten()
        .chain(keys.iter().flatten())
        .chain(&ids)
    {
        out.extend_from_slice(&n.to_le_bytes());
    }
    out.extend_from_slice(&strings);
    Ok(out)
}

fn to_u32(n: usize) -> Result<u32, String> {
    u32::try_from(n).map_err(|_| "the lexicon is too large for its index".to_string())
}

/// An index, read in place. Every read is checked: damaged bytes give nothing, never a
/// panic.
#[derive(Debug, Clone, Copy)]
pub struct IndexView<'a> {
    lemmas: &'a [u8],
    keys: &'a [u8],
    ids: &'a [u8],
    strings: &'a [u8],
    lemma_count: usize,
    key_count: usize,
}

fn u32_at(bytes: &[u8], at: usize) -> Option<usize> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
}

impl<'a> IndexView<'a> {
    /// The index in `bytes`, or `None` when they are not one.
    pub fn new(bytes: &'a [u8]) -> Option<IndexView<'a>> {
        if bytes.get(..4)? != MAGIC {
            return None;
        }
        let (lemma_count, key_count, id_count) =
            (u32_at(bytes, 4)?, u32_at(bytes, 8)?, u32_at(bytes, 12)?);
        let (lemmas, rest) = bytes[HEADER..].split_at_checked(lemma_count * LEMMA_SIZE)?;
        let (keys, rest) = rest.split_at_checked((key_count + 1) * KEY_SIZE)?;
        let (ids, strings) = rest.split_at_checked(id_count * 4)?;
        Some(IndexView {
            lemmas,
            keys,
            ids,
            strings,
            lemma_count,
            key_count,
        })
    }

    /// How many lemmas the index holds.
    pub fn lemma_count(&self) -> usize {
        self.lemma_count
    }

    /// How many distinct keys the index holds.
    pub fn key_count(&self) -> usize {
        self.key_count
    }

    /// The bytes of key `i` and the range of its ids.
    fn key(&self, i: usize) -> Option<(&'a [u8], std::ops::Range<usize>)> {
        let at = i * KEY_SIZE;
        let (s0, i0) = (u32_at(self.keys, at)?, u32_at(self.keys, at + 4)?);
        let (s1, i1) = (
            u32_at(self.keys, at + KEY_SIZE)?,
            u32_at(self.keys, at + KEY_SIZE + 4)?,
        );
        Some((self.strings.get(s0..s1)?, i0..i1))
    }

    /// Key `i`, as text (for tests and checks).
    pub fn key_text(&self, i: usize) -> Option<&'a str> {
        std::str::from_utf8(self.key(i)?.0).ok()
    }

    /// The ids of the lemmas found under `key` (normalised), in file order.
    pub fn ids(&self, key: &str) -> impl Iterator<Item = u32> + use<'a> {
        let (mut lo, mut hi) = (0, self.key_count);
        let mut found = 0..0;
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let Some((k, range)) = self.key(mid) else {
                break;
            };
            match k.cmp(key.as_bytes()) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    found = range;
                    break;
                }
            }
        }
        let ids = self.ids;
        found.filter_map(move |i| u32_at(ids, i * 4).map(|id| id as u32))
    }

    /// Where lemma `id` lies.
    pub fn lemma(&self, id: u32) -> Option<LemmaRecord> {
        let at = (id as usize).checked_mul(LEMMA_SIZE)?;
        let n = |k: usize| u32_at(self.lemmas, at + 4 * k);
        Some(LemmaRecord {
            file: n(0)?,
            pos: POS_NAMES.get(n(1)?)?,
            line: n(2)?..n(3)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "# comment\nكتاب\tكِتَاب\tnoun\tكتب\tكتاب كتب\tbook\n\nكتب\tكَتَبَ\tverb\tكتب\tكتب يكتب\twrite\n";
    const B: &str = "القاهرة\tالقاهرة\tpropn\t-\tالقاهرة\tCairo\r\n";

    #[test]
    fn keys_find_their_lemmas_in_file_order() {
        let bytes = build(&[("a.tsv", A), ("b.tsv", B)]).unwrap();
        let ix = IndexView::new(&bytes).unwrap();
        assert_eq!(ix.lemma_count(), 3);
        assert_eq!(ix.ids("كتب").collect::<Vec<_>>(), [0, 1]);
        assert_eq!(ix.ids("يكتب").collect::<Vec<_>>(), [1]);
        assert_eq!(ix.ids("القاهره").collect::<Vec<_>>(), [2]);
        assert_eq!(ix.ids("لقاهره").collect::<Vec<_>>(), [2]);
        assert_eq!(ix.ids("القاهرة").count(), 0);
        assert_eq!(ix.ids("").count(), 0);
        let keys: Vec<&str> = (0..ix.key_count())
            .map(|i| ix.key_text(i).unwrap())
            .collect();
        assert!(keys.is_sorted(), "{keys:?}");
        let r = ix.lemma(2).unwrap();
        assert_eq!((r.file, r.pos), (1, "propn"));
        assert_eq!(&B[r.line], "القاهرة\tالقاهرة\tpropn\t-\tالقاهرة\tCairo\r");
        let r = ix.lemma(1).unwrap();
        assert!(A[r.line].starts_with("كتب\tكَتَبَ"));
        assert!(ix.lemma(3).is_none());
    }

    #[test]
    fn a_malformed_line_names_its_file_and_line() {
        let e = build(&[("a.tsv", A), ("c.tsv", "x\ty\n\nكتاب\tك\tthing\tr\ts\tg\n")]).unwrap_err();
        assert_eq!(
            e,
            "c.tsv, line 1: expected 6 tab-separated columns (7 with dialects), found 2"
        );
        let e = build(&[("c.tsv", "كتاب\tك\tthing\tr\ts\tg\n")]).unwrap_err();
        assert!(
            e.starts_with("c.tsv, line 1: unknown part of speech"),
            "{e}"
        );
    }

    #[test]
    fn damaged_bytes_give_nothing() {
        let bytes = build(&[("a.tsv", A)]).unwrap();
        assert!(IndexView::new(&bytes[..10]).is_none());
        assert!(IndexView::new(b"QLX0").is_none());
        let mut cut = bytes.clone();
        cut.truncate(bytes.len() - 3);
        let ix = IndexView::new(&cut).unwrap();
        // The last key's bytes are cut: it is not found, and nothing panics.
        let _ = ix.ids("يكتب").count();
        assert!(IndexView::new(&[]).is_none());
    }
}
