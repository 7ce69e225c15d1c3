//! The command line, declared once with clap. Help text, shell completions
//! and the man page are all generated from these definitions.

use clap::{Args, Parser, Subcommand, ValueEnum};
use mapping_lint::Severity;
use mapping_lint::output::Format;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "mapping-lint",
    version,
    about = "Lint, fix and diff Microsoft Entra ID provisioning schema exports — offline.",
    long_about = "Lint, fix and diff Microsoft Entra ID provisioning (synchronization schema) exports — offline.\n\n\
        Checks that an exported schema is well-formed, would be accepted by Entra, and implements \
        the application's required mapping table. `mapping-lint PATH…` is short for `mapping-lint check PATH…`.",
    after_help = "Exit codes: 0 no finding at or above --fail-on; 1 findings; 2 usage, config, profile or I/O error.",
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint exports (the default command)
    Check(CheckArgs),
    /// Explain a rule, or list all rules
    Rule(RuleArgs),
    /// Parse, check and evaluate one expression
    Eval(EvalArgs),
    /// Print shell completions
    Completions {
        /// The shell to generate completions for
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    Man,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to lint; directories are searched for *.json; `-` reads stdin
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Reference profile: a built-in name, a YAML file, or `none` for profile-independent rules only
    #[arg(long, value_name = "NAME|PATH", env = "MAPPING_LINT_PROFILE", help_heading = "Rules")]
    pub profile: Option<String>,

    /// Config file [default: the nearest .mapping-lint.yaml from the current directory upwards]
    #[arg(long, value_name = "PATH", help_heading = "Rules")]
    pub config: Option<PathBuf>,

    /// Run only these rules
    #[arg(long, value_delimiter = ',', value_name = "RULE,...", help_heading = "Rules")]
    pub select: Option<Vec<String>>,

    /// Skip these rules
    #[arg(long, value_delimiter = ',', value_name = "RULE,...", help_heading = "Rules")]
    pub ignore: Vec<String>,

    /// Lowest severity that makes the exit code 1
    #[arg(long, value_enum, value_name = "LEVEL", help_heading = "Rules")]
    pub fail_on: Option<Severity>,

    /// Report format
    #[arg(short = 'f', long, value_enum, default_value_t = Format::Human, help_heading = "Output")]
    pub format: Format,

    /// Write the report to this file instead of stdout
    #[arg(short = 'o', long, value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,

    /// When to use colours (NO_COLOR is honoured by `auto`)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = "Output")]
    pub color: ColorChoice,

    /// Print only the summary
    #[arg(short, long, help_heading = "Output")]
    pub quiet: bool,

    /// Print the number of findings per rule instead of the findings
    #[arg(long, help_heading = "Output")]
    pub statistics: bool,

    /// Name to report for `-` (stdin)
    #[arg(long, value_name = "NAME", help_heading = "Input")]
    pub stdin_filename: Option<String>,

    /// Refuse inputs larger than this many bytes
    #[arg(long, value_name = "BYTES", default_value_t = 256 * 1024 * 1024, help_heading = "Input")]
    pub max_file_size: u64,
}

#[derive(Debug, Args)]
#[command(after_help = "Exit codes: 0 evaluated; 1 invalid expression or failed evaluation; 2 bad --input.")]
pub struct EvalArgs {
    /// The expression, e.g. 'Join(" ", [givenName], [surname])'
    #[arg(value_name = "EXPRESSION", allow_hyphen_values = true)]
    pub expression: String,

    /// Attribute values: a JSON object inline, a path to a file holding one, or `-` for stdin
    #[arg(long, value_name = "JSON|PATH")]
    pub input: Option<String>,

    /// Output format
    #[arg(short = 'f', long, value_enum, default_value_t = EvalFormat::Human)]
    pub format: EvalFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    /// The value as JSON on stdout, diagnostics with snippets on stderr
    Human,
    /// One JSON document: value, canonical form, warnings (or errors)
    Json,
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// The rule to explain; without it, list every rule
    pub name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn bare_paths_mean_check() {
        let cli = Cli::try_parse_from(["mapping-lint", "a.json", "--format", "concise"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.check.paths, vec![PathBuf::from("a.json")]);
        assert_eq!(cli.check.format, Format::Concise);
    }

    #[test]
    fn select_takes_comma_lists() {
        let cli = Cli::try_parse_from([
            "mapping-lint",
            "check",
            "--select",
            "anchor-mapped,object-actions",
            "x.json",
        ])
        .unwrap();
        let Some(Command::Check(args)) = cli.command else {
            panic!("expected check")
        };
        assert_eq!(args.select.unwrap(), vec!["anchor-mapped", "object-actions"]);
    }
}
