//! Found while the run's settings are loaded, before anything is linted: it
//! is registered as a run-level check. The finding is built from the
//! loader's error ([`crate::baseline::BaselineError::to_report`]).

use super::{Described, RuleMeta};

declare_rule! {
    /// The baseline file cannot be used; nothing was linted.
    ///
    /// ## What it does
    /// Reports a file given with `--baseline` that is not a baseline this
    /// version of mapping-lint reads: JSON that does not parse, another
    /// document (a report, an export), a baseline of another version, or an
    /// entry with a count of 0.
    ///
    /// The run stops before linting anything and exits with 2, whatever
    /// `--select`, `--ignore` and `--fail-on` say. The finding points at the
    /// place in the baseline file, in every format.
    ///
    /// ## Why it matters
    /// A baseline that is skipped would turn every accepted finding back into
    /// a failure; one that is read in part would accept findings nobody
    /// recorded.
    ///
    /// ## Example
    /// ```json
    /// { "version": 7, "entries": [] }
    /// ```
    ///
    /// ## Fix
    /// Regenerate the baseline with `check --write-baseline FILE`, or restore
    /// the file from version control.
    pub struct InvalidBaseline {
        name: "invalid-baseline",
        category: Config,
        severity: Error,
        fix: None,
    }
}

/// The rule's metadata.
pub const META: &RuleMeta = &InvalidBaseline::META;
