//! `mapping-lint check`: find the inputs, lint them in parallel, apply or
//! write a baseline, render the report(s), choose the exit code.

use super::args::{CheckArgs, ColorChoice};
use super::{UsageError, exit};
use mapping_lint::Severity;
use mapping_lint::baseline::{self, Baseline};
use mapping_lint::config::{Config, ConfigError};
use mapping_lint::lint::{self, FileReport, LintSettings};
use mapping_lint::output::{self, Format, RenderOptions, Report};
use mapping_lint::profile;
use mapping_lint::source::{LoadError, Origin, SourceFile};
use mapping_lint::write::{Destinations, Mode};
use rayon::prelude::*;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// One thing to read.
pub(super) enum Input {
    File { path: PathBuf, display: String },
    Stdin { display: String },
}

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
    // are found, read and parsed.
    rayon::spawn(lint::prepare);
    let config = config(args.config.as_deref())?;
    let mut settings = settings(&args)?;
    if let Some(config) = &config {
        config.apply(&mut settings);
    }
    // --profile, then the config's `profile:`, then the default.
    let profile_arg = (args.profile.clone())
        .or_else(|| config.as_ref().and_then(|c| c.profile.clone()))
        .unwrap_or_else(|| profile::DEFAULT.to_string());
    settings.profile = super::profile::load(&profile_arg)?.map(Arc::new);
    let inputs = discover(&args.paths, args.stdin_filename.as_deref())?;
    // Check every destination before the (possibly long) run.
    let destinations = destinations(&args)?;
    let writer = writer(&inputs);
    for path in &destinations {
        writer.check(path, Mode::Create)?;
    }
    let baseline = match &args.baseline {
        Some(path) => {
            Some(Baseline::load(path, &display(path)).map_err(|e| UsageError::new(e.to_string()).with_help(e.help()))?)
        }
        None => None,
    };
    let lint_one = |source: SourceFile| lint::lint(source, &settings);
    // What the config's ignores or the baseline accept is never fixed: the
    // fix rounds see (and re-lint to) the findings after suppression.
    let fixing = args.fix || args.diff;
    let lint_for_fix = |source: SourceFile| {
        let mut report = lint_one(source);
        config.iter().for_each(|c| c.filter(&mut report));
        baseline.iter().for_each(|b| b.filter(&mut report));
        report
    };
    let mut files = inputs
        .par_iter()
        .map(|input| load(input, args.max_file_size).map(|s| if fixing { lint_for_fix(s) } else { lint_one(s) }))
        .collect::<Result<Vec<FileReport>, LoadError>>()
        .map_err(|e| UsageError {
            help: miette::Diagnostic::help(&e).map(|h| h.to_string()),
            ..UsageError::new(e.to_string())
        })?;
    let mut fixed = None;
    if fixing {
        let mut outcome = super::fix::apply(&args, files, &lint_for_fix);
        if args.diff {
            return Ok(super::fix::finish_diff(&outcome, &args));
        }
        // The report tracks which suppressions were used, so it starts again
        // from the unsuppressed findings of the fixed text.
        files = std::mem::take(&mut outcome.files)
            .into_par_iter()
            .map(|report| FileReport {
                fixed: report.fixed,
                ..lint_one(report.source)
            })
            .collect();
        fixed = Some(outcome);
    }
    // Suppression steps run after linting (and fixing), each on the whole
    // run: the config's `ignore` entries, then the baseline. Each reports
    // its own entries that matched nothing.
    let config_unused = config.as_ref().and_then(|c| c.suppress(&mut files, &settings));
    // After `--fix`, a baseline records or suppresses what remains.
    if let Some(path) = &args.write_baseline {
        if fixed.as_ref().is_some_and(|f| f.failed) {
            return Ok(ExitCode::from(exit::ERROR));
        }
        return write_baseline(&writer, path, &files);
    }
    if let Some(baseline) = &baseline
        && let Some(unused) = baseline.apply(&mut files, &settings)
    {
        files.push(unused);
    }
    files.extend(config_unused);
    let report = Report {
        files,
        profile: settings.profile.as_ref().map(|p| p.name.clone()),
    };

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
        color: match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        },
        width: if to_terminal {
            terminal_size::terminal_size().map_or(100, |(w, _)| usize::from(w.0))
        } else {
            100
        },
        quiet: args.quiet,
        statistics: args.statistics,
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

    if fixed.is_some_and(|f| f.failed) {
        return Ok(ExitCode::from(exit::ERROR));
    }
    let fail_on = (args.fail_on)
        .or_else(|| config.as_ref().and_then(|c| c.fail_on))
        .unwrap_or(Severity::Error);
    let failed = report.max_severity().is_some_and(|s| s >= fail_on);
    Ok(ExitCode::from(if failed { exit::FINDINGS } else { exit::CLEAN }))
}

/// The config file: `--config PATH`, or the nearest `.mapping-lint.yaml`
/// from the current directory upwards.
/// The config file given with `--config`, else the nearest one found.
pub(super) fn config(explicit: Option<&Path>) -> Result<Option<Config>, UsageError> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None => match std::env::current_dir().ok().and_then(|dir| Config::discover(&dir)) {
            Some(found) => found,
            None => return Ok(None),
        },
    };
    let shown = display(&path);
    Config::load(&path).map(Some).map_err(|e| match e {
        ConfigError::Io { source, .. } => UsageError::new(format!("cannot read config {shown}: {source}"))
            .with_help("check the path given with --config"),
        ConfigError::Invalid(err) => UsageError::new(format!("invalid config {err}"))
            .with_help(match &err.help {
                Some(help) => format!("{help} (fix the config file; docs/configuration.md describes it)"),
                None => "fix the config file; docs/configuration.md describes it".to_string(),
            })
            .with_detail(err.without_help().render(false)),
    })
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
fn write_output(writer: &Destinations, path: Option<&Path>, bytes: &[u8], to_stderr: bool) -> Result<(), UsageError> {
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

/// Expands directories into their `*.json` files (honouring .gitignore and
/// skipping hidden files, like ripgrep), keeps explicit files whatever their
/// extension, and fails on a path that does not exist. The order is
/// deterministic: arguments as given, each directory's files sorted.
fn discover(paths: &[PathBuf], stdin_name: Option<&str>) -> Result<Vec<Input>, UsageError> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin {
                display: stdin_name.unwrap_or("<stdin>").to_string(),
            });
        } else if path.is_dir() {
            let mut found = Vec::new();
            for entry in ignore::WalkBuilder::new(path).sort_by_file_path(Path::cmp).build() {
                let entry =
                    entry.map_err(|e| UsageError::new(format!("cannot read directory {}: {e}", path.display())))?;
                let p = entry.path();
                if entry.file_type().is_some_and(|t| t.is_file())
                    && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"))
                {
                    found.push(p.to_path_buf());
                }
            }
            if found.is_empty() {
                eprintln!("mapping-lint: warning: no *.json files found in {}", path.display());
            }
            inputs.extend(found.into_iter().map(|p| Input::File {
                display: display(&p),
                path: p,
            }));
        } else if path.exists() {
            inputs.push(Input::File {
                path: path.clone(),
                display: display(path),
            });
        } else {
            return Err(
                UsageError::new(format!("{}: no such file or directory", path.display()))
                    .with_help("check the path; directories are searched for *.json files"),
            );
        }
    }
    Ok(inputs)
}

pub(super) fn display(path: &Path) -> String {
    path.strip_prefix("./").unwrap_or(path).display().to_string()
}

pub(super) fn load(input: &Input, max_size: u64) -> Result<SourceFile, LoadError> {
    Ok(match input {
        Input::File { path, display } => SourceFile::read(path, display.clone(), max_size)?,
        Input::Stdin { display } => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .take(max_size + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| LoadError::Unreadable {
                    path: display.clone(),
                    source: e,
                })?;
            if bytes.len() as u64 > max_size {
                return Err(LoadError::TooLarge {
                    path: display.clone(),
                    size: bytes.len() as u64,
                    limit: max_size,
                });
            }
            SourceFile::from_bytes(display.clone(), Origin::Stdin, bytes)
        }
    })
}
