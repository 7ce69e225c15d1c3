//! Structural validation: does this JSON have the shape of a synchronization
//! schema?
//!
//! The shape is described by `schemas/synchronization-schema.json` (JSON
//! Schema 2020-12), bundled into the binary and compiled once. The validator
//! is built without any resolver, so it can never reach the network. Its
//! errors carry JSON Pointers, which the span AST turns into byte ranges.
//! Messages are built from the error kind with instance values masked, so a
//! secret in a wrongly typed field never leaks through a message.

mod instance;

use crate::json::{self, Node};
use crate::rules::StructuralProblem;
use crate::span::FileSpan;
use instance::{Ast, AstNode};
use std::sync::OnceLock;

/// The bundled JSON Schema of the export format.
pub const SCHEMA_TEXT: &str = include_str!("../schemas/synchronization-schema.json");

fn validator() -> &'static jsonschema::Validator<Ast> {
    static VALIDATOR: OnceLock<jsonschema::Validator<Ast>> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let schema: serde_json::Value = serde_json::from_str(SCHEMA_TEXT).expect("bundled schema is valid JSON");
        compile(schema)
    })
}

/// Compiles the bundled schema without checking it against the 2020-12
/// meta-schema on every start: jsonschema always meta-validates the root
/// schema it is given, and compiling that meta-schema's validator was 1.3 of
/// the 2.2 ms a start spent here. The schema is constant, and
/// `bundled_schema_is_valid_2020_12` checks it once, in the tests. So the
/// schema goes into a registry under its `$id` (resources there keep their
/// own `$schema`, 2020-12, and are not meta-validated) and the root handed
/// to jsonschema is only a `$ref` to it, under the draft whose meta-schema
/// is the cheapest to compile. Nothing is retrieved: the registry holds the
/// only resource and known meta-schemas are not fetched.
fn compile(schema: serde_json::Value) -> jsonschema::Validator<Ast> {
    let id = schema["$id"].as_str().expect("bundled schema has an $id").to_string();
    let registry = jsonschema::Registry::new()
        .retrieve_known_draft_meta_schemas(false)
        .add(&id, schema)
        .and_then(|r| r.prepare())
        .expect("bundled schema registers");
    jsonschema::options_for::<Ast>()
        .with_draft(jsonschema::Draft::Draft4)
        .with_registry(&registry)
        .build(&serde_json::json!({ "$ref": id }))
        .expect("bundled schema compiles")
}

/// Compiles the bundled schema now (about 1 ms), so a caller can do it on
/// another thread while it reads and parses its input.
pub fn prepare() {
    validator();
}

/// At most this many structural problems of one kind are reported in one
/// object or array; the rest are counted in one summary finding after them.
/// A file with 40,000 copies of one key is one problem, not 40,000: the
/// report stays readable and every later stage (messages, masking,
/// rendering, baselines) does work in proportion to what is shown.
pub const MAX_PER_CONTAINER: usize = 10;

/// Duplicate keys and JSON Schema violations, in document order, at most
/// [`MAX_PER_CONTAINER`] of one kind per object or array.
pub fn check(root: &Node<'_>) -> Vec<StructuralProblem> {
    // Each problem with its kind and container: (what, schema path, container pointer).
    let mut problems: Vec<(StructuralProblem, Kind)> = json::duplicate_keys(root)
        .into_iter()
        .map(|d| {
            let kind = Kind {
                what: "duplicate key",
                rule: String::new(),
                container: d.object_pointer.clone(),
            };
            let problem = StructuralProblem {
                message: format!("duplicate key `{}`", d.key),
                span: d.duplicate,
                pointer: json::pointer::join(&d.object_pointer, &d.key),
                label: Some("repeated here".into()),
                secondary: Some((d.first, "first defined here".into())),
                help: Some(
                    "a JSON reader keeps only the last value, so the first one is silently ignored; remove one of them"
                        .into(),
                ),
            };
            (problem, kind)
        })
        .collect();

    let validator = validator();
    if !validator.is_valid(AstNode(root)) {
        for error in validator.iter_errors(AstNode(root)) {
            let pointer = error.instance_path().to_string();
            let resolved = json::resolve(root, &pointer);
            let span = resolved.as_ref().map_or(FileSpan::empty(0), |r| json::span_of(r.node));
            let found = resolved.as_ref().map(|r| json::type_name(r.node));
            let message = describe(&error, found);
            // A problem with the document itself usually means it is not an
            // export at all (a package.json, a Graph response for something
            // else): say where a real one comes from.
            let help = if pointer.is_empty() {
                "this is not a synchronization schema export; download one from the portal (Provisioning → \
                 Mappings → Show advanced options → Review your schema → Download) or Graph \
                 (GET /servicePrincipals/{id}/synchronization/jobs/{jobId}/schema)"
                    .to_string()
            } else {
                format!(
                    "see the `{}` definition in schemas/synchronization-schema.json",
                    schema_def_name(&error.schema_path().to_string())
                )
            };
            let kind = Kind {
                what: "schema violation of this kind",
                rule: error.schema_path().to_string(),
                container: container(root, &pointer),
            };
            problems.push((
                StructuralProblem {
                    message,
                    span,
                    pointer,
                    label: None,
                    secondary: None,
                    help: Some(help),
                },
                kind,
            ));
        }
    }
    problems.sort_by_key(|(p, _)| (p.span.start, p.span.end));
    cap(root, problems)
}

/// What makes structural problems "of one kind in one container".
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Kind {
    /// Singular, for the summary: `duplicate key`.
    what: &'static str,
    /// The schema rule broken (empty for duplicate keys).
    rule: String,
    /// Pointer to the object or array holding them.
    container: String,
}

/// Keeps the first [`MAX_PER_CONTAINER`] problems of each kind (in document
/// order) and replaces the rest by one summary at the first one left out.
fn cap(root: &Node<'_>, problems: Vec<(StructuralProblem, Kind)>) -> Vec<StructuralProblem> {
    use std::collections::HashMap;
    let mut counts: HashMap<&Kind, usize> = HashMap::new();
    for (_, kind) in &problems {
        *counts.entry(kind).or_default() += 1;
    }
    if counts.values().all(|&n| n <= MAX_PER_CONTAINER) {
        return problems.into_iter().map(|(p, _)| p).collect();
    }
    let counts: HashMap<Kind, usize> = counts.into_iter().map(|(k, n)| (k.clone(), n)).collect();
    let mut seen: HashMap<Kind, usize> = HashMap::new();
    let mut out = Vec::new();
    for (problem, kind) in problems {
        let n = seen.entry(kind.clone()).or_default();
        *n += 1;
        if *n <= MAX_PER_CONTAINER {
            out.push(problem);
        } else if *n == MAX_PER_CONTAINER + 1 {
            let more = counts[&kind] - MAX_PER_CONTAINER;
            let container = match json::resolve(root, &kind.container).map(|r| r.node) {
                Some(Node::Array(_)) => "array",
                _ => "object",
            };
            let what = if more == 1 {
                kind.what.to_string()
            } else {
                kind.what
                    .replacen("violation", "violations", 1)
                    .replacen("key", "keys", 1)
            };
            out.push(StructuralProblem {
                message: format!("… and {} more {what} in this {container}", thousands(more)),
                span: problem.span,
                pointer: kind.container.clone(),
                label: Some("the first of them".into()),
                secondary: None,
                help: problem.help,
            });
        }
    }
    out
}

/// Where repetitions of a schema violation at `pointer` are counted: the
/// nearest array the value sits in (the same mistake in every element is one
/// kind), else the object holding it.
fn container(root: &Node<'_>, pointer: &str) -> String {
    let parent = match pointer.rfind('/') {
        Some(i) => &pointer[..i],
        None => "",
    };
    // One walk down the pointer (as long as a lookup), remembering the
    // last array passed through.
    let mut array = None;
    let mut node = Some(root);
    let mut at = String::new();
    for segment in json::pointer::segments(parent).unwrap_or_default() {
        node = match node {
            Some(Node::Array(arr)) => {
                array = Some(at.clone());
                json::pointer::array_index(&segment).and_then(|i| arr.elements.get(i))
            }
            Some(Node::Object(obj)) => json::get(obj, &segment).map(|p| &p.value),
            _ => None,
        };
        json::pointer::push(&mut at, &segment);
    }
    if matches!(node, Some(Node::Array(_))) {
        return parent.to_string();
    }
    array.unwrap_or_else(|| parent.to_string())
}

/// `39990` → `39,990`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A message that names what was expected without echoing the value.
fn describe(error: &jsonschema::ValidationError<'_>, found: Option<&str>) -> String {
    use jsonschema::error::ValidationErrorKind as K;
    match error.kind() {
        K::Type { kind } => {
            let expected = match kind {
                jsonschema::error::TypeKind::Single(t) => article(&t.to_string()),
                jsonschema::error::TypeKind::Multiple(ts) => ts
                    .iter()
                    .map(|t| article(&t.to_string()))
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            let found = found.unwrap_or("another type");
            match subject(error) {
                Some(key) => format!("`{key}` must be {expected}, found {found}"),
                None => format!("expected {expected}, found {found}"),
            }
        }
        K::Required { property } => format!("missing required key {property}"),
        _ => error.masked().to_string(),
    }
}

/// The key a value sits under, when it is an object property.
fn subject(error: &jsonschema::ValidationError<'_>) -> Option<String> {
    let pointer = error.instance_path().to_string();
    let last = json::pointer::segments(&pointer)?.pop()?;
    json::pointer::array_index(&last).is_none().then_some(last)
}

fn article(t: &str) -> String {
    match t {
        "null" => "null".into(),
        "array" | "object" | "integer" => format!("an {t}"),
        _ => format!("a {t}"),
    }
}

/// `/$defs/attributeMapping/properties/...` → `attributeMapping`.
fn schema_def_name(schema_path: &str) -> String {
    let parts: Vec<&str> = schema_path.split('/').collect();
    let def = parts.iter().rposition(|p| *p == "$defs").and_then(|i| parts.get(i + 1));
    def.copied().unwrap_or("root").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_problems_in_one_container_are_capped_with_a_summary() {
        let keys: Vec<String> = (0..40_000).map(|i| format!("\"x\": {i}")).collect();
        let text = format!(
            "{{\"a\": {{{}}}, \"b\": {{\"y\": 1, \"y\": 2, \"z\": 1, \"z\": 2}}}}",
            keys.join(", ")
        );
        let root = json::parse(&text).unwrap();
        let problems: Vec<StructuralProblem> = check(&root)
            .into_iter()
            .filter(|p| p.message.contains("duplicate key") || p.message.starts_with('…'))
            .collect();
        // 10 of `a`, its summary, and both of `b` (under the cap).
        assert_eq!(problems.len(), MAX_PER_CONTAINER + 1 + 2, "{problems:#?}");
        let summary = &problems[MAX_PER_CONTAINER];
        assert_eq!(summary.message, "… and 39,989 more duplicate keys in this object");
        assert_eq!(summary.pointer, "/a");
        assert_eq!(&text[summary.span], "\"x\"");
        assert!(problems[..MAX_PER_CONTAINER].iter().all(|p| p.pointer == "/a/x"));
        assert_eq!(problems[MAX_PER_CONTAINER + 1].message, "duplicate key `y`");
        assert_eq!(problems[MAX_PER_CONTAINER + 2].message, "duplicate key `z`");
    }

    #[test]
    fn repeated_schema_violations_in_one_array_are_capped() {
        let elements = vec!["{\"sourceObjectName\": 1}"; 500].join(", ");
        let text = format!("{{\"synchronizationRules\": [{{\"objectMappings\": [{elements}]}}]}}");
        let root = json::parse(&text).unwrap();
        let problems = check(&root);
        let summaries: Vec<&StructuralProblem> = problems.iter().filter(|p| p.message.starts_with('…')).collect();
        assert!(!summaries.is_empty(), "{problems:#?}");
        assert!(
            summaries
                .iter()
                .all(|s| s.message == "… and 490 more schema violations of this kind in this array"),
            "{summaries:#?}"
        );
        assert!(problems.len() < 40, "{}", problems.len());
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(39_990), "39,990");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    fn schema() -> serde_json::Value {
        serde_json::from_str(SCHEMA_TEXT).unwrap()
    }

    #[test]
    fn bundled_schema_is_valid_2020_12() {
        assert_eq!(schema()["$schema"], "https://json-schema.org/draft/2020-12/schema");
        jsonschema::meta::validate(&schema()).unwrap();
    }

    /// The registry detour changes nothing: same errors, same paths, as the
    /// schema compiled the plain way.
    #[test]
    fn registry_compilation_agrees_with_plain_compilation() {
        let plain = jsonschema::options_for::<Ast>()
            .with_draft(jsonschema::Draft::Draft202012)
            .build(&schema())
            .unwrap();
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = vec![
            std::fs::read_to_string(fixtures.join("samples/broken.json")).unwrap(),
            std::fs::read_to_string(fixtures.join("samples/astrato.json")).unwrap(),
            r#"{"synchronizationRules": [{"sourceDirectoryName": 1, "objectMappings": [{"attributeMappings": [
                {"targetAttributeName": "a", "matchingPriority": "1", "source": {"type": "Function", "parameters": [{"key": "k", "value": 3}]}}
            ]}]}], "directories": {"name": "x"}}"#
                .to_string(),
            "[]".to_string(),
            "{}".to_string(),
        ];
        texts.push(texts[2].replace("\"a\"", "null"));
        let errors = |v: &jsonschema::Validator<Ast>, root: &Node<'_>| -> Vec<String> {
            v.iter_errors(AstNode(root))
                .map(|e| {
                    format!(
                        "{} {} {}",
                        e.instance_path(),
                        e.masked(),
                        schema_def_name(&e.schema_path().to_string())
                    )
                })
                .collect()
        };
        let mut compared = 0;
        for text in &texts {
            let root = json::parse(text).unwrap();
            let ours = errors(validator(), &root);
            assert_eq!(ours, errors(&plain, &root), "{text}");
            compared += ours.len();
        }
        assert!(compared > 5, "the cases should produce errors to compare");
    }
}
