//! The span AST as a JSON Schema instance, so the validator reads the
//! document the linter already parsed.
//!
//! Converting the AST to a `serde_json::Value` first cost more than the
//! validation itself: on a 50 MB export 330 ms to build the copy, 200 ms to
//! free it, and 4–5× the file size in memory. jsonschema 0.61 validates any
//! representation that implements its `Json` trait; this is that
//! implementation for `jsonc_parser`'s AST.
//!
//! One semantic detail is kept from the `serde_json` path: of duplicate keys,
//! only the last is seen (lookups search from the end, member iteration
//! skips overridden keys), because that is what every JSON reader, and
//! therefore Entra, does with them.

use crate::json::{self, Node as AstValue, Object as AstObject, ObjectProp};
use jsonc_parser::ast::StringLit;
use jsonschema::json::{Array, Json, JsonNumber, Node, NodeIdentity, Object};
use jsonschema::types::JsonType;
use std::borrow::Cow;

/// Marker type: "instances are `jsonc_parser` AST nodes".
pub struct Ast;

impl Json for Ast {
    type Node<'a> = AstNode<'a>;
    type PreparedKey = Box<str>;
    type StringBuffer = ();

    /// A lookup is a linear scan here, so a members pass is never worse than
    /// the lookups it replaces (the value is a multiplier: keep it finite).
    const KEYS_PER_LOOKUP: usize = 1 << 16;
    const ACYCLIC: bool = true;

    fn prepare_key(key: &str) -> Box<str> {
        key.into()
    }

    fn with_string_node<T>((): &mut (), string: &str, f: impl FnOnce(AstNode<'_>) -> T) -> T {
        let node = AstValue::StringLit(StringLit {
            range: jsonc_parser::common::Range { start: 0, end: 0 },
            value: Cow::Borrowed(string),
        });
        f(AstNode(&node))
    }
}

#[derive(Clone, Copy)]
pub struct AstNode<'a>(pub &'a AstValue<'a>);

#[derive(Clone, Copy)]
pub struct AstObjectRef<'a>(&'a AstObject<'a>);

#[derive(Clone, Copy)]
pub struct AstArrayRef<'a>(&'a [AstValue<'a>]);

/// A number as written: parsed on demand.
#[derive(Clone, Copy)]
pub struct AstNumber<'a>(&'a str);

impl<'a> Node<'a, Ast> for AstNode<'a> {
    type Object = AstObjectRef<'a>;
    type Array = AstArrayRef<'a>;
    type Number = AstNumber<'a>;

    fn as_object(&self) -> Option<AstObjectRef<'a>> {
        match self.0 {
            AstValue::Object(o) => Some(AstObjectRef(o)),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<AstArrayRef<'a>> {
        match self.0 {
            AstValue::Array(a) => Some(AstArrayRef(&a.elements)),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        match self.0 {
            // Borrowed from the node even when the literal had escapes.
            AstValue::StringLit(s) => Some(Cow::Borrowed(s.value.as_ref())),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<AstNumber<'a>> {
        match self.0 {
            AstValue::NumberLit(n) => Some(AstNumber(n.value)),
            _ => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        match self.0 {
            AstValue::BooleanLit(b) => Some(b.value),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self.0, AstValue::NullKeyword(_))
    }

    fn json_type(&self) -> JsonType {
        match self.0 {
            AstValue::NullKeyword(_) => JsonType::Null,
            AstValue::BooleanLit(_) => JsonType::Boolean,
            AstValue::NumberLit(_) => JsonType::Number,
            AstValue::StringLit(_) => JsonType::String,
            AstValue::Array(_) => JsonType::Array,
            AstValue::Object(_) => JsonType::Object,
        }
    }

    /// Cold path (error construction): a `serde_json` copy of this subtree.
    fn to_value(&self) -> Cow<'a, serde_json::Value> {
        Cow::Owned(json::to_serde(self.0))
    }

    fn identity(&self) -> Option<NodeIdentity> {
        Some(NodeIdentity::new(std::ptr::from_ref(self.0) as usize))
    }
}

impl<'a> Object<'a, Ast> for AstObjectRef<'a> {
    type Node = AstNode<'a>;
    type MemberName = &'a str;
    type MembersIter = Members<'a>;

    /// Counts duplicate keys twice; only used for heuristics (the bundled
    /// schema has no `minProperties`/`maxProperties`).
    fn len(&self) -> usize {
        self.0.properties.len()
    }

    fn get(&self, key: &Box<str>) -> Option<AstNode<'a>> {
        json::get(self.0, key).map(|p| AstNode(&p.value))
    }

    fn members(&self) -> Members<'a> {
        Members {
            props: &self.0.properties,
            overridden: overridden(&self.0.properties),
            next: 0,
        }
    }
}

/// Which properties a later property of the same name overrides; `None`
/// (no allocation) when there are no duplicates, the usual case.
fn overridden(props: &[ObjectProp<'_>]) -> Option<Vec<bool>> {
    const SMALL: usize = 16;
    let has_duplicates = if props.len() <= SMALL {
        props
            .iter()
            .enumerate()
            .any(|(i, p)| props[i + 1..].iter().any(|q| q.name.as_str() == p.name.as_str()))
    } else {
        let mut seen = std::collections::HashSet::with_capacity(props.len());
        !props.iter().all(|p| seen.insert(p.name.as_str()))
    };
    if !has_duplicates {
        return None;
    }
    let mut last = std::collections::HashMap::with_capacity(props.len());
    for (i, p) in props.iter().enumerate() {
        last.insert(p.name.as_str(), i);
    }
    Some(
        props
            .iter()
            .enumerate()
            .map(|(i, p)| last[p.name.as_str()] != i)
            .collect(),
    )
}

pub struct Members<'a> {
    props: &'a [ObjectProp<'a>],
    overridden: Option<Vec<bool>>,
    next: usize,
}

impl<'a> Iterator for Members<'a> {
    type Item = (&'a str, AstNode<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        while let Some(prop) = self.props.get(self.next) {
            let index = self.next;
            self.next += 1;
            if self.overridden.as_ref().is_some_and(|o| o[index]) {
                continue;
            }
            return Some((prop.name.as_str(), AstNode(&prop.value)));
        }
        None
    }
}

impl<'a> Array<'a, Ast> for AstArrayRef<'a> {
    type Node = AstNode<'a>;
    type ElementsIter = std::iter::Map<std::slice::Iter<'a, AstValue<'a>>, fn(&'a AstValue<'a>) -> AstNode<'a>>;

    fn len(&self) -> usize {
        self.0.len()
    }

    fn elements(&self) -> Self::ElementsIter {
        self.0.iter().map(AstNode as fn(&'a AstValue<'a>) -> AstNode<'a>)
    }
}

impl JsonNumber for AstNumber<'_> {
    fn as_u64(&self) -> Option<u64> {
        self.0.parse().ok()
    }

    fn as_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }

    fn as_f64(&self) -> Option<f64> {
        self.0.parse().ok()
    }

    fn as_str(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.0)
    }

    /// Numbers outside `f64` (`1e400`) have no `serde_json::Number`; they
    /// were `null` in the old conversion and are the largest finite value
    /// here, which only ever shows up in an error message.
    fn to_number(&self) -> Cow<'_, serde_json::Number> {
        let number = self.0.parse::<serde_json::Number>().ok().or_else(|| {
            let f = self.0.parse::<f64>().ok()?;
            serde_json::Number::from_f64(if f.is_finite() { f } else { f64::MAX.copysign(f) })
        });
        Cow::Owned(number.unwrap_or_else(|| serde_json::Number::from(0)))
    }

    /// JSON Schema: a number with a zero fractional part is an integer (`1.0`).
    fn is_integer(&self) -> bool {
        self.as_i64().is_some()
            || self.as_u64().is_some()
            || self.as_f64().is_some_and(|f| f.is_finite() && f.fract() == 0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validator(schema: serde_json::Value) -> jsonschema::Validator<Ast> {
        jsonschema::options_for::<Ast>().build(&schema).unwrap()
    }

    fn errors(schema: serde_json::Value, text: &str) -> Vec<String> {
        let v = validator(schema);
        let root = json::parse(text).unwrap();
        v.iter_errors(AstNode(&root))
            .map(|e| format!("{} {}", e.instance_path(), e.masked()))
            .collect()
    }

    #[test]
    fn agrees_with_serde_json_on_types_and_required() {
        let schema = serde_json::json!({
            "type": "object",
            "required": ["a"],
            "properties": {"a": {"type": "integer"}, "b": {"type": ["string", "null"]}, "c": {"items": {"type": "boolean"}}}
        });
        for text in [
            r#"{"a": 1, "b": null, "c": [true]}"#,
            r#"{"a": 1.0}"#,
            r#"{"a": 1.5, "b": 2, "c": [1, false]}"#,
            r#"{"b": "x"}"#,
            r#"[1]"#,
            r#"{"a": 1e400}"#,
            r#"{"a": "x", "a": 2}"#,
            r#"{"a": 2, "a": "x"}"#,
        ] {
            let ours = errors(schema.clone(), text);
            let serde_validator = jsonschema::validator_for(&schema).unwrap();
            let value: serde_json::Value = serde_json::from_str(text).unwrap_or(serde_json::Value::Null);
            let theirs: Vec<String> = serde_validator
                .iter_errors(&value)
                .map(|e| format!("{} {}", e.instance_path(), e.masked()))
                .collect();
            if text.contains("1e400") {
                // serde_json refuses the number; we see a non-integer number.
                assert_eq!(ours, ["/a value is not of type \"integer\""], "{text}");
            } else {
                assert_eq!(ours, theirs, "{text}");
            }
        }
    }

    #[test]
    fn duplicate_keys_resolve_to_the_last_in_lookups_and_members() {
        let text = r#"{"a": "x", "b": 1, "a": 2}"#;
        let root = json::parse(text).unwrap();
        let object = AstNode(&root).as_object().unwrap();
        let members: Vec<&str> = object.members().map(|(k, _)| k).collect();
        assert_eq!(members, ["b", "a"]);
        assert!(object.get(&"a".into()).unwrap().as_number().is_some());
        // Large objects take the hashing path.
        let many = (0..40).map(|i| format!("\"k{i}\": {i}")).collect::<Vec<_>>().join(", ");
        let text = format!("{{{many}, \"k3\": true}}");
        let root = json::parse(&text).unwrap();
        let object = AstNode(&root).as_object().unwrap();
        let k3: Vec<_> = object.members().filter(|(k, _)| *k == "k3").collect();
        assert_eq!(k3.len(), 1);
        assert_eq!(k3[0].1.as_boolean(), Some(true));
    }
}
