//! The only place that talks to the terminal: raw mode, the alternate screen, mouse
//! capture, and the BiDi mode of the freedesktop terminal-wg recommendation.
//!
//! In `app` BiDi mode qari sends `CSI 8 l` so that terminals that implement the
//! recommendation (VTE: GNOME Terminal and friends) show cells as given instead of
//! reordering them again; `CSI 8 h` puts implicit mode back. Everything is restored on a
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

static ACTIVE: AtomicBool = AtomicBool::new(false);
static EXPLICIT_BIDI: AtomicBool = AtomicBool::new(false);
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
pub type Tui = Terminal<CrosstermBackend<Stdout>>;

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
    take_back()?;
    Terminal::new(CrosstermBackend::new(io::stdout()))
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
    if EXPLICIT_BIDI.load(Ordering::SeqCst) {
        stdout.write_all(BIDI_EXPLICIT.as_bytes())?;
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
    if EXPLICIT_BIDI.load(Ordering::SeqCst) {
        let _ = stdout.write_all(BIDI_IMPLICIT.as_bytes());
    }
    let _ = execute!(
        stdout,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = stdout.flush();
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
/// environment says qari runs in one.
pub fn self_reordering_terminal() -> Option<&'static str> {
    let has = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if has("MLTERM") {
        Some("mlterm")
    } else if has("KONSOLE_VERSION") || has("KONSOLE_DBUS_SESSION") {
        Some("Konsole")
    } else {
        None
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
