//! The table of contents lays its titles out as the pane does: right-to-left titles
//! aligned right, indented by level from the right, the current one marked on the
//! right; left-to-right titles aligned left, marked on the left.

mod common;

use common::reader::{act, screen_text};
use qari::app::{Action, App, Mode};
use qari::config::Config;
use qari::document::{Document, markdown};
use unicode_normalization::UnicodeNormalization;

const NOTES: &str = "# المقدمة\n\nنص قصير.\n\n## English part\n\nSome text.\n\n## القسم الثاني\n\nنص آخر.\n\n### تفاصيل\n\nتفاصيل كثيرة.\n";

/// What a run of Arabic letters (no Lam-Alef) looks like on screen, presentation forms
/// folded back: its letters in reverse.
fn visual(logical: &str) -> String {
    logical.chars().rev().collect()
}

/// Each row of the contents box: what lies between its two borders, folded.
fn box_rows(app: &App) -> Vec<String> {
    screen_text(app)
        .lines()
        .filter_map(|row| {
            let first = row.find('│')?;
            let last = row.rfind('│')?;
            (last > first).then(|| row[first + '│'.len_utf8()..last].nfkc().collect())
        })
        .collect()
}

fn row_with<'a>(rows: &'a [String], text: &str) -> &'a str {
    rows.iter()
        .find(|r| r.contains(text))
        .unwrap_or_else(|| panic!("{text:?} in {rows:#?}"))
}

#[test]
fn arabic_titles_are_aligned_right_and_latin_ones_left() {
    let doc = Document::from_structured("notes.md", markdown::parse(NOTES));
    let mut app = App::new(doc, &Config::default(), 70, 14);
    act(&mut app, Action::TableOfContents);
    assert!(matches!(app.mode, Mode::Toc { .. }));
    let rows = box_rows(&app);

    // The current entry (the first heading): at the right edge, marked there.
    let first = row_with(&rows, &visual("المقدمة"));
    assert!(
        first.ends_with(&format!("{} ◂", visual("المقدمة"))),
        "{first:?}"
    );
    assert!(first.starts_with("     "), "aligned right: {first:?}");
    // A level-2 Arabic title: two cells in from the mark's column, not marked.
    let second = row_with(&rows, &visual("القسم الثاني"));
    assert!(
        second.ends_with(&format!("{}    ", visual("القسم الثاني"))),
        "{second:?}"
    );
    let third = row_with(&rows, &visual("تفاصيل"));
    assert!(
        third.ends_with(&format!("{}      ", visual("تفاصيل"))),
        "level 3 is indented further: {third:?}"
    );
    // A Latin title stays on the left, indented by its level.
    let latin = row_with(&rows, "English part");
    assert!(latin.starts_with("    English part"), "{latin:?}");
    assert!(latin.trim_end().ends_with("English part"), "{latin:?}");
}

#[test]
fn a_latin_current_entry_is_marked_on_the_left() {
    let doc = Document::from_structured("notes.md", markdown::parse(NOTES));
    let mut app = App::new(doc, &Config::default(), 70, 6);
    let latin = app
        .doc
        .paragraphs
        .iter()
        .position(|r| &app.doc.text[r.clone()] == "English part")
        .unwrap();
    app.restore_position(
        app.doc.paragraphs[latin].start,
        0,
        app.doc.paragraphs[latin].start,
    );
    act(&mut app, Action::TableOfContents);
    let rows = box_rows(&app);
    let row = row_with(&rows, "English part");
    assert!(row.starts_with("▸   English part"), "{row:?}");
    assert!(!row_with(&rows, &visual("المقدمة")).contains('◂'));
}
