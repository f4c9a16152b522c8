//! Named cases at the edges of the text engine, written as tables of strings.
//!
//! `render` lays a paragraph out and folds the printed presentation forms back to
//! nominal letters with NFKC, so the expectations stay readable: each visual line,
//! left to right, without its alignment padding, lines separated by `/`. Visual order
//! means right-to-left words read backwards here (كتب is shown as بتك); a Lam-Alef
//! ligature is one cell, so it folds back to لا in logical order.

use qari::layout::{BaseDirection, Harakat, LayoutOptions, layout_paragraph};
use rstest::rstest;
use unicode_normalization::UnicodeNormalization;

fn render_with(text: &str, width: u16, options: LayoutOptions) -> String {
    layout_paragraph(text, &options, width)
        .iter()
        .map(|line| line.text.nfkc().collect::<String>().trim().to_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn render(text: &str, width: u16) -> String {
    render_with(text, width, LayoutOptions::default())
}

#[rstest]
#[case::lam_alef_at_line_end("سلام لا", 4, "ملاس/لا")]
#[case::lam_alef_takes_one_column("لا لا لا", 5, "لا لا لا")]
#[case::harakat_on_last_letter("كتبَ", 10, "بَتك")]
#[case::tatweel("جمـيل", 10, "ليـمج")]
#[case::number_inside_rtl("عام 2024 م", 20, "م 2024 ماع")]
#[case::arabic_indic_digits("عام ٢٠٢٤", 20, "٢٠٢٤ ماع")]
#[case::brackets_are_mirrored("قال (نعم)", 20, "(معن) لاق")]
#[case::first_words_on_first_line("واحد اثنان ثلاثة", 11, "نانثا دحاو/ةثلاث")]
#[case::word_wider_than_line("abcdefgh", 3, "abc/def/gh")]
#[case::width_one("ab", 1, "a/b")]
#[case::latin_sentence_with_arabic("hello مرحبا world", 40, "hello ابحرم world")]
#[case::rtl_run_wraps_in_ltr_paragraph("go واحد اثنان now", 9, "go دحاو/نانثا now")]
#[case::escape_sequence_removed("\u{1b}[1mنعم\u{1b}[0m", 10, "معن")]
#[case::empty_paragraph("", 10, "")]
fn lays_out(#[case] text: &str, #[case] width: u16, #[case] expected: &str) {
    assert_eq!(render(text, width), expected);
}

#[test]
fn strip_mode_drops_harakat_and_ligates_across_them() {
    let options = LayoutOptions {
        harakat: Harakat::Strip,
        ..LayoutOptions::default()
    };
    assert_eq!(render_with("كَتَبَ", 10, options), "بتك");
    let lines = layout_paragraph("لَا", &options, 10);
    assert_eq!(lines[0].text, "\u{FEFB}", "one ligature cell");
}

#[test]
fn forced_base_direction() {
    let rtl = LayoutOptions {
        base: BaseDirection::Rtl,
        ..LayoutOptions::default()
    };
    let lines = layout_paragraph("abc def", &rtl, 20);
    assert!(lines[0].rtl);
    assert_eq!(lines[0].indent(20), 13, "right-aligned");
    let ltr = LayoutOptions {
        base: BaseDirection::Ltr,
        ..LayoutOptions::default()
    };
    let lines = layout_paragraph("نعم لا", &ltr, 20);
    assert!(!lines[0].rtl);
    assert_eq!(lines[0].indent(20), 0, "left-aligned");
    // The RTL run is reversed as a whole, so its words swap places.
    assert_eq!(render_with("نعم لا", 20, ltr), "لا معن");
}

#[test]
fn no_shape_prints_nominal_letters() {
    let options = LayoutOptions {
        shaping: false,
        ..LayoutOptions::default()
    };
    let lines = layout_paragraph("بلا", &options, 10);
    assert_eq!(lines[0].text, "الب");
    assert_eq!(lines[0].width, 3);
}

#[test]
fn cells_map_back_to_the_source() {
    let text = "قال: hello";
    let lines = layout_paragraph(text, &LayoutOptions::default(), 40);
    let line = &lines[0];
    // The leftmost cell of this RTL paragraph is the LTR word's first letter.
    let first = &line.cells[0];
    assert_eq!(&text[first.source.clone()], "h");
    // The rightmost printed cell is the first Arabic letter.
    let last = line.cells.iter().rev().find(|c| c.width > 0).unwrap();
    assert_eq!(&text[last.source.clone()], "ق");
}

#[test]
fn controls_are_shown_as_placeholders() {
    assert_eq!(render("a\u{7}b", 10), "a\u{2407}b");
    assert_eq!(render("a\tb", 10), "a    b");
}

#[test]
fn write_lines_prints_what_lines_holds() {
    let options = LayoutOptions::default();
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/seed-article.txt"
    ))
    .unwrap_or_default();
    let tricky = include_str!("fixtures/tricky-lines.txt");
    for text in tricky.lines().chain(seed.lines()) {
        for width in [7, 19, 40, 80] {
            let prepared = qari::layout::prepare(text, &options);
            let mut written = Vec::new();
            prepared.write_lines(Some(width), true, &mut written);
            let expected: String = prepared
                .lines(width)
                .iter()
                .map(|l| {
                    let pad = if l.text.is_empty() {
                        0
                    } else {
                        l.indent(width)
                    };
                    format!("{}{}\n", " ".repeat(usize::from(pad)), l.text)
                })
                .collect();
            assert_eq!(
                String::from_utf8(written).unwrap(),
                expected,
                "{text:?} at {width}"
            );
        }
    }
}

/// The Lam-Alef cell of `text` laid out in keep mode: the one cell whose text holds a
/// ligature (U+FEF5–U+FEFC). Returns its text, width and source text.
fn lam_alef_cell(text: &str) -> Vec<(String, u16, String)> {
    let lines = layout_paragraph(text, &LayoutOptions::default(), 40);
    lines
        .iter()
        .flat_map(|line| {
            line.cells
                .iter()
                .filter(|c| {
                    line.cell_text(c)
                        .chars()
                        .any(|ch| ('\u{FEF5}'..='\u{FEFC}').contains(&ch))
                })
                .map(move |c| {
                    (
                        line.cell_text(c).to_owned(),
                        c.width,
                        text[c.source.clone()].to_owned(),
                    )
                })
        })
        .collect()
}

#[rstest]
#[case::fatha_between("لَا", "\u{FEFB}\u{64E}", "لَا")]
#[case::kasra_and_sukun_hamza_above("لِلْأُسْرَةِ", "\u{FEF8}\u{652}\u{64F}", "لْأُ")]
#[case::final_form_after_sad("صَلَاةَ", "\u{FEFC}\u{64E}", "لَا")]
#[case::thalatha("ثَلَاثَةِ", "\u{FEFC}\u{64E}", "لَا")]
#[case::al_ilaj("العِلَاجَ", "\u{FEFC}\u{64E}", "لَا")]
#[case::malabis("مَلَابِسَ", "\u{FEFC}\u{64E}", "لَا")]
#[case::two_marks_after_hamza_alef(
    "\u{625}\u{650}\u{644}\u{64E}\u{651}\u{627}",
    "\u{FEFB}\u{64E}\u{651}",
    "\u{644}\u{64E}\u{651}\u{627}"
)]
#[case::mark_on_the_alef_only("لاَ", "\u{FEFB}\u{64E}", "لاَ")]
fn lam_alef_forms_across_harakat(
    #[case] text: &str,
    #[case] cell_text: &str,
    #[case] source: &str,
) {
    assert_eq!(
        lam_alef_cell(text),
        vec![(cell_text.to_owned(), 1, source.to_owned())],
        "{text}: one cell of one column, ligature and marks, covering Lam, marks and Alef"
    );
}

#[test]
fn vocalised_lam_alef_takes_one_column_when_wrapping() {
    // Three words of one column each and two spaces: one line of five columns.
    assert_eq!(render("لَا لَا لَا", 5).chars().filter(|&c| c == '/').count(), 0);
    let lines = layout_paragraph("لَا لَا لَا", &LayoutOptions::default(), 5);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].width, 5);
}
