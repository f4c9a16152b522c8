//! The shaping tables compiled into qari agree with the Unicode Character Database
//! installed by Debian's unicode-data: every joining type of ArabicShaping.txt (and the
//! default T for unlisted marks and format characters), and every single-letter
//! presentation form of UnicodeData.txt.

mod common;

use qari::layout::shape::{Form, JoiningType, joining_type, presentation_form};

#[test]
fn joining_types_match_arabic_shaping_txt() {
    let Some(path) = common::external_file(
        "/usr/share/unicode/ArabicShaping.txt",
        "the Debian package unicode-data",
    ) else {
        return;
    };
    let content = std::fs::read_to_string(path).unwrap();
    let mut checked = 0;
    for line in content.lines() {
        let line = line.split('#').next().unwrap().trim();
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(';').map(str::trim).collect();
        let c = char::from_u32(u32::from_str_radix(fields[0], 16).unwrap()).unwrap();
        let expected = match fields[2] {
            "R" => JoiningType::Right,
            "L" => JoiningType::Left,
            "D" => JoiningType::Dual,
            "C" => JoiningType::Causing,
            "T" => JoiningType::Transparent,
            _ => JoiningType::NonJoining,
        };
        assert_eq!(joining_type(c), expected, "U+{:04X}", c as u32);
        checked += 1;
    }
    println!("{checked} joining types match ArabicShaping.txt");
    assert!(checked > 500);
}

#[test]
fn presentation_forms_match_unicode_data_txt() {
    let Some(path) = common::external_file(
        "/usr/share/unicode/UnicodeData.txt",
        "the Debian package unicode-data",
    ) else {
        return;
    };
    let content = std::fs::read_to_string(path).unwrap();
    let mut checked = 0;
    let mut transparent = 0;
    for line in content.lines() {
        let fields: Vec<&str> = line.split(';').collect();
        let code = u32::from_str_radix(fields[0], 16).unwrap();
        let Some(c) = char::from_u32(code) else {
            continue;
        };
        if matches!(fields[2], "Mn" | "Me") {
            assert_eq!(joining_type(c), JoiningType::Transparent, "U+{code:04X}");
            transparent += 1;
        }
        let decomposition: Vec<&str> = fields[5].split_whitespace().collect();
        if decomposition.len() != 2 {
            continue;
        }
        let form = match decomposition[0] {
            "<isolated>" => Form::Isolated,
            "<final>" => Form::Final,
            "<initial>" => Form::Initial,
            "<medial>" => Form::Medial,
            _ => continue,
        };
        let base = char::from_u32(u32::from_str_radix(decomposition[1], 16).unwrap()).unwrap();
        let found = presentation_form(base, form).unwrap();
        // A few letters have two encodings of one form; the table keeps the first.
        if found != c {
            assert!(found < c, "U+{code:04X} {form:?} of U+{:04X}", base as u32);
        }
        checked += 1;
    }
    println!(
        "{checked} presentation forms and {transparent} transparent marks match UnicodeData.txt"
    );
    assert!(checked > 200);
}
