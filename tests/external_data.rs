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
