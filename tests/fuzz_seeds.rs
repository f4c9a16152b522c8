//! Runs every fuzz target of `qari::glossary::fuzz_entry` and `qari::document::fuzz_entry`
//! over its seed corpus in
//! `fuzz/corpus/<target>/` and over thousands of mutations of it, in the test (debug)
//! build, so that an arithmetic overflow panics here as it would under cargo-fuzz.
//! `QARI_FUZZ_ITERATIONS` sets the number of mutations per target (default 2000). A
//! failing input is written to `target/fuzz-failures/` for replay with
//! `cargo run --example fuzz -- --replay FILE TARGET`.

#[path = "../fuzz/mutate.rs"]
mod mutate;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// Every target: the glossary's readers and the document loaders.
fn targets() -> impl Iterator<Item = &'static (&'static str, fn(&[u8]))> {
    qari::glossary::fuzz_entry::TARGETS
        .iter()
        .chain(qari::document::fuzz_entry::TARGETS)
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus")
}

fn iterations() -> usize {
    std::env::var("QARI_FUZZ_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

/// Runs `entry` on `input`; on a panic, saves the input and fails with its path.
fn run_one(name: &str, entry: fn(&[u8]), input: &[u8], label: &str) {
    if catch_unwind(AssertUnwindSafe(|| entry(input))).is_err() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-failures");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}-{label}"));
        std::fs::write(&path, input).unwrap();
        panic!(
            "fuzz target {name} panicked on {label}; the input is in {}",
            path.display()
        );
    }
}

fn fuzz(name: &str) {
    let (_, entry) = targets()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no fuzz target {name}"));
    let seeds = mutate::seeds(&corpus(), name);
    assert!(!seeds.is_empty(), "fuzz/corpus/{name} has no seeds");
    for (i, seed) in seeds.iter().enumerate() {
        run_one(name, *entry, seed, &format!("seed-{i}"));
    }
    let mut rng = mutate::Rng::new(name.len() as u64 * 7919 + 17);
    let mut input = seeds[0].clone();
    for i in 0..iterations() {
        // Mostly mutate a seed; now and then keep mutating the last input, so that
        // several edits pile up.
        if rng.below(4) != 0 {
            input = seeds[rng.below(seeds.len())].clone();
        }
        let other = &seeds[rng.below(seeds.len())];
        input = mutate::mutate(&mut rng, &input, other);
        run_one(name, *entry, &input, &format!("mutation-{i}"));
    }
}

#[test]
fn every_target_has_a_test_and_a_cargo_fuzz_target() {
    let names: Vec<&str> = targets().map(|(n, _)| *n).collect();
    for name in &names {
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/fuzz_targets")
            .join(format!("{name}.rs"));
        assert!(file.is_file(), "{} is missing", file.display());
    }
    let tested = [
        "dictd_index",
        "dictzip",
        "stardict",
        "index_cache",
        "personal_glossary",
        "dict_reply",
        "plain_text",
        "markdown",
        "html",
        "epub",
    ];
    for name in names {
        assert!(
            tested.contains(&name),
            "fuzz target {name} needs a test in tests/fuzz_seeds.rs"
        );
    }
}

#[test]
fn fuzz_dictd_index() {
    fuzz("dictd_index");
}

#[test]
fn fuzz_dictzip() {
    fuzz("dictzip");
}

#[test]
fn fuzz_stardict() {
    fuzz("stardict");
}

#[test]
fn fuzz_index_cache() {
    fuzz("index_cache");
}

#[test]
fn fuzz_personal_glossary() {
    fuzz("personal_glossary");
}

#[test]
fn fuzz_dict_reply() {
    fuzz("dict_reply");
}

#[test]
fn fuzz_plain_text() {
    fuzz("plain_text");
}

#[test]
fn fuzz_markdown() {
    fuzz("markdown");
}

#[test]
fn fuzz_html() {
    fuzz("html");
}

#[test]
fn fuzz_epub() {
    fuzz("epub");
}
