//! Comparing two [`MappingTable`]s: pairing object mappings and rows, deciding
//! what changed, and laying out both normalised tables line by line for the
//! unified diff.

use super::table::{Located, MappingTable, ObjectTable, Row, SourceTypes, TargetAttribute, sort_key};
use crate::expr::{self, Equivalence, Expr};
use std::collections::BTreeMap;

/// Everything that differs between table A (old) and table B (new).
#[derive(Debug, Clone)]
pub struct TableDiff {
    /// Label of A (a file name).
    pub a: String,
    /// Label of B (a file name or a profile).
    pub b: String,
    /// One entry per object mapping of either side: A's order, then those
    /// only in B.
    pub objects: Vec<ObjectDiff>,
}

/// How an object mapping compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectStatus {
    /// In both, no difference.
    Equal,
    /// In both, with differences.
    Changed,
    /// Only in B.
    Added,
    /// Only in A.
    Removed,
}

impl ObjectStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectStatus::Equal => "equal",
            ObjectStatus::Changed => "changed",
            ObjectStatus::Added => "added",
            ObjectStatus::Removed => "removed",
        }
    }
}

/// The comparison of one object mapping (or one that exists on one side).
#[derive(Debug, Clone)]
pub struct ObjectDiff {
    pub source_object: String,
    /// A's target object (B's when only B has the mapping).
    pub target_object: String,
    /// `User → urn:…:User`.
    pub title: String,
    pub status: ObjectStatus,
    pub pointer_a: Option<String>,
    pub pointer_b: Option<String>,
    /// Rows only in B.
    pub added: Vec<RowChange>,
    /// Rows only in A.
    pub removed: Vec<RowChange>,
    /// Rows of the same target that differ in source, flow, matching or default.
    pub changed: Vec<RowChange>,
    /// Rows whose sources differ in text but are provably equivalent (they
    /// count as unchanged).
    pub equivalent: Vec<EquivalentRow>,
    /// Rows in both and equal (the equivalent ones included).
    pub unchanged: usize,
    /// Object-mapping level changes.
    pub settings: Vec<SettingChange>,
    /// Target attribute definitions added, removed or changed.
    pub attributes: AttributeChanges,
    /// A's normalised table as compared, one line per fact.
    pub table_a: Vec<String>,
    /// B's normalised table, aligned with A's: facts B leaves unspecified
    /// and sources equivalent to A's are shown as in A.
    pub table_b: Vec<String>,
}

impl ObjectDiff {
    pub fn has_differences(&self) -> bool {
        self.status != ObjectStatus::Equal
    }
}

/// The normalised value of a row, for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowValue {
    pub source: Option<String>,
    pub flow: String,
    pub matching: Option<i64>,
    pub default: Option<String>,
}

impl From<&Row> for RowValue {
    fn from(row: &Row) -> RowValue {
        RowValue {
            source: row.source.clone(),
            flow: row.flow.clone(),
            matching: row.matching,
            default: row.default.clone(),
        }
    }
}

/// An added, removed or changed row.
#[derive(Debug, Clone)]
pub struct RowChange {
    pub target: String,
    /// The row in A (`None` when added).
    pub old: Option<RowValue>,
    /// The row in B (`None` when removed).
    pub new: Option<RowValue>,
    pub pointer_a: Option<String>,
    pub pointer_b: Option<String>,
    /// For a changed row: which of `source`, `flow`, `matching`, `default` differ.
    pub fields: Vec<&'static str>,
    /// Why two different sources are not the same (a counterexample, or why
    /// equivalence could not be decided).
    pub note: Option<String>,
}

/// Two textually different sources that always give the same value.
#[derive(Debug, Clone)]
pub struct EquivalentRow {
    pub target: String,
    pub source_a: String,
    pub source_b: String,
    pub pointer_a: Option<String>,
    pub pointer_b: Option<String>,
    /// The attribute types the proof relied on.
    pub note: String,
}

/// An object-mapping level fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    TargetObject,
    Enabled,
    FlowTypes,
    Scope,
}

impl Setting {
    /// The JSON key it comes from.
    pub fn key(self) -> &'static str {
        match self {
            Setting::TargetObject => "targetObjectName",
            Setting::Enabled => "enabled",
            Setting::FlowTypes => "flowTypes",
            Setting::Scope => "scope",
        }
    }
}

/// The value of a [`Setting`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingValue {
    Bool(bool),
    Text(String),
    List(Vec<String>),
    /// No scoping filter.
    Absent,
}

impl std::fmt::Display for SettingValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SettingValue::Bool(b) => write!(f, "{b}"),
            SettingValue::Text(t) => f.write_str(t),
            SettingValue::List(l) => f.write_str(&l.join(", ")),
            SettingValue::Absent => f.write_str("(none)"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct SettingChange {
    pub setting: Setting,
    pub old: SettingValue,
    pub new: SettingValue,
    pub pointer_a: Option<String>,
    pub pointer_b: Option<String>,
}

/// Target attribute definition changes of one pair of target objects.
#[derive(Debug, Clone, Default)]
pub struct AttributeChanges {
    /// The target object in A and in B (names may differ).
    pub object_a: String,
    pub object_b: String,
    pub added: Vec<TargetAttribute>,
    pub removed: Vec<TargetAttribute>,
    /// `(old, new)`.
    pub changed: Vec<(TargetAttribute, TargetAttribute)>,
}

impl AttributeChanges {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Counts over a whole diff.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Object mappings on either side.
    pub object_mappings: usize,
    /// Object mappings with any difference (added and removed ones included).
    pub object_mappings_changed: usize,
    pub object_mappings_added: usize,
    pub object_mappings_removed: usize,
    pub rows_added: usize,
    pub rows_removed: usize,
    pub rows_changed: usize,
    pub rows_unchanged: usize,
    pub rows_equivalent: usize,
    pub settings_changed: usize,
    pub attributes_added: usize,
    pub attributes_removed: usize,
    pub attributes_changed: usize,
}

impl Summary {
    pub fn is_equal(&self) -> bool {
        self.object_mappings_changed == 0
            && self.attributes_added + self.attributes_removed + self.attributes_changed == 0
    }
}

impl TableDiff {
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            object_mappings: self.objects.len(),
            ..Summary::default()
        };
        for o in &self.objects {
            s.object_mappings_changed += usize::from(o.has_differences());
            s.object_mappings_added += usize::from(o.status == ObjectStatus::Added);
            s.object_mappings_removed += usize::from(o.status == ObjectStatus::Removed);
            s.rows_added += o.added.len();
            s.rows_removed += o.removed.len();
            s.rows_changed += o.changed.len();
            s.rows_unchanged += o.unchanged;
            s.rows_equivalent += o.equivalent.len();
            s.settings_changed += o.settings.len();
            s.attributes_added += o.attributes.added.len();
            s.attributes_removed += o.attributes.removed.len();
            s.attributes_changed += o.attributes.changed.len();
        }
        s
    }

    pub fn is_equal(&self) -> bool {
        self.summary().is_equal()
    }
}

/// Compares table A (old) with table B (new).
pub fn compare(a: &MappingTable, b: &MappingTable) -> TableDiff {
    let mut objects = Vec::new();
    // Two object mappings of the same pair of target objects share one list
    // of attribute definitions: report its changes once.
    let mut attributes_seen: Vec<(String, String)> = Vec::new();
    let mut budget = Proofs {
        pairs_left: EQUIVALENCE_BUDGET,
        prover: expr::equiv::Prover::default(),
    };
    for (oa, ob) in pair_objects(&a.objects, &b.objects) {
        let diff = match (oa, ob) {
            (Some(oa), Some(ob)) => {
                let mut d = compare_objects(oa, ob, &mut budget);
                let key = (oa.target_object.clone(), ob.target_object.clone());
                if attributes_seen.contains(&key) {
                    d.attributes = AttributeChanges::default();
                    d.status = status_of(&d);
                } else {
                    attributes_seen.push(key);
                }
                d
            }
            (Some(oa), None) if oa.optional || !b.exhaustive_objects => continue,
            (None, Some(ob)) if ob.optional || !a.exhaustive_objects => continue,
            (Some(oa), None) => one_sided(oa, ObjectStatus::Removed),
            (None, Some(ob)) => one_sided(ob, ObjectStatus::Added),
            (None, None) => continue,
        };
        objects.push(diff);
    }
    TableDiff {
        a: a.label.clone(),
        b: b.label.clone(),
        objects,
    }
}

/// Pairs object mappings: same source and target object first, then the
/// same source object, then the same target object. The result follows A's
/// order, with B's unpaired mappings at the end.
fn pair_objects<'a>(
    a: &'a [ObjectTable],
    b: &'a [ObjectTable],
) -> Vec<(Option<&'a ObjectTable>, Option<&'a ObjectTable>)> {
    let mut partner: Vec<Option<usize>> = vec![None; a.len()];
    let mut taken = vec![false; b.len()];
    let same_target =
        |x: &ObjectTable, y: &ObjectTable| x.accepts_target(&y.target_object) || y.accepts_target(&x.target_object);
    type Matcher<'m> = &'m dyn Fn(&ObjectTable, &ObjectTable) -> bool;
    let passes: [Matcher; 3] = [
        &|x, y| x.source_object == y.source_object && same_target(x, y),
        &|x, y| !x.source_object.is_empty() && x.source_object == y.source_object,
        &|x, y| !x.target_object.is_empty() && same_target(x, y),
    ];
    for matches in passes {
        for (i, oa) in a.iter().enumerate() {
            if partner[i].is_some() {
                continue;
            }
            if let Some(j) = (0..b.len()).find(|&j| !taken[j] && matches(oa, &b[j])) {
                partner[i] = Some(j);
                taken[j] = true;
            }
        }
    }
    let mut out: Vec<_> = a
        .iter()
        .zip(&partner)
        .map(|(oa, j)| (Some(oa), j.map(|j| &b[j])))
        .collect();
    out.extend(
        b.iter()
            .zip(&taken)
            .filter(|(_, t)| !**t)
            .map(|(ob, _)| (None, Some(ob))),
    );
    out
}

fn status_of(d: &ObjectDiff) -> ObjectStatus {
    let same = d.added.is_empty()
        && d.removed.is_empty()
        && d.changed.is_empty()
        && d.settings.is_empty()
        && d.attributes.is_empty();
    if same {
        ObjectStatus::Equal
    } else {
        ObjectStatus::Changed
    }
}

/// An object mapping present on one side only: every row is added or removed.
fn one_sided(o: &ObjectTable, status: ObjectStatus) -> ObjectDiff {
    let added = status == ObjectStatus::Added;
    let rows: Vec<RowChange> = o
        .rows
        .iter()
        .map(|r| RowChange {
            target: r.target.clone(),
            old: (!added).then(|| r.into()),
            new: added.then(|| r.into()),
            pointer_a: if added { None } else { r.pointer.clone() },
            pointer_b: if added { r.pointer.clone() } else { None },
            fields: Vec::new(),
            note: None,
        })
        .collect();
    let mut lines = Vec::new();
    for (setting, value) in settings_of(o) {
        lines.push(setting_line(setting, &value));
    }
    lines.push("mappings:".into());
    lines.extend(o.rows.iter().map(row_line));
    // Attribute definitions are only compared between paired object
    // mappings; listing them here would bury the rows.
    let (table_a, table_b) = if added {
        (Vec::new(), lines)
    } else {
        (lines, Vec::new())
    };
    ObjectDiff {
        source_object: o.source_object.clone(),
        target_object: o.target_object.clone(),
        title: o.title(),
        status,
        pointer_a: if added { None } else { o.pointer.clone() },
        pointer_b: if added { o.pointer.clone() } else { None },
        added: if added { rows.clone() } else { Vec::new() },
        removed: if added { Vec::new() } else { rows },
        changed: Vec::new(),
        equivalent: Vec::new(),
        unchanged: 0,
        settings: Vec::new(),
        attributes: AttributeChanges::default(),
        table_a,
        table_b,
    }
}

/// The known object-mapping settings of a table, in display order.
fn settings_of(o: &ObjectTable) -> Vec<(Setting, Located<SettingValue>)> {
    let mut out = Vec::new();
    if let Some(e) = &o.enabled {
        out.push((
            Setting::Enabled,
            Located::new(SettingValue::Bool(e.value), e.pointer.clone()),
        ));
    }
    if let Some(f) = &o.flow_types {
        out.push((
            Setting::FlowTypes,
            Located::new(SettingValue::List(f.value.0.clone()), f.pointer.clone()),
        ));
    }
    if let Some(s) = &o.scope {
        let value = s.value.clone().map_or(SettingValue::Absent, SettingValue::Text);
        out.push((Setting::Scope, Located::new(value, s.pointer.clone())));
    }
    out
}

fn setting_line(setting: Setting, value: &Located<SettingValue>) -> String {
    format!("{}: {}", setting.key(), value.value)
}

fn row_line(row: &Row) -> String {
    format!("  {}", row.describe())
}

fn attribute_line(attr: &TargetAttribute) -> String {
    format!("  {}", attr.describe())
}

/// The two sides' normalised tables as compared, one line per fact, aligned
/// for a line diff (what `diff` shows as a unified diff).
#[derive(Default)]
struct Tables {
    a: Vec<String>,
    b: Vec<String>,
}

impl Tables {
    fn push(&mut self, a: String, b: String) {
        self.a.push(a);
        self.b.push(b);
    }
}

/// Compares two object mappings paired by [`pair_objects`]: settings, then
/// rows, then target attribute definitions, each step adding its changes to
/// the diff and its lines to the aligned tables.
fn compare_objects(a: &ObjectTable, b: &ObjectTable, budget: &mut Proofs) -> ObjectDiff {
    let mut tables = Tables::default();
    // A reference may name the same target differently (`User` for the URN);
    // then A's name stands for both.
    let same_target = a.accepts_target(&b.target_object) || b.accepts_target(&a.target_object);
    let settings = compare_settings(a, b, same_target, &mut tables);
    let mut d = ObjectDiff {
        source_object: a.source_object.clone(),
        target_object: a.target_object.clone(),
        title: a.title(),
        status: ObjectStatus::Equal,
        pointer_a: a.pointer.clone(),
        pointer_b: b.pointer.clone(),
        added: Vec::new(),
        removed: Vec::new(),
        changed: Vec::new(),
        equivalent: Vec::new(),
        unchanged: 0,
        settings,
        attributes: AttributeChanges {
            object_a: a.target_object.clone(),
            object_b: if same_target {
                &a.target_object
            } else {
                &b.target_object
            }
            .clone(),
            ..AttributeChanges::default()
        },
        table_a: Vec::new(),
        table_b: Vec::new(),
    };
    compare_rows(a, b, budget, &mut d, &mut tables);
    compare_attributes(a, b, &mut d, &mut tables);
    d.table_a = tables.a;
    d.table_b = tables.b;
    d.status = status_of(&d);
    d
}

/// Object-level settings: the target object (when it differs), then
/// enabled, flow types and scope. A setting one side leaves unspecified is
/// taken as the other side's.
fn compare_settings(a: &ObjectTable, b: &ObjectTable, same_target: bool, tables: &mut Tables) -> Vec<SettingChange> {
    let mut settings = Vec::new();
    if !same_target {
        settings.push(SettingChange {
            setting: Setting::TargetObject,
            old: SettingValue::Text(a.target_object.clone()),
            new: SettingValue::Text(b.target_object.clone()),
            pointer_a: a.pointer.as_ref().map(|p| format!("{p}/targetObjectName")),
            pointer_b: b.pointer.as_ref().map(|p| format!("{p}/targetObjectName")),
        });
        tables.push(
            format!("targetObjectName: {}", a.target_object),
            format!("targetObjectName: {}", b.target_object),
        );
    }
    let (sa, sb) = (settings_of(a), settings_of(b));
    for setting in [Setting::Enabled, Setting::FlowTypes, Setting::Scope] {
        let va = sa.iter().find(|(s, _)| *s == setting).map(|(_, v)| v);
        let vb = sb.iter().find(|(s, _)| *s == setting).map(|(_, v)| v);
        let (Some(va), Some(vb)) = (va.or(vb), vb.or(va)) else {
            continue;
        };
        if va.value != vb.value {
            settings.push(SettingChange {
                setting,
                old: va.value.clone(),
                new: vb.value.clone(),
                pointer_a: va.pointer.clone(),
                pointer_b: vb.pointer.clone(),
            });
        }
        tables.push(setting_line(setting, va), setting_line(setting, vb));
    }
    settings
}

/// Attribute mappings, paired by target. A row only one side has is added
/// or removed only when the other side lists every row (a profile may
/// state some rows only); otherwise it is shown on both sides as the same.
fn compare_rows(a: &ObjectTable, b: &ObjectTable, budget: &mut Proofs, d: &mut ObjectDiff, tables: &mut Tables) {
    tables.push("mappings:".into(), "mappings:".into());
    for (ra, rb) in pair_rows(&a.rows, &b.rows) {
        match (ra, rb) {
            (Some(ra), Some(rb)) => compare_row(ra, a, rb, b, budget, d, tables),
            (Some(ra), None) => {
                tables.a.push(row_line(ra));
                if b.exhaustive_rows {
                    d.removed.push(one_sided_row(ra, true));
                } else {
                    tables.b.push(row_line(ra));
                }
            }
            (None, Some(rb)) => {
                tables.b.push(row_line(rb));
                if a.exhaustive_rows {
                    d.added.push(one_sided_row(rb, false));
                } else {
                    tables.a.push(row_line(rb));
                }
            }
            (None, None) => {}
        }
    }
}

/// A row only in A (`in_a`) or only in B.
fn one_sided_row(row: &Row, in_a: bool) -> RowChange {
    RowChange {
        target: row.target.clone(),
        old: in_a.then(|| row.into()),
        new: (!in_a).then(|| row.into()),
        pointer_a: if in_a { row.pointer.clone() } else { None },
        pointer_b: if in_a { None } else { row.pointer.clone() },
        fields: Vec::new(),
        note: None,
    }
}

/// Two rows of the same target: which fields differ, and whether textually
/// different sources are provably the same.
fn compare_row(
    ra: &Row,
    a: &ObjectTable,
    rb: &Row,
    b: &ObjectTable,
    budget: &mut Proofs,
    d: &mut ObjectDiff,
    tables: &mut Tables,
) {
    let verdict = compare_sources(ra, a.source_types.as_ref(), rb, b.source_types.as_ref(), budget);
    let mut fields = Vec::new();
    if !matches!(verdict, SourceVerdict::Same | SourceVerdict::Equivalent(_)) {
        fields.push("source");
    }
    if ra.flow != rb.flow {
        fields.push("flow");
    }
    if ra.matching != rb.matching {
        fields.push("matching");
    }
    if ra.default != rb.default {
        fields.push("default");
    }
    if let SourceVerdict::Equivalent(note) = &verdict {
        d.equivalent.push(EquivalentRow {
            target: ra.target.clone(),
            source_a: ra.source.clone().unwrap_or_default(),
            source_b: rb.source.clone().unwrap_or_default(),
            pointer_a: ra.pointer.clone(),
            pointer_b: rb.pointer.clone(),
            note: note.clone(),
        });
        // Shown with A's text, so the unified diff does not flag it.
        let shown = Row {
            source: ra.source.clone(),
            ..rb.clone()
        };
        tables.push(row_line(ra), row_line(&shown));
    } else {
        tables.push(row_line(ra), row_line(rb));
    }
    if fields.is_empty() {
        d.unchanged += 1;
    } else {
        d.changed.push(RowChange {
            target: ra.target.clone(),
            old: Some(ra.into()),
            new: Some(rb.into()),
            pointer_a: ra.pointer.clone(),
            pointer_b: rb.pointer.clone(),
            fields,
            note: match verdict {
                SourceVerdict::Different(note) => note,
                _ => None,
            },
        });
    }
}

/// Target attribute definitions, paired by name; one side's extra
/// definitions count only when the other side lists them all.
fn compare_attributes(a: &ObjectTable, b: &ObjectTable, d: &mut ObjectDiff, tables: &mut Tables) {
    tables.push(
        format!("target attributes of {}:", a.target_object),
        format!("target attributes of {}:", d.attributes.object_b),
    );
    for (ta, tb) in pair_attributes(&a.target_attributes, &b.target_attributes) {
        match (ta, tb) {
            (Some(ta), Some(tb)) => {
                if !ta.same_definition(tb) {
                    d.attributes.changed.push((ta.clone(), tb.clone()));
                }
                tables.push(attribute_line(ta), attribute_line(tb));
            }
            (Some(ta), None) => {
                tables.a.push(attribute_line(ta));
                if b.exhaustive_attributes {
                    d.attributes.removed.push(ta.clone());
                } else {
                    tables.b.push(attribute_line(ta));
                }
            }
            (None, Some(tb)) => {
                tables.b.push(attribute_line(tb));
                if a.exhaustive_attributes {
                    d.attributes.added.push(tb.clone());
                } else {
                    tables.a.push(attribute_line(tb));
                }
            }
            (None, None) => {}
        }
    }
}

/// Pairs rows by target; the k-th row of a target in A goes with the k-th
/// in B (several rows per target are an error Entra rejects, but the diff
/// must still say something sensible). The result is in target order.
fn pair_rows<'a>(a: &'a [Row], b: &'a [Row]) -> Vec<(Option<&'a Row>, Option<&'a Row>)> {
    pair_by(a, b, |r| &r.target)
}

fn pair_attributes<'a>(
    a: &'a [TargetAttribute],
    b: &'a [TargetAttribute],
) -> Vec<(Option<&'a TargetAttribute>, Option<&'a TargetAttribute>)> {
    pair_by(a, b, |t| &t.name)
}

type Sides<'a, T> = (Vec<&'a T>, Vec<&'a T>);

fn pair_by<'a, T>(a: &'a [T], b: &'a [T], key: impl Fn(&T) -> &str) -> Vec<(Option<&'a T>, Option<&'a T>)> {
    let mut by_key: BTreeMap<(String, &str), Sides<'a, T>> = BTreeMap::new();
    for x in a {
        by_key.entry(sort_key(key(x))).or_default().0.push(x);
    }
    for y in b {
        by_key.entry(sort_key(key(y))).or_default().1.push(y);
    }
    let mut out = Vec::new();
    for (xs, ys) in by_key.into_values() {
        for i in 0..xs.len().max(ys.len()) {
            out.push((xs.get(i).copied(), ys.get(i).copied()));
        }
    }
    out
}

/// How many pairs of differing sources one diff submits to the equivalence
/// check. Each check is bounded, but a crafted pair of exports with
/// thousands of differing expressions must not keep the diff busy for
/// minutes; past this many, sources are compared as text.
pub const EQUIVALENCE_BUDGET: usize = 256;

/// What one diff may still spend on equivalence proofs: a number of pairs, and one evaluation
/// budget shared by all of them (a single crafted pair of huge expressions must not take minutes
/// either).
struct Proofs {
    pairs_left: usize,
    prover: expr::equiv::Prover,
}

enum SourceVerdict {
    Same,
    Equivalent(String),
    Different(Option<String>),
}

/// Sources are the same when their canonical texts are equal, or when they
/// are provably equivalent under the attribute types of *each* side that
/// declares types (a reference without types defers to the other side).
fn compare_sources(
    a: &Row,
    types_a: Option<&SourceTypes>,
    b: &Row,
    types_b: Option<&SourceTypes>,
    budget: &mut Proofs,
) -> SourceVerdict {
    if a.source == b.source || a.any_source || b.any_source {
        return SourceVerdict::Same;
    }
    let (Some(ea), Some(eb)) = (&a.parsed, &b.parsed) else {
        return SourceVerdict::Different(None);
    };
    if budget.pairs_left == 0 {
        return SourceVerdict::Different(Some(format!(
            "equivalence not checked: more than {EQUIVALENCE_BUDGET} rows with different expressions"
        )));
    }
    budget.pairs_left -= 1;
    let undeclared = SourceTypes::new();
    let mut sides: Vec<&SourceTypes> = types_a.into_iter().chain(types_b).collect();
    if sides.is_empty() {
        sides.push(&undeclared);
    }
    for types in &sides {
        match budget.prover.equivalent(ea, eb, &|name| types.get(name).copied()) {
            Equivalence::Equivalent => {}
            // `[mail]` vs `[userPrincipalName]` needs no counterexample.
            Equivalence::NotEquivalent { .. } if is_leaf(ea) && is_leaf(eb) => {
                return SourceVerdict::Different(None);
            }
            Equivalence::NotEquivalent {
                counterexample,
                left,
                right,
            } => {
                return SourceVerdict::Different(Some(format!(
                    "different when {}: A gives {}, B gives {}",
                    expr::equiv::describe_inputs(&counterexample),
                    left.describe(),
                    right.describe()
                )));
            }
            Equivalence::Unknown { reason } => {
                return SourceVerdict::Different(Some(format!("not provably equivalent: {reason}")));
            }
            Equivalence::OverBudget { reason } => {
                return SourceVerdict::Different(Some(format!("equivalence {reason}")));
            }
        }
    }
    SourceVerdict::Equivalent(proof_note(ea, eb, &sides))
}

fn is_leaf(e: &Expr) -> bool {
    !matches!(e, Expr::Call { .. } | Expr::Compare { .. })
}

/// "equivalent given [IsSoftDeleted]: required Boolean".
fn proof_note(a: &Expr, b: &Expr, sides: &[&SourceTypes]) -> String {
    let mut names: Vec<&str> = a.attributes().chain(b.attributes()).map(|(n, _)| n).collect();
    names.sort();
    names.dedup();
    if names.is_empty() {
        return "equivalent: both are constant".into();
    }
    let described: Vec<String> = names
        .iter()
        .map(|name| {
            let mut kinds: Vec<String> = sides
                .iter()
                .map(|types| match types.get(*name) {
                    Some(t) => format!(
                        "{}{}{:?}",
                        if t.required { "required " } else { "optional " },
                        if t.multivalued { "multivalued " } else { "" },
                        t.kind
                    ),
                    None => "undeclared".to_string(),
                })
                .collect();
            kinds.dedup();
            format!("[{name}]: {}", kinds.join(" / "))
        })
        .collect();
    format!("equivalent for every value allowed by {}", described.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::FlowTypes;
    use crate::expr::{AttrKind, AttrType};

    fn row(target: &str, source: &str) -> Row {
        let parsed = expr::parse(source).unwrap();
        Row {
            target: target.into(),
            source: Some(expr::print(&parsed)),
            flow: "Always".into(),
            matching: None,
            default: None,
            pointer: None,
            parsed: Some(parsed),
            any_source: false,
        }
    }

    fn boolean(required: bool) -> SourceTypes {
        let t = AttrType {
            kind: AttrKind::Boolean,
            required,
            multivalued: false,
        };
        SourceTypes::from([("IsSoftDeleted".to_string(), t)])
    }

    fn export(rows: Vec<Row>) -> ObjectTable {
        ObjectTable {
            source_object: "User".into(),
            target_object: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User".into(),
            enabled: Some(Located::new(true, None)),
            flow_types: Some(Located::new(FlowTypes::normalise(["Add", "Update", "Delete"]), None)),
            scope: Some(Located::new(None, None)),
            rows,
            exhaustive_rows: true,
            exhaustive_attributes: true,
            source_types: Some(boolean(true)),
            ..ObjectTable::default()
        }
    }

    /// What a profile-derived table looks like: only the rows and attribute
    /// definitions it requires, no settings, no types.
    fn reference(rows: Vec<Row>, attributes: Vec<TargetAttribute>) -> ObjectTable {
        ObjectTable {
            source_object: "User".into(),
            target_object: "User".into(),
            target_aliases: vec!["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User".into()],
            rows,
            exhaustive_rows: true,
            target_attributes: attributes,
            exhaustive_attributes: false,
            ..ObjectTable::default()
        }
    }

    fn tables(a: ObjectTable, b: ObjectTable) -> TableDiff {
        let table = |label: &str, o: ObjectTable| MappingTable {
            label: label.into(),
            objects: vec![o],
            exhaustive_objects: true,
        };
        compare(&table("a", a), &table("b", b))
    }

    const SWITCH: &str = r#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#;

    #[test]
    fn equivalence_must_hold_under_both_sides_types() {
        let d = tables(
            export(vec![row("active", SWITCH)]),
            export(vec![row("active", "Not([IsSoftDeleted])")]),
        );
        assert!(d.is_equal());
        assert_eq!(d.objects[0].equivalent.len(), 1);
        // Both tables show A's text, so the unified diff has no change.
        assert_eq!(d.objects[0].table_a, d.objects[0].table_b);

        let mut optional = export(vec![row("active", "Not([IsSoftDeleted])")]);
        optional.source_types = Some(boolean(false));
        let d = tables(export(vec![row("active", SWITCH)]), optional);
        assert_eq!(d.objects[0].changed.len(), 1);
        assert_eq!(
            d.objects[0].changed[0].note.as_deref(),
            Some("different when [IsSoftDeleted] = null: A gives null, B gives \"True\"")
        );
    }

    #[test]
    fn a_reference_without_types_defers_to_the_export() {
        let d = tables(
            export(vec![row("active", SWITCH)]),
            reference(vec![row("active", "Not([IsSoftDeleted])")], Vec::new()),
        );
        assert!(d.is_equal(), "{:#?}", d.objects[0]);
        // The accepted target names pair the objects; no targetObjectName change.
        assert!(d.objects[0].settings.is_empty());
    }

    #[test]
    fn facts_a_reference_leaves_open_are_not_differences() {
        let mut a = export(vec![row("userName", "[mail]"), row("title", "[jobTitle]")]);
        a.target_attributes = vec![TargetAttribute {
            name: "title".into(),
            kind: "String".into(),
            required: false,
            multivalued: false,
            pointer: None,
        }];
        let description = TargetAttribute {
            name: "description".into(),
            kind: "String".into(),
            required: false,
            multivalued: false,
            pointer: None,
        };
        let mut b = reference(vec![row("userName", "[mail]")], vec![description.clone()]);
        // Exhaustive rows: `title` is reported; the attribute list is not exhaustive: only
        // the missing `description` definition is.
        let d = tables(a.clone(), b.clone());
        let o = &d.objects[0];
        assert_eq!(o.removed.len(), 1);
        assert_eq!(o.removed[0].target, "title");
        assert_eq!(o.attributes.added, vec![description]);
        assert!(o.attributes.removed.is_empty());
        assert!(o.settings.is_empty());
        // Unspecified settings are shown as A's on both sides.
        assert_eq!(o.table_a[..3], o.table_b[..3]);

        b.exhaustive_rows = false;
        let d = tables(a, b);
        assert!(d.objects[0].removed.is_empty());
        assert!(
            d.objects[0]
                .table_b
                .contains(&"  title ← [jobTitle] (Always)".to_string())
        );
    }

    #[test]
    fn optional_reference_objects_may_be_missing() {
        let mut groups = reference(Vec::new(), Vec::new());
        groups.source_object = "Group".into();
        groups.target_object = "Group".into();
        groups.optional = true;
        let users = export(vec![row("userName", "[mail]")]);
        let a = MappingTable {
            label: "a".into(),
            objects: vec![users.clone()],
            exhaustive_objects: true,
        };
        let b = MappingTable {
            label: "b".into(),
            objects: vec![groups.clone(), users],
            exhaustive_objects: true,
        };
        assert!(compare(&a, &b).is_equal());
        groups.optional = false;
        let b = MappingTable {
            label: "b".into(),
            objects: vec![groups, b.objects[1].clone()],
            exhaustive_objects: true,
        };
        let d = compare(&a, &b);
        assert_eq!(d.objects.len(), 2);
        assert_eq!(d.objects[1].status, ObjectStatus::Added);
        assert_eq!(d.summary().object_mappings_added, 1);
    }

    #[test]
    fn duplicate_targets_pair_in_order() {
        let a = export(vec![row("phone", "[telephoneNumber]"), row("phone", "[mobile]")]);
        let b = export(vec![row("phone", "[telephoneNumber]")]);
        let d = tables(a, b);
        let o = &d.objects[0];
        assert_eq!(o.unchanged, 1);
        assert_eq!(o.removed.len(), 1);
        assert_eq!(o.removed[0].old.as_ref().unwrap().source.as_deref(), Some("[mobile]"));
    }

    #[test]
    fn flow_matching_and_default_are_compared() {
        let mut changed = row("userName", "[mail]");
        changed.flow = "ObjectAddOnly".into();
        changed.matching = Some(1);
        changed.default = Some("x".into());
        let d = tables(export(vec![row("userName", "[mail]")]), export(vec![changed]));
        assert_eq!(d.objects[0].changed[0].fields, ["flow", "matching", "default"]);
    }

    #[test]
    fn unparsable_sources_compare_as_text() {
        let broken = |text: &str| Row {
            source: Some(text.into()),
            parsed: None,
            any_source: false,
            ..row("x", "[a]")
        };
        assert!(tables(export(vec![broken("Join(")]), export(vec![broken("Join(")])).is_equal());
        let d = tables(export(vec![broken("Join(")]), export(vec![row("x", "[a]")]));
        assert_eq!(d.objects[0].changed.len(), 1);
        assert_eq!(d.objects[0].changed[0].note, None);
    }

    #[test]
    fn equivalence_checks_are_budgeted() {
        let rows = |source: &str| {
            (0..EQUIVALENCE_BUDGET + 1)
                .map(|i| row(&format!("t{i:04}"), source))
                .collect::<Vec<_>>()
        };
        let d = tables(export(rows(SWITCH)), export(rows("Not([IsSoftDeleted])")));
        let o = &d.objects[0];
        assert_eq!(o.equivalent.len(), EQUIVALENCE_BUDGET);
        assert_eq!(o.changed.len(), 1);
        assert!(
            o.changed[0]
                .note
                .as_ref()
                .unwrap()
                .starts_with("equivalence not checked")
        );
    }
}
