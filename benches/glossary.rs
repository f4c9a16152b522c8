//! One warm lookup, as the reader does it for the word under the cursor: the seed article's
//! words in turn, with the built-in data, FreeDict (when installed) and the Buckwalter
//! lexicon (when QARI_BUCKWALTER_DIR is set). Goal: under 1 ms per lookup.

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use qari::glossary::normalize::arabic_words;
use qari::glossary::{Glossary, GlossaryConfig};

fn words() -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/seed-article.txt");
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|_| "والخارجية الأميركية بالانسحاب وَأَعَدَّتِ".into());
    arabic_words(&text).map(str::to_string).collect()
}

fn bench(c: &mut Criterion) {
    let words = words();
    let cache = std::env::temp_dir().join("qari-bench-cache");
    let mut config = GlossaryConfig {
        system_dicts: false,
        personal: false,
        cache_dir: Some(cache),
        ..GlossaryConfig::default()
    };
    let mut label = String::from("builtin");
    let freedict = PathBuf::from("/usr/share/dictd/freedict-ara-eng.index");
    if freedict.exists() {
        config.dicts.push(freedict);
        label.push_str("+freedict");
    }
    if let Some(dir) = std::env::var_os("QARI_BUCKWALTER_DIR") {
        config.buckwalter_dir = Some(dir.into());
        label.push_str("+buckwalter");
    }
    let (glossary, warnings) = Glossary::open(&config);
    assert!(warnings.is_empty(), "{warnings:?}");
    let mut i = 0;
    c.bench_function(&format!("lookup one word ({label})"), |b| {
        b.iter(|| {
            i = (i + 1) % words.len();
            std::hint::black_box(glossary.lookup(&words[i]))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
