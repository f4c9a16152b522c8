//! Fuzz entry points for the document loaders, shared by `cargo fuzz`
//! (`fuzz/fuzz_targets/`) and by `tests/fuzz_seeds.rs`, which runs them over the seed
//! corpus in `fuzz/corpus/<target>/` and its mutations. Each one loads arbitrary bytes
//! through the pipeline and checks what the loader promises: no panic, block ranges
//! inside the text and on character boundaries, no empty block but a rule.

use super::model::{BlockKind, Structured};
use super::{LoadOptions, ParagraphMode, source};

/// A named entry point.
pub type Target = (&'static str, fn(&[u8]));

/// Every document target.
pub const TARGETS: &[Target] = &[("plain_text", plain_text), ("markdown", markdown)];

/// Checks the promises of a parsed document.
fn check(doc: &Structured) {
    let mut end = 0;
    for block in &doc.blocks {
        let range = block.range.clone();
        assert!(range.start >= end && range.end >= range.start, "{range:?}");
        assert!(
            doc.text.get(range.clone()).is_some(),
            "{range:?} off a boundary"
        );
        assert!(
            block.kind == BlockKind::Rule || !doc.text[range.clone()].trim().is_empty(),
            "an empty block"
        );
        end = range.end;
    }
    assert!(end <= doc.text.len());
}

/// Decodes `data` as the pipeline does (any error is a fine answer).
fn decoded(data: &[u8]) -> Option<String> {
    let raw = source::Raw {
        bytes: data.to_vec(),
        name: "fuzz".into(),
        origin: "fuzz".into(),
        ..source::Raw::default()
    };
    super::decode_raw(raw, &LoadOptions::default())
        .ok()
        .map(|d| d.text)
}

/// Plain text in every paragraph mode, from bytes in any encoding.
pub fn plain_text(data: &[u8]) {
    let Some(text) = decoded(data) else { return };
    for mode in [
        ParagraphMode::Auto,
        ParagraphMode::Blank,
        ParagraphMode::Line,
    ] {
        let doc = super::plain::parse(text.clone(), mode);
        check(&doc);
        assert!(doc.blocks.iter().all(|b| b.kind == BlockKind::Paragraph));
    }
    let _ = super::plain::last_paragraph_end(data, ParagraphMode::Blank);
}

/// Markdown, from bytes in any encoding.
pub fn markdown(data: &[u8]) {
    let Some(text) = decoded(data) else { return };
    let doc = super::markdown::parse(&text);
    check(&doc);
    let doc = super::Document::from_structured("fuzz.md", doc);
    let _ = doc.toc();
    let _ = doc.title();
}
