//! The binary's edge: parse arguments, dispatch to a command, turn failures
//! into exit code 2 with a one-line message.

mod args;
mod check;
mod diff;
mod eval;
mod fix;
mod preview;
mod profile;
mod rule;

pub use args::Cli;

use args::Command;
use clap::CommandFactory;
use std::process::ExitCode;

/// A failure that is not a lint finding: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct UsageError {
    pub message: String,
    pub help: Option<String>,
    /// A rendered snippet shown after the message (the YAML position of a
    /// bad profile or config).
    pub detail: Option<String>,
}

impl UsageError {
    pub fn new(message: impl Into<String>) -> UsageError {
        UsageError {
            message: message.into(),
            help: None,
            detail: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> UsageError {
        self.help = Some(help.into());
        self
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> UsageError {
        self.detail = Some(detail.into());
        self
    }
}

impl From<mapping_lint::write::WriteError> for UsageError {
    fn from(e: mapping_lint::write::WriteError) -> UsageError {
        let help = e.help();
        let err = UsageError::new(e.to_string());
        match help {
            Some(help) => err.with_help(help),
            None => err,
        }
    }
}

/// Exit codes (product.md §2).
pub mod exit {
    pub const CLEAN: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const ERROR: u8 = 2;
}

pub fn run(cli: Cli) -> Result<ExitCode, UsageError> {
    match cli.command {
        None => check::run(cli.check),
        Some(Command::Check(args)) => check::run(*args),
        Some(Command::Rule(args)) => rule::run(args),
        Some(Command::Diff(args)) => diff::run(args),
        Some(Command::Profile(command)) => profile::run(command),
        Some(Command::Eval(args)) => eval::run(args),
        Some(Command::Preview(args)) => preview::run(*args),
        Some(Command::Completions { shell }) => {
            clap_complete::generate(shell, &mut Cli::command(), "mapping-lint", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Man) => {
            clap_mangen::Man::new(Cli::command())
                .render(&mut std::io::stdout())
                .map_err(|e| UsageError::new(format!("cannot write the man page: {e}")))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
