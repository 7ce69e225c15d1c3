//! Evaluators of the roles family: the functions that take `[appRoleAssignments]`.

use serde_json::{Map, Value as Json};

use super::{Call, EvalError, Evaluator, Value, fail};

/// `(value, display)` pairs of the app role assignments argument; `None` when null.
fn roles(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Option<Vec<(String, String)>>, EvalError> {
    let as_text = |o: &Map<String, Json>, k: &str| o.get(k).and_then(Json::as_str).map(str::to_string);
    Ok(match ev.value(c, 0)? {
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

pub(crate) fn roles_complex(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let Some(roles) = roles(ev, c)? else {
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

pub(crate) fn app_role_assignments(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let roles = roles(ev, c)?;
    Ok(roles.map_or(Value::Null, |r| Value::Multi(r.into_iter().map(|(v, _)| v).collect())))
}

pub(crate) fn single_app_role_assignment(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let roles = roles(ev, c)?;
    Ok(roles
        .and_then(|r| r.into_iter().next())
        .map_or(Value::Null, |(v, _)| Value::Str(v)))
}
