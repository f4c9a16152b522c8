//! cargo-fuzz target: see qari::document::fuzz_entry::markdown.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| qari::document::fuzz_entry::markdown(data));
