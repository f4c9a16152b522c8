//! What the user wrote survives: reading positions and personal glosses saved by several
//! writers at once are all kept, and lines qari cannot read are kept byte for byte.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};

use qari::document::Anchor;
use qari::glossary::{Glossary, GlossaryConfig};
use qari::state::{self, SavedPosition};

fn position(n: usize) -> SavedPosition {
    let anchor = |block: usize, char_offset: usize| Anchor {
        block,
        char_offset,
        fingerprint: (n as u32).wrapping_mul(2_654_435_761),
        near: None,
    };
    SavedPosition::Blocks {
        top: anchor(n, n % 11),
        top_line: n % 7,
        cursor: anchor(n + 1, 3),
    }
}

#[test]
fn concurrent_position_saves_lose_no_document() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state/positions.tsv");
    let writers = 8;
    let saves = 25;
    let barrier = Arc::new(Barrier::new(writers));
    let threads: Vec<_> = (0..writers)
        .map(|w| {
            let file = file.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                for s in 0..saves {
                    let doc = PathBuf::from(format!("/docs/writer{w}/doc{s}.txt"));
                    state::save_to(&file, &doc, position(w * 1000 + s)).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    for w in 0..writers {
        for s in 0..saves {
            let doc = PathBuf::from(format!("/docs/writer{w}/doc{s}.txt"));
            let (found, warnings) = state::load_from(&file, &doc);
            assert!(warnings.is_empty(), "{warnings:?}");
            assert_eq!(found, Some(position(w * 1000 + s)), "{}", doc.display());
        }
    }
    let leftovers: Vec<_> = std::fs::read_dir(file.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn unreadable_position_lines_are_kept_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("positions.tsv");
    let bad_number = b"/a/b.txt\t12x\t0\t4".to_vec();
    let bad_utf8 = b"/c/d.txt\t1\xff\t0\t4".to_vec();
    let latin1_path = b"/e/caf\xe9.txt\t100\t2\t104".to_vec();
    let mut before = Vec::new();
    for line in [&bad_number, &bad_utf8, &latin1_path] {
        before.extend_from_slice(line);
        before.push(b'\n');
    }
    std::fs::write(&file, &before).unwrap();

    let (found, warnings) = state::load_from(&file, Path::new("/new.txt"));
    assert_eq!(found, None);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("positions.tsv:1:"), "{warnings:?}");
    assert!(warnings[1].contains("positions.tsv:2:"), "{warnings:?}");

    // A file name that is not UTF-8 is a path like any other.
    let latin1 = std::path::PathBuf::from(
        <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(b"/e/caf\xe9.txt"),
    );
    assert_eq!(
        state::load_from(&file, &latin1).0,
        Some(SavedPosition::Bytes {
            top_offset: 100,
            top_line: 2,
            cursor_offset: 104
        }),
        "a line of an older qari (byte offsets) is still read"
    );

    state::save_to(&file, Path::new("/new.txt"), position(5)).unwrap();
    let after = std::fs::read(&file).unwrap();
    assert!(
        after.starts_with(&before),
        "{:?}",
        String::from_utf8_lossy(&after)
    );
    assert_eq!(
        &after[before.len()..],
        b"/new.txt\t5\t5\t5\t17156075\t6\t3\t17156075\n"
    );
}

#[test]
fn a_position_is_replaced_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("positions.tsv");
    std::fs::write(&file, "/a\t1\t1\t1\n/b\t2\t2\t2\n/c\t3\t3\t3\n").unwrap();
    state::save_to(&file, Path::new("/b"), position(9)).unwrap();
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "/a\t1\t1\t1\n/b\t9\t2\t9\t8ff34739\t10\t3\t8ff34739\n/c\t3\t3\t3\n"
    );
}

fn personal_only(path: &Path) -> GlossaryConfig {
    GlossaryConfig {
        system_dicts: false,
        builtin: false,
        personal_glossary: Some(path.to_path_buf()),
        no_cache: true,
        ..GlossaryConfig::default()
    }
}

#[test]
fn two_readers_keep_each_others_glosses() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("glossary.tsv");
    let (a, _) = Glossary::open(&personal_only(&path));
    let (b, _) = Glossary::open(&personal_only(&path));
    a.set_personal("كتاب", "book (A)", "").unwrap();
    b.set_personal("قلم", "pen (B)", "").unwrap();
    // B's save kept A's gloss, and B now sees it too.
    assert_eq!(
        b.personal_entry("كتاب"),
        Some(("book (A)".into(), String::new()))
    );
    let (again, warnings) = Glossary::open(&personal_only(&path));
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        again.personal_entry("كتاب"),
        Some(("book (A)".into(), String::new()))
    );
    assert_eq!(
        again.personal_entry("قلم"),
        Some(("pen (B)".into(), String::new()))
    );
}

#[test]
fn concurrent_gloss_saves_lose_no_gloss() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data/glossary.tsv");
    let letters = ["ب", "ت", "ث", "ج", "ح", "خ"];
    let barrier = Arc::new(Barrier::new(letters.len()));
    let threads: Vec<_> = letters
        .iter()
        .map(|&letter| {
            let config = personal_only(&path);
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let (g, _) = Glossary::open(&config);
                barrier.wait();
                for n in ["ك", "ل", "م", "ن", "س", "ع", "ف", "ق"] {
                    g.set_personal(&format!("{letter}{n}ر"), &format!("{letter}{n}"), "")
                        .unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let (g, _) = Glossary::open(&personal_only(&path));
    for letter in letters {
        for n in ["ك", "ل", "م", "ن", "س", "ع", "ف", "ق"] {
            assert_eq!(
                g.personal_entry(&format!("{letter}{n}ر")).map(|e| e.0),
                Some(format!("{letter}{n}")),
            );
        }
    }
}

#[test]
fn saving_a_gloss_keeps_every_other_line_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("glossary.tsv");
    let lines: Vec<&[u8]> = vec![
        b"# my words",
        "  قلم  \t  pen  \t note \t extra \t more".as_bytes(),
        b"caf\xe9\tcoffee in Latin-1",
        "كتاب\tbook\t\tsource: Wehr\r".as_bytes(),
        b"no tab on this line",
        b"",
        "ولد\tboy".as_bytes(),
    ];
    let before: Vec<u8> = lines.iter().flat_map(|l| [*l, b"\n"].concat()).collect();
    std::fs::write(&path, &before).unwrap();
    let (g, warnings) = Glossary::open(&personal_only(&path));
    assert_eq!(
        warnings.len(),
        2,
        "the Latin-1 line and the line without a tab: {warnings:?}"
    );
    assert_eq!(g.personal_entry("قلم"), Some(("pen".into(), "note".into())));

    g.set_personal("كتاب", "a book", "mine").unwrap();
    g.set_personal("بيت", "house", "").unwrap();
    let after = std::fs::read(&path).unwrap();
    let mut expected = before.clone();
    let old = "كتاب\tbook\t\tsource: Wehr\r".as_bytes();
    let at = expected.windows(old.len()).position(|w| w == old).unwrap();
    expected.splice(
        at..at + old.len(),
        "كتاب\ta book\tmine\tsource: Wehr\r".bytes(),
    );
    expected.extend_from_slice("بيت\thouse\t\n".as_bytes());
    assert_eq!(
        String::from_utf8_lossy(&after),
        String::from_utf8_lossy(&expected)
    );
    assert_eq!(after, expected);
}

/// Not a test on its own: in a child process started by
/// `separate_processes_lose_no_update`, saves positions and glosses as one reader would.
#[test]
fn writer_process() {
    let (Some(dir), Some(n)) = (
        std::env::var_os("QARI_TEST_WRITER_DIR"),
        std::env::var("QARI_TEST_WRITER").ok(),
    ) else {
        return;
    };
    let dir = PathBuf::from(dir);
    let n: usize = n.parse().unwrap();
    let (g, _) = Glossary::open(&personal_only(&dir.join("glossary.tsv")));
    for s in 0..20 {
        let doc = PathBuf::from(format!("/docs/process{n}/doc{s}.txt"));
        state::save_to(&dir.join("positions.tsv"), &doc, position(n * 100 + s)).unwrap();
        g.set_personal(&process_word(n, s), &format!("{n} {s}"), "")
            .unwrap();
    }
}

/// The word process `n` glosses in its save number `s`.
fn process_word(n: usize, s: usize) -> String {
    format!("{}ب{}", WORD_START[n], WORD_START[s])
}

const WORD_START: [&str; 20] = [
    "ا", "ب", "ت", "ث", "ج", "ح", "خ", "د", "ذ", "ر", "ز", "س", "ش", "ص", "ض", "ط", "ظ", "ع", "غ",
    "ف",
];

#[test]
fn separate_processes_lose_no_update() {
    let dir = tempfile::tempdir().unwrap();
    let processes = 5;
    let children: Vec<_> = (0..processes)
        .map(|n| {
            std::process::Command::new(std::env::current_exe().unwrap())
                .args(["--exact", "writer_process", "--test-threads", "1"])
                .env("QARI_TEST_WRITER_DIR", dir.path())
                .env("QARI_TEST_WRITER", n.to_string())
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let (g, warnings) = Glossary::open(&personal_only(&dir.path().join("glossary.tsv")));
    assert!(warnings.is_empty(), "{warnings:?}");
    for n in 0..processes {
        for s in 0..20 {
            let doc = PathBuf::from(format!("/docs/process{n}/doc{s}.txt"));
            let (found, _) = state::load_from(&dir.path().join("positions.tsv"), &doc);
            assert_eq!(found, Some(position(n * 100 + s)), "{}", doc.display());
            let word = process_word(n, s);
            assert_eq!(
                g.personal_entry(&word).map(|e| e.0),
                Some(format!("{n} {s}"))
            );
        }
    }
}
