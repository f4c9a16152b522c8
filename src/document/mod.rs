//! The document pipeline: source (file, `-`, URL) -> bytes -> decoding -> format ->
//! [`Document`], one path for the reader, `render`, `extract`, `lookup -` and
//! `translate` (call [`load`]).
//!
//! Stages: [`source`] reads the bytes, [`format`] decides the format, [`decode`] finds the
//! encoding and refuses binary data, and a parser ([`plain`], [`markdown`], [`html`],
//! [`epub`]) cuts the text into blocks. A document keeps those blocks; `paragraphs`
//! holds their text ranges, one per block, in the same order. Nothing is laid out here.

use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::fsread;

pub mod anchor;
pub mod decode;
pub mod epub;
pub mod fetch;
pub mod format;
pub mod fuzz_entry;
pub mod html;
pub mod markdown;
pub mod model;
pub mod plain;
pub mod source;

pub use anchor::Anchor;
pub use format::Format;
pub use model::{Block, BlockKind, Chapter, Direction, Meta, Structured};
pub use plain::ParagraphMode;

/// The built-in guide, written for this project.
pub const GUIDE: &str = include_str!("../../assets/guide.txt");

/// An open document.
#[derive(Debug, Clone)]
pub struct Document {
    /// What the status bar calls the source (a file name, "stdin", a URL).
    pub name: String,
    /// The file it came from, made absolute, when there is one.
    pub path: Option<PathBuf>,
    /// The whole text, UTF-8, sanitised by the layout when shown.
    pub text: String,
    /// Byte ranges of the blocks' texts, in order: `paragraphs[i] == blocks[i].range`.
    pub paragraphs: Vec<Range<usize>>,
    /// The blocks: kind and stated direction of each paragraph.
    pub blocks: Vec<Block>,
    /// Chapters (EPUB), each with its first block.
    pub chapters: Vec<Chapter>,
    /// Title, author, language, source.
    pub meta: Meta,
    /// Problems met while reading it, for the status bar.
    pub warnings: Vec<String>,
}

/// Why a document could not be opened.
#[derive(Debug, Error)]
pub enum DocumentError {
    #[error("cannot open {path}: {}", crate::error_words::io_error(.source))]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open {}: {}", .0.path().display(), .0.reason())]
    File(#[from] fsread::ReadError),
    #[error("cannot open {path}: {reason}")]
    Decode {
        path: String,
        reason: decode::DecodeError,
    },
    #[error("cannot open {path}: {reason}")]
    Format { path: String, reason: String },
    #[error("cannot download {0}")]
    Fetch(String),
}

impl DocumentError {
    /// True when the input was refused as binary data.
    pub fn is_binary(&self) -> bool {
        matches!(
            self,
            DocumentError::Decode {
                reason: decode::DecodeError::Binary(_),
                ..
            }
        )
    }
}

/// How to read a source: the command-line options of the pipeline.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// `--encoding`: decode with this encoding, whatever detection says.
    pub encoding: Option<String>,
    /// `--paragraphs`: where plain-text paragraphs end.
    pub paragraphs: ParagraphMode,
    /// `--no-extract`: the whole page rather than its article.
    pub html: html::HtmlOptions,
    /// Limits for URLs.
    pub fetch: fetch::FetchLimits,
}

/// Reads, decodes and parses `source` (a path, `-` for standard input, or a URL): the one
/// pipeline every command uses.
pub fn load(source: &str, options: &LoadOptions) -> Result<Document, DocumentError> {
    load_with_progress(source, options, &mut |_, _| {})
}

/// [`load`], telling `progress` how a download goes (bytes so far, expected total).
pub fn load_with_progress(
    source: &str,
    options: &LoadOptions,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<Document, DocumentError> {
    read_decoded(source, options, progress)?.parse(options)
}

/// A source read and decoded, not yet cut into blocks (what `render` lays out as it is).
#[derive(Debug, Clone)]
pub struct Decoded {
    pub raw: source::Raw,
    pub format: Format,
    /// The decoded text (empty for an EPUB, which is not one text).
    pub text: String,
    /// Problems met while decoding.
    pub warnings: Vec<String>,
}

/// Reads and decodes `source`: the pipeline up to the format stage.
pub fn read_decoded(
    source: &str,
    options: &LoadOptions,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<Decoded, DocumentError> {
    decode_raw(source::read(source, options.fetch, progress)?, options)
}

/// Decodes bytes already read, after finding their format.
pub fn decode_raw(mut raw: source::Raw, options: &LoadOptions) -> Result<Decoded, DocumentError> {
    let format = Format::detect(&raw.origin, raw.media_type.as_deref(), &raw.bytes);
    if format == Format::Epub {
        return Ok(Decoded {
            raw,
            format,
            text: String::new(),
            warnings: Vec::new(),
        });
    }
    let declared = match format {
        Format::Html => raw
            .charset
            .clone()
            .or_else(|| format::html_meta_charset(&raw.bytes)),
        _ => raw.charset.clone(),
    };
    let bytes = std::mem::take(&mut raw.bytes);
    let decoded = decode_bytes(bytes, &raw.origin, options, declared.as_deref())?;
    Ok(Decoded {
        raw,
        format,
        text: decoded.text,
        warnings: decoded.warnings,
    })
}

impl Decoded {
    /// The last stage: the text cut into blocks by its format's parser.
    pub fn parse(self, options: &LoadOptions) -> Result<Document, DocumentError> {
        let Decoded {
            mut raw,
            format,
            text,
            warnings,
        } = self;
        let failed = |reason| DocumentError::Format {
            path: raw.origin.clone(),
            reason,
        };
        let mut structured = match format {
            Format::Epub => {
                epub::parse(&std::mem::take(&mut raw.bytes), &raw.origin).map_err(failed)?
            }
            Format::Html => html::parse(&text, &raw.origin, options.html).map_err(failed)?,
            Format::Markdown => markdown::parse(&text),
            Format::Plain => plain::parse(text, options.paragraphs),
        };
        structured.meta.source.get_or_insert(raw.origin.clone());
        let mut doc = Document::from_structured(&raw.name, structured);
        doc.path = raw.path;
        doc.warnings = warnings;
        Ok(doc)
    }
}

/// The rest of the pipeline for bytes already read: decoding, format, blocks.
pub fn from_raw(raw: source::Raw, options: &LoadOptions) -> Result<Document, DocumentError> {
    decode_raw(raw, options)?.parse(options)
}

/// Decodes a source's bytes with the options' encoding, or the one declared, or a guess.
fn decode_bytes(
    bytes: Vec<u8>,
    origin: &str,
    options: &LoadOptions,
    declared: Option<&str>,
) -> Result<decode::Decoded, DocumentError> {
    let failed = |reason| DocumentError::Decode {
        path: origin.to_owned(),
        reason,
    };
    let forced = match &options.encoding {
        Some(label) => Some(decode::encoding_for_label(label).map_err(failed)?),
        None => None,
    };
    // A charset a page declares wrongly is not the user's fault: it is only a hint.
    let declared = declared.and_then(|label| decode::encoding_for_label(label).ok());
    decode::decode(bytes, forced, declared).map_err(failed)
}

/// One entry of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocEntry {
    pub title: String,
    /// 0 for a chapter, 1 to 6 for a heading.
    pub level: u8,
    /// The block it starts at.
    pub block: usize,
}

impl Document {
    /// Opens `source` with the default options (see [`load`]).
    pub fn open(source: &str) -> Result<Self, DocumentError> {
        load(source, &LoadOptions::default())
    }

    /// [`Document::open_progressive_with`] the default options.
    pub fn open_progressive(source: &str) -> Result<(Self, Option<Rest>), DocumentError> {
        Self::open_progressive_with(source, &LoadOptions::default())
    }

    /// Opens `source` so that the first screen can be shown before a large file is read:
    /// for a plain-text file over [`PROGRESSIVE_THRESHOLD`] bytes, returns a document of
    /// its first paragraphs now, and what reads the whole document (a job for `tasks`).
    pub fn open_progressive_with(
        source: &str,
        options: &LoadOptions,
    ) -> Result<(Self, Option<Rest>), DocumentError> {
        Self::open_progressive_at(source, options, None)
    }

    /// [`Document::open_progressive_with`], for a reader that will go to block
    /// `at_block` (a saved position): an EPUB book over [`BOOK_FIRST_THRESHOLD`] bytes
    /// opens with its first chapters, up to the one holding that block, and the rest
    /// is read by the returned [`Rest`].
    pub fn open_progressive_at(
        source: &str,
        options: &LoadOptions,
        at_block: Option<usize>,
    ) -> Result<(Self, Option<Rest>), DocumentError> {
        let whole = |options: &LoadOptions| load(source, options).map(|doc| (doc, None));
        let size = std::fs::metadata(source).map(|m| m.len()).unwrap_or(0);
        if source == "-" || size <= BOOK_FIRST_THRESHOLD || fetch::is_url(source) {
            return whole(options);
        }
        if size <= PROGRESSIVE_THRESHOLD {
            return book_first(source, options, at_block);
        }
        let io_error = |err| DocumentError::Io {
            path: source.to_owned(),
            source: err,
        };
        let mut head = Vec::with_capacity(FIRST_PART as usize);
        fsread::open_regular(Path::new(source))?
            .0
            .take(FIRST_PART)
            .read_to_end(&mut head)
            .map_err(io_error)?;
        let utf16 = matches!(
            encoding_rs::Encoding::for_bom(&head),
            Some((e, _)) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE
        );
        match Format::detect(source, None, &head) {
            Format::Epub => return book_first(source, options, at_block),
            Format::Plain if !utf16 => {}
            _ => return whole(options),
        }
        // The first part decides where paragraphs end, for the whole file too, so that the
        // first part's paragraphs are a prefix of the whole document's.
        let mode = options.paragraphs.resolve(&String::from_utf8_lossy(&head));
        let Some(cut) = plain::last_paragraph_end(&head, mode) else {
            return whole(options);
        };
        head.truncate(cut);
        let options = LoadOptions {
            paragraphs: mode,
            ..options.clone()
        };
        let raw = source::Raw {
            bytes: head,
            name: source::display_name(source),
            path: Some(source::absolute(source)),
            origin: source.to_owned(),
            ..source::Raw::default()
        };
        // The cut is at a paragraph's end, never inside a character: the first part's
        // warnings are the file's (the whole file's replace them once it is read).
        let first = from_raw(raw, &options)?;
        let rest = Rest {
            source: source.to_owned(),
            options,
        };
        Ok((first, Some(rest)))
    }

    /// The built-in guide.
    pub fn guide() -> Self {
        Self::from_text("qari guide", GUIDE.to_owned())
    }

    /// A document from text already in memory, one paragraph a line.
    pub fn from_text(name: &str, text: String) -> Self {
        let paragraphs = index_paragraphs(&text);
        let blocks = paragraphs
            .iter()
            .map(|range| Block {
                kind: BlockKind::Paragraph,
                range: range.clone(),
                dir: None,
            })
            .collect();
        Self {
            name: name.to_owned(),
            path: None,
            text,
            paragraphs,
            blocks,
            chapters: Vec::new(),
            meta: Meta::default(),
            warnings: Vec::new(),
        }
    }

    /// A document from a parser's blocks.
    pub fn from_structured(name: &str, structured: Structured) -> Self {
        let Structured {
            text,
            blocks,
            chapters,
            meta,
        } = structured;
        Self {
            name: name.to_owned(),
            path: None,
            text,
            paragraphs: blocks.iter().map(|b| b.range.clone()).collect(),
            blocks,
            chapters,
            meta,
            warnings: Vec::new(),
        }
    }

    /// A document from raw bytes through the pipeline (decoding, format by content).
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Result<Self, DocumentError> {
        let raw = source::Raw {
            bytes,
            name: name.to_owned(),
            origin: name.to_owned(),
            ..source::Raw::default()
        };
        from_raw(raw, &LoadOptions::default())
    }

    /// The text of paragraph `index`.
    pub fn paragraph(&self, index: usize) -> &str {
        &self.text[self.paragraphs[index].clone()]
    }

    /// The kind of paragraph `index` (a paragraph when out of range).
    pub fn kind(&self, index: usize) -> BlockKind {
        self.blocks
            .get(index)
            .map_or(BlockKind::Paragraph, |b| b.kind)
    }

    /// The paragraph that holds byte `offset` of the text, or the nearest one before it.
    pub fn paragraph_at(&self, offset: usize) -> usize {
        self.paragraphs
            .partition_point(|r| r.start <= offset)
            .saturating_sub(1)
    }

    /// What the status bar calls the document: its stated title, its first heading, or
    /// the source's name.
    pub fn title(&self) -> &str {
        if let Some(title) = self.meta.title.as_deref().filter(|t| !t.trim().is_empty()) {
            return title.trim();
        }
        self.blocks
            .iter()
            .enumerate()
            .find(|(_, b)| matches!(b.kind, BlockKind::Heading(_)))
            .map_or(self.name.as_str(), |(i, _)| self.paragraph(i))
    }

    /// The table of contents: chapters and headings, in document order.
    pub fn toc(&self) -> Vec<TocEntry> {
        let mut entries: Vec<TocEntry> = self
            .chapters
            .iter()
            .filter(|c| c.first_block < self.blocks.len().max(1))
            .map(|c| TocEntry {
                title: c.title.clone(),
                level: 0,
                block: c.first_block.min(self.blocks.len().saturating_sub(1)),
            })
            .collect();
        for (i, block) in self.blocks.iter().enumerate() {
            if let BlockKind::Heading(level) = block.kind {
                let title = self.paragraph(i).replace('\n', " ");
                // A chapter titled as its first heading is listed once.
                if entries.iter().any(|e| e.block == i && e.title == title) {
                    continue;
                }
                entries.push(TocEntry {
                    title,
                    level,
                    block: i,
                });
            }
        }
        entries.sort_by_key(|e| (e.block, e.level));
        entries
    }
}

/// Opens `source` whole, unless it is an EPUB book: then its first chapters, up to the
/// one holding block `at_block`, and what reads the whole book when there is more.
fn book_first(
    source: &str,
    options: &LoadOptions,
    at_block: Option<usize>,
) -> Result<(Document, Option<Rest>), DocumentError> {
    let raw = source::read(source, options.fetch, &mut |_, _| {})?;
    if Format::detect(&raw.origin, raw.media_type.as_deref(), &raw.bytes) != Format::Epub {
        return from_raw(raw, options).map(|doc| (doc, None));
    }
    let (mut structured, whole) =
        epub::parse_first(&raw.bytes, &raw.origin, at_block).map_err(|reason| {
            DocumentError::Format {
                path: raw.origin.clone(),
                reason,
            }
        })?;
    structured.meta.source.get_or_insert(raw.origin.clone());
    let mut doc = Document::from_structured(&raw.name, structured);
    doc.path = raw.path;
    let rest = (!whole).then(|| Rest {
        source: source.to_owned(),
        options: options.clone(),
    });
    Ok((doc, rest))
}

/// The rest of a large file or a book: what reads the whole document after its first
/// part (see [`Document::open_progressive`]).
#[derive(Debug, Clone)]
pub struct Rest {
    source: String,
    options: LoadOptions,
}

impl PartialEq for Rest {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Eq for Rest {}

impl Rest {
    /// Reads the whole document (slow for a large file: run it off the UI thread).
    pub fn load(&self) -> Result<Document, DocumentError> {
        load(&self.source, &self.options)
    }
}

/// Files larger than this are opened progressively (see [`Document::open_progressive`]).
pub const PROGRESSIVE_THRESHOLD: u64 = 4 * 1024 * 1024;
/// EPUB books larger than this (the file, zipped) open chapter first (see
/// [`Document::open_progressive_at`]); a smaller one is read whole in a few
/// milliseconds.
pub const BOOK_FIRST_THRESHOLD: u64 = 256 * 1024;
/// How much of a large file is read before the first screen.
const FIRST_PART: u64 = 512 * 1024;

/// Byte ranges of the paragraphs of `text` that are not blank.
pub fn index_paragraphs(text: &str) -> Vec<Range<usize>> {
    crate::layout::paragraph_ranges(text)
        .into_iter()
        .filter(|r| !text[r.clone()].trim().is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_are_not_paragraphs() {
        let doc = Document::from_text("t", "أ\n\n  \nب\r\nج".into());
        let texts: Vec<&str> = (0..doc.paragraphs.len())
            .map(|i| doc.paragraph(i))
            .collect();
        assert_eq!(texts, ["أ", "ب", "ج"]);
        assert_eq!(doc.paragraph_at(0), 0);
        assert_eq!(doc.paragraph_at(doc.text.len()), 2);
    }

    #[test]
    fn binary_data_is_refused_and_bad_utf8_warned() {
        let err = Document::from_bytes("b", b"ab\0cd".to_vec()).unwrap_err();
        assert!(err.is_binary());
        assert!(err.to_string().contains("NUL byte at offset 2"), "{err}");
        let mut bytes = b"ok \xff ".to_vec();
        bytes.extend_from_slice("هنا هنا".as_bytes());
        let doc = Document::from_bytes("x", bytes).unwrap();
        assert_eq!(doc.text, "ok \u{FFFD} هنا هنا");
        assert!(doc.warnings[0].contains("did not decode"));
    }

    #[test]
    fn the_guide_has_paragraphs() {
        assert!(Document::guide().paragraphs.len() > 10);
    }
}
