//! A reference profile as a [`MappingTable`], for `mapping-lint diff A`.
//!
//! A profile states only what the application requires, so the table leaves
//! open what the profile does not say (see [`ObjectTable`]): no `flowTypes`
//! or `scope`, `enabled` only for a required object, the attribute
//! definitions the profile adds (not a complete list), no source attribute
//! types (equivalence is proved under the export's types), other rows only
//! count when the profile's `unexpected` policy is not `off`, and object
//! mappings the profile does not describe are not compared. That makes the
//! diff report what the profile rules report.

use super::table::{Located, MappingTable, ObjectTable, Row, TargetAttribute, sort_key};
use crate::profile::{ObjectProfile, Policy, Profile, RequiredMapping};

impl MappingTable {
    /// The reference table of a profile. The label is the profile's origin
    /// (`builtin:astrato`, or the path of its file).
    pub fn from_profile(profile: &Profile) -> MappingTable {
        MappingTable {
            label: profile.file.clone(),
            objects: profile.objects.iter().map(object_table).collect(),
            // A profile without `groups:` says nothing about group mappings.
            exhaustive_objects: false,
        }
    }
}

fn object_table(object: &ObjectProfile) -> ObjectTable {
    let mut rows: Vec<Row> = object.mappings.iter().map(row).collect();
    rows.sort_by(|a, b| sort_key(&a.target).cmp(&sort_key(&b.target)));
    let mut target_attributes: Vec<TargetAttribute> = object
        .mappings
        .iter()
        .filter_map(|m| {
            let spec = m.attribute.as_ref()?;
            Some(TargetAttribute {
                name: m.target.clone(),
                kind: spec.kind.as_str().to_string(),
                required: spec.required,
                multivalued: spec.multivalued,
                pointer: None,
            })
        })
        .collect();
    target_attributes.sort_by(|a, b| sort_key(&a.name).cmp(&sort_key(&b.name)));
    let (target, aliases) = match object.target_objects.split_first() {
        Some((first, rest)) => (first.clone(), rest.to_vec()),
        None => (String::new(), Vec::new()),
    };
    ObjectTable {
        name: Some(format!("{} (profile)", object.kind.key())),
        source_object: object.source_object.clone(),
        target_object: target,
        target_aliases: aliases,
        pointer: None,
        optional: !object.required,
        enabled: object.required.then(|| Located::new(true, None)),
        flow_types: None,
        scope: None,
        rows,
        exhaustive_rows: object.unexpected != Policy::Off,
        target_attributes,
        exhaustive_attributes: false,
        source_types: None,
    }
}

fn row(m: &RequiredMapping) -> Row {
    Row {
        target: m.target.clone(),
        source: Some(
            m.source
                .as_ref()
                .map_or_else(|| "(any source)".to_string(), |s| s.canonical.clone()),
        ),
        flow: m.flow.as_str().to_string(),
        matching: m.matching.then_some(1),
        default: None,
        pointer: None,
        parsed: m.source.as_ref().map(|s| s.expr.clone()),
        any_source: m.source.is_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{ObjectStatus, compare};
    use crate::source::SourceFile;

    fn sample(name: &str) -> MappingTable {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples")
            .join(name);
        let text = std::fs::read_to_string(path).unwrap();
        MappingTable::from_source(&SourceFile::from_text(name, text)).unwrap()
    }

    #[test]
    fn astrato_export_matches_the_astrato_profile() {
        let reference = MappingTable::from_profile(&Profile::builtin("astrato").unwrap());
        let d = compare(&sample("astrato.json"), &reference);
        assert!(d.is_equal(), "{:#?}", d.objects);
        // The export's URN target objects are among the profile's accepted names.
        assert!(d.objects.iter().all(|o| o.settings.is_empty()));
    }

    #[test]
    fn entra_defaults_show_what_the_profile_rules_report() {
        let reference = MappingTable::from_profile(&Profile::builtin("astrato").unwrap());
        let d = compare(&sample("entra-defaults.json"), &reference);
        let users = d.objects.iter().find(|o| o.source_object == "User").unwrap();
        let changed: Vec<&str> = users.changed.iter().map(|c| c.target.as_str()).collect();
        assert_eq!(
            changed,
            [
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
                "userName"
            ]
        );
        assert_eq!(users.removed.len(), 16, "the unexpected user mappings");
        assert!(users.added.is_empty());
        // The Switch is equivalent under the export's types (non-reference-source, an info).
        assert_eq!(users.equivalent.len(), 1);
        assert_eq!(users.equivalent[0].target, "active");
        let groups = d.objects.iter().find(|o| o.source_object == "Group").unwrap();
        assert_eq!(groups.status, ObjectStatus::Changed);
        let added: Vec<&str> = groups.added.iter().map(|c| c.target.as_str()).collect();
        assert_eq!(
            added,
            ["urn:ietf:params:scim:schemas:extension:enterprise:2.0:Group:description"]
        );
        // Its attribute definition is missing too; the 4 definitions the export has are not "removed".
        assert_eq!(groups.attributes.added.len(), 1);
        assert!(groups.attributes.removed.is_empty());
        let s = d.summary();
        assert_eq!((s.rows_changed, s.rows_added, s.rows_removed), (2, 1, 16));
    }

    #[test]
    fn unexpected_off_and_optional_objects() {
        let profile = Profile::parse(
            "p.yaml",
            "name: p\nusers:\n  unexpected: off\n  mappings:\n    - target: userName\n      source: \"[userPrincipalName]\"\n      matching: true\ngroups:\n  required: false\n  mappings: []\n",
        )
        .unwrap();
        let reference = MappingTable::from_profile(&profile);
        let mut export = sample("entra-defaults.json");
        export.objects.retain(|o| o.source_object == "User");
        let d = compare(&export, &reference);
        assert!(d.is_equal(), "{:#?}", d.objects);
        assert_eq!(d.objects.len(), 1);
    }

    #[test]
    fn objects_the_profile_does_not_describe_are_not_compared() {
        let profile = Profile::parse(
            "p.yaml",
            "name: p\nusers:\n  unexpected: off\n  mappings:\n    - target: userName\n      source: \"[userPrincipalName]\"\n      matching: true\n",
        )
        .unwrap();
        let d = compare(&sample("entra-defaults.json"), &MappingTable::from_profile(&profile));
        assert!(d.is_equal(), "{:#?}", d.objects);
        assert_eq!(d.objects.len(), 1, "the Group object mapping is not compared");
    }
}
