use super::profiled::anchor;
use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{Loc, ObjectMapping};
use crate::profile::{ObjectProfile, Profile};
use crate::span::FileSpan;

declare_rule! {
    /// An object the reference profile requires (users, groups) has no object mapping.
    ///
    /// ## What it does
    /// Reports an object the reference profile requires (users, groups) for
    /// which the export has no object mapping: no entry of `objectMappings`
    /// with the profile's source object (`User`, `Group`) and one of its
    /// accepted target object names.
    ///
    /// ## Why it matters
    /// Without the object mapping Entra provisions nothing of that kind: the
    /// application never sees the groups (or users) it relies on.
    ///
    /// ## Example
    /// The astrato profile requires groups, but the export only has
    /// ```json
    /// "objectMappings": [ { "sourceObjectName": "User", "targetObjectName": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User" } ]
    /// ```
    ///
    /// ## Fix
    /// Re-create the object mapping in the portal (Provisioning → Mappings) or
    /// restore it from an earlier export. If the mapping exists but writes
    /// another target object, point it at one of the names the profile
    /// accepts. There is no automatic fix.
    pub struct MissingObjectMapping {
        name: "missing-object-mapping",
        category: Profile,
        severity: Error,
        fix: None,
    }
}

pub struct Missing<'a> {
    profile: &'a Profile,
    object: &'a ObjectProfile,
    /// An object mapping from the same source object to another target.
    other_target: Option<&'a ObjectMapping>,
}

impl Rule for MissingObjectMapping {
    type State<'a> = Missing<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Missing<'a>> {
        let Some(profile) = cx.applicable_profile() else {
            return Vec::new();
        };
        // A file that is not JSON, or has no `synchronizationRules` at all, is
        // not an export: `invalid-json` / `schema-violation` say so already.
        let has_rules = cx
            .root
            .and_then(|root| crate::json::resolve(root, &cx.schema.loc.pointer))
            .and_then(|schema| schema.node.as_object())
            .is_some_and(|obj| crate::json::get(obj, "synchronizationRules").is_some());
        if !has_rules {
            return Vec::new();
        }
        profile
            .objects
            .iter()
            .filter(|o| o.required)
            .filter(|o| !cx.schema.object_mappings().any(|(_, om)| o.describes(om)))
            .map(|object| Missing {
                profile,
                object,
                other_target: cx
                    .schema
                    .object_mappings()
                    .map(|(_, om)| om)
                    .find(|om| om.source_object_name() == object.source_object),
            })
            .collect()
    }

    fn diagnostic(&self, cx: &Context<'_>, m: &Missing<'_>) -> Diagnostic {
        let what = m.object.kind.key();
        let accepted = m
            .object
            .target_objects
            .iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let d = match m.other_target {
            Some(om) => {
                let loc = om.target_object.as_ref().map_or_else(|| anchor(om), |t| t.loc.clone());
                Diagnostic::new(
                    &Self::META,
                    format!(
                        "no object mapping for {what}: the {} object mapping writes `{}`, which profile {} does not accept",
                        m.object.source_object,
                        om.target_object_name(),
                        m.profile.name
                    ),
                    &loc,
                )
                .with_label("not an accepted target object")
                .with_help(format!("profile {} accepts {accepted}", m.profile.name))
            }
            None => {
                let loc = match cx.schema.rules.first() {
                    Some(rule) => Loc {
                        span: rule.name.as_ref().map_or(rule.loc.span, |n| n.loc.span),
                        pointer: rule.loc.pointer.clone(),
                    },
                    None => Loc {
                        span: FileSpan::new(0, cx.file.text.len().min(1)),
                        pointer: String::new(),
                    },
                };
                Diagnostic::new(
                    &Self::META,
                    format!(
                        "no object mapping for {what}: profile {} requires {} → {}",
                        m.profile.name,
                        m.object.source_object,
                        m.object.target_objects.last().map_or("", String::as_str)
                    ),
                    &loc,
                )
                .with_label(format!("no {} object mapping in this rule", m.object.source_object))
                .with_help(format!(
                    "add the object mapping in the portal (Provisioning → Mappings); accepted target objects: {accepted}"
                ))
            }
        };
        match m.profile.external(
            m.object.origin,
            &m.object.span,
            format!("profile {} requires {what}", m.profile.name),
        ) {
            Some(label) => d.with_external(label),
            None => d,
        }
    }
}
