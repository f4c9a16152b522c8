//! The only place that talks to the terminal: raw mode, the alternate screen, mouse
//! capture, and the BiDi mode of the freedesktop terminal-wg recommendation.
//!
//! In `app` BiDi mode qari sends `CSI 8 l` so that terminals that implement the
//! recommendation (VTE: GNOME Terminal and friends) show cells as given instead of
//! reordering them again; `CSI 8 h` puts implicit mode back. In mlterm, which knows no
//! `CSI 8 l`, its own layout (BiDi and shaping) is switched off through its configuration
//! protocol instead, and back on at the end. Everything is restored on a
//! normal exit, on a panic of the UI thread (through a chained panic hook) and on every
//! signal that stops or ends qari. SIGTERM, SIGHUP, SIGINT and SIGQUIT ask the event loop
//! to quit (so the reading position is saved); SIGTSTP asks it to give the terminal back
//! and stop, as less and vim do, and SIGCONT to take the terminal back and redraw. A
//! panic on another thread leaves the terminal alone: its message is kept for the event
//! loop to show ([`take_thread_panic`]).

use std::io::{self, Stdout, Write};
use std::sync::Mutex;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::thread::ThreadId;
use std::time::Duration;

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// Explicit BiDi mode: the terminal must not reorder (ECMA-48 BDSM reset).
pub const BIDI_EXPLICIT: &str = "\x1b[8l";
/// Implicit BiDi mode, the terminal's default (BDSM set).
pub const BIDI_IMPLICIT: &str = "\x1b[8h";
/// mlterm's own configuration protocol (`OSC 5379`, its doc/PROTOCOL): complex text
/// layout (its BiDi and Arabic shaping) off, so that it shows cells as given.
pub const MLTERM_LAYOUT_OFF: &str = "\x1b]5379;use_ctl=false\x07";
/// mlterm's complex text layout back on (its default).
pub const MLTERM_LAYOUT_ON: &str = "\x1b]5379;use_ctl=true\x07";

static ACTIVE: AtomicBool = AtomicBool::new(false);
static EXPLICIT_BIDI: AtomicBool = AtomicBool::new(false);
/// qari runs in mlterm and does the layout itself: mlterm's own layout is switched off.
static MLTERM_LAYOUT: AtomicBool = AtomicBool::new(false);
/// The thread that draws: only its panic restores the terminal.
static UI_THREAD: OnceLock<ThreadId> = OnceLock::new();
/// Panic messages of other threads, while the terminal is taken.
static THREAD_PANICS: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// The last signal that asks qari to end, or 0.
static EXIT_SIGNAL: AtomicI32 = AtomicI32::new(0);
static SUSPEND_ASKED: AtomicBool = AtomicBool::new(false);
static RESUMED: AtomicBool = AtomicBool::new(false);
/// How long the event loop has to quit after a terminating signal before the signal
/// thread restores the terminal and exits by itself.
const EXIT_GRACE: Duration = Duration::from_secs(3);

/// The terminal qari draws on.
pub type Tui = Terminal<QariBackend<Stdout>>;

/// What a signal asks of the event loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalRequest {
    /// Quit: SIGTERM, SIGHUP, SIGINT or SIGQUIT (the signal's number).
    Quit(i32),
    /// SIGTSTP: give the terminal back and stop ([`suspend`]).
    Suspend,
    /// SIGCONT after a stop qari did not ask for: take the terminal back ([`take_back`]).
    Resume,
}

/// Takes over the terminal. With `explicit_bidi`, asks it not to reorder text. The
/// calling thread becomes the UI thread.
pub fn enter(explicit_bidi: bool) -> io::Result<Tui> {
    let _ = UI_THREAD.set(std::thread::current().id());
    install_panic_hook();
    install_signal_handlers();
    EXPLICIT_BIDI.store(explicit_bidi, Ordering::SeqCst);
    MLTERM_LAYOUT.store(
        explicit_bidi && TerminalKind::detect() == TerminalKind::Mlterm,
        Ordering::SeqCst,
    );
    take_back()?;
    Terminal::new(QariBackend::new(io::stdout(), explicit_bidi))
}

/// Puts the terminal in the reader's modes: raw mode, the alternate screen, mouse
/// capture, a hidden cursor and the BiDi mode chosen in [`enter`]. Used at the start and
/// after a stop, when the shell has put its own modes back.
pub fn take_back() -> io::Result<()> {
    // crossterm skips enabling raw mode it believes is on; after a stop the shell may
    // have turned it off behind its back, so forget that belief first.
    let _ = disable_raw_mode();
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut stdout = io::stdout();
    execute!(
        stdout,
        EnterAlternateScreen,
        EnableMouseCapture,
        cursor::Hide
    )?;
    let modes = bidi_modes_on(
        EXPLICIT_BIDI.load(Ordering::SeqCst),
        MLTERM_LAYOUT.load(Ordering::SeqCst),
    );
    if !modes.is_empty() {
        stdout.write_all(modes.as_bytes())?;
        stdout.flush()?;
    }
    Ok(())
}

/// Gives the terminal back as it was. Safe to call more than once, from any thread.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut stdout = io::stdout();
    let modes = bidi_modes_off(
        EXPLICIT_BIDI.load(Ordering::SeqCst),
        MLTERM_LAYOUT.load(Ordering::SeqCst),
    );
    let _ = stdout.write_all(modes.as_bytes());
    let _ = execute!(
        stdout,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = stdout.flush();
}

/// What asks the terminal to show cells as given: `CSI 8 l` with `explicit_bidi`, and
/// in mlterm (`mlterm_layout`) its complex text layout switched off.
pub fn bidi_modes_on(explicit_bidi: bool, mlterm_layout: bool) -> String {
    let mut modes = String::new();
    if explicit_bidi {
        modes.push_str(BIDI_EXPLICIT);
    }
    if mlterm_layout {
        modes.push_str(MLTERM_LAYOUT_OFF);
    }
    modes
}

/// What undoes [`bidi_modes_on`].
pub fn bidi_modes_off(explicit_bidi: bool, mlterm_layout: bool) -> String {
    let mut modes = String::new();
    if explicit_bidi {
        modes.push_str(BIDI_IMPLICIT);
    }
    if mlterm_layout {
        modes.push_str(MLTERM_LAYOUT_ON);
    }
    modes
}

/// Gives the terminal back, stops the process as the shell's ctrl-z would, and takes
/// the terminal back once the shell continues it (`fg`). The caller redraws.
pub fn suspend() -> io::Result<()> {
    restore();
    signal_hook::low_level::raise(signal_hook::consts::SIGSTOP)?;
    // Running again: the SIGCONT that woke us is answered here.
    RESUMED.store(false, Ordering::SeqCst);
    take_back()
}

/// The signal the event loop must act on, if one came; a request to quit comes first.
pub fn pending_signal() -> Option<SignalRequest> {
    match EXIT_SIGNAL.load(Ordering::SeqCst) {
        0 => {}
        signal => return Some(SignalRequest::Quit(signal)),
    }
    if SUSPEND_ASKED.swap(false, Ordering::SeqCst) {
        return Some(SignalRequest::Suspend);
    }
    if RESUMED.swap(false, Ordering::SeqCst) {
        return Some(SignalRequest::Resume);
    }
    None
}

/// The message of a panic on a thread other than the UI thread, if one happened while
/// the terminal was taken (the oldest first).
pub fn take_thread_panic() -> Option<String> {
    let mut panics = THREAD_PANICS.lock().unwrap_or_else(|e| e.into_inner());
    (!panics.is_empty()).then(|| panics.remove(0))
}

/// What a panic said, from its payload.
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_owned())
}

fn on_ui_thread() -> bool {
    UI_THREAD.get() == Some(&std::thread::current().id())
}

fn install_panic_hook() {
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if ACTIVE.load(Ordering::SeqCst) && !on_ui_thread() {
            // Printing now would scribble over the screen, and restoring would leave
            // the UI thread drawing on a cooked terminal: keep the message for the
            // event loop instead.
            let thread = std::thread::current();
            let name = thread.name().unwrap_or("a worker thread");
            let what = panic_text(info.payload());
            let place = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            THREAD_PANICS
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(format!("{name}: {what}{place}"));
            return;
        }
        restore();
        previous(info);
    }));
}

fn install_signal_handlers() {
    use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let Ok(mut signals) =
        signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGTSTP, SIGCONT])
    else {
        return;
    };
    let spawned = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                match signal {
                    SIGTSTP => SUSPEND_ASKED.store(true, Ordering::SeqCst),
                    SIGCONT => RESUMED.store(true, Ordering::SeqCst),
                    _ => {
                        EXIT_SIGNAL.store(signal, Ordering::SeqCst);
                        // The event loop saves the position and quits; if it is stuck,
                        // the terminal is still given back.
                        std::thread::spawn(move || {
                            std::thread::sleep(EXIT_GRACE);
                            restore();
                            std::process::exit(128 + signal);
                        });
                    }
                }
            }
        });
    drop(spawned);
}

/// Terminals that do their own BiDi and cannot be told not to: their name, when the
/// environment says qari runs in one. (mlterm can: qari switches its layout off.)
pub fn self_reordering_terminal() -> Option<&'static str> {
    TerminalKind::detect().reorders_itself()
}

/// The terminal qari runs in, as far as the environment tells, and what that means for
/// the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TerminalKind {
    /// xterm, Alacritty, urxvt, WezTerm, foot and every terminal that shows cells as given.
    #[default]
    Plain,
    /// A VTE terminal (GNOME Terminal, Tilix, sakura, …): BiDi per paragraph, switched
    /// off row by row with `CSI 8 l`.
    Vte,
    /// kitty: shapes and lays out right-to-left each run of cells that share a font.
    Kitty,
    /// Konsole: reorders by itself.
    Konsole,
    /// mlterm: reorders and shapes by itself, unless told not to (`OSC 5379`), which
    /// qari does when it lays the text out itself.
    Mlterm,
}

impl TerminalKind {
    /// The terminal qari runs in, from the environment.
    pub fn detect() -> Self {
        Self::from_env(|name| std::env::var(name).ok())
    }

    /// The terminal described by the environment variables `var` gives.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Self {
        let has = |name: &str| var(name).is_some_and(|v| !v.is_empty());
        if has("MLTERM") {
            Self::Mlterm
        } else if has("KONSOLE_VERSION") || has("KONSOLE_DBUS_SESSION") {
            Self::Konsole
        } else if has("KITTY_WINDOW_ID") || var("TERM").is_some_and(|t| t == "xterm-kitty") {
            Self::Kitty
        } else if has("VTE_VERSION") {
            Self::Vte
        } else {
            Self::Plain
        }
    }

    /// Its name for messages, when it reorders text itself and cannot be told not to.
    pub fn reorders_itself(self) -> Option<&'static str> {
        match self {
            Self::Konsole => Some("Konsole"),
            _ => None,
        }
    }

    /// How the screen's cells must be rearranged before they are sent, in `bidi` mode.
    pub fn cell_order(self, bidi: crate::config::BidiMode) -> crate::ui::CellOrder {
        match (self, bidi) {
            (_, crate::config::BidiMode::Terminal) => crate::ui::CellOrder::LtrRows {
                marks_take_a_column: self == Self::Mlterm,
                mirror_brackets: self == Self::Konsole,
            },
            (Self::Kitty, crate::config::BidiMode::App) => crate::ui::CellOrder::KittyRuns,
            _ => crate::ui::CellOrder::AsShown,
        }
    }
}

/// Writes what makes every row of a `rows`-row screen explicit (no reordering by the
/// terminal): the cursor to the first column of each row, then `CSI 8 l`. VTE keeps the
/// BiDi mode per paragraph and applies `CSI 8 l` only to the paragraph the cursor starts,
/// so one `CSI 8 l` at start-up leaves every other row of the alternate screen implicit.
pub fn write_explicit_rows(out: &mut impl Write, rows: u16) -> io::Result<()> {
    let mut bytes = Vec::with_capacity(usize::from(rows) * 12);
    for row in 1..=rows {
        // Writing into a Vec cannot fail.
        let _ = write!(bytes, "\x1b[{row};1H{BIDI_EXPLICIT}");
    }
    out.write_all(&bytes)
}

/// A ratatui backend for qari's two BiDi modes.
///
/// When qari does the BiDi itself, before every frame that changes something it makes
/// every row explicit ([`write_explicit_rows`]); drawing moves the cursor to each changed
/// cell anyway, so the extra moves cost nothing visible.
///
/// When the terminal reorders (`--bidi terminal`), a row that changes is sent whole,
/// blanks included: ratatui skips cells that did not change, and a terminal that never
/// received the spaces between words has empty cells there, which mlterm's BiDi does not
/// treat as spaces (words ran together and rows vanished).
pub struct QariBackend<W: Write> {
    inner: CrosstermBackend<W>,
    explicit_rows: bool,
    /// The screen's rows and columns, as last asked of the terminal (or set by a test).
    size: std::cell::Cell<(u16, u16)>,
    /// What the terminal shows, row by row, when rows are sent whole.
    shadow: Option<Vec<Vec<ratatui::buffer::Cell>>>,
}

impl<W: Write> QariBackend<W> {
    /// A backend writing to `out`. With `explicit_bidi`, every frame sets the BiDi mode;
    /// without, changed rows are sent whole.
    pub fn new(out: W, explicit_bidi: bool) -> Self {
        Self {
            inner: CrosstermBackend::new(out),
            explicit_rows: explicit_bidi,
            size: std::cell::Cell::new((0, 0)),
            shadow: (!explicit_bidi).then(Vec::new),
        }
    }

    /// The same, for a screen of `rows` rows whose size is not asked of a terminal.
    pub fn with_rows(out: W, explicit_bidi: bool, rows: u16) -> Self {
        let backend = Self::new(out, explicit_bidi);
        backend.size.set((rows, 0));
        backend
    }
}

/// The cells of the `rows` of `shadow`, whole, skipping the columns a wide character
/// before them covers.
fn whole_rows<'a>(
    shadow: &'a [Vec<ratatui::buffer::Cell>],
    rows: &'a std::collections::BTreeSet<u16>,
) -> impl Iterator<Item = (u16, u16, &'a ratatui::buffer::Cell)> + 'a {
    rows.iter().flat_map(move |&y| {
        let mut covered = 0usize;
        shadow[usize::from(y)]
            .iter()
            .enumerate()
            .filter_map(move |(x, cell)| {
                if covered > 0 {
                    covered -= 1;
                    return None;
                }
                covered = unicode_width::UnicodeWidthStr::width(cell.symbol()).saturating_sub(1);
                Some((x as u16, y, cell))
            })
    })
}

impl<W: Write> Write for QariBackend<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Write::flush(&mut self.inner)
    }
}

impl<W: Write> ratatui::backend::Backend for QariBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a ratatui::buffer::Cell)>,
    {
        if let Some(shadow) = &mut self.shadow {
            let columns = usize::from(self.size.get().1);
            let mut touched = std::collections::BTreeSet::new();
            for (x, y, cell) in content {
                let (x, y) = (usize::from(x), usize::from(y));
                if shadow.len() <= y {
                    shadow.resize(y + 1, Vec::new());
                }
                let row = &mut shadow[y];
                if row.len() <= x.max(columns.saturating_sub(1)) {
                    row.resize(x.max(columns.saturating_sub(1)) + 1, Default::default());
                }
                row[x] = cell.clone();
                touched.insert(y as u16);
            }
            return self.inner.draw(whole_rows(shadow, &touched));
        }
        let mut content = content.peekable();
        if self.explicit_rows && content.peek().is_some() {
            let rows = self.size.get().0;
            write_explicit_rows(&mut self.inner, rows)?;
        }
        self.inner.draw(content)
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<ratatui::layout::Position> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<ratatui::layout::Position>>(
        &mut self,
        position: P,
    ) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        if let Some(shadow) = &mut self.shadow {
            shadow.clear();
        }
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ratatui::backend::ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<ratatui::layout::Size> {
        let size = self.inner.size()?;
        self.size.set((size.height, size.width));
        Ok(size)
    }

    fn window_size(&mut self) -> io::Result<ratatui::backend::WindowSize> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> io::Result<()> {
        ratatui::backend::Backend::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod output_tests {
    use super::*;
    use ratatui::backend::Backend;
    use ratatui::buffer::Cell;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn detects_terminals_from_the_environment() {
        assert_eq!(TerminalKind::from_env(env(&[])), TerminalKind::Plain);
        assert_eq!(
            TerminalKind::from_env(env(&[("TERM", "xterm-kitty")])),
            TerminalKind::Kitty
        );
        assert_eq!(
            TerminalKind::from_env(env(&[("TERM", "xterm-256color"), ("KITTY_WINDOW_ID", "1")])),
            TerminalKind::Kitty
        );
        assert_eq!(
            TerminalKind::from_env(env(&[("VTE_VERSION", "7006")])),
            TerminalKind::Vte
        );
        assert_eq!(
            TerminalKind::from_env(env(&[("VTE_VERSION", "7006"), ("MLTERM", "3.9.3")])),
            TerminalKind::Mlterm
        );
        assert_eq!(
            TerminalKind::from_env(env(&[("KONSOLE_VERSION", "221203")])).reorders_itself(),
            Some("Konsole")
        );
    }

    #[test]
    fn mlterm_is_told_to_show_cells_as_given_and_put_back() {
        // qari lays the text out itself in mlterm: no --bidi terminal by default, and
        // mlterm's own layout is off while qari runs.
        assert_eq!(TerminalKind::Mlterm.reorders_itself(), None);
        assert_eq!(
            TerminalKind::Mlterm.cell_order(crate::config::BidiMode::App),
            crate::ui::CellOrder::AsShown
        );
        let on = bidi_modes_on(true, true);
        assert!(on.contains("\x1b]5379;use_ctl=false\x07"), "{on:?}");
        let off = bidi_modes_off(true, true);
        assert!(off.contains("\x1b]5379;use_ctl=true\x07"), "{off:?}");
        // Elsewhere, only the BiDi mode.
        assert_eq!(bidi_modes_on(true, false), BIDI_EXPLICIT);
        assert_eq!(bidi_modes_off(false, false), "");
    }

    /// A writer whose bytes the test can still read after handing it over.
    #[derive(Clone, Default)]
    struct Shared(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Shared {
        fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.borrow()).into_owned()
        }
    }

    fn frame_output(explicit: bool, rows: u16, cells: &[(u16, u16, &str)]) -> String {
        let out = Shared::default();
        let mut backend = QariBackend::with_rows(out.clone(), explicit, rows);
        let owned: Vec<(u16, u16, Cell)> = cells
            .iter()
            .map(|&(x, y, s)| {
                let mut cell = Cell::default();
                cell.set_symbol(s);
                (x, y, cell)
            })
            .collect();
        backend
            .draw(owned.iter().map(|(x, y, c)| (*x, *y, c)))
            .unwrap();
        Backend::flush(&mut backend).unwrap();
        out.text()
    }

    #[test]
    fn every_row_is_made_explicit_before_each_frame() {
        let out = frame_output(true, 3, &[(0, 2, "ب")]);
        let modes = "\x1b[1;1H\x1b[8l\x1b[2;1H\x1b[8l\x1b[3;1H\x1b[8l";
        assert!(out.starts_with(modes), "{out:?}");
        assert!(out[modes.len()..].contains('ب'), "{out:?}");
        // A second frame sends them again: the terminal may have made new rows since.
        let shared = Shared::default();
        let mut backend = QariBackend::with_rows(shared.clone(), true, 2);
        for _ in 0..2 {
            let cell = Cell::new("x");
            backend.draw([(0, 0, &cell)].into_iter()).unwrap();
        }
        Backend::flush(&mut backend).unwrap();
        assert_eq!(shared.text().matches("\x1b[8l").count(), 4);
    }

    #[test]
    fn in_terminal_bidi_a_changed_row_is_sent_whole() {
        // Only "字" and "ب" changed; the terminal still gets the blank between them,
        // and the cell after a wide character is left alone.
        let out = frame_output(false, 2, &[(0, 1, "字"), (3, 1, "ب")]);
        assert!(out.contains("\u{1b}[2;1H字\u{1b}[2;3H ب"), "{out:?}");
        assert!(!out.contains("\u{1b}[1;"), "{out:?}");
    }

    #[test]
    fn no_modes_without_changes_or_in_terminal_bidi() {
        assert!(!frame_output(true, 3, &[]).contains("\x1b[8l"));
        assert!(!frame_output(false, 3, &[(0, 0, "x")]).contains("\x1b[8l"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_on_another_thread_leaves_the_terminal_taken() {
        // As if the reader had taken the terminal on this thread (without touching the
        // real one: this test has none).
        let _ = UI_THREAD.set(std::thread::current().id());
        if !on_ui_thread() {
            return; // another test of this binary took the UI thread first
        }
        install_panic_hook();
        ACTIVE.store(true, Ordering::SeqCst);
        let worker = std::thread::Builder::new()
            .name("the test worker".into())
            .spawn(|| panic!("worker broke"))
            .unwrap();
        assert!(worker.join().is_err());
        let still_taken = ACTIVE.swap(false, Ordering::SeqCst);
        assert!(still_taken, "a worker's panic restored the terminal");
        let message = take_thread_panic().expect("the panic is kept for the status bar");
        assert!(
            message.starts_with("the test worker: worker broke at src/terminal.rs:"),
            "{message}"
        );
    }
}
