//! `qari render` end to end: the width options and the order of the output when large
//! inputs are laid out on several cores.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use qari::layout::{LayoutOptions, paragraph_ranges, prepare};

fn render(args: &[&str], input: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qari"))
        .arg("render")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("qari starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_owned();
    let feeder = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("qari runs");
    feeder.join().expect("feeder").expect("input written");
    assert!(
        output.status.success(),
        "qari render {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// What the library prints for `text`, paragraph by paragraph, on one thread.
fn expected(text: &str, width: Option<u16>, pad: bool) -> String {
    let options = LayoutOptions::default();
    let mut out = Vec::new();
    for range in paragraph_ranges(text) {
        prepare(&text[range], &options).write_lines(width, pad, &mut out);
    }
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn width_zero_means_no_wrapping() {
    let paragraph = "كتب الطالب الدرس (lesson 12) في ساعة واحدة. ".repeat(200);
    let input = format!("{paragraph}\nسطر قصير\n");
    let out = render(&["--width", "0"], &input);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "one line per paragraph");
    assert!(!lines[1].starts_with(' '), "no padding without a width");
    assert_eq!(out, expected(&input, None, false));
}

#[test]
fn width_zero_holds_lines_wider_than_a_u16() {
    let input = "ab ".repeat(30_000);
    let out = render(&["--width", "0"], &input);
    assert_eq!(out.lines().count(), 1);
    assert_eq!(out.trim_end().len(), input.trim_end().len());
}

#[test]
fn help_explains_width_zero() {
    let output = Command::new(env!("CARGO_BIN_EXE_qari"))
        .args(["render", "--help"])
        .output()
        .expect("qari runs");
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(
        help.contains("0 means no wrapping"),
        "--help says what --width 0 does:\n{help}"
    );
}

#[test]
fn parallel_output_keeps_paragraph_order() {
    // Numbered paragraphs, several batches' worth, with padding to a wide width so
    // that workers hand over their output in several pieces.
    let input: String = (0..6000)
        .map(|i| format!("الفقرة رقم {i}: نص عربي قصير مع كلمة English هنا\n"))
        .collect();
    let out = render(&["--width", "600"], &input);
    assert_eq!(out, expected(&input, Some(600), true));
}
