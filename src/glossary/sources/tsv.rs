//! Tab-separated glossaries: the reader's personal glossary
//! (`$XDG_DATA_HOME/qari/glossary.tsv`: word, gloss, note) and any `--dict FILE.tsv`.
//!
//! The personal glossary can be edited from the reader; it is saved atomically and keeps
//! comment lines and lines it could not read as they were.

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::super::analyze::PosMask;
use super::super::entry::Warning;
use super::super::normalize::normalize;
use super::super::source::{Dictionary, Hit, WarningSink};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TsvEntry {
    pub word: String,
    pub gloss: String,
    pub note: String,
}

#[derive(Debug, Clone)]
enum Line {
    /// A comment, a blank line or a line that could not be read: written back unchanged.
    Raw(String),
    Entry(usize),
}

#[derive(Debug)]
pub struct TsvGlossary {
    name: String,
    path: PathBuf,
    lines: Vec<Line>,
    entries: Vec<TsvEntry>,
    by_key: HashMap<String, Vec<u32>>,
}

/// The error of saving the personal glossary.
#[derive(Debug, thiserror::Error)]
#[error("cannot save {path}: {source}")]
pub struct SaveError {
    path: String,
    source: std::io::Error,
}

impl TsvGlossary {
    /// An empty glossary that will be saved at `path`.
    pub fn empty(name: &str, path: &Path) -> TsvGlossary {
        TsvGlossary {
            name: name.to_string(),
            path: path.to_path_buf(),
            lines: Vec::new(),
            entries: Vec::new(),
            by_key: HashMap::new(),
        }
    }

    /// Reads `path`; a missing file is an empty glossary, a bad line a warning.
    pub fn open(name: &str, path: &Path, warnings: &mut Vec<Warning>) -> TsvGlossary {
        let mut g = TsvGlossary::empty(name, path);
        let text = match crate::fsread::read_regular(path, crate::fsread::limit::GLOSSARY) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) if e.is_not_found() => return g,
            Err(e) => {
                warnings.push(Warning::new(
                    path.display().to_string(),
                    None,
                    format!("cannot read: {}", e.reason()),
                ));
                return g;
            }
        };
        let mut sink = WarningSink::new(path.display().to_string(), warnings);
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                g.lines.push(Line::Raw(line.to_string()));
                continue;
            }
            let mut cols = line.split('\t');
            let word = cols.next().unwrap_or("").trim();
            let gloss = cols.next().unwrap_or("").trim();
            let note = cols.next().unwrap_or("").trim();
            if word.is_empty() || gloss.is_empty() || normalize(word).is_empty() {
                sink.warn(
                    Some(format!("line {}", i + 1)),
                    "expected word TAB gloss [TAB note]; the line is kept but not used",
                );
                g.lines.push(Line::Raw(line.to_string()));
                continue;
            }
            g.push(TsvEntry {
                word: word.to_string(),
                gloss: gloss.to_string(),
                note: note.to_string(),
            });
        }
        g
    }

    fn push(&mut self, e: TsvEntry) {
        let id = self.entries.len();
        self.by_key
            .entry(normalize(&e.word))
            .or_default()
            .push(id as u32);
        self.entries.push(e);
        self.lines.push(Line::Entry(id));
    }

    pub fn entries(&self) -> &[TsvEntry] {
        &self.entries
    }

    /// The entry for `word` (normalised match), if any.
    pub fn get(&self, word: &str) -> Option<&TsvEntry> {
        let id = *self.by_key.get(&normalize(word))?.first()?;
        self.entries.get(id as usize)
    }

    /// Adds an entry for `word`, or replaces the gloss and note of the existing one, and
    /// saves the file.
    pub fn upsert(&mut self, word: &str, gloss: &str, note: &str) -> Result<(), SaveError> {
        let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ").trim().to_string();
        let entry = TsvEntry {
            word: clean(word),
            gloss: clean(gloss),
            note: clean(note),
        };
        let existing = self
            .by_key
            .get(&normalize(word))
            .and_then(|ids| ids.first().copied());
        match existing {
            Some(id) => self.entries[id as usize] = entry,
            None => self.push(entry),
        }
        self.save()
    }

    fn save(&self) -> Result<(), SaveError> {
        let err = |source| SaveError {
            path: self.path.display().to_string(),
            source,
        };
        if let Some(dir) = self.path.parent() {
            fs::create_dir_all(dir).map_err(err)?;
        }
        let mut text = String::new();
        for line in &self.lines {
            match line {
                Line::Raw(s) => text.push_str(s),
                Line::Entry(id) => {
                    let e = &self.entries[*id];
                    text.push_str(&format!("{}\t{}\t{}", e.word, e.gloss, e.note));
                }
            }
            text.push('\n');
        }
        let tmp = self
            .path
            .with_extension(format!("tmp{}", std::process::id()));
        let mut f = fs::File::create(&tmp).map_err(err)?;
        f.write_all(text.as_bytes()).map_err(err)?;
        f.sync_all().map_err(err)?;
        fs::rename(&tmp, &self.path).map_err(err)
    }
}

impl Dictionary for TsvGlossary {
    fn name(&self) -> &str {
        &self.name
    }

    fn find(&self, key: &str, _allows: PosMask, out: &mut Vec<Hit>) {
        if let Some(ids) = self.by_key.get(key) {
            out.extend(ids.iter().map(|&id| Hit {
                id,
                headword: self.entries[id as usize].word.clone(),
            }));
        }
    }

    fn definition(&self, id: u32) -> Result<String, Warning> {
        let e = self.entries.get(id as usize).ok_or_else(|| {
            Warning::new(
                self.path.display().to_string(),
                None,
                format!("no entry {id}"),
            )
        })?;
        Ok(if e.note.is_empty() {
            e.gloss.clone()
        } else {
            format!("{}\n{}", e.gloss, e.note)
        })
    }
}
