//! Fuzzes the readers of `qari::glossary::fuzz_entry` without cargo-fuzz: random
//! mutations of the seed corpus, for a while, in whatever build it is run in (a debug
//! build catches arithmetic overflow).
//!
//! ```sh
//! cargo run --example fuzz -- [--seconds N] [--seed S] [TARGET...]   # default: all, 60 s each
//! cargo run --example fuzz -- --replay FILE TARGET
//! ```
//!
//! With libFuzzer and coverage feedback, use `fuzz/` instead (see fuzz/README.md).

#[path = "../fuzz/mutate.rs"]
mod mutate;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use qari::glossary::fuzz_entry::TARGETS;

fn main() -> ExitCode {
    let mut seconds = 60u64;
    let mut seed = 1u64;
    let mut names: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => seconds = args.next().and_then(|v| v.parse().ok()).unwrap_or(60),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).unwrap_or(1),
            "--replay" => {
                let (Some(file), Some(name)) = (args.next(), args.next()) else {
                    eprintln!("fuzz: --replay FILE TARGET");
                    return ExitCode::from(2);
                };
                let Some((_, entry)) = TARGETS.iter().find(|(n, _)| *n == name) else {
                    eprintln!("fuzz: no target {name}");
                    return ExitCode::from(2);
                };
                let input = match std::fs::read(&file) {
                    Ok(b) => b,
                    Err(e) => {
                        eprintln!("fuzz: cannot read {file}: {e}");
                        return ExitCode::from(2);
                    }
                };
                entry(&input);
                println!("{name}: {file} runs without a panic");
                return ExitCode::SUCCESS;
            }
            _ => names.push(arg),
        }
    }
    if names.is_empty() {
        names = TARGETS.iter().map(|(n, _)| n.to_string()).collect();
    }
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut failed = false;
    for name in &names {
        let Some((_, entry)) = TARGETS.iter().find(|(n, _)| n == name) else {
            eprintln!("fuzz: no target {name}");
            return ExitCode::from(2);
        };
        let seeds = mutate::seeds(&corpus, name);
        let mut rng = mutate::Rng::new(seed);
        let mut input = seeds[0].clone();
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let mut runs = 0u64;
        while Instant::now() < deadline {
            if rng.below(4) != 0 {
                input = seeds[rng.below(seeds.len())].clone();
            }
            let other = &seeds[rng.below(seeds.len())];
            input = mutate::mutate(&mut rng, &input, other);
            runs += 1;
            if catch_unwind(AssertUnwindSafe(|| entry(&input))).is_err() {
                let path = format!("fuzz-failure-{name}-{runs}");
                let _ = std::fs::write(&path, &input);
                eprintln!("fuzz: {name} panicked at run {runs}; input saved in {path}");
                failed = true;
                break;
            }
        }
        println!("{name}: {runs} runs in {seconds} s, seed {seed}");
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
