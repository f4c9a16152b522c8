//! Wrapping keeps reading order. The seed article is wrapped at 30, 47 and 80 columns;
//! each visual line is folded back to nominal letters with NFKC, and its letters are
//! compared with those of the paragraph's next logical words, line by line:
//!
//! - every line fits its width;
//! - the first visual line holds the first logical words (fribidi gets this wrong: it
//!   reorders the whole paragraph, then chops it, so its first line holds the last words);
//! - no word is split across lines, and none is lost or added.

mod common;

use qari::layout::{LayoutOptions, layout_paragraph, paragraph_ranges};
use unicode_normalization::UnicodeNormalization;
use unicode_width::UnicodeWidthChar;

/// A key for a word that survives display: NFKC folds presentation forms and
/// ligatures back to letters, and the order of characters (which the display reverses
/// in right-to-left runs) is ignored. Punctuation is left out: a quote or bracket
/// between an RTL and an LTR run is shown on the other side of the word it touches
/// logically (single-line order is checked against fribidi elsewhere).
fn word_key(word: &str) -> Vec<char> {
    let mut chars: Vec<char> = word
        .nfkc()
        .filter(|&c| {
            c.is_alphanumeric() || ('\u{064B}'..='\u{065F}').contains(&c) || c == '\u{0640}'
        })
        .collect();
    chars.sort_unstable();
    chars
}

fn check_width(article: &str, width: u16) -> usize {
    let options = LayoutOptions::default();
    let mut lines_checked = 0;
    for range in paragraph_ranges(article) {
        let paragraph = &article[range];
        let logical: Vec<&str> = paragraph.split_whitespace().collect();
        let mut next_word = 0;
        let lines = layout_paragraph(paragraph, &options, width);
        for (n, line) in lines.iter().enumerate() {
            let columns: usize = line.text.chars().map(|c| c.width().unwrap_or(0)).sum();
            assert!(
                usize::from(line.width) <= usize::from(width) && columns <= usize::from(width),
                "line {n} of {paragraph:?} is {columns} columns wide at width {width}"
            );
            // A logical word that mixes directions, such as أو”Think, is shown as two
            // pieces on either side of its neighbours, so the letters of the whole line
            // are compared with those of the next logical words.
            let shown = word_key(&line.text);
            let first_word = next_word;
            let mut expected: Vec<char> = Vec::new();
            while expected.len() < shown.len() && next_word < logical.len() {
                expected.extend(word_key(logical[next_word]));
                next_word += 1;
            }
            // (A word of punctuation alone has no letters and matches on any line.)
            expected.sort_unstable();
            assert_eq!(
                shown, expected,
                "width {width}, visual line {n} should hold logical words {first_word}..{next_word} of {paragraph:?}\n  shown: {:?}",
                line.text
            );
            lines_checked += 1;
        }
        let rest: Vec<char> = logical[next_word..]
            .iter()
            .flat_map(|w| word_key(w))
            .collect();
        assert!(rest.is_empty(), "every word of {paragraph:?} is shown");
    }
    lines_checked
}

#[test]
fn seed_article_wraps_in_reading_order() {
    let Some(article) = common::seed_article() else {
        return;
    };
    for width in [30, 47, 80] {
        let lines = check_width(&article, width);
        println!("width {width}: {lines} visual lines in reading order");
        assert!(lines > article.lines().count(), "paragraphs were wrapped");
    }
}
