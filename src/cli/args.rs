//! The command line, declared once with clap. Help text, shell completions
//! and the man page are all generated from these definitions.

use clap::{Args, Parser, Subcommand, ValueEnum};
use mapping_lint::Severity;
use mapping_lint::model::JobKind;
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
    subcommand_negates_reqs = true,
    arg_required_else_help = true
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
    Check(Box<CheckArgs>),
    /// Explain a rule, or list all rules
    Rule(RuleArgs),
    /// Compare the mapping tables of two exports, or of an export and a profile's reference
    Diff(DiffArgs),
    /// List the built-in reference profiles, or print one as YAML
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Parse, check and evaluate one expression
    Eval(EvalArgs),
    /// Show what Entra would send for given users and groups, offline
    Preview(Box<PreviewArgs>),
    /// Fetch a provisioning job's schema from Microsoft Graph, write it in a stable form, lint it
    Pull(Box<PullArgs>),
    /// Deploy a checked schema through Microsoft Graph: lint, plan, back up, replace, verify
    Push(Box<PushArgs>),
    /// Print shell completions
    Completions {
        /// The shell to generate completions for
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write one page per subcommand with --dir
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write mapping-lint.1 and one page per subcommand (mapping-lint-check.1, …) into DIR
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour output going to a terminal (`to_terminal`) or not:
    /// `auto` colours a terminal unless `NO_COLOR` is set and not empty.
    pub fn enabled(self, to_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("fix_or_diff").args(["fix", "diff"]).multiple(true)))]
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

    /// Let paths named in the config file or a profile (`profile:`, `extends:`) lead outside the repository
    ///
    /// By default such a path must stay inside the repository of the file that names it (the
    /// nearest directory upwards with `.git`, else the file's directory), symbolic links followed,
    /// so that a repository's files cannot make a CI run read the runner's files. Paths given on
    /// the command line are always allowed.
    #[arg(long, help_heading = "Rules")]
    pub allow_outside_paths: bool,

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

    /// Also write a report in FORMAT to FILE (repeatable), in the same run as the main report
    ///
    /// For example `-f github --report sarif=results.sarif --report junit=junit.xml` annotates the
    /// pull request and writes files for code scanning and the test tab. -f/-o still choose the
    /// main report; a FILE may not be an input or another report's file.
    #[arg(long = "report", value_name = "FORMAT=FILE", value_parser = parse_report_target, help_heading = "Output")]
    pub reports: Vec<ReportTarget>,

    /// When to use colours (NO_COLOR is honoured by `auto`)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = "Output")]
    pub color: ColorChoice,

    /// Print only the summary
    #[arg(short, long, help_heading = "Output")]
    pub quiet: bool,

    /// Print the number of findings per rule instead of the findings
    #[arg(long, help_heading = "Output")]
    pub statistics: bool,

    /// Apply safe fixes to the files in place; for `-`, print the fixed text to stdout and the report to stderr
    #[arg(long, help_heading = "Fixes")]
    pub fix: bool,

    /// Also apply unsafe fixes (they may change provisioning behaviour); needs --fix or --diff
    #[arg(long, requires = "fix_or_diff", help_heading = "Fixes")]
    pub unsafe_fixes: bool,

    /// Print the fixes as a unified diff instead of writing them; exit 1 if any fix is pending
    #[arg(long, conflicts_with_all = ["output", "statistics", "quiet"], help_heading = "Fixes")]
    pub diff: bool,

    /// Directory walks skip files and directories matching these globs, replacing the defaults
    ///
    /// A pattern without `/` matches a name anywhere (`node_modules`, `*.sarif.json`); one with `/`
    /// matches a path relative to the current directory. Defaults: node_modules, package.json,
    /// package-lock.json, tsconfig.json. Files named on the command line are always linted.
    #[arg(long, value_delimiter = ',', value_name = "GLOB,...", help_heading = "Input")]
    pub exclude: Option<Vec<String>>,

    /// Like --exclude, but adds to the defaults (or to the config's `exclude:`)
    #[arg(long, value_delimiter = ',', value_name = "GLOB,...", help_heading = "Input")]
    pub extend_exclude: Vec<String>,

    /// List the files a directory walk skipped and why; one block per finding in human output
    #[arg(short, long, help_heading = "Output")]
    pub verbose: bool,

    /// Name to report for `-` (stdin)
    #[arg(long, value_name = "NAME", help_heading = "Input")]
    pub stdin_filename: Option<String>,

    /// Suppress the findings recorded in this baseline file
    ///
    /// Entries that no longer match a finding are reported as `unused-suppression`.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "write_baseline",
        help_heading = "Baseline"
    )]
    pub baseline: Option<PathBuf>,

    /// Record the current findings in FILE as a baseline, then exit 0 without printing a report
    ///
    /// Entries are keyed by file, rule and a key that survives reordering (object mappings by
    /// source object, attribute mappings by target attribute), so later runs with
    /// `--baseline FILE` report only new findings. Refuses to overwrite an input or a file that is
    /// not a mapping-lint baseline.
    #[arg(long, value_name = "FILE", help_heading = "Baseline")]
    pub write_baseline: Option<PathBuf>,

    /// Refuse inputs larger than this many bytes
    #[arg(long, value_name = "BYTES", default_value_t = 256 * 1024 * 1024, help_heading = "Input")]
    pub max_file_size: u64,
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// List the built-in profiles: name, application, job kind and source document
    List,
    /// Print a profile (built-in name or YAML file) as YAML
    Show {
        /// A built-in profile name or the path of a profile file
        #[arg(value_name = "NAME|PATH")]
        name: String,
    },
    /// Print a profile that makes an approved export the reference (redirect it to a .yaml file)
    FromExport {
        /// The approved export
        #[arg(value_name = "EXPORT")]
        export: PathBuf,
        /// The new profile's name [default: the export's file name without extension, then `-approved`]
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
    },
}

/// `--report FORMAT=FILE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportTarget {
    pub format: Format,
    pub path: PathBuf,
}

fn parse_report_target(value: &str) -> Result<ReportTarget, String> {
    let formats = || {
        Format::value_variants()
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some((name, path)) = value.split_once('=') else {
        return Err(format!(
            "expected FORMAT=FILE, e.g. sarif=results.sarif (formats: {})",
            formats()
        ));
    };
    let format = Format::from_str(name, true).map_err(|_| {
        let lower = name.to_lowercase();
        let names: Vec<&str> = Format::value_variants().iter().map(|f| f.name()).collect();
        let suggestion = super::format_alias(&lower).or_else(|| mapping_lint::suggest::closest(&lower, names));
        match suggestion {
            Some(s) => format!("unknown format `{name}`: did you mean `{s}`? (formats: {})", formats()),
            None => format!("unknown format `{name}` (formats: {})", formats()),
        }
    })?;
    if path.is_empty() || path == "-" {
        return Err("FILE must be a file path; use -f to choose the report on stdout".to_string());
    }
    Ok(ReportTarget {
        format,
        path: PathBuf::from(path),
    })
}

#[derive(Debug, Args)]
#[command(after_help = "Exit codes: 0 evaluated; 1 invalid expression or failed evaluation; 2 bad --input or --kind.")]
pub struct EvalArgs {
    /// The expression, e.g. 'Join(" ", [givenName], [surname])'
    #[arg(value_name = "EXPRESSION", allow_hyphen_values = true)]
    pub expression: String,

    /// Attribute values: a JSON object inline, a path to a file holding one, or `-` for stdin
    #[arg(long, value_name = "JSON|PATH")]
    pub input: Option<String>,

    /// Check the expression as `check` does in an export of this kind of job: the rules that
    /// apply and the function reference they check against (Cloud Sync's documents DNComponent
    /// and Trim, not Coalesce); `unknown` reads it as app provisioning
    #[arg(long, value_enum, value_name = "KIND", default_value_t = JobKind::Unknown)]
    pub kind: JobKind,

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
#[command(
    long_about = "Compare the mapping tables of two exports semantically, or of an export and the reference table \
        of --profile.\n\nPer object mapping (matched by source object), rows `target ← source (flow, matching, \
        default)` are compared by target. Mapping order, whitespace, the `parameters` layout and provably \
        equivalent expressions do not count as differences.",
    after_help = "Exit codes: 0 equal; 1 different; 2 usage error, unreadable file or invalid JSON."
)]
pub struct DiffArgs {
    /// The old export; `-` reads stdin; `live:SERVICE_PRINCIPAL_ID[/JOB_ID]` the deployed schema
    #[arg(value_name = "A")]
    pub a: PathBuf,

    /// The new export (or `live:ID[/JOB]`); without it, A is compared with the reference table of --profile
    #[arg(value_name = "B")]
    pub b: Option<PathBuf>,

    /// Reference profile for a one-file diff: a built-in name or a YAML file [default: the config's
    /// `profile:`, else astrato]
    #[arg(long, value_name = "NAME|PATH", conflicts_with = "b")]
    pub profile: Option<String>,

    /// Config file whose `profile:` a one-file diff uses [default: the nearest .mapping-lint.yaml]
    #[arg(long, value_name = "PATH", conflicts_with = "b")]
    pub config: Option<PathBuf>,

    /// Let paths named in the config file or a profile (`profile:`, `extends:`) lead outside the repository
    ///
    /// By default such a path must stay inside the repository of the file that names it (the
    /// nearest directory upwards with `.git`, else the file's directory), symbolic links followed,
    /// so that a repository's files cannot make a CI run read the runner's files. Paths given on
    /// the command line are always allowed.
    #[arg(long)]
    pub allow_outside_paths: bool,

    /// Output format
    #[arg(short = 'f', long, value_enum, default_value_t = DiffFormat::Human, help_heading = "Output")]
    pub format: DiffFormat,

    /// Write the diff to this file instead of stdout
    #[arg(short = 'o', long, value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,

    /// When to use colours (NO_COLOR is honoured by `auto`)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = "Output")]
    pub color: ColorChoice,

    /// Also show equal object mappings, unchanged counts and why sources are (not) equivalent
    #[arg(short, long, help_heading = "Output")]
    pub verbose: bool,

    /// Refuse inputs larger than this many bytes
    #[arg(long, value_name = "BYTES", default_value_t = 256 * 1024 * 1024, help_heading = "Input")]
    pub max_file_size: u64,

    /// Microsoft Graph settings, used only when A or B is `live:ID[/JOB]`
    #[command(flatten)]
    pub live: LiveArgs,
}

/// Where and how the live commands reach Microsoft Graph.
#[derive(Debug, Clone, Args)]
pub struct LiveArgs {
    /// National cloud whose Graph and login endpoints to use
    #[arg(long, value_enum, default_value_t = CloudChoice::Public, help_heading = "Microsoft Graph")]
    pub cloud: CloudChoice,

    /// Graph base URL (requests go to URL/v1.0/…) [default: the cloud's]
    #[arg(
        long,
        value_name = "URL",
        env = "MAPPING_LINT_GRAPH_ENDPOINT",
        help_heading = "Microsoft Graph"
    )]
    pub graph_endpoint: Option<String>,

    /// Microsoft Entra authority (tokens from URL/TENANT/oauth2/v2.0/token) [default: the cloud's]
    #[arg(
        long,
        value_name = "URL",
        env = "MAPPING_LINT_AUTHORITY",
        help_heading = "Microsoft Graph"
    )]
    pub authority: Option<String>,

    /// Give up after this many seconds (all requests and retries together)
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 120,
        help_heading = "Microsoft Graph"
    )]
    pub timeout: u64,
}

/// `--cloud`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CloudChoice {
    /// graph.microsoft.com, login.microsoftonline.com
    Public,
    /// graph.microsoft.us, login.microsoftonline.us (US Government L4)
    Usgov,
    /// microsoftgraph.chinacloudapi.cn, login.chinacloudapi.cn (operated by 21Vianet)
    China,
}

/// Options `pull` and `push` share with `check` for linting.
#[derive(Debug, Clone, Args)]
pub struct LiveLintArgs {
    /// Reference profile for the lint: a built-in name, a YAML file, or `none`
    #[arg(long, value_name = "NAME|PATH", env = "MAPPING_LINT_PROFILE", help_heading = "Rules")]
    pub profile: Option<String>,

    /// Config file [default: the nearest .mapping-lint.yaml from the current directory upwards]
    #[arg(long, value_name = "PATH", help_heading = "Rules")]
    pub config: Option<PathBuf>,

    /// Let paths named in the config file or a profile (`profile:`, `extends:`) lead outside the repository
    ///
    /// By default such a path must stay inside the repository of the file that names it (the
    /// nearest directory upwards with `.git`, else the file's directory), symbolic links followed,
    /// so that a repository's files cannot make a CI run read the runner's files. Paths given on
    /// the command line are always allowed.
    #[arg(long, help_heading = "Rules")]
    pub allow_outside_paths: bool,

    /// Lowest severity that makes the lint fail
    #[arg(long, value_enum, value_name = "LEVEL", help_heading = "Rules")]
    pub fail_on: Option<Severity>,
}

#[derive(Debug, Args)]
#[command(
    long_about = "Fetch the synchronization schema of a provisioning job from Microsoft Graph         (GET /servicePrincipals/{id}/synchronization/jobs/{jobId}/schema), write it pretty-printed with sorted         keys and without volatile fields (the same schema always gives the same bytes) and credentials masked,         then lint it like `check` does.\n\nWithout --job, the service principal's only job is used (several jobs         are listed). Authentication comes from the environment: see docs/live.md.",
    after_help = "Exit codes: 0 written (and no finding at or above --fail-on); 1 findings; 2 error (network,         authentication, permission, not found)."
)]
pub struct PullArgs {
    /// The service principal's object id (Enterprise applications → Overview → Object ID)
    #[arg(long, value_name = "ID")]
    pub service_principal: String,

    /// The synchronization job id [default: the service principal's only job]
    #[arg(long, value_name = "ID")]
    pub job: Option<String>,

    /// Write the schema to FILE and lint it; without it the schema goes to stdout, unlinted
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Do not lint the written file
    #[arg(long)]
    pub no_check: bool,

    /// Trace requests (method, URL, status, retries) on stderr; credentials are never shown
    #[arg(short, long)]
    pub verbose: bool,

    #[command(flatten)]
    pub lint: LiveLintArgs,

    #[command(flatten)]
    pub live: LiveArgs,
}

#[derive(Debug, Args)]
#[command(
    long_about = "Deploy a schema file to a provisioning job through Microsoft Graph, guarded:\n        1. lint FILE (refuse on findings at or above --fail-on);\n        2. pull the live schema and print the semantic diff as a plan, high-impact changes marked `!`;\n        3. with --dry-run, stop (exit 3 when the plan has changes);\n        4. ask for confirmation (or take --yes), save the live schema as a backup file;\n        5. replace the schema (PUT …/jobs/{jobId}/schema) with FILE as it is;\n        6. pull again and verify the live schema equals FILE semantically (else print the restore command).",
    after_help = "Exit codes: 0 pushed and verified, or nothing to change; 1 FILE has findings at or above --fail-on         (nothing sent); 2 error; 3 the plan has changes that were not applied (--dry-run, or the confirmation         was declined); 4 pushed, but the live schema differs from FILE afterwards."
)]
pub struct PushArgs {
    /// The schema file to deploy
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The service principal's object id (Enterprise applications → Overview → Object ID)
    #[arg(long, value_name = "ID")]
    pub service_principal: String,

    /// The synchronization job id [default: the service principal's only job]
    #[arg(long, value_name = "ID")]
    pub job: Option<String>,

    /// Stop after printing the plan; exit 3 if it has changes
    #[arg(long, conflicts_with = "yes")]
    pub dry_run: bool,

    /// Apply without asking (required when stdin is not a terminal)
    #[arg(long)]
    pub yes: bool,

    /// Where to save the live schema before replacing it [default: FILE's directory,
    /// `<FILE stem>.live-backup-<UTC time>.json`]
    #[arg(long, value_name = "PATH")]
    pub backup: Option<PathBuf>,

    /// When to use colours in the plan (NO_COLOR is honoured by `auto`)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = "Output")]
    pub color: ColorChoice,

    /// Trace requests (method, URL, status, retries) on stderr; credentials are never shown
    #[arg(short, long, help_heading = "Output")]
    pub verbose: bool,

    /// Refuse a FILE larger than this many bytes
    #[arg(long, value_name = "BYTES", default_value_t = 256 * 1024 * 1024, help_heading = "Input")]
    pub max_file_size: u64,

    #[command(flatten)]
    pub lint: LiveLintArgs,

    #[command(flatten)]
    pub live: LiveArgs,
}

/// `diff --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A coloured unified diff of the normalised tables, one section per object mapping
    Human,
    /// Added, removed and changed rows with JSON Pointers (schemas/diff.schema.json)
    Json,
}

#[derive(Debug, Args)]
#[command(
    long_about = "Show what Entra would send for given users and groups — offline, without a tenant.\n\n\
        For every object: the object mapping that applies, whether the scoping filter lets it in (and \
        which clause excluded it), the matching requests in matchingPriority order, every attribute \
        mapping's value, and the SCIM request (POST, PATCH, or the deprovisioning PATCH). Findings across \
        the set — duplicate or missing matching values, required targets without a value, constraint \
        violations, expressions that fail for an object — are reported like lint findings. See docs/preview.md.",
    after_help = "Exit codes: 0 no finding at or above --fail-on; 1 findings; 2 usage error, unreadable export or objects."
)]
pub struct PreviewArgs {
    /// The export (synchronization schema JSON); `-` reads stdin
    #[arg(value_name = "EXPORT")]
    pub export: PathBuf,

    /// Users and groups as Graph returns them: one object, an array, a list response `{"value": [...]}`,
    /// or JSON Lines (streamed); `-` reads stdin
    #[arg(long, value_name = "FILE")]
    pub objects: PathBuf,

    /// Use this object mapping (its name or source object, e.g. `User`) for every object
    /// [default: by each object's type]
    #[arg(long, value_name = "NAME")]
    pub object_mapping: Option<String>,

    /// Check every value against this profile's value constraints (max-length,
    /// forbidden-characters, required-non-empty, single-valued): a built-in name or a YAML file
    /// [default: none]
    #[arg(long, value_name = "NAME|PATH", env = "MAPPING_LINT_PROFILE")]
    pub profile: Option<String>,

    /// Which provisioning step to show
    #[arg(long, value_enum, default_value_t = PreviewOperation::Create)]
    pub operation: PreviewOperation,

    /// Treat `accountEnabled: false` as soft-deleted (IsSoftDeleted = True)
    #[arg(long)]
    pub disabled_means_soft_deleted: bool,

    /// PATCH dialect: what Entra sends by default, or with the `aadOptscim062020` tenant-URL flag
    #[arg(long, value_enum, default_value_t = PatchStyleArg::Default, value_name = "STYLE")]
    pub patch_style: PatchStyleArg,

    /// Lowest severity that makes the exit code 1
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = Severity::Error)]
    pub fail_on: Severity,

    /// Output format
    #[arg(short = 'f', long, value_enum, default_value_t = PreviewFormat::Human, help_heading = "Output")]
    pub format: PreviewFormat,

    /// Write the preview to this file instead of stdout
    #[arg(short = 'o', long, value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,

    /// Refuse an export larger than this many bytes (objects are streamed and not limited)
    #[arg(long, value_name = "BYTES", default_value_t = 256 * 1024 * 1024, help_heading = "Input")]
    pub max_file_size: u64,
}

/// `preview --operation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PreviewOperation {
    /// The object is new in the application: match, then POST
    Create,
    /// The object exists: the PATCH of the mappings that flow on update
    Update,
    /// The object left the scope: the deprovisioning PATCH (active = false)
    Disable,
}

/// `preview --patch-style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PatchStyleArg {
    /// Operations `Replace`/`Add`, booleans as "True"/"False" strings
    Default,
    /// With aadOptscim062020: lower-case operations, JSON booleans, one path-less replace
    Compliant,
}

/// `preview --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PreviewFormat {
    /// Per object a table `target ← source = value` and the request
    Human,
    /// JSON Lines: one record per object, then a summary (schemas/preview.schema.json)
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
    fn report_targets_name_a_format_and_a_file() {
        let cli = Cli::try_parse_from([
            "mapping-lint",
            "a.json",
            "--report",
            "sarif=out/x=y.sarif",
            "--report",
            "JUnit=j.xml",
        ])
        .unwrap();
        assert_eq!(
            cli.check.reports,
            vec![
                ReportTarget {
                    format: Format::Sarif,
                    path: PathBuf::from("out/x=y.sarif")
                },
                ReportTarget {
                    format: Format::Junit,
                    path: PathBuf::from("j.xml")
                },
            ]
        );
        for bad in ["sarif", "nope=x", "sarif=", "json=-"] {
            assert!(
                Cli::try_parse_from(["mapping-lint", "a.json", "--report", bad]).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn baseline_and_write_baseline_conflict() {
        assert!(Cli::try_parse_from(["mapping-lint", "a.json", "--baseline", "b", "--write-baseline", "c"]).is_err());
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
