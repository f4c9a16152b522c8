//! StarDict dictionaries: `.ifo` (metadata), `.idx` or `.idx.gz` (sorted words with 32- or
//! 64-bit offsets), `.dict` or `.dict.dz` (definitions), and an optional `.syn` (synonyms
//! pointing into the `.idx`).

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::fsread;

use super::super::analyze::PosMask;
use super::super::entry::Warning;
use super::super::index_cache;
use super::super::normalize::normalize;
use super::super::source::{Dictionary, Hit, IndexEntry, KeyIndex, WarningSink};
use super::dictd::{DictData, strip_headword_line};

#[derive(Debug)]
pub struct StarDict {
    name: String,
    dict_path: PathBuf,
    index: KeyIndex,
    data: DictData,
    /// `sametypesequence`, when the .ifo gives one.
    types: Option<String>,
    pub from_cache: bool,
}

/// The first of `base.ext` for `exts` that exists.
fn sibling(ifo: &Path, exts: &[&str]) -> Option<PathBuf> {
    let base = ifo.with_extension("");
    exts.iter()
        .map(|ext| PathBuf::from(format!("{}.{ext}", base.display())))
        .find(|p| p.is_file())
}

/// Parses an `.ifo`: its magic first line, then `key=value` lines.
pub fn parse_ifo(text: &str) -> Result<HashMap<String, String>, String> {
    let mut lines = text.lines();
    let magic = lines
        .next()
        .unwrap_or("")
        .trim_start_matches('\u{feff}')
        .trim();
    if magic != "StarDict's dict ifo file" {
        return Err(
            "line 1: not a StarDict .ifo file (expected \"StarDict's dict ifo file\")".into(),
        );
    }
    let mut map = HashMap::new();
    for (i, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            return Err(format!("line {}: expected key=value", i + 2));
        };
        map.insert(k.trim().to_string(), v.trim().to_string());
    }
    for key in ["wordcount", "idxfilesize"] {
        match map.get(key) {
            None => return Err(format!("the required key {key} is missing")),
            Some(v) if v.parse::<u64>().is_err() => {
                return Err(format!("{key}={v} is not a number"));
            }
            _ => {}
        }
    }
    if let Some(bits) = map.get("idxoffsetbits")
        && bits != "32"
        && bits != "64"
    {
        return Err(format!("idxoffsetbits={bits} (expected 32 or 64)"));
    }
    Ok(map)
}

/// Parses `.idx` bytes: NUL-terminated word, offset (4 or 8 bytes), size (4 bytes), all
/// big-endian. Stops with a warning at a record cut short.
pub fn parse_idx(
    bytes: &[u8],
    offset_bytes: usize,
    source: &str,
    warnings: &mut Vec<Warning>,
) -> Vec<(String, u64, u32)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let Some(nul) = bytes[pos..].iter().position(|&b| b == 0) else {
            warnings.push(Warning::new(
                source,
                Some(format!("byte {pos}")),
                "word without its terminating NUL; the rest is ignored",
            ));
            break;
        };
        let word = String::from_utf8_lossy(&bytes[pos..pos + nul]).into_owned();
        let at = pos + nul + 1;
        let Some(rec) = bytes.get(at..at + offset_bytes + 4) else {
            warnings.push(Warning::new(
                source,
                Some(format!("byte {pos}")),
                "record cut short; the rest is ignored",
            ));
            break;
        };
        let offset = if offset_bytes == 8 {
            u64::from_be_bytes(rec[..8].try_into().unwrap_or_default())
        } else {
            u32::from_be_bytes(rec[..4].try_into().unwrap_or_default()) as u64
        };
        let size = u32::from_be_bytes(rec[offset_bytes..].try_into().unwrap_or_default());
        out.push((word, offset, size));
        pos = at + offset_bytes + 4;
    }
    out
}

/// Reads an `.idx`, or inflates an `.idx.gz`, refusing more than `idxfilesize` bytes (the
/// `.ifo` gives the length of the uncompressed index) or [`fsread::limit::INDEX`].
fn read_maybe_gz(path: &Path, idxfilesize: u64) -> Result<Vec<u8>, String> {
    let limit = idxfilesize.min(fsread::limit::INDEX);
    if path.extension().is_none_or(|e| e != "gz") {
        return fsread::read_regular(path, fsread::limit::INDEX).map_err(|e| e.reason());
    }
    let (file, _) = fsread::open_regular(path).map_err(|e| e.reason())?;
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(std::io::BufReader::new(file))
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| e.to_string())?;
    if out.len() as u64 > limit {
        return Err(if limit == idxfilesize {
            format!(
                "it inflates to more than idxfilesize={idxfilesize} bytes, as the .ifo says; \
                 the file is corrupt or hostile, refused"
            )
        } else {
            format!("it inflates to more than {limit} bytes; refused")
        });
    }
    Ok(out)
}

impl StarDict {
    pub fn open(
        ifo: &Path,
        cache_dir: Option<&Path>,
        warnings: &mut Vec<Warning>,
    ) -> Option<StarDict> {
        let source = ifo.display().to_string();
        let text = match fsread::read_regular(ifo, fsread::limit::IFO) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) => {
                let reason = format!("cannot read: {}", e.reason());
                warnings.push(Warning::new(source, None, reason));
                return None;
            }
        };
        let meta = match parse_ifo(&text) {
            Ok(m) => m,
            Err(e) => {
                warnings.push(Warning::new(source, None, e));
                return None;
            }
        };
        let Some(idx) = sibling(ifo, &["idx", "idx.gz"]) else {
            warnings.push(Warning::new(
                source,
                None,
                "no .idx or .idx.gz next to this .ifo",
            ));
            return None;
        };
        let Some(dict_path) = sibling(ifo, &["dict.dz", "dict"]) else {
            warnings.push(Warning::new(
                source,
                None,
                "no .dict.dz or .dict next to this .ifo",
            ));
            return None;
        };
        let syn = sibling(ifo, &["syn"]);
        let mut data = DictData::open(&dict_path, warnings)?;
        let mut stamped: Vec<&Path> = vec![ifo, idx.as_path(), dict_path.as_path()];
        if let Some(s) = &syn {
            stamped.push(s);
        }
        let cached = cache_dir.and_then(|dir| index_cache::load(dir, "stardict", &stamped));
        let from_cache = cached.is_some();
        data.use_text_cache(cache_dir, "stardict", &stamped, from_cache, warnings);
        let mut index = match cached {
            Some(index) => index,
            None => {
                let entries = Self::read_index(&meta, &idx, syn.as_deref(), warnings)?;
                let index = KeyIndex::from_entries(entries);
                if let Some(dir) = cache_dir
                    && let Err(e) = index_cache::store(dir, "stardict", &stamped, &index)
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
        data.check_entries(&mut index, &idx.display().to_string(), warnings);
        let name = meta
            .get("bookname")
            .filter(|n| !n.is_empty())
            .cloned()
            .unwrap_or_else(|| {
                ifo.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default()
            });
        Some(StarDict {
            name,
            dict_path,
            index,
            data,
            types: meta
                .get("sametypesequence")
                .filter(|s| !s.is_empty())
                .cloned(),
            from_cache,
        })
    }

    fn read_index(
        meta: &HashMap<String, String>,
        idx: &Path,
        syn: Option<&Path>,
        warnings: &mut Vec<Warning>,
    ) -> Option<Vec<IndexEntry>> {
        let idx_source = idx.display().to_string();
        // parse_ifo checked that idxfilesize is a number.
        let idxfilesize = meta
            .get("idxfilesize")
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0);
        let bytes = match read_maybe_gz(idx, idxfilesize) {
            Ok(b) => b,
            Err(e) => {
                warnings.push(Warning::new(idx_source, None, format!("cannot read: {e}")));
                return None;
            }
        };
        let offset_bytes = if meta.get("idxoffsetbits").is_some_and(|b| b == "64") {
            8
        } else {
            4
        };
        let words = parse_idx(&bytes, offset_bytes, &idx_source, warnings);
        if let Some(expected) = meta.get("wordcount").and_then(|w| w.parse::<usize>().ok())
            && expected != words.len()
        {
            warnings.push(Warning::new(
                idx_source.clone(),
                None,
                format!(
                    "holds {} words but the .ifo says wordcount={expected}",
                    words.len()
                ),
            ));
        }
        let mut entries: Vec<IndexEntry> = words
            .iter()
            .map(|(w, o, s)| KeyIndex::entry(w, *o, *s))
            .collect();
        if let Some(syn) = syn {
            let syn_source = syn.display().to_string();
            match fsread::read_regular(syn, fsread::limit::INDEX) {
                Ok(bytes) => {
                    let mut sink = WarningSink::new(syn_source, warnings);
                    let mut pos = 0;
                    while pos < bytes.len() {
                        let Some(nul) = bytes[pos..].iter().position(|&b| b == 0) else {
                            sink.warn(
                                Some(format!("byte {pos}")),
                                "synonym without its terminating NUL",
                            );
                            break;
                        };
                        let word = String::from_utf8_lossy(&bytes[pos..pos + nul]).into_owned();
                        let Some(rec) = bytes.get(pos + nul + 1..pos + nul + 5) else {
                            sink.warn(Some(format!("byte {pos}")), "synonym record cut short");
                            break;
                        };
                        let target =
                            u32::from_be_bytes(rec.try_into().unwrap_or_default()) as usize;
                        match words.get(target) {
                            Some((main, o, s)) => entries.push(IndexEntry {
                                key: normalize(&word).into_boxed_str(),
                                headword: main.as_str().into(),
                                offset: *o,
                                size: *s,
                            }),
                            None => sink.warn(Some(format!("byte {pos}")), format!("synonym {word:?} points at word {target}, past the end of the .idx")),
                        }
                        pos += nul + 5;
                    }
                }
                Err(e) => warnings.push(Warning::new(
                    syn_source,
                    None,
                    format!("cannot read: {}", e.reason()),
                )),
            }
        }
        Some(entries)
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }
}

/// The text fields of one definition, by StarDict's type letters.
pub fn definition_text(data: &[u8], types: Option<&str>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut pos = 0;
    let mut take = |t: u8, last: bool, pos: &mut usize| -> Option<()> {
        let rest = data.get(*pos..)?;
        let field: &[u8] = if t.is_ascii_uppercase() {
            if last && types.is_some() {
                *pos = data.len();
                rest
            } else {
                let size = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?) as usize;
                let end = size.checked_add(4)?;
                let f = rest.get(4..end)?;
                *pos += end;
                f
            }
        } else if last && types.is_some() {
            *pos = data.len();
            rest.split(|&b| b == 0).next().unwrap_or(rest)
        } else {
            let nul = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
            *pos += nul + 1;
            &rest[..nul]
        };
        if matches!(t, b'm' | b'l' | b't' | b'y' | b'k') {
            parts.push(String::from_utf8_lossy(field).into_owned());
        } else if matches!(t, b'g' | b'h' | b'x' | b'w') {
            parts.push(strip_tags(&String::from_utf8_lossy(field)));
        }
        Some(())
    };
    match types {
        Some(seq) => {
            let seq = seq.as_bytes();
            for (i, &t) in seq.iter().enumerate() {
                if take(t, i + 1 == seq.len(), &mut pos).is_none() {
                    break;
                }
            }
        }
        None => {
            while pos < data.len() {
                let t = data[pos];
                pos += 1;
                if take(t, false, &mut pos).is_none() {
                    break;
                }
            }
        }
    }
    parts.join("\n").trim().to_string()
}

/// Removes markup tags and decodes the commonest entities (for `g`, `h` and `x` fields).
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

impl Dictionary for StarDict {
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
            &definition_text(&bytes, self.types.as_deref()),
            headword,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ifo_needs_magic_and_counts() {
        assert!(parse_ifo("hello\nwordcount=1\n").is_err());
        assert!(parse_ifo("StarDict's dict ifo file\nversion=2.4.2\nbookname=x\n").is_err());
        let m = parse_ifo("StarDict's dict ifo file\nversion=3.0.0\nwordcount=2\nidxfilesize=30\nidxoffsetbits=64\n").unwrap();
        assert_eq!(m["wordcount"], "2");
    }

    #[test]
    fn typed_fields() {
        assert_eq!(definition_text(b"book", Some("m")), "book");
        assert_eq!(
            definition_text(b"mbook\0g<b>bold</b>\0", None),
            "book\nbold"
        );
    }

    #[test]
    fn idx_with_64_bit_offsets() {
        let mut b = b"ab\0".to_vec();
        b.extend_from_slice(&7u64.to_be_bytes());
        b.extend_from_slice(&3u32.to_be_bytes());
        let mut w = Vec::new();
        assert_eq!(
            parse_idx(&b, 8, "x", &mut w),
            vec![("ab".to_string(), 7, 3)]
        );
        assert!(parse_idx(&b[..8], 8, "x", &mut w).is_empty());
        assert_eq!(w.len(), 1);
    }
}
