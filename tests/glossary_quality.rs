//! Quality bars of the glossary on the seed article: coverage (share of Arabic word tokens
//! with at least one entry) for each set of sources, and the labelled test set (the first
//! entry must carry the meaning a reader expects). The figures are printed; run with
//! `--nocapture` to see them.

mod common;

use std::path::PathBuf;

use common::glossary::{base_config, buckwalter_dir, freedict};
use qari::glossary::normalize::arabic_words;
use qari::glossary::{Glossary, GlossaryConfig};

/// Share of the seed article's Arabic word tokens that get at least one entry; prints the
/// figure and the words that got none.
fn coverage(label: &str, config: &GlossaryConfig) -> Option<f64> {
    let article = common::seed_article()?;
    let (glossary, warnings) = Glossary::open(config);
    assert!(warnings.is_empty(), "{warnings:?}");
    let words: Vec<&str> = arabic_words(&article).collect();
    let missed: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| glossary.lookup(w).is_empty())
        .collect();
    let share = 1.0 - missed.len() as f64 / words.len() as f64;
    println!(
        "coverage {label}: {:.1}% of {} Arabic word tokens ({} without an entry)",
        share * 100.0,
        words.len(),
        missed.len()
    );
    println!("  without an entry: {}", missed.join(" "));
    Some(share)
}

#[test]
fn coverage_with_builtin_data_alone() {
    if let Some(share) = coverage("built-in", &base_config()) {
        assert!(
            share >= 0.85,
            "built-in coverage {:.1}% is below 85%",
            share * 100.0
        );
    }
}

#[test]
fn coverage_with_freedict() {
    let Some(index) = freedict() else { return };
    let config = GlossaryConfig {
        dicts: vec![index],
        ..base_config()
    };
    if let Some(share) = coverage("built-in + FreeDict", &config) {
        assert!(
            share >= 0.90,
            "coverage with FreeDict {:.1}% is below 90%",
            share * 100.0
        );
    }
}

#[test]
fn coverage_with_buckwalter() {
    let Some(dir) = buckwalter_dir() else { return };
    let Some(index) = freedict() else { return };
    let config = GlossaryConfig {
        dicts: vec![index],
        buckwalter_dir: Some(dir.clone()),
        ..base_config()
    };
    if let Some(share) = coverage("built-in + FreeDict + Buckwalter", &config) {
        assert!(
            share >= 0.97,
            "coverage with Buckwalter {:.1}% is below 97%",
            share * 100.0
        );
    }
    let alone = GlossaryConfig {
        builtin: false,
        buckwalter_dir: Some(dir),
        ..base_config()
    };
    coverage("Buckwalter alone (for comparison)", &alone);
}

#[test]
fn labelled_first_entry_with_builtin_and_freedict() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/glossary/labelled.tsv");
    let Some(path) = common::external_file(path, "the labelled set written in main") else {
        return;
    };
    let Some(index) = freedict() else { return };
    let text = std::fs::read_to_string(path).expect("labelled.tsv is UTF-8");
    let config = GlossaryConfig {
        dicts: vec![index],
        ..base_config()
    };
    let (glossary, warnings) = Glossary::open(&config);
    assert!(warnings.is_empty(), "{warnings:?}");
    let mut total = 0;
    let mut right = 0;
    let mut wrong = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(cols.len() >= 2, "labelled.tsv: bad line {line:?}");
        let (word, expected) = (cols[0], cols[1]);
        total += 1;
        let entries = glossary.lookup(word);
        let first = entries
            .first()
            .map(|e| e.definition.to_lowercase())
            .unwrap_or_default();
        if expected
            .split('|')
            .any(|k| !k.is_empty() && first.contains(&k.to_lowercase()))
        {
            right += 1;
        } else {
            let got = entries
                .first()
                .map(|e| {
                    format!(
                        "{} [{}] {}",
                        e.headword,
                        e.source,
                        e.definition.replace('\n', " / ")
                    )
                })
                .unwrap_or_else(|| "nothing".into());
            wrong.push(format!("  {word}: expected {expected}; got {got}"));
        }
    }
    let share = right as f64 / total as f64;
    println!(
        "labelled set, built-in + FreeDict: first entry right for {right} of {total} words ({:.1}%)",
        share * 100.0
    );
    for w in &wrong {
        println!("{w}");
    }
    assert!(total >= 200, "the labelled set has only {total} words");
    assert!(
        share >= 0.90,
        "first entry right for only {:.1}%",
        share * 100.0
    );
}
