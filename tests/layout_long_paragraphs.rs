//! Paragraphs longer than the engine's piece size (256 KiB) are laid out a piece at a
//! time, so that memory stays bounded; the lines must be those of one pass.

mod common;

use qari::layout::{LayoutOptions, VisualLine, layout_paragraph, prepare, write_paragraph};

/// Text, width, direction and source of each line: what a reader or `render` sees.
fn summary(lines: &[VisualLine]) -> Vec<(String, u16, bool, std::ops::Range<usize>)> {
    lines
        .iter()
        .map(|l| (l.text.clone(), l.width, l.rtl, l.source.clone()))
        .collect()
}

fn assert_cells_cover(text: &str, lines: &[VisualLine]) {
    let mut ranges: Vec<_> = lines
        .iter()
        .flat_map(|l| &l.cells)
        .map(|c| c.source.clone())
        .collect();
    ranges.sort_by_key(|r| r.start);
    let contiguous = ranges.windows(2).all(|pair| pair[0].end == pair[1].start);
    assert!(contiguous, "cells cover every byte once");
    assert_eq!(ranges.first().map(|r| r.start), Some(0));
    assert_eq!(ranges.last().map(|r| r.end), Some(text.len()));
}

fn assert_same_as_one_pass(name: &str, text: &str, width: u16) {
    assert!(text.len() > 300 * 1024, "{name} is longer than one piece");
    let options = LayoutOptions::default();
    let pieces = layout_paragraph(text, &options, width);
    let whole = prepare(text, &options).lines(width);
    let (pieces_summary, whole_summary) = (summary(&pieces), summary(&whole));
    if let Some(i) =
        (0..pieces.len().min(whole.len())).find(|&i| pieces_summary[i] != whole_summary[i])
    {
        panic!(
            "{name} at {width}: line {i} differs\n  pieces:   {:?}\n  one pass: {:?}",
            pieces_summary[i], whole_summary[i]
        );
    }
    assert_eq!(pieces.len(), whole.len(), "{name} at {width}: line count");
    assert_cells_cover(text, &pieces);

    let mut written = Vec::new();
    write_paragraph(text, &options, Some(width), true, &mut written);
    let mut one_pass = Vec::new();
    prepare(text, &options).write_lines(Some(width), true, &mut one_pass);
    assert!(written == one_pass, "{name} at {width}: render output");
}

fn article_line() -> String {
    common::seed_article()
        .unwrap_or_else(|| include_str!("fixtures/tricky-lines.txt").to_owned())
        .replace('\n', " ")
}

#[test]
fn a_long_article_paragraph_wraps_as_in_one_pass() {
    let text = article_line().repeat(400_000 / article_line().len() + 1);
    for width in [1, 37, 100] {
        assert_same_as_one_pass("article", &text, width);
    }
}

#[test]
fn a_long_run_of_spaces_hangs_as_in_one_pass() {
    let text = format!("كلمة{}أخرى نهاية", " ".repeat(700_000));
    assert_same_as_one_pass("spaces", &text, 40);
    let spaces = " ".repeat(600_000);
    assert_same_as_one_pass("only spaces", &spaces, 80);
}

#[test]
fn a_word_longer_than_a_piece_is_cut_into_lines() {
    // No break opportunity: one pass splits the word at the width, and so do pieces.
    let text = "ب".repeat(200_000);
    assert_same_as_one_pass("long word", &text, 80);
}
