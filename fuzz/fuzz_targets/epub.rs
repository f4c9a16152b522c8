//! cargo-fuzz target: see qari::document::epub::fuzz.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| qari::document::epub::fuzz(data));
