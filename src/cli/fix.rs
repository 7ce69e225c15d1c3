//! `--fix`, `--unsafe-fixes` and `--diff`: the CLI side of
//! [`mapping_lint::fix`] (the library fixes; this prints).
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
use mapping_lint::fix::FixLevel;
use mapping_lint::fix::batch::Outcome;
use std::io::Write;
use std::process::ExitCode;

pub fn level(args: &CheckArgs) -> FixLevel {
    if args.unsafe_fixes {
        FixLevel::Unsafe
    } else {
        FixLevel::Safe
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
