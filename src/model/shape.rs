//! What a JSON input is: a synchronization schema, a Graph response that
//! wraps one or more schemas, or a fragment of one.
//!
//! People lint what they have at hand, and that is not always the schema
//! itself: `GET …/synchronization/templates` answers with a collection
//! (`{"@odata.context": …, "value": [{…, "schema": {…}}]}`), `GET …/jobs/{id}`
//! and a template object carry the schema in a `schema` property, and
//! vendor guides and tickets show fragments (one object mapping, one
//! synchronization rule, a list of attribute mappings, one attribute mapping,
//! a `directories` list). Microsoft's reference pages for these shapes:
//! <https://learn.microsoft.com/en-us/graph/api/synchronization-synchronization-list-templates>,
//! <https://learn.microsoft.com/en-us/graph/api/synchronization-synchronizationjob-get>,
//! <https://learn.microsoft.com/en-us/graph/api/resources/synchronization-objectmapping>.
//!
//! This module recognises the shape once, so the model, the structural
//! check and the rules all see the same [`Part`]s: each is a node of the
//! original document with its JSON Pointer, so every finding still points
//! into the file as it is (`/value/0/schema/synchronizationRules/…`).
//!
//! It also recognises the two things PowerShell does to exports:
//! the Microsoft Graph PowerShell SDK's objects serialise with PascalCase
//! keys (`SynchronizationRules`), which [`camel_case_text`] rewrites (the
//! same length, so every byte offset stays valid); and `ConvertTo-Json`
//! without `-Depth` cuts the document and writes .NET type names where
//! objects were ([`truncation`]).

use crate::json::{self, Node, Object, pointer};
use crate::span::FileSpan;
use std::collections::HashSet;
use std::sync::OnceLock;

/// What one linted unit of the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PartKind {
    /// A whole synchronization schema.
    #[default]
    Schema,
    /// One `synchronizationRules[]` entry.
    Rule,
    /// One `objectMappings[]` entry.
    ObjectMapping,
    /// An `attributeMappings` array.
    AttributeMappings,
    /// One `attributeMappings[]` entry.
    AttributeMapping,
    /// A `directories` array (or an object with only `directories`).
    Directories,
}

impl PartKind {
    /// Words for messages: "a single object mapping".
    pub fn describe(self) -> &'static str {
        match self {
            PartKind::Schema => "a synchronization schema",
            PartKind::Rule => "a single synchronization rule",
            PartKind::ObjectMapping => "a single object mapping",
            PartKind::AttributeMappings => "a list of attribute mappings",
            PartKind::AttributeMapping => "a single attribute mapping",
            PartKind::Directories => "a `directories` list",
        }
    }

    pub fn is_fragment(self) -> bool {
        self != PartKind::Schema
    }

    /// The definition of the bundled JSON Schema the part is checked
    /// against (`None`: the schema's root), and whether the part is an
    /// array of it.
    pub fn definition(self) -> (Option<&'static str>, bool) {
        match self {
            PartKind::Schema => (None, false),
            PartKind::Rule => (Some("synchronizationRule"), false),
            PartKind::ObjectMapping => (Some("objectMapping"), false),
            PartKind::AttributeMappings => (Some("attributeMapping"), true),
            PartKind::AttributeMapping => (Some("attributeMapping"), false),
            PartKind::Directories => (Some("directoryDefinition"), true),
        }
    }
}

/// How the schemas of a file are wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Wrapper {
    /// The part is the document (or all of it that matters).
    #[default]
    None,
    /// A synchronizationJob object with a `schema` property.
    Job,
    /// A synchronizationTemplate object with a `schema` property.
    Template,
    /// A Graph collection response: `{"value": [ {…, "schema": {…}} ]}`.
    Collection,
}

impl Wrapper {
    pub fn describe(self) -> Option<&'static str> {
        match self {
            Wrapper::None => None,
            Wrapper::Job => Some("a synchronization job"),
            Wrapper::Template => Some("a synchronization template"),
            Wrapper::Collection => Some("a Graph collection response (`value`)"),
        }
    }
}

/// One unit to lint: a schema or a fragment, somewhere in the document.
#[derive(Debug, Clone)]
pub struct Part<'a> {
    pub kind: PartKind,
    pub node: &'a Node<'a>,
    /// Pointer of `node` in the original document.
    pub pointer: String,
    /// `templateId` of the wrapping job, or `id` of the wrapping template.
    pub template_id: Option<String>,
    /// `id` of the wrapping job.
    pub job_id: Option<String>,
}

/// The recognised shape of a document.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    pub wrapper: Wrapper,
    /// At least one; a document that is none of the known shapes is one
    /// [`PartKind::Schema`] part at the root, which the structural check
    /// then explains.
    pub parts: Vec<Part<'a>>,
}

/// Recognises the shape of a document (keys in camelCase: run
/// [`camel_case_text`] first on PowerShell output).
pub fn recognise<'a>(root: &'a Node<'a>) -> Input<'a> {
    let whole = |kind| Input {
        wrapper: Wrapper::None,
        parts: vec![Part {
            kind,
            node: root,
            pointer: String::new(),
            template_id: None,
            job_id: None,
        }],
    };
    match root {
        Node::Object(obj) => {
            if let Some(input) = wrapped(obj) {
                return input;
            }
            if !has(obj, "synchronizationRules")
                && let Some(prop) = json::get(obj, "directories")
                && matches!(prop.value, Node::Array(_))
            {
                return Input {
                    wrapper: Wrapper::None,
                    parts: vec![Part {
                        kind: PartKind::Directories,
                        node: &prop.value,
                        pointer: "/directories".into(),
                        template_id: None,
                        job_id: None,
                    }],
                };
            }
            whole(object_kind(obj).unwrap_or(PartKind::Schema))
        }
        Node::Array(arr) if !arr.elements.is_empty() => {
            let all = |f: &dyn Fn(&Node<'_>) -> bool| arr.elements.iter().all(f);
            if all(&|el| el.as_object().and_then(object_kind) == Some(PartKind::AttributeMapping)) {
                whole(PartKind::AttributeMappings)
            } else if all(&is_directory) {
                whole(PartKind::Directories)
            } else {
                whole(PartKind::Schema)
            }
        }
        _ => whole(PartKind::Schema),
    }
}

fn has(obj: &Object<'_>, key: &str) -> bool {
    json::get(obj, key).is_some()
}

fn string<'a>(obj: &'a Object<'a>, key: &str) -> Option<String> {
    json::get(obj, key)?.value.as_string_lit().map(|s| s.value.to_string())
}

fn is_schema_object(node: &Node<'_>) -> bool {
    node.as_object()
        .is_some_and(|o| has(o, "synchronizationRules") || has(o, "directories"))
}

fn is_directory(node: &Node<'_>) -> bool {
    node.as_object().is_some_and(|o| has(o, "objects") && has(o, "name"))
}

/// What a fragment object is, by the keys only that kind has.
fn object_kind(obj: &Object<'_>) -> Option<PartKind> {
    if has(obj, "synchronizationRules") {
        Some(PartKind::Schema)
    } else if has(obj, "objectMappings") {
        Some(PartKind::Rule)
    } else if has(obj, "attributeMappings") || (has(obj, "sourceObjectName") && has(obj, "targetObjectName")) {
        Some(PartKind::ObjectMapping)
    } else if has(obj, "targetAttributeName") {
        Some(PartKind::AttributeMapping)
    } else {
        None
    }
}

/// A job or template object with a `schema`, or a collection of them.
fn wrapped<'a>(obj: &'a Object<'a>) -> Option<Input<'a>> {
    if !has(obj, "synchronizationRules")
        && let Some(prop) = json::get(obj, "schema")
        && is_schema_object(&prop.value)
    {
        let (wrapper, template_id, job_id) = identity(obj);
        return Some(Input {
            wrapper,
            parts: vec![Part {
                kind: PartKind::Schema,
                node: &prop.value,
                pointer: "/schema".into(),
                template_id,
                job_id,
            }],
        });
    }
    let Node::Array(values) = &json::get(obj, "value")?.value else {
        return None;
    };
    let mut parts = Vec::new();
    for (i, el) in values.elements.iter().enumerate() {
        let base = pointer::join_index("/value", i);
        let Some(item) = el.as_object() else { continue };
        if let Some(prop) = json::get(item, "schema")
            && is_schema_object(&prop.value)
        {
            let (_, template_id, job_id) = identity(item);
            parts.push(Part {
                kind: PartKind::Schema,
                node: &prop.value,
                pointer: pointer::join(&base, "schema"),
                template_id,
                job_id,
            });
        } else if is_schema_object(el) {
            parts.push(Part {
                kind: PartKind::Schema,
                node: el,
                pointer: base,
                template_id: None,
                job_id: None,
            });
        }
    }
    (!parts.is_empty()).then_some(Input {
        wrapper: Wrapper::Collection,
        parts,
    })
}

/// A job has a `templateId`; a template's own `id` is the template id.
fn identity(obj: &Object<'_>) -> (Wrapper, Option<String>, Option<String>) {
    match string(obj, "templateId") {
        Some(template) => (Wrapper::Job, Some(template), string(obj, "id")),
        None => (Wrapper::Template, string(obj, "id"), None),
    }
}

/// What the loader learnt about the whole document, for the rules that
/// report on it once (not once per part).
#[derive(Debug, Default)]
pub struct Facts {
    pub wrapper: Wrapper,
    /// How many parts the document has, and which one is being linted.
    pub parts: usize,
    pub part_index: usize,
    /// PowerShell's PascalCase keys (see [`pascal_case_keys`]).
    pub pascal_keys: Vec<(FileSpan, String)>,
    /// Objects with an empty `"AdditionalProperties": {}` (the Graph
    /// PowerShell SDK's bag for unknown properties), by object span.
    pub empty_additional_properties: Vec<FileSpan>,
    /// What a depth-limited `ConvertTo-Json` cut away.
    pub truncation: Option<Truncation>,
}

impl Facts {
    /// The facts of a parsed document (before PascalCase keys are
    /// rewritten).
    pub fn of(root: &Node<'_>, text: &str) -> Facts {
        let pascal_keys = pascal_case_keys(root, text);
        let mut empty_additional_properties = Vec::new();
        if !pascal_keys.is_empty() {
            json::walk(root, &mut |node, _| {
                if let Node::Object(obj) = node
                    && let Some(prop) = json::get(obj, "AdditionalProperties")
                    && prop.value.as_object().is_some_and(|o| o.properties.is_empty())
                {
                    empty_additional_properties.push(json::span_of(node));
                }
            });
        }
        Facts {
            pascal_keys,
            empty_additional_properties,
            truncation: truncation(root),
            ..Facts::default()
        }
    }

    /// Whether this is the first part of the document: findings about the
    /// whole file are reported there only.
    pub fn is_first_part(&self) -> bool {
        self.part_index == 0
    }
}

/// A pointer into the camelCased text as a pointer into the original
/// document: each key segment spelled as the original spells it.
pub fn original_pointer(original: &Node<'_>, ptr: &str) -> String {
    let Some(segments) = pointer::segments(ptr) else {
        return ptr.to_string();
    };
    let mut node = original;
    let mut out = String::new();
    for segment in &segments {
        match node {
            Node::Object(obj) => {
                let prop = json::get(obj, segment).or_else(|| {
                    obj.properties
                        .iter()
                        .rev()
                        .find(|p| pascal_to_camel(p.name.as_str()).as_deref() == Some(segment.as_str()))
                });
                match prop {
                    Some(prop) => {
                        pointer::push(&mut out, prop.name.as_str());
                        node = &prop.value;
                    }
                    None => return ptr.to_string(),
                }
            }
            Node::Array(arr) => match pointer::array_index(segment).and_then(|i| arr.elements.get(i)) {
                Some(el) => {
                    pointer::push(&mut out, segment);
                    node = el;
                }
                None => return ptr.to_string(),
            },
            _ => return ptr.to_string(),
        }
    }
    out
}

/// Every property name the bundled JSON Schema defines, at any level.
pub fn known_keys() -> &'static HashSet<String> {
    static KEYS: OnceLock<HashSet<String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let schema: serde_json::Value =
            serde_json::from_str(crate::validate::SCHEMA_TEXT).expect("bundled schema is valid JSON");
        let mut keys = HashSet::new();
        let mut add = |props: &serde_json::Value| {
            if let Some(map) = props.as_object() {
                keys.extend(map.keys().cloned());
            }
        };
        add(&schema["properties"]);
        if let Some(defs) = schema["$defs"].as_object() {
            for def in defs.values() {
                add(&def["properties"]);
            }
        }
        keys
    })
}

/// A key as PowerShell's Graph SDK writes a known camelCase key:
/// `SynchronizationRules` for `synchronizationRules`. The camelCase name,
/// when it is one.
pub fn pascal_to_camel(key: &str) -> Option<String> {
    let first = key.chars().next()?;
    if !first.is_ascii_uppercase() {
        return None;
    }
    let camel = format!("{}{}", first.to_ascii_lowercase(), &key[1..]);
    known_keys().contains(&camel).then_some(camel)
}

/// The PascalCase keys of a document that have a camelCase spelling in the
/// export format (and whose object has no key of that spelling already):
/// the span of each key, quotes included, and its camelCase spelling.
pub fn pascal_case_keys(root: &Node<'_>, text: &str) -> Vec<(FileSpan, String)> {
    let mut out = Vec::new();
    json::walk(root, &mut |node, _| {
        let Node::Object(obj) = node else { return };
        for prop in &obj.properties {
            let name = prop.name.as_str();
            if let Some(camel) = pascal_to_camel(name)
                && !has(obj, &camel)
            {
                let span = json::key_span(prop);
                // The key as written: `"Name"`; an escaped first letter
                // (`"\u004eame"`) is left alone.
                if text.as_bytes().get(span.start + 1) == name.as_bytes().first() {
                    out.push((span, camel));
                }
            }
        }
    });
    out
}

/// The text with every PascalCase key of [`pascal_case_keys`] in camelCase,
/// or `None` when there is none. Only ASCII letters change, so every byte
/// offset of the result is the same as in `text`.
pub fn camel_case_text(root: &Node<'_>, text: &str) -> Option<String> {
    let keys = pascal_case_keys(root, text);
    if keys.is_empty() {
        return None;
    }
    let mut bytes = text.as_bytes().to_vec();
    for (span, _) in keys {
        bytes[span.start + 1] = bytes[span.start + 1].to_ascii_lowercase();
    }
    Some(String::from_utf8(bytes).expect("ASCII case changes keep UTF-8 valid"))
}

/// `ConvertTo-Json` past its depth: the string it writes where an object or
/// array was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Truncation {
    /// The first placeholder.
    pub span: FileSpan,
    pub pointer: String,
    /// Its text (`System.Collections.Hashtable`).
    pub placeholder: String,
    /// How many values were replaced.
    pub count: usize,
}

/// Whether a string is what PowerShell writes for an object it did not
/// serialise: a .NET type name (`System.Collections.Hashtable`,
/// `System.Object[]`, `Microsoft.Graph.PowerShell.Models.…`) or a
/// PSCustomObject's `@{key=value; …}` rendering.
pub fn is_type_placeholder(s: &str) -> bool {
    // A list past the depth limit: its elements' type names, space-separated.
    if s.contains(' ') && !s.starts_with("@{") {
        return s
            .split(' ')
            .all(|part| !part.contains(' ') && !part.is_empty() && is_type_placeholder(part));
    }
    const EXACT: &[&str] = &[
        "System.Collections.Hashtable",
        "System.Object[]",
        "System.Collections.Specialized.OrderedDictionary",
        "System.Management.Automation.PSCustomObject",
        "System.Collections.Generic.Dictionary`2[System.String,System.Object]",
    ];
    if EXACT.contains(&s) {
        return true;
    }
    let model = s
        .strip_prefix("Microsoft.Graph.PowerShell.Models.")
        .or_else(|| s.strip_prefix("Microsoft.Graph.Beta.PowerShell.Models."));
    if let Some(name) = model {
        return !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'[' || b == b']');
    }
    s.starts_with("@{") && s.ends_with('}') && s.contains('=')
}

/// The values a depth-limited `ConvertTo-Json` replaced by type names.
pub fn truncation<'a>(root: &'a Node<'a>) -> Option<Truncation> {
    fn go<'a>(
        root: &'a Node<'a>,
        node: &'a Node<'a>,
        path: &mut Vec<pointer::Token<'a>>,
        found: &mut Option<Truncation>,
    ) {
        match node {
            Node::StringLit(s) if is_type_placeholder(&s.value) => match found {
                Some(t) => t.count += 1,
                None => {
                    let span = json::span_of(node);
                    *found = Some(Truncation {
                        span,
                        // Inside a value a later duplicate key overrides,
                        // the nearest ancestor a pointer names.
                        pointer: json::addressable_pointer(root, path, &span),
                        placeholder: s.value.to_string(),
                        count: 1,
                    })
                }
            },
            Node::Object(obj) => {
                for prop in &obj.properties {
                    path.push(pointer::Token::Key(prop.name.as_str()));
                    go(root, &prop.value, path, found);
                    path.pop();
                }
            }
            Node::Array(arr) => {
                for (i, el) in arr.elements.iter().enumerate() {
                    path.push(pointer::Token::Index(i));
                    go(root, el, path, found);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut found = None;
    go(root, root, &mut Vec::new(), &mut found);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(text: &str) -> (Wrapper, Vec<(PartKind, String)>) {
        let root = json::parse(text).unwrap();
        let input = recognise(&root);
        (
            input.wrapper,
            input.parts.iter().map(|p| (p.kind, p.pointer.clone())).collect(),
        )
    }

    #[test]
    fn recognises_wrappers() {
        let list = r#"{"@odata.context": "x", "value": [{"id": "Slack", "factoryTag": "CustomSCIM", "schema": {"directories": [], "synchronizationRules": []}}, {"id": "b", "schema": {"synchronizationRules": []}}]}"#;
        assert_eq!(
            shape(list),
            (
                Wrapper::Collection,
                vec![
                    (PartKind::Schema, "/value/0/schema".into()),
                    (PartKind::Schema, "/value/1/schema".into())
                ]
            )
        );
        let root = json::parse(list).unwrap();
        assert_eq!(recognise(&root).parts[0].template_id.as_deref(), Some("Slack"));
        let job = r#"{"id": "scim.1.2", "templateId": "scim", "schema": {"synchronizationRules": []}}"#;
        let root = json::parse(job).unwrap();
        let input = recognise(&root);
        assert_eq!(input.wrapper, Wrapper::Job);
        assert_eq!(input.parts[0].template_id.as_deref(), Some("scim"));
        assert_eq!(input.parts[0].job_id.as_deref(), Some("scim.1.2"));
        assert_eq!(
            shape(r#"{"synchronizationRules": []}"#),
            (Wrapper::None, vec![(PartKind::Schema, String::new())])
        );
    }

    #[test]
    fn recognises_fragments() {
        for (text, kind) in [
            (r#"{"sourceDirectoryName": "a", "objectMappings": []}"#, PartKind::Rule),
            (
                r#"{"sourceObjectName": "User", "targetObjectName": "User"}"#,
                PartKind::ObjectMapping,
            ),
            (
                r#"{"targetAttributeName": "x", "source": {}}"#,
                PartKind::AttributeMapping,
            ),
            (
                r#"[{"targetAttributeName": "x"}, {"targetAttributeName": "y"}]"#,
                PartKind::AttributeMappings,
            ),
            (r#"[{"name": "AD", "objects": []}]"#, PartKind::Directories),
            ("[]", PartKind::Schema),
            ("{}", PartKind::Schema),
            (r#"{"name": "package"}"#, PartKind::Schema),
        ] {
            assert_eq!(shape(text).1[0].0, kind, "{text}");
        }
        assert_eq!(
            shape(r#"{"directories": [{"name": "AD", "objects": []}]}"#).1[0],
            (PartKind::Directories, "/directories".into())
        );
    }

    #[test]
    fn camel_cases_known_pascal_keys_in_place() {
        let text = r#"{"SynchronizationRules": [{"Name": "x", "name2": 1, "Other": 2}], "AdditionalProperties": {}}"#;
        let root = json::parse(text).unwrap();
        let camel = camel_case_text(&root, text).unwrap();
        assert_eq!(
            camel,
            r#"{"synchronizationRules": [{"name": "x", "name2": 1, "Other": 2}], "AdditionalProperties": {}}"#
        );
        assert_eq!(camel.len(), text.len());
        let plain = r#"{"synchronizationRules": []}"#;
        assert!(camel_case_text(&json::parse(plain).unwrap(), plain).is_none());
        // A key whose camelCase spelling is already there stays.
        let both = r#"{"Name": "a", "name": "b"}"#;
        assert!(camel_case_text(&json::parse(both).unwrap(), both).is_none());
    }

    #[test]
    fn finds_convert_to_json_placeholders() {
        let text = r#"{"SynchronizationRules": ["Microsoft.Graph.PowerShell.Models.MicrosoftGraphSynchronizationRule"], "Directories": ["System.Collections.Hashtable", "System.Object[]"]}"#;
        let t = truncation(&json::parse(text).unwrap()).unwrap();
        assert_eq!(t.pointer, "/SynchronizationRules/0");
        assert_eq!(t.count, 3);
        assert!(is_type_placeholder("@{name=User; attributes=System.Object[]}"));
        assert!(!is_type_placeholder("System"));
        assert!(is_type_placeholder(
            "System.Collections.Hashtable System.Collections.Hashtable"
        ));
        assert!(!is_type_placeholder("System.Object[] and more"));
        assert!(!is_type_placeholder("Microsoft.Graph.PowerShell.Models."));
        assert!(truncation(&json::parse(r#"{"a": "[mail]"}"#).unwrap()).is_none());
    }
}
