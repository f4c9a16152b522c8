//! Bytes to text: the second stage of the document pipeline (source -> **decode** ->
//! format). Finds the encoding (a byte-order mark, the name the user or the server gave,
//! valid UTF-8, or a guess by `chardetng` among the legacy encodings such as
//! Windows-1256 and ISO-8859-6), decodes with `encoding_rs`, and refuses binary data.
//!
//! Promises: never panics on any input; bytes that do not decode become U+FFFD and
//! leave one warning; binary input (a NUL byte outside UTF-16, or text that is mostly
//! controls and undecodable bytes) is an error, never text.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};
use thiserror::Error;

/// Decoded text and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The encoding's name, as encoding_rs spells it ("UTF-8", "windows-1256").
    pub encoding: &'static str,
    /// Problems met while decoding (bad byte sequences), for the status bar or stderr.
    pub warnings: Vec<String>,
}

/// Why bytes could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    #[error("it looks like binary data ({0}); qari opens text, Markdown, HTML and EPUB files")]
    Binary(String),
    #[error(
        "{0:?} is not an encoding qari knows; try utf-8, utf-16le, utf-16be, windows-1256 or iso-8859-6"
    )]
    UnknownEncoding(String),
}

/// The encoding a label names ("cp1256", "windows-1256", "utf-16le", ...), if any.
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding, DecodeError> {
    let trimmed = label.trim();
    let lower = trimmed.to_ascii_lowercase();
    let alias = match lower.as_str() {
        "cp1256" => "windows-1256",
        "utf16le" => "utf-16le",
        "utf16be" => "utf-16be",
        "utf8" => "utf-8",
        other => other,
    };
    Encoding::for_label(alias.as_bytes()).ok_or_else(|| DecodeError::UnknownEncoding(label.into()))
}

/// How many bytes the binary check and the encoding guess look at.
const PROBE: usize = 1 << 20;

/// Decodes `bytes`. `forced` (`--encoding`) wins over everything; `declared` (an HTTP
/// charset or a `<meta>` one) is used when there is no byte-order mark.
pub fn decode(
    bytes: Vec<u8>,
    forced: Option<&'static Encoding>,
    declared: Option<&'static Encoding>,
) -> Result<Decoded, DecodeError> {
    let bom = Encoding::for_bom(&bytes);
    let mut guessed = false;
    let encoding = match (forced, bom) {
        (Some(encoding), _) => encoding,
        (None, Some((encoding, _))) => encoding,
        (None, None) => {
            if let Some(offset) = memchr::memchr(0, &bytes[..bytes.len().min(PROBE)]) {
                return Err(DecodeError::Binary(format!(
                    "a NUL byte at offset {offset}"
                )));
            }
            declared.unwrap_or_else(|| {
                let encoding = guess(&bytes);
                guessed = encoding != UTF_8;
                encoding
            })
        }
    };
    let utf16 = encoding == UTF_16LE || encoding == UTF_16BE;
    if !utf16 && let Some(offset) = memchr::memchr(0, &bytes[..bytes.len().min(PROBE)]) {
        return Err(DecodeError::Binary(format!(
            "a NUL byte at offset {offset}"
        )));
    }
    // With a BOM of its own encoding the BOM is skipped; a forced encoding decodes
    // every byte as it is told, except a BOM of that same encoding.
    let skip = match bom {
        Some((bom_encoding, len)) if bom_encoding == encoding => len,
        _ => 0,
    };
    let (text, had_errors) = if encoding == UTF_8 {
        // UTF-8 is taken as it is, without a copy: large files are mostly UTF-8.
        let mut bytes = bytes;
        bytes.drain(..skip);
        match String::from_utf8(bytes) {
            Ok(text) => (text, false),
            Err(err) => (String::from_utf8_lossy(err.as_bytes()).into_owned(), true),
        }
    } else {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[skip..]);
        (text.into_owned(), had_errors)
    };
    refuse_binary(&text)?;
    let mut warnings = Vec::new();
    // A guess can be wrong: say which encoding was taken, and how to choose another.
    if guessed {
        warnings.push(format!(
            "not UTF-8; read as {}, the encoding it looks like (--encoding NAME chooses another)",
            encoding.name()
        ));
    }
    if had_errors {
        let bad = text.chars().filter(|&c| c == '\u{FFFD}').count();
        warnings.push(format!(
            "{bad} byte sequence{} did not decode as {}; shown as \u{FFFD}",
            if bad == 1 { "" } else { "s" },
            encoding.name()
        ));
    }
    Ok(Decoded {
        text,
        encoding: encoding.name(),
        warnings,
    })
}

/// The encoding of bytes with no BOM and no declared charset: UTF-8 when they are UTF-8
/// (or mostly: bad bytes in otherwise UTF-8 text stay UTF-8, with a warning), else
/// chardetng's guess among the legacy encodings.
fn guess(bytes: &[u8]) -> &'static Encoding {
    let probe = &bytes[..bytes.len().min(PROBE)];
    let (mut good, mut bad) = (0usize, 0usize);
    for chunk in probe.utf8_chunks() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            bad += 1;
        }
    }
    // A cut at the end of the probe is not a bad sequence.
    if probe.len() < bytes.len() && bad > 0 {
        bad -= 1;
    }
    // Legacy Arabic text makes an invalid sequence of nearly every pair of letters, and
    // a valid one only by chance: text with as many valid sequences as bad ones is UTF-8.
    if bad == 0 || good >= bad {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(probe, probe.len() == bytes.len());
    detector.guess(None, chardetng::Utf8Detection::Deny)
}

/// Refuses text with more than 5% controls and undecodable bytes: binary data that
/// happens to have no NUL byte (text holds next to none).
fn refuse_binary(text: &str) -> Result<(), DecodeError> {
    let mut total = 0usize;
    let mut odd = 0usize;
    for c in text.chars().take(PROBE) {
        total += 1;
        // ESC and BEL come with escape sequences, which text (a log with colours, a
        // hostile article) may hold: they are made inert later, not taken for binary.
        // C1 controls are what ISO-8859 encodings make of bytes 0x80-0x9F, and what
        // escape sequences in UTF-8 hold; only C0 controls and DEL count.
        let control = matches!(c, '\0'..='\u{1F}' | '\u{7F}')
            && !matches!(c, '\t' | '\n' | '\r' | '\u{0C}' | '\u{07}' | '\u{1B}');
        if control || c == '\u{FFFD}' {
            odd += 1;
        }
    }
    if total >= 16 && odd * 20 > total {
        return Err(DecodeError::Binary(format!(
            "{}% of its characters are controls or bytes that do not decode",
            odd * 100 / total
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{ISO_8859_6, WINDOWS_1256};

    const ARABIC: &str = "تم – الرياض : نشب شجار بين حساب رسمي تابع لوزارة الخارجية الأميركية، وأحد عناصر تنظيم داعش عبر موقع التواصل الاجتماعي";

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode(ARABIC.as_bytes().to_vec(), None, None).unwrap();
        assert_eq!(plain.text, ARABIC);
        assert_eq!(plain.encoding, "UTF-8");
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(ARABIC.as_bytes());
        assert_eq!(decode(bom, None, None).unwrap().text, ARABIC);
    }

    #[test]
    fn utf16_with_a_bom_is_not_binary() {
        for (encoding, bom) in [(UTF_16LE, [0xFF, 0xFE]), (UTF_16BE, [0xFE, 0xFF])] {
            let mut bytes = bom.to_vec();
            for unit in ARABIC.encode_utf16() {
                let pair = if encoding == UTF_16LE {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                };
                bytes.extend_from_slice(&pair);
            }
            let decoded = decode(bytes.to_vec(), None, None).unwrap();
            assert_eq!(decoded.text, ARABIC, "{}", encoding.name());
            assert!(decoded.warnings.is_empty());
        }
    }

    #[test]
    fn legacy_arabic_encodings_are_guessed() {
        for encoding in [WINDOWS_1256, ISO_8859_6] {
            // ISO-8859-6 has no en dash.
            let text = ARABIC.replace('–', "-");
            let (bytes, _, unmappable) = encoding.encode(&text);
            assert!(!unmappable);
            let decoded = decode(bytes.to_vec(), None, None).unwrap();
            assert_eq!(decoded.encoding, encoding.name());
            assert_eq!(decoded.text, text);
            assert!(decoded.warnings[0].contains(&format!("read as {}", encoding.name())));
        }
    }

    #[test]
    fn a_forced_encoding_wins() {
        let (bytes, _, _) = WINDOWS_1256.encode(ARABIC);
        let forced = encoding_for_label("cp1256").unwrap();
        assert_eq!(
            decode(bytes.to_vec(), Some(forced), None).unwrap().text,
            ARABIC
        );
        assert!(encoding_for_label("klingon").is_err());
    }

    #[test]
    fn bad_utf8_is_replaced_with_a_warning() {
        let mut bytes = ARABIC.as_bytes().to_vec();
        bytes.insert(ARABIC.find(" ").unwrap(), 0xFF);
        let decoded = decode(bytes.to_vec(), None, None).unwrap();
        assert_eq!(decoded.encoding, "UTF-8");
        assert_eq!(decoded.text.matches('\u{FFFD}').count(), 1);
        assert!(decoded.warnings[0].contains("1 byte sequence did not decode"));
    }

    #[test]
    fn binary_is_refused() {
        let err = decode(b"PK\x03\x04\0\0abc".to_vec(), None, None).unwrap_err();
        assert!(err.to_string().contains("NUL byte at offset 4"), "{err}");
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 | 1)
            .collect();
        assert!(matches!(
            decode(noise, None, None),
            Err(DecodeError::Binary(_))
        ));
    }
}
