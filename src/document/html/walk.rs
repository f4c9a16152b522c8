//! From a parsed HTML tree to blocks: headings, paragraphs, list items, quotes, code and
//! rules, each with the direction its element or an ancestor states (`dir`). Used for the
//! article readability finds, for a whole page, and for the XHTML chapters of an EPUB.
//!
//! The walk is iterative (an explicit stack), so a page nested a million elements deep
//! costs memory in proportion, never the call stack. Hidden and non-text elements
//! (scripts, styles, forms' inputs, `hidden`) give no text.

use dom_query::{NodeData, NodeRef};

use super::super::model::{BlockKind, Builder, Direction};
use super::sanitize::{any_flagged, cleaned};

/// Elements whose content is never shown as text.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "head"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "select"
            | "textarea"
            | "input"
            | "button"
            | "audio"
            | "video"
            | "map"
            | "frameset"
            | "frame"
            | "dialog"
    )
}

/// Elements that start and end a block.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "html"
            | "body"
            | "p"
            | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "address"
            | "ul"
            | "ol"
            | "menu"
            | "dl"
            | "dt"
            | "dd"
            | "li"
            | "blockquote"
            | "pre"
            | "figure"
            | "figcaption"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "caption"
            | "form"
            | "fieldset"
            | "legend"
            | "details"
            | "summary"
            | "center"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hgroup"
            | "option"
            | "label"
    )
}

/// What the walk is inside of, as far as a block's kind is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    Plain,
    Heading(u8),
    ListItem,
    Quote,
    Code,
}

struct Frame {
    context: Context,
    dir: Option<Direction>,
}

/// Walks `root` and everything under it into `builder`. `dir` is the direction stated
/// above `root` (None: none stated).
pub(crate) fn walk_blocks(root: &NodeRef, builder: &mut Builder, dir: Option<Direction>) {
    let mut walker = Walker {
        builder,
        pending: String::new(),
        frames: vec![Frame {
            context: Context::Plain,
            dir,
        }],
    };
    // (node, leaving): a node is visited on the way in, and again on the way out when it
    // opened a frame.
    let mut stack: Vec<(NodeRef, bool)> = vec![(*root, false)];
    while let Some((node, leaving)) = stack.pop() {
        if leaving {
            walker.flush();
            walker.frames.pop();
            continue;
        }
        // The text is read where it lies in the tree, not copied out of it.
        let is_text = node.query(|n| match &n.data {
            NodeData::Text { contents } => {
                walker.text(contents);
                true
            }
            _ => false,
        });
        if is_text != Some(false) {
            continue;
        }
        if !(node.is_element() || node.is_document() || node.is_fragment()) {
            continue;
        }
        // HTML parsers lower-case element names already; XHTML's may not be.
        let name = node.qual_name_ref().map(|q| q.local.clone());
        let name = name.as_deref().unwrap_or_default();
        let lowered;
        let name = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            lowered = name.to_ascii_lowercase();
            lowered.as_str()
        } else {
            name
        };
        if node.is_element() && (is_skipped(name) || is_hidden(&node)) {
            continue;
        }
        match name {
            "br" => {
                walker.pending.push('\n');
                continue;
            }
            "hr" => {
                walker.flush();
                let dir = walker.dir();
                walker.builder.push(BlockKind::Rule, "", dir);
                continue;
            }
            "img" => {
                // An image says nothing in a text reader, unless its text stands in for it
                // inline (alt text of a formula, a letter drawn as a picture): left out.
                continue;
            }
            "td" | "th" => walker.pending.push(' '),
            _ => {}
        }
        // `dir` on an inline element (a Latin phrase in Arabic) embeds it in the line;
        // the paragraph's own algorithm places it, so only block elements open a frame.
        if is_block(name) {
            walker.flush();
            let parent = walker.frames.last().map_or(Context::Plain, |f| f.context);
            let context = match name {
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                    Context::Heading(name.as_bytes()[1] - b'0')
                }
                "li" | "dt" | "dd" => Context::ListItem,
                "blockquote" => Context::Quote,
                "pre" => Context::Code,
                _ => parent,
            };
            let dir = match stated_dir(&node) {
                Some(Stated::Dir(d)) => Some(d),
                Some(Stated::Auto) => None,
                None => walker.dir(),
            };
            walker.frames.push(Frame { context, dir });
            stack.push((node, true));
        }
        let first = stack.len();
        let mut child = node.first_child();
        while let Some(c) = child {
            child = c.next_sibling();
            stack.push((c, false));
        }
        stack[first..].reverse();
    }
    walker.flush();
}

enum Stated {
    Dir(Direction),
    Auto,
}

fn stated_dir(node: &NodeRef) -> Option<Stated> {
    let value = node.attr("dir")?;
    match value.trim().to_ascii_lowercase().as_str() {
        "rtl" => Some(Stated::Dir(Direction::Rtl)),
        "ltr" => Some(Stated::Dir(Direction::Ltr)),
        "auto" => Some(Stated::Auto),
        _ => None,
    }
}

/// `hidden`, `aria-hidden="true"` or an inline `display: none`.
fn is_hidden(node: &NodeRef) -> bool {
    if node.has_attr("hidden") {
        return true;
    }
    if node
        .attr("aria-hidden")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    node.attr("style").is_some_and(|style| {
        let squeezed: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        squeezed.contains("display:none") || squeezed.contains("visibility:hidden")
    })
}

/// True when `text`'s white space is single spaces only: no other white space, no two
/// spaces together.
fn is_collapsed(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find(bytes, b"  ").is_none()
        && !any_flagged(bytes, 0x0e, [], |i| {
            matches!(bytes[i], b'\t' | b'\n' | b'\r' | b'\x0c')
        })
}

struct Walker<'b> {
    builder: &'b mut Builder,
    /// The text of the block being gathered, raw (whitespace not yet collapsed, except in
    /// code); `\n` marks a `<br>`.
    pending: String,
    frames: Vec<Frame>,
}

impl Walker<'_> {
    fn dir(&self) -> Option<Direction> {
        self.frames.last().and_then(|f| f.dir)
    }

    fn context(&self) -> Context {
        self.frames.last().map_or(Context::Plain, |f| f.context)
    }

    fn text(&mut self, text: &str) {
        if self.context() == Context::Code {
            self.pending.push_str(&text.replace("\r\n", "\n"));
            return;
        }
        // Whitespace in running text is one space; a `<br>` is the only line break.
        // HTML's white space is ASCII: the text is copied in runs between its bytes.
        let mut last_space = self.pending.ends_with([' ', '\n']);
        if is_collapsed(text) {
            // Words apart by single spaces (most text): copied whole.
            let text = match text.strip_prefix(' ') {
                Some(rest) if last_space => rest,
                _ => text,
            };
            self.pending.push_str(text);
            return;
        }
        let mut rest = text;
        while !rest.is_empty() {
            let run = rest
                .bytes()
                .position(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'))
                .unwrap_or(rest.len());
            if run > 0 {
                self.pending.push_str(&rest[..run]);
                last_space = false;
            }
            let spaces = rest[run..]
                .bytes()
                .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'))
                .count();
            if spaces > 0 && !last_space {
                self.pending.push(' ');
                last_space = true;
            }
            rest = &rest[run + spaces..];
        }
    }

    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let raw = std::mem::take(&mut self.pending);
        let kind = match self.context() {
            Context::Plain => BlockKind::Paragraph,
            Context::Heading(level) => BlockKind::Heading(level),
            Context::ListItem => BlockKind::ListItem,
            Context::Quote => BlockKind::Quote,
            Context::Code => BlockKind::Code,
        };
        let joined;
        let text = if kind == BlockKind::Code {
            cleaned(raw.trim_matches('\n'))
        } else if raw.contains('\n') {
            // Spaces around a `<br>` are not part of either line.
            let lines: Vec<&str> = raw.split('\n').map(str::trim).collect();
            joined = lines.join("\n");
            cleaned(joined.trim_matches('\n'))
        } else {
            cleaned(raw.trim())
        };
        let dir = self.dir();
        self.builder.push(kind, &text, dir);
    }
}
