//! `mapping-lint preview`: what Entra would send for given directory objects, offline.
//!
//! Admins test a mapping change with the portal's "Provision on demand": one real user, a live
//! tenant and a real write into the application. This module does the same reasoning without a
//! tenant, for any number of objects, by reusing the two things the linter already has — the
//! typed export ([`crate::model`]) and the expression evaluator ([`crate::expr::evaluate`]):
//!
//! 1. [`objects`] reads users and groups as Graph returns them (one object, an array, a list
//!    response, or JSON Lines streamed line by line); [`object`] turns each into the attribute
//!    values the provisioning engine sees (Graph names, `IsSoftDeleted`, extension attributes);
//! 2. the object mapping is chosen (by `--object-mapping`, else by object type), its scoping
//!    filter evaluated ([`scope`]) with the documented operators;
//! 3. every attribute mapping is evaluated for the object, honouring flow types and default
//!    values; the matching requests come in `matchingPriority` order; [`scim`] builds the request
//!    body (`POST`, `PATCH` or the deprovisioning `PATCH`);
//! 4. findings are collected per object and across the set (duplicate matching values) and
//!    reported like lint findings, with a severity that drives the exit code.
//!
//! Memory: an object is previewed and handed to the caller before the next is read; across the
//! set only a 64-bit hash and the ordinal of each matching value are kept (to find duplicates),
//! so memory grows by a few bytes per object, never by the objects themselves.

pub mod object;
pub mod objects;
pub mod render;
pub mod scim;
pub mod scope;

use crate::Severity;
use crate::expr::{self, Environment, Expr, FixedEnvironment, Value};
use crate::model::{AttributeDef, AttributeMapping, JobKind, MappingExpression, ObjectMapping, Schema, SyncRule};
use crate::source::SourceFile;
pub use object::{DeriveOptions, ObjectKind, SourceObject};
pub use scim::{Body, PatchStyle, Request, Resource};
use scope::{CompiledScope, ScopeResult};
use std::collections::HashMap;

/// Which provisioning step to preview.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Operation {
    /// The object does not exist in the application yet: match, then create.
    #[default]
    Create,
    /// The object exists: what changes flow (mappings applied "only during creation" do not).
    Update,
    /// The object left the scope or was soft-deleted: the deprovisioning request.
    Disable,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub operation: Operation,
    /// Use this object mapping (by name or source object name) for every object.
    pub object_mapping: Option<String>,
    pub derive: DeriveOptions,
    pub patch_style: PatchStyle,
    /// The reference profile whose value constraints (max-length,
    /// forbidden-characters, required-non-empty, single-valued) every value
    /// is checked against.
    pub profile: Option<std::sync::Arc<crate::profile::Profile>>,
}

/// Why a preview cannot start.
#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    #[error("the export has no enabled object mapping to preview")]
    NoObjectMapping,
    #[error("no enabled object mapping is named `{name}`; the export has: {available}")]
    UnknownObjectMapping { name: String, available: String },
}

/// A finding of the preview. Codes are stable (documented in docs/preview.md).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Where in the export, for evaluation errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression: Option<ExpressionRef>,
}

/// A span inside a mapping's expression, located in the export file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExpressionRef {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub pointer: String,
    /// The expression text and the failing part's byte range in it.
    pub text: String,
    pub start: usize,
    pub end: usize,
}

impl Finding {
    fn new(code: &'static str, severity: Severity, message: impl Into<String>) -> Finding {
        Finding {
            code,
            severity,
            message: message.into(),
            target: None,
            help: None,
            expression: None,
        }
    }

    fn target(mut self, target: &str) -> Finding {
        self.target = Some(target.to_string());
        self
    }

    fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }
}

/// What happened to one attribute mapping for one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AttributeStatus {
    /// The value is sent.
    Sent,
    /// The source was null; `defaultValue` is sent instead (create only).
    Default,
    /// Null: nothing is sent.
    Null,
    /// Not sent in this operation (flow type).
    Skipped,
    /// The expression failed for this object.
    Error,
}

/// One row of the per-object table: `target ← source = value`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AttributeRow {
    pub target: String,
    pub source: String,
    pub value: serde_json::Value,
    pub status: AttributeStatus,
    #[serde(rename = "matchingPriority", skip_serializing_if = "is_zero")]
    pub matching_priority: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// One matching step.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MatchStep {
    pub priority: i64,
    pub attribute: String,
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<Request>,
}

/// The preview of one object.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectPreview {
    pub ordinal: usize,
    pub line: Option<usize>,
    pub id: Option<String>,
    pub label: Option<String>,
    /// `None` when no enabled object mapping applies (or the input was not an object).
    pub object_mapping: Option<String>,
    pub source_object: Option<String>,
    pub target_object: Option<String>,
    pub in_scope: bool,
    pub scope: ScopeResult,
    pub attributes: Vec<AttributeRow>,
    pub matching: Vec<MatchStep>,
    pub requests: Vec<Request>,
    pub findings: Vec<Finding>,
}

impl ObjectPreview {
    /// The preview of the object at `ordinal` (`line` in the objects file)
    /// before anything is known about it.
    fn blank(ordinal: usize, line: Option<usize>) -> ObjectPreview {
        ObjectPreview {
            ordinal,
            line,
            id: None,
            label: None,
            object_mapping: None,
            source_object: None,
            target_object: None,
            in_scope: false,
            scope: ScopeResult::default(),
            attributes: Vec::new(),
            matching: Vec::new(),
            requests: Vec::new(),
            findings: Vec::new(),
        }
    }
}

/// Counts over the whole set.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub objects: usize,
    #[serde(rename = "inScope")]
    pub in_scope: usize,
    #[serde(rename = "outOfScope")]
    pub out_of_scope: usize,
    pub unmapped: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings per code, sorted by code.
    pub codes: std::collections::BTreeMap<&'static str, usize>,
}

impl Summary {
    fn count(&mut self, findings: &[Finding]) {
        for f in findings {
            match f.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
            *self.codes.entry(f.code).or_default() += 1;
        }
    }

    /// The highest severity found, if any.
    pub fn worst(&self) -> Option<Severity> {
        if self.errors > 0 {
            Some(Severity::Error)
        } else if self.warnings > 0 {
            Some(Severity::Warning)
        } else if self.infos > 0 {
            Some(Severity::Info)
        } else {
            None
        }
    }
}

/// One attribute mapping, prepared once.
struct Planned<'a> {
    mapping: &'a AttributeMapping,
    expression: Option<&'a MappingExpression<'a>>,
    source_text: String,
    def: Option<&'a AttributeDef>,
    path: scim::TargetPath,
    max_length: Option<usize>,
    /// What the profile's row for this target requires of the value, and
    /// the sentence saying which profile requires it.
    profile_row: Option<(crate::profile::constraint::Constraints, String)>,
}

impl Planned<'_> {
    fn target(&self) -> &str {
        self.mapping.target_name()
    }

    fn kind(&self) -> &str {
        self.def.map_or("String", |d| d.kind())
    }

    fn multivalued(&self) -> bool {
        self.def.is_some_and(|d| d.multivalued)
    }

    fn default_value(&self) -> Option<&str> {
        self.mapping
            .default_value
            .as_ref()
            .map(|d| d.as_str())
            .filter(|d| !d.is_empty())
    }
}

/// One enabled object mapping, prepared once.
struct Plan<'a> {
    mapping: &'a ObjectMapping,
    /// `Some` for SCIM jobs; `None` for other job kinds (values only, no requests).
    resource: Option<Resource>,
    scope: CompiledScope<'a>,
    attributes: Vec<Planned<'a>>,
}

/// Previews objects one at a time against one export.
pub struct Previewer<'a> {
    source: &'a SourceFile,
    kind: JobKind,
    plans: Vec<Plan<'a>>,
    forced: Option<usize>,
    options: Options,
    env: FixedEnvironment,
    /// (plan, target) → hash of the matching value → ordinal of the first object with it.
    seen: HashMap<(usize, String), HashMap<u64, usize>>,
    summary: Summary,
    /// Findings about the export itself (expressions that do not parse), reported once.
    setup: Vec<Finding>,
}

/// Whether an object mapping provisions over SCIM: the job kind says so; when the kind cannot be
/// told, a rule writing Entra's SCIM connector directory `customappsso`, or an object named by a
/// SCIM schema URN, does.
fn is_scim(kind: JobKind, rule: &SyncRule, mapping: &ObjectMapping) -> bool {
    match kind {
        JobKind::OutboundScim => return true,
        JobKind::Unknown => {}
        _ => return false,
    }
    rule.target_directory
        .as_ref()
        .is_some_and(|d| d.as_str().eq_ignore_ascii_case("customappsso"))
        || mapping.target_object_name().starts_with("urn:ietf:params:scim:")
}

impl<'a> Previewer<'a> {
    pub fn new(
        schema: &'a Schema,
        expressions: &'a [MappingExpression<'a>],
        source: &'a SourceFile,
        options: Options,
    ) -> Result<Previewer<'a>, PreviewError> {
        let kind = crate::model::kind::recognise(schema).kind;
        let mut plans = Vec::new();
        let mut setup = Vec::new();
        for (rule, mapping) in schema.object_mappings() {
            if !mapping.is_enabled() {
                continue;
            }
            let (_, target_def) = schema.objects_of(rule, mapping);
            let resource = is_scim(kind, rule, mapping)
                .then(|| Resource::of_target(mapping.target_object_name()))
                .flatten();
            let attributes = mapping
                .attribute_mappings
                .iter()
                .map(|am| {
                    let expression = expressions.iter().find(|e| std::ptr::eq(e.mapping, am));
                    let def = target_def.and_then(|t| t.attribute(am.target_name()));
                    let max_length = def.and_then(|d| {
                        d.metadata
                            .iter()
                            .find(|kv| kv.key.as_ref().is_some_and(|k| k.as_str() == "MaximumLength"))
                            .and_then(|kv| kv.value.as_ref()?.as_str().trim().parse::<usize>().ok())
                    });
                    let source_text = am.source.as_ref().map_or_else(String::new, |s| s.expression_text());
                    let profile_row = options.profile.as_deref().and_then(|profile| {
                        let row = (profile.object_for(mapping)?.mappings.iter())
                            .find(|r| r.target == am.target_name() && !r.constraints.is_empty())?;
                        Some((row.constraints.clone(), profile.cause(row)))
                    });
                    // The stricter of the application's schema and the profile.
                    let max_length = match (max_length, profile_row.as_ref().and_then(|(c, _)| c.max_length)) {
                        (Some(a), Some(b)) => Some(a.min(b as usize)),
                        (a, b) => a.or(b.map(|b| b as usize)),
                    };
                    Planned {
                        mapping: am,
                        expression,
                        source_text,
                        def,
                        path: scim::TargetPath::parse(am.target_name()),
                        max_length,
                        profile_row,
                    }
                })
                .collect::<Vec<_>>();
            for p in &attributes {
                if let Some(e) = p.expression
                    && let Err(err) = &e.parsed
                {
                    let mut f = Finding::new(
                        "evaluation-error",
                        Severity::Error,
                        format!("the expression of `{}` does not parse: {}", p.target(), err.message),
                    )
                    .target(p.target())
                    .help("run `mapping-lint check` on the export for details");
                    f.expression = Some(expression_ref(source, e, err.span));
                    setup.push(f);
                }
            }
            plans.push(Plan {
                mapping,
                resource,
                scope: CompiledScope::new(mapping.scope.as_ref()),
                attributes,
            });
        }
        if plans.is_empty() {
            return Err(PreviewError::NoObjectMapping);
        }
        let forced = match &options.object_mapping {
            None => None,
            Some(name) => Some(
                plans
                    .iter()
                    .position(|p| {
                        p.mapping
                            .name
                            .as_ref()
                            .is_some_and(|n| n.as_str().eq_ignore_ascii_case(name))
                            || p.mapping.source_object_name().eq_ignore_ascii_case(name)
                    })
                    .ok_or_else(|| PreviewError::UnknownObjectMapping {
                        name: name.clone(),
                        available: plans
                            .iter()
                            .map(|p| {
                                format!(
                                    "`{}` ({})",
                                    p.mapping.name.as_ref().map_or("", |n| n.as_str()),
                                    p.mapping.source_object_name()
                                )
                            })
                            .collect::<Vec<_>>()
                            .join(", "),
                    })?,
            ),
        };
        let mut summary = Summary::default();
        summary.count(&setup);
        Ok(Previewer {
            source,
            kind,
            plans,
            forced,
            options,
            // Fixed clock and seed: the same input previews the same way every run.
            env: FixedEnvironment::new(
                expr::eval::DateTime::from_unix_seconds(1_735_689_600).expect("2025-01-01 is in range"),
                17,
            ),
            seen: HashMap::new(),
            summary,
            setup,
        })
    }

    /// Findings about the export itself, reported once before the objects.
    pub fn setup_findings(&self) -> &[Finding] {
        &self.setup
    }

    /// The job kind recognised for the export.
    pub fn kind(&self) -> JobKind {
        self.kind
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// Records an input line or item that was not an object.
    pub fn unreadable(&mut self, issue: &objects::ReadIssue) -> ObjectPreview {
        let finding = Finding::new("invalid-object", Severity::Error, issue.message.clone());
        self.summary.objects += 1;
        self.summary.unmapped += 1;
        self.summary.count(std::slice::from_ref(&finding));
        ObjectPreview {
            findings: vec![finding],
            ..ObjectPreview::blank(issue.ordinal, issue.line)
        }
    }

    fn choose(&self, kind: ObjectKind) -> Option<usize> {
        if let Some(forced) = self.forced {
            return Some(forced);
        }
        let by_source = |name: &str| {
            self.plans
                .iter()
                .position(|p| p.mapping.source_object_name().eq_ignore_ascii_case(name))
        };
        match kind.source_object_name() {
            Some(name) => by_source(name),
            None => by_source("User").or(Some(0)),
        }
    }

    /// Previews one object.
    pub fn preview(&mut self, object: &SourceObject) -> ObjectPreview {
        self.summary.objects += 1;
        let mut out = ObjectPreview {
            id: object.id.clone(),
            label: object.label.clone(),
            ..ObjectPreview::blank(object.ordinal, object.line)
        };
        let Some(plan_index) = self.choose(object.kind) else {
            self.summary.unmapped += 1;
            out.findings.push(
                Finding::new(
                    "no-object-mapping",
                    Severity::Warning,
                    format!(
                        "no enabled object mapping reads {} objects",
                        object.kind.source_object_name().unwrap_or("these")
                    ),
                )
                .help("choose one with --object-mapping NAME"),
            );
            self.summary.count(&out.findings);
            return out;
        };
        let plan = &self.plans[plan_index];
        out.object_mapping = plan.mapping.name.as_ref().map(|n| n.value.clone());
        out.source_object = Some(plan.mapping.source_object_name().to_string());
        out.target_object = Some(plan.mapping.target_object_name().to_string());
        out.scope = plan.scope.evaluate(&object.input);
        out.in_scope = out.scope.in_scope;
        if !out.in_scope {
            self.summary.out_of_scope += 1;
        } else {
            self.summary.in_scope += 1;
        }
        let operation = self.options.operation;
        let style = self.options.patch_style;
        let mut sent = Vec::new();
        let mut findings = Vec::new();
        let mut matching = Vec::new();
        for p in &plan.attributes {
            let flow = p.mapping.flow_type();
            let skip_reason = match (operation, flow) {
                (Operation::Update, "ObjectAddOnly") => Some("flows only when the object is created"),
                (Operation::Update, "AttributeAddOnly") => {
                    Some("flows only when the application's attribute has no value")
                }
                (Operation::Disable, _) => Some("a disable sends only `active`"),
                _ => None,
            };
            let (value, status, note) = match evaluate(p, object, &mut self.env) {
                Ok(v) => {
                    let default = (operation == Operation::Create && v.is_null_or_empty())
                        .then(|| p.default_value())
                        .flatten();
                    match default {
                        Some(d) => (
                            Value::str(d),
                            AttributeStatus::Default,
                            Some("defaultValue".to_string()),
                        ),
                        None if v.is_null_or_empty() && !matches!(v, Value::Complex(_)) => {
                            (v, AttributeStatus::Null, None)
                        }
                        None => (v, AttributeStatus::Sent, None),
                    }
                }
                Err(e) => {
                    if out.in_scope {
                        let mut f = Finding::new(
                            "evaluation-error",
                            Severity::Error,
                            format!("`{}` ← `{}` failed: {}", p.target(), p.source_text, e.message),
                        )
                        .target(p.target());
                        if let Some(expression) = p.expression {
                            f.expression = Some(expression_ref(self.source, expression, e.span));
                        }
                        findings.push(f);
                    }
                    (Value::Null, AttributeStatus::Error, Some(e.message))
                }
            };
            let priority = p.mapping.matching_priority();
            if priority > 0 {
                matching.push((priority, p, value.clone()));
            }
            let (status, note) = match skip_reason {
                Some(reason) if status != AttributeStatus::Error => {
                    (AttributeStatus::Skipped, Some(reason.to_string()))
                }
                _ => (status, note),
            };
            if out.in_scope && status != AttributeStatus::Error {
                check_value(p, &value, status, operation, &mut findings);
            }
            if status == AttributeStatus::Sent || status == AttributeStatus::Default {
                sent.push(scim::Sent {
                    target: p.target().to_string(),
                    path: p.path.clone(),
                    value: typed(p, &value),
                    reference: p.kind() == "Reference",
                    multivalued: p.multivalued(),
                });
            }
            out.attributes.push(AttributeRow {
                target: p.target().to_string(),
                source: if p.mapping.source.is_none() {
                    String::new()
                } else {
                    p.source_text.clone()
                },
                value: value.to_json(),
                status,
                matching_priority: priority,
                note,
            });
        }
        matching.sort_by_key(|(priority, _, _)| *priority);
        let mut first_missing = None;
        let mut any_value = false;
        for (priority, p, value) in &matching {
            let single = value.as_single().filter(|v| !v.is_empty()).map(str::to_string);
            if single.is_none() && first_missing.is_none() {
                first_missing = Some(p.target().to_string());
            }
            any_value |= single.is_some();
            let request = match (&single, plan.resource) {
                (Some(v), Some(resource)) => Some(scim::match_request(resource, p.target(), v)),
                _ => None,
            };
            if out.in_scope
                && let Some(v) = &single
            {
                let key = (plan_index, p.target().to_string());
                let hash = value_hash(v);
                let first = self.seen.entry(key).or_default().entry(hash).or_insert(object.ordinal);
                if *first != object.ordinal {
                    findings.push(
                        Finding::new(
                            "duplicate-matching-value",
                            Severity::Error,
                            format!(
                                "`{}` = \"{v}\" is also the matching value of object {}: Entra would match both to one account or fail with DuplicateTargetEntries",
                                p.target(),
                                first
                            ),
                        )
                        .target(p.target())
                        .help("matching values must be unique among the objects in scope"),
                    );
                }
            }
            out.matching.push(MatchStep {
                priority: *priority,
                attribute: p.target().to_string(),
                value: single,
                request,
            });
        }
        if out.in_scope
            && let Some(target) = first_missing
        {
            let (severity, message) = if any_value {
                (
                    Severity::Warning,
                    format!(
                        "the matching attribute `{target}` has no value; Entra falls back to the next matching attribute"
                    ),
                )
            } else {
                (
                    Severity::Error,
                    format!(
                        "the matching attribute `{target}` has no value: Entra fails this object with EntryJoiningPropertyValueIsMissing"
                    ),
                )
            };
            findings.push(
                Finding::new("missing-matching-value", severity, message)
                    .target(&target)
                    .help("give every object in scope a value for its matching attribute, or match on an attribute every object has"),
            );
        }
        if let Some(resource) = plan.resource.filter(|_| out.in_scope) {
            out.requests = match operation {
                Operation::Create => scim::create_requests(resource, &sent, style),
                Operation::Update => vec![scim::update_request(resource, &sent, style)],
                Operation::Disable => {
                    let has_active = plan.attributes.iter().any(|p| p.target() == "active");
                    vec![scim::disable_request(resource, has_active, style)]
                }
            };
        }
        out.findings = findings;
        self.summary.count(&out.findings);
        out
    }
}

fn evaluate(p: &Planned<'_>, object: &SourceObject, env: &mut dyn Environment) -> Result<Value, expr::EvalError> {
    match p.expression.map(|e| &e.parsed) {
        Some(Ok(tree)) => expr::evaluate(tree, &object.input, env),
        // Reported once as a setup finding.
        Some(Err(_)) => Ok(Value::Null),
        None => match &p.mapping.source {
            // A source without `expression` text (hand-written files): evaluate what it says.
            Some(source) => match crate::expr::parse(&source.expression_text()) {
                Ok(tree) => expr::evaluate(&tree as &Expr, &object.input, env),
                Err(_) => Ok(Value::Null),
            },
            None => Ok(Value::Null),
        },
    }
}

/// The value as the request carries it: JSON booleans and numbers for Boolean and Integer targets.
fn typed(p: &Planned<'_>, value: &Value) -> Body {
    let scalar = |s: &str| match p.kind() {
        "Boolean" if s.eq_ignore_ascii_case("true") => Body::Bool(true),
        "Boolean" if s.eq_ignore_ascii_case("false") => Body::Bool(false),
        "Integer" => s.trim().parse::<i64>().map_or_else(|_| Body::str(s), Body::Int),
        _ => Body::str(s),
    };
    match value {
        Value::Null => Body::Null,
        Value::Str(s) => scalar(s),
        Value::Multi(items) if p.multivalued() => Body::Array(items.iter().map(|s| scalar(s)).collect()),
        Value::Multi(items) => items.first().map_or(Body::Null, |s| scalar(s)),
        Value::Complex(items) => Body::Array(
            items
                .iter()
                .map(|m| Body::from_json(&serde_json::Value::Object(m.clone())))
                .collect(),
        ),
    }
}

/// Per-value findings: required targets, constraints, multi-valued into single-valued.
fn check_value(
    p: &Planned<'_>,
    value: &Value,
    status: AttributeStatus,
    operation: Operation,
    findings: &mut Vec<Finding>,
) {
    let target = p.target();
    let required = p.def.is_some_and(|d| d.required && !d.anchor);
    let schema_requires = required && operation == Operation::Create && status == AttributeStatus::Null;
    if schema_requires {
        findings.push(
            Finding::new(
                "missing-required-value",
                Severity::Error,
                format!(
                    "`{target}` is required by the application but `{}` has no value for this object",
                    p.source_text
                ),
            )
            .target(target)
            .help("map it from an attribute every object has, or give the mapping a default value"),
        );
    }
    let profile = p.profile_row.as_ref();
    let cite = |f: Finding| match profile {
        Some((_, cause)) => f.help(cause.clone()),
        None => f,
    };
    let empty = status == AttributeStatus::Null || matches!(value, Value::Str(s) if s.trim().is_empty());
    // Said once: the application's schema already requires it.
    if empty
        && !schema_requires
        && status != AttributeStatus::Skipped
        && operation != Operation::Disable
        && let Some((c, cause)) = profile
        && c.required_non_empty
    {
        findings.push(
            Finding::new(
                "constraint-violation",
                Severity::Error,
                format!(
                    "`{target}` must never be empty, but `{}` is empty for this object",
                    p.source_text
                ),
            )
            .target(target)
            .help(cause.clone()),
        );
    }
    if status == AttributeStatus::Skipped || status == AttributeStatus::Null {
        return;
    }
    if let Value::Multi(items) = value
        && items.len() > 1
        && profile.is_some_and(|(c, _)| c.single_valued)
    {
        findings.push(cite(
            Finding::new(
                "constraint-violation",
                Severity::Error,
                format!(
                    "`{}` has {} values but `{target}` accepts one",
                    p.source_text,
                    items.len()
                ),
            )
            .target(target),
        ));
    } else if let Value::Multi(items) = value
        && items.len() > 1
        && !p.multivalued()
    {
        findings.push(
            Finding::new(
                "multi-valued-into-single",
                Severity::Warning,
                format!(
                    "`{}` has {} values but `{target}` holds one; only the first would be sent",
                    p.source_text,
                    items.len()
                ),
            )
            .target(target)
            .help("pick one value, e.g. with Item(…, 1) or a Join"),
        );
    }
    let texts: Vec<&str> = match value {
        Value::Str(s) => vec![s.as_str()],
        Value::Multi(items) => items.iter().map(String::as_str).collect(),
        _ => Vec::new(),
    };
    for text in texts {
        if let Some(max) = p.max_length
            && text.chars().count() > max
        {
            // Cite the profile only when its limit is the one broken.
            let from_profile = profile.is_some_and(|(c, _)| c.max_length.map(|m| m as usize) == Some(max));
            let cite = |f: Finding| if from_profile { cite(f) } else { f };
            findings.push(cite(
                Finding::new(
                    "constraint-violation",
                    Severity::Error,
                    format!(
                        "`{target}` = \"{}\" is {} characters long; the application accepts at most {max}",
                        text,
                        text.chars().count()
                    ),
                )
                .target(target),
            ));
        }
        if let Some((c, cause)) = profile
            && let Some(forbidden) = &c.forbidden_characters
            && let Some(bad) = text.chars().find(|ch| forbidden.contains(*ch))
        {
            findings.push(
                Finding::new(
                    "constraint-violation",
                    Severity::Error,
                    format!("`{target}` = \"{text}\" contains `{bad}`, which the application rejects"),
                )
                .target(target)
                .help(cause.clone()),
            );
        }
        let bad_type = match p.kind() {
            "Boolean" => !(text.eq_ignore_ascii_case("true") || text.eq_ignore_ascii_case("false")),
            "Integer" => text.trim().parse::<i64>().is_err(),
            _ => false,
        };
        if bad_type {
            findings.push(
                Finding::new(
                    "constraint-violation",
                    Severity::Error,
                    format!("`{target}` is a {} attribute but the value is \"{text}\"", p.kind()),
                )
                .target(target),
            );
        }
    }
}

fn expression_ref(source: &SourceFile, e: &MappingExpression<'_>, span: crate::span::ExprSpan) -> ExpressionRef {
    let file_span = e.file_span(span);
    let at = source.line_col(file_span.start);
    ExpressionRef {
        file: source.name.clone(),
        line: at.line,
        column: at.column,
        pointer: e.pointer.clone(),
        text: e.text.to_string(),
        start: span.start,
        end: span.end,
    }
}

/// Matching values compare case-insensitively (SCIM `eq` on `userName` is case-insensitive).
fn value_hash(value: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(value.to_lowercase())
}
