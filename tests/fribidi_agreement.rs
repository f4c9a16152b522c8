//! Shaping and single-line order agree with GNU FriBidi, the reference implementation:
//! `fribidi --nobreak --nopad --reordernsm --clean`, ignoring the U+FEFF filler it leaves
//! after a Lam-Alef ligature. `--clean` drops the bidi format characters from its output,
//! which the engine never prints either.
//!
//! Checked on every line of the seed article and on tests/fixtures/tricky-lines.txt:
//! numbers, dates and percentages in RTL text, Arabic-Indic digits, brackets, quotes,
//! URLs, e-mail addresses, Latin inside Arabic and Arabic inside Latin, harakat,
//! tatweel, the four Lam-Alef forms, Persian and Urdu letters, single letters.

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

fn qari_line(line: &str) -> String {
    let lines = layout_paragraph(line, &LayoutOptions::default(), u16::MAX);
    assert_eq!(lines.len(), 1, "one visual line for {line:?}");
    lines[0].text.clone()
}

fn assert_agrees(name: &str, input: &str) {
    let Some(fribidi) = common::external_program("fribidi", "the Debian package libfribidi-bin")
    else {
        return;
    };
    let inputs: Vec<&str> = input.lines().collect();
    let expected = fribidi_lines(&fribidi, input);
    assert_eq!(
        inputs.len(),
        expected.len(),
        "fribidi gives a line per input line"
    );
    let mut disagreements = Vec::new();
    for (n, (line, want)) in inputs.iter().zip(&expected).enumerate() {
        let got = qari_line(line);
        if &got != want {
            disagreements.push(format!(
                "{name} line {}: {line:?}\n  fribidi: {want:?}\n  qari:    {got:?}",
                n + 1
            ));
        }
    }
    println!(
        "{name}: {} of {} lines agree with fribidi",
        inputs.len() - disagreements.len(),
        inputs.len()
    );
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
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
