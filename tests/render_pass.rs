//! The fused render pass (`qari::layout::render_pass`, what `qari render` runs) prints
//! byte for byte what the full engine prints (`prepare(..).write_lines(..)`), on every
//! paragraph it accepts, with every option `qari render` has and at every width,
//! including no wrapping and padding to the widest column:
//!
//! - the seed article and our fixtures (tricky lines, vocalised lines);
//! - every text of BidiCharacterTest.txt (Debian's unicode-data);
//! - random mixes of Arabic, Persian, Latin, digits, brackets, quotes, harakat, Lam-Alef,
//!   tatweel, joiners, marks, wide characters, line separators and long words, and the
//!   same mixed with controls, tabs and bidi embeddings (which the pass must decline);
//! - long paragraphs, and named edge cases.
//!
//! Paragraphs the pass declines must leave the output untouched; paragraphs it is meant
//! for (no controls, tabs or explicit embeddings) must be accepted.

mod common;

use proptest::prelude::*;
use qari::layout::render_pass::try_write_paragraph;
use qari::layout::{BaseDirection, Harakat, LayoutOptions, paragraph_ranges, prepare};

const WIDTHS: &[Option<u16>] = &[
    None,
    Some(1),
    Some(2),
    Some(3),
    Some(5),
    Some(8),
    Some(13),
    Some(21),
    Some(40),
    Some(80),
    Some(100),
];

/// Every combination of the options `qari render` has (`--base`, `--no-shape`,
/// `--harakat`).
fn every_option() -> Vec<LayoutOptions> {
    let mut out = Vec::new();
    for shaping in [true, false] {
        for harakat in [Harakat::Keep, Harakat::Strip] {
            for base in [BaseDirection::Auto, BaseDirection::Rtl, BaseDirection::Ltr] {
                out.push(LayoutOptions {
                    base,
                    shaping,
                    harakat,
                    ..LayoutOptions::default()
                });
            }
        }
    }
    out
}

/// Runs both; `Ok(true)` when the pass took the paragraph and printed the same,
/// `Ok(false)` when it declined without writing.
fn compare(
    paragraph: &str,
    options: &LayoutOptions,
    width: Option<u16>,
    pad: bool,
) -> Result<bool, String> {
    let mut full = b"before".to_vec();
    prepare(paragraph, options).write_lines(width, pad, &mut full);
    let mut fused = b"before".to_vec();
    if !try_write_paragraph(paragraph, options, width, pad, &mut fused) {
        return if fused == b"before" {
            Ok(false)
        } else {
            Err(format!("declined {paragraph:?} after writing"))
        };
    }
    if fused == full {
        Ok(true)
    } else {
        Err(format!(
            "{paragraph:?} with {options:?}, width {width:?}, pad {pad}:\n full:  {:?}\n fused: {:?}",
            String::from_utf8_lossy(&full[6..]),
            String::from_utf8_lossy(&fused[6..])
        ))
    }
}

/// Compares `paragraph` with every option, width and padding; returns how many runs the
/// pass took.
fn compare_everywhere(paragraph: &str, widths: &[Option<u16>]) -> usize {
    let mut taken = 0;
    for options in every_option() {
        for &width in widths {
            for pad in [true, false] {
                match compare(paragraph, &options, width, pad) {
                    Ok(took) => taken += usize::from(took),
                    Err(message) => panic!("{message}"),
                }
            }
        }
    }
    taken
}

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(path).expect("fixture")
}

#[test]
fn seed_article_every_option_and_width() {
    let Some(article) = common::seed_article() else {
        return;
    };
    let runs = every_option().len() * WIDTHS.len() * 2;
    for range in paragraph_ranges(&article) {
        let paragraph = &article[range];
        assert_eq!(
            compare_everywhere(paragraph, WIDTHS),
            runs,
            "the pass takes every paragraph of the article: {paragraph:?}"
        );
    }
}

#[test]
fn fixtures_every_option_and_width() {
    for name in ["tricky-lines.txt", "vocalised-lines.txt"] {
        let text = fixture(name);
        let mut taken = 0;
        for range in paragraph_ranges(&text) {
            taken += compare_everywhere(&text[range], WIDTHS);
        }
        assert!(taken > 0, "{name}: the pass took some lines");
    }
}

#[test]
fn bidi_character_test_texts() {
    let Some(path) = common::external_file(
        "/usr/share/unicode/BidiCharacterTest.txt",
        "the Debian package unicode-data",
    ) else {
        return;
    };
    let content = std::fs::read_to_string(path).expect("readable");
    let options = every_option();
    let (mut taken, mut total) = (0usize, 0usize);
    for line in content.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let text: String = line
            .split(';')
            .next()
            .unwrap_or("")
            .split_whitespace()
            .filter_map(|hex| u32::from_str_radix(hex, 16).ok().and_then(char::from_u32))
            .collect();
        // One option set per line, in turn, at three widths.
        let option = &options[total % options.len()];
        for width in [None, Some(3), Some(7)] {
            match compare(&text, option, width, total % 2 == 0) {
                Ok(took) => taken += usize::from(took),
                Err(message) => panic!("{message}"),
            }
        }
        total += 1;
    }
    println!("BidiCharacterTest.txt: {total} texts, {taken} runs through the fused pass");
    assert!(total > 90_000, "the file has all its cases ({total})");
    assert!(taken > 50_000, "the pass took many of them ({taken})");
}

#[test]
fn named_edges() {
    let cases = [
        "",
        " ",
        "   ",
        "\u{64E}",
        "\u{64E}\u{650}ب",
        "\u{200D}",
        "\u{200D}\u{200C}\u{FEFF}",
        "لا",
        "بلا",
        "لَا",
        "بلَّا بلا",
        "ل\u{200D}ا",
        "ـبـ",
        "a\u{301}b",
        "中文字符 عربي",
        "😀😀 مرحبا 😀",
        "مرحبا\u{2028}world\u{2028}",
        "(مرحبا) [abc] «نص» {x}",
        "العدد 12.5% و ١٢٫٥ و 1,000",
        "ابن abc (def) ghi",
        "\u{200F}abc",
        "\u{200E}مرحبا",
        "\u{61C}123",
        "a\u{A0}ب\u{A0}1",
        "\u{3000}\u{3000}中",
        "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb ب",
        "ببببببببببببببببببببببببببببببببببببببببببببببببببببب a",
        "http://example.com/path?x=1&y=2 رابط",
        "א ב ג 12 abc",
        "soft\u{AD}hyphen كلمة\u{AD}كلمة",
        "word\u{2060}joiner zero\u{200B}space",
    ];
    let mut taken = 0;
    for case in cases {
        taken += compare_everywhere(case, WIDTHS);
    }
    assert!(taken > 0);
}

#[test]
fn long_paragraphs() {
    let words = [
        "كتب",
        "الطالب",
        "الدرس",
        "(lesson",
        "12)",
        "في",
        "ساعة",
        "واحدة.",
        "لَا",
        "“تويتر”",
        "١٢٣",
        "state-of-the-art",
        "中文",
        "ـــ",
        "بِسْمِ",
    ];
    let mut paragraph = String::new();
    let mut i = 7usize;
    while paragraph.len() < 200_000 {
        i = (i * 31 + 11) % 1009;
        paragraph.push_str(words[i % words.len()]);
        paragraph.push(' ');
    }
    let options = LayoutOptions::default();
    for width in [None, Some(1), Some(7), Some(100), Some(65535)] {
        for pad in [true, false] {
            assert_eq!(
                compare(&paragraph, &options, width, pad),
                Ok(true),
                "width {width:?}"
            );
        }
    }
}

/// Pieces the pass is meant to take.
const PIECES: &[&str] = &[
    "ب",
    "ت",
    "ك",
    "م",
    "ن",
    "ه",
    "ة",
    "ي",
    "ى",
    "و",
    "ر",
    "د",
    "ع",
    "ل",
    "ا",
    "أ",
    "إ",
    "آ",
    "ء",
    "ئ",
    "ؤ",
    "لا",
    "لأ",
    "لَا",
    "لِأُ",
    "لّآ",
    "لْ",
    "پ",
    "چ",
    "گ",
    "ی",
    "ے",
    "a",
    "b",
    "Z",
    "x",
    "0",
    "7",
    "٣",
    "٥",
    "۴",
    "\u{64B}",
    "\u{64E}",
    "\u{650}",
    "\u{651}",
    "\u{652}",
    "\u{670}",
    "\u{301}",
    "\u{640}",
    " ",
    " ",
    " ",
    " ",
    "\u{A0}",
    "\u{3000}",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "«",
    "»",
    "“",
    "”",
    "\"",
    "'",
    ".",
    ",",
    "،",
    "؛",
    "؟",
    "!",
    ":",
    "%",
    "-",
    "+",
    "/",
    "#",
    "$",
    "—",
    "…",
    "\u{200B}",
    "\u{200C}",
    "\u{200D}",
    "\u{200E}",
    "\u{200F}",
    "\u{61C}",
    "\u{AD}",
    "\u{2060}",
    "\u{FEFF}",
    "\u{2028}",
    "中",
    "😀",
    "א",
    "ש",
    "²",
    "بببببببببببببببببببببب",
    "abcdefghijklmnopqrstuvwxyz",
    "12.5%",
    "1,000",
    "٣٫٥",
];

/// Pieces whose line-breaking classes the pass's own break table covers (AL, NU, SP,
/// CM, EX, IS, QU, OP, CP, CL, HY, SY, PO, PR, BA): paragraphs of these alone take
/// that table rather than unicode-linebreak.
#[rustfmt::skip]
const COMMON_BREAK_PIECES: &[&str] = &[
    "ب", "ت", "ك", "م", "ن", "ة", "ي", "و", "ر", "ل", "ا", "أ", "لا", "لَا",
    "a", "b", "Z", "0", "7", "٣", "٥", "\u{64E}", "\u{650}", "\u{651}", "\u{301}",
    " ", " ", " ", " ", "(", ")", "[", "]", "{", "}", "«", "»", "\"", "'",
    ".", ",", "،", "؛", "؟", "!", ":", "%", "٪", "-", "/", "$", "+",
    "\u{2010}", "\u{A0}", "\u{AD}", "بببببببببب", "abcdefghij", "12.5%", "1,000", "٣٫٥",
];

/// Pieces that send a paragraph to the full engine.
const FULL_ENGINE_PIECES: &[&str] = &[
    "\t",
    "\u{1b}[31m",
    "\u{1b}]0;x\u{7}",
    "\u{7}",
    "\0",
    "\u{9b}1m",
    "\u{85}",
    "\u{b}",
    "\u{202A}",
    "\u{202B}",
    "\u{202C}",
    "\u{202D}",
    "\u{202E}",
    "\u{2066}",
    "\u{2067}",
    "\u{2068}",
    "\u{2069}",
    "\u{1f}",
];

fn text(pieces: &'static [&'static str], len: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(pieces), 0..len).prop_map(|v| v.concat())
}

fn mixed_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            6 => prop::sample::select(PIECES),
            1 => prop::sample::select(FULL_ENGINE_PIECES)
        ],
        0..60,
    )
    .prop_map(|v| v.concat())
}

fn options() -> impl Strategy<Value = LayoutOptions> {
    (any::<bool>(), any::<bool>(), 0u8..3).prop_map(|(shaping, strip, base)| LayoutOptions {
        shaping,
        harakat: if strip { Harakat::Strip } else { Harakat::Keep },
        base: match base {
            0 => BaseDirection::Auto,
            1 => BaseDirection::Rtl,
            _ => BaseDirection::Ltr,
        },
        ..LayoutOptions::default()
    })
}

fn width() -> impl Strategy<Value = Option<u16>> {
    prop_oneof![
        1 => Just(None),
        6 => (1u16..24).prop_map(Some),
        1 => Just(Some(80)),
        1 => Just(Some(65535)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn random_text_is_taken_and_printed_alike(
        paragraph in text(PIECES, 80),
        options in options(),
        width in width(),
        pad in any::<bool>(),
    ) {
        let result = compare(&paragraph, &options, width, pad);
        prop_assert_eq!(result, Ok(true));
    }

    #[test]
    fn text_of_common_break_classes_is_taken_and_printed_alike(
        paragraph in text(COMMON_BREAK_PIECES, 80),
        options in options(),
        width in width(),
        pad in any::<bool>(),
    ) {
        let result = compare(&paragraph, &options, width, pad);
        prop_assert_eq!(result, Ok(true));
    }

    #[test]
    fn text_with_controls_and_embeddings_is_printed_alike_or_declined(
        paragraph in mixed_text(),
        options in options(),
        width in width(),
        pad in any::<bool>(),
    ) {
        let result = compare(&paragraph, &options, width, pad);
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }
}
