//! Text on its way out of the non-interactive commands: nothing a dictionary, a server, a
//! file name or the user's input holds may act on the terminal that shows it.
//!
//! [`for_terminal`] is for human output and every stderr message. Each line goes through
//! the reader's sanitiser ([`crate::layout::sanitize`]): whole escape sequences (CSI, OSC,
//! DCS, SOS, PM, APC, short ESC forms, 7- and 8-bit) are removed, any other control
//! becomes a visible placeholder. Newlines are kept, a CR before a newline is dropped,
//! and the bidi controls are removed: on a terminal that reorders by itself an override
//! or isolate would make one text look like another.
//!
//! [`json_escaped`] is for JSON lines: serde_json escapes C0 controls, and this escapes
//! the rest of what a consumer might print raw (DEL, C1 controls, bidi controls) as
//! `\uXXXX`, so the data stays whole and the bytes stay inert.

use std::borrow::Cow;

use crate::document::html::any_flagged;
use crate::layout::sanitize::sanitize;

/// True for the bidi controls: ALM, LRM, RLM, the embeddings and overrides (LRE, RLE,
/// PDF, LRO, RLO) and the isolates (LRI, RLI, FSI, PDI).
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// True for what JSON output escapes beyond serde_json: DEL, C1 and bidi controls.
fn needs_json_escape(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{9f}') || is_bidi_control(c)
}

/// True when `bytes` hold a control (other than tab, and newline when `keep_newlines`)
/// or a bidi control, judged on the UTF-8 bytes so that clean text costs one pass, a
/// word at a time: only words with a byte below 0x20, DEL, 0xC2 or 0xE2 (the lead bytes
/// of C1 and of the bidi controls but ALM) or 0x9C (ALM's last byte) are looked at.
fn holds_controls(bytes: &[u8], keep_newlines: bool) -> bool {
    let next = |i: usize| bytes.get(i).copied().unwrap_or(0);
    any_flagged(bytes, 0x20, [0x7f, 0xc2, 0xe2, 0x9c], |i| match bytes[i] {
        b'\t' => false,
        b'\n' => !keep_newlines,
        0..0x20 | 0x7f => true,
        // U+0080..U+009F
        0xc2 => (0x80..=0x9f).contains(&next(i + 1)),
        // U+061C (D8 9C), seen from its last byte
        0x9c => i > 0 && bytes[i - 1] == 0xd8,
        // U+200E, U+200F, U+202A..U+202E; U+2066..U+2069
        0xe2 => match next(i + 1) {
            0x80 => matches!(next(i + 2), 0x8e | 0x8f | 0xaa..=0xae),
            0x81 => (0xa6..=0xa9).contains(&next(i + 2)),
            _ => false,
        },
        _ => false,
    })
}

/// `text` made safe to print on a terminal, line by line (see the module comment).
/// Borrows when there is nothing to do.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !holds_controls(text.as_bytes(), true) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let line = line.strip_suffix('\r').unwrap_or(line);
        let clean = sanitize(line);
        out.extend(clean.text.chars().filter(|&c| !is_bidi_control(c)));
    }
    Cow::Owned(out)
}

/// A serialised JSON text with DEL, C1 and bidi controls escaped as `\uXXXX`.
///
/// serde_json writes these characters raw, and only inside strings, where the escape
/// means the same character: the JSON value does not change.
pub fn json_escaped(json: &str) -> Cow<'_, str> {
    if !holds_controls(json.as_bytes(), true) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if needs_json_escape(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::plain("كتاب book\n2. x", "كتاب book\n2. x")]
    #[case::osc_title("x\u{1b}]0;T\u{7}y", "xy")]
    #[case::osc52_clipboard("a\u{1b}]52;c;aGVsbG8=\u{1b}\\b", "ab")]
    #[case::c1_csi("a\u{9b}2Jb", "ab")]
    #[case::reset("a\u{1b}cb", "ab")]
    #[case::crlf_lines("one\r\ntwo\r\n", "one\ntwo\n")]
    #[case::lone_cr("a\rb", "a\u{240d}b")]
    #[case::rlo("abc\u{202e}def\u{202c}", "abcdef")]
    #[case::isolates_and_marks("\u{2067}a\u{2069}\u{200f}\u{61c}", "a")]
    #[case::arabic_kept("\u{0627}\u{0644}\u{0650}\u{200c}", "\u{0627}\u{0644}\u{0650}\u{200c}")]
    fn terminal_text(#[case] input: &str, #[case] expected: &str) {
        assert_eq!(for_terminal(input), expected);
    }

    /// The word-at-a-time scan finds each control wherever it falls, and only those.
    #[test]
    fn the_scan_misses_nothing() {
        let naive = |text: &str| {
            text.chars()
                .any(|c| (c.is_control() && c != '\t' && c != '\n') || is_bidi_control(c))
        };
        let specials = [
            "\u{0}", "\u{1b}", "\u{7f}", "\u{85}", "\u{9f}", "\u{a0}", "\n", "\t", "\r",
            "\u{061c}", "\u{065c}", "\u{069c}", "\u{200e}", "\u{200f}", "\u{2010}", "\u{202a}",
            "\u{202e}", "\u{202f}", "\u{2066}", "\u{2069}", "\u{206a}", "\u{201c}", "ـ",
        ];
        for special in specials {
            for before in 0..20 {
                for filler in ["a", "ب", "ؠ"] {
                    let text = format!("{}{special}{}", filler.repeat(before), "x".repeat(9));
                    for text in [text.as_str(), &text[..text.len() - 9]] {
                        assert_eq!(
                            holds_controls(text.as_bytes(), true),
                            naive(text),
                            "{text:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn json_keeps_its_value() {
        let raw = serde_json::to_string(&"a\u{9b}2J\u{202e}b\u{7f}\u{1b}").unwrap();
        let escaped = json_escaped(&raw);
        assert_eq!(escaped, r#""a\u009b2J\u202eb\u007f\u001b""#);
        let back: String = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back, "a\u{9b}2J\u{202e}b\u{7f}\u{1b}");
    }
}
