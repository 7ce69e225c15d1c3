use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{AttributeMapping, JobKind, Loc, ObjectMapping};
use crate::profile::source;

declare_rule! {
    /// The user mapping has no `active` that depends on `[IsSoftDeleted]`: nobody would be deprovisioned.
    ///
    /// ## What it does
    /// Reports a user object mapping (`sourceObjectName` `User`) in which no
    /// mapping reads `[IsSoftDeleted]` into the target's activation
    /// attribute: either there is no such mapping at all, or it is computed
    /// from something else — typically `[accountEnabled]` alone.
    ///
    /// The activation attribute depends on the job kind (see
    /// `docs/inputs.md`): `active` for a SCIM application; for a gallery
    /// application that is not SCIM any of `active`, `IsActive` (Salesforce),
    /// `accountEnabled`, `suspended`, `enabled`, `disabled` — and since such
    /// an app may deprovision by other means, only a mapping that exists and
    /// ignores `[IsSoftDeleted]` is reported there; for cross-tenant
    /// synchronization `IsSoftDeleted` (Entra's default maps
    /// `[IsSoftDeleted]` to it) or `accountEnabled`. Any one mapping that
    /// reads `[IsSoftDeleted]` into one of them satisfies the rule.
    ///
    /// Applies to outbound-scim, outbound-app, cross-tenant and unknown jobs.
    /// Cloud Sync and inbound HR jobs have no such attribute: deletion comes
    /// from the source directory, so the rule does not run there.
    ///
    /// ## Why it matters
    /// For a SCIM application, deprovisioning *is* the `active` mapping:
    /// when a user is unassigned, leaves the provisioning scope, is deleted
    /// or disabled, Entra sets `IsSoftDeleted` and sends `active = false`.
    /// Without `[IsSoftDeleted]` in that mapping nobody is ever disabled in
    /// the application; `[accountEnabled]` covers only disabled accounts,
    /// not unassignment or scope changes.
    ///
    /// Overlap: where `wrong-mapping-source` reports the same mapping (the
    /// reference profile requires another source for the activation
    /// attribute, and says which, with a fix), this rule defers to it: the
    /// span gets one finding, not two.
    ///
    /// ## Example
    /// ```json
    /// { "targetAttributeName": "active",
    ///   "source": { "expression": "[accountEnabled]", "name": "accountEnabled", "type": "Attribute" } }
    /// ```
    ///
    /// ## Fix
    /// Map `active` from `Not([IsSoftDeleted])` (or Entra's default
    /// `Switch([IsSoftDeleted], , "False", "True", "True", "False")`). Not
    /// fixed automatically here; with a reference profile that lists
    /// `active`, `wrong-mapping-source` offers the fix.
    pub struct SoftDeleteNotMapped {
        name: "soft-delete-not-mapped",
        category: Consistency,
        severity: Error,
        fix: None,
        kinds: [OutboundScim, OutboundApp, CrossTenant, Unknown],
    }
}

pub enum Problem<'a> {
    /// No mapping writes an activation attribute; the kind's usual one.
    NoActive(&'a ObjectMapping, &'static str),
    NotFromSoftDelete(&'a AttributeMapping),
}

fn reads_soft_delete(am: &AttributeMapping) -> bool {
    am.source
        .as_ref()
        .is_some_and(|s| source::attributes_read(s).iter().any(|a| a == "IsSoftDeleted"))
}

impl Rule for SoftDeleteNotMapped {
    type State<'a> = Problem<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Problem<'a>> {
        let kind = cx.job.kind;
        let activation = kind.activation_attributes();
        let Some(&usual) = activation.first() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (_, om) in cx.schema.object_mappings() {
            if om.source_object_name() != "User" {
                continue;
            }
            let activating: Vec<&AttributeMapping> = (om.attribute_mappings.iter())
                .filter(|am| activation.iter().any(|a| a.eq_ignore_ascii_case(am.target_name())))
                .collect();
            if activating.iter().any(|am| reads_soft_delete(am)) {
                continue;
            }
            match activating.first() {
                Some(am) => out.push(Problem::NotFromSoftDelete(am)),
                // A gallery app's activation attribute has no one name: only
                // a mapping that exists and ignores IsSoftDeleted is wrong.
                None if kind == JobKind::OutboundApp => {}
                None => out.push(Problem::NoActive(om, usual)),
            }
        }
        out
    }

    fn diagnostic(&self, _cx: &Context<'_>, problem: &Problem<'_>) -> Diagnostic {
        let help = |target: &str| {
            let source = if target.eq_ignore_ascii_case("IsSoftDeleted") {
                "[IsSoftDeleted]"
            } else {
                "Not([IsSoftDeleted])"
            };
            format!(
                "map `{target}` from `{source}` so that unassigned, out-of-scope, deleted and disabled users are disabled in the application"
            )
        };
        match problem {
            Problem::NoActive(om, target) => {
                let span = om.source_object.as_ref().map_or(om.loc.span, |s| s.loc.span);
                let loc = Loc {
                    span,
                    pointer: om.loc.pointer.clone(),
                };
                Diagnostic::new(
                    &Self::META,
                    format!(
                        "the user object mapping has no `{target}` mapping: deprovisioning would never disable anyone"
                    ),
                    &loc,
                )
                .with_label(format!("no mapping writes `{target}`"))
                .with_help(help(target))
            }
            Problem::NotFromSoftDelete(am) => {
                let (loc, text) = match &am.source {
                    Some(s) => (&s.loc, s.expression_text()),
                    None => (am.target_loc(), "nothing".to_string()),
                };
                let target = am.target_name();
                let mut d = Diagnostic::new(
                    &Self::META,
                    format!("`{target}` is mapped from `{text}`, which does not depend on `[IsSoftDeleted]`"),
                    loc,
                )
                .with_label("deprovisioning never disables anyone")
                .with_help(help(target));
                if text.contains("accountEnabled") {
                    d = d.with_note("`[accountEnabled]` only reflects disabled accounts: users who are unassigned or leave the scope stay active");
                }
                d
            }
        }
    }
}
