//! `mapping-lint`: the command-line front end of the `mapping_lint` library.

mod cli;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // Messages quote paths and values from the input: printable only.
            eprintln!("mapping-lint: error: {}", cli::escape(&err.message));
            if let Some(help) = &err.help {
                eprintln!("  help: {}", cli::escape(help));
            }
            if let Some(detail) = &err.detail {
                eprint!("\n{detail}");
            }
            ExitCode::from(cli::exit::ERROR)
        }
    }
}
