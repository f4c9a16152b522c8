//! The document pipeline end to end, through the `qari` binary: encodings, formats,
//! `extract`, and hostile input (binary data, bad bytes, escape sequences) for every
//! command that reads a document.

mod common;
#[path = "common/epub_zip.rs"]
mod epub_zip;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use encoding_rs::{Encoding, ISO_8859_6, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1256};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/docs")
        .join(name)
}

/// Runs qari with `args` and `stdin`, in a scratch state directory.
fn qari(args: &[&str], stdin: &[u8]) -> Output {
    let state = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_qari"))
        .args(args)
        .env("QARI_CONFIG_DIR", state.path())
        .env("QARI_STATE_DIR", state.path())
        .env("QARI_CACHE_DIR", state.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // The command may refuse the input before reading all of it.
    let _ = input.write_all(stdin);
    drop(input);
    child.wait_with_output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `text` in `encoding`, with a BOM for UTF-16 and `bom` for UTF-8.
fn encode(text: &str, encoding: &'static Encoding, bom: bool) -> Vec<u8> {
    let mut bytes = Vec::new();
    if encoding == UTF_16LE || encoding == UTF_16BE {
        bytes.extend_from_slice(if encoding == UTF_16LE {
            &[0xFF, 0xFE]
        } else {
            &[0xFE, 0xFF]
        });
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&if encoding == UTF_16LE {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        return bytes;
    }
    if bom {
        bytes.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let (encoded, _, unmappable) = encoding.encode(text);
    assert!(!unmappable, "{} cannot hold the text", encoding.name());
    bytes.extend_from_slice(&encoded);
    bytes
}

/// Every encoding the pipeline detects, named for messages.
const ENCODINGS: &[(&str, &Encoding, bool)] = &[
    ("UTF-8", UTF_8, false),
    ("UTF-8 with BOM", UTF_8, true),
    ("UTF-16LE", UTF_16LE, true),
    ("UTF-16BE", UTF_16BE, true),
    ("windows-1256", WINDOWS_1256, false),
    ("ISO-8859-6", ISO_8859_6, false),
];

/// `text` with what ISO-8859-6 and Windows-1256 cannot hold replaced by its nearest
/// ASCII (quotes, dashes) or dropped, so that every encoding holds the same text.
fn common_text(text: &str) -> String {
    text.chars()
        .filter_map(|c| {
            let fits = |c: char| {
                let s = c.to_string();
                !ISO_8859_6.encode(&s).2 && !WINDOWS_1256.encode(&s).2
            };
            if fits(c) {
                return Some(c);
            }
            match c {
                '“' | '”' | '«' | '»' => Some('"'),
                '‘' | '’' => Some('\''),
                '–' | '—' => Some('-'),
                c if c.is_whitespace() => Some(' '),
                _ => None,
            }
        })
        .collect()
}

#[test]
fn the_seed_article_reads_the_same_in_every_encoding() {
    let Some(article) = common::seed_article() else {
        return;
    };
    let text = common_text(&article);
    assert!(
        text.chars()
            .filter(|c| ('\u{0600}'..='\u{06FF}').contains(c))
            .count()
            > 1000
    );
    let dir = tempfile::tempdir().unwrap();
    let mut expected: Option<(String, String)> = None;
    for (name, encoding, bom) in ENCODINGS {
        let path = dir
            .path()
            .join(format!("article-{}.txt", name.replace(' ', "-")));
        std::fs::write(&path, encode(&text, encoding, *bom)).unwrap();
        let path = path.to_str().unwrap();
        let extract = qari(&["extract", path], b"");
        let render = qari(&["render", "--width", "60", path], b"");
        for out in [&extract, &render] {
            assert!(out.status.success(), "{name}: {}", stderr(out));
            // A legacy encoding is guessed, and the guess named; the others need no word.
            if encoding.name().starts_with("UTF") {
                assert_eq!(stderr(out), "", "{name}: no warning for a clean file");
            } else {
                let note = format!("not UTF-8; read as {}", encoding.name());
                assert!(stderr(out).contains(&note), "{name}: {}", stderr(out));
            }
        }
        let got = (stdout(&extract), stdout(&render));
        match &expected {
            None => {
                assert!(got.0.contains(text.lines().nth(4).unwrap().trim()));
                expected = Some(got);
            }
            Some(first) => {
                assert!(first.0 == got.0, "{name}: extract differs from UTF-8's");
                assert!(first.1 == got.1, "{name}: render differs from UTF-8's");
            }
        }
    }
}

#[test]
fn the_fixtures_decode_to_the_same_text() {
    let utf8 = std::fs::read_to_string(fixture("arabic-utf8.txt")).unwrap();
    let expected = stdout(&qari(
        &["extract", fixture("arabic-utf8.txt").to_str().unwrap()],
        b"",
    ));
    // Blank lines end paragraphs; the hard-wrapped lines of one are joined.
    assert_eq!(expected.matches("\n\n").count(), 2, "{expected}");
    assert!(expected.contains("القديمة، وكان"), "{expected}");
    assert!(utf8.contains("القديمة،\nوكان"));
    for name in [
        "arabic-utf16le.txt",
        "arabic-windows-1256.txt",
        "arabic-iso-8859-6.txt",
    ] {
        let out = qari(&["extract", fixture(name).to_str().unwrap()], b"");
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert_eq!(stdout(&out), expected, "{name}");
        // And through standard input, where no file name helps.
        let bytes = std::fs::read(fixture(name)).unwrap();
        assert_eq!(
            stdout(&qari(&["extract", "-"], &bytes)),
            expected,
            "{name} on stdin"
        );
    }
}

#[test]
fn an_encoding_named_on_the_command_line_wins() {
    let path = fixture("arabic-windows-1256.txt");
    let path = path.to_str().unwrap();
    // Read as ISO-8859-6, the Windows-1256 letters come out wrong; named right, right.
    let wrong = stdout(&qari(&["extract", "--encoding", "iso-8859-6", path], b""));
    let right = stdout(&qari(&["extract", "--encoding", "cp1256", path], b""));
    assert!(right.contains("القراءة في المساء"), "{right}");
    assert!(!wrong.contains("القراءة في المساء"), "{wrong}");
    let out = qari(&["extract", "--encoding", "klingon", path], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not an encoding"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}

#[test]
fn paragraphs_at_blank_lines_or_at_every_line() {
    let text = "سطر أول\nسطر ثان\n\nفقرة ثانية\n";
    let auto = stdout(&qari(&["extract"], text.as_bytes()));
    assert_eq!(auto, "سطر أول سطر ثان\n\nفقرة ثانية\n");
    let line = stdout(&qari(&["extract", "--paragraphs", "line"], text.as_bytes()));
    assert_eq!(line, "سطر أول\n\nسطر ثان\n\nفقرة ثانية\n");
    // No blank line at all: every line is a paragraph.
    let posts = stdout(&qari(&["extract"], "أ\nب\nج\n".as_bytes()));
    assert_eq!(posts, "أ\n\nب\n\nج\n");
}

#[test]
fn markdown_keeps_its_structure_without_its_markup() {
    let path = fixture("guide.md");
    let out = qari(&["extract", path.to_str().unwrap()], b"");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "# دليل القارئ\n\n\
         مقدمة قصيرة عن القراءة والفهم، مع رابط.\n\n\
         ## الفصل الأول\n\n\
         - افتح المقالة\n- اقرأ الفقرة الأولى\n- ابحث عن الكلمات\n\n\
         > الكتاب خير جليس.\n\n\
         ---\n\n\
         ## الفصل الثاني\n\n\
         نص الفصل الثاني يكمل على سطر ثان.\n\n\
         \x20   qari article.md\n"
    );
    let json = qari(&["extract", "--json", path.to_str().unwrap()], b"");
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["title"], "دليل القارئ");
    let kinds: Vec<&str> = value["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "heading",
            "paragraph",
            "heading",
            "list_item",
            "list_item",
            "list_item",
            "quote",
            "rule",
            "heading",
            "paragraph",
            "code"
        ]
    );
    assert_eq!(value["blocks"][2]["level"], 2);
    // render lays out the blocks, not the markup.
    let render = stdout(&qari(
        &["render", "--width", "50", path.to_str().unwrap()],
        b"",
    ));
    assert!(!render.contains("**") && !render.contains("](") && !render.contains("# "));
}

/// A code block whose lines are indented, and whose first line is too: `qari extract`
/// keeps every space and line break of it, from HTML's `<pre>`, Markdown's fenced and
/// indented code and an EPUB chapter's `<pre>` alike.
#[test]
fn code_blocks_keep_their_indentation_and_line_breaks() {
    let code = "    if x:\n        print(\"نص\")\n\n\treturn x";
    // `qari extract` prints code four spaces in.
    let extracted = code
        .split('\n')
        .map(|line| format!("    {line}"))
        .collect::<Vec<_>>()
        .join("\n");
    let html = format!(
        "<html><body><h1>برمجة</h1><pre>\n{}\n</pre><p>بعد الكود.</p></body></html>",
        code.replace('"', "&quot;")
    );
    let markdown = format!("# برمجة\n\n```python\n{code}\n```\n\nبعد الكود.\n");
    let indented = format!(
        "# برمجة\n\n{}\n\nبعد الكود.\n",
        code.split('\n')
            .map(|l| if l.is_empty() {
                String::new()
            } else {
                format!("    {l}")
            })
            .collect::<Vec<_>>()
            .join("\n")
    );
    let book = epub_zip::epub(&epub_zip::Book {
        title: "برمجة".into(),
        author: "qari".into(),
        language: "ar".into(),
        direction: Some("rtl".into()),
        chapters: vec![epub_zip::Chapter {
            file: "text/one.xhtml".into(),
            label: None,
            body: format!(
                "<h1>برمجة</h1><pre>{}</pre><p>بعد الكود.</p>",
                code.replace('"', "&quot;")
            ),
        }],
        spine: vec![0],
    });
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("page.html", html.into_bytes()),
        ("fenced.md", markdown.into_bytes()),
        ("indented.md", indented.into_bytes()),
        ("book.epub", book),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        // The page is too short for readability: its whole text it is, as it would be.
        let out = qari(&["extract", "--no-extract", path.to_str().unwrap()], b"");
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert_eq!(
            stdout(&out),
            format!("# برمجة\n\n{extracted}\n\nبعد الكود.\n"),
            "{name}"
        );
    }
}

/// The commands that read a document, each with where the input goes: a path, or `-`
/// for standard input.
fn every_command(path: &str) -> Vec<Vec<String>> {
    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        args(&[path]),
        args(&["render", path]),
        args(&["extract", path]),
        args(&["extract", "--json", path]),
        args(&["lookup", "--no-system-dicts", "--no-personal", "-"]),
    ]
}

#[test]
fn binary_input_is_refused_by_every_command() {
    let path = fixture("binary.bin");
    let bytes = std::fs::read(&path).unwrap();
    // Binary without a NUL byte too: mostly controls.
    let dir = tempfile::tempdir().unwrap();
    let noisy = dir.path().join("noise.dat");
    let noise: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 31 + 1) as u8).collect();
    std::fs::write(&noisy, &noise).unwrap();
    for (file, content) in [
        (path.to_str().unwrap(), &bytes),
        (noisy.to_str().unwrap(), &noise),
    ] {
        for args in every_command(file) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = qari(&args, content);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
            assert!(out.stdout.is_empty(), "{args:?} printed {:?}", out.stdout);
            assert!(
                stderr(&out).contains("binary data"),
                "{args:?}: {}",
                stderr(&out)
            );
        }
    }
    // The same on standard input.
    for args in [["render", "-"], ["extract", "-"]] {
        let out = qari(&args, &bytes);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn utf16_is_not_taken_for_binary() {
    let path = fixture("arabic-utf16le.txt");
    let out = qari(&["render", "--width", "40", path.to_str().unwrap()], b"");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).contains('\u{2400}'), "no control pictures");
}

#[test]
fn bad_bytes_become_replacement_characters_with_a_warning() {
    let mut bytes = "نص عربي سليم ".as_bytes().to_vec();
    bytes.extend_from_slice(b"\xff\xfe");
    bytes.extend_from_slice(" ثم يكمل النص بعد البايتات\n".as_bytes());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.txt");
    std::fs::write(&path, &bytes).unwrap();
    let path = path.to_str().unwrap();
    for args in [vec!["extract", path], vec!["render", "--width", "0", path]] {
        let out = qari(&args, b"");
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("did not decode as UTF-8"),
            "{}",
            stderr(&out)
        );
        assert!(stderr(&out).contains("bad.txt"), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains('\u{FFFD}'), "{args:?}: {text}");
    }
    let out = qari(&["extract"], &bytes);
    assert!(stdout(&out).contains("ثم يكمل النص"));
}

/// True when `bytes` hold an escape, a C1 control, or any C0 control but tab and newline.
fn acts_on_a_terminal(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    text.chars()
        .any(|c| (c.is_control() && c != '\n' && c != '\t') || ('\u{80}'..='\u{9f}').contains(&c))
}

#[test]
fn escape_sequences_never_reach_the_terminal() {
    let hostile = "# عنوان \x1b]52;c;cGF3bmVk\x07\n\n\
                   نص \x1b[31mأحمر\x1b[0m و\u{9b}2J و\x1bP+q\x1b\\ تم.\n\n\
                   - بند \x1b]0;title\x07\n";
    let dir = tempfile::tempdir().unwrap();
    for name in ["hostile.md", "hostile.txt"] {
        let path = dir.path().join(name);
        std::fs::write(&path, hostile).unwrap();
        let path = path.to_str().unwrap();
        for args in [
            vec!["extract", path],
            vec!["extract", "--json", path],
            vec!["render", path],
        ] {
            let out = qari(&args, b"");
            assert!(out.status.success(), "{args:?}: {}", stderr(&out));
            assert!(
                !acts_on_a_terminal(&out.stdout),
                "{args:?}: {:?}",
                stdout(&out)
            );
            assert!(!acts_on_a_terminal(&out.stderr), "{args:?}");
            // render prints visual order in presentation forms; extract the text itself.
            if args[0] == "extract" {
                assert!(stdout(&out).contains("أحمر"), "{args:?}");
            }
        }
    }
    let out = qari(
        &["lookup", "--no-system-dicts", "--no-personal", "-"],
        hostile.as_bytes(),
    );
    assert!(!acts_on_a_terminal(&out.stdout));
    assert!(!acts_on_a_terminal(&out.stderr));
}

#[test]
fn an_empty_document_prints_nothing() {
    let out = qari(&["extract"], b"");
    assert!(out.status.success());
    assert_eq!(stdout(&out), "");
    let json = qari(&["extract", "--json"], b"  \n\n");
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["blocks"].as_array().unwrap().len(), 0);
}
