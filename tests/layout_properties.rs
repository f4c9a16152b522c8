//! Property tests of the text engine on random mixed text: Arabic letters (with the
//! Lam-Alef pairs, also with harakat between them), Persian letters, Latin, ASCII and
//! Arabic-Indic digits, harakat, tatweel, punctuation, brackets, spaces, joiners, bidi
//! controls and escape sequences.

use proptest::prelude::*;
use qari::layout::{Harakat, LayoutOptions, VisualLine, is_hidden, layout_paragraph};
use unicode_normalization::UnicodeNormalization;
use unicode_width::UnicodeWidthChar;

const PIECES: &[&str] = &[
    "ب", "ت", "ك", "م", "ن", "ه", "ة", "ي", "ى", "و", "ر", "د", "ع", "ل", "ا", "أ", "إ", "آ", "لا",
    "لأ", "لَا", "لِأُ", "لّآ", "ء", "ئ", "ؤ", "پ", "چ", "گ", "ی", "ے", "a", "b", "Z", "x", "0", "7", "٣",
    "٥", "\u{64E}", "\u{650}", "\u{651}", "\u{652}", "\u{670}", "\u{640}", " ", " ", " ", "(", ")",
    "[", "]", "«", "»", "“", "”", "\"", ".", ",", "،", "؟", "%", "-", "/", ":", "+", "\u{200C}",
    "\u{200D}", "\u{200F}", "\u{200E}", "\u{2067}", "\u{2069}", "\t",
];
const NASTY: &[&str] = &[
    "\u{1b}[31m",
    "\u{1b}]0;x\u{7}",
    "\u{7}",
    "\0",
    "\u{9b}1m",
    "😀",
];

fn text(pieces: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(pieces), 0..60).prop_map(|v| v.concat())
}

fn nasty_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![4 => prop::sample::select(PIECES), 1 => prop::sample::select(NASTY)],
        0..60,
    )
    .prop_map(|v| v.concat())
}

fn options() -> impl Strategy<Value = LayoutOptions> {
    (any::<bool>(), any::<bool>(), 0u8..3).prop_map(|(shaping, strip, base)| LayoutOptions {
        shaping,
        harakat: if strip { Harakat::Strip } else { Harakat::Keep },
        base: match base {
            0 => qari::layout::BaseDirection::Auto,
            1 => qari::layout::BaseDirection::Rtl,
            _ => qari::layout::BaseDirection::Ltr,
        },
        ..LayoutOptions::default()
    })
}

/// A printed character folded to what it stands for: presentation forms and ligatures
/// to letters, a mirrored bracket to the pair's smaller code point.
fn fold(c: char) -> Vec<char> {
    c.to_string()
        .nfkc()
        .map(|c| match unicode_bidi_mirroring::get_mirrored(c) {
            Some(m) => m.min(c),
            None => c,
        })
        .collect()
}

fn visible_multiset(chars: impl Iterator<Item = char>) -> Vec<char> {
    let mut out: Vec<char> = chars
        .filter(|&c| !c.is_whitespace() && !is_hidden(c))
        .flat_map(fold)
        .collect();
    out.sort_unstable();
    out
}

fn check_source_cover(text: &str, lines: &[VisualLine]) -> Result<(), TestCaseError> {
    let mut ranges: Vec<_> = lines
        .iter()
        .flat_map(|l| l.cells.iter().map(|c| c.source.clone()))
        .collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut at = 0;
    for r in ranges {
        prop_assert_eq!(r.start, at, "cells cover every byte once: {:?}", text);
        at = r.end;
    }
    prop_assert_eq!(at, text.len(), "cells reach the end of {:?}", text);
    Ok(())
}

fn check_widths(lines: &[VisualLine], width: u16) -> Result<(), TestCaseError> {
    for line in lines {
        let columns: usize = line.text.chars().map(|c| c.width().unwrap_or(0)).sum();
        let cell_sum: u16 = line.cells.iter().map(|c| c.width).sum();
        prop_assert!(line.width <= width, "line width {} > {}", line.width, width);
        prop_assert_eq!(
            usize::from(line.width),
            columns,
            "width matches the printed text"
        );
        prop_assert_eq!(line.width, cell_sum);
        prop_assert!(
            !line.text.chars().any(|c| c.is_control() && c != '\u{a0}'),
            "no control character is printed: {:?}",
            line.text
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(2000),
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_visible_character_appears_once(text in text(PIECES), width in 1u16..40, shaping in any::<bool>()) {
        let options = LayoutOptions { shaping, ..LayoutOptions::default() };
        let lines = layout_paragraph(&text, &options, width);
        let shown = visible_multiset(lines.iter().flat_map(|l| l.text.chars()));
        let written = visible_multiset(text.chars().filter(|&c| c != '\t'));
        prop_assert_eq!(shown, written, "input {:?}", text);
    }

    #[test]
    fn lines_fit_and_cells_cover_the_source(text in nasty_text(), width in 1u16..40, options in options()) {
        let lines = layout_paragraph(&text, &options, width);
        prop_assert!(!lines.is_empty());
        check_widths(&lines, width)?;
        check_source_cover(&text, &lines)?;
    }

    #[test]
    fn width_one_never_panics(text in nasty_text(), options in options()) {
        let lines = layout_paragraph(&text, &options, 1);
        check_widths(&lines, 1)?;
        check_source_cover(&text, &lines)?;
    }
}
