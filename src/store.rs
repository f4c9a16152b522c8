//! Files that hold what the user wrote (reading positions, the personal glossary): every
//! change is a read-merge-write under an exclusive lock, so that several qari processes
//! saving at once never lose one another's updates.
//!
//! The lock is `flock` on a sibling `NAME.lock` file (never on the data file itself,
//! which is replaced by rename). The new contents go to a temporary file with a unique
//! name, are fsynced, and are renamed over the old file; the directory is fsynced too.
//! Readers need no lock: they see the old file or the new one, never a mix. A temporary
//! file can only be written by the holder of the lock, so any found while holding it was
//! left by a writer that died (`kill -9`, a power cut) and is removed.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Why a file could not be updated; the message names the file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the directory {}: {source}", path.display())]
    Directory { path: PathBuf, source: io::Error },
    #[error("cannot lock {}: {source}", path.display())]
    Lock { path: PathBuf, source: io::Error },
    #[error("cannot read {} (it was left as it is): {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
}

/// Replaces the contents of `path` with `edit(current contents)`, under the lock, and
/// returns what was written. A missing file reads as empty; a file that exists but cannot
/// be read is an error and is left untouched (rewriting it from nothing would lose it).
pub fn rewrite(path: &Path, edit: impl FnOnce(&[u8]) -> Vec<u8>) -> Result<Vec<u8>, StoreError> {
    let dir = parent(path);
    fs::create_dir_all(&dir).map_err(|source| StoreError::Directory {
        path: dir.clone(),
        source,
    })?;
    let lock_path = sibling(path, ".lock");
    let lock = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .and_then(|file| file.lock().map(|()| file))
        .map_err(|source| StoreError::Lock {
            path: lock_path,
            source,
        })?;
    remove_stale_temporaries(path, &dir);
    let current = match read_existing(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(source) => {
            return Err(StoreError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let new = edit(&current);
    let result = replace(path, &dir, &new).map_err(|source| StoreError::Write {
        path: path.to_path_buf(),
        source,
    });
    drop(lock);
    result.map(|()| new)
}

/// The bytes of the store file at `path`, read only when it is a regular file (a FIFO or
/// a device there would block or never end) and within the size of a glossary.
pub fn read_existing(path: &Path) -> io::Result<Vec<u8>> {
    use crate::fsread::{ReadError, limit, read_regular};
    read_regular(path, limit::GLOSSARY).map_err(|e| match e {
        ReadError::Io { source, .. } => source,
        other => io::Error::other(other.reason()),
    })
}

/// Writes `bytes` to a fresh temporary file, fsyncs it and renames it over `path`.
fn replace(path: &Path, dir: &Path, bytes: &[u8]) -> io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = sibling(path, &format!(".tmp.{}.{n}", std::process::id()));
    let written = (|| {
        let mut file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written?;
    // The rename is durable once the directory is; not every file system allows this.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Removes `NAME.tmp.*` next to `path`. Only call with the lock held.
fn remove_stale_temporaries(path: &Path, dir: &Path) {
    let Some(name) = path.file_name() else {
        return;
    };
    let mut prefix = name.as_encoded_bytes().to_vec();
    prefix.extend_from_slice(b".tmp.");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().as_encoded_bytes().starts_with(&prefix)
            && entry.file_type().is_ok_and(|t| t.is_file())
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `path` with `suffix` added to its file name (`glossary.tsv` → `glossary.tsv.lock`).
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name: OsString = path.file_name().unwrap_or_default().to_owned();
    name.push(suffix);
    path.with_file_name(name)
}

/// The lines of `bytes`, each without its `\n`; a last line without one is a line too.
pub fn split_lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let empty = bytes.is_empty();
    body.split(|&b| b == b'\n').filter(move |_| !empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_without_and_with_a_final_newline() {
        let lines = |b: &[u8]| split_lines(b).map(<[u8]>::to_vec).collect::<Vec<_>>();
        assert!(lines(b"").is_empty());
        assert_eq!(
            lines(b"a\n\nb"),
            vec![b"a".to_vec(), b"".to_vec(), b"b".to_vec()]
        );
        assert_eq!(lines(b"a\n"), vec![b"a".to_vec()]);
        assert_eq!(lines(b"\n"), vec![b"".to_vec()]);
    }

    #[test]
    fn stale_temporary_files_are_removed_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("positions.tsv");
        let stale = dir.path().join("positions.tsv.tmp.99999.0");
        let other = dir.path().join("positions.tsv.bak");
        fs::write(&stale, "half-written").unwrap();
        fs::write(&other, "keep").unwrap();
        rewrite(&path, |old| [old, b"x\n"].concat()).unwrap();
        assert!(
            !stale.exists(),
            "a temporary file left by a dead writer is removed"
        );
        assert!(other.exists());
        assert_eq!(fs::read(&path).unwrap(), b"x\n");
    }

    #[test]
    fn an_unreadable_file_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        // A directory where the file should be: reading fails, and nothing is replaced.
        let path = dir.path().join("positions.tsv");
        fs::create_dir(&path).unwrap();
        let err = rewrite(&path, |_| b"new".to_vec()).unwrap_err();
        assert!(matches!(err, StoreError::Read { .. }), "{err}");
        assert!(path.is_dir());
    }
}
