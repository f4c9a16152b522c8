//! `qari render`: lays out a text file and prints its visual lines, in the manner of
//! `fribidi`, but wrapping before reordering so that wrapped paragraphs read in order.

use std::io::{BufWriter, ErrorKind, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::layout::{self, BaseDirection, Harakat, LayoutOptions};

/// Arguments of `qari render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The text file to render; `-` or nothing reads standard input.
    #[arg(default_value = "-")]
    pub file: PathBuf,
    /// Line width in columns [default: the terminal's width, $COLUMNS, or 80].
    #[arg(long, short)]
    pub width: Option<u16>,
    /// Base direction of each paragraph.
    #[arg(long, value_enum, default_value_t = BaseArg::Auto)]
    pub base: BaseArg,
    /// Print nominal letters instead of Arabic presentation forms.
    #[arg(long)]
    pub no_shape: bool,
    /// Keep or strip harakat (short-vowel marks).
    #[arg(long, value_enum, default_value_t = HarakatArg::Keep)]
    pub harakat: HarakatArg,
    /// Do not pad right-to-left lines on the left to end at the last column.
    #[arg(long)]
    pub no_pad: bool,
}

/// `--base`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum BaseArg {
    Auto,
    Rtl,
    Ltr,
}

/// `--harakat`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum HarakatArg {
    Keep,
    Strip,
}

impl RenderArgs {
    /// The layout options these arguments ask for.
    pub fn layout_options(&self) -> LayoutOptions {
        LayoutOptions {
            base: match self.base {
                BaseArg::Auto => BaseDirection::Auto,
                BaseArg::Rtl => BaseDirection::Rtl,
                BaseArg::Ltr => BaseDirection::Ltr,
            },
            shaping: !self.no_shape,
            harakat: match self.harakat {
                HarakatArg::Keep => Harakat::Keep,
                HarakatArg::Strip => Harakat::Strip,
            },
            ..LayoutOptions::default()
        }
    }
}

/// The width to use when none is given: the terminal's, then `$COLUMNS`, then 80.
fn default_width() -> u16 {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal()
        && let Ok((columns, _)) = crossterm::terminal::size()
        && columns > 0
    {
        return columns;
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .filter(|&c| c > 0)
        .unwrap_or(80)
}

/// Runs `qari render`. Returns the process exit code.
pub fn run(args: &RenderArgs) -> anyhow::Result<i32> {
    let bytes = super::read_input(&args.file)?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let message = format!(
                "qari: {} is not valid UTF-8 (first bad byte at offset {}); showing U+FFFD for bad bytes",
                args.file.display(),
                err.utf8_error().valid_up_to()
            );
            eprintln!("{}", super::safe::for_terminal(&message));
            String::from_utf8_lossy(err.as_bytes()).into_owned()
        }
    };
    let width = args.width.unwrap_or_else(default_width).max(1);
    let options = args.layout_options();
    let stdout = std::io::stdout().lock();
    let mut out = BufWriter::with_capacity(1 << 16, stdout);
    match write_document(&mut out, &text, &options, width, !args.no_pad).and_then(|()| out.flush())
    {
        Ok(()) => Ok(0),
        // `qari render | head` is not an error.
        Err(err) if err.kind() == ErrorKind::BrokenPipe => Ok(0),
        Err(err) => Err(err.into()),
    }
}

/// Text given to one worker at a time when rendering in parallel.
const BATCH_BYTES: usize = 256 * 1024;

/// Writes every paragraph of `text` as visual lines. Large inputs are laid out on all
/// cores, in batches of paragraphs written back in order.
pub fn write_document(
    out: &mut impl Write,
    text: &str,
    options: &LayoutOptions,
    width: u16,
    pad: bool,
) -> std::io::Result<()> {
    let paragraphs = layout::paragraph_ranges(text);
    let mut batches: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (i, range) in paragraphs.iter().enumerate() {
        bytes += range.len() + 1;
        if bytes >= BATCH_BYTES {
            batches.push(start..i + 1);
            start = i + 1;
            bytes = 0;
        }
    }
    if start < paragraphs.len() {
        batches.push(start..paragraphs.len());
    }
    let render_batch = |batch: &std::ops::Range<usize>| {
        let mut buf = Vec::with_capacity(BATCH_BYTES * 2);
        for range in &paragraphs[batch.clone()] {
            write_paragraph(&mut buf, &text[range.clone()], options, width, pad);
        }
        buf
    };
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if workers < 2 || batches.len() < 2 {
        for batch in &batches {
            out.write_all(&render_batch(batch))?;
        }
        return Ok(());
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (sender, receiver) = std::sync::mpsc::channel::<(usize, Vec<u8>)>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let (next, batches, render_batch) = (&next, &batches, &render_batch);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(batch) = batches.get(i) else { break };
                    if sender.send((i, render_batch(batch))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let mut pending = std::collections::BTreeMap::new();
        let mut wanted = 0;
        for (i, buf) in receiver {
            pending.insert(i, buf);
            while let Some(buf) = pending.remove(&wanted) {
                out.write_all(&buf)?;
                wanted += 1;
            }
        }
        Ok(())
    })
}

/// Appends the visual lines of one paragraph to `out`.
fn write_paragraph(
    out: &mut Vec<u8>,
    paragraph: &str,
    options: &LayoutOptions,
    width: u16,
    pad: bool,
) {
    layout::prepare(paragraph, options).write_lines(width, pad, out);
}
