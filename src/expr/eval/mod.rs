//! Evaluator: computes what an expression sends to the target for one user.
//!
//! **Values.** Everything the engine passes around is text: numbers and booleans are strings
//! (`"5"`, `"True"`), dates are strings in `M/d/yyyy h:mm:ss tt`. A [`Value`] is therefore null,
//! one string, a list of strings (multi-valued), or — only for app roles — a list of complex SCIM
//! objects.
//!
//! **Input.** [`Input::from_json`] takes a JSON object mapping attribute names to values: string →
//! `Str`, array of strings/numbers/booleans → `Multi`, `null` or absent → `Null`, `true`/`false` →
//! `"True"`/`"False"`, number → its JSON text, array of objects → `Complex`. Attribute names are
//! case-sensitive. The `appRoleAssignments` attribute is an array of objects
//! `{ "value": "Admin", "displayName": "Administrator", "appRoleId": "…", "id": "…" }` (only `value`
//! and `displayName` are read); a plain array of strings is read as role values.
//!
//! **Determinism.** Now, Guid, RandomString and DefaultDomain read an [`Environment`];
//! [`FixedEnvironment`] makes them reproducible, [`SystemEnvironment`] uses the clock.
//!
//! **Semantics.** Documented behaviour is implemented as written; where the
//! documentation is silent the choice is listed here so that rules and tests agree:
//!
//! | Function | Behaviour |
//! |---|---|
//! | Not | `"True"` (exactly) → `"False"`; anything else, including null → `"True"`. |
//! | Switch | first key equal to source (case-sensitive) wins; a null source matches an `""` key; no match → defaultValue, and an empty defaultValue slot gives null. |
//! | IIF | comparisons `=`/`<>` compare text exactly; `<`…`>=` compare as integers when both sides are integers, else ordinally. A comparison in which a value read from the source (an attribute, or a function of one) is null or empty is false (the documented "condition check fails"); a literal `""` compares like any other string, so `[c] <> ""` is true when `[c]` has a value. A non-comparison condition must be `True`/`False` (any case) or a number. Only the chosen branch is evaluated. |
//! | Coalesce | first non-null argument (an empty multi-value counts as null); all null → null. |
//! | Join | null and `""` values are skipped (the documented `Join(", ", "", [surname], [givenName])` gives `Doe, John`); every value of a multi-valued source is joined. |
//! | Append / Prepend | null counts as `""`. |
//! | Left / Word | null → `""` (documented). |
//! | other string functions | null → null; applied to every value of a multi-valued input. |
//! | Split | plain split at every delimiter occurrence, values not trimmed. |
//! | Item | 1-based; 0 or out of range is an error. |
//! | Mid / InStr | 1-based; a start below 1 is an error; InStr returns 0 when not found. |
//! | CDate / DateAdd / Now | UTC, rendered `M/d/yyyy h:mm:ss tt`; texts without a zone are UTC. |
//! | DateFromNum | AD ticks since 1601 → `M/d/yyyy h:mm:ss tt`; values outside 0001–9999 are errors. |
//! | Replace | see [`replace`]; a string constant in the replacementAttributeName slot is read as an attribute name. |
//! | IgnoreFlowIfNullOrEmpty | null or empty → null (the attribute is not sent). |
//! | SelectUniqueValue | the first rule's value (uniqueness in the target cannot be checked offline). |
//! | SingleAppRoleAssignment | the `value` of the first assignment. |
//! | AppRoleAssignmentsComplex, AssertiveAppRoleAssignmentsComplex | `Complex` objects `{primary: false, type: "WindowsAzureActiveDirectoryRole", display, value}`. |
//! | Error | always an evaluation error carrying its message. |
//!
//! Evaluation never panics: bad numbers, dates, regexes, out-of-range indexes and calls nested
//! deeper than [`crate::expr::parser::MAX_NESTING`] are [`EvalError`]s with the span of the
//! offending node.
//!
//! **Limits.** Every evaluation runs within a [`Budget`]: no value larger than
//! [`MAX_VALUE_BYTES`] (checked before it is built), at most [`MAX_STEPS`] steps, and regular
//! expressions that need backtracking only on inputs up to
//! [`replace::MAX_BACKTRACKING_INPUT`]. Past a limit the error starts with "evaluation stopped"
//! and [`Budget::exhausted`] tells the equivalence prover that the expression did not fail on
//! its own terms.

mod dates;
pub mod datetime;
mod encoding;
mod logic;
pub mod replace;
mod roles;
mod strings;
pub mod text;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Map, Value as Json};

use super::ast::{Arg, CompareOp, Expr, hex_literal_value};
use super::functions::{self, ArityProblemKind};
use super::parser::MAX_NESTING;
use crate::span::ExprSpan;
pub use datetime::DateTime;

/// The result of an expression or the value of an input attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// No value (an absent attribute).
    Null,
    Str(String),
    /// A multi-valued attribute or list.
    Multi(Vec<String>),
    /// Complex multi-valued objects (app role assignments in, SCIM roles out).
    Complex(Vec<Map<String, Json>>),
}

impl Value {
    /// A `Str` value.
    pub fn str(s: impl Into<String>) -> Self {
        Value::Str(s.into())
    }

    /// `"True"` or `"False"`.
    pub fn bool(b: bool) -> Self {
        Value::str(if b { "True" } else { "False" })
    }

    /// Null, `""`, or an empty list.
    pub fn is_null_or_empty(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Str(s) => s.is_empty(),
            Value::Multi(v) => v.is_empty(),
            Value::Complex(v) => v.is_empty(),
        }
    }

    /// Converts one JSON input value (see the module documentation).
    pub fn from_json(json: &Json) -> Result<Value, InputError> {
        Ok(match json {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::bool(*b),
            Json::Number(n) => Value::Str(n.to_string()),
            Json::String(s) => Value::Str(s.clone()),
            Json::Object(o) => Value::Complex(vec![o.clone()]),
            Json::Array(items) if !items.is_empty() && items.iter().all(Json::is_object) => {
                Value::Complex(items.iter().filter_map(|i| i.as_object().cloned()).collect())
            }
            Json::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Json::Null => {}
                        Json::Array(_) | Json::Object(_) => {
                            return Err(InputError {
                                message: "arrays may hold strings, numbers and booleans, or only objects".into(),
                            });
                        }
                        scalar => {
                            if let Value::Str(s) = Value::from_json(scalar)? {
                                out.push(s);
                            }
                        }
                    }
                }
                Value::Multi(out)
            }
        })
    }

    /// How a value reads in messages: `null`, `"text"` (expression-literal
    /// quoting), `["a", "b"]`, or `2 complex values`.
    pub fn describe(&self) -> String {
        let quote = |s: &String| crate::expr::printer::quote(s);
        match self {
            Value::Null => "null".into(),
            Value::Str(s) => quote(s),
            Value::Multi(items) => format!("[{}]", items.iter().map(quote).collect::<Vec<_>>().join(", ")),
            Value::Complex(items) => format!("{} complex values", items.len()),
        }
    }

    /// JSON form for output: `null`, a string, an array of strings or an array of objects.
    pub fn to_json(&self) -> Json {
        match self {
            Value::Null => Json::Null,
            Value::Str(s) => Json::String(s.clone()),
            Value::Multi(v) => Json::Array(v.iter().cloned().map(Json::String).collect()),
            Value::Complex(v) => Json::Array(v.iter().cloned().map(Json::Object).collect()),
        }
    }

    /// The single text of `Str` or of a one-element `Multi`.
    pub fn as_single(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            Value::Multi(v) if v.len() == 1 => Some(&v[0]),
            _ => None,
        }
    }
}

/// A malformed input document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InputError {
    pub message: String,
}

/// Attribute values of one source object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Input {
    values: BTreeMap<String, Value>,
}

impl Input {
    pub fn new() -> Self {
        Input::default()
    }

    /// Reads a JSON object of attribute values.
    pub fn from_json(json: &Json) -> Result<Self, InputError> {
        let Json::Object(map) = json else {
            return Err(InputError {
                message: "the input must be a JSON object of attribute values".into(),
            });
        };
        let mut input = Input::new();
        for (name, value) in map {
            let value = Value::from_json(value).map_err(|e| InputError {
                message: format!("attribute `{name}`: {}", e.message),
            })?;
            input.insert(name.clone(), value);
        }
        Ok(input)
    }

    /// Sets an attribute.
    pub fn insert(&mut self, name: impl Into<String>, value: Value) -> &mut Self {
        self.values.insert(name.into(), value);
        self
    }

    /// An attribute's value (`None` when absent).
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }

    /// All attributes, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl<K: Into<String>> FromIterator<(K, Value)> for Input {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Self {
        let mut input = Input::new();
        for (k, v) in iter {
            input.insert(k, v);
        }
        input
    }
}

/// The non-deterministic parts of evaluation.
pub trait Environment {
    /// The current time in UTC (Now, and the date of time-only FormatDateTime inputs).
    fn now_utc(&self) -> DateTime;
    /// The next 64 random bits (Guid, RandomString).
    fn next_random(&mut self) -> u64;
    /// The tenant's default domain (DefaultDomain); `None` when unknown.
    fn default_domain(&self) -> Option<&str> {
        None
    }
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A fixed clock and a seeded generator, for tests and reproducible output.
#[derive(Debug, Clone)]
pub struct FixedEnvironment {
    pub now: DateTime,
    pub default_domain: Option<String>,
    state: u64,
}

impl FixedEnvironment {
    pub fn new(now: DateTime, seed: u64) -> Self {
        FixedEnvironment {
            now,
            default_domain: None,
            state: seed,
        }
    }

    pub fn with_default_domain(mut self, domain: impl Into<String>) -> Self {
        self.default_domain = Some(domain.into());
        self
    }
}

impl Environment for FixedEnvironment {
    fn now_utc(&self) -> DateTime {
        self.now
    }
    fn next_random(&mut self) -> u64 {
        splitmix64(&mut self.state)
    }
    fn default_domain(&self) -> Option<&str> {
        self.default_domain.as_deref()
    }
}

/// The system clock and a time-seeded generator.
#[derive(Debug, Clone)]
pub struct SystemEnvironment {
    pub default_domain: Option<String>,
    state: u64,
}

impl SystemEnvironment {
    pub fn new() -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        SystemEnvironment {
            default_domain: None,
            state: nanos ^ COUNTER.fetch_add(0x5851_F42D_4C95_7F2D, Ordering::Relaxed),
        }
    }
}

impl Default for SystemEnvironment {
    fn default() -> Self {
        Self::new()
    }
}

impl Environment for SystemEnvironment {
    fn now_utc(&self) -> DateTime {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        DateTime::from_unix_seconds(secs).unwrap_or(DateTime::from_ticks(0).expect("0 is in range"))
    }
    fn next_random(&mut self) -> u64 {
        splitmix64(&mut self.state)
    }
    fn default_domain(&self) -> Option<&str> {
        self.default_domain.as_deref()
    }
}

/// A failed evaluation, with the span (in the expression text) of the node that failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct EvalError {
    pub message: String,
    pub span: ExprSpan,
}

fn fail<T>(span: &ExprSpan, message: impl Into<String>) -> Result<T, EvalError> {
    Err(EvalError {
        message: message.into(),
        span: *span,
    })
}

/// Steps one evaluation may take by default: one per node evaluated plus one per
/// [`BYTES_PER_STEP`] bytes of every value produced.
pub const MAX_STEPS: u64 = 1_000_000;

/// Largest value (the bytes of all its texts) any node may produce by default: 1 MiB. Entra's
/// attribute values are a few kilobytes at most; anything near this is a runaway expression.
pub const MAX_VALUE_BYTES: usize = 1 << 20;

/// Produced bytes that cost one step.
pub const BYTES_PER_STEP: usize = 64;

/// The bounds of one evaluation (or of many, for the equivalence prover, which shares one budget
/// between all the evaluations of a file).
///
/// The expression language has no loops, so the number of nodes evaluated is bounded by the
/// expression's size; the work that is not is the size of values (`Replace` whose replacement
/// repeats the whole input doubles it at every nesting level) and the text processed. Every
/// value is checked against [`Budget::max_value_bytes`] *before* it is built, and every produced
/// byte costs steps, so a crafted expression fails quickly with a clear [`EvalError`] instead
/// of allocating gigabytes or running for minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    steps_left: u64,
    max_value_bytes: usize,
    exhausted: bool,
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(MAX_STEPS)
    }
}

impl Budget {
    /// A budget of `steps` with the default value size limit.
    pub fn new(steps: u64) -> Self {
        Budget {
            steps_left: steps,
            max_value_bytes: MAX_VALUE_BYTES,
            exhausted: false,
        }
    }

    /// The same budget with another value size limit.
    pub fn with_max_value_bytes(mut self, bytes: usize) -> Self {
        self.max_value_bytes = bytes;
        self
    }

    pub fn steps_left(&self) -> u64 {
        self.steps_left
    }

    pub fn max_value_bytes(&self) -> usize {
        self.max_value_bytes
    }

    /// Whether an evaluation stopped because the budget ran out (steps or value size), as
    /// opposed to failing on its own terms.
    pub fn exhausted(&self) -> bool {
        self.exhausted
    }

    fn charge(&mut self, steps: u64, span: &ExprSpan) -> Result<(), EvalError> {
        if steps > self.steps_left {
            self.steps_left = 0;
            self.exhausted = true;
            return fail(
                span,
                "evaluation stopped: the expression needs more work than the evaluation budget allows \
                 (it builds or scans very large values)",
            );
        }
        self.steps_left -= steps;
        Ok(())
    }

    /// Fails when a value of `bytes` would exceed the value size limit.
    fn check_size(&mut self, bytes: usize, span: &ExprSpan) -> Result<(), EvalError> {
        if bytes > self.max_value_bytes {
            self.exhausted = true;
            return fail(
                span,
                format!(
                    "evaluation stopped: this value would be larger than {} (the evaluation limit)",
                    describe_bytes(self.max_value_bytes)
                ),
            );
        }
        Ok(())
    }
}

pub(crate) fn describe_bytes(n: usize) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

/// The size a value counts for in the budget: its texts plus one byte per item.
fn value_bytes(v: &Value) -> usize {
    match v {
        Value::Null => 0,
        Value::Str(s) => s.len(),
        Value::Multi(items) => items.iter().map(|s| s.len() + 1).sum(),
        Value::Complex(items) => items
            .iter()
            .flat_map(|o| o.iter())
            .map(|(k, v)| k.len() + v.as_str().map_or(8, str::len))
            .sum(),
    }
}

/// Evaluates `expr` for one source object, within the default [`Budget`].
pub fn evaluate(expr: &Expr, input: &Input, env: &mut dyn Environment) -> Result<Value, EvalError> {
    evaluate_with(expr, input, env, &mut Budget::default())
}

/// Evaluates `expr` for one source object, spending from `budget`.
pub fn evaluate_with(
    expr: &Expr,
    input: &Input,
    env: &mut dyn Environment,
    budget: &mut Budget,
) -> Result<Value, EvalError> {
    Evaluator {
        input,
        env,
        depth: 0,
        budget,
    }
    .eval(expr)
}

/// The evaluator of one function, as its catalogue row ([`functions::FunctionSpec::eval`]) holds
/// it: arguments are evaluated on demand through the [`Evaluator`]'s helpers.
pub(crate) type EvalFn = fn(&mut Evaluator<'_>, &Call<'_>) -> Result<Value, EvalError>;

/// The evaluators, by family, for the catalogue rows.
pub(crate) mod family {
    pub(crate) use super::dates::*;
    pub(crate) use super::encoding::*;
    pub(crate) use super::logic::*;
    pub(crate) use super::roles::*;
    pub(crate) use super::strings::*;
}

pub(crate) struct Evaluator<'a> {
    input: &'a Input,
    env: &'a mut dyn Environment,
    depth: usize,
    budget: &'a mut Budget,
}

/// The arguments of one call, with the call's span for error messages.
pub(crate) struct Call<'e> {
    name: &'e str,
    args: &'e [Arg],
    span: &'e ExprSpan,
}

impl Call<'_> {
    fn filled(&self, i: usize) -> bool {
        self.args.get(i).is_some_and(|a| !a.is_empty())
    }

    fn span_of(&self, i: usize) -> ExprSpan {
        self.args.get(i).map_or_else(|| *self.span, Arg::span)
    }
}

impl Evaluator<'_> {
    fn eval(&mut self, expr: &Expr) -> Result<Value, EvalError> {
        self.budget.charge(1, &expr.span())?;
        match expr {
            Expr::Attribute { name, span } => {
                let v = self.input.get(name).cloned().unwrap_or(Value::Null);
                self.account(&v, span)?;
                Ok(v)
            }
            Expr::Str { value, .. } => Ok(Value::Str(value.clone())),
            Expr::Number { text, .. } => Ok(Value::Str(text.clone())),
            Expr::Hex { text, span } => match hex_literal_value(text) {
                Some(v) => Ok(Value::Str(v.to_string())),
                None => fail(span, format!("hex number {text} is too large")),
            },
            Expr::Symbol { name, span } => {
                if functions::is_symbol(name) {
                    return Ok(Value::Str(name.clone()));
                }
                let hint = if name.eq_ignore_ascii_case("true") || name.eq_ignore_ascii_case("false") {
                    "; booleans are written as strings, e.g. \"True\"".to_string()
                } else if functions::lookup(name).is_some() {
                    format!("; call the function as {name}(…)")
                } else {
                    String::new()
                };
                fail(span, format!("unknown symbol `{name}`{hint}"))
            }
            Expr::Compare { op, lhs, rhs, .. } => Ok(Value::bool(self.compare(*op, lhs, rhs)?)),
            Expr::Call {
                name,
                name_span,
                args,
                span,
            } => {
                if self.depth >= MAX_NESTING {
                    return fail(
                        span,
                        format!("expression is nested too deeply (limit {MAX_NESTING} levels)"),
                    );
                }
                self.depth += 1;
                let result = self.call(expr, name_span, &Call { name, args, span });
                self.depth -= 1;
                let value = result?;
                self.account(&value, span)?;
                Ok(value)
            }
        }
    }

    // --- budget --------------------------------------------------------------------------------

    /// Checks a produced value against the size limit and charges for its bytes.
    fn account(&mut self, v: &Value, span: &ExprSpan) -> Result<(), EvalError> {
        let bytes = value_bytes(v);
        self.budget.check_size(bytes, span)?;
        self.budget.charge((bytes / BYTES_PER_STEP) as u64, span)
    }

    // --- argument helpers ---------------------------------------------------------------------

    /// An argument's value; an empty or missing slot is null.
    fn value(&mut self, c: &Call<'_>, i: usize) -> Result<Value, EvalError> {
        match c.args.get(i) {
            Some(Arg::Expr(e)) => self.eval(e),
            _ => Ok(Value::Null),
        }
    }

    /// An argument as one text (`None` for null).
    fn text(&mut self, c: &Call<'_>, i: usize) -> Result<Option<String>, EvalError> {
        let v = self.value(c, i)?;
        single(v, &c.span_of(i), c.name)
    }

    /// An argument as an integer; null is an error.
    fn int(&mut self, c: &Call<'_>, i: usize) -> Result<i64, EvalError> {
        let span = c.span_of(i);
        match self.text(c, i)? {
            Some(t) => parse_int(&t).ok_or_else(|| EvalError {
                message: format!("{}: `{t}` is not an integer", c.name),
                span,
            }),
            None => fail(
                &span,
                format!("{}: argument {} is null, expected an integer", c.name, i + 1),
            ),
        }
    }

    /// Applies a text function to a (possibly multi-valued) argument; null stays null.
    fn map_text(
        &mut self,
        c: &Call<'_>,
        i: usize,
        mut f: impl FnMut(&str) -> Result<String, String>,
    ) -> Result<Value, EvalError> {
        let span = c.span_of(i);
        let mut apply = |s: &str| f(s).map_err(|message| EvalError { message, span });
        let value = self.value(c, i)?;
        let max = self.budget.max_value_bytes;
        match value {
            Value::Null => Ok(Value::Null),
            Value::Str(s) => Ok(Value::Str(apply(&s)?)),
            Value::Multi(v) => {
                let mut total = 0usize;
                let mut out = Vec::with_capacity(v.len());
                for s in &v {
                    let r = apply(s)?;
                    total = total.saturating_add(r.len() + 1);
                    if total > max {
                        return self.budget.check_size(total, c.span).map(|()| Value::Null);
                    }
                    out.push(r);
                }
                Ok(Value::Multi(out))
            }
            Value::Complex(_) => fail(&span, format!("{} expects text, not complex values", c.name)),
        }
    }

    fn condition(&mut self, c: &Call<'_>, i: usize) -> Result<bool, EvalError> {
        if let Some(Arg::Expr(Expr::Compare { op, lhs, rhs, .. })) = c.args.get(i) {
            return self.compare(*op, lhs, rhs);
        }
        let v = self.value(c, i)?;
        truthy(&v, &c.span_of(i))
    }

    fn compare(&mut self, op: CompareOp, lhs: &Expr, rhs: &Expr) -> Result<bool, EvalError> {
        let l = self.eval(lhs)?;
        let r = self.eval(rhs)?;
        let l = single(l, &lhs.span(), "a comparison")?;
        let r = single(r, &rhs.span(), "a comparison")?;
        let (Some(l), Some(r)) = (l, r) else {
            return Ok(false);
        };
        // The documented limitation is about the value read: an empty
        // attribute (or a function of one) fails the check. A literal `""`
        // is a string like any other, so `[c] <> ""` holds for a value.
        let literal = |e: &Expr| matches!(e, Expr::Str { .. });
        if (l.is_empty() && !literal(lhs)) || (r.is_empty() && !literal(rhs)) {
            return Ok(false);
        }
        let ord = || match (l.parse::<i64>(), r.parse::<i64>()) {
            (Ok(a), Ok(b)) => a.cmp(&b),
            _ => l.as_str().cmp(r.as_str()),
        };
        Ok(match op {
            CompareOp::Eq => l == r,
            CompareOp::Ne => l != r,
            CompareOp::Lt => ord().is_lt(),
            CompareOp::Le => ord().is_le(),
            CompareOp::Gt => ord().is_gt(),
            CompareOp::Ge => ord().is_ge(),
        })
    }

    fn random_below(&mut self, n: usize) -> usize {
        (self.env.next_random() % n as u64) as usize
    }

    // --- functions ----------------------------------------------------------------------------

    fn call(&mut self, node: &Expr, name_span: &ExprSpan, c: &Call<'_>) -> Result<Value, EvalError> {
        let Some(spec) = functions::lookup(c.name) else {
            let hint = functions::suggest(c.name)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            return fail(name_span, format!("unknown function `{}`{hint}", c.name));
        };
        if let Some(p) = functions::check_arity(node)
            .into_iter()
            .find(|p| p.kind != ArityProblemKind::ReplaceSlotCount)
        {
            return fail(&p.span, p.message);
        }
        (spec.eval)(self, c)
    }

    /// Applies a text transformation to every value of `v` (null stays null).
    fn map_value(
        &mut self,
        v: Value,
        c: &Call<'_>,
        f: impl Fn(&str) -> Result<String, String>,
    ) -> Result<Value, EvalError> {
        let wrap = |r: Result<String, String>| r.map_err(|message| EvalError { message, span: *c.span });
        let max = self.budget.max_value_bytes;
        match v {
            Value::Null => Ok(Value::Null),
            Value::Str(s) => Ok(Value::Str(wrap(f(&s))?)),
            Value::Multi(v) => {
                let mut total = 0usize;
                let mut out = Vec::with_capacity(v.len());
                for s in &v {
                    let r = wrap(f(s))?;
                    total = total.saturating_add(r.len() + 1);
                    if total > max {
                        return self.budget.check_size(total, c.span).map(|()| Value::Null);
                    }
                    out.push(r);
                }
                Ok(Value::Multi(out))
            }
            Value::Complex(_) => fail(&c.span_of(0), format!("{} expects text, not complex values", c.name)),
        }
    }
}

/// One text from a value: null (and an empty list) → `None`; several values are an error.
fn single(v: Value, span: &ExprSpan, context: &str) -> Result<Option<String>, EvalError> {
    match v {
        Value::Null => Ok(None),
        Value::Str(s) => Ok(Some(s)),
        Value::Multi(mut v) if v.len() <= 1 => Ok(v.pop()),
        Value::Multi(v) => fail(
            span,
            format!(
                "{context} expects a single value but got a multi-valued value with {} values",
                v.len()
            ),
        ),
        Value::Complex(_) => fail(span, format!("{context} expects a single value but got complex values")),
    }
}

fn parse_int(text: &str) -> Option<i64> {
    let t = text.trim();
    hex_literal_value(t).or_else(|| t.parse().ok())
}

/// Truthiness of a condition value: True/False (any case) or a number; null is false.
fn truthy(v: &Value, span: &ExprSpan) -> Result<bool, EvalError> {
    let text = match v {
        Value::Null => return Ok(false),
        _ => match v.as_single() {
            Some(t) => t.trim(),
            None if v.is_null_or_empty() => return Ok(false),
            None => return fail(span, "a condition must be a single value"),
        },
    };
    if text.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if text.eq_ignore_ascii_case("false") {
        Ok(false)
    } else if let Some(n) = parse_int(text) {
        Ok(n != 0)
    } else if let Ok(f) = text.parse::<f64>() {
        Ok(f != 0.0)
    } else {
        fail(span, format!("`{text}` is not a boolean (True/False) or a number"))
    }
}

#[cfg(test)]
mod tests;
