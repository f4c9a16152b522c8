//! The non-interactive commands: each reads its input, runs a stage of the pipeline and
//! prints the result.

pub mod data;
pub mod lookup;
pub mod render;
pub mod safe;

use std::io::Read;
use std::path::Path;

use anyhow::Context;

use crate::fsread;

/// Reads a whole input: a file, or standard input for `-`.
pub fn read_input(path: &Path) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
    } else {
        bytes = fsread::read_regular(path, fsread::limit::DOCUMENT)?;
    }
    Ok(bytes)
}
