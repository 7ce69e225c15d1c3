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
    /// Overlap: when the reference profile does not expect the mapping
    /// either, `unexpected-mapping` defers to this rule and the finding says
    /// so: deleting the mapping resolves both.
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
    om: &'a crate::model::ObjectMapping,
}

/// The name of the applicable profile when it reports unexpected mappings
/// of this object mapping and does not expect this one.
fn unexpected_by_profile<'a>(cx: &Context<'a>, f: &Finding<'_>) -> Option<&'a str> {
    let profile = cx.applicable_profile()?;
    let object = profile.object_for(f.om)?;
    (object.unexpected != crate::profile::Policy::Off && !object.expects(f.mapping.target_name()))
        .then_some(profile.name.as_str())
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
                    out.push(Finding {
                        mapping: am,
                        object,
                        om,
                    });
                }
            }
        }
        out
    }

    fn diagnostic(&self, cx: &Context<'_>, f: &Finding<'_>) -> Diagnostic {
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
        // A case-only typo is renamed, not deleted.
        let typo = f.object.attribute_ignoring_case(target).is_some();
        let d = match unexpected_by_profile(cx, f).filter(|_| !typo) {
            Some(profile) => d.with_note(format!(
                "profile {profile} does not expect this mapping either: deleting it resolves both"
            )),
            None => d,
        };
        match f.object.attribute_ignoring_case(target) {
            Some(a) => d.with_help(format!("names are case-sensitive: did you mean `{}`?", a.name_str())),
            None => d.with_help("add it first: Show advanced options → Edit attribute list for customappsso (or add it to the object's `attributes` in the file)"),
        }
    }
}
