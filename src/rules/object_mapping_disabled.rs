use super::profiled::{Profiled, profiled};
use super::{Context, Described, Rule};
use crate::diagnostic::{Diagnostic, Edit, Fix};

declare_rule! {
    /// An object mapping the reference profile requires is disabled.
    ///
    /// ## What it does
    /// Reports an object mapping that the reference profile requires but
    /// that has `"enabled": false`. (The user object mapping is reported by
    /// `user-mapping-disabled`, which applies with or without a profile.)
    ///
    /// ## Why it matters
    /// A disabled object mapping is skipped: with the group mapping off,
    /// the application receives no groups and no memberships, and any
    /// access it grants through groups silently stops being managed.
    ///
    /// ## Example
    /// ```json
    /// { "sourceObjectName": "Group", "targetObjectName": "urn:ietf:params:scim:schemas:core:2.0:Group", "enabled": false }
    /// ```
    ///
    /// ## Fix
    /// Set `"enabled": true` (portal: the mapping's *Enabled* toggle). The
    /// fix is unsafe: it starts provisioning those objects.
    pub struct ObjectMappingDisabled {
        name: "object-mapping-disabled",
        category: Profile,
        severity: Error,
        fix: Unsafe,
    }
}

impl Rule for ObjectMappingDisabled {
    type State<'a> = Profiled<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Profiled<'a>> {
        profiled(cx)
            .into_iter()
            .filter(|p| p.object.required && !p.om.is_enabled() && p.om.source_object_name() != "User")
            .collect()
    }

    fn diagnostic(&self, _cx: &Context<'_>, p: &Profiled<'_>) -> Diagnostic {
        let loc = p.om.enabled.as_ref().map_or(&p.om.loc, |e| &e.loc);
        let what = p.object.kind.key();
        let d = Diagnostic::new(
            &Self::META,
            format!(
                "the {} object mapping is disabled, but profile {} requires {what}",
                p.om.describe(),
                p.profile.name
            ),
            loc,
        )
        .with_label(format!("{what} would not be provisioned"))
        .with_help("set \"enabled\": true (portal: the object mapping's Enabled toggle)");
        match p.profile.external(
            p.object.origin,
            &p.object.span,
            format!("profile {} requires {what}", p.profile.name),
        ) {
            Some(label) => d.with_external(label),
            None => d,
        }
    }

    fn fix(&self, _cx: &Context<'_>, p: &Profiled<'_>) -> Option<Fix> {
        let enabled = p.om.enabled.as_ref()?;
        Some(Fix::unsafe_(
            "Set enabled to true",
            vec![Edit::replace(enabled.loc.span, "true")],
        ))
    }
}
