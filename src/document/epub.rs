//! EPUB: chapters in spine order, titled from the book's table of contents, with the
//! book's metadata (title, author, language) and its page-progression direction
//! (`rbook`). Each XHTML chapter becomes blocks through the HTML block walk, without
//! readability: a book's chapter is all text.
//!
//! Promises: an archive whose entries would inflate past [`MAX_ENTRY_BYTES`] each or
//! [`MAX_INFLATED_BYTES`] together, or that holds more than [`MAX_ENTRIES`] entries, is
//! refused before anything is inflated, with a message that says so; the bytes inflated
//! are counted as they come and capped, whatever the archive declares.

use std::io::{Cursor, Write};

use rbook::Epub;
use rbook::ebook::spine::PageDirection;

use super::html;
use super::model::{BlockKind, Builder, Direction, Structured};

/// The most entries an archive may hold.
pub const MAX_ENTRIES: usize = 20_000;
/// The largest a single entry may inflate to.
pub const MAX_ENTRY_BYTES: u64 = 64 << 20;
/// The most all entries together may inflate to.
pub const MAX_INFLATED_BYTES: u64 = 512 << 20;

/// Parses an EPUB file's bytes. `source` names it in the metadata and in messages.
pub fn parse(bytes: &[u8], source: &str) -> Result<Structured, String> {
    parse_until(bytes, source, None).map(|(book, _)| book)
}

/// Parses the book's metadata, table of contents and first chapters only: in spine
/// order, up to the first chapter with text, and on until `at_block` is a block of the
/// result (a saved position further on). Returns them and whether they are the whole
/// book. What it returns is always a prefix of what [`parse`] returns: the same blocks,
/// text, chapters and metadata, so that a reader showing it can take the whole book
/// later without moving. Errors are [`parse`]'s, for the part read.
pub fn parse_first(
    bytes: &[u8],
    source: &str,
    at_block: Option<usize>,
) -> Result<(Structured, bool), String> {
    parse_until(bytes, source, Some(at_block.unwrap_or(0)))
}

/// [`parse`], stopping once a chapter with text was read and the blocks read are more
/// than `until_block` (None: never). Returns the book so far and whether it is whole.
fn parse_until(
    bytes: &[u8],
    source: &str,
    until_block: Option<usize>,
) -> Result<(Structured, bool), String> {
    check_archive(bytes, source)?;
    let epub = Epub::read(Cursor::new(bytes.to_vec())).map_err(|e| {
        format!(
            "{source}: not a readable EPUB book: {}",
            crate::error_words::innermost_cause(&e)
        )
    })?;

    let dir = match epub.spine().page_direction() {
        PageDirection::RightToLeft => Some(Direction::Rtl),
        PageDirection::LeftToRight => Some(Direction::Ltr),
        _ => None,
    };
    let toc = toc_titles(&epub);

    let mut builder = Builder::new();
    let mut budget = MAX_INFLATED_BYTES;
    let mut whole = true;
    for (number, entry) in epub.spine().iter().enumerate() {
        if until_block.is_some_and(|until| builder.blocks() > until) {
            whole = false;
            break;
        }
        let Some(manifest) = entry.manifest_entry() else {
            continue;
        };
        let media = manifest.media_type().to_ascii_lowercase();
        if !(media.contains("html") || media.contains("xml")) || media.contains("svg") {
            continue;
        }
        let href = manifest.href();
        let path = href.path().as_str().to_string();
        let mut sink = Capped::new(budget.min(MAX_ENTRY_BYTES));
        if let Err(e) = epub.copy_resource(href, &mut sink) {
            let cause = crate::error_words::innermost_cause(&e);
            if cause.contains("declared") {
                return Err(format!(
                    "{source}: the chapter {path} inflates past the size the book declares \
                     for it; the book is damaged, or a zip bomb"
                ));
            }
            if sink.over {
                return Err(format!(
                    "{source}: the chapter {path} inflates past qari's limit of {} MB; \
                     the book may be a zip bomb",
                    budget.min(MAX_ENTRY_BYTES) >> 20
                ));
            }
            return Err(format!("{source}: cannot read the chapter {path}: {cause}"));
        }
        budget = budget.saturating_sub(sink.bytes.len() as u64);
        let text = decode_chapter(&sink.bytes);

        let mut chapter = Builder::new();
        let own_title = html::body_blocks(&text, &mut chapter, dir);
        let chapter = chapter.finish();
        if chapter.blocks.is_empty() {
            continue;
        }
        let first_heading = chapter
            .blocks
            .iter()
            .position(|b| matches!(b.kind, BlockKind::Heading(_)))
            .map(|i| chapter.block_text(i).replace('\n', " "));
        let title = toc
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, label)| label.clone())
            .or(first_heading)
            .or(own_title)
            .unwrap_or_else(|| format!("{}", number + 1));
        builder.chapter(&title);
        for (i, block) in chapter.blocks.iter().enumerate() {
            builder.push(block.kind, chapter.block_text(i), block.dir);
        }
    }

    let metadata = epub.metadata();
    let clean = |text: &str| {
        let text = html::clean_text(text);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        (!text.is_empty()).then_some(text)
    };
    let meta = builder.meta_mut();
    meta.title = metadata.title().and_then(|t| clean(t.value()));
    meta.author = metadata.creators().next().and_then(|c| clean(c.value()));
    meta.language = metadata.language().and_then(|l| clean(l.value()));
    meta.source = Some(source.to_string());
    Ok((builder.finish(), whole))
}

/// The table of contents as (path of the chapter file, label), in its order; the first
/// label of a file names its chapter.
fn toc_titles(epub: &Epub) -> Vec<(String, String)> {
    let Some(root) = epub.toc().contents() else {
        return Vec::new();
    };
    root.flatten()
        .filter_map(|entry| {
            let path = entry.manifest_entry()?.href().path().as_str().to_string();
            let label = html::clean_text(entry.label());
            let label = label.split_whitespace().collect::<Vec<_>>().join(" ");
            (!label.is_empty()).then_some((path, label))
        })
        .collect()
}

/// XHTML is UTF-8 unless a byte-order mark says otherwise.
fn decode_chapter(bytes: &[u8]) -> String {
    let (text, _, _) = encoding_rs::UTF_8.decode(bytes);
    text.into_owned()
}

/// Fuzz entry (see `glossary::fuzz_entry`): bytes as a book; panics when what comes
/// out breaks a promise of [`Structured`].
#[doc(hidden)]
pub fn fuzz(data: &[u8]) {
    if let Ok(doc) = parse(data, "fuzz") {
        html::check_structured(&doc);
    }
}

/// Refuses an archive by what its central directory declares, before inflating.
fn check_archive(bytes: &[u8], source: &str) -> Result<(), String> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        format!(
            "{source}: not an EPUB book (a zip archive): {}",
            crate::error_words::innermost_cause(&e)
        )
    })?;
    if archive.len() > MAX_ENTRIES {
        return Err(format!(
            "{source}: the book holds {} files, more than the {MAX_ENTRIES} qari opens",
            archive.len()
        ));
    }
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_data(index)
            .map_err(|e| format!("{source}: a damaged EPUB book: {e}"))?;
        let size = entry.size();
        if size > MAX_ENTRY_BYTES {
            let name = entry
                .name()
                .map(|n| html::clean_text(&n))
                .unwrap_or_default();
            return Err(format!(
                "{source}: {name} in the book would inflate to {} MB, more than qari's limit \
                 of {} MB for one file; the book may be a zip bomb",
                size >> 20,
                MAX_ENTRY_BYTES >> 20
            ));
        }
        total = total.saturating_add(size);
    }
    if total > MAX_INFLATED_BYTES {
        return Err(format!(
            "{source}: the book would inflate to {} MB, more than qari's limit of {} MB; \
             it may be a zip bomb",
            total >> 20,
            MAX_INFLATED_BYTES >> 20
        ));
    }
    Ok(())
}

/// A sink that takes at most `limit` bytes and then refuses.
struct Capped {
    bytes: Vec<u8>,
    limit: u64,
    over: bool,
}

impl Capped {
    fn new(limit: u64) -> Self {
        Capped {
            bytes: Vec::new(),
            limit,
            over: false,
        }
    }
}

impl Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() as u64 + buf.len() as u64 > self.limit {
            self.over = true;
            return Err(std::io::Error::other("inflated past the limit"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
