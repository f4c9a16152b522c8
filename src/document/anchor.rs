//! Places in a document that outlive a re-extraction: a block, a character offset inside
//! it, and a short fingerprint of the block's text. Byte offsets into the whole text
//! break as soon as a page gains a paragraph above or loses a menu item; the block's own
//! text does not move, so an anchor is found again by that text first. A block that was
//! edited itself is found by what is left of it: its first and last words, or the words
//! at the anchor; its index is the last resort.
//!
//! Pure functions over [`Document`]; no I/O.

use std::ops::Range;

use super::Document;

/// A place in a document: block `block`, `char_offset` characters into its text, whose
/// text had the fingerprint `fingerprint` (see [`fingerprint`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Anchor {
    pub block: usize,
    pub char_offset: usize,
    pub fingerprint: u32,
    /// What finds the block once it was edited; None in positions saved by a qari that
    /// did not keep it.
    pub near: Option<Near>,
}

/// Fingerprints of parts of an anchor's block, each made as [`fingerprint`] makes the
/// whole block's: what still matches after a word or two of the block was changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Near {
    /// The block's first [`EDGE_WORDS`] words.
    pub head: u32,
    /// The block's last [`EDGE_WORDS`] words.
    pub tail: u32,
    /// [`AT_WORDS`] words from the one at the anchor on (fewer at the block's end).
    pub at: u32,
}

/// Words at each end of a block that [`Near::head`] and [`Near::tail`] cover: enough
/// that two paragraphs rarely share them, few enough that an edit often spares one end.
pub const EDGE_WORDS: usize = 5;
/// Words from the anchor on that [`Near::at`] covers.
pub const AT_WORDS: usize = 4;

/// A short hash of a block's text (FNV-1a over its words, whitespace ignored), so that
/// the same paragraph re-extracted with other line breaks or spacing matches.
pub fn fingerprint(text: &str) -> u32 {
    words_fingerprint(text.split_whitespace())
}

/// [`fingerprint`] of a run of words.
fn words_fingerprint<'a>(words: impl Iterator<Item = &'a str>) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for word in words {
        for byte in word.bytes().chain(std::iter::once(b' ')) {
            hash ^= u32::from(byte);
            hash = hash.wrapping_mul(0x0100_0193);
        }
    }
    hash
}

/// Byte ranges of the words of `text` (as `split_whitespace` cuts them).
fn word_spans(text: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                spans.push(s..i);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push(s..text.len());
    }
    spans
}

/// [`fingerprint`] of the words of `text` at `spans`.
fn spans_fingerprint(text: &str, spans: &[Range<usize>]) -> u32 {
    words_fingerprint(spans.iter().map(|r| &text[r.clone()]))
}

/// [`Near::head`] and [`Near::tail`] of `text`, whose words are at `spans`.
fn edges(text: &str, spans: &[Range<usize>]) -> (u32, u32) {
    (
        spans_fingerprint(text, &spans[..spans.len().min(EDGE_WORDS)]),
        spans_fingerprint(text, &spans[spans.len().saturating_sub(EDGE_WORDS)..]),
    )
}

/// The [`Near`] of block text `text` for byte `offset` in it.
fn near(text: &str, offset: usize) -> Near {
    let spans = word_spans(text);
    let (head, tail) = edges(text, &spans);
    let first_at = spans.partition_point(|w| w.end <= offset);
    Near {
        head,
        tail,
        at: spans_fingerprint(text, &spans[first_at..spans.len().min(first_at + AT_WORDS)]),
    }
}

/// Where in `text` the words of fingerprint `at` start, as (byte offset, whole window):
/// of several, the one nearest `char_offset` characters in. A window is whole when it
/// has [`AT_WORDS`] words (at a block's end it has fewer).
fn find_at(text: &str, at: u32, char_offset: usize) -> Option<(usize, bool)> {
    let spans = word_spans(text);
    let mut best: Option<(usize, usize, bool)> = None;
    let mut chars = 0;
    let mut counted = 0;
    for (i, span) in spans.iter().enumerate() {
        let window = &spans[i..spans.len().min(i + AT_WORDS)];
        if spans_fingerprint(text, window) != at {
            continue;
        }
        chars += text[counted..span.start].chars().count();
        counted = span.start;
        let distance = chars.abs_diff(char_offset);
        if best.is_none_or(|(_, d, _)| distance < d) {
            best = Some((span.start, distance, window.len() == AT_WORDS));
        }
    }
    best.map(|(offset, _, whole)| (offset, whole))
}

/// How far from its saved index a block's text is looked for. Far enough for a page
/// that gained or lost a menu, a sidebar or a few paragraphs; a bound keeps a restore on
/// a large file to a few thousand hashes.
const SEARCH_RADIUS: usize = 2_000;
/// How far the words at an edited block's anchor are looked for: every block's whole
/// text is hashed word by word, so the bound is smaller.
const AT_RADIUS: usize = 200;

impl Document {
    /// The anchor of byte `offset` inside block `block` (both clamped to the document).
    pub fn anchor_at(&self, block: usize, offset: usize) -> Anchor {
        let Some(last) = self.paragraphs.len().checked_sub(1) else {
            return Anchor::default();
        };
        let block = block.min(last);
        let text = self.paragraph(block);
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        Anchor {
            block,
            char_offset: text[..offset].chars().count(),
            fingerprint: fingerprint(text),
            near: Some(near(text, offset)),
        }
    }

    /// Where `anchor` is in this document: (block, byte offset inside it). The block
    /// with the anchor's text nearest to its saved index wins. When no block has that
    /// text any more, the block was edited (or is gone): the nearest block that kept its
    /// first and last words, or else the words at the anchor, or else one of its ends,
    /// is taken, at those words when they are still in it; when nothing is left, the
    /// block at the saved index (or the last one), at the same character offset as far
    /// as it goes. `None` for an empty document.
    pub fn resolve(&self, anchor: Anchor) -> Option<(usize, usize)> {
        let last = self.paragraphs.len().checked_sub(1)?;
        let at_char = |text: &str| {
            text.char_indices()
                .nth(anchor.char_offset)
                .map_or(text.len(), |(at, _)| at)
        };
        if let Some(block) = self.nearest_block(anchor.block, SEARCH_RADIUS, |text| {
            fingerprint(text) == anchor.fingerprint
        }) {
            return Some((block, at_char(self.paragraph(block))));
        }
        if let Some(near) = anchor.near {
            let edges = |text: &str| {
                let (head, tail) = edges(text, &word_spans(text));
                (head == near.head, tail == near.tail)
            };
            let found = self
                .nearest_block(anchor.block, SEARCH_RADIUS, |text| {
                    edges(text) == (true, true)
                })
                .or_else(|| {
                    self.nearest_block(anchor.block, AT_RADIUS, |text| {
                        find_at(text, near.at, anchor.char_offset).is_some_and(|(_, whole)| whole)
                    })
                })
                .or_else(|| {
                    self.nearest_block(anchor.block, SEARCH_RADIUS, |text| {
                        let (head, tail) = edges(text);
                        head || tail
                    })
                });
            if let Some(block) = found {
                let text = self.paragraph(block);
                let offset = find_at(text, near.at, anchor.char_offset)
                    .map_or_else(|| at_char(text), |(offset, _)| offset);
                return Some((block, offset));
            }
        }
        let block = anchor.block.min(last);
        Some((block, at_char(self.paragraph(block))))
    }

    /// The block nearest `from` (within `radius` of it) whose text `matches`; of two at
    /// the same distance, the one before.
    fn nearest_block(
        &self,
        from: usize,
        radius: usize,
        matches: impl Fn(&str) -> bool,
    ) -> Option<usize> {
        let last = self.paragraphs.len().checked_sub(1)?;
        (0..=radius).find_map(|distance| {
            let after = from.checked_add(distance).filter(|&i| i <= last);
            let before = from.checked_sub(distance).filter(|&i| i <= last);
            [before, after]
                .into_iter()
                .flatten()
                .find(|&i| matches(self.paragraph(i)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(paragraphs: &[&str]) -> Document {
        Document::from_text("t", paragraphs.join("\n"))
    }

    #[test]
    fn an_anchor_is_found_again_after_blocks_come_and_go() {
        let before = doc(&["قائمة", "الرئيسية", "كان يا ما كان", "في قديم الزمان"]);
        let at = before.paragraph(3).find("الزمان").unwrap();
        let anchor = before.anchor_at(3, at);
        assert_eq!(anchor.char_offset, "في قديم ".chars().count());
        // A menu item gone, a paragraph added above.
        let after = doc(&[
            "قائمة",
            "مقدمة جديدة",
            "تمهيد",
            "كان يا ما كان",
            "في قديم الزمان",
        ]);
        let (block, offset) = after.resolve(anchor).unwrap();
        assert_eq!(block, 4);
        assert!(after.paragraph(block)[offset..].starts_with("الزمان"));
    }

    #[test]
    fn a_changed_block_falls_back_to_its_index_and_a_clamped_offset() {
        let before = doc(&["one", "two", "three four five"]);
        let anchor = before.anchor_at(2, 10);
        let after = doc(&["one", "two", "six"]);
        assert_eq!(after.resolve(anchor), Some((2, 3)));
        let shorter = doc(&["one"]);
        assert_eq!(shorter.resolve(anchor), Some((0, 3)));
        assert_eq!(doc(&[]).resolve(anchor), None);
    }

    /// A story's paragraphs; the fourth is the one the reader was in.
    const STORY: [&str; 5] = [
        "العنوان",
        "كان يا ما كان في قديم الزمان مدينة على شاطئ البحر.",
        "وكان فيها سوق كبير يأتيه الناس من كل مكان.",
        "وفي السوق بائع كتب عجوز يحفظ أسماء زبائنه جميعا، ويعرف ما يحب كل واحد منهم أن يقرأ في المساء.",
        "وذات يوم جاءه فتى غريب.",
    ];
    const AT: &str = "يحفظ أسماء زبائنه";

    /// Saves an anchor on `AT` in the story, then resolves it in the story with a
    /// paragraph inserted before and the fourth paragraph replaced by `edited`.
    fn after_an_edit(edited: &str) -> (Document, Option<(usize, usize)>) {
        let before = doc(&STORY);
        let anchor = before.anchor_at(3, before.paragraph(3).find(AT).unwrap());
        let mut changed = STORY.to_vec();
        changed[3] = edited;
        changed.insert(1, "فقرة جديدة أضيفت في أعلى القصة بعد نشرها.");
        let after = doc(&changed);
        let found = after.resolve(anchor);
        (after, found)
    }

    #[test]
    fn a_block_edited_in_the_middle_is_found_by_its_ends_and_the_words_at_the_anchor() {
        let edited = "وفي السوق بائع كتب عجوز جدا يحفظ أسماء زبائنه جميعا، ويعرف ما يحب كل واحد منهم أن يقرأ في المساء.";
        let (after, found) = after_an_edit(edited);
        let (block, offset) = found.unwrap();
        assert_eq!(block, 4, "the edited block, one further down");
        assert!(after.paragraph(block)[offset..].starts_with(AT));
    }

    #[test]
    fn a_block_whose_start_was_rewritten_is_found_by_its_last_words() {
        let edited = "أما في السوق فكان بائع كتب عجوز يحفظ أسماء زبائنه جميعا، ويعرف ما يحب كل واحد منهم أن يقرأ في المساء.";
        let (after, found) = after_an_edit(edited);
        let (block, offset) = found.unwrap();
        assert_eq!(block, 4);
        assert!(after.paragraph(block)[offset..].starts_with(AT));
    }

    #[test]
    fn a_block_rewritten_around_the_anchor_is_found_by_the_words_at_it() {
        let edited = "في السوق بائع عجوز يحفظ أسماء زبائنه جميعا، ولا ينسى أحدا منهم.";
        let (after, found) = after_an_edit(edited);
        let (block, offset) = found.unwrap();
        assert_eq!(block, 4);
        assert!(after.paragraph(block)[offset..].starts_with(AT));
    }

    #[test]
    fn a_block_rewritten_whole_falls_back_to_its_index() {
        let (_, found) = after_an_edit("نص آخر لا علاقة له بما كان.");
        assert_eq!(found.map(|(block, _)| block), Some(3));
    }

    #[test]
    fn an_anchor_saved_without_its_neighbourhood_falls_back_to_its_index() {
        let before = doc(&STORY);
        let anchor = Anchor {
            near: None,
            ..before.anchor_at(3, 0)
        };
        let mut changed = STORY.to_vec();
        changed[3] = "وفي السوق بائع كتب عجوز جدا يحفظ أسماء زبائنه جميعا، ويعرف ما يحب كل واحد منهم أن يقرأ في المساء.";
        changed.insert(1, "فقرة جديدة.");
        assert_eq!(doc(&changed).resolve(anchor), Some((3, 0)));
    }

    #[test]
    fn the_nearest_of_equal_blocks_wins_and_spacing_does_not_matter() {
        let d = doc(&["*", "a", "*", "b", "*"]);
        let anchor = d.anchor_at(3, 0);
        let star = Anchor {
            fingerprint: fingerprint("*"),
            ..anchor
        };
        assert_eq!(d.resolve(star), Some((2, 0)));
        assert_eq!(fingerprint("كان  يا\nما"), fingerprint("كان يا ما"));
        assert_ne!(fingerprint("كان"), fingerprint("يا"));
    }
}
