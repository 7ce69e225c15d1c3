//! Evaluators of the logic family: conditions, null tests, choices and pass-through
//! (IIF, Switch, Coalesce, Not, the Is… tests, CBool, CStr/CRef, BitAnd, Redact,
//! IgnoreFlowIfNullOrEmpty, SelectUniqueValue, Error). The catalogue row of each function
//! (`expr::functions`) points at its evaluator here.

use super::{Call, EvalError, Evaluator, Value, fail};

pub(crate) fn iif(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    if ev.condition(c, 0)? {
        ev.value(c, 1)
    } else {
        ev.value(c, 2)
    }
}

pub(crate) fn switch(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let source = ev.text(c, 0)?.unwrap_or_default();
    let mut k = 2;
    while k + 1 < c.args.len() {
        let key = ev.text(c, k)?.unwrap_or_default();
        if key == source {
            return ev.value(c, k + 1);
        }
        k += 2;
    }
    ev.value(c, 1)
}

pub(crate) fn coalesce(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    for i in 0..c.args.len() {
        let v = ev.value(c, i)?;
        if !matches!(&v, Value::Null) && v != Value::Multi(Vec::new()) {
            return Ok(v);
        }
    }
    Ok(Value::Null)
}

pub(crate) fn not(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    Ok(Value::bool(ev.value(c, 0)?.as_single() != Some("True")))
}

/// IsNull and IsNothing.
pub(crate) fn is_null(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let v = ev.value(c, 0)?;
    Ok(Value::bool(matches!(&v, Value::Null) || v == Value::Multi(Vec::new())))
}

pub(crate) fn is_null_or_empty(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    Ok(Value::bool(ev.value(c, 0)?.is_null_or_empty()))
}

pub(crate) fn is_present(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    Ok(Value::bool(!ev.value(c, 0)?.is_null_or_empty()))
}

pub(crate) fn is_string(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    Ok(Value::bool(matches!(ev.value(c, 0)?, Value::Str(_))))
}

pub(crate) fn cbool(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let b = ev.condition(c, 0)?;
    Ok(Value::bool(b))
}

/// CStr and CRef.
pub(crate) fn cstr(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    Ok(ev.text(c, 0)?.map_or(Value::Null, Value::Str))
}

pub(crate) fn bit_and(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    Ok(Value::Str((ev.int(c, 0)? & ev.int(c, 1)?).to_string()))
}

/// Redact and SelectUniqueValue: the first argument's value.
pub(crate) fn first(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    ev.value(c, 0)
}

pub(crate) fn ignore_flow_if_null_or_empty(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let v = ev.value(c, 0)?;
    Ok(if v.is_null_or_empty() { Value::Null } else { v })
}

pub(crate) fn error(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let message = ev.text(c, 0)?.unwrap_or_default();
    fail(c.span, format!("Error(): {message}"))
}
