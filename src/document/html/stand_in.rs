//! Readability on Arabic text, made cheap: while `dom_smoothie` chooses the article, the
//! Arabic letters of the page's long texts are stood in for by an ASCII letter, one
//! character for one, and the texts are put back into the tree it returns.
//!
//! Why it pays: readability lower-cases the whole text of every `div` with fewer than ten
//! Latin commas (Arabic has its own comma), to compare it with a few words such as "ad";
//! it counts characters and commas char by char, many times over. Lower-casing Arabic
//! looks each letter up in Unicode's tables; ASCII goes eight bytes at a time, and is
//! half the bytes to walk.
//!
//! Why the choice stays the same: readability reads a text in these ways only, each of
//! which gives the same answer on the stand-in text:
//! - lengths in characters and with whitespace collapsed: one character stands for one,
//!   a letter for a letter, whitespace is left;
//! - commas (its list holds the Arabic comma U+060C) and `.` (sentences): left;
//! - the whole text of an element, lower-cased and trimmed, against its words for ads and
//!   for "loading": a stood-in text is at least [`MIN_CHARS`] characters long, trimmed,
//!   longer than any of those words, so neither the element's text nor its stand-in is one;
//! - a byline is an element whose text is under 100 characters: no stood-in text is
//!   short enough to be inside one, so the author's name is the page's own;
//! - headings' words against the title (`text_similarity`), `<title>`, JSON-LD in
//!   scripts, and the inner HTML of embeds matched against video addresses: texts under
//!   those elements are left as they are (see [`LEFT_AS_THEY_ARE`]).
//!
//! The tree readability returns holds the same text nodes (it moves, renames and removes
//! elements, and creates none from text); each is checked to hold its stand-in still
//! before its text is put back, and when one does not the caller runs readability again
//! on the page itself.

use dom_query::{Document, NodeData, NodeRef};

/// The shortest text (in characters, trimmed) stood in for: readability's bylines are
/// shorter than 100 characters, and its ad and "loading" words far shorter.
pub(super) const MIN_CHARS: usize = 100;

/// Elements whose texts readability compares by their words or their markup.
const LEFT_AS_THEY_ARE: &[&str] = &[
    "h1", "h2", "h3", "h4", "h5", "h6", "title", "script", "style", "noscript", "template",
    "textarea", "object", "embed", "iframe", "svg", "math",
];

/// The character that stands for every Arabic letter, haraka and digit: a lower-case
/// ASCII letter, so that lower-casing leaves it as it is.
const STAND_IN: char = 'x';

/// What a run of readability on stood-in text gave.
pub(super) enum Outcome<R> {
    /// Readability's result, its tree holding the page's own texts again.
    Restored(R),
    /// Readability found nothing (its `None`).
    NotFound,
    /// A stood-in text node changed under readability: its result cannot be given back
    /// with the page's texts; run it again on the page as it is.
    Changed,
}

/// Stands in for the Arabic letters of `doc`'s long texts, runs `readability` on it, and
/// puts the texts back into the tree `tree_of` finds in the result.
pub(super) fn with_stand_ins<R>(
    doc: Document,
    readability: impl FnOnce(Document) -> Option<R>,
    tree_of: impl Fn(&R) -> &Document,
) -> Outcome<R> {
    let mut saved = Vec::new();
    if let Some(body) = doc.body() {
        let mut texts = Vec::new();
        for node in body.descendants_it() {
            if is_long_text(&node) && !under_left_alone(&node) {
                texts.push(node.id);
            }
        }
        for id in texts {
            let Some(node) = doc.tree.get(&id) else {
                continue;
            };
            node.update(|n| {
                if let NodeData::Text { contents } = &mut n.data
                    && let Some(stood_in) = stood_in(contents)
                {
                    let original = std::mem::replace(contents, stood_in.into());
                    saved.push((id, original, contents.clone()));
                }
            });
        }
    }
    let Some(result) = readability(doc) else {
        return Outcome::NotFound;
    };
    let tree = &tree_of(&result).tree;
    for (id, original, stood_in) in saved {
        let put_back = tree.get(&id).and_then(|node| {
            node.update(|n| match &mut n.data {
                NodeData::Text { contents } if *contents == stood_in => {
                    *contents = original;
                    true
                }
                _ => false,
            })
        });
        if put_back != Some(true) {
            return Outcome::Changed;
        }
    }
    Outcome::Restored(result)
}

/// A text node of at least [`MIN_CHARS`] characters, trimmed.
fn is_long_text(node: &NodeRef) -> bool {
    node.query(|n| match &n.data {
        NodeData::Text { contents } => contents.trim().chars().nth(MIN_CHARS - 1).is_some(),
        _ => false,
    })
    .unwrap_or(false)
}

fn under_left_alone(node: &NodeRef) -> bool {
    node.ancestors_it(None).any(|a| {
        a.qual_name_ref()
            .is_some_and(|q| LEFT_AS_THEY_ARE.contains(&q.local.as_ref()))
    })
}

/// The characters stood in for, as UTF-8: Arabic letters, tatweel, harakat and digits
/// (U+0621..U+0652, U+0660..U+0669, U+0671..U+06D3); not the Arabic comma, semicolon,
/// question mark or letter mark, nor anything outside the Arabic block. For each lead
/// byte from 0xD8 to 0xDB, one bit for each value of the next byte's low six bits.
const STOOD_IN_BITS: [u64; 4] = [
    // U+0621..U+063F
    !0 << 0x21,
    // U+0640..U+0652, U+0660..U+0669, U+0671..U+067F
    (!0 >> (63 - 0x12)) | ((!0 >> (63 - 0x09)) << 0x20) | (!0 << 0x31),
    // U+0680..U+06BF
    !0,
    // U+06C0..U+06D3
    !0 >> (63 - 0x13),
];

/// `text` with its Arabic letters stood in for, or None when it has none. Byte by byte:
/// every character stood in for takes two bytes in UTF-8 (U+0621 to U+06D3) and a byte
/// from 0xD8 to 0xDB leads a two-byte character and nothing else, so copying every other
/// byte as it is keeps the text whole.
fn stood_in(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = vec![0; bytes.len()];
    let mut any = false;
    let (mut at, mut written) = (0, 0);
    while at < bytes.len() {
        let lead = bytes[at];
        let stood_in = (0xd8..=0xdb).contains(&lead)
            && bytes.get(at + 1).is_some_and(|&next| {
                STOOD_IN_BITS[usize::from(lead - 0xd8)] >> (next & 0x3f) & 1 == 1
            });
        if stood_in {
            out[written] = STAND_IN as u8;
            any = true;
            at += 2;
        } else {
            out[written] = lead;
            at += 1;
        }
        written += 1;
    }
    if !any {
        return None;
    }
    out.truncate(written);
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What [`STOOD_IN_BITS`] says, char by char.
    fn is_stood_in(c: char) -> bool {
        matches!(c, '\u{0621}'..='\u{0652}' | '\u{0660}'..='\u{0669}' | '\u{0671}'..='\u{06d3}')
    }

    #[test]
    fn a_stand_in_keeps_lengths_whitespace_and_punctuation() {
        let text = "قالت، في «المساء»: ١٢ كتاباً؛ هل؟ نعم. pdf\u{a0}ـ\n";
        let stand_in = stood_in(text).expect("Arabic letters");
        assert_eq!(
            stand_in,
            "xxxx، xx «xxxxxx»: xx xxxxxx؛ xx؟ xxx. pdf\u{a0}x\n"
        );
        assert_eq!(stand_in.chars().count(), text.chars().count());
        assert_eq!(stood_in("no Arabic, none."), None);
        // Byte by byte as char by char, over every one- and two-byte character and some
        // longer ones.
        let all: String = (1..0x800)
            .chain([0x200f, 0xfe50, 0xfdfa, 0x1f600])
            .filter_map(char::from_u32)
            .collect();
        let by_chars: String = all
            .chars()
            .map(|c| if is_stood_in(c) { STAND_IN } else { c })
            .collect();
        assert_eq!(stood_in(&all).as_deref(), Some(by_chars.as_str()));
    }

    #[test]
    fn texts_go_back_and_headings_and_short_texts_are_left() {
        let long = "كلمة ".repeat(30);
        let page = format!(
            "<html><head><title>عنوان</title></head><body><h1>{long}</h1><p>قصير</p><p>{long}</p></body></html>"
        );
        let seen = std::cell::RefCell::new(String::new());
        let outcome = with_stand_ins(
            Document::from(page.as_str()),
            |doc| {
                *seen.borrow_mut() = doc.select("body").text().to_string();
                Some(doc)
            },
            |doc| doc,
        );
        let expected = format!("{long}قصير{}", stood_in(&long).expect("letters"));
        assert_eq!(*seen.borrow(), expected);
        let Outcome::Restored(doc) = outcome else {
            panic!("the texts were not put back");
        };
        assert_eq!(
            doc.select("body").text().to_string(),
            format!("{long}قصير{long}")
        );
    }
}
