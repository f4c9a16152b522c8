//! The glossary measured on texts nobody tuned it to (issue 10), on two sets of original writing:
//! - "own": tests/fixtures/eval/ (eight genres and colloquial posts), which grew up together with
//!   the lexicon over several sessions;
//! - "fresh": tests/fixtures/eval-fresh/ (a vocalised children's story, a health leaflet, a
//!   municipal notice, a phone review, a travel blog, a history passage, a literary passage),
//!   written and labelled before qari looked up any of its words, with a selection rule that
//!   skips function words (see the header of its labelled-tune.tsv).
//!
//! For each set-up (built-in only; built-in + FreeDict, the default on Debian; and with the
//! Buckwalter lexicon) it prints, per text and in total for each set:
//! - coverage: the share of Arabic word tokens with at least one entry;
//! - precision: the share of labelled words whose FIRST entry carries the meaning a reader
//!   needs in that sentence, for the tuning part and the held-out part separately;
//!
//! and the same on the seed article (its coverage, and its own labelled set under the same
//! matching rule). The assertions are floors just below the figures measured when they were
//! written: a guard against regressions, not the goals of the issue. Run with
//! `cargo test --release --test glossary_eval -- --nocapture` to see the tables;
//! `QARI_EVAL_MISSES=1` also lists the misses of the tuning parts (never of the held-out parts).

mod common;

use std::path::{Path, PathBuf};

use common::glossary::{base_config, buckwalter_dir, freedict};
use qari::glossary::normalize::arabic_words;
use qari::glossary::{Glossary, GlossaryConfig};

/// One evaluation set: a directory of texts (`<text>.txt`) with labelled-tune.tsv and
/// labelled-heldout.tsv, and the least it must hold.
struct EvalSet {
    name: &'static str,
    dir: &'static str,
    texts: &'static [&'static str],
    min_tokens: usize,
    min_labelled: usize,
}

/// The texts written with the lexicon, one per genre. `dialect` is colloquial posts and
/// comments (Egyptian, Levantine, Gulf, Maghrebi, Iraqi).
const OWN: EvalSet = EvalSet {
    name: "own",
    dir: "tests/fixtures/eval",
    texts: &[
        "news", "opinion", "science", "sermon", "cooking", "sport", "economy", "blog", "dialect",
    ],
    min_tokens: 3000,
    min_labelled: 400,
};

/// The fresh texts, labelled before any lookup (issue 10's own check, repeated).
const FRESH: EvalSet = EvalSet {
    name: "fresh",
    dir: "tests/fixtures/eval-fresh",
    texts: &[
        "children", "health", "notice", "tech", "travel", "history", "literary",
    ],
    min_tokens: 1800,
    min_labelled: 250,
};

impl EvalSet {
    fn dir(&self) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(self.dir)
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// One labelled word: where it stands, as written, and the keywords that count as right.
struct Case {
    genre: String,
    word: String,
    /// The word before it in its sentence, as the reader passes it.
    previous: Option<String>,
    expected: Vec<String>,
}

/// A token as written, and the word before it in its sentence.
type Token = (String, Option<String>);
/// A genre's name and its tokens.
type Text = (String, Vec<Token>);

/// The texts of a set, tokenised.
fn texts(set: &EvalSet) -> Vec<Text> {
    set.texts
        .iter()
        .map(|g| {
            let text = read(&set.dir().join(format!("{g}.txt")));
            (g.to_string(), tokens_with_previous(&text))
        })
        .collect()
}

/// A text's Arabic words, each with the word before it when only spaces separate them (a
/// full stop, a comma or a line break ends the context).
fn tokens_with_previous(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut last_end: Option<(usize, String)> = None;
    for w in arabic_words(text) {
        let start = w.as_ptr() as usize - text.as_ptr() as usize;
        let previous = last_end.as_ref().and_then(|(end, prev)| {
            text[*end..start]
                .chars()
                .all(|c| c == ' ')
                .then(|| prev.clone())
        });
        out.push((w.to_owned(), previous));
        last_end = Some((start + w.len(), w.to_owned()));
    }
    out
}

/// Reads a labelled file (`place word expected context`) and checks every case against the
/// texts: the place names a text and a token number, and that token is the word.
fn labelled(set: &EvalSet, file: &str, texts: &[Text]) -> Vec<Case> {
    let path = set.dir().join(file);
    let mut cases = Vec::new();
    for (n, line) in read(&path).lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 4, "{file} line {}: need 4 columns", n + 1);
        let (genre, index) = cols[0]
            .split_once(':')
            .unwrap_or_else(|| panic!("{file} line {}: place is not TEXT:N", n + 1));
        let index: usize = index
            .parse()
            .unwrap_or_else(|_| panic!("{file} line {}: bad token number", n + 1));
        let tokens = &texts
            .iter()
            .find(|(g, _)| g == genre)
            .unwrap_or_else(|| panic!("{file} line {}: no text {genre}", n + 1))
            .1;
        assert_eq!(
            tokens.get(index).map(|(w, _)| w.as_str()),
            Some(cols[1]),
            "{file} line {}: token {index} of {genre}.txt is not {}",
            n + 1,
            cols[1]
        );
        let expected: Vec<String> = cols[2].split('|').map(str::to_owned).collect();
        assert!(
            (1..=4).contains(&expected.len())
                && expected
                    .iter()
                    .all(|k| !k.is_empty() && k == &k.to_lowercase()),
            "{file} line {}: need 1-4 lowercase keywords",
            n + 1
        );
        cases.push(Case {
            genre: genre.to_owned(),
            word: cols[1].to_owned(),
            previous: tokens[index].1.clone(),
            expected,
        });
    }
    cases
}

/// True when `keyword` occurs in `definition` (lower-cased) at the start of a word.
fn matches_at_word_start(definition: &str, keyword: &str) -> bool {
    definition.match_indices(keyword).any(|(at, _)| {
        definition[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    })
}

fn first_entry_right(
    glossary: &Glossary,
    word: &str,
    previous: Option<&str>,
    expected: &[String],
) -> (bool, String) {
    let entries = glossary.lookup_in_context(word, previous).entries;
    let Some(first) = entries.first() else {
        return (false, "nothing".into());
    };
    let definition = first.definition.to_lowercase();
    let right = expected
        .iter()
        .any(|k| matches_at_word_start(&definition, k));
    let shown = format!(
        "{} [{}] {}",
        first.headword,
        first.source,
        first.definition.replace('\n', " / ")
    );
    (right, shown)
}

/// A share as a percentage with one decimal, and the counts behind it.
fn pct(n: usize, of: usize) -> String {
    if of == 0 {
        return "—".into();
    }
    format!("{:.1}% ({n}/{of})", 100.0 * n as f64 / of as f64)
}

/// The figures of one evaluation set under one set-up.
struct Figures {
    coverage: f64,
    tune: f64,
    held_out: f64,
}

/// The figures of one set-up on both sets, and the seed article's coverage.
struct SetupFigures {
    own: Figures,
    fresh: Figures,
    seed_coverage: Option<f64>,
}

/// Measures one set-up on both sets and the seed article, and prints its tables.
fn evaluate(label: &str, config: &GlossaryConfig) -> SetupFigures {
    let (glossary, warnings) = Glossary::open(config);
    assert!(warnings.is_empty(), "{warnings:?}");
    println!("\n== {label} ==");
    let own = evaluate_set(&OWN, &glossary);
    let fresh = evaluate_set(&FRESH, &glossary);
    let seed_coverage = seed_figures(&glossary);
    SetupFigures {
        own,
        fresh,
        seed_coverage,
    }
}

/// Measures one set with one glossary and prints its table.
fn evaluate_set(set: &EvalSet, glossary: &Glossary) -> Figures {
    let texts = texts(set);
    let tune = labelled(set, "labelled-tune.tsv", &texts);
    let held = labelled(set, "labelled-heldout.tsv", &texts);
    let show_misses = std::env::var("QARI_EVAL_MISSES").is_ok_and(|v| v == "1");

    println!("-- {} set ({}) --", set.name, set.dir);
    println!(
        "{:<9} {:>20} {:>22} {:>22}",
        "text", "tokens with an entry", "first right (tuning)", "first right (held-out)"
    );
    let (mut all_found, mut all_tokens) = (0, 0);
    let (mut all_tune, mut all_held) = ((0, 0), (0, 0));
    let mut misses = Vec::new();
    for (genre, tokens) in &texts {
        let found = tokens
            .iter()
            .filter(|(w, _)| !glossary.lookup(w).is_empty())
            .count();
        let score = |cases: &[Case], misses: Option<&mut Vec<String>>| {
            let mut right = 0;
            let mut total = 0;
            let mut local = Vec::new();
            for case in cases.iter().filter(|c| &c.genre == genre) {
                total += 1;
                let (ok, got) = first_entry_right(
                    glossary,
                    &case.word,
                    case.previous.as_deref(),
                    &case.expected,
                );
                if ok {
                    right += 1;
                } else {
                    local.push(format!(
                        "  {genre} {}: expected {}; got {got}",
                        case.word,
                        case.expected.join("|")
                    ));
                }
            }
            if let Some(m) = misses {
                m.extend(local);
            }
            (right, total)
        };
        let t = score(&tune, Some(&mut misses));
        let h = score(&held, None);
        println!(
            "{:<9} {:>20} {:>22} {:>22}",
            genre,
            pct(found, tokens.len()),
            pct(t.0, t.1),
            pct(h.0, h.1)
        );
        all_found += found;
        all_tokens += tokens.len();
        all_tune = (all_tune.0 + t.0, all_tune.1 + t.1);
        all_held = (all_held.0 + h.0, all_held.1 + h.1);
    }
    println!(
        "{:<9} {:>20} {:>22} {:>22}",
        "total",
        pct(all_found, all_tokens),
        pct(all_tune.0, all_tune.1),
        pct(all_held.0, all_held.1)
    );
    if show_misses {
        println!("misses of the tuning part of the {} set:", set.name);
        for m in &misses {
            println!("{m}");
        }
    }
    assert!(
        all_tokens >= set.min_tokens,
        "the {} texts have only {all_tokens} tokens",
        set.name
    );
    assert!(
        all_tune.1 + all_held.1 >= set.min_labelled,
        "only {} labelled words in the {} set",
        all_tune.1 + all_held.1,
        set.name
    );
    Figures {
        coverage: all_found as f64 / all_tokens as f64,
        tune: all_tune.0 as f64 / all_tune.1 as f64,
        held_out: all_held.0 as f64 / all_held.1 as f64,
    }
}

/// Coverage of the seed article, and its labelled set under this file's matching rule.
fn seed_figures(glossary: &Glossary) -> Option<f64> {
    let article = common::seed_article()?;
    let words: Vec<&str> = arabic_words(&article).collect();
    let found = words
        .iter()
        .filter(|w| !glossary.lookup(w).is_empty())
        .count();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/glossary/labelled.tsv");
    let (mut right, mut total) = (0, 0);
    for line in read(&path).lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let expected: Vec<String> = cols[1].split('|').map(str::to_owned).collect();
        total += 1;
        if first_entry_right(glossary, cols[0], None, &expected).0 {
            right += 1;
        }
    }
    println!(
        "{:<9} {:>20} {:>22}",
        "seed",
        pct(found, words.len()),
        pct(right, total)
    );
    Some(found as f64 / words.len() as f64)
}

fn at_least(what: &str, got: f64, floor: f64) {
    assert!(
        got >= floor,
        "{what}: {:.1}% is below the floor of {:.1}%",
        got * 100.0,
        floor * 100.0
    );
}

impl Figures {
    /// Asserts the floors (coverage, tuning precision, held-out precision) of a set-up.
    fn at_least(&self, setup: &str, floors: [f64; 3]) {
        at_least(&format!("coverage, {setup}"), self.coverage, floors[0]);
        at_least(&format!("tuning precision, {setup}"), self.tune, floors[1]);
        at_least(
            &format!("held-out precision, {setup}"),
            self.held_out,
            floors[2],
        );
    }
}

impl SetupFigures {
    /// Asserts the floors of a set-up on both sets.
    fn at_least(&self, setup: &str, own: [f64; 3], fresh: [f64; 3]) {
        self.own.at_least(&format!("{setup}, own set"), own);
        self.fresh.at_least(&format!("{setup}, fresh set"), fresh);
    }
}

#[test]
fn builtin_only() {
    let f = evaluate("built-in only", &base_config());
    f.at_least("built-in", FLOORS_BUILTIN, FRESH_FLOORS_BUILTIN);
    if let Some(seed) = f.seed_coverage {
        at_least("seed coverage, built-in", seed, 0.85);
    }
}

#[test]
fn builtin_and_freedict() {
    let Some(index) = freedict() else { return };
    let config = GlossaryConfig {
        dicts: vec![index],
        ..base_config()
    };
    evaluate("built-in + FreeDict (the default)", &config).at_least(
        "default",
        FLOORS_DEFAULT,
        FRESH_FLOORS_DEFAULT,
    );
}

#[test]
fn with_buckwalter() {
    let Some(dir) = buckwalter_dir() else { return };
    let Some(index) = freedict() else { return };
    let config = GlossaryConfig {
        dicts: vec![index],
        buckwalter_dir: Some(dir),
        ..base_config()
    };
    evaluate("built-in + FreeDict + Buckwalter", &config).at_least(
        "Buckwalter",
        FLOORS_BUCKWALTER,
        FRESH_FLOORS_BUCKWALTER,
    );
}

/// Floors of the own set (coverage, tuning precision, held-out precision), a little below
/// the figures measured when they were set; raise them as the glossary improves.
/// Measured on 2026-11-27 after the analyzer's fresh-set mechanisms (branch glossary-gaps):
/// built-in 97.3%, 94.1%, 92.5%; default 98.5%, 95.2%, 92.5%; Buckwalter 99.5%, 96.3%, 92.5%.
const FLOORS_BUILTIN: [f64; 3] = [0.95, 0.91, 0.89];
const FLOORS_DEFAULT: [f64; 3] = [0.97, 0.92, 0.89];
const FLOORS_BUCKWALTER: [f64; 3] = [0.99, 0.93, 0.89];

/// Floors of the fresh set, a little below its figures. Its first run ("fresh, before",
/// main's code): built-in 96.9%, 89.0%, 90.6%; default 98.5%, 90.3%, 91.3%; Buckwalter
/// 99.6%, 90.9%, 92.6%. After the mechanisms: built-in 97.0%, 90.3%, 90.6%; default 98.6%,
/// 91.6%, 91.3%; Buckwalter 99.6%, 92.2%, 92.6%.
const FRESH_FLOORS_BUILTIN: [f64; 3] = [0.95, 0.87, 0.88];
const FRESH_FLOORS_DEFAULT: [f64; 3] = [0.97, 0.89, 0.88];
const FRESH_FLOORS_BUCKWALTER: [f64; 3] = [0.99, 0.90, 0.89];

/// The function words the fresh set's selection rule skips (the header of
/// tests/fixtures/eval-fresh/labelled-tune.tsv), as `normalize` writes them.
const FRESH_SKIPPED: &str = "في من الي علي عن مع حتي منذ مذ عند لدي بين ب ل ك \
    و ف ثم او ام بل لكن ان لان كي لكي حيث اذ اذا لو لولا كما \
    لا لم لن ما قد لقد سوف هل يا الا ليس نعم اي \
    انا نحن انت انتم انتما انتن هو هي هم هما هن \
    هذا هذه هذان هاتان هؤلاء ذلك تلك اولئك هنا هناك \
    الذي التي الذين اللذان اللتان اللواتي اللاتي اللائي";

/// The fresh set's labelled places are exactly those its selection rule picks, split
/// between tuning and held-out by alternation: nobody chose the words after a lookup.
#[test]
fn fresh_labels_follow_the_selection_rule() {
    use qari::glossary::normalize::normalize;
    let skipped: std::collections::HashSet<&str> = FRESH_SKIPPED.split_whitespace().collect();
    let is_function_word = |w: &str| {
        let key = normalize(w);
        skipped.contains(key.as_str())
            || key
                .strip_prefix(['و', 'ف'])
                .is_some_and(|rest| !rest.is_empty() && skipped.contains(rest))
    };
    let texts = texts(&FRESH);
    let (mut want_tune, mut want_held) = (Vec::new(), Vec::new());
    for (name, tokens) in &texts {
        let content = tokens
            .iter()
            .enumerate()
            .filter(|(_, (w, _))| !is_function_word(w));
        let picked = content
            .enumerate()
            .filter(|(c, _)| c % 5 == 2)
            .map(|(_, (i, _))| format!("{name}:{i}"));
        for (k, place) in picked.enumerate() {
            if k % 2 == 0 {
                want_tune.push(place);
            } else {
                want_held.push(place);
            }
        }
    }
    let places = |file: &str| -> Vec<String> {
        read(&FRESH.dir().join(file))
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| l.split('\t').next().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(places("labelled-tune.tsv"), want_tune);
    assert_eq!(places("labelled-heldout.tsv"), want_held);
}

#[test]
fn word_start_matching() {
    assert!(matches_at_word_start("the organization", "organi"));
    assert!(matches_at_word_start("in, into", "in"));
    assert!(!matches_at_word_start("within", "in"));
    assert!(!matches_at_word_start("", "in"));
}

/// Tunes the ranking weights on the tuning parts of both sets only (never a held-out part,
/// never the seed article) by coordinate descent, and prints the best weights found; copy them into
/// `qari::glossary::rank::WEIGHTS` by hand. Run with
/// `cargo test --release --test glossary_eval tune_weights -- --ignored --nocapture`.
#[test]
#[ignore]
fn tune_weights() {
    use qari::glossary::rank::{WEIGHTS, Weights};
    let mut tune = labelled(&OWN, "labelled-tune.tsv", &texts(&OWN));
    tune.extend(labelled(&FRESH, "labelled-tune.tsv", &texts(&FRESH)));
    let mut configs = vec![base_config()];
    if let Some(index) = freedict() {
        configs.push(GlossaryConfig {
            dicts: vec![index.clone()],
            ..base_config()
        });
        if let Some(dir) = buckwalter_dir() {
            configs.push(GlossaryConfig {
                dicts: vec![index],
                buckwalter_dir: Some(dir),
                ..base_config()
            });
        }
    }
    let mut glossaries: Vec<Glossary> = configs.iter().map(|c| Glossary::open(c).0).collect();
    let mut right = |w: Weights| -> usize {
        let mut n = 0;
        for g in &mut glossaries {
            g.set_weights(w);
            n += tune
                .iter()
                .filter(|c| first_entry_right(g, &c.word, c.previous.as_deref(), &c.expected).0)
                .count();
        }
        n
    };
    type Field = fn(&mut Weights) -> &mut i32;
    let fields: [(&str, Field, i32); 13] = [
        ("builtin", |w| &mut w.builtin, 10),
        ("buckwalter", |w| &mut w.buckwalter, 10),
        ("dictionary", |w| &mut w.dictionary, 10),
        ("whole_form", |w| &mut w.whole_form, 10),
        ("headword_form", |w| &mut w.headword_form, 10),
        ("per_cost", |w| &mut w.per_cost, 1),
        ("common_lemma", |w| &mut w.common_lemma, 10),
        ("name", |w| &mut w.name, 20),
        ("pos_fits", |w| &mut w.pos_fits, 10),
        ("pos_clashes", |w| &mut w.pos_clashes, 10),
        ("marks_agree", |w| &mut w.marks_agree, 10),
        ("marks_contradict", |w| &mut w.marks_contradict, 50),
        ("dialect_fits", |w| &mut w.dialect_fits, 20),
    ];
    let mut best = WEIGHTS;
    let mut best_right = right(best);
    println!(
        "start: {best_right} right of {}",
        tune.len() * configs.len()
    );
    for round in 0..3 {
        let mut improved = false;
        for (name, field, step) in &fields {
            for k in [-3, -2, -1, 1, 2, 3] {
                let mut w = best;
                *field(&mut w) += k * step;
                let r = right(w);
                if r > best_right {
                    println!("round {round}: {name} {:+} -> {r}", k * step);
                    (best, best_right, improved) = (w, r, true);
                }
            }
        }
        if !improved {
            break;
        }
    }
    println!("best: {best_right} right\n{best:#?}");
}
