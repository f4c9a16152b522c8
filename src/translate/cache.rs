//! The translation cache on disk: a redb database in the XDG cache directory, so that a
//! repeated request never leaves the machine, across restarts.
//!
//! - **Keys** are a 128-bit hash of everything that shapes an answer: the provider, its
//!   URL, the model, the prompts and examples, the languages, the task and the text. The
//!   source text is stored beside the answer and compared on a hit, so a hash collision
//!   can only miss. API keys are never part of the key nor of the value.
//! - **Least recently used eviction** keeps the entries under a size limit.
//! - **A corrupt file** is reported and rebuilt empty.
//! - **Two processes at once:** redb locks its file for one process, so the database is
//!   opened for each lookup or store and closed after it; a process that finds it locked
//!   retries for a moment ([`LOCK_PATIENCE`]) and then goes on without the cache, saying so.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use redb::{
    Database, DatabaseError, ReadableDatabase, ReadableTable, ReadableTableMetadata,
    TableDefinition,
};

/// key hash -> (last use, source text, answer)
const ENTRIES: TableDefinition<&[u8], (u64, &str, &str)> = TableDefinition::new("entries");
/// last use -> key hash, oldest first
const BY_USE: TableDefinition<u64, &[u8]> = TableDefinition::new("by_use");
/// "clock" (the last use given out) and "bytes" (the size of the entries)
const META: TableDefinition<&str, u64> = TableDefinition::new("meta");

/// How long a process waits for another one to close the database.
pub const LOCK_PATIENCE: Duration = Duration::from_millis(1500);

/// Why the cache could not be used for one operation.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error(
        "the translation cache {0} is in use by another qari for too long; going on without it"
    )]
    Busy(PathBuf),
    #[error("the translation cache {path} cannot be used: {reason}")]
    Unusable { path: PathBuf, reason: String },
}

/// A cache key: the hash of what shapes an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key([u8; 16]);

impl Key {
    /// The key of `parts`, each part delimited so that ("ab", "c") and ("a", "bc") differ.
    pub fn of(parts: &[&[u8]]) -> Key {
        // FNV-1a, 128 bits: stable across Rust versions and platforms, unlike std's hasher.
        const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
        const PRIME: u128 = 0x0000000001000000000000000000013B;
        let mut hash = OFFSET;
        for part in parts {
            for &b in (part.len() as u64).to_le_bytes().iter().chain(part.iter()) {
                hash ^= u128::from(b);
                hash = hash.wrapping_mul(PRIME);
            }
        }
        Key(hash.to_le_bytes())
    }
}

/// The cache file and its size limit.
#[derive(Debug, Clone)]
pub struct Cache {
    path: PathBuf,
    limit: u64,
}

fn unusable(path: &Path, err: impl std::fmt::Display) -> CacheError {
    CacheError::Unusable {
        path: path.to_owned(),
        reason: err.to_string(),
    }
}

impl Cache {
    /// The cache at `path`, kept under `limit` bytes; the file is made on first use.
    pub fn new(path: PathBuf, limit: u64) -> Cache {
        Cache { path, limit }
    }

    /// `translations.redb` in qari's cache directory.
    pub fn default_path() -> PathBuf {
        crate::paths::cache_dir().join("translations.redb")
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens the database, waiting a moment for another process, rebuilding a corrupt
    /// file. `warn` hears about a rebuild.
    fn open(&self, warn: &dyn Fn(&str)) -> Result<Database, CacheError> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|err| unusable(&self.path, err))?;
        }
        let start = Instant::now();
        let mut rebuilt = false;
        loop {
            match Database::create(&self.path) {
                Ok(db) => match self.check(&db) {
                    Ok(()) => return Ok(db),
                    Err(_) if rebuilt => {
                        return Err(unusable(
                            &self.path,
                            "it is corrupt and could not be rebuilt",
                        ));
                    }
                    Err(_) => drop(db),
                },
                Err(DatabaseError::DatabaseAlreadyOpen | DatabaseError::LockProtocolMismatch) => {
                    if start.elapsed() >= LOCK_PATIENCE {
                        return Err(CacheError::Busy(self.path.clone()));
                    }
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                }
                Err(DatabaseError::Storage(redb::StorageError::Io(err)))
                    if err.kind() != std::io::ErrorKind::InvalidData =>
                {
                    return Err(unusable(&self.path, err));
                }
                Err(_) if rebuilt => {
                    return Err(unusable(
                        &self.path,
                        "it is corrupt and could not be rebuilt",
                    ));
                }
                Err(_) => {}
            }
            // Corrupt, or not a cache of this shape: start again from nothing.
            warn(&format!(
                "the translation cache {} was damaged; it was emptied and rebuilt",
                self.path.display()
            ));
            std::fs::remove_file(&self.path).map_err(|err| unusable(&self.path, err))?;
            rebuilt = true;
        }
    }

    /// Opens each table once, so that a file of another shape shows now; makes the
    /// tables of a new file.
    fn check(&self, db: &Database) -> Result<(), redb::Error> {
        let read = (|| -> Result<(), redb::Error> {
            let txn = db.begin_read()?;
            let _ = txn.open_table(ENTRIES)?.len()?;
            let _ = txn.open_table(BY_USE)?.len()?;
            let _ = txn.open_table(META)?.len()?;
            Ok(())
        })();
        match read {
            Ok(()) => return Ok(()),
            Err(redb::Error::TableDoesNotExist(_)) => {}
            Err(err) => return Err(err),
        }
        let txn = db.begin_write()?;
        {
            let entries = txn.open_table(ENTRIES)?;
            let _ = entries.len()?;
            let by_use = txn.open_table(BY_USE)?;
            let _ = by_use.len()?;
            let meta = txn.open_table(META)?;
            let _ = meta.len()?;
        }
        txn.commit()?;
        Ok(())
    }

    /// The answer stored for `key` if its source was `text`, with its last use (hand it
    /// to [`Cache::touch`] once the answer is shown: reading writes nothing, so a hit
    /// costs no sync to disk before it is shown).
    pub fn get(
        &self,
        key: Key,
        text: &str,
        warn: &dyn Fn(&str),
    ) -> Result<Option<(u64, String)>, CacheError> {
        let db = self.open(warn)?;
        (|| -> Result<Option<(u64, String)>, redb::Error> {
            let txn = db.begin_read()?;
            let entries = txn.open_table(ENTRIES)?;
            Ok(entries.get(&key.0[..])?.and_then(|guard| {
                let (used, source, answer) = guard.value();
                (source == text).then(|| (used, answer.to_owned()))
            }))
        })()
        .map_err(|err| unusable(&self.path, err))
    }

    /// Counts a hit as a use, so that eviction takes it last.
    pub fn touch(
        &self,
        key: Key,
        used: u64,
        text: &str,
        answer: &str,
        warn: &dyn Fn(&str),
    ) -> Result<(), CacheError> {
        let db = self.open(warn)?;
        (|| -> Result<(), redb::Error> {
            let txn = db.begin_write()?;
            {
                let mut entries = txn.open_table(ENTRIES)?;
                // Evicted meanwhile by another process: nothing to touch.
                if entries.get(&key.0[..])?.is_none() {
                    return Ok(());
                }
                let clock = next_clock(&txn)?;
                let mut by_use = txn.open_table(BY_USE)?;
                by_use.remove(used)?;
                by_use.insert(clock, &key.0[..])?;
                entries.insert(&key.0[..], (clock, text, answer))?;
            }
            txn.commit()?;
            Ok(())
        })()
        .map_err(|err| unusable(&self.path, err))
    }

    /// Stores `answer` for `key`, then evicts the least recently used entries over the limit.
    pub fn put(
        &self,
        key: Key,
        text: &str,
        answer: &str,
        warn: &dyn Fn(&str),
    ) -> Result<(), CacheError> {
        let size = entry_size(text, answer);
        if size > self.limit {
            return Ok(());
        }
        let db = self.open(warn)?;
        (|| -> Result<(), redb::Error> {
            let txn = db.begin_write()?;
            {
                let clock = next_clock(&txn)?;
                let mut entries = txn.open_table(ENTRIES)?;
                let mut by_use = txn.open_table(BY_USE)?;
                let mut meta = txn.open_table(META)?;
                let mut bytes = meta.get("bytes")?.map_or(0, |v| v.value());
                let old = entries
                    .insert(&key.0[..], (clock, text, answer))?
                    .map(|guard| {
                        let (used, source, answer) = guard.value();
                        (used, entry_size(source, answer))
                    });
                if let Some((used, old_size)) = old {
                    by_use.remove(used)?;
                    bytes = bytes.saturating_sub(old_size);
                }
                by_use.insert(clock, &key.0[..])?;
                bytes += size;
                while bytes > self.limit {
                    let Some((_, oldest)) = by_use.pop_first()? else {
                        break;
                    };
                    let oldest = oldest.value().to_vec();
                    if let Some(gone) = entries.remove(&oldest[..])? {
                        let (_, source, answer) = gone.value();
                        bytes = bytes.saturating_sub(entry_size(source, answer));
                    }
                }
                meta.insert("bytes", bytes)?;
            }
            txn.commit()?;
            Ok(())
        })()
        .map_err(|err| unusable(&self.path, err))
    }

    /// How many entries there are, and their size in bytes.
    pub fn stats(&self) -> Result<(u64, u64), CacheError> {
        let db = self.open(&|_| {})?;
        (|| -> Result<(u64, u64), redb::Error> {
            let txn = db.begin_read()?;
            let entries = txn.open_table(ENTRIES)?.len()?;
            let bytes = txn.open_table(META)?.get("bytes")?.map_or(0, |v| v.value());
            Ok((entries, bytes))
        })()
        .map_err(|err| unusable(&self.path, err))
    }
}

/// What an entry counts for against the limit: its text and a little bookkeeping.
fn entry_size(source: &str, answer: &str) -> u64 {
    (source.len() + answer.len() + 64) as u64
}

/// The next use number.
fn next_clock(txn: &redb::WriteTransaction) -> Result<u64, redb::Error> {
    let mut meta = txn.open_table(META)?;
    let clock = meta.get("clock")?.map_or(0, |v| v.value()) + 1;
    meta.insert("clock", clock)?;
    Ok(clock)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiet(_: &str) {}

    #[test]
    fn entries_survive_and_the_least_recently_used_go_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.redb");
        let cache = Cache::new(path.clone(), 3 * entry_size("aaaa", "bbbb"));
        let keys: Vec<Key> = (0u8..4).map(|i| Key::of(&[&[i]])).collect();
        for key in &keys[..3] {
            cache.put(*key, "aaaa", "bbbb", &quiet).unwrap();
        }
        // Use the first, so that the second is now the oldest.
        let (used, answer) = cache.get(keys[0], "aaaa", &quiet).unwrap().unwrap();
        assert_eq!(answer, "bbbb");
        cache.touch(keys[0], used, "aaaa", "bbbb", &quiet).unwrap();
        cache.put(keys[3], "aaaa", "bbbb", &quiet).unwrap();
        let reopened = Cache::new(path, cache.limit);
        let present: Vec<bool> = keys
            .iter()
            .map(|k| reopened.get(*k, "aaaa", &quiet).unwrap().is_some())
            .collect();
        assert_eq!(present, [true, false, true, true]);
        assert_eq!(
            reopened.stats().unwrap(),
            (3, 3 * entry_size("aaaa", "bbbb"))
        );
    }

    #[test]
    fn another_source_text_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("t.redb"), 1 << 20);
        let key = Key::of(&[b"x"]);
        cache.put(key, "نص", "text", &quiet).unwrap();
        assert_eq!(cache.get(key, "نص آخر", &quiet).unwrap(), None);
        assert_ne!(Key::of(&[b"ab", b"c"]), Key::of(&[b"a", b"bc"]));
    }

    #[test]
    fn a_corrupt_file_is_rebuilt_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.redb");
        std::fs::write(&path, vec![0x5a; 10_000]).unwrap();
        let cache = Cache::new(path, 1 << 20);
        let warnings = std::cell::RefCell::new(Vec::new());
        let warn = |w: &str| warnings.borrow_mut().push(w.to_owned());
        let key = Key::of(&[b"k"]);
        assert_eq!(cache.get(key, "a", &warn).unwrap(), None);
        cache.put(key, "a", "b", &warn).unwrap();
        assert_eq!(cache.get(key, "a", &warn).unwrap().unwrap().1, "b");
        let warnings = warnings.into_inner();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("rebuilt"), "{warnings:?}");
    }

    #[test]
    fn a_database_held_elsewhere_is_waited_for_then_given_up() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.redb");
        let held = Database::create(&path).unwrap();
        let cache = Cache::new(path.clone(), 1 << 20);
        let err = cache.get(Key::of(&[b"k"]), "a", &quiet).unwrap_err();
        assert!(matches!(err, CacheError::Busy(_)), "{err}");
        // Released in time: the wait ends in a use.
        let release = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            drop(held);
        });
        cache.put(Key::of(&[b"k"]), "a", "b", &quiet).unwrap();
        release.join().unwrap();
    }
}
