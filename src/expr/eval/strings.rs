//! Evaluators of the text family: building, cutting, searching and replacing text, and
//! multi-valued lists (Append, Prepend, Join, Left, Mid, InStr, Word, Split, Item, Count,
//! Contains, RemoveDuplicates, PCase, ToLower/ToUpper, Trim, StripSpaces, NormalizeDiacritics,
//! Replace, DNComponent, RandomString, Guid, DefaultDomain). Character-level helpers are in
//! [`super::text`], the regular-expression side of Replace in [`super::replace`].

use super::{Arg, Call, EvalError, Evaluator, Expr, Value, fail, replace, single, text};

pub(crate) fn append(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let s = ev.text(c, 0)?.unwrap_or_default();
    let suffix = ev.text(c, 1)?.unwrap_or_default();
    Ok(Value::Str(s + &suffix))
}

pub(crate) fn prepend(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let prefix = ev.text(c, 0)?.unwrap_or_default();
    let s = ev.text(c, 1)?.unwrap_or_default();
    Ok(Value::Str(prefix + &s))
}

pub(crate) fn count(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    Ok(Value::Str(
        match ev.value(c, 0)? {
            Value::Null => 0,
            Value::Str(_) => 1,
            Value::Multi(v) => v.len(),
            Value::Complex(v) => v.len(),
        }
        .to_string(),
    ))
}

pub(crate) fn guid(ev: &mut Evaluator<'_>, _c: &Call<'_>) -> Result<Value, EvalError> {
    let (hi, lo) = (ev.env.next_random(), ev.env.next_random());
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

pub(crate) fn default_domain(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    match ev.env.default_domain() {
        Some(d) => Ok(Value::str(d)),
        None => fail(
            c.span,
            "DefaultDomain() needs the tenant's default domain, which was not provided",
        ),
    }
}

pub(crate) fn left(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let s = ev.text(c, 0)?.unwrap_or_default();
    let n = ev.int(c, 1)?;
    Ok(Value::Str(match n {
        0 => String::new(),
        n if n < 0 => s,
        n => s.chars().take(n as usize).collect(),
    }))
}

pub(crate) fn mid(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let Some(s) = ev.text(c, 0)? else {
        return Ok(Value::Null);
    };
    let start = ev.int(c, 1)?;
    let len = ev.int(c, 2)?;
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

pub(crate) fn normalize_diacritics(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    ev.map_text(c, 0, |s| Ok(text::normalize_diacritics(s)))
}

pub(crate) fn pcase(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let seps = ev.text(c, 1)?;
    ev.map_text(c, 0, |s| Ok(text::pcase(s, seps.as_deref())))
}

pub(crate) fn remove_duplicates(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    Ok(match ev.value(c, 0)? {
        Value::Multi(v) => {
            let mut seen = std::collections::HashSet::new();
            Value::Multi(v.into_iter().filter(|s| seen.insert(s.clone())).collect())
        }
        other => other,
    })
}

pub(crate) fn split(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let Some(s) = ev.text(c, 0)? else {
        return Ok(Value::Null);
    };
    let delimiter = ev.text(c, 1)?.unwrap_or_default();
    Ok(Value::Multi(if delimiter.is_empty() {
        vec![s]
    } else {
        s.split(delimiter.as_str()).map(str::to_string).collect()
    }))
}

pub(crate) fn strip_spaces(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    ev.map_text(c, 0, |s| Ok(s.replace(' ', "")))
}

pub(crate) fn to_lower(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let culture = ev.text(c, 1)?;
    ev.map_text(c, 0, |s| Ok(text::to_lower(s, culture.as_deref())))
}

pub(crate) fn to_upper(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let culture = ev.text(c, 1)?;
    ev.map_text(c, 0, |s| Ok(text::to_upper(s, culture.as_deref())))
}

pub(crate) fn trim(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    ev.map_text(c, 0, |s| Ok(s.trim().to_string()))
}

pub(crate) fn instr(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let (Some(haystack), Some(needle)) = (ev.text(c, 0)?, ev.text(c, 1)?) else {
        return Ok(Value::Null);
    };
    let start = if c.filled(2) { ev.int(c, 2)? } else { 1 };
    if start < 1 {
        return fail(&c.span_of(2), format!("InStr: start is 1-based, got {start}"));
    }
    let text_compare = match ev.text(c, 3)?.as_deref() {
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

pub(crate) fn item(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let v = ev.value(c, 0)?;
    let index = ev.int(c, 1)?;
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

pub(crate) fn join(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let separator = ev.text(c, 0)?.unwrap_or_default();
    let mut parts: Vec<String> = Vec::new();
    // The joined length, checked before it is built: many large arguments must not add up.
    let mut total = 0usize;
    for i in 1..c.args.len() {
        let values = match ev.value(c, i)? {
            Value::Null => Vec::new(),
            Value::Str(s) => vec![s],
            Value::Multi(v) => v,
            Value::Complex(_) => {
                return fail(&c.span_of(i), "Join: complex values cannot be joined");
            }
        };
        for p in values.into_iter().filter(|p| !p.is_empty()) {
            total = total.saturating_add(p.len() + separator.len());
            ev.budget.check_size(total, c.span)?;
            parts.push(p);
        }
    }
    Ok(Value::Str(parts.join(&separator)))
}

pub(crate) fn random_string(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let mut counts = [0usize; 5];
    for (i, slot) in counts.iter_mut().enumerate() {
        let n = ev.int(c, i)?;
        *slot = usize::try_from(n).ok().filter(|&n| n <= 256).ok_or_else(|| EvalError {
            message: format!("RandomString: argument {} must be between 0 and 256, got {n}", i + 1),
            span: c.span_of(i),
        })?;
    }
    let avoid = ev.text(c, 5)?.unwrap_or_default();
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
            out.push(chars[ev.random_below(chars.len())]);
        }
    }
    let pool: Vec<char> = classes.iter().flat_map(|(chars, _)| chars.iter().copied()).collect();
    if out.len() < length && pool.is_empty() {
        return fail(c.span, "RandomString: CharactersToAvoid excludes every character");
    }
    while out.len() < length {
        out.push(pool[ev.random_below(pool.len())]);
    }
    for i in (1..out.len()).rev() {
        let j = ev.random_below(i + 1);
        out.swap(i, j);
    }
    Ok(Value::Str(out.into_iter().collect()))
}

pub(crate) fn word(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let s = ev.text(c, 0)?;
    let n = ev.int(c, 1)?;
    let delimiters = ev.text(c, 2)?.unwrap_or_default();
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

pub(crate) fn contains(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let values = match ev.value(c, 0)? {
        Value::Null => Vec::new(),
        Value::Str(s) => vec![s],
        Value::Multi(v) => v,
        Value::Complex(_) => {
            return fail(&c.span_of(0), "Contains: complex values cannot be searched");
        }
    };
    let search = ev.text(c, 1)?.unwrap_or_default();
    let ignore_case = matches!(ev.text(c, 2)?.as_deref(), Some("vbTextCompare") | Some("1"));
    let found = values.iter().position(|v| {
        if ignore_case {
            text::to_lower(v, None).contains(&text::to_lower(&search, None))
        } else {
            v.contains(&search)
        }
    });
    Ok(Value::Str(found.map_or(0, |i| i + 1).to_string()))
}

pub(crate) fn dn_component(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let dn = ev.text(c, 0)?;
    let n = ev.int(c, 1)?;
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

pub(crate) fn replace(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let source = ev.value(c, 0)?;
    let text_arg = |this: &mut Evaluator<'_>, i: usize| this.text(c, i).map(Option::unwrap_or_default);
    let max = ev.budget.max_value_bytes;
    if c.filled(1) {
        let old = text_arg(ev, 1)?;
        if c.filled(6) {
            let template = text_arg(ev, 6)?;
            return ev.map_value(source, c, |s| {
                Ok(if old.is_empty() {
                    template.clone()
                } else {
                    replace::replace_text(&template, &old, s, max)?
                })
            });
        }
        let new = text_arg(ev, 4)?;
        return ev.map_value(source, c, |s| {
            Ok(if old.is_empty() {
                s.to_string()
            } else {
                replace::replace_text(s, &old, &new, max)?
            })
        });
    }
    let pattern = text_arg(ev, 2)?;
    let re = replace::compile(&pattern).map_err(|message| EvalError {
        message,
        span: c.span_of(2),
    })?;
    if !c.filled(3) {
        let replacement = text_arg(ev, 4)?;
        return ev.map_value(source, c, |s| replace::replace_all(&re, s, &replacement, max));
    }
    let group_name = text_arg(ev, 3)?;
    let group = replace::require_group(&re, &group_name).map_err(|message| EvalError {
        message,
        span: c.span_of(3),
    })?;
    if c.filled(4) {
        let replacement = text_arg(ev, 4)?;
        return ev.map_value(source, c, |s| replace::replace_group(&re, group, s, &replacement, max));
    }
    // regexPattern + regexGroupName + replacementAttributeName.
    if !source.is_null_or_empty() {
        return Ok(source);
    }
    let other = match c.args.get(5) {
        Some(Arg::Expr(Expr::Str { value, .. })) => ev.input.get(value).cloned().unwrap_or(Value::Null),
        _ => ev.value(c, 5)?,
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
