//! Bad input gets a clear message and the right exit code, before any terminal set-up:
//! a broken config (2), a broken keymap (2), a missing file (1), binary data (1).

use std::process::Command;

fn qari(config_dir: &std::path::Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_qari"))
        .args(args)
        .env("QARI_CONFIG_DIR", config_dir)
        .env("QARI_STATE_DIR", config_dir)
        .env("QARI_CACHE_DIR", config_dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn broken_config_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "shaping = true\nmargin = \"wide\"\n",
    )
    .unwrap();
    let (code, err) = qari(dir.path(), &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("config.toml:2:"), "{err}");
}

#[test]
fn broken_keymap_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let keymap = dir.path().join("mine.toml");
    std::fs::write(
        &keymap,
        "[[keys]]\non = \"j\"\nrun = \"scroll_down\"\n\n[[keys]]\non = \"k\"\nrun = \"scrol_up\"\n",
    )
    .unwrap();
    let (code, err) = qari(dir.path(), &["--keymap", keymap.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("mine.toml:7"), "{err}");
    assert!(err.contains("scrol_up"), "{err}");
    let (code, err) = qari(dir.path(), &["--keymap", "nonesuch"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn missing_and_binary_files() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = qari(dir.path(), &["/no/such/article.txt"]);
    assert_eq!(code, 1);
    assert!(err.contains("/no/such/article.txt"), "{err}");
    let binary = dir.path().join("blob.bin");
    std::fs::write(&binary, b"PK\x03\x04\0\0\x01\x02").unwrap();
    let (code, err) = qari(dir.path(), &[binary.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("binary"), "{err}");
    let (code, err) = qari(dir.path(), &["render", "/no/such/file.txt"]);
    assert_ne!(code, 0);
    assert!(err.contains("/no/such/file.txt"), "{err}");
}

#[test]
fn render_prints_escape_sequences_harmlessly() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("evil.txt");
    std::fs::write(&file, "سلام \u{1b}]0;pwned\u{7}\u{1b}[2J world\u{7}\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_qari"))
        .args(["render", "--width", "40", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(
        text.contains('\u{2407}'),
        "a lone BEL is shown as a placeholder"
    );
}

#[test]
fn messages_say_what_went_wrong_in_words_without_os_error_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [&[&str]; 4] = [
        &["/no/such/article.txt"],
        &["render", "/no/such/file.txt"],
        &["/"],
        &["--keymap", "/no/such/keymap.toml"],
    ];
    for args in cases {
        let (code, err) = qari(dir.path(), args);
        assert_ne!(code, 0, "{args:?}");
        assert!(!err.contains("os error"), "{args:?}: {err}");
        assert!(err.starts_with("qari: "), "{args:?}: {err}");
    }
    // A DICT server that is not there: a warning in words, and the lookup goes on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap();
    let server = format!("dict://127.0.0.1:{port}/x");
    let args = [
        "lookup",
        "--no-system-dicts",
        "--timeout-ms",
        "2000",
        "--server",
        &server,
        "كتاب",
    ];
    let (_, err) = qari(dir.path(), &args);
    assert!(err.contains("cannot connect"), "{err}");
    assert!(!err.contains("os error"), "{err}");
    let (_, err) = qari(dir.path(), &["/no/such/article.txt"]);
    assert!(err.contains("no such file; check the name"), "{err}");
    let (_, err) = qari(dir.path(), &["/"]);
    assert!(err.contains("directory"), "{err}");
}
