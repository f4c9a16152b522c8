//! The real reader in tmux (its own socket, `tmux -L pos-…`): a page read, left on a
//! sentence, changed (a paragraph added above, a menu item gone) and opened again shows
//! the same sentence under the cursor, from a file and over a loopback URL; a slow
//! download shows what is fetched and how much has arrived, on the screen and in the
//! status bar, and the quit key stops it.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::http_server::{Reply, Server};
use unicode_normalization::UnicodeNormalization;

const WORD: &str = "ستعمل";
/// The start of the sentence the cursor is left on (a paragraph of the fixture page).
const SENTENCE: &str = "ستعمل المكتبة بنظام المناوبة";

struct Tmux {
    socket: String,
    session: String,
}

impl Tmux {
    fn new(name: &str) -> Self {
        Tmux {
            socket: format!("pos-{name}-{}", std::process::id()),
            session: "reader".into(),
        }
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn start(&self, command: &str) {
        self.run(&[
            "new-session",
            "-d",
            "-x",
            "110",
            "-y",
            "30",
            "-s",
            &self.session,
            "sh",
            "-c",
            command,
        ]);
    }

    fn capture(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", &self.session])
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.session];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    fn literal(&self, text: &str) {
        self.run(&["send-keys", "-t", &self.session, "-l", text]);
    }

    fn wait_for(&self, what: &str, timeout: Duration, mut check: impl FnMut(&str) -> bool) {
        let start = Instant::now();
        loop {
            let screen = self.capture();
            if check(&screen) {
                return;
            }
            assert!(
                start.elapsed() < timeout,
                "timed out waiting for {what}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

/// What a right-to-left run of Arabic letters (no Lam-Alef) looks like on screen once
/// the presentation forms are folded back: the letters in reverse.
fn visual(logical: &str) -> String {
    assert!(!logical.contains("لا"), "no ligatures in {logical}");
    logical.chars().rev().collect()
}

fn folded(screen: &str) -> String {
    screen.nfkc().collect()
}

fn page() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/web/article-utf8.html"),
    )
    .unwrap()
}

/// The page with a paragraph added at the top of the article and a menu item gone.
fn changed_page() -> String {
    page()
        .replacen(
            "<p class=\"byline\">",
            "<p>تحديث: أضيفت إلى هذا الخبر فقرة جديدة في أعلاه بعد نشره بساعة، وفيها تفاصيل عن ساعات العمل الجديدة.</p>\n<p class=\"byline\">",
            1,
        )
        .replacen("<li><a href=\"/sport\">رياضة</a></li>", "", 1)
}

/// The fields of the positions file's line for `key`.
fn saved_fields(state: &Path, key: &str) -> Vec<String> {
    let text = std::fs::read_to_string(state.join("positions.tsv")).unwrap_or_default();
    text.lines()
        .find_map(|line| {
            let mut fields = line.split('\t');
            (fields.next() == Some(key)).then(|| fields.map(str::to_owned).collect())
        })
        .unwrap_or_default()
}

/// The shell command that runs the reader on `source` with its state in `state`, its
/// stderr in `STATUS.err` and its exit status in `status`.
fn reader_command(state: &Path, source: &str, status: &Path) -> String {
    format!(
        "NO_PROXY=127.0.0.1 no_proxy=127.0.0.1 QARI_STATE_DIR={s} QARI_CONFIG_DIR={s} QARI_CACHE_DIR={s} {binary} '{source}' 2> {status}.err; echo $? > {status}",
        s = state.display(),
        binary = env!("CARGO_BIN_EXE_qari"),
        status = status.display(),
    )
}

/// The reader's exit status, once it has ended (within `limit`, or the test fails
/// saying `what`).
fn exit_status(status: &Path, limit: Duration, what: &str) -> String {
    let start = Instant::now();
    while std::fs::read_to_string(status).map_or(true, |s| s.is_empty()) {
        assert!(start.elapsed() < limit, "{what}");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::fs::read_to_string(status).unwrap().trim().to_owned()
}

/// Runs the reader on `source` in tmux until `q`: with `search`, it first searches for
/// the word (the cursor lands on it). Returns the screen before quitting.
fn read(name: &str, state: &Path, source: &str, search: bool) -> String {
    let tmux = Tmux::new(name);
    let status = state.join(format!("status-{name}"));
    tmux.start(&reader_command(state, source, &status));
    let heading = visual("ماذا يتغير");
    tmux.wait_for("the article", Duration::from_secs(20), |screen| {
        screen.contains("READ") && folded(screen).contains(&heading)
    });
    if search {
        tmux.keys(&["/"]);
        tmux.literal(WORD);
        tmux.keys(&["Enter"]);
        tmux.wait_for("the search", Duration::from_secs(5), |screen| {
            screen.contains("1/1")
        });
    }
    let screen = tmux.capture();
    tmux.keys(&["q"]);
    let code = exit_status(&status, Duration::from_secs(10), "q quits");
    assert_eq!(code, "0");
    screen
}

/// Reads `source`, leaves the cursor on the sentence, lets `change` alter the page, and
/// reads it again: the sentence is on screen and the saved cursor is the same text one
/// block further down (the paragraph added above it).
fn left_and_found_again(name: &str, source: &str, key: &str, change: impl FnOnce()) {
    let state = tempfile::tempdir().unwrap();
    read(&format!("{name}-first"), state.path(), source, true);
    let first = saved_fields(state.path(), key);
    assert_eq!(first.len(), 13, "a block position was saved: {first:?}");
    change();
    let screen = read(&format!("{name}-again"), state.path(), source, false);
    assert!(
        folded(&screen).contains(&visual(SENTENCE)),
        "{name}: the sentence is on screen again:\n{screen}"
    );
    let again = saved_fields(state.path(), key);
    assert_eq!(again.len(), 13, "{again:?}");
    let block = |fields: &[String]| fields[4].parse::<usize>().unwrap();
    assert_eq!(
        block(&again),
        block(&first) + 1,
        "{name}: the cursor's block is one further down: {first:?} then {again:?}"
    );
    assert_eq!(
        again[5..7],
        first[5..7],
        "{name}: the same character offset in the same text"
    );
    assert_eq!(
        again[10..],
        first[10..],
        "{name}: the same words around the cursor"
    );
}

fn tmux_present() -> bool {
    common::external_program("tmux", "the Debian package tmux").is_some()
}

#[test]
fn a_changed_html_file_reopens_on_the_same_sentence() {
    if !tmux_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("article.html");
    std::fs::write(&path, page()).unwrap();
    let key = std::fs::canonicalize(&path).unwrap();
    left_and_found_again(
        "file",
        path.to_str().unwrap(),
        key.to_str().unwrap(),
        || {
            std::fs::write(&path, changed_page()).unwrap();
        },
    );
}

#[test]
fn a_changed_page_at_a_url_reopens_on_the_same_sentence() {
    if !tmux_present() {
        return;
    }
    let served = Arc::new(Mutex::new(page()));
    let body = Arc::clone(&served);
    let server = Server::by_path(move |path| match path {
        "/article" => Reply::ok("text/html; charset=utf-8", body.lock().unwrap().clone()),
        _ => Reply::status(404),
    });
    let url = server.url("/article");
    left_and_found_again("url", &url, &url, || {
        *served.lock().unwrap() = changed_page();
    });
}

#[test]
fn a_slow_download_shows_its_progress_and_q_stops_it() {
    if !tmux_present() {
        return;
    }
    let body = page().into_bytes();
    let len = body.len();
    let server = Server::by_path(move |_| Reply {
        stall_after_bytes: Some(len / 3),
        stall_middle: Duration::from_secs(60),
        ..Reply::ok("text/html; charset=utf-8", body.clone())
    });
    let url = server.url("/slow");
    let state = tempfile::tempdir().unwrap();
    let status = state.path().join("status");
    let tmux = Tmux::new("slow");
    tmux.start(&reader_command(state.path(), &url, &status));
    let percent = format!("({}%)", (len / 3) * 100 / len);
    let total = format!("of {:.1} kB", len as f64 / 1e3);
    tmux.wait_for("a third of the page", Duration::from_secs(20), |screen| {
        screen.contains(&format!("Downloading {url}"))
            && screen.contains(&total)
            && screen.contains(&percent)
    });
    assert!(tmux.capture().contains("q stops"), "{}", tmux.capture());
    tmux.keys(&["q"]);
    let code = exit_status(
        &status,
        Duration::from_secs(10),
        "q stops the download: the server still had 60 s to stall",
    );
    assert_eq!(code, "0");
    assert!(
        saved_fields(state.path(), &url).is_empty(),
        "a page that never arrived has no position"
    );
}

#[test]
fn while_a_page_trickles_in_the_status_bar_says_how_much_has_arrived() {
    if !tmux_present() {
        return;
    }
    let body = page().into_bytes();
    let len = body.len();
    // About three seconds for the page, in twenty pieces.
    let server = Server::by_path(move |_| {
        Reply::ok("text/html; charset=utf-8", body.clone())
            .trickling(len / 20 + 1, Duration::from_millis(150))
    });
    let url = server.url("/trickle");
    let state = tempfile::tempdir().unwrap();
    let status = state.path().join("status");
    let tmux = Tmux::new("trickle");
    tmux.start(&reader_command(state.path(), &url, &status));
    let total = format!("of {:.1} kB", len as f64 / 1e3);
    let status_bar = |screen: &str| screen.trim_end().lines().last().unwrap_or("").to_owned();
    // Every screen until the page is there: the bar has the address and the amount,
    // never a paragraph count.
    let mut seen_amounts = std::collections::BTreeSet::new();
    tmux.wait_for("the article", Duration::from_secs(30), |screen| {
        let bar = status_bar(screen);
        if screen.contains(&format!("Downloading {url}")) {
            assert!(bar.contains(&url), "the address on the bar: {bar}");
            assert!(
                !bar.contains('¶') && !bar.contains("0/0"),
                "no paragraph count while downloading: {bar}"
            );
            if bar.contains(&total) && bar.contains("READ") {
                seen_amounts.insert(bar.clone());
            }
            return false;
        }
        folded(screen).contains(&visual("ماذا يتغير"))
    });
    assert!(
        seen_amounts.len() >= 2,
        "the bar said how much had arrived as it grew: {seen_amounts:?}"
    );
    let bar = status_bar(&tmux.capture());
    let count = bar
        .split_once("¶ ")
        .and_then(|(_, after)| after.split_whitespace().next())
        .and_then(|count| count.split_once('/'));
    assert!(
        count.is_some_and(|(_, of)| of != "0") && bar.contains('%'),
        "once the page is here, where the reader is: {bar}"
    );
    tmux.keys(&["q"]);
    assert_eq!(
        exit_status(&status, Duration::from_secs(10), "q quits"),
        "0"
    );
}

#[test]
fn a_missing_page_ends_the_reader_with_the_url_and_the_status() {
    if !tmux_present() {
        return;
    }
    let server = Server::by_path(|_| Reply::status(404));
    let url = server.url("/gone");
    let state = tempfile::tempdir().unwrap();
    let out = state.path().join("out");
    let tmux = Tmux::new("gone");
    tmux.start(&reader_command(state.path(), &url, &out));
    let code = exit_status(&out, Duration::from_secs(20), "the reader ends");
    assert_eq!(code, "1");
    let err = std::fs::read_to_string(state.path().join("out.err")).unwrap();
    assert!(err.contains(&url), "{err}");
    assert!(err.contains("404 Not Found"), "{err}");
}
