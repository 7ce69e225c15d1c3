//! Builds the [`Schema`] model from the span AST. Wrong JSON types are
//! treated as absent here; `schema-violation` reports them.

use super::*;
use crate::json::{self, Node, Object, pointer};

/// Builds the model of a document: of its first schema when it wraps
/// several (see [`shape`](super::shape)), of the fragment when it is one.
/// Anything that is none of these yields an empty schema (the structural
/// check reports why).
pub fn build(root: &Node<'_>) -> Schema {
    let input = super::shape::recognise(root);
    build_part(&input.parts[0])
}

/// Builds the model of one part of a document. Pointers and spans are those
/// of the original document; a fragment becomes a schema with just that
/// fragment in it (an object mapping in a rule without directory names, an
/// attribute mapping list in an object mapping without object names).
pub fn build_part(part: &super::shape::Part<'_>) -> Schema {
    use super::shape::PartKind;
    let root = part.node;
    let loc = Loc {
        span: json::span_of(root),
        pointer: part.pointer.clone(),
    };
    let cx = Cx {
        ptr: part.pointer.clone(),
    };
    let mut schema = Schema {
        loc: loc.clone(),
        part: part.kind,
        template_id: part.template_id.clone(),
        job_id: part.job_id.clone(),
        ..Default::default()
    };
    let in_rule = |object_mappings: Vec<ObjectMapping>| SyncRule {
        loc: loc.clone(),
        object_mappings,
        ..Default::default()
    };
    match (part.kind, root) {
        (PartKind::Schema, Node::Object(obj)) => {
            schema.id = cx.string(obj, "id");
            schema.rules = cx.array(obj, "synchronizationRules", |cx, node, loc| {
                node.as_object().map(|o| cx.sync_rule(o, loc))
            });
            schema.directories = cx.array(obj, "directories", |cx, node, loc| {
                node.as_object().map(|o| cx.directory(o, loc))
            });
        }
        (PartKind::Rule, Node::Object(obj)) => schema.rules = vec![cx.sync_rule(obj, loc.clone())],
        (PartKind::ObjectMapping, Node::Object(obj)) => {
            schema.rules = vec![in_rule(vec![cx.object_mapping(obj, loc.clone())])]
        }
        (PartKind::AttributeMapping, Node::Object(obj)) => {
            let mapping = ObjectMapping {
                attribute_mappings: vec![cx.attribute_mapping(obj, loc.clone(), 0)],
                attribute_mappings_loc: loc.clone(),
                loc: loc.clone(),
                ..Default::default()
            };
            schema.rules = vec![in_rule(vec![mapping])];
        }
        (PartKind::AttributeMappings, Node::Array(arr)) => {
            let mapping = ObjectMapping {
                attribute_mappings: cx.elements(arr, |cx, node, loc, i| {
                    node.as_object().map(|o| cx.attribute_mapping(o, loc, i))
                }),
                attribute_mappings_loc: loc.clone(),
                loc: loc.clone(),
                ..Default::default()
            };
            schema.rules = vec![in_rule(vec![mapping])];
        }
        (PartKind::Directories, Node::Array(arr)) => {
            schema.directories = cx.elements(arr, |cx, node, loc, _| node.as_object().map(|o| cx.directory(o, loc)));
        }
        _ => {}
    }
    schema
}

/// The pointer of the object being read.
struct Cx {
    ptr: String,
}

impl Cx {
    fn at(&self, key: &str) -> String {
        pointer::join(&self.ptr, key)
    }

    fn child(ptr: String) -> Cx {
        Cx { ptr }
    }

    /// A property's value and key span. Its pointer is built by [`Cx::loc`]
    /// only once the value has the type the model keeps: most properties of
    /// a real export are `null`s, flags and noise keys, and a pointer string
    /// per property was a third of the model's allocations.
    fn prop<'a, 'b>(&self, obj: &'b Object<'a>, key: &str) -> Option<(&'b Node<'a>, crate::span::FileSpan)> {
        let prop = json::get(obj, key)?;
        Some((&prop.value, json::key_span(prop)))
    }

    fn loc(&self, node: &Node<'_>, key: &str) -> Loc {
        Loc {
            span: json::span_of(node),
            pointer: self.at(key),
        }
    }

    fn string(&self, obj: &Object<'_>, key: &str) -> Option<Spanned<String>> {
        let (node, key_span) = self.prop(obj, key)?;
        let value = node.as_string_lit()?.value.to_string();
        Some(Spanned {
            value,
            loc: self.loc(node, key),
            key_span: Some(key_span),
        })
    }

    fn boolean(&self, obj: &Object<'_>, key: &str) -> Option<Spanned<bool>> {
        let (node, key_span) = self.prop(obj, key)?;
        Some(Spanned {
            value: node.as_boolean_lit()?.value,
            loc: self.loc(node, key),
            key_span: Some(key_span),
        })
    }

    fn flag(&self, obj: &Object<'_>, key: &str) -> bool {
        self.prop(obj, key)
            .and_then(|(node, _)| node.as_boolean_lit())
            .is_some_and(|b| b.value)
    }

    fn integer(&self, obj: &Object<'_>, key: &str) -> Option<Spanned<i64>> {
        let (node, key_span) = self.prop(obj, key)?;
        let text = node.as_number_lit()?.value;
        // JSON Schema calls `1.0` an integer too.
        let value = text.parse().ok().or_else(|| {
            text.parse::<f64>()
                .ok()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9e15)
                .map(|f| f as i64)
        })?;
        Some(Spanned {
            value,
            loc: self.loc(node, key),
            key_span: Some(key_span),
        })
    }

    /// Location of an array property, or of the object itself when the key
    /// is missing.
    fn array_loc(&self, obj: &Object<'_>, key: &str) -> Loc {
        match self.prop(obj, key) {
            Some((node @ Node::Array(_), _)) => self.loc(node, key),
            _ => Loc {
                span: FileSpan::new(obj.range.start, obj.range.end),
                pointer: self.ptr.clone(),
            },
        }
    }

    /// Maps every element of an array property; `null` or a missing key is
    /// an empty list.
    fn array<T>(&self, obj: &Object<'_>, key: &str, mut f: impl FnMut(&Cx, &Node<'_>, Loc) -> Option<T>) -> Vec<T> {
        let Some((Node::Array(arr), _)) = self.prop(obj, key) else {
            return Vec::new();
        };
        Cx::child(self.at(key)).elements(arr, |cx, node, loc, _| f(cx, node, loc))
    }

    /// Maps every element of an array at this pointer, with its index.
    fn elements<T>(&self, arr: &json::Array<'_>, mut f: impl FnMut(&Cx, &Node<'_>, Loc, usize) -> Option<T>) -> Vec<T> {
        arr.elements
            .iter()
            .enumerate()
            .filter_map(|(i, el)| {
                let ptr = pointer::join_index(&self.ptr, i);
                let loc = Loc {
                    span: json::span_of(el),
                    pointer: ptr.clone(),
                };
                f(&Cx::child(ptr), el, loc, i)
            })
            .collect()
    }

    fn object<'a, 'b>(&self, obj: &'b Object<'a>, key: &str) -> Option<(&'b Object<'a>, Cx, Loc)> {
        let (node, _) = self.prop(obj, key)?;
        let o = node.as_object()?;
        let loc = self.loc(node, key);
        Some((o, Cx::child(loc.pointer.clone()), loc))
    }

    fn key_values(&self, obj: &Object<'_>, key: &str) -> Vec<KeyValue> {
        self.array(obj, key, |cx, node, loc| {
            let o = node.as_object()?;
            Some(KeyValue {
                key: cx.string(o, "key"),
                value: cx.string(o, "value"),
                loc,
            })
        })
    }

    fn sync_rule(&self, obj: &Object<'_>, loc: Loc) -> SyncRule {
        SyncRule {
            id: self.string(obj, "id"),
            name: self.string(obj, "name"),
            source_directory: self.string(obj, "sourceDirectoryName"),
            target_directory: self.string(obj, "targetDirectoryName"),
            object_mappings: self.array(obj, "objectMappings", |cx, node, loc| {
                node.as_object().map(|o| cx.object_mapping(o, loc))
            }),
            metadata: self.key_values(obj, "metadata"),
            loc,
        }
    }

    fn object_mapping(&self, obj: &Object<'_>, loc: Loc) -> ObjectMapping {
        ObjectMapping {
            name: self.string(obj, "name"),
            enabled: self.boolean(obj, "enabled"),
            flow_types: self.string(obj, "flowTypes"),
            source_object: self.string(obj, "sourceObjectName"),
            target_object: self.string(obj, "targetObjectName"),
            attribute_mappings: match self.prop(obj, "attributeMappings") {
                Some((Node::Array(arr), _)) => Cx::child(self.at("attributeMappings"))
                    .elements(arr, |cx, node, loc, i| {
                        node.as_object().map(|o| cx.attribute_mapping(o, loc, i))
                    }),
                _ => Vec::new(),
            },
            attribute_mappings_loc: self.array_loc(obj, "attributeMappings"),
            scope: self.object(obj, "scope").map(|(o, cx, loc)| cx.filter(o, loc)),
            metadata: self.key_values(obj, "metadata"),
            loc,
        }
    }

    fn attribute_mapping(&self, obj: &Object<'_>, loc: Loc, index: usize) -> AttributeMapping {
        AttributeMapping {
            index,
            target: self.string(obj, "targetAttributeName"),
            source: self.object(obj, "source").map(|(o, cx, loc)| cx.source(o, loc)),
            default_value: self.string(obj, "defaultValue"),
            matching_priority: self.integer(obj, "matchingPriority"),
            flow_type: self.string(obj, "flowType"),
            flow_behavior: self.string(obj, "flowBehavior"),
            loc,
        }
    }

    fn source(&self, obj: &Object<'_>, loc: Loc) -> Source {
        let parameters_loc = match self.prop(obj, "parameters") {
            Some((node @ Node::Array(_), _)) => Some(self.loc(node, "parameters")),
            _ => None,
        };
        Source {
            kind: self.string(obj, "type"),
            name: self.string(obj, "name"),
            expression: self.string(obj, "expression").map(|s| ExpressionText {
                text: s.value,
                loc: s.loc,
            }),
            parameters: self.array(obj, "parameters", |cx, node, loc| {
                let o = node.as_object()?;
                Some(Parameter {
                    key: cx.string(o, "key"),
                    value: cx.object(o, "value").map(|(o, cx, loc)| cx.source(o, loc)),
                    loc,
                })
            }),
            parameters_loc,
            loc,
        }
    }

    fn filter(&self, obj: &Object<'_>, loc: Loc) -> Filter {
        let mut groups = Vec::new();
        for list in ["groups", "inputFilterGroups", "categoryFilterGroups"] {
            groups.extend(self.array(obj, list, |cx, node, loc| {
                let o = node.as_object()?;
                Some(FilterGroup {
                    list,
                    name: cx.string(o, "name"),
                    clauses: cx.array(o, "clauses", |cx, node, loc| {
                        let o = node.as_object()?;
                        let values = cx
                            .object(o, "targetOperand")
                            .map(|(t, tcx, _)| {
                                tcx.array(t, "values", |_, node, loc| {
                                    Some(Spanned::new(node.as_string_lit()?.value.to_string(), loc))
                                })
                            })
                            .unwrap_or_default();
                        Some(FilterClause {
                            operator: cx.string(o, "operatorName"),
                            source_operand: cx.string(o, "sourceOperandName"),
                            values,
                            loc,
                        })
                    }),
                    loc,
                })
            }));
        }
        Filter { groups, loc }
    }

    fn directory(&self, obj: &Object<'_>, loc: Loc) -> Directory {
        Directory {
            name: self.string(obj, "name"),
            objects: self.array(obj, "objects", |cx, node, loc| {
                node.as_object().map(|o| cx.object_def(o, loc))
            }),
            loc,
        }
    }

    fn object_def(&self, obj: &Object<'_>, loc: Loc) -> ObjectDef {
        let mut def = ObjectDef {
            name: self.string(obj, "name"),
            attributes: self.array(obj, "attributes", |cx, node, loc| {
                node.as_object().map(|o| cx.attribute_def(o, loc))
            }),
            attributes_loc: self.array_loc(obj, "attributes"),
            loc,
            by_name: Vec::new(),
        };
        def.index();
        def
    }

    fn attribute_def(&self, obj: &Object<'_>, loc: Loc) -> AttributeDef {
        AttributeDef {
            name: self.string(obj, "name"),
            kind: self.string(obj, "type"),
            mutability: self.string(obj, "mutability"),
            anchor: self.flag(obj, "anchor"),
            required: self.flag(obj, "required"),
            multivalued: self.flag(obj, "multivalued"),
            metadata: self.key_values(obj, "metadata"),
            referenced_objects: self.array(obj, "referencedObjects", |cx, node, _| {
                let o = node.as_object()?;
                cx.string(o, "referencedObjectName")
            }),
            loc,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{
  "synchronizationRules": [{
    "sourceDirectoryName": "Microsoft Entra ID",
    "targetDirectoryName": "customappsso",
    "objectMappings": [{
      "flowTypes": "Add, Update",
      "sourceObjectName": "User",
      "targetObjectName": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
      "attributeMappings": [
        {"targetAttributeName": "userName", "matchingPriority": 1,
         "source": {"type": "Attribute", "name": "mail", "expression": "[mail]", "parameters": []}},
        {"targetAttributeName": 42, "source": null, "flowType": "ObjectAddOnly"}
      ],
      "scope": {"groups": [{"name": "g", "clauses": [{"operatorName": "EQUALS", "sourceOperandName": "department", "targetOperand": {"values": ["IT"]}}]}]}
    }]
  }],
  "directories": [{"name": "customappsso", "objects": [{"name": "U", "attributes": [{"name": "id", "anchor": true}, {"name": "userName", "type": "String"}]}]}]
}"#;

    #[test]
    fn builds_a_lenient_model_with_locations() {
        let root = crate::json::parse(DOC).unwrap();
        let schema = build(&root);
        let (rule, om) = schema.object_mappings().next().unwrap();
        assert_eq!(rule.target_directory.as_ref().unwrap().as_str(), "customappsso");
        assert_eq!(om.flow_type_flags(), vec!["Add", "Update"]);
        assert!(om.is_enabled(), "enabled defaults to true");
        let am = &om.attribute_mappings[0];
        assert_eq!(am.target_name(), "userName");
        assert_eq!(am.matching_priority(), 1);
        assert_eq!(am.flow_type(), "Always");
        let target = am.target.as_ref().unwrap();
        assert_eq!(
            target.loc.pointer,
            "/synchronizationRules/0/objectMappings/0/attributeMappings/0/targetAttributeName"
        );
        assert_eq!(&DOC[target.loc.span], "\"userName\"");
        let src = am.source.as_ref().unwrap();
        assert_eq!(src.expression.as_ref().unwrap().text, "[mail]");
        // A wrong type is treated as absent, not as an error of the model.
        let second = &om.attribute_mappings[1];
        assert!(second.target.is_none());
        assert!(second.source.is_none());
        assert_eq!(second.index, 1);
        assert_eq!(second.flow_type(), "ObjectAddOnly");
        let clause = &om.scope.as_ref().unwrap().groups[0].clauses[0];
        assert_eq!(clause.values[0].value, "IT");
        let dir = schema.directory("customappsso").unwrap();
        let obj = dir.object("U").unwrap();
        assert!(obj.attribute("userName").is_some());
        assert!(obj.attribute("USERNAME").is_none());
        assert_eq!(obj.attribute_ignoring_case("USERNAME").unwrap().name_str(), "userName");
        assert_eq!(obj.anchor().unwrap().name_str(), "id");
    }

    #[test]
    fn attribute_lookup_is_exact_and_the_first_definition_wins() {
        let doc = r#"{"directories": [{"name": "d", "objects": [{"name": "o", "attributes": [
            {"name": "b"}, {"name": "a", "type": "String"}, {"name": "c"}, {"name": "a", "type": "Integer"}, {"name": "A"}
        ]}]}]}"#;
        let root = crate::json::parse(doc).unwrap();
        let schema = build(&root);
        let object = schema.directory("d").unwrap().object("o").unwrap();
        assert_eq!(object.attribute("a").unwrap().kind(), "String");
        assert_eq!(object.attribute("A").unwrap().name_str(), "A");
        assert!(object.attribute("c").is_some() && object.attribute("b").is_some());
        assert!(object.attribute("d").is_none() && object.attribute("").is_none());
    }

    #[test]
    fn non_object_root_gives_an_empty_schema() {
        let root = crate::json::parse("[1, 2]").unwrap();
        let schema = build(&root);
        assert!(schema.rules.is_empty() && schema.directories.is_empty());
    }
}
