use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{AttributeDef, FilterClause};

declare_rule! {
    /// A scoping filter clause uses an attribute or operator Entra does not support.
    ///
    /// ## What it does
    /// Reports scoping filter clauses that Entra does not support: clauses on `appRoleAssignments`, `userType`,
    /// `manager`, group `members`, `IsMemberOf`, on date-typed (`DateTime`) or
    /// multi-valued source attributes, and `Greater_Than` /
    /// `Greater_Than_OR_EQUALS` on attributes that are not integers. Unknown
    /// operators are `unknown-enum-value`'s business.
    ///
    /// ## Why it matters
    /// Such a clause never evaluates the way it reads: it is rejected, or it
    /// is false for every object — and a scoping filter that is false puts
    /// users *out of scope*, which deprovisions them.
    ///
    /// ## Example
    /// ```json
    /// { "sourceOperandName": "manager", "operatorName": "IS NOT NULL", "targetOperand": null }
    /// ```
    ///
    /// ## Fix
    /// Scope on a supported single-valued attribute instead (for example a
    /// directory extension or `extensionAttribute1`–`15` that you fill from
    /// the unsupported one), or assign users and groups to the application.
    pub struct ScopeUnsupported {
        name: "scope-unsupported",
        category: Consistency,
        severity: Warning,
        fix: None,
    }
}

/// Source attributes that scoping filters cannot use, whatever their type.
const UNSUPPORTED: &[(&str, &str)] = &[
    (
        "appRoleAssignments",
        "app role assignments cannot be used in scoping filters",
    ),
    ("userType", "`userType` is not available to scoping filters"),
    (
        "manager",
        "`manager` is a reference and cannot be used in scoping filters",
    ),
    (
        "members",
        "group membership (`members`) cannot be used in scoping filters",
    ),
    ("IsMemberOf", "`IsMemberOf` is not supported in scoping filters"),
];

pub struct Unsupported<'a> {
    clause: &'a FilterClause,
    reason: String,
    on_operator: bool,
}

impl Rule for ScopeUnsupported {
    type State<'a> = Unsupported<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Unsupported<'a>> {
        let mut out = Vec::new();
        for (rule, om) in cx.schema.object_mappings() {
            let Some(scope) = &om.scope else { continue };
            let source_object = cx.schema.objects_of(rule, om).0;
            for clause in scope.groups.iter().flat_map(|g| &g.clauses) {
                let attribute = clause.source_operand.as_ref().map_or("", |s| s.as_str());
                let operator = clause.operator.as_ref().map_or("", |s| s.as_str());
                let definition = source_object.and_then(|o| o.attribute(attribute));
                if let Some((reason, on_operator)) = problem(attribute, operator, definition) {
                    out.push(Unsupported {
                        clause,
                        reason,
                        on_operator,
                    });
                }
            }
        }
        out
    }

    fn diagnostic(&self, _cx: &Context<'_>, u: &Unsupported<'_>) -> Diagnostic {
        let spanned = if u.on_operator {
            u.clause.operator.as_ref()
        } else {
            u.clause.source_operand.as_ref()
        };
        let loc = spanned.map_or(&u.clause.loc, |s| &s.loc);
        Diagnostic::new(&Self::META, format!("unsupported scoping filter clause: {}", u.reason), loc)
            .with_label("not supported in scoping filters")
            .with_help("scope on a supported single-valued attribute (e.g. an extensionAttribute filled from this one), or assign users and groups to the app")
            .with_note("a clause that cannot be evaluated is false, and objects that fall out of scope are deprovisioned")
    }
}

fn problem(attribute: &str, operator: &str, definition: Option<&AttributeDef>) -> Option<(String, bool)> {
    if operator.eq_ignore_ascii_case("IsMemberOf") {
        return Some((UNSUPPORTED[4].1.to_string(), true));
    }
    if let Some((_, reason)) = UNSUPPORTED
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(attribute))
    {
        return Some((reason.to_string(), false));
    }
    let definition = definition?;
    if definition.multivalued {
        return Some((format!("`{attribute}` is multi-valued"), false));
    }
    if definition.kind() == "DateTime" {
        return Some((format!("`{attribute}` is a date (DateTime)"), false));
    }
    let integer_only = ["Greater_Than", "Greater_Than_OR_EQUALS"];
    if integer_only.iter().any(|o| o.eq_ignore_ascii_case(operator)) && definition.kind() != "Integer" {
        return Some((
            format!(
                "`{operator}` compares integers, but `{attribute}` is a {}",
                definition.kind()
            ),
            true,
        ));
    }
    None
}
