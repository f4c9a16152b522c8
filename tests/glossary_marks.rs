//! Harakat and shadda as evidence (issue 10, mechanism 2): in vocalised text the marks say
//! which word it is. The sentences are written for this test.

mod common;

use common::glossary::{base_config, buckwalter_dir};
use qari::glossary::{Glossary, GlossaryConfig};

/// The first entry's definition for `word` read after `previous`, lower-cased.
fn first(glossary: &Glossary, word: &str, previous: Option<&str>) -> String {
    let found = glossary.lookup_in_context(word, previous);
    let entry = found
        .entries
        .first()
        .unwrap_or_else(|| panic!("{word}: no entry"));
    format!("{} {}", entry.headword, entry.definition).to_lowercase()
}

/// (sentence, the word in it, the word before it, a keyword its first entry must hold)
const VOCALISED: &[(&str, &str, Option<&str>, &str)] = &[
    ("عَلِمَ الطِّفْلُ أَنَّ الْبَحْرَ بَعِيدٌ", "عَلِمَ", None, "know"),
    ("عَلَّمَ الْأَبُ ابْنَهُ السِّبَاحَةَ", "عَلَّمَ", None, "teach"),
    ("طَلَبُ الْعِلْمِ فَرِيضَةٌ", "الْعِلْمِ", Some("طَلَبُ"), "knowledge"),
    ("كُتِبَ الدَّرْسُ عَلَى السَّبُّورَةِ", "كُتِبَ", None, "write"),
    ("دَرَّسَ الْمُعَلِّمُ الْحِسَابَ", "دَرَّسَ", None, "teach"),
    ("دَرَسَ أَخِي الطِّبَّ فِي الْقَاهِرَةِ", "دَرَسَ", None, "study"),
    ("كَانَ جَارًا طَيِّبًا", "جَارًا", Some("كَانَ"), "neighbo"),
];

#[test]
fn marks_choose_between_readings_with_buckwalter() {
    let Some(dir) = buckwalter_dir() else { return };
    let config = GlossaryConfig {
        buckwalter_dir: Some(dir),
        ..base_config()
    };
    let (glossary, warnings) = Glossary::open(&config);
    assert!(warnings.is_empty(), "{warnings:?}");
    let mut wrong = Vec::new();
    for (sentence, word, previous, keyword) in VOCALISED {
        assert!(sentence.contains(word));
        let got = first(&glossary, word, *previous);
        if !got.contains(keyword) {
            wrong.push(format!(
                "{word} in «{sentence}»: expected {keyword}, got {got}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn marks_choose_between_readings_in_the_builtin_lexicon() {
    let (glossary, warnings) = Glossary::open(&base_config());
    assert!(warnings.is_empty(), "{warnings:?}");
    // The same letters, علم: a verb with a kasra on the lam, a noun with tanwin.
    assert!(first(&glossary, "عَلِمَ", None).contains("to know"));
    let noun = first(&glossary, "عِلْمٌ", None);
    assert!(noun.contains("knowledge"), "{noun}");
    // Tanwin is never on a verb: the verb reading of عِلْمٌ is gone altogether.
    let all = glossary.lookup("عِلْمٌ");
    assert!(
        all.iter().all(|e| !e.definition.contains("(verb")),
        "{all:#?}"
    );
    // When every reading is contradicted (a fatha where في has a kasra, a slip of the
    // pen), none is ruled out.
    assert_eq!(glossary.lookup("فِي")[0].headword, "في");
    assert_eq!(glossary.lookup("فَي"), glossary.lookup("في"));
}
