//! The binary's edge: parse arguments, dispatch to a command, turn failures
//! into exit code 2 with a one-line message.

mod args;
mod check;
mod completions;
mod diff;
mod eval;
mod fix;
mod live;
mod man;
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

/// Exit codes.
pub mod exit {
    pub const CLEAN: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const ERROR: u8 = 2;
    /// `push`: the plan has changes that were not applied (`--dry-run`, or
    /// the confirmation was declined), like `terraform plan -detailed-exitcode`.
    pub const PLAN_HAS_CHANGES: u8 = 3;
    /// `push`: the schema was sent, but the live schema read back differs.
    pub const VERIFY_FAILED: u8 = 4;
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
        Some(Command::Pull(args)) => live::pull(*args),
        Some(Command::Push(args)) => live::push(*args),
        Some(Command::Completions { shell }) => {
            print!("{}", completions::script(shell));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Man(args)) => man::run(args),
    }
}

/// For a path argument that does not exist: the subcommand (or flag) it
/// was probably meant to be, as a help line (`mapping-lint rules` →
/// `mapping-lint rule`).
pub fn subcommand_suggestion(arg: &str) -> Option<String> {
    if arg.contains(['/', '\\', '.']) {
        return None;
    }
    let lower = arg.to_lowercase();
    let flag = match lower.as_str() {
        "version" | "v" => Some("--version"),
        "help" | "h" => Some("--help"),
        _ => None,
    };
    let suggestion = match flag {
        Some(flag) => format!("mapping-lint {flag}"),
        None => {
            let command = Cli::command();
            let names: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
            format!("mapping-lint {}", mapping_lint::suggest::closest(&lower, names)?)
        }
    };
    Some(format!(
        "did you mean `{suggestion}`? A bare path argument means `check PATH`; `mapping-lint --help` lists the subcommands"
    ))
}

/// A name from the input (a file name) made safe for a terminal or a CI
/// log: control characters are written as escapes.
pub fn escape(text: &str) -> String {
    mapping_lint::output::printable(text).into_owned()
}
