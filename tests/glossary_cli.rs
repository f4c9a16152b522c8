//! `qari lookup` as a user runs it: JSON lines in input order, stdin with `-`, the human
//! layout, and the switches that turn sources off.

use qari::cli::lookup::{LookupArgs, run_with};

fn run(args: LookupArgs, stdin: &str) -> (i32, String, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = run_with(&args, &mut stdin.as_bytes(), &mut out, &mut err).unwrap();
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

/// Built-in data only, nothing from the real home.
fn builtin_only() -> LookupArgs {
    LookupArgs {
        no_system_dicts: true,
        no_personal: true,
        json: true,
        max_entries: 12,
        timeout_ms: 2000,
        ..LookupArgs::default()
    }
}

#[test]
fn json_one_object_per_word_in_input_order() {
    let args = LookupArgs {
        words: vec!["والخارجية".into(), "-".into(), "زززززز".into()],
        ..builtin_only()
    };
    let (code, out, _) = run(args, "بالانسحاب\n\nوَأَعَدَّتِ\n");
    assert_eq!(code, 0);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let words: Vec<&str> = lines.iter().map(|l| l["word"].as_str().unwrap()).collect();
    assert_eq!(words, ["والخارجية", "زززززز", "بالانسحاب", "وَأَعَدَّتِ"]);
    let first = &lines[0]["entries"][0];
    assert_eq!(first["source"], "builtin");
    assert_eq!(first["headword"], "خارجية");
    assert!(first["definition"].as_str().unwrap().contains("foreign"));
    assert!(
        first["analysis"]
            .as_str()
            .unwrap()
            .starts_with("و + ال + خارجية")
    );
    assert_eq!(
        lines[1]["entries"].as_array().unwrap().len(),
        0,
        "nothing found: empty list"
    );
    let verb = &lines[3]["entries"][0];
    assert!(
        verb["analysis"]
            .as_str()
            .unwrap()
            .starts_with("و + أعد + ت"),
        "{verb}"
    );
    for l in &lines {
        for e in l["entries"].as_array().unwrap() {
            let keys: Vec<&String> = e.as_object().unwrap().keys().collect();
            assert_eq!(keys, ["analysis", "definition", "headword", "source"]);
        }
    }
}

#[test]
fn human_output_in_the_manner_of_sdcv() {
    let args = LookupArgs {
        words: vec!["بالانسحاب".into(), "زززززز".into()],
        json: false,
        ..builtin_only()
    };
    let (_, out, _) = run(args, "");
    assert!(out.starts_with("Found "), "{out}");
    assert!(
        out.contains("-->builtin\n-->انسحاب\n   ب + ال + انسحاب: with/by + the + withdrawal"),
        "{out}"
    );
    assert!(out.contains("Nothing similar to زززززز, sorry :("));
}

#[test]
fn everything_switched_off_is_an_error() {
    let args = LookupArgs {
        words: vec!["كتاب".into()],
        no_builtin: true,
        ..builtin_only()
    };
    let (code, out, err) = run(args, "");
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("no dictionary"));
}

#[test]
fn a_missing_dict_file_is_a_warning() {
    let args = LookupArgs {
        words: vec!["كتاب".into()],
        dicts: vec!["/nonexistent/x.index".into()],
        ..builtin_only()
    };
    let (code, out, err) = run(args, "");
    assert_eq!(code, 0);
    assert!(err.contains("/nonexistent/x.index: no such file"), "{err}");
    assert_eq!(out.lines().count(), 1);
}
