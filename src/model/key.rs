//! Semantic keys: a finding's location that survives re-exports.
//!
//! A JSON Pointer into an export with every array index the portal may
//! reorder replaced by the name of the element (an object mapping by its
//! source object, an attribute mapping by its target attribute, a
//! directory, object or attribute definition by its name, a metadata entry
//! by its key). Line numbers break on every edit and array indexes whenever
//! Entra rewrites the export in another order; names do not. Baselines key
//! their entries by it.

use crate::json::pointer;
use crate::model::{KeyValue, Schema};

/// The semantic key of a pointer into an export: array indexes of named
/// elements replaced by `[name]`, e.g.
/// `/synchronizationRules/0/objectMappings/1/attributeMappings/7/flowType` →
/// `/synchronizationRules[USERGROUP_OUTBOUND_USERGROUP]/objectMappings[User]/attributeMappings[userName]/flowType`.
/// An element without a name keeps its index; a pointer outside the model
/// stays as it is.
pub fn semantic_key(schema: &Schema, ptr: &str) -> String {
    let Some(tokens) = pointer::segments(ptr) else {
        return ptr.to_string();
    };
    let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let mut key = KeyBuilder::default();
    match tokens.as_slice() {
        ["synchronizationRules", i, rest @ ..] => {
            let rule = key.element(
                &schema.rules,
                "synchronizationRules",
                i,
                |r| &r.loc.pointer,
                |r| r.name.as_ref().or(r.id.as_ref()).map(|n| n.as_str()),
            );
            match (rule, rest) {
                (Some(rule), ["objectMappings", j, rest @ ..]) => {
                    let mapping = key.element(
                        &rule.object_mappings,
                        "objectMappings",
                        j,
                        |m| &m.loc.pointer,
                        |m| Some(m.source_object_name()),
                    );
                    match (mapping, rest) {
                        (Some(m), ["attributeMappings", k, rest @ ..]) => {
                            key.element(
                                &m.attribute_mappings,
                                "attributeMappings",
                                k,
                                |a| &a.loc.pointer,
                                |a| Some(a.target_name()),
                            );
                            key.rest(rest);
                        }
                        (Some(m), ["metadata", k, rest @ ..]) => key.metadata(&m.metadata, k, rest),
                        (_, rest) => key.rest(rest),
                    }
                }
                (Some(rule), ["metadata", k, rest @ ..]) => key.metadata(&rule.metadata, k, rest),
                (_, rest) => key.rest(rest),
            }
        }
        ["directories", i, rest @ ..] => {
            let dir = key.element(
                &schema.directories,
                "directories",
                i,
                |d| &d.loc.pointer,
                |d| Some(d.name_str()),
            );
            match (dir, rest) {
                (Some(dir), ["objects", j, rest @ ..]) => {
                    let object = key.element(&dir.objects, "objects", j, |o| &o.loc.pointer, |o| Some(o.name_str()));
                    match (object, rest) {
                        (Some(o), ["attributes", k, rest @ ..]) => {
                            let attr = key.element(
                                &o.attributes,
                                "attributes",
                                k,
                                |a| &a.loc.pointer,
                                |a| Some(a.name_str()),
                            );
                            match (attr, rest) {
                                (Some(a), ["metadata", m, rest @ ..]) => key.metadata(&a.metadata, m, rest),
                                (_, rest) => key.rest(rest),
                            }
                        }
                        (_, rest) => key.rest(rest),
                    }
                }
                (_, rest) => key.rest(rest),
            }
        }
        _ => return ptr.to_string(),
    }
    key.key
}

/// Builds a semantic key and, alongside, the real pointer of the element
/// being looked at (to find it in the model).
#[derive(Default)]
struct KeyBuilder {
    key: String,
    ptr: String,
}

impl KeyBuilder {
    /// Consumes `/array/index`: finds the model element at that pointer and
    /// writes `/array[name]`, or `/array/index` when it has no name.
    fn element<'s, T>(
        &mut self,
        items: &'s [T],
        array: &str,
        index: &str,
        loc: impl Fn(&T) -> &String,
        name: impl Fn(&T) -> Option<&str>,
    ) -> Option<&'s T> {
        pointer::push(&mut self.ptr, array);
        pointer::push(&mut self.ptr, index);
        // The model keeps the array's order but skips elements that are not
        // objects, so element `index` is at that position or before it. Look
        // there first: this runs for every finding, and a scan of the whole
        // array each time made 30,000 findings in a 50 MB export quadratic.
        let at = pointer::array_index(index).map_or(0, |i| i.min(items.len().saturating_sub(1)));
        let item = items[..items.len().min(at + 1)]
            .iter()
            .rev()
            .find(|item| *loc(item) == self.ptr);
        pointer::push(&mut self.key, array);
        match item.and_then(&name).filter(|n| !n.is_empty()) {
            Some(n) => {
                self.key.push('[');
                self.key.push_str(&n.replace('~', "~0").replace('/', "~1"));
                self.key.push(']');
            }
            None => pointer::push(&mut self.key, index),
        }
        item
    }

    fn metadata(&mut self, items: &[KeyValue], index: &str, rest: &[&str]) {
        self.element(
            items,
            "metadata",
            index,
            |m| &m.loc.pointer,
            |m| m.key.as_ref().map(|k| k.as_str()),
        );
        self.rest(rest);
    }

    fn rest(&mut self, tokens: &[&str]) {
        for t in tokens {
            pointer::push(&mut self.key, t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_of(text: &str, ptr: &str) -> String {
        let root = crate::json::parse(text).unwrap();
        semantic_key(&crate::model::build(&root), ptr)
    }

    const EXPORT: &str = r#"{"synchronizationRules": [{"name": "R", "metadata": [{"key": "k", "value": "v"}],
        "objectMappings": [{"sourceObjectName": "Group", "attributeMappings": []},
                           {"sourceObjectName": "User", "attributeMappings": [
                               {"targetAttributeName": "a/b"}, {"source": {}}]}]}],
      "directories": [{"name": "Azure", "objects": [{"name": "User", "attributes": [
          {"name": "mail", "metadata": [{"key": "Secret", "value": "x"}]}]}]}]}"#;

    #[test]
    fn names_replace_indexes() {
        assert_eq!(
            key_of(
                EXPORT,
                "/synchronizationRules/0/objectMappings/1/attributeMappings/0/source/parameters/0"
            ),
            "/synchronizationRules[R]/objectMappings[User]/attributeMappings[a~1b]/source/parameters/0"
        );
        assert_eq!(
            key_of(EXPORT, "/synchronizationRules/0/metadata/0/value"),
            "/synchronizationRules[R]/metadata[k]/value"
        );
        assert_eq!(
            key_of(EXPORT, "/directories/0/objects/0/attributes/0/metadata/0/value"),
            "/directories[Azure]/objects[User]/attributes[mail]/metadata[Secret]/value"
        );
    }

    #[test]
    fn unnamed_or_unknown_elements_keep_their_pointer() {
        // A mapping without a target keeps its index.
        assert_eq!(
            key_of(EXPORT, "/synchronizationRules/0/objectMappings/1/attributeMappings/1"),
            "/synchronizationRules[R]/objectMappings[User]/attributeMappings/1"
        );
        // Past the end of the array: nothing to name.
        assert_eq!(
            key_of(EXPORT, "/synchronizationRules/0/objectMappings/9/name"),
            "/synchronizationRules[R]/objectMappings/9/name"
        );
        assert_eq!(key_of(EXPORT, "/id"), "/id");
        assert_eq!(key_of(EXPORT, ""), "");
    }
}
