//! cargo-fuzz target: see qari::document::html::fuzz.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| qari::document::html::fuzz(data));
