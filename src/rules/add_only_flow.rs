use super::{Context, Described, Rule};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::AttributeMapping;

declare_rule! {
    /// `active` or a matching attribute flows only when the object is created.
    ///
    /// ## What it does
    /// Reports `"flowType": "ObjectAddOnly"` ("Apply this mapping: Only during
    /// object creation") on the `active` mapping or on a matching attribute.
    ///
    /// ## Why it matters
    /// An add-only mapping is written once, when the target object is
    /// created, and never again. On `active` that means a user who is disabled
    /// or unassigned in Entra stays active in the application. On a matching
    /// attribute the target keeps a stale identifier after a rename, and the
    /// next match fails or creates a duplicate.
    ///
    /// ## Example
    /// ```json
    /// { "targetAttributeName": "active", "flowType": "ObjectAddOnly",
    ///   "source": { "expression": "Not([IsSoftDeleted])" } }
    /// ```
    ///
    /// ## Fix
    /// Use `"flowType": "Always"`. The fix is unsafe: it changes what Entra
    /// writes on the next cycle.
    pub struct AddOnlyFlow {
        name: "add-only-flow",
        category: Consistency,
        severity: Warning,
        fix: Unsafe,
    }
}

impl Rule for AddOnlyFlow {
    type State<'a> = &'a AttributeMapping;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<&'a AttributeMapping> {
        cx.schema
            .object_mappings()
            .flat_map(|(_, om)| &om.attribute_mappings)
            .filter(|am| am.flow_type() == "ObjectAddOnly" && (am.is_matching() || am.target_name() == "active"))
            .collect()
    }

    fn diagnostic(&self, _cx: &Context<'_>, am: &&AttributeMapping) -> Diagnostic {
        let loc = am.flow_type.as_ref().map_or(&am.loc, |f| &f.loc);
        let (what, consequence) = if am.target_name() == "active" {
            (
                "`active`".to_string(),
                "users disabled or unassigned in Entra would stay active in the application",
            )
        } else {
            (
                format!("the matching attribute `{}`", am.target_name()),
                "the target keeps a stale identifier after a change and later matches fail",
            )
        };
        Diagnostic::new(
            &Self::META,
            format!("{what} flows only when the object is created"),
            loc,
        )
        .with_label("ObjectAddOnly")
        .with_help(format!("use \"Always\": with ObjectAddOnly {consequence}"))
    }

    fn fix(&self, _cx: &Context<'_>, am: &&AttributeMapping) -> Option<Fix> {
        let flow_type = am.flow_type.as_ref()?;
        Some(Fix::unsafe_(
            "Set flowType to \"Always\"",
            vec![Edit::replace(flow_type.loc.span, "\"Always\"")],
        ))
    }
}
