//! Lookup tables for the code points most text is made of: Latin, Arabic and the
//! Arabic presentation forms. Each table is filled once from the general source of
//! truth (unicode-width, the shaping tables), so the fast answer is always the same as
//! the slow one; code points outside the tables take the slow path.

use std::sync::OnceLock;

/// Code points below this are in the low tables.
pub const LOW_END: u32 = 0x800;
/// Arabic presentation forms (A and B).
const FORMS_START: u32 = 0xFB50;
const FORMS_END: u32 = 0xFF00;

/// A table for `0..LOW_END` and `FORMS_START..FORMS_END`, filled by `fill`.
pub struct CodePointTable<T: Copy + Send + Sync + 'static> {
    cell: OnceLock<(Vec<T>, Vec<T>)>,
}

impl<T: Copy + Send + Sync + 'static> CodePointTable<T> {
    /// An empty table; it fills itself on first use.
    pub const fn new() -> Self {
        Self {
            cell: OnceLock::new(),
        }
    }

    /// The value for `c`: from the table when `c` is in it, else `fill(c)`.
    #[inline]
    pub fn get(&self, c: char, fill: fn(char) -> T) -> T {
        let (low, forms) = self.tables(fill);
        let cp = c as u32;
        if cp < LOW_END {
            low[cp as usize]
        } else if (FORMS_START..FORMS_END).contains(&cp) {
            forms[(cp - FORMS_START) as usize]
        } else {
            fill(c)
        }
    }
}

impl<T: Copy + Send + Sync + 'static> CodePointTable<T> {
    fn tables(&self, fill: fn(char) -> T) -> &(Vec<T>, Vec<T>) {
        self.cell.get_or_init(|| {
            let make = |range: std::ops::Range<u32>| {
                range
                    .map(|cp| fill(char::from_u32(cp).unwrap_or('\u{FFFD}')))
                    .collect::<Vec<T>>()
            };
            (make(0..LOW_END), make(FORMS_START..FORMS_END))
        })
    }
}

impl<T: Copy + Send + Sync + 'static> Default for CodePointTable<T> {
    fn default() -> Self {
        Self::new()
    }
}
