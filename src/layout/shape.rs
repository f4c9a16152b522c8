//! Stage 1 of the text pipeline: Arabic shaping, in logical order.
//!
//! Each joining letter gets its isolated, final, initial or medial presentation form
//! (U+FB50–U+FDFF, U+FE70–U+FEFF) from the joining types of Unicode's ArabicShaping.txt.
//! Transparent characters (harakat and other marks) do not break joining; tatweel and
//! ZWJ cause joining; ZWNJ stops it. The four mandatory Lam-Alef ligatures become one
//! character, and the Alef that went into the ligature produces nothing.
//!
//! Letters join only with neighbours at the same embedding level, as in GNU FriBidi,
//! the reference for single-line output. A Lam and an Alef with marks between them
//! (لَا, صَلَاة) still form their ligature, and the marks stay in its cell; here qari
//! departs from FriBidi, which leaves such a pair as two letters (fully vocalised text,
//! as in schoolbooks and the Qur'an, would otherwise never show the ligature). A letter
//! whose wanted form is not encoded keeps its nominal form.

use super::shape_tables::{FORMS, JOINING_TYPES};

/// Joining type of a character (Unicode's Joining_Type property).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoiningType {
    /// Joins on both sides (D).
    Dual,
    /// Joins with the preceding letter only (R).
    Right,
    /// Joins with the following letter only (L).
    Left,
    /// Causes joining on both sides without changing shape, such as tatweel and ZWJ (C).
    Causing,
    /// Skipped when looking for neighbours, such as harakat (T).
    Transparent,
    /// Does not join (U).
    NonJoining,
}

impl JoiningType {
    pub(crate) fn joins_forward(self) -> bool {
        matches!(self, Self::Dual | Self::Left | Self::Causing)
    }
    pub(crate) fn joins_backward(self) -> bool {
        matches!(self, Self::Dual | Self::Right | Self::Causing)
    }
}

/// The joining type of `c`.
#[inline]
pub fn joining_type(c: char) -> JoiningType {
    static TABLE: super::fast::CodePointTable<JoiningType> = super::fast::CodePointTable::new();
    TABLE.get(c, joining_type_slow)
}

fn joining_type_slow(c: char) -> JoiningType {
    let cp = c as u32;
    // Most text is Latin or ASCII punctuation, which never joins.
    if cp < 0x0300 {
        return if cp == 0x00AD {
            JoiningType::Transparent
        } else {
            JoiningType::NonJoining
        };
    }
    match JOINING_TYPES.binary_search_by(|&(start, end, _)| {
        if end < cp {
            std::cmp::Ordering::Less
        } else if start > cp {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    }) {
        Ok(i) => JOINING_TYPES[i].2,
        Err(_) => JoiningType::NonJoining,
    }
}

/// What a logical character turns into after shaping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shaped {
    /// Print this character (the input itself, or its presentation form).
    Char(char),
    /// This character went into a ligature with the one before it; print nothing.
    Ligated,
}

/// Which presentation form a letter takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Joined on neither side.
    Isolated = 0,
    /// Joined to the letter before.
    Final = 1,
    /// Joined to the letter after.
    Initial = 2,
    /// Joined on both sides.
    Medial = 3,
}

/// The presentation forms of each letter (0 where none is encoded).
static FORMS_TABLE: super::fast::CodePointTable<[u16; 4]> = super::fast::CodePointTable::new();

/// The encoded presentation form of letter `c`, if there is one.
#[inline]
pub fn presentation_form(c: char, form: Form) -> Option<char> {
    match FORMS_TABLE.get(c, forms_slow)[form as usize] {
        0 => None,
        cp => char::from_u32(u32::from(cp)),
    }
}

/// The four presentation forms of `c` (0 where none is encoded), from the shaping
/// tables. Every presentation form is below U+10000.
fn forms_slow(c: char) -> [u16; 4] {
    match FORMS.binary_search_by_key(&(c as u32), |&(base, _)| base) {
        Ok(i) => FORMS[i].1.map(|cp| u16::try_from(cp).unwrap_or(0)),
        Err(_) => [0; 4],
    }
}

/// Code points below this have their printed forms in [`encoded_forms`].
pub(crate) const ENCODED_END: usize = 0x800;

/// A printed character in UTF-8, for a writer that stores four bytes at once: its
/// bytes in the low three bytes, first byte lowest, and its length in the top byte.
/// Only for characters of at most three bytes.
pub(crate) const fn encode(c: char) -> u32 {
    let cp = c as u32;
    if cp < 0x80 {
        cp | (1 << 24)
    } else if cp < 0x800 {
        0xC0 | (cp >> 6) | ((0x80 | (cp & 0x3F)) << 8) | (2 << 24)
    } else {
        0xE0 | (cp >> 12)
            | ((0x80 | ((cp >> 6) & 0x3F)) << 8)
            | ((0x80 | (cp & 0x3F)) << 16)
            | (3 << 24)
    }
}

/// For each code point below [`ENCODED_END`], indexed by code point, what it prints
/// as, already encoded ([`encode`]): itself, then its isolated, final, initial and
/// medial forms (at `1 + Form as usize`), each the letter itself where no form is
/// encoded. The render pass writes a shaped letter with one lookup here.
pub(crate) fn encoded_forms() -> &'static [[u32; 5]; ENCODED_END] {
    static TABLE: std::sync::OnceLock<[[u32; 5]; ENCODED_END]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [[0; 5]; ENCODED_END];
        for (cp, row) in (0u32..).zip(table.iter_mut()) {
            let c = char::from_u32(cp).unwrap_or('\u{FFFD}');
            let forms = [Form::Isolated, Form::Final, Form::Initial, Form::Medial];
            row[0] = encode(c);
            for (slot, form) in row[1..].iter_mut().zip(forms) {
                *slot = encode(presentation_form(c, form).unwrap_or(c));
            }
        }
        table
    })
}

pub(crate) const LAM: char = '\u{0644}';

/// The Lam-Alef ligature for an Alef after Lam: (isolated, final).
pub(crate) fn lam_alef(alef: char) -> Option<(char, char)> {
    match alef {
        '\u{0622}' => Some(('\u{FEF5}', '\u{FEF6}')),
        '\u{0623}' => Some(('\u{FEF7}', '\u{FEF8}')),
        '\u{0625}' => Some(('\u{FEF9}', '\u{FEFA}')),
        '\u{0627}' => Some(('\u{FEFB}', '\u{FEFC}')),
        _ => None,
    }
}

/// True for the harakat that the strip mode removes (U+064B–U+065F, U+0670).
pub use super::haraka::is_haraka;

/// True for a combining mark that is printed in its base letter's cell: transparent to
/// joining, no columns of its own, and not a hidden format character.
pub(crate) fn is_mark(c: char) -> bool {
    is_haraka(c)
        || (joining_type(c) == JoiningType::Transparent
            && super::char_width(c) == 0
            && !super::is_hidden(c))
}

/// Shapes `chars` (one paragraph, logical order). `levels[i]` is the embedding level
/// of `chars[i]`; letters at different levels do not join.
pub fn shape(chars: &[char], levels: &[u8]) -> Vec<Shaped> {
    debug_assert_eq!(chars.len(), levels.len());
    let types: Vec<JoiningType> = chars.iter().map(|&c| joining_type(c)).collect();
    let mut out: Vec<Shaped> = chars.iter().map(|&c| Shaped::Char(c)).collect();
    let solid_from =
        |from: usize| (from..chars.len()).find(|&n| types[n] != JoiningType::Transparent);
    // Index of the previous non-transparent character, if it can join forward.
    let mut prev_joining: Option<usize> = None;
    // Each non-transparent character in turn, and the one after it.
    let mut current = solid_from(0);
    while let Some(i) = current {
        let jt = types[i];
        let joins_prev = jt.joins_backward()
            && prev_joining.is_some_and(|p| types[p].joins_forward() && levels[p] == levels[i]);
        let next = solid_from(i + 1);
        current = next;
        if jt == JoiningType::NonJoining {
            prev_joining = None;
            continue;
        }
        let joins_next = jt.joins_forward()
            && next.is_some_and(|n| types[n].joins_backward() && levels[n] == levels[i]);

        if chars[i] == LAM {
            // Marks between the Lam and the Alef do not stop the ligature: they stay in
            // its cell (or are stripped).
            let mut j = i + 1;
            while j < chars.len() && levels[j] == levels[i] && is_mark(chars[j]) {
                j += 1;
            }
            if let Some((isolated, final_form)) = chars.get(j).and_then(|&alef| lam_alef(alef))
                && levels[j] == levels[i]
            {
                out[i] = Shaped::Char(if joins_prev { final_form } else { isolated });
                out[j] = Shaped::Ligated;
                // The ligature ends in an Alef, which never joins forward.
                prev_joining = None;
                current = solid_from(j + 1);
                continue;
            }
        }

        if jt != JoiningType::Causing {
            let form = match (joins_prev, joins_next) {
                (true, true) => Form::Medial,
                (true, false) => Form::Final,
                (false, true) => Form::Initial,
                (false, false) => Form::Isolated,
            };
            if let Some(shaped) = presentation_form(chars[i], form) {
                out[i] = Shaped::Char(shaped);
            }
        }
        prev_joining = Some(i);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn shape_str(s: &str) -> String {
        let chars: Vec<char> = s.chars().collect();
        let levels = vec![1u8; chars.len()];
        shape(&chars, &levels)
            .into_iter()
            .filter_map(|s| match s {
                Shaped::Char(c) => Some(c),
                Shaped::Ligated => None,
            })
            .collect()
    }

    #[rstest]
    #[case::isolated_letter("ب", "\u{FE8F}")]
    #[case::two_letters("بب", "\u{FE91}\u{FE90}")]
    #[case::three_letters("ببب", "\u{FE91}\u{FE92}\u{FE90}")]
    #[case::right_joining_breaks("باب", "\u{FE91}\u{FE8E}\u{FE8F}")]
    #[case::harakat_are_transparent("بَبَ", "\u{FE91}\u{064E}\u{FE90}\u{064E}")]
    #[case::tatweel_joins("ـبـ", "\u{0640}\u{FE92}\u{0640}")]
    #[case::zwnj_stops_joining("ب\u{200C}ب", "\u{FE8F}\u{200C}\u{FE8F}")]
    #[case::zwj_forces_joining("ب\u{200D}", "\u{FE91}\u{200D}")]
    #[case::lam_alef_isolated("لا", "\u{FEFB}")]
    #[case::lam_alef_final("بلا", "\u{FE91}\u{FEFC}")]
    #[case::lam_alef_hamza_above("لأ", "\u{FEF7}")]
    #[case::lam_alef_hamza_below("لإ", "\u{FEF9}")]
    #[case::lam_alef_madda("لآ", "\u{FEF5}")]
    #[case::lam_alef_then_letter("لاب", "\u{FEFB}\u{FE8F}")]
    #[case::lam_alef_across_fatha("لَا", "\u{FEFB}\u{064E}")]
    #[case::lam_alef_across_two_marks("لَّا", "\u{FEFB}\u{064E}\u{0651}")]
    #[case::lam_alef_final_across_sukun("بلْأ", "\u{FE91}\u{FEF8}\u{0652}")]
    #[case::lam_alef_marks_on_both("لِأُ", "\u{FEF7}\u{0650}\u{064F}")]
    #[case::persian_letters("پچ", "\u{FB58}\u{FB7B}")]
    #[case::farsi_yeh_final("بی", "\u{FE91}\u{FBFD}")]
    #[case::latin_untouched("abc", "abc")]
    fn shapes(#[case] input: &str, #[case] expected: &str) {
        assert_eq!(shape_str(input), expected);
    }

    #[test]
    fn encoded_forms_are_the_forms_in_utf8() {
        let table = encoded_forms();
        let decode = |encoded: u32| {
            let bytes = encoded.to_le_bytes();
            String::from_utf8(bytes[..(encoded >> 24) as usize].to_vec()).unwrap()
        };
        for (cp, row) in (0u32..).zip(table.iter()) {
            let c = char::from_u32(cp).unwrap_or('\u{FFFD}');
            assert_eq!(decode(row[0]), c.to_string());
            let forms = [Form::Isolated, Form::Final, Form::Initial, Form::Medial];
            for (&encoded, form) in row[1..].iter().zip(forms) {
                let shaped = presentation_form(c, form).unwrap_or(c);
                assert_eq!(decode(encoded), shaped.to_string(), "U+{cp:04X} {form:?}");
            }
        }
        for c in ['\u{FEF5}', '\u{FEFC}', '\u{FB50}'] {
            assert_eq!(decode(encode(c)), c.to_string());
        }
    }

    #[test]
    fn letters_at_different_levels_do_not_join() {
        let chars: Vec<char> = "بب".chars().collect();
        let shaped = shape(&chars, &[1, 3]);
        assert_eq!(
            shaped,
            vec![Shaped::Char('\u{FE8F}'), Shaped::Char('\u{FE8F}')]
        );
    }
}
