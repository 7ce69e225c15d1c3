use super::profiled::{cite, profiled};
use super::{Context, Described, Rule};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::AttributeMapping;
use crate::profile::{Profile, RequiredMapping};

declare_rule! {
    /// A required mapping does not flow as the profile requires (by default `Always`).
    ///
    /// ## What it does
    /// Reports a mapping the reference profile requires whose `flowType`
    /// differs from the profile's (by default `Always`), e.g. "Apply this
    /// mapping: Only during object creation" (`ObjectAddOnly`).
    ///
    /// ## Why it matters
    /// A required attribute that flows only on creation never follows later
    /// changes in Entra: renamed users keep their old names, and values the
    /// application depends on go stale.
    ///
    /// ## Example
    /// ```json
    /// { "targetAttributeName": "displayName", "flowType": "ObjectAddOnly" }
    /// ```
    ///
    /// ## Fix
    /// Set `flowType` to the profile's value (portal: *Apply this mapping* →
    /// *Always*). The fix is unsafe: it changes what Entra writes on the next
    /// cycle.
    pub struct WrongMappingFlow {
        name: "wrong-mapping-flow",
        category: Profile,
        severity: Warning,
        fix: Unsafe,
    }
}

pub struct WrongFlow<'a> {
    profile: &'a Profile,
    row: &'a RequiredMapping,
    am: &'a AttributeMapping,
}

impl Rule for WrongMappingFlow {
    type State<'a> = WrongFlow<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<WrongFlow<'a>> {
        let mut out = Vec::new();
        for at in profiled(cx) {
            for am in &at.om.attribute_mappings {
                if let Some(row) = at.object.mapping(am.target_name())
                    && am.flow_type() != row.flow.as_str()
                {
                    out.push(WrongFlow {
                        profile: at.profile,
                        row,
                        am,
                    });
                }
            }
        }
        out
    }

    fn diagnostic(&self, _cx: &Context<'_>, w: &WrongFlow<'_>) -> Diagnostic {
        let loc = w.am.flow_type.as_ref().map_or(w.am.target_loc(), |f| &f.loc);
        let d = Diagnostic::new(
            &Self::META,
            format!(
                "`{}` flows `{}`, but profile {} requires `{}`",
                w.am.target_name(),
                w.am.flow_type(),
                w.profile.name,
                w.row.flow.as_str()
            ),
            loc,
        )
        .with_label(format!("should be {}", w.row.flow.as_str()))
        .with_help(format!("set \"flowType\": \"{}\"", w.row.flow.as_str()));
        cite(d, w.profile, w.row)
    }

    fn fix(&self, _cx: &Context<'_>, w: &WrongFlow<'_>) -> Option<Fix> {
        let flow = w.am.flow_type.as_ref()?;
        Some(Fix::unsafe_(
            format!("Set flowType to \"{}\"", w.row.flow.as_str()),
            vec![Edit::replace(flow.loc.span, format!("\"{}\"", w.row.flow.as_str()))],
        ))
    }
}
