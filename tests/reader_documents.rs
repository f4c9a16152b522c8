//! The reader on documents with structure: blocks laid out by kind, the title in the
//! status bar, the table of contents, an empty document, and a large file opened
//! progressively through the pipeline.

mod common;
#[path = "common/epub_zip.rs"]
mod epub_zip;

use crossterm::event::{KeyCode, KeyEvent};
use qari::app::{self, Action, App, InputState, Mode, Msg, ScreenRow};
use qari::config::Config;
use qari::document::{BlockKind, Document, LoadOptions, markdown};
use qari::keymap::Keymap;

const GUIDE_MD: &str = "# دليل القارئ\n\nمقدمة قصيرة.\n\n## الفصل الأول\n\n\
                        - افتح المقالة\n- اقرأ الفقرة الأولى\n\n> الكتاب خير جليس.\n\n---\n\n\
                        ## الفصل الثاني\n\nنص الفصل الثاني.\n";

fn reader(markdown_text: &str, width: u16, height: u16) -> App {
    let doc = Document::from_structured("guide.md", markdown::parse(markdown_text));
    App::new(doc, &Config::default(), width, height)
}

/// The screen's rows as (block kind, line) or "blank"/"end".
fn rows(app: &App) -> Vec<String> {
    app.screen
        .iter()
        .map(|row| match row {
            ScreenRow::Line { para, line, .. } => format!("{:?}:{line}", app.doc.kind(*para)),
            ScreenRow::Blank => "blank".into(),
            ScreenRow::End => "end".into(),
        })
        .collect()
}

fn screen_text(app: &App, ui: &qari::ui::UiContext) -> Vec<String> {
    let (w, h) = app.size;
    let area = ratatui::layout::Rect::new(0, 0, w, h);
    let mut buf = ratatui::buffer::Buffer::empty(area);
    qari::ui::draw_into(app, ui, area, &mut buf);
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_owned()).collect())
        .collect()
}

#[test]
fn blocks_are_laid_out_by_kind() {
    let mut app = reader(GUIDE_MD, 60, 20);
    app::update(&mut app, Msg::Resize(60, 20));
    assert_eq!(
        rows(&app)[..12],
        [
            "Heading(1):0",
            "blank",
            "Paragraph:0",
            "blank",
            "Heading(2):0",
            "blank",
            // The items of a list follow each other without a blank row.
            "ListItem:0",
            "ListItem:0",
            "blank",
            "Quote:0",
            "blank",
            "Rule:0",
        ]
    );
    let ui = qari::ui::UiContext::default();
    let screen = screen_text(&app, &ui);
    // Right-to-left list items carry their bullet on the right, the quote its bar.
    assert!(screen[6].trim_end().ends_with('•'), "{:?}", screen[6]);
    assert!(screen[9].trim_end().ends_with('│'), "{:?}", screen[9]);
    assert!(screen[11].contains("───"), "{:?}", screen[11]);
    // The status bar names the document by its first heading.
    let status = &screen[19];
    assert!(!status.contains("guide.md"), "{status}");
}

#[test]
fn code_reads_left_to_right_with_its_indentation() {
    // The code's first strong letter is Arabic: as a paragraph it would be right to left.
    let text = "مقدمة قصيرة.\n\n```\n# تعليق عربي\n    x = 1\n```\n";
    let mut app = reader(text, 40, 10);
    app::update(&mut app, Msg::Resize(40, 10));
    assert_eq!(
        rows(&app)[..4],
        ["Paragraph:0", "blank", "Code:0", "Code:1"]
    );
    let ui = qari::ui::UiContext::default();
    let screen = screen_text(&app, &ui);
    // After the gutter on the left, each line starts at the left edge, indented as written.
    let after_gutter = |row: &str| {
        row.trim_start()
            .strip_prefix('│')
            .map(|rest| rest.chars().skip(1).collect::<String>())
            .unwrap_or_default()
    };
    assert!(
        after_gutter(&screen[2]).starts_with("# "),
        "{:?}",
        screen[2]
    );
    assert!(
        after_gutter(&screen[3]).starts_with("    x = 1"),
        "{:?}",
        screen[3]
    );
}

#[test]
fn the_table_of_contents_marks_the_current_heading_and_jumps() {
    let keymap = Keymap::load("default", None).unwrap().0;
    let mut input = InputState::default();
    let mut app = reader(&GUIDE_MD.repeat(3), 60, 10);
    let key = |app: &mut App, input: &mut InputState, code| {
        app::handle_key(app, &keymap, input, KeyEvent::from(code));
    };
    key(&mut app, &mut input, KeyCode::Char('t'));
    assert_eq!(app.mode, Mode::Toc { selected: 0 });
    assert_eq!(app.toc.len(), 9);
    assert_eq!(app.toc[1].level, 2);
    // Down twice, Enter: the second chapter's heading is at the top.
    key(&mut app, &mut input, KeyCode::Char('j'));
    key(&mut app, &mut input, KeyCode::Down);
    key(&mut app, &mut input, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.doc.paragraph(app.top.para), "الفصل الثاني");
    assert_eq!(app.top.row, 0);
    // Opened again, it starts on the heading the reader is in; Esc closes it.
    key(&mut app, &mut input, KeyCode::Char('t'));
    assert_eq!(app.mode, Mode::Toc { selected: 2 });
    key(&mut app, &mut input, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Normal);
    // The jump is remembered for jump_back.
    app::update(&mut app, Msg::Action(Action::JumpBack));
    assert_eq!(app.top.para, 0);
}

#[test]
fn a_document_without_headings_says_there_is_nothing_to_list() {
    let mut app = common::reader::app_on("نص بلا عناوين", 40, 6);
    common::reader::act(&mut app, Action::TableOfContents);
    assert_eq!(app.mode, Mode::Normal);
    let message = app.message.as_ref().map(|m| m.text.clone()).unwrap();
    assert!(message.contains("no headings"), "{message}");
}

#[test]
fn an_empty_document_says_so() {
    let app = App::new(
        Document::from_bytes("empty.txt", b"\n  \n".to_vec()).unwrap(),
        &Config::default(),
        40,
        6,
    );
    let message = app.message.as_ref().map(|m| m.text.clone()).unwrap();
    assert!(message.contains("empty"), "{message}");
    assert!(app.doc.blocks.is_empty());
}

/// The status bar (the last row) of `app` drawn with the default keymap.
fn status_bar(app: &App) -> String {
    let (keymap, _) = Keymap::load("default", None).unwrap();
    let ui = qari::ui::UiContext::new(&keymap, "default", Config::default().colors);
    screen_text(app, &ui).pop().unwrap()
}

#[test]
fn the_status_bar_of_an_empty_document_says_so_and_counts_nothing() {
    let app = App::new(
        Document::from_bytes("empty.txt", b"\n  \n".to_vec()).unwrap(),
        &Config::default(),
        80,
        6,
    );
    let bar = status_bar(&app);
    assert!(bar.contains("empty  READ"), "{bar}");
    assert!(!bar.contains("0/0") && !bar.contains('%'), "{bar}");
}

#[test]
fn while_a_page_downloads_the_status_bar_says_how_much_has_arrived() {
    let url = "http://127.0.0.1:9/article";
    let mut app = App::new(
        Document::from_text(url, String::new()),
        &Config::default(),
        100,
        12,
    );
    app::update(
        &mut app,
        Msg::Downloading {
            id: 1,
            url: url.into(),
        },
    );
    let bar = status_bar(&app);
    assert!(bar.contains(url), "the page's address: {bar}");
    assert!(bar.contains("0 bytes so far  READ"), "{bar}");
    assert!(!bar.contains('¶') && !bar.contains("0/0"), "{bar}");
    app::update(
        &mut app,
        Msg::DownloadProgress {
            id: 1,
            received: 12_500,
            total: Some(40_000),
        },
    );
    let bar = status_bar(&app);
    assert!(bar.contains("12.5 kB of 40.0 kB (31%)  READ"), "{bar}");
    assert!(!bar.contains('¶') && !bar.contains("0/0"), "{bar}");
}

#[test]
fn while_the_rest_of_a_document_loads_the_status_bar_gives_no_count_or_percentage() {
    let text: String = (0..40).map(|i| format!("الفقرة {i}\n\n")).collect();
    let first = Document::from_text("big.txt", text);
    let mut app = App::new(first, &Config::default(), 80, 10);
    app::update(&mut app, Msg::LoadingDocument(1));
    let bar = status_bar(&app);
    assert!(bar.contains("¶ 1  loading the rest…  READ"), "{bar}");
    assert!(!bar.contains("/40") && !bar.contains('%'), "{bar}");
    let whole: String = (0..80).map(|i| format!("الفقرة {i}\n\n")).collect();
    app::update(
        &mut app,
        Msg::DocumentLoaded {
            id: 1,
            doc: Box::new(Document::from_text("big.txt", whole)),
        },
    );
    let bar = status_bar(&app);
    assert!(bar.contains("¶ 1/80"), "{bar}");
    assert!(bar.contains('%'), "{bar}");
}

#[test]
fn a_large_file_opens_progressively_with_paragraphs_at_blank_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.txt");
    // Hard-wrapped paragraphs of three lines, blank lines between: 5 MB.
    let paragraph = "سطر أول من الفقرة\nسطر ثان منها\nسطر ثالث.\n\n";
    let count = 5 * 1024 * 1024 / paragraph.len() + 1;
    std::fs::write(&path, paragraph.repeat(count)).unwrap();
    let path = path.to_str().unwrap();
    let (first, rest) = Document::open_progressive_with(path, &LoadOptions::default()).unwrap();
    let rest = rest.expect("a large file is read in two steps");
    assert!(first.paragraphs.len() < count);
    assert_eq!(
        first.paragraph(0),
        "سطر أول من الفقرة سطر ثان منها سطر ثالث."
    );
    let last = first.paragraphs.len() - 1;
    assert_eq!(
        first.paragraph(last),
        first.paragraph(0),
        "no paragraph is cut"
    );
    let whole = rest.load().unwrap();
    assert_eq!(whole.paragraphs.len(), count);
    assert_eq!(&whole.text[..first.text.len()], first.text);
    assert!(whole.blocks.iter().all(|b| b.kind == BlockKind::Paragraph));
}

#[test]
fn a_large_book_is_read_from_its_first_chapter_and_whole_once_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.epub");
    let size = qari::document::BOOK_FIRST_THRESHOLD as usize + 10_000;
    std::fs::write(&path, epub_zip::long_book(8, size)).unwrap();
    let path = path.to_str().unwrap();
    let (first, rest) = Document::open_progressive_at(path, &LoadOptions::default(), None).unwrap();
    let rest = rest.expect("the rest of the book to read");
    let mut app = App::new(first, &Config::default(), 60, 12);
    app::update(&mut app, Msg::LoadingDocument(1));
    assert_eq!(app.doc.paragraph(0), "الفصل 1");
    assert_eq!(app.doc.chapters.len(), 1);

    // A search for a word of the last chapter, and the contents, wait for the book.
    app::update(
        &mut app,
        Msg::Search {
            query: "كلمة8".into(),
            backward: false,
        },
    );
    common::reader::act(&mut app, Action::TableOfContents);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.top.para, 0);
    let said = app.message.as_ref().map(|m| m.text.clone()).unwrap();
    assert!(said.contains("reading the rest"), "{said}");

    app::update(
        &mut app,
        Msg::DocumentLoaded {
            id: 1,
            doc: Box::new(rest.load().unwrap()),
        },
    );
    let cursor = app.cursor.expect("the search put the cursor on its hit");
    assert!(app.doc.paragraph(cursor.para).contains("كلمة8"));
    assert!(matches!(app.mode, Mode::Toc { .. }), "{:?}", app.mode);
    let chapters = app.doc.toc().iter().filter(|e| e.level == 0).count();
    assert_eq!(chapters, 8, "the contents list every chapter");
}
