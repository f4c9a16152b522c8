//! The built-in core lexicon: frequent MSA lemmas with part of speech, root, the stems they
//! appear with (broken plurals, imperfect verb stems) and a short English gloss. It is
//! embedded in the binary so that lookup works with no dictionary installed.
//!
//! Two more files use the same columns: a gazetteer of names (`data/names.tsv`, part of
//! speech `propn`) and colloquial words (`data/dialect.tsv`), whose seventh column names the
//! dialects a word belongs to; the definition shows them, e.g. "why (Levantine, Gulf; adv)".
//!
//! A bad line is skipped with a warning naming the line; it never stops the others.

use std::collections::HashMap;

use super::analyze::{PosMask, pos_mask};
use super::entry::Warning;
use super::normalize::normalize;
use super::source::{Dictionary, Hit, WarningSink};

/// The lexicon shipped with qari: its files under `data/`, each with its name (for
/// warnings) and text. All have the same six columns (the dialect words a seventh); later
/// files add lemmas.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    ("data/lexicon.tsv", include_str!("../../data/lexicon.tsv")),
    (
        "data/lexicon-common.tsv",
        include_str!("../../data/lexicon-common.tsv"),
    ),
    (
        "data/lexicon-common-2.tsv",
        include_str!("../../data/lexicon-common-2.tsv"),
    ),
    (
        "data/lexicon-common-3.tsv",
        include_str!("../../data/lexicon-common-3.tsv"),
    ),
    (
        "data/lexicon-common-4.tsv",
        include_str!("../../data/lexicon-common-4.tsv"),
    ),
    ("data/names.tsv", include_str!("../../data/names.tsv")),
    ("data/dialect.tsv", include_str!("../../data/dialect.tsv")),
];

/// The dialects a colloquial word may be labelled with, in the seventh column.
pub const DIALECTS: [&str; 7] = [
    "Egyptian",
    "Levantine",
    "Gulf",
    "Iraqi",
    "Maghrebi",
    "Sudanese",
    "Yemeni",
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
    /// The dialects of a colloquial word ("Egyptian", "Levantine" ...); empty for MSA.
    pub dialects: Vec<String>,
}

impl Lemma {
    /// True for a proper noun: a place, a person, an organisation, a month.
    pub fn is_name(&self) -> bool {
        self.mask == super::analyze::PROPN
    }

    /// True for a colloquial word, not MSA.
    pub fn is_dialect(&self) -> bool {
        !self.dialects.is_empty()
    }
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

    /// Parses the six-column TSV: lemma, vocalized, pos, root, stems, gloss, and an
    /// optional seventh column of dialects separated by spaces.
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
            if cols.len() != 6 && cols.len() != 7 {
                sink.warn(
                    place,
                    format!(
                        "expected 6 tab-separated columns (7 with dialects), found {}",
                        cols.len()
                    ),
                );
                continue;
            }
            let (lemma, vocalized, pos, root, stems, gloss) =
                (cols[0], cols[1], cols[2], cols[3], cols[4], cols[5]);
            let dialects: Vec<String> = cols
                .get(6)
                .map(|d| d.split_whitespace().map(str::to_string).collect())
                .unwrap_or_default();
            if let Some(unknown) = dialects.iter().find(|d| !DIALECTS.contains(&d.as_str())) {
                sink.warn(
                    place,
                    format!(
                        "unknown dialect {unknown:?} (expected one of {})",
                        DIALECTS.join(", ")
                    ),
                );
                continue;
            }
            if lemma.is_empty() || gloss.is_empty() {
                sink.warn(place, "empty lemma or gloss");
                continue;
            }
            if !POS_NAMES.contains(&pos) {
                sink.warn(place, format!("unknown part of speech {pos:?}"));
                continue;
            }
            // Stems are separated by spaces; within a stem of several words (a name such
            // as الأمم_المتحدة) '_' stands for the space.
            let mut stem_list: Vec<String> = vec![lemma.to_string()];
            for s in stems.split_whitespace() {
                let s = s.replace('_', " ");
                if !stem_list.contains(&s) {
                    stem_list.push(s);
                }
            }
            let id = lex.lemmas.len() as u32;
            let mask = pos_mask(pos);
            let mut keys: Vec<String> = stem_list.iter().map(|s| normalize(s)).collect();
            if mask == super::analyze::PROPN {
                // A name that carries the article is written without its alef after li-:
                // القاهرة, للقاهرة. The analyzer splits that as ل + لقاهرة.
                for k in keys.clone() {
                    if let Some(rest) = k.strip_prefix("ال")
                        && rest.chars().count() >= 2
                    {
                        keys.push(format!("ل{rest}"));
                    }
                }
            }
            for key in keys {
                let ids = lex.by_stem.entry(key).or_default();
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
                mask,
                dialects,
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
        let dialects = if l.dialects.is_empty() {
            String::new()
        } else {
            format!("{}; ", l.dialects.join(", "))
        };
        Ok(format!(
            "{} ({}{}{}) {}",
            l.gloss, dialects, l.pos, root, l.vocalized
        ))
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

    #[test]
    fn dialects_in_a_seventh_column() {
        let text = "ليش\tليش\tadv\t-\tليش\twhy\tLevantine Gulf\n\
                    شو\tشو\tpron\t-\tشو\twhat\tKlingon\n\
                    كتاب\tكِتَاب\tnoun\tكتب\tكتاب\tbook\n";
        let mut w = Vec::new();
        let lex = Lexicon::parse(text, "t.tsv", &mut w);
        assert_eq!(lex.len(), 2);
        assert_eq!(w.len(), 1);
        assert!(w[0].message.contains("Klingon"), "{w:?}");
        assert!(lex.lemmas[0].is_dialect() && !lex.lemmas[1].is_dialect());
        assert_eq!(lex.definition(0).unwrap(), "why (Levantine, Gulf; adv) ليش");
        assert_eq!(lex.definition(1).unwrap(), "book (noun, root كتب) كِتَاب");
    }

    #[test]
    fn names_of_several_words_and_names_with_the_article() {
        let text = "الأمم المتحدة\tالأمم المتحدة\tpropn\t-\tالأمم_المتحدة هيئة_الأمم\tUnited Nations\n\
                    الفلوجة\tالفلوجة\tpropn\t-\tالفلوجة\tFallujah\n";
        let mut w = Vec::new();
        let lex = Lexicon::parse(text, "t.tsv", &mut w);
        assert!(w.is_empty(), "{w:?}");
        assert!(lex.lemmas.iter().all(Lemma::is_name));
        let find = |key: &str| {
            let mut hits = Vec::new();
            lex.find(key, super::super::analyze::ANY, &mut hits);
            hits.into_iter().map(|h| h.headword).collect::<Vec<_>>()
        };
        assert_eq!(find("الامم المتحده"), ["الأمم المتحدة"]);
        assert_eq!(find("هيئه الامم"), ["الأمم المتحدة"]);
        assert!(find("المتحده").is_empty() && find("الامم").is_empty());
        // After li- the alef of the article is not written: ل + لفلوجة.
        assert_eq!(find("لفلوجه"), ["الفلوجة"]);
        assert!(find("فلوجه").is_empty());
    }
}
