//! The normalised mapping table of an export (or of a reference), built once
//! and then compared with [`super::compare`].
//!
//! Everything that does not change what Entra does is normalised away here,
//! so that the comparison itself can be plain equality (plus the equivalence
//! check for sources): sources become canonical expression text, `flowTypes`
//! a set, `scope` a sorted text form, `""` and `null` defaults the same
//! "no default". What cannot be normalised — the JSON Pointer each fact came
//! from — is kept next to it, for the report.

use crate::expr::{self, AttrType, Expr};
use crate::model::{self, AttributeDef, AttributeMapping, ObjectMapping, Schema, SyncRule};
use crate::secrets::{self, Secret};
use std::collections::HashMap;

/// A fact with the JSON Pointer it was read from (`None` when it came from
/// somewhere that has no pointer: a default, a reference profile).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub pointer: Option<String>,
}

impl<T> Located<T> {
    pub fn new(value: T, pointer: Option<String>) -> Located<T> {
        Located { value, pointer }
    }
}

/// Declared types of a source object's attributes, by name.
pub type SourceTypes = HashMap<String, AttrType>;

/// The mapping tables of one export or reference: one [`ObjectTable`] per
/// object mapping, in document order.
#[derive(Debug, Clone, Default)]
pub struct MappingTable {
    /// What the table is called in reports: the file name, or the profile.
    pub label: String,
    pub objects: Vec<ObjectTable>,
    /// Whether object mappings of the other table missing here are
    /// differences (false for a reference that describes only some objects).
    pub exhaustive_objects: bool,
}

/// One object mapping, normalised.
///
/// A table built from an export knows every fact. A reference table (a
/// profile) may leave some unspecified: those are `None` or flagged as not
/// exhaustive, and the comparison then does not report them.
#[derive(Debug, Clone, Default)]
pub struct ObjectTable {
    /// The object mapping's `name` (a label only; never compared).
    pub name: Option<String>,
    /// `sourceObjectName`: what object mappings are matched by.
    pub source_object: String,
    /// `targetObjectName`.
    pub target_object: String,
    /// Other target object names that count as the same target (a profile
    /// accepts `User` and the SCIM URNs alike).
    pub target_aliases: Vec<String>,
    /// Pointer to the object mapping.
    pub pointer: Option<String>,
    /// A reference object that need not be present: its absence is no
    /// difference.
    pub optional: bool,
    pub enabled: Option<Located<bool>>,
    pub flow_types: Option<Located<FlowTypes>>,
    /// Normalised scoping filter; the inner `None` means "no filter".
    pub scope: Option<Located<Option<String>>>,
    /// The attribute mappings, sorted by target (then document order).
    pub rows: Vec<Row>,
    /// Whether rows of the other table missing here are differences
    /// (false for a reference that ignores mappings it does not list).
    pub exhaustive_rows: bool,
    /// Attribute definitions of the target object, sorted by name.
    pub target_attributes: Vec<TargetAttribute>,
    /// Whether the list above is the target object's complete list (false
    /// for a reference that only names the definitions it requires).
    pub exhaustive_attributes: bool,
    /// Declared types of the source object's attributes, for the
    /// equivalence check; `None` when this table cannot know them.
    pub source_types: Option<SourceTypes>,
}

impl ObjectTable {
    /// `User → urn:…:User`.
    pub fn title(&self) -> String {
        format!(
            "{} → {}",
            display_name(&self.source_object),
            display_name(&self.target_object)
        )
    }

    /// Whether `name` is this object mapping's target object.
    pub fn accepts_target(&self, name: &str) -> bool {
        self.target_object == name || self.target_aliases.iter().any(|t| t == name)
    }
}

fn display_name(name: &str) -> &str {
    if name.is_empty() { "(unnamed)" } else { name }
}

/// The object flow types (`flowTypes`) as a set, in the order
/// Add, Update, Delete, then any unknown flag alphabetically.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FlowTypes(pub Vec<String>);

impl FlowTypes {
    /// Normalises flags as written (`"Add, Update"`, `"Add,Update"`, any
    /// order, known names in any case). No flag at all, or only `None`,
    /// is `None`.
    pub fn normalise<'a>(flags: impl IntoIterator<Item = &'a str>) -> FlowTypes {
        const ORDER: [&str; 3] = ["Add", "Update", "Delete"];
        let mut known = [false; 3];
        let mut unknown: Vec<String> = Vec::new();
        for flag in flags.into_iter().map(str::trim).filter(|f| !f.is_empty()) {
            match ORDER.iter().position(|k| k.eq_ignore_ascii_case(flag)) {
                Some(i) => known[i] = true,
                None if flag.eq_ignore_ascii_case("None") => {}
                None => unknown.push(flag.to_string()),
            }
        }
        unknown.sort();
        unknown.dedup();
        let mut out: Vec<String> = ORDER
            .iter()
            .zip(known)
            .filter(|(_, on)| *on)
            .map(|(k, _)| k.to_string())
            .collect();
        out.extend(unknown);
        if out.is_empty() {
            out.push("None".into());
        }
        FlowTypes(out)
    }
}

impl std::fmt::Display for FlowTypes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join(", "))
    }
}

/// One attribute mapping: `target ← source (flow, matching, default)`.
#[derive(Debug, Clone)]
pub struct Row {
    /// `targetAttributeName`.
    pub target: String,
    /// Canonical source expression; `None` for a mapping without a source
    /// (the portal's "None" type). An expression that does not parse is kept
    /// as written (trimmed).
    pub source: Option<String>,
    /// `flowType` (default `Always`).
    pub flow: String,
    /// Matching precedence, when the row is a matching attribute (> 0).
    pub matching: Option<i64>,
    /// `defaultValue`; `""` counts as no default, as the portal writes `""`
    /// for every row edited without one.
    pub default: Option<String>,
    /// Pointer to the attribute mapping.
    pub pointer: Option<String>,
    /// The parsed source, for the equivalence check.
    pub parsed: Option<Expr>,
    /// A profile row that accepts any source (a row without `source:`).
    pub any_source: bool,
}

impl Row {
    /// `userName ← [mail] (Always, matching 1)`.
    pub fn describe(&self) -> String {
        format!(
            "{} ← {} {}",
            self.target,
            self.source.as_deref().unwrap_or("(none)"),
            self.details()
        )
    }

    /// The parenthesised part of [`Row::describe`]: `(Always, matching 1)`.
    pub fn details(&self) -> String {
        let mut parts = vec![self.flow.clone()];
        if let Some(p) = self.matching {
            parts.push(format!("matching {p}"));
        }
        if let Some(d) = &self.default {
            parts.push(format!("default {}", expr::printer::quote(d)));
        }
        format!("({})", parts.join(", "))
    }
}

/// An attribute definition of a target object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetAttribute {
    pub name: String,
    /// `type` (default `String`).
    pub kind: String,
    pub required: bool,
    pub multivalued: bool,
    pub pointer: Option<String>,
}

impl TargetAttribute {
    /// `name: String, required, multivalued`.
    pub fn describe(&self) -> String {
        let mut s = format!("{}: {}", self.name, self.kind);
        if self.required {
            s.push_str(", required");
        }
        if self.multivalued {
            s.push_str(", multivalued");
        }
        s
    }

    /// Same definition, ignoring where it is.
    pub fn same_definition(&self, other: &TargetAttribute) -> bool {
        (&self.kind, self.required, self.multivalued) == (&other.kind, other.required, other.multivalued)
    }
}

impl MappingTable {
    /// The table of an export. Every fact is known and carries its pointer.
    pub fn from_schema(label: impl Into<String>, schema: &Schema) -> MappingTable {
        MappingTable {
            label: label.into(),
            objects: schema
                .object_mappings()
                .map(|(rule, om)| object_table(schema, rule, om))
                .collect(),
            exhaustive_objects: true,
        }
    }

    /// Masks credentials found in the export (`secrets` from
    /// [`secrets::scan`] over `text`) in every source and default, so that no
    /// report shows them. A masked source is no longer compared semantically.
    pub fn redact(&mut self, text: &str, found: &[Secret]) {
        let masker = secrets::Masker::new(found, text);
        for object in &mut self.objects {
            object.name.iter_mut().for_each(|n| masker.mask_in_place(n));
            masker.mask_in_place(&mut object.source_object);
            masker.mask_in_place(&mut object.target_object);
            for attribute in &mut object.target_attributes {
                masker.mask_in_place(&mut attribute.name);
                masker.mask_in_place(&mut attribute.kind);
            }
            for row in &mut object.rows {
                masker.mask_in_place(&mut row.target);
                masker.mask_in_place(&mut row.flow);
                let inside = |field: &str| {
                    let Some(pointer) = &row.pointer else { return false };
                    let base = format!("{pointer}/{field}");
                    found
                        .iter()
                        .any(|s| s.pointer == base || s.pointer.starts_with(&format!("{base}/")))
                };
                let (in_source, in_default) = (inside("source"), inside("defaultValue"));
                if mask_field(&masker, &mut row.source, in_source) {
                    row.parsed = None;
                }
                mask_field(&masker, &mut row.default, in_default);
            }
            if let Some(Located { value: Some(scope), .. }) = &mut object.scope {
                masker.mask_in_place(scope);
            }
        }
    }
}

/// Masks a row's value; one that holds a credential the masker did not
/// find in it (a whole value under a secret-like key) is hidden whole.
/// Returns whether the value changed.
fn mask_field(masker: &secrets::Masker, value: &mut Option<String>, holds_secret: bool) -> bool {
    let Some(value) = value else { return false };
    let masked = masker.mask(value).into_owned();
    if masked == *value && !holds_secret {
        return false;
    }
    *value = if masked != *value { masked } else { secrets::MASK.into() };
    true
}

fn object_table(schema: &Schema, rule: &SyncRule, om: &ObjectMapping) -> ObjectTable {
    let (source_def, target_def) = schema.objects_of(rule, om);
    // An object the file does not define (a trimmed export without
    // `directories`) has unknown types and an unknown attribute list, not
    // empty ones: the comparison then relies on the other side alone.
    let source_types: Option<SourceTypes> = source_def.map(|def| {
        def.attributes
            .iter()
            .map(|a| (a.name_str().to_string(), a.value_type()))
            .collect()
    });
    let mut rows: Vec<Row> = om.attribute_mappings.iter().map(row).collect();
    // Stable: rows with the same target keep document order.
    rows.sort_by(|a, b| sort_key(&a.target).cmp(&sort_key(&b.target)));
    let mut target_attributes: Vec<TargetAttribute> = target_def
        .map(|def| def.attributes.iter().map(target_attribute).collect())
        .unwrap_or_default();
    target_attributes.sort_by(|a, b| sort_key(&a.name).cmp(&sort_key(&b.name)));
    let pointer_of = |field: Option<&model::Loc>| Some(field.map_or(&om.loc, |l| l).pointer.clone());
    ObjectTable {
        name: om.name.as_ref().map(|n| n.value.clone()),
        source_object: om.source_object_name().to_string(),
        target_object: om.target_object_name().to_string(),
        target_aliases: Vec::new(),
        pointer: Some(om.loc.pointer.clone()),
        optional: false,
        enabled: Some(Located::new(
            om.is_enabled(),
            pointer_of(om.enabled.as_ref().map(|e| &e.loc)),
        )),
        flow_types: Some(Located::new(
            FlowTypes::normalise(om.flow_type_flags()),
            pointer_of(om.flow_types.as_ref().map(|f| &f.loc)),
        )),
        scope: Some(Located::new(
            om.scope.as_ref().and_then(scope_text),
            pointer_of(om.scope.as_ref().map(|s| &s.loc)),
        )),
        rows,
        exhaustive_rows: true,
        target_attributes,
        exhaustive_attributes: target_def.is_some(),
        source_types,
    }
}

/// Case-insensitive first, so `active` sorts next to `Active`; exact order
/// breaks ties.
pub(super) fn sort_key(name: &str) -> (String, &str) {
    (name.to_lowercase(), name)
}

fn row(am: &AttributeMapping) -> Row {
    let (source, parsed) = match &am.source {
        None => (None, None),
        Some(src) => {
            let text = src.expression_text();
            match expr::parse(&text) {
                Ok(tree) => (Some(expr::print(&tree)), Some(tree)),
                Err(_) => (Some(text.trim().to_string()), None),
            }
        }
    };
    Row {
        target: am.target_name().to_string(),
        source,
        flow: am.flow_type().to_string(),
        matching: am.is_matching().then(|| am.matching_priority()),
        default: am
            .default_value
            .as_ref()
            .map(|d| d.value.clone())
            .filter(|d| !d.is_empty()),
        pointer: Some(am.loc.pointer.clone()),
        parsed,
        any_source: false,
    }
}

fn target_attribute(def: &AttributeDef) -> TargetAttribute {
    TargetAttribute {
        name: def.name_str().to_string(),
        kind: def.kind().to_string(),
        required: def.required,
        multivalued: def.multivalued,
        pointer: Some(def.loc.pointer.clone()),
    }
}

/// A scoping filter as one line: groups are OR-ed and clauses AND-ed, so
/// both are sorted; group names are titles and do not count. `None` when the
/// filter has no clause at all (the same as `"scope": null`).
fn scope_text(filter: &model::Filter) -> Option<String> {
    let mut groups: Vec<String> = filter
        .groups
        .iter()
        .map(|g| {
            let mut clauses: Vec<String> = g
                .clauses
                .iter()
                .map(|c| {
                    let operand = c.source_operand.as_ref().map_or("", |s| s.as_str());
                    let operator = c.operator.as_ref().map_or("", |s| s.as_str()).trim().to_uppercase();
                    let values: Vec<String> = c.values.iter().map(|v| expr::printer::quote(&v.value)).collect();
                    match values.as_slice() {
                        [] => format!("{operand} {operator}"),
                        [one] => format!("{operand} {operator} {one}"),
                        many => format!("{operand} {operator} [{}]", many.join(", ")),
                    }
                })
                .collect();
            clauses.sort();
            let body = clauses.join(" AND ");
            match g.list {
                "groups" => format!("({body})"),
                list => format!("{list}: ({body})"),
            }
        })
        .collect();
    groups.sort();
    groups.dedup();
    (!groups.is_empty()).then(|| groups.join(" OR "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> MappingTable {
        let root = crate::json::parse(text).unwrap();
        MappingTable::from_schema("t.json", &model::build(&root))
    }

    #[test]
    fn rows_are_normalised_and_located() {
        let t = table(
            r#"{"synchronizationRules": [{"objectMappings": [{
                "sourceObjectName": "User", "targetObjectName": "U", "flowTypes": "Update,Add",
                "attributeMappings": [
                  {"targetAttributeName": "b", "defaultValue": "",
                   "source": {"type": "Function", "expression": "Join( \" \",[x],\n[y] )"}},
                  {"targetAttributeName": "a", "matchingPriority": 1, "source": {"type": "Attribute", "name": "mail"}},
                  {"targetAttributeName": "c", "source": {"type": "Constant", "name": "say \"hi\""}, "defaultValue": "d"},
                  {"targetAttributeName": "d", "source": null, "flowType": "ObjectAddOnly"}
                ]}]}]}"#,
        );
        let om = &t.objects[0];
        assert_eq!(om.title(), "User → U");
        assert_eq!(om.flow_types.as_ref().unwrap().value.to_string(), "Add, Update");
        let described: Vec<String> = om.rows.iter().map(Row::describe).collect();
        assert_eq!(
            described,
            [
                "a ← [mail] (Always, matching 1)",
                r#"b ← Join(" ", [x], [y]) (Always)"#,
                r#"c ← "say \"hi\"" (Always, default "d")"#,
                "d ← (none) (ObjectAddOnly)",
            ]
        );
        assert_eq!(
            om.rows[0].pointer.as_deref(),
            Some("/synchronizationRules/0/objectMappings/0/attributeMappings/1")
        );
        // No directories: types and target attributes are unknown, not empty.
        assert!(om.source_types.is_none());
        assert!(!om.exhaustive_attributes);
    }

    #[test]
    fn flow_types_are_a_set() {
        let n = |s: &str| FlowTypes::normalise(s.split(',')).to_string();
        assert_eq!(n("Delete, add ,Update"), "Add, Update, Delete");
        assert_eq!(n("Add,Add"), "Add");
        assert_eq!(n(""), "None");
        assert_eq!(n("None"), "None");
        assert_eq!(n("Add,Frobnicate"), "Add, Frobnicate");
    }

    #[test]
    fn scope_ignores_order_and_titles() {
        let scoped = |groups: &str| {
            let t = table(&format!(
                r#"{{"synchronizationRules": [{{"objectMappings": [{{"scope": {{"groups": {groups}}}}}]}}]}}"#
            ));
            t.objects[0].scope.clone().unwrap().value
        };
        let a = scoped(
            r#"[{"name": "one", "clauses": [
                 {"operatorName": "EQUALS", "sourceOperandName": "department", "targetOperand": {"values": ["IT"]}},
                 {"operatorName": "IS TRUE", "sourceOperandName": "accountEnabled", "targetOperand": null}]},
               {"name": "two", "clauses": [{"operatorName": "REGEX MATCH", "sourceOperandName": "mail", "targetOperand": {"values": [".*"]}}]}]"#,
        );
        let b = scoped(
            r#"[{"name": "other title", "clauses": [{"operatorName": "regex match", "sourceOperandName": "mail", "targetOperand": {"values": [".*"]}}]},
               {"name": "x", "clauses": [
                 {"operatorName": "IS TRUE", "sourceOperandName": "accountEnabled"},
                 {"operatorName": "EQUALS", "sourceOperandName": "department", "targetOperand": {"values": ["IT"]}}]}]"#,
        );
        assert_eq!(a, b);
        assert_eq!(
            a.as_deref(),
            Some(r#"(accountEnabled IS TRUE AND department EQUALS "IT") OR (mail REGEX MATCH ".*")"#)
        );
        assert_eq!(scoped("[]"), None);
    }

    #[test]
    fn secrets_are_masked() {
        let text = r#"{"synchronizationRules": [{"objectMappings": [{"attributeMappings": [
            {"targetAttributeName": "t", "source": {"type": "Constant", "name": "x", "expression": "\"Bearer abcdefghijklmnopqrstuvwxyz0123\""}}
        ]}]}]}"#;
        let root = crate::json::parse(text).unwrap();
        let mut t = MappingTable::from_schema("t.json", &model::build(&root));
        t.redact(text, &secrets::scan(&root));
        let row = &t.objects[0].rows[0];
        assert!(!row.source.as_ref().unwrap().contains("abcdefghijklmnop"), "{row:?}");
        assert!(row.parsed.is_none());
    }
}
