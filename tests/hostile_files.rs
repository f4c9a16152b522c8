//! Hostile files are bounded: decompression bombs are refused, lengths and offsets from
//! files are checked, special files (FIFOs, devices) are refused instead of blocking, the
//! index cache detects corruption, and keymaps cannot make loading slow. Every dictionary
//! here is written by the test itself.

use std::io::Write;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use flate2::{Compress, Compression, FlushCompress};
use qari::glossary::Warning;
use qari::glossary::index_cache;
use qari::glossary::source::{Dictionary, KeyIndex};
use qari::glossary::sources::dictd::DictdDictionary;
use qari::glossary::sources::dictzip::Dictzip;
use qari::glossary::sources::stardict::StarDict;
use qari::keymap::Keymap;

/// dictd's base64 numbers, most significant digit first.
fn b64(mut n: u64) -> String {
    const DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 64) as usize]);
        n /= 64;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap()
}

const WORDS: &[(&str, &str)] = &[
    ("بيت", "house, home"),
    ("كتاب", "book"),
    ("قلم", "pen"),
    ("مدرسة", "school"),
    ("ولد", "boy, child"),
];

/// The text of a dictd dictionary and its `.index`.
fn dictd_parts() -> (String, String) {
    let (mut text, mut index) = (String::new(), String::new());
    for (word, def) in WORDS {
        let body = format!("{word}\n{def}\n");
        index.push_str(&format!(
            "{word}\t{}\t{}\n",
            b64(text.len() as u64),
            b64(body.len() as u64)
        ));
        text.push_str(&body);
    }
    (text, index)
}

/// Raw deflate of `data`, ended with a full flush (a dictzip chunk) or finished.
fn deflate(data: &[u8], finish: bool) -> Vec<u8> {
    let mut c = Compress::new(Compression::default(), false);
    let mut out = Vec::with_capacity(data.len() + 1024);
    let flush = if finish {
        FlushCompress::Finish
    } else {
        FlushCompress::Full
    };
    loop {
        if out.capacity() - out.len() < 1024 {
            out.reserve(64 << 10);
        }
        let consumed = c.total_in() as usize;
        let status = c.compress_vec(&data[consumed..], &mut out, flush).unwrap();
        if c.total_in() as usize == data.len()
            && (status == flate2::Status::StreamEnd || (!finish && out.len() < out.capacity()))
        {
            return out;
        }
    }
}

/// A dictzip file whose chunks are `chunks` (raw deflate data each), with chunk length
/// `chunk_len` and trailer ISIZE `isize`.
fn dictzip_file(chunk_len: u16, chunks: &[Vec<u8>], isize: u32, fhcrc: bool) -> Vec<u8> {
    let mut field = Vec::new();
    field.extend_from_slice(&1u16.to_le_bytes());
    field.extend_from_slice(&chunk_len.to_le_bytes());
    field.extend_from_slice(&(chunks.len() as u16).to_le_bytes());
    for c in chunks {
        field.extend_from_slice(&(c.len() as u16).to_le_bytes());
    }
    let mut extra = b"RA".to_vec();
    extra.extend_from_slice(&(field.len() as u16).to_le_bytes());
    extra.extend_from_slice(&field);
    let flags = 0x04 | if fhcrc { 0x02 } else { 0 };
    let mut out = vec![0x1f, 0x8b, 8, flags, 0, 0, 0, 0, 0, 3];
    out.extend_from_slice(&(extra.len() as u16).to_le_bytes());
    out.extend_from_slice(&extra);
    if fhcrc {
        // The header ends here: the file is cut before its header CRC.
        return out;
    }
    for c in chunks {
        out.extend_from_slice(c);
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&isize.to_le_bytes());
    out
}

/// A well-formed dictzip of `text` in chunks of `chunk_len` bytes.
fn dictzip_of(text: &[u8], chunk_len: usize) -> Vec<u8> {
    let pieces: Vec<&[u8]> = text.chunks(chunk_len).collect();
    let chunks: Vec<Vec<u8>> = pieces
        .iter()
        .enumerate()
        .map(|(i, p)| deflate(p, i + 1 == pieces.len()))
        .collect();
    dictzip_file(chunk_len as u16, &chunks, text.len() as u32, false)
}

fn messages(warnings: &[Warning]) -> String {
    warnings
        .iter()
        .map(|w| format!("{w}"))
        .collect::<Vec<_>>()
        .join("\n")
}

// ---- 1. decompression bombs ----

#[test]
fn a_dictzip_chunk_that_inflates_past_its_length_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.dict.dz");
    // One chunk of 100 bytes declared; it inflates to 4 MiB.
    let bomb = deflate(&vec![b'a'; 4 << 20], true);
    std::fs::write(&path, dictzip_file(100, &[bomb], 100, false)).unwrap();
    let dz = Dictzip::open(&path).unwrap();
    let err = dz.read(0, 50).unwrap_err().to_string();
    assert!(
        err.contains("chunk 0 inflates to more than the chunk length of 100 bytes"),
        "{err}"
    );
}

#[test]
fn a_gzip_dict_that_inflates_past_its_trailer_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.dict.dz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(&vec![b'a'; 8 << 20]).unwrap();
    let mut bytes = gz.finish().unwrap();
    // The trailer says 64 bytes; the data inflates to 8 MiB.
    let at = bytes.len() - 4;
    bytes[at..].copy_from_slice(&64u32.to_le_bytes());
    std::fs::write(&path, bytes).unwrap();
    let dz = Dictzip::open(&path).unwrap();
    let err = dz.read(0, 10).unwrap_err().to_string();
    assert!(err.contains("inflates to more than 64 bytes"), "{err}");
}

/// A StarDict dictionary in `dir`: `.ifo` with `ifo_extra` lines, `.idx` (or `.idx.gz`
/// when `gz`), `.dict`. Returns the `.ifo`.
fn stardict(dir: &Path, idx: &[u8], idxfilesize: usize, bits64: bool, gz: bool) -> PathBuf {
    let ifo = dir.join("t.ifo");
    let bits = if bits64 { "idxoffsetbits=64\n" } else { "" };
    std::fs::write(
        &ifo,
        format!(
            "StarDict's dict ifo file\nversion=3.0.0\nbookname=t\nwordcount=1\n\
             idxfilesize={idxfilesize}\nsametypesequence=m\n{bits}"
        ),
    )
    .unwrap();
    if gz {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(idx).unwrap();
        std::fs::write(dir.join("t.idx.gz"), enc.finish().unwrap()).unwrap();
    } else {
        std::fs::write(dir.join("t.idx"), idx).unwrap();
    }
    std::fs::write(dir.join("t.dict"), b"a book").unwrap();
    ifo
}

fn idx_record(word: &str, offset: u64, size: u32, bits64: bool) -> Vec<u8> {
    let mut r = word.as_bytes().to_vec();
    r.push(0);
    if bits64 {
        r.extend_from_slice(&offset.to_be_bytes());
    } else {
        r.extend_from_slice(&(offset as u32).to_be_bytes());
    }
    r.extend_from_slice(&size.to_be_bytes());
    r
}

#[test]
fn an_idx_gz_that_inflates_past_idxfilesize_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let record = idx_record("كتاب", 0, 6, false);
    let mut idx = record.clone();
    idx.extend(std::iter::repeat_n(0u8, 16 << 20));
    let ifo = stardict(dir.path(), &idx, record.len(), false, true);
    let mut w = Vec::new();
    let d = StarDict::open(&ifo, None, &mut w);
    assert!(d.is_none(), "a bomb must not open");
    let text = messages(&w);
    assert!(
        text.contains("t.idx.gz") && text.contains("idxfilesize="),
        "{text}"
    );
    // An honest .idx.gz opens.
    let dir = tempfile::tempdir().unwrap();
    let ifo = stardict(dir.path(), &record, record.len(), false, true);
    let mut w = Vec::new();
    let d = StarDict::open(&ifo, None, &mut w).expect("opens");
    assert_eq!(d.len(), 1, "{w:?}");
}

// ---- 2. checked arithmetic ----

#[test]
fn stardict_offsets_near_two_to_the_64_are_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let mut idx = idx_record("كتاب", u64::MAX - 2, 6, true);
    idx.extend(idx_record("قلم", 0, 6, true));
    let ifo = stardict(dir.path(), &idx, idx.len(), true, false);
    let mut w = Vec::new();
    let d = StarDict::open(&ifo, None, &mut w).expect("opens");
    assert_eq!(d.len(), 1, "the good entry stays");
    let text = messages(&w);
    assert!(
        text.contains("t.idx") && text.contains("\"كتاب\"") && text.contains("past any file's end"),
        "{text}"
    );
}

#[test]
fn a_cached_offset_near_two_to_the_64_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let (text, _) = dictd_parts();
    let index = dir.path().join("t.index");
    std::fs::write(&index, "كتاب\tA\tC\n").unwrap();
    std::fs::write(dir.path().join("t.dict"), &text).unwrap();
    let cache = dir.path().join("cache");
    let dict = dir.path().join("t.dict");
    let stamped = [index.as_path(), dict.as_path()];
    let hostile = KeyIndex::from_entries(vec![KeyIndex::entry("كتاب", u64::MAX - 1, 5)]);
    index_cache::store(&cache, "dictd", &stamped, &hostile).unwrap();
    let mut w = Vec::new();
    let d = DictdDictionary::open(&index, Some(&cache), &mut w).expect("opens");
    assert!(d.from_cache);
    assert_eq!(d.len(), 0);
    assert!(messages(&w).contains("past any file's end"), "{w:?}");
}

#[test]
fn a_dictzip_header_cut_before_its_crc_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.dict.dz");
    std::fs::write(&path, dictzip_file(100, &[vec![0; 10]], 100, true)).unwrap();
    let dz = Dictzip::open(&path).unwrap();
    let err = dz.check().unwrap_err().to_string();
    assert!(err.contains("truncated"), "{err}");
    assert!(dz.read(0, 5).is_err());
    assert_eq!(dz.text_len(), None);
}

// ---- 3. special files ----

/// Runs `cmd`, killing it if it has not finished after a minute (a hang is the fault
/// these tests look for; the bound is far above any normal run).
fn run_bounded(cmd: &mut Command) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            panic!(
                "qari hung and was killed; stderr: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

fn qari(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_qari"));
    for var in [
        "QARI_CONFIG_DIR",
        "QARI_STATE_DIR",
        "QARI_CACHE_DIR",
        "QARI_DATA_DIR",
    ] {
        c.env(var, home);
    }
    c
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn fifos_named_as_dictionaries_are_refused_not_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    // The other files of each dictionary are there, so the FIFO is what gets read.
    for (name, bytes) in [
        ("d.dict", &b"x"[..]),
        ("s.idx", b"x\0\0\0\0\0\0\0\0\x01"),
        ("s.dict", b"x"),
    ] {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    for name in ["d.index", "s.ifo", "g.tsv"] {
        let fifo = dir.path().join(name);
        mkfifo(&fifo);
        let out = run_bounded(
            qari(dir.path())
                .args(["lookup", "--no-system-dicts", "--no-builtin", "--dict"])
                .arg(&fifo)
                .arg("كتاب"),
        );
        let err = stderr(&out);
        assert!(err.contains(name) && err.contains("FIFO"), "{name}: {err}");
    }
    // A directory scan skips a FIFO named like a dictionary.
    let out = run_bounded(
        qari(dir.path())
            .args(["lookup", "--no-system-dicts", "--no-builtin", "--dict"])
            .arg(dir.path())
            .arg("كتاب"),
    );
    assert!(!stderr(&out).contains("FIFO"), "{}", stderr(&out));
}

#[test]
fn a_fifo_as_the_personal_glossary_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("glossary.tsv"));
    let out =
        run_bounded(qari(dir.path()).args(["lookup", "--no-system-dicts", "--no-builtin", "كتاب"]));
    let err = stderr(&out);
    assert!(
        err.contains("glossary.tsv") && err.contains("FIFO"),
        "{err}"
    );
}

#[test]
fn devices_and_fifos_as_render_input_keymap_or_config_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("article.txt");
    mkfifo(&fifo);
    for input in [Path::new("/dev/zero"), fifo.as_path()] {
        let out = run_bounded(qari(dir.path()).arg("render").arg(input));
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert!(err.contains("not a regular file"), "{err}");
        // The reader refuses it before touching the terminal.
        let out = run_bounded(qari(dir.path()).arg(input));
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stderr(&out).contains("not a regular file"),
            "{}",
            stderr(&out)
        );
    }
    let out = run_bounded(
        qari(dir.path())
            .args(["--keymap", "/dev/zero"])
            .arg(dir.path().join("none.txt")),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("/dev/zero: it is a character device"));
    let conf = tempfile::tempdir().unwrap();
    mkfifo(&conf.path().join("config.toml"));
    let out = run_bounded(qari(conf.path()).arg(conf.path().join("none.txt")));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("config.toml: cannot read: it is a FIFO"));
    let conf = tempfile::tempdir().unwrap();
    mkfifo(&conf.path().join("keymap.toml"));
    let out = run_bounded(qari(conf.path()).arg(conf.path().join("none.txt")));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("keymap.toml: it is a FIFO"),
        "{}",
        stderr(&out)
    );
}

// ---- 4. the index cache's checksum ----

/// Opens the dictd dictionary at `index` with `cache` and returns each word's definition.
fn definitions(index: &Path, cache: &Path) -> (bool, Vec<String>) {
    let mut w = Vec::new();
    let d = DictdDictionary::open(index, Some(cache), &mut w).expect("opens");
    let mut out = Vec::new();
    for (word, _) in WORDS {
        let mut hits = Vec::new();
        d.find(
            &qari::glossary::normalize::normalize(word),
            qari::glossary::analyze::ANY,
            &mut hits,
        );
        assert_eq!(hits.len(), 1, "{word}: {hits:?}");
        out.push(d.definition(hits[0].id).unwrap());
    }
    (d.from_cache, out)
}

#[test]
fn every_byte_flip_in_the_index_cache_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let (text, index_text) = dictd_parts();
    let index = dir.path().join("t.index");
    std::fs::write(&index, &index_text).unwrap();
    // Chunks of 16 bytes, so that the definitions span several.
    std::fs::write(
        dir.path().join("t.dict.dz"),
        dictzip_of(text.as_bytes(), 16),
    )
    .unwrap();
    let cache = dir.path().join("cache");
    let (from_cache, expected) = definitions(&index, &cache);
    assert!(!from_cache);
    let (from_cache, again) = definitions(&index, &cache);
    assert!(from_cache, "the second start reads the cache");
    assert_eq!(again, expected);
    let files: Vec<PathBuf> = std::fs::read_dir(cache.join("index"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 2, "the index and the inflated text: {files:?}");
    let originals: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    let mut flips = 0;
    for (file, original) in files.iter().zip(&originals) {
        let is_index = !file.to_string_lossy().contains("-text-");
        for at in 0..original.len() {
            for (f, o) in files.iter().zip(&originals) {
                std::fs::write(f, o).unwrap();
            }
            let mut bytes = original.clone();
            bytes[at] ^= 0xff;
            std::fs::write(file, &bytes).unwrap();
            let (from_cache, got) = definitions(&index, &cache);
            assert_eq!(got, expected, "flip at byte {at} of {}", file.display());
            if is_index {
                assert!(
                    !from_cache,
                    "flip at byte {at} of {} not detected",
                    file.display()
                );
            }
            flips += 1;
        }
    }
    assert!(flips > 200, "{flips}");
}

// ---- 5. keymap bounds ----

#[test]
fn a_very_long_key_sequence_is_refused() {
    let keys = vec!["\"j\""; 10_000].join(", ");
    let text = format!(
        "keys = [\n{{ on = \"q\", run = \"quit\" }},\n{{ on = [{keys}], run = \"scroll_down\" }},\n]\n"
    );
    let err = Keymap::from_toml("long.toml", &text)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(
            "long.toml:3: a key sequence of 10000 keys is too long: give at most 8 keys"
        ),
        "{}",
        &err[..err.len().min(300)]
    );
    // Eight keys are fine.
    let keys = ["\"j\""; 8].join(", ");
    let text = format!(
        "keys = [{{ on = \"q\", run = \"quit\" }}, {{ on = [{keys}], run = \"scroll_down\" }}]"
    );
    assert!(Keymap::from_toml("ok.toml", &text).is_ok());
}

#[test]
fn a_huge_keymap_name_gets_a_short_message() {
    let name = "x".repeat(200_000);
    let err = Keymap::load(&name, None).unwrap_err().to_string();
    assert!(err.len() < 300, "{} bytes", err.len());
    assert!(err.contains("(200000 characters)"), "{err}");
    // A typo still gets its suggestion.
    let err = Keymap::load("vmi", None).unwrap_err().to_string();
    assert!(err.contains("did you mean \"vim\""), "{err}");
}

#[test]
fn a_fifo_as_the_positions_file_is_neither_read_nor_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("positions.tsv");
    mkfifo(&fifo);
    let doc = dir.path().join("doc.txt");
    // Loading and saving run on a thread: before, reading the FIFO blocked for ever.
    let (tx, rx) = std::sync::mpsc::channel();
    let (f, d) = (fifo.clone(), doc.clone());
    std::thread::spawn(move || {
        let loaded = qari::state::load_from(&f, &d);
        let position = qari::state::SavedPosition::Bytes {
            top_offset: 1,
            top_line: 0,
            cursor_offset: 1,
        };
        let saved = qari::state::save_to(&f, &d, position).map_err(|e| e.to_string());
        let _ = tx.send((loaded, saved));
    });
    let ((found, warnings), saved) = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the positions file was read as if it were a regular file");
    assert_eq!(found, None);
    assert!(warnings.iter().any(|w| w.contains("FIFO")), "{warnings:?}");
    let err = saved.expect_err("a save over a FIFO must fail, not replace it");
    assert!(err.contains("FIFO"), "{err}");
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo(),
        "the FIFO was replaced"
    );
}
