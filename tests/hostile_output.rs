//! Nothing hostile reaches the terminal. Every escape family (CSI, OSC 0/8/52, DCS, APC,
//! SOS, PM, in their 7- and 8-bit spellings, short C1 controls, `ESC c`, bidi overrides
//! and isolates) goes through every path that prints: `qari render`, `qari lookup` (human
//! and JSON; a dictd dictionary, a StarDict one with a hostile bookname, the personal
//! glossary, a Buckwalter lexicon, a DICT server, the queried word), stderr (file names,
//! keymap names and arguments with escapes in them), and the reader's pane, panel and
//! status bar on ratatui's TestBackend. The raw bytes that come out hold no ESC, no C1
//! control and no bidi override.

mod common;
mod fake_dict;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::reader::apply;
use fake_dict::{FakeServer, Shared};
use qari::app::{Action, App, Msg};
use qari::config::Config;
use qari::document::Document;
use qari::glossary::{Glossary, GlossaryConfig};
use qari::keymap::Keymap;
use qari::ui::{self, UiContext};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// One sample of each family, without whitespace, quotes, tabs or line ends (so that
/// each survives any field of any format it is put in).
const FAMILIES: &[(&str, &str)] = &[
    ("CSI", "\u{1b}[2J\u{1b}[31m"),
    ("8-bit CSI", "\u{9b}2J"),
    ("OSC 0", "\u{1b}]0;PWNED\u{7}"),
    (
        "OSC 8",
        "\u{1b}]8;;http://evil.example/\u{1b}\\link\u{1b}]8;;\u{1b}\\",
    ),
    ("OSC 52", "\u{1b}]52;c;cm0gLXJmIH4K\u{7}"),
    ("8-bit OSC", "\u{9d}0;PWNED\u{9c}"),
    ("DCS", "\u{1b}P+q544e\u{1b}\\"),
    ("8-bit DCS", "\u{90}+q544e\u{9c}"),
    ("APC", "\u{1b}_apc\u{1b}\\"),
    ("8-bit APC", "\u{9f}apc\u{9c}"),
    ("SOS", "\u{1b}Xsos\u{1b}\\"),
    ("8-bit SOS", "\u{98}sos\u{9c}"),
    ("PM", "\u{1b}^pm\u{1b}\\"),
    ("8-bit PM", "\u{9e}pm\u{9c}"),
    ("7-bit C1", "\u{1b}D\u{1b}E\u{1b}M"),
    ("8-bit C1", "\u{84}\u{85}\u{8d}"),
    ("RIS", "\u{1b}c"),
    (
        "bidi",
        "\u{202e}RLO\u{202c}\u{202d}\u{202a}\u{202b}\u{2066}\u{2067}\u{2068}\u{2069}\u{200e}\u{200f}\u{61c}",
    ),
];

/// Every family, after `tag` (a visible word that shows the path was taken).
fn hostile(tag: &str) -> String {
    let mut s = tag.to_string();
    for (_, sample) in FAMILIES {
        s.push_str(sample);
    }
    s
}

/// Panics when `text` holds an escape, a C1 control or a bidi control (override,
/// embedding, isolate, or mark).
fn assert_inert_text(text: &str, what: &str) {
    for (i, c) in text.char_indices() {
        let bad = c == '\u{1b}'
            || ('\u{80}'..='\u{9f}').contains(&c)
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{61c}');
        assert!(
            !bad,
            "{what}: U+{:04X} at byte {i} in {:?}",
            c as u32,
            &text[i.saturating_sub(40)..(i + 40).min(text.len())]
                .chars()
                .collect::<String>()
        );
    }
}

/// The same for raw bytes: they must be UTF-8 (a lone 0x9b byte is an 8-bit CSI too).
fn assert_inert(bytes: &[u8], what: &str) {
    assert!(!bytes.contains(&0x1b), "{what}: an ESC byte");
    let text = std::str::from_utf8(bytes)
        .unwrap_or_else(|e| panic!("{what}: not UTF-8 ({e}), raw C1 bytes may be in it"));
    assert_inert_text(text, what);
}

fn qari(args: &[&str], env: &[(&str, &Path)], stdin: &str) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_qari"));
    cmd.args(args)
        .env("QARI_CONFIG_DIR", "/nonexistent/qari-config")
        .env("QARI_DATA_DIR", "/nonexistent/qari-data")
        .env("QARI_CACHE_DIR", "/nonexistent/qari-cache")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("qari runs");
    {
        use std::io::Write;
        let mut input = child.stdin.take().unwrap();
        input.write_all(stdin.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

const WORD: &str = "كتاب";

/// A dictd dictionary whose file name, and so its source name, holds escapes.
fn write_dictd(dir: &Path) -> PathBuf {
    let definition = format!("{WORD}\n{}\n", hostile("DICTD"));
    let name = format!("hostile{}", FAMILIES[2].1);
    let dict = dir.join(format!("{name}.dict"));
    std::fs::write(&dict, &definition).unwrap();
    let index = dir.join(format!("{name}.index"));
    std::fs::write(&index, format!("{WORD}\tA\t{}\n", b64(definition.len()))).unwrap();
    index
}

/// dictd's base64 numbers, most significant digit first.
fn b64(mut n: usize) -> String {
    const DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[n % 64]);
        n /= 64;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap()
}

/// A StarDict dictionary with a hostile bookname and definition.
fn write_stardict(dir: &Path) -> PathBuf {
    let definition = hostile("STARDICT");
    let mut idx = Vec::new();
    idx.extend_from_slice(WORD.as_bytes());
    idx.push(0);
    idx.extend_from_slice(&0u32.to_be_bytes());
    idx.extend_from_slice(&(definition.len() as u32).to_be_bytes());
    std::fs::write(dir.join("sd.idx"), &idx).unwrap();
    std::fs::write(dir.join("sd.dict"), &definition).unwrap();
    let ifo = dir.join("sd.ifo");
    std::fs::write(
        &ifo,
        format!(
            "StarDict's dict ifo file\nversion=2.4.2\nwordcount=1\nidxfilesize={}\nbookname={}\nsametypesequence=m\n",
            idx.len(),
            hostile("BOOK")
        ),
    )
    .unwrap();
    ifo
}

/// The personal glossary, with escapes in the gloss and the note.
fn write_personal(data_dir: &Path) {
    std::fs::write(
        data_dir.join("glossary.tsv"),
        format!("{WORD}\t{}\t{}\n", hostile("PERSONAL"), hostile("NOTE")),
    )
    .unwrap();
}

/// A Buckwalter lexicon of one stem whose gloss holds escapes (its files are Latin-1, so
/// the 8-bit controls are single bytes there).
fn write_buckwalter(dir: &Path) {
    let latin1 = |s: &str| -> Vec<u8> {
        s.chars()
            .filter_map(|c| u8::try_from(u32::from(c)).ok())
            .collect()
    };
    std::fs::write(dir.join("dictPrefixes"), "\t\tPref-0\t\n").unwrap();
    std::fs::write(dir.join("dictSuffixes"), "\t\tSuff-0\t\n").unwrap();
    let mut stems = b";; kitAb_1\nktAb\tkitAb\tN\t".to_vec();
    stems.extend(latin1(&hostile("BWGLOSS")));
    stems.extend_from_slice(b" <pos>kitAb/NOUN</pos>\n");
    std::fs::write(dir.join("dictStems"), stems).unwrap();
    std::fs::write(dir.join("tableAB"), "Pref-0 N\n").unwrap();
    std::fs::write(dir.join("tableAC"), "Pref-0 Suff-0\n").unwrap();
    std::fs::write(dir.join("tableBC"), "N Suff-0\n").unwrap();
}

/// A DICT server whose every answer has escapes in the headword, the database name and
/// the definition.
fn hostile_server(mut conn: TcpStream, shared: &Shared) {
    fake_dict::send(&mut conn, shared, b"220 fake <x@y>\r\n");
    let words = fake_dict::read_defines(&conn);
    for _ in words {
        let answer = format!(
            "150 1 definitions\r\n151 \"{WORD}{}\" db{} \"x\"\r\n{}\r\n.\r\n250 ok\r\n",
            FAMILIES[4].1,
            FAMILIES[0].1,
            hostile("SERVER")
        );
        fake_dict::send(&mut conn, shared, answer.as_bytes());
    }
}

/// Every hostile source, written under `root`.
struct Sources {
    dictd: PathBuf,
    stardict: PathBuf,
    buckwalter: PathBuf,
    data: PathBuf,
    cache: PathBuf,
}

fn sources(root: &Path) -> Sources {
    let dir = |name: &str| {
        let d = root.join(name);
        std::fs::create_dir_all(&d).unwrap();
        d
    };
    let dictd = write_dictd(&dir("dictd"));
    let stardict = write_stardict(&dir("stardict"));
    let buckwalter = dir("bw");
    write_buckwalter(&buckwalter);
    let data = dir("data");
    write_personal(&data);
    Sources {
        dictd,
        stardict,
        buckwalter,
        data,
        cache: dir("cache"),
    }
}

/// `qari lookup` with every hostile source, the word given as an argument, a hostile
/// word as an argument and another on stdin.
fn lookup(s: &Sources, server: &FakeServer, json: bool) -> Output {
    let url = server.url("db");
    let mut args = vec![
        "lookup",
        "--verbose",
        "--no-system-dicts",
        "--no-builtin",
        "--dict",
        s.dictd.to_str().unwrap(),
        "--dict",
        s.stardict.to_str().unwrap(),
        "--buckwalter",
        s.buckwalter.to_str().unwrap(),
        "--server",
        &url,
    ];
    if json {
        args.push("--json");
    }
    let word_arg = format!("x{}", FAMILIES[2].1);
    args.extend([WORD, word_arg.as_str(), "-"]);
    let out = qari(
        &args,
        &[("QARI_DATA_DIR", &s.data), ("QARI_CACHE_DIR", &s.cache)],
        &format!("y{}\n", hostile("TYPED")),
    );
    assert!(out.status.success(), "qari lookup failed: {out:?}");
    out
}

/// The tags of the paths that must show in the lookup's output.
const LOOKUP_TAGS: &[&str] = &[
    "DICTD", "STARDICT", "BOOK", "PERSONAL", "BWGLOSS", "SERVER", "TYPED",
];

#[test]
fn lookup_human_output_is_inert() {
    let tmp = tempfile::tempdir().unwrap();
    let s = sources(tmp.path());
    let server = FakeServer::start(hostile_server);
    let out = lookup(&s, &server, false);
    let stdout = String::from_utf8_lossy(&out.stdout);
    for tag in LOOKUP_TAGS {
        assert!(stdout.contains(tag), "{tag} is missing from {stdout}");
    }
    assert_inert(&out.stdout, "lookup stdout");
    assert_inert(&out.stderr, "lookup stderr");
    // The path of the dictd file, escapes and all, was named on stderr (--verbose).
    assert!(String::from_utf8_lossy(&out.stderr).contains("hostile"));
}

#[test]
fn lookup_json_escapes_every_control_and_keeps_the_text() {
    let tmp = tempfile::tempdir().unwrap();
    let s = sources(tmp.path());
    let server = FakeServer::start(hostile_server);
    let out = lookup(&s, &server, true);
    assert_inert(&out.stdout, "lookup --json stdout");
    assert_inert(&out.stderr, "lookup --json stderr");
    let mut texts = String::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let value: serde_json::Value = serde_json::from_str(line).expect("one JSON object");
        texts.push_str(&value.to_string());
        texts.push_str(value["word"].as_str().unwrap());
        for e in value["entries"].as_array().unwrap() {
            for key in ["headword", "source", "definition"] {
                texts.push_str(e[key].as_str().unwrap_or(""));
            }
        }
    }
    for tag in LOOKUP_TAGS {
        assert!(texts.contains(tag), "{tag} is missing");
    }
    // Escaped, not lost: the values hold the sequences the sources hold.
    assert!(
        texts.contains(&hostile("STARDICT")),
        "the definition is whole"
    );
    assert!(texts.contains(&hostile("TYPED")), "the typed word is whole");
}

#[test]
fn render_output_is_inert() {
    let tmp = tempfile::tempdir().unwrap();
    let doc = tmp.path().join("doc.txt");
    let text = format!("{WORD} {} نص\nline {}\n", hostile("A"), hostile("B"));
    std::fs::write(&doc, text).unwrap();
    for extra in [
        &[][..],
        &["--no-shape"],
        &["--base", "ltr", "--width", "12"],
    ] {
        let mut args = vec!["render", doc.to_str().unwrap()];
        args.extend(extra.iter().copied());
        let out = qari(&args, &[], "");
        assert!(out.status.success(), "{out:?}");
        assert_inert(&out.stdout, "render stdout");
        assert_inert(&out.stderr, "render stderr");
    }
}

#[test]
fn stderr_messages_are_inert() {
    let tmp = tempfile::tempdir().unwrap();
    let bad_dir = tmp.path().join(format!("dir{}", hostile("P")));
    std::fs::create_dir_all(&bad_dir).unwrap();
    let missing = bad_dir.join(format!("missing{}.txt", FAMILIES[0].1));
    let missing = missing.to_str().unwrap();
    // Not UTF-8, so render names the file in a warning and goes on.
    let latin = bad_dir.join("latin.txt");
    std::fs::write(&latin, b"caf\xe9\n").unwrap();
    let missing_index = bad_dir.join("gone.index");
    let keymap = hostile("K");
    let flag = format!("--bogus{}", hostile("F"));
    let runs: Vec<Vec<&str>> = vec![
        vec!["render", missing],
        vec!["render", latin.to_str().unwrap()],
        vec![
            "lookup",
            "--no-system-dicts",
            "--no-builtin",
            "--no-personal",
            "--dict",
            missing_index.to_str().unwrap(),
            WORD,
        ],
        vec!["--keymap", &keymap, missing],
        vec![&flag],
        vec!["lookup", &flag],
    ];
    for args in runs {
        let out = qari(&args, &[], "");
        assert!(!out.stderr.is_empty(), "{args:?} says what went wrong");
        assert_inert(&out.stderr, &format!("stderr of {args:?}"));
        assert_inert(&out.stdout, &format!("stdout of {args:?}"));
    }
}

#[test]
fn the_reader_screen_is_inert() {
    let tmp = tempfile::tempdir().unwrap();
    let s = sources(tmp.path());
    let server = FakeServer::start(hostile_server);
    let (glossary, _) = Glossary::open(&GlossaryConfig {
        builtin: false,
        system_dicts: false,
        dicts: vec![s.dictd.clone(), s.stardict.clone()],
        buckwalter_dir: Some(s.buckwalter.clone()),
        dict_servers: vec![server.url("db")],
        personal_glossary: Some(s.data.join("glossary.tsv")),
        no_cache: true,
        ..GlossaryConfig::default()
    });
    let text = format!("{WORD} {}\n\n{} {WORD}\n", hostile("PANE"), hostile("MORE"));
    let mut config = Config::default();
    config.panel.visible = true;
    config.panel.width = 60;
    let name = format!("name{}.txt", hostile("N"));
    let mut app = App::new(Document::from_text(&name, text), &config, 120, 30);
    let (keymap, _) = Keymap::load("default", None).unwrap();
    let context = UiContext::new(&keymap, "default", Config::default().colors);
    let mut seen = String::new();
    for step in 0..4 {
        let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
        terminal.draw(|f| ui::draw(&app, &context, f)).unwrap();
        let buffer = terminal.backend().buffer();
        let mut screen = String::new();
        for y in 0..30 {
            for x in 0..120 {
                screen.push_str(buffer[(x, y)].symbol());
            }
            screen.push('\n');
        }
        assert_inert_text(&screen, &format!("the reader's screen, step {step}"));
        seen.push_str(&screen);
        apply(&mut app, &glossary, Msg::Action(Action::NextWord));
    }
    for tag in ["PANE", "PERSONAL", "nameN"] {
        assert!(seen.contains(tag), "{tag} was drawn:\n{seen}");
    }
}
