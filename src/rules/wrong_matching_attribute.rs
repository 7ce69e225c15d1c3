use super::profiled::{Profiled, cite, profiled};
use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::AttributeMapping;
use crate::profile::RequiredMapping;

declare_rule! {
    /// The profile's identity attribute is not the matching attribute with precedence 1.
    ///
    /// ## What it does
    /// Reports an object mapping in which the reference profile's identity
    /// attribute (Astrato: users by `userName` from `mail`, groups by
    /// `displayName`) is not the matching attribute with precedence 1 —
    /// either another mapping is matched first, or the identity mapping is
    /// not a matching attribute at all.
    ///
    /// ## Why it matters
    /// Entra looks objects up in the application with the matching
    /// attributes, lowest precedence first, and stops at the first hit. If
    /// it matches on something the application does not identify objects by,
    /// existing accounts are not found: Entra creates duplicates, or fails
    /// every create with a conflict.
    ///
    /// ## Example
    /// ```json
    /// { "targetAttributeName": "userName", "matchingPriority": 0 },
    /// { "targetAttributeName": "externalId", "matchingPriority": 1 }
    /// ```
    ///
    /// ## Fix
    /// Give the identity mapping `"matchingPriority": 1` and move other
    /// matching attributes after it (portal: *Match objects using this
    /// attribute*, *Matching precedence*). Not fixed automatically: changing
    /// how objects are matched needs a decision.
    pub struct WrongMatchingAttribute {
        name: "wrong-matching-attribute",
        category: Profile,
        severity: Error,
        fix: None,
    }
}

pub struct WrongMatch<'a> {
    at: Profiled<'a>,
    identity: &'a RequiredMapping,
    /// The identity's mapping in the export.
    mapped: &'a AttributeMapping,
    /// The mapping matched first instead, if any.
    first: Option<&'a AttributeMapping>,
}

impl Rule for WrongMatchingAttribute {
    type State<'a> = WrongMatch<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<WrongMatch<'a>> {
        let mut out = Vec::new();
        for at in profiled(cx) {
            let Some(identity) = at.object.identity() else {
                continue;
            };
            // A missing identity mapping is `missing-required-mapping`'s.
            let Some(mapped) = at
                .om
                .attribute_mappings
                .iter()
                .find(|am| am.target_name() == identity.target)
            else {
                continue;
            };
            let first = at
                .om
                .attribute_mappings
                .iter()
                .filter(|am| am.is_matching())
                .min_by_key(|am| am.matching_priority());
            let is_first =
                mapped.is_matching() && first.is_some_and(|f| f.matching_priority() == mapped.matching_priority());
            if !is_first {
                out.push(WrongMatch {
                    at,
                    identity,
                    mapped,
                    first: first.filter(|f| f.target_name() != identity.target),
                });
            }
        }
        out
    }

    fn diagnostic(&self, _cx: &Context<'_>, w: &WrongMatch<'_>) -> Diagnostic {
        let kind = w.at.object.kind.key();
        let d = match w.first {
            Some(first) => {
                let loc = first.matching_priority.as_ref().map_or(first.target_loc(), |m| &m.loc);
                Diagnostic::new(
                    &Self::META,
                    format!(
                        "{kind} are matched by `{}` first, but profile {} identifies them by `{}`",
                        first.target_name(),
                        w.at.profile.name,
                        w.identity.target
                    ),
                    loc,
                )
                .with_label(format!("precedence {}", first.matching_priority()))
                .with_secondary(
                    w.mapped.target_loc().span,
                    format!("matching precedence {}", w.mapped.matching_priority()),
                )
            }
            None => {
                let loc = w
                    .mapped
                    .matching_priority
                    .as_ref()
                    .map_or(w.mapped.target_loc(), |m| &m.loc);
                Diagnostic::new(
                    &Self::META,
                    format!(
                        "`{}` is not a matching attribute, but profile {} identifies {kind} by it",
                        w.identity.target, w.at.profile.name
                    ),
                    loc,
                )
                .with_label("not used for matching")
            }
        };
        let d = d.with_help(format!(
            "set \"matchingPriority\": 1 on the `{}` mapping and give other matching attributes higher numbers",
            w.identity.target
        ));
        cite(d, w.at.profile, w.identity)
    }
}
