//! `qari render`: lays out a document and prints its visual lines, in the manner of
//! `fribidi`, but wrapping before reordering so that wrapped paragraphs read in order.
//! The input goes through the document pipeline (encodings, binary refused); plain text
//! is laid out line by line as fribidi does, other formats block by block.

use std::io::{BufWriter, ErrorKind, Write};

use clap::{Args, ValueEnum};

use crate::layout::{self, BaseDirection, Harakat, LayoutOptions};

/// Arguments of `qari render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The document to render (a file or a URL); `-` or nothing reads standard input.
    #[arg(default_value = "-", value_name = "FILE|URL|-")]
    pub file: String,
    /// Line width in columns; 0 means no wrapping (as fribidi's --nobreak) and no
    /// padding [default: the terminal's width, $COLUMNS, or 80].
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
    #[command(flatten)]
    pub input: super::InputArgs,
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
    let options = args.input.load_options();
    let decoded = crate::document::read_decoded(&args.file, &options, &mut |_, _| {})?;
    super::warn(&decoded.raw.name, &decoded.warnings);
    // Plain text keeps its lines, as fribidi shows them; other formats show their blocks.
    let text = match decoded.format {
        crate::document::Format::Plain => decoded.text,
        _ => decoded.parse(&options)?.text,
    };
    // `--width 0`: no wrapping, as fribidi's `--nobreak`.
    let width = match args.width.unwrap_or_else(default_width) {
        0 => None,
        width => Some(width),
    };
    let options = args.layout_options();
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout());
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

/// Output a worker keeps before it waits for its turn to write it. With padding to a
/// wide `--width`, output can be many times the input; this bounds what is held.
const HELD_BYTES: usize = 1 << 20;

/// Writes every paragraph of `text` as visual lines, wrapped at `width` columns (`None`:
/// not wrapped). Large inputs are laid out on all cores, in batches of paragraphs
/// written in order: a worker writes its batch when the batches before it are written,
/// and holds at most about [`HELD_BYTES`] of output until then.
pub fn write_document<W: Write + Send>(
    out: &mut W,
    text: &str,
    options: &LayoutOptions,
    width: Option<u16>,
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
    // Renders batch `i`, handing its output to `flush` in pieces, in order.
    let render_batch = |batch: &std::ops::Range<usize>,
                        flush: &mut dyn FnMut(&[u8]) -> std::io::Result<()>|
     -> std::io::Result<()> {
        let mut buf = Vec::with_capacity(BATCH_BYTES * 2);
        for range in &paragraphs[batch.clone()] {
            layout::write_paragraph(&text[range.clone()], options, width, pad, &mut buf);
            if buf.len() >= HELD_BYTES {
                flush(&buf)?;
                buf.clear();
            }
        }
        flush(&buf)
    };
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if workers < 2 || batches.len() < 2 {
        for batch in &batches {
            render_batch(batch, &mut |bytes| out.write_all(bytes))?;
        }
        return Ok(());
    }
    let turn = Turns::new(out);
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let (next, batches, render_batch, turn) = (&next, &batches, &render_batch, &turn);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(batch) = batches.get(i) else { break };
                    // Should the layout panic, the batches after this one must not
                    // wait for it for ever: the guard ends its turn with an error.
                    let guard = FinishOnPanic {
                        turns: turn,
                        batch: i,
                    };
                    let done = render_batch(batch, &mut |bytes| turn.write(i, bytes));
                    std::mem::forget(guard);
                    turn.finish(i, done);
                }
            });
        }
    });
    turn.into_result()
}

/// Ends a batch's turn with an error when its worker panics.
struct FinishOnPanic<'t, 'w, W: Write> {
    turns: &'t Turns<'w, W>,
    batch: usize,
}

impl<W: Write> Drop for FinishOnPanic<'_, '_, W> {
    fn drop(&mut self) {
        let error = std::io::Error::other("a layout worker stopped with a panic");
        self.turns.finish(self.batch, Err(error));
    }
}

/// The output shared by the workers of [`write_document`]: batch `i` may write only
/// when every batch before it is finished.
struct Turns<'w, W> {
    state: std::sync::Mutex<TurnState<'w, W>>,
    changed: std::sync::Condvar,
}

struct TurnState<'w, W> {
    out: &'w mut W,
    /// The batch whose output goes next.
    turn: usize,
    /// The first write error; later batches then write nothing.
    error: Option<std::io::Error>,
}

impl<'w, W: Write> Turns<'w, W> {
    fn new(out: &'w mut W) -> Self {
        Self {
            state: std::sync::Mutex::new(TurnState {
                out,
                turn: 0,
                error: None,
            }),
            changed: std::sync::Condvar::new(),
        }
    }

    /// Waits for batch `batch`'s turn, then writes `bytes`.
    fn write(&self, batch: usize, bytes: &[u8]) -> std::io::Result<()> {
        let mut state = self.lock();
        while state.turn < batch && state.error.is_none() {
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        if state.error.is_some() {
            return Err(std::io::Error::other("an earlier write failed"));
        }
        state.out.write_all(bytes)
    }

    /// Marks batch `batch` as written (or failed), letting the next one write.
    fn finish(&self, batch: usize, result: std::io::Result<()>) {
        let mut state = self.lock();
        if let Err(err) = result
            && state.error.is_none()
        {
            state.error = Some(err);
        }
        while state.turn < batch && state.error.is_none() {
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        state.turn = state.turn.max(batch + 1);
        self.changed.notify_all();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, TurnState<'w, W>> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn into_result(self) -> std::io::Result<()> {
        let state = self
            .state
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match state.error {
            Some(err) => Err(err),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_are_written_in_order_whoever_finishes_first() {
        let mut out = Vec::new();
        let turns = Turns::new(&mut out);
        std::thread::scope(|scope| {
            let t = &turns;
            let second = scope.spawn(move || {
                t.write(1, b"second ")?;
                t.finish(1, Ok(()));
                Ok::<(), std::io::Error>(())
            });
            t.write(0, b"first ").expect("batch 0 writes at once");
            t.finish(0, Ok(()));
            second.join().expect("no panic").expect("batch 1 writes");
        });
        turns.into_result().expect("no error");
        assert_eq!(out, b"first second ");
    }

    #[test]
    fn a_panicking_batch_does_not_leave_the_next_waiting() {
        let mut out = Vec::new();
        let turns = Turns::new(&mut out);
        std::thread::scope(|scope| {
            let t = &turns;
            let panicking = scope.spawn(move || {
                let _guard = FinishOnPanic { turns: t, batch: 0 };
                panic!("a layout bug");
            });
            let waiting = scope.spawn(move || t.write(1, b"never"));
            assert!(panicking.join().is_err());
            assert!(waiting.join().expect("no panic").is_err());
        });
        assert!(turns.into_result().is_err());
        assert!(out.is_empty());
    }
}
