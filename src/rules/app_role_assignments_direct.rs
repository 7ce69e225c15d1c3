use super::expression::{At, replace_source};
use super::{Context, Described, Rule};
use crate::diagnostic::{Diagnostic, Fix};
use crate::expr::{self};
use crate::model::{AttributeMapping, Loc, MappingExpression, Source};
use crate::span::ExprSpan;

declare_rule! {
    /// `[appRoleAssignments]` is mapped without one of the app-role functions.
    ///
    /// ## What it does
    /// Reports a Direct mapping from `appRoleAssignments` and every
    /// `[appRoleAssignments]` reference in an expression that is not the
    /// argument of `SingleAppRoleAssignment`, `AppRoleAssignmentsComplex` or
    /// `AssertiveAppRoleAssignmentsComplex` (or of the engine-only
    /// `AppRoleAssignments`, which `undocumented-function` reports).
    ///
    /// ## Why it matters
    /// `appRoleAssignments` is a complex, multi-valued Entra attribute. Its raw
    /// value is not something a SCIM application can store: Microsoft's
    /// guidance is to always go through one of the app-role functions, which
    /// turn it into a role value (`SingleAppRoleAssignment`, for
    /// `roles[primary eq "True"].value`) or into SCIM `roles` objects
    /// (`AppRoleAssignmentsComplex`).
    ///
    /// ## Example
    /// ```json
    /// { "targetAttributeName": "roles[primary eq \"True\"].value",
    ///   "source": { "type": "Attribute", "name": "appRoleAssignments", "expression": "[appRoleAssignments]", "parameters": [] } }
    /// ```
    ///
    /// ## Fix
    /// Wrap the reference: `SingleAppRoleAssignment([appRoleAssignments])` for
    /// a single-valued target such as `roles[primary eq "True"].value`,
    /// `AppRoleAssignmentsComplex([appRoleAssignments])` for a multi-valued
    /// `roles` target. For a Direct mapping to one of these two targets an
    /// unsafe fix writes that source (text and tree); it is unsafe because it
    /// changes what is sent to the application. Both functions are
    /// incompatible with the scope "Sync all users and groups".
    pub struct AppRoleAssignmentsDirect {
        name: "app-role-assignments-direct",
        category: Expressions,
        severity: Error,
        fix: Unsafe,
    }
}

const ATTRIBUTE: &str = "appRoleAssignments";

pub struct Finding<'a> {
    mapping: &'a AttributeMapping,
    source: &'a Source,
    /// The whole source is the attribute (a Direct mapping).
    direct: bool,
    place: Place<'a>,
}

enum Place<'a> {
    Expression(&'a MappingExpression<'a>, ExprSpan),
    DirectName(&'a Loc),
}

/// The `[appRoleAssignments]` references of an expression that no app-role function wraps, and
/// whether the reference is the whole expression: the part of this rule that needs nothing but
/// the expression, shared with `eval`.
pub(super) fn find_in_expression(tree: &expr::Expr) -> Vec<(ExprSpan, bool)> {
    let mut out = Vec::new();
    tree.walk(|node, ancestors| {
        let expr::Expr::Attribute { name, span } = node else {
            return;
        };
        let wrapped = ancestors
            .last()
            .and_then(|a| a.node.as_call())
            .and_then(|c| crate::expr::lookup(c.name))
            .is_some_and(|f| f.takes_role_assignments());
        if name == ATTRIBUTE && !wrapped {
            out.push((*span, ancestors.is_empty()));
        }
    });
    out
}

/// The finding for an unwrapped reference in an expression on its own (no mapping, so no target
/// to tailor the help to).
pub(super) fn report_in_expression(span: ExprSpan, direct: bool, at: &At<'_>) -> Diagnostic {
    let (message, label) = texts(direct, None);
    Diagnostic::at(&AppRoleAssignmentsDirect::META, message, at.span(span), at.pointer())
        .with_label(label)
        .with_help(help(None))
}

fn texts(direct: bool, target: Option<&str>) -> (String, &'static str) {
    match (direct, target) {
        (true, Some(target)) => (
            format!("`{ATTRIBUTE}` is mapped directly to `{target}`"),
            "needs an app-role function around it",
        ),
        (true, None) => (
            format!("`[{ATTRIBUTE}]` is mapped directly"),
            "needs an app-role function around it",
        ),
        (false, _) => (
            format!("`[{ATTRIBUTE}]` is used without an app-role function"),
            "not the argument of an app-role function",
        ),
    }
}

fn help(target: Option<&str>) -> String {
    match target.and_then(|t| suggested(t).map(|f| (t, f))) {
        Some((target, function)) => format!("use {function}([{ATTRIBUTE}]) for `{target}`"),
        None => format!(
            "use SingleAppRoleAssignment([{ATTRIBUTE}]) for a single role value, AppRoleAssignmentsComplex([{ATTRIBUTE}]) for SCIM `roles`"
        ),
    }
}

impl Rule for AppRoleAssignmentsDirect {
    type State<'a> = Finding<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Finding<'a>> {
        let mut out = Vec::new();
        for e in cx.expressions {
            let (Some(tree), Some(source)) = (e.tree(), e.mapping.source.as_ref()) else {
                continue;
            };
            for (span, direct) in find_in_expression(tree) {
                out.push(Finding {
                    mapping: e.mapping,
                    source,
                    direct,
                    place: Place::Expression(e, span),
                });
            }
        }
        for (_, om) in cx.schema.object_mappings() {
            for am in &om.attribute_mappings {
                let Some(source) = &am.source else { continue };
                if source.expression.is_none()
                    && source.kind() == "Attribute"
                    && let Some(name) = source.name.as_ref().filter(|n| n.as_str() == ATTRIBUTE)
                {
                    out.push(Finding {
                        mapping: am,
                        source,
                        direct: true,
                        place: Place::DirectName(&name.loc),
                    });
                }
            }
        }
        out
    }

    fn diagnostic(&self, _cx: &Context<'_>, f: &Finding<'_>) -> Diagnostic {
        let (span, expression_pointer) = match &f.place {
            Place::Expression(e, span) => (e.file_span(*span), e.pointer.clone()),
            Place::DirectName(loc) => (loc.span, loc.pointer.clone()),
        };
        let target = f.mapping.target_name();
        let (message, label) = texts(f.direct, Some(target));
        let pointer = if f.direct {
            f.source.loc.pointer.clone()
        } else {
            expression_pointer
        };
        Diagnostic::at(&Self::META, message, span, pointer)
            .with_label(label)
            .with_help(help(Some(target)))
    }

    fn fix(&self, cx: &Context<'_>, f: &Finding<'_>) -> Option<Fix> {
        if !f.direct {
            return None;
        }
        let function = suggested(f.mapping.target_name())?;
        let text = format!("{function}([{ATTRIBUTE}])");
        let tree = expr::to_source_tree(&expr::parse(&text).ok()?).ok()?;
        Some(Fix::unsafe_(
            format!("Map `{}` from {text}", f.mapping.target_name()),
            vec![replace_source(cx, f.source, &tree, None)?],
        ))
    }
}

/// The app-role function a target evidently needs.
fn suggested(target: &str) -> Option<&'static str> {
    if target == "roles" {
        Some("AppRoleAssignmentsComplex")
    } else if target.starts_with("roles[") {
        Some("SingleAppRoleAssignment")
    } else {
        None
    }
}
