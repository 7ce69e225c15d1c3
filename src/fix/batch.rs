//! Fixing every file of a run: in parallel, each file on its own (one
//! failure never stops the others), written through the one safe write, or
//! only diffed (`--diff`). Choices, documented in docs/fixes.md:
//! - a file whose fix fails keeps its original findings, and the reason is
//!   collected for the caller to print;
//! - on stdin the fixed text (in the input's encoding) is returned, not
//!   written, so `--fix -` works as a filter; a failed fix returns nothing.

use super::{FixError, FixLevel};
use crate::diagnostic::{Applicability, Diagnostic};
use crate::lint::FileReport;
use crate::source::{Origin, SourceFile};
use rayon::prelude::*;

/// What fixing all inputs produced.
#[derive(Debug)]
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
    /// Why, one message per file that could not be fixed (with a help line).
    pub errors: Vec<String>,
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

/// Fixes every file (in parallel) at `level`, writing each changed file
/// unless `diff_only`; `relint` lints a fixed text (with the run's settings
/// and suppressions). Errors are collected in input order.
pub fn fix_all(
    files: Vec<FileReport>,
    level: FixLevel,
    diff_only: bool,
    relint: &(dyn Fn(SourceFile) -> FileReport + Sync),
) -> Outcome {
    let done: Vec<Done> = files
        .into_par_iter()
        .map(|original| fix_one(original, level, diff_only, relint))
        .collect();
    let mut outcome = Outcome {
        files: Vec::with_capacity(done.len()),
        diffs: Vec::new(),
        stdout: None,
        fixes: 0,
        changed: 0,
        failed: false,
        errors: Vec::new(),
        unsafe_left: 0,
    };
    for d in done {
        if let Some(error) = d.error {
            outcome.errors.push(error);
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
    let fixed = match super::fix_file(&original, level, relint) {
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
            diff: Some(super::unified_diff(&original, &result)),
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
    match super::write_fixed(&original.source, &result.source.text) {
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
