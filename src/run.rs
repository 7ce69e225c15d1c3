//! `check` as one library run: the order of the stages lives here, so the
//! CLI, the tests, the fuzz targets and the benches all run the same thing.
//!
//! ```text
//! inputs ──read──▶ skip non-exports ──lint──▶ fix rounds (optional) ──▶ relint
//!        ──▶ suppressions (config ignores, then baseline) ──▶ Report
//! ```
//!
//! - Files are read and linted in parallel, one file per task; the order of
//!   the report is the order of the inputs.
//! - What the suppressions accept is never fixed: the fix rounds lint with
//!   the suppressions already applied.
//! - After fixing, the report starts again from the unsuppressed findings of
//!   the fixed text, so the suppression step can tell which entries were used.
//! - `record_baseline` (`--write-baseline`) stops after the config's ignores:
//!   the findings that remain are what a new baseline records.
//!
//! The caller resolves settings (flags over the config file over defaults)
//! and renders [`CheckOutcome::report`]; nothing here prints or reads flags.

use crate::discover::{self, SkipReason};
use crate::fix::FixLevel;
use crate::fix::batch::{self, Outcome as FixOutcome};
use crate::lint::{self, FileReport, LintSettings};
use crate::output::{Report, Suppressed};
use crate::source::{LoadError, Origin, SourceFile};
use crate::suppress::Suppressions;
use rayon::prelude::*;
use std::io::Read;
use std::path::PathBuf;

/// One thing to read.
#[derive(Debug, Clone)]
pub enum Input {
    /// `walked`: found by a directory walk (so it may be skipped as not an
    /// export) rather than named by the user (always linted).
    File {
        path: PathBuf,
        display: String,
        walked: bool,
    },
    /// Standard input, reported under `display`.
    Stdin { display: String },
}

/// What to do about fixable findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixMode {
    /// Apply the fixes and write each changed file (stdin: return the text).
    Write(FixLevel),
    /// Compute the fixes and a unified diff per file; write nothing.
    Diff(FixLevel),
}

/// Everything a check run needs, already resolved.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub settings: LintSettings,
    /// Config ignores and baseline, in the order they apply.
    pub suppressions: Suppressions,
    pub fix: Option<FixMode>,
    /// Inputs larger than this are a load error.
    pub max_file_size: u64,
    /// Stop before the baselines: the report holds what a new baseline
    /// records.
    pub record_baseline: bool,
}

/// What a check run produced.
#[derive(Debug)]
pub struct CheckOutcome {
    /// Findings per linted file (after fixes and suppressions), then one
    /// report per suppression file with its unused entries.
    pub report: Report,
    /// Files found by a directory walk that were passed over, and why.
    pub skipped: Vec<(String, SkipReason)>,
    /// The fix step, when one was asked for.
    pub fixes: Option<FixOutcome>,
}

/// Runs `check` on `inputs`. Fails only when an input cannot be read.
pub fn check(inputs: &[Input], options: &CheckOptions) -> Result<CheckOutcome, LoadError> {
    lint::prepare_in_background();
    let settings = &options.settings;
    let suppressions = &options.suppressions;
    // Fixing sees the findings after suppression, so that it never fixes
    // what a suppression accepts.
    let lint_for_fix = |source: SourceFile| {
        let mut report = lint::lint(source, settings);
        suppressions.filter(&mut report);
        report
    };
    let loaded = inputs
        .par_iter()
        .map(|input| {
            let source = load(input, options.max_file_size)?;
            if matches!(input, Input::File { walked: true, .. }) && !discover::looks_like_export(&source.text) {
                return Ok(Err(source.name));
            }
            Ok(Ok(match options.fix {
                Some(_) => lint_for_fix(source),
                None => lint::lint(source, settings),
            }))
        })
        .collect::<Result<Vec<_>, LoadError>>()?;
    let mut files = Vec::with_capacity(loaded.len());
    let mut skipped = Vec::new();
    for result in loaded {
        match result {
            Ok(report) => files.push(report),
            Err(name) => skipped.push((name, SkipReason::NotAnExport)),
        }
    }

    let fixes = match options.fix {
        Some(mode) if !files.is_empty() => {
            let (level, diff_only) = match mode {
                FixMode::Write(level) => (level, false),
                FixMode::Diff(level) => (level, true),
            };
            let mut outcome = batch::fix_all(files, level, diff_only, &lint_for_fix);
            // The suppression step needs the unsuppressed findings of the
            // fixed text to know which entries were used. (A diff is the
            // whole answer of `--diff`: its report is not shown.)
            files = std::mem::take(&mut outcome.files);
            if !diff_only {
                files = files
                    .into_par_iter()
                    .map(|report| FileReport {
                        fixed: report.fixed,
                        ..lint::lint(report.source, settings)
                    })
                    .collect();
            }
            Some(outcome)
        }
        _ => None,
    };

    let active = if options.record_baseline {
        suppressions.without_baselines()
    } else {
        suppressions.clone()
    };
    let applied = active.apply(&mut files, settings);
    if !options.record_baseline {
        files.extend(applied.unused);
    }
    let report = Report {
        files,
        profile: settings.profile.as_ref().map(|p| p.name.clone()),
        suppressed: Suppressed {
            config: applied.config,
            baseline: applied.baseline,
        },
        fix_failed: fixes.as_ref().is_some_and(|f| f.failed),
    };
    Ok(CheckOutcome { report, skipped, fixes })
}

/// Reads one input, within `max_size` bytes.
pub fn load(input: &Input, max_size: u64) -> Result<SourceFile, LoadError> {
    Ok(match input {
        Input::File { path, display, .. } => SourceFile::read(path, display.clone(), max_size)?,
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
