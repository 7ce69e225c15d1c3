use super::expression::At;
use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::expr::functions::{self, Trait};
use crate::expr::{Ancestor, Expr};
use crate::model::MappingExpression;
use crate::span::ExprSpan;

declare_rule! {
    /// SelectUniqueValue is used where Entra does not support it.
    ///
    /// ## What it does
    /// Reports `SelectUniqueValue` calls:
    ///
    /// - in any job other than inbound provisioning to on-premises Active
    ///   Directory — that is, unless the rule's target directory is named
    ///   `Active Directory` and its source is not Entra ID (Workday,
    ///   SuccessFactors and API-driven provisioning write to such a
    ///   directory); a `customappsso` (SCIM) job is the common case;
    /// - nested inside another function (it must be the top-level function);
    /// - on a matching attribute (`matchingPriority` > 0).
    ///
    /// ## Why it matters
    /// SelectUniqueValue checks candidate values against the target directory
    /// and is only implemented for inbound provisioning to AD. In a SCIM job
    /// the mapping is rejected or fails at run time, and a matching attribute
    /// whose value depends on what is already taken cannot identify a user.
    ///
    /// ## Example
    /// ```json
    /// "expression": "SelectUniqueValue(Join(\" \", [givenName], [surname]), Join(\" \", [givenName], [surname], Mid([objectId], 1, 4)))"
    /// ```
    /// in a job whose target directory is `customappsso`.
    ///
    /// ## Fix
    /// For SCIM apps, map a value that is unique by construction (`[objectId]`,
    /// `[userPrincipalName]`, `[mail]`) or let the application resolve
    /// conflicts. In an AD job, make SelectUniqueValue the outermost function
    /// and do not use it for matching.
    pub struct UnsupportedFunction {
        name: "unsupported-function",
        category: Expressions,
        severity: Error,
        fix: None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Why {
    Directory,
    Nested,
    Matching,
}

pub struct Finding<'a> {
    expression: &'a MappingExpression<'a>,
    span: ExprSpan,
    why: Why,
}

/// Inbound provisioning to on-premises AD: the only jobs SelectUniqueValue works in.
fn supports_select_unique_value(source_directory: &str, target_directory: &str) -> bool {
    let entra = ["microsoft entra id", "azure active directory"];
    target_directory.trim().eq_ignore_ascii_case("active directory")
        && !entra.contains(&source_directory.trim().to_ascii_lowercase().as_str())
}

/// The calls of a top-level-only function (SelectUniqueValue) that are nested inside another
/// call: the part of this rule that needs nothing but the expression, shared with `eval`.
pub(super) fn find_nested(tree: &Expr) -> Vec<ExprSpan> {
    let mut out = Vec::new();
    tree.walk(|node, ancestors| {
        if let Some(call) = node.as_call()
            && misplaced(call.name, ancestors)
        {
            out.push(*call.name_span);
        }
    });
    out
}

/// A call of a top-level-only function below another node.
fn misplaced(name: &str, ancestors: &[Ancestor<'_>]) -> bool {
    !ancestors.is_empty() && functions::lookup(name).is_some_and(|f| f.has(Trait::TopLevelOnly))
}

/// The finding for a nested top-level-only call.
pub(super) fn report_nested(span: ExprSpan, at: &At<'_>) -> Diagnostic {
    report(Why::Nested, span, at, "", "")
}

fn report(why: Why, span: ExprSpan, at: &At<'_>, target_directory: &str, target_attribute: &str) -> Diagnostic {
    let (message, label, help) = match why {
        Why::Directory => (
            format!("SelectUniqueValue is not supported when provisioning to `{target_directory}`"),
            "only supported for Workday, SuccessFactors and API-driven provisioning to on-premises AD".to_string(),
            "map a value that is unique by construction (e.g. [objectId], [userPrincipalName]) or let the application resolve conflicts",
        ),
        Why::Nested => (
            "SelectUniqueValue must be the top-level function".to_string(),
            "nested inside another function".to_string(),
            "make SelectUniqueValue the outermost call and move the other functions into its arguments",
        ),
        Why::Matching => (
            "SelectUniqueValue cannot be used on a matching attribute".to_string(),
            format!("`{target_attribute}` is a matching attribute"),
            "match on an attribute with a stable value and set matchingPriority 0 on this one",
        ),
    };
    Diagnostic::at(&UnsupportedFunction::META, message, at.span(span), at.pointer())
        .with_label(label)
        .with_help(help)
}

impl Rule for UnsupportedFunction {
    type State<'a> = Finding<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Finding<'a>> {
        let mut out = Vec::new();
        for e in cx.expressions {
            let Some(tree) = e.tree() else { continue };
            fn dir(d: &Option<crate::model::Spanned<String>>) -> &str {
                d.as_ref().map_or("", |d| d.as_str())
            }
            let supported = supports_select_unique_value(dir(&e.rule.source_directory), dir(&e.rule.target_directory));
            tree.walk(|node, ancestors| {
                let Some(call) = node.as_call().filter(|c| c.name == "SelectUniqueValue") else {
                    return;
                };
                let mut push = |why| {
                    out.push(Finding {
                        expression: e,
                        span: *call.name_span,
                        why,
                    })
                };
                if !supported {
                    push(Why::Directory);
                }
                if misplaced(call.name, ancestors) {
                    push(Why::Nested);
                }
                if e.mapping.is_matching() {
                    push(Why::Matching);
                }
            });
        }
        out
    }

    fn diagnostic(&self, _cx: &Context<'_>, f: &Finding<'_>) -> Diagnostic {
        let e = f.expression;
        let target = e.rule.target_directory.as_ref().map_or("", |d| d.as_str());
        report(f.why, f.span, &At::mapping(e), target, e.mapping.target_name())
    }
}

#[cfg(test)]
mod tests {
    use super::supports_select_unique_value as ok;

    #[test]
    fn only_inbound_to_ad() {
        assert!(ok("Workday", "Active Directory"));
        assert!(ok("API2AD", "active directory"));
        assert!(!ok("Microsoft Entra ID", "Active Directory"));
        assert!(!ok("Azure Active Directory", "customappsso"));
        assert!(!ok("Workday", "Microsoft Entra ID"));
    }
}
