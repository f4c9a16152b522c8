//! A bound on how deeply a page's elements nest, applied to the markup before the HTML
//! parser sees it. html5ever looks down the stack of open elements for many tags, so a
//! page nested tens of thousands deep takes time in the square of its depth (20,000
//! nested `<div>`s: about a minute). Browsers stop nesting at a few hundred levels too.
//!
//! Tags that would open an element deeper than [`MAX_DEPTH`] are dropped, with their end
//! tags; the text inside them is kept. The scan is a rough tokenizer: comments, and the
//! raw text of scripts and styles, are stepped over; elements whose end tag may be left
//! out (`p`, `li`, `td`...) and void elements are not counted, so a page of unclosed
//! paragraphs does not look deep.

use std::borrow::Cow;

/// The deepest nesting passed on to the parser.
pub const MAX_DEPTH: usize = 400;

/// Elements that never have an end tag, or whose end tag may be left out.
const UNCOUNTED: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead",
    "tbody", "tfoot", "colgroup", "caption", "rp", "rt", "html", "head", "body",
];

/// `html` with the tags past [`MAX_DEPTH`] removed; borrowed when none are.
pub fn limit_depth(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    // Bytes of `html` up to here are in `out` already (when there is an `out`).
    let mut copied = 0;
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + offset;
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") {
            at = start + memchr::memmem::find(&rest[4..], b"-->").map_or(rest.len(), |e| e + 7);
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            at = start + 1;
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let end =
            memchr::memchr(b'>', &bytes[name_start..]).map_or(bytes.len(), |e| name_start + e + 1);
        let self_closing = end >= 2 && bytes[end - 2] == b'/';
        let counted = !UNCOUNTED.contains(&name.as_str()) && !self_closing;
        let mut drop = false;
        if counted {
            if closing {
                drop = depth > MAX_DEPTH;
                depth = depth.saturating_sub(1);
            } else {
                depth += 1;
                drop = depth > MAX_DEPTH;
            }
        }
        if drop {
            let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
            out.push_str(&html[copied..start]);
            copied = end;
        }
        at = end;
        // The raw text of a script or style is not markup.
        if !closing && matches!(name.as_str(), "script" | "style" | "textarea" | "title") {
            let close = format!("</{name}");
            let lower_rest = &bytes[at..];
            at += find_ignore_case(lower_rest, close.as_bytes()).unwrap_or(lower_rest.len());
        }
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
    }
}

fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_pages_pass_untouched() {
        let page = "<html><body><div><p>a<p>b<script>if (a<b) {}</script></div></body></html>";
        assert!(matches!(limit_depth(page), Cow::Borrowed(_)));
    }

    #[test]
    fn tags_past_the_limit_go_and_their_text_stays() {
        let n = MAX_DEPTH + 50;
        let page = format!("{}text{}", "<div>".repeat(n), "</div>".repeat(n));
        let limited = limit_depth(&page);
        assert_eq!(
            limited,
            format!(
                "{}text{}",
                "<div>".repeat(MAX_DEPTH),
                "</div>".repeat(MAX_DEPTH)
            )
        );
    }
}
