//! Messages that tell the truth: an unreadable dictionary directory, a file behind an
//! unreadable directory, an unreadable file and a loop of symbolic links each name their
//! real cause; a dictionary whose file name is near the file system's limit still gets
//! its index cached.
//!
//! Permissions do not stop root, and the tests run as root: there, qari is run as the
//! user nobody through util-linux's `setpriv`.

mod common;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output};

use qari::glossary::{Glossary, GlossaryConfig};

/// `qari lookup` on one --dict, as a user whom permissions stop (nobody, when the tests
/// run as root). `None` (the test is skipped) when that cannot be arranged.
fn lookup_unprivileged(dict: &Path) -> Option<Output> {
    let qari = env!("CARGO_BIN_EXE_qari");
    let args = [
        "lookup",
        "--no-system-dicts",
        "--no-builtin",
        "--no-personal",
        "--dict",
        dict.to_str().unwrap(),
        "كتاب",
    ];
    let as_root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    let mut cmd = if as_root {
        let setpriv = common::external_program("setpriv", "the Debian package util-linux")?;
        let mut c = Command::new(setpriv);
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", qari]);
        c
    } else {
        Command::new(qari)
    };
    cmd.args(args)
        .env("QARI_CACHE_DIR", "/nonexistent/qari-cache")
        .env("QARI_DATA_DIR", "/nonexistent/qari-data")
        .env("QARI_CONFIG_DIR", "/nonexistent/qari-config");
    let out = cmd.output().unwrap();
    if as_root && String::from_utf8_lossy(&out.stderr).contains("setpriv:") {
        println!("skipped: setpriv cannot change the user here: {out:?}");
        return None;
    }
    Some(out)
}

/// A temporary directory that the user nobody can enter.
fn open_tempdir() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    tmp
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn an_unreadable_directory_says_permission_denied() {
    let tmp = open_tempdir();
    let dir = tmp.path().join("dicts");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("x.index"), "كتاب\tA\tB\n").unwrap();
    chmod(&dir, 0o000);
    let out = lookup_unprivileged(&dir);
    chmod(&dir, 0o755);
    let Some(out) = out else { return };
    let err = stderr(&out);
    assert!(
        !err.contains("no .index or .ifo dictionary"),
        "the directory has one: {err}"
    );
    assert!(err.contains("permission denied"), "{err}");
    assert!(err.contains("check the permissions"), "{err}");
}

#[test]
fn a_file_in_an_unsearchable_directory_is_not_called_missing() {
    let tmp = open_tempdir();
    let dir = tmp.path().join("dicts");
    std::fs::create_dir(&dir).unwrap();
    let index = dir.join("x.index");
    std::fs::write(&index, "كتاب\tA\tB\n").unwrap();
    chmod(&dir, 0o000);
    let out = lookup_unprivileged(&index);
    chmod(&dir, 0o755);
    let Some(out) = out else { return };
    let err = stderr(&out);
    assert!(!err.contains("no such file"), "it exists: {err}");
    assert!(err.contains("permission denied"), "{err}");
}

#[test]
fn an_unreadable_file_is_not_called_missing() {
    let tmp = open_tempdir();
    let index = tmp.path().join("x.index");
    std::fs::write(&index, "كتاب\tA\tB\n").unwrap();
    chmod(&index, 0o000);
    let Some(out) = lookup_unprivileged(&index) else {
        return;
    };
    let err = stderr(&out);
    assert!(!err.contains("no such file"), "it exists: {err}");
    assert!(err.contains("permission denied"), "{err}");
}

#[test]
fn a_loop_of_symbolic_links_is_named() {
    let tmp = open_tempdir();
    let link = tmp.path().join("loop.index");
    std::os::unix::fs::symlink(&link, &link).unwrap();
    let Some(out) = lookup_unprivileged(&link) else {
        return;
    };
    let err = stderr(&out);
    assert!(!err.contains("no such file"), "{err}");
    assert!(err.contains("loop of symbolic links"), "{err}");
}

#[test]
fn a_long_dictionary_name_still_gets_its_index_cached() {
    let tmp = tempfile::tempdir().unwrap();
    // 250 bytes: a legal file name, too long to be part of another.
    let name = format!("{}.index", "د".repeat(122));
    assert_eq!(name.len(), 250);
    let index = tmp.path().join(&name);
    std::fs::write(&index, "كتاب\tA\tB\n").unwrap();
    std::fs::write(
        tmp.path().join(name.replace(".index", ".dict")),
        "كتاب\nbook\n",
    )
    .unwrap();
    let config = GlossaryConfig {
        builtin: false,
        system_dicts: false,
        personal: false,
        dicts: vec![index],
        cache_dir: Some(tmp.path().join("cache")),
        ..GlossaryConfig::default()
    };
    let (_, warnings) = Glossary::open(&config);
    assert!(warnings.is_empty(), "{warnings:?}");
    let (again, warnings) = Glossary::open(&config);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(
        again.sources()[0].from_cache,
        "the second start reads the cache"
    );
}
