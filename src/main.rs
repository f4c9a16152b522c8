//! The `qari` binary: parses arguments and hands over to a command or to the reader.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use qari::cli;
use qari::config::{BidiMode, Config, PanelSide, ReaderOverrides};
use qari::document::Document;
use qari::keymap::Keymap;
use qari::run::{self, ReaderSetup};
use qari::tasks::document::LoadRequest;

/// qari (قارئ): a terminal reader for Arabic articles.
///
/// With no FILE, opens the built-in guide.
#[derive(Debug, Parser)]
#[command(name = "qari", version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// The document to read: a text, Markdown, HTML or EPUB file, a URL, or `-` for
    /// standard input.
    #[arg(value_name = "FILE|URL|-")]
    file: Option<String>,
    #[command(flatten)]
    input: cli::InputArgs,
    /// The keymap: default, vim, emacs, less, or the path of a keymap file.
    #[arg(long, value_name = "NAME|PATH")]
    keymap: Option<String>,
    /// Who does the bidirectional layout: qari (app), or a terminal that reorders by
    /// itself (terminal: logical order, unshaped).
    #[arg(long, value_enum)]
    bidi: Option<BidiArg>,
    /// Start at the beginning instead of where you stopped last time.
    #[arg(long)]
    from_start: bool,
    /// The Buckwalter lexicon's directory, for glossary lookups.
    #[arg(long, value_name = "DIR")]
    buckwalter: Option<PathBuf>,
    /// Another dictionary file or directory (repeatable).
    #[arg(long = "dict", value_name = "PATH")]
    dicts: Vec<PathBuf>,
    /// Do not look for dictionaries in the system directories.
    #[arg(long)]
    no_system_dicts: bool,
    /// Do not use the built-in lexicon.
    #[arg(long)]
    no_builtin: bool,
    /// Translations neither read from nor written to the answer cache.
    #[arg(long)]
    no_cache: bool,
    /// Translations only from the answer cache: nothing leaves the machine.
    #[arg(long, conflicts_with = "no_cache")]
    offline: bool,
    /// Open with the side panel shown (config: [panel] visible = true).
    #[arg(long)]
    panel: bool,
    /// The side panel's side (config: [panel] side).
    #[arg(long, value_enum, value_name = "SIDE")]
    panel_side: Option<PanelSide>,
    /// The side panel's width in columns, 10 to 200 (config: [panel] width).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(10..=200))]
    panel_width: Option<u16>,
    /// The widest the text column gets, in cells; 0 for the whole pane (config: max_width).
    #[arg(long, value_name = "N")]
    max_width: Option<u16>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum BidiArg {
    App,
    Terminal,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Lay out a document and print its visual lines (right-to-left text reordered and shaped).
    Render(cli::render::RenderArgs),
    /// Print a document's text in logical order, one block a paragraph (or as JSON).
    Extract(cli::extract::ExtractArgs),
    /// Look words up (built-in lexicon, FreeDict, StarDict, DICT servers, Buckwalter).
    Lookup(cli::lookup::LookupArgs),
    /// Translate each paragraph with the configured provider (LibreTranslate, DeepL, OpenAI-compatible).
    Translate(cli::translate::TranslateArgs),
    /// Install, list or remove reference data (qari data install buckwalter).
    Data(cli::data::DataArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version go out as clap writes them; an error quotes the arguments,
        // which may hold escape sequences.
        Err(err) if !err.use_stderr() => err.exit(),
        Err(err) => {
            eprint!("{}", cli::safe::for_terminal(&err.to_string()));
            return ExitCode::from(err.exit_code().clamp(0, 255) as u8);
        }
    };
    let result = match &cli.command {
        Some(Command::Render(args)) => cli::render::run(args),
        Some(Command::Extract(args)) => cli::extract::run(args),
        Some(Command::Lookup(args)) => cli::lookup::run(args),
        Some(Command::Translate(args)) => cli::translate::run(args),
        Some(Command::Data(args)) => cli::data::run(args),
        None => read(&cli),
    };
    match result {
        Ok(code) => ExitCode::from(code.clamp(0, 255) as u8),
        Err(err) => {
            qari::terminal::restore();
            say(qari::error_words::describe(&err));
            ExitCode::from(1)
        }
    }
}

/// Prints a message on stderr, made safe for the terminal: paths, keymap names and
/// anything else quoted in it may hold escape sequences.
fn say(message: impl std::fmt::Display) {
    eprintln!("{}", cli::safe::for_terminal(&format!("qari: {message}")));
}

/// Opens the reader.
fn read(cli: &Cli) -> anyhow::Result<i32> {
    let config_dir = qari::paths::config_dir();
    let config_path = config_dir.join("config.toml");
    let mut config = match Config::load(&config_path) {
        Ok(config) => config,
        Err(err) => {
            say(&err);
            return Ok(2);
        }
    };
    if let Some(warning) =
        qari::translate::config::key_file_warning(&config_path, &config.translate)
    {
        say(&warning);
    }
    // The command line wins over the config file.
    ReaderOverrides {
        panel: cli.panel,
        panel_side: cli.panel_side,
        panel_width: cli.panel_width,
        max_width: cli.max_width,
    }
    .apply(&mut config);
    let keymap_name = cli.keymap.clone().unwrap_or_else(|| config.keymap.clone());
    let user_keymap = config_dir.join("keymap.toml");
    let mut keymap = match Keymap::load(&keymap_name, Some(&user_keymap)) {
        Ok((keymap, warnings)) => {
            for warning in warnings {
                say(&warning);
            }
            keymap
        }
        Err(err) => {
            say(&err);
            return Ok(2);
        }
    };
    keymap.set_layout(config.keyboard_layout);
    if cli.file.as_deref() == Some("-") && std::io::stdin().is_terminal() {
        say("nothing is piped in: standard input is this terminal. \
             Pipe a text in (cat article.txt | qari -) or name a file (qari article.txt).");
        return Ok(1);
    }
    let doc = match cli.file.as_deref() {
        None => (Document::guide(), None),
        // A page downloads in the reader, which shows how much has arrived.
        Some(url) if qari::document::fetch::is_url(url) => (
            Document::from_text(url, String::new()),
            Some(LoadRequest::Url {
                url: url.to_owned(),
                options: cli.input.load_options(),
            }),
        ),
        Some(source) => match Document::open_progressive_at(
            source,
            &cli.input.load_options(),
            // A book opens up to the chapter of its saved position.
            (!cli.from_start)
                .then(|| qari::state::load(&qari::document::source::absolute(source)).0)
                .flatten()
                .and_then(|saved| saved.furthest_block()),
        ) {
            Ok((doc, rest)) => (doc, rest.map(LoadRequest::Rest)),
            Err(err) => {
                say(&err);
                return Ok(1);
            }
        },
    };
    let (bidi, bidi_note) = match cli.bidi {
        Some(BidiArg::App) => (BidiMode::App, None),
        Some(BidiArg::Terminal) => (BidiMode::Terminal, None),
        None => match (config.bidi, qari::terminal::self_reordering_terminal()) {
            (Some(mode), _) => (mode, None),
            (None, Some(name)) => (
                BidiMode::Terminal,
                Some(format!("{name} reorders text itself: --bidi terminal")),
            ),
            (None, None) => (BidiMode::App, None),
        },
    };
    let mut glossary = config.glossary.clone();
    glossary.buckwalter_dir = cli
        .buckwalter
        .clone()
        .or_else(|| config.buckwalter_dir.clone())
        .or(glossary.buckwalter_dir)
        .or_else(qari::glossary::install::installed_buckwalter);
    glossary.dicts.extend(cli.dicts.iter().cloned());
    glossary.system_dicts &= !cli.no_system_dicts;
    glossary.builtin &= !cli.no_builtin;
    let (doc, load) = doc;
    run::run(ReaderSetup {
        doc,
        load,
        config,
        keymap,
        keymap_name,
        bidi,
        bidi_note,
        from_start: cli.from_start,
        lookup: qari::tasks::glossary::glossary_lookup(glossary),
        translate_cache: match (cli.no_cache, cli.offline) {
            (true, _) => qari::translate::CacheMode::Bypass,
            (_, true) => qari::translate::CacheMode::Offline,
            _ => qari::translate::CacheMode::Use,
        },
    })
}
