//! The built-in lexicon as the binary carries it: the TSV files of
//! [`super::builtin_files`] and their index, built by build.rs when qari is compiled
//! ([`super::lexicon_index`]). Opening it reads nothing, so start-up does not grow with the
//! lexicon; a lookup bisects the sorted keys and reads a lemma's line only when it is hit,
//! with the same parser as [`super::lexicon::Lexicon`], to the same [`Lemma`].

use super::analyze::{ANY, PosMask, pos_mask};
use super::builtin_files::BUILTIN_FILES;
use super::entry::Warning;
use super::lexicon::{BUILTIN_NAME, Lemma};
use super::lexicon_index::IndexView;
use super::lexicon_line::parse_line;
use super::normalize::normalize;
use super::source::{Dictionary, Hit};

/// The index build.rs wrote of [`BUILTIN_FILES`].
static INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/builtin-lexicon.idx"));

/// An indexed lexicon read in place: the built-in one, or any index with its files.
#[derive(Debug, Clone, Copy)]
pub struct BuiltinLexicon {
    index: IndexView<'static>,
    files: &'static [(&'static str, &'static str)],
}

impl BuiltinLexicon {
    /// The lexicon embedded in the binary.
    pub fn open() -> Result<BuiltinLexicon, Warning> {
        Self::from_parts(INDEX, BUILTIN_FILES).ok_or_else(|| {
            Warning::new(
                BUILTIN_NAME,
                None,
                "the built-in lexicon's index is damaged; rebuild qari",
            )
        })
    }

    /// The lexicon of an index written by [`super::lexicon_index::build`] from `files`.
    pub fn from_parts(
        index: &'static [u8],
        files: &'static [(&'static str, &'static str)],
    ) -> Option<BuiltinLexicon> {
        Some(BuiltinLexicon {
            index: IndexView::new(index)?,
            files,
        })
    }

    pub fn len(&self) -> usize {
        self.index.lemma_count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The line of lemma `id` and its part of speech.
    fn line(&self, id: u32) -> Option<(&'static str, &'static str)> {
        let r = self.index.lemma(id)?;
        let (_, text) = self.files.get(r.file)?;
        Some((text.get(r.line)?, r.pos))
    }

    /// Lemma `id`, read from its line.
    pub fn lemma(&self, id: u32) -> Option<Lemma> {
        let (line, _) = self.line(id)?;
        parse_line(line).ok().map(Lemma::from_line)
    }

    /// The lemmas whose dictionary form is `key` (normalised), not reached by another stem.
    pub fn lemmas_of<'a>(&'a self, key: &'a str) -> impl Iterator<Item = Lemma> + 'a {
        self.index
            .ids(key)
            .filter_map(|id| self.lemma(id))
            .filter(move |l| normalize(&l.lemma) == key)
    }

    /// The parts of speech of the lemmas written `key` (normalised); 0 when there is none.
    pub fn lemma_pos(&self, key: &str) -> PosMask {
        self.lemmas_of(key).fold(0, |m, l| m | l.mask)
    }
}

impl Dictionary for BuiltinLexicon {
    fn name(&self) -> &str {
        BUILTIN_NAME
    }

    fn find(&self, key: &str, allows: PosMask, out: &mut Vec<Hit>) {
        for id in self.index.ids(key) {
            let Some((line, pos)) = self.line(id) else {
                continue;
            };
            if pos_mask(pos) & allows != 0 {
                // The headword is the first column, as the parser reads it.
                let headword = line.split('\t').next().unwrap_or("").trim();
                out.push(Hit {
                    id,
                    headword: headword.to_string(),
                });
            }
        }
    }

    fn definition(&self, id: u32) -> Result<String, Warning> {
        self.lemma(id)
            .map(|l| l.definition())
            .ok_or_else(|| Warning::new(BUILTIN_NAME, None, format!("no lemma {id}")))
    }

    fn pos(&self, id: u32) -> PosMask {
        self.line(id).map_or(ANY, |(_, pos)| pos_mask(pos))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::analyze::{ANY, NOUN, VERB};
    use crate::glossary::lexicon::Lexicon;

    /// The parser of the runtime, over the same files: the reference the index must match.
    fn parsed() -> Lexicon {
        let mut w = Vec::new();
        let lex = Lexicon::builtin(&mut w);
        assert!(w.is_empty(), "{w:?}");
        lex
    }

    #[test]
    fn every_lemma_reads_as_the_parser_reads_it() {
        let (lex, built) = (parsed(), BuiltinLexicon::open().unwrap());
        assert_eq!(built.len(), lex.len());
        for (id, l) in lex.lemmas.iter().enumerate() {
            let id = id as u32;
            assert_eq!(built.lemma(id).as_ref(), Some(l), "lemma {id}");
            assert_eq!(built.definition(id), lex.definition(id));
            assert_eq!(built.pos(id), lex.pos(id));
        }
        assert!(built.lemma(lex.len() as u32).is_none());
        assert!(built.definition(lex.len() as u32).is_err());
    }

    #[test]
    fn every_key_finds_what_the_parser_finds() {
        let (lex, built) = (parsed(), BuiltinLexicon::open().unwrap());
        // The index holds exactly the parser's keys.
        let mut keys: Vec<&str> = lex.keys().collect();
        keys.sort();
        let index_keys: Vec<&str> = (0..built.index.key_count())
            .filter_map(|i| built.index.key_text(i))
            .collect();
        assert_eq!(keys, index_keys);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for key in &keys {
            for allows in [ANY, NOUN, VERB] {
                a.clear();
                b.clear();
                lex.find(key, allows, &mut a);
                built.find(key, allows, &mut b);
                assert_eq!(a, b, "key {key:?}");
            }
            let x: Vec<Lemma> = lex.lemmas_of(key).cloned().collect();
            let y: Vec<Lemma> = built.lemmas_of(key).collect();
            assert_eq!(x, y, "key {key:?}");
            assert_eq!(lex.lemma_pos(key), built.lemma_pos(key));
        }
    }

    #[test]
    fn a_lemma_of_every_file_is_found_under_its_normalised_key() {
        let built = BuiltinLexicon::open().unwrap();
        for (name, text) in BUILTIN_FILES {
            let Some(line) = text
                .lines()
                .find(|l| !crate::glossary::lexicon_line::is_blank(l))
            else {
                continue; // a file not filled in yet
            };
            let line = parse_line(line).unwrap();
            let mut hits = Vec::new();
            built.find(&normalize(line.lemma), ANY, &mut hits);
            assert!(
                hits.iter().any(|h| h.headword == line.lemma),
                "{name}: {} not found",
                line.lemma
            );
        }
        // Found through normalisation: harakat, ta marbuta, hamza seats, alef maqsura.
        let mut hits = Vec::new();
        for (written, headword) in [("مَدْرَسَة", "مدرسة"), ("إِلَى", "إلى"), ("اكل", "أكل")]
        {
            hits.clear();
            built.find(&normalize(written), ANY, &mut hits);
            assert!(hits.iter().any(|h| h.headword == headword), "{hits:?}");
        }
        hits.clear();
        built.find("مدرسة", ANY, &mut hits);
        assert!(
            hits.is_empty(),
            "a key that is not normalised finds nothing"
        );
    }

    #[test]
    fn a_hit_reads_only_its_own_line() {
        let text: &'static str = "كتاب\tكِتَاب\tnoun\tكتب\tكتاب كتب\tbook\n\
                                  ليش\tليش\tadv\t-\tليش\twhy\tLevantine Gulf\n";
        let files: &'static [(&str, &str)] = Box::leak(Box::new([("t.tsv", text)]));
        let index = Box::leak(
            super::super::lexicon_index::build(files)
                .unwrap()
                .into_boxed_slice(),
        );
        let built = BuiltinLexicon::from_parts(index, files).unwrap();
        assert_eq!(
            built.definition(1).unwrap(),
            "why (Levantine, Gulf; adv) ليش"
        );
        assert_eq!(built.definition(0).unwrap(), "book (noun, root كتب) كِتَاب");
        let mut hits = Vec::new();
        built.find("كتب", VERB, &mut hits);
        assert!(hits.is_empty());
        built.find("كتب", NOUN, &mut hits);
        assert_eq!(hits[0].headword, "كتاب");
    }
}
