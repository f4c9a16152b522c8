//! Says, in every plain `cargo test` run, which external reference data is missing and
//! so which conformance tests skipped without checking anything, with the command that
//! installs each. This target has no test harness: what it prints is not captured.
//! With `QARI_REQUIRE_EXTERNAL=1` (CI) missing data makes it fail.

mod common;

use common::{EXTERNAL_DATA, external_required};

fn main() {
    // `cargo test -- --list` and filters are for harnessed targets; say nothing then.
    if std::env::args().skip(1).any(|a| a == "--list") {
        return;
    }
    check_the_list_is_complete();
    let missing: Vec<_> = EXTERNAL_DATA.iter().filter(|d| !d.present()).collect();
    if missing.is_empty() {
        println!("external test data: all {} present", EXTERNAL_DATA.len());
        return;
    }
    println!();
    println!(
        "SKIPPED: {} of {} kinds of external test data are missing; the tests that need \
         them passed without checking anything:",
        missing.len(),
        EXTERNAL_DATA.len()
    );
    for data in &missing {
        println!("  - {} (tests: {})", data.what, data.used_by);
        println!("      install: {}", data.install);
    }
    println!("  (README.md, \"Test data\", has every command; `.ci/run` installs them all.)");
    println!();
    if external_required() {
        eprintln!("QARI_REQUIRE_EXTERNAL=1 but external test data is missing");
        std::process::exit(1);
    }
}

/// Every test file that reads external data is named in [`EXTERNAL_DATA`], so that the
/// list above cannot forget a test that skips.
fn check_the_list_is_complete() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let Ok(files) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut forgotten = Vec::new();
    for file in files.flatten() {
        let path = file.path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_none_or(|e| e != "rs") || stem == "external_data" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let reads_external = [
            "common::external_file",
            "common::external_program",
            "common::seed_article",
        ]
        .iter()
        .any(|call| text.contains(call));
        let listed = EXTERNAL_DATA
            .iter()
            .any(|d| d.used_by.split(", ").any(|name| name == stem));
        if reads_external && !listed {
            forgotten.push(stem.to_owned());
        }
    }
    if !forgotten.is_empty() {
        eprintln!(
            "tests/common/mod.rs: EXTERNAL_DATA does not name {} (add each to the used_by of \
             the data it reads)",
            forgotten.join(", ")
        );
        std::process::exit(1);
    }
}
