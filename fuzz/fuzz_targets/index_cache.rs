//! cargo-fuzz target: see qari::glossary::fuzz_entry::index_cache.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| qari::glossary::fuzz_entry::index_cache(data));
