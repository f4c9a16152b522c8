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

/// Many words, read in small pieces (lines cut across reads) and in one piece, looked up
/// on several threads or one at a time: the same output, in input order.
#[test]
fn many_words_in_pieces_give_the_output_of_one_word_at_a_time() {
    let text = std::fs::read_to_string("../shared/corpus/seed-article.txt").unwrap_or_else(|_| {
        "والخارجية بالانسحاب وَأَعَدَّتِ كتاب للجماعات مهمته كتابها لها يعملون".repeat(8)
    });
    // Enough distinct words to be shared out between threads.
    let words: Vec<&str> = qari::glossary::normalize::arabic_words(&text)
        .take(120)
        .collect();
    let input: String = words.iter().map(|w| format!("{w}\r\n")).collect();
    let (code, whole, _) = run(builtin_only(), &input);
    assert_eq!(code, 0);
    let mut one_by_one = String::new();
    for w in &words {
        let args = LookupArgs {
            words: vec![w.to_string()],
            ..builtin_only()
        };
        one_by_one.push_str(&run(args, "").1);
    }
    assert_eq!(whole, one_by_one);
    let mut out = Vec::new();
    let mut pieces = std::io::BufReader::with_capacity(5, input.as_bytes());
    run_with(&builtin_only(), &mut pieces, &mut out, &mut Vec::new()).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), whole);
    // The last line may lack its newline.
    let (_, last, _) = run(builtin_only(), input.trim_end());
    assert_eq!(last, whole);
}

#[test]
fn invalid_utf8_on_stdin_is_replaced_with_a_warning() {
    // Piped words go through the document pipeline (issue 11): bad bytes become U+FFFD
    // with a warning, and the words around them are still looked up.
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut input: &[u8] = b"\xd9\x83\xd8\xaa\xd8\xa7\xd8\xa8\n\xff\xfe\n\xd9\x83\n";
    run_with(&builtin_only(), &mut input, &mut out, &mut err).unwrap();
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("did not decode as UTF-8"), "{err}");
    let out = String::from_utf8(out).unwrap();
    let bad = out
        .find("\u{FFFD}\u{FFFD}")
        .expect("the bad line, as U+FFFD");
    let (_, one, _) = run(builtin_only(), "كتاب");
    assert!(out.starts_with(&one), "{out}");
    assert!(bad >= one.len());
}
