use super::{Context, Described, Rule};
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

impl Rule for UnusedSuppression {
    /// Suppressions are applied after every rule has run, so findings of this
    /// rule are built by the suppression step with [`finding`], not detected
    /// from the export.
    type State<'a> = ();

    fn detect<'a>(&self, _cx: &Context<'a>) -> Vec<()> {
        Vec::new()
    }

    fn diagnostic(&self, _cx: &Context<'_>, _: &()) -> Diagnostic {
        unreachable!("detect never returns state")
    }
}

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
