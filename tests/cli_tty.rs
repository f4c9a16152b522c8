//! What the binary says when standard input is a terminal (in tmux, on a socket of its
//! own): `qari -` with nothing piped in explains itself instead of waiting or failing
//! with an OS error number.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn qari_dash_with_a_terminal_on_stdin_says_nothing_is_piped_in() {
    if common::external_program("tmux", "the Debian package tmux").is_none() {
        return;
    }
    let socket = format!("qari-cli-tty-{}", std::process::id());
    let tmux = |args: &[&str]| {
        let out = Command::new("tmux")
            .args(["-L", &socket])
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let dir = tempfile::tempdir().unwrap();
    let command = format!(
        "QARI_STATE_DIR={d} QARI_CONFIG_DIR={d} QARI_CACHE_DIR={d} {bin} -; echo status=$?; sleep 30",
        d = dir.path().display(),
        bin = env!("CARGO_BIN_EXE_qari"),
    );
    tmux(&[
        "new-session",
        "-d",
        "-x",
        "120",
        "-y",
        "10",
        "-s",
        "t",
        "sh",
        "-c",
        &command,
    ]);
    let start = Instant::now();
    let mut screen = String::new();
    while start.elapsed() < Duration::from_secs(10) {
        screen = tmux(&["capture-pane", "-p", "-J", "-t", "t"]);
        if screen.contains("status=") {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    tmux(&["kill-server"]);
    assert!(screen.contains("status=1"), "{screen}");
    assert!(screen.contains("nothing is piped in"), "{screen}");
    assert!(!screen.contains("os error"), "{screen}");
}
