//! End to end in a real terminal (tmux): the reader starts on the seed article, shows the
//! shaped title in visual order, scrolls with `j` and Space, and quits with `q` and exit
//! status 0.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use unicode_normalization::UnicodeNormalization;

/// This test file's own tmux server, so that it neither sees nor disturbs the user's
/// sessions or other test files' servers.
fn socket() -> String {
    format!("qari-reader-tmux-{}", std::process::id())
}

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux")
        .args(["-L", &socket()])
        .args(args)
        .output()
        .expect("tmux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn capture(session: &str) -> String {
    tmux(&["capture-pane", "-p", "-t", session])
}

fn wait_for(what: &str, timeout: Duration, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while !check() {
        assert!(start.elapsed() < timeout, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// What a right-to-left line looks like on screen, computed without the engine: the
/// logical characters in reverse, except that a Lam-Alef pair is one ligature whose
/// letters NFKC gives back in logical order.
fn expected_visual(logical: &str) -> String {
    let chars: Vec<char> = logical.chars().collect();
    let mut units: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == 'ل' && matches!(chars.get(i + 1), Some('ا' | 'أ' | 'إ' | 'آ')) {
            units.push(chars[i..i + 2].iter().collect());
            i += 2;
        } else {
            units.push(chars[i].to_string());
            i += 1;
        }
    }
    units.reverse();
    units.concat()
}

#[test]
fn reader_in_tmux() {
    if common::external_program("tmux", "the Debian package tmux").is_none() {
        return;
    }
    let Some(article) = common::seed_article() else {
        return;
    };
    let article_path = common::shared_dir().join("corpus/seed-article.txt");
    let binary = env!("CARGO_BIN_EXE_qari");
    let dir = tempfile::tempdir().unwrap();
    let status_file = dir.path().join("status");
    let session = format!("qari-test-{}", std::process::id());
    let command = format!(
        "QARI_STATE_DIR={state} QARI_CONFIG_DIR={state} QARI_CACHE_DIR={state} {binary} --from-start {article}; echo $? > {status}",
        state = dir.path().display(),
        article = article_path.display(),
        status = status_file.display(),
    );
    tmux(&[
        "new-session",
        "-d",
        "-x",
        "120",
        "-y",
        "40",
        "-s",
        &session,
        "sh",
        "-c",
        &command,
    ]);
    let title = article.lines().next().unwrap().trim();
    let expected = expected_visual(title);
    wait_for("the title", Duration::from_secs(10), || {
        capture(&session).lines().any(|l| {
            let folded: String = l.trim().nfkc().collect();
            folded == expected
        })
    });
    let first = capture(&session);
    // The title is right-aligned: it ends near the right edge.
    let title_row = first
        .lines()
        .find(|l| l.trim().nfkc().collect::<String>() == expected)
        .unwrap();
    assert!(
        title_row.starts_with("   "),
        "a right-to-left line is aligned right: {title_row:?}"
    );

    tmux(&["send-keys", "-t", &session, "j"]);
    wait_for("j to scroll", Duration::from_secs(5), || {
        capture(&session) != first
    });
    let after_j = capture(&session);
    tmux(&["send-keys", "-t", &session, "Space"]);
    wait_for("space to scroll", Duration::from_secs(5), || {
        capture(&session) != after_j
    });
    assert!(
        !capture(&session)
            .lines()
            .any(|l| l.trim().nfkc().collect::<String>() == expected),
        "a page down moved the title off screen"
    );

    tmux(&["send-keys", "-t", &session, "q"]);
    wait_for("the exit status", Duration::from_secs(5), || {
        Path::new(&status_file).exists()
            && !std::fs::read_to_string(&status_file).unwrap().is_empty()
    });
    let status = std::fs::read_to_string(&status_file).unwrap();
    tmux(&["kill-session", "-t", &session]);
    assert_eq!(status.trim(), "0", "q quits with status 0");
}

#[test]
fn sigterm_restores_the_terminal() {
    if common::external_program("tmux", "the Debian package tmux").is_none() {
        return;
    }
    let binary = env!("CARGO_BIN_EXE_qari");
    let dir = tempfile::tempdir().unwrap();
    let session = format!("qari-term-{}", std::process::id());
    let command = format!(
        "QARI_STATE_DIR={d} QARI_CONFIG_DIR={d} {binary} & echo pid=$!; wait $!; echo status=$?; stty -a | tr ' ' '\\n' | grep -x -- '-*icanon'; sleep 30",
        d = dir.path().display()
    );
    tmux(&[
        "new-session",
        "-d",
        "-x",
        "100",
        "-y",
        "30",
        "-s",
        &session,
        "sh",
        "-c",
        &command,
    ]);
    // The guide is on screen (its status bar shows the mode) ...
    wait_for("the reader", Duration::from_secs(10), || {
        capture(&session).contains("READ")
    });
    let pane_pid = tmux(&["display-message", "-p", "-t", &session, "#{pane_pid}"]);
    let children = Command::new("pgrep")
        .args(["-P", pane_pid.trim(), "qari"])
        .output()
        .unwrap();
    let qari_pid = String::from_utf8_lossy(&children.stdout).trim().to_owned();
    assert!(!qari_pid.is_empty(), "found the reader's process");
    Command::new("kill")
        .args(["-TERM", &qari_pid])
        .status()
        .unwrap();
    // ... and after SIGTERM the shell's screen is back, in canonical (cooked) mode.
    wait_for("the shell", Duration::from_secs(5), || {
        capture(&session)
            .lines()
            .any(|l| l.trim().ends_with("icanon"))
    });
    let screen = capture(&session);
    tmux(&["kill-session", "-t", &session]);
    assert!(screen.contains("status=143"), "{screen}");
    assert!(
        !screen.contains("READ"),
        "the alternate screen was left:\n{screen}"
    );
    assert!(
        screen.lines().any(|l| l.trim() == "icanon"),
        "raw mode was turned off:\n{screen}"
    );
}
