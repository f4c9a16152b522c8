//! HTML: the article a page holds (readability extraction with `dom_smoothie`), or its
//! whole visible text, as blocks with a kind and a direction.
//!
//! Promises: navigation, sidebars, comment forms, footers, scripts and styles are left
//! out of an extracted article; `dir` and `lang` are kept (block directions, the
//! metadata's language); entities are decoded; when readability finds no article the
//! whole visible text is kept; no control character or escape sequence survives, from
//! text, attributes or entities. Time and memory grow in proportion to the page, which
//! may not exceed [`MAX_PAGE_BYTES`].

mod depth;
mod sanitize;
mod stand_in;
mod walk;

use dom_query::Document;
use dom_smoothie::{Article, Config, Readability, is_probably_readable};

use super::model::{BlockKind, Builder, Direction, Structured};

pub(crate) use sanitize::any_flagged;
pub use sanitize::clean_text;

/// The largest page parsed: its tree takes several times its size in memory.
pub const MAX_PAGE_BYTES: usize = 64 << 20;

/// Past this many elements, readability's scoring (which looks at each element's
/// neighbourhood several times) is skipped and the page's whole text is kept.
const MAX_ELEMENTS_TO_SCORE: usize = 300_000;

/// How much of a page to keep.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HtmlOptions {
    /// Keep the whole visible text instead of the article (`--no-extract`).
    pub whole_page: bool,
}

/// Parses a decoded page. `source` names it in the metadata (a path or a URL).
pub fn parse(html: &str, source: &str, options: HtmlOptions) -> Result<Structured, String> {
    parse_page(html, source, options, Readable::StoodIn)
}

/// [`parse`] with readability run on the page's own texts, without stand-ins (see
/// `stand_in`): the reference the tests hold [`parse`] to.
#[doc(hidden)]
pub fn parse_without_stand_ins(
    html: &str,
    source: &str,
    options: HtmlOptions,
) -> Result<Structured, String> {
    parse_page(html, source, options, Readable::AsItIs)
}

/// The text readability reads while it chooses the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Readable {
    /// Long Arabic texts stood in for by ASCII (the same choice, made faster).
    StoodIn,
    /// The page's own texts.
    AsItIs,
}

fn parse_page(
    html: &str,
    source: &str,
    options: HtmlOptions,
    readable: Readable,
) -> Result<Structured, String> {
    if html.len() > MAX_PAGE_BYTES {
        return Err(format!(
            "{source}: the page is {} MB, more than the {} MB qari reads as HTML; \
             save its text and open that instead",
            html.len() >> 20,
            MAX_PAGE_BYTES >> 20
        ));
    }
    let html = depth::limit_depth(html);
    let doc = Document::from(html.as_ref());
    let page = PageFacts::of(&doc);
    let mut builder = if options.whole_page || !is_probably_readable(&doc, None, None) {
        // Readability's last attempt keeps the whole body; a page with no paragraph of
        // some length is not an article, and its whole text is what there is to read.
        whole_page(&doc)
    } else {
        match extract_article(doc, &html, &page, readable) {
            Some(builder) => builder,
            None => whole_page(&Document::from(html.as_ref())),
        }
    };
    let meta = builder.meta_mut();
    meta.source = Some(source.to_string());
    if meta.title.is_none() {
        meta.title = page.title.clone();
    }
    if meta.language.is_none() {
        meta.language = page.language.clone();
    }
    Ok(builder.finish())
}

/// Blocks of one XHTML or HTML document's body, without extraction (an EPUB chapter).
/// `dir` is the direction stated around it (the book's page progression). Returns the
/// document's `<title>`, if it has one.
pub(crate) fn body_blocks(
    html: &str,
    builder: &mut Builder,
    dir: Option<Direction>,
) -> Option<String> {
    let html = open_self_closed(html);
    let doc = Document::from(depth::limit_depth(&html).as_ref());
    walk::walk_blocks(&doc.root(), builder, dir);
    PageFacts::of(&doc).title
}

/// Elements whose content the HTML parser reads as raw text up to their end tag: in
/// XHTML, `<title/>` is empty, but an HTML parser would take the rest of the chapter for
/// the title.
const RAW_TEXT: &[&str] = &[
    "title", "script", "style", "textarea", "iframe", "noscript", "noembed", "noframes", "xmp",
];

/// XHTML's self-closed raw-text elements (`<title/>`) written out as an open and an end
/// tag, so that an HTML parser reads them as an XML one does.
fn open_self_closed(xhtml: &str) -> std::borrow::Cow<'_, str> {
    let mut out = String::new();
    let mut copied = 0;
    let mut at = 0;
    let bytes = xhtml.as_bytes();
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + offset;
        at = start + 1;
        let name_len = bytes[at..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = xhtml[at..at + name_len].to_ascii_lowercase();
        if !RAW_TEXT.contains(&name.as_str()) {
            continue;
        }
        let Some(close) = memchr::memchr(b'>', &bytes[at..]).map(|e| at + e) else {
            break;
        };
        if bytes[close - 1] == b'/' {
            out.push_str(&xhtml[copied..close - 1]);
            out.push_str(&format!("></{name}>"));
            copied = close + 1;
        }
        at = close + 1;
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(xhtml);
    }
    out.push_str(&xhtml[copied..]);
    std::borrow::Cow::Owned(out)
}

/// What the page says about itself outside the article.
struct PageFacts {
    title: Option<String>,
    language: Option<String>,
    /// `dir` on `<html>` or `<body>`.
    dir: Option<Direction>,
}

impl PageFacts {
    fn of(doc: &Document) -> Self {
        let attr = |selector: &str, name: &str| {
            doc.select(selector)
                .nodes()
                .first()
                .and_then(|n| n.attr(name))
                .map(|v| one_line(&v))
                .filter(|v| !v.is_empty())
        };
        let title = doc
            .select("title")
            .nodes()
            .first()
            .map(|n| one_line(&n.text()))
            .filter(|t| !t.is_empty());
        let dir = attr("body", "dir")
            .or_else(|| attr("html", "dir"))
            .and_then(|d| parse_dir(&d));
        PageFacts {
            title,
            language: attr("html", "lang").or_else(|| attr("html", "xml:lang")),
            dir,
        }
    }
}

fn parse_dir(value: &str) -> Option<Direction> {
    match value.trim().to_ascii_lowercase().as_str() {
        "rtl" => Some(Direction::Rtl),
        "ltr" => Some(Direction::Ltr),
        _ => None,
    }
}

/// Text for one line of metadata: sanitised, whitespace collapsed.
fn one_line(text: &str) -> String {
    clean_text(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The article readability finds, or None when it finds none (or none with text).
/// `html` is the page `doc` was parsed from.
fn extract_article(
    doc: Document,
    html: &str,
    page: &PageFacts,
    readable: Readable,
) -> Option<Builder> {
    let found = match readable {
        Readable::AsItIs => run_readability(doc),
        Readable::StoodIn => {
            match stand_in::with_stand_ins(doc, run_readability, |(readability, _)| {
                &readability.doc
            }) {
                stand_in::Outcome::Restored(found) => Some(found),
                stand_in::Outcome::NotFound => None,
                stand_in::Outcome::Changed => run_readability(Document::from(html)),
            }
        }
    };
    let (readability, article) = found?;
    let dir = article.dir.as_deref().and_then(parse_dir).or(page.dir);
    let title = Some(one_line(&article.title))
        .filter(|t| !t.is_empty())
        .or_else(|| page.title.clone());
    // The article is the grabbed tree's `#readability-page-1`, walked where it stands:
    // parsing `article.content` again would cost a second html5ever pass over it.
    let content = readability.doc.select_single("#readability-page-1");
    let root = content.nodes().first()?;
    let mut body = Builder::new();
    walk::walk_blocks(root, &mut body, dir);
    let body = body.finish();
    if body.blocks.is_empty() {
        return None;
    }
    let mut builder = Builder::new();
    // Readability drops a heading that repeats the title; the title heads the article.
    if let Some(title) = &title {
        let first = body.blocks.first().map(|b| (b.kind, body.block_text(0)));
        let repeated = matches!(first, Some((BlockKind::Heading(_), text)) if text == title);
        if !repeated {
            builder.push(BlockKind::Heading(1), title, dir);
        }
    }
    for (i, block) in body.blocks.iter().enumerate() {
        builder.push(block.kind, body.block_text(i), block.dir);
    }
    let meta = builder.meta_mut();
    meta.title = title;
    meta.author = article
        .byline
        .as_deref()
        .map(one_line)
        .filter(|a| !a.is_empty());
    meta.language = article
        .lang
        .as_deref()
        .map(one_line)
        .filter(|l| !l.is_empty())
        .or_else(|| page.language.clone());
    Some(builder)
}

/// Readability's article and the tree it leaves, or None when it finds no article.
fn run_readability(doc: Document) -> Option<(Readability, Article)> {
    let config = Config {
        max_elements_to_parse: MAX_ELEMENTS_TO_SCORE,
        ..Config::default()
    };
    let mut readability = Readability::with_document(doc, None, Some(config)).ok()?;
    // GrabFailed (no article) and TooManyElements alike: the whole page it is.
    let article = readability.parse().ok()?;
    Some((readability, article))
}

/// Every visible text of the page, in blocks.
fn whole_page(doc: &Document) -> Builder {
    let mut builder = Builder::new();
    // `dir` on `<html>` and `<body>` is seen by the walk itself.
    walk::walk_blocks(&doc.root(), &mut builder, None);
    builder
}

/// The encoding a page's `<meta charset>` or `<meta http-equiv="Content-Type">` names in
/// its first 1024 bytes, as `encoding_rs` names it ("windows-1256", "UTF-8"). A UTF-16
/// label means UTF-8 here, as the HTML standard says: bytes that an ASCII scan could
/// read are not UTF-16.
pub fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(1024)];
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &head[at..]) {
        at += offset;
        let rest = &head[at..];
        if rest.starts_with(b"<!--") {
            // A commented-out tag counts for nothing.
            at += memchr::memmem::find(rest, b"-->").map_or(rest.len(), |end| end + 3);
            continue;
        }
        let is_meta = rest.len() > 5
            && rest[1..5].eq_ignore_ascii_case(b"meta")
            && matches!(rest[5], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/');
        if !is_meta {
            at += 1;
            continue;
        }
        let (attributes, used) = meta_attributes(&rest[5..]);
        at += 5 + used;
        if let Some(label) = charset_of(&attributes) {
            let encoding = encoding_rs::Encoding::for_label(label.trim().as_bytes())?;
            let encoding = if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE
            {
                encoding_rs::UTF_8
            } else {
                encoding
            };
            return Some(encoding.name().to_string());
        }
    }
    None
}

fn charset_of(attributes: &[(String, String)]) -> Option<String> {
    let get = |name: &str| {
        attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    if let Some(charset) = get("charset") {
        return Some(charset.to_string());
    }
    let is_content_type = get("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("content-type"));
    if !is_content_type {
        return None;
    }
    let content = get("content")?.to_ascii_lowercase();
    let after = &content[content.find("charset")? + "charset".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let value: String = match after.chars().next()? {
        quote @ ('"' | '\'') => after[1..].chars().take_while(|&c| c != quote).collect(),
        _ => after
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != ';')
            .collect(),
    };
    Some(value)
}

/// The attributes of a tag, from just after its name; and the bytes read, up to `>`.
fn meta_attributes(bytes: &[u8]) -> (Vec<(String, String)>, usize) {
    let mut attributes = Vec::new();
    let mut i = 0;
    let space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    loop {
        while i < bytes.len() && (space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == b'>' {
            return (attributes, (i + 1).min(bytes.len()));
        }
        let start = i;
        while i < bytes.len() && !space(bytes[i]) && !matches!(bytes[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = String::from_utf8_lossy(&bytes[start..i]).to_ascii_lowercase();
        while i < bytes.len() && space(bytes[i]) {
            i += 1;
        }
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && space(bytes[i]) {
                i += 1;
            }
            if i < bytes.len() && matches!(bytes[i], b'"' | b'\'') {
                let quote = bytes[i];
                i += 1;
                let start = i;
                while i < bytes.len() && bytes[i] != quote {
                    i += 1;
                }
                value = String::from_utf8_lossy(&bytes[start..i]).into_owned();
                i += 1;
            } else {
                let start = i;
                while i < bytes.len() && !space(bytes[i]) && bytes[i] != b'>' {
                    i += 1;
                }
                value = String::from_utf8_lossy(&bytes[start..i]).into_owned();
            }
        }
        if !name.is_empty() && !attributes.iter().any(|(n, _)| *n == name) {
            attributes.push((name, value));
        }
    }
}

/// Fuzz entry (see `glossary::fuzz_entry`): bytes as a page, decoded as its `<meta>`
/// says or as UTF-8, parsed both ways; panics when a block's text holds a control
/// character or its range falls outside the text.
#[doc(hidden)]
pub fn fuzz(data: &[u8]) {
    let encoding = meta_charset(data)
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
        .unwrap_or(encoding_rs::UTF_8);
    let (text, _, _) = encoding.decode(data);
    for whole_page in [false, true] {
        if let Ok(doc) = parse(&text, "fuzz", HtmlOptions { whole_page }) {
            check_structured(&doc);
        }
    }
}

/// The promises of a [`Structured`] every loader keeps.
#[doc(hidden)]
pub fn check_structured(doc: &Structured) {
    for (i, block) in doc.blocks.iter().enumerate() {
        assert!(
            doc.text.get(block.range.clone()).is_some(),
            "block {i} lies outside the text"
        );
        let text = doc.block_text(i);
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "block {i} holds a control character: {text:?}"
        );
    }
    for chapter in &doc.chapters {
        assert!(chapter.first_block <= doc.blocks.len());
        assert!(!chapter.title.chars().any(char::is_control));
    }
    for meta in [&doc.meta.title, &doc.meta.author, &doc.meta.language] {
        assert!(!meta.as_deref().unwrap_or("").chars().any(char::is_control));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_charset_forms() {
        assert_eq!(
            meta_charset(b"<html><head><meta charset=\"windows-1256\">").as_deref(),
            Some("windows-1256")
        );
        assert_eq!(
            meta_charset(
                b"<META http-equiv='Content-Type' content='text/html; charset=ISO-8859-6'>"
            )
            .as_deref(),
            Some("ISO-8859-6")
        );
        assert_eq!(
            meta_charset(b"<meta charset=cp1256>").as_deref(),
            Some("windows-1256")
        );
        assert_eq!(
            meta_charset(b"<meta charset=utf-16le>").as_deref(),
            Some("UTF-8")
        );
        assert_eq!(meta_charset(b"<!-- <meta charset=koi8-r> --><p>x"), None);
        assert_eq!(
            meta_charset(b"<meta name=x content='charset=koi8-r'>"),
            None
        );
        assert_eq!(meta_charset(b"<meta charset=nonsense>"), None);
        let mut late = vec![b' '; 1100];
        late.extend_from_slice(b"<meta charset=windows-1256>");
        assert_eq!(meta_charset(&late), None);
    }
}
