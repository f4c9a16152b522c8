//! Decoding warnings reach the status bar whatever the format and however the document
//! loads: bad bytes in the first part of a large file at once, bad bytes further on once
//! the whole file is read (even when a search waited for it), and every warning, not
//! only the first.

use std::path::Path;

use qari::app::{self, App, Level, Msg};
use qari::config::Config;
use qari::document::{Document, LoadOptions, PROGRESSIVE_THRESHOLD};

fn status(app: &App) -> (Level, String) {
    let message = app.message.clone().expect("a status message");
    (message.level, message.text)
}

/// A plain-text file over the progressive threshold: paragraphs of Arabic, with an
/// invalid UTF-8 byte written into paragraph `bad_at` (a share of the file, in percent).
fn large_file(dir: &Path, bad_at: usize) -> std::path::PathBuf {
    let paragraph = "كان يا ما كان في قديم الزمان مكتبة تفتح أبوابها في المساء.\n\n";
    let count = (PROGRESSIVE_THRESHOLD as usize * 5 / 4) / paragraph.len();
    let mut bytes = Vec::new();
    for i in 0..count {
        if i == count * bad_at / 100 {
            bytes.extend_from_slice(b"\xff ");
        }
        bytes.extend_from_slice(paragraph.as_bytes());
    }
    bytes.extend_from_slice("النهاية.\n".as_bytes());
    let path = dir.join("large.txt");
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Opens `path` as the reader does; returns the reader on its first part, and the
/// whole document (read as the document lane would).
fn open_progressively(path: &Path) -> (App, Document) {
    let (first, rest) =
        Document::open_progressive_with(path.to_str().unwrap(), &LoadOptions::default()).unwrap();
    let rest = rest.expect("the file opens progressively");
    let whole = rest.load().unwrap();
    let mut app = App::new(first, &Config::default(), 80, 24);
    app::update(&mut app, Msg::LoadingDocument(1));
    (app, whole)
}

#[test]
fn bad_bytes_past_the_first_part_are_reported_once_the_whole_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, whole) = open_progressively(&large_file(dir.path(), 80));
    // A search waits for the whole document, and its answer must not hide the warning.
    app::update(
        &mut app,
        Msg::Search {
            query: "النهاية".into(),
            backward: false,
        },
    );
    app::update(
        &mut app,
        Msg::DocumentLoaded {
            id: 1,
            doc: Box::new(whole),
        },
    );
    let (level, text) = status(&app);
    assert_eq!(level, Level::Warning, "{text}");
    assert!(
        text.contains("1 byte sequence did not decode as UTF-8"),
        "{text}"
    );
    assert!(
        text.contains("1/1"),
        "the search's answer is said too: {text}"
    );
    let cursor = app.cursor.unwrap();
    assert_eq!(cursor.para, app.doc.paragraphs.len() - 1, "the search ran");
}

#[test]
fn bad_bytes_in_the_first_part_are_reported_on_the_first_screen() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = open_progressively(&large_file(dir.path(), 0));
    let (level, text) = status(&app);
    assert_eq!(level, Level::Warning, "{text}");
    assert!(text.contains("did not decode as UTF-8"), "{text}");
}

#[test]
fn a_decoding_warning_reaches_the_status_bar_in_every_format() {
    // ISO-8859-6 has bytes that stand for nothing (0xA1 here).
    let dir = tempfile::tempdir().unwrap();
    let arabic = encoding_rs::Encoding::for_label(b"iso-8859-6")
        .unwrap()
        .encode("كان يا ما كان في قديم الزمان، في مدينة بعيدة، مكتبة كبيرة تفتح أبوابها في المساء.")
        .0
        .into_owned();
    let with = |before: &[u8], after: &[u8]| [before, &arabic, b"\xa1", after].concat();
    let files = [
        ("story.txt", with(b"", b"\n")),
        ("story.md", with(b"# ", b"\n\n- ")),
        (
            "story.html",
            with(
                b"<html><head><meta charset=\"iso-8859-6\"><title>t</title></head><body><p>",
                b"</p></body></html>",
            ),
        ),
    ];
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let options = LoadOptions {
            encoding: (!name.ends_with(".html")).then(|| "iso-8859-6".to_owned()),
            ..LoadOptions::default()
        };
        let doc = qari::document::load(path.to_str().unwrap(), &options).unwrap();
        let app = App::new(doc, &Config::default(), 200, 24);
        let (level, shown) = status(&app);
        assert_eq!(level, Level::Warning, "{name}: {shown}");
        assert!(
            shown.contains("1 byte sequence did not decode as ISO-8859-6"),
            "{name}: {shown}"
        );
    }
}

#[test]
fn every_warning_of_a_document_is_shown_not_only_the_first() {
    let mut doc = Document::from_text("t", "نص قصير".into());
    doc.warnings = vec![
        "not UTF-8; read as windows-1256".into(),
        "2 byte sequences did not decode".into(),
    ];
    let app = App::new(doc, &Config::default(), 200, 24);
    let (level, shown) = status(&app);
    assert_eq!(level, Level::Warning);
    assert!(shown.contains("not UTF-8; read as windows-1256"), "{shown}");
    assert!(shown.contains("2 byte sequences did not decode"), "{shown}");
}
