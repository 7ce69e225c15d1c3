use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::ObjectMapping;

declare_rule! {
    /// An enabled object mapping has no matching attribute.
    ///
    /// ## What it does
    /// Reports an enabled object mapping in which no attribute mapping has a
    /// `matchingPriority` greater than 0.
    ///
    /// ## Why it matters
    /// Entra matches every source object with an existing target object
    /// through the matching attributes ("Match objects using this attribute")
    /// before it decides to create or update. Without one, the portal refuses
    /// to save the mapping, and a schema sent through Graph cannot provision.
    ///
    /// ## Example
    /// ```json
    /// { "targetAttributeName": "displayName", "matchingPriority": 0 }
    /// ```
    /// as the only candidate in a group object mapping.
    ///
    /// ## Fix
    /// Set `"matchingPriority": 1` on the attribute that identifies objects in
    /// the target application (for users typically `userName`, for groups
    /// `displayName`).
    pub struct MissingMatchingAttribute {
        name: "missing-matching-attribute",
        category: Consistency,
        severity: Error,
        fix: None,
    }
}

impl Rule for MissingMatchingAttribute {
    type State<'a> = &'a ObjectMapping;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<&'a ObjectMapping> {
        cx.schema
            .object_mappings()
            .map(|(_, om)| om)
            .filter(|om| om.is_enabled() && !om.attribute_mappings.iter().any(|am| am.is_matching()))
            .collect()
    }

    fn diagnostic(&self, _cx: &Context<'_>, om: &&ObjectMapping) -> Diagnostic {
        let loc = om.source_object.as_ref().map_or(&om.loc, |s| &s.loc);
        Diagnostic::new(&Self::META, format!("the {} object mapping has no matching attribute", om.describe()), loc)
            .with_label("no attribute mapping has matchingPriority > 0")
            .with_help("set \"matchingPriority\": 1 on the mapping of the attribute that identifies objects in the target application")
    }
}
