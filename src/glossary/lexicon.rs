//! The built-in core lexicon: frequent MSA lemmas with part of speech, root, the stems they
//! appear with (broken plurals, imperfect verb stems) and a short English gloss. It is
//! embedded in the binary so that lookup works with no dictionary installed.
//!
//! A bad line is skipped with a warning naming the line; it never stops the others.

use std::collections::HashMap;

use super::analyze::{PosMask, pos_mask};
use super::entry::Warning;
use super::normalize::normalize;
use super::source::{Dictionary, Hit, WarningSink};

/// The lexicon shipped with qari: its files under `data/`, each with its name (for
/// warnings) and text. All have the same six columns; later files add lemmas.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    ("data/lexicon.tsv", include_str!("../../data/lexicon.tsv")),
    (
        "data/lexicon-common.tsv",
        include_str!("../../data/lexicon-common.tsv"),
    ),
];

/// The name of the built-in source.
pub const BUILTIN_NAME: &str = "builtin";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lemma {
    pub lemma: String,
    pub vocalized: String,
    pub pos: String,
    pub root: String,
    pub stems: Vec<String>,
    pub gloss: String,
    pub mask: PosMask,
}

#[derive(Debug, Default)]
pub struct Lexicon {
    pub lemmas: Vec<Lemma>,
    by_stem: HashMap<String, Vec<u32>>,
}

const POS_NAMES: [&str; 10] = [
    "noun", "verb", "adj", "adv", "prep", "conj", "pron", "part", "num", "propn",
];

impl Lexicon {
    /// The embedded lexicon.
    pub fn builtin(warnings: &mut Vec<Warning>) -> Lexicon {
        let mut lex = Lexicon::default();
        for (name, text) in BUILTIN_FILES {
            lex.add(text, &format!("{name} (built in)"), warnings);
        }
        lex
    }

    /// Parses the six-column TSV: lemma, vocalized, pos, root, stems, gloss.
    pub fn parse(text: &str, source: &str, warnings: &mut Vec<Warning>) -> Lexicon {
        let mut lex = Lexicon::default();
        lex.add(text, source, warnings);
        lex
    }

    /// Adds the lemmas of one six-column TSV text.
    pub fn add(&mut self, text: &str, source: &str, warnings: &mut Vec<Warning>) {
        let mut sink = WarningSink::new(source, warnings);
        let lex = self;
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let place = Some(format!("line {}", i + 1));
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            if cols.len() != 6 {
                sink.warn(
                    place,
                    format!("expected 6 tab-separated columns, found {}", cols.len()),
                );
                continue;
            }
            let (lemma, vocalized, pos, root, stems, gloss) =
                (cols[0], cols[1], cols[2], cols[3], cols[4], cols[5]);
            if lemma.is_empty() || gloss.is_empty() {
                sink.warn(place, "empty lemma or gloss");
                continue;
            }
            if !POS_NAMES.contains(&pos) {
                sink.warn(place, format!("unknown part of speech {pos:?}"));
                continue;
            }
            let mut stem_list: Vec<String> = vec![lemma.to_string()];
            for s in stems.split_whitespace() {
                if !stem_list.iter().any(|x| x == s) {
                    stem_list.push(s.to_string());
                }
            }
            let id = lex.lemmas.len() as u32;
            for s in &stem_list {
                let ids = lex.by_stem.entry(normalize(s)).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            lex.lemmas.push(Lemma {
                lemma: lemma.to_string(),
                vocalized: vocalized.to_string(),
                pos: pos.to_string(),
                root: root.to_string(),
                stems: stem_list,
                gloss: gloss.to_string(),
                mask: pos_mask(pos),
            });
        }
    }

    pub fn len(&self) -> usize {
        self.lemmas.len()
    }

    /// The lemmas whose dictionary form is `key` (normalised), not reached by another stem.
    pub fn lemmas_of<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Lemma> + 'a {
        self.by_stem
            .get(key)
            .into_iter()
            .flatten()
            .map(|&id| &self.lemmas[id as usize])
            .filter(move |l| normalize(&l.lemma) == key)
    }

    /// The parts of speech of the lemmas written `key` (normalised); 0 when there is none.
    pub fn lemma_pos(&self, key: &str) -> PosMask {
        self.lemmas_of(key).fold(0, |m, l| m | l.mask)
    }

    pub fn is_empty(&self) -> bool {
        self.lemmas.is_empty()
    }
}

impl Dictionary for Lexicon {
    fn name(&self) -> &str {
        BUILTIN_NAME
    }

    fn find(&self, key: &str, allows: PosMask, out: &mut Vec<Hit>) {
        if let Some(ids) = self.by_stem.get(key) {
            for &id in ids {
                let l = &self.lemmas[id as usize];
                if l.mask & allows != 0 {
                    out.push(Hit {
                        id,
                        headword: l.lemma.clone(),
                    });
                }
            }
        }
    }

    fn definition(&self, id: u32) -> Result<String, Warning> {
        let l = self
            .lemmas
            .get(id as usize)
            .ok_or_else(|| Warning::new(BUILTIN_NAME, None, format!("no lemma {id}")))?;
        let root = if l.root.is_empty() || l.root == "-" {
            String::new()
        } else {
            format!(", root {}", l.root)
        };
        Ok(format!("{} ({}{}) {}", l.gloss, l.pos, root, l.vocalized))
    }

    fn pos(&self, id: u32) -> PosMask {
        self.lemmas
            .get(id as usize)
            .map_or(super::analyze::ANY, |l| l.mask)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses_without_warnings() {
        let mut w = Vec::new();
        let lex = Lexicon::builtin(&mut w);
        assert!(!lex.is_empty());
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn bad_lines_warn_and_are_skipped() {
        let text = "# c\nكتاب\tكِتَاب\tnoun\tكتب\tكتاب كتب\tbook\nbroken line\nx\ty\tzzz\tr\ts\tg\n";
        let mut w = Vec::new();
        let lex = Lexicon::parse(text, "t.tsv", &mut w);
        assert_eq!(lex.len(), 1);
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].place.as_deref(), Some("line 3"));
        let mut hits = Vec::new();
        lex.find("كتب", super::super::analyze::ANY, &mut hits);
        assert_eq!(hits[0].headword, "كتاب");
    }
}
