//! What the reference-profile rules share: finding the object mappings a
//! profile describes, citing the profile row behind a finding, and the JSON
//! their fixes insert.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::expr;
use crate::fix::edit::Editor;
use crate::model::{Loc, ObjectMapping, SyncRule};
use crate::profile::{AttributeSpec, ObjectProfile, Profile, RequiredMapping};

/// A JSON value with its key order, for inserted text (real exports have a
/// fixed key order that `serde_json::Map` would sort away).
#[derive(Debug, Clone)]
pub enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(&'static str, Json)>),
    /// Already-serialised JSON (a `source` tree from [`source_json`]).
    Raw(String),
}

impl Json {
    pub fn str(s: impl Into<String>) -> Json {
        Json::Str(s.into())
    }

    /// Compact JSON text; the fix engine lays it out like its neighbours.
    pub fn to_text(&self) -> String {
        match self {
            Json::Null => "null".to_string(),
            Json::Bool(b) => b.to_string(),
            Json::Int(i) => i.to_string(),
            Json::Str(s) => serde_json::to_string(s).expect("strings serialize"),
            Json::Raw(text) => text.clone(),
            Json::Array(items) => format!("[{}]", items.iter().map(Json::to_text).collect::<Vec<_>>().join(",")),
            Json::Object(items) => format!(
                "{{{}}}",
                items
                    .iter()
                    .map(|(k, v)| format!(
                        "{}:{}",
                        serde_json::to_string(k).expect("strings serialize"),
                        v.to_text()
                    ))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        }
    }
}

/// An object mapping of the export together with the part of the profile
/// that describes it.
#[derive(Clone, Copy)]
pub struct Profiled<'a> {
    pub profile: &'a Profile,
    pub object: &'a ObjectProfile,
    pub rule: &'a SyncRule,
    pub om: &'a ObjectMapping,
}

/// Why changing or removing `am` changes who is matched or provisioned, if
/// it does: then a fix touching it is unsafe, whatever the profile says.
/// A matching attribute decides which account in the application an Entra
/// user is linked to: a new source can link users to other accounts, or
/// create duplicates wherever old and new values differ (mail ≠ UPN). The
/// activation attribute (`active`, `IsActive`, …) decides who is enabled.
pub fn provisioning_effect(cx: &Context<'_>, am: &crate::model::AttributeMapping) -> Option<&'static str> {
    if am.is_matching() {
        return Some(
            "it is a matching attribute: a new source links users to other accounts in the application, or creates duplicates where the old and new values differ",
        );
    }
    let target = am.target_name();
    let activation = cx.job.kind.activation_attributes();
    if activation
        .iter()
        .chain(&["active"])
        .any(|a| a.eq_ignore_ascii_case(target))
    {
        return Some("it decides who is enabled in the application: changing it can disable or re-enable accounts");
    }
    None
}

/// Every object mapping the profile describes (none without a profile).
pub fn profiled<'a>(cx: &Context<'a>) -> Vec<Profiled<'a>> {
    let Some(profile) = cx.applicable_profile() else {
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
        .map_or_else(|| om.loc.span, |s| s.loc.span);
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
        row.origin,
        &row.span,
        format!("profile {} requires {}", profile.name, row.summary()),
    ) {
        Some(label) => d.with_external(label),
        None => d,
    }
}

/// The `source` tree of an expression in the shape Entra writes
/// (format.md §1.6, §2), as compact JSON text. `None` for constructs whose
/// JSON form is not known (comparisons, hex literals, bare symbols).
pub fn source_json(expression: &str) -> Option<String> {
    let tree = expr::to_source_tree(&expr::parse(expression).ok()?).ok()?;
    Some(tree.to_json_text())
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
        (
            "source",
            Json::Raw(expr::to_source_tree(&row.source.as_ref()?.expr).ok()?.to_json_text()),
        ),
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
/// laid out like the value it replaces.
pub fn replace_source(
    cx: &Context<'_>,
    span: &crate::span::FileSpan,
    expression: &str,
) -> Option<crate::diagnostic::Edit> {
    let tree = source_json(expression)?;
    Editor::for_file(cx.file, cx.root).replace_value(*span, &tree).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(expression: &str) -> serde_json::Value {
        serde_json::from_str(&source_json(expression).unwrap()).unwrap()
    }

    /// The default `active` source exactly as a real export stores it
    /// (format.md §2): no entry for the empty default, four `switchValue`s.
    #[test]
    fn switch_tree_matches_the_real_layout() {
        let sample: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/entra-defaults.json")).unwrap(),
        )
        .unwrap();
        let active = &sample["synchronizationRules"][0]["objectMappings"][1]["attributeMappings"][1]["source"];
        assert_eq!(
            tree(r#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#),
            *active
        );
        let formatted = &sample["synchronizationRules"][0]["objectMappings"][1]["attributeMappings"][8]["source"];
        assert_eq!(tree(r#"Join(" ", [givenName], [surname])"#), *formatted);
    }

    #[test]
    fn numbers_are_string_constants_and_unknown_shapes_give_none() {
        let mid = tree("Mid([userPrincipalName], 1, 8)");
        assert_eq!(mid["parameters"][1]["key"], "start");
        assert_eq!(mid["parameters"][1]["value"]["name"], "1");
        assert_eq!(mid["parameters"][1]["value"]["expression"], "\"1\"");
        assert!(source_json(r#"IIF([a] = "b", "c", "d")"#).is_none());
        assert!(source_json("Nope([a])").is_none());
    }
}
