//! dictd dictionaries: a `.index` of `headword TAB offset TAB length` (numbers in dictd's
//! base64) and a `.dict` or dictzipped `.dict.dz` holding the definitions.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::fsread;

use super::super::analyze::PosMask;
use super::super::entry::Warning;
use super::super::index_cache;
use super::super::source::{Dictionary, Hit, IndexEntry, KeyIndex, WarningSink};
use super::dictzip::{Dictzip, TextCache};

/// Definitions of one dictionary, compressed or not.
#[derive(Debug)]
pub enum DictData {
    Plain { file: Mutex<File>, len: u64 },
    Zipped(Box<Dictzip>),
}

impl DictData {
    /// Opens `.dict.dz` (dictzip) or a plain `.dict`.
    pub fn open(path: &Path, warnings: &mut Vec<Warning>) -> Option<DictData> {
        let source = path.display().to_string();
        if path.extension().is_some_and(|e| e == "dz") {
            match Dictzip::open(path) {
                Ok(dz) => {
                    if let Err(e) = dz.check() {
                        warnings.push(Warning::new(source, None, e.to_string()));
                    }
                    Some(DictData::Zipped(Box::new(dz)))
                }
                Err(e) => {
                    warnings.push(Warning::new(source, None, e.to_string()));
                    None
                }
            }
        } else {
            match fsread::open_regular(path) {
                Ok((file, len)) => Some(DictData::Plain {
                    file: Mutex::new(file),
                    len,
                }),
                Err(e) => {
                    warnings.push(Warning::new(
                        source,
                        None,
                        format!("cannot open: {}", e.reason()),
                    ));
                    None
                }
            }
        }
    }

    /// Uses the disk cache of the inflated text of a small dictzip file: read on first use
    /// when `index_was_cached`, else built now with the index (the whole text inflated
    /// once) and written for the next start.
    pub fn use_text_cache(
        &mut self,
        cache_dir: Option<&Path>,
        kind: &str,
        stamped: &[&Path],
        index_was_cached: bool,
        warnings: &mut Vec<Warning>,
    ) {
        let (Some(dir), DictData::Zipped(dz)) = (cache_dir, self) else {
            return;
        };
        if !dz.is_small() {
            return;
        }
        let Some(len) = dz.text_len() else {
            return;
        };
        let kind = format!("{kind}-text");
        if index_was_cached {
            // Read on first use; when the file is missing or stale, chunks are inflated as
            // before, and the file is written again with the next rebuild of the index.
            dz.set_text_cache(TextCache {
                dir: dir.to_path_buf(),
                kind,
                files: stamped.iter().map(|p| p.to_path_buf()).collect(),
            });
            return;
        }
        // A chunk that does not inflate is reported when a definition in it is read.
        let Ok(text) = dz.read(0, len) else {
            return;
        };
        if let Err(e) = index_cache::store_text(dir, &kind, stamped, &text) {
            warnings.push(Warning::new(
                dir.display().to_string(),
                None,
                format!("cannot write the index cache: {e}"),
            ));
        }
        dz.set_text(text);
    }

    /// The length of the text, when it can be known without inflating it.
    pub fn text_len(&self) -> Option<u64> {
        match self {
            DictData::Plain { len, .. } => Some(*len),
            DictData::Zipped(dz) => dz.text_len(),
        }
    }

    /// Drops the entries whose definition lies past the end of the text, with a warning
    /// naming each (up to a few).
    pub fn check_entries(
        &self,
        index: &mut KeyIndex,
        index_source: &str,
        warnings: &mut Vec<Warning>,
    ) {
        let Some(len) = self.text_len() else {
            return;
        };
        // The common case, a sound dictionary, costs one pass over the numbers.
        if index.definitions_end().is_some_and(|end| end <= len) {
            return;
        }
        let mut sink = WarningSink::new(index_source, warnings);
        index.retain(|e| {
            let Some(end) = e.offset.checked_add(u64::from(e.size)) else {
                sink.warn(
                    Some(format!("entry {:?}", e.headword)),
                    format!(
                        "offset {} plus length {} is past any file's end",
                        e.offset, e.size
                    ),
                );
                return false;
            };
            if end > len {
                sink.warn(
                    Some(format!("entry {:?}", e.headword)),
                    format!(
                        "points at bytes {}..{end}, past the end of the definitions ({len} bytes)",
                        e.offset
                    ),
                );
                false
            } else {
                true
            }
        });
    }

    /// The bytes of entry `id` of `index`, and its headword. A problem is reported
    /// against the data file `path` and the entry (or the dictionary `name`).
    pub fn entry<'a>(
        &self,
        index: &'a KeyIndex,
        id: u32,
        name: &str,
        path: &Path,
    ) -> Result<(Vec<u8>, &'a str), Warning> {
        let e = index
            .get(id)
            .ok_or_else(|| Warning::new(name.to_owned(), None, format!("no entry {id}")))?;
        let bytes = self.read(e.offset, u64::from(e.size)).map_err(|m| {
            Warning::new(
                path.display().to_string(),
                Some(format!("entry {:?} at byte {}", e.headword, e.offset)),
                m,
            )
        })?;
        Ok((bytes, e.headword))
    }

    pub fn read(&self, offset: u64, size: u64) -> Result<Vec<u8>, String> {
        match self {
            DictData::Zipped(dz) => dz.read(offset, size).map_err(|e| e.to_string()),
            DictData::Plain { file, len } => {
                let end = offset.saturating_add(size);
                if end > *len {
                    return Err(format!(
                        "bytes {offset}..{end} lie past the end of the file ({len} bytes)"
                    ));
                }
                let mut buf = vec![0u8; size as usize];
                let mut f = file.lock().unwrap_or_else(|e| e.into_inner());
                f.seek(SeekFrom::Start(offset)).map_err(|e| e.to_string())?;
                f.read_exact(&mut buf).map_err(|e| e.to_string())?;
                Ok(buf)
            }
        }
    }
}

#[derive(Debug)]
pub struct DictdDictionary {
    name: String,
    dict_path: PathBuf,
    index: KeyIndex,
    data: DictData,
    /// True when the index came from the on-disk cache.
    pub from_cache: bool,
}

/// The `.dict.dz` or `.dict` next to an `.index`.
fn data_file(index_path: &Path) -> Option<PathBuf> {
    let base = index_path.with_extension("");
    ["dict.dz", "dict"]
        .iter()
        .map(|ext| PathBuf::from(format!("{}.{ext}", base.display())))
        .find(|p| p.is_file())
}

fn b64_value(c: u8) -> Option<u64> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    } as u64)
}

/// dictd's base64 numbers: most significant digit first.
pub fn decode_b64(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 10 {
        return None;
    }
    s.bytes()
        .try_fold(0u64, |acc, c| Some(acc * 64 + b64_value(c)?))
}

/// Parses a dictd `.index` into entries; bad lines are skipped with a warning.
pub fn parse_index(text: &str, source: &str, warnings: &mut Vec<Warning>) -> Vec<IndexEntry> {
    let mut sink = WarningSink::new(source, warnings);
    let mut entries = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let place = || Some(format!("line {}", i + 1));
        if cols.len() < 3 {
            sink.warn(
                place(),
                "expected headword, offset and length separated by tabs",
            );
            continue;
        }
        let (headword, offset, size) = (
            cols[0],
            decode_b64(cols[1].trim()),
            decode_b64(cols[2].trim()),
        );
        let (Some(offset), Some(size)) = (offset, size) else {
            sink.warn(place(), "offset or length is not dictd base64");
            continue;
        };
        if headword.starts_with("00database") || headword.starts_with("00-database") {
            continue;
        }
        let Ok(size) = u32::try_from(size) else {
            sink.warn(place(), "entry is larger than 4 GiB");
            continue;
        };
        entries.push(KeyIndex::entry(headword, offset, size));
    }
    entries
}

impl DictdDictionary {
    /// Opens the dictionary of an `.index` file, using the index cache in `cache_dir` when
    /// it is fresh and refreshing it otherwise.
    pub fn open(
        index_path: &Path,
        cache_dir: Option<&Path>,
        warnings: &mut Vec<Warning>,
    ) -> Option<DictdDictionary> {
        let source = index_path.display().to_string();
        let Some(dict_path) = data_file(index_path) else {
            warnings.push(Warning::new(
                source,
                None,
                "no .dict.dz or .dict file next to this index",
            ));
            return None;
        };
        let mut data = DictData::open(&dict_path, warnings)?;
        let stamped = [index_path, dict_path.as_path()];
        let cached = cache_dir.and_then(|dir| index_cache::load(dir, "dictd", &stamped));
        let from_cache = cached.is_some();
        data.use_text_cache(cache_dir, "dictd", &stamped, from_cache, warnings);
        let index = match cached {
            Some(index) => index,
            None => {
                let bytes = match fsread::read_regular(index_path, fsread::limit::INDEX) {
                    Ok(b) => b,
                    Err(e) => {
                        let reason = format!("cannot read: {}", e.reason());
                        warnings.push(Warning::new(source, None, reason));
                        return None;
                    }
                };
                let entries = parse_index(&String::from_utf8_lossy(&bytes), &source, warnings);
                let index = KeyIndex::from_entries(entries);
                if let Some(dir) = cache_dir
                    && let Err(e) = index_cache::store(dir, "dictd", &stamped, &index)
                {
                    warnings.push(Warning::new(
                        dir.display().to_string(),
                        None,
                        format!("cannot write the index cache: {e}"),
                    ));
                }
                index
            }
        };
        let mut index = index;
        data.check_entries(&mut index, &source, warnings);
        let name = index_path
            .file_stem()
            .map_or_else(|| source.clone(), |s| s.to_string_lossy().into_owned());
        Some(DictdDictionary {
            name,
            dict_path,
            index,
            data,
            from_cache,
        })
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }
}

/// Drops the headword from the first line of a definition when that line repeats it
/// (FreeDict writes `headword /pronunciation/` there). The pronunciation stays, on a line
/// of its own, for the reader to show (see `entry::parse_definition`).
pub fn strip_headword_line(text: &str, headword: &str) -> String {
    let text = text.trim_matches(|c: char| c == '\n' || c == '\r' || c == ' ');
    if let Some((first, rest)) = text.split_once('\n')
        && let Some(after) = first.trim_start().strip_prefix(headword)
        && !rest.trim().is_empty()
    {
        let after = after.trim();
        if after.len() > 2 && after.starts_with('/') && after.ends_with('/') {
            return format!("{after}\n{}", rest.trim());
        }
        return rest.trim().to_string();
    }
    text.to_string()
}

impl Dictionary for DictdDictionary {
    fn name(&self) -> &str {
        &self.name
    }

    fn find(&self, key: &str, _allows: PosMask, out: &mut Vec<Hit>) {
        self.index.find(key, out);
    }

    fn definition(&self, id: u32) -> Result<String, Warning> {
        let (bytes, headword) = self
            .data
            .entry(&self.index, id, &self.name, &self.dict_path)?;
        Ok(strip_headword_line(
            &String::from_utf8_lossy(&bytes),
            headword,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_numbers() {
        assert_eq!(decode_b64("A"), Some(0));
        assert_eq!(decode_b64("B"), Some(1));
        assert_eq!(decode_b64("BA"), Some(64));
        assert_eq!(
            decode_b64("Lw7Y"),
            Some(((11 * 64 + 48) * 64 + 59) * 64 + 24)
        );
        assert_eq!(decode_b64("*"), None);
    }

    #[test]
    fn the_headword_line_goes_and_its_pronunciation_stays() {
        assert_eq!(
            strip_headword_line("الإدارة /ʔalʔˈidaːrˌa/\n1. Admin\n", "الإدارة"),
            "/ʔalʔˈidaːrˌa/\n1. Admin"
        );
        assert_eq!(strip_headword_line("word\nsense", "word"), "sense");
        assert_eq!(strip_headword_line("other\nsense", "word"), "other\nsense");
    }

    #[test]
    fn index_lines() {
        let mut w = Vec::new();
        let e = parse_index(
            "00databaseshort\tA\tB\nكِتاب\tBA\tC\nbad line\n",
            "x.index",
            &mut w,
        );
        assert_eq!(e.len(), 1);
        assert_eq!(&*e[0].key, "كتاب");
        assert_eq!((e[0].offset, e[0].size), (64, 2));
        assert_eq!(w[0].place.as_deref(), Some("line 3"));
    }
}
