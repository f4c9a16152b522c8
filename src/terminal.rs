//! The only place that talks to the terminal: raw mode, the alternate screen, mouse
//! capture, and the BiDi mode of the freedesktop terminal-wg recommendation.
//!
//! In `app` BiDi mode qari sends `CSI 8 l` so that terminals that implement the
//! recommendation (VTE: GNOME Terminal and friends) show cells as given instead of
//! reordering them again; `CSI 8 h` puts implicit mode back. Everything is restored on a
//! normal exit, on a panic (through a chained panic hook) and on SIGTERM, SIGHUP and
//! SIGINT.

use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};

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

/// The terminal qari draws on.
pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// Takes over the terminal. With `explicit_bidi`, asks it not to reorder text.
pub fn enter(explicit_bidi: bool) -> io::Result<Tui> {
    install_panic_hook();
    install_signal_handlers();
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    EXPLICIT_BIDI.store(explicit_bidi, Ordering::SeqCst);
    let mut stdout = io::stdout();
    execute!(
        stdout,
        EnterAlternateScreen,
        EnableMouseCapture,
        cursor::Hide
    )?;
    if explicit_bidi {
        stdout.write_all(BIDI_EXPLICIT.as_bytes())?;
        stdout.flush()?;
    }
    Terminal::new(CrosstermBackend::new(stdout))
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

fn install_panic_hook() {
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

fn install_signal_handlers() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            restore();
            std::process::exit(128 + signal);
        }
    });
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
