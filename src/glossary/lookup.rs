//! Ranking and merging: asks every source about every segmentation of a word and orders
//! what they find with one scoring model ([`super::rank`]): the personal glossary first,
//! then by a weighted sum of what each candidate is (source, whole-form match, headword
//! form, analysis cost, common lemma, transliterated name, part of speech after the word
//! before, agreement with the written marks). Readings the written marks contradict are
//! dropped unless nothing else is left. Repeats of one entry are merged.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

use super::access;
use super::analyze::{ADJ, NOUN, NUM, PREP, PRON, PROPN, PosMask, VERB};
use super::analyze::{ANY, Segmentation, segment};
use super::buckwalter::{Buckwalter, BuckwalterError};
use super::builtin::BuiltinLexicon;
use super::config::{GlossaryConfig, dictionary_files};
use super::entry::{Entry, MatchKind, Warning};
use super::marks::{Fit, FormKind, fit, letters};
use super::normalize::{normalize, skeleton, spelling_differs};
use super::rank::{self, Expect, Features, SourceKind, WEIGHTS};
use super::source::{Dictionary, Hit};
use super::sources::dictd::DictdDictionary;
use super::sources::dictproto::DictServer;
use super::sources::stardict::StarDict;
use super::sources::tsv::{SaveError, TsvGlossary};

/// What was opened, for `--verbose` output and for tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    pub name: String,
    pub path: Option<PathBuf>,
    pub entries: usize,
    /// The normalised index was read from the cache instead of the dictionary.
    pub from_cache: bool,
}

/// The result of one lookup: entries, best first, and problems met on the way (a DICT
/// server that did not answer, a definition past the end of its file).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lookup {
    pub entries: Vec<Entry>,
    pub warnings: Vec<Warning>,
}

/// All sources, opened. `Send + Sync`: share it in an `Arc` and look up from any thread.
pub struct Glossary {
    personal: Option<RwLock<TsvGlossary>>,
    builtin: Option<BuiltinLexicon>,
    buckwalter: Option<Buckwalter>,
    dicts: Vec<Box<dyn Dictionary>>,
    servers: Vec<DictServer>,
    max_entries: usize,
    sources: Vec<SourceInfo>,
    weights: rank::Weights,
}

/// One thing found, before its definition is read.
struct Found {
    kind: MatchKind,
    cost: u32,
    rank: usize,
    order: usize,
    /// Index into the segmentations, or `None` for an exact/phrase match.
    seg: Option<usize>,
    what: FoundIn,
    /// What the ranking knows about it beyond the above (filled in before sorting).
    features: Option<Features>,
    /// The definition, once read.
    definition: Option<Result<String, Warning>>,
}

/// What the Buckwalter analyzer says about one of its entries, for the ranking.
struct BwInfo {
    pos: PosMask,
    name: bool,
    proclitic: bool,
    stem_is_lemma: bool,
    lemma: String,
    fit: Fit,
}

enum FoundIn {
    Personal(Hit),
    Dict(usize, Hit),
    Builtin(Hit),
    Ready(Entry),
    Analyzed(Entry, BwInfo),
}

/// How many segmentations are sent to a DICT server (one DEFINE each).
const SERVER_KEYS: usize = 6;

impl Glossary {
    /// Opens every source the configuration names. Problems are returned as warnings; a
    /// source that cannot be read is left out and the others work.
    pub fn open(config: &GlossaryConfig) -> (Glossary, Vec<Warning>) {
        // The Buckwalter files load on a thread of their own while the rest loads here.
        std::thread::scope(|s| {
            let bw = config.buckwalter_dir.as_ref().map(|dir| {
                s.spawn(move || {
                    let mut warnings = Vec::new();
                    let bw = Buckwalter::load(dir, &mut warnings);
                    (bw, warnings)
                })
            });
            Self::open_with(config, move || {
                bw.map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            })
        })
    }

    /// [`Glossary::open`], with the Buckwalter lexicon from `buckwalter` (called once the
    /// sources before it have been opened, so warnings and sources keep their order).
    fn open_with(
        config: &GlossaryConfig,
        buckwalter: impl FnOnce() -> Option<(Result<Buckwalter, BuckwalterError>, Vec<Warning>)>,
    ) -> (Glossary, Vec<Warning>) {
        let mut warnings = Vec::new();
        let mut sources = Vec::new();
        let cache = config.effective_cache_dir();
        let cache = cache.as_deref();

        let personal = if config.personal {
            config.effective_personal_glossary().map(|path| {
                let g = TsvGlossary::open("personal", &path, &mut warnings);
                sources.push(SourceInfo {
                    name: "personal".into(),
                    path: Some(path),
                    entries: g.len(),
                    from_cache: false,
                });
                RwLock::new(g)
            })
        } else {
            None
        };

        let builtin = if config.builtin {
            match BuiltinLexicon::open() {
                Ok(lex) => {
                    sources.push(SourceInfo {
                        name: lex.name().into(),
                        path: None,
                        entries: lex.len(),
                        from_cache: false,
                    });
                    Some(lex)
                }
                Err(w) => {
                    warnings.push(w);
                    None
                }
            }
        } else {
            None
        };

        // Opened before the Buckwalter lexicon is joined, reported after it.
        let (mut dict_warnings, mut dict_sources) = (Vec::new(), Vec::new());
        let mut files: Vec<PathBuf> = Vec::new();
        for p in &config.dicts {
            if p.is_dir() {
                let found = dictionary_files(p);
                if found.is_empty() {
                    let message = access::dir_problem(p).unwrap_or_else(|| {
                        "no .index or .ifo dictionary in this directory".to_string()
                    });
                    dict_warnings.push(Warning::new(p.display().to_string(), None, message));
                }
                files.extend(found);
            } else {
                files.push(p.clone());
            }
        }
        if config.system_dicts {
            for dir in GlossaryConfig::system_dirs() {
                files.extend(dictionary_files(&dir));
            }
        }
        let mut seen = HashSet::new();
        let mut dicts: Vec<Box<dyn Dictionary>> = Vec::new();
        for f in files {
            let key = std::fs::canonicalize(&f).unwrap_or_else(|_| f.clone());
            if !seen.insert(key) {
                continue;
            }
            if let Some((dict, info)) = open_file(&f, cache, &mut dict_warnings) {
                dict_sources.push(info);
                dicts.push(dict);
            }
        }

        let bw_loaded = buckwalter();
        let buckwalter = config.buckwalter_dir.as_ref().zip(bw_loaded).and_then(
            |(dir, (loaded, bw_warnings))| {
                warnings.extend(bw_warnings);
                match loaded {
                    Ok(bw) => {
                        sources.push(SourceInfo {
                            name: "buckwalter".into(),
                            path: Some(dir.clone()),
                            entries: bw.stem_count(),
                            from_cache: false,
                        });
                        Some(bw)
                    }
                    Err(e) => {
                        warnings.push(Warning::new(dir.display().to_string(), None, e.to_string()));
                        None
                    }
                }
            },
        );

        warnings.append(&mut dict_warnings);
        sources.append(&mut dict_sources);

        let mut servers = Vec::new();
        for url in &config.dict_servers {
            match DictServer::parse(url, config.connect_timeout(), config.read_timeout()) {
                Ok(s) => {
                    sources.push(SourceInfo {
                        name: s.name().to_string(),
                        path: None,
                        entries: 0,
                        from_cache: false,
                    });
                    servers.push(s);
                }
                Err(e) => warnings.push(Warning::new(url.clone(), None, e.to_string())),
            }
        }

        (
            Glossary {
                personal,
                builtin,
                buckwalter,
                dicts,
                servers,
                max_entries: config.max_entries.max(1),
                sources,
                weights: WEIGHTS,
            },
            warnings,
        )
    }

    /// Ranks with other weights than [`rank::WEIGHTS`] (for tuning them).
    pub fn set_weights(&mut self, weights: rank::Weights) {
        self.weights = weights;
    }

    /// The sources that were opened.
    pub fn sources(&self) -> &[SourceInfo] {
        &self.sources
    }

    /// Entries for a word as written in the text (clitics, affixes and harakat allowed),
    /// best first. Several words separated by spaces are looked up as a phrase.
    pub fn lookup(&self, word: &str) -> Vec<Entry> {
        self.lookup_detailed(word).entries
    }

    /// Entries for a phrase of two or three words selected in the reader.
    pub fn lookup_phrase(&self, words: &[&str]) -> Vec<Entry> {
        self.lookup(&words.join(" "))
    }

    /// Adds or replaces the personal glossary entry of `word` and saves the file.
    pub fn set_personal(&self, word: &str, gloss: &str, note: &str) -> Result<(), SaveError> {
        match &self.personal {
            Some(p) => p
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .upsert(word, gloss, note),
            None => Ok(()),
        }
    }

    /// The personal glossary entry of `word`: (gloss, note), for editing.
    pub fn personal_entry(&self, word: &str) -> Option<(String, String)> {
        let p = self
            .personal
            .as_ref()?
            .read()
            .unwrap_or_else(|e| e.into_inner());
        p.get(word).map(|e| (e.gloss, e.note))
    }

    /// [`Glossary::lookup`] with the warnings met on the way.
    pub fn lookup_detailed(&self, word: &str) -> Lookup {
        self.lookup_in_context(word, None)
    }

    /// [`Glossary::lookup_detailed`] for a word read in a sentence: `previous` is the word
    /// before it (as written), which says what may follow (a verb after لن or لم, a noun
    /// after a preposition). The reader and `qari lookup --after` pass it.
    pub fn lookup_in_context(&self, word: &str, previous: Option<&str>) -> Lookup {
        let previous = previous.map(str::trim).filter(|p| !p.is_empty());
        let word = word.trim();
        let marked = super::marks::has_marks(word);
        let mut out = Lookup::default();
        if normalize(word).is_empty() {
            return out;
        }
        let phrase = word.split_whitespace().count() > 1;
        let segs: Vec<Segmentation> = if phrase { Vec::new() } else { segment(word) };
        let keys: Vec<(String, Option<usize>, u32)> = if phrase {
            phrase_keys(word)
        } else {
            segs.iter()
                .enumerate()
                .map(|(i, s)| (s.stem.clone(), Some(i), s.cost))
                .collect()
        };
        let allows = |seg: Option<usize>| seg.map_or(ANY, |i| segs[i].allows);
        // The article is spelling rather than morphology for a reader: dictionaries list
        // words without it, so a match after removing only ال counts as exact.
        let kind_of = |seg: Option<usize>| match seg {
            Some(i) if !segs[i].is_bare() && !is_article_only(&segs[i]) => MatchKind::Analysed,
            _ => MatchKind::Exact,
        };
        // A headword that starts with the article costs as if the article were split off,
        // so that و + الخارجية and و + ال + خارجية rank by source, not by spelling.
        let article_cost = |seg: Option<usize>| match seg {
            Some(i) if !segs[i].is_bare() && segs[i].stem.starts_with("ال") => ARTICLE_COST,
            _ => 0,
        };

        let mut found: Vec<Found> = Vec::new();
        let mut order = 0;
        let mut push = |found: &mut Vec<Found>, kind, cost, rank, seg, what| {
            found.push(Found {
                kind,
                cost,
                rank,
                order,
                seg,
                what,
                features: None,
                definition: None,
            });
            order += 1;
        };
        let mut hits = Vec::new();
        if let Some(p) = &self.personal {
            let p = p.read().unwrap_or_else(|e| e.into_inner());
            for (key, seg, cost) in &keys {
                hits.clear();
                p.find(key, ANY, &mut hits);
                for h in hits.drain(..) {
                    push(
                        &mut found,
                        MatchKind::Personal,
                        *cost,
                        0,
                        *seg,
                        FoundIn::Personal(h),
                    );
                }
            }
        }
        if let Some(lex) = &self.builtin {
            for (key, seg, cost) in &keys {
                hits.clear();
                lex.find(key, allows(*seg), &mut hits);
                for h in hits.drain(..) {
                    push(
                        &mut found,
                        kind_of(*seg),
                        *cost,
                        1,
                        *seg,
                        FoundIn::Builtin(h),
                    );
                }
            }
        }
        let mut bw_as_written = true;
        if let Some(bw) = &self.buckwalter
            && !phrase
        {
            let (entries, as_written) = bw.lookup_solutions(word);
            bw_as_written = as_written;
            let written = super::marks::letters(word);
            for (e, sol) in entries {
                let info = bw_info(&sol, &written, marked);
                push(
                    &mut found,
                    e.kind,
                    e.cost,
                    2,
                    None,
                    FoundIn::Analyzed(e, info),
                );
            }
        }
        for (d, dict) in self.dicts.iter().enumerate() {
            for (key, seg, cost) in &keys {
                hits.clear();
                dict.find(key, allows(*seg), &mut hits);
                for h in hits.drain(..) {
                    let cost = cost + article_cost(*seg);
                    push(
                        &mut found,
                        kind_of(*seg),
                        cost,
                        3 + d,
                        *seg,
                        FoundIn::Dict(d, h),
                    );
                }
            }
        }
        if !self.servers.is_empty() {
            // The server matches its own spelling, so send the stems as written.
            let mut asked: Vec<(String, Option<usize>, u32)> = Vec::new();
            if phrase {
                asked.push((skeleton(word), None, 0));
            } else {
                for (i, s) in segs.iter().enumerate() {
                    if asked.len() >= SERVER_KEYS {
                        break;
                    }
                    if !asked.iter().any(|(w, _, _)| *w == s.stem_written) {
                        asked.push((s.stem_written.clone(), Some(i), s.cost));
                    }
                }
            }
            let rank = 3 + self.dicts.len();
            for (si, server) in self.servers.iter().enumerate() {
                let words: Vec<String> = asked.iter().map(|(w, _, _)| w.clone()).collect();
                match server.define(&words) {
                    Ok(defs) => {
                        for d in defs {
                            let (_, seg, cost) = &asked[d.query];
                            let entry = Entry {
                                headword: d.headword,
                                source: d.source,
                                definition: d.definition,
                                analysis: None,
                                kind: kind_of(*seg),
                                cost: *cost,
                            };
                            push(
                                &mut found,
                                kind_of(*seg),
                                *cost,
                                rank + si,
                                *seg,
                                FoundIn::Ready(entry),
                            );
                        }
                    }
                    Err(e) => out
                        .warnings
                        .push(Warning::new(server.name(), None, e.to_string())),
                }
            }
        }

        // The spelling as written first: ة and ه, أ and إ are one letter for the index, but
        // an entry whose headword has the other one is kept only when nothing else was found.
        if !phrase {
            let as_written = |f: &Found| match (&f.what, f.seg) {
                // The built-in lexicon lists the stems as written (إلى has إلي, الآن has
                // آن): the stem that matched decides, not the headword.
                (FoundIn::Builtin(h), Some(i)) => {
                    let written = &segs[i].stem_written;
                    let lemma = self.builtin.as_ref().and_then(|l| l.lemma(h.id));
                    // Dialect words have no fixed spelling (بكرة, بكره).
                    if lemma.as_ref().is_some_and(|l| l.is_dialect()) {
                        return true;
                    }
                    let mut stems = lemma
                        .iter()
                        .flat_map(|l| std::iter::once(&l.lemma).chain(&l.stems))
                        .filter(|stem| normalize(stem) == segs[i].stem)
                        .peekable();
                    if stems.peek().is_none() {
                        !spelling_differs(written, &h.headword)
                    } else {
                        stems.any(|stem| !spelling_differs(written, stem))
                    }
                }
                (FoundIn::Personal(h) | FoundIn::Dict(_, h), Some(i)) => {
                    !spelling_differs(&segs[i].stem_written, &h.headword)
                }
                (FoundIn::Ready(e) | FoundIn::Analyzed(e, _), _) => {
                    e.source != super::buckwalter::SOURCE_NAME || bw_as_written
                }
                _ => true,
            };
            if found.iter().any(as_written) {
                found.retain(as_written);
            }
        }

        // One score per candidate (see `rank`); the marks the text wrote rule out the
        // readings they contradict, unless that would leave nothing.
        let expect = match (previous, &self.builtin) {
            (Some(prev), Some(lex)) if !phrase => {
                rank::expectation(prev, |k| lex.lemma_pos(k) & PREP != 0)
            }
            _ => Expect::Anything,
        };
        for f in &mut found {
            let features = self.features(f, &segs, marked);
            f.features = Some(features);
        }
        if marked
            && found
                .iter()
                .any(|f| f.features.is_some_and(|x| x.marks != Fit::Contradicts))
        {
            found.retain(|f| f.features.is_none_or(|x| x.marks != Fit::Contradicts));
        }
        let score_of = |f: &Found| {
            let features = f.features.as_ref();
            let expect = if f.seg.is_some_and(|i| has_governing_proclitic(&segs[i]))
                || matches!(&f.what, FoundIn::Analyzed(_, info) if info.proclitic)
            {
                Expect::Anything
            } else {
                expect
            };
            features.map_or(0, |x| rank::score(x, expect, &self.weights))
        };
        found.sort_by_cached_key(|f| (std::cmp::Reverse(score_of(f)), f.rank, f.order));
        let mut seen_ids: HashSet<(usize, u32)> = HashSet::new();
        let mut seen_text: HashSet<(String, String, String)> = HashSet::new();
        for f in found {
            if out.entries.len() >= self.max_entries {
                break;
            }
            let cached = f.definition;
            let (source, headword, definition) = match f.what {
                FoundIn::Ready(mut e) | FoundIn::Analyzed(mut e, _) => {
                    if e.analysis.is_none()
                        && let Some(i) = f.seg
                        && !segs[i].is_bare()
                    {
                        e.analysis = Some(segs[i].describe(&short_gloss(&e.definition)));
                    }
                    if seen_text.insert((
                        e.source.clone(),
                        e.headword.clone(),
                        e.definition.clone(),
                    )) {
                        out.entries.push(e);
                    }
                    continue;
                }
                FoundIn::Personal(h) => {
                    if !seen_ids.insert((0, h.id)) {
                        continue;
                    }
                    let p = self
                        .personal
                        .as_ref()
                        .map(|p| p.read().unwrap_or_else(|e| e.into_inner()));
                    let def = p.as_ref().map(|p| p.definition(h.id));
                    ("personal".to_string(), h.headword, def)
                }
                FoundIn::Builtin(h) => {
                    if !seen_ids.insert((1, h.id)) {
                        continue;
                    }
                    let lex = self.builtin.as_ref();
                    (
                        super::lexicon::BUILTIN_NAME.to_string(),
                        h.headword,
                        lex.map(|l| l.definition(h.id)),
                    )
                }
                FoundIn::Dict(d, h) => {
                    if !seen_ids.insert((3 + d, h.id)) {
                        continue;
                    }
                    let dict = &self.dicts[d];
                    let definition = cached.unwrap_or_else(|| dict.definition(h.id));
                    (dict.name().to_string(), h.headword, Some(definition))
                }
            };
            let definition = match definition {
                Some(Ok(d)) => d,
                Some(Err(w)) => {
                    out.warnings.push(w);
                    continue;
                }
                None => continue,
            };
            let analysis = f
                .seg
                .filter(|&i| !segs[i].is_bare())
                .map(|i| segs[i].describe(&short_gloss(&definition)));
            if !seen_text.insert((source.clone(), headword.clone(), definition.clone())) {
                continue;
            }
            // Several entries of one source under one headword: one entry, senses joined.
            if let Some(e) = out
                .entries
                .iter_mut()
                .find(|e| e.source == source && e.headword == headword)
            {
                e.definition.push('\n');
                e.definition.push_str(&definition);
                continue;
            }
            out.entries.push(Entry {
                headword,
                source,
                definition,
                analysis,
                kind: f.kind,
                cost: f.cost,
            });
        }
        out
    }
}

const ARTICLE_COST: u32 = 6;

impl Glossary {
    /// The ranking features of one candidate. Reads the definition of a dictionary hit
    /// (names are told by their glosses) and keeps it in `f`.
    fn features(&self, f: &mut Found, segs: &[Segmentation], marked: bool) -> Features {
        let seg = f.seg.map(|i| &segs[i]);
        let base = Features {
            source: SourceKind::Dictionary,
            whole_form: f.kind != MatchKind::Analysed,
            headword_form: true,
            cost: f.cost,
            common_lemma: false,
            name: false,
            pos: ANY,
            marks: Fit::Unknown,
            dialect_fits: false,
        };
        match &f.what {
            FoundIn::Personal(_) => Features {
                source: SourceKind::Personal,
                ..base
            },
            FoundIn::Ready(_) => base,
            FoundIn::Analyzed(_, info) => Features {
                source: SourceKind::Buckwalter,
                headword_form: info.stem_is_lemma,
                common_lemma: self.is_common(&info.lemma, info.pos),
                name: info.name,
                pos: info.pos,
                marks: info.fit,
                ..base
            },
            FoundIn::Builtin(h) => {
                let lemma = self.builtin.as_ref().and_then(|l| l.lemma(h.id));
                let lemma = lemma.as_ref();
                // A verb's headword is its perfect: an imperfect stem (a person prefix
                // before it) that happens to be spelled like it is not the dictionary form.
                let headword_form = match (lemma, seg) {
                    (Some(l), Some(s)) => {
                        normalize(&l.lemma) == s.stem
                            && !(l.mask & !VERB == 0 && s.form == FormKind::Imperfect)
                    }
                    _ => true,
                };
                let marks = match (lemma, seg) {
                    (Some(l), Some(s)) if marked => {
                        // The lexicon vocalises a verb in its perfect (an imperfect stem
                        // has other vowels) and only its dictionary form; other stems are
                        // still checked for what their part of speech rules out (tanwin).
                        let kind = if l.mask & !VERB == 0 {
                            if s.form == FormKind::Imperfect {
                                FormKind::Imperfect
                            } else {
                                FormKind::Perfect
                            }
                        } else if l.mask & (NOUN | ADJ | NUM | PROPN) != 0 {
                            FormKind::Nominal
                        } else {
                            FormKind::Other
                        };
                        let form = if headword_form && kind != FormKind::Imperfect {
                            letters(&l.vocalized)
                        } else {
                            Vec::new()
                        };
                        fit(&s.stem_letters, &form, kind)
                    }
                    _ => Fit::Unknown,
                };
                Features {
                    source: SourceKind::Builtin,
                    headword_form,
                    common_lemma: true,
                    dialect_fits: seg.is_some_and(|s| s.colloquial)
                        && lemma.is_some_and(|l| l.is_dialect()),
                    pos: lemma.map_or(ANY, |l| l.mask),
                    marks,
                    ..base
                }
            }
            FoundIn::Dict(d, h) => {
                let definition = self.dicts[*d].definition(h.id);
                let (mut name, mut marks) = (false, Fit::Unknown);
                if let Ok(text) = &definition {
                    let parsed = super::entry::parse_definition(text);
                    name = is_name_entry(&h.headword, &parsed.senses);
                    if marked && let (Some(vocalized), Some(s)) = (&parsed.written, seg) {
                        marks = fit(&s.stem_letters, &letters(vocalized), FormKind::Other);
                    }
                }
                f.definition = Some(definition);
                Features {
                    name,
                    marks,
                    ..base
                }
            }
        }
    }

    /// True when the built-in lexicon (chosen by frequency) has this lemma: its letters,
    /// a part of speech of the same kind (verb or not), and no vowel that contradicts.
    fn is_common(&self, lemma: &str, pos: PosMask) -> bool {
        let Some(lex) = &self.builtin else {
            return false;
        };
        let key = normalize(lemma);
        let written = letters(lemma);
        lex.lemmas_of(&key).any(|l| {
            let same_kind = pos == ANY || (l.mask & VERB != 0) == (pos & VERB != 0);
            same_kind && fit(&written, &letters(&l.vocalized), FormKind::Other) != Fit::Contradicts
        })
    }
}

/// What the ranking needs of a Buckwalter analysis.
fn bw_info(
    sol: &super::buckwalter::Solution,
    written: &[super::marks::Letter],
    marked: bool,
) -> BwInfo {
    let tag = sol.stem_tag.as_str();
    let pos = if tag.contains("VERB") {
        VERB
    } else if tag == "NOUN_PROP" {
        PROPN
    } else if tag.starts_with("NOUN") {
        NOUN
    } else if tag.starts_with("ADJ") {
        ADJ
    } else if tag == "PREP" {
        PREP
    } else if tag.starts_with("PRON") || tag.contains("PRON") {
        PRON
    } else if tag.starts_with("NUM") {
        NUM
    } else {
        ANY
    };
    let fit = if marked {
        fit(
            written,
            &letters(&sol.vocalized),
            super::buckwalter::form_of(tag),
        )
    } else {
        Fit::Unknown
    };
    BwInfo {
        pos,
        name: tag == "NOUN_PROP",
        proclitic: sol
            .prefix_tags
            .iter()
            .any(|t| t != "DET" && !t.starts_with("IV")),
        stem_is_lemma: sol.stem_is_lemma,
        lemma: sol.lemma.clone(),
        fit,
    }
}

/// True when a split has a conjunction, a preposition or a verb particle in front: the
/// word before then says nothing about the stem.
fn has_governing_proclitic(s: &Segmentation) -> bool {
    s.prefixes
        .iter()
        .any(|(_, g)| !matches!(*g, "the" | "he/they" | "she/you" | "we" | "I"))
}

/// True when a dictionary entry reads as a transliterated name: its first sense, and at
/// least half of all its senses, spell the headword in Latin letters (كانت "Kant").
fn is_name_entry(headword: &str, senses: &[String]) -> bool {
    let parts: Vec<&str> = senses
        .iter()
        .flat_map(|s| s.split([',', ';']))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let Some(first) = parts.first() else {
        return false;
    };
    let named = parts
        .iter()
        .filter(|p| rank::transliterates(headword, p))
        .count();
    rank::transliterates(headword, first) && named * 2 >= parts.len()
}

fn is_article_only(s: &Segmentation) -> bool {
    s.suffixes.is_empty() && s.prefixes.len() == 1 && s.prefixes[0].1 == "the"
}

/// Keys for a phrase: as written, then with the clitics of its first word removed (and
/// the article kept, since multi-word headwords usually carry it).
fn phrase_keys(phrase: &str) -> Vec<(String, Option<usize>, u32)> {
    let norm = normalize(phrase);
    let mut keys = vec![(norm.clone(), None, 0)];
    let Some((first, rest)) = norm.split_once(' ') else {
        return keys;
    };
    for s in segment(first) {
        if !s.suffixes.is_empty() || s.prefixes.is_empty() {
            continue;
        }
        let had_article = s.prefixes.iter().any(|(_, g)| *g == "the");
        let stem = if had_article {
            format!("ال{}", s.stem)
        } else {
            s.stem.clone()
        };
        let key = format!("{stem} {rest}");
        if !keys.iter().any(|(k, _, _)| *k == key) {
            keys.push((key, None, s.cost));
        }
    }
    keys
}

/// The first sense of a definition, for the analysis line.
/// A pronunciation (`فعّال /fʕʕˈaːl/`) is never a sense.
pub fn short_gloss(definition: &str) -> String {
    let parsed = super::entry::parse_definition(definition);
    let line = parsed.senses.first().map_or("", String::as_str);
    let sense = line.split([';', ',']).next().unwrap_or("").trim();
    // "(do) again" keeps its words; "book (noun)" loses the parenthesis.
    let sense = match sense.find('(') {
        Some(i) if i > 0 => sense[..i].trim(),
        _ => sense,
    };
    let mut s: String = sense.chars().take(40).collect();
    if sense.chars().count() > 40 {
        s.push('…');
    }
    if s.is_empty() { "…".to_string() } else { s }
}

/// Opens one dictionary file by its extension.
fn open_file(
    path: &Path,
    cache: Option<&Path>,
    warnings: &mut Vec<Warning>,
) -> Option<(Box<dyn Dictionary>, SourceInfo)> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let info = |name: &str, entries: usize, from_cache: bool| SourceInfo {
        name: name.to_string(),
        path: Some(path.to_path_buf()),
        entries,
        from_cache,
    };
    if let Some(problem) = access::file_problem(path) {
        warnings.push(Warning::new(path.display().to_string(), None, problem));
        return None;
    }
    if name.ends_with(".index") {
        let d = DictdDictionary::open(path, cache, warnings)?;
        let i = info(d.name(), d.len(), d.from_cache);
        Some((Box::new(d), i))
    } else if name.ends_with(".dict.dz") || name.ends_with(".dict") {
        let base = name.trim_end_matches(".dz").trim_end_matches(".dict");
        let index = path.with_file_name(format!("{base}.index"));
        let ifo = path.with_file_name(format!("{base}.ifo"));
        if index.is_file() {
            open_file(&index, cache, warnings)
        } else if ifo.is_file() {
            open_file(&ifo, cache, warnings)
        } else {
            warnings.push(Warning::new(
                path.display().to_string(),
                None,
                "no .index or .ifo next to this file",
            ));
            None
        }
    } else if name.ends_with(".ifo") {
        let d = StarDict::open(path, cache, warnings)?;
        let i = info(d.name(), d.len(), d.from_cache);
        Some((Box::new(d), i))
    } else if name.ends_with(".tsv") || name.ends_with(".txt") {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let d = TsvGlossary::open(&stem, path, warnings);
        let i = info(&stem, d.len(), false);
        Some((Box::new(d), i))
    } else {
        warnings.push(Warning::new(
            path.display().to_string(),
            None,
            "unknown dictionary format (expected .index, .dict.dz, .ifo or .tsv)",
        ));
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glossary_can_be_shared_between_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Glossary>();
    }

    #[test]
    fn config_from_toml_with_defaults() {
        let c: GlossaryConfig = toml::from_str(
            "buckwalter_dir = \"/opt/bama\"\ndicts = [\"/x/y.index\"]\ndict_servers = [\"dict://localhost/fd\"]\n",
        )
        .unwrap();
        assert_eq!(c.buckwalter_dir, Some(PathBuf::from("/opt/bama")));
        assert!(c.builtin && c.system_dicts && c.personal);
        assert_eq!(c.read_timeout_ms, 2000);
        assert!(toml::from_str::<GlossaryConfig>("no_such_key = 1").is_err());
    }

    #[test]
    fn phrases_and_short_glosses() {
        let keys = phrase_keys("بالولايات المتحدة");
        assert!(
            keys.iter().any(|(k, _, _)| k == "الولايات المتحده"),
            "{keys:?}"
        );
        assert_eq!(short_gloss("1. Exited\n2. Outside"), "Exited");
        assert_eq!(short_gloss("(do) again;re-(do)"), "(do) again");
        assert_eq!(short_gloss("book (noun) كتاب"), "book");
        assert_eq!(short_gloss("مجنّد /mdʒnnd/\nConscripted"), "Conscripted");
    }

    #[test]
    fn builtin_lookup_ranks_and_explains() {
        let config = GlossaryConfig {
            system_dicts: false,
            personal: false,
            no_cache: true,
            ..GlossaryConfig::default()
        };
        let (g, w) = Glossary::open(&config);
        assert!(w.is_empty(), "{w:?}");
        let e = g.lookup("والخارجية");
        assert_eq!(e[0].headword, "خارجية");
        assert_eq!(e[0].kind, MatchKind::Analysed);
        assert!(e.windows(2).all(|p| p[0].kind <= p[1].kind));
        assert!(g.lookup("").is_empty());
        assert!(g.lookup("  \u{064E} ").is_empty());
        assert!(g.lookup("hello").is_empty());
    }
}
