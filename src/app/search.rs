//! Search in the document, forgiving the way Arabic is written: harakat and tatweel are
//! ignored, أ إ آ ٱ match ا, ى matches ي, ة matches ه, and Latin ignores case.

use std::ops::Range;

use crate::document::Document;
use crate::glossary::normalize::{self, TATWEEL, is_haraka};

/// Folds one character for matching, as the glossary does, with Latin case folded too;
/// `None` drops it.
fn fold_char(c: char) -> Option<char> {
    match c {
        c if is_haraka(c) || c == TATWEEL => None,
        c if c.is_ascii() => Some(c.to_ascii_lowercase()),
        c if c.is_alphabetic() && c.is_uppercase() => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => Some(l),
                _ => Some(c),
            }
        }
        c => Some(normalize::fold_char(c)),
    }
}

/// `text` folded for matching, and for each byte of the folded text the offset of the
/// original character it came from (plus one final entry: the text's length).
pub fn fold(text: &str) -> (String, Vec<usize>) {
    let mut folded = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len() + 1);
    for (i, c) in text.char_indices() {
        if let Some(f) = fold_char(c) {
            folded.push(f);
            origin.resize(folded.len(), i);
        }
    }
    origin.push(text.len());
    (folded, origin)
}

/// A query folded for matching (empty when it has nothing to match).
pub fn fold_query(query: &str) -> String {
    query.trim().chars().filter_map(fold_char).collect()
}

/// One occurrence of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub para: usize,
    /// Bytes of the paragraph.
    pub range: Range<usize>,
}

/// Every occurrence of `query` in `doc`, in document order.
pub fn find_all(doc: &Document, query: &str) -> Vec<Hit> {
    let needle = fold_query(query);
    if needle.is_empty() {
        return Vec::new();
    }
    let mut hits = Vec::new();
    for para in 0..doc.paragraphs.len() {
        let text = doc.paragraph(para);
        let (folded, origin) = fold(text);
        for (at, _) in folded.match_indices(&needle) {
            let start = origin[at];
            // The hit ends after the original character of its last folded byte, marks
            // that follow it included.
            let last = origin[at + needle.len() - 1];
            let mut end = origin[at + needle.len()].max(last + 1);
            while !text.is_char_boundary(end) {
                end += 1;
            }
            hits.push(Hit {
                para,
                range: start..end,
            });
        }
    }
    hits
}

/// A search the reader is showing.
#[derive(Debug, Clone)]
pub struct Search {
    pub query: String,
    pub hits: Vec<Hit>,
    /// The hit the cursor went to.
    pub current: Option<usize>,
    pub backward: bool,
}

impl Search {
    /// The hits in paragraph `para`.
    pub fn hits_in(&self, para: usize) -> &[Hit] {
        let start = self.hits.partition_point(|h| h.para < para);
        let end = self.hits.partition_point(|h| h.para <= para);
        &self.hits[start..end]
    }

    /// The first hit after (or, going back, before) the place `(para, offset)`.
    pub fn next_from(&self, para: usize, offset: usize, backward: bool) -> Option<usize> {
        if self.hits.is_empty() {
            return None;
        }
        let key = |h: &Hit| (h.para, h.range.start);
        if backward {
            let i = self.hits.partition_point(|h| key(h) < (para, offset));
            Some(if i == 0 { self.hits.len() - 1 } else { i - 1 })
        } else {
            let i = self.hits.partition_point(|h| key(h) <= (para, offset));
            Some(if i == self.hits.len() { 0 } else { i })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(text: &str, query: &str) -> Vec<String> {
        let doc = Document::from_text("t", text.to_owned());
        find_all(&doc, query)
            .into_iter()
            .map(|h| doc.paragraph(h.para)[h.range].to_owned())
            .collect()
    }

    #[test]
    fn ignores_harakat_tatweel_and_letter_variants() {
        assert_eq!(hits("في المكتبة ومَكْتَبَةٌ", "مكتبة"), ["مكتبة", "مَكْتَبَةٌ"]);
        assert_eq!(hits("إلى مستشفى", "الي"), ["إلى"]);
        assert_eq!(hits("جمـــيل", "جميل"), ["جمـــيل"]);
        assert_eq!(hits("مكتبه", "مكتبة"), ["مكتبه"]);
        assert_eq!(hits("آمن وأمن", "امن"), ["آمن", "أمن"]);
    }

    #[test]
    fn latin_ignores_case() {
        assert_eq!(
            hits("Twitter and TWITTER", "twitter"),
            ["Twitter", "TWITTER"]
        );
        assert!(hits("abc", "").is_empty());
    }

    #[test]
    fn next_wraps_around() {
        let doc = Document::from_text("t", "a b a\nb a".to_owned());
        let search = Search {
            query: "a".into(),
            hits: find_all(&doc, "a"),
            current: None,
            backward: false,
        };
        assert_eq!(search.hits.len(), 3);
        assert_eq!(search.next_from(0, 0, false), Some(1));
        assert_eq!(search.next_from(1, 2, false), Some(0));
        assert_eq!(search.next_from(0, 0, true), Some(2));
    }
}
