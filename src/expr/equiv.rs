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
//!    string/number constants, comparisons with `=`/`<>`, and the functions the catalogue marks
//!    [`Trait::OpaqueToEquivalence`] (Switch, IIF, Not, IsPresent, IsNull, IsNullOrEmpty,
//!    IsNothing, IsString, Coalesce, CStr, CRef, Redact, IgnoreFlowIfNullOrEmpty), where IIF's
//!    condition must be a comparison or an opaque call that returns `"True"`/`"False"` (Not,
//!    IsPresent, IsNull, IsNullOrEmpty, IsNothing, IsString).
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
//!
//! # Budget
//!
//! Enumeration is exhaustive, so its cost is the number of assignments times the size of both
//! expressions: a crafted `Coalesce` of a few hundred terms over five attributes would take
//! seconds per proof, and a file or a diff may ask for many proofs. A [`Prover`] therefore holds
//! one evaluation [`Budget`] (in evaluation steps, [`FILE_BUDGET`] by default) that every proof
//! made through it spends, and caches each verdict per expression pair and attribute types, so
//! two rules asking the same question pay once. Before enumerating, a proof's worst case
//! (assignments × nodes of both expressions) is compared with what is left; a proof that might
//! not fit is not started, and the verdict is [`Equivalence::OverBudget`] — as unknown as
//! [`Equivalence::Unknown`], with a reason callers show as a note.

use std::collections::HashMap;
use std::sync::Mutex;

use super::ast::{Arg, CompareOp, Expr, hex_literal_value};
use super::eval::{self, Budget, FixedEnvironment, Input, Value, datetime::DateTime};
use super::functions::{Trait, ValueType, check_arity_all, lookup};
use super::printer::print;

/// Whether `name` is a function of the opaque fragment: its result depends on attribute values
/// only through equality with constants, null/empty tests and pass-through (the catalogue's
/// [`Trait::OpaqueToEquivalence`]).
fn is_opaque(name: &str) -> bool {
    lookup(name).is_some_and(|f| f.has(Trait::OpaqueToEquivalence))
}

/// Whether `name` is an opaque function that always returns `"True"` or `"False"`, usable as an
/// IIF condition.
fn is_boolean(name: &str) -> bool {
    lookup(name).is_some_and(|f| f.has(Trait::OpaqueToEquivalence) && f.returns == ValueType::Boolean)
}

/// Upper bound on the number of input combinations evaluated.
pub const MAX_ASSIGNMENTS: usize = 100_000;

/// Evaluation steps (see [`eval::Budget`]) that all the proofs of one file, or of one diff, may
/// spend together: about a tenth of a second of evaluation in a release build.
pub const FILE_BUDGET: u64 = 5_000_000;

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
    /// Not decided because the proof might not fit in what is left of the [`Prover`]'s budget.
    OverBudget {
        reason: String,
    },
}

/// Proves equivalences within one shared evaluation budget, caching every verdict (see the
/// module documentation). One per file linted, one per diff.
#[derive(Debug)]
pub struct Prover {
    state: Mutex<ProverState>,
}

#[derive(Debug)]
struct ProverState {
    budget: Budget,
    cache: HashMap<String, Equivalence>,
}

impl Default for Prover {
    fn default() -> Self {
        Prover::new(FILE_BUDGET)
    }
}

impl Prover {
    /// A prover that may spend `steps` evaluation steps in total.
    pub fn new(steps: u64) -> Self {
        Prover {
            state: Mutex::new(ProverState {
                budget: Budget::new(steps),
                cache: HashMap::new(),
            }),
        }
    }

    /// Steps left for further proofs.
    pub fn steps_left(&self) -> u64 {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).budget.steps_left()
    }

    /// [`equivalent`], spending from this prover's budget; a pair already decided (under the
    /// same attribute types) is answered from the cache.
    pub fn equivalent(&self, a: &Expr, b: &Expr, types: &dyn Fn(&str) -> Option<AttrType>) -> Equivalence {
        let (pa, pb) = (print(a), print(b));
        if pa == pb {
            return Equivalence::Equivalent;
        }
        let mut names: Vec<&str> = a.attributes().chain(b.attributes()).map(|(n, _)| n).collect();
        names.sort_unstable();
        names.dedup();
        let typed: Vec<String> = names.iter().map(|n| format!("{n}:{:?}", types(n))).collect();
        let key = format!("{pa}\u{0}{pb}\u{0}{}", typed.join("\u{0}"));
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(verdict) = state.cache.get(&key) {
            return verdict.clone();
        }
        let verdict = prove(a, b, types, &mut state.budget);
        state.cache.insert(key, verdict.clone());
        verdict
    }
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
                if !is_opaque(name) {
                    return Err(format!(
                        "{name} transforms values, so only textually equal uses can be compared"
                    ));
                }
                if name == "IIF" {
                    let boolean = match args.first().and_then(Arg::expr) {
                        Some(Expr::Compare { .. }) => true,
                        Some(Expr::Call { name, .. }) => is_boolean(name),
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
/// (see the module documentation for the method and its soundness), within a fresh
/// [`FILE_BUDGET`]. Callers making several proofs share one [`Prover`].
pub fn equivalent(a: &Expr, b: &Expr, types: &dyn Fn(&str) -> Option<AttrType>) -> Equivalence {
    Prover::default().equivalent(a, b, types)
}

fn prove(a: &Expr, b: &Expr, types: &dyn Fn(&str) -> Option<AttrType>, budget: &mut Budget) -> Equivalence {
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
    // Every evaluation visits at most every node once (plus small values' bytes).
    let nodes = (a.nodes().count() + b.nodes().count()) as u64;
    let worst = total.map_or(u64::MAX, |n| (n as u64).saturating_mul(nodes + 2));
    if worst > budget.steps_left() {
        return Equivalence::OverBudget {
            reason: format!(
                "not checked: the proof could take {worst} evaluation steps and {} are left of the \
                 budget shared by this run's proofs",
                budget.steps_left()
            ),
        };
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
        let mut run = |e: &Expr| eval::evaluate_with(e, &input, &mut FixedEnvironment::new(now, 0), budget);
        let (l, r) = (run(a), run(b));
        match (l, r) {
            (Ok(l), Ok(r)) if l == r => {}
            (Ok(left), Ok(right)) => {
                return Equivalence::NotEquivalent {
                    counterexample: assignment,
                    left,
                    right,
                };
            }
            (Err(e), _) | (_, Err(e)) if budget.exhausted() => {
                return Equivalence::OverBudget {
                    reason: format!("not checked: {}", e.message),
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

    /// `Coalesce` of `n` Switch terms over `k` undeclared attributes and `Not([IsSoftDeleted])`,
    /// with the terms `i` and `j` swapped (all terms give "False", so any order is equivalent).
    fn crafted(n: usize, k: usize, swap: Option<(usize, usize)>) -> Expr {
        let mut terms: Vec<String> = (0..n)
            .map(|i| format!(r#"Switch([x{}], , "c{}", "False")"#, i % k, i % 5))
            .collect();
        if let Some((i, j)) = swap {
            terms.swap(i, j);
        }
        parse(&format!("Coalesce({}, Not([IsSoftDeleted]))", terms.join(", "))).unwrap()
    }

    #[test]
    fn a_prover_refuses_proofs_past_its_budget_without_spending() {
        let required = |n: &str| (n == "IsSoftDeleted").then_some(boolean(true));
        let (a, b) = (crafted(220, 4, None), crafted(220, 4, Some((0, 21))));
        let start = std::time::Instant::now();
        let prover = Prover::default();
        let r = prover.equivalent(&a, &b, &required);
        assert!(
            matches!(&r, Equivalence::OverBudget { reason } if reason.starts_with("not checked")),
            "{r:?}"
        );
        assert_eq!(prover.steps_left(), FILE_BUDGET, "a refused proof spends nothing");
        assert!(
            start.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
        // The same pair with fewer terms fits, and is proven.
        let (a, b) = (crafted(30, 2, None), crafted(30, 2, Some((0, 21))));
        assert_eq!(prover.equivalent(&a, &b, &required), Equivalence::Equivalent);
        let spent = FILE_BUDGET - prover.steps_left();
        assert!(spent > 0);
        // Asked again (another rule), the verdict comes from the cache.
        assert_eq!(prover.equivalent(&a, &b, &required), Equivalence::Equivalent);
        assert_eq!(FILE_BUDGET - prover.steps_left(), spent);
        // Under other attribute types it is another question.
        let optional = |n: &str| (n == "IsSoftDeleted").then_some(boolean(false));
        assert_eq!(prover.equivalent(&a, &b, &optional), Equivalence::Equivalent);
        assert!(FILE_BUDGET - prover.steps_left() > spent);
    }

    #[test]
    fn the_budget_is_shared_by_every_proof() {
        let required = |n: &str| (n == "IsSoftDeleted").then_some(boolean(true));
        let (a, b) = (crafted(30, 2, None), crafted(30, 2, Some((0, 21))));
        // The worst case of one such proof is 60,016 steps (242 assignments × 248 nodes); it
        // spends about a third of that. Room for one: the second distinct pair is refused.
        let prover = Prover::new(70_000);
        assert_eq!(prover.equivalent(&a, &b, &required), Equivalence::Equivalent);
        let c = crafted(30, 2, Some((1, 22)));
        let r = prover.equivalent(&a, &c, &required);
        assert!(matches!(r, Equivalence::OverBudget { .. }), "{r:?}");
        // An evaluation that runs out mid-proof is over budget too, not a failed evaluation.
        let mut budget = Budget::new(10);
        let r = prove(&a, &b, &required, &mut budget);
        assert!(matches!(r, Equivalence::OverBudget { .. }), "{r:?}");
    }

    /// The soundness argument of the module documentation, checked for every function the
    /// catalogue marks opaque: renaming values outside the constants commutes with evaluation.
    /// A function wrongly marked (one that inspects text) fails here.
    #[test]
    fn opaque_functions_commute_with_renaming() {
        use crate::expr::functions::FUNCTIONS;
        let pool = [None, Some(""), Some("True"), Some("False"), Some("P"), Some("x y")];
        // A bijection fixing "", "True" and "False": swaps the two other values for fresh ones.
        let rename = |v: &str| -> String {
            match v {
                "P" => "fresh-1".into(),
                "fresh-1" => "P".into(),
                "x y" => "Q".into(),
                "Q" => "x y".into(),
                other => other.into(),
            }
        };
        let rename_value = |v: &Value| match v {
            Value::Str(s) => Value::Str(rename(s)),
            other => other.clone(),
        };
        let now = DateTime::from_ticks(0).unwrap();
        let mut checked = 0;
        for f in FUNCTIONS.iter().filter(|f| f.has(Trait::OpaqueToEquivalence)) {
            let min = f.min_args().max(1);
            let max = f.max_args().unwrap_or(min + 2).min(min + 2);
            for argc in min..=max {
                let args: Vec<String> = (0..argc).map(|i| format!("[a{i}]")).collect();
                let Ok(e) = parse(&format!("{}({})", f.name, args.join(", "))) else {
                    continue;
                };
                if !check_arity_all(&e).is_empty() {
                    continue;
                }
                // Every assignment of the pool to the arguments (at most 6^4).
                let total = pool.len().pow(argc as u32);
                for mut n in 0..total {
                    let mut input = Input::new();
                    let mut renamed = Input::new();
                    for i in 0..argc {
                        if let Some(v) = pool[n % pool.len()] {
                            input.insert(format!("a{i}"), Value::str(v));
                            renamed.insert(format!("a{i}"), Value::Str(rename(v)));
                        }
                        n /= pool.len();
                    }
                    let run = |input: &Input| eval::evaluate(&e, input, &mut FixedEnvironment::new(now, 0));
                    match (run(&input), run(&renamed)) {
                        (Ok(a), Ok(b)) => assert_eq!(rename_value(&a), b, "{} on {input:?}", print(&e)),
                        (Err(_), Err(_)) => {}
                        (a, b) => panic!("{}: {a:?} vs {b:?}", print(&e)),
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 100);
    }
}
