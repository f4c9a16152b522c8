//! Markdown to blocks (pulldown-cmark): the format stage for `.md` files. Headings,
//! paragraphs, list items, quotes, code blocks and rules become blocks; emphasis, links
//! and other inline markup are dropped and their text kept. Raw HTML is dropped too: it
//! would otherwise reach the reader as tags.
//!
//! Promises: never panics; the first heading names the document when nothing else does.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::model::{BlockKind, Builder, Structured};

/// Parses Markdown text into blocks.
pub fn parse(markdown: &str) -> Structured {
    let mut builder = Builder::new();
    let mut text = String::new();
    // The kind of the block being gathered, from the innermost container.
    let mut heading: Option<u8> = None;
    let mut quote_depth = 0usize;
    let mut list_depth = 0usize;
    let mut code = false;
    let mut first_heading: Option<String> = None;
    let kind = |heading: Option<u8>, quote: usize, list: usize, code: bool| match heading {
        Some(level) => BlockKind::Heading(level),
        None if code => BlockKind::Code,
        None if list > 0 => BlockKind::ListItem,
        None if quote > 0 => BlockKind::Quote,
        None => BlockKind::Paragraph,
    };
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(tag) => {
                // A new block starts: what was gathered so far is a block of its own
                // (the text of a list item before a nested list, say).
                if starts_block(&tag) {
                    let k = kind(heading, quote_depth, list_depth, code);
                    builder.push(k, &text, None);
                    text.clear();
                }
                match tag {
                    Tag::Heading { level, .. } => heading = Some(level as u8),
                    Tag::BlockQuote(_) => quote_depth += 1,
                    Tag::Item => list_depth += 1,
                    Tag::CodeBlock(_) => code = true,
                    _ => {}
                }
            }
            Event::End(end) => {
                if ends_block(&end) {
                    let k = kind(heading, quote_depth, list_depth, code);
                    if let BlockKind::Heading(_) = k
                        && first_heading.is_none()
                        && !text.trim().is_empty()
                    {
                        first_heading = Some(text.trim().to_owned());
                    }
                    let body = if code {
                        text.trim_end_matches('\n')
                    } else {
                        &text
                    };
                    builder.push(k, body, None);
                    text.clear();
                }
                match end {
                    TagEnd::Heading(_) => heading = None,
                    TagEnd::BlockQuote(_) => quote_depth = quote_depth.saturating_sub(1),
                    TagEnd::Item => list_depth = list_depth.saturating_sub(1),
                    TagEnd::CodeBlock => code = false,
                    TagEnd::TableCell => text.push_str(" | "),
                    _ => {}
                }
            }
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::InlineMath(t) | Event::DisplayMath(t) => text.push_str(&t),
            Event::SoftBreak => text.push(' '),
            Event::HardBreak => text.push('\n'),
            Event::Rule => {
                builder.push(kind(heading, quote_depth, list_depth, code), &text, None);
                text.clear();
                builder.push(BlockKind::Rule, "", None);
            }
            Event::TaskListMarker(done) => text.push_str(if done { "[x] " } else { "[ ] " }),
            Event::FootnoteReference(label) => {
                text.push('[');
                text.push_str(&label);
                text.push(']');
            }
            Event::Html(_) | Event::InlineHtml(_) => {}
        }
    }
    builder.push(kind(heading, quote_depth, list_depth, code), &text, None);
    builder.meta_mut().title = first_heading;
    builder.finish()
}

/// Tags that open a block of their own.
fn starts_block(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::List(_)
            | Tag::Item
            | Tag::Table(_)
            | Tag::TableRow
            | Tag::TableHead
    )
}

/// Ends of the tags that close a block.
fn ends_block(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::CodeBlock
            | TagEnd::Item
            | TagEnd::TableRow
            | TagEnd::TableHead
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(markdown: &str) -> Vec<(BlockKind, String)> {
        let doc = parse(markdown);
        (0..doc.blocks.len())
            .map(|i| (doc.blocks[i].kind, doc.block_text(i).to_owned()))
            .collect()
    }

    #[test]
    fn structure_is_kept_and_markup_removed() {
        let md = "# العنوان\n\nنص *مائل* و**عريض** مع [رابط](http://x).\nيكمل.\n\n\
                  - بند أول\n- بند `ثان`\n\n> اقتباس\n\n---\n\n```\nكود\nسطر\n```\n";
        use BlockKind::*;
        assert_eq!(
            blocks(md),
            [
                (Heading(1), "العنوان".to_owned()),
                (Paragraph, "نص مائل وعريض مع رابط. يكمل.".to_owned()),
                (ListItem, "بند أول".to_owned()),
                (ListItem, "بند ثان".to_owned()),
                (Quote, "اقتباس".to_owned()),
                (Rule, String::new()),
                (Code, "كود\nسطر".to_owned()),
            ]
        );
        assert_eq!(parse(md).meta.title.as_deref(), Some("العنوان"));
    }

    #[test]
    fn nested_lists_and_html_do_not_leak_markup() {
        let md = "* one\n  * two\n\n<script>alert(1)</script>\n\n## Two *x*\n";
        let got = blocks(md);
        assert_eq!(got[0], (BlockKind::ListItem, "one".into()));
        assert_eq!(got[1], (BlockKind::ListItem, "two".into()));
        assert_eq!(got[2], (BlockKind::Heading(2), "Two x".into()));
        assert_eq!(got.len(), 3);
    }
}
