//! The schema file `pull` writes and `diff live:` / `push` compare with.
//!
//! The same schema must give the same bytes, so that a nightly `pull`
//! committed to Git only shows real changes:
//! - keys are sorted (Graph's order is not a contract), arrays keep their
//!   order (it is the schema's), 2-space indentation, a final newline;
//! - volatile fields are dropped: OData annotations (`@odata.context`,
//!   `directories@odata.context`, …), which name the tenant's objects rather
//!   than the schema; the schema's and each directory's `version`, which
//!   Graph rewrites on every change (`Date:…, ActivityId:…`); and each
//!   directory's `discoveryDateTime`, which changes whenever the directory
//!   is discovered again. Graph's update call does not need them (its
//!   documented example sends neither);
//! - credentials are never written: the export scan that drives
//!   `secret-in-export` finds them and they are replaced by the mask.

use crate::json;
use crate::secrets;
use serde_json::Value;

/// The normalised schema text and how many credentials were masked in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    pub text: String,
    pub masked: usize,
}

/// Normalises a Graph schema response.
pub fn normalize(body: &str) -> Result<Normalized, String> {
    let mut value: Value = serde_json::from_str(body).map_err(|e| format!("the schema is not JSON: {e}"))?;
    let Some(object) = value.as_object_mut() else {
        return Err("the schema is not a JSON object".into());
    };
    if !object.contains_key("synchronizationRules") && !object.contains_key("directories") {
        return Err("the response is not a synchronization schema (no synchronizationRules or directories)".into());
    }
    object.remove("version");
    if let Some(Value::Array(directories)) = object.get_mut("directories") {
        for directory in directories.iter_mut().filter_map(Value::as_object_mut) {
            directory.remove("version");
            directory.remove("discoveryDateTime");
        }
    }
    strip_annotations(&mut value);
    let mut text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
    text.push('\n');
    let root = json::parse(&text).map_err(|e| format!("cannot re-read the normalised schema: {}", e.message))?;
    let found = secrets::scan(&root);
    let masked = found.len();
    let text = secrets::mask_text(&text, &found);
    Ok(Normalized { text, masked })
}

/// Drops every `@odata.*` annotation key (`@odata.context`,
/// `directories@odata.context`, …) at any depth.
fn strip_annotations(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|key, _| !key.contains("@odata."));
            map.values_mut().for_each(strip_annotations);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_annotations),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_sorted_without_volatile_fields_and_masked() {
        let a = r##"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#x","id":"scim","version":"Date:2024-06-19T14:53:12Z, ActivityId:1",
            "synchronizationRules":[{"name":"b","id":"r","metadata":[{"key":"SecretToken","value":"s3cr3t-token-value"}]}],
            "directories@odata.context":"https://x","directories":[{"name":"d","@odata.type":"#microsoft.graph.directoryDefinition","version":"Date:x","discoveryDateTime":"2024-01-01T00:00:00Z"}]}"##;
        let b = r#"{"directories":[{"name":"d"}],"synchronizationRules":[{"metadata":[{"value":"s3cr3t-token-value","key":"SecretToken"}],"id":"r","name":"b"}],"id":"scim","version":"other"}"#;
        let na = normalize(a).unwrap();
        let nb = normalize(b).unwrap();
        assert_eq!(na, nb);
        assert_eq!(na.masked, 1);
        assert!(!na.text.contains("s3cr3t"));
        assert!(!na.text.contains("odata"));
        assert!(!na.text.contains("version"));
        assert!(na.text.ends_with("}\n"));
        assert!(na.text.find("\"directories\"").unwrap() < na.text.find("\"id\"").unwrap());
    }

    #[test]
    fn non_schemas_are_refused() {
        assert!(normalize("[]").is_err());
        assert!(normalize("{\"value\": []}").is_err());
        assert!(normalize("nope").is_err());
    }
}
