use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Repeated;

declare_rule! {
    /// Two mappings write the same target attribute.
    ///
    /// ## What it does
    /// Reports two attribute mappings of the same object mapping that write
    /// the same target attribute.
    ///
    /// ## Why it matters
    /// A target attribute can be the target of only one mapping; Entra rejects
    /// the schema when it is saved (Graph: "the target attribute is already
    /// mapped"). In a file edited by hand, the second mapping is usually a
    /// copy-paste that was meant for another attribute.
    ///
    /// ## Example
    /// ```json
    /// "attributeMappings": [
    ///   { "targetAttributeName": "displayName", "source": { "expression": "[displayName]" } },
    ///   { "targetAttributeName": "displayName", "source": { "expression": "[mailNickname]" } }
    /// ]
    /// ```
    ///
    /// ## Fix
    /// Delete one of the mappings, or change its `targetAttributeName`.
    pub struct DuplicateTargetAttribute {
        name: "duplicate-target-attribute",
        category: Consistency,
        severity: Error,
        fix: None,
    }
}

impl Rule for DuplicateTargetAttribute {
    type State<'a> = Repeated<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Repeated<'a>> {
        cx.schema.repeated_mappings(|am| am.target.as_ref().map(|t| t.as_str()))
    }

    fn diagnostic(&self, _cx: &Context<'_>, f: &Repeated<'_>) -> Diagnostic {
        let target = f.duplicate.target_name();
        Diagnostic::new(&Self::META, format!("`{target}` is mapped twice in the {} object mapping", f.mapping.describe()), f.duplicate.target_loc())
            .with_label("second mapping to this target")
            .with_secondary(f.first.target_loc().span, "first mapped here")
            .with_help("a target attribute can be written by only one mapping; delete one of them or change its targetAttributeName")
    }
}
