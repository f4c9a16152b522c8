//! Checks the built-in lexicon's TSV files and writes their index (see
//! src/glossary/lexicon_index.rs), which the binary embeds: a malformed line is a build
//! error naming its file and line, and start-up does not parse the lexicon. The parser,
//! the normalisation and the index format are the library's own files, included here.

#[path = "src/glossary/builtin_files.rs"]
mod builtin_files;
// The readers of the index and of a lemma's line are the library's.
#[path = "src/layout/haraka.rs"]
mod haraka;
#[allow(dead_code)]
#[path = "src/glossary/lexicon_index.rs"]
mod lexicon_index;
#[allow(dead_code)]
#[path = "src/glossary/lexicon_line.rs"]
mod lexicon_line;
#[allow(dead_code)]
#[path = "src/glossary/normalize.rs"]
mod normalize;

/// What normalize.rs uses of the text engine.
mod layout {
    pub mod shape {
        pub use crate::haraka::is_haraka;
    }
}

fn main() {
    for file in [
        "build.rs",
        "src/glossary/builtin_files.rs",
        "src/glossary/lexicon_index.rs",
        "src/glossary/lexicon_line.rs",
        "src/glossary/normalize.rs",
        "src/layout/haraka.rs",
    ] {
        println!("cargo::rerun-if-changed={file}");
    }
    for (name, _) in builtin_files::BUILTIN_FILES {
        println!("cargo::rerun-if-changed={name}");
    }
    let index = match lexicon_index::build(builtin_files::BUILTIN_FILES) {
        Ok(index) => index,
        Err(e) => {
            eprintln!("error in the built-in lexicon: {e}\nfix the line, then build again");
            std::process::exit(1);
        }
    };
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("builtin-lexicon.idx");
    if let Err(e) = std::fs::write(&out, index) {
        eprintln!("cannot write {}: {e}", out.display());
        std::process::exit(1);
    }
}
