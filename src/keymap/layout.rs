//! Keyboard layouts: a reader who types Arabic has an Arabic (or Persian) layout
//! active, and `j` then arrives as `ت`. This table gives the Latin key in the same place
//! on a US keyboard, so that the keymap works whichever layout is active. Prompts and
//! mark names never go through it: they take text as typed.
//!
//! The tables follow the common layouts: Arabic (101), as in Windows and in xkb's
//! `ara`, and Persian (ISIRI 9147, xkb's `ir`). Both put most letters in the same
//! places; where they differ (ظ ط ز ذ د) the chosen layout decides.

use serde::Deserialize;

/// The non-Latin layout whose keys stand for the Latin ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyboardLayout {
    #[default]
    Arabic,
    Persian,
}

/// Letters in the same place on both layouts: (typed, Latin key).
const SHARED: &[(char, char)] = &[
    ('ض', 'q'),
    ('ص', 'w'),
    ('ث', 'e'),
    ('ق', 'r'),
    ('ف', 't'),
    ('غ', 'y'),
    ('ع', 'u'),
    ('ه', 'i'),
    ('خ', 'o'),
    ('ح', 'p'),
    ('ج', '['),
    ('ش', 'a'),
    ('س', 's'),
    ('ب', 'f'),
    ('ل', 'g'),
    ('ا', 'h'),
    ('ت', 'j'),
    ('ن', 'k'),
    ('م', 'l'),
    ('ك', ';'),
    ('ک', ';'),
    ('ر', 'v'),
    ('و', ','),
    // Shifted keys.
    ('؟', '?'),
    ('٪', '%'),
    // Arabic-Indic and Persian digits, for counts (50%).
    ('٠', '0'),
    ('١', '1'),
    ('٢', '2'),
    ('٣', '3'),
    ('٤', '4'),
    ('٥', '5'),
    ('٦', '6'),
    ('٧', '7'),
    ('٨', '8'),
    ('٩', '9'),
    ('۰', '0'),
    ('۱', '1'),
    ('۲', '2'),
    ('۳', '3'),
    ('۴', '4'),
    ('۵', '5'),
    ('۶', '6'),
    ('۷', '7'),
    ('۸', '8'),
    ('۹', '9'),
];

/// Arabic (101) only.
const ARABIC: &[(char, char)] = &[
    ('ذ', '`'),
    ('د', ']'),
    ('ي', 'd'),
    ('ط', '\''),
    ('ئ', 'z'),
    ('ء', 'x'),
    ('ؤ', 'c'),
    ('ى', 'n'),
    ('ة', 'm'),
    ('ز', '.'),
    ('ظ', '/'),
    // Shifted keys.
    ('آ', 'N'),
    ('ـ', 'J'),
    ('أ', 'H'),
    ('إ', 'Y'),
    ('،', 'K'),
    ('؛', 'P'),
];

/// Persian (ISIRI 9147) only.
const PERSIAN: &[(char, char)] = &[
    ('چ', ']'),
    ('ی', 'd'),
    ('گ', '\''),
    ('ظ', 'z'),
    ('ط', 'x'),
    ('ز', 'c'),
    ('ذ', 'b'),
    ('د', 'n'),
    ('پ', 'm'),
    // Shifted keys.
    ('ژ', 'C'),
    ('آ', 'H'),
];

impl KeyboardLayout {
    /// The Latin key in the place of `typed`, if `typed` is a key of this layout.
    pub fn latin(self, typed: char) -> Option<char> {
        let own = match self {
            KeyboardLayout::Arabic => ARABIC,
            KeyboardLayout::Persian => PERSIAN,
        };
        own.iter()
            .chain(SHARED)
            .find(|(c, _)| *c == typed)
            .map(|&(_, latin)| latin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn each_layout_gives_one_latin_key_per_character_and_one_character_per_key() {
        for layout in [KeyboardLayout::Arabic, KeyboardLayout::Persian] {
            let own = match layout {
                KeyboardLayout::Arabic => ARABIC,
                KeyboardLayout::Persian => PERSIAN,
            };
            let mut typed = HashMap::new();
            for &(c, latin) in own.iter().chain(SHARED) {
                assert!(typed.insert(c, latin).is_none(), "{layout:?}: {c} twice");
            }
            // Two characters on one key only where the two layouts write it differently
            // (ك and ک on ;), or for digits.
            let mut by_key: HashMap<char, Vec<char>> = HashMap::new();
            for (&c, &latin) in &typed {
                by_key.entry(latin).or_default().push(c);
            }
            for (latin, chars) in by_key {
                assert!(
                    chars.len() == 1 || latin == ';' || latin.is_ascii_digit(),
                    "{layout:?}: {latin} has {chars:?}"
                );
            }
        }
    }

    #[test]
    fn the_home_row_and_the_layouts_that_differ() {
        let arabic = KeyboardLayout::Arabic;
        let persian = KeyboardLayout::Persian;
        assert_eq!(arabic.latin('ت'), Some('j'));
        assert_eq!(arabic.latin('ن'), Some('k'));
        assert_eq!(persian.latin('ت'), Some('j'));
        assert_eq!(arabic.latin('ظ'), Some('/'));
        assert_eq!(persian.latin('ظ'), Some('z'));
        assert_eq!(arabic.latin('٥'), Some('5'));
        assert_eq!(arabic.latin('a'), None);
    }
}
