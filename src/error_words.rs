//! Error messages in words: what went wrong and what to do, without the operating
//! system's error numbers ("(os error 2)"), for every message the binary prints.

use std::io;

/// `err` in words, with what to do about it.
pub fn io_error(err: &io::Error) -> String {
    use io::ErrorKind::*;
    match err.kind() {
        NotFound => "there is no such file; check the name and the directory".into(),
        PermissionDenied => "permission denied; check the file's permissions".into(),
        IsADirectory => "that is a directory; name a file in it".into(),
        InvalidData => "the data is not valid text".into(),
        Interrupted => "interrupted; try again".into(),
        NotADirectory => {
            "a part of the path that should be a directory is a file; check the path".into()
        }
        _ if err.raw_os_error() == Some(ELOOP) => {
            "a loop of symbolic links; point the link at the real file".into()
        }
        _ if err.raw_os_error() == Some(ENXIO) => {
            "there is no terminal to show the reader in; run qari in a terminal, \
             or use `qari render` to print to a pipe"
                .into()
        }
        _ => without_os_error(&err.to_string()),
    }
}

/// ENXIO, "no such device or address": what opening the terminal gives when there is
/// none (the same number on Linux, the BSDs and macOS).
const ENXIO: i32 = 6;

/// `ELOOP`, too many levels of symbolic links (io::ErrorKind::FilesystemLoop is not
/// stable yet).
#[cfg(target_os = "linux")]
const ELOOP: i32 = 40;
#[cfg(not(target_os = "linux"))]
const ELOOP: i32 = 62;

/// The whole chain of `err`, "outer: inner", each I/O error in words.
pub fn describe(err: &anyhow::Error) -> String {
    let mut text = format!("{err:#}");
    for cause in err.chain() {
        if let Some(io) = cause.downcast_ref::<io::Error>() {
            text = text.replace(&io.to_string(), &io_error(io));
        }
    }
    without_os_error(&text)
}

/// The innermost cause of `err`, which says what happened in the fewest words, without
/// the operating system's error number. For libraries whose outer messages repeat their
/// own internal names.
pub fn innermost_cause(err: &dyn std::error::Error) -> String {
    let mut last = err.to_string();
    let mut source = err.source();
    while let Some(e) = source {
        last = e.to_string();
        source = e.source();
    }
    without_os_error(&last)
}

/// `text` without the " (os error N)" that std's I/O errors end with.
pub fn without_os_error(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(" (os error ") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + " (os error ".len()..];
        let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && tail[digits..].starts_with(')') {
            rest = &tail[digits + 1..];
        } else {
            out.push_str(" (os error ");
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_error_numbers_are_dropped() {
        assert_eq!(without_os_error("gone (os error 2): x"), "gone: x");
        assert_eq!(without_os_error("a (os error x)"), "a (os error x)");
        assert_eq!(without_os_error("plain"), "plain");
    }

    #[test]
    fn io_errors_in_words() {
        let missing = std::fs::read("/no/such/qari/file").unwrap_err();
        assert!(io_error(&missing).starts_with("there is no such file"));
        let enxio = io::Error::from_raw_os_error(ENXIO);
        assert!(io_error(&enxio).contains("no terminal"));
        let err = anyhow::Error::new(missing).context("cannot read /no/such/qari/file");
        let text = describe(&err);
        assert_eq!(
            text,
            "cannot read /no/such/qari/file: there is no such file; check the name and the directory"
        );
    }
}
