//! Everything the fused render pass (`render_pass.rs`) asks about a code point, in one
//! table lookup: bidi class, joining type, width, and the flags the pipeline tests one by
//! one elsewhere (hidden, haraka, mark, whitespace, mirrored, and whether the character
//! needs the full engine at all).
//!
//! Each entry is computed from the same functions the full engine calls (`class_of`,
//! `joining_type`, `char_width`, ...), so the two always agree; the table only caches
//! them for Latin, Arabic, general punctuation and the presentation forms. Other code
//! points are computed on each call.

use unicode_bidi::BidiClass;

use super::shape::{self, JoiningType};

/// The bidi classes in the order of their numbers in [`CharProps::class_index`].
pub(crate) const CLASSES: [BidiClass; 23] = {
    use BidiClass::*;
    [
        AL, AN, B, BN, CS, EN, ES, ET, FSI, L, LRE, LRI, LRO, NSM, ON, PDF, PDI, R, RLE, RLI, RLO,
        S, WS,
    ]
};

const JOINING: [JoiningType; 6] = [
    JoiningType::NonJoining,
    JoiningType::Transparent,
    JoiningType::Dual,
    JoiningType::Right,
    JoiningType::Left,
    JoiningType::Causing,
];

const CLASS_MASK: u32 = 0x1f;
const JOINING_SHIFT: u32 = 5;
const WIDTH_SHIFT: u32 = 8;
const HIDDEN: u32 = 1 << 10;
const HARAKA: u32 = 1 << 11;
const MARK: u32 = 1 << 12;
const WHITE: u32 = 1 << 13;
const FULL_ENGINE: u32 = 1 << 14;
const MIRRORED: u32 = 1 << 15;
const MANDATORY_BREAK: u32 = 1 << 16;
/// The character's line-breaking class is not one `breaks` covers.
const OTHER_BREAK_CLASS: u32 = 1 << 17;
const JOINS_FORWARD: u32 = 1 << 18;
const JOINS_BACKWARD: u32 = 1 << 19;
const BREAK_SHIFT: u32 = 20;
const TRAILING_RESETTABLE: u32 = 1 << 25;
/// A joining letter the render pass shapes on its fast path: joins on some side (D, R,
/// L or C), one column, printed (not hidden), not a mark, not whitespace, and not of
/// class ON (so it is never mirrored).
const LETTER: u32 = 1 << 26;
/// A character that prints as itself in a cell of its own whatever its neighbours:
/// non-joining, one to three columns, not a haraka, and not a character of class ON
/// with a mirror.
const PLAIN: u32 = 1 << 27;

/// Copies of [`WHITE`] and [`TRAILING_RESETTABLE`] side by side, where
/// [`CharProps::cell_flags`] reads them as the render pass's cell flags.
const CELL_FLAGS_SHIFT: u32 = 28;

/// Code points below this are looked up by index in [`CharProps::low`].
pub(crate) const LOW_END: usize = 0x800;

/// The properties of one code point, packed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CharProps(u32);

impl CharProps {
    /// The properties of `c`.
    #[cfg(test)]
    pub fn of(c: char) -> Self {
        Self::lookup(Self::table(), c)
    }

    /// The cached properties of Latin, Arabic, general punctuation and the presentation
    /// forms, for [`lookup`](Self::lookup): fetched once per paragraph rather than once
    /// per character.
    #[inline]
    pub fn table() -> &'static [CharProps] {
        static LOW: std::sync::OnceLock<Vec<CharProps>> = std::sync::OnceLock::new();
        LOW.get_or_init(|| {
            (0..0x800)
                .chain(0x2000..0x2070)
                .chain(0xFB50..0xFF00)
                .map(|cp| Self::compute(char::from_u32(cp).unwrap_or('\u{FFFD}')))
                .collect()
        })
    }

    /// The properties of `c`, from `table` (which [`table`](Self::table) gave) when
    /// they are in it.
    #[inline]
    pub fn lookup(table: &[CharProps], c: char) -> Self {
        let cp = c as u32;
        let index = if cp < 0x800 {
            cp
        } else if cp.wrapping_sub(0xFB50) < 0xFF00 - 0xFB50 {
            cp - 0xFB50 + 0x870
        } else if cp.wrapping_sub(0x2000) < 0x70 {
            cp - 0x2000 + 0x800
        } else {
            return Self::compute(c);
        };
        match table.get(index as usize) {
            Some(&props) => props,
            None => Self::compute(c),
        }
    }

    /// The properties of the code points below [`LOW_END`], indexed by code point,
    /// from `table` (which [`table`](Self::table) gave): a caller that knows a code
    /// point is below it looks it up with no range test.
    #[inline]
    pub fn low(table: &[CharProps]) -> Option<&[CharProps; LOW_END]> {
        table.first_chunk::<LOW_END>()
    }

    /// The packed bits, for callers that store properties compactly.
    #[inline]
    pub fn bits(self) -> u32 {
        self.0
    }

    /// The properties from [`bits`](Self::bits).
    #[inline]
    pub const fn from_bits(bits: u32) -> Self {
        Self(bits)
    }

    fn compute(c: char) -> Self {
        let class = super::bidi::class_of(c);
        let class_index = CLASSES.iter().position(|&k| k == class).unwrap_or(0) as u32;
        let jt = shape::joining_type(c);
        let jt_index = JOINING.iter().position(|&j| j == jt).unwrap_or(0) as u32;
        let width = u32::from(super::char_width(c).min(3));
        let mut bits = class_index | (jt_index << JOINING_SHIFT) | (width << WIDTH_SHIFT);
        let flag = |on: bool, bit: u32| if on { bit } else { 0 };
        bits |= flag(super::is_hidden(c), HIDDEN);
        bits |= flag(shape::is_haraka(c), HARAKA);
        bits |= flag(shape::is_mark(c), MARK);
        bits |= flag(super::is_white_space(c), WHITE);
        bits |= flag(unicode_bidi_mirroring::get_mirrored(c).is_some(), MIRRORED);
        bits |= flag(
            {
                use unicode_linebreak::BreakClass::*;
                matches!(
                    unicode_linebreak::break_property(c as u32),
                    Mandatory | CarriageReturn | LineFeed | NextLine
                )
            },
            MANDATORY_BREAK,
        );
        bits |= flag(jt.joins_forward(), JOINS_FORWARD);
        bits |= flag(jt.joins_backward(), JOINS_BACKWARD);
        bits |= flag(
            super::bidi::is_trailing_resettable(class),
            TRAILING_RESETTABLE,
        );
        let break_class = super::breaks::class_of(c);
        bits |= u32::from(break_class) << BREAK_SHIFT;
        bits |= flag(break_class == super::breaks::OTHER, OTHER_BREAK_CLASS);
        // Tabs, controls (which the sanitizer rewrites), explicit embeddings, overrides
        // and isolates, and separators: the full engine handles them.
        let full = c == '\t'
            || super::sanitize::is_control(c)
            || {
                use BidiClass::*;
                matches!(
                    class,
                    LRE | RLE | LRO | RLO | PDF | LRI | RLI | FSI | PDI | B | S
                )
            }
            || super::char_width(c) > 3;
        bits |= flag(full, FULL_ENGINE);
        let width = super::char_width(c);
        let hidden = super::is_hidden(c);
        bits |= flag(
            jt != JoiningType::NonJoining
                && jt != JoiningType::Transparent
                && width == 1
                && !hidden
                && !shape::is_haraka(c)
                && !shape::is_mark(c)
                && !super::is_white_space(c)
                && class != BidiClass::ON,
            LETTER,
        );
        bits |= flag(
            jt == JoiningType::NonJoining
                && (1..=3).contains(&width)
                && !hidden
                && !shape::is_haraka(c)
                && !(class == BidiClass::ON && unicode_bidi_mirroring::get_mirrored(c).is_some()),
            PLAIN,
        );
        bits |= (((bits & WHITE) != 0) as u32) << CELL_FLAGS_SHIFT;
        bits |= (((bits & TRAILING_RESETTABLE) != 0) as u32) << (CELL_FLAGS_SHIFT + 1);
        Self(bits)
    }

    /// The number of the bidi class in [`CLASSES`].
    #[inline]
    pub fn class_index(self) -> u32 {
        self.0 & CLASS_MASK
    }

    /// The bidi class.
    #[inline]
    pub fn class(self) -> BidiClass {
        CLASSES[self.class_index() as usize]
    }

    /// True when the class is `class`.
    #[inline]
    pub fn is(self, class: BidiClass) -> bool {
        self.class_index() == class as u32
    }

    /// The joining type.
    #[cfg(test)]
    pub fn joining(self) -> JoiningType {
        JOINING[((self.0 >> JOINING_SHIFT) & 7) as usize]
    }

    /// True for transparent characters (harakat and other marks), skipped by joining.
    #[inline]
    pub fn transparent(self) -> bool {
        (self.0 >> JOINING_SHIFT) & 7 == 1
    }

    /// True for joining type NonJoining (U).
    #[inline]
    pub fn non_joining(self) -> bool {
        (self.0 >> JOINING_SHIFT) & 7 == 0
    }

    /// True for joining type Causing (C).
    #[inline]
    pub fn causing(self) -> bool {
        (self.0 >> JOINING_SHIFT) & 7 == 5
    }

    /// As `JoiningType::joins_forward`.
    #[inline]
    pub fn joins_forward(self) -> bool {
        self.0 & JOINS_FORWARD != 0
    }

    /// As `JoiningType::joins_backward`.
    #[inline]
    pub fn joins_backward(self) -> bool {
        self.0 & JOINS_BACKWARD != 0
    }

    /// Columns the character takes, as `char_width`.
    #[inline]
    pub fn width(self) -> u16 {
        ((self.0 >> WIDTH_SHIFT) & 3) as u16
    }

    /// As `is_hidden`.
    #[inline]
    pub fn hidden(self) -> bool {
        self.0 & HIDDEN != 0
    }

    /// As `shape::is_haraka`.
    #[inline]
    pub fn haraka(self) -> bool {
        self.0 & HARAKA != 0
    }

    /// As `shape::is_mark`.
    #[inline]
    pub fn mark(self) -> bool {
        self.0 & MARK != 0
    }

    /// As `is_white_space`.
    #[inline]
    pub fn white_space(self) -> bool {
        self.0 & WHITE != 0
    }

    /// True when the character has a mirrored glyph (BidiMirroring.txt).
    #[inline]
    pub fn mirrored(self) -> bool {
        self.0 & MIRRORED != 0
    }

    /// True when a paragraph holding this character must go through the full engine.
    #[inline]
    pub fn needs_full_engine(self) -> bool {
        self.0 & FULL_ENGINE != 0
    }

    /// As `bidi::is_trailing_resettable` of the class (rule L1).
    #[cfg(test)]
    pub fn trailing_resettable(self) -> bool {
        self.0 & TRAILING_RESETTABLE != 0
    }

    /// The line-breaking class for [`super::breaks::Breaker`].
    #[inline]
    pub fn break_class(self) -> u8 {
        ((self.0 >> BREAK_SHIFT) & 31) as u8
    }

    /// True when the line-breaking class is not one [`super::breaks`] covers.
    #[inline]
    pub fn other_break_class(self) -> bool {
        self.0 & OTHER_BREAK_CLASS != 0
    }

    /// The flags of a cell that holds this character alone, as the render pass numbers
    /// them: 1 when it is whitespace (a blank cell), 2 when rule L1 resets it.
    #[inline]
    pub fn cell_flags(self) -> u8 {
        ((self.0 >> CELL_FLAGS_SHIFT) & 3) as u8
    }

    /// The bits of [`LETTER`] and [`PLAIN`], for a caller that tests either with one
    /// mask per paragraph.
    pub const LETTER_BIT: u32 = LETTER;
    pub const PLAIN_BIT: u32 = PLAIN;

    /// True when UAX #14 breaks the line after the character (classes BK, CR, LF and
    /// NL): the only source of mandatory breaks inside a paragraph.
    #[inline]
    pub fn mandatory_break(self) -> bool {
        self.0 & MANDATORY_BREAK != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::shape::Form;

    #[test]
    fn class_numbers_match_the_list() {
        for (i, &class) in CLASSES.iter().enumerate() {
            assert_eq!(class as usize, i, "{class:?}");
        }
    }

    #[test]
    fn table_agrees_with_the_engine_functions() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let p = CharProps::of(c);
            assert_eq!(
                p.class(),
                super::super::bidi::class_of(c),
                "U+{:04X}",
                c as u32
            );
            assert_eq!(p.joining(), shape::joining_type(c), "U+{:04X}", c as u32);
            let jt = shape::joining_type(c);
            assert_eq!(p.transparent(), jt == JoiningType::Transparent);
            assert_eq!(p.non_joining(), jt == JoiningType::NonJoining);
            assert_eq!(p.causing(), jt == JoiningType::Causing);
            assert_eq!(p.joins_forward(), jt.joins_forward());
            assert_eq!(p.joins_backward(), jt.joins_backward());
            if !p.needs_full_engine() {
                assert_eq!(p.width(), super::super::char_width(c), "U+{:04X}", c as u32);
            }
            assert_eq!(p.hidden(), super::super::is_hidden(c));
            assert_eq!(p.haraka(), shape::is_haraka(c));
            assert_eq!(p.mark(), shape::is_mark(c));
            assert_eq!(p.white_space(), c.is_whitespace());
            assert_eq!(p.break_class(), crate::layout::breaks::class_of(c));
            assert_eq!(
                p.trailing_resettable(),
                super::super::bidi::is_trailing_resettable(p.class())
            );
            assert_eq!(
                p.other_break_class(),
                p.break_class() == crate::layout::breaks::OTHER
            );
            assert_eq!(
                p.mandatory_break(),
                matches!(
                    unicode_linebreak::break_property(c as u32),
                    unicode_linebreak::BreakClass::Mandatory
                        | unicode_linebreak::BreakClass::CarriageReturn
                        | unicode_linebreak::BreakClass::LineFeed
                        | unicode_linebreak::BreakClass::NextLine
                )
            );
            assert_eq!(
                p.cell_flags(),
                u8::from(p.white_space()) | (u8::from(p.trailing_resettable()) << 1)
            );
            if p.bits() & CharProps::LETTER_BIT != 0 {
                assert!(
                    jt.joins_forward() || jt.joins_backward(),
                    "U+{:04X}",
                    c as u32
                );
                assert_eq!(super::super::char_width(c), 1, "U+{:04X}", c as u32);
                assert!(!p.hidden() && !p.haraka() && !p.mark() && !p.white_space());
                assert!(!p.is(BidiClass::ON) && !p.transparent());
            }
            if p.bits() & CharProps::PLAIN_BIT != 0 {
                assert!(p.non_joining(), "U+{:04X}", c as u32);
                assert!((1..=3).contains(&super::super::char_width(c)));
                assert!(!p.hidden() && !p.haraka());
                assert!(!(p.is(BidiClass::ON) && p.mirrored()));
            }
            for form in [Form::Isolated, Form::Final, Form::Initial, Form::Medial] {
                if let Some(shaped) = shape::presentation_form(c, form) {
                    assert!(!shaped.is_whitespace(), "U+{:04X}", c as u32);
                }
            }
            if let Some((isolated, final_form)) = shape::lam_alef(c) {
                assert!(!isolated.is_whitespace() && !final_form.is_whitespace());
            }
        }
    }

    #[test]
    fn the_fast_paths_cover_arabic_letters_spaces_and_latin() {
        for c in "بتثجحخسشصضطظعغفقكلمنهيئ".chars() {
            assert!(CharProps::of(c).bits() & CharProps::LETTER_BIT != 0, "{c}");
        }
        for c in "اأإآدذرزوؤة".chars() {
            assert!(CharProps::of(c).bits() & CharProps::LETTER_BIT != 0, "{c}");
        }
        for c in " aZ09.,:;!?،؛؟٣".chars() {
            assert!(CharProps::of(c).bits() & CharProps::PLAIN_BIT != 0, "{c:?}");
        }
        for c in "()[]«»\u{64E}\u{200D}\u{200C}\u{AD}".chars() {
            let bits = CharProps::of(c).bits();
            assert_eq!(
                bits & (CharProps::PLAIN_BIT | CharProps::LETTER_BIT),
                0,
                "{c:?}"
            );
        }
    }

    #[test]
    fn put_char_writes_utf8() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let mut out = [0u8; 8];
            let end = super::super::render_pass::put_char(&mut out, 2, c);
            assert_eq!(&out[2..end], c.to_string().as_bytes());
        }
    }
}
