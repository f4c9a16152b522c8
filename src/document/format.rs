//! Which format a source is in: by its name's extension, the media type a server gave,
//! and its first bytes. Decides which parser the pipeline hands the text to.

use std::path::Path;

/// A document format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Plain,
    Markdown,
    Html,
    Epub,
}

impl Format {
    /// The format of a source named `name`, with media type `media_type`, that starts with
    /// `bytes`. Content wins where it is certain (a zip with an EPUB mimetype, an HTML
    /// doctype); then the extension; then the media type; else plain text.
    pub fn detect(name: &str, media_type: Option<&str>, bytes: &[u8]) -> Format {
        if bytes.starts_with(b"PK\x03\x04")
            && bytes.get(30..58) == Some(b"mimetypeapplication/epub+zip")
        {
            return Format::Epub;
        }
        if looks_like_html(bytes) {
            return Format::Html;
        }
        let extension = Path::new(name)
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("md" | "markdown" | "mdown" | "mkd") => return Format::Markdown,
            Some("html" | "htm" | "xhtml") => return Format::Html,
            Some("epub") => return Format::Epub,
            _ => {}
        }
        match media_type {
            Some("text/html" | "application/xhtml+xml") => Format::Html,
            Some("text/markdown" | "text/x-markdown") => Format::Markdown,
            Some("application/epub+zip") => Format::Epub,
            _ => Format::Plain,
        }
    }
}

/// True when the first non-blank bytes (after a UTF-8 BOM) open an HTML document.
fn looks_like_html(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let head: Vec<u8> = bytes[start..bytes.len().min(start + 15)].to_ascii_lowercase();
    head.starts_with(b"<!doctype html") || head.starts_with(b"<html")
}

/// The charset a page names in its first kilobytes (`<meta charset="...">` or
/// `content="text/html; charset=..."`), if any.
pub fn html_meta_charset(bytes: &[u8]) -> Option<String> {
    let head = bytes[..bytes.len().min(4096)].to_ascii_lowercase();
    let at = memchr::memmem::find(&head, b"charset=")? + b"charset=".len();
    let rest = &head[at..];
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')))
        .unwrap_or(rest.len());
    (end > 0).then(|| String::from_utf8_lossy(&rest[..end]).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension_media_type_and_content() {
        assert_eq!(Format::detect("a.MD", None, b"# x"), Format::Markdown);
        assert_eq!(Format::detect("a.xhtml", None, b"x"), Format::Html);
        assert_eq!(
            Format::detect("a.txt", None, b"  <!DOCTYPE html><p>"),
            Format::Html
        );
        assert_eq!(Format::detect("u", Some("text/html"), b"x"), Format::Html);
        assert_eq!(Format::detect("a.txt", None, b"# x"), Format::Plain);
        let mut zip = b"PK\x03\x04".to_vec();
        zip.resize(30, 0);
        zip.extend_from_slice(b"mimetypeapplication/epub+zip");
        assert_eq!(Format::detect("book", None, &zip), Format::Epub);
    }

    #[test]
    fn meta_charset() {
        assert_eq!(
            html_meta_charset(b"<meta charset=\"windows-1256\">").as_deref(),
            Some("windows-1256")
        );
        assert_eq!(
            html_meta_charset(b"<meta content='text/html; charset=ISO-8859-6'>").as_deref(),
            Some("iso-8859-6")
        );
        assert_eq!(html_meta_charset(b"<p>charset</p>"), None);
    }
}
