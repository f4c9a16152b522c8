//! Entry points for fuzzing the readers of files qari did not write: one function per
//! format, taking arbitrary bytes. Each must return for any input without a panic (an
//! overflow in a debug build included) and without unbounded memory; each also checks a
//! few promises of its reader and panics when one is broken, so that a fuzzer reports it.
//!
//! They are used by the cargo-fuzz targets in `fuzz/` and by `tests/fuzz_seeds.rs`,
//! which runs each over its seed corpus (`fuzz/corpus/<name>/`) and mutations of it.
//! Readers that work on files get the input written to a scratch directory of the
//! calling thread, removed when the thread ends.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::analyze::ANY;
use super::entry::Warning;
use super::index_cache;
use super::source::{Dictionary, KeyIndex};
use super::sources::dictd::{self, DictdDictionary};
use super::sources::dictzip::Dictzip;
use super::sources::stardict::{self, StarDict};
use super::sources::tsv::TsvGlossary;

/// A fuzz target: a name (its corpus directory under `fuzz/corpus/`) and its entry point.
pub type Target = (&'static str, fn(&[u8]));

/// Every target. A new input format adds its line here and a file in `fuzz/fuzz_targets/`.
pub const TARGETS: &[Target] = &[
    ("dictd_index", dictd_index),
    ("dictzip", dictzip),
    ("stardict", stardict),
    ("index_cache", index_cache),
    ("personal_glossary", personal_glossary),
    ("dict_reply", dict_reply),
    ("html", crate::document::html::fuzz),
    ("epub", crate::document::epub::fuzz),
];

/// At most this many entries of a fuzzed dictionary have their definition read.
const MAX_DEFINITIONS: usize = 64;

/// A directory that is removed with the value.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

thread_local! {
    static SCRATCH: RefCell<Option<Scratch>> = const { RefCell::new(None) };
}

/// Runs `f` with this thread's scratch directory, emptied first.
fn with_scratch<R>(f: impl FnOnce(&Path) -> R) -> R {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    SCRATCH.with(|cell| {
        let mut slot = cell.borrow_mut();
        let dir = slot.get_or_insert_with(|| {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            Scratch(std::env::temp_dir().join(format!("qari-fuzz-{}-{n}", std::process::id())))
        });
        let _ = std::fs::remove_dir_all(&dir.0);
        // A scratch directory that cannot be made makes every later open fail, which
        // the readers report as warnings: the run goes on, testing less.
        let _ = std::fs::create_dir_all(&dir.0);
        f(&dir.0)
    })
}

fn write(path: &Path, bytes: &[u8]) {
    let _ = std::fs::write(path, bytes);
}

/// Every entry of `index` is found under its key, and every range lies in the text.
fn check_index(index: &KeyIndex) {
    let mut hits = Vec::new();
    for id in 0..index.len().min(4096) as u32 {
        let Some(entry) = index.get(id) else {
            panic!("entry {id} of {} is missing", index.len());
        };
        hits.clear();
        index.find(entry.key, &mut hits);
        assert!(
            hits.iter()
                .any(|h| h.id == id && h.headword == entry.headword),
            "entry {id} ({:?}) is not found under its own key",
            entry.key
        );
    }
}

/// Reads the definitions of the first entries of `dict` (problems are warnings).
fn read_definitions(dict: &dyn Dictionary, len: usize) -> Vec<Result<String, Warning>> {
    (0..len.min(MAX_DEFINITIONS) as u32)
        .map(|id| dict.definition(id))
        .collect()
}

/// The dictionary opened from its files and from the cache give the same definitions.
fn assert_same_definitions(fresh: (&dyn Dictionary, usize), cached: (&dyn Dictionary, usize)) {
    assert_eq!(fresh.1, cached.1, "the cache keeps every entry");
    let ok = |(d, len): (&dyn Dictionary, usize)| -> Vec<Option<String>> {
        read_definitions(d, len)
            .into_iter()
            .map(Result::ok)
            .collect()
    };
    assert_eq!(
        ok(fresh),
        ok(cached),
        "the cache gives the definitions the files give"
    );
}

/// A dictd `.index` parsed and indexed, then the whole dictionary opened with the same
/// bytes as its `.dict`, and opened again from the index cache.
pub fn dictd_index(data: &[u8]) {
    let mut warnings = Vec::new();
    let text = String::from_utf8_lossy(data);
    let entries = dictd::parse_index(&text, "fuzz.index", &mut warnings);
    check_index(&KeyIndex::from_entries(entries));
    with_scratch(|dir| {
        let index = dir.join("f.index");
        write(&index, data);
        write(&dir.join("f.dict"), data);
        let cache = dir.join("cache");
        let fresh = DictdDictionary::open(&index, Some(&cache), &mut warnings);
        let cached = DictdDictionary::open(&index, Some(&cache), &mut warnings);
        if let (Some(fresh), Some(cached)) = (fresh, cached) {
            assert_same_definitions((&fresh, fresh.len()), (&cached, cached.len()));
        }
    });
}

/// A `.dict.dz`: header, chunk table, random reads (offsets and sizes taken from the
/// input's last bytes), and the whole text.
pub fn dictzip(data: &[u8]) {
    with_scratch(|dir| {
        let path = dir.join("f.dict.dz");
        write(&path, data);
        let Ok(dz) = Dictzip::open(&path) else {
            return;
        };
        let _ = dz.check();
        let len = dz.text_len();
        let tail = |at: usize| {
            let b = data.get(data.len().saturating_sub(at + 4)..data.len().saturating_sub(at))?;
            Some(u64::from(u32::from_le_bytes(b.try_into().ok()?)))
        };
        let (offset, size) = (tail(8).unwrap_or(0), tail(12).unwrap_or(16));
        let _ = dz.read(offset, size % (1 << 20));
        let _ = dz.read(u64::MAX - 1, 4);
        if let Some(len) = len {
            let _ = dz.read(0, len.min(1 << 20));
            let _ = dz.read(len.saturating_sub(1), 1);
        }
    });
}

/// Splits `data` at `marker`, into at most `n` parts.
fn sections<'a>(data: &'a [u8], marker: &[u8], n: usize) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut rest = data;
    while out.len() + 1 < n {
        match rest.windows(marker.len()).position(|w| w == marker) {
            Some(at) => {
                out.push(&rest[..at]);
                rest = &rest[at + marker.len()..];
            }
            None => break,
        }
    }
    out.push(rest);
    out
}

/// The separator of the sections of a [`stardict`] input.
pub const STARDICT_MARKER: &[u8] = b"\n##qari-fuzz##\n";

/// A StarDict dictionary: the input is its `.ifo`, `.idx`, `.dict` and `.syn`, in that
/// order, separated by [`STARDICT_MARKER`]; an `.idx` that starts with the gzip magic is
/// written as `.idx.gz`. The parsers are run on each part, then the dictionary is opened,
/// fresh and from the cache, and both must give the same definitions.
pub fn stardict(data: &[u8]) {
    let parts = sections(data, STARDICT_MARKER, 4);
    let part = |i: usize| parts.get(i).copied().unwrap_or(&[]);
    let (ifo, idx, dict) = (part(0), part(1), part(2));
    let ifo_text = String::from_utf8_lossy(ifo);
    let meta = stardict::parse_ifo(&ifo_text).ok();
    let mut warnings = Vec::new();
    for bits in [4, 8] {
        let _ = stardict::parse_idx(idx, bits, "fuzz.idx", &mut warnings);
    }
    let types = meta.as_ref().and_then(|m| m.get("sametypesequence"));
    let _ = stardict::definition_text(dict, types.map(String::as_str));
    let _ = stardict::definition_text(dict, None);
    with_scratch(|dir| {
        let ifo_path = dir.join("f.ifo");
        write(&ifo_path, ifo);
        let gz = idx.starts_with(&[0x1f, 0x8b]);
        write(&dir.join(if gz { "f.idx.gz" } else { "f.idx" }), idx);
        write(&dir.join("f.dict"), dict);
        if let Some(syn) = parts.get(3) {
            write(&dir.join("f.syn"), syn);
        }
        let cache = dir.join("cache");
        let fresh = StarDict::open(&ifo_path, Some(&cache), &mut warnings);
        let cached = StarDict::open(&ifo_path, Some(&cache), &mut warnings);
        if let (Some(fresh), Some(cached)) = (fresh, cached) {
            assert_same_definitions((&fresh, fresh.len()), (&cached, cached.len()));
        }
    });
}

/// The body of an index cache file (past its header and checksum, which a fuzzer would
/// seldom get right): an index that loads must be consistent. Then the input as a whole
/// cache file of a small dictionary, which must load the dictionary's own entries or be
/// rebuilt.
pub fn index_cache(data: &[u8]) {
    if let Some(index) = index_cache::index_from_body(data.to_vec(), 0) {
        check_index(&index);
    }
    with_scratch(|dir| {
        let index = dir.join("f.index");
        write(&index, b"kitab\tA\tG\nqalam\tG\tD\n");
        write(&dir.join("f.dict"), b"a bookpen\n");
        let cache = dir.join("cache");
        let path = index_cache::cache_file(&cache, "dictd", &index);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        write(&path, data);
        let mut warnings = Vec::new();
        if let Some(d) = DictdDictionary::open(&index, Some(&cache), &mut warnings)
            && !d.from_cache
        {
            let defs: Vec<_> = read_definitions(&d, d.len())
                .into_iter()
                .map(Result::ok)
                .collect();
            assert_eq!(defs, [Some("a book".to_owned()), Some("pen".to_owned())]);
        }
    });
}

/// The personal glossary's TSV parser: every entry has its definition, and a word the
/// glossary gives an entry for is found again under its key.
pub fn personal_glossary(data: &[u8]) {
    with_scratch(|dir| {
        let path = dir.join("glossary.tsv");
        write(&path, data);
        let mut warnings = Vec::new();
        let g = TsvGlossary::open("personal", &path, &mut warnings);
        let defs = read_definitions(&g, g.len());
        assert!(
            defs.iter().all(Result::is_ok),
            "an entry without definition"
        );
        let mut hits = Vec::new();
        for line in data.split(|&b| b == b'\n').take(256) {
            let line = String::from_utf8_lossy(line);
            let word = line.split('\t').next().unwrap_or("").trim();
            let Some(entry) = g.get(word) else {
                continue;
            };
            hits.clear();
            g.find(&super::normalize::normalize(word), ANY, &mut hits);
            assert!(
                hits.iter().any(|h| h.headword == entry.word),
                "{word:?} is not found by its key"
            );
        }
    });
}

/// The DICT protocol's reply parser (RFC 2229), on a whole reply held in memory: every
/// definition it gives answers one of the words asked, and none is larger than the reply.
pub fn dict_reply(data: &[u8]) {
    let words = ["كتاب".to_owned(), "book".to_owned()];
    if let Ok(found) = super::sources::dictproto::parse_reply(data, &words, "*") {
        for d in &found {
            assert!(d.query < words.len(), "a definition for a word never asked");
            assert!(
                d.definition.len() + d.headword.len() <= data.len() * 3 + 16,
                "a definition larger than the reply it came from"
            );
        }
    }
}
