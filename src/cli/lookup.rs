//! `qari lookup`: dictionary entries for words, in the manner of sdcv, or as JSON lines.
//!
//! Wiring into `src/main.rs` (the lead owns it):
//!
//! ```ignore
//! #[derive(clap::Subcommand)]
//! enum Command {
//!     /// Look words up in the glossary (built-in lexicon, FreeDict, StarDict, Buckwalter)
//!     Lookup(qari::cli::lookup::LookupArgs),
//!     // ...
//! }
//! // in main: Command::Lookup(args) => std::process::exit(qari::cli::lookup::run(&args)?),
//! ```
//!
//! `run` returns the exit code: 0 when it ran (words without entries are not an error),
//! 2 when no source could be opened at all.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::PathBuf;

use anyhow::Context;

use crate::glossary::{Entry, Glossary, GlossaryConfig};

#[derive(Debug, Clone, Default, clap::Args)]
pub struct LookupArgs {
    /// Words to look up; `-` (or no word) reads one word or phrase per line from stdin.
    /// Quote several words to look up a phrase.
    #[arg(value_name = "WORD")]
    pub words: Vec<String>,
    /// One JSON object per input word, one per line:
    /// {"word", "entries": [{"headword", "source", "definition", "analysis"}]}.
    #[arg(long)]
    pub json: bool,
    /// Another dictionary: a dictd .index, a StarDict .ifo, a .tsv, or a directory of them.
    #[arg(long = "dict", value_name = "PATH")]
    pub dicts: Vec<PathBuf>,
    /// A directory with the Buckwalter BAMA 1.0 files (dictPrefixes, dictStems, ...).
    #[arg(long, value_name = "DIR")]
    pub buckwalter: Option<PathBuf>,
    /// A DICT server, dict://host[:port]/database (repeatable).
    #[arg(long = "server", value_name = "URL")]
    pub servers: Vec<String>,
    /// Do not use the dictionaries installed in the system directories.
    #[arg(long)]
    pub no_system_dicts: bool,
    /// Do not use the built-in lexicon.
    #[arg(long)]
    pub no_builtin: bool,
    /// Do not use the personal glossary.
    #[arg(long)]
    pub no_personal: bool,
    /// Timeout for DICT servers, in milliseconds (connect and read each).
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    pub timeout_ms: u64,
    /// At most this many entries per word.
    #[arg(long, value_name = "N", default_value_t = 12)]
    pub max_entries: usize,
    /// Print the sources that were opened (to stderr).
    #[arg(long, short)]
    pub verbose: bool,
}

impl LookupArgs {
    /// The glossary configuration these arguments describe.
    pub fn config(&self) -> GlossaryConfig {
        GlossaryConfig {
            builtin: !self.no_builtin,
            system_dicts: !self.no_system_dicts,
            dicts: self.dicts.clone(),
            buckwalter_dir: self.buckwalter.clone(),
            dict_servers: self.servers.clone(),
            personal: !self.no_personal,
            connect_timeout_ms: self.timeout_ms,
            read_timeout_ms: self.timeout_ms,
            max_entries: self.max_entries,
            ..GlossaryConfig::default()
        }
    }
}

/// How many distinct words' output is kept for repeats.
const MEMO_WORDS: usize = 200_000;

#[derive(serde::Serialize)]
struct JsonLine<'a> {
    word: &'a str,
    entries: &'a [Entry],
}

/// Runs `qari lookup` on the process's stdin, stdout and stderr.
pub fn run(args: &LookupArgs) -> anyhow::Result<i32> {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let code = run_with(args, &mut stdin.lock(), &mut out, &mut std::io::stderr())?;
    out.flush()?;
    Ok(code)
}

/// [`run`] with its input and outputs given, for tests.
pub fn run_with(
    args: &LookupArgs,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let (glossary, warnings) = Glossary::open(&args.config());
    for w in &warnings {
        writeln!(err, "qari: warning: {w}")?;
    }
    if args.verbose {
        for s in glossary.sources() {
            let path = s
                .path
                .as_ref()
                .map(|p| format!(" ({})", p.display()))
                .unwrap_or_default();
            let cache = if s.from_cache {
                ", index from cache"
            } else {
                ""
            };
            writeln!(
                err,
                "qari: source {}{path}: {} entries{cache}",
                s.name, s.entries
            )?;
        }
    }
    if glossary.sources().is_empty() {
        writeln!(
            err,
            "qari: no dictionary to look words up in (all sources are switched off or unreadable)"
        )?;
        return Ok(2);
    }
    let from_stdin = args.words.is_empty() || args.words.iter().any(|w| w == "-");
    // Words repeat in running text: each distinct word is looked up and rendered once.
    let mut rendered: HashMap<String, Vec<u8>> = HashMap::new();
    let mut one = |word: &str, out: &mut dyn Write| -> anyhow::Result<()> {
        if let Some(bytes) = rendered.get(word) {
            out.write_all(bytes)?;
            return Ok(());
        }
        let result = glossary.lookup_detailed(word);
        for w in &result.warnings {
            writeln!(err, "qari: warning: {w}")?;
        }
        let mut bytes = Vec::new();
        if args.json {
            serde_json::to_writer(
                &mut bytes,
                &JsonLine {
                    word,
                    entries: &result.entries,
                },
            )?;
            writeln!(bytes)?;
        } else {
            write_human(&mut bytes, word, &result.entries)?;
        }
        out.write_all(&bytes)?;
        // A lookup that met a problem (a server down) is tried again next time.
        if result.warnings.is_empty() && rendered.len() < MEMO_WORDS {
            rendered.insert(word.to_string(), bytes);
        }
        Ok(())
    };
    for word in args.words.iter().filter(|w| *w != "-") {
        one(word, out)?;
    }
    if from_stdin {
        for line in input.lines() {
            let line = line.context("reading words from stdin")?;
            let word = line.trim();
            if word.is_empty() {
                continue;
            }
            one(word, out)?;
        }
    }
    Ok(0)
}

/// sdcv's layout: a count, then for each entry `-->source`, `-->headword`, the definition.
fn write_human(out: &mut dyn Write, word: &str, entries: &[Entry]) -> std::io::Result<()> {
    if entries.is_empty() {
        writeln!(out, "Nothing similar to {word}, sorry :(")?;
        return Ok(());
    }
    writeln!(out, "Found {} items, similar to {word}.", entries.len())?;
    for e in entries {
        writeln!(out, "-->{}", e.source)?;
        writeln!(out, "-->{}", e.headword)?;
        if let Some(a) = &e.analysis {
            writeln!(out, "   {a}")?;
        }
        writeln!(out)?;
        writeln!(out, "{}", e.definition)?;
        writeln!(out)?;
    }
    Ok(())
}
