//! The implicit level resolver as it was before its passes were folded together, kept
//! for the differential tests: the present one must give the same levels for every
//! sequence of classes.

use unicode_bidi::{BidiClass, BidiDataSource, HardcodedBidiData};

use BidiClass::*;

/// Nesting limit of bracket pairs (BD16).
const MAX_BRACKET_DEPTH: usize = 63;

/// The strong direction a class counts as in rules N0–N2 (numbers count as R).
fn strong(class: BidiClass) -> Option<BidiClass> {
    match class {
        L => Some(L),
        R | AL | EN | AN => Some(R),
        _ => None,
    }
}

/// Resolves the levels of `chars`, whose original classes are `classes`, in a paragraph
/// at `paragraph_level`. The classes must contain no explicit formatting class
/// (LRE, RLE, LRO, RLO, PDF, LRI, RLI, FSI, PDI) and no paragraph separator.
pub(super) fn resolve(chars: &[char], classes: &[BidiClass], paragraph_level: u8) -> Vec<u8> {
    // X9: BN characters take no part; `kept` maps positions in `t` back to characters.
    let has_bn = classes.contains(&BN);
    let kept: Vec<usize> = if has_bn {
        (0..classes.len()).filter(|&i| classes[i] != BN).collect()
    } else {
        Vec::new()
    };
    let index = |k: usize| if has_bn { kept[k] } else { k };
    let mut t: Vec<BidiClass> = if has_bn {
        kept.iter().map(|&i| classes[i]).collect()
    } else {
        classes.to_vec()
    };
    let n = t.len();
    let embedding = if paragraph_level % 2 == 1 { R } else { L };
    let sos = embedding;
    let eos = embedding;

    // W1: a mark takes the type of what precedes it.
    for i in 0..n {
        if t[i] == NSM {
            t[i] = if i == 0 { sos } else { t[i - 1] };
        }
    }
    // W2: European digits after Arabic letters are Arabic numbers. W3: AL is R.
    let mut last_strong = sos;
    for class in t.iter_mut() {
        match *class {
            L | R => last_strong = *class,
            AL => {
                last_strong = AL;
                *class = R;
            }
            EN if last_strong == AL => *class = AN,
            _ => {}
        }
    }
    // W4: a single separator between two numbers of the same kind joins them.
    for i in 1..n.saturating_sub(1) {
        let (before, after) = (t[i - 1], t[i + 1]);
        match t[i] {
            ES if before == EN && after == EN => t[i] = EN,
            CS if before == EN && after == EN => t[i] = EN,
            CS if before == AN && after == AN => t[i] = AN,
            _ => {}
        }
    }
    // W5: terminators next to European numbers are European numbers.
    let mut i = 0;
    while i < n {
        if t[i] == ET {
            let start = i;
            while i < n && t[i] == ET {
                i += 1;
            }
            if (start > 0 && t[start - 1] == EN) || (i < n && t[i] == EN) {
                t[start..i].fill(EN);
            }
        } else {
            i += 1;
        }
    }
    // W6: remaining separators and terminators are neutral. W7: European numbers after
    // L are L.
    let mut last_strong = sos;
    for class in t.iter_mut() {
        match *class {
            ES | ET | CS => *class = ON,
            L | R => last_strong = *class,
            EN if last_strong == L => *class = L,
            _ => {}
        }
    }

    resolve_brackets(chars, classes, &mut t, &index, embedding, sos);

    // N1, N2: neutrals between two strong types of one direction take it; others take
    // the embedding direction.
    let mut i = 0;
    while i < n {
        if strong(t[i]).is_some() {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && strong(t[i]).is_none() {
            i += 1;
        }
        let before = if start == 0 {
            sos
        } else {
            strong(t[start - 1]).unwrap_or(sos)
        };
        let after = if i == n {
            eos
        } else {
            strong(t[i]).unwrap_or(eos)
        };
        let direction = if before == after { before } else { embedding };
        t[start..i].fill(direction);
    }

    // I1, I2.
    let mut levels = vec![paragraph_level; chars.len()];
    for (k, &class) in t.iter().enumerate() {
        levels[index(k)] = match (paragraph_level % 2 == 1, class) {
            (false, R) => paragraph_level + 1,
            (false, AN | EN) => paragraph_level + 2,
            (true, L | EN | AN) => paragraph_level + 1,
            _ => paragraph_level,
        };
    }
    if has_bn {
        // A removed character sits at the level of the one before it.
        for i in 0..classes.len() {
            if classes[i] == BN {
                levels[i] = if i == 0 {
                    paragraph_level
                } else {
                    levels[i - 1]
                };
            }
        }
    }
    levels
}

/// The normalised opening bracket of `c`'s pair and whether `c` opens, for the
/// characters of BidiBrackets.txt.
fn bracket(c: char) -> Option<(char, bool)> {
    static TABLE: super::super::fast::CodePointTable<Option<(char, bool)>> =
        super::super::fast::CodePointTable::new();
    TABLE.get(c, |c| {
        HardcodedBidiData
            .bidi_matched_opening_bracket(c)
            .map(|b| (b.opening, b.is_open))
    })
}

/// N0: paired brackets take the direction of what they enclose, or of their context.
fn resolve_brackets(
    chars: &[char],
    classes: &[BidiClass],
    t: &mut [BidiClass],
    index: &dyn Fn(usize) -> usize,
    embedding: BidiClass,
    sos: BidiClass,
) {
    let n = t.len();
    // BD16: find the pairs.
    let mut stack: Vec<(char, usize)> = Vec::new();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for k in 0..n {
        if t[k] != ON {
            continue;
        }
        let Some((opening, is_open)) = bracket(chars[index(k)]) else {
            continue;
        };
        if is_open {
            if stack.len() == MAX_BRACKET_DEPTH {
                break;
            }
            stack.push((opening, k));
        } else if let Some(depth) = stack.iter().rposition(|&(o, _)| o == opening) {
            pairs.push((stack[depth].1, k));
            stack.truncate(depth);
        }
    }
    if pairs.is_empty() {
        return;
    }
    pairs.sort_unstable();

    let opposite = if embedding == L { R } else { L };
    for (open, close) in pairs {
        let mut found_embedding = false;
        let mut found_opposite = false;
        for &class in &t[open + 1..close] {
            match strong(class) {
                Some(d) if d == embedding => {
                    found_embedding = true;
                    break;
                }
                Some(_) => found_opposite = true,
                None => {}
            }
        }
        let direction = if found_embedding {
            embedding
        } else if found_opposite {
            let context = t[..open]
                .iter()
                .rev()
                .find_map(|&c| strong(c))
                .unwrap_or(sos);
            if context == opposite {
                opposite
            } else {
                embedding
            }
        } else {
            continue;
        };
        for at in [open, close] {
            t[at] = direction;
            // Marks after a bracket follow its new type (they became ON through W1).
            let mut k = at + 1;
            while k < n && classes[index(k)] == NSM {
                t[k] = direction;
                k += 1;
            }
        }
    }
}
