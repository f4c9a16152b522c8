//! `qari extract`: the document as the reader shows it, in logical order, as UTF-8 text
//! (one block a paragraph; `#` before headings, `-` before list items, `>` before quotes)
//! or as JSON (the blocks with their kinds and directions). Output is made inert: no
//! escape sequence of the input reaches the terminal or the consumer.

use std::io::{BufWriter, ErrorKind, Write};

use clap::Args;
use serde::Serialize;

use super::InputArgs;
use super::safe::{for_terminal, json_escaped};
use crate::document::{BlockKind, Direction, Document};

/// Arguments of `qari extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The document: a file, a URL, or `-` (or nothing) for standard input.
    #[arg(default_value = "-", value_name = "FILE|URL|-")]
    pub source: String,
    /// Print one JSON object: {"title", "source", "blocks": [{"kind", "level", "dir", "text"}]}.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

/// Runs `qari extract`. Returns the process exit code.
pub fn run(args: &ExtractArgs) -> anyhow::Result<i32> {
    let doc = super::load_document(&args.source, &args.input)?;
    let (json, text);
    let output = if args.json {
        json = serde_json::to_string(&as_json(&doc))? + "\n";
        json_escaped(&json)
    } else {
        text = as_text(&doc);
        for_terminal(&text)
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    match out.write_all(output.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(0),
        Err(err) if err.kind() == ErrorKind::BrokenPipe => Ok(0),
        Err(err) => Err(err.into()),
    }
}

/// The document as text: blocks apart by a blank line, each marked by its kind.
pub fn as_text(doc: &Document) -> String {
    let mut out = String::with_capacity(doc.text.len() + doc.blocks.len() * 4);
    for (i, block) in doc.blocks.iter().enumerate() {
        let text = doc.paragraph(i);
        // Consecutive list items stay together, as a list.
        if i > 0 {
            let together =
                block.kind == BlockKind::ListItem && doc.blocks[i - 1].kind == BlockKind::ListItem;
            out.push_str(if together { "\n" } else { "\n\n" });
        }
        match block.kind {
            BlockKind::Heading(level) => {
                out.push_str(&"#".repeat(usize::from(level.clamp(1, 6))));
                out.push(' ');
                out.push_str(text);
            }
            BlockKind::ListItem => prefixed(&mut out, text, "- ", "  "),
            BlockKind::Quote => prefixed(&mut out, text, "> ", "> "),
            BlockKind::Code => prefixed(&mut out, text, "    ", "    "),
            BlockKind::Rule => out.push_str("---"),
            BlockKind::Paragraph => out.push_str(text),
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// Appends `text` with `first` before its first line and `rest` before the others.
fn prefixed(out: &mut String, text: &str, first: &str, rest: &str) {
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        out.push_str(if n == 0 { first } else { rest });
        out.push_str(line);
    }
}

#[derive(Serialize)]
struct JsonDocument<'a> {
    title: &'a str,
    source: Option<&'a str>,
    language: Option<&'a str>,
    blocks: Vec<JsonBlock<'a>>,
}

#[derive(Serialize)]
struct JsonBlock<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<u8>,
    dir: Option<&'static str>,
    text: &'a str,
}

fn as_json(doc: &Document) -> JsonDocument<'_> {
    let blocks = doc
        .blocks
        .iter()
        .enumerate()
        .map(|(i, block)| {
            let (kind, level) = match block.kind {
                BlockKind::Heading(level) => ("heading", Some(level)),
                BlockKind::Paragraph => ("paragraph", None),
                BlockKind::Quote => ("quote", None),
                BlockKind::ListItem => ("list_item", None),
                BlockKind::Code => ("code", None),
                BlockKind::Rule => ("rule", None),
            };
            JsonBlock {
                kind,
                level,
                dir: block.dir.map(|d| match d {
                    Direction::Rtl => "rtl",
                    Direction::Ltr => "ltr",
                }),
                text: doc.paragraph(i),
            }
        })
        .collect();
    JsonDocument {
        title: doc.title(),
        source: doc.meta.source.as_deref(),
        language: doc.meta.language.as_deref(),
        blocks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_marked_by_kind() {
        let md = "# عنوان\n\nنص.\n\n- أ\n- ب\n\n> قول\n\n---\n";
        let doc = Document::from_structured("t.md", crate::document::markdown::parse(md));
        assert_eq!(
            as_text(&doc),
            "# عنوان\n\nنص.\n\n- أ\n- ب\n\n> قول\n\n---\n"
        );
        let json = serde_json::to_value(as_json(&doc)).unwrap();
        assert_eq!(json["title"], "عنوان");
        assert_eq!(json["blocks"][0]["kind"], "heading");
        assert_eq!(json["blocks"][0]["level"], 1);
        assert_eq!(json["blocks"][2]["kind"], "list_item");
    }
}
