//! Where qari keeps its files, following the XDG base directories. Each directory can
//! be overridden by an environment variable of its own (tests use temporary ones).

use std::path::PathBuf;

fn dir(own: &str, xdg: &str, fallback: &str) -> PathBuf {
    if let Some(dir) = std::env::var_os(own).filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os(xdg).filter(|v| !v.is_empty()) {
        return PathBuf::from(dir).join("qari");
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    home.join(fallback).join("qari")
}

/// `config.toml` and `keymap.toml`: `$QARI_CONFIG_DIR`, else `$XDG_CONFIG_HOME/qari`,
/// else `~/.config/qari`.
pub fn config_dir() -> PathBuf {
    dir("QARI_CONFIG_DIR", "XDG_CONFIG_HOME", ".config")
}

/// Reading positions: `$QARI_STATE_DIR`, else `$XDG_STATE_HOME/qari`, else
/// `~/.local/state/qari`.
pub fn state_dir() -> PathBuf {
    dir("QARI_STATE_DIR", "XDG_STATE_HOME", ".local/state")
}

/// Rebuildable indexes: `$QARI_CACHE_DIR`, else `$XDG_CACHE_HOME/qari`, else `~/.cache/qari`.
pub fn cache_dir() -> PathBuf {
    dir("QARI_CACHE_DIR", "XDG_CACHE_HOME", ".cache")
}

/// The personal glossary and other user data: `$QARI_DATA_DIR`, else
/// `$XDG_DATA_HOME/qari`, else `~/.local/share/qari`.
pub fn data_dir() -> PathBuf {
    dir("QARI_DATA_DIR", "XDG_DATA_HOME", ".local/share")
}
