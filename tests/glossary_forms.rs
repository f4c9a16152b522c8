//! Word forms the analyzer must see through (issue 10, the mechanisms that failed on fresh
//! text): duals of nouns in ة, the pronoun ي on particles, the feminine endings of the
//! imperfect and the imperative, ك that takes no pronoun, the article that takes no adverb,
//! dialect pronoun suffixes, ى written ا before a pronoun, and a written hamza that tells
//! ى from ي and a stem from another. Built-in lexicon only, so nothing external is needed.
//! The sentences are written for this test. Two tests guard against what the stem spelling
//! check first broke (لأمي, بكرة); the rest failed before the analyzer learnt these forms.

mod common;

use common::glossary::base_config;
use qari::glossary::Glossary;

/// The first entry for `word` read after `previous`: its headword and definition,
/// lower-cased, or "nothing".
fn first(glossary: &Glossary, word: &str, previous: Option<&str>) -> String {
    let found = glossary.lookup_in_context(word, previous);
    found.entries.first().map_or("nothing".into(), |e| {
        format!("{} {}", e.headword, e.definition).to_lowercase()
    })
}

/// Checks each (sentence, word, word before, keywords of the first entry, separated by
/// '|') and lists every miss at once.
fn check(cases: &[(&str, &str, Option<&str>, &str)]) {
    let (glossary, warnings) = Glossary::open(&base_config());
    assert!(warnings.is_empty(), "{warnings:?}");
    let mut wrong = Vec::new();
    for (sentence, word, previous, keyword) in cases {
        assert!(sentence.contains(word), "{word} is not in «{sentence}»");
        let got = first(&glossary, word, *previous);
        if !keyword.split('|').any(|k| got.contains(k)) {
            wrong.push(format!(
                "{word} in «{sentence}»: expected {keyword}, got {got}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn duals_of_nouns_in_ta_marbuta() {
    check(&[
        ("انتظرنا ساعتين في المحطة", "ساعتين", None, "hour"),
        ("وقفت سيارتان أمام الباب", "سيارتان", None, "car"),
        ("زار الوفد جامعتين في الشمال", "جامعتين", None, "universit"),
        ("قضينا رحلتينا في الجبال", "رحلتينا", None, "trip"),
    ]);
}

#[test]
fn the_pronoun_ya_on_particles() {
    check(&[
        ("لكني لم أفهم السؤال", "لكني", None, "but"),
        ("إني أحب القراءة كثيرا", "إني", None, "indeed"),
        ("أخبرته أني سأتأخر قليلا", "أني", Some("أخبرته"), "that"),
    ]);
}

#[test]
fn feminine_imperfect_and_imperative() {
    check(&[
        ("هل تريدين أن تكوني طبيبة؟", "تكوني", Some("أن"), "to be"),
        ("لا تذهبي وحدك في الليل", "تذهبي", Some("لا"), "to go"),
        ("اكتبي اسمك في أعلى الصفحة", "اكتبي", None, "to write"),
        ("تعلمي السباحة يا ابنتي", "تعلمي", None, "to learn"),
    ]);
}

#[test]
fn kaf_takes_no_pronoun() {
    check(&[
        ("كنا نلعب في الحديقة كل مساء", "كنا", None, "to be"),
        ("كنت في البيت حين اتصلت", "كنت", None, "to be"),
    ]);
}

#[test]
fn the_article_takes_no_adverb() {
    check(&[(
        "زرنا المكتبة العامة والحديقة الخاصة",
        "الخاصة",
        Some("والحديقة"),
        "private",
    )]);
}

#[test]
fn dialect_pronoun_suffixes() {
    check(&[
        ("شفتو امبارح بالسوق", "شفتو", None, "to see|saw"),
        ("كتابو ضاع بالمدرسة", "كتابو", None, "book"),
        ("شفتكو من بعيد", "شفتكو", None, "to see|saw"),
    ]);
}

#[test]
fn alef_maqsura_written_alef_before_a_pronoun() {
    check(&[
        ("هذا الكلام معناه واضح", "معناه", Some("الكلام"), "meaning"),
        ("لن تنساك أمك أبدا", "تنساك", Some("لن"), "forget"),
        ("كان الولد يخشاها كثيرا", "يخشاها", Some("الولد"), "fear"),
    ]);
}

#[test]
fn a_written_hamza_is_not_a_plain_alef() {
    // لأمي is لِ + أمّ + ي "to my mother": the text wrote أ, so not the verb لام "to blame".
    check(&[
        ("اشتريت هدية لأمي", "لأمي", Some("هدية"), "mother"),
        ("قرأت السؤال مرتين", "قرأت", None, "read"),
    ]);
}

#[test]
fn dialect_spelling_is_loose() {
    // Dialect words have no fixed spelling: بكرة and بكره are one word.
    check(&[("بكرة بنروح عالبحر", "بكرة", None, "tomorrow")]);
}

#[test]
fn a_written_hamza_decides_the_stem() {
    let (glossary, _) = Glossary::open(&base_config());
    // إني is إنّ + ي, never the آن of الآن "now": the text wrote إ, not آ.
    let got = first(&glossary, "إني", None);
    assert!(!got.contains("now"), "إني: {got}");
}
