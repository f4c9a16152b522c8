//! Shaping and single-line order agree with GNU FriBidi, the reference implementation:
//! `fribidi --nobreak --nopad --reordernsm --clean`, ignoring the U+FEFF filler it leaves
//! after a Lam-Alef ligature. `--clean` drops the bidi format characters from its output,
//! which the engine never prints either.
//!
//! Checked on every line of the seed article and on tests/fixtures/tricky-lines.txt:
//! numbers, dates and percentages in RTL text, Arabic-Indic digits, brackets, quotes,
//! URLs, e-mail addresses, Latin inside Arabic and Arabic inside Latin, harakat,
//! tatweel, the four Lam-Alef forms, Persian and Urdu letters, single letters; and on
//! tests/fixtures/vocalised-lines.txt, fully vocalised text.
//!
//! One difference is deliberate and is normalised, not ignored: qari forms the Lam-Alef
//! ligature when harakat stand between the Lam and the Alef (لَا), keeping the marks in
//! the ligature's cell, where FriBidi prints a Lam and an Alef. [`fold_lam_alef_across_marks`]
//! rewrites exactly that pattern of FriBidi's output into qari's, and each test says how
//! many lines needed it.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use qari::layout::{LayoutOptions, layout_paragraph};

fn fribidi_lines(fribidi: &std::path::Path, input: &str) -> Vec<String> {
    let mut child = Command::new(fribidi)
        .args(["--nobreak", "--nopad", "--reordernsm", "--clean"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("fribidi starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "fribidi succeeds");
    String::from_utf8(output.stdout)
        .unwrap()
        .replace('\u{FEFF}', "")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Final forms of the four Alefs that make a Lam-Alef ligature, with the ligature's
/// isolated and final forms.
const ALEF_FINALS: [(char, char, char); 4] = [
    ('\u{FE82}', '\u{FEF5}', '\u{FEF6}'),
    ('\u{FE84}', '\u{FEF7}', '\u{FEF8}'),
    ('\u{FE88}', '\u{FEF9}', '\u{FEFA}'),
    ('\u{FE8E}', '\u{FEFB}', '\u{FEFC}'),
];
const LAM_INITIAL: char = '\u{FEDF}';
const LAM_MEDIAL: char = '\u{FEE0}';

fn is_mark(c: char) -> bool {
    qari::layout::char_width(c) == 0 && !qari::layout::is_hidden(c) && !c.is_whitespace()
}

/// The known difference: FriBidi (with `--reordernsm`) prints a Lam joined to an Alef
/// with marks between them as, left to right, the Alef's final form, the Alef's marks,
/// the Lam's initial or medial form and the Lam's marks. qari prints the ligature
/// (isolated after an initial Lam, final after a medial one), then the Lam's marks,
/// then the Alef's. Returns the rewritten line and how many pairs were rewritten.
fn fold_lam_alef_across_marks(visual: &str) -> (String, usize) {
    let chars: Vec<char> = visual.chars().collect();
    let mut out = String::with_capacity(visual.len());
    let mut folded = 0;
    let mut i = 0;
    while i < chars.len() {
        if let Some(&(_, isolated, final_form)) = ALEF_FINALS.iter().find(|a| a.0 == chars[i]) {
            let alef_marks_end = (i + 1..chars.len())
                .find(|&k| !is_mark(chars[k]))
                .unwrap_or(chars.len());
            let lam = chars.get(alef_marks_end).copied();
            let lam_marks_end = (alef_marks_end + 1..chars.len())
                .find(|&k| !is_mark(chars[k]))
                .unwrap_or(chars.len());
            if matches!(lam, Some(LAM_INITIAL | LAM_MEDIAL)) && lam_marks_end > alef_marks_end + 1 {
                out.push(if lam == Some(LAM_INITIAL) {
                    isolated
                } else {
                    final_form
                });
                out.extend(&chars[alef_marks_end + 1..lam_marks_end]);
                out.extend(&chars[i + 1..alef_marks_end]);
                folded += 1;
                i = lam_marks_end;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    (out, folded)
}

fn qari_line(line: &str) -> String {
    let lines = layout_paragraph(line, &LayoutOptions::default(), u16::MAX);
    assert_eq!(lines.len(), 1, "one visual line for {line:?}");
    lines[0].text.clone()
}

/// Checks every line of `input` and returns how many Lam-Alef pairs needed the known
/// difference folded (0 when fribidi is missing and the test is skipped).
fn assert_agrees(name: &str, input: &str) -> usize {
    let Some(fribidi) = common::external_program("fribidi", "the Debian package libfribidi-bin")
    else {
        return 0;
    };
    let inputs: Vec<&str> = input.lines().collect();
    let expected = fribidi_lines(&fribidi, input);
    assert_eq!(
        inputs.len(),
        expected.len(),
        "fribidi gives a line per input line"
    );
    let mut disagreements = Vec::new();
    let (mut folded, mut folded_lines) = (0, 0);
    for (n, (line, want)) in inputs.iter().zip(&expected).enumerate() {
        let got = qari_line(line);
        let (want, pairs) = fold_lam_alef_across_marks(want);
        folded += pairs;
        folded_lines += usize::from(pairs > 0);
        if got != want {
            disagreements.push(format!(
                "{name} line {}: {line:?}\n  fribidi: {want:?}\n  qari:    {got:?}",
                n + 1
            ));
        }
    }
    println!(
        "{name}: {} of {} lines agree with fribidi; {folded_lines} of them only after \
         folding {folded} Lam-Alef pairs with harakat between (qari ligates them, fribidi does not)",
        inputs.len() - disagreements.len(),
        inputs.len()
    );
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    folded
}

#[test]
fn seed_article_agrees_with_fribidi() {
    if let Some(article) = common::seed_article() {
        assert_agrees("seed-article.txt", &article);
    }
}

#[test]
fn tricky_lines_agree_with_fribidi() {
    let tricky = include_str!("fixtures/tricky-lines.txt");
    assert!(tricky.lines().count() >= 50, "at least 50 tricky lines");
    assert_agrees("tricky-lines.txt", tricky);
}

#[test]
fn vocalised_lines_agree_with_fribidi_but_for_lam_alef_across_harakat() {
    let vocalised = include_str!("fixtures/vocalised-lines.txt");
    let folded = assert_agrees("vocalised-lines.txt", vocalised);
    if common::external_program("fribidi", "the Debian package libfribidi-bin").is_some() {
        assert!(
            folded >= 10,
            "the fixture exercises the exception ({folded} pairs)"
        );
    }
}

#[test]
fn the_folding_rewrites_only_the_known_pattern() {
    // An Alef's final form, then an initial Lam with a fatha: the isolated ligature.
    let fribidi = "\u{FE8E}\u{FEDF}\u{64E}";
    assert_eq!(
        fold_lam_alef_across_marks(fribidi),
        ("\u{FEFB}\u{64E}".into(), 1)
    );
    // A medial Lam, marks on both: the final ligature, the Lam's marks first.
    let fribidi = "\u{FE84}\u{64F}\u{FEE0}\u{652}";
    assert_eq!(
        fold_lam_alef_across_marks(fribidi),
        ("\u{FEF8}\u{652}\u{64F}".into(), 1)
    );
    // Without marks between, FriBidi ligates itself; nothing to fold.
    let plain = "\u{FE8E}\u{FEDF}";
    assert_eq!(fold_lam_alef_across_marks(plain), (plain.into(), 0));
}
