//! Found by the suppression step ([`crate::suppress`]) once every file of
//! the run is linted, not by reading an export: it is registered as a
//! run-level check.

use super::Described;
use crate::diagnostic::Diagnostic;
use crate::span::FileSpan;

declare_rule! {
    /// A config ignore or baseline entry matched no finding.
    ///
    /// ## What it does
    /// Reports an entry of a suppression list that matched no finding: an
    /// `ignore` entry of `.mapping-lint.yaml`, or an entry of a baseline file
    /// (`--baseline`).
    ///
    /// An entry is only reported when this run could have matched it: a file
    /// it is about was linted (and parsed) in this run, and its rule ran on
    /// that file. Linting one file, or a subset of the rules, does not make
    /// the other entries look stale.
    ///
    /// ## Why it matters
    /// Suppressions outlive the problems they were written for. A stale entry
    /// silently hides the next problem that happens to match it, and keeps a
    /// `reason` around that is no longer true.
    ///
    /// ## Example
    /// ```yaml
    /// ignore:
    ///   - rule: anchor-mapped
    ///     files: "exports/prod.json"
    ///     pointer: /synchronizationRules/0/objectMappings/1/attributeMappings/7
    ///     reason: legacy app keys users by id   # mapping was removed since
    /// ```
    ///
    /// ## Fix
    /// Delete the entry, or regenerate the baseline with `--write-baseline`.
    pub struct UnusedSuppression {
        name: "unused-suppression",
        category: Config,
        severity: Warning,
        fix: None,
    }
}

/// The rule's name, for the suppression step.
pub const NAME: &str = UnusedSuppression::META.name;

/// The rule's metadata.
pub const META: &super::RuleMeta = &UnusedSuppression::META;

/// A finding for a suppression entry at `span` of the suppression file
/// (config or baseline) that matched nothing. `what` describes the entry,
/// e.g. "ignore entry for `anchor-mapped` in exports/prod.json".
pub fn finding(what: &str, span: FileSpan, pointer: String) -> Diagnostic {
    Diagnostic::at(
        &UnusedSuppression::META,
        format!("unused suppression: {what} matched no finding"),
        span,
        pointer,
    )
    .with_label("matches nothing")
    .with_help(
        "the problem it suppressed is gone: delete this entry (or regenerate the baseline with --write-baseline)",
    )
}
