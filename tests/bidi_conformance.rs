//! UAX #9 conformance: every case of BidiCharacterTest.txt (Debian's unicode-data) must
//! give the expected levels and visual order from the engine's own line reordering
//! (rules L1 and L2), with levels resolved for the paragraph as the pipeline does.

mod common;

use qari::layout::bidi::{BaseDirection, ParagraphLevels, reset_trailing_levels, visual_order};
use unicode_bidi::{BidiClass, bidi_class};

const TEST_FILE: &str = "/usr/share/unicode/BidiCharacterTest.txt";

/// Characters removed by rule X9: they have no level and no place in the visual order.
fn removed_by_x9(class: BidiClass) -> bool {
    use BidiClass::*;
    matches!(class, RLE | LRE | RLO | LRO | PDF | BN)
}

struct Case {
    line_number: usize,
    text: String,
    base: BaseDirection,
    paragraph_level: u8,
    levels: Vec<Option<u8>>,
    order: Vec<usize>,
}

fn parse(line_number: usize, line: &str) -> Case {
    let fields: Vec<&str> = line.split(';').collect();
    assert_eq!(fields.len(), 5, "line {line_number}: five fields");
    let text = fields[0]
        .split_whitespace()
        .map(|hex| char::from_u32(u32::from_str_radix(hex, 16).unwrap()).unwrap())
        .collect();
    let base = match fields[1] {
        "0" => BaseDirection::Ltr,
        "1" => BaseDirection::Rtl,
        _ => BaseDirection::Auto,
    };
    Case {
        line_number,
        text,
        base,
        paragraph_level: fields[2].parse().unwrap(),
        levels: fields[3]
            .split_whitespace()
            .map(|l| l.parse().ok())
            .collect(),
        order: fields[4]
            .split_whitespace()
            .map(|i| i.parse().unwrap())
            .collect(),
    }
}

/// The engine's answer for one case: paragraph level, level per character (None when
/// removed by X9) and visual order of the characters that remain.
fn run(case: &Case) -> (u8, Vec<Option<u8>>, Vec<usize>) {
    let chars: Vec<char> = case.text.chars().collect();
    let resolved = ParagraphLevels::resolve(&case.text, &chars, case.base);
    let classes: Vec<BidiClass> = chars.iter().map(|&c| bidi_class(c)).collect();
    let mut levels = resolved.levels.clone();
    reset_trailing_levels(&mut levels, |i| classes[i], resolved.paragraph_level);

    let kept: Vec<usize> = (0..levels.len())
        .filter(|&i| !removed_by_x9(classes[i]))
        .collect();
    let kept_levels: Vec<u8> = kept.iter().map(|&i| levels[i]).collect();
    let order = visual_order(&kept_levels)
        .into_iter()
        .map(|k| kept[k])
        .collect();
    let shown = levels
        .iter()
        .zip(&classes)
        .map(|(&l, &c)| (!removed_by_x9(c)).then_some(l))
        .collect();
    (resolved.paragraph_level, shown, order)
}

#[test]
fn bidi_character_test_conformance() {
    let Some(path) = common::external_file(TEST_FILE, "the Debian package unicode-data") else {
        return;
    };
    let content = std::fs::read_to_string(path).unwrap();
    let mut passed = 0;
    let mut failures = Vec::new();
    for (n, line) in content.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let case = parse(n + 1, line);
        let (paragraph_level, levels, order) = run(&case);
        if paragraph_level == case.paragraph_level && levels == case.levels && order == case.order {
            passed += 1;
        } else {
            failures.push(format!(
                "line {}: text {:?} base {:?}: expected level {} levels {:?} order {:?}, got level {} levels {:?} order {:?}",
                case.line_number,
                case.text,
                case.base,
                case.paragraph_level,
                case.levels,
                case.order,
                paragraph_level,
                levels,
                order
            ));
        }
    }
    let total = passed + failures.len();
    println!("BidiCharacterTest.txt: {passed} of {total} cases pass");
    for failure in failures.iter().take(20) {
        println!("{failure}");
    }
    assert!(total > 90_000, "the file has all its cases ({total})");
    assert!(failures.is_empty(), "{} cases fail", failures.len());
}
