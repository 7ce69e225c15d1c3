use super::expression::{At, in_every_tree};
use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::expr::{Expr, FunctionSpec, functions};
use crate::model::{JobKind, MappingExpression};
use crate::span::ExprSpan;

declare_rule! {
    /// An expression calls a function that the function reference for the job's kind does not document.
    ///
    /// ## What it does
    /// Reports calls of functions the provisioning engine knows but the
    /// app-provisioning function reference does not list: `Prepend`,
    /// `DefaultDomain`, `AppRoleAssignments` and `IsNothing` (advertised by the
    /// Graph functions API) and the Cloud Sync functions `Trim`,
    /// `ConvertFromBase64`, `DNComponent`, `Error`, `StringFromSID`,
    /// `Contains` and `CRef`.
    ///
    /// Applies to every job kind, each against its own documentation: the
    /// app-provisioning function reference, and for a Cloud Sync job (see
    /// `docs/inputs.md`) Microsoft's Cloud Sync expression reference, which
    /// documents `Trim`, `ConvertFromBase64`, `DNComponent`, `Error`,
    /// `StringFromSID` and `CRef` but not, for example, `Coalesce`, `DateAdd`
    /// or `PCase`. The catalogue row of each function says which job kinds
    /// document it.
    ///
    /// ## Why it matters
    /// Such expressions may be accepted today — Microsoft's own Entra→AD
    /// defaults use `Trim` — but nothing promises how they behave for app
    /// provisioning or that they keep working. A documented function is the
    /// safer choice where one exists.
    ///
    /// ## Example
    /// ```json
    /// "expression": "Trim([employeeId])"
    /// ```
    ///
    /// ## Fix
    /// Use the documented equivalent named in the help where there is one
    /// (`Prepend(p, s)` is `Append(p, s)`, `IsNothing` is `IsNull`), or keep
    /// the call and configure this rule as `off` for it if you have tested it
    /// with Provision on demand.
    pub struct UndocumentedFunction {
        name: "undocumented-function",
        category: Expressions,
        severity: Warning,
        fix: None,
    }
}

/// A call of a function the job's documentation does not document.
pub struct Undocumented {
    pub spec: &'static FunctionSpec,
    /// The name's span in the expression text.
    pub span: ExprSpan,
    /// The kind of job the expression is in.
    pub kind: JobKind,
}

/// Every call of a function that the documentation of `kind`'s jobs does not document (the
/// catalogue row's `documented_in`), outermost first. An expression on its own (`eval`) is read
/// as one of an app-provisioning job: [`JobKind::Unknown`].
pub(super) fn find(tree: &Expr, kind: JobKind) -> Vec<Undocumented> {
    tree.calls()
        .filter_map(|c| {
            let spec = functions::lookup(c.name).filter(|f| !f.documented_for(kind))?;
            Some(Undocumented {
                spec,
                span: *c.name_span,
                kind,
            })
        })
        .collect()
}

pub(super) fn report(u: &Undocumented, at: &At<'_>) -> Diagnostic {
    let name = u.spec.name;
    // A Cloud Sync function in another kind of job is documented, only not for this kind.
    let cloud_sync_only = u.kind != JobKind::CloudSync && u.spec.documented_for(JobKind::CloudSync);
    let (reference, label) = if u.kind == JobKind::CloudSync {
        ("the Cloud Sync expression reference", "not documented for Cloud Sync")
    } else if cloud_sync_only {
        (
            "the app-provisioning function reference",
            "documented for Cloud Sync only",
        )
    } else {
        ("the app-provisioning function reference", "engine-only function")
    };
    let d = Diagnostic::at(
        &UndocumentedFunction::META,
        format!("`{name}` is not in {reference}"),
        at.span(u.span),
        at.pointer(),
    )
    .with_label(label)
    .with_note(format!("{}: {}", u.spec.signature(), u.spec.doc));
    match u.spec.alternative {
        Some(alt) => d.with_help(alt),
        None if u.spec.documented() => d.with_help(
            "it is documented for app provisioning, but not for Cloud Sync; test the mapping with Provision on demand",
        ),
        None if cloud_sync_only => d.with_help(
            "it is documented for Cloud Sync, but not for app provisioning; test the mapping with Provision on demand",
        ),
        None => d.with_help("there is no documented equivalent; test the mapping with Provision on demand"),
    }
}

impl Rule for UndocumentedFunction {
    type State<'a> = (&'a MappingExpression<'a>, Undocumented);

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Self::State<'a>> {
        let kind = cx.job.kind;
        in_every_tree(cx, |t| find(t, kind))
    }

    fn diagnostic(&self, _cx: &Context<'_>, (expression, u): &Self::State<'_>) -> Diagnostic {
        report(u, &At::mapping(expression))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse;

    fn undocumented(text: &str, kind: JobKind) -> Vec<&'static str> {
        find(&parse(text).unwrap(), kind).iter().map(|u| u.spec.name).collect()
    }

    /// Each job kind is checked against its own documentation, as the catalogue rows say.
    #[test]
    fn documentation_depends_on_the_job_kind() {
        let text = "Join(\",\", Trim([a]), DNComponent(CRef([dn]), 1), Coalesce([b], [c]), Prepend(\"x\", [d]))";
        assert_eq!(
            undocumented(text, JobKind::OutboundScim),
            ["Trim", "DNComponent", "CRef", "Prepend"]
        );
        assert_eq!(
            undocumented(text, JobKind::InboundHr),
            undocumented(text, JobKind::OutboundScim)
        );
        // Cloud Sync's reference documents Trim, DNComponent and CRef, but not Coalesce.
        assert_eq!(undocumented(text, JobKind::CloudSync), ["Coalesce", "Prepend"]);
        let d = report(
            &find(&parse("Coalesce([a], [b])").unwrap(), JobKind::CloudSync)[0],
            &At::standalone(),
        );
        assert_eq!(d.message, "`Coalesce` is not in the Cloud Sync expression reference");
        assert!(d.help.unwrap().contains("documented for app provisioning"));
        // The other way round: a Cloud Sync function in an app-provisioning job.
        let d = report(
            &find(&parse("DNComponent([dn], 1)").unwrap(), JobKind::OutboundScim)[0],
            &At::standalone(),
        );
        assert_eq!(
            d.message,
            "`DNComponent` is not in the app-provisioning function reference"
        );
        assert_eq!(d.label.as_deref(), Some("documented for Cloud Sync only"));
        assert!(
            d.help
                .unwrap()
                .starts_with("it is documented for Cloud Sync, but not for app provisioning")
        );
    }
}
