//! The on-disk cache of normalised indexes, so that a second start does not parse the
//! dictionaries again. One TSV file per source under `<cache>/index/`, stamped with the
//! size and mtime of the files it was built from; a changed stamp means a rebuild.
//!
//! Format: a `qari-index 1 <kind>` line, one `file <path> <size> <mtime-ns>` line per
//! stamped file, a `--` line, then `key headword offset size` lines (tab-separated).

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use super::source::IndexEntry;

const MAGIC: &str = "qari-index\t1";

/// Size and modification time of each file an index was built from.
fn stamp(files: &[&Path]) -> Option<Vec<String>> {
    files
        .iter()
        .map(|f| {
            let meta = fs::metadata(f).ok()?;
            let mtime = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            let path = fs::canonicalize(f).unwrap_or_else(|_| f.to_path_buf());
            Some(format!(
                "file\t{}\t{}\t{}",
                path.display(),
                meta.len(),
                mtime
            ))
        })
        .collect()
}

/// FNV-1a: a stable name for the cache file of a source path.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

/// The cache file for `source` (the main file of a dictionary).
pub fn cache_file(cache_dir: &Path, kind: &str, source: &Path) -> PathBuf {
    let canonical = fs::canonicalize(source).unwrap_or_else(|_| source.to_path_buf());
    let name = source
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let hash = fnv1a(canonical.to_string_lossy().as_bytes());
    cache_dir
        .join("index")
        .join(format!("{kind}-{name}-{hash:016x}.tsv"))
}

/// The cached entries, when the cache exists and its stamp matches `files` now.
pub fn load(cache_dir: &Path, kind: &str, files: &[&Path]) -> Option<Vec<IndexEntry>> {
    let path = cache_file(cache_dir, kind, files.first()?);
    let text = fs::read_to_string(path).ok()?;
    let mut lines = text.split('\n');
    if lines.next()? != format!("{MAGIC}\t{kind}") {
        return None;
    }
    for expected in stamp(files)? {
        if lines.next()? != expected {
            return None;
        }
    }
    if lines.next()? != "--" {
        return None;
    }
    let mut entries = Vec::new();
    for line in lines {
        if line.is_empty() {
            continue;
        }
        let mut cols = line.split('\t');
        let (key, headword, offset, size) =
            (cols.next()?, cols.next()?, cols.next()?, cols.next()?);
        entries.push(IndexEntry {
            key: key.into(),
            headword: headword.into(),
            offset: offset.parse().ok()?,
            size: size.parse().ok()?,
        });
    }
    Some(entries)
}

/// Writes the cache atomically (a temporary file renamed into place).
pub fn store(
    cache_dir: &Path,
    kind: &str,
    files: &[&Path],
    entries: &[IndexEntry],
) -> std::io::Result<()> {
    let Some(first) = files.first() else {
        return Ok(());
    };
    let Some(stamps) = stamp(files) else {
        return Ok(());
    };
    let path = cache_file(cache_dir, kind, first);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    {
        let mut w = BufWriter::new(fs::File::create(&tmp)?);
        writeln!(w, "{MAGIC}\t{kind}")?;
        for s in stamps {
            writeln!(w, "{s}")?;
        }
        writeln!(w, "--")?;
        for e in entries {
            let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
            writeln!(
                w,
                "{}\t{}\t{}\t{}",
                clean(&e.key),
                clean(&e.headword),
                e.offset,
                e.size
            )?;
        }
        w.flush()?;
    }
    fs::rename(&tmp, &path)
}
