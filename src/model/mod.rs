//! The synchronization schema as typed data, each node knowing where it came
//! from.
//!
//! The model is deliberately lenient: unknown keys are
//! ignored, missing keys take Entra's defaults, enumerations stay open strings,
//! and a value of the wrong JSON type is treated as absent (the
//! `schema-violation` rule reports it). That way one broken field never hides
//! the findings of every other rule. Every node carries a [`Loc`] — byte span
//! and JSON Pointer — so rules can point at the exact bytes.

mod build;
mod expressions;
mod key;
pub mod kind;
pub mod shape;

pub use build::{build, build_part};
pub use expressions::{MappingExpression, parse_all as parse_expressions};
pub use key::semantic_key;
pub use kind::{JobKind, Recognised};

use crate::span::FileSpan;
use std::collections::HashMap;

/// Where a model node came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Loc {
    /// FileSpan of the value (for a string, including its quotes).
    pub span: FileSpan,
    /// RFC 6901 pointer to the value.
    pub pointer: String,
}

/// A scalar with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub loc: Loc,
    /// FileSpan of the property key (`"flowType"`), when the value is a property.
    pub key_span: Option<FileSpan>,
}

impl<T> Spanned<T> {
    pub fn new(value: T, loc: Loc) -> Spanned<T> {
        Spanned {
            value,
            loc,
            key_span: None,
        }
    }
}

impl Spanned<String> {
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

#[derive(Debug, Default)]
pub struct Schema {
    pub loc: Loc,
    /// What the linted part of the file is: a whole schema or a fragment.
    pub part: shape::PartKind,
    pub id: Option<Spanned<String>>,
    /// `templateId` of the synchronization job or template object the
    /// schema was wrapped in, when the file is such an object.
    pub template_id: Option<String>,
    /// `id` of the wrapping job or template object, when there is one.
    pub job_id: Option<String>,
    pub rules: Vec<SyncRule>,
    pub directories: Vec<Directory>,
}

/// A `synchronizationRules[]` entry: one source directory to one target.
#[derive(Debug, Default)]
pub struct SyncRule {
    pub loc: Loc,
    pub id: Option<Spanned<String>>,
    pub name: Option<Spanned<String>>,
    pub source_directory: Option<Spanned<String>>,
    pub target_directory: Option<Spanned<String>>,
    pub object_mappings: Vec<ObjectMapping>,
    pub metadata: Vec<KeyValue>,
}

#[derive(Debug, Default)]
pub struct ObjectMapping {
    pub loc: Loc,
    pub name: Option<Spanned<String>>,
    /// `enabled`; Entra's default is `true`.
    pub enabled: Option<Spanned<bool>>,
    pub flow_types: Option<Spanned<String>>,
    pub source_object: Option<Spanned<String>>,
    pub target_object: Option<Spanned<String>>,
    pub attribute_mappings: Vec<AttributeMapping>,
    /// Location of the `attributeMappings` array (the object mapping itself
    /// when the key is missing): where new mappings are inserted.
    pub attribute_mappings_loc: Loc,
    pub scope: Option<Filter>,
    pub metadata: Vec<KeyValue>,
}

impl ObjectMapping {
    pub fn is_enabled(&self) -> bool {
        self.enabled.as_ref().is_none_or(|e| e.value)
    }

    pub fn source_object_name(&self) -> &str {
        self.source_object.as_ref().map_or("", |s| s.as_str())
    }

    pub fn target_object_name(&self) -> &str {
        self.target_object.as_ref().map_or("", |s| s.as_str())
    }

    /// The flow type flags, split on commas and trimmed (`"Add, Update"` and
    /// `"Add,Update"` both occur). Default: all three.
    pub fn flow_type_flags(&self) -> Vec<&str> {
        match &self.flow_types {
            Some(f) => f.value.split(',').map(str::trim).filter(|s| !s.is_empty()).collect(),
            None => vec!["Add", "Update", "Delete"],
        }
    }

    /// Pairs `(first, repeat)` of attribute mappings (among those `key`
    /// selects) that share a key, in document order: the shared detection of
    /// the duplicate-target and duplicate-precedence rules.
    pub fn repeated_by<'a, K: std::hash::Hash + Eq>(
        &'a self,
        key: impl Fn(&'a AttributeMapping) -> Option<K>,
    ) -> Vec<(&'a AttributeMapping, &'a AttributeMapping)> {
        let mut first_by_key: HashMap<K, &'a AttributeMapping> = HashMap::new();
        let mut repeats = Vec::new();
        for am in &self.attribute_mappings {
            let Some(k) = key(am) else { continue };
            match first_by_key.get(&k) {
                Some(first) => repeats.push((*first, am)),
                None => {
                    first_by_key.insert(k, am);
                }
            }
        }
        repeats
    }

    /// A label for messages: `User` in "the User object mapping" (the
    /// source object identifies a mapping; target names are long URNs).
    /// `unnamed` when the mapping names neither object (a pasted list of
    /// attribute mappings).
    pub fn describe(&self) -> &str {
        match (self.source_object_name(), self.target_object_name()) {
            ("", "") => "unnamed",
            ("", target) => target,
            (name, _) => name,
        }
    }
}

#[derive(Debug, Default)]
pub struct AttributeMapping {
    pub loc: Loc,
    /// Index in the `attributeMappings` array.
    pub index: usize,
    pub target: Option<Spanned<String>>,
    pub source: Option<Source>,
    pub default_value: Option<Spanned<String>>,
    pub matching_priority: Option<Spanned<i64>>,
    pub flow_type: Option<Spanned<String>>,
    pub flow_behavior: Option<Spanned<String>>,
}

impl AttributeMapping {
    pub fn target_name(&self) -> &str {
        self.target.as_ref().map_or("", |s| s.as_str())
    }

    pub fn matching_priority(&self) -> i64 {
        self.matching_priority.as_ref().map_or(0, |m| m.value)
    }

    pub fn is_matching(&self) -> bool {
        self.matching_priority() > 0
    }

    /// `flowType`, default `Always`.
    pub fn flow_type(&self) -> &str {
        self.flow_type.as_ref().map_or("Always", |f| f.as_str())
    }

    /// The most useful location for "this mapping": its target name if
    /// present, else the mapping object.
    pub fn target_loc(&self) -> &Loc {
        self.target.as_ref().map_or(&self.loc, |t| &t.loc)
    }
}

/// An `attributeMappingSource` node (the top one of a mapping, or a
/// parameter value).
#[derive(Debug, Default)]
pub struct Source {
    pub loc: Loc,
    /// `type`: `Attribute` (default), `Constant`, `Function`, or unknown.
    pub kind: Option<Spanned<String>>,
    pub name: Option<Spanned<String>>,
    pub expression: Option<ExpressionText>,
    pub parameters: Vec<Parameter>,
    /// Location of the `parameters` array, if present.
    pub parameters_loc: Option<Loc>,
}

impl Source {
    pub fn kind(&self) -> &str {
        self.kind.as_ref().map_or("Attribute", |k| k.as_str())
    }

    pub fn name_str(&self) -> &str {
        self.name.as_ref().map_or("", |n| n.as_str())
    }

    /// The expression text of this source: its `expression` (authoritative:
    /// Entra stores and reads the text), or what `type`/`name`/`parameters` say when the text
    /// is missing (hand-written files). Rebuilding from `parameters` is best
    /// effort: empty arguments are not recorded there.
    pub fn expression_text(&self) -> String {
        self.expression_text_at(0)
    }

    fn expression_text_at(&self, depth: usize) -> String {
        if let Some(e) = &self.expression {
            return e.text.clone();
        }
        match self.kind() {
            "Constant" => crate::expr::printer::quote(self.name_str()),
            // Bounded by JSON nesting already; the guard keeps it obvious.
            "Function" if depth < 256 => {
                let args: Vec<String> = self
                    .parameters
                    .iter()
                    .filter_map(|p| p.value.as_ref().map(|v| v.expression_text_at(depth + 1)))
                    .collect();
                format!("{}({})", self.name_str(), args.join(", "))
            }
            "Function" => format!("{}(…)", self.name_str()),
            _ => format!("[{}]", self.name_str()),
        }
    }
}

/// The `expression` string of a source: decoded text plus the span of the
/// JSON string literal it came from (to map expression offsets to file bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpressionText {
    pub text: String,
    pub loc: Loc,
}

#[derive(Debug, Default)]
pub struct Parameter {
    pub loc: Loc,
    pub key: Option<Spanned<String>>,
    pub value: Option<Source>,
}

/// `objectMapping.scope`: a scoping filter.
#[derive(Debug, Default)]
pub struct Filter {
    pub loc: Loc,
    pub groups: Vec<FilterGroup>,
}

#[derive(Debug, Default)]
pub struct FilterGroup {
    pub loc: Loc,
    /// Which array it came from: `groups`, `inputFilterGroups` or
    /// `categoryFilterGroups`.
    pub list: &'static str,
    pub name: Option<Spanned<String>>,
    pub clauses: Vec<FilterClause>,
}

#[derive(Debug, Default)]
pub struct FilterClause {
    pub loc: Loc,
    pub operator: Option<Spanned<String>>,
    pub source_operand: Option<Spanned<String>>,
    pub values: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Default)]
pub struct KeyValue {
    pub loc: Loc,
    pub key: Option<Spanned<String>>,
    pub value: Option<Spanned<String>>,
}

#[derive(Debug, Default)]
pub struct Directory {
    pub loc: Loc,
    pub name: Option<Spanned<String>>,
    pub objects: Vec<ObjectDef>,
}

impl Directory {
    pub fn name_str(&self) -> &str {
        self.name.as_ref().map_or("", |n| n.as_str())
    }

    pub fn object(&self, name: &str) -> Option<&ObjectDef> {
        self.objects.iter().find(|o| o.name_str() == name)
    }
}

#[derive(Debug, Default)]
pub struct ObjectDef {
    pub loc: Loc,
    pub name: Option<Spanned<String>>,
    pub attributes: Vec<AttributeDef>,
    /// Location of the `attributes` array (the object itself when missing):
    /// where new attribute definitions are inserted.
    pub attributes_loc: Loc,
    /// `(hash of the name, index)` of every attribute, sorted: lookups
    /// without a copy of every name, and without comparing long names that
    /// share a prefix (`urn:ietf:params:scim:schemas:extension:…`) at every
    /// step of a binary search.
    by_name: Vec<(u64, usize)>,
}

impl ObjectDef {
    pub fn name_str(&self) -> &str {
        self.name.as_ref().map_or("", |n| n.as_str())
    }

    /// Exact (case-sensitive) lookup, as Entra matches names.
    pub fn attribute(&self, name: &str) -> Option<&AttributeDef> {
        let hash = name_hash(name);
        let at = self.by_name.partition_point(|&(h, _)| h < hash);
        // Equal hashes are in index order, so the first definition wins.
        self.by_name[at..]
            .iter()
            .take_while(|&&(h, _)| h == hash)
            .map(|&(_, i)| &self.attributes[i])
            .find(|a| a.name_str() == name)
    }

    /// A case-insensitive match, for "did you mean" on a case-only typo.
    pub fn attribute_ignoring_case(&self, name: &str) -> Option<&AttributeDef> {
        self.attributes.iter().find(|a| a.name_str().eq_ignore_ascii_case(name))
    }

    pub fn anchor(&self) -> Option<&AttributeDef> {
        self.attributes.iter().find(|a| a.anchor)
    }

    fn index(&mut self) {
        let mut by_name: Vec<(u64, usize)> = (self.attributes.iter().enumerate())
            .map(|(i, a)| (name_hash(a.name_str()), i))
            .collect();
        by_name.sort_unstable();
        self.by_name = by_name;
    }
}

fn name_hash(name: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(name)
}

#[derive(Debug, Default)]
pub struct AttributeDef {
    pub loc: Loc,
    pub name: Option<Spanned<String>>,
    /// `type`, default `String`.
    pub kind: Option<Spanned<String>>,
    pub mutability: Option<Spanned<String>>,
    pub anchor: bool,
    pub required: bool,
    pub multivalued: bool,
    pub metadata: Vec<KeyValue>,
    pub referenced_objects: Vec<Spanned<String>>,
}

impl AttributeDef {
    pub fn name_str(&self) -> &str {
        self.name.as_ref().map_or("", |n| n.as_str())
    }

    pub fn kind(&self) -> &str {
        self.kind.as_ref().map_or("String", |k| k.as_str())
    }

    /// The declared type as the expression equivalence checker needs it.
    /// An unknown `type` counts as String: every value is text.
    pub fn value_type(&self) -> crate::expr::AttrType {
        use crate::expr::AttrKind;
        let kind = match self.kind() {
            "Boolean" => AttrKind::Boolean,
            "Integer" => AttrKind::Integer,
            "DateTime" => AttrKind::DateTime,
            "Reference" => AttrKind::Reference,
            "Binary" => AttrKind::Binary,
            _ => AttrKind::String,
        };
        crate::expr::AttrType {
            kind,
            required: self.required,
            multivalued: self.multivalued,
        }
    }
}

impl Schema {
    pub fn directory(&self, name: &str) -> Option<&Directory> {
        self.directories.iter().find(|d| d.name_str() == name)
    }

    /// Every object mapping with the rule it belongs to.
    pub fn object_mappings(&self) -> impl Iterator<Item = (&SyncRule, &ObjectMapping)> {
        self.rules
            .iter()
            .flat_map(|r| r.object_mappings.iter().map(move |m| (r, m)))
    }

    /// Every pair of attribute mappings of one object mapping that share a key
    /// (see [`ObjectMapping::repeated_by`]).
    pub fn repeated_mappings<'a, K: std::hash::Hash + Eq>(
        &'a self,
        key: impl Fn(&'a AttributeMapping) -> Option<K> + Copy,
    ) -> Vec<Repeated<'a>> {
        self.object_mappings()
            .flat_map(|(_, mapping)| {
                mapping
                    .repeated_by(key)
                    .into_iter()
                    .map(move |(first, duplicate)| Repeated {
                        mapping,
                        first,
                        duplicate,
                    })
            })
            .collect()
    }

    /// The source and target object definitions of an object mapping, when
    /// the file defines them.
    pub fn objects_of<'a>(
        &'a self,
        rule: &SyncRule,
        mapping: &ObjectMapping,
    ) -> (Option<&'a ObjectDef>, Option<&'a ObjectDef>) {
        let find = |dir: &Option<Spanned<String>>, obj: &Option<Spanned<String>>| {
            self.directory(dir.as_ref()?.as_str())?.object(obj.as_ref()?.as_str())
        };
        (
            find(&rule.source_directory, &mapping.source_object),
            find(&rule.target_directory, &mapping.target_object),
        )
    }
}

/// Two attribute mappings of one object mapping that share a key (a target, a matching
/// precedence), found by [`Schema::repeated_mappings`].
#[derive(Debug, Clone, Copy)]
pub struct Repeated<'a> {
    /// The object mapping both belong to.
    pub mapping: &'a ObjectMapping,
    /// The first with the key, in file order.
    pub first: &'a AttributeMapping,
    /// A later one with the same key.
    pub duplicate: &'a AttributeMapping,
}

/// Known values of the open enumerations. Values
/// outside these lists are reported by `unknown-enum-value`, never rejected.
pub mod known {
    pub const FLOW_TYPES: &[&str] = &[
        "Always",
        "ObjectAddOnly",
        "MultiValueAddOnly",
        "ValueAddOnly",
        "AttributeAddOnly",
    ];
    pub const FLOW_BEHAVIORS: &[&str] = &["FlowWhenChanged", "FlowAlways"];
    pub const SOURCE_TYPES: &[&str] = &["Attribute", "Constant", "Function"];
    pub const ATTRIBUTE_TYPES: &[&str] = &["String", "Integer", "Reference", "Binary", "Boolean", "DateTime"];
    pub const MUTABILITIES: &[&str] = &["ReadWrite", "ReadOnly", "Immutable", "WriteOnly"];
    pub const OBJECT_FLOW_TYPES: &[&str] = &["None", "Add", "Update", "Delete"];
    /// Operators advertised by the `filterOperators` API, then the portal-only
    /// spellings (matched case-insensitively).
    pub const FILTER_OPERATORS: &[&str] = &[
        "EQUALS",
        "NOT EQUALS",
        "REGEX MATCH",
        "NOT REGEX MATCH",
        "IS NULL",
        "IS NOT NULL",
        "IS TRUE",
        "IS FALSE",
        "&",
        "!&",
        "ENDS_WITH",
        "Greater_Than",
        "Greater_Than_OR_EQUALS",
        "Includes",
    ];
}
