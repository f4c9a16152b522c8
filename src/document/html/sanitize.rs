//! Text that reaches the terminal holds no control characters: no ESC, no C1 controls
//! (a lone U+009B is a CSI to some terminals), no escape sequences. What a page, an
//! attribute, an entity or a book's metadata put there is dropped here.

use std::borrow::Cow;

/// Removes control characters, and the whole of each escape sequence (CSI, OSC, DCS,
/// APC, PM, SOS: ESC and what it introduces), so that neither the sequence nor its
/// parameters show. Keeps tab and line feed; a carriage return becomes nothing.
pub fn clean_text(text: &str) -> String {
    cleaned(text).into_owned()
}

/// [`clean_text`], borrowing `text` when it holds nothing to remove (nearly always).
pub(crate) fn cleaned(text: &str) -> Cow<'_, str> {
    if !has_control(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' | '\n' => out.push(c),
            '\u{1b}' => skip_escape(&mut chars),
            // CSI, DCS, OSC, SOS, PM and APC as C1 controls introduce a sequence too.
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// True when `text` holds a control character other than tab and line feed: a C0 byte,
/// DEL, or a C1 control (U+0080 to U+009F, whose UTF-8 lead byte is 0xC2). A byte scan,
/// so that text without any (nearly all of it) is not taken apart char by char.
fn has_control(text: &str) -> bool {
    let bytes = text.as_bytes();
    any_flagged(bytes, 0x20, [0x7f, 0xc2], |i| match bytes[i] {
        b'\t' | b'\n' => false,
        0..=0x1f | 0x7f => true,
        0xc2 => bytes
            .get(i + 1)
            .is_some_and(|&next| (0x80..=0x9f).contains(&next)),
        _ => false,
    })
}

/// True when `precise(i)` holds for some index `i` of `bytes`. A word-at-a-time filter
/// asks `precise` only about the bytes of 8-byte words that hold a byte below `below`
/// or equal to one of `marks`, so that text with none costs about a third of an
/// instruction a byte; `precise` must therefore be false for every other byte.
pub(crate) fn any_flagged<const N: usize>(
    bytes: &[u8],
    below: u8,
    marks: [u8; N],
    precise: impl Fn(usize) -> bool,
) -> bool {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = ONES * 0x80;
    debug_assert!(
        below <= 0x80,
        "the test for a byte below a bound holds up to 0x80"
    );
    // A byte of `x` is zero (below n) exactly when the subtraction borrows into the high
    // bit of a byte whose own high bit was clear; no other byte can set it.
    let flagged = |word: u64| {
        let mut hit = word.wrapping_sub(ONES * u64::from(below)) & !word;
        for mark in marks {
            let x = word ^ (ONES * u64::from(mark));
            hit |= x.wrapping_sub(ONES) & !x;
        }
        hit & HIGHS != 0
    };
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let word = u64::from_ne_bytes([
            word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7],
        ]);
        if flagged(word) && (at..at + 8).any(&precise) {
            return true;
        }
        at += 8;
    }
    (at..bytes.len()).any(precise)
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

fn skip_escape(chars: &mut Chars) {
    match chars.peek() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string(chars);
        }
        // ESC and one final character (ESC c, ESC 7, ESC ( B's first part...).
        Some(c) if ('\u{20}'..='\u{7e}').contains(c) => {
            chars.next();
        }
        _ => {}
    }
}

/// Parameters and intermediates, up to and with the final byte (0x40–0x7E).
fn skip_csi(chars: &mut Chars) {
    while let Some(&c) = chars.peek() {
        if ('\u{20}'..='\u{3f}').contains(&c) {
            chars.next();
        } else {
            if ('\u{40}'..='\u{7e}').contains(&c) {
                chars.next();
            }
            return;
        }
    }
}

/// A control string runs to BEL, ST (ESC \ or U+009C), or a line break: a line break
/// ends it here so that a stray ESC ] cannot swallow the rest of a document.
fn skip_string(chars: &mut Chars) {
    while let Some(&c) = chars.peek() {
        match c {
            '\u{7}' | '\u{9c}' => {
                chars.next();
                return;
            }
            '\n' => return,
            '\u{1b}' => {
                chars.next();
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {
                chars.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{clean_text, has_control};

    #[test]
    fn sequences_and_controls_go() {
        assert_eq!(clean_text("a\u{1b}[31mred\u{1b}[0m b"), "ared b");
        assert_eq!(clean_text("x\u{1b}]52;c;SGVsbG8=\u{7}y"), "xy");
        assert_eq!(clean_text("x\u{1b}]0;title\u{1b}\\y"), "xy");
        assert_eq!(clean_text("x\u{9b}2Jy\u{85}z\u{0}\r"), "xyz");
        assert_eq!(clean_text("x\u{1b}Pq#0\nnext"), "x\nnext");
        assert_eq!(clean_text("سطر\tأول\nثان"), "سطر\tأول\nثان");
        // U+00A0 and U+00E9 share the C2/C3 lead bytes with C1 controls but are text.
        assert_eq!(clean_text("a\u{a0}é\u{7f}"), "a\u{a0}é");
        assert_eq!(clean_text("a\u{85}b"), "ab");
    }

    /// The word-at-a-time filter finds what a byte-by-byte test finds, wherever in a
    /// word (or across two words, or in the tail) the character falls.
    #[test]
    fn the_scan_misses_nothing() {
        let naive = |text: &str| {
            text.chars()
                .any(|c| c.is_control() && c != '\t' && c != '\n')
        };
        let specials = [
            "\u{0}", "\u{1b}", "\u{1f}", "\u{7f}", "\u{80}", "\u{85}", "\u{9f}", "\u{a0}",
            "\u{bf}", "\n", "\t", "\r", " ", "\u{061c}", "é", "ـ", "—",
        ];
        for special in specials {
            for before in 0..20 {
                for filler in ["a", "ب"] {
                    let text = format!("{}{special}{}", filler.repeat(before), "x".repeat(9));
                    assert_eq!(has_control(&text), naive(&text), "{text:?}");
                    assert_eq!(
                        has_control(&text[..text.len() - 9]),
                        naive(&text[..text.len() - 9])
                    );
                }
            }
        }
    }
}
