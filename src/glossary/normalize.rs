//! Normalisation for matching: the one function every index and every query goes through.
//!
//! Two layers, both char-for-char so that a split found on the normalised form maps back
//! onto the letters as written:
//! - [`skeleton`] drops harakat (U+064B–U+065F, U+0670) and tatweel, and keeps the letters.
//! - [`fold_char`] folds the alef variants أ إ آ ٱ to ا, ى to ي and ة to ه; ؤ and ئ stay.
//!
//! [`normalize`] is both. The word is always shown as written; only matching uses this.

/// True for the combining marks that are removed: harakat, shadda, sukun, dagger alef and
/// the rest of U+064B–U+065F (the same set the text engine strips).
pub use crate::layout::shape::is_haraka;

/// Tatweel (kashida), a stretching stroke with no meaning.
pub const TATWEEL: char = '\u{0640}';

/// Folds one letter for matching. Letters outside the folded set are returned unchanged.
pub fn fold_char(c: char) -> char {
    match c {
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ى' => 'ي',
        'ة' => 'ه',
        _ => c,
    }
}

/// The word without harakat and tatweel, letters as written.
pub fn skeleton(word: &str) -> String {
    word.chars()
        .filter(|&c| !is_haraka(c) && c != TATWEEL)
        .collect()
}

/// The matching key of a word or phrase: [`skeleton`], then [`fold_char`], with runs of
/// white space collapsed to one space and the ends trimmed. Latin letters are lower-cased
/// so that mixed headwords in a dictionary match regardless of case.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if is_haraka(c) || c == TATWEEL || c == '\u{200C}' || c == '\u{200D}' {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        if c.is_ascii_uppercase() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(fold_char(c));
        }
    }
    out
}

/// True when the two words disagree on a letter the text wrote and [`normalize`] folds away:
/// one ends with ة and the other with ه, or one has أ, إ or آ where the other has another. Their
/// matching key is the same, but the text said which letter it is. Matching tries the
/// spelling as written first and relaxes it only when that finds nothing (كرة "ball" is
/// not كره "hatred", إليه is not آلية, أما is not إما). A bare ا says nothing: it is the
/// common loose spelling of both hamza seats; but a hamza the text wrote where the headword
/// has a plain ا is a different word (لأمي is لِ + أمّ, not لام "to blame"), since the
/// dictionaries write their hamzas.
///
/// A final ي against ى counts only where the written word has a hamza seat (أ, إ or آ): a
/// writer who writes hamzas writes ى where it belongs, so أني is أنّ + ي "that I", not
/// أنّى "how"; in loose spelling (على written علي) the two stay one letter.
pub fn spelling_differs(written: &str, headword: &str) -> bool {
    let letters = |s: &str| -> Vec<char> {
        s.chars()
            .filter(|&c| !is_haraka(c) && c != TATWEEL && !c.is_whitespace())
            .collect()
    };
    let (a, b) = (letters(written), letters(headword));
    let careful = a.iter().any(|c| matches!(c, 'أ' | 'إ' | 'آ'));
    if careful
        && matches!(
            (a.last(), b.last()),
            (Some('ي'), Some('ى')) | (Some('ى'), Some('ي'))
        )
    {
        return true;
    }
    // آ (alef madda) is a hamza and a long a: it is not أ or إ either (أن is not آن).
    let clash = |x: char, y: char| {
        matches!(
            (x, y),
            ('ة', 'ه')
                | ('ه', 'ة')
                | ('أ', 'إ')
                | ('إ', 'أ')
                | ('أ' | 'إ', 'آ')
                | ('آ', 'أ' | 'إ')
                | ('أ' | 'إ' | 'آ', 'ا')
        )
    };
    if a.len() == b.len() {
        return a.iter().zip(&b).any(|(&x, &y)| clash(x, y));
    }
    matches!((a.last(), b.last()), (Some(&x), Some(&y)) if clash(x, y))
}

/// True for a letter of the Arabic script that can be part of a word (not a digit, not
/// punctuation, not a mark).
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0671}'..='\u{06D3}' | '\u{06D5}')
}

/// True when `word` holds at least one Arabic letter.
pub fn has_arabic(word: &str) -> bool {
    word.chars().any(is_arabic_letter)
}

/// The Arabic words of a text, as written (harakat and tatweel included): maximal runs of
/// Arabic letters, harakat and tatweel. Everything else separates words.
pub fn arabic_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(is_arabic_letter(c) || is_haraka(c) || c == TATWEEL))
        .filter(|w| has_arabic(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn harakat_and_tatweel_go() {
        assert_eq!(normalize("وَأَعَدَّتِ"), "واعدت");
        assert_eq!(normalize("كـــتاب"), "كتاب");
        assert_eq!(skeleton("وَأَعَدَّتِ"), "وأعدت");
    }

    #[test]
    fn folds_alef_ya_ta_marbuta_but_keeps_hamza_seats() {
        assert_eq!(normalize("أإآٱ"), "اااا");
        assert_eq!(normalize("على"), "علي");
        assert_eq!(normalize("وزارة"), "وزاره");
        assert_eq!(normalize("مسؤول شاطئ"), "مسؤول شاطئ");
    }

    #[test]
    fn written_ta_marbuta_and_hamza_seats_tell_words_apart() {
        assert!(spelling_differs("كرة", "كره"));
        assert!(spelling_differs("إليه", "آلِيَّة"));
        assert!(spelling_differs("الكُرَةُ", "كُرْه"));
        assert!(spelling_differs("أَمَّا", "إِمَّا"));
        assert!(spelling_differs("إن", "أن"));
        assert!(spelling_differs("أن", "آن"));
        assert!(spelling_differs("آلة", "ألة"));
        assert!(!spelling_differs("ان", "آن"));
        assert!(!spelling_differs("كرة", "كُرَة"));
        assert!(!spelling_differs("منه", "مِنْه"));
        assert!(!spelling_differs("هذا", "هذه"));
        assert!(!spelling_differs("ان", "أن"));
        assert!(!spelling_differs("الى", "إلى"));
        assert!(!spelling_differs("", "ه"));
        // A written hamza against a plain alef of the headword.
        assert!(spelling_differs("لأم", "لام"));
        assert!(!spelling_differs("لام", "لأم"));
        // ى and ي are told apart where the writer writes hamzas.
        assert!(spelling_differs("أني", "أنى"));
        assert!(spelling_differs("إلي", "إلى"));
        assert!(!spelling_differs("علي", "على"));
        assert!(!spelling_differs("أنى", "أَنَّى"));
    }

    #[test]
    fn skeleton_and_normalize_are_char_for_char() {
        let w = "الأَمِيرْكِيَّة";
        assert_eq!(skeleton(w).chars().count(), normalize(w).chars().count());
    }

    #[test]
    fn words_of_a_mixed_text() {
        let words: Vec<_> = arabic_words("لـ”سعد الشاطري”، CSCC 60 و(داعش)").collect();
        assert_eq!(words, ["لـ", "سعد", "الشاطري", "و", "داعش"]);
    }
}
