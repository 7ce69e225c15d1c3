use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::AttributeMapping;

declare_rule! {
    /// A mapping writes the target object's anchor (`id`).
    ///
    /// ## What it does
    /// Reports an attribute mapping that writes the target object's anchor —
    /// the attribute marked `"anchor": true`, `id` for SCIM applications.
    ///
    /// ## Why it matters
    /// The anchor is the primary key the target application assigns (SCIM
    /// `id`). Entra reads it back after creating an object and uses it for
    /// every later update and delete; overwriting it breaks the link between
    /// the Entra object and the target object.
    ///
    /// ## Example
    /// ```json
    /// { "targetAttributeName": "id", "source": { "expression": "[objectId]" } }
    /// ```
    ///
    /// ## Fix
    /// Map the value to `externalId` (or another attribute) instead; SCIM
    /// applications keep Entra's identifier there.
    pub struct AnchorMapped {
        name: "anchor-mapped",
        category: Consistency,
        severity: Warning,
        fix: None,
    }
}

impl Rule for AnchorMapped {
    type State<'a> = (&'a AttributeMapping, String);

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<(&'a AttributeMapping, String)> {
        let mut out = Vec::new();
        for (rule, om) in cx.schema.object_mappings() {
            let (_, target) = cx.schema.objects_of(rule, om);
            let anchor = match target {
                Some(object) => object.anchor().map(|a| a.name_str().to_string()),
                // Without a definition, SCIM's `id` is the anchor.
                None => Some("id".to_string()),
            };
            let Some(anchor) = anchor else { continue };
            out.extend(
                om.attribute_mappings
                    .iter()
                    .filter(|am| am.target_name() == anchor)
                    .map(|am| (am, anchor.clone())),
            );
        }
        out
    }

    fn diagnostic(&self, _cx: &Context<'_>, (am, anchor): &(&AttributeMapping, String)) -> Diagnostic {
        Diagnostic::new(&Self::META, format!("mapping writes the target's anchor `{anchor}`"), am.target_loc())
            .with_label("the anchor is assigned by the target application")
            .with_help("map this value to `externalId` (or another attribute) instead; Entra uses the anchor to address the object")
    }
}
