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
use mapping_lint::lint::FileReport;
use std::process::ExitCode;

/// A failure that is not a lint finding: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct UsageError {
    pub message: String,
    pub help: Option<String>,
    /// The error as a finding in the file it is about (a config, profile
    /// or baseline that cannot be used): shown as a snippet after the
    /// message, and written by `check` to its report destinations.
    pub report: Option<Box<FileReport>>,
}

impl UsageError {
    pub fn new(message: impl Into<String>) -> UsageError {
        UsageError {
            message: message.into(),
            help: None,
            report: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> UsageError {
        self.help = Some(help.into());
        self
    }

    pub fn with_report(mut self, report: FileReport) -> UsageError {
        self.report = Some(Box::new(report));
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

/// A command-line error from clap in the tool's own style: one
/// `mapping-lint: error:` line and one `help:` line, like every other error
/// (clap's own layout is several paragraphs with another prefix). A value
/// that is close to, or a common name for, a format gets a did-you-mean.
pub fn usage_error(err: &clap::Error) -> UsageError {
    let rendered = err.render().to_string();
    let mut lines = rendered.lines().map(str::trim_end).peekable();
    let mut message = lines
        .next()
        .unwrap_or_default()
        .trim_start_matches("error: ")
        .to_string();
    // Continuation lines of the message (the missing arguments).
    while let Some(line) = lines.peek() {
        let trimmed = line.trim();
        if line.starts_with(' ') && !trimmed.is_empty() && !trimmed.starts_with('[') && !trimmed.starts_with("tip:") {
            message.push_str(if message.ends_with(':') { " " } else { ", " });
            message.push_str(trimmed);
            lines.next();
        } else {
            break;
        }
    }
    let suggestion = format_suggestion(err);
    let mut help = Vec::new();
    for line in lines {
        let line = line.trim();
        if let Some(values) = line
            .strip_prefix("[possible values: ")
            .and_then(|l| l.strip_suffix(']'))
        {
            help.push(format!("possible values: {values}"));
        } else if let Some(tip) = line.strip_prefix("tip: ") {
            // Ours says the same about formats, and knows other tools' names.
            if suggestion.is_none() {
                help.push(tip.replace('\'', "`"));
            }
        } else if let Some(usage) = line.strip_prefix("Usage: ") {
            help.push(format!("usage: {usage}"));
        }
    }
    help.push("`--help` lists the options".to_string());
    let help = help.join("; ");
    let help = match suggestion {
        Some(s) => format!("{s} {help}"),
        None => help,
    };
    UsageError::new(message.replace('\'', "`")).with_help(help)
}

/// Did-you-mean for a `--format` value: other tools' names for a format
/// (`text`, `sarif2`, `xml`, `gha`), else the closest name.
fn format_suggestion(err: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue};
    if err.kind() != clap::error::ErrorKind::InvalidValue {
        return None;
    }
    let arg = match err.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(arg)) => arg.clone(),
        _ => return None,
    };
    if !arg.starts_with("--format") && !arg.starts_with("-f") {
        return None;
    }
    let value = match err.get(ContextKind::InvalidValue) {
        Some(ContextValue::String(value)) => value.to_lowercase(),
        _ => return None,
    };
    let valid: Vec<String> = match err.get(ContextKind::ValidValue) {
        Some(ContextValue::Strings(values)) => values.clone(),
        _ => return None,
    };
    let suggestion = format_alias(&value)
        .filter(|s| valid.iter().any(|v| v == s))
        .map(str::to_string)
        .or_else(|| mapping_lint::suggest::closest(&value, valid.iter().map(String::as_str)).map(str::to_string))?;
    Some(format!("did you mean `{suggestion}`?"))
}

/// What other tools call the formats.
pub fn format_alias(name: &str) -> Option<&'static str> {
    Some(match name {
        "text" | "txt" | "plain" | "pretty" | "default" | "console" | "terminal" | "tty" => "human",
        "short" | "compact" | "line" | "lines" | "oneline" | "grouped" => "concise",
        "verbose" | "long" | "detailed" => "full",
        "gha" | "github-actions" | "actions" | "gh" => "github",
        "ado" | "azure-devops" | "azure-pipelines" | "vso" | "tfs" => "azure",
        "xml" | "junit-xml" | "test" | "tests" => "junit",
        "sarif2" | "sarif-json" | "code-scanning" => "sarif",
        "ndjson" | "jsonl" | "json-lines" | "machine" => "json",
        _ => return None,
    })
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
