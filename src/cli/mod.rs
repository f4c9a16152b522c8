//! The non-interactive commands: each reads its input through the document pipeline
//! ([`crate::document::load`]), runs a stage of it and prints the result.

pub mod data;
pub mod extract;
pub mod lookup;
pub mod render;
pub mod safe;
pub mod translate;

use clap::Args;

use crate::document::{self, Document, LoadOptions, ParagraphMode, html::HtmlOptions};

/// How a command reads its document: the pipeline's options on the command line.
#[derive(Debug, Clone, Default, Args)]
pub struct InputArgs {
    /// Decode the input with this encoding (utf-8, utf-16le, utf-16be, windows-1256,
    /// iso-8859-6, ...) instead of detecting it.
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// Where plain-text paragraphs end: at blank lines, at every line break, or auto
    /// (blank lines when the text has any).
    #[arg(long, value_enum, value_name = "WHERE", default_value_t = ParagraphMode::Auto)]
    pub paragraphs: ParagraphMode,
    /// Keep a web page's whole visible text instead of extracting its article.
    #[arg(long)]
    pub no_extract: bool,
}

impl InputArgs {
    /// The pipeline options these arguments ask for.
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions {
            encoding: self.encoding.clone(),
            paragraphs: self.paragraphs,
            html: HtmlOptions {
                whole_page: self.no_extract,
            },
            ..LoadOptions::default()
        }
    }
}

/// Loads a document for a command, the warnings going to stderr (made inert).
pub fn load_document(source: &str, input: &InputArgs) -> Result<Document, document::DocumentError> {
    let doc = document::load(source, &input.load_options())?;
    warn(&doc.name, &doc.warnings);
    Ok(doc)
}

/// Prints the pipeline's warnings about `name` on stderr.
pub fn warn(name: &str, warnings: &[String]) {
    for warning in warnings {
        eprintln!(
            "{}",
            safe::for_terminal(&format!("qari: warning: {name}: {warning}"))
        );
    }
}
