//! UAX #14 break opportunities for the classes most text is made of, from one small
//! class per character (kept in [`super::char_props::CharProps`]) and a table of pairs,
//! for the render pass.
//!
//! The classes covered are AL, NU, SP, CM, EX, IS, QU, OP, CP, CL, HY, SY, PO, PR, BA
//! and GL
//! (OP and CP only below U+2000, where no bracket is East Asian wide, so rule LB30 needs
//! no width). A text with any other class goes to unicode-linebreak, the reference:
//! the tests hold this to it on every string of up to five characters of these classes
//! and on long random ones.
//!
//! The rules that apply among these classes (Unicode 15.0, as unicode-linebreak):
//! LB7 × SP; LB12 GL ×; LB12a [^SP BA HY] × GL; LB9, LB10 marks join the character before them, or are AL after a space or
//! at the start; LB13 × CL, CP, EX, IS, SY; LB14 OP SP* ×; LB15 QU SP* × OP; LB18 SP ÷;
//! LB19 × QU, QU ×; LB21 × BA, HY; LB23, LB24, LB25, LB28, LB29 and LB30 between letters,
//! numbers, prefixes, postfixes and brackets; LB31 ÷ everywhere else.

/// A character of a class not covered: the text goes to unicode-linebreak.
pub const OTHER: u8 = 0;
pub const AL: u8 = 1;
pub const NU: u8 = 2;
pub const SP: u8 = 3;
pub const CM: u8 = 4;
pub const EX: u8 = 5;
pub const IS: u8 = 6;
pub const QU: u8 = 7;
pub const OP: u8 = 8;
pub const CP: u8 = 9;
pub const CL: u8 = 10;
pub const HY: u8 = 11;
pub const SY: u8 = 12;
pub const PO: u8 = 13;
pub const PR: u8 = 14;
pub const BA: u8 = 15;
pub const GL: u8 = 16;
/// One more than the largest class.
const CLASSES: usize = 17;

/// The class of `c` for [`Breaker`], or [`OTHER`].
pub fn class_of(c: char) -> u8 {
    use unicode_linebreak::BreakClass as B;
    let below_2000 = (c as u32) < 0x2000;
    match unicode_linebreak::break_property(c as u32) {
        B::Alphabetic => AL,
        B::Numeric => NU,
        B::Space => SP,
        B::CombiningMark => CM,
        B::Exclamation => EX,
        B::InfixSeparator => IS,
        B::Quotation => QU,
        B::OpenPunctuation if below_2000 => OP,
        B::CloseParenthesis if below_2000 => CP,
        B::ClosePunctuation if below_2000 => CL,
        B::Hyphen => HY,
        B::Symbol => SY,
        B::Postfix => PO,
        B::Prefix => PR,
        B::After => BA,
        B::NonBreakingGlue => GL,
        _ => OTHER,
    }
}

/// `PAIRS[before][after]`: a break is allowed between two characters of these classes
/// (after marks are joined), unless LB14 or LB15 forbids it.
const PAIRS: [[bool; CLASSES]; CLASSES] = {
    let mut table = [[false; CLASSES]; CLASSES];
    let mut before = 1;
    while before < CLASSES {
        let mut after = 1;
        while after < CLASSES {
            table[before][after] = pair_breaks(before as u8, after as u8);
            after += 1;
        }
        before += 1;
    }
    table
};

const fn letter_or_number(c: u8) -> bool {
    c == AL || c == NU
}

const fn prefix_or_postfix(c: u8) -> bool {
    c == PR || c == PO
}

const fn closing(c: u8) -> bool {
    c == CL || c == CP
}

const fn pair_breaks(before: u8, after: u8) -> bool {
    // LB7, LB13.
    if matches!(after, SP | CL | CP | EX | IS | SY) {
        return false;
    }
    // LB12, LB12a.
    if before == GL || (after == GL && !matches!(before, SP | BA | HY)) {
        return false;
    }
    // LB18.
    if before == SP {
        return true;
    }
    // LB19, LB21.
    if before == QU || after == QU || after == BA || after == HY {
        return false;
    }
    // LB23, LB28.
    if letter_or_number(before) && letter_or_number(after) && !(before == NU && after == NU) {
        return false;
    }
    // LB24.
    if (prefix_or_postfix(before) && after == AL) || (before == AL && prefix_or_postfix(after)) {
        return false;
    }
    // LB25.
    if (closing(before) && prefix_or_postfix(after))
        || (before == NU && prefix_or_postfix(after))
        || (prefix_or_postfix(before) && (after == OP || after == NU))
        || (matches!(before, HY | IS | NU | SY) && after == NU)
    {
        return false;
    }
    // LB29.
    if before == IS && after == AL {
        return false;
    }
    // LB30.
    if (letter_or_number(before) && after == OP) || (before == CP && letter_or_number(after)) {
        return false;
    }
    // LB31.
    true
}

/// The state of a [`Breaker`]: the class before (0 at the start), whether the
/// characters since the last OP are spaces (LB14), and whether those since the last QU
/// are (LB15), as one number below [`STATES`].
const fn state(before: u8, after_open: bool, after_quote: bool) -> usize {
    before as usize + CLASSES * (after_open as usize + 2 * after_quote as usize)
}

/// Rows of [`TRANSITIONS`]: the states, rounded up to a power of two so that a state
/// masked with `STATES - 1` needs no bounds check.
const STATES: usize = 128;
/// Columns of [`TRANSITIONS`]: the classes, rounded up to the five bits they are kept in.
const CLASS_COLUMNS: usize = 32;
/// The bit of a transition that says a line may start before the character.
const ALLOWED: u8 = 0x80;

/// The rules, one step: from a state and the class of the next character, the next
/// state and whether a line may start before that character.
const fn step(before: u8, after_open: bool, after_quote: bool, class: u8) -> (usize, bool) {
    let mut class = class;
    if class == CM {
        // LB9: a mark joins the character before it; LB10: after a space or at the
        // start, it is a letter.
        if before != SP && before != 0 {
            return (state(before, after_open, after_quote), false);
        }
        class = AL;
    }
    let allowed = before != 0
        && PAIRS[before as usize][class as usize]
        && !after_open
        && !(after_quote && class == OP);
    let space = class == SP;
    let after_open = class == OP || (after_open && space);
    let after_quote = class == QU || (after_quote && space);
    (state(class, after_open, after_quote), allowed)
}

/// `TRANSITIONS[state][class]`: [`step`] for every state and class, the next state in
/// the low bits and [`ALLOWED`]. Classes not covered (and unused rows) go back to the
/// start.
static TRANSITIONS: [[u8; CLASS_COLUMNS]; STATES] = {
    let mut table = [[0u8; CLASS_COLUMNS]; STATES];
    let mut before = 0;
    while before < CLASSES as u8 {
        let mut flags = 0;
        while flags < 4 {
            let (after_open, after_quote) = (flags & 1 != 0, flags & 2 != 0);
            let mut class = 1;
            while class < CLASSES as u8 {
                let (next, allowed) = step(before, after_open, after_quote, class);
                table[state(before, after_open, after_quote)][class as usize] =
                    next as u8 | if allowed { ALLOWED } else { 0 };
                class += 1;
            }
            flags += 1;
        }
        before += 1;
    }
    table
};

/// Walks a text's characters in order and tells, for each, whether a line may start
/// there. Only for texts whose every character has a class other than [`OTHER`].
/// One table lookup a character ([`TRANSITIONS`]).
#[derive(Debug, Clone, Copy)]
pub struct Breaker {
    /// The state, as [`state`] numbers it.
    state: u8,
}

impl Default for Breaker {
    fn default() -> Self {
        Self::new()
    }
}

impl Breaker {
    pub const fn new() -> Self {
        Self { state: 0 }
    }

    /// True when a line may start before the next character, of class `class`.
    #[inline]
    pub fn next(&mut self, class: u8) -> bool {
        let row = &TRANSITIONS[usize::from(self.state) & (STATES - 1)];
        let entry = row[usize::from(class) & (CLASS_COLUMNS - 1)];
        self.state = entry & !ALLOWED;
        entry & ALLOWED != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One character or more of each class (first of each: a letter, a digit, ...).
    const SAMPLES: &[char] = &[
        'a', 'ب', '1', '٣', ' ', '\u{64E}', '\u{301}', '!', '؟', '.', ',', '"', '«', '(', '[', ')',
        ']', '}', '-', '/', '%', '$', '\u{2010}', '\u{A0}',
    ];

    fn ours(text: &str) -> Vec<usize> {
        let mut breaker = Breaker::new();
        let mut out = Vec::new();
        for (i, c) in text.char_indices() {
            let class = class_of(c);
            assert_ne!(class, OTHER, "{c:?}");
            if breaker.next(class) {
                out.push(i);
            }
        }
        out
    }

    fn reference(text: &str) -> Vec<usize> {
        unicode_linebreak::linebreaks(text)
            .map(|(i, _)| i)
            .filter(|&i| i < text.len())
            .collect()
    }

    #[test]
    fn every_class_is_covered_by_a_sample() {
        let mut seen = [false; CLASSES];
        for &c in SAMPLES {
            seen[usize::from(class_of(c))] = true;
        }
        assert!(!seen[usize::from(OTHER)]);
        assert!(seen[1..].iter().all(|&s| s), "{seen:?}");
    }

    #[test]
    fn agrees_with_unicode_linebreak_on_every_short_string() {
        // One sample per class, every string of up to five characters.
        let mut one_each: Vec<char> = Vec::new();
        let mut seen = [false; CLASSES];
        for &c in SAMPLES {
            let class = usize::from(class_of(c));
            if !seen[class] {
                seen[class] = true;
                one_each.push(c);
            }
        }
        let k = one_each.len();
        for len in 1..=5u32 {
            for mut n in 0..k.pow(len) {
                let mut text = String::new();
                for _ in 0..len {
                    text.push(one_each[n % k]);
                    n /= k;
                }
                assert_eq!(ours(&text), reference(&text), "{text:?}");
            }
        }
    }

    #[test]
    fn agrees_with_unicode_linebreak_on_long_random_strings() {
        let mut rng = crate::layout::test_rng::Lcg(12345);
        for _ in 0..20_000 {
            let mut text = String::new();
            let len = (rng.next_u64() >> 59) as usize + 5;
            for _ in 0..len {
                text.push(SAMPLES[rng.below(SAMPLES.len() as u64) as usize]);
            }
            assert_eq!(ours(&text), reference(&text), "{text:?}");
        }
    }
}
