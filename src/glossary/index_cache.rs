//! The on-disk cache of normalised indexes, so that a second start does not parse the
//! dictionaries again. One file per source under `<cache>/index/`, stamped with the size
//! and mtime of the files it was built from; a changed stamp means a rebuild.
//!
//! Format: text lines first — a `qari-index 2 <kind>` line, one
//! `file <path> <size> <mtime-ns>` line per stamped file, a `--` line — then the
//! [`KeyIndex`] as it lies in memory, little-endian: the entry count and the text length
//! (u64 each), the text (keys and headwords, UTF-8), then per entry the byte ranges of key
//! and headword in the text (u64 pairs), the definition's offset (u64) and size (u32).
//! The last four bytes are the CRC-32 of everything before them (little-endian): a file
//! whose checksum does not match is ignored, and rebuilt, as a stale one is.
//! Loading it is one read, one checksum, one UTF-8 check and one pass over fixed-size
//! records.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use flate2::Crc;

use super::source::{KeyIndex, Slot};
use crate::fsread;

const MAGIC: &str = "qari-index\t3";

/// Bytes per entry record.
const RECORD: usize = 8 * 4 + 8 + 4;

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

/// The most bytes of a source's file name kept in its cache file's name.
const NAME_BYTES: usize = 64;

/// The longest start of `s` of at most `max` bytes that ends at a character boundary.
fn truncate_at_char(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The cache file for `source` (the main file of a dictionary).
pub fn cache_file(cache_dir: &Path, kind: &str, source: &Path) -> PathBuf {
    let canonical = fs::canonicalize(source).unwrap_or_else(|_| source.to_path_buf());
    let name = source
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    // The hash names the file; the name is only for people, and a long one would pass
    // the file system's limit (255 bytes) on every run.
    let name = truncate_at_char(&name, NAME_BYTES);
    let hash = fnv1a(canonical.to_string_lossy().as_bytes());
    cache_dir
        .join("index")
        .join(format!("{kind}-{name}-{hash:016x}.idx"))
}

/// What follows the header of a cache file, when the header names `kind` and its stamp
/// matches `files` now.
fn after_header<'a>(bytes: &'a [u8], kind: &str, files: &[&Path]) -> Option<&'a [u8]> {
    let mut rest = bytes;
    let mut line = || {
        let nl = memchr::memchr(b'\n', rest)?;
        let l = std::str::from_utf8(&rest[..nl]).ok();
        rest = &rest[nl + 1..];
        l
    };
    if line()? != format!("{MAGIC}\t{kind}") {
        return None;
    }
    for expected in stamp(files)? {
        if line()? != expected {
            return None;
        }
    }
    if line()? != "--" {
        return None;
    }
    Some(rest)
}

/// A writer that keeps the CRC-32 of what passes through it.
struct CrcWriter<W> {
    inner: W,
    crc: Crc,
}

impl<W: Write> Write for CrcWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.crc.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The body writer handed to [`write_file`]'s callers.
type BodyWriter = CrcWriter<BufWriter<fs::File>>;

/// Writes `body` after the header and the checksum after both, atomically (a temporary
/// file renamed into place).
fn write_file(
    path: &Path,
    kind: &str,
    stamps: Vec<String>,
    body: impl FnOnce(&mut BodyWriter) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    {
        let mut w = CrcWriter {
            inner: BufWriter::new(fs::File::create(&tmp)?),
            crc: Crc::new(),
        };
        writeln!(w, "{MAGIC}\t{kind}")?;
        for s in stamps {
            writeln!(w, "{s}")?;
        }
        writeln!(w, "--")?;
        body(&mut w)?;
        let sum = w.crc.sum();
        w.inner.write_all(&sum.to_le_bytes())?;
        w.inner.flush()?;
    }
    fs::rename(&tmp, path)
}

/// The bytes of a cache file without its checksum, when the checksum matches.
fn read_verified(path: &Path) -> Option<Vec<u8>> {
    let mut bytes = fsread::read_regular(path, fsread::limit::CACHE).ok()?;
    let body_len = bytes.len().checked_sub(4)?;
    let stored = u32::from_le_bytes(bytes[body_len..].try_into().ok()?);
    bytes.truncate(body_len);
    let mut crc = Crc::new();
    crc.update(&bytes);
    (crc.sum() == stored).then_some(bytes)
}

/// The text file of a dictionary's definitions as cached (inflated), when it is there
/// and fresh. Kept for small dictzip files, so that a start does not inflate them again.
pub fn load_text(cache_dir: &Path, kind: &str, files: &[&Path]) -> Option<Vec<u8>> {
    let path = cache_file(cache_dir, kind, files.first()?);
    let mut bytes = read_verified(&path)?;
    let rest = after_header(&bytes, kind, files)?;
    let len = usize::try_from(u64::from_le_bytes(rest.get(..8)?.try_into().ok()?)).ok()?;
    if rest.len() != len.checked_add(8)? {
        return None;
    }
    let from = bytes.len() - len;
    bytes.drain(..from);
    Some(bytes)
}

/// Stores the inflated text of a dictionary's definitions (see [`load_text`]).
pub fn store_text(
    cache_dir: &Path,
    kind: &str,
    files: &[&Path],
    text: &[u8],
) -> std::io::Result<()> {
    let (Some(first), Some(stamps)) = (files.first(), stamp(files)) else {
        return Ok(());
    };
    write_file(&cache_file(cache_dir, kind, first), kind, stamps, |w| {
        w.write_all(&(text.len() as u64).to_le_bytes())?;
        w.write_all(text)
    })
}

/// The cached index, when the cache exists, is whole, and its stamp matches `files` now.
pub fn load(cache_dir: &Path, kind: &str, files: &[&Path]) -> Option<KeyIndex> {
    let path = cache_file(cache_dir, kind, files.first()?);
    let bytes = read_verified(&path)?;
    let rest = after_header(&bytes, kind, files)?;
    let header_len = bytes.len() - rest.len();
    index_from_body(bytes, header_len)
}

/// The index stored in `bytes` from `body_at` on (past the header); `None` when the
/// numbers or ranges there do not hold together.
pub fn index_from_body(mut bytes: Vec<u8>, body_at: usize) -> Option<KeyIndex> {
    let rest = bytes.get(body_at..)?;
    let header_len = body_at;
    let u64_at = |b: &[u8], at: usize| -> Option<u64> {
        Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
    };
    let count = usize::try_from(u64_at(rest, 0)?).ok()?;
    let text_len = usize::try_from(u64_at(rest, 8)?).ok()?;
    let text_end = 16usize.checked_add(text_len)?;
    let records = rest.get(text_end..)?;
    if records.len() != count.checked_mul(RECORD)? {
        return None;
    }
    let mut slots = Vec::with_capacity(count);
    for r in records.chunks_exact(RECORD) {
        let n = |i: usize| u64_at(r, i * 8).and_then(|v| u32::try_from(v).ok());
        slots.push(Slot {
            key: (n(0)?, n(1)?),
            headword: (n(2)?, n(3)?),
            offset: u64_at(r, 32)?,
            size: u32::from_le_bytes(r[40..44].try_into().ok()?),
        });
    }
    // The text is taken out of the file's bytes in place, without a copy.
    bytes.truncate(header_len + text_end);
    bytes.drain(..header_len + 16);
    bytes.shrink_to_fit();
    let text = String::from_utf8(bytes).ok()?;
    KeyIndex::from_parts(text, slots)
}

/// Writes the cache atomically (a temporary file renamed into place).
pub fn store(
    cache_dir: &Path,
    kind: &str,
    files: &[&Path],
    index: &KeyIndex,
) -> std::io::Result<()> {
    let Some(first) = files.first() else {
        return Ok(());
    };
    let Some(stamps) = stamp(files) else {
        return Ok(());
    };
    let path = cache_file(cache_dir, kind, first);
    write_file(&path, kind, stamps, |w| {
        let (text, slots) = index.parts();
        w.write_all(&(slots.len() as u64).to_le_bytes())?;
        w.write_all(&(text.len() as u64).to_le_bytes())?;
        w.write_all(text.as_bytes())?;
        for s in slots {
            for n in [s.key.0, s.key.1, s.headword.0, s.headword.1] {
                w.write_all(&(n as u64).to_le_bytes())?;
            }
            w.write_all(&s.offset.to_le_bytes())?;
            w.write_all(&s.size.to_le_bytes())?;
        }
        Ok(())
    })?;
    // The cache of format 1 (TSV) had this name with `.tsv`; it is stale now.
    let _ = fs::remove_file(path.with_extension("tsv"));
    Ok(())
}
