//! The table-of-contents view: the document's chapters and headings, the one the reader
//! is in marked, and a jump to the chosen one. State changes only through `update`.

use super::view::Pos;
use super::{App, Level, Mode};
use crate::document::TocEntry;

/// The entry the top of the screen is in: the last one that starts at or before it.
pub fn current(toc: &[TocEntry], para: usize) -> Option<usize> {
    toc.iter().rposition(|e| e.block <= para)
}

/// Opens the view on the current entry, or says there is nothing to list.
pub(super) fn open(app: &mut App) {
    app.toc = app.doc.toc();
    if app.toc.is_empty() {
        app.say(
            Level::Info,
            "no headings or chapters in this document: nothing to list",
        );
        return;
    }
    let selected = current(&app.toc, app.top.para).unwrap_or(0);
    app.mode = Mode::Toc { selected };
}

/// Moves the selection to `selected` (kept within the list).
pub(super) fn select(app: &mut App, selected: usize) {
    let last = app.toc.len().saturating_sub(1);
    app.mode = Mode::Toc {
        selected: selected.min(last),
    };
}

/// Jumps to entry `selected` and closes the view.
pub(super) fn jump(app: &mut App, selected: usize) {
    app.mode = Mode::Normal;
    let Some(entry) = app.toc.get(selected) else {
        return;
    };
    let to = Pos {
        para: entry.block.min(app.doc.paragraphs.len().saturating_sub(1)),
        row: 0,
    };
    if to != app.top {
        app.jumped_from = Some(app.top);
    }
    app.top = to;
    app.cursor = None;
}
