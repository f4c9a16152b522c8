//! qari: a terminal reader for Arabic articles.
//!
//! The crate is a library with a thin binary on top. Data flows one way:
//! `document` (bytes to paragraphs) feeds `layout` (the pure text engine),
//! whose visual lines the UI and the `cli` commands print.
#![forbid(unsafe_code)]

pub mod app;
pub mod bounded_read;
pub mod cli;
pub mod config;
pub mod document;
pub mod error_words;
pub mod fsread;
pub mod glossary;
pub mod keymap;
pub mod layout;
pub mod paths;
pub mod run;
pub mod state;
pub mod store;
pub mod tasks;
pub mod terminal;
pub mod translate;
pub mod ui;
