//! Places in a document that outlive a re-extraction: a block, a character offset inside
//! it, and a short fingerprint of the block's text. Byte offsets into the whole text
//! break as soon as a page gains a paragraph above or loses a menu item; the block's own
//! text does not move, so an anchor is found again by that text first and by its index
//! only when the text is gone.
//!
//! Pure functions over [`Document`]; no I/O.

use super::Document;

/// A place in a document: block `block`, `char_offset` characters into its text, whose
/// text had the fingerprint `fingerprint` (see [`fingerprint`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Anchor {
    pub block: usize,
    pub char_offset: usize,
    pub fingerprint: u32,
}

/// A short hash of a block's text (FNV-1a over its words, whitespace ignored), so that
/// the same paragraph re-extracted with other line breaks or spacing matches.
pub fn fingerprint(text: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for word in text.split_whitespace() {
        for byte in word.bytes().chain(std::iter::once(b' ')) {
            hash ^= u32::from(byte);
            hash = hash.wrapping_mul(0x0100_0193);
        }
    }
    hash
}

/// How far from its saved index a block's text is looked for. Far enough for a page
/// that gained or lost a menu, a sidebar or a few paragraphs; a bound keeps a restore on
/// a large file to a few thousand hashes.
const SEARCH_RADIUS: usize = 2_000;

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
        }
    }

    /// Where `anchor` is in this document: (block, byte offset inside it). The block
    /// with the anchor's text nearest to its saved index wins; when no block has that
    /// text any more, the block at the saved index (or the last one) is taken, at the
    /// same character offset as far as it goes. `None` for an empty document.
    pub fn resolve(&self, anchor: Anchor) -> Option<(usize, usize)> {
        let last = self.paragraphs.len().checked_sub(1)?;
        let saved = anchor.block.min(last);
        let matches = |i: usize| fingerprint(self.paragraph(i)) == anchor.fingerprint;
        let found = (0..=SEARCH_RADIUS).find_map(|distance| {
            let after = anchor.block.checked_add(distance).filter(|&i| i <= last);
            let before = anchor.block.checked_sub(distance).filter(|&i| i <= last);
            [before, after].into_iter().flatten().find(|&i| matches(i))
        });
        let block = found.unwrap_or(saved);
        let text = self.paragraph(block);
        let offset = text
            .char_indices()
            .nth(anchor.char_offset)
            .map_or(text.len(), |(at, _)| at);
        Some((block, offset))
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
