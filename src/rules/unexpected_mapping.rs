use super::profiled::{Profiled, profiled, provisioning_effect};
use super::{Context, Described, Rule};
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::fix::edit::Editor;
use crate::model::{AttributeMapping, Loc};
use crate::profile::Policy;

declare_rule! {
    /// A mapping the reference profile does not list: the application does not use it.
    ///
    /// ## What it does
    /// Reports an attribute mapping whose target is not in the reference
    /// profile's table for that object: the application does not use it.
    /// The profile's `unexpected:` policy sets the severity (`error`,
    /// `warning` — the default —, `info`) or turns the check `off`; a
    /// severity configured for this rule overrides the profile.
    ///
    /// ## Why it matters
    /// Entra sends every mapped attribute. One the application ignores is
    /// noise at best; at worst it is rejected (failing the whole object) or
    /// leaks data the application should not get. Astrato's guide asks to
    /// delete every mapping not in its tables.
    ///
    /// Overlap: where `unknown-target-attribute` reports the same target (an
    /// error: the target object does not define it), this rule defers to it,
    /// and that finding notes that the profile does not expect the mapping
    /// either.
    ///
    /// ## Example
    /// With the astrato profile, Entra's default
    /// ```json
    /// { "targetAttributeName": "title", "source": { "expression": "[jobTitle]" } }
    /// ```
    ///
    /// ## Fix
    /// The fix deletes the attribute mapping (the target attribute
    /// definition stays; unused definitions are harmless). It is **safe**,
    /// except for a matching attribute or the activation attribute
    /// (`active`, `IsActive`, …), where it is **unsafe**: it changes who is
    /// matched or enabled. Deleting the *only* matching attribute is never
    /// offered — Entra rejects an object mapping without one.
    pub struct UnexpectedMapping {
        name: "unexpected-mapping",
        category: Profile,
        severity: Warning,
        fix: Mixed,
    }
}

pub struct Unexpected<'a> {
    at: Profiled<'a>,
    am: &'a AttributeMapping,
}

impl Rule for UnexpectedMapping {
    type State<'a> = Unexpected<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Unexpected<'a>> {
        profiled(cx)
            .into_iter()
            .filter(|at| at.object.unexpected != Policy::Off)
            .flat_map(|at| {
                at.om
                    .attribute_mappings
                    .iter()
                    .filter(move |am| !at.object.expects(am.target_name()))
                    .map(move |am| Unexpected { at, am })
            })
            .collect()
    }

    fn diagnostic(&self, cx: &Context<'_>, u: &Unexpected<'_>) -> Diagnostic {
        let source =
            u.am.source
                .as_ref()
                .map_or("(no source)".to_string(), |s| s.expression_text());
        let loc = Loc {
            span: u.am.target_loc().span,
            pointer: u.am.loc.pointer.clone(),
        };
        let mut d = Diagnostic::new(
            &Self::META,
            format!(
                "`{}` ← `{source}` is not in profile {}'s {} table",
                u.am.target_name(),
                u.at.profile.name,
                u.at.object.kind.key()
            ),
            &loc,
        )
        .with_label("not used by the application")
        .with_help(format!(
            "delete this mapping: it is not among the {} {} mapping{} of profile {}",
            u.at.object.mappings.len(),
            u.at.object.kind.key().trim_end_matches('s'),
            if u.at.object.mappings.len() == 1 { "" } else { "s" },
            u.at.profile.name,
        ));
        let only_matching = u.am.is_matching()
            && !(u.at.om.attribute_mappings.iter()).any(|o| o.is_matching() && o.index != u.am.index);
        if only_matching {
            d = d.with_note("it is the only matching attribute: make another mapping the matching attribute before deleting it (no automatic fix)");
        } else if let Some(why) = provisioning_effect(cx, u.am) {
            d = d.with_note(format!("the fix is unsafe, not applied by plain --fix: {why}"));
        }
        d.severity = match u.at.object.unexpected {
            Policy::Error => Severity::Error,
            Policy::Info => Severity::Info,
            Policy::Warning | Policy::Off => Severity::Warning,
        };
        let policy = match u.at.object.unexpected {
            Policy::Error => "error",
            Policy::Info => "info",
            Policy::Warning | Policy::Off => "warning",
        };
        match u.at.profile.external(
            u.at.object.origin,
            u.at.object.unexpected_span.as_ref().unwrap_or(&u.at.object.span),
            format!(
                "profile {}: mappings not listed under `{}` are unexpected ({policy})",
                u.at.profile.name,
                u.at.object.kind.key()
            ),
        ) {
            Some(label) => d.with_external(label),
            None => d,
        }
    }

    fn fix(&self, cx: &Context<'_>, u: &Unexpected<'_>) -> Option<Fix> {
        // Deleting the only matching attribute leaves an object mapping Entra
        // rejects: never offered.
        if u.am.is_matching()
            && !u
                .at
                .om
                .attribute_mappings
                .iter()
                .any(|o| o.is_matching() && o.index != u.am.index)
        {
            return None;
        }
        let title = format!("Delete the mapping of `{}`", u.am.target_name());
        let edits = vec![
            Editor::for_file(cx.file, cx.root)
                .delete_array_element(u.at.om.attribute_mappings_loc.span, u.am.index)
                .ok()?,
        ];
        Some(match provisioning_effect(cx, u.am) {
            Some(_) => Fix::unsafe_(title, edits),
            None => Fix::safe(title, edits),
        })
    }
}
