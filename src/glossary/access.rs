//! Why a dictionary file or directory cannot be used, in words that name the real cause
//! and what to do: a missing file, a permission, a loop of symbolic links are different
//! problems with different cures.

use std::io::ErrorKind;
use std::path::Path;

/// What is wrong with `err`, met on a dictionary file or directory, and what to do.
pub fn explain(err: &std::io::Error, is_dir: bool) -> String {
    let what = if is_dir {
        "this directory"
    } else {
        "this file"
    };
    match err.kind() {
        ErrorKind::NotFound => "no such file or directory; check the path".to_string(),
        ErrorKind::PermissionDenied => format!(
            "permission denied: {what}, or a directory on its path, is not readable by you; \
             check the permissions (ls -ld)"
        ),
        // A loop of links, a file where a directory should be, and the rest: the
        // words every message uses.
        _ => format!("cannot read {what}: {}", crate::error_words::io_error(err)),
    }
}

/// Why the dictionary file `path` cannot be read, or `None` when it can (or when it is
/// not a regular file, which the loaders judge).
pub fn file_problem(path: &Path) -> Option<String> {
    match std::fs::metadata(path) {
        Err(e) => Some(explain(&e, false)),
        // Opening a FIFO would block: only regular files are tried here.
        Ok(meta) if meta.is_file() => std::fs::File::open(path).err().map(|e| explain(&e, false)),
        Ok(_) => None,
    }
}

/// Why the directory `dir` cannot be listed, or `None` when it can.
pub fn dir_problem(dir: &Path) -> Option<String> {
    std::fs::read_dir(dir).err().map(|e| explain(&e, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(unix)]
    fn each_cause_has_its_own_words() {
        let denied = explain(&ErrorKind::PermissionDenied.into(), true);
        assert!(
            denied.starts_with("permission denied: this directory"),
            "{denied}"
        );
        let missing = explain(&ErrorKind::NotFound.into(), false);
        assert!(missing.starts_with("no such file"), "{missing}");
        let tmp = tempfile::tempdir().unwrap();
        let link = tmp.path().join("loop.index");
        std::os::unix::fs::symlink(&link, &link).unwrap();
        let looped = file_problem(&link).unwrap();
        assert!(looped.contains("loop of symbolic links"), "{looped}");
        assert_eq!(
            file_problem(&tmp.path().join("none.index")).unwrap(),
            missing
        );
        assert_eq!(dir_problem(tmp.path()), None);
    }
}
