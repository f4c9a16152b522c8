//! What the binary does when standard input is a terminal (in tmux, on a socket of its
//! own): `qari -` with nothing piped in explains itself instead of waiting or failing
//! with an OS error number, and `qari lookup` prompts and answers line by line.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

/// A tmux server of this test's own, killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn new(name: &str) -> Option<Self> {
        common::external_program("tmux", "the Debian package tmux")?;
        Some(Tmux {
            socket: format!("qari-cli-tty-{name}-{}", std::process::id()),
        })
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Starts `command` (a shell command) in a 120×`rows` window.
    fn start(&self, command: &str, rows: u16) {
        let rows = rows.to_string();
        self.run(&[
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            &rows,
            "-s",
            "t",
            "sh",
            "-c",
            command,
        ]);
    }

    /// The screen once `pred` holds for it, or after 10 s.
    fn screen_when(&self, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        let mut screen = String::new();
        while start.elapsed() < Duration::from_secs(10) {
            screen = self.run(&["capture-pane", "-p", "-J", "-t", "t"]);
            if pred(&screen) {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        screen
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}

/// The environment that keeps a test's qari away from the user's files.
fn env_prefix(dir: &std::path::Path) -> String {
    format!(
        "QARI_STATE_DIR={d} QARI_CONFIG_DIR={d} QARI_CACHE_DIR={d} QARI_DATA_DIR={d}",
        d = dir.display()
    )
}

#[test]
fn qari_dash_with_a_terminal_on_stdin_says_nothing_is_piped_in() {
    let Some(tmux) = Tmux::new("dash") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    tmux.start(
        &format!(
            "{} {bin} -; echo status=$?; sleep 30",
            env_prefix(dir.path()),
            bin = env!("CARGO_BIN_EXE_qari"),
        ),
        10,
    );
    let screen = tmux.screen_when(|s| s.contains("status="));
    assert!(screen.contains("status=1"), "{screen}");
    assert!(screen.contains("nothing is piped in"), "{screen}");
    assert!(!screen.contains("os error"), "{screen}");
}

#[test]
fn lookup_at_a_terminal_prompts_and_answers_each_line_at_once() {
    let Some(tmux) = Tmux::new("lookup") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    tmux.start(
        &format!(
            "{} {bin} lookup --no-system-dicts; echo status=$?; sleep 30",
            env_prefix(dir.path()),
            bin = env!("CARGO_BIN_EXE_qari"),
        ),
        30,
    );
    let prompt = qari::cli::lookup::PROMPT.trim_end();
    let screen = tmux.screen_when(|s| s.contains(prompt));
    assert!(screen.contains(prompt), "no prompt at start:\n{screen}");
    // The answer comes while the process still waits for more input: before, output
    // was held in a buffer until ctrl-d.
    tmux.run(&["send-keys", "-t", "t", "كتاب", "Enter"]);
    let answered = |s: &str| s.to_lowercase().contains("book") && s.matches(prompt).count() >= 2;
    let screen = tmux.screen_when(answered);
    assert!(
        answered(&screen),
        "no answer before the next prompt:\n{screen}"
    );
    assert!(!screen.contains("status="), "{screen}");
    tmux.run(&["send-keys", "-t", "t", "C-d"]);
    let screen = tmux.screen_when(|s| s.contains("status="));
    assert!(screen.contains("status=0"), "{screen}");
}
