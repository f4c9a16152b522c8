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
use super::lexicon_line::{LexLine, is_blank, parse_line};
use super::normalize::normalize;
use super::source::{Dictionary, Hit, WarningSink};

pub use super::builtin_files::BUILTIN_FILES;
pub use super::lexicon_line::DIALECTS;

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
    /// The lemma of a line read by [`parse_line`].
    pub fn from_line(line: LexLine<'_>) -> Lemma {
        Lemma {
            lemma: line.lemma.to_string(),
            vocalized: line.vocalized.to_string(),
            pos: line.pos.to_string(),
            root: line.root.to_string(),
            stems: line.stems,
            gloss: line.gloss.to_string(),
            mask: pos_mask(line.pos),
            dialects: line.dialects.into_iter().map(str::to_string).collect(),
        }
    }

    /// The definition shown for the lemma: gloss, dialects, part of speech, root and the
    /// vocalised form, e.g. "book (noun, root كتب) كِتَاب".
    pub fn definition(&self) -> String {
        let root = if self.root.is_empty() || self.root == "-" {
            String::new()
        } else {
            format!(", root {}", self.root)
        };
        let dialects = if self.dialects.is_empty() {
            String::new()
        } else {
            format!("{}; ", self.dialects.join(", "))
        };
        format!(
            "{} ({}{}{}) {}",
            self.gloss, dialects, self.pos, root, self.vocalized
        )
    }

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
        for (i, line) in text.lines().enumerate() {
            if is_blank(line) {
                continue;
            }
            let parsed = match parse_line(line) {
                Ok(parsed) => parsed,
                Err(message) => {
                    sink.warn(Some(format!("line {}", i + 1)), message);
                    continue;
                }
            };
            let id = self.lemmas.len() as u32;
            for key in parsed.keys() {
                self.by_stem.entry(key).or_default().push(id);
            }
            self.lemmas.push(Lemma::from_line(parsed));
        }
    }

    /// Every normalised key a lemma is found under, in no order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.by_stem.keys().map(String::as_str)
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
        self.lemmas
            .get(id as usize)
            .map(Lemma::definition)
            .ok_or_else(|| Warning::new(BUILTIN_NAME, None, format!("no lemma {id}")))
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
