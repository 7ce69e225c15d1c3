//! `--fix`, `--unsafe-fixes` and `--diff`: the CLI side of
//! [`mapping_lint::fix`].
//!
//! Choices (documented in docs/fixes.md):
//! - `--unsafe-fixes` needs `--fix` or `--diff` (clap rejects it alone): on
//!   its own it would silently do nothing.
//! - `--diff` never writes; with `--fix` it still only prints (the safer
//!   reading of contradicting flags). Its stdout is the diff alone, so it can
//!   be piped to `patch -p0`; a one-line summary goes to stderr. Exit 1 when
//!   any fix is pending, 0 when none, 2 when a fix failed.
//! - `--fix` on `-` prints the fixed text (in the input's encoding) to
//!   stdout and the report to stderr (or to `--output`), so it works as a
//!   filter. If the fix fails, stdout stays empty and the exit code is 2.
//! - A file whose fix fails keeps its original findings in the report, the
//!   reason goes to stderr, other files are still fixed, and the exit code
//!   is 2.

use super::args::CheckArgs;
use super::exit;
use mapping_lint::diagnostic::{Applicability, Diagnostic};
use mapping_lint::fix::{self, FixError, FixLevel};
use mapping_lint::lint::FileReport;
use mapping_lint::source::{Origin, SourceFile};
use rayon::prelude::*;
use std::io::Write;
use std::process::ExitCode;

/// What fixing all inputs produced.
pub struct Outcome {
    /// Per input: the lint of the fixed text, or the original's when nothing
    /// changed, the fix failed, or only a diff was asked for.
    pub files: Vec<FileReport>,
    /// `--diff`: one unified diff per changed file.
    pub diffs: Vec<String>,
    /// `--fix` on stdin: the bytes to print.
    pub stdout: Option<Vec<u8>>,
    /// Fixes that were (or, with `--diff`, would be) applied.
    pub fixes: usize,
    /// Files that were (or would be) changed.
    pub changed: usize,
    /// Whether any file could not be fixed.
    pub failed: bool,
    /// Unsafe fixes left over when only safe ones were applied.
    pub unsafe_left: usize,
}

/// One input's share of the [`Outcome`].
struct Done {
    report: FileReport,
    diff: Option<String>,
    stdout: Option<Vec<u8>>,
    fixes: usize,
    error: Option<String>,
    /// Findings with an unsafe fix in the final text.
    unsafe_left: usize,
}

fn unsafe_fixes_in(report: &FileReport) -> usize {
    let is_unsafe = |d: &&Diagnostic| d.fix.as_ref().is_some_and(|f| f.applicability == Applicability::Unsafe);
    report.diagnostics.iter().filter(is_unsafe).count()
}

pub fn level(args: &CheckArgs) -> FixLevel {
    if args.unsafe_fixes {
        FixLevel::Unsafe
    } else {
        FixLevel::Safe
    }
}

/// Fixes every file (in parallel), writing them unless `--diff`. Error
/// messages go to stderr in input order.
pub fn apply(args: &CheckArgs, files: Vec<FileReport>, relint: &(dyn Fn(SourceFile) -> FileReport + Sync)) -> Outcome {
    let level = level(args);
    let done: Vec<Done> = files
        .into_par_iter()
        .map(|original| fix_one(original, level, args.diff, relint))
        .collect();
    let mut outcome = Outcome {
        files: Vec::with_capacity(done.len()),
        diffs: Vec::new(),
        stdout: None,
        fixes: 0,
        changed: 0,
        failed: false,
        unsafe_left: 0,
    };
    for d in done {
        if let Some(error) = d.error {
            eprintln!("mapping-lint: error: {error}");
            outcome.failed = true;
        }
        if d.fixes > 0 {
            outcome.fixes += d.fixes;
            outcome.changed += 1;
        }
        outcome.diffs.extend(d.diff);
        if d.stdout.is_some() {
            outcome.stdout = d.stdout;
        }
        if level == FixLevel::Safe {
            outcome.unsafe_left += d.unsafe_left;
        }
        outcome.files.push(d.report);
    }
    outcome
}

fn fix_one(
    original: FileReport,
    level: FixLevel,
    diff_only: bool,
    relint: &(dyn Fn(SourceFile) -> FileReport + Sync),
) -> Done {
    let is_stdin = original.source.origin == Origin::Stdin;
    let fixed = match fix::fix_file(&original, level, relint) {
        Ok(fixed) => fixed,
        Err(e) => return failed(original, &e, is_stdin),
    };
    let Some(result) = fixed.result else {
        // Nothing to fix: a filter still passes its input through.
        let stdout = (is_stdin && !diff_only).then(|| original.source.encode(&original.source.text));
        return Done {
            unsafe_left: unsafe_fixes_in(&original),
            report: original,
            diff: None,
            stdout,
            fixes: 0,
            error: None,
        };
    };
    let fixes = fixed.applied.len();
    let unsafe_left = unsafe_fixes_in(&result);
    if diff_only {
        return Done {
            unsafe_left,
            diff: Some(fix::unified_diff(&original, &result)),
            report: original,
            stdout: None,
            fixes,
            error: None,
        };
    }
    if is_stdin {
        return Done {
            unsafe_left,
            stdout: Some(original.source.encode(&result.source.text)),
            report: result,
            diff: None,
            fixes,
            error: None,
        };
    }
    match fix::write_fixed(&original.source, &result.source.text) {
        Ok(()) => Done {
            unsafe_left,
            report: result,
            diff: None,
            stdout: None,
            fixes,
            error: None,
        },
        Err(e) => failed(original, &e, false),
    }
}

fn failed(original: FileReport, e: &FixError, is_stdin: bool) -> Done {
    let outcome = if is_stdin {
        "nothing was printed"
    } else {
        "the file was left unchanged"
    };
    let mut error = format!("{}: cannot fix: {e}; {outcome}", original.source.name);
    let rules = e.rules();
    if !rules.is_empty() {
        error.push_str(&format!(
            "\n  help: this is a bug in mapping-lint; skip the fix with --ignore {} (and please report it)",
            rules.join(",")
        ));
    } else if matches!(e, FixError::ChangedOnDisk) {
        error.push_str("\n  help: another program changed the file; run mapping-lint again");
    } else if let FixError::Write(e) = e
        && let Some(help) = e.help()
    {
        error.push_str(&format!("\n  help: {help}"));
    }
    Done {
        unsafe_left: 0,
        report: original,
        diff: None,
        stdout: None,
        fixes: 0,
        error: Some(error),
    }
}

/// `--diff`: prints the diffs to stdout and a summary to stderr; the exit
/// code says whether anything is pending.
pub fn finish_diff(outcome: &Outcome, args: &CheckArgs) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    for diff in &outcome.diffs {
        // A closed pipe (`| head`) is not worth an error.
        if stdout.write_all(diff.as_bytes()).is_err() {
            break;
        }
    }
    let _ = stdout.flush();
    let more = match outcome.unsafe_left {
        0 => String::new(),
        n => format!(" ({n} more with --unsafe-fixes)"),
    };
    if outcome.changed > 0 {
        eprintln!(
            "Would fix {} in {}{more}; run with --fix{} to apply.",
            plural(outcome.fixes, "problem"),
            plural(outcome.changed, "file"),
            if args.unsafe_fixes { " --unsafe-fixes" } else { "" }
        );
    } else if !outcome.failed {
        eprintln!("Nothing to fix{more}.");
    }
    ExitCode::from(if outcome.failed {
        exit::ERROR
    } else if outcome.changed > 0 {
        exit::FINDINGS
    } else {
        exit::CLEAN
    })
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}
