//! Random access into dictzip files (`.dict.dz`): gzip with a table of independently
//! deflated chunks in the `RA` extra field, so a definition costs one chunk's inflation.
//! A gzip file without that table is inflated whole, once, on first use.
//!
//! Inflated chunks are kept, so a warm lookup does not inflate: every chunk of a small
//! dictionary (up to [`KEEP_ALL_BYTES`] of text, which covers FreeDict's), or the most
//! recent few of a large one.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use flate2::{Decompress, FlushDecompress};

use crate::fsread;

use super::super::index_cache;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum DictzipError {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot read: {}", .0.reason())]
    File(#[from] fsread::ReadError),
    #[error(
        "chunk {chunk} inflates to more than the chunk length of {chunk_len} bytes that the \
         dictzip header gives; the file is corrupt or hostile"
    )]
    ChunkTooLong { chunk: usize, chunk_len: u64 },
    #[error(
        "it inflates to more than {limit} bytes ({why}); the file is corrupt or hostile, \
         refused"
    )]
    TooLong { limit: u64, why: &'static str },
    #[error("not a gzip file (bad magic bytes)")]
    NotGzip,
    #[error("gzip header is cut short")]
    ShortHeader,
    #[error("chunk {chunk} is corrupt: {reason}")]
    BadChunk { chunk: usize, reason: String },
    #[error(
        "chunk {chunk} lies past the end of the file ({file_len} bytes): the file is truncated"
    )]
    Truncated { chunk: usize, file_len: u64 },
    #[error("bytes {offset}..{end} lie past the end of the text ({len} bytes)")]
    OutOfRange { offset: u64, end: u64, len: u64 },
}

/// How many inflated chunks stay cached in a large dictionary (dictzip chunks are at most
/// 64 KiB).
const CACHED_CHUNKS: usize = 32;

/// A dictionary whose text is at most this long keeps every chunk it inflates.
pub const KEEP_ALL_BYTES: u64 = 32 << 20;

/// The most text a gzip `.dict.dz` without a chunk table may inflate to. Dictionaries
/// that large are dictzipped (chunked); a plain gzip file past this is refused.
pub const WHOLE_GZIP_MAX: u64 = 64 << 20;

#[derive(Debug)]
enum Layout {
    Chunked {
        chunk_len: u64,
        /// Start of each chunk in the file, plus the end of the last one.
        starts: Vec<u64>,
    },
    /// A plain gzip file, inflated whole on first use.
    Whole(Mutex<Option<Arc<Vec<u8>>>>),
}

#[derive(Debug)]
pub struct Dictzip {
    path: PathBuf,
    file: Mutex<File>,
    file_len: u64,
    layout: Layout,
    cache: Mutex<Vec<(usize, Arc<Vec<u8>>)>>,
    /// One slot per chunk when the text is small enough to keep whole, else empty. Slots
    /// are filled without a common lock, so threads inflate different chunks at once.
    kept: Vec<OnceLock<Arc<Vec<u8>>>>,
    /// Where the whole inflated text of a small dictionary may be cached on disk.
    text_cache: Option<TextCache>,
    /// The whole inflated text, from the disk cache (read on first use) or set at open.
    text: OnceLock<Option<Arc<Vec<u8>>>>,
}

/// The cache file of a dictionary's inflated text: see [`index_cache::load_text`].
#[derive(Debug)]
pub struct TextCache {
    pub dir: PathBuf,
    pub kind: String,
    pub files: Vec<PathBuf>,
}

impl Dictzip {
    /// Opens a dictzip file and reads its chunk table. A table that points past the end of
    /// the file is accepted (earlier chunks still read) and reported by [`Dictzip::check`].
    pub fn open(path: &Path) -> Result<Dictzip, DictzipError> {
        let (mut file, file_len) = fsread::open_regular(path)?;
        let mut head = vec![0u8; 65536.min(file_len as usize)];
        file.read_exact(&mut head)?;
        let layout = parse_header(&head)?;
        let kept = match &layout {
            Layout::Chunked { chunk_len, starts }
                if (starts.len() as u64 - 1).saturating_mul(*chunk_len) <= KEEP_ALL_BYTES =>
            {
                (1..starts.len()).map(|_| OnceLock::new()).collect()
            }
            _ => Vec::new(),
        };
        Ok(Dictzip {
            path: path.to_path_buf(),
            file: Mutex::new(file),
            file_len,
            layout,
            cache: Mutex::new(Vec::new()),
            kept,
            text_cache: None,
            text: OnceLock::new(),
        })
    }

    /// Reports the first chunk that lies past the end of the file, if any.
    pub fn check(&self) -> Result<(), DictzipError> {
        if let Layout::Chunked { starts, .. } = &self.layout
            && let Some(last) = starts.last()
            && *last > self.file_len
        {
            // The chunk that starts past the end, or the one the end falls in; 0 when the
            // table itself starts past the end (a header cut short).
            let chunk = starts
                .iter()
                .position(|&s| s > self.file_len)
                .unwrap_or(starts.len())
                .saturating_sub(1);
            return Err(DictzipError::Truncated {
                chunk,
                file_len: self.file_len,
            });
        }
        Ok(())
    }

    /// The length of the uncompressed text, from the gzip trailer (ISIZE), when the file
    /// is whole.
    pub fn text_len(&self) -> Option<u64> {
        self.check().ok()?;
        self.trailer_len()
    }

    /// The gzip trailer's ISIZE: the length of the text modulo 2^32.
    fn trailer_len(&self) -> Option<u64> {
        if self.file_len < 18 {
            return None;
        }
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let mut tail = [0u8; 4];
        file.seek(SeekFrom::Start(self.file_len - 4)).ok()?;
        file.read_exact(&mut tail).ok()?;
        Some(u32::from_le_bytes(tail) as u64)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True when the file is small enough to keep whole in memory (see [`KEEP_ALL_BYTES`]).
    pub fn is_small(&self) -> bool {
        !self.kept.is_empty()
    }

    /// Serves reads from the cached inflated text, once it is read on first use (when it
    /// is missing, stale or of the wrong length, the chunks are inflated as usual).
    pub fn set_text_cache(&mut self, cache: TextCache) {
        self.text_cache = Some(cache);
    }

    /// Serves reads from `text`, the whole inflated text.
    pub fn set_text(&mut self, text: Vec<u8>) {
        self.text = OnceLock::from(Some(Arc::new(text)));
        for slot in &mut self.kept {
            slot.take();
        }
    }

    fn whole_text(&self) -> Option<&Arc<Vec<u8>>> {
        self.text
            .get_or_init(|| {
                let tc = self.text_cache.as_ref()?;
                let files: Vec<&Path> = tc.files.iter().map(PathBuf::as_path).collect();
                let text = index_cache::load_text(&tc.dir, &tc.kind, &files)?;
                (Some(text.len() as u64) == self.text_len()).then(|| Arc::new(text))
            })
            .as_ref()
    }

    /// The uncompressed bytes `offset..offset+size`.
    pub fn read(&self, offset: u64, size: u64) -> Result<Vec<u8>, DictzipError> {
        let end = offset.saturating_add(size);
        match &self.layout {
            Layout::Whole(data) => {
                let data = {
                    let mut guard = data.lock().unwrap_or_else(|e| e.into_inner());
                    if guard.is_none() {
                        *guard = Some(Arc::new(self.inflate_whole()?));
                    }
                    guard.clone().unwrap_or_default()
                };
                let len = data.len() as u64;
                if end > len {
                    return Err(DictzipError::OutOfRange { offset, end, len });
                }
                Ok(data[offset as usize..end as usize].to_vec())
            }
            Layout::Chunked { .. } if self.whole_text().is_some() => {
                let text = self.whole_text().map_or(&[][..], |t| t.as_slice());
                let len = text.len() as u64;
                if end > len {
                    return Err(DictzipError::OutOfRange { offset, end, len });
                }
                Ok(text[offset as usize..end as usize].to_vec())
            }
            Layout::Chunked { chunk_len, starts } => {
                let chunks = starts.len() - 1;
                let text_len = chunks as u64 * chunk_len;
                if end > text_len {
                    return Err(DictzipError::OutOfRange {
                        offset,
                        end,
                        len: text_len,
                    });
                }
                let mut out = Vec::with_capacity((size as usize).min(1 << 20));
                let mut pos = offset;
                while pos < end {
                    let chunk = (pos / chunk_len) as usize;
                    let data = self.chunk(chunk, starts)?;
                    let from = (pos - chunk as u64 * chunk_len) as usize;
                    let to = ((end - chunk as u64 * chunk_len) as usize).min(data.len());
                    if from >= to {
                        return Err(DictzipError::OutOfRange {
                            offset,
                            end,
                            len: chunk as u64 * chunk_len + data.len() as u64,
                        });
                    }
                    out.extend_from_slice(&data[from..to]);
                    pos += (to - from) as u64;
                }
                Ok(out)
            }
        }
    }

    fn chunk(&self, chunk: usize, starts: &[u64]) -> Result<Arc<Vec<u8>>, DictzipError> {
        if let Some(slot) = self.kept.get(chunk) {
            if let Some(data) = slot.get() {
                return Ok(data.clone());
            }
            let data = Arc::new(self.inflate(chunk, starts)?);
            return Ok(slot.get_or_init(|| data).clone());
        }
        {
            let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(i) = cache.iter().position(|(c, _)| *c == chunk) {
                let hit = cache.remove(i);
                let data = hit.1.clone();
                cache.push(hit);
                return Ok(data);
            }
        }
        let data = Arc::new(self.inflate(chunk, starts)?);
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= CACHED_CHUNKS {
            cache.remove(0);
        }
        cache.push((chunk, data.clone()));
        Ok(data)
    }

    /// Reads and inflates one chunk.
    fn inflate(&self, chunk: usize, starts: &[u64]) -> Result<Vec<u8>, DictzipError> {
        let (start, stop) = (starts[chunk], starts[chunk + 1]);
        if stop > self.file_len {
            return Err(DictzipError::Truncated {
                chunk,
                file_len: self.file_len,
            });
        }
        let mut raw = vec![0u8; (stop - start) as usize];
        {
            let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
            file.seek(SeekFrom::Start(start))?;
            file.read_exact(&mut raw)?;
        }
        let chunk_len = match &self.layout {
            Layout::Chunked { chunk_len, .. } => *chunk_len,
            Layout::Whole(_) => u64::MAX,
        };
        match inflate_chunk(&raw, chunk_len) {
            Ok(data) => Ok(data),
            Err(ChunkError::TooLong) => Err(DictzipError::ChunkTooLong { chunk, chunk_len }),
            Err(ChunkError::Bad(reason)) => Err(DictzipError::BadChunk { chunk, reason }),
        }
    }

    /// Inflates a gzip file without a chunk table, at most to the length its trailer
    /// gives (ISIZE) and never past [`WHOLE_GZIP_MAX`]: a gzip member inflates up to about
    /// a thousand times its size, so a bound from the file's length alone would still let
    /// a small file take gigabytes.
    fn inflate_whole(&self) -> Result<Vec<u8>, DictzipError> {
        let (file, _) = fsread::open_regular(&self.path)?;
        let isize = self.trailer_len().unwrap_or(0);
        let (limit, why) = if isize <= WHOLE_GZIP_MAX {
            (isize, "the length its gzip trailer gives")
        } else {
            (
                WHOLE_GZIP_MAX,
                "the most qari inflates of a gzip file without a dictzip chunk table",
            )
        };
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(file)
            .take(limit.saturating_add(1))
            .read_to_end(&mut out)?;
        if out.len() as u64 > limit {
            return Err(DictzipError::TooLong { limit, why });
        }
        Ok(out)
    }
}

/// Why a chunk did not inflate.
enum ChunkError {
    /// It inflates to more than the chunk length.
    TooLong,
    Bad(String),
}

/// Inflates one raw-deflate chunk (ended by a full flush, or by the final block) of at
/// most `chunk_len` bytes.
fn inflate_chunk(raw: &[u8], chunk_len: u64) -> Result<Vec<u8>, ChunkError> {
    let mut inflater = Decompress::new(false);
    let mut data: Vec<u8> = Vec::with_capacity(65536 + 1024);
    loop {
        if data.len() as u64 > chunk_len {
            return Err(ChunkError::TooLong);
        }
        if data.len() == data.capacity() {
            data.reserve(65536);
        }
        let (in_before, out_before) = (inflater.total_in(), inflater.total_out());
        let consumed = (in_before as usize).min(raw.len());
        let status = inflater
            .decompress_vec(&raw[consumed..], &mut data, FlushDecompress::Sync)
            .map_err(|e| ChunkError::Bad(e.to_string()))?;
        if data.len() as u64 > chunk_len {
            return Err(ChunkError::TooLong);
        }
        if status == flate2::Status::StreamEnd {
            return Ok(data);
        }
        let all_in = inflater.total_in() as usize >= raw.len();
        if all_in && data.len() < data.capacity() {
            return Ok(data);
        }
        if inflater.total_in() == in_before
            && inflater.total_out() == out_before
            && data.len() < data.capacity()
        {
            return Err(ChunkError::Bad("the compressed data stops early".into()));
        }
    }
}

/// Parses the gzip header; returns the chunk table when the `RA` field is present.
fn parse_header(head: &[u8]) -> Result<Layout, DictzipError> {
    if head.len() < 10 {
        return Err(DictzipError::ShortHeader);
    }
    if head[0] != 0x1f || head[1] != 0x8b || head[2] != 8 {
        return Err(DictzipError::NotGzip);
    }
    let flags = head[3];
    let mut pos = 10usize;
    let mut table: Option<(u64, Vec<u64>)> = None;
    let get = |pos: usize, n: usize| head.get(pos..pos + n).ok_or(DictzipError::ShortHeader);
    if flags & 0x04 != 0 {
        let xlen = u16::from_le_bytes([get(pos, 2)?[0], get(pos, 2)?[1]]) as usize;
        pos += 2;
        let extra = get(pos, xlen)?;
        let mut p = 0;
        while p + 4 <= extra.len() {
            let (id1, id2) = (extra[p], extra[p + 1]);
            let len = u16::from_le_bytes([extra[p + 2], extra[p + 3]]) as usize;
            let field = extra
                .get(p + 4..p + 4 + len)
                .ok_or(DictzipError::ShortHeader)?;
            if id1 == b'R' && id2 == b'A' && field.len() >= 6 {
                let chunk_len = u16::from_le_bytes([field[2], field[3]]) as u64;
                let count = u16::from_le_bytes([field[4], field[5]]) as usize;
                let sizes: Vec<u64> = field[6..]
                    .chunks_exact(2)
                    .take(count)
                    .map(|b| u16::from_le_bytes([b[0], b[1]]) as u64)
                    .collect();
                if sizes.len() == count && chunk_len > 0 {
                    table = Some((chunk_len, sizes));
                }
            }
            p += 4 + len;
        }
        pos += xlen;
    }
    for flag in [0x08u8, 0x10] {
        if flags & flag != 0 {
            let rest = head.get(pos..).ok_or(DictzipError::ShortHeader)?;
            let nul = rest
                .iter()
                .position(|&b| b == 0)
                .ok_or(DictzipError::ShortHeader)?;
            pos += nul + 1;
        }
    }
    if flags & 0x02 != 0 {
        pos += 2;
    }
    match table {
        Some((chunk_len, sizes)) => {
            let mut starts = Vec::with_capacity(sizes.len() + 1);
            let mut at = pos as u64;
            starts.push(at);
            for s in sizes {
                at += s;
                starts.push(at);
            }
            Ok(Layout::Chunked { chunk_len, starts })
        }
        None => Ok(Layout::Whole(Mutex::new(None))),
    }
}
