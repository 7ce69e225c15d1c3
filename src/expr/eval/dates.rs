//! Evaluators of the date family (CDate, DateAdd, DateDiff, DateFromNum, NumFromDate,
//! FormatDateTime, Now); parsing, formatting and calendar arithmetic are in [`super::datetime`].

use super::datetime::{self, DateTime, FILETIME_EPOCH_TICKS, Interval, Styles};
use super::{Call, EvalError, Evaluator, Value, fail};

pub(crate) fn cdate(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    ev.map_text(c, 0, |s| datetime::parse_to_utc(s).map(datetime::format_general))
}

pub(crate) fn date_from_num(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    if ev.text(c, 0)?.is_none() {
        return Ok(Value::Null);
    }
    let n = ev.int(c, 0)?;
    FILETIME_EPOCH_TICKS
        .checked_add(n)
        .and_then(DateTime::from_ticks)
        .map(|d| Value::Str(datetime::format_general(d)))
        .ok_or_else(|| EvalError {
            message: format!("DateFromNum: {n} is outside the representable dates (years 1601–9999)"),
            span: c.span_of(0),
        })
}

pub(crate) fn num_from_date(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    ev.map_text(c, 0, |s| {
        let ticks = datetime::parse_to_utc(s)?.ticks() - FILETIME_EPOCH_TICKS;
        if ticks < 0 {
            return Err(format!("NumFromDate: `{s}` is before 1601-01-01"));
        }
        Ok(ticks.to_string())
    })
}

pub(crate) fn now(ev: &mut Evaluator<'_>, _c: &Call<'_>) -> Result<Value, EvalError> {
    Ok(Value::Str(datetime::format_general(ev.env.now_utc())))
}

pub(crate) fn date_add(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let interval = interval(ev, c, 0)?;
    let n = ev.int(c, 1)?;
    let Some(date) = ev.text(c, 2)? else {
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

fn interval(ev: &mut Evaluator<'_>, c: &Call<'_>, i: usize) -> Result<Interval, EvalError> {
    let t = ev.text(c, i)?.unwrap_or_default();
    Interval::parse(&t).map_err(|message| EvalError {
        message,
        span: c.span_of(i),
    })
}

pub(crate) fn date_diff(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let interval = interval(ev, c, 0)?;
    let mut dates = [None, None];
    for (k, i) in [1, 2].into_iter().enumerate() {
        let Some(t) = ev.text(c, i)? else {
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

pub(crate) fn format_date_time(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let (styles_slot, input_slot, output_slot) = if c.args.len() == 4 {
        (Some(1), 2, 3)
    } else {
        (None, 1, 2)
    };
    let styles = match styles_slot {
        Some(i) if c.filled(i) => {
            let t = ev.text(c, i)?.unwrap_or_default();
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
    let input_format = ev.text(c, input_slot)?.unwrap_or_default();
    let output_format = ev.text(c, output_slot)?.unwrap_or_default();
    let today = ev.env.now_utc();
    let out_span = c.span_of(output_slot);
    let in_span = c.span_of(0);
    let result = ev.map_text(c, 0, |s| {
        let parsed = datetime::parse_exact(s, &input_format, styles, today)?.to_server_time()?;
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
