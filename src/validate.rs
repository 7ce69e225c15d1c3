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
use crate::model::shape::{Part, PartKind};
use crate::rules::{ProblemKind, StructuralProblem};
use crate::span::FileSpan;
use instance::{Ast, AstNode};
use std::sync::OnceLock;

/// The bundled JSON Schema of the export format.
pub const SCHEMA_TEXT: &str = include_str!("../schemas/synchronization-schema.json");

fn validator(kind: PartKind) -> &'static jsonschema::Validator<Ast> {
    static VALIDATORS: OnceLock<Vec<(PartKind, jsonschema::Validator<Ast>)>> = OnceLock::new();
    let all = VALIDATORS.get_or_init(|| {
        let schema: serde_json::Value = serde_json::from_str(SCHEMA_TEXT).expect("bundled schema is valid JSON");
        compile(schema)
    });
    &all.iter()
        .find(|(k, _)| *k == kind)
        .expect("a validator for every part kind")
        .1
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
///
/// Fragments (an object mapping, a list of attribute mappings, …) are
/// checked against the definition of what they are, through the same
/// registry: one compiled validator per [`PartKind`].
fn compile(schema: serde_json::Value) -> Vec<(PartKind, jsonschema::Validator<Ast>)> {
    let id = schema["$id"].as_str().expect("bundled schema has an $id").to_string();
    let registry = jsonschema::Registry::new()
        .retrieve_known_draft_meta_schemas(false)
        .add(&id, schema)
        .and_then(|r| r.prepare())
        .expect("bundled schema registers");
    let build = |root: serde_json::Value| {
        jsonschema::options_for::<Ast>()
            .with_draft(jsonschema::Draft::Draft4)
            .with_registry(&registry)
            .build(&root)
            .expect("bundled schema compiles")
    };
    PART_KINDS
        .iter()
        .map(|&kind| {
            let root = match kind.definition() {
                (None, _) => serde_json::json!({ "$ref": id }),
                (Some(def), is_array) => {
                    let one =
                        serde_json::json!({ "allOf": [{ "$ref": format!("{id}#/$defs/{def}") }], "type": "object" });
                    if is_array {
                        serde_json::json!({ "type": "array", "items": one })
                    } else {
                        one
                    }
                }
            };
            (kind, build(root))
        })
        .collect()
}

const PART_KINDS: &[PartKind] = &[
    PartKind::Schema,
    PartKind::Rule,
    PartKind::ObjectMapping,
    PartKind::AttributeMappings,
    PartKind::AttributeMapping,
    PartKind::Directories,
];

/// Compiles the bundled schema now (about 1 ms), so a caller can do it on
/// another thread while it reads and parses its input.
pub fn prepare() {
    validator(PartKind::Schema);
}

/// Duplicate keys and JSON Schema violations of every part of the
/// document, in document order.
pub fn check(root: &Node<'_>) -> Vec<StructuralProblem> {
    let mut problems = duplicate_keys(root);
    let input = crate::model::shape::recognise(root);
    for part in &input.parts {
        problems.extend(check_part(root, part));
    }
    problems.sort_by_key(|p| (p.span.start, p.span.end));
    problems
}

/// Every duplicate key of the document.
pub fn duplicate_keys(root: &Node<'_>) -> Vec<StructuralProblem> {
    json::duplicate_keys(root)
        .into_iter()
        .map(|d| StructuralProblem {
            message: format!("duplicate key `{}`", d.key),
            span: d.duplicate,
            pointer: json::pointer::join(&d.object_pointer, &d.key),
            label: Some("repeated here".into()),
            secondary: Some((d.first, "first defined here".into())),
            help: Some(
                "a JSON reader keeps only the last value, so the first one is silently ignored; remove one of them"
                    .into(),
            ),
            kind: ProblemKind::DuplicateKey,
        })
        .collect()
}

/// The JSON Schema violations of one part of a document (a schema, or a
/// fragment checked against the definition of what it is), with pointers
/// into the whole document.
pub fn check_part(root: &Node<'_>, part: &Part<'_>) -> Vec<StructuralProblem> {
    let validator = validator(part.kind);
    if validator.is_valid(AstNode(part.node)) {
        return Vec::new();
    }
    let mut problems = Vec::new();
    for error in validator.iter_errors(AstNode(part.node)) {
        let pointer = format!("{}{}", part.pointer, error.instance_path());
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
             (GET /servicePrincipals/{id}/synchronization/jobs/{jobId}/schema); fragments (an object \
             mapping, a list of attribute mappings, a `directories` list) and Graph responses that wrap a \
             schema (`value`, a job or template with `schema`) are read too"
                .to_string()
        } else {
            format!(
                "see the `{}` definition in schemas/synchronization-schema.json",
                schema_def_name(&error.schema_path().to_string())
            )
        };
        problems.push(StructuralProblem {
            message,
            span,
            pointer,
            label: None,
            secondary: None,
            help: Some(help),
            kind: ProblemKind::Schema(error.schema_path().to_string()),
        });
    }
    problems
}

/// At most this many structural problems of one kind are reported in one
/// object or array; the rest are counted in one summary finding after them.
/// A file with 40,000 copies of one key is one problem, not 40,000: the
/// report stays readable and every later stage (messages, masking,
/// rendering, baselines) does work in proportion to what is shown.
pub const MAX_PER_CONTAINER: usize = 10;

/// Keeps the first [`MAX_PER_CONTAINER`] problems (in the order given) of
/// each kind in each container — the nearest array the value sits in (the
/// same mistake in every element is one kind), else the object holding it —
/// and replaces the rest by one summary at the first one left out, "… and
/// 39,989 more duplicate keys in this object". What the linter reports;
/// [`check`] stays complete (a fix is verified against every problem).
pub fn cap(root: &Node<'_>, problems: Vec<StructuralProblem>) -> Vec<StructuralProblem> {
    use std::collections::HashMap;
    if problems.len() <= MAX_PER_CONTAINER {
        return problems;
    }
    let keyed: Vec<((ProblemKind, String), StructuralProblem)> = problems
        .into_iter()
        .map(|p| ((p.kind.clone(), container(root, &p.pointer)), p))
        .collect();
    let mut counts: HashMap<&(ProblemKind, String), usize> = HashMap::new();
    for (key, _) in &keyed {
        *counts.entry(key).or_default() += 1;
    }
    if counts.values().all(|&n| n <= MAX_PER_CONTAINER) {
        return keyed.into_iter().map(|(_, p)| p).collect();
    }
    let counts: HashMap<(ProblemKind, String), usize> = counts.into_iter().map(|(k, n)| (k.clone(), n)).collect();
    let mut seen: HashMap<(ProblemKind, String), usize> = HashMap::new();
    let mut out = Vec::new();
    for (key, problem) in keyed {
        let n = seen.entry(key.clone()).or_default();
        *n += 1;
        if *n <= MAX_PER_CONTAINER {
            out.push(problem);
        } else if *n == MAX_PER_CONTAINER + 1 {
            let more = counts[&key] - MAX_PER_CONTAINER;
            let (kind, container) = key;
            let place = match json::resolve(root, &container).map(|r| r.node) {
                Some(Node::Array(_)) => "array",
                _ => "object",
            };
            let what = match (&kind, more) {
                (ProblemKind::DuplicateKey, 1) => "duplicate key",
                (ProblemKind::DuplicateKey, _) => "duplicate keys",
                (_, 1) => "schema violation of this kind",
                _ => "schema violations of this kind",
            };
            out.push(StructuralProblem {
                message: format!("… and {} more {what} in this {place}", crate::output::thousands(more)),
                span: problem.span,
                pointer: container,
                label: Some("the first of them".into()),
                secondary: None,
                help: problem.help,
                kind: ProblemKind::Summary,
            });
        }
    }
    out
}

/// Where repetitions of a problem at `pointer` are counted: the nearest
/// array its value sits in, else the object holding it. One walk down the
/// pointer, as long as a lookup.
fn container(root: &Node<'_>, pointer: &str) -> String {
    let parent = match pointer.rfind('/') {
        Some(i) => &pointer[..i],
        None => "",
    };
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
        K::Required { property } => {
            let key = property.as_str().unwrap_or("?");
            format!("missing required key `{key}`")
        }
        // The only `anyOf` of the bundled schema: a mapping source needs
        // an expression or a name. `{}` is the placeholder Graph's
        // documentation shows.
        K::AnyOf { .. } if schema_def_name(&error.schema_path().to_string()) == "attributeMappingSource" => {
            "the mapping source has neither an `expression` nor a `name`: write the source as an expression \
             such as `[mail]`, a constant such as `\"true\"`, or a function call (an empty `{}` is a \
             placeholder of the documentation, not a source)"
                .to_string()
        }
        // Never the validator's own wording ("… is not valid under any of
        // the schemas listed in the 'anyOf' keyword"): say what belongs here.
        _ => format!(
            "this value does not have the structure of {}",
            describe_definition(&schema_def_name(&error.schema_path().to_string()))
        ),
    }
}

/// What a definition of the bundled schema is, in words.
fn describe_definition(def: &str) -> String {
    let words = match def {
        "synchronizationRule" => "a synchronization rule",
        "objectMapping" => "an object mapping",
        "attributeMapping" => "an attribute mapping",
        "attributeMappingSource" => "a mapping source",
        "stringKeyAttributeMappingSourceValuePair" => "a function parameter (`key` and `value`)",
        "filter" | "filterGroup" | "filterClause" | "filterOperand" => "a scoping filter",
        "directoryDefinition" => "a directory definition",
        "objectDefinition" => "an object definition",
        "attributeDefinition" => "an attribute definition",
        "referencedObject" => "a referenced object",
        "keyValue" => "a `key`/`value` pair",
        "containerFilter" | "groupFilter" => "a container or group filter",
        _ => "a synchronization schema",
    };
    words.to_string()
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
        let all = duplicate_keys(&root);
        assert_eq!(all.len(), 39_999 + 2);
        let problems = cap(&root, all);
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
        let all = check(&root);
        let problems = cap(&root, all.clone());
        let summaries: Vec<&StructuralProblem> = problems.iter().filter(|p| p.kind == ProblemKind::Summary).collect();
        assert!(!summaries.is_empty(), "{problems:#?}");
        assert!(
            summaries.iter().all(
                |s| s.message == "… and 490 more schema violations of this kind in this array"
                    && s.pointer == "/synchronizationRules/0/objectMappings"
            ),
            "{summaries:#?}"
        );
        assert!(
            problems.len() < 40 && all.len() >= 500,
            "{} of {}",
            problems.len(),
            all.len()
        );
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(crate::output::thousands(7), "7");
        assert_eq!(crate::output::thousands(1_000), "1,000");
        assert_eq!(crate::output::thousands(39_990), "39,990");
        assert_eq!(crate::output::thousands(1_234_567), "1,234,567");
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
            let ours = errors(validator(PartKind::Schema), &root);
            assert_eq!(ours, errors(&plain, &root), "{text}");
            compared += ours.len();
        }
        assert!(compared > 5, "the cases should produce errors to compare");
    }
}
