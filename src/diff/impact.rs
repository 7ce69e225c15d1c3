//! High-impact changes: the differences that change *who* is provisioned or
//! make Entra restart the job with an initial cycle, so a reviewer or a
//! deployer must not miss them among cosmetic ones.
//!
//! Microsoft's documentation says that changing attribute mappings or
//! scoping filters makes the next cycle a full (initial) one, and that the
//! matching attributes decide which existing target object an Entra object
//! is joined to (https://learn.microsoft.com/entra/identity/app-provisioning/how-provisioning-works).
//! The marks are computed from a [`TableDiff`] after the comparison, so every
//! rendering of every diff — two files, a file and a profile, a file and the
//! live schema, human and JSON — shows the same ones.

use super::compare::{ObjectDiff, ObjectStatus, RowChange, Setting, SettingChange, TableDiff};

/// Why a change is high-impact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Impact {
    /// A scoping filter changed: who is in scope changes.
    ScopingFilter,
    /// A matching attribute (or its precedence) changed: objects may be
    /// joined to other target objects, or created twice.
    MatchingAttribute,
    /// The `active` mapping changed: who is disabled or deprovisioned.
    Active,
    /// An object mapping was enabled or disabled.
    ObjectMappingEnabled,
    /// A whole object mapping was added or removed, or points at another
    /// target object.
    ObjectMapping,
    /// The object actions (create, update, delete) changed.
    ObjectActions,
    /// An attribute's flow behaviour (always / on create only) changed.
    AttributeFlow,
}

impl Impact {
    /// The stable name used in the JSON diff (`highImpact`).
    pub fn code(self) -> &'static str {
        match self {
            Impact::ScopingFilter => "scoping-filter",
            Impact::MatchingAttribute => "matching-attribute",
            Impact::Active => "active",
            Impact::ObjectMappingEnabled => "object-mapping-enabled",
            Impact::ObjectMapping => "object-mapping",
            Impact::ObjectActions => "object-actions",
            Impact::AttributeFlow => "attribute-flow",
        }
    }

    /// What it does, for the human diff.
    pub fn explain(self) -> &'static str {
        match self {
            Impact::ScopingFilter => "scoping filter: changes who is provisioned and restarts an initial cycle",
            Impact::MatchingAttribute => {
                "matching attribute: changes how objects are joined (duplicates or wrong joins) and restarts an initial cycle"
            }
            Impact::Active => "`active`: changes who is disabled or deprovisioned",
            Impact::ObjectMappingEnabled => {
                "object mapping enabled/disabled: starts or stops provisioning these objects"
            }
            Impact::ObjectMapping => {
                "object mapping added, removed or retargeted: starts or stops provisioning these objects"
            }
            Impact::ObjectActions => "object actions: changes whether objects are created, updated or deleted",
            Impact::AttributeFlow => "flow behaviour: changes when the attribute is written (always or only on create)",
        }
    }
}

/// The impact of a row change, if high.
pub fn of_row(change: &RowChange) -> Option<Impact> {
    let matching = |v: &Option<super::compare::RowValue>| v.as_ref().and_then(|v| v.matching);
    let is_matching = matching(&change.old).is_some() || matching(&change.new).is_some();
    if is_matching && (matching(&change.old) != matching(&change.new) || change.fields.contains(&"source")) {
        return Some(Impact::MatchingAttribute);
    }
    if change.target.eq_ignore_ascii_case("active") {
        return Some(Impact::Active);
    }
    if change.fields.contains(&"flow") {
        return Some(Impact::AttributeFlow);
    }
    None
}

/// The impact of an object-mapping setting change (all of them are high).
pub fn of_setting(change: &SettingChange) -> Option<Impact> {
    Some(match change.setting {
        Setting::Scope => Impact::ScopingFilter,
        Setting::Enabled => Impact::ObjectMappingEnabled,
        Setting::FlowTypes => Impact::ObjectActions,
        Setting::TargetObject => Impact::ObjectMapping,
    })
}

/// The impact of an object mapping that exists on one side only.
pub fn of_object(object: &ObjectDiff) -> Option<Impact> {
    matches!(object.status, ObjectStatus::Added | ObjectStatus::Removed).then_some(Impact::ObjectMapping)
}

/// One mark: what is affected (a target attribute, a setting key or the
/// object mapping) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub impact: Impact,
    pub subject: String,
}

/// The marks of one object mapping, in a stable order: the object itself,
/// its settings, then rows (removed, changed, added).
pub fn marks(object: &ObjectDiff) -> Vec<Mark> {
    if let Some(impact) = of_object(object) {
        return vec![Mark {
            impact,
            subject: object.title.clone(),
        }];
    }
    let mut out: Vec<Mark> = object
        .settings
        .iter()
        .filter_map(|s| {
            of_setting(s).map(|impact| Mark {
                impact,
                subject: s.setting.key().to_string(),
            })
        })
        .collect();
    for row in object.removed.iter().chain(&object.changed).chain(&object.added) {
        if let Some(impact) = of_row(row) {
            out.push(Mark {
                impact,
                subject: row.target.clone(),
            });
        }
    }
    out
}

/// How many high-impact changes a diff has.
pub fn count(diff: &TableDiff) -> usize {
    diff.objects.iter().map(|o| marks(o).len()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::compare::RowValue;

    fn row(
        target: &str,
        old: Option<(&str, Option<i64>, &str)>,
        new: Option<(&str, Option<i64>, &str)>,
        fields: Vec<&'static str>,
    ) -> RowChange {
        let value = |(source, matching, flow): (&str, Option<i64>, &str)| RowValue {
            source: Some(source.to_string()),
            flow: flow.to_string(),
            matching,
            default: None,
        };
        RowChange {
            target: target.into(),
            old: old.map(value),
            new: new.map(value),
            pointer_a: None,
            pointer_b: None,
            fields,
            note: None,
        }
    }

    #[test]
    fn rows_are_marked_by_what_they_change() {
        let m = |r: &RowChange| of_row(r).map(Impact::code);
        assert_eq!(
            m(&row(
                "userName",
                Some(("[upn]", Some(1), "Always")),
                Some(("[mail]", Some(1), "Always")),
                vec!["source"]
            )),
            Some("matching-attribute")
        );
        assert_eq!(
            m(&row("externalId", None, Some(("[id]", Some(2), "Always")), vec![])),
            Some("matching-attribute")
        );
        assert_eq!(
            m(&row(
                "active",
                Some(("Not([IsSoftDeleted])", None, "Always")),
                None,
                vec![]
            )),
            Some("active")
        );
        assert_eq!(
            m(&row(
                "title",
                Some(("[jobTitle]", None, "Always")),
                Some(("[jobTitle]", None, "ObjectAddOnly")),
                vec!["flow"]
            )),
            Some("attribute-flow")
        );
        assert_eq!(
            m(&row(
                "title",
                Some(("[jobTitle]", None, "Always")),
                Some(("[department]", None, "Always")),
                vec!["source"]
            )),
            None
        );
        // A matching attribute whose default only changed is not a join change.
        assert_eq!(
            m(&row(
                "userName",
                Some(("[mail]", Some(1), "Always")),
                Some(("[mail]", Some(1), "Always")),
                vec!["default"]
            )),
            None
        );
    }
}
