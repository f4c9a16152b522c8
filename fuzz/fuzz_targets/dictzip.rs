//! cargo-fuzz target: see qari::glossary::fuzz_entry::dictzip.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| qari::glossary::fuzz_entry::dictzip(data));
