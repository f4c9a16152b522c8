//! Reading positions are a block and a character offset, found again by the block's text:
//! after a page, a Markdown file or an EPUB is changed a little (a paragraph added
//! above, a menu item gone) and opened again, the same sentence is under the cursor.
//! The reader's App is driven through `update`, the positions file is the real one.

#[path = "common/epub_zip.rs"]
mod epub_zip;

use std::path::Path;

use qari::app::{self, App, Msg};
use qari::config::Config;
use qari::document::html::HtmlOptions;
use qari::document::{self, LoadOptions};
use qari::state;

/// The word the test puts the cursor on, and the sentence it is in.
const WORD: &str = "ستعمل";
const SENTENCE: &str = "ستعمل المكتبة بنظام المناوبة";

fn open(path: &Path, options: &LoadOptions) -> App {
    let doc = document::load(path.to_str().unwrap(), options).expect("the document opens");
    App::new(doc, &Config::default(), 60, 12)
}

/// Opens `before` as `name`, puts the cursor on `WORD` and saves the position as the
/// reader does on quitting; writes `after` in its place, opens it again and restores.
/// Returns the restored reader.
fn reopen(name: &str, before: &[u8], after: &[u8], options: &LoadOptions) -> App {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    let positions = dir.path().join("positions.tsv");
    std::fs::write(&path, before).unwrap();
    let mut app = open(&path, options);
    let at = app
        .doc
        .text
        .find(SENTENCE)
        .expect("the sentence is in the document");
    app.restore_position(at, 0, at);
    assert_eq!(app.cursor_text().as_deref(), Some(WORD));
    state::save_to(&positions, &path, app.position()).unwrap();

    std::fs::write(&path, after).unwrap();
    let mut app = open(&path, options);
    let (saved, warnings) = state::load_from(&positions, &path);
    assert!(warnings.is_empty(), "{warnings:?}");
    app::update(
        &mut app,
        Msg::RestorePosition(saved.expect("a position was saved")),
    );
    app
}

fn assert_on_the_sentence(app: &mut App, what: &str) {
    assert_eq!(app.cursor_text().as_deref(), Some(WORD), "{what}");
    let cursor = app.cursor.unwrap();
    assert!(
        app.doc.paragraph(cursor.para).contains(SENTENCE),
        "{what}: the cursor is in {:?}",
        app.doc.paragraph(cursor.para)
    );
    assert!(app.cursor_on_screen().is_some(), "{what}");
}

fn page() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/web/article-utf8.html"),
    )
    .unwrap()
}

/// The page with a paragraph added at the top of the article and a menu item gone.
fn changed_page() -> String {
    let page = page();
    let added = page.replacen(
        "<p class=\"byline\">",
        "<p>تحديث: أضيفت إلى هذا الخبر فقرة جديدة في أعلاه بعد نشره بساعة، وفيها تفاصيل عن ساعات العمل الجديدة.</p>\n<p class=\"byline\">",
        1,
    );
    assert_ne!(added, page);
    let removed = added.replacen("<li><a href=\"/sport\">رياضة</a></li>", "", 1);
    assert_ne!(removed, added);
    removed
}

#[test]
fn an_html_page_changed_above_the_cursor_reopens_on_the_same_sentence() {
    let mut app = reopen(
        "page.html",
        page().as_bytes(),
        changed_page().as_bytes(),
        &LoadOptions::default(),
    );
    assert_on_the_sentence(&mut app, "article extraction");

    // The whole page, menu items and all: one item fewer shifts every block.
    let whole = LoadOptions {
        html: HtmlOptions { whole_page: true },
        ..LoadOptions::default()
    };
    let mut app = reopen(
        "page.html",
        page().as_bytes(),
        changed_page().as_bytes(),
        &whole,
    );
    assert_on_the_sentence(&mut app, "--no-extract");
}

#[test]
fn a_markdown_file_changed_above_the_cursor_reopens_on_the_same_sentence() {
    let body = format!(
        "# المكتبة\n\nقررت المكتبة العامة أن تبقى مفتوحة.\n\n## ماذا يتغير؟\n\n{SENTENCE}، فيبدأ فريق الصباح عمله في الثامنة.\n\n- بند\n"
    );
    let changed = format!(
        "# المكتبة\n\n> تحديث في أعلى الصفحة.\n\nفقرة جديدة.\n\nقررت المكتبة العامة أن تبقى مفتوحة.\n\n## ماذا يتغير؟\n\n{SENTENCE}، فيبدأ فريق الصباح عمله في الثامنة.\n"
    );
    let mut app = reopen(
        "notes.md",
        body.as_bytes(),
        changed.as_bytes(),
        &LoadOptions::default(),
    );
    assert_on_the_sentence(&mut app, "markdown");
}

#[test]
fn a_paragraph_edited_a_little_and_moved_down_reopens_on_the_same_sentence() {
    let body = format!(
        "# المكتبة\n\nقررت المكتبة العامة أن تبقى مفتوحة.\n\nوقالت المديرة إن العمل سيتغير: {SENTENCE}، فيبدأ فريق الصباح عمله في الثامنة.\n\nوالمكتبة قديمة.\n"
    );
    // A paragraph added above; in the cursor's own paragraph the first words and a
    // word after the sentence changed.
    let changed = format!(
        "# المكتبة\n\nتحديث: أضيفت هذه الفقرة بعد النشر.\n\nقررت المكتبة العامة أن تبقى مفتوحة.\n\nوأوضحت مديرة المكتبة أن العمل سيتغير: {SENTENCE}، فيبدأ فريق الصباح عمله في التاسعة.\n\nوالمكتبة قديمة.\n"
    );
    let mut app = reopen(
        "notes.md",
        body.as_bytes(),
        changed.as_bytes(),
        &LoadOptions::default(),
    );
    assert_on_the_sentence(&mut app, "an edited paragraph");
    assert_eq!(app.cursor.map(|c| c.para), Some(3));
}

fn book(extra_chapter: bool) -> Vec<u8> {
    let chapter = |file: &str, label: &str, body: String| epub_zip::Chapter {
        file: file.into(),
        label: Some(label.into()),
        body,
    };
    let mut chapters = vec![
        chapter(
            "one.xhtml",
            "الأول",
            "<h1>المكتبة</h1><p>تفتح المكتبة أبوابها في المساء.</p>".into(),
        ),
        chapter(
            "two.xhtml",
            "الثاني",
            format!("<h2>السوق</h2><p>{SENTENCE} في الأسبوع القادم.</p>"),
        ),
    ];
    if extra_chapter {
        chapters.insert(
            0,
            chapter(
                "preface.xhtml",
                "مقدمة",
                "<h1>مقدمة</h1><p>كلمة للقارئ.</p><p>وكلمة أخرى.</p>".into(),
            ),
        );
    }
    let spine = (0..chapters.len()).collect();
    epub_zip::epub(&epub_zip::Book {
        title: "حكايات".into(),
        author: "سلمى".into(),
        language: "ar".into(),
        direction: Some("rtl".into()),
        chapters,
        spine,
    })
}

#[test]
fn an_epub_with_a_new_preface_reopens_on_the_same_sentence() {
    let mut app = reopen(
        "book.epub",
        &book(false),
        &book(true),
        &LoadOptions::default(),
    );
    assert_on_the_sentence(&mut app, "epub");
}

#[test]
fn a_position_saved_as_byte_offsets_by_an_older_qari_still_restores() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.md");
    std::fs::write(&path, format!("# عنوان\n\nتمهيد.\n\n{SENTENCE}.\n")).unwrap();
    let mut app = open(&path, &LoadOptions::default());
    let at = app.doc.text.find(SENTENCE).unwrap();
    let positions = dir.path().join("positions.tsv");
    let mut line = path.as_os_str().as_encoded_bytes().to_vec();
    line.extend_from_slice(format!("\t{at}\t0\t{at}\n").as_bytes());
    std::fs::write(&positions, line).unwrap();
    let (saved, warnings) = state::load_from(&positions, &path);
    assert!(warnings.is_empty(), "{warnings:?}");
    app::update(&mut app, Msg::RestorePosition(saved.unwrap()));
    assert_on_the_sentence(&mut app, "an old line");
}

#[test]
fn a_block_that_changed_falls_back_to_its_place_not_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.md");
    let numbered = |n: usize, edited: bool| -> String {
        (0..n)
            .map(|i| {
                if edited && i == 30 {
                    format!("الفقرة {i} بعد تعديلها.")
                } else {
                    format!("الفقرة {i}.")
                }
            })
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    std::fs::write(&path, numbered(60, false)).unwrap();
    let mut app = open(&path, &LoadOptions::default());
    let at = app.doc.paragraphs[30].start;
    app.restore_position(at, 0, at);
    let saved = app.position();
    std::fs::write(&path, numbered(60, true)).unwrap();
    let mut app = open(&path, &LoadOptions::default());
    app::update(&mut app, Msg::RestorePosition(saved));
    assert_eq!(app.top.para, 30);
    assert_eq!(app.cursor.map(|c| c.para), Some(30));
}

#[test]
fn a_position_past_the_first_part_of_a_large_file_waits_for_the_whole_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.txt");
    let paragraph = "كان يا ما كان في قديم الزمان مكتبة تفتح أبوابها في المساء";
    let count = (document::PROGRESSIVE_THRESHOLD as usize * 5 / 4) / (paragraph.len() + 8);
    let text: String = (0..count).map(|i| format!("{paragraph} {i}\n\n")).collect();
    std::fs::write(&path, &text).unwrap();
    let source = path.to_str().unwrap();

    // Saved near the end by a reader that had the whole file.
    let whole = document::load(source, &LoadOptions::default()).unwrap();
    let mut reader = App::new(whole.clone(), &Config::default(), 60, 12);
    let near_end = whole.paragraphs[count - 3].start;
    reader.restore_position(near_end, 0, near_end);
    let saved = reader.position();

    let (first, rest) = document::Document::open_progressive(source).unwrap();
    assert!(rest.is_some() && first.paragraphs.len() < count - 3);
    let mut app = App::new(first, &Config::default(), 60, 12);
    app::update(&mut app, Msg::LoadingDocument(1));
    app::update(&mut app, Msg::RestorePosition(saved));
    assert_eq!(app.top.para, 0, "nothing to restore to yet");
    app::update(
        &mut app,
        Msg::DocumentLoaded {
            id: 1,
            doc: Box::new(whole),
        },
    );
    assert_eq!(app.cursor.map(|c| c.para), Some(count - 3));
    assert_eq!(
        app.cursor_text().as_deref(),
        Some("كان"),
        "the cursor is on the paragraph's first word"
    );
}
