//! The files of the built-in lexicon, embedded in the binary. build.rs includes this file
//! too, to check them and index them at compile time (see [`super::lexicon_index`]), and
//! `data/check_lexicon.py` reads the list from here. Adding a file is one line.
//!
//! All have the same six columns (the dialect words a seventh); later files add lemmas.

/// Each file's name (for messages) and text.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    ("data/lexicon.tsv", include_str!("../../data/lexicon.tsv")),
    (
        "data/lexicon-common.tsv",
        include_str!("../../data/lexicon-common.tsv"),
    ),
    (
        "data/lexicon-common-2.tsv",
        include_str!("../../data/lexicon-common-2.tsv"),
    ),
    (
        "data/lexicon-common-3.tsv",
        include_str!("../../data/lexicon-common-3.tsv"),
    ),
    (
        "data/lexicon-common-4.tsv",
        include_str!("../../data/lexicon-common-4.tsv"),
    ),
    ("data/names.tsv", include_str!("../../data/names.tsv")),
    ("data/dialect.tsv", include_str!("../../data/dialect.tsv")),
];
