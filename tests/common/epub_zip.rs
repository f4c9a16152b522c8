//! Zip archives and EPUB books written by hand for the tests and benchmarks: stored or
//! deflated entries, and entries whose declared size lies (for zip-bomb checks).
#![allow(dead_code)]

use std::io::Write;

/// One file of an archive.
pub struct Entry {
    pub name: String,
    pub data: Vec<u8>,
    pub deflate: bool,
    /// The uncompressed size to declare instead of the true one.
    pub declared_size: Option<u32>,
}

impl Entry {
    pub fn stored(name: &str, data: impl Into<Vec<u8>>) -> Self {
        Entry {
            name: name.into(),
            data: data.into(),
            deflate: false,
            declared_size: None,
        }
    }

    pub fn deflated(name: &str, data: impl Into<Vec<u8>>) -> Self {
        Entry {
            deflate: true,
            ..Entry::stored(name, data)
        }
    }
}

/// A zip archive of `entries`, in order.
pub fn zip(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for entry in entries {
        let mut crc = flate2::Crc::new();
        crc.update(&entry.data);
        let crc = crc.sum();
        let (method, body) = if entry.deflate {
            let mut encoder =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(&entry.data).unwrap();
            (8u16, encoder.finish().unwrap())
        } else {
            (0u16, entry.data.clone())
        };
        let size = entry.declared_size.unwrap_or(entry.data.len() as u32);
        let offset = out.len() as u32;
        let name = entry.name.as_bytes();
        // Local file header.
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes()); // version needed
        out.extend_from_slice(&0u16.to_le_bytes()); // flags
        out.extend_from_slice(&method.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // time
        out.extend_from_slice(&0x5c21u16.to_le_bytes()); // date: 2026-01-01
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // extra
        out.extend_from_slice(name);
        out.extend_from_slice(&body);
        // Its central directory record.
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // made by
        central.extend_from_slice(&20u16.to_le_bytes()); // needed
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&method.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&0x5c21u16.to_le_bytes());
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&(body.len() as u32).to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&(name.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0; 8]); // extra, comment, disk, internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let central_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // disk numbers
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A chapter of a [`Book`].
pub struct Chapter {
    /// The file, under OEBPS/.
    pub file: String,
    /// Its label in the table of contents; None leaves it out of the table.
    pub label: Option<String>,
    /// The content of `<body>`.
    pub body: String,
}

/// What [`epub`] writes.
pub struct Book {
    pub title: String,
    pub author: String,
    pub language: String,
    /// `page-progression-direction`, if any.
    pub direction: Option<String>,
    /// In manifest order.
    pub chapters: Vec<Chapter>,
    /// The spine: indexes into `chapters`.
    pub spine: Vec<usize>,
}

/// The entries of an EPUB 3 book (mimetype first, stored); add more before zipping.
pub fn epub_entries(book: &Book) -> Vec<Entry> {
    let container = r#"<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>"#;
    let mut manifest = String::from(
        r#"<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>"#,
    );
    for (i, chapter) in book.chapters.iter().enumerate() {
        manifest.push_str(&format!(
            r#"<item id="c{i}" href="{}" media-type="application/xhtml+xml"/>"#,
            chapter.file
        ));
    }
    let spine: String = book
        .spine
        .iter()
        .map(|i| format!(r#"<itemref idref="c{i}"/>"#))
        .collect();
    let direction = book
        .direction
        .as_ref()
        .map(|d| format!(r#" page-progression-direction="{d}""#))
        .unwrap_or_default();
    let opf = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="uid">urn:uuid:6f1c1e0e-5f0a-4d7c-9a51-0d6e2a9b7c11</dc:identifier>
<dc:title>{}</dc:title>
<dc:creator>{}</dc:creator>
<dc:language>{}</dc:language>
<meta property="dcterms:modified">2026-01-01T00:00:00Z</meta>
</metadata>
<manifest>{manifest}</manifest>
<spine{direction}>{spine}</spine>
</package>"#,
        book.title, book.author, book.language
    );
    let toc: String = book
        .chapters
        .iter()
        .filter_map(|c| {
            let label = c.label.as_ref()?;
            Some(format!(r#"<li><a href="{}">{label}</a></li>"#, c.file))
        })
        .collect();
    let nav = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title>nav</title></head>
<body><nav epub:type="toc"><ol>{toc}</ol></nav></body></html>"#
    );
    let mut entries = vec![
        Entry::stored("mimetype", "application/epub+zip"),
        Entry::deflated("META-INF/container.xml", container),
        Entry::deflated("OEBPS/content.opf", opf),
        Entry::deflated("OEBPS/nav.xhtml", nav),
    ];
    for chapter in &book.chapters {
        let page = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>{}</title></head>
<body>{}</body></html>"#,
            chapter.file, chapter.body
        );
        entries.push(Entry::deflated(&format!("OEBPS/{}", chapter.file), page));
    }
    entries
}

/// An EPUB 3 book.
pub fn epub(book: &Book) -> Vec<u8> {
    zip(&epub_entries(book))
}

/// A book of a cover page without text and `chapters` chapters, each a heading and
/// paragraphs naming it (chapter `i` holds "الفصل i" and the word `كلمةi`), padded with a
/// stored picture past `bytes`: a book large enough to be opened chapter first.
pub fn long_book(chapters: usize, bytes: usize) -> Vec<u8> {
    let mut all = vec![Chapter {
        file: "cover.xhtml".into(),
        label: None,
        body: r#"<div><img src="images/plates.jpg" alt=""/></div>"#.into(),
    }];
    for i in 1..=chapters {
        let mut body = format!("<h1>الفصل {i}</h1>");
        for p in 0..6 {
            body.push_str(&format!(
                "<p>فقرة {p} من الفصل {i}، وفيها كلمة{i} التي لا تكون في غيره.</p>"
            ));
        }
        all.push(Chapter {
            file: format!("text/c{i}.xhtml"),
            label: Some(format!("الفصل {i}")),
            body,
        });
    }
    let book = Book {
        title: "كتاب طويل".into(),
        author: "qari".into(),
        language: "ar".into(),
        direction: Some("rtl".into()),
        spine: (0..all.len()).collect(),
        chapters: all,
    };
    let mut entries = epub_entries(&book);
    let size = zip(&entries).len();
    entries.push(Entry::stored(
        "OEBPS/images/plates.jpg",
        vec![0x5a; bytes.saturating_sub(size)],
    ));
    zip(&entries)
}
