//! Helpers shared by the integration tests: where the external reference data lives,
//! and how a test skips (or, in CI, fails) when that data is missing.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// True when CI asked for every external file to be present (`QARI_REQUIRE_EXTERNAL=1`).
pub fn external_required() -> bool {
    std::env::var("QARI_REQUIRE_EXTERNAL").is_ok_and(|v| v == "1")
}

/// Returns `path` when it exists. Otherwise prints why the calling test is skipped and
/// returns `None`, or panics when `QARI_REQUIRE_EXTERNAL=1` (a missing file is then a failure).
pub fn external_file(path: impl AsRef<Path>, provided_by: &str) -> Option<PathBuf> {
    let path = path.as_ref();
    if path.exists() {
        return Some(path.to_path_buf());
    }
    let reason = format!(
        "{} is missing (it comes from {provided_by})",
        path.display()
    );
    if external_required() {
        panic!("QARI_REQUIRE_EXTERNAL=1 but {reason}");
    }
    println!("skipped: {reason}");
    None
}

/// Returns the path of an external program when it is on PATH, with the same skip rules.
pub fn external_program(name: &str, provided_by: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    });
    match found {
        Some(path) => Some(path),
        None => {
            let reason =
                format!("the program {name} is not installed (it comes from {provided_by})");
            if external_required() {
                panic!("QARI_REQUIRE_EXTERNAL=1 but {reason}");
            }
            println!("skipped: {reason}");
            None
        }
    }
}

/// `../shared/` next to the checkout: the reference corpus and tools.
pub fn shared_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// The seed article, when `../shared/corpus/` is present.
pub fn seed_article() -> Option<String> {
    let path = external_file(
        shared_dir().join("corpus/seed-article.txt"),
        "../shared/corpus",
    )?;
    Some(std::fs::read_to_string(path).expect("the seed article is UTF-8"))
}
