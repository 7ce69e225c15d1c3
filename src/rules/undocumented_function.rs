use super::expression::At;
use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::expr::{Expr, FunctionSpec, functions};
use crate::model::MappingExpression;
use crate::span::ExprSpan;

declare_rule! {
    /// An expression calls an engine function that the app-provisioning function reference does not document.
    ///
    /// ## What it does
    /// Reports calls of functions the provisioning engine knows but the
    /// app-provisioning function reference does not list: `Prepend`,
    /// `DefaultDomain`, `AppRoleAssignments` and `IsNothing` (advertised by the
    /// Graph functions API) and the Cloud Sync functions `Trim`,
    /// `ConvertFromBase64`, `DNComponent`, `Error`, `StringFromSID`,
    /// `Contains` and `CRef`.
    ///
    /// Applies to every job kind; on a Cloud Sync job (see `docs/inputs.md`)
    /// the functions Microsoft's Cloud Sync documentation documents (`CRef`,
    /// `ConvertFromBase64`, `Error`, `StringFromSID`, `Trim`) count as
    /// documented.
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

/// A call of an undocumented function.
pub struct Undocumented {
    pub spec: &'static FunctionSpec,
    /// The name's span in the expression text.
    pub span: ExprSpan,
}

/// Every call of an undocumented function, outermost first.
/// Engine functions that the app-provisioning reference leaves out but
/// Microsoft's Cloud Sync documentation documents (its expression reference,
/// and `Trim` in the group-writeback guide): documented for a Cloud Sync job.
const CLOUD_SYNC_DOCUMENTED: &[&str] = &["CRef", "ConvertFromBase64", "Error", "StringFromSID", "Trim"];

pub(super) fn find(tree: &Expr) -> Vec<Undocumented> {
    tree.calls()
        .filter_map(|c| {
            let spec = functions::lookup(c.name).filter(|f| !f.documented)?;
            Some(Undocumented {
                spec,
                span: *c.name_span,
            })
        })
        .collect()
}

pub(super) fn report(u: &Undocumented, at: &At<'_>) -> Diagnostic {
    let name = u.spec.name;
    let d = Diagnostic::at(
        &UndocumentedFunction::META,
        format!("`{name}` is not in the app-provisioning function reference"),
        at.span(u.span),
        at.pointer(),
    )
    .with_label("engine-only function")
    .with_note(format!("{}: {}", u.spec.signature(), u.spec.doc));
    match u.spec.alternative {
        Some(alt) => d.with_help(alt),
        None => d.with_help("there is no documented equivalent; test the mapping with Provision on demand"),
    }
}

impl Rule for UndocumentedFunction {
    type State<'a> = (&'a MappingExpression<'a>, Undocumented);

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Self::State<'a>> {
        let documented_here: &[&str] = match cx.job.kind {
            crate::model::JobKind::CloudSync => CLOUD_SYNC_DOCUMENTED,
            _ => &[],
        };
        cx.expressions
            .iter()
            .flat_map(|e| e.tree().map(find).unwrap_or_default().into_iter().map(move |u| (e, u)))
            .filter(|(_, u)| !documented_here.contains(&u.spec.name))
            .collect()
    }

    fn diagnostic(&self, _cx: &Context<'_>, (expression, u): &Self::State<'_>) -> Diagnostic {
        report(u, &At::mapping(expression))
    }
}
