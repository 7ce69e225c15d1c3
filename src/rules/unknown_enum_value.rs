use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
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
    /// ## Fix
    /// Use one of the values the message lists. If Microsoft introduced a new
    /// value, turn this rule off for that file in `.mapping-lint.yaml`.
    pub struct UnknownEnumValue {
        name: "unknown-enum-value",
        category: Input,
        severity: Warning,
        fix: None,
    }
}

pub struct Finding {
    what: &'static str,
    value: String,
    loc: Loc,
    known: &'static [&'static str],
    suggestion: Option<&'static str>,
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
                for flag in flow_types.value.split(',').map(str::trim) {
                    check_value(
                        "flowTypes flag",
                        flag,
                        &flow_types.loc,
                        known::OBJECT_FLOW_TYPES,
                        &mut out,
                    );
                }
            }
        }
        out
    }

    fn diagnostic(&self, _cx: &Context<'_>, f: &Finding) -> Diagnostic {
        let mut d = Diagnostic::new(&Self::META, format!("unknown {} `{}`", f.what, f.value), &f.loc)
            .with_label(format!("not a known {}", f.what))
            .with_help(format!("known values: {}", f.known.join(", ")));
        if let Some(s) = f.suggestion {
            d = d.with_note(format!("did you mean `{s}`?"));
        }
        d
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
    let suggestion = crate::suggest::closest(value, known.iter().copied());
    out.push(Finding {
        what,
        value: value.to_string(),
        loc: loc.clone(),
        known,
        suggestion,
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
