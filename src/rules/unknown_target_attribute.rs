use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{AttributeMapping, ObjectDef};

declare_rule! {
    /// The target attribute is not in the target object's attribute list.
    ///
    /// ## What it does
    /// Reports an attribute mapping whose `targetAttributeName` is not in the
    /// attribute list of the target object (the `customappsso` object in the
    /// file's `directories`).
    ///
    /// ## Why it matters
    /// A mapping can only write an attribute the target object defines; Entra
    /// rejects the schema on save, or — for attributes removed later — fails
    /// at run time with "… is not a valid propertyName". Names are
    /// case-sensitive, so `username` is not `userName`.
    ///
    /// ## Example
    /// ```json
    /// { "targetAttributeName": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:Group:description" }
    /// ```
    /// without a definition of that attribute in the customappsso Group object.
    ///
    /// ## Fix
    /// Add the attribute first: Provisioning → Mappings → Show advanced options
    /// → Edit attribute list for customappsso (or add an `attributes` entry to
    /// the target object in the file), or correct the spelling.
    pub struct UnknownTargetAttribute {
        name: "unknown-target-attribute",
        category: Consistency,
        severity: Error,
        fix: None,
    }
}

pub struct Finding<'a> {
    mapping: &'a AttributeMapping,
    object: &'a ObjectDef,
}

impl Rule for UnknownTargetAttribute {
    type State<'a> = Finding<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Finding<'a>> {
        let mut out = Vec::new();
        for (rule, om) in cx.schema.object_mappings() {
            let (_, Some(object)) = cx.schema.objects_of(rule, om) else {
                continue;
            };
            for am in &om.attribute_mappings {
                if am.target.is_some() && object.attribute(am.target_name()).is_none() {
                    out.push(Finding { mapping: am, object });
                }
            }
        }
        out
    }

    fn diagnostic(&self, _cx: &Context<'_>, f: &Finding<'_>) -> Diagnostic {
        let target = f.mapping.target_name();
        let d = Diagnostic::new(
            &Self::META,
            format!(
                "`{target}` is not an attribute of the target object `{}`",
                f.object.name_str()
            ),
            f.mapping.target_loc(),
        )
        .with_label("not in the target object's attribute list")
        .with_secondary(
            f.object.name.as_ref().map_or(f.object.loc.span, |n| n.loc.span),
            "target object defined here",
        );
        match f.object.attribute_ignoring_case(target) {
            Some(a) => d.with_help(format!("names are case-sensitive: did you mean `{}`?", a.name_str())),
            None => d.with_help("add it first: Show advanced options → Edit attribute list for customappsso (or add it to the object's `attributes` in the file)"),
        }
    }
}
