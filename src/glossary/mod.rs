//! Glossary lookup: from an inflected word in running text to the dictionary entries a
//! reader wants, best first.
//!
//! Sources: the reader's personal glossary, the built-in core lexicon, dictd and StarDict
//! files (found in the system directories or given with `--dict`), DICT servers, and the
//! Buckwalter analyzer with its lexicon. Every query goes through [`normalize`] and the
//! segmentation of [`analyze`]; `lookup` ranks and merges what the sources find.
//!
//! Use from the reader: open once with [`Glossary::open`] (off the UI thread: it reads
//! files), keep it in an `Arc`, and call [`Glossary::lookup`] from any thread.

pub mod access;
pub mod analyze;
pub mod buckwalter;
pub mod builtin;
pub mod builtin_files;
pub mod config;
pub mod entry;
pub mod fuzz_entry;
pub mod index_cache;
pub mod install;
pub mod lexicon;
pub mod lexicon_index;
pub mod lexicon_line;
pub mod lookup;
pub mod marks;
pub mod normalize;
pub mod rank;
pub mod source;
pub mod sources;

pub use config::GlossaryConfig;
pub use entry::{Entry, MatchKind, Warning};
pub use lookup::{Glossary, Lookup, SourceInfo};
