//! `profile from-export`: a profile that makes an approved export the
//! reference.
//!
//! A team that has reviewed its mapping tables once wants every later change
//! checked against what it approved, not against a vendor's defaults. The
//! profile written here states exactly that export: for the first enabled
//! user and group object mapping, every attribute mapping as a row (source
//! expression as written, flow type when not `Always`, the matching attribute
//! with precedence 1 as the identity), the attribute definitions those
//! targets have in the export's target object, and `unexpected: error`, so
//! that a mapping added later is reported until the profile is updated. The
//! export it came from lints clean under it (tested).
//!
//! The text is built by hand rather than serialised, so that it reads like a
//! profile a person wrote (comments, key order, one row per mapping). Every
//! scalar taken from the export is written as a JSON string, which is also a
//! valid YAML double-quoted scalar: control characters and quotes are
//! escaped, so nothing in the export can change the YAML's structure.

use super::ObjectKind;
use crate::json;
use crate::model::{self, AttributeMapping, ObjectDef, ObjectMapping};

/// Why no profile could be made.
#[derive(Debug, thiserror::Error)]
pub enum FromExportError {
    #[error("{file} is not valid JSON ({message})")]
    InvalidJson { file: String, message: String },
    #[error("{file} has no enabled object mapping from User or Group")]
    Nothing { file: String },
}

/// Writes the profile YAML for the export `text` (named `file` in comments).
pub fn from_export(file: &str, text: &str, name: &str) -> Result<String, FromExportError> {
    let root = json::parse(text).map_err(|e| FromExportError::InvalidJson {
        file: file.to_string(),
        message: e.message,
    })?;
    let schema = model::build(&root);
    let mut out = String::new();
    out.push_str(&format!(
        "# Written by `mapping-lint profile from-export` from {}.\n\
         # It makes that export the reference: lint later versions with `--profile` and\n\
         # every change to these tables is reported until this file is updated.\n",
        crate::json::quote(file)
    ));
    out.push_str(&format!("name: {}\n", crate::json::quote(name)));
    out.push_str(&format!(
        "description: {}\n",
        crate::json::quote(&format!(
            "The approved mapping tables of {file}: every mapping as it was approved; any other mapping is an error."
        ))
    ));
    let mut any = false;
    for kind in [ObjectKind::Users, ObjectKind::Groups] {
        let found = schema
            .object_mappings()
            .find(|(_, om)| om.is_enabled() && om.source_object_name().eq_ignore_ascii_case(kind.default_source()));
        let Some((rule, om)) = found else { continue };
        any = true;
        let target_object = schema.objects_of(rule, om).1;
        object(&mut out, kind, om, target_object);
    }
    if !any {
        return Err(FromExportError::Nothing { file: file.to_string() });
    }
    // Expressions are copied from the export: credentials in them pass the
    // same mask as every other output.
    let masker = crate::secrets::Masker::new(&crate::secrets::scan(&root), text);
    Ok(masker.mask(&out).into_owned())
}

fn object(out: &mut String, kind: ObjectKind, om: &ObjectMapping, target_object: Option<&ObjectDef>) {
    out.push_str(&format!("\n{}:\n", kind.key()));
    out.push_str(&format!(
        "  source-object: {}\n",
        crate::json::quote(om.source_object_name())
    ));
    out.push_str(&format!(
        "  target-objects: [{}]\n",
        crate::json::quote(om.target_object_name())
    ));
    out.push_str("  required: true\n");
    out.push_str("  unexpected: error\n");
    // The identity: the matching attribute with the lowest precedence ≥ 1.
    let identity = om
        .attribute_mappings
        .iter()
        .filter(|am| am.is_matching())
        .min_by_key(|am| am.matching_priority())
        .map(|am| am.index);
    let mut seen = std::collections::HashSet::new();
    let rows: Vec<&AttributeMapping> = om
        .attribute_mappings
        .iter()
        .filter(|am| !am.target_name().trim().is_empty() && seen.insert(am.target_name().trim().to_string()))
        .collect();
    if rows.is_empty() {
        out.push_str("  mappings: []\n");
        return;
    }
    out.push_str("  mappings:\n");
    for am in rows {
        out.push_str(&format!(
            "    - target: {}\n",
            crate::json::quote(am.target_name().trim())
        ));
        match &am.source {
            Some(source) => {
                let text = source.expression_text();
                if usable(&text) {
                    out.push_str(&format!("      source: {}\n", crate::json::quote(&text)));
                } else {
                    out.push_str(&format!(
                        "      # the export's source {} is not a valid expression: any source is accepted\n",
                        crate::json::quote(&text)
                    ));
                }
            }
            None => out.push_str("      # no source in the export (mapping type None): any source is accepted\n"),
        }
        match am.flow_type() {
            "Always" => {}
            flow @ ("ObjectAddOnly" | "MultiValueAddOnly" | "ValueAddOnly" | "AttributeAddOnly") => {
                out.push_str(&format!("      flow: {flow}\n"));
            }
            other => out.push_str(&format!(
                "      # the export's flow type {} is unknown; the profile requires Always\n",
                crate::json::quote(other)
            )),
        }
        if identity == Some(am.index) {
            out.push_str("      matching: true\n");
        }
        if let Some(def) = target_object.and_then(|o| o.attribute(am.target_name().trim())) {
            let kind = match def.kind() {
                k @ ("String" | "Integer" | "Reference" | "Binary" | "Boolean" | "DateTime") => k,
                _ => "String",
            };
            out.push_str(&format!(
                "      attribute: {{ type: {kind}, multivalued: {}, required: {} }}\n",
                def.multivalued, def.required
            ));
        }
    }
}

/// Whether a profile can use `text` as a source: it parses, and every
/// function exists with a valid number of arguments (what the profile
/// loader checks).
fn usable(text: &str) -> bool {
    let Ok(tree) = crate::expr::parse(text) else {
        return false;
    };
    tree.calls().all(|c| crate::expr::lookup(c.name).is_some()) && crate::expr::check_arity_all(&tree).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;

    #[test]
    fn the_profile_parses_and_states_the_tables() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/entra-defaults.json")).unwrap();
        let yaml = from_export("entra-defaults.json", &text, "approved").unwrap();
        let p = Profile::parse("approved.yaml", &yaml).unwrap();
        assert_eq!(p.name, "approved");
        let users = &p.objects[0];
        assert_eq!(users.kind, ObjectKind::Users);
        assert_eq!(users.identity().unwrap().target, "userName");
        assert_eq!(users.unexpected, crate::profile::Policy::Error);
        assert!(users.mappings.len() >= 20, "{}", users.mappings.len());
    }

    #[test]
    fn not_json_or_nothing_to_describe() {
        assert!(matches!(
            from_export("x", "{", "x"),
            Err(FromExportError::InvalidJson { .. })
        ));
        assert!(matches!(
            from_export("x", "{\"synchronizationRules\": []}", "x"),
            Err(FromExportError::Nothing { .. })
        ));
    }

    #[test]
    fn quoting_keeps_the_yaml_structure() {
        assert_eq!(crate::json::quote("a\"b\nc: d"), "\"a\\\"b\\nc: d\"");
    }

    #[test]
    fn a_credential_in_an_expression_is_masked() {
        let export = r#"{"synchronizationRules":[{"objectMappings":[{"enabled":true,"sourceObjectName":"User","targetObjectName":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","attributeMappings":[
            {"targetAttributeName":"userName","matchingPriority":1,"source":{"expression":"[userPrincipalName]"}},
            {"targetAttributeName":"password","source":{"expression":"\"Sup3rS3cretValue!\""}}]}]}]}"#;
        let yaml = from_export("x.json", export, "x").unwrap();
        assert!(!yaml.contains("Sup3rS3cretValue"), "{yaml}");
        assert!(yaml.contains(crate::secrets::MASK), "{yaml}");
    }
}
