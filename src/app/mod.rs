//! The reader's state and its one entry point for change: `update(&mut App, Action)`.
//! No terminal I/O happens here.

pub mod action;

pub use action::Action;
