use super::expression::At;
use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::expr::{CompareOp, Expr, ExprSpan};
use crate::model::MappingExpression;

declare_rule! {
    /// An expression uses a form that Microsoft's function reference documents as unsupported.
    ///
    /// ## What it does
    /// Reports the forms the function reference lists as not working:
    ///
    /// - an IIF whose condition tests for null or empty — `IsNullOrEmpty(…)`,
    ///   `IsPresent(…)`, `IsNull(…)` (or `Not` of one of them), or a
    ///   comparison with `""`: "if the source attribute used within the IIF
    ///   function is empty or null, the condition check fails";
    /// - a Switch whose `source` is `IsPresent(…)`, `IsNull(…)` or
    ///   `IsNullOrEmpty(…)`: "for the source parameter, do not use the nested
    ///   functions IsPresent, IsNull or IsNullOrEmpty";
    /// - a Switch whose `source` is an attribute the source object declares as
    ///   a `Reference` (`manager`): "the function shouldn't be used for
    ///   referential attributes such as manager". This one needs the export's
    ///   attribute list, so `mapping-lint eval` cannot find it.
    ///
    /// Both are quoted from
    /// <https://learn.microsoft.com/entra/identity/app-provisioning/functions-for-customizing-application-data>
    /// (IIF "Known limitations", Switch "Caution"), which each finding cites.
    ///
    /// ## Why it matters
    /// The expression is saved and evaluates offline as you would expect, but
    /// in the service the condition fails exactly for the users it was
    /// written for (those without a value), so they get the wrong value or
    /// none.
    ///
    /// ## Example
    /// ```json
    /// "expression": "IIF(IsPresent([country]), [country], \"Other\")"
    /// ```
    ///
    /// ## Fix
    /// Test for empty values with a Switch and an `""` key, as the reference
    /// recommends: `Switch([country], [country], "", "Other")` gives `Other`
    /// when country is empty or missing and country otherwise.
    pub struct UnsupportedForm {
        name: "unsupported-form",
        category: Expressions,
        severity: Warning,
        fix: None,
    }
}

/// The page that documents both limitations.
const REFERENCE: &str =
    "https://learn.microsoft.com/entra/identity/app-provisioning/functions-for-customizing-application-data";

/// Which documented limitation a form runs into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Form {
    /// IIF's condition is a null/empty test function (named).
    IifNullTest(String),
    /// IIF's condition compares with `""`.
    IifEmptyComparison,
    /// Switch's source is a null/empty test function (named).
    SwitchNullTest(String),
    /// Switch's source is an attribute the source object declares as a Reference (named): the
    /// only form here that needs the schema, so only `check` finds it.
    SwitchOnReference(String),
}

/// One use of an unsupported form.
pub struct Unsupported {
    pub span: ExprSpan,
    pub form: Form,
    /// The attribute tested, when the test is of a plain attribute: the Switch rewrite uses it.
    pub attribute: Option<String>,
    /// For IIF: whether the condition holds when the value is empty (so the rewrite's `""` key
    /// takes valueIfTrue).
    pub true_when_empty: bool,
}

const NULL_TESTS: &[&str] = &["IsNullOrEmpty", "IsPresent", "IsNull", "IsNothing"];

/// The null/empty test a condition is, if any: (function, its argument, whether `Not` wraps it).
fn null_test(e: &Expr) -> Option<(&str, Option<&Expr>, bool)> {
    let c = e.as_call()?;
    if c.name == "Not" && c.args.len() == 1 {
        let (name, arg, _) = null_test(c.args[0].expr()?)?;
        return Some((name, arg, true));
    }
    NULL_TESTS
        .contains(&c.name)
        .then(|| (c.name, c.args.first().and_then(|a| a.expr()), false))
}

fn attribute_of(e: Option<&Expr>) -> Option<String> {
    match e? {
        Expr::Attribute { name, .. } => Some(name.clone()),
        _ => None,
    }
}

/// Every use of a documented unsupported form, outermost first.
pub(super) fn find(tree: &Expr) -> Vec<Unsupported> {
    let mut out = Vec::new();
    for c in tree.calls() {
        let Some(first) = c.args.first().and_then(|a| a.expr()) else {
            continue;
        };
        match c.name {
            "IIF" => {
                if let Some((name, arg, negated)) = null_test(first) {
                    // IsPresent is true for a value; the others for no value.
                    let true_when_empty = (name != "IsPresent") != negated;
                    out.push(Unsupported {
                        span: first.span(),
                        form: Form::IifNullTest(name.to_string()),
                        attribute: attribute_of(arg).filter(|_| name != "IsNull" && name != "IsNothing"),
                        true_when_empty,
                    });
                } else if let Expr::Compare { op, lhs, rhs, .. } = first
                    && matches!(op, CompareOp::Eq | CompareOp::Ne)
                {
                    let empty = |e: &Expr| matches!(e, Expr::Str { value, .. } if value.is_empty());
                    let other = if empty(rhs) {
                        Some(&**lhs)
                    } else if empty(lhs) {
                        Some(&**rhs)
                    } else {
                        None
                    };
                    if let Some(other) = other {
                        out.push(Unsupported {
                            span: first.span(),
                            form: Form::IifEmptyComparison,
                            attribute: attribute_of(Some(other)),
                            true_when_empty: *op == CompareOp::Eq,
                        });
                    }
                }
            }
            "Switch" => {
                if let Some((name, arg, false)) = null_test(first)
                    && name != "IsNothing"
                {
                    out.push(Unsupported {
                        span: first.span(),
                        form: Form::SwitchNullTest(name.to_string()),
                        attribute: attribute_of(arg),
                        true_when_empty: false,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

pub(super) fn report(u: &Unsupported, at: &At<'_>) -> Diagnostic {
    let (message, label, help) = match &u.form {
        Form::IifNullTest(name) => (
            format!("IIF with the condition {name}(…) is documented as unsupported: the condition check fails when the value is empty or null"),
            "null/empty test in an IIF condition",
            iif_help(u),
        ),
        Form::IifEmptyComparison => (
            "IIF comparing with \"\" is documented as unsupported: the condition check fails when the value is empty or null".to_string(),
            "comparison with an empty string",
            iif_help(u),
        ),
        Form::SwitchOnReference(name) => (
            format!("Switch on the reference attribute `{name}` is documented as unsupported: Switch shouldn't be used for referential attributes such as manager"),
            "a Reference attribute as Switch's source",
            "map the reference directly (a Direct mapping), or test it with IIF".to_string(),
        ),
        Form::SwitchNullTest(name) => (
            format!("Switch on {name}(…) is documented as unsupported: the source must not be IsPresent, IsNull or IsNullOrEmpty"),
            "null/empty test as Switch's source",
            format!(
                "switch on the value itself and use a literal \"\" key for the empty case, e.g. Switch({}, \"Default Value\", \"\", \"value if empty\")",
                u.attribute.as_deref().map_or_else(|| "[attribute]".to_string(), |a| format!("[{a}]"))
            ),
        ),
    };
    let anchor = match u.form {
        Form::SwitchNullTest(_) | Form::SwitchOnReference(_) => "#switch",
        _ => "#known-limitations",
    };
    Diagnostic::at(&UnsupportedForm::META, message, at.span(u.span), at.pointer())
        .with_label(label)
        .with_help(help)
        .with_note(format!("see {REFERENCE}{anchor}"))
}

fn iif_help(u: &Unsupported) -> String {
    match &u.attribute {
        Some(a) => {
            let (if_empty, otherwise) = if u.true_when_empty {
                ("valueIfTrue", "valueIfFalse")
            } else {
                ("valueIfFalse", "valueIfTrue")
            };
            format!(
                "test for empty with Switch and an \"\" key: Switch([{a}], {otherwise}, \"\", {if_empty}) gives {if_empty} when [{a}] is empty or missing"
            )
        }
        None => {
            "test for empty with Switch and an \"\" key, e.g. Switch([country], [country], \"\", \"Other\")".to_string()
        }
    }
}

impl Rule for UnsupportedForm {
    type State<'a> = (&'a MappingExpression<'a>, Unsupported);

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Self::State<'a>> {
        let mut out = Vec::new();
        for e in cx.expressions {
            let Some(tree) = e.tree() else { continue };
            out.extend(find(tree).into_iter().map(|u| (e, u)));
            // Switch on a Reference attribute: the source object says which attributes are.
            let Some(object) = cx.schema.objects_of(e.rule, e.object_mapping).0 else {
                continue;
            };
            for c in tree.calls().filter(|c| c.name == "Switch") {
                if let Some(Expr::Attribute { name, span }) = c.args.first().and_then(|a| a.expr())
                    && object.attribute(name).is_some_and(|a| a.kind() == "Reference")
                {
                    out.push((
                        e,
                        Unsupported {
                            span: *span,
                            form: Form::SwitchOnReference(name.clone()),
                            attribute: Some(name.clone()),
                            true_when_empty: false,
                        },
                    ));
                }
            }
        }
        out
    }

    fn diagnostic(&self, _cx: &Context<'_>, (expression, u): &Self::State<'_>) -> Diagnostic {
        report(u, &At::mapping(expression))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse;

    fn forms(text: &str) -> Vec<(Form, Option<String>, bool)> {
        find(&parse(text).unwrap())
            .into_iter()
            .map(|u| (u.form, u.attribute, u.true_when_empty))
            .collect()
    }

    /// The reference's own unsupported examples, and what is still fine.
    #[test]
    fn documented_examples() {
        let c = Some("country".to_string());
        assert_eq!(
            forms(r#"IIF([country]="","Other",[country])"#),
            [(Form::IifEmptyComparison, c.clone(), true)]
        );
        assert_eq!(
            forms(r#"IIF(IsNullOrEmpty([country]),"Other",[country])"#),
            [(Form::IifNullTest("IsNullOrEmpty".into()), c.clone(), true)]
        );
        assert_eq!(
            forms(r#"IIF(IsPresent([country]),[country],"Other")"#),
            [(Form::IifNullTest("IsPresent".into()), c.clone(), false)]
        );
        assert_eq!(
            forms(r#"IIF(Not(IsPresent([country])),"Other",[country])"#),
            [(Form::IifNullTest("IsPresent".into()), c.clone(), true)]
        );
        assert_eq!(
            forms(r#"Switch(IsPresent([directManager]), [directManager], "True", "x")"#),
            [(
                Form::SwitchNullTest("IsPresent".into()),
                Some("directManager".into()),
                false
            )]
        );
        // The recommended workaround and ordinary conditions are fine.
        assert_eq!(forms(r#"Switch([country],[country],"","Other")"#), []);
        assert_eq!(forms(r#"IIF([country]="USA",[country],[department])"#), []);
        assert_eq!(
            forms(r#"IIF(DateDiff("d", Now(), CDate([d])) > 5, "False", "True")"#),
            []
        );
        let u = &find(&parse(r#"IIF(IsPresent([country]),[country],"Other")"#).unwrap())[0];
        let d = report(u, &At::standalone());
        assert_eq!(
            d.help.as_deref(),
            Some(
                "test for empty with Switch and an \"\" key: Switch([country], valueIfTrue, \"\", valueIfFalse) gives valueIfFalse when [country] is empty or missing"
            )
        );
        assert!(
            d.note
                .unwrap()
                .ends_with("functions-for-customizing-application-data#known-limitations")
        );
    }
}
