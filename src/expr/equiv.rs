//! Semantic equivalence of two expressions under declared attribute types.
//!
//! Used by the profile rules ("`active` must be computed like the default") and by `diff` (is a
//! changed expression a real change?). The answer is three-valued: [`Equivalence::Equivalent`] is
//! only claimed when it is proven, [`Equivalence::NotEquivalent`] always comes with a concrete
//! counterexample, and everything else is [`Equivalence::Unknown`].
//!
//! # Method
//!
//! 1. **Syntax.** If both canonical prints are equal (whitespace, layout and escaping differences
//!    vanish), the expressions are equivalent.
//! 2. **Exhaustive representatives** for the *value-opaque fragment*: attribute references,
//!    string/number constants, comparisons with `=`/`<>`, and the functions [`OPAQUE_FUNCTIONS`]
//!    (Switch, IIF, Not, IsPresent, IsNull, IsNullOrEmpty, IsNothing, IsString, Coalesce, CStr, CRef,
//!    Redact, IgnoreFlowIfNullOrEmpty), where IIF's condition must be a comparison or a call that
//!    returns `"True"`/`"False"` (Not, IsPresent, IsNull, IsNullOrEmpty, IsNothing, IsString).
//!    Each attribute gets a finite domain, both expressions are evaluated with the real evaluator
//!    on every combination (at most [`MAX_ASSIGNMENTS`]), and the first difference is the
//!    counterexample.
//!
//! Domains, with `C` = every constant of both expressions plus `"True"`, `"False"` and `""`, and
//! `k` = the number of non-Boolean attributes:
//! * Boolean: `"True"`, `"False"`.
//! * Integer: the integer constants of `C`, plus `k` fresh integers not in `C`.
//! * String, DateTime, Reference, Binary (and undeclared attributes, treated as optional String):
//!   every constant of `C` (for a required attribute except `""`, since a required value is never
//!   empty), plus `k` fresh values not in `C`. If any Integer attribute is involved the fresh
//!   values are integers, so one pool serves every kind.
//! * Optional attributes also take null. Multi-valued attributes are not handled (Unknown).
//!
//! # Why this is sound
//!
//! In the opaque fragment an attribute value is only ever (a) compared for equality with another
//! value, (b) tested for being null or `""`, (c) compared with `"True"` (Not), or (d) passed
//! through unchanged; every other result is a constant of the expressions or `"True"`/`"False"`.
//! So for any bijection π on strings that fixes every element of `C`, evaluation commutes with π:
//! `eval(e, π∘σ) = π(eval(e, σ))` for every assignment σ. Hence two expressions differ on σ iff
//! they differ on π∘σ. Any type-correct assignment σ uses at most `k` distinct values outside `C`,
//! and a π fixing `C` maps them injectively onto the `k` fresh values (integers onto integers), so
//! π∘σ is one of the enumerated assignments. If none of those shows a difference, no assignment
//! does. Conversely every enumerated assignment respects the declared types, so a reported
//! counterexample is a real input on which the two expressions send different values. Functions
//! that inspect or build text (Append, Join, ToLower, Replace, date functions, …), ordering
//! comparisons and symbols break the commutation, so expressions using them — unless textually
//! equal — are Unknown.

use super::ast::{Arg, CompareOp, Expr, hex_literal_value};
use super::eval::{self, FixedEnvironment, Input, Value, datetime::DateTime};
use super::functions::check_arity_all;
use super::printer::print;

/// Functions whose results depend on attribute values only through equality with constants,
/// null/empty tests and pass-through.
pub const OPAQUE_FUNCTIONS: &[&str] = &[
    "Switch",
    "IIF",
    "Not",
    "IsPresent",
    "IsNull",
    "IsNullOrEmpty",
    "IsNothing",
    "IsString",
    "Coalesce",
    "CStr",
    "CRef",
    "Redact",
    "IgnoreFlowIfNullOrEmpty",
];

/// Functions that always return `"True"` or `"False"`, usable as IIF conditions.
const BOOLEAN_FUNCTIONS: &[&str] = &["Not", "IsPresent", "IsNull", "IsNullOrEmpty", "IsNothing", "IsString"];

/// Upper bound on the number of input combinations evaluated.
pub const MAX_ASSIGNMENTS: usize = 100_000;

/// The declared kind of a source attribute (attributeDefinition `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttrKind {
    Boolean,
    String,
    Integer,
    DateTime,
    Reference,
    Binary,
}

/// A source attribute's declared type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AttrType {
    pub kind: AttrKind,
    /// Always has a value (never null).
    pub required: bool,
    pub multivalued: bool,
}

/// The verdict of [`equivalent`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Equivalence {
    Equivalent,
    NotEquivalent {
        /// Every attribute of either expression with its value (`Value::Null` = absent).
        counterexample: Vec<(String, Value)>,
        left: Value,
        right: Value,
    },
    Unknown {
        reason: String,
    },
}

/// A counterexample's inputs for messages: `[IsSoftDeleted] = null, [x] = "a"`.
pub fn describe_inputs(counterexample: &[(String, Value)]) -> String {
    let inputs: Vec<String> = counterexample
        .iter()
        .map(|(name, value)| format!("[{name}] = {}", value.describe()))
        .collect();
    inputs.join(", ")
}

fn unknown(reason: impl Into<String>) -> Equivalence {
    Equivalence::Unknown { reason: reason.into() }
}

/// Attribute names and constants of an expression in the opaque fragment, or why it is not in it.
fn fragment(expr: &Expr, attrs: &mut Vec<String>, constants: &mut Vec<String>) -> Result<(), String> {
    if let Some(p) = check_arity_all(expr).into_iter().next() {
        return Err(format!("`{}` has an arity problem: {}", print(expr), p.message));
    }
    for node in expr.nodes() {
        match node {
            Expr::Attribute { name, .. } => attrs.push(name.clone()),
            Expr::Str { value, .. } => constants.push(value.clone()),
            Expr::Number { text, .. } => constants.push(text.clone()),
            Expr::Hex { text, .. } => match hex_literal_value(text) {
                Some(v) => constants.push(v.to_string()),
                None => return Err(format!("hex number {text} is out of range")),
            },
            Expr::Symbol { name, .. } => return Err(format!("symbol `{name}` is not supported")),
            Expr::Compare { op, .. } => {
                if !matches!(op, CompareOp::Eq | CompareOp::Ne) {
                    return Err(format!("the ordering comparison `{op}` inspects values"));
                }
            }
            Expr::Call { name, args, .. } => {
                if !OPAQUE_FUNCTIONS.contains(&name.as_str()) {
                    return Err(format!(
                        "{name} transforms values, so only textually equal uses can be compared"
                    ));
                }
                if name == "IIF" {
                    let boolean = match args.first().and_then(Arg::expr) {
                        Some(Expr::Compare { .. }) => true,
                        Some(Expr::Call { name, .. }) => BOOLEAN_FUNCTIONS.contains(&name.as_str()),
                        _ => false,
                    };
                    if !boolean {
                        return Err("an IIF condition that is not a comparison or a True/False function".into());
                    }
                }
            }
        }
    }
    Ok(())
}

/// Fresh values outside `constants`: integers when `numeric`, readable strings otherwise.
fn fresh_values(count: usize, constants: &[String], numeric: bool) -> Vec<String> {
    let mut out = Vec::with_capacity(count);
    let mut n = 1u64;
    while out.len() < count {
        let candidate = if numeric {
            (1_000_000_000 + n).to_string()
        } else {
            format!("other-value-{n}")
        };
        if !constants.contains(&candidate) {
            out.push(candidate);
        }
        n += 1;
    }
    out
}

/// Decides whether `a` and `b` produce the same value for every input allowed by `types`
/// (see the module documentation for the method and its soundness).
pub fn equivalent(a: &Expr, b: &Expr, types: &dyn Fn(&str) -> Option<AttrType>) -> Equivalence {
    if print(a) == print(b) {
        return Equivalence::Equivalent;
    }
    let mut attrs = Vec::new();
    let mut constants = Vec::new();
    for e in [a, b] {
        if let Err(reason) = fragment(e, &mut attrs, &mut constants) {
            return unknown(reason);
        }
    }
    attrs.sort();
    attrs.dedup();
    constants.extend(["True", "False", ""].map(String::from));
    constants.sort();
    constants.dedup();
    let typed: Vec<(String, AttrType)> = attrs
        .into_iter()
        .map(|name| {
            let t = types(&name).unwrap_or(AttrType {
                kind: AttrKind::String,
                required: false,
                multivalued: false,
            });
            (name, t)
        })
        .collect();
    if let Some((name, _)) = typed.iter().find(|(_, t)| t.multivalued) {
        return unknown(format!("[{name}] is multi-valued"));
    }
    let non_boolean = typed.iter().filter(|(_, t)| t.kind != AttrKind::Boolean).count();
    let numeric = typed.iter().any(|(_, t)| t.kind == AttrKind::Integer);
    let fresh = fresh_values(non_boolean, &constants, numeric);
    let domains: Vec<Vec<Value>> = typed
        .iter()
        .map(|(_, t)| {
            // Fresh values first so that counterexamples read naturally; null last.
            let mut d: Vec<Value> = match t.kind {
                AttrKind::Boolean => vec![Value::str("True"), Value::str("False")],
                AttrKind::Integer => fresh
                    .iter()
                    .chain(constants.iter().filter(|c| c.parse::<i64>().is_ok()))
                    .cloned()
                    .map(Value::Str)
                    .collect(),
                _ => fresh
                    .iter()
                    .chain(constants.iter().filter(|c| !(t.required && c.is_empty())))
                    .cloned()
                    .map(Value::Str)
                    .collect(),
            };
            if !t.required {
                d.push(Value::Null);
            }
            d
        })
        .collect();
    let total = domains.iter().try_fold(1usize, |acc, d| {
        acc.checked_mul(d.len()).filter(|&n| n <= MAX_ASSIGNMENTS)
    });
    if total.is_none() {
        return unknown(format!(
            "more than {MAX_ASSIGNMENTS} input combinations over {} attributes",
            typed.len()
        ));
    }
    let now = DateTime::from_ticks(0).expect("0 is a valid date");
    let mut digits = vec![0usize; domains.len()];
    loop {
        let assignment: Vec<(String, Value)> = typed
            .iter()
            .zip(&digits)
            .zip(&domains)
            .map(|(((name, _), &i), d)| (name.clone(), d[i].clone()))
            .collect();
        let input: Input = assignment
            .iter()
            .filter(|(_, v)| *v != Value::Null)
            .map(|(n, v)| (n.clone(), v.clone()))
            .collect();
        let run = |e: &Expr| eval::evaluate(e, &input, &mut FixedEnvironment::new(now, 0));
        match (run(a), run(b)) {
            (Ok(l), Ok(r)) if l == r => {}
            (Ok(left), Ok(right)) => {
                return Equivalence::NotEquivalent {
                    counterexample: assignment,
                    left,
                    right,
                };
            }
            (Err(e), _) | (_, Err(e)) => {
                return unknown(format!("evaluation failed: {}", e.message));
            }
        }
        // Odometer step: the last attribute varies fastest.
        let mut k = digits.len();
        loop {
            if k == 0 {
                return Equivalence::Equivalent;
            }
            k -= 1;
            digits[k] += 1;
            if digits[k] < domains[k].len() {
                break;
            }
            digits[k] = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parser::parse;

    fn boolean(required: bool) -> AttrType {
        AttrType {
            kind: AttrKind::Boolean,
            required,
            multivalued: false,
        }
    }

    fn check(a: &str, b: &str, types: &dyn Fn(&str) -> Option<AttrType>) -> Equivalence {
        equivalent(&parse(a).unwrap(), &parse(b).unwrap(), types)
    }

    const SWITCH: &str = r#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#;

    #[test]
    fn default_active_mapping_is_not_when_required() {
        let required = |n: &str| (n == "IsSoftDeleted").then_some(boolean(true));
        assert_eq!(
            check(SWITCH, "Not([IsSoftDeleted])", &required),
            Equivalence::Equivalent
        );
    }

    #[test]
    fn default_active_mapping_differs_on_null() {
        let optional = |n: &str| (n == "IsSoftDeleted").then_some(boolean(false));
        assert_eq!(
            check(SWITCH, "Not([IsSoftDeleted])", &optional),
            Equivalence::NotEquivalent {
                counterexample: vec![("IsSoftDeleted".into(), Value::Null)],
                left: Value::Null,
                right: Value::str("True"),
            }
        );
    }

    #[test]
    fn different_attributes() {
        let r = check("[mail]", "[userPrincipalName]", &|_| None);
        let Equivalence::NotEquivalent {
            counterexample,
            left,
            right,
        } = r
        else {
            panic!("{r:?}")
        };
        assert_eq!(
            counterexample,
            [
                ("mail".to_string(), Value::str("other-value-1")),
                ("userPrincipalName".to_string(), Value::str("other-value-2"))
            ]
        );
        assert_eq!(
            (left, right),
            (Value::str("other-value-1"), Value::str("other-value-2"))
        );
    }

    #[test]
    fn layout_only_differences() {
        assert_eq!(
            check("Join(\" \",[a],\n  [b])", "Join(\" \", [a], [b])", &|_| { None }),
            Equivalence::Equivalent
        );
        assert_eq!(
            check(SWITCH, &SWITCH.replace(", ", ",\n\t"), &|_| None),
            Equivalence::Equivalent
        );
    }

    #[test]
    fn opaque_rewrites() {
        let s = |n: &str| {
            Some(AttrType {
                kind: AttrKind::String,
                required: n == "req",
                multivalued: false,
            })
        };
        // The documented IIF rewrite of a Switch, for every value of an optional string.
        assert_eq!(
            check(
                r#"Switch([companyName], "External", "Company A", "A", "Company B", "B")"#,
                r#"IIF([companyName] = "Company A", "A", IIF([companyName] = "Company B", "B", "External"))"#,
                &s
            ),
            Equivalence::Equivalent
        );
        assert_eq!(check("Coalesce([req], [x])", "[req]", &s), Equivalence::Equivalent);
        assert_eq!(
            check("IsPresent([x])", "Not(IsNullOrEmpty([x]))", &s),
            Equivalence::Equivalent
        );
        assert_eq!(check("IsNull([req])", "\"False\"", &s), Equivalence::Equivalent);
        let r = check("IsNull([x])", "IsNullOrEmpty([x])", &s);
        assert!(
            matches!(&r, Equivalence::NotEquivalent { counterexample, .. } if counterexample[0].1 == Value::str("")),
            "{r:?}"
        );
        // Switch compares case-sensitively: "true" is a different key from "True".
        let r = check(
            r#"Switch([x], "n", "True", "y")"#,
            r#"Switch([x], "n", "true", "y")"#,
            &s,
        );
        assert!(matches!(r, Equivalence::NotEquivalent { .. }), "{r:?}");
        // Two attributes compared with each other need equal fresh values to show a difference.
        let r = check(r#"IIF([a] = [b], "same", "diff")"#, "\"diff\"", &s);
        let Equivalence::NotEquivalent { counterexample, .. } = r else {
            panic!("{r:?}")
        };
        assert_eq!(counterexample[0].1, counterexample[1].1);
    }

    #[test]
    fn integers_get_integer_fresh_values() {
        let int = |_: &str| {
            Some(AttrType {
                kind: AttrKind::Integer,
                required: true,
                multivalued: false,
            })
        };
        let r = check(
            r#"Switch([n], "other", "1", "one")"#,
            r#"IIF([n] = "1", "one", "other")"#,
            &int,
        );
        assert_eq!(r, Equivalence::Equivalent);
        let r = check("[n]", r#"Switch([n], [n], "2", "two")"#, &int);
        let Equivalence::NotEquivalent { counterexample, .. } = r else {
            panic!("{r:?}")
        };
        assert_eq!(counterexample, [("n".to_string(), Value::str("2"))]);
        assert!(
            fresh_values(3, &["1000000001".into()], true)
                .iter()
                .all(|v| v.parse::<i64>().is_ok() && v != "1000000001")
        );
    }

    #[test]
    fn outside_the_fragment_is_unknown() {
        for (a, b) in [
            ("ToLower([a])", "[a]"),
            ("Join(\"\", [a])", "[a]"),
            (r#"IIF([n] > 5, "a", "b")"#, r#""a""#),
            (r#"IIF([a], "x", "y")"#, r#""x""#),
            ("InStr([a], \"b\", 1, vbTextCompare)", "\"0\""),
            ("Not([a], [b])", "[a]"),
        ] {
            let r = check(a, b, &|_| None);
            assert!(matches!(r, Equivalence::Unknown { .. }), "{a} vs {b}: {r:?}");
        }
        // Textually equal expressions are equivalent whatever they contain.
        assert_eq!(
            check("ToLower([a])", "ToLower( [a] )", &|_| None),
            Equivalence::Equivalent
        );
        let multi = |_: &str| {
            Some(AttrType {
                kind: AttrKind::String,
                required: false,
                multivalued: true,
            })
        };
        assert!(matches!(
            check("[a]", "Coalesce([a])", &multi),
            Equivalence::Unknown { .. }
        ));
    }

    #[test]
    fn large_domains_are_bounded() {
        let keys: String = (0..40).map(|i| format!(", \"k{i}\", \"v{i}\"")).collect();
        let a = format!("Switch([a], \"d\"{keys})");
        let b = format!("Switch([b], \"d\"{keys})");
        let c = format!("Switch([c], \"d\"{keys})");
        let big = format!("Coalesce({a}, {b}, {c})");
        let r = check(&big, &format!("Coalesce({b}, {a}, {c})"), &|_| None);
        assert!(
            matches!(&r, Equivalence::Unknown { reason } if reason.contains("combinations")),
            "{r:?}"
        );
    }
}
