use super::{Context, Described, Rule};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::json::{self, Node, pointer};
use crate::model::shape::PartKind;
use crate::span::FileSpan;
use std::collections::HashMap;
use std::sync::OnceLock;

declare_rule! {
    /// A key the export format does not have, where one it has was likely meant.
    ///
    /// ## What it does
    /// Compares every key with the keys the export format defines at that
    /// place (a scoping filter, an attribute mapping, a directory, …, as in
    /// `schemas/synchronization-schema.json`). An unknown key is reported
    /// only when a known key was likely meant: the same name in other letter
    /// case (`targetattributename`), a small typo (`flowTpye`), or a name
    /// that contains or is part of a known one (`filterGroups` for `groups` /
    /// `inputFilterGroups`). Every other unknown key stays silent:
    /// `@odata.*` annotations, new Graph fields and vendor additions are
    /// allowed.
    ///
    /// ## Why it matters
    /// Entra and Graph ignore keys they do not know. A scoping filter written
    /// under `filterGroups` is no filter at all: every user is in scope. A
    /// misspelled `flowType` silently becomes `Always`.
    ///
    /// ## Example
    /// ```json
    /// { "scope": { "filterGroups": [ { "clauses": [ … ] } ] } }
    /// ```
    /// Entra reads the groups of a scoping filter from `groups` (or
    /// `inputFilterGroups`); `filterGroups` is ignored.
    ///
    /// ## Fix
    /// Rename the key to the one the message suggests. A key that differs
    /// only in letter case from the one known key, in an object that does not
    /// have that key already, has a safe fix to the known spelling; other
    /// renames are left to you, since the right key is a guess.
    pub struct MisspelledKey {
        name: "misspelled-key",
        category: Input,
        severity: Warning,
        fix: Safe,
    }
}

pub struct Misspelled {
    key: String,
    span: FileSpan,
    pointer: String,
    /// What the object is, in words.
    place: &'static str,
    candidates: Vec<&'static str>,
    /// The known spelling, when the key differs only in letter case.
    case_fix: Option<&'static str>,
}

/// The keys of one definition of the bundled JSON Schema, each with the
/// definition of its value when that is an object or a list of objects.
struct Definition {
    keys: Vec<(&'static str, Option<&'static str>)>,
}

/// Every definition of the bundled schema by name (`""` is the root): the
/// one source of which keys exist where.
fn definitions() -> &'static HashMap<&'static str, Definition> {
    static DEFS: OnceLock<HashMap<&'static str, Definition>> = OnceLock::new();
    DEFS.get_or_init(|| {
        let schema: serde_json::Value =
            serde_json::from_str(crate::validate::SCHEMA_TEXT).expect("bundled schema is valid JSON");
        let leak = |s: &str| -> &'static str { Box::leak(s.to_string().into_boxed_str()) };
        let definition = |def: &serde_json::Value| Definition {
            keys: def["properties"]
                .as_object()
                .map(|props| {
                    props
                        .iter()
                        .map(|(key, value)| {
                            let reference = value["$ref"].as_str().or_else(|| value["items"]["$ref"].as_str());
                            let child = reference.and_then(|r| r.strip_prefix("#/$defs/")).map(leak);
                            (leak(key), child)
                        })
                        .collect()
                })
                .unwrap_or_default(),
        };
        let mut defs = HashMap::new();
        defs.insert("", definition(&schema));
        if let Some(all) = schema["$defs"].as_object() {
            for (name, def) in all {
                defs.insert(leak(name), definition(def));
            }
        }
        defs
    })
}

fn place(def: &str) -> &'static str {
    match def {
        "" => "the schema",
        "synchronizationRule" => "a synchronization rule",
        "objectMapping" => "an object mapping",
        "attributeMapping" => "an attribute mapping",
        "attributeMappingSource" => "a mapping source",
        "stringKeyAttributeMappingSourceValuePair" => "a function parameter",
        "filter" => "a scoping filter",
        "filterGroup" => "a scoping filter group",
        "filterClause" => "a scoping filter clause",
        "filterOperand" => "a scoping filter operand",
        "directoryDefinition" => "a directory",
        "objectDefinition" => "an object definition",
        "attributeDefinition" => "an attribute definition",
        _ => "this object",
    }
}

/// The known keys `key` was likely meant as, best first.
fn likely(key: &str, known: &[(&'static str, Option<&'static str>)]) -> Vec<&'static str> {
    let lower = key.to_ascii_lowercase();
    let mut found: Vec<(usize, &'static str)> = known
        .iter()
        .filter_map(|&(k, _)| {
            let k_lower = k.to_ascii_lowercase();
            let distance = crate::suggest::distance(&lower, &k_lower);
            let (short, long) = if lower.len() < k_lower.len() {
                (&lower, &k_lower)
            } else {
                (&k_lower, &lower)
            };
            let related = if distance == 0 {
                Some(0)
            } else if key.chars().count() >= 4 && distance <= 2 {
                Some(distance)
            } else if short.len() >= 5 && long.contains(short.as_str()) {
                Some(3 + long.len() - short.len())
            } else {
                None
            };
            related.map(|rank| (rank, k))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, k)| k).take(3).collect()
}

fn walk<'a>(
    node: &'a Node<'a>,
    def: &'static str,
    ptr: &mut Vec<pointer::Token<'a>>,
    base: &str,
    out: &mut Vec<Misspelled>,
) {
    let defs = definitions();
    let Some(definition) = defs.get(def) else { return };
    match node {
        Node::Array(arr) => {
            for (i, el) in arr.elements.iter().enumerate() {
                ptr.push(pointer::Token::Index(i));
                walk(el, def, ptr, base, out);
                ptr.pop();
            }
        }
        Node::Object(obj) => {
            for prop in &obj.properties {
                let key = prop.name.as_str();
                // A value a later duplicate key overrides is read by no
                // one, and no pointer names it (`schema-violation` reports
                // the duplicate).
                if !json::get(obj, key).is_some_and(|last| std::ptr::eq(last, prop)) {
                    continue;
                }
                match definition.keys.iter().find(|(k, _)| *k == key) {
                    Some((_, Some(child))) => {
                        ptr.push(pointer::Token::Key(key));
                        walk(&prop.value, child, ptr, base, out);
                        ptr.pop();
                    }
                    Some((_, None)) => {}
                    None if key.contains('@') || key == "AdditionalProperties" => {}
                    None => {
                        let candidates = likely(key, &definition.keys);
                        if candidates.is_empty() {
                            continue;
                        }
                        let case_fix = (candidates.len() == 1
                            && candidates[0].eq_ignore_ascii_case(key)
                            && json::get(obj, candidates[0]).is_none())
                        .then_some(candidates[0]);
                        ptr.push(pointer::Token::Key(key));
                        out.push(Misspelled {
                            key: key.to_string(),
                            span: json::key_span(prop),
                            pointer: format!("{base}{}", pointer::from_tokens(ptr)),
                            place: place(def),
                            candidates,
                            case_fix,
                        });
                        ptr.pop();
                    }
                }
            }
        }
        _ => {}
    }
}

impl Rule for MisspelledKey {
    type State<'a> = Misspelled;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Misspelled> {
        let Some(root) = cx.root else { return Vec::new() };
        let Some(part) = json::resolve(root, &cx.schema.loc.pointer) else {
            return Vec::new();
        };
        let def = match cx.schema.part {
            PartKind::Schema => "",
            kind => match kind.definition() {
                (Some(def), _) => def,
                (None, _) => "",
            },
        };
        let mut out = Vec::new();
        walk(part.node, def, &mut Vec::new(), &cx.schema.loc.pointer, &mut out);
        out
    }

    fn diagnostic(&self, _cx: &Context<'_>, m: &Misspelled) -> Diagnostic {
        let options = m
            .candidates
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(" or ");
        Diagnostic::at(
            &Self::META,
            format!("unknown key `{}` in {}: did you mean {options}?", m.key, m.place),
            m.span,
            m.pointer.clone(),
        )
        .with_label(format!("not a key of {}", m.place))
        .with_help("Entra ignores keys it does not know, so this value has no effect; rename the key")
    }

    fn fix(&self, _cx: &Context<'_>, m: &Misspelled) -> Option<Fix> {
        let known = m.case_fix?;
        Some(Fix::safe(
            format!("Rename `{}` to `{known}`", m.key),
            vec![Edit::replace(m.span, serde_json::to_string(known).ok()?)],
        ))
    }
}
