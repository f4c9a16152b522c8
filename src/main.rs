//! The `qari` binary: parses arguments and hands over to a command.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use qari::cli;

/// qari (قارئ): a terminal reader for Arabic articles.
#[derive(Debug, Parser)]
#[command(name = "qari", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Lay out a text file and print its visual lines (right-to-left text reordered and shaped).
    Render(cli::render::RenderArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(Command::Render(args)) => cli::render::run(args),
        None => {
            println!(
                "usage: qari render [FILE|-] [--width N] [--base auto|rtl|ltr] [--no-shape] [--harakat keep|strip] [--no-pad]"
            );
            Ok(0)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(err) => {
            eprintln!("qari: {err:#}");
            ExitCode::from(1)
        }
    }
}
