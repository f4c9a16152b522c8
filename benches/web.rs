//! Issue 11's goals for web pages and books: extracting the article of a 2 MB HTML page
//! (under 100 ms) and opening a 5 MB EPUB (under 200 ms). Both inputs are generated
//! here: the page is the fixture's clutter (menu, sidebar, comment form, scripts) around
//! an article of about 2 MB; the book is 120 chapters of text (deflated) plus pictures
//! stored as they are, up to 5 MiB in all, as a novel with illustrations has. The reader opens a
//! book that large chapter first (`Document::open_progressive_at`); its first screen is
//! measured from the file to a drawn frame, against the same with the whole book read.
//!
//! `QARI_BENCH_INPUTS=DIR` writes both inputs to DIR (page.html, book.epub), for a
//! profiler or `qari extract` to read them.

#[path = "../tests/common/epub_zip.rs"]
mod epub_zip;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use qari::app::App;
use qari::config::Config;
use qari::document::html::{self, HtmlOptions};
use qari::document::{self, Document, LoadOptions, epub};
use qari::keymap::Keymap;
use qari::ui::UiContext;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// A deterministic stream of words, so that the text does not deflate to nothing.
struct Words(u64);

const VOCABULARY: &[&str] = &[
    "المكتبة",
    "الحي",
    "المساء",
    "السكان",
    "الطلاب",
    "القراءة",
    "الكتب",
    "الأطفال",
    "البلدية",
    "التمويل",
    "الأسبوع",
    "الموظفون",
    "القاعة",
    "الصحف",
    "العمل",
    "البيت",
    "الشارع",
    "السوق",
    "في",
    "من",
    "إلى",
    "على",
    "أن",
    "كان",
    "قد",
    "بعد",
    "قبل",
    "حتى",
    "مع",
    "عن",
    "ثم",
    "2026",
    "300",
    "HTML",
    "كل",
    "يوم",
    "ليلة",
    "صباحاً",
    "جديد",
    "كبير",
    "قديم",
    "هادئ",
];

impl Words {
    fn sentence(&mut self, words: usize) -> String {
        let mut out = String::new();
        for i in 0..words {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            if i > 0 {
                out.push(' ');
            }
            out.push_str(VOCABULARY[(self.0 % VOCABULARY.len() as u64) as usize]);
        }
        out.push('.');
        out
    }
}

fn page_of(bytes: usize) -> String {
    let fixture = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/web/article-utf8.html"),
    )
    .expect("the fixture");
    let (before, after) = fixture.split_once("</article>").expect("an article");
    let mut words = Words(0x9e37_79b9_7f4a_7c15);
    let mut page = before.to_string();
    let mut n = 0;
    while page.len() + after.len() < bytes {
        n += 1;
        if n % 12 == 0 {
            page.push_str(&format!("<h2>{}</h2>\n", words.sentence(4)));
        }
        page.push_str(&format!("<p>{}</p>\n", words.sentence(60)));
    }
    page.push_str("</article>");
    page.push_str(after);
    page
}

/// A book of `text_chapters` chapters, padded with pictures to at least `total` bytes.
fn book_of(text_chapters: usize, total: usize) -> Vec<u8> {
    let mut words = Words(0x2545_f491_4f6c_dd1d);
    let chapters = (0..text_chapters)
        .map(|i| {
            let mut body = format!("<h1>{}</h1>", words.sentence(3));
            for _ in 0..80 {
                body.push_str(&format!("<p>{}</p>", words.sentence(60)));
            }
            epub_zip::Chapter {
                file: format!("text/c{i}.xhtml"),
                label: Some(format!("الفصل {}", i + 1)),
                body,
            }
        })
        .collect();
    let book = epub_zip::Book {
        title: "كتاب للقياس".into(),
        author: "qari".into(),
        language: "ar".into(),
        direction: Some("rtl".into()),
        chapters,
        spine: (0..text_chapters).collect(),
    };
    let mut entries = epub_zip::epub_entries(&book);
    let text_only = epub_zip::zip(&entries).len();
    // The pictures' own entry adds its header to the archive: the book ends a little over.
    let picture_bytes = total.saturating_sub(text_only);
    let mut noise = Words(7);
    let picture: Vec<u8> = (0..picture_bytes)
        .map(|_| {
            noise.0 ^= noise.0 << 13;
            noise.0 ^= noise.0 >> 7;
            noise.0 ^= noise.0 << 17;
            noise.0 as u8
        })
        .collect();
    entries.push(epub_zip::Entry::stored("OEBPS/images/plates.jpg", picture));
    epub_zip::zip(&entries)
}

fn bench(c: &mut Criterion) {
    let page = page_of(2 << 20);
    let mut group = c.benchmark_group("web");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("extract the article of a 2 MB page", |b| {
        b.iter(|| html::parse(black_box(&page), "bench.html", HtmlOptions::default()).unwrap())
    });
    group.bench_function("the whole text of a 2 MB page", |b| {
        b.iter(|| {
            html::parse(
                black_box(&page),
                "bench.html",
                HtmlOptions { whole_page: true },
            )
            .unwrap()
        })
    });
    let book = book_of(120, 5 << 20);
    assert!(
        book.len() >= 5 << 20,
        "the book came out at {} bytes",
        book.len()
    );
    eprintln!(
        "the book is {:.2} MiB ({} bytes)",
        book.len() as f64 / (1 << 20) as f64,
        book.len()
    );
    if let Some(dir) = std::env::var_os("QARI_BENCH_INPUTS") {
        let dir = std::path::Path::new(&dir);
        std::fs::write(dir.join("page.html"), &page).expect("page.html written");
        std::fs::write(dir.join("book.epub"), &book).expect("book.epub written");
    }
    group.bench_function("open a 5 MB EPUB (every chapter)", |b| {
        b.iter(|| epub::parse(black_box(&book), "bench.epub").unwrap())
    });
    // The reader's first screen, from the file: the first chapter and a frame drawn,
    // then the same with the whole book read first (as before chapter-first opening).
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("book.epub");
    std::fs::write(&path, &book).expect("the book written");
    let path = path.to_str().expect("a UTF-8 path");
    let (keymap, _) = Keymap::load("default", None).expect("the default keymap");
    let ui = UiContext::new(&keymap, "default", Config::default().colors);
    let first_screen = |doc: Document| {
        let app = App::new(doc, &Config::default(), 100, 30);
        let area = Rect::new(0, 0, 100, 30);
        let mut buf = Buffer::empty(area);
        qari::ui::draw_into(&app, &ui, area, &mut buf);
        buf
    };
    group.bench_function(
        "open a 5 MB EPUB to its first screen (first chapter)",
        |b| {
            b.iter(|| {
                let (doc, rest) =
                    Document::open_progressive_at(black_box(path), &LoadOptions::default(), None)
                        .unwrap();
                assert!(rest.is_some(), "the book opens chapter first");
                first_screen(doc)
            })
        },
    );
    group.bench_function("open a 5 MB EPUB to its first screen (whole book)", |b| {
        b.iter(|| first_screen(document::load(black_box(path), &LoadOptions::default()).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
