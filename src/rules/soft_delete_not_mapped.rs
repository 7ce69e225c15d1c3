use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{AttributeMapping, Loc, ObjectMapping};
use crate::profile::source;

declare_rule! {
    /// The user mapping has no `active` that depends on `[IsSoftDeleted]`: nobody would be deprovisioned.
    ///
    /// ## What it does
    /// Reports a user object mapping (`sourceObjectName` `User`) without an
    /// `active` mapping that depends on `[IsSoftDeleted]`: either there is no
    /// `active` mapping at all, or it is computed from something else —
    /// typically `[accountEnabled]` alone.
    ///
    /// ## Why it matters
    /// For a SCIM application, deprovisioning *is* the `active` mapping:
    /// when a user is unassigned, leaves the provisioning scope, is deleted
    /// or disabled, Entra sets `IsSoftDeleted` and sends `active = false`.
    /// Without `[IsSoftDeleted]` in that mapping nobody is ever disabled in
    /// the application; `[accountEnabled]` covers only disabled accounts,
    /// not unassignment or scope changes (format.md P6).
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
    }
}

pub enum Problem<'a> {
    NoActive(&'a ObjectMapping),
    NotFromSoftDelete(&'a AttributeMapping),
}

impl Rule for SoftDeleteNotMapped {
    type State<'a> = Problem<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Problem<'a>> {
        let mut out = Vec::new();
        for (_, om) in cx.schema.object_mappings() {
            if om.source_object_name() != "User" {
                continue;
            }
            match om.attribute_mappings.iter().find(|am| am.target_name() == "active") {
                None => out.push(Problem::NoActive(om)),
                Some(am) => {
                    let reads_soft_delete = am
                        .source
                        .as_ref()
                        .is_some_and(|s| source::attributes_read(s).iter().any(|a| a == "IsSoftDeleted"));
                    if !reads_soft_delete {
                        out.push(Problem::NotFromSoftDelete(am));
                    }
                }
            }
        }
        out
    }

    fn diagnostic(&self, _cx: &Context<'_>, problem: &Problem<'_>) -> Diagnostic {
        let help = "map `active` from `Not([IsSoftDeleted])` so that unassigned, out-of-scope, deleted and disabled users are disabled in the application";
        match problem {
            Problem::NoActive(om) => {
                let span = om.source_object.as_ref().map_or(om.loc.span, |s| s.loc.span);
                let loc = Loc {
                    span,
                    pointer: om.loc.pointer.clone(),
                };
                Diagnostic::new(
                    &Self::META,
                    "the user object mapping has no `active` mapping: deprovisioning would never disable anyone",
                    &loc,
                )
                .with_label("no mapping writes `active`")
                .with_help(help)
            }
            Problem::NotFromSoftDelete(am) => {
                let (loc, text) = match &am.source {
                    Some(s) => (&s.loc, s.expression_text()),
                    None => (am.target_loc(), "nothing".to_string()),
                };
                let mut d = Diagnostic::new(
                    &Self::META,
                    format!("`active` is mapped from `{text}`, which does not depend on `[IsSoftDeleted]`"),
                    loc,
                )
                .with_label("deprovisioning never sets active = false")
                .with_help(help);
                if text.contains("accountEnabled") {
                    d = d.with_note("`[accountEnabled]` only reflects disabled accounts: users who are unassigned or leave the scope stay active");
                }
                d
            }
        }
    }
}
