//! Stage 0 of the text pipeline: make a paragraph safe to print.
//!
//! Control characters in content never reach the terminal. Whole escape sequences
//! (CSI, OSC, DCS, SOS, PM, APC, and the short ESC forms, in their 7-bit and C1
//! spellings) are removed; any other C0 or C1 control becomes a visible placeholder
//! (a control picture such as `␛`, or U+FFFD for C1). Tabs are kept: the bidi
//! algorithm treats them as segment separators, and the emitter prints them as spaces.
//!
//! The result remembers where each byte of the clean text came from, so that every
//! later stage can report source byte ranges of the original paragraph. A removed
//! sequence belongs to the clean character before it (or the first one, at the start),
//! so the source ranges still cover the paragraph exactly once.

use std::borrow::Cow;
use std::ops::Range;

/// A paragraph with its controls neutralised.
#[derive(Debug, Clone)]
pub struct Sanitized<'a> {
    /// The text every later stage works on.
    pub text: Cow<'a, str>,
    /// `None` when `text` is the input unchanged. Otherwise, for each byte of `text`,
    /// the source offset where the piece that produced it starts, plus one final entry.
    starts: Option<Vec<u32>>,
    source_len: usize,
}

impl Sanitized<'_> {
    /// The source byte range that produced the clean byte range `clean`.
    ///
    /// Ranges that partition the clean text map to ranges that partition the source.
    pub fn source_range(&self, clean: Range<usize>) -> Range<usize> {
        match &self.starts {
            None => clean,
            Some(starts) => {
                let start = if clean.start == 0 {
                    0
                } else {
                    starts[clean.start] as usize
                };
                let end = if clean.end >= self.text.len() {
                    self.source_len
                } else {
                    starts[clean.end] as usize
                };
                start..end.max(start)
            }
        }
    }
}

/// Neutralises control characters in `paragraph`. Borrows when there is nothing to do.
pub fn sanitize(paragraph: &str) -> Sanitized<'_> {
    if !needs_work(paragraph) {
        return Sanitized {
            text: Cow::Borrowed(paragraph),
            starts: None,
            source_len: paragraph.len(),
        };
    }
    let mut text = String::with_capacity(paragraph.len());
    let mut starts: Vec<u32> = Vec::with_capacity(paragraph.len() + 1);
    let mut push = |text: &mut String, piece: &str, source_start: usize| {
        text.push_str(piece);
        starts.resize(text.len(), source_start as u32);
    };
    let mut chars = paragraph.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '\t' => push(&mut text, "\t", at),
            '\u{1b}' => skip_escape(&mut chars),
            '\u{9b}' => skip_control_sequence(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            c if is_control(c) => {
                let mut buf = [0u8; 4];
                push(&mut text, placeholder(c).encode_utf8(&mut buf), at)
            }
            c => {
                let mut buf = [0u8; 4];
                push(&mut text, c.encode_utf8(&mut buf), at)
            }
        }
    }
    starts.push(paragraph.len() as u32);
    Sanitized {
        text: Cow::Owned(text),
        starts: Some(starts),
        source_len: paragraph.len(),
    }
}

/// True for C0 controls (other than tab), DEL and C1 controls.
pub(crate) fn is_control(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{a}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

fn needs_work(text: &str) -> bool {
    // C1 controls are encoded as 0xC2 0x80..=0x9F; checking the lead byte pair is enough.
    let bytes = text.as_bytes();
    // Most paragraphs have no candidate byte at all: a branch-free scan (which the
    // compiler vectorises) says so before the exact check.
    let candidates = bytes.iter().fold(false, |any, &b| {
        any | (b < 0x20) | (b == 0x7f) | (b == 0xc2)
    });
    if !candidates {
        return false;
    }
    bytes.iter().enumerate().any(|(i, &b)| {
        (b < 0x20 && b != b'\t')
            || b == 0x7f
            || (b == 0xc2
                && bytes
                    .get(i + 1)
                    .is_some_and(|&n| (0x80..=0x9f).contains(&n)))
    })
}

/// What a lone control character looks like on screen.
pub fn placeholder(c: char) -> char {
    match c {
        '\0'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        _ => '\u{fffd}',
    }
}

type Chars<'a> = std::iter::Peekable<std::str::CharIndices<'a>>;

/// Skips what follows an ESC that starts a sequence.
fn skip_escape(chars: &mut Chars) {
    match chars.peek().map(|&(_, c)| c) {
        Some('[') => {
            chars.next();
            skip_control_sequence(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string(chars);
        }
        Some(c) if ('\u{20}'..='\u{2f}').contains(&c) => {
            // nF escape: intermediates then one final byte.
            while chars
                .next_if(|&(_, c)| ('\u{20}'..='\u{2f}').contains(&c))
                .is_some()
            {}
            chars.next_if(|&(_, c)| ('\u{30}'..='\u{7e}').contains(&c));
        }
        Some(c) if ('\u{30}'..='\u{7e}').contains(&c) => {
            chars.next();
        }
        _ => {}
    }
}

/// Skips CSI parameters, intermediates and the final byte. A malformed sequence ends
/// at the first character that cannot belong to it, which is kept.
fn skip_control_sequence(chars: &mut Chars) {
    while chars
        .next_if(|&(_, c)| ('\u{30}'..='\u{3f}').contains(&c))
        .is_some()
    {}
    while chars
        .next_if(|&(_, c)| ('\u{20}'..='\u{2f}').contains(&c))
        .is_some()
    {}
    chars.next_if(|&(_, c)| ('\u{40}'..='\u{7e}').contains(&c));
}

/// Skips an OSC, DCS, SOS, PM or APC string up to and including its terminator
/// (BEL, ESC \ or ST), or to the end of the paragraph.
fn skip_string(chars: &mut Chars) {
    while let Some((_, c)) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                chars.next_if(|&(_, c)| c == '\\');
                return;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::plain("مرحبا world", "مرحبا world")]
    #[case::sgr_colour("a\u{1b}[31mred\u{1b}[0m b", "ared b")]
    #[case::osc_title_bel("x\u{1b}]0;title\u{7}y", "xy")]
    #[case::osc_hyperlink_st("\u{1b}]8;;http://e.com\u{1b}\\link\u{1b}]8;;\u{1b}\\", "link")]
    #[case::dcs("a\u{1b}Pq#0;2;0;0;0\u{1b}\\b", "ab")]
    #[case::c1_csi("a\u{9b}2Jb", "ab")]
    #[case::charset_designation("a\u{1b}(Bb", "ab")]
    #[case::lone_escape_at_end("abc\u{1b}", "abc")]
    #[case::bell_is_shown("a\u{7}b", "a\u{2407}b")]
    #[case::nul_and_del("\0\u{7f}", "\u{2400}\u{2421}")]
    #[case::c1_control("a\u{85}b", "a\u{fffd}b")]
    #[case::tab_kept("a\tb", "a\tb")]
    #[case::unterminated_osc("a\u{1b}]0;never ends", "a")]
    fn cleans(#[case] input: &str, #[case] expected: &str) {
        assert_eq!(sanitize(input).text, expected);
    }

    #[test]
    fn source_ranges_partition_the_input() {
        let input = "\u{1b}[1mب\u{7}ت\u{1b}[0m";
        let clean = sanitize(input);
        let text = clean.text.clone();
        let mut covered = 0;
        let mut ends = Vec::new();
        for (i, c) in text.char_indices() {
            let r = clean.source_range(i..i + c.len_utf8());
            assert_eq!(r.start, covered, "ranges are contiguous");
            covered = r.end;
            ends.push(r.end);
        }
        assert_eq!(covered, input.len());
        // The leading escape belongs to the first letter, the trailing one to the last.
        assert_eq!(clean.source_range(0..2), 0..6);
    }
}
