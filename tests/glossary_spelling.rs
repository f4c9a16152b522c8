//! The spelling the text gives is used before it is relaxed (issue 10, mechanism 1): ة and
//! ه, أ and إ share a matching key, but a word written with one finds headwords written with
//! the other only when nothing spelled as written exists.

mod common;

use common::glossary::{base_config, buckwalter_dir};
use qari::glossary::{Glossary, GlossaryConfig};

fn first(glossary: &Glossary, word: &str) -> String {
    glossary
        .lookup(word)
        .first()
        .map(|e| format!("{} {}", e.headword, e.definition))
        .unwrap_or_default()
}

#[test]
fn ta_marbuta_as_written_beats_ha() {
    let (g, warnings) = Glossary::open(&base_config());
    assert!(warnings.is_empty(), "{warnings:?}");
    for word in ["الكرة", "لكرة", "كرة"] {
        let got = first(&g, word);
        assert!(got.contains("ball"), "{word}: {got}");
    }
    // Written with ه, كره is still "hatred".
    assert!(first(&g, "كره").contains("hatred"), "{}", first(&g, "كره"));
}

#[test]
fn final_ha_is_not_read_as_ta_marbuta_when_the_word_has_an_analysis() {
    let (g, _) = Glossary::open(&base_config());
    for word in ["إليه", "اليه"] {
        let got = first(&g, word);
        assert!(!got.contains("mechanism"), "{word}: {got}");
    }
    // آلية as written is still the mechanism.
    assert!(first(&g, "آلية").contains("mechanism"));
}

#[test]
fn loose_spelling_is_found_when_nothing_else_is() {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let path = tmp.path().join("words.tsv");
    std::fs::write(&path, "قهوة\tcoffee\t\nمدرسه\ta misspelt school\t\n").expect("write");
    let config = GlossaryConfig {
        builtin: false,
        dicts: vec![path],
        ..base_config()
    };
    let (g, warnings) = Glossary::open(&config);
    assert!(warnings.is_empty(), "{warnings:?}");
    // Written with ه (a common loose spelling), the word still finds its ة headword.
    assert!(
        first(&g, "قهوه").contains("coffee"),
        "{}",
        first(&g, "قهوه")
    );
    // And the other way round.
    assert!(
        first(&g, "مدرسة").contains("school"),
        "{}",
        first(&g, "مدرسة")
    );
}

#[test]
fn buckwalter_keeps_the_written_ta_marbuta() {
    let Some(dir) = buckwalter_dir() else { return };
    let config = GlossaryConfig {
        builtin: false,
        buckwalter_dir: Some(dir),
        ..base_config()
    };
    let (g, warnings) = Glossary::open(&config);
    assert!(warnings.is_empty(), "{warnings:?}");
    for word in ["لكرة", "الكرة"] {
        let entries = g.lookup(word);
        assert!(!entries.is_empty(), "{word}: nothing");
        assert!(
            entries.iter().all(|e| !e.definition.contains("hatred")),
            "{word}: {:?}",
            entries.iter().map(|e| &e.definition).collect::<Vec<_>>()
        );
    }
}

#[test]
fn a_written_hamza_seat_beats_the_other_one() {
    let (g, _) = Glossary::open(&base_config());
    for word in ["أما", "أَمَّا"] {
        let entries = g.lookup(word);
        assert!(
            entries.first().is_none_or(|e| e.headword != "إما"),
            "{word}: {}",
            first(&g, word)
        );
    }
    assert_ne!(
        g.lookup("إن").first().map(|e| e.headword.as_str()),
        Some("أن")
    );
    // A bare alef is the loose spelling of both: it still finds them.
    assert!(!g.lookup("اما").is_empty());
}
