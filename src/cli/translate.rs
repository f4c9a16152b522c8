//! `qari translate`: each paragraph of a document through the configured translation
//! provider (behind the cache), printed in order as the text arrives; or, with `--json`,
//! one object per paragraph. A failure ends the run with a message on stderr and a
//! non-zero exit, after what was translated before it.

use std::io::{ErrorKind, IsTerminal, Write};
use std::sync::Arc;

use clap::Args;

use crate::cli::safe::{for_terminal, json_escaped};
use crate::config::Config;
use crate::document::Document;
use crate::tasks::CancelToken;
use crate::translate::config::{ProviderKind, TranslateOverrides, key_file_warning};
use crate::translate::{self, CacheMode, Request, Task, TranslateError};

/// Arguments of `qari translate`.
#[derive(Debug, Args)]
pub struct TranslateArgs {
    /// The text to translate: a file, or `-` (the default) for standard input.
    #[arg(value_name = "FILE|-", default_value = "-")]
    pub file: String,
    /// The provider (config: [translate] provider).
    #[arg(long, value_enum)]
    pub provider: Option<ProviderKind>,
    /// The provider's base URL (config: [translate] url).
    #[arg(long)]
    pub url: Option<String>,
    /// The model, for the openai provider (config: [translate] model).
    #[arg(long)]
    pub model: Option<String>,
    /// The source language code (config: [translate] from; default ar).
    #[arg(long, value_name = "LANG")]
    pub from: Option<String>,
    /// The target language code (config: [translate] to; default en).
    #[arg(long, value_name = "LANG")]
    pub to: Option<String>,
    /// Seconds for each request, retries included (config: [translate] timeout; default 20).
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,
    /// Neither read nor write the translation cache.
    #[arg(long, conflicts_with = "offline")]
    pub no_cache: bool,
    /// Answer from the cache only; send nothing.
    #[arg(long)]
    pub offline: bool,
    /// One JSON object per paragraph: {"source": ..., "translation": ...}.
    #[arg(long)]
    pub json: bool,
}

fn say(message: impl std::fmt::Display) {
    eprintln!("{}", for_terminal(&format!("qari: {message}")));
}

/// Runs `qari translate`; returns the exit code.
pub fn run(args: &TranslateArgs) -> anyhow::Result<i32> {
    match translate_all(args) {
        // `qari translate | head` is not an error.
        Err(err) if err.kind() == ErrorKind::BrokenPipe => Ok(0),
        Err(err) => Err(anyhow::Error::new(err).context("cannot write the translation")),
        Ok(code) => Ok(code),
    }
}

fn translate_all(args: &TranslateArgs) -> std::io::Result<i32> {
    let path = crate::paths::config_dir().join("config.toml");
    let config = match Config::load(&path) {
        Ok(config) => config,
        Err(err) => {
            say(err);
            return Ok(2);
        }
    };
    let mut settings = config.translate;
    if let Some(warning) = key_file_warning(&path, &settings) {
        say(warning);
    }
    if let Some(timeout) = args.timeout
        && !(timeout.is_finite() && timeout > 0.0)
    {
        say(format!(
            "--timeout {timeout}: give a number of seconds above 0"
        ));
        return Ok(2);
    }
    TranslateOverrides {
        provider: args.provider,
        url: args.url.clone(),
        model: args.model.clone(),
        from: args.from.clone(),
        to: args.to.clone(),
        timeout: args.timeout,
    }
    .apply(&mut settings);
    let mode = match (args.no_cache, args.offline) {
        (true, _) => CacheMode::Bypass,
        (_, true) => CacheMode::Offline,
        _ => CacheMode::Use,
    };
    let warn: translate::Warn = Arc::new(|w: &str| say(w));
    let provider = match translate::open(&settings, mode, warn) {
        Ok(Some(provider)) => provider,
        Ok(None) => {
            say(TranslateError::NotConfigured);
            return Ok(2);
        }
        Err(err) => {
            say(err);
            return Ok(2);
        }
    };
    if args.file == "-" && std::io::stdin().is_terminal() {
        say("nothing is piped in: standard input is this terminal. \
             Pipe a text in (cat article.txt | qari translate) or name a file.");
        return Ok(1);
    }
    let doc = match Document::open(&args.file) {
        Ok(doc) => doc,
        Err(err) => {
            say(err);
            return Ok(1);
        }
    };
    for warning in &doc.warnings {
        say(warning);
    }
    let count = doc.paragraphs.len();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let cancel = CancelToken::default();
    for index in 0..count {
        let source = doc.paragraph(index);
        let request = Request {
            task: Task::Translate,
            text: source.to_owned(),
            from: settings.from.clone(),
            to: settings.to.clone(),
        };
        if !args.json && index > 0 {
            write_or_quit(&mut out, "\n")?;
        }
        let mut broken = None;
        let mut wrote = false;
        let result = provider.translate(&request, &cancel, &mut |piece| {
            wrote = true;
            if !args.json && broken.is_none() {
                // Providers hand on clean text; cleaning again costs one pass.
                if let Err(err) = write!(out, "{}", for_terminal(piece)).and_then(|()| out.flush())
                {
                    broken = Some(err);
                }
            }
        });
        if let Some(err) = broken {
            return Err(err);
        }
        match result {
            Ok(translation) => {
                if args.json {
                    let line = serde_json::json!({"source": source, "translation": translation});
                    write_or_quit(&mut out, &format!("{}\n", json_escaped(&line.to_string())))?;
                } else {
                    write_or_quit(&mut out, "\n")?;
                }
            }
            Err(err) => {
                if !args.json && wrote {
                    // End the line the partial translation left open.
                    let _ = writeln!(out);
                }
                let _ = out.flush();
                say(format!("paragraph {} of {count}: {err}", index + 1));
                return Ok(1);
            }
        }
    }
    Ok(0)
}

fn write_or_quit(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    out.write_all(text.as_bytes())?;
    out.flush()
}
