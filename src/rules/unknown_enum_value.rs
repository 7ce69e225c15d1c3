use super::{Context, Described, Rule};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{Loc, Source, Spanned, known};

declare_rule! {
    /// An enumeration value that Entra does not know.
    ///
    /// ## What it does
    /// Reports values of enumerations that are not among the known ones:
    /// `flowType`, `flowBehavior`, `source.type`, an attribute's `type` and
    /// `mutability`, the flags of `flowTypes`, and scoping filter operators.
    ///
    /// ## Why it matters
    /// Enumerations are open — Microsoft adds values over time — so an unknown
    /// value is not necessarily wrong, but it is usually a typo (`"Allways"`,
    /// `"Add;Update"`) that Entra rejects or interprets as its default.
    ///
    /// ## Example
    /// ```json
    /// { "targetAttributeName": "active", "flowType": "Allways" }
    /// ```
    ///
    /// Values are case-sensitive: `"string"` — the placeholder Graph's
    /// documentation examples show for an attribute type — is not `String`.
    ///
    /// ## Fix
    /// Use one of the values the message lists. A value that differs from a
    /// known one only in letter case (`string`, `always`, `add,update`) has a
    /// safe fix to the known spelling. If Microsoft introduced a new value,
    /// turn this rule off for that file in `.mapping-lint.yaml`.
    pub struct UnknownEnumValue {
        name: "unknown-enum-value",
        category: Input,
        severity: Warning,
        fix: Safe,
    }
}

pub struct Finding {
    what: &'static str,
    value: String,
    loc: Loc,
    known: &'static [&'static str],
    suggestion: Option<&'static str>,
    /// The whole string with the value in its known spelling, when the
    /// value differs from a known one only in letter case.
    case_fix: Option<String>,
}

impl Rule for UnknownEnumValue {
    type State<'a> = Finding;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut check = |what: &'static str, value: &Option<Spanned<String>>, known: &'static [&'static str]| {
            if let Some(v) = value {
                check_value(what, &v.value, &v.loc, known, &mut out);
            }
        };
        for (_, om) in cx.schema.object_mappings() {
            for am in &om.attribute_mappings {
                check("flowType", &am.flow_type, known::FLOW_TYPES);
                check("flowBehavior", &am.flow_behavior, known::FLOW_BEHAVIORS);
                if let Some(source) = &am.source {
                    source_types(source, &mut |s| check("source type", &s.kind, known::SOURCE_TYPES));
                }
            }
            if let Some(scope) = &om.scope {
                for clause in scope.groups.iter().flat_map(|g| &g.clauses) {
                    check("filter operator", &clause.operator, known::FILTER_OPERATORS);
                }
            }
        }
        for dir in &cx.schema.directories {
            for attr in dir.objects.iter().flat_map(|o| &o.attributes) {
                check("attribute type", &attr.kind, known::ATTRIBUTE_TYPES);
                check("mutability", &attr.mutability, known::MUTABILITIES);
            }
        }
        for (_, om) in cx.schema.object_mappings() {
            if let Some(flow_types) = &om.flow_types {
                let start = out.len();
                for flag in flow_types.value.split(',').map(str::trim) {
                    check_value(
                        "flowTypes flag",
                        flag,
                        &flow_types.loc,
                        known::OBJECT_FLOW_TYPES,
                        &mut out,
                    );
                }
                // One string holds every flag: each finding's fix rewrites
                // all flags of wrong case at once, so the fixes agree.
                let fixed: Vec<String> = flow_types
                    .value
                    .split(',')
                    .map(|flag| {
                        let trimmed = flag.trim();
                        match known::OBJECT_FLOW_TYPES
                            .iter()
                            .find(|k| k.eq_ignore_ascii_case(trimmed))
                        {
                            Some(k) => flag.replace(trimmed, k),
                            None => flag.to_string(),
                        }
                    })
                    .collect();
                let fixed = fixed.join(",");
                for f in &mut out[start..] {
                    f.case_fix = f.case_fix.is_some().then(|| fixed.clone());
                }
            }
        }
        out
    }

    fn diagnostic(&self, _cx: &Context<'_>, f: &Finding) -> Diagnostic {
        if f.case_fix.is_some()
            && let Some(s) = f.suggestion
        {
            return Diagnostic::new(
                &Self::META,
                format!(
                    "unknown {} `{}`: values are case-sensitive, did you mean `{s}`?",
                    f.what, f.value
                ),
                &f.loc,
            )
            .with_label(format!("write `{s}`"))
            .with_help(format!("known values: {}", f.known.join(", ")));
        }
        let mut d = Diagnostic::new(&Self::META, format!("unknown {} `{}`", f.what, f.value), &f.loc)
            .with_label(format!("not a known {}", f.what))
            .with_help(format!("known values: {}", f.known.join(", ")));
        if let Some(s) = f.suggestion {
            d = d.with_note(format!("did you mean `{s}`?"));
        }
        d
    }

    fn fix(&self, _cx: &Context<'_>, f: &Finding) -> Option<Fix> {
        let fixed = f.case_fix.as_ref()?;
        let json = serde_json::to_string(fixed).ok()?;
        Some(Fix::safe(
            format!("Write `{}`", f.suggestion.unwrap_or(fixed)),
            vec![Edit::replace(f.loc.span, json)],
        ))
    }
}

fn check_value(what: &'static str, value: &str, loc: &Loc, known: &'static [&'static str], out: &mut Vec<Finding>) {
    let is_known = if what == "filter operator" {
        known.iter().any(|k| k.eq_ignore_ascii_case(value))
    } else {
        known.contains(&value)
    };
    if is_known {
        return;
    }
    let same_but_case = known.iter().copied().find(|k| k.eq_ignore_ascii_case(value));
    let suggestion = same_but_case.or_else(|| crate::suggest::closest(value, known.iter().copied()));
    out.push(Finding {
        what,
        value: value.to_string(),
        loc: loc.clone(),
        known,
        suggestion,
        case_fix: same_but_case.map(str::to_string),
    });
}

/// Visits a source and every nested parameter value.
fn source_types<'a>(source: &'a Source, f: &mut impl FnMut(&'a Source)) {
    f(source);
    for p in &source.parameters {
        if let Some(v) = &p.value {
            source_types(v, f);
        }
    }
}
