use super::profiled::{cite, profiled, provisioning_effect, replace_source};
use super::{Context, Described, Rule};
use crate::diagnostic::{Diagnostic, Fix};
use crate::model::AttributeMapping;
use crate::profile::source::{self, SourceMatch};
use crate::profile::{Profile, RequiredMapping};

declare_rule! {
    /// A required target is mapped from a source not equivalent to the profile's.
    ///
    /// ## What it does
    /// Reports a mapping whose target the reference profile lists, but whose
    /// source is not equivalent to the profile's source. The comparison is
    /// semantic: whitespace, the `parameters` layout and provably equivalent
    /// forms are accepted (an equivalent form that is not the profile's own
    /// is reported by `non-reference-source` instead).
    ///
    /// ## Why it matters
    /// The application interprets the attribute as the profile describes.
    /// Astrato identifies users by email, so `userName ← [userPrincipalName]`
    /// (Entra's default) creates users the application cannot match with
    /// their sign-in, or duplicates.
    ///
    /// Overlap: on the activation attribute (`active`), `soft-delete-not-mapped`
    /// defers to this rule: where both report the same mapping, only this
    /// finding is shown.
    ///
    /// ## Example
    /// ```json
    /// { "targetAttributeName": "userName",
    ///   "source": { "expression": "[userPrincipalName]", "name": "userPrincipalName", "type": "Attribute" } }
    /// ```
    /// Profile astrato requires `userName ← [mail]`.
    ///
    /// ## Fix
    /// The fix replaces the `source` — the expression text *and* the tree of
    /// `parameters` — with the profile's source. It is **safe**, except on a
    /// matching attribute (`matchingPriority` ≥ 1) or the activation
    /// attribute (`active`, Salesforce `IsActive`, …), where it is
    /// **unsafe** (`--fix --unsafe-fixes`): a new matching source links
    /// users to other accounts or duplicates them wherever the old and new
    /// values differ (mail ≠ UPN), and a new `active` changes who is
    /// enabled. Plain `--fix` never changes who is matched or provisioned.
    pub struct WrongMappingSource {
        name: "wrong-mapping-source",
        category: Profile,
        severity: Error,
        fix: Mixed,
    }
}

pub struct Wrong<'a> {
    pub profile: &'a Profile,
    pub row: &'a RequiredMapping,
    pub am: &'a AttributeMapping,
    pub note: Option<String>,
}

/// The mappings of profiled object mappings whose source relates to the
/// profile row's as `keep` says (shared with `non-reference-source`).
pub fn compared<'a>(cx: &Context<'a>, keep: impl Fn(&SourceMatch) -> bool) -> Vec<Wrong<'a>> {
    let mut out = Vec::new();
    for at in profiled(cx) {
        for am in &at.om.attribute_mappings {
            let Some(row) = at.object.mapping(am.target_name()) else {
                continue;
            };
            let source_object = cx.schema.objects_of(at.rule, at.om).0;
            let Some(reference) = &row.source else {
                continue;
            };
            let result = source::compare(reference, am.source.as_ref(), source_object, cx.prover);
            if keep(&result) {
                let note = match result {
                    SourceMatch::Different { note } => note,
                    _ => None,
                };
                out.push(Wrong {
                    profile: at.profile,
                    row,
                    am,
                    note,
                });
            }
        }
    }
    out
}

/// Where a finding about a source points: at its `expression` text when
/// present (the most readable part), with the pointer of the whole `source`
/// (which the fix replaces).
pub fn expression_loc(source: &crate::model::Source) -> crate::model::Loc {
    crate::model::Loc {
        span: source.expression.as_ref().map_or(source.loc.span, |e| e.loc.span),
        pointer: source.loc.pointer.clone(),
    }
}

impl Rule for WrongMappingSource {
    type State<'a> = Wrong<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Wrong<'a>> {
        compared(cx, |m| matches!(m, SourceMatch::Different { .. }))
    }

    fn diagnostic(&self, cx: &Context<'_>, w: &Wrong<'_>) -> Diagnostic {
        let (loc, actual) = match &w.am.source {
            Some(s) => (expression_loc(s), format!("is mapped from `{}`", s.expression_text())),
            None => (
                w.am.target_loc().clone(),
                "has no source (mapping type None)".to_string(),
            ),
        };
        let mut help = match &w.note {
            Some(why) => format!("map `{}` from `{}` ({why})", w.row.target, w.row.source_text()),
            None => format!("map `{}` from `{}`", w.row.target, w.row.source_text()),
        };
        if let Some(why) = provisioning_effect(cx, w.am) {
            help.push_str(&format!("; the fix is unsafe, not applied by plain --fix: {why}"));
        }
        let d = Diagnostic::new(
            &Self::META,
            format!(
                "`{}` {actual}, but profile {} requires `{}`",
                w.am.target_name(),
                w.profile.name,
                w.row.source_text()
            ),
            &loc,
        )
        .with_label(format!("should be {}", w.row.source_text()))
        .with_help(help);
        cite(d, w.profile, w.row)
    }

    fn fix(&self, cx: &Context<'_>, w: &Wrong<'_>) -> Option<Fix> {
        // A `"source": null` (mapping type None) has no model node; find its value.
        let span = match &w.am.source {
            Some(source) => source.loc.span,
            None => {
                let pointer = crate::json::pointer::join(&w.am.loc.pointer, "source");
                crate::json::span_of(crate::json::resolve(cx.root?, &pointer)?.node)
            }
        };
        let edit = replace_source(cx, &span, w.row.source_text())?;
        let title = format!("Map `{}` from `{}`", w.row.target, w.row.source_text());
        Some(match provisioning_effect(cx, w.am) {
            Some(_) => Fix::unsafe_(title, vec![edit]),
            None => Fix::safe(title, vec![edit]),
        })
    }
}
