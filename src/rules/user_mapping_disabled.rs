use super::{Context, Described, Rule};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::ObjectMapping;

declare_rule! {
    /// The user object mapping is disabled.
    ///
    /// ## What it does
    /// Reports the user object mapping (`sourceObjectName` `User`) with
    /// `"enabled": false`.
    ///
    /// ## Why it matters
    /// Disabling the user object mapping is not supported (only the group
    /// mapping may be turned off). Entra then provisions nothing for users —
    /// including deprovisioning, so people who leave keep their accounts.
    ///
    /// ## Example
    /// ```json
    /// { "sourceObjectName": "User", "enabled": false }
    /// ```
    ///
    /// ## Fix
    /// Set `"enabled": true`. To stop provisioning, stop the provisioning job
    /// instead. The fix is unsafe: it resumes user provisioning.
    pub struct UserMappingDisabled {
        name: "user-mapping-disabled",
        category: Consistency,
        severity: Error,
        fix: Unsafe,
    }
}

impl Rule for UserMappingDisabled {
    type State<'a> = &'a ObjectMapping;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<&'a ObjectMapping> {
        cx.schema
            .object_mappings()
            .map(|(_, om)| om)
            .filter(|om| om.source_object_name() == "User" && !om.is_enabled())
            .collect()
    }

    fn diagnostic(&self, _cx: &Context<'_>, om: &&ObjectMapping) -> Diagnostic {
        let loc = om.enabled.as_ref().map_or(&om.loc, |e| &e.loc);
        Diagnostic::new(&Self::META, "the user object mapping is disabled", loc)
            .with_label("users would not be provisioned or deprovisioned")
            .with_help("disabling the user mapping is not supported; stop the provisioning job instead if provisioning must pause")
    }

    fn fix(&self, _cx: &Context<'_>, om: &&ObjectMapping) -> Option<Fix> {
        let enabled = om.enabled.as_ref()?;
        Some(Fix::unsafe_(
            "Set enabled to true",
            vec![Edit::replace(enabled.loc.span, "true")],
        ))
    }
}
