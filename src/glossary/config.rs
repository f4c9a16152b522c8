//! Which sources a glossary opens, and where its cache and data live.
//!
//! [`GlossaryConfig`] is plain serde data, so the application can embed it in its own
//! configuration file (a `[glossary]` table).

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GlossaryConfig {
    /// Use the built-in lexicon and affix tables.
    pub builtin: bool,
    /// Find dictionaries in /usr/share/dictd, /usr/share/stardict/dic and
    /// $XDG_DATA_HOME/stardict/dic.
    pub system_dicts: bool,
    /// More dictionary files or directories: dictd `.index`, StarDict `.ifo`, `.tsv`.
    pub dicts: Vec<PathBuf>,
    /// A directory with the Buckwalter (BAMA 1.0) files dictPrefixes, dictStems,
    /// dictSuffixes, tableAB, tableAC and tableBC.
    pub buckwalter_dir: Option<PathBuf>,
    /// DICT servers: `dict://host[:port]/database` (database `*` or `!` for all).
    pub dict_servers: Vec<String>,
    /// Use the personal glossary.
    pub personal: bool,
    /// The personal glossary; default `<data dir>/glossary.tsv`.
    pub personal_glossary: Option<PathBuf>,
    /// Where normalised indexes are cached; default `<cache dir>/`.
    pub cache_dir: Option<PathBuf>,
    /// Do not read or write the index cache.
    pub no_cache: bool,
    pub connect_timeout_ms: u64,
    /// The deadline for a DICT server's whole answer, once connected.
    pub read_timeout_ms: u64,
    /// How many entries a lookup returns at most.
    pub max_entries: usize,
}

impl Default for GlossaryConfig {
    fn default() -> Self {
        GlossaryConfig {
            builtin: true,
            system_dicts: true,
            dicts: Vec::new(),
            buckwalter_dir: None,
            dict_servers: Vec::new(),
            personal: true,
            personal_glossary: None,
            cache_dir: None,
            no_cache: false,
            connect_timeout_ms: 2000,
            read_timeout_ms: 2000,
            max_entries: 12,
        }
    }
}

fn env_dir(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn home() -> Option<PathBuf> {
    env_dir("HOME")
}

/// qari's cache directory: `$QARI_CACHE_DIR`, else `$XDG_CACHE_HOME/qari`, else
/// `~/.cache/qari`.
pub fn cache_dir() -> Option<PathBuf> {
    env_dir("QARI_CACHE_DIR")
        .or_else(|| env_dir("XDG_CACHE_HOME").map(|d| d.join("qari")))
        .or_else(|| home().map(|h| h.join(".cache/qari")))
}

/// `$XDG_DATA_HOME`, else `~/.local/share`.
pub fn xdg_data_home() -> Option<PathBuf> {
    env_dir("XDG_DATA_HOME").or_else(|| home().map(|h| h.join(".local/share")))
}

/// qari's data directory: `$QARI_DATA_DIR`, else `$XDG_DATA_HOME/qari`.
pub fn data_dir() -> Option<PathBuf> {
    env_dir("QARI_DATA_DIR").or_else(|| xdg_data_home().map(|d| d.join("qari")))
}

impl GlossaryConfig {
    pub fn connect_timeout(&self) -> Duration {
        Duration::from_millis(self.connect_timeout_ms.max(1))
    }

    pub fn read_timeout(&self) -> Duration {
        Duration::from_millis(self.read_timeout_ms.max(1))
    }

    pub fn effective_cache_dir(&self) -> Option<PathBuf> {
        if self.no_cache {
            return None;
        }
        self.cache_dir.clone().or_else(cache_dir)
    }

    pub fn effective_personal_glossary(&self) -> Option<PathBuf> {
        self.personal_glossary
            .clone()
            .or_else(|| data_dir().map(|d| d.join("glossary.tsv")))
    }

    /// The system dictionary directories, in search order.
    pub fn system_dirs() -> Vec<PathBuf> {
        let mut dirs = vec![
            PathBuf::from("/usr/share/dictd"),
            PathBuf::from("/usr/share/stardict/dic"),
        ];
        if let Some(d) = xdg_data_home() {
            dirs.push(d.join("stardict/dic"));
        }
        dirs
    }
}

/// Dictionary files under a directory (two levels deep, as StarDict keeps one directory per
/// dictionary): dictd `.index` and StarDict `.ifo`, sorted by path.
pub fn dictionary_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, depth: u32, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        let mut items: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        items.sort();
        for p in items {
            if p.is_dir() {
                if depth > 0 {
                    walk(&p, depth - 1, out);
                }
            } else if p.extension().is_some_and(|e| e == "index" || e == "ifo")
                && crate::fsread::is_regular(&p)
            {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, 2, &mut out);
    out
}
