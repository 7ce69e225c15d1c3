//! The rule engine and the registry of every rule.
//!
//! Each rule lives in its own file with its documentation as doc comments
//! (What it does / Why it matters / Example / Fix), which `mapping-lint rule
//! NAME` prints. A rule is three steps kept apart, as in Biome:
//! [`Rule::detect`] finds problems and returns plain state,
//! [`Rule::diagnostic`] turns one state into a finding, and [`Rule::fix`]
//! proposes text edits for it. [`REGISTRY`] below is the one place rules are
//! registered; its order is the order of `mapping-lint rule`.

mod context;
mod profiled;

pub use context::{Context, ProblemKind, StructuralProblem};

use crate::diagnostic::{Diagnostic, Fix, Severity};

/// Declares a rule struct whose doc comment is its user documentation.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $ty:ident {
            name: $name:literal,
            category: $category:ident,
            severity: $severity:ident,
            fix: $fix:ident
            $(, kinds: [$($kind:ident),* $(,)?])? $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, Default)]
        $vis struct $ty;

        impl $crate::rules::Described for $ty {
            const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                name: $name,
                category: $crate::rules::Category::$category,
                severity: $crate::diagnostic::Severity::$severity,
                fix: $crate::rules::FixKind::$fix,
                kinds: $crate::rules::kinds_or_all(&[$($($crate::model::JobKind::$kind),*)?]),
                docs: concat!($($doc, "\n"),*),
            };
        }
    };
}

mod add_only_flow;
mod anchor_mapped;
mod app_role_assignments_direct;
mod builtin_profile_available;
mod duplicate_matching_priority;
mod duplicate_target_attribute;
pub mod expression;
mod expression_syntax;
mod expression_too_long;
mod function_arity;
mod input_fragment;
mod invalid_argument;
pub mod invalid_baseline;
pub mod invalid_config;
pub mod invalid_json;
pub mod invalid_profile;
mod missing_matching_attribute;
mod missing_object_mapping;
mod missing_required_mapping;
mod misspelled_key;
mod non_reference_source;
mod object_actions;
mod object_mapping_disabled;
mod obsolete_signature;
mod pascal_case_keys;
mod profile_mismatch;
mod schema_violation;
mod scope_unsupported;
mod secret_in_export;
mod soft_delete_not_mapped;
mod source_tree_mismatch;
mod truncated_export;
mod undocumented_function;
mod unexpected_mapping;
mod unknown_directory;
mod unknown_enum_value;
mod unknown_function;
mod unknown_source_attribute;
mod unknown_symbol;
mod unknown_target_attribute;
mod unsupported_form;
mod unsupported_function;
pub mod unused_suppression;
mod user_mapping_disabled;
mod value_constraint;
mod wrong_mapping_flow;
mod wrong_mapping_source;
mod wrong_matching_attribute;

/// How a registered rule finds its problems.
#[derive(Clone, Copy)]
pub enum Check {
    /// In each export, from the file's [`Context`]: detect → diagnostic → fix.
    File(&'static dyn DynRule),
    /// Once per run, by the stage that holds what the rule is about: loading
    /// the settings reports a config, profile or baseline that cannot be
    /// used (`invalid-config`, `invalid-profile`, `invalid-baseline`), and
    /// the suppression step reports the entries that matched nothing
    /// (`unused-suppression`). Such a rule has metadata and docs here and
    /// its findings are built where they are found.
    Run(&'static RuleMeta),
}

impl Check {
    pub fn meta(&self) -> &'static RuleMeta {
        match self {
            Check::File(rule) => rule.meta(),
            Check::Run(meta) => meta,
        }
    }
}

/// Every rule, in documentation order.
pub static REGISTRY: &[Check] = &[
    // Input
    Check::File(&invalid_json::InvalidJson),
    Check::File(&schema_violation::SchemaViolation),
    Check::File(&unknown_enum_value::UnknownEnumValue),
    Check::File(&input_fragment::InputFragment),
    Check::File(&pascal_case_keys::PascalCaseKeys),
    Check::File(&truncated_export::TruncatedExport),
    Check::File(&misspelled_key::MisspelledKey),
    // Expressions
    Check::File(&expression_syntax::ExpressionSyntax),
    Check::File(&unknown_function::UnknownFunction),
    Check::File(&undocumented_function::UndocumentedFunction),
    Check::File(&function_arity::FunctionArity),
    Check::File(&unknown_symbol::UnknownSymbol),
    Check::File(&invalid_argument::InvalidArgument),
    Check::File(&unknown_source_attribute::UnknownSourceAttribute),
    Check::File(&expression_too_long::ExpressionTooLong),
    Check::File(&unsupported_function::UnsupportedFunction),
    Check::File(&unsupported_form::UnsupportedForm),
    Check::File(&obsolete_signature::ObsoleteSignature),
    Check::File(&app_role_assignments_direct::AppRoleAssignmentsDirect),
    Check::File(&source_tree_mismatch::SourceTreeMismatch),
    // Schema consistency
    Check::File(&unknown_directory::UnknownDirectory),
    Check::File(&duplicate_target_attribute::DuplicateTargetAttribute),
    Check::File(&unknown_target_attribute::UnknownTargetAttribute),
    Check::File(&missing_matching_attribute::MissingMatchingAttribute),
    Check::File(&duplicate_matching_priority::DuplicateMatchingPriority),
    Check::File(&anchor_mapped::AnchorMapped),
    Check::File(&soft_delete_not_mapped::SoftDeleteNotMapped),
    Check::File(&add_only_flow::AddOnlyFlow),
    Check::File(&object_actions::ObjectActions),
    Check::File(&user_mapping_disabled::UserMappingDisabled),
    Check::File(&scope_unsupported::ScopeUnsupported),
    // Reference profile
    Check::File(&profile_mismatch::ProfileMismatch),
    Check::File(&builtin_profile_available::BuiltinProfileAvailable),
    Check::File(&missing_object_mapping::MissingObjectMapping),
    Check::File(&object_mapping_disabled::ObjectMappingDisabled),
    Check::File(&missing_required_mapping::MissingRequiredMapping),
    Check::File(&wrong_mapping_source::WrongMappingSource),
    Check::File(&non_reference_source::NonReferenceSource),
    Check::File(&unexpected_mapping::UnexpectedMapping),
    Check::File(&wrong_matching_attribute::WrongMatchingAttribute),
    Check::File(&wrong_mapping_flow::WrongMappingFlow),
    Check::File(&value_constraint::ValueConstraint),
    // Security
    Check::File(&secret_in_export::SecretInExport),
    // Settings files
    Check::Run(invalid_config::META),
    Check::Run(invalid_profile::META),
    Check::Run(invalid_baseline::META),
    Check::Run(unused_suppression::META),
];

/// Rule families, for listings and docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Input,
    Expressions,
    Consistency,
    Profile,
    Security,
    Config,
}

impl Category {
    pub fn title(self) -> &'static str {
        match self {
            Category::Input => "Input",
            Category::Expressions => "Expressions",
            Category::Consistency => "Schema consistency",
            Category::Profile => "Reference profile",
            Category::Security => "Security",
            Category::Config => "Settings files",
        }
    }
}

/// What kind of fix a rule can offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixKind {
    None,
    Safe,
    Unsafe,
    /// Safe in general, unsafe where the fix would change who is matched or
    /// provisioned (a matching attribute, the activation attribute); the
    /// rule's documentation says when.
    #[serde(rename = "safe-or-unsafe")]
    Mixed,
}

impl FixKind {
    /// How `mapping-lint rule` and the README name it.
    pub fn label(self) -> &'static str {
        match self {
            FixKind::None => "-",
            FixKind::Safe => "safe",
            FixKind::Unsafe => "unsafe",
            FixKind::Mixed => "safe/unsafe",
        }
    }
}

/// Static facts about a rule.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable kebab-case name: the contract for config files and baselines.
    pub name: &'static str,
    pub category: Category,
    /// Default severity (config can change it).
    pub severity: Severity,
    pub fix: FixKind,
    /// The job kinds the rule applies to (`kinds: [...]` in
    /// [`declare_rule!`]; every kind when not given). The engine does not
    /// run a rule on an export of another kind.
    pub kinds: &'static [crate::model::JobKind],
    /// Markdown documentation, from the rule's doc comment.
    pub docs: &'static str,
}

impl RuleMeta {
    /// The documentation with rustdoc's leading space removed.
    pub fn documentation(&self) -> String {
        let mut out = String::new();
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim_end().to_string() + "\n"
    }

    /// The one-line summary: the doc comment's first paragraph (before
    /// "## What it does"), as in rustdoc.
    pub fn summary(&self) -> String {
        let doc = self.documentation();
        let head = doc.split("## ").next().unwrap_or("");
        head.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The documentation without the summary line (which `rule` prints as
    /// a heading).
    pub fn body(&self) -> String {
        let doc = self.documentation();
        match doc.find("## ") {
            Some(i) => doc[i..].to_string(),
            None => doc,
        }
    }
}

/// The kinds a rule declares, or every kind for a rule that declares none.
pub const fn kinds_or_all(kinds: &'static [crate::model::JobKind]) -> &'static [crate::model::JobKind] {
    if kinds.is_empty() {
        crate::model::JobKind::ALL
    } else {
        kinds
    }
}

impl RuleMeta {
    /// Whether the rule runs on an export of `kind`.
    pub fn applies_to(&self, kind: crate::model::JobKind) -> bool {
        self.kinds.contains(&kind)
    }

    /// "all" or the kebab-case names, for `mapping-lint rule`.
    pub fn kinds_label(&self) -> String {
        if self.kinds.len() == crate::model::JobKind::ALL.len() {
            "all".to_string()
        } else {
            self.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
        }
    }
}

/// Implemented by [`declare_rule!`].
pub trait Described {
    const META: RuleMeta;
}

/// A lint rule: detect → diagnostic → fix.
pub trait Rule: Described + Sync {
    /// What `detect` found, enough to build the diagnostic and the fix. It
    /// may borrow from the model.
    type State<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Self::State<'a>>;

    fn diagnostic(&self, cx: &Context<'_>, state: &Self::State<'_>) -> Diagnostic;

    fn fix(&self, _cx: &Context<'_>, _state: &Self::State<'_>) -> Option<Fix> {
        None
    }
}

/// Object-safe face of [`Rule`], for the registry.
pub trait DynRule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn run(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>);
}

impl<R: Rule> DynRule for R {
    fn meta(&self) -> &'static RuleMeta {
        const { &R::META }
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if !R::META.applies_to(cx.job.kind) || input_fragment::cannot_check(R::META.name, cx.schema).is_some() {
            return;
        }
        // Where `ConvertTo-Json` cut the document, every other finding is a
        // consequence of the lost data: one error says so (see
        // `truncated-export`).
        if cx.facts.truncation.is_some() && !matches!(R::META.name, "truncated-export" | "secret-in-export") {
            return;
        }
        for state in self.detect(cx) {
            let mut diagnostic = self.diagnostic(cx, &state);
            diagnostic.fix = self.fix(cx, &state);
            out.push(diagnostic);
        }
    }
}

/// Pairs of rules that report the same problem on the same span from two
/// sides: `(defers, to)`. Where both find something on overlapping spans,
/// only `to`'s finding is kept (each rule's documentation says so). Applied
/// after every rule ran, so a rule that `--select`/`--ignore` or the config
/// turned off never silences another.
pub const DEFERS: &[(&str, &str)] = &[
    ("soft-delete-not-mapped", "wrong-mapping-source"),
    ("unexpected-mapping", "unknown-target-attribute"),
];

/// Drops the findings that defer to another rule's finding on an
/// overlapping span (see [`DEFERS`]).
pub fn apply_deferrals(findings: &mut Vec<Diagnostic>) {
    let overlaps = |a: crate::span::FileSpan, b: crate::span::FileSpan| a.start < b.end && b.start < a.end;
    // The spans of each rule deferred to, gathered once.
    let targets: Vec<(&str, Vec<crate::span::FileSpan>)> = DEFERS
        .iter()
        .map(|(defers, to)| {
            let spans = findings.iter().filter(|o| o.rule == *to).map(|o| o.span).collect();
            (*defers, spans)
        })
        .collect();
    let deferred: Vec<bool> = findings
        .iter()
        .map(|d| {
            targets
                .iter()
                .any(|(defers, spans)| d.rule == *defers && spans.iter().any(|s| overlaps(*s, d.span)))
        })
        .collect();
    let mut keep = deferred.into_iter().map(|x| !x);
    findings.retain(|_| keep.next().unwrap_or(true));
}

/// Looks a rule up by name.
pub fn find(name: &str) -> Option<&'static Check> {
    REGISTRY.iter().find(|r| r.meta().name == name)
}

/// Names close to `name`, for "unknown rule" messages.
pub fn suggest(name: &str) -> Option<&'static str> {
    crate::suggest::closest(name, REGISTRY.iter().map(|r| r.meta().name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::HashSet::new();
        for rule in REGISTRY {
            let meta = rule.meta();
            assert!(seen.insert(meta.name), "duplicate rule name {}", meta.name);
            assert!(
                meta.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                meta.name
            );
            let doc = meta.documentation();
            assert!(
                meta.summary().ends_with('.'),
                "{}: start the doc comment with a one-sentence summary",
                meta.name
            );
            for section in ["## What it does", "## Why it matters", "## Example", "## Fix"] {
                assert!(doc.contains(section), "{} lacks {section}", meta.name);
            }
            assert!(!meta.summary().is_empty(), "{} has no summary", meta.name);
        }
    }

    #[test]
    fn suggests_close_names() {
        assert_eq!(suggest("anchor-maped"), Some("anchor-mapped"));
        assert_eq!(suggest("zzzzzzzzzzzz"), None);
    }
}
