//! What the user wrote survives: reading positions and personal glosses saved by several
//! writers at once are all kept, and lines qari cannot read are kept byte for byte.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};

use qari::state::{self, SavedPosition};

fn position(n: usize) -> SavedPosition {
    SavedPosition {
        top_offset: n,
        top_line: n % 7,
        cursor_offset: n + 1,
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
        Some(SavedPosition {
            top_offset: 100,
            top_line: 2,
            cursor_offset: 104
        })
    );

    state::save_to(&file, Path::new("/new.txt"), position(5)).unwrap();
    let after = std::fs::read(&file).unwrap();
    assert!(
        after.starts_with(&before),
        "{:?}",
        String::from_utf8_lossy(&after)
    );
    assert_eq!(&after[before.len()..], b"/new.txt\t5\t5\t6\n");
}

#[test]
fn a_position_is_replaced_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("positions.tsv");
    std::fs::write(&file, "/a\t1\t1\t1\n/b\t2\t2\t2\n/c\t3\t3\t3\n").unwrap();
    state::save_to(&file, Path::new("/b"), position(9)).unwrap();
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "/a\t1\t1\t1\n/b\t9\t2\t10\n/c\t3\t3\t3\n"
    );
}
