//! EPUB books built in the test: chapters in spine order with their table-of-contents
//! titles, metadata, page progression, hostile text, and archives that would inflate
//! past the limits.

#[path = "common/epub_zip.rs"]
mod epub_zip;

use epub_zip::{Book, Chapter, Entry};
use qari::document::model::{BlockKind, Direction, Structured};
use qari::document::{epub, html};

fn chapter(file: &str, label: Option<&str>, body: &str) -> Chapter {
    Chapter {
        file: file.into(),
        label: label.map(Into::into),
        body: body.into(),
    }
}

fn book() -> Book {
    Book {
        title: "حكايات الحي".into(),
        author: "سلمى الحداد".into(),
        language: "ar".into(),
        direction: Some("rtl".into()),
        chapters: vec![
            chapter(
                "text/two.xhtml",
                Some("الفصل الثاني: السوق"),
                "<h2>السوق</h2><p>في الصباح يمتلئ السوق بالباعة.</p>",
            ),
            chapter(
                "text/one.xhtml",
                Some("الفصل الأول: المكتبة"),
                "<h1>المكتبة</h1><p>تفتح المكتبة أبوابها في المساء.</p>\
                 <blockquote>اقتباس قصير</blockquote><ul><li>بند أول</li><li>بند ثان</li></ul>",
            ),
            chapter(
                "text/cover.xhtml",
                None,
                "<div><img src='cover.png'/></div>",
            ),
            chapter(
                "text/three.xhtml",
                None,
                "<h2>خاتمة</h2><p dir='ltr'>The end &amp; after.</p>",
            ),
        ],
        // The spine's order, not the manifest's, is the reading order.
        spine: vec![2, 1, 0, 3],
    }
}

fn open(bytes: &[u8]) -> Structured {
    epub::parse(bytes, "book.epub").expect("the book opens")
}

#[test]
fn chapters_follow_the_spine_with_their_titles_and_the_book_metadata() {
    let doc = open(&epub_zip::epub(&book()));
    let chapters: Vec<(&str, usize)> = doc
        .chapters
        .iter()
        .map(|c| (c.title.as_str(), c.first_block))
        .collect();
    // The cover has no text and makes no chapter; a chapter missing from the table of
    // contents is named by its first heading.
    assert_eq!(
        chapters,
        vec![
            ("الفصل الأول: المكتبة", 0),
            ("الفصل الثاني: السوق", 5),
            ("خاتمة", 7),
        ]
    );
    let blocks: Vec<(BlockKind, &str)> = (0..doc.blocks.len())
        .map(|i| (doc.blocks[i].kind, doc.block_text(i)))
        .collect();
    assert_eq!(
        blocks,
        vec![
            (BlockKind::Heading(1), "المكتبة"),
            (BlockKind::Paragraph, "تفتح المكتبة أبوابها في المساء."),
            (BlockKind::Quote, "اقتباس قصير"),
            (BlockKind::ListItem, "بند أول"),
            (BlockKind::ListItem, "بند ثان"),
            (BlockKind::Heading(2), "السوق"),
            (BlockKind::Paragraph, "في الصباح يمتلئ السوق بالباعة."),
            (BlockKind::Heading(2), "خاتمة"),
            (BlockKind::Paragraph, "The end & after."),
        ]
    );
    // The page progression gives the direction, but a paragraph's own `dir` wins.
    let dirs: Vec<_> = doc.blocks.iter().map(|b| b.dir).collect();
    assert!(
        dirs[..8].iter().all(|d| *d == Some(Direction::Rtl)),
        "{dirs:?}"
    );
    assert_eq!(dirs[8], Some(Direction::Ltr));
    assert_eq!(doc.meta.title.as_deref(), Some("حكايات الحي"));
    assert_eq!(doc.meta.author.as_deref(), Some("سلمى الحداد"));
    assert_eq!(doc.meta.language.as_deref(), Some("ar"));
    assert_eq!(doc.meta.source.as_deref(), Some("book.epub"));
}

#[test]
fn a_left_to_right_book_and_one_without_a_direction() {
    let mut ltr = book();
    ltr.direction = Some("ltr".into());
    assert!(
        open(&epub_zip::epub(&ltr)).blocks[..8]
            .iter()
            .all(|b| b.dir == Some(Direction::Ltr))
    );
    let mut none = book();
    none.direction = None;
    assert!(
        open(&epub_zip::epub(&none)).blocks[..8]
            .iter()
            .all(|b| b.dir.is_none())
    );
}

#[test]
fn escape_sequences_in_metadata_and_chapters_are_dropped() {
    let mut hostile = book();
    hostile.title = "عنوان&#27;]52;c;SGVsbG8=&#7;".into();
    hostile.author = "\u{1b}[31mكاتب".into();
    hostile.chapters[0].label = Some("فصل&#x1b;[2J".into());
    hostile.chapters[0].body = "<p>نص\u{1b}]0;x\u{7} &#x9b;1m آخر</p>".into();
    let doc = open(&epub_zip::epub(&hostile));
    let mut all = doc.text.clone();
    for c in &doc.chapters {
        all.push_str(&c.title);
    }
    for m in [&doc.meta.title, &doc.meta.author, &doc.meta.language] {
        all.push_str(m.as_deref().unwrap_or(""));
    }
    // No control character in the text, the titles or the metadata.
    html::check_structured(&doc);
    assert!(!all.contains("52;c;"), "{all:?}");
    assert!(doc.text.contains("نص"), "{:?}", doc.text);
}

#[test]
fn a_self_closed_title_does_not_swallow_the_chapter() {
    let mut entries = epub_zip::epub_entries(&book());
    let chapter = entries
        .iter_mut()
        .find(|e| e.name == "OEBPS/text/cover.xhtml")
        .unwrap();
    chapter.data = b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'>\
        <head><title/><style type='text/css'/></head><body><p>\xd8\xba\xd9\x84\xd8\xa7\xd9\x81</p>\
        <a id='x'/><p>after</p></body></html>"
        .to_vec();
    let doc = open(&epub_zip::zip(&entries));
    assert_eq!(doc.block_text(0), "غلاف");
    assert_eq!(doc.block_text(1), "after");
}

#[test]
fn an_entry_declared_too_large_is_refused_before_inflating() {
    let mut entries = epub_zip::epub_entries(&book());
    let mut bomb = Entry::deflated("OEBPS/text/bomb.xhtml", vec![b'a'; 1000]);
    bomb.declared_size = Some(3_000_000_000);
    entries.push(bomb);
    let err = epub::parse(&epub_zip::zip(&entries), "bomb.epub").unwrap_err();
    assert!(err.contains("bomb.epub"), "{err}");
    assert!(err.contains("OEBPS/text/bomb.xhtml"), "{err}");
    assert!(err.contains("zip bomb"), "{err}");
}

#[test]
fn entries_declared_too_large_together_are_refused() {
    let mut entries = epub_zip::epub_entries(&book());
    for i in 0..10 {
        let mut part = Entry::stored(&format!("OEBPS/part{i}.bin"), vec![0; 10]);
        part.declared_size = Some(60 << 20);
        entries.push(part);
    }
    let err = epub::parse(&epub_zip::zip(&entries), "parts.epub").unwrap_err();
    assert!(
        err.contains("parts.epub") && err.contains("zip bomb"),
        "{err}"
    );
}

#[test]
fn a_chapter_inflating_past_its_declared_size_is_cut_off() {
    let mut entries = epub_zip::epub_entries(&book());
    // The chapter in the spine's first place claims 100 bytes and inflates to 4 MB.
    let chapter = entries
        .iter_mut()
        .find(|e| e.name == "OEBPS/text/cover.xhtml")
        .unwrap();
    let mut big = b"<html><body><p>".to_vec();
    big.extend(std::iter::repeat_n(b'a', 4 << 20));
    chapter.data = big;
    chapter.declared_size = Some(100);
    let err = epub::parse(&epub_zip::zip(&entries), "liar.epub").unwrap_err();
    assert!(
        err.contains("liar.epub") && err.contains("text/cover.xhtml"),
        "{err}"
    );
}

#[test]
fn not_a_book_says_so() {
    let err = epub::parse(b"PK\x03\x04 but nothing more", "broken.epub").unwrap_err();
    assert!(err.contains("broken.epub") && err.contains("EPUB"), "{err}");
    let zip_without_book = epub_zip::zip(&[Entry::stored("readme.txt", "hello")]);
    let err = epub::parse(&zip_without_book, "plain.zip").unwrap_err();
    assert!(err.contains("plain.zip") && err.contains("EPUB"), "{err}");
}

/// `bytes` written to a file in a new directory.
fn book_file(bytes: &[u8]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.epub");
    std::fs::write(&path, bytes).unwrap();
    let path = path.to_str().unwrap().to_owned();
    (dir, path)
}

#[test]
fn a_large_book_opens_with_its_first_chapter_and_the_rest_is_the_whole_book() {
    use qari::document::{self, Document, LoadOptions};
    let size = document::BOOK_FIRST_THRESHOLD as usize + 10_000;
    let (_dir, path) = book_file(&epub_zip::long_book(8, size));
    let (first, rest) = Document::open_progressive_at(&path, &LoadOptions::default(), None)
        .expect("the book opens");
    let rest = rest.expect("more chapters to read");
    // The cover has no text: the first chapter with text is shown.
    let titles: Vec<&str> = first.chapters.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["الفصل 1"]);
    assert_eq!(first.paragraph(0), "الفصل 1");
    assert_eq!(first.blocks.len(), 7);
    assert_eq!(first.meta.title.as_deref(), Some("كتاب طويل"));

    let whole = rest.load().expect("the whole book");
    let loaded = document::load(&path, &LoadOptions::default()).unwrap();
    assert_eq!(
        whole.text, loaded.text,
        "the rest is the book as every command reads it"
    );
    assert_eq!(whole.blocks, loaded.blocks);
    assert_eq!(whole.chapters, loaded.chapters);
    assert_eq!(whole.chapters.len(), 8);
    assert_eq!(whole.meta, first.meta);
    assert!(whole.text.starts_with(&first.text));
    assert_eq!(whole.blocks[..first.blocks.len()], first.blocks[..]);
    assert_eq!(whole.chapters[..1], first.chapters[..]);
}

#[test]
fn a_book_opens_up_to_the_chapter_of_a_saved_position() {
    use qari::document::{self, Document, LoadOptions};
    let size = document::BOOK_FIRST_THRESHOLD as usize + 10_000;
    let (_dir, path) = book_file(&epub_zip::long_book(8, size));
    let whole = document::load(&path, &LoadOptions::default()).unwrap();
    let saved = whole.chapters[4].first_block + 3;
    let (first, rest) =
        Document::open_progressive_at(&path, &LoadOptions::default(), Some(saved)).unwrap();
    assert!(rest.is_some());
    assert_eq!(
        first.chapters.len(),
        5,
        "up to the fifth chapter, no further"
    );
    assert_eq!(first.paragraph(saved), whole.paragraph(saved));
    assert!(first.paragraph(saved).contains("كلمة5"));

    // A position in the last chapter: the whole book, nothing left to read.
    let last = whole.blocks.len() - 1;
    let (all, rest) =
        Document::open_progressive_at(&path, &LoadOptions::default(), Some(last)).unwrap();
    assert!(rest.is_none());
    assert_eq!(all.text, whole.text);
}

#[test]
fn a_small_book_opens_whole() {
    use qari::document::{Document, LoadOptions};
    let bytes = epub_zip::long_book(3, 0);
    assert!(bytes.len() < qari::document::BOOK_FIRST_THRESHOLD as usize);
    let (_dir, path) = book_file(&bytes);
    let (doc, rest) = Document::open_progressive_at(&path, &LoadOptions::default(), None).unwrap();
    assert!(rest.is_none());
    assert_eq!(doc.chapters.len(), 3);
}
