//! `qari lookup`: dictionary entries for words, in the manner of sdcv, or as JSON lines.
//!
//! `run` returns the exit code: 0 when it ran (words without entries are not an error),
//! 2 when no source could be opened at all.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::PathBuf;

use anyhow::Context;

use super::safe::{for_terminal, json_escaped};
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
    /// Timeout for DICT servers, in milliseconds: to connect, then for the whole answer.
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    pub timeout_ms: u64,
    /// At most this many entries per word.
    #[arg(long, value_name = "N", default_value_t = 12)]
    pub max_entries: usize,
    /// Print the sources that were opened (to stderr).
    #[arg(long, short)]
    pub verbose: bool,
    /// Decode words read from standard input with this encoding instead of detecting it.
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// The word before, in the sentence the words come from: it says what may follow
    /// (a verb after لن or لم, a noun after a preposition) and ranks the entries.
    #[arg(long, value_name = "WORD")]
    pub after: Option<String>,
}

impl LookupArgs {
    /// The glossary configuration these arguments describe.
    pub fn config(&self) -> GlossaryConfig {
        GlossaryConfig {
            builtin: !self.no_builtin,
            system_dicts: !self.no_system_dicts,
            dicts: self.dicts.clone(),
            buckwalter_dir: self
                .buckwalter
                .clone()
                .or_else(crate::glossary::install::installed_buckwalter),
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
    use std::io::IsTerminal;
    // A person typing at a terminal gets a prompt and each answer at once, as with sdcv;
    // a file or a pipe gets the batched, buffered path.
    let interactive = reads_stdin(args) && std::io::stdin().is_terminal();
    let mut stdin = std::io::BufReader::with_capacity(1 << 16, std::io::stdin());
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut held = Held::default();
    let code = session(
        args,
        &mut held,
        &mut stdin,
        &mut out,
        &mut std::io::stderr(),
        interactive,
    )?;
    out.flush()?;
    // The process ends now, and the OS takes back the glossary's memory and closes its
    // files at once: freeing them piece by piece would cost more than a one-word lookup.
    // Nothing in them is waiting to be written (the personal glossary saves on each edit).
    std::mem::forget(held);
    Ok(code)
}

/// What a session builds up, owned by its caller: the process path leaves it to the OS.
#[derive(Default)]
struct Held {
    glossary: Option<Glossary>,
    rendered: HashMap<String, Vec<u8>>,
}

/// Whether the words come from standard input: no word given, or `-` among them.
fn reads_stdin(args: &LookupArgs) -> bool {
    args.words.is_empty() || args.words.iter().any(|w| w == "-")
}

/// The prompt shown before each line when a person types the words.
pub const PROMPT: &str = "word or phrase> ";

/// [`run`] with its input and outputs given, for tests.
pub fn run_with(
    args: &LookupArgs,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    run_session(args, input, out, err, false)
}

/// [`run_with`]; with `interactive`, a prompt on `err` before each line and every answer
/// flushed as soon as it is written.
pub fn run_session(
    args: &LookupArgs,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
    interactive: bool,
) -> anyhow::Result<i32> {
    session(args, &mut Held::default(), input, out, err, interactive)
}

/// [`run_session`], keeping what it opens in `held`.
fn session(
    args: &LookupArgs,
    held: &mut Held,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
    interactive: bool,
) -> anyhow::Result<i32> {
    let (glossary, warnings) = Glossary::open(&args.config());
    let glossary = &*held.glossary.insert(glossary);
    for w in &warnings {
        writeln!(err, "{}", for_terminal(&format!("qari: warning: {w}")))?;
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
            let line = format!(
                "qari: source {}{path}: {} entries{cache}",
                s.name, s.entries
            );
            writeln!(err, "{}", for_terminal(&line))?;
        }
    }
    if glossary.sources().is_empty() {
        writeln!(
            err,
            "qari: no dictionary to look words up in (all sources are switched off or unreadable)"
        )?;
        return Ok(2);
    }
    let from_stdin = reads_stdin(args);
    let mut batch = Batch {
        glossary,
        args,
        rendered: &mut held.rendered,
    };
    let words: Vec<&str> = args
        .words
        .iter()
        .filter(|w| *w != "-")
        .map(String::as_str)
        .collect();
    let stdin_text = if from_stdin && !interactive {
        read_words(args, input, err)?
    } else {
        String::new()
    };
    batch.run(&words, out, err)?;
    if from_stdin && interactive {
        writeln!(
            err,
            "Type a word or a phrase and press Enter; ctrl-d (an empty line's end of input) quits."
        )?;
        let mut line = Vec::new();
        loop {
            write!(err, "{PROMPT}")?;
            err.flush()?;
            line.clear();
            if input
                .read_until(b'\n', &mut line)
                .context("reading words from the terminal")?
                == 0
            {
                writeln!(err)?;
                break;
            }
            // A line that is not UTF-8 gets a message, and the prompt comes back.
            if std::str::from_utf8(&line).is_err() {
                writeln!(err, "qari: that line is not UTF-8 text; type it again")?;
                continue;
            }
            batch.run_lines(&line, out, err)?;
            out.flush()?;
        }
        return Ok(0);
    }
    if from_stdin {
        // Piped words go through the document pipeline like any other input: detected
        // encoding, and binary data refused before anything is printed.
        batch.run_lines(stdin_text.as_bytes(), out, err)?;
    }
    Ok(0)
}

/// Reads all of piped standard input and decodes it through the document pipeline;
/// binary data is an error, bytes that do not decode a warning.
fn read_words(
    args: &LookupArgs,
    input: &mut dyn BufRead,
    err: &mut dyn Write,
) -> anyhow::Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    input
        .take(crate::fsread::limit::DOCUMENT)
        .read_to_end(&mut bytes)
        .context("reading words from stdin")?;
    let raw = crate::document::source::Raw {
        bytes,
        name: "stdin".into(),
        origin: "standard input".into(),
        ..Default::default()
    };
    let options = crate::document::LoadOptions {
        encoding: args.encoding.clone(),
        ..Default::default()
    };
    let decoded = crate::document::decode_raw(raw, &options)?;
    for warning in &decoded.warnings {
        writeln!(
            err,
            "{}",
            for_terminal(&format!("qari: warning: stdin: {warning}"))
        )?;
    }
    Ok(decoded.text)
}

/// One word's output and the problems met looking it up.
struct Rendered {
    bytes: Vec<u8>,
    warnings: Vec<crate::glossary::Warning>,
}

/// Below this many new words in a batch, they are looked up on the calling thread.
const PARALLEL_MIN: usize = 16;

/// Looks up and renders words, remembering the output of each distinct word.
struct Batch<'a> {
    glossary: &'a Glossary,
    args: &'a LookupArgs,
    // Words repeat in running text: each distinct word is looked up and rendered once.
    rendered: &'a mut HashMap<String, Vec<u8>>,
}

impl Batch<'_> {
    /// The lines of `bytes` (complete lines, or the last one without its newline), as
    /// `BufRead::lines` would give them, trimmed and without the empty ones.
    fn run_lines(
        &mut self,
        bytes: &[u8],
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> anyhow::Result<()> {
        let mut words = Vec::new();
        let mut bad = None;
        for line in bytes.split_inclusive(|&b| b == b'\n') {
            let line = line.strip_suffix(b"\n").unwrap_or(line);
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            match std::str::from_utf8(line) {
                Ok(l) => {
                    if !l.trim().is_empty() {
                        words.push(l.trim());
                    }
                }
                Err(_) => {
                    bad = Some(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        "stream did not contain valid UTF-8",
                    ));
                    break;
                }
            }
        }
        self.run(&words, out, err)?;
        match bad {
            Some(e) => Err(anyhow::Error::new(e).context("reading words from stdin")),
            None => Ok(()),
        }
    }

    /// Writes the output of `words` in their order. The distinct words not seen before
    /// are looked up first, on all cores when there are enough of them.
    fn run(
        &mut self,
        words: &[&str],
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> anyhow::Result<()> {
        let mut todo: Vec<&str> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for &w in words {
            if !self.rendered.contains_key(w) && seen.insert(w) {
                todo.push(w);
            }
        }
        let mut fresh: HashMap<&str, anyhow::Result<Rendered>> =
            todo.iter().copied().zip(self.render_all(&todo)).collect();
        for &word in words {
            if let Some(bytes) = self.rendered.get(word) {
                out.write_all(bytes)?;
                continue;
            }
            // A repeat of a word whose lookup met a problem is looked up again.
            let r = match fresh.remove(word) {
                Some(r) => r?,
                None => self.render(word)?,
            };
            for w in &r.warnings {
                writeln!(err, "{}", for_terminal(&format!("qari: warning: {w}")))?;
            }
            out.write_all(&r.bytes)?;
            // A lookup that met a problem (a server down) is tried again next time.
            if r.warnings.is_empty() && self.rendered.len() < MEMO_WORDS {
                self.rendered.insert(word.to_string(), r.bytes);
            }
        }
        Ok(())
    }

    /// [`Batch::render`] of each word, in order; shared out between threads (each takes
    /// the next word when it is done with one) when there are enough words.
    fn render_all(&self, words: &[&str]) -> Vec<anyhow::Result<Rendered>> {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(words.len() / PARALLEL_MIN)
            .max(1);
        if threads == 1 {
            return words.iter().map(|w| self.render(w)).collect();
        }
        let next = std::sync::atomic::AtomicUsize::new(0);
        let work = || {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(word) = words.get(i) else {
                    return done;
                };
                done.push((i, self.render(word)));
            }
        };
        let mut results: Vec<Option<anyhow::Result<Rendered>>> =
            words.iter().map(|_| None).collect();
        std::thread::scope(|s| {
            let helpers: Vec<_> = (1..threads).map(|_| s.spawn(work)).collect();
            let mut all = work();
            for h in helpers {
                all.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
            }
            for (i, r) in all {
                results[i] = Some(r);
            }
        });
        results
            .into_iter()
            .map(|r| r.unwrap_or_else(|| Err(anyhow::anyhow!("a word was not looked up"))))
            .collect()
    }

    /// Looks one word up and renders its output.
    fn render(&self, word: &str) -> anyhow::Result<Rendered> {
        let result = self
            .glossary
            .lookup_in_context(word, self.args.after.as_deref());
        let bytes = if self.args.json {
            let json = serde_json::to_string(&JsonLine {
                word,
                entries: &result.entries,
            })?;
            let mut line = match json_escaped(&json) {
                std::borrow::Cow::Borrowed(_) => json,
                std::borrow::Cow::Owned(escaped) => escaped,
            }
            .into_bytes();
            line.push(b'\n');
            line
        } else {
            let mut bytes = Vec::new();
            write_human(&mut bytes, word, &result.entries)?;
            bytes
        };
        Ok(Rendered {
            bytes,
            warnings: result.warnings,
        })
    }
}

/// sdcv's layout: a count, then for each entry `-->source`, `-->headword`, the definition.
/// Every text from outside (the word, and all an entry holds) is made safe to print.
fn write_human(out: &mut dyn Write, word: &str, entries: &[Entry]) -> std::io::Result<()> {
    let word = for_terminal(word);
    if entries.is_empty() {
        writeln!(out, "Nothing similar to {word}, sorry :(")?;
        return Ok(());
    }
    writeln!(out, "Found {} items, similar to {word}.", entries.len())?;
    for e in entries {
        // Source, headword and analysis are one line each: their newlines are shown as ␤.
        writeln!(out, "-->{}", one_line(&e.source))?;
        writeln!(out, "-->{}", one_line(&e.headword))?;
        if let Some(a) = &e.analysis {
            writeln!(out, "   {}", one_line(a))?;
        }
        writeln!(out)?;
        writeln!(out, "{}", for_terminal(&e.definition))?;
        writeln!(out)?;
    }
    Ok(())
}

/// A text that must stay on one line, made safe to print: its line breaks are shown as
/// control pictures.
fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\n') {
        std::borrow::Cow::Owned(for_terminal(&text.replace('\n', "\u{2424}")).into_owned())
    } else {
        for_terminal(text)
    }
}
