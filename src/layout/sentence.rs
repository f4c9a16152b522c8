//! Sentences of a paragraph, for translating one at a time: byte ranges over the
//! logical text, pure and terminal-free like the rest of the text engine.
//!
//! A sentence ends at a line end, or at a run of stops (`.` `?` `!` `؟` `؛` `…`, and
//! `...` or `?!` as one) followed by white space or the end of the text; quotes and
//! brackets that close right after the stops belong to the sentence they close. What
//! looks like a stop but is not one stays inside the sentence:
//! - numbers: `3.5`, `22/6/2026`, `٣٫٥` (nothing but a stop followed by a space ends);
//! - abbreviations: a single letter with a dot (`د.` before a name, `م.` `ص.` `هـ.`,
//!   the initials of a Latin name `J. R. Tolkien`), letters joined by dots (`U.S.`,
//!   `ق.م.`, `e.g.`), and a few Latin titles (`Dr.` `Mr.` `Prof.` ...).
//!
//! The ranges are trimmed of white space, ordered, and never overlap; every character
//! that is not white space lies in exactly one of them.

use std::ops::Range;

/// Characters that end a sentence when white space follows them.
fn is_stop(c: char) -> bool {
    matches!(
        c,
        '.' | '?' | '!' | '؟' | '؛' | '…' | '۔' | '‼' | '⁇' | '⁈' | '⁉'
    )
}

/// Characters that close a quotation or a bracket, kept with the stop before them.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | '»' | '›' | ')' | ']' | '}' | '」' | '』'
    )
}

/// Characters that open a quotation or a bracket, skipped before an abbreviation.
fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '‘' | '«' | '‹' | '(' | '[' | '{' | '„'
    )
}

/// Line ends: a sentence never goes on past one.
fn is_line_end(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Latin titles written with a dot that is not a stop.
const LATIN_TITLES: &[&str] = &[
    "Dr", "Mr", "Mrs", "Ms", "Prof", "Sr", "Jr", "St", "Mt", "No", "Vol", "vol", "pp", "cf", "vs",
    "Gen", "Col", "Capt", "Lt", "Sgt", "Rev", "Hon",
];

/// The letters of `segment`, without tatweel and combining marks (`هـ` is one letter).
fn letters(segment: &str) -> usize {
    segment
        .chars()
        .filter(|&c| c.is_alphabetic() && c != '\u{0640}' && !is_mark(c))
        .count()
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0300}'..='\u{036F}')
}

/// True when `token` (the text between the last space and a single dot) is an
/// abbreviation, so that the dot after it does not end the sentence.
fn is_abbreviation(token: &str) -> bool {
    let token = token.trim_start_matches(is_opener);
    if token.is_empty() || LATIN_TITLES.contains(&token) {
        return !token.is_empty();
    }
    // `د`, `هـ`, `J`; `U.S`, `ق.م`, `e.g`: every part one letter and nothing else.
    token.split('.').all(|segment| {
        letters(segment) == 1
            && segment
                .chars()
                .all(|c| c.is_alphabetic() || c == '\u{0640}' || is_mark(c))
    })
}

/// The sentences of `text`, as byte ranges (see the module comment).
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |k: usize| chars.get(k).map_or(text.len(), |&(i, _)| i);
    let mut start: Option<usize> = None;
    // Where the current word (the token before a dot) starts.
    let mut word_start = 0;
    // The end of the last character that is not white space.
    let mut last_end = 0;
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        if is_line_end(c) {
            if let Some(s) = start.take() {
                out.push(s..last_end);
            }
            k += 1;
            word_start = end_of(k);
            continue;
        }
        if c.is_whitespace() {
            k += 1;
            word_start = end_of(k);
            continue;
        }
        if start.is_none() {
            start = Some(i);
        }
        if !is_stop(c) {
            last_end = end_of(k + 1);
            k += 1;
            continue;
        }
        // A run of stops, then what closes after them.
        let mut j = k;
        while j < chars.len() && is_stop(chars[j].1) {
            j += 1;
        }
        let stops = j - k;
        while j < chars.len() && is_closer(chars[j].1) {
            j += 1;
        }
        let ends_here = chars.get(j).is_none_or(|&(_, next)| next.is_whitespace());
        let abbreviation = stops == 1 && c == '.' && is_abbreviation(&text[word_start..i]);
        last_end = end_of(j);
        if ends_here
            && !abbreviation
            && let Some(s) = start.take()
        {
            out.push(s..last_end);
        }
        k = j;
    }
    if let Some(s) = start {
        out.push(s..last_end);
    }
    out
}

/// The sentence of `text` that holds the byte `offset`, if any (white space between
/// two sentences belongs to none).
pub fn sentence_at(text: &str, offset: usize) -> Option<Range<usize>> {
    sentences(text)
        .into_iter()
        .find(|range| range.start <= offset && offset < range.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn stops_and_runs_of_stops() {
        assert_eq!(
            split("ذهب إلى السوق. ثم عاد! هل رأيته؟ نعم؛ رأيته… أخيرًا?! حقًا..."),
            [
                "ذهب إلى السوق.",
                "ثم عاد!",
                "هل رأيته؟",
                "نعم؛",
                "رأيته…",
                "أخيرًا?!",
                "حقًا..."
            ]
        );
    }

    #[test]
    fn abbreviations_are_not_stops() {
        assert_eq!(
            split("قال د. أحمد إن الكتاب صدر سنة 1950 م. في القاهرة. وانتهى."),
            [
                "قال د. أحمد إن الكتاب صدر سنة 1950 م. في القاهرة.",
                "وانتهى."
            ]
        );
        assert_eq!(
            split("Dr. Smith met J. R. R. Tolkien in the U.S. last year. Then he left."),
            [
                "Dr. Smith met J. R. R. Tolkien in the U.S. last year.",
                "Then he left."
            ]
        );
        assert_eq!(split("انظر ص. 5 و ق.م. كذلك."), ["انظر ص. 5 و ق.م. كذلك."]);
        assert_eq!(split("ولد سنة ١٤٤٦ هـ. ثم"), ["ولد سنة ١٤٤٦ هـ. ثم"]);
    }

    #[test]
    fn numbers_are_not_stops() {
        assert_eq!(
            split("بلغ 3.5 مليون في 22/6/2026 و ٣٫٥ بالمئة. ثم"),
            ["بلغ 3.5 مليون في 22/6/2026 و ٣٫٥ بالمئة.", "ثم"]
        );
        assert_eq!(split("in 2026. Next"), ["in 2026.", "Next"]);
    }

    #[test]
    fn closing_quotes_and_brackets_stay_with_their_sentence() {
        assert_eq!(
            split("قال: «من جدّ وجد.» ثم سكت (طويلًا.) وابتسم \"well done.\" end"),
            [
                "قال: «من جدّ وجد.»",
                "ثم سكت (طويلًا.)",
                "وابتسم \"well done.\"",
                "end"
            ]
        );
    }

    #[test]
    fn line_ends_end_sentences() {
        assert_eq!(
            split("عنوان بلا نقطة\nنص تحته.  \n\n"),
            ["عنوان بلا نقطة", "نص تحته."]
        );
        assert!(sentences("   \n ").is_empty());
    }

    #[test]
    fn the_sentence_at_an_offset() {
        let text = "أولى. ثانية.";
        let second = text.find('ث').unwrap();
        assert_eq!(sentence_at(text, second), Some(second..text.len()));
        assert_eq!(sentence_at(text, 0), Some(0..text.find(' ').unwrap()));
        assert_eq!(sentence_at(text, text.find(' ').unwrap()), None);
    }
}
