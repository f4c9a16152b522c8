//! cargo-fuzz target: see qari::glossary::fuzz_entry::dict_reply.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| qari::glossary::fuzz_entry::dict_reply(data));
