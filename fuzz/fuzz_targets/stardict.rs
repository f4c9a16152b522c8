//! cargo-fuzz target: see qari::glossary::fuzz_entry::stardict.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| qari::glossary::fuzz_entry::stardict(data));
