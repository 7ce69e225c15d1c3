//! `mapping-lint check`: resolve the settings (flags over the config file
//! over defaults), find the inputs, call the library's check run
//! ([`mapping_lint::run`]), render the report(s), choose the exit code.

use super::args::CheckArgs;
use super::{UsageError, exit};
use mapping_lint::Severity;
use mapping_lint::baseline::{self, Baseline};
use mapping_lint::config::{Config, ConfigError};
use mapping_lint::discover::{self, Exclude, SkipReason};
use mapping_lint::lint::{self, FileReport, FileRole, LintSettings};
use mapping_lint::output::{self, Format, RenderOptions, Report};
use mapping_lint::paths::PathPolicy;
use mapping_lint::profile;
use mapping_lint::run::{self, CheckOptions, FixMode};
pub(super) use mapping_lint::run::{Input, load};
use mapping_lint::suppress::Suppressions;
use mapping_lint::write::{Destinations, Mode};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// Stack of the threads that lint. Every recursion in the linter is bounded
/// (JSON nesting by the parser), but rayon's threads get the platform's
/// default for spawned threads (2 MiB on Linux, less elsewhere) where the
/// main thread has 8 MiB; give them a known size with margin for debug builds.
const LINT_THREAD_STACK: usize = 8 << 20;

pub fn run(args: CheckArgs) -> Result<ExitCode, UsageError> {
    // Fails only if the pool already exists, which then is already usable.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(LINT_THREAD_STACK)
        .build_global();
    // Compile the JSON Schema and the credential patterns while the inputs
    // are found.
    lint::prepare_in_background();
    // Check every destination before the (possibly long) run.
    let destinations = destinations(&args)?;
    let Settings {
        config,
        settings,
        suppressions,
    } = load_settings(&args).map_err(|err| report_unusable_settings(&args, err))?;
    let exclude = exclude(&args, config.as_ref())?;
    let (inputs, mut skipped) = discover(&args, &exclude, &destinations)?;
    let writer = writer(&inputs);
    for path in &destinations {
        writer.check(path, Mode::Create)?;
    }
    let level = super::fix::level(&args);
    let options = CheckOptions {
        settings,
        suppressions,
        fix: if args.diff {
            Some(FixMode::Diff(level))
        } else if args.fix {
            Some(FixMode::Write(level))
        } else {
            None
        },
        max_file_size: args.max_file_size,
        record_baseline: args.write_baseline.is_some(),
    };
    let outcome = run::check(&inputs, &options).map_err(|e| UsageError {
        help: miette::Diagnostic::help(&e).map(|h| h.to_string()),
        ..UsageError::new(e.to_string())
    })?;
    skipped.extend(outcome.skipped);
    if args.verbose {
        for (name, reason) in &skipped {
            eprintln!("mapping-lint: skipped {}: {reason}", super::escape(name));
        }
    }
    if outcome.report.exports() == 0 {
        return Err(nothing_to_lint(&args.paths, &skipped, args.verbose));
    }
    let report = outcome.report;
    let fixed = outcome.fixes;
    if let Some(fixed) = &fixed {
        for error in &fixed.errors {
            eprintln!("mapping-lint: error: {error}");
        }
        if args.diff {
            return Ok(super::fix::finish_diff(fixed, &args));
        }
    }
    // After `--fix`, a baseline records what remains.
    if let Some(path) = &args.write_baseline {
        if report.fix_failed {
            return Ok(ExitCode::from(exit::ERROR));
        }
        return write_baseline(&writer, path, &report.files);
    }

    // With `--fix -`, stdout carries the fixed text and the report goes to stderr.
    let stdin_fixed = fixed.as_ref().and_then(|f| f.stdout.as_ref());
    let report_to_stderr = stdin_fixed.is_some() && args.output.is_none();
    if let Some(bytes) = stdin_fixed {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(bytes)
            .and_then(|()| stdout.flush())
            .map_err(|e| UsageError::new(format!("cannot write the fixed text: {e}")))?;
    }

    let to_terminal = args.output.is_none()
        && if report_to_stderr {
            std::io::stderr().is_terminal()
        } else {
            std::io::stdout().is_terminal()
        };
    let options = RenderOptions {
        color: args.color.enabled(to_terminal),
        width: if to_terminal {
            terminal_size::terminal_size().map_or(100, |(w, _)| usize::from(w.0))
        } else {
            100
        },
        quiet: args.quiet,
        statistics: args.statistics,
        full: args.verbose,
    };
    // Render everything before writing anything, so a failure leaves no
    // half-written set of reports. `--report` files never get colour.
    let file_options = RenderOptions {
        color: false,
        width: 100,
        ..options.clone()
    };
    let mut rendered = vec![(args.output.clone(), render(args.format, &report, &options)?)];
    for target in &args.reports {
        rendered.push((
            Some(target.path.clone()),
            render(target.format, &report, &file_options)?,
        ));
    }
    for (path, bytes) in rendered {
        write_output(&writer, path.as_deref(), &bytes, report_to_stderr)?;
    }

    if report.fix_failed {
        return Ok(ExitCode::from(exit::ERROR));
    }
    let fail_on = (args.fail_on)
        .or_else(|| config.as_ref().and_then(|c| c.fail_on))
        .unwrap_or(Severity::Error);
    let failed = report.max_severity().is_some_and(|s| s >= fail_on);
    Ok(ExitCode::from(if failed { exit::FINDINGS } else { exit::CLEAN }))
}

/// What the run is configured with, read from the flags and the files
/// they name.
struct Settings {
    config: Option<Config>,
    settings: LintSettings,
    suppressions: Suppressions,
}

/// The config file, the rule settings, the profile and the baseline: every
/// settings file is read before any input, so one that cannot be used stops
/// the run before anything is linted.
fn load_settings(args: &CheckArgs) -> Result<Settings, UsageError> {
    let config = config(args.config.as_deref())?;
    let mut settings = settings(args)?;
    if let Some(config) = &config {
        config.apply(&mut settings);
    }
    // --profile, then the config's `profile:`, then the default.
    let (profile_arg, loaded) = load_profile(args.profile.as_deref(), config.as_ref(), args.allow_outside_paths)?;
    settings.profile = loaded.map(Arc::new);
    refuse_empty_selection(args, &settings, &profile_arg)?;
    let mut suppressions = Suppressions::default();
    suppressions.files.extend(config.as_ref().map(Config::suppressions));
    if let Some(path) = &args.baseline {
        let baseline = Baseline::load(path, &display(path)).map_err(|e| {
            let err = UsageError::new(e.to_string()).with_help(e.help());
            match e.to_report() {
                Some(report) => err.with_report(report),
                None => err,
            }
        })?;
        suppressions.files.push(baseline.suppressions());
    }
    Ok(Settings {
        config,
        settings,
        suppressions,
    })
}

/// A settings file that cannot be used stops the run with exit 2, and the
/// message on stderr says why. When the problem has a place in the file,
/// the run's reports say it too, each in its format: a CI job that uploads
/// SARIF or reads annotations points at the line of the config, profile or
/// baseline instead of finding no report. The human formats on the
/// terminal are left to the message, which shows the same snippet.
fn report_unusable_settings(args: &CheckArgs, mut err: UsageError) -> UsageError {
    let Some(file) = err.report.take() else {
        return err;
    };
    let report = Report::of_settings_files(vec![*file]);
    let mut targets: Vec<(Option<&Path>, Format)> = args
        .reports
        .iter()
        .map(|r| (Some(r.path.as_path()), r.format))
        .collect();
    if args.output.is_some() || !matches!(args.format, Format::Human | Format::Full) {
        targets.insert(0, (args.output.as_deref(), args.format));
    }
    // With `--fix -`, stdout is where the fixed text goes (often into a
    // file): the report goes to stderr, as in a run that gets that far.
    let to_stderr = args.fix && args.paths.iter().any(|p| p.as_os_str() == "-");
    // Nothing this run reads may be overwritten: the paths given, and the
    // settings file itself.
    let mut writer = Destinations::new();
    for path in args.paths.iter().chain(&args.config).chain(&args.baseline) {
        writer.protect(path);
    }
    writer.protect(Path::new(&report.files[0].source.name));
    for (path, format) in targets {
        let written = render(format, &report, &RenderOptions::default())
            .and_then(|bytes| write_output(&writer, path, &bytes, to_stderr));
        if let Err(e) = written {
            eprintln!("mapping-lint: error: {}", super::escape(&e.message));
        }
    }
    err.report = report.files.into_iter().next().map(Box::new);
    err
}

/// The config file: `--config PATH`, or the nearest `.mapping-lint.yaml`
/// from the current directory upwards.
pub(super) fn config(explicit: Option<&Path>) -> Result<Option<Config>, UsageError> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        // Found from the current directory upwards: shown (and reported
        // in findings) relative to it, like every other path.
        None => match std::env::current_dir().ok().and_then(|dir| Config::discover(&dir)) {
            Some(found) => relative_to_current_dir(&found),
            None => return Ok(None),
        },
    };
    let shown = display(&path);
    Config::load(&path).map(Some).map_err(|e| match e {
        ConfigError::Io { source, .. } => UsageError::new(format!("cannot read config {shown}: {source}"))
            .with_help("check the path given with --config"),
        ConfigError::Invalid(err) if !err.recognised => UsageError::new(err.to_string())
            .with_help(format!(
                "{}; --config takes the path of a config file (docs/configuration.md)",
                err.help.as_deref().unwrap_or_default()
            ))
            .with_report(err.to_report(FileRole::Config)),
        ConfigError::Invalid(err) => UsageError::new(format!("invalid config {err}"))
            .with_help(match &err.help {
                Some(help) => format!("{help} (fix the config file; docs/configuration.md describes it)"),
                None => "fix the config file; docs/configuration.md describes it".to_string(),
            })
            .with_report(err.to_report(FileRole::Config)),
    })
}

/// The profile: `--profile` (or `MAPPING_LINT_PROFILE`), else the config's
/// `profile:` (a path there must stay inside the repository unless
/// `allow_outside`), else the default. Returns the value used and the
/// profile (`None` for `none`).
pub(super) fn load_profile(
    flag: Option<&str>,
    config: Option<&Config>,
    allow_outside: bool,
) -> Result<(String, Option<profile::Profile>), UsageError> {
    let policy = if allow_outside {
        PathPolicy::Anywhere
    } else {
        PathPolicy::Repository
    };
    let configured = config.and_then(|c| c.profile.as_deref());
    let arg = profile::choose(flag, configured);
    // Named in the config (not asked for): a path there is checked.
    let named_in = match config {
        Some(config) if flag.is_none() && configured.is_some() && config.profile_is_path => Some((
            config.path.as_path(),
            config.profile_as_written.as_deref().unwrap_or(&arg),
        )),
        _ => None,
    };
    let loaded = super::profile::load_in(&arg, named_in, policy)?;
    Ok((arg, loaded))
}

/// `path` (in the current directory or above it) relative to the current
/// directory: `.mapping-lint.yaml`, `../../.mapping-lint.yaml`.
fn relative_to_current_dir(path: &Path) -> PathBuf {
    let Ok(cwd) = std::env::current_dir() else {
        return path.to_path_buf();
    };
    for (up, ancestor) in cwd.ancestors().enumerate() {
        if let Ok(rest) = path.strip_prefix(ancestor) {
            let mut relative: PathBuf = std::iter::repeat_n("..", up).collect();
            relative.push(rest);
            return relative;
        }
    }
    path.to_path_buf()
}

fn settings(args: &CheckArgs) -> Result<LintSettings, UsageError> {
    let settings = LintSettings {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        ..LintSettings::default()
    };
    if let Some(name) = settings.unknown_rule_names().first() {
        return Err(super::rule::unknown_rule(name));
    }
    Ok(settings)
}

fn render(format: Format, report: &Report, options: &RenderOptions) -> Result<Vec<u8>, UsageError> {
    let mut buffer = Vec::new();
    output::render(format, report, options, &mut buffer)
        .map_err(|e| UsageError::new(format!("cannot render the {} report: {e}", format.name())))?;
    Ok(buffer)
}

/// Writes a report to its file, or to stdout (stderr when stdout carries
/// the text fixed by `--fix -`).
pub(super) fn write_output(
    writer: &Destinations,
    path: Option<&Path>,
    bytes: &[u8],
    to_stderr: bool,
) -> Result<(), UsageError> {
    match path {
        Some(path) => Ok(writer.write(path, bytes, Mode::Create)?),
        None => {
            let mut out: Box<dyn Write> = if to_stderr {
                Box::new(std::io::stderr().lock())
            } else {
                Box::new(std::io::stdout().lock())
            };
            match out.write_all(bytes).and_then(|()| out.flush()) {
                // A closed pipe (`| head`) is not an error worth reporting.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(UsageError::new(format!("cannot write the report: {e}")))
                }
                _ => Ok(()),
            }
        }
    }
}

/// The files this run reads, protected from being written.
pub(super) fn writer(inputs: &[Input]) -> Destinations {
    let mut writer = Destinations::new();
    for input in inputs {
        match input {
            Input::File { path, .. } => writer.protect(path),
            Input::Stdin { .. } => writer.protect_stdin(),
        }
    }
    writer
}

/// Every file this run may write: `-o`, each `--report`, `--write-baseline`.
/// Two of them naming the same file is a usage error.
fn destinations(args: &CheckArgs) -> Result<Vec<PathBuf>, UsageError> {
    let all: Vec<&PathBuf> = args
        .output
        .iter()
        .chain(args.reports.iter().map(|r| &r.path))
        .chain(&args.write_baseline)
        .collect();
    let mut seen: Vec<PathBuf> = Vec::new();
    for path in all {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.clone());
        if seen.contains(&absolute) {
            return Err(
                UsageError::new(format!("{} is named as the destination of two reports", path.display()))
                    .with_help("give each report (-o, --report, --write-baseline) its own file"),
            );
        }
        seen.push(absolute);
    }
    Ok(seen)
}

/// `--write-baseline`: record the findings and stop (exit 0).
fn write_baseline(writer: &Destinations, path: &Path, files: &[FileReport]) -> Result<ExitCode, UsageError> {
    if let Ok(existing) = std::fs::read_to_string(path)
        && !baseline::is_baseline(&existing)
    {
        return Err(UsageError::new(format!(
            "refusing to overwrite {}: it is not a mapping-lint baseline",
            path.display()
        ))
        .with_help("delete it first or choose another file for --write-baseline"));
    }
    let text = baseline::render(files, &baseline::base_dir(path));
    writer.write(path, text.as_bytes(), Mode::Create)?;
    let findings: usize = files.iter().map(|f| f.diagnostics.len()).sum();
    eprintln!(
        "mapping-lint: recorded {findings} finding{} of {} file{} in the baseline {}",
        if findings == 1 { "" } else { "s" },
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        path.display()
    );
    Ok(ExitCode::from(exit::CLEAN))
}

/// A file passed over, as shown, and why.
type Skip = (String, SkipReason);

/// Expands directories into their `*.json` files (see
/// [`mapping_lint::discover`]: .gitignore, hidden files, exclude patterns,
/// this run's own outputs), keeps explicit files whatever their extension,
/// and fails on a path that does not exist. The order is deterministic:
/// arguments as given, each directory's files sorted. Returns the inputs
/// and the files passed over, with the reason.
fn discover(args: &CheckArgs, exclude: &Exclude, outputs: &[PathBuf]) -> Result<(Vec<Input>, Vec<Skip>), UsageError> {
    let mut inputs = Vec::new();
    let mut skipped = Vec::new();
    // Without -v, the hidden and ignored files are looked for only when
    // the walk found nothing, to say why.
    if args.paths.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        // The second would read an empty stream.
        return Err(UsageError::new("`-` (stdin) can be given only once"));
    }
    for path in &args.paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin {
                display: args.stdin_filename.as_deref().unwrap_or("<stdin>").to_string(),
            });
        } else if path.is_dir() {
            let walk_err = |e: ignore::Error| UsageError::new(format!("cannot read directory {}: {e}", display(path)));
            let mut walk = discover::walk(path, exclude, outputs, args.verbose).map_err(walk_err)?;
            if walk.files.is_empty() && !args.verbose {
                walk = discover::walk(path, exclude, outputs, true).map_err(walk_err)?;
            }
            skipped.extend(walk.skipped.into_iter().map(|s| (display(&s.path), s.reason)));
            inputs.extend(walk.files.into_iter().map(|p| Input::File {
                display: display(&p),
                path: p,
                walked: true,
            }));
        } else if path.exists() {
            inputs.push(Input::File {
                path: path.clone(),
                display: display(path),
                walked: false,
            });
        } else {
            let err = UsageError::new(format!("{}: no such file or directory", display(path)));
            return Err(match super::subcommand_suggestion(&path.to_string_lossy()) {
                Some(suggestion) => err.with_help(suggestion),
                None => err.with_help("check the path; directories are searched for *.json files"),
            });
        }
    }
    Ok((inputs, skipped))
}

/// The exclude patterns: `--exclude` or the config's `exclude:` (else the
/// defaults), plus `--extend-exclude` and the config's `extend-exclude:`.
/// Flag patterns are relative to the current directory, config patterns
/// to the config file's.
fn exclude(args: &CheckArgs, config: Option<&Config>) -> Result<Exclude, UsageError> {
    let here = PathBuf::from(".");
    let config_dir = config
        .and_then(|c| c.path.parent())
        .map(|d| if d.as_os_str().is_empty() { Path::new(".") } else { d })
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let defaults: Vec<String> = discover::DEFAULT_EXCLUDE.iter().map(|s| s.to_string()).collect();
    let mut groups: Vec<(&Path, &[String])> = Vec::new();
    match (&args.exclude, config.and_then(|c| c.exclude.as_ref())) {
        (Some(flag), _) => groups.push((&here, flag)),
        (None, Some(configured)) => groups.push((&config_dir, configured)),
        (None, None) => groups.push((&here, &defaults)),
    }
    groups.push((&here, &args.extend_exclude));
    if let Some(config) = config {
        groups.push((&config_dir, &config.extend_exclude));
    }
    Exclude::new(groups).map_err(|e| {
        UsageError::new(e.to_string())
            .with_help("exclude patterns are globs: `*` within a name, `**` across directories, e.g. `old/**`")
    })
}

/// No file to lint is not a green run: say what the walk passed over.
fn nothing_to_lint(paths: &[PathBuf], skipped: &[(String, SkipReason)], verbose: bool) -> UsageError {
    let places = paths.iter().map(|p| display(p)).collect::<Vec<_>>().join(", ");
    let message = format!("no export found in {places}");
    // `mapping-lint profiles` lints the directory `profiles/` when there
    // is one: the subcommand was meant.
    if let [path] = paths
        && let Some(suggestion) = super::subcommand_suggestion(&path.to_string_lossy())
    {
        return UsageError::new(message).with_help(suggestion);
    }
    if skipped.is_empty() {
        return UsageError::new(message)
            .with_help("directories are searched for *.json files; name a file to lint it whatever its name");
    }
    let mut reasons: Vec<(String, usize)> = Vec::new();
    for (_, reason) in skipped {
        let key = match reason {
            SkipReason::Excluded(_) => "excluded".to_string(),
            other => other.to_string(),
        };
        match reasons.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => reasons.push((key, 1)),
        }
    }
    let summary = reasons
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ");
    let n = skipped.len();
    UsageError::new(format!(
        "{message} ({n} *.json file{} skipped: {summary})",
        if n == 1 { "" } else { "s" }
    ))
    .with_help(if verbose {
        "name a file on the command line to lint it anyway"
    } else {
        "run with -v to list the skipped files; name a file on the command line to lint it anyway"
    })
}

/// `--select` of rules none of which can run (profile rules under
/// `--profile none`, rules the config turns off) would report a green run
/// that checked nothing.
fn refuse_empty_selection(args: &CheckArgs, settings: &LintSettings, profile: &str) -> Result<(), UsageError> {
    let Some(selected) = &args.select else {
        return Ok(());
    };
    if !settings.rules_that_run().is_empty() {
        return Ok(());
    }
    let list = selected.join(", ");
    let err = UsageError::new(format!("--select {list}: none of these rules runs"));
    Err(if settings.profile.is_none() {
        err.with_help(format!(
            "rules that compare with a reference profile do not run under --profile {profile}; choose a profile \
             or select other rules (`mapping-lint rule` lists them)"
        ))
    } else {
        err.with_help("the config file turns them off, or --ignore removes them; `mapping-lint rule` lists the rules")
    })
}

pub(super) fn display(path: &Path) -> String {
    let shown = path.strip_prefix("./").unwrap_or(path).display().to_string();
    if shown.is_empty() { ".".to_string() } else { shown }
}
