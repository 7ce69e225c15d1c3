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
//! **Semantics.** Documented behaviour (format.md §3.3) is implemented as written; where the
//! documentation is silent the choice is listed here so that rules and tests agree:
//!
//! | Function | Behaviour |
//! |---|---|
//! | Not | `"True"` (exactly) → `"False"`; anything else, including null → `"True"`. |
//! | Switch | first key equal to source (case-sensitive) wins; a null source matches an `""` key; no match → defaultValue, and an empty defaultValue slot gives null. |
//! | IIF | comparisons `=`/`<>` compare text exactly; `<`…`>=` compare as integers when both sides are integers, else ordinally. A comparison with a null or empty operand is false (the documented "condition check fails"). A non-comparison condition must be `True`/`False` (any case) or a number. Only the chosen branch is evaluated. |
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

pub mod datetime;
pub mod replace;
pub mod text;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Map, Value as Json};

use super::ast::{Arg, CompareOp, Expr, Span, hex_literal_value};
use super::functions::{self, ArityProblemKind};
use super::parser::MAX_NESTING;
pub use datetime::DateTime;
use datetime::{FILETIME_EPOCH_TICKS, Interval, Styles};

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
    pub span: Span,
}

fn fail<T>(span: &Span, message: impl Into<String>) -> Result<T, EvalError> {
    Err(EvalError {
        message: message.into(),
        span: span.clone(),
    })
}

/// Symbols that evaluate to their own name.
const KNOWN_SYMBOLS: &[&str] = &["vbTextCompare", "vbBinaryCompare", "Unicode", "UTF8", "ASCII"];

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

    fn charge(&mut self, steps: u64, span: &Span) -> Result<(), EvalError> {
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
    fn check_size(&mut self, bytes: usize, span: &Span) -> Result<(), EvalError> {
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

struct Evaluator<'a> {
    input: &'a Input,
    env: &'a mut dyn Environment,
    depth: usize,
    budget: &'a mut Budget,
}

/// The arguments of one call, with the call's span for error messages.
struct Call<'e> {
    name: &'e str,
    args: &'e [Arg],
    span: &'e Span,
}

impl Call<'_> {
    fn filled(&self, i: usize) -> bool {
        self.args.get(i).is_some_and(|a| !a.is_empty())
    }

    fn span_of(&self, i: usize) -> Span {
        self.args.get(i).map_or_else(|| self.span.clone(), Arg::span)
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
                if KNOWN_SYMBOLS.contains(&name.as_str()) {
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
    fn account(&mut self, v: &Value, span: &Span) -> Result<(), EvalError> {
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
        let mut apply = |s: &str| {
            f(s).map_err(|message| EvalError {
                message,
                span: span.clone(),
            })
        };
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
        if l.is_empty() || r.is_empty() {
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

    fn call(&mut self, node: &Expr, name_span: &Span, c: &Call<'_>) -> Result<Value, EvalError> {
        if functions::lookup(c.name).is_none() {
            let hint = functions::suggest(c.name)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            return fail(name_span, format!("unknown function `{}`{hint}", c.name));
        }
        if let Some(p) = functions::check_arity(node)
            .into_iter()
            .find(|p| p.kind != ArityProblemKind::ReplaceSlotCount)
        {
            return fail(&p.span, p.message);
        }
        match c.name {
            "Append" => {
                let s = self.text(c, 0)?.unwrap_or_default();
                let suffix = self.text(c, 1)?.unwrap_or_default();
                Ok(Value::Str(s + &suffix))
            }
            "Prepend" => {
                let prefix = self.text(c, 0)?.unwrap_or_default();
                let s = self.text(c, 1)?.unwrap_or_default();
                Ok(Value::Str(prefix + &s))
            }
            "AppRoleAssignmentsComplex" | "AssertiveAppRoleAssignmentsComplex" => self.roles_complex(c),
            "AppRoleAssignments" => {
                let roles = self.roles(c)?;
                Ok(roles.map_or(Value::Null, |r| Value::Multi(r.into_iter().map(|(v, _)| v).collect())))
            }
            "SingleAppRoleAssignment" => {
                let roles = self.roles(c)?;
                Ok(roles
                    .and_then(|r| r.into_iter().next())
                    .map_or(Value::Null, |(v, _)| Value::Str(v)))
            }
            "BitAnd" => Ok(Value::Str((self.int(c, 0)? & self.int(c, 1)?).to_string())),
            "CBool" => {
                let b = self.condition(c, 0)?;
                Ok(Value::bool(b))
            }
            "CDate" => self.map_text(c, 0, |s| datetime::parse_to_utc(s).map(datetime::format_general)),
            "Coalesce" => {
                for i in 0..c.args.len() {
                    let v = self.value(c, i)?;
                    if !matches!(&v, Value::Null) && v != Value::Multi(Vec::new()) {
                        return Ok(v);
                    }
                }
                Ok(Value::Null)
            }
            "ConvertToBase64" => self.map_text(c, 0, |s| Ok(text::base64_encode(&text::utf16le(s)))),
            "ConvertToUTF8Hex" => self.map_text(c, 0, |s| Ok(text::utf8_hex(s))),
            "ConvertFromBase64" => {
                let encoding = self.text(c, 1)?.unwrap_or_else(|| "Unicode".into());
                self.map_text(c, 0, |s| text::decode_bytes(&text::base64_decode(s)?, &encoding))
            }
            "Count" => Ok(Value::Str(
                match self.value(c, 0)? {
                    Value::Null => 0,
                    Value::Str(_) => 1,
                    Value::Multi(v) => v.len(),
                    Value::Complex(v) => v.len(),
                }
                .to_string(),
            )),
            "CStr" | "CRef" => Ok(self.text(c, 0)?.map_or(Value::Null, Value::Str)),
            "DateAdd" => self.date_add(c),
            "DateDiff" => self.date_diff(c),
            "DateFromNum" => {
                if self.text(c, 0)?.is_none() {
                    return Ok(Value::Null);
                }
                let n = self.int(c, 0)?;
                FILETIME_EPOCH_TICKS
                    .checked_add(n)
                    .and_then(DateTime::from_ticks)
                    .map(|d| Value::Str(datetime::format_general(d)))
                    .ok_or_else(|| EvalError {
                        message: format!("DateFromNum: {n} is outside the representable dates (years 1601–9999)"),
                        span: c.span_of(0),
                    })
            }
            "NumFromDate" => self.map_text(c, 0, |s| {
                let ticks = datetime::parse_to_utc(s)?.ticks() - FILETIME_EPOCH_TICKS;
                if ticks < 0 {
                    return Err(format!("NumFromDate: `{s}` is before 1601-01-01"));
                }
                Ok(ticks.to_string())
            }),
            "FormatDateTime" => self.format_date_time(c),
            "Guid" => {
                let (hi, lo) = (self.env.next_random(), self.env.next_random());
                let mut b = [0u8; 16];
                b[..8].copy_from_slice(&hi.to_be_bytes());
                b[8..].copy_from_slice(&lo.to_be_bytes());
                b[6] = (b[6] & 0x0F) | 0x40;
                b[8] = (b[8] & 0x3F) | 0x80;
                let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
                Ok(Value::Str(format!(
                    "{}-{}-{}-{}-{}",
                    &hex[..8],
                    &hex[8..12],
                    &hex[12..16],
                    &hex[16..20],
                    &hex[20..]
                )))
            }
            "Now" => Ok(Value::Str(datetime::format_general(self.env.now_utc()))),
            "DefaultDomain" => match self.env.default_domain() {
                Some(d) => Ok(Value::str(d)),
                None => fail(
                    c.span,
                    "DefaultDomain() needs the tenant's default domain, which was not provided",
                ),
            },
            "IgnoreFlowIfNullOrEmpty" => {
                let v = self.value(c, 0)?;
                Ok(if v.is_null_or_empty() { Value::Null } else { v })
            }
            "IIF" => {
                if self.condition(c, 0)? {
                    self.value(c, 1)
                } else {
                    self.value(c, 2)
                }
            }
            "InStr" => self.instr(c),
            "IsNull" | "IsNothing" => {
                let v = self.value(c, 0)?;
                Ok(Value::bool(matches!(&v, Value::Null) || v == Value::Multi(Vec::new())))
            }
            "IsNullOrEmpty" => Ok(Value::bool(self.value(c, 0)?.is_null_or_empty())),
            "IsPresent" => Ok(Value::bool(!self.value(c, 0)?.is_null_or_empty())),
            "IsString" => Ok(Value::bool(matches!(self.value(c, 0)?, Value::Str(_)))),
            "Item" => self.item(c),
            "Join" => self.join(c),
            "Left" => {
                let s = self.text(c, 0)?.unwrap_or_default();
                let n = self.int(c, 1)?;
                Ok(Value::Str(match n {
                    0 => String::new(),
                    n if n < 0 => s,
                    n => s.chars().take(n as usize).collect(),
                }))
            }
            "Mid" => {
                let Some(s) = self.text(c, 0)? else {
                    return Ok(Value::Null);
                };
                let start = self.int(c, 1)?;
                let len = self.int(c, 2)?;
                if start < 1 {
                    return fail(&c.span_of(1), format!("Mid: start is 1-based, got {start}"));
                }
                if len < 0 {
                    return fail(&c.span_of(2), format!("Mid: length must not be negative, got {len}"));
                }
                Ok(Value::Str(
                    s.chars().skip(start as usize - 1).take(len as usize).collect(),
                ))
            }
            "NormalizeDiacritics" => self.map_text(c, 0, |s| Ok(text::normalize_diacritics(s))),
            "Not" => Ok(Value::bool(self.value(c, 0)?.as_single() != Some("True"))),
            "PCase" => {
                let seps = self.text(c, 1)?;
                self.map_text(c, 0, |s| Ok(text::pcase(s, seps.as_deref())))
            }
            "RandomString" => self.random_string(c),
            "Redact" => self.value(c, 0),
            "RemoveDuplicates" => Ok(match self.value(c, 0)? {
                Value::Multi(v) => {
                    let mut seen = std::collections::HashSet::new();
                    Value::Multi(v.into_iter().filter(|s| seen.insert(s.clone())).collect())
                }
                other => other,
            }),
            "Replace" => self.replace(c),
            "SelectUniqueValue" => self.value(c, 0),
            "Split" => {
                let Some(s) = self.text(c, 0)? else {
                    return Ok(Value::Null);
                };
                let delimiter = self.text(c, 1)?.unwrap_or_default();
                Ok(Value::Multi(if delimiter.is_empty() {
                    vec![s]
                } else {
                    s.split(delimiter.as_str()).map(str::to_string).collect()
                }))
            }
            "StripSpaces" => self.map_text(c, 0, |s| Ok(s.replace(' ', ""))),
            "Switch" => self.switch(c),
            "ToLower" | "ToUpper" => {
                let culture = self.text(c, 1)?;
                let upper = c.name == "ToUpper";
                self.map_text(c, 0, |s| {
                    Ok(if upper {
                        text::to_upper(s, culture.as_deref())
                    } else {
                        text::to_lower(s, culture.as_deref())
                    })
                })
            }
            "Trim" => self.map_text(c, 0, |s| Ok(s.trim().to_string())),
            "Word" => self.word(c),
            "Contains" => self.contains(c),
            "DNComponent" => self.dn_component(c),
            "Error" => {
                let message = self.text(c, 0)?.unwrap_or_default();
                fail(c.span, format!("Error(): {message}"))
            }
            "StringFromSID" => self.map_text(c, 0, |s| {
                if s.starts_with("S-") {
                    Ok(s.to_string())
                } else {
                    text::sid_to_string(&text::base64_decode(s)?)
                }
            }),
            other => fail(name_span, format!("`{other}` cannot be evaluated")),
        }
    }

    /// `(value, display)` pairs of the app role assignments argument; `None` when null.
    fn roles(&mut self, c: &Call<'_>) -> Result<Option<Vec<(String, String)>>, EvalError> {
        let as_text = |o: &Map<String, Json>, k: &str| o.get(k).and_then(Json::as_str).map(str::to_string);
        Ok(match self.value(c, 0)? {
            Value::Null => None,
            Value::Str(s) => Some(vec![(s.clone(), s)]),
            Value::Multi(v) => Some(v.into_iter().map(|s| (s.clone(), s)).collect()),
            Value::Complex(objects) => {
                let mut out = Vec::new();
                for o in &objects {
                    let Some(value) = as_text(o, "value") else {
                        return fail(&c.span_of(0), "an app role assignment has no string `value`");
                    };
                    let display = as_text(o, "displayName")
                        .or_else(|| as_text(o, "display"))
                        .unwrap_or_else(|| value.clone());
                    out.push((value, display));
                }
                Some(out)
            }
        })
    }

    fn roles_complex(&mut self, c: &Call<'_>) -> Result<Value, EvalError> {
        let Some(roles) = self.roles(c)? else {
            return Ok(Value::Null);
        };
        Ok(Value::Complex(
            roles
                .into_iter()
                .map(|(value, display)| {
                    let mut o = Map::new();
                    o.insert("primary".into(), Json::Bool(false));
                    o.insert("type".into(), Json::String("WindowsAzureActiveDirectoryRole".into()));
                    o.insert("display".into(), Json::String(display));
                    o.insert("value".into(), Json::String(value));
                    o
                })
                .collect(),
        ))
    }

    fn date_add(&mut self, c: &Call<'_>) -> Result<Value, EvalError> {
        let interval = self.interval(c, 0)?;
        let n = self.int(c, 1)?;
        let Some(date) = self.text(c, 2)? else {
            return Ok(Value::Null);
        };
        let dt = datetime::parse_to_utc(&date).map_err(|m| EvalError {
            message: m,
            span: c.span_of(2),
        })?;
        match datetime::date_add(interval, n, dt) {
            Some(r) => Ok(Value::Str(datetime::format_general(r))),
            None => fail(c.span, "DateAdd: the result is outside the years 0001–9999"),
        }
    }

    fn interval(&mut self, c: &Call<'_>, i: usize) -> Result<Interval, EvalError> {
        let t = self.text(c, i)?.unwrap_or_default();
        Interval::parse(&t).map_err(|message| EvalError {
            message,
            span: c.span_of(i),
        })
    }

    fn date_diff(&mut self, c: &Call<'_>) -> Result<Value, EvalError> {
        let interval = self.interval(c, 0)?;
        let mut dates = [None, None];
        for (k, i) in [1, 2].into_iter().enumerate() {
            let Some(t) = self.text(c, i)? else {
                return Ok(Value::Null);
            };
            dates[k] = Some(datetime::parse_to_utc(&t).map_err(|message| EvalError {
                message,
                span: c.span_of(i),
            })?);
        }
        let [Some(d1), Some(d2)] = dates else {
            unreachable!("both dates were set above")
        };
        Ok(Value::Str(datetime::date_diff(interval, d1, d2).to_string()))
    }

    fn format_date_time(&mut self, c: &Call<'_>) -> Result<Value, EvalError> {
        let (styles_slot, input_slot, output_slot) = if c.args.len() == 4 {
            (Some(1), 2, 3)
        } else {
            (None, 1, 2)
        };
        let styles = match styles_slot {
            Some(i) if c.filled(i) => {
                let t = self.text(c, i)?.unwrap_or_default();
                if t.trim().is_empty() {
                    Styles::engine_default()
                } else {
                    Styles::parse(&t).map_err(|message| EvalError {
                        message,
                        span: c.span_of(i),
                    })?
                }
            }
            _ => Styles::engine_default(),
        };
        let input_format = self.text(c, input_slot)?.unwrap_or_default();
        let output_format = self.text(c, output_slot)?.unwrap_or_default();
        let today = self.env.now_utc();
        let out_span = c.span_of(output_slot);
        let in_span = c.span_of(0);
        let result = self.map_text(c, 0, |s| {
            let parsed = datetime::parse_exact(s, &input_format, styles, today)?;
            datetime::format(&parsed, &output_format).map_err(|m| format!("output format: {m}"))
        });
        result.map_err(|mut e| {
            if e.message.starts_with("output format: ") {
                e.message = e.message["output format: ".len()..].to_string();
                e.span = out_span;
            } else {
                e.span = in_span;
            }
            e
        })
    }

    fn instr(&mut self, c: &Call<'_>) -> Result<Value, EvalError> {
        let (Some(haystack), Some(needle)) = (self.text(c, 0)?, self.text(c, 1)?) else {
            return Ok(Value::Null);
        };
        let start = if c.filled(2) { self.int(c, 2)? } else { 1 };
        if start < 1 {
            return fail(&c.span_of(2), format!("InStr: start is 1-based, got {start}"));
        }
        let text_compare = match self.text(c, 3)?.as_deref() {
            None | Some("vbBinaryCompare") | Some("0") => false,
            Some("vbTextCompare") | Some("1") => true,
            Some(other) => {
                return fail(
                    &c.span_of(3),
                    format!("InStr: `{other}` is not a compare type (vbBinaryCompare or vbTextCompare)"),
                );
            }
        };
        let fold = |s: &str| -> Vec<char> {
            if text_compare {
                s.chars().map(text::lower_char).collect()
            } else {
                s.chars().collect()
            }
        };
        let (h, n) = (fold(&haystack), fold(&needle));
        let from = start as usize - 1;
        if from > h.len() {
            return Ok(Value::str("0"));
        }
        if n.is_empty() {
            return Ok(Value::Str(start.to_string()));
        }
        let pos = (from..h.len()).find(|&i| h[i..].starts_with(&n)).map_or(0, |i| i + 1);
        Ok(Value::Str(pos.to_string()))
    }

    fn item(&mut self, c: &Call<'_>) -> Result<Value, EvalError> {
        let v = self.value(c, 0)?;
        let index = self.int(c, 1)?;
        let values = match v {
            Value::Null => return Ok(Value::Null),
            Value::Str(s) => vec![s],
            Value::Multi(v) => v,
            Value::Complex(_) => {
                return fail(&c.span_of(0), "Item: complex values cannot be indexed");
            }
        };
        if index == 0 {
            return fail(&c.span_of(1), "Item: the index is 1-based; 0 is not a valid index");
        }
        match usize::try_from(index).ok().and_then(|i| values.get(i - 1)) {
            Some(s) => Ok(Value::Str(s.clone())),
            None => fail(
                &c.span_of(1),
                format!(
                    "Item: index {index} is out of range (the value has {} item(s))",
                    values.len()
                ),
            ),
        }
    }

    fn join(&mut self, c: &Call<'_>) -> Result<Value, EvalError> {
        let separator = self.text(c, 0)?.unwrap_or_default();
        let mut parts: Vec<String> = Vec::new();
        // The joined length, checked before it is built: many large arguments must not add up.
        let mut total = 0usize;
        for i in 1..c.args.len() {
            let values = match self.value(c, i)? {
                Value::Null => Vec::new(),
                Value::Str(s) => vec![s],
                Value::Multi(v) => v,
                Value::Complex(_) => {
                    return fail(&c.span_of(i), "Join: complex values cannot be joined");
                }
            };
            for p in values.into_iter().filter(|p| !p.is_empty()) {
                total = total.saturating_add(p.len() + separator.len());
                self.budget.check_size(total, c.span)?;
                parts.push(p);
            }
        }
        Ok(Value::Str(parts.join(&separator)))
    }

    fn random_string(&mut self, c: &Call<'_>) -> Result<Value, EvalError> {
        let mut counts = [0usize; 5];
        for (i, slot) in counts.iter_mut().enumerate() {
            let n = self.int(c, i)?;
            *slot = usize::try_from(n).ok().filter(|&n| n <= 256).ok_or_else(|| EvalError {
                message: format!("RandomString: argument {} must be between 0 and 256, got {n}", i + 1),
                span: c.span_of(i),
            })?;
        }
        let avoid = self.text(c, 5)?.unwrap_or_default();
        let [length, numbers, special, capital, lower] = counts;
        if numbers + special + capital + lower > length {
            return fail(
                c.span,
                format!("RandomString: the minimums add up to more than the length {length}"),
            );
        }
        let class = |chars: &str| -> Vec<char> { chars.chars().filter(|ch| !avoid.contains(*ch)).collect() };
        let classes = [
            (class("0123456789"), numbers),
            (class("~!@#$%^&*_-+=`|\\(){}[]:;\"'<>,.?/"), special),
            (class("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), capital),
            (class("abcdefghijklmnopqrstuvwxyz"), lower),
        ];
        let mut out = Vec::with_capacity(length);
        for (chars, min) in &classes {
            if *min > 0 && chars.is_empty() {
                return fail(
                    c.span,
                    "RandomString: CharactersToAvoid excludes a whole required character class",
                );
            }
            for _ in 0..*min {
                out.push(chars[self.random_below(chars.len())]);
            }
        }
        let pool: Vec<char> = classes.iter().flat_map(|(chars, _)| chars.iter().copied()).collect();
        if out.len() < length && pool.is_empty() {
            return fail(c.span, "RandomString: CharactersToAvoid excludes every character");
        }
        while out.len() < length {
            out.push(pool[self.random_below(pool.len())]);
        }
        for i in (1..out.len()).rev() {
            let j = self.random_below(i + 1);
            out.swap(i, j);
        }
        Ok(Value::Str(out.into_iter().collect()))
    }

    fn switch(&mut self, c: &Call<'_>) -> Result<Value, EvalError> {
        let source = self.text(c, 0)?.unwrap_or_default();
        let mut k = 2;
        while k + 1 < c.args.len() {
            let key = self.text(c, k)?.unwrap_or_default();
            if key == source {
                return self.value(c, k + 1);
            }
            k += 2;
        }
        self.value(c, 1)
    }

    fn word(&mut self, c: &Call<'_>) -> Result<Value, EvalError> {
        let s = self.text(c, 0)?;
        let n = self.int(c, 1)?;
        let delimiters = self.text(c, 2)?.unwrap_or_default();
        let Some(s) = s else {
            return Ok(Value::str(""));
        };
        if n < 1 {
            return Ok(Value::str(""));
        }
        let word = s
            .split(|ch| delimiters.contains(ch))
            .filter(|w| !w.is_empty())
            .nth(n as usize - 1)
            .unwrap_or("");
        Ok(Value::str(word))
    }

    fn contains(&mut self, c: &Call<'_>) -> Result<Value, EvalError> {
        let values = match self.value(c, 0)? {
            Value::Null => Vec::new(),
            Value::Str(s) => vec![s],
            Value::Multi(v) => v,
            Value::Complex(_) => {
                return fail(&c.span_of(0), "Contains: complex values cannot be searched");
            }
        };
        let search = self.text(c, 1)?.unwrap_or_default();
        let ignore_case = matches!(self.text(c, 2)?.as_deref(), Some("vbTextCompare") | Some("1"));
        let found = values.iter().position(|v| {
            if ignore_case {
                text::to_lower(v, None).contains(&text::to_lower(&search, None))
            } else {
                v.contains(&search)
            }
        });
        Ok(Value::Str(found.map_or(0, |i| i + 1).to_string()))
    }

    fn dn_component(&mut self, c: &Call<'_>) -> Result<Value, EvalError> {
        let dn = self.text(c, 0)?;
        let n = self.int(c, 1)?;
        if n < 1 {
            return fail(
                &c.span_of(1),
                format!("DNComponent: component numbers start at 1, got {n}"),
            );
        }
        let Some(dn) = dn else {
            return Ok(Value::Null);
        };
        // Split at commas that are not escaped with a backslash.
        let mut components = Vec::new();
        let mut current = String::new();
        let mut escaped = false;
        for ch in dn.chars() {
            match ch {
                _ if escaped => {
                    current.push(ch);
                    escaped = false;
                }
                '\\' => escaped = true,
                ',' => components.push(std::mem::take(&mut current)),
                _ => current.push(ch),
            }
        }
        components.push(current);
        Ok(components.get(n as usize - 1).map_or(Value::Null, |rdn| {
            Value::str(rdn.split_once('=').map_or(rdn.as_str(), |(_, v)| v).trim())
        }))
    }

    fn replace(&mut self, c: &Call<'_>) -> Result<Value, EvalError> {
        let source = self.value(c, 0)?;
        let text_arg = |this: &mut Self, i: usize| this.text(c, i).map(Option::unwrap_or_default);
        let max = self.budget.max_value_bytes;
        if c.filled(1) {
            let old = text_arg(self, 1)?;
            if c.filled(6) {
                let template = text_arg(self, 6)?;
                return self.map_value(source, c, |s| {
                    Ok(if old.is_empty() {
                        template.clone()
                    } else {
                        replace::replace_text(&template, &old, s, max)?
                    })
                });
            }
            let new = text_arg(self, 4)?;
            return self.map_value(source, c, |s| {
                Ok(if old.is_empty() {
                    s.to_string()
                } else {
                    replace::replace_text(s, &old, &new, max)?
                })
            });
        }
        let pattern = text_arg(self, 2)?;
        let re = replace::compile(&pattern).map_err(|message| EvalError {
            message,
            span: c.span_of(2),
        })?;
        if !c.filled(3) {
            let replacement = text_arg(self, 4)?;
            return self.map_value(source, c, |s| replace::replace_all(&re, s, &replacement, max));
        }
        let group_name = text_arg(self, 3)?;
        let group = replace::require_group(&re, &group_name).map_err(|message| EvalError {
            message,
            span: c.span_of(3),
        })?;
        if c.filled(4) {
            let replacement = text_arg(self, 4)?;
            return self.map_value(source, c, |s| replace::replace_group(&re, group, s, &replacement, max));
        }
        // regexPattern + regexGroupName + replacementAttributeName.
        if !source.is_null_or_empty() {
            return Ok(source);
        }
        let other = match c.args.get(5) {
            Some(Arg::Expr(Expr::Str { value, .. })) => self.input.get(value).cloned().unwrap_or(Value::Null),
            _ => self.value(c, 5)?,
        };
        let Some(other) = single(other, &c.span_of(5), "Replace")? else {
            return Ok(Value::Null);
        };
        let extracted = replace::extract_group(&re, group, &other).map_err(|message| EvalError {
            message,
            span: c.span_of(2),
        })?;
        Ok(extracted.map_or(Value::Null, Value::Str))
    }

    /// Applies a text transformation to every value of `v` (null stays null).
    fn map_value(
        &mut self,
        v: Value,
        c: &Call<'_>,
        f: impl Fn(&str) -> Result<String, String>,
    ) -> Result<Value, EvalError> {
        let wrap = |r: Result<String, String>| {
            r.map_err(|message| EvalError {
                message,
                span: c.span.clone(),
            })
        };
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
fn single(v: Value, span: &Span, context: &str) -> Result<Option<String>, EvalError> {
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
fn truthy(v: &Value, span: &Span) -> Result<bool, EvalError> {
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
