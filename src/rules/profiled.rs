//! What the reference-profile rules share: finding the object mappings a
//! profile describes, citing the profile row behind a finding, and the JSON
//! their fixes insert.

use super::Context;
use super::edits::Json;
use crate::diagnostic::Diagnostic;
use crate::model::{Loc, ObjectMapping, SyncRule};
use crate::profile::{AttributeSpec, ObjectProfile, Profile, RequiredMapping};

/// An object mapping of the export together with the part of the profile
/// that describes it.
#[derive(Clone, Copy)]
pub struct Profiled<'a> {
    pub profile: &'a Profile,
    pub object: &'a ObjectProfile,
    pub rule: &'a SyncRule,
    pub om: &'a ObjectMapping,
}

/// Every object mapping the profile describes (none without a profile).
pub fn profiled<'a>(cx: &Context<'a>) -> Vec<Profiled<'a>> {
    let Some(profile) = cx.profile else {
        return Vec::new();
    };
    cx.schema
        .object_mappings()
        .filter_map(|(rule, om)| {
            profile.object_for(om).map(|object| Profiled {
                profile,
                object,
                rule,
                om,
            })
        })
        .collect()
}

/// Where a finding about a whole object mapping points: the object
/// mapping's pointer, shown at its `sourceObjectName` (or its name).
pub fn anchor(om: &ObjectMapping) -> Loc {
    let span = om
        .source_object
        .as_ref()
        .or(om.name.as_ref())
        .map_or_else(|| om.loc.span.clone(), |s| s.loc.span.clone());
    Loc {
        span,
        pointer: om.loc.pointer.clone(),
    }
}

/// Adds "required by profile astrato: userName ← [mail]" and, for a profile
/// file, a label on that row of the YAML.
pub fn cite(d: Diagnostic, profile: &Profile, row: &RequiredMapping) -> Diagnostic {
    let d = d.with_note(profile.cause(row));
    match profile.external(
        &row.span,
        format!("profile {} requires {}", profile.name, row.describe()),
    ) {
        Some(label) => d.with_external(label),
        None => d,
    }
}

/// The `source` tree of an expression in the shape Entra writes
/// (format.md §2), or `None` when it cannot be built.
pub fn source_json(expression: &str) -> Option<Json> {
    let text = expression.trim();
    let leaf = |kind: &str, name: String| {
        Json::Object(vec![
            ("expression", Json::str(text)),
            ("name", Json::Str(name)),
            ("type", Json::str(kind)),
            ("parameters", Json::Array(Vec::new())),
        ])
    };
    if let Some(name) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']'))
        && !name.contains(']')
    {
        return Some(leaf("Attribute", name.to_string()));
    }
    if text.len() >= 2 && text.starts_with('"') && text.ends_with('"') {
        let value: String = serde_json::from_str(text).ok()?;
        return Some(leaf("Constant", value));
    }
    None
}

/// A new attribute mapping for a profile row, keys in the order real
/// exports use.
pub fn mapping_json(row: &RequiredMapping) -> Option<Json> {
    Some(Json::Object(vec![
        ("defaultValue", Json::Null),
        ("exportMissingReferences", Json::Bool(false)),
        ("flowBehavior", Json::str("FlowWhenChanged")),
        ("flowType", Json::str(row.flow.as_str())),
        ("matchingPriority", Json::Int(i64::from(row.matching))),
        ("targetAttributeName", Json::str(&row.target)),
        ("source", source_json(&row.source.text)?),
    ]))
}

/// A new attribute definition for the target object.
pub fn attribute_json(name: &str, spec: &AttributeSpec) -> Json {
    Json::Object(vec![
        ("anchor", Json::Bool(false)),
        ("caseExact", Json::Bool(spec.case_exact)),
        ("defaultValue", Json::Null),
        ("flowNullValues", Json::Bool(false)),
        ("multivalued", Json::Bool(spec.multivalued)),
        ("mutability", Json::str("ReadWrite")),
        ("name", Json::str(name)),
        ("required", Json::Bool(spec.required)),
        ("type", Json::str(spec.kind.as_str())),
        ("apiExpressions", Json::Array(Vec::new())),
        ("metadata", Json::Array(Vec::new())),
        ("referencedObjects", Json::Array(Vec::new())),
    ])
}

/// Replaces a `source` value (at `span`) with the tree of `expression`,
/// indented like the line it starts on.
pub fn replace_source(
    cx: &Context<'_>,
    span: &crate::source::Span,
    expression: &str,
) -> Option<crate::diagnostic::Edit> {
    let tree = source_json(expression)?;
    let text = &cx.file.text;
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..];
    let base = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
    let unit = super::edits::indent_unit(text);
    Some(crate::diagnostic::Edit::replace(
        span.clone(),
        tree.render(base, unit, cx.file.line_ending.as_str()),
    ))
}
