//! The JSON diff document (`--format json`), described by
//! `schemas/diff.schema.json`. Version 1; fields are only ever added.

use super::compare::{RowChange, RowValue, SettingValue, Summary, TableDiff};
use super::table::TargetAttribute;
use serde::Serialize;
use std::io::{self, Write};

/// The JSON format's version (`"version"`).
pub const VERSION: u32 = 1;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Document<'a> {
    version: u32,
    a: &'a str,
    b: &'a str,
    equal: bool,
    object_mappings: Vec<ObjectJson<'a>>,
    attributes: AttributesJson<'a>,
    summary: SummaryJson,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ObjectJson<'a> {
    source: &'a str,
    target: &'a str,
    status: &'static str,
    pointer_a: Option<&'a str>,
    pointer_b: Option<&'a str>,
    added: Vec<RowJson<'a>>,
    removed: Vec<RowJson<'a>>,
    changed: Vec<RowJson<'a>>,
    equivalent: Vec<EquivalentJson<'a>>,
    unchanged: usize,
    changes: Vec<SettingJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    high_impact: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RowJson<'a> {
    target: &'a str,
    old: Option<RowValueJson<'a>>,
    new: Option<RowValueJson<'a>>,
    pointer_a: Option<&'a str>,
    pointer_b: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fields: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    high_impact: Option<&'static str>,
}

#[derive(Serialize)]
struct RowValueJson<'a> {
    source: Option<&'a str>,
    flow: &'a str,
    matching: Option<i64>,
    default: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EquivalentJson<'a> {
    target: &'a str,
    source_a: &'a str,
    source_b: &'a str,
    pointer_a: Option<&'a str>,
    pointer_b: Option<&'a str>,
    note: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SettingJson<'a> {
    setting: &'static str,
    old: serde_json::Value,
    new: serde_json::Value,
    pointer_a: Option<&'a str>,
    pointer_b: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    high_impact: Option<&'static str>,
}

#[derive(Serialize, Default)]
struct AttributesJson<'a> {
    added: Vec<AttributeJson<'a>>,
    removed: Vec<AttributeJson<'a>>,
    changed: Vec<AttributeChangeJson<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AttributeJson<'a> {
    object: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    required: bool,
    multivalued: bool,
    pointer: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AttributeChangeJson<'a> {
    object: &'a str,
    name: &'a str,
    old: DefinitionJson<'a>,
    new: DefinitionJson<'a>,
    pointer_a: Option<&'a str>,
    pointer_b: Option<&'a str>,
}

#[derive(Serialize)]
struct DefinitionJson<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    required: bool,
    multivalued: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SummaryJson {
    object_mappings: usize,
    object_mappings_changed: usize,
    object_mappings_added: usize,
    object_mappings_removed: usize,
    rows_added: usize,
    rows_removed: usize,
    rows_changed: usize,
    rows_unchanged: usize,
    rows_equivalent: usize,
    settings_changed: usize,
    attributes_added: usize,
    attributes_removed: usize,
    attributes_changed: usize,
    high_impact: usize,
}

impl From<Summary> for SummaryJson {
    fn from(s: Summary) -> SummaryJson {
        SummaryJson {
            object_mappings: s.object_mappings,
            object_mappings_changed: s.object_mappings_changed,
            object_mappings_added: s.object_mappings_added,
            object_mappings_removed: s.object_mappings_removed,
            rows_added: s.rows_added,
            rows_removed: s.rows_removed,
            rows_changed: s.rows_changed,
            rows_unchanged: s.rows_unchanged,
            rows_equivalent: s.rows_equivalent,
            settings_changed: s.settings_changed,
            attributes_added: s.attributes_added,
            attributes_removed: s.attributes_removed,
            attributes_changed: s.attributes_changed,
            high_impact: 0,
        }
    }
}

fn row_value(v: &RowValue) -> RowValueJson<'_> {
    RowValueJson {
        source: v.source.as_deref(),
        flow: &v.flow,
        matching: v.matching,
        default: v.default.as_deref(),
    }
}

fn row(c: &RowChange) -> RowJson<'_> {
    RowJson {
        target: &c.target,
        old: c.old.as_ref().map(row_value),
        new: c.new.as_ref().map(row_value),
        pointer_a: c.pointer_a.as_deref(),
        pointer_b: c.pointer_b.as_deref(),
        fields: c.fields.clone(),
        note: c.note.as_deref(),
        high_impact: super::impact::of_row(c).map(super::impact::Impact::code),
    }
}

fn setting_value(v: &SettingValue) -> serde_json::Value {
    match v {
        SettingValue::Bool(b) => (*b).into(),
        SettingValue::Text(t) => t.as_str().into(),
        SettingValue::List(l) => l.clone().into(),
        SettingValue::Absent => serde_json::Value::Null,
    }
}

fn attribute<'a>(object: &'a str, a: &'a TargetAttribute) -> AttributeJson<'a> {
    AttributeJson {
        object,
        name: &a.name,
        kind: &a.kind,
        required: a.required,
        multivalued: a.multivalued,
        pointer: a.pointer.as_deref(),
    }
}

fn definition(a: &TargetAttribute) -> DefinitionJson<'_> {
    DefinitionJson {
        kind: &a.kind,
        required: a.required,
        multivalued: a.multivalued,
    }
}

/// The document as a JSON value (for tests and embedding).
pub fn to_value(diff: &TableDiff) -> serde_json::Value {
    serde_json::to_value(document(diff)).expect("the diff document is always serialisable")
}

fn document<'a>(diff: &'a TableDiff) -> Document<'a> {
    let mut attributes = AttributesJson::default();
    let objects = diff
        .objects
        .iter()
        .map(|o| {
            let changes = &o.attributes;
            attributes
                .added
                .extend(changes.added.iter().map(|a| attribute(&changes.object_b, a)));
            attributes
                .removed
                .extend(changes.removed.iter().map(|a| attribute(&changes.object_a, a)));
            attributes
                .changed
                .extend(changes.changed.iter().map(|(old, new)| AttributeChangeJson {
                    object: &changes.object_a,
                    name: &old.name,
                    old: definition(old),
                    new: definition(new),
                    pointer_a: old.pointer.as_deref(),
                    pointer_b: new.pointer.as_deref(),
                }));
            // An object mapping on one side only is marked as a whole, its
            // rows are not (as in the human diff).
            let one_sided = super::impact::of_object(o);
            let rows = |list: &'a [RowChange]| -> Vec<RowJson<'a>> {
                list.iter()
                    .map(|c| RowJson {
                        high_impact: if one_sided.is_some() { None } else { row(c).high_impact },
                        ..row(c)
                    })
                    .collect()
            };
            ObjectJson {
                source: &o.source_object,
                target: &o.target_object,
                status: o.status.as_str(),
                pointer_a: o.pointer_a.as_deref(),
                pointer_b: o.pointer_b.as_deref(),
                added: rows(&o.added),
                removed: rows(&o.removed),
                changed: rows(&o.changed),
                equivalent: o
                    .equivalent
                    .iter()
                    .map(|e| EquivalentJson {
                        target: &e.target,
                        source_a: &e.source_a,
                        source_b: &e.source_b,
                        pointer_a: e.pointer_a.as_deref(),
                        pointer_b: e.pointer_b.as_deref(),
                        note: &e.note,
                    })
                    .collect(),
                unchanged: o.unchanged,
                changes: o
                    .settings
                    .iter()
                    .map(|s| SettingJson {
                        setting: s.setting.key(),
                        old: setting_value(&s.old),
                        new: setting_value(&s.new),
                        pointer_a: s.pointer_a.as_deref(),
                        pointer_b: s.pointer_b.as_deref(),
                        high_impact: super::impact::of_setting(s).map(super::impact::Impact::code),
                    })
                    .collect(),
                high_impact: one_sided.map(super::impact::Impact::code),
            }
        })
        .collect();
    let summary = diff.summary();
    let mut summary_json = SummaryJson::from(summary);
    summary_json.high_impact = super::impact::count(diff);
    Document {
        version: VERSION,
        a: &diff.a,
        b: &diff.b,
        equal: summary.is_equal(),
        object_mappings: objects,
        attributes,
        summary: summary_json,
    }
}

/// Writes the document, pretty-printed, with a final newline.
pub fn render(diff: &TableDiff, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(diff))?;
    writeln!(out)
}
