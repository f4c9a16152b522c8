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

/// The reader in tmux on `text`, with its own config, state and cache in a temporary
/// directory; `config` is written as its config.toml.
struct Reader {
    socket: String,
    dir: tempfile::TempDir,
}

impl Reader {
    fn start(name: &str, config: &str, args: &str, text: &str) -> Reader {
        let binary = env!("CARGO_BIN_EXE_qari");
        let dir = tempfile::tempdir().unwrap();
        let article = dir.path().join("maqal.txt");
        std::fs::write(&article, text).unwrap();
        std::fs::write(dir.path().join("config.toml"), config).unwrap();
        let socket = format!("treader-{name}-{}", std::process::id());
        let command = format!(
            "QARI_STATE_DIR={d} QARI_CONFIG_DIR={d} QARI_CACHE_DIR={d} QARI_DATA_DIR={d} {binary} --from-start {args} {article}; echo $? > {d}/status",
            d = dir.path().display(),
            article = article.display(),
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
        let reader = Reader { socket, dir };
        wait_for("the reader", Duration::from_secs(10), || {
            reader.screen().contains("READ")
        });
        reader
    }

    fn screen(&self) -> String {
        tmux(&self.socket, &["capture-pane", "-p", "-t", "t"])
    }

    fn keys(&self, keys: &str) {
        tmux(&self.socket, &["send-keys", "-t", "t", keys]);
    }

    /// Quits with q and returns the exit status.
    fn quit(self) -> String {
        self.keys("q");
        let status_file = self.dir.path().join("status");
        wait_for("the exit status", Duration::from_secs(10), || {
            Path::new(&status_file).exists()
                && !std::fs::read_to_string(&status_file).unwrap().is_empty()
        });
        let status = std::fs::read_to_string(&status_file).unwrap();
        tmux(&self.socket, &["kill-server"]);
        status.trim().to_string()
    }
}

const TEXT: &str = "ذهب الولد إلى المدرسة صباحًا. ثم عاد إلى البيت مساءً.\n\nفقرة ثانية.\n";

#[test]
fn translate_without_a_provider_says_how_to_set_one_up() {
    if common::external_program("tmux", "the Debian package tmux").is_none() {
        return;
    }
    let reader = Reader::start("none", "", "", TEXT);
    reader.keys("T");
    wait_for("the set-up text", Duration::from_secs(10), || {
        reader.screen().contains("[translate]")
    });
    let screen = reader.screen();
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
    reader.keys("w");
    assert_eq!(reader.quit(), "0");
}

/// `qari --offline`: a translation comes from the cache only; with an empty cache the panel
/// says so, and the provider's server is never contacted.
#[test]
fn offline_reader_answers_from_the_cache_only() {
    if common::external_program("tmux", "the Debian package tmux").is_none() {
        return;
    }
    let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    server.set_nonblocking(true).unwrap();
    let config = format!(
        "[translate]\nprovider = \"openai\"\nurl = \"http://{}/v1\"\nmodel = \"m\"\n",
        server.local_addr().unwrap()
    );
    let reader = Reader::start("offline", &config, "--offline", TEXT);
    reader.keys("T");
    // The panel wraps the message; its first line is enough.
    wait_for("the offline message", Duration::from_secs(10), || {
        reader.screen().contains("offline, and the cache has no")
    });
    assert_eq!(reader.quit(), "0");
    match server.accept() {
        Err(err) => assert_eq!(err.kind(), std::io::ErrorKind::WouldBlock),
        Ok((_, from)) => panic!("--offline contacted the provider (from {from})"),
    }
}
