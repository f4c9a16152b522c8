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
///
/// UTF-8 input, the common case, is validated once by `String::from_utf8` (no copy);
/// `encoding_rs`'s vectorised check finds where a bad sequence starts beforehand, so
/// that a cut last character costs no second pass, and the binary check is a byte scan.
pub fn decode(
    bytes: Vec<u8>,
    forced: Option<&'static Encoding>,
    declared: Option<&'static Encoding>,
) -> Result<Decoded, DecodeError> {
    let bom = Encoding::for_bom(&bytes);
    let mut guessed = false;
    let mut nul_checked = false;
    // How many leading bytes are valid UTF-8, when the guess found out.
    let mut valid_up_to = None;
    let encoding = match (forced, bom) {
        (Some(encoding), _) => encoding,
        (None, Some((encoding, _))) => encoding,
        (None, None) => {
            refuse_nul(&bytes)?;
            nul_checked = true;
            match declared {
                Some(encoding) => encoding,
                None => {
                    let valid = Encoding::utf8_valid_up_to(&bytes);
                    valid_up_to = Some(valid);
                    let encoding = guess(&bytes, valid);
                    guessed = encoding != UTF_8;
                    encoding
                }
            }
        }
    };
    let utf16 = encoding == UTF_16LE || encoding == UTF_16BE;
    if !utf16 && !nul_checked {
        refuse_nul(&bytes)?;
    }
    // With a BOM of its own encoding the BOM is skipped; a forced encoding decodes
    // every byte as it is told, except a BOM of that same encoding.
    let skip = match bom {
        Some((bom_encoding, len)) if bom_encoding == encoding => len,
        _ => 0,
    };
    let (text, had_errors) = if encoding == UTF_8 {
        // Without a BOM to skip, the guess already knows where the valid part ends.
        let valid = match valid_up_to {
            Some(valid) if skip == 0 => valid,
            _ => Encoding::utf8_valid_up_to(&bytes[skip..]),
        };
        decode_utf8(bytes, skip, valid)
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
        let bad = memchr::memmem::find_iter(text.as_bytes(), REPLACEMENT).count();
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

/// U+FFFD in UTF-8.
const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();

/// Refuses bytes with a NUL among the first [`PROBE`].
fn refuse_nul(bytes: &[u8]) -> Result<(), DecodeError> {
    match memchr::memchr(0, &bytes[..bytes.len().min(PROBE)]) {
        Some(offset) => Err(DecodeError::Binary(format!(
            "a NUL byte at offset {offset}"
        ))),
        None => Ok(()),
    }
}

/// Up to this many bytes, valid UTF-8 is checked by encoding_rs's vectorised check and
/// copied into a new string, instead of being checked in place by `String::from_utf8`,
/// which goes through non-ASCII text a byte at a time: about 11 instructions a byte of
/// Arabic text, against under 2 for the check and the copy together. Above it, the text
/// is checked in place, so that a large file is never held twice; below it, the copy
/// costs at most this much memory for a moment.
const COPY_BELOW: usize = 16 << 20;

/// `bytes[skip..]` as text, the first `valid` bytes of which are known to be valid UTF-8;
/// bad sequences after them become U+FFFD. Large files are taken as they are, without a
/// copy (see [`COPY_BELOW`]).
fn decode_utf8(bytes: Vec<u8>, skip: usize, valid: usize) -> (String, bool) {
    decode_utf8_copying_below(bytes, skip, valid, COPY_BELOW)
}

/// [`decode_utf8`] with the size up to which the text is copied as a parameter.
fn decode_utf8_copying_below(
    mut bytes: Vec<u8>,
    skip: usize,
    valid: usize,
    copy_below: usize,
) -> (String, bool) {
    let valid = valid.min(bytes.len().saturating_sub(skip));
    let copied = if valid <= copy_below {
        UTF_8
            .decode_without_bom_handling_and_without_replacement(&bytes[skip..skip + valid])
            .map(std::borrow::Cow::into_owned)
    } else {
        None
    };
    match copied {
        Some(text) => with_tail(text, &bytes[skip + valid..]),
        None => {
            bytes.drain(..skip);
            let tail = bytes.split_off(valid);
            let text = match String::from_utf8(bytes) {
                Ok(text) => text,
                // Not reached: the prefix was checked. Should it be, the text is still right.
                Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
            };
            with_tail(text, &tail)
        }
    }
}

/// `text` followed by `tail`, whose bad sequences become U+FFFD, and whether there were any.
fn with_tail(mut text: String, tail: &[u8]) -> (String, bool) {
    if tail.is_empty() {
        return (text, false);
    }
    text.push_str(&String::from_utf8_lossy(tail));
    (text, true)
}

/// The encoding of bytes with no BOM and no declared charset, the first `valid` of which
/// are valid UTF-8: UTF-8 when they are UTF-8 (or mostly: bad bytes in otherwise UTF-8
/// text stay UTF-8, with a warning), else chardetng's guess among the legacy encodings.
fn guess(bytes: &[u8], valid: usize) -> &'static Encoding {
    let probe = &bytes[..bytes.len().min(PROBE)];
    // All the probe but perhaps a character cut at its end is valid: UTF-8.
    if valid >= probe.len() {
        return UTF_8;
    }
    // Count the bad sequences after the valid part, and the non-ASCII characters:
    // those of the valid part only when the rest does not already settle it.
    let (mut good, mut bad) = (0usize, 0usize);
    for chunk in probe[valid..].utf8_chunks() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            bad += 1;
        }
    }
    // A cut at the end of the probe is not a bad sequence.
    if probe.len() < bytes.len() && bad > 0 {
        bad -= 1;
    }
    if good < bad {
        // Lead bytes of the valid part: one per non-ASCII character.
        good += probe[..valid].iter().filter(|&&b| b >= 0xC0).count();
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

/// Refuses text with more than 5% controls and undecodable bytes among its first
/// [`PROBE`] characters: binary data that happens to have no NUL byte (text holds next
/// to none). A byte scan: a C0 control or DEL is one byte, U+FFFD three.
fn refuse_binary(text: &str) -> Result<(), DecodeError> {
    let bytes = text.as_bytes();
    let probe = &bytes[..probe_end(bytes)];
    let controls = odd_controls(probe);
    let odd = controls + memchr::memmem::find_iter(probe, REPLACEMENT).count();
    if odd == 0 {
        return Ok(());
    }
    let total = char_count(probe);
    if total >= 16 && odd * 20 > total {
        return Err(DecodeError::Binary(format!(
            "{}% of its characters are controls or bytes that do not decode",
            odd * 100 / total
        )));
    }
    Ok(())
}

/// A byte that is a control character text does not hold. ESC and BEL come with escape
/// sequences, which text (a log with colours, a hostile article) may hold: they are made
/// inert later, not taken for binary. C1 controls are what ISO-8859 encodings make of
/// bytes 0x80-0x9F, and what escape sequences in UTF-8 hold; only C0 controls and DEL
/// count.
fn is_odd_control(b: u8) -> bool {
    (b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r' && b != 0x0C && b != 0x07 && b != 0x1B)
        || b == 0x7F
}

/// How many bytes of `bytes` are [`is_odd_control`]. Blocks of 16 bytes with no byte
/// below 0x20 and no DEL, nearly all of them in text, are passed over with a test the
/// compiler turns into vector code.
fn odd_controls(bytes: &[u8]) -> usize {
    let mut blocks = bytes.chunks_exact(16);
    let mut odd = 0;
    for block in &mut blocks {
        let mut any = 0u8;
        for &b in block {
            any |= u8::from(b < 0x20) | u8::from(b == 0x7F);
        }
        if any != 0 {
            odd += block.iter().filter(|&&b| is_odd_control(b)).count();
        }
    }
    odd + blocks
        .remainder()
        .iter()
        .filter(|&&b| is_odd_control(b))
        .count()
}

/// Characters in UTF-8 `bytes`: those that do not continue a character.
fn char_count(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|block| {
            let starts: u8 = block.iter().map(|&b| u8::from((b as i8) >= -0x40)).sum();
            usize::from(starts)
        })
        .sum()
}

/// The byte offset where the first [`PROBE`] characters of UTF-8 `bytes` end.
fn probe_end(bytes: &[u8]) -> usize {
    // PROBE characters take at least PROBE bytes.
    if bytes.len() <= PROBE {
        return bytes.len();
    }
    let mut end = PROBE;
    let mut chars = char_count(&bytes[..PROBE]);
    // Whole blocks while they cannot overshoot, then byte by byte.
    while PROBE - chars >= 4096 && end + 4096 <= bytes.len() {
        chars += char_count(&bytes[end..end + 4096]);
        end += 4096;
    }
    while end < bytes.len() {
        let starts = (bytes[end] as i8) >= -0x40;
        if starts && chars == PROBE {
            break;
        }
        chars += usize::from(starts);
        end += 1;
    }
    end
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

    /// The decoder as it was before it validated once: the differential tests hold the
    /// present one to it.
    mod reference {
        use super::super::{DecodeError, Decoded, PROBE};
        use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

        /// Decodes `bytes`. `forced` (`--encoding`) wins over everything; `declared` (an HTTP
        /// charset or a `<meta>` one) is used when there is no byte-order mark.
        pub(super) fn decode(
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
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
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
    }

    /// A small deterministic generator (xorshift), for the differential tests.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// Bytes built of pieces that reach every branch of the decoder: Arabic and Latin
    /// UTF-8, characters cut short, stray bytes, controls, NUL, U+FFFD, byte-order marks,
    /// legacy encodings and UTF-16.
    fn generated(rng: &mut Rng) -> Vec<u8> {
        let mut bytes = Vec::new();
        match rng.below(8) {
            0 => bytes.extend_from_slice(b"\xEF\xBB\xBF"),
            1 => bytes.extend_from_slice(b"\xFF\xFE"),
            2 => bytes.extend_from_slice(b"\xFE\xFF"),
            _ => {}
        }
        let pieces = rng.below(40);
        for _ in 0..pieces {
            match rng.below(14) {
                0..=3 => {
                    let start = ARABIC.char_indices().nth(rng.below(40)).unwrap().0;
                    let end = (start + 1 + rng.below(60)).min(ARABIC.len());
                    // Cut anywhere, perhaps inside a character.
                    bytes.extend_from_slice(&ARABIC.as_bytes()[start..end]);
                }
                4 | 5 => bytes.extend_from_slice(b"news 2024, p. 7 "),
                6 => bytes.push(rng.below(0x20) as u8),
                7 => bytes.push(0x7F),
                8 => bytes.extend_from_slice("\u{FFFD}".as_bytes()),
                9 => bytes.push(0x80 + rng.below(0x80) as u8),
                10 => {
                    let (legacy, _, _) = WINDOWS_1256.encode(&ARABIC[..40]);
                    bytes.extend_from_slice(&legacy);
                }
                11 => bytes.extend(ARABIC[..30].encode_utf16().flat_map(u16::to_le_bytes)),
                12 => bytes.extend_from_slice(b"\n\t\r\x0C\x07\x1B"),
                _ => bytes.push(0),
            }
        }
        bytes
    }

    #[test]
    fn decodes_as_the_reference_decoder_did() {
        let forced = [None, Some(UTF_8), Some(UTF_16LE), Some(WINDOWS_1256)];
        let declared = [None, Some(UTF_8), Some(UTF_16BE), Some(ISO_8859_6)];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for case in 0..20_000 {
            let bytes = generated(&mut rng);
            let forced = forced[rng.below(4)];
            let declared = if forced.is_none() {
                declared[rng.below(4)]
            } else {
                None
            };
            assert_eq!(
                decode(bytes.clone(), forced, declared),
                reference::decode(bytes.clone(), forced, declared),
                "case {case}: {bytes:?} forced {forced:?} declared {declared:?}"
            );
        }
    }

    /// Copied or checked in place, UTF-8 gives the same text: with and without a BOM, with
    /// bad sequences after the valid part, and with the valid part cut short.
    #[test]
    fn copied_and_in_place_utf8_agree() {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        for case in 0..5_000 {
            let mut bytes = generated(&mut rng);
            let skip = if case % 3 == 0 {
                bytes.splice(0..0, [0xEF, 0xBB, 0xBF]);
                3
            } else {
                0
            };
            let valid = Encoding::utf8_valid_up_to(&bytes[skip..]);
            let valid = if case % 5 == 0 { valid / 2 } else { valid };
            let copied = decode_utf8_copying_below(bytes.clone(), skip, valid, usize::MAX);
            let in_place = decode_utf8_copying_below(bytes.clone(), skip, valid, 0);
            assert_eq!(copied, in_place, "case {case}: {bytes:?}");
        }
    }

    /// Inputs around the probe's length: a character cut at its end, bad sequences and
    /// controls just inside or just outside it, more characters than bytes in it.
    #[test]
    fn decodes_at_the_probe_edge_as_the_reference_decoder_did() {
        let arabic = ARABIC.as_bytes();
        let filled = |len: usize| -> Vec<u8> { arabic.iter().copied().cycle().take(len).collect() };
        let mut inputs = Vec::new();
        for len in [PROBE - 1, PROBE, PROBE + 1, PROBE + 2, PROBE + 3] {
            inputs.push(filled(len));
            let mut ascii = vec![b'a'; len];
            ascii.extend_from_slice(&arabic[..2]);
            inputs.push(ascii);
        }
        for at in [PROBE - 2, PROBE - 1, PROBE, PROBE + 1] {
            for odd in [&b"\xFF"[..], b"\x01", b"\xD8", b"\xEF\xBF\xBD"] {
                let mut bytes = filled(PROBE + 64);
                bytes[at..at + odd.len()].copy_from_slice(odd);
                inputs.push(bytes);
            }
        }
        // Legacy text longer than the probe, and mostly controls after a short text.
        let long = ARABIC.repeat(PROBE / ARABIC.len() + 2);
        let (legacy, _, _) = WINDOWS_1256.encode(&long);
        inputs.push(legacy.into_owned());
        let mut controls = filled(600);
        controls.extend(std::iter::repeat_n(1u8, 40));
        inputs.push(controls);
        for bytes in inputs {
            assert_eq!(
                decode(bytes.clone(), None, None),
                reference::decode(bytes.clone(), None, None),
                "{} bytes",
                bytes.len()
            );
        }
    }
}
