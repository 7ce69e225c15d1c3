use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::shape::PartKind;
use crate::model::{Loc, Schema};

declare_rule! {
    /// The file is a fragment of a schema: some checks cannot run on it.
    ///
    /// ## What it does
    /// Says once per fragment what the file is (a single object mapping, a
    /// synchronization rule, a list of attribute mappings, a single
    /// attribute mapping, a `directories` list, or a schema without
    /// `directories`) and which checks it cannot get. Everything that can be
    /// checked on the fragment is: expressions and function arity, duplicate
    /// targets, flow types, matching attributes, credentials, and the
    /// reference profile where the fragment names its object.
    ///
    /// The checks a fragment cannot get, and so are not run on it:
    /// - without `directories`: `unknown-directory`, `unknown-source-attribute`,
    ///   `unknown-target-attribute` and `anchor-mapped` (they compare names
    ///   with the attribute lists the file does not have);
    /// - without the whole schema (an object mapping, attribute mappings, a
    ///   `directories` list): `missing-object-mapping`;
    /// - without the object mapping (attribute mappings alone):
    ///   `missing-matching-attribute`, `soft-delete-not-mapped`,
    ///   `missing-required-mapping`, `object-actions`, `user-mapping-disabled`
    ///   (they judge the object mapping as a whole).
    ///
    /// ## Why it matters
    /// A clean report on a fragment is not a clean schema: the rest is
    /// checked only when the whole export is linted. Reporting each missing
    /// directory or object mapping instead would be noise about what the
    /// file never meant to contain.
    ///
    /// ## Example
    /// ```json
    /// [ { "targetAttributeName": "userName", "source": { "expression": "[mail]" } } ]
    /// ```
    /// A list of attribute mappings copied from a schema: its expressions are
    /// checked, attribute names are not.
    ///
    /// ## Fix
    /// Nothing to fix. To get every check, lint the whole export (Provisioning
    /// → Mappings → Show advanced options → Review your schema → Download, or
    /// Graph `GET /servicePrincipals/{id}/synchronization/jobs/{jobId}/schema`).
    /// Turn the rule off in `.mapping-lint.yaml` if you lint fragments on
    /// purpose.
    pub struct InputFragment {
        name: "input-fragment",
        category: Input,
        severity: Info,
        fix: None,
    }
}

/// Why a check cannot run on this part of the file, when it cannot: the one
/// list the engine skips rules by and this rule's finding names.
pub fn cannot_check(rule: &str, schema: &Schema) -> Option<&'static str> {
    const NEEDS_DIRECTORIES: &[&str] = &[
        "unknown-directory",
        "unknown-source-attribute",
        "unknown-target-attribute",
        "anchor-mapped",
    ];
    const NEEDS_SCHEMA: &[&str] = &["missing-object-mapping"];
    const NEEDS_OBJECT_MAPPING: &[&str] = &[
        "missing-matching-attribute",
        "soft-delete-not-mapped",
        "missing-required-mapping",
        "object-actions",
        "user-mapping-disabled",
    ];
    let kind = schema.part;
    if schema.directories.is_empty() && NEEDS_DIRECTORIES.contains(&rule) {
        return Some("attribute and object names (the file has no `directories`)");
    }
    if matches!(
        kind,
        PartKind::ObjectMapping | PartKind::AttributeMappings | PartKind::AttributeMapping | PartKind::Directories
    ) && NEEDS_SCHEMA.contains(&rule)
    {
        return Some("object mappings the profile requires (they need the whole schema)");
    }
    if matches!(kind, PartKind::AttributeMappings | PartKind::AttributeMapping) && NEEDS_OBJECT_MAPPING.contains(&rule)
    {
        return Some(
            "the matching attribute, deprovisioning, required mappings and object actions (they need the object mapping)",
        );
    }
    None
}

pub struct Fragment {
    loc: Loc,
    kind: PartKind,
    /// What is not checked, each once, in the order of the list above.
    unchecked: Vec<&'static str>,
}

impl Rule for InputFragment {
    type State<'a> = Fragment;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Fragment> {
        let schema = cx.schema;
        // A document that is not a schema at all (no rules, no
        // directories) is `schema-violation`'s to explain.
        if schema.part == PartKind::Schema && schema.rules.is_empty() {
            return Vec::new();
        }
        let mut unchecked: Vec<&'static str> = Vec::new();
        // Profile rules count only where a profile applies.
        let rules = super::REGISTRY
            .iter()
            .filter(|r| r.meta().category != super::Category::Profile || cx.applicable_profile().is_some());
        for rule in rules {
            if let Some(why) = cannot_check(rule.meta().name, schema)
                && !unchecked.contains(&why)
            {
                unchecked.push(why);
            }
        }
        if unchecked.is_empty() && !schema.part.is_fragment() {
            return Vec::new();
        }
        vec![Fragment {
            loc: Loc {
                span: crate::span::FileSpan::at(schema.loc.span.start, 1),
                pointer: schema.loc.pointer.clone(),
            },
            kind: schema.part,
            unchecked,
        }]
    }

    fn diagnostic(&self, _cx: &Context<'_>, f: &Fragment) -> Diagnostic {
        let what = match f.kind {
            PartKind::Schema => "a synchronization schema without `directories`".to_string(),
            kind => kind.describe().to_string(),
        };
        let message = if f.unchecked.is_empty() {
            format!("{what}: checked what can be checked")
        } else {
            format!(
                "{what}: checked what can be checked; not checked: {}",
                f.unchecked.join("; ")
            )
        };
        Diagnostic::new(&Self::META, message, &f.loc)
            .with_label(format!("{what} starts here"))
            .with_help(
                "lint the whole export for every check (Provisioning → Mappings → Show advanced options → Review your \
             schema → Download, or Graph GET /servicePrincipals/{id}/synchronization/jobs/{jobId}/schema)",
            )
    }
}
