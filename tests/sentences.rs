//! Sentence splitting for translation (src/layout/sentence.rs): named cases at the
//! edges, and properties that hold for any text.

use proptest::prelude::*;
use rstest::rstest;

use qari::layout::sentence::{sentence_at, sentences};

fn split(text: &str) -> Vec<&str> {
    sentences(text).into_iter().map(|r| &text[r]).collect()
}

#[rstest]
#[case::arabic_question_mark("أين الكتاب؟ هنا.", &["أين الكتاب؟", "هنا."])]
#[case::arabic_semicolon("قرأ؛ ثم نام", &["قرأ؛", "ثم نام"])]
#[case::ellipsis_character("انتظر… ثم تكلّم", &["انتظر…", "ثم تكلّم"])]
#[case::three_dots("انتظر... ثم تكلّم", &["انتظر...", "ثم تكلّم"])]
#[case::interrobang_run("حقًا؟! نعم", &["حقًا؟!", "نعم"])]
#[case::decimal_point("بلغ 3.5 مليون.", &["بلغ 3.5 مليون."])]
#[case::arabic_decimal_separator("بلغ ٣٫٥ مليون.", &["بلغ ٣٫٥ مليون."])]
#[case::date_with_slashes("في 22/6/2026 صدر.", &["في 22/6/2026 صدر."])]
#[case::dotted_date("في 22.6.2026 صدر.", &["في 22.6.2026 صدر."])]
#[case::number_at_sentence_end("سنة 2026. ثم", &["سنة 2026.", "ثم"])]
#[case::doctor_before_a_name("التقى د. محمد بالطلاب.", &["التقى د. محمد بالطلاب."])]
#[case::page("انظر ص. ١٢ من الكتاب.", &["انظر ص. ١٢ من الكتاب."])]
#[case::hijri_with_tatweel("سنة ١٤٤٦ هـ. وبعدها", &["سنة ١٤٤٦ هـ. وبعدها"])]
#[case::latin_title("Dr. Ali spoke. Then", &["Dr. Ali spoke.", "Then"])]
#[case::latin_initials("زار U.S. Navy الميناء.", &["زار U.S. Navy الميناء."])]
#[case::latin_name_initials("كتب J. K. Rowling روايات.", &["كتب J. K. Rowling روايات."])]
#[case::domain_name("زر example.com اليوم. ثم", &["زر example.com اليوم.", "ثم"])]
#[case::guillemets_close("قال «نعم.» ثم مضى", &["قال «نعم.»", "ثم مضى"])]
#[case::bracket_closes("(هذا مثال.) وذاك", &["(هذا مثال.)", "وذاك"])]
#[case::quote_opens_next(r#"انتهى. "ثم" قال"#, &["انتهى.", r#""ثم" قال"#])]
#[case::line_end_without_stop("عنوان\nنص.", &["عنوان", "نص."])]
#[case::crlf("سطر\r\nآخر", &["سطر", "آخر"])]
#[case::only_stops("...", &["..."])]
#[case::leading_space("   نص.   ", &["نص."])]
fn cases(#[case] text: &str, #[case] expected: &[&str]) {
    assert_eq!(split(text), expected);
}

/// A word that is no abbreviation: two letters or more, Arabic or Latin, or digits. The
/// tatweel (U+0640) is no letter: "هـ." with it is the Hijri-year abbreviation.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[\u{0628}-\u{063A}\u{0641}-\u{064A}]{2,6}",
        // Not a Latin abbreviation written in lower case (pp. cf. vs. vol.).
        "[a-z]{2,6}".prop_filter("an abbreviation", |w| {
            !["pp", "cf", "vs", "vol"].contains(&w.as_str())
        }),
        "[0-9]{1,4}(\\.[0-9]{1,2})?",
    ]
}

fn sentence_text() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 1..6).prop_map(|words| words.join(" "))
}

proptest! {
    #[test]
    fn ranges_are_ordered_trimmed_and_cover_every_visible_character_once(text in "\\PC{0,80}|[ .؟!؛…\n\"«»()a-zد3]{0,40}") {
        let ranges = sentences(&text);
        let mut previous_end = 0;
        for range in &ranges {
            prop_assert!(range.start >= previous_end && range.start < range.end);
            prop_assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
            let sentence = &text[range.clone()];
            prop_assert_eq!(sentence.trim(), sentence);
            prop_assert!(!sentence.contains('\n'));
            previous_end = range.end;
        }
        for (i, c) in text.char_indices() {
            let inside = ranges.iter().filter(|r| r.contains(&i)).count();
            // White space between sentences belongs to none, inside one to that one.
            prop_assert!(inside <= 1);
            if !c.is_whitespace() {
                prop_assert_eq!(inside, 1, "{:?} at {}", c, i);
            }
            let at = sentence_at(&text, i);
            prop_assert_eq!(at.is_some(), inside == 1);
        }
    }

    #[test]
    fn sentences_joined_by_stops_split_back(parts in prop::collection::vec(sentence_text(), 1..6), stop in prop::sample::select(vec![".", "؟", "!", "؛", "…", "?", "..."])) {
        let text: String = parts.iter().map(|p| format!("{p}{stop} ")).collect();
        let expected: Vec<String> = parts.iter().map(|p| format!("{p}{stop}")).collect();
        prop_assert_eq!(split(&text), expected);
    }

    #[test]
    fn numbers_and_abbreviations_never_split(before in sentence_text(), after in sentence_text(), inner in prop::sample::select(vec!["3.5", "٣٫٥", "22/6/2026", "د.", "م.", "ص.", "Dr.", "U.S.", "ق.م.", "J."])) {
        let text = format!("{before} {inner} {after}.");
        prop_assert_eq!(split(&text), vec![text.as_str()]);
    }
}
