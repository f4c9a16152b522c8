//! The dictionary sources against real data: FreeDict's dictd files (random access into the
//! dictzip checked against a whole inflation), the same dictionary as StarDict (built with
//! stardict-tools, checked against sdcv), the on-disk index cache, the personal glossary,
//! and broken files, which must give warnings naming the file and the place, never panics.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

use qari::glossary::source::Dictionary;
use qari::glossary::sources::dictd::DictdDictionary;
use qari::glossary::sources::stardict::StarDict;
use qari::glossary::{Glossary, GlossaryConfig, MatchKind};

const INDEX: &str = "/usr/share/dictd/freedict-ara-eng.index";
const DICT_DZ: &str = "/usr/share/dictd/freedict-ara-eng.dict.dz";

fn freedict() -> Option<(PathBuf, PathBuf)> {
    let index = common::external_file(INDEX, "the Debian package dict-freedict-ara-eng")?;
    let dz = common::external_file(DICT_DZ, "the Debian package dict-freedict-ara-eng")?;
    Some((index, dz))
}

fn config_with(dicts: Vec<PathBuf>, cache: Option<&Path>) -> GlossaryConfig {
    GlossaryConfig {
        system_dicts: false,
        builtin: false,
        personal: false,
        dicts,
        cache_dir: cache.map(Path::to_path_buf),
        no_cache: cache.is_none(),
        ..GlossaryConfig::default()
    }
}

/// Copies FreeDict's two files into `dir`, optionally cutting the .dict.dz short.
fn copy_freedict(dir: &Path, dz_len: Option<usize>) -> PathBuf {
    let index = dir.join("freedict-ara-eng.index");
    std::fs::copy(INDEX, &index).unwrap();
    let mut dz = std::fs::read(DICT_DZ).unwrap();
    if let Some(len) = dz_len {
        dz.truncate(len);
    }
    std::fs::write(dir.join("freedict-ara-eng.dict.dz"), dz).unwrap();
    index
}

#[test]
fn dictzip_random_access_matches_whole_inflation() {
    let Some((index, dz)) = freedict() else {
        return;
    };
    let mut whole = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&dz).unwrap())
        .read_to_end(&mut whole)
        .unwrap();
    let text = std::fs::read_to_string(&index).unwrap();
    let mut warnings = Vec::new();
    let entries = qari::glossary::sources::dictd::parse_index(&text, INDEX, &mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(
        entries.len() > 50_000,
        "FreeDict has {} entries",
        entries.len()
    );
    let reader = qari::glossary::sources::dictzip::Dictzip::open(&dz).unwrap();
    // Every 97th entry: spread over all chunks, some crossing chunk boundaries.
    let mut checked = 0;
    for e in entries.iter().step_by(97) {
        let got = reader.read(e.offset, e.size as u64).unwrap();
        let want = &whole[e.offset as usize..(e.offset + e.size as u64) as usize];
        assert_eq!(got, want, "entry {:?}", e.headword);
        checked += 1;
    }
    assert_eq!(reader.text_len(), Some(whole.len() as u64));
    println!("dictzip: {checked} entries read at random match the whole inflation");
}

#[test]
fn freedict_lookup_through_dictd_files() {
    let Some((index, _)) = freedict() else { return };
    let (g, warnings) = Glossary::open(&config_with(vec![index], None));
    assert!(warnings.is_empty(), "{warnings:?}");
    // وزارة is a FreeDict headword; with a clitic and harakat it is still found, by analysis.
    let exact = g.lookup("وزارة");
    assert_eq!(exact[0].kind, MatchKind::Exact);
    assert!(
        exact[0].definition.to_lowercase().contains("ministry"),
        "{exact:?}"
    );
    let analysed = g.lookup("لِوِزَارَةِ");
    let first = &analysed[0];
    assert_eq!(first.headword, "وزارة");
    assert_eq!(first.kind, MatchKind::Analysed);
    assert!(
        first.analysis.as_deref().unwrap().starts_with("ل + وزارة"),
        "{first:?}"
    );
}

/// Builds a StarDict version of FreeDict with stardict-tools' `tabfile` (its `dictd2dic`
/// writes 8-byte fields on 64-bit machines, which no reader accepts).
fn build_stardict(dir: &Path) -> Option<PathBuf> {
    let tool = common::external_file(
        "/usr/lib/stardict-tools/tabfile",
        "the Debian package stardict-tools",
    )?;
    let mut whole = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(DICT_DZ).unwrap())
        .read_to_end(&mut whole)
        .unwrap();
    let text = std::fs::read_to_string(INDEX).unwrap();
    let mut tab = String::new();
    for line in text.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(o), Some(n)) = (
            qari::glossary::sources::dictd::decode_b64(cols[1]),
            qari::glossary::sources::dictd::decode_b64(cols[2]),
        ) else {
            continue;
        };
        if cols[0].starts_with("00database") {
            continue;
        }
        let def = String::from_utf8_lossy(&whole[o as usize..(o + n) as usize]);
        let def = def.trim().replace('\\', "\\\\").replace('\n', "\\n");
        tab.push_str(&format!("{}\t{def}\n", cols[0]));
    }
    let txt = dir.join("freedict-sd.txt");
    std::fs::write(&txt, tab).unwrap();
    let out = std::process::Command::new(tool)
        .arg(&txt)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "tabfile failed: {out:?}");
    std::fs::remove_file(&txt).unwrap();
    Some(dir.join("freedict-sd.ifo"))
}

#[test]
fn stardict_agrees_with_sdcv() {
    if freedict().is_none() {
        return;
    }
    let Some(sdcv) = common::external_program("sdcv", "the Debian package sdcv") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let Some(ifo) = build_stardict(tmp.path()) else {
        return;
    };
    let mut warnings = Vec::new();
    let sd = StarDict::open(&ifo, None, &mut warnings).expect("opens");
    assert!(warnings.is_empty(), "{warnings:?}");
    let mut agreed = 0;
    for word in ["كتاب", "وزارة", "الخارجية", "حساب", "رسمي", "موقع"] {
        let out = std::process::Command::new(&sdcv)
            .args([
                "-2",
                tmp.path().to_str().unwrap(),
                "-n",
                "--utf8-output",
                "-e",
                "-j",
                word,
            ])
            .env("HOME", tmp.path())
            .output()
            .unwrap();
        let json: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
        let theirs: Vec<String> = json
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|d| d["definition"].as_str().map(|s| s.trim().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        let mut hits = Vec::new();
        sd.find(
            &qari::glossary::normalize::normalize(word),
            qari::glossary::analyze::ANY,
            &mut hits,
        );
        let ours: Vec<String> = hits.iter().map(|h| sd.definition(h.id).unwrap()).collect();
        // Normalised matching finds at least what sdcv's exact search finds (and may find
        // more: موقع also matches موقّع).
        if theirs.is_empty() {
            continue;
        }
        for t in &theirs {
            assert!(
                ours.iter().any(|d| t.contains(d.as_str())),
                "{word}: sdcv's {t:?} is not among ours {ours:?}"
            );
        }
        agreed += 1;
    }
    println!("stardict: {agreed} words agree with sdcv");
    assert!(agreed >= 4, "sdcv found only {agreed} of the test words");
}

#[test]
fn stardict_64_bit_offsets_gzipped_idx_and_synonyms() {
    if freedict().is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let Some(ifo) = build_stardict(tmp.path()) else {
        return;
    };
    let idx_path = ifo.with_extension("idx");
    let idx = std::fs::read(&idx_path).unwrap();
    let mut warnings = Vec::new();
    let words = qari::glossary::sources::stardict::parse_idx(&idx, 4, "idx", &mut warnings);
    // Rewrite with 64-bit offsets, gzip it, and add a synonym for the first word.
    let mut idx64 = Vec::new();
    for (w, o, s) in &words {
        idx64.extend_from_slice(w.as_bytes());
        idx64.push(0);
        idx64.extend_from_slice(&o.to_be_bytes());
        idx64.extend_from_slice(&s.to_be_bytes());
    }
    let ifo_text = std::fs::read_to_string(&ifo).unwrap();
    let ifo_text = ifo_text.replace(
        &format!("idxfilesize={}", idx.len()),
        &format!("idxfilesize={}\nidxoffsetbits=64", idx64.len()),
    );
    std::fs::write(&ifo, ifo_text).unwrap();
    std::fs::remove_file(&idx_path).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &idx64).unwrap();
    std::fs::write(ifo.with_extension("idx.gz"), gz.finish().unwrap()).unwrap();
    let target = words
        .iter()
        .position(|(w, _, _)| w == "وزارة")
        .expect("وزارة in FreeDict");
    let mut syn = "مِزْيَفَة".as_bytes().to_vec();
    syn.push(0);
    syn.extend_from_slice(&(target as u32).to_be_bytes());
    std::fs::write(ifo.with_extension("syn"), syn).unwrap();

    let (g, warnings) = Glossary::open(&config_with(vec![ifo], None));
    assert!(warnings.is_empty(), "{warnings:?}");
    let e = g.lookup("وزارة");
    assert!(e[0].definition.to_lowercase().contains("ministry"), "{e:?}");
    let s = g.lookup("مزيفة");
    assert_eq!(
        s[0].headword, "وزارة",
        "the synonym leads to its word: {s:?}"
    );
}

#[test]
fn index_cache_is_used_on_the_second_start_and_rebuilt_on_change() {
    if freedict().is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dicts = tmp.path().join("dicts");
    std::fs::create_dir(&dicts).unwrap();
    let index = copy_freedict(&dicts, None);
    let cache = tmp.path().join("cache");
    let open = || {
        let (g, w) = Glossary::open(&config_with(vec![index.clone()], Some(&cache)));
        assert!(w.is_empty(), "{w:?}");
        let from_cache = g.sources()[0].from_cache;
        (g, from_cache)
    };
    let (first, from_cache) = open();
    assert!(!from_cache, "nothing cached yet");
    let (second, from_cache) = open();
    assert!(from_cache, "the second start reads the cache");
    assert_eq!(first.lookup("والخارجية"), second.lookup("والخارجية"));
    // A changed index (one headword added) is parsed again.
    let mut text = std::fs::read_to_string(&index).unwrap();
    text.push_str("قاريء\tA\tB\n");
    std::fs::write(&index, text).unwrap();
    let (third, from_cache) = open();
    assert!(!from_cache, "the index changed, so it is parsed again");
    assert!(!third.lookup("قاريء").is_empty());
}

#[test]
fn personal_glossary_ranks_first_and_persists() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("qari/glossary.tsv");
    let config = GlossaryConfig {
        system_dicts: false,
        personal_glossary: Some(path.clone()),
        no_cache: true,
        ..GlossaryConfig::default()
    };
    let (g, w) = Glossary::open(&config);
    assert!(w.is_empty(), "{w:?}");
    let before = g.lookup("الخارجية");
    assert!(!before.is_empty());
    g.set_personal(
        "الخارجية",
        "the State Department (in this article)",
        "US usage",
    )
    .unwrap();
    let after = g.lookup("والخارجية");
    assert_eq!(after[0].source, "personal");
    assert_eq!(after[0].kind, MatchKind::Personal);
    assert!(after[0].definition.starts_with("the State Department"));
    g.set_personal("الخارجية", "foreign ministry", "").unwrap();
    let (again, w) = Glossary::open(&config);
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(
        again.personal_entry("الخارجيه"),
        Some(("foreign ministry".into(), String::new()))
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 1);
}

#[test]
fn bad_line_in_personal_glossary_is_named_and_the_rest_works() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("glossary.tsv");
    std::fs::write(
        &path,
        "# mine\nكتاب\tbook\t\nno tab on this line\nقلم\tpen\tnote\n",
    )
    .unwrap();
    let config = GlossaryConfig {
        system_dicts: false,
        personal_glossary: Some(path.clone()),
        no_cache: true,
        ..GlossaryConfig::default()
    };
    let (g, w) = Glossary::open(&config);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].source, path.display().to_string());
    assert_eq!(w[0].place.as_deref(), Some("line 3"));
    assert_eq!(g.lookup("قلم")[0].definition, "pen\nnote");
    // Saving keeps the line it could not read.
    g.set_personal("كتاب", "a book", "").unwrap();
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("no tab on this line")
    );
}

#[test]
fn truncated_dictzip_warns_and_other_sources_keep_working() {
    if freedict().is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let half = std::fs::metadata(DICT_DZ).unwrap().len() as usize / 2;
    let index = copy_freedict(tmp.path(), Some(half));
    let config = GlossaryConfig {
        builtin: true,
        ..config_with(vec![index], None)
    };
    let (g, w) = Glossary::open(&config);
    let dz = tmp
        .path()
        .join("freedict-ara-eng.dict.dz")
        .display()
        .to_string();
    assert!(
        w.iter()
            .any(|w| w.source == dz && w.message.contains("truncated")),
        "{w:?}"
    );
    // Every word of the seed article: no panic, built-in entries still come, and entries in
    // the lost chunks give warnings naming the file and the entry.
    let article = common::seed_article().unwrap_or_else(|| "والخارجية الأميركية وزارة".into());
    let mut lost = 0;
    let mut found = 0;
    for word in qari::glossary::normalize::arabic_words(&article) {
        let r = g.lookup_detailed(word);
        found += usize::from(!r.entries.is_empty());
        for warning in &r.warnings {
            assert_eq!(warning.source, dz);
            assert!(
                warning.place.as_deref().unwrap_or("").starts_with("entry"),
                "{warning}"
            );
            lost += 1;
        }
    }
    assert!(found > 0);
    assert!(lost > 0, "some FreeDict entries lie in the lost half");
    println!("truncated .dict.dz: {found} words still found, {lost} entries reported lost");
}

#[test]
fn broken_index_ifo_and_idx_are_named() {
    if freedict().is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    // A malformed .index line.
    let d1 = tmp.path().join("a");
    std::fs::create_dir(&d1).unwrap();
    let index = copy_freedict(&d1, None);
    let mut text = std::fs::read_to_string(&index).unwrap();
    text.insert_str(0, "كتاب\tnot-base64!\tB\nonly one column\n");
    std::fs::write(&index, text).unwrap();
    let mut w = Vec::new();
    let d = DictdDictionary::open(&index, None, &mut w).expect("still opens");
    assert!(!d.is_empty());
    assert_eq!(w.len(), 2, "{w:?}");
    assert_eq!(w[0].place.as_deref(), Some("line 1"));
    assert_eq!(w[1].place.as_deref(), Some("line 2"));
    assert_eq!(w[0].source, index.display().to_string());

    // A malformed .ifo, and a StarDict whose .idx points past the end of its .dict.
    let d2 = tmp.path().join("b");
    std::fs::create_dir(&d2).unwrap();
    std::fs::write(
        d2.join("x.ifo"),
        "StarDict's dict ifo file\nversion=2.4.2\nbookname=x\n",
    )
    .unwrap();
    std::fs::write(d2.join("x.idx"), b"").unwrap();
    std::fs::write(d2.join("x.dict"), b"").unwrap();
    let d3 = tmp.path().join("c");
    std::fs::create_dir(&d3).unwrap();
    let mut idx = Vec::new();
    for (word, off, size) in [("كتاب", 0u32, 4u32), ("قلم", 4, 3), ("بيت", 1000, 5)] {
        idx.extend_from_slice(word.as_bytes());
        idx.push(0);
        idx.extend_from_slice(&off.to_be_bytes());
        idx.extend_from_slice(&size.to_be_bytes());
    }
    std::fs::write(
        d3.join("y.ifo"),
        format!("StarDict's dict ifo file\nversion=2.4.2\nwordcount=3\nidxfilesize={}\nbookname=y\nsametypesequence=m\n", idx.len()),
    )
    .unwrap();
    std::fs::write(d3.join("y.idx"), &idx).unwrap();
    std::fs::write(d3.join("y.dict"), b"bookpen").unwrap();

    let config = GlossaryConfig {
        builtin: true,
        ..config_with(vec![d2.join("x.ifo"), d3.join("y.ifo")], None)
    };
    let (g, w) = Glossary::open(&config);
    let ifo = d2.join("x.ifo").display().to_string();
    assert!(
        w.iter()
            .any(|w| w.source == ifo && w.message.contains("wordcount")),
        "{w:?}"
    );
    let y_idx = d3.join("y.idx").display().to_string();
    assert!(
        w.iter()
            .any(|w| w.source == y_idx && w.place.as_deref() == Some("entry \"بيت\"")),
        "{w:?}"
    );
    assert_eq!(
        g.lookup("كتاب")
            .iter()
            .find(|e| e.source == "y")
            .unwrap()
            .definition,
        "book"
    );
    assert!(g.lookup("بيت").iter().all(|e| e.source != "y"));
}

#[test]
fn cached_inflated_text_is_used_and_a_broken_one_is_ignored() {
    if freedict().is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dicts = tmp.path().join("dicts");
    std::fs::create_dir(&dicts).unwrap();
    let index = copy_freedict(&dicts, None);
    let cache = tmp.path().join("cache");
    let open = || {
        let (g, w) = Glossary::open(&config_with(vec![index.clone()], Some(&cache)));
        assert!(w.is_empty(), "{w:?}");
        g
    };
    let word = "والخارجية";
    let first = open().lookup(word);
    assert!(!first.is_empty());
    let text_files: Vec<_> = std::fs::read_dir(cache.join("index"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains("-text-"))
        .collect();
    assert_eq!(text_files.len(), 1, "{text_files:?}");
    assert_eq!(open().lookup(word), first, "from the cached text");
    // Cut short: the chunks are inflated instead, with the same result.
    let bytes = std::fs::read(&text_files[0]).unwrap();
    std::fs::write(&text_files[0], &bytes[..bytes.len() / 2]).unwrap();
    assert_eq!(open().lookup(word), first, "from the chunks");
}
