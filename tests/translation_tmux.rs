//! End to end in a real terminal (tmux): with no translation provider configured, the
//! translate key shows in the panel how to set one up, and the reader goes on and quits
//! cleanly.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// tmux on a socket of this test's own, so that parallel runs never meet.
fn tmux(socket: &str, args: &[&str]) -> String {
    let out = Command::new("tmux")
        .arg("-L")
        .arg(socket)
        .args(args)
        .output()
        .expect("tmux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn wait_for(what: &str, timeout: Duration, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while !check() {
        assert!(start.elapsed() < timeout, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn translate_without_a_provider_says_how_to_set_one_up() {
    if common::external_program("tmux", "the Debian package tmux").is_none() {
        return;
    }
    let binary = env!("CARGO_BIN_EXE_qari");
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("maqal.txt");
    std::fs::write(
        &article,
        "ذهب الولد إلى المدرسة صباحًا. ثم عاد إلى البيت مساءً.\n\nفقرة ثانية.\n",
    )
    .unwrap();
    let status_file = dir.path().join("status");
    let socket = format!("treader-{}", std::process::id());
    let command = format!(
        "QARI_STATE_DIR={d} QARI_CONFIG_DIR={d} QARI_CACHE_DIR={d} QARI_DATA_DIR={d} {binary} --from-start {article}; echo $? > {status}",
        d = dir.path().display(),
        article = article.display(),
        status = status_file.display(),
    );
    tmux(
        &socket,
        &[
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            "30",
            "-s",
            "t",
            "sh",
            "-c",
            &command,
        ],
    );
    let capture = || tmux(&socket, &["capture-pane", "-p", "-t", "t"]);
    wait_for("the reader", Duration::from_secs(10), || {
        capture().contains("READ")
    });
    tmux(&socket, &["send-keys", "-t", "t", "T"]);
    wait_for("the set-up text", Duration::from_secs(10), || {
        capture().contains("[translate]")
    });
    let screen = capture();
    for needle in [
        "not set up",
        "provider = \"openai\"",
        "from = \"ar\"",
        "to = \"en\"",
    ] {
        assert!(
            screen.contains(needle),
            "{needle:?} not on screen:\n{screen}"
        );
    }
    // The reader goes on: the cursor moves, and q quits with status 0.
    tmux(&socket, &["send-keys", "-t", "t", "w"]);
    tmux(&socket, &["send-keys", "-t", "t", "q"]);
    wait_for("the exit status", Duration::from_secs(10), || {
        Path::new(&status_file).exists()
            && !std::fs::read_to_string(&status_file).unwrap().is_empty()
    });
    let status = std::fs::read_to_string(&status_file).unwrap();
    tmux(&socket, &["kill-server"]);
    assert_eq!(status.trim(), "0");
}
