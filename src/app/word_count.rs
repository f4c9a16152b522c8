//! Counting the words of a paragraph for the reading time left: the same count as
//! `str::split_whitespace().count()`, in one pass over the bytes. A whole book's words
//! are counted on the UI thread when it arrives, and decoding every character to ask
//! whether it is white space cost about 18 instructions a byte there.

/// What a byte says about white space in UTF-8.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Part of a character that is not white space.
    Word,
    /// An ASCII white-space character.
    Space,
    /// The lead byte of a character that may be white space (U+0085, U+00A0, U+1680,
    /// U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000): decoded.
    Maybe,
}

const fn classes() -> [Class; 256] {
    let mut table = [Class::Word; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => Class::Space,
            0xC2 | 0xE1 | 0xE2 | 0xE3 => Class::Maybe,
            _ => Class::Word,
        };
        b += 1;
    }
    table
}

static CLASSES: [Class; 256] = classes();

/// How many words `text` has, as `text.split_whitespace().count()` says.
pub fn count(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut words = 0;
    let mut in_word = false;
    let mut i = 0;
    while i < bytes.len() {
        let (space, width) = match CLASSES[usize::from(bytes[i])] {
            Class::Word => (false, 1),
            Class::Space => (true, 1),
            Class::Maybe => match text.get(i..).and_then(|rest| rest.chars().next()) {
                Some(c) => (c.is_whitespace(), c.len_utf8()),
                None => (false, 1),
            },
        };
        if !space && !in_word {
            words += 1;
        }
        in_word = !space;
        i += width;
        if in_word {
            // The rest of the word, in a tight loop: most bytes are letters.
            i += bytes[i..]
                .iter()
                .position(|&b| CLASSES[usize::from(b)] != Class::Word)
                .unwrap_or(bytes.len() - i);
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_as_split_whitespace_does() {
        let spaces = [
            ' ', '\t', '\n', '\u{0B}', '\u{0C}', '\r', '\u{85}', '\u{A0}', '\u{1680}', '\u{2000}',
            '\u{2005}', '\u{200A}', '\u{2028}', '\u{2029}', '\u{202F}', '\u{205F}', '\u{3000}',
        ];
        // Characters whose lead bytes are those of white space, but which are not.
        let near = [
            '\u{A9}', '\u{1681}', '\u{200B}', '\u{2030}', '\u{3001}', '\u{1C}', 'é',
        ];
        let words = ["كتاب", "x", "2026", "«نص»", "ﻻ"];
        let mut texts = vec![String::new(), " ".into(), "كتاب".into()];
        let mut state: u32 = 0x1234_5678;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as usize
        };
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..next() % 9 {
                let pick = next();
                match pick % 3 {
                    0 => text.push(spaces[pick / 3 % spaces.len()]),
                    1 => text.push(near[pick / 3 % near.len()]),
                    _ => text.push_str(words[pick / 3 % words.len()]),
                }
            }
            texts.push(text);
        }
        assert!(spaces.iter().all(|&c| texts.iter().any(|t| t.contains(c))));
        for text in &texts {
            assert_eq!(count(text), text.split_whitespace().count(), "{text:?}");
        }
    }
}
