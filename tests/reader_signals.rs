//! Signals in a real terminal (tmux, on a socket of its own): ctrl-z and SIGTSTP give the
//! shell a cooked terminal and `fg` gets the reader back, redrawn and answering keys;
//! SIGQUIT restores and exits; SIGTERM, SIGHUP and SIGINT save the reading position; a
//! position that cannot be saved is said on stderr with a non-zero exit.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A tmux server of the test's own, killed when the test ends.
struct Tmux {
    socket: String,
    session: String,
}

impl Tmux {
    fn start(command: &str) -> Tmux {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        let tmux = Tmux {
            socket: format!("qari-persist-{}-{n}", std::process::id()),
            session: "reader".to_owned(),
        };
        tmux.run(&[
            "new-session",
            "-d",
            "-x",
            "100",
            "-y",
            "30",
            "-s",
            "reader",
            "sh",
            "-c",
            command,
        ]);
        tmux
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", &self.session])
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.session];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Types `line` literally and presses Enter.
    fn type_line(&self, line: &str) {
        self.run(&["send-keys", "-t", &self.session, "-l", line]);
        self.keys(&["Enter"]);
    }

    fn wait_for(&self, what: &str, mut check: impl FnMut(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if check(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "timed out waiting for {what}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The screen once two captures a little apart agree (a redraw has finished).
    fn settled(&self) -> String {
        let mut last = self.screen();
        self.wait_for("the screen to settle", |s| {
            std::thread::sleep(Duration::from_millis(100));
            let same = s == last;
            last = s.to_owned();
            same
        })
    }

    /// The pid of the reader, a child of the pane's shell.
    fn reader_pid(&self) -> String {
        let pane = self.run(&["display-message", "-p", "-t", &self.session, "#{pane_pid}"]);
        let out = Command::new("pgrep")
            .args(["-P", pane.trim(), "qari"])
            .output()
            .unwrap();
        let pid = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        assert!(!pid.is_empty(), "found the reader's process");
        pid
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

fn tmux_present() -> bool {
    common::external_program("tmux", "the Debian package tmux").is_some()
        && common::external_program("pgrep", "the Debian package procps").is_some()
}

fn kill(signal: &str, pid: &str) {
    let status = Command::new("kill")
        .args([&format!("-{signal}"), pid])
        .status()
        .unwrap();
    assert!(status.success());
}

/// The environment that keeps the reader's files in `dir`.
fn env(dir: &Path) -> String {
    format!(
        "QARI_STATE_DIR={d}/state QARI_CONFIG_DIR={d} QARI_CACHE_DIR={d} QARI_DATA_DIR={d}",
        d = dir.display()
    )
}

/// A document long enough to scroll: numbered paragraphs of Arabic.
fn long_document(dir: &Path) -> PathBuf {
    let path = dir.join("article.txt");
    let text: String = (1..=300)
        .map(|i| format!("الفقرة رقم {i} من المقالة الطويلة\n\n"))
        .collect();
    std::fs::write(&path, text).unwrap();
    path
}

/// True when the screen shows the line `stty -a | ...` printed for canonical mode.
fn cooked(screen: &str) -> bool {
    screen.lines().any(|l| l.trim() == "icanon")
}

const STTY: &str = "stty -a | tr ' ' '\\n' | grep -x -- '-*icanon'";

/// Suspends the reader with `suspend`, checks the shell has a cooked terminal (when the
/// reader could act on the stop: not for SIGSTOP), then `fg` and checks the reader is
/// back, redrawn, in raw mode.
fn suspend_and_resume(suspend: impl FnOnce(&Tmux), reader_gives_back: bool) {
    let dir = tempfile::tempdir().unwrap();
    let binary = env!("CARGO_BIN_EXE_qari");
    // An interactive shell with job control, as a user has.
    let tmux = Tmux::start("PS1='$ ' exec bash --norc --noprofile -i");
    tmux.wait_for("the shell", |s| s.contains('$'));
    tmux.type_line(&format!("{} {binary}", env(dir.path())));
    tmux.wait_for("the reader", |s| s.contains("READ"));
    suspend(&tmux);
    let screen = tmux.wait_for("the shell to say the job stopped", |s| {
        s.contains("Stopped")
    });
    if reader_gives_back {
        assert!(
            !screen.contains("READ"),
            "the alternate screen was left:\n{screen}"
        );
        tmux.type_line(STTY);
        let screen = tmux.wait_for("stty", |s| s.lines().any(|l| l.trim().ends_with("icanon")));
        assert!(
            cooked(&screen),
            "the shell got a cooked terminal:\n{screen}"
        );
    }

    tmux.run(&["send-keys", "-t", &tmux.session, "C-l"]);
    tmux.type_line("fg");
    tmux.wait_for("the reader, redrawn", |s| s.contains("READ"));
    let before = tmux.settled();
    // Raw mode again: single keys act without Enter.
    tmux.keys(&["j"]);
    tmux.wait_for("j to scroll", |s| s != before);
    tmux.keys(&["q"]);
    // A fresh prompt on the shell's screen (a screen being redrawn has neither).
    tmux.wait_for("the shell after q", |s| {
        !s.contains("READ") && s.lines().any(|l| l.trim() == "$")
    });
    tmux.type_line("echo status=$?");
    tmux.wait_for("the exit status", |s| s.contains("status=0"));
}

#[test]
fn ctrl_z_suspends_and_fg_resumes() {
    if !tmux_present() || common::external_program("bash", "the Debian package bash").is_none() {
        return;
    }
    suspend_and_resume(|tmux| tmux.keys(&["C-z"]), true);
}

#[test]
fn sigtstp_suspends_and_fg_resumes() {
    if !tmux_present() || common::external_program("bash", "the Debian package bash").is_none() {
        return;
    }
    suspend_and_resume(|tmux| kill("TSTP", &tmux.reader_pid()), true);
}

#[test]
fn sigcont_after_sigstop_takes_the_terminal_back() {
    if !tmux_present() || common::external_program("bash", "the Debian package bash").is_none() {
        return;
    }
    // bash puts its own terminal modes back when a job stops; on fg only the SIGCONT
    // tells the reader to take raw mode back.
    suspend_and_resume(|tmux| kill("STOP", &tmux.reader_pid()), false);
}

/// Runs the reader on `document` in `sh -c`, then the shell prints the exit status and
/// whether the terminal is in canonical mode.
fn reader_in_sh(dir: &Path, args: &str) -> Tmux {
    let binary = env!("CARGO_BIN_EXE_qari");
    let command = format!(
        "{} {binary} {args} 2>{err}; echo status=$?; {STTY}; sleep 30",
        env(dir),
        err = dir.join("stderr").display(),
    );
    let tmux = Tmux::start(&command);
    tmux.wait_for("the reader", |s| s.contains("READ"));
    tmux
}

#[test]
fn sigquit_restores_the_terminal_and_exits() {
    if !tmux_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let tmux = reader_in_sh(dir.path(), "");
    kill("QUIT", &tmux.reader_pid());
    let screen = tmux.wait_for("the shell", |s| s.contains("status="));
    assert!(screen.contains("status=131"), "{screen}");
    assert!(
        !screen.contains("READ"),
        "the alternate screen was left:\n{screen}"
    );
    let screen = tmux.wait_for("stty", |s| s.lines().any(|l| l.trim().ends_with("icanon")));
    assert!(cooked(&screen), "raw mode was turned off:\n{screen}");
}

#[test]
fn terminating_signals_save_the_reading_position() {
    if !tmux_present() {
        return;
    }
    for (signal, number) in [("TERM", 15), ("HUP", 1), ("INT", 2)] {
        let dir = tempfile::tempdir().unwrap();
        let document = long_document(dir.path());
        let tmux = reader_in_sh(dir.path(), &format!("--from-start {}", document.display()));
        let top = tmux.screen();
        tmux.keys(&["G"]);
        tmux.wait_for("G to move", |s| s != top);
        kill(signal, &tmux.reader_pid());
        let screen = tmux.wait_for("the shell", |s| s.contains("status="));
        assert!(
            screen.contains(&format!("status={}", 128 + number)),
            "SIG{signal}: {screen}"
        );
        let positions = std::fs::read_to_string(dir.path().join("state/positions.tsv"))
            .unwrap_or_else(|e| panic!("SIG{signal}: no positions file: {e}"));
        let line = positions
            .lines()
            .find(|l| l.starts_with(&format!("{}\t", document.display())))
            .unwrap_or_else(|| panic!("SIG{signal}: no position saved: {positions:?}"));
        let top_offset: usize = line.split('\t').nth(1).unwrap().parse().unwrap();
        assert!(top_offset > 0, "SIG{signal}: the position after G: {line}");
    }
}

#[test]
fn a_position_that_cannot_be_saved_is_an_error() {
    if !tmux_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let document = long_document(dir.path());
    // The state directory cannot be created: a file stands where it should be.
    std::fs::write(dir.path().join("state"), "not a directory").unwrap();
    let tmux = reader_in_sh(dir.path(), &document.display().to_string());
    tmux.keys(&["q"]);
    let screen = tmux.wait_for("the shell", |s| s.contains("status="));
    assert!(screen.contains("status=1"), "{screen}");
    let stderr = std::fs::read_to_string(dir.path().join("stderr")).unwrap();
    assert!(
        stderr.contains("cannot save the reading position")
            && stderr.contains(&dir.path().join("state").display().to_string()),
        "{stderr}"
    );
}
