//! A block laid out line by line: the line breaks a block's text holds are the ones its
//! source means (a `<br>`, a line of a poem, a line of code), so each one starts a new
//! visual line instead of showing as a control picture. The lines share the block's
//! base direction, found once for the whole block; source ranges stay relative to the
//! block's text.

use std::ops::Range;

use super::{BaseDirection, LayoutOptions, VisualLine, chunk, layout_paragraph};

/// The visual lines of `text` at `width`, a new line at each `\n`; an empty line of the
/// text is an empty visual line.
pub fn layout_block(text: &str, options: &LayoutOptions, width: u16) -> Vec<VisualLine> {
    if !text.contains('\n') {
        return layout_paragraph(text, options, width);
    }
    let options = LayoutOptions {
        base: chunk::base_direction(text, options.base),
        ..*options
    };
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        let shift = |r: Range<usize>| r.start + start..r.end + start;
        let laid = layout_paragraph(line, &options, width);
        if laid.is_empty() {
            out.push(VisualLine {
                rtl: options.base == BaseDirection::Rtl,
                source: start..start,
                ..VisualLine::default()
            });
        }
        for mut visual in laid {
            visual.source = shift(visual.source);
            for cell in &mut visual.cells {
                cell.source = shift(cell.source.clone());
            }
            out.push(visual);
        }
        start += line.len() + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(lines: &[VisualLine]) -> Vec<(String, bool, Range<usize>)> {
        lines
            .iter()
            .map(|l| (l.text.clone(), l.rtl, l.source.clone()))
            .collect()
    }

    #[test]
    fn each_line_break_starts_a_line_in_the_block_direction() {
        let options = LayoutOptions {
            shaping: false,
            ..LayoutOptions::default()
        };
        let text = "سطر\n\n  x = 1";
        assert_eq!(
            shown(&layout_block(text, &options, 20)),
            [
                ("رطس".to_string(), true, 0..6),
                (String::new(), true, 7..7),
                ("x = 1  ".to_string(), true, 8..15),
            ]
        );
        let ltr = LayoutOptions {
            base: BaseDirection::Ltr,
            ..options
        };
        let lines = layout_block(text, &ltr, 20);
        assert_eq!(lines[2].text, "  x = 1");
        assert!(!lines[2].rtl);
        assert_eq!(lines[2].cells[2].source, 10..11);
        // Without a break it is the paragraph's layout.
        assert_eq!(
            layout_block("سطر", &options, 20),
            layout_paragraph("سطر", &options, 20)
        );
    }
}
