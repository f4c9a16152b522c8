//! Reading a file that is expected to be a regular file, with a bound on what is read.
//!
//! Every place that opens a dictionary, a cache file, a keymap, a configuration or a
//! document goes through here, so a FIFO, a character device (`/dev/zero`) or a directory
//! given where a file is expected is refused at once instead of blocking or reading for
//! ever, and a file larger than its use allows is refused with a message naming it.
//!
//! The check is made before the file is opened (opening a FIFO for reading blocks until a
//! writer appears) and again on the open handle, in case the path changed in between.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// Upper bounds for the kinds of files qari reads. Generous for real files, small enough
/// that a hostile one cannot exhaust memory.
pub mod limit {
    /// A configuration or keymap file.
    pub const SETTINGS: u64 = 1 << 20;
    /// A StarDict `.ifo`.
    pub const IFO: u64 = 1 << 20;
    /// A dictionary index (`.index`, `.idx`, `.syn`) or an inflated `.idx.gz`.
    pub const INDEX: u64 = 1 << 30;
    /// A glossary in TSV, the personal glossary included.
    pub const GLOSSARY: u64 = 256 << 20;
    /// A document given to the reader or to `qari render`.
    pub const DOCUMENT: u64 = 1 << 30;
    /// A file of the index cache.
    pub const CACHE: u64 = 2 << 30;
}

/// Why a file could not be read.
#[derive(Debug, Error)]
pub enum ReadError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "cannot read {}: it is {kind}, not a regular file; give the path of a file",
        path.display()
    )]
    NotRegular { path: PathBuf, kind: &'static str },
    #[error(
        "cannot read {}: it is larger than {}, more than such a file can hold; \
         check that it is the right file",
        path.display(),
        size_text(*limit)
    )]
    TooLarge { path: PathBuf, limit: u64 },
}

impl ReadError {
    /// True when the file does not exist (callers treat a missing optional file as none).
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
    }

    /// The error as an I/O error, keeping the kind of a real I/O error.
    pub fn into_io(self) -> std::io::Error {
        match self {
            ReadError::Io { source, .. } => source,
            other => std::io::Error::new(std::io::ErrorKind::InvalidInput, other.reason()),
        }
    }

    /// The file that could not be read.
    pub fn path(&self) -> &Path {
        match self {
            ReadError::Io { path, .. }
            | ReadError::NotRegular { path, .. }
            | ReadError::TooLarge { path, .. } => path,
        }
    }

    /// The message without the leading "cannot read PATH: ", for callers that name the
    /// file themselves.
    pub fn reason(&self) -> String {
        match self {
            ReadError::Io { source, .. } => crate::error_words::io_error(source),
            ReadError::NotRegular { kind, .. } => {
                format!("it is {kind}, not a regular file")
            }
            ReadError::TooLarge { limit, .. } => {
                format!("it is larger than {}", size_text(*limit))
            }
        }
    }
}

/// A size in MiB, or in bytes below 1 MiB.
fn size_text(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// What kind of file `meta` describes, in words, when it is not a regular file.
fn not_regular_kind(meta: &Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a directory");
    }
    special_kind(t)
}

#[cfg(unix)]
fn special_kind(t: std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        Some("a FIFO (named pipe)")
    } else if t.is_char_device() {
        Some("a character device")
    } else if t.is_block_device() {
        Some("a block device")
    } else if t.is_socket() {
        Some("a socket")
    } else {
        Some("a special file")
    }
}

#[cfg(not(unix))]
fn special_kind(_: std::fs::FileType) -> Option<&'static str> {
    Some("a special file")
}

/// True when `path` is (or links to) a regular file. For directory scans, which should
/// not even try a FIFO named `x.index`.
pub fn is_regular(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// Opens `path` for reading when it is a regular file, and returns it with its length.
pub fn open_regular(path: &Path) -> Result<(File, u64), ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let not_regular = |kind| ReadError::NotRegular {
        path: path.to_path_buf(),
        kind,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if let Some(kind) = not_regular_kind(&meta) {
        return Err(not_regular(kind));
    }
    let file = File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if let Some(kind) = not_regular_kind(&meta) {
        return Err(not_regular(kind));
    }
    Ok((file, meta.len()))
}

/// Reads all of the regular file `path`, refusing it when it holds more than `limit`
/// bytes (as it says, or as it turns out while reading: some files report a size of 0).
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let (file, len) = open_regular(path)?;
    let too_large = || ReadError::TooLarge {
        path: path.to_path_buf(),
        limit,
    };
    if len > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| ReadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// [`read_regular`], as UTF-8 text.
pub fn read_regular_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = read_regular(path, limit)?;
    String::from_utf8(bytes).map_err(|e| ReadError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "it is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_devices_and_directories() {
        let err = read_regular(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert!(err.to_string().contains("character device"), "{err}");
        let err = read_regular(Path::new("/"), 1 << 20).unwrap_err();
        assert!(err.to_string().contains("a directory"), "{err}");
        assert!(!is_regular(Path::new("/dev/null")));
    }

    #[test]
    fn bounds_the_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"0123456789").unwrap();
        assert_eq!(read_regular(&path, 10).unwrap(), b"0123456789");
        let err = read_regular(&path, 9).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge { .. }), "{err}");
        assert!(
            read_regular(&dir.path().join("none"), 10)
                .unwrap_err()
                .is_not_found()
        );
    }
}
