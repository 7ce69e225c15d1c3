//! One directory object as the provisioning service sees it: attribute values by the names the
//! synchronization schema uses.
//!
//! Graph and the provisioning engine name a few attributes differently; both spellings are
//! accepted, and a name the object gives explicitly wins over one derived from a Graph property:
//!
//! | engine attribute | read from (Graph) |
//! |---|---|
//! | `objectId` | `id` |
//! | `telephoneNumber` | the first of `businessPhones` |
//! | `mobile` | `mobilePhone` |
//! | `facsimileTelephoneNumber` | `faxNumber` |
//! | `physicalDeliveryOfficeName` | `officeLocation` |
//! | `extensionAttribute1`…`15` | `onPremisesExtensionAttributes` |
//! | `employeeOrgData.costCenter` (any `a.b`) | the nested object `employeeOrgData` |
//! | `manager` | an id string, or an object with `id` (what `$expand=manager` returns) |
//! | `members` | ids, or objects with `id` |
//! | `IsSoftDeleted` | see below |
//!
//! Directory extension attributes (`extension_<appId>_<name>`) and multi-valued attributes
//! (`proxyAddresses`, `otherMails`) are read as they are. Unknown properties are kept (they are
//! harmless: only attributes an expression reads matter) and missing ones are null.
//!
//! `IsSoftDeleted` is not stored on a user; the provisioning service computes it. It is taken
//! from the object when given (`IsSoftDeleted` or `isSoftDeleted`, a boolean or `"True"`/`"False"`);
//! otherwise it is `True` when the object carries a non-null `deletedDateTime` (Graph's deleted
//! items), or — only with `--disabled-means-soft-deleted` — when `accountEnabled` is `false`, and
//! `False` in every other case.

use crate::expr::{Input, Value};
use serde_json::Value as Json;

/// What kind of directory object this is, from `@odata.type` or its properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    User,
    Group,
    Unknown,
}

impl ObjectKind {
    pub fn source_object_name(self) -> Option<&'static str> {
        match self {
            ObjectKind::User => Some("User"),
            ObjectKind::Group => Some("Group"),
            ObjectKind::Unknown => None,
        }
    }
}

/// A directory object ready for evaluation.
#[derive(Debug, Clone)]
pub struct SourceObject {
    pub ordinal: usize,
    pub line: Option<usize>,
    /// `id` or `objectId`.
    pub id: Option<String>,
    /// How the object reads in messages: user principal name, else display name, else mail.
    pub label: Option<String>,
    pub kind: ObjectKind,
    pub input: Input,
}

/// How derived attributes are computed.
#[derive(Debug, Clone, Copy, Default)]
pub struct DeriveOptions {
    /// `accountEnabled: false` makes `IsSoftDeleted` true.
    pub disabled_means_soft_deleted: bool,
}

/// Graph property → engine attribute, filled when the engine name is absent.
const ALIASES: &[(&str, &str)] = &[
    ("id", "objectId"),
    ("mobilePhone", "mobile"),
    ("faxNumber", "facsimileTelephoneNumber"),
    ("officeLocation", "physicalDeliveryOfficeName"),
];

impl SourceObject {
    pub fn from_json(ordinal: usize, line: Option<usize>, json: &Json, options: DeriveOptions) -> SourceObject {
        let empty = serde_json::Map::new();
        let map = json.as_object().unwrap_or(&empty);
        let mut input = Input::new();
        for (name, value) in map {
            if name.starts_with("@odata.") {
                continue;
            }
            match (name.as_str(), value) {
                ("manager", v) => {
                    input.insert("manager", reference(v));
                }
                ("members", Json::Array(items)) => {
                    let ids = items
                        .iter()
                        .filter_map(|i| reference(i).as_single().map(str::to_string));
                    input.insert("members", Value::Multi(ids.collect()));
                }
                ("onPremisesExtensionAttributes", Json::Object(attrs)) => {
                    for (k, v) in attrs {
                        set_absent(&mut input, k, scalar(v));
                    }
                }
                ("businessPhones", Json::Array(items)) => {
                    input.insert(name.clone(), convert(value));
                    if let Some(first) = items.first() {
                        set_absent(&mut input, "telephoneNumber", scalar(first));
                    }
                }
                (_, Json::Object(inner)) => {
                    for (k, v) in inner {
                        set_absent(&mut input, &format!("{name}.{k}"), convert(v));
                    }
                }
                _ => {
                    // An explicit engine name replaces what an alias may have filled in.
                    input.insert(name.clone(), convert(value));
                }
            }
        }
        for (graph, engine) in ALIASES {
            if let Some(v) = map.get(*graph) {
                set_absent(&mut input, engine, convert(v));
            }
        }
        let explicit = ["IsSoftDeleted", "isSoftDeleted"]
            .iter()
            .find_map(|k| map.get(*k))
            .map(|v| match v {
                Json::String(s) if s.eq_ignore_ascii_case("true") => Value::bool(true),
                Json::String(s) if s.eq_ignore_ascii_case("false") => Value::bool(false),
                other => convert(other),
            });
        let soft_deleted = explicit.unwrap_or_else(|| {
            let deleted = map.get("deletedDateTime").is_some_and(|v| !v.is_null());
            let disabled = options.disabled_means_soft_deleted
                && match map.get("accountEnabled") {
                    Some(Json::Bool(enabled)) => !enabled,
                    Some(Json::String(s)) => s.eq_ignore_ascii_case("false"),
                    _ => false,
                };
            Value::bool(deleted || disabled)
        });
        input.insert("IsSoftDeleted", soft_deleted);

        let text = |k: &str| map.get(k).and_then(Json::as_str).map(str::to_string);
        let id = text("id").or_else(|| text("objectId"));
        let label = text("userPrincipalName")
            .or_else(|| text("displayName"))
            .or_else(|| text("mail"));
        SourceObject {
            ordinal,
            line,
            id,
            label,
            kind: kind_of(map),
            input,
        }
    }
}

fn set_absent(input: &mut Input, name: &str, value: Value) {
    if input.get(name).is_none() {
        input.insert(name, value);
    }
}

/// A JSON value as an attribute value; shapes the evaluator cannot hold (arrays of arrays) are
/// null, like a property the engine does not read.
fn convert(json: &Json) -> Value {
    Value::from_json(json).unwrap_or(Value::Null)
}

fn scalar(json: &Json) -> Value {
    match json {
        Json::Array(_) | Json::Object(_) => Value::Null,
        other => convert(other),
    }
}

/// A reference: an id string or an object with `id` (or `objectId`, or `value`).
fn reference(json: &Json) -> Value {
    match json {
        Json::String(s) => Value::str(s.clone()),
        Json::Object(o) => ["id", "objectId", "value"]
            .iter()
            .find_map(|k| o.get(*k).and_then(Json::as_str))
            .map_or(Value::Null, Value::str),
        _ => Value::Null,
    }
}

fn kind_of(map: &serde_json::Map<String, Json>) -> ObjectKind {
    if let Some(t) = map.get("@odata.type").and_then(Json::as_str) {
        let t = t.to_ascii_lowercase();
        if t.ends_with(".user") {
            return ObjectKind::User;
        }
        if t.ends_with(".group") {
            return ObjectKind::Group;
        }
    }
    if map.contains_key("userPrincipalName") {
        ObjectKind::User
    } else if ["groupTypes", "securityEnabled", "mailEnabled", "members"]
        .iter()
        .any(|k| map.contains_key(*k))
    {
        ObjectKind::Group
    } else {
        ObjectKind::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(json: Json, disabled_means_soft_deleted: bool) -> SourceObject {
        SourceObject::from_json(
            1,
            None,
            &json,
            DeriveOptions {
                disabled_means_soft_deleted,
            },
        )
    }

    #[test]
    fn graph_names_become_engine_names() {
        let o = object(
            json!({
                "@odata.type": "#microsoft.graph.user",
                "id": "u1", "userPrincipalName": "a@contoso.com",
                "businessPhones": ["+1 555", "+1 556"], "mobilePhone": "+1 557",
                "onPremisesExtensionAttributes": {"extensionAttribute1": "x"},
                "employeeOrgData": {"costCenter": "CC1"},
                "manager": {"id": "m1", "displayName": "Boss"},
                "proxyAddresses": ["SMTP:a@contoso.com", "smtp:b@contoso.com"],
                "extension_0123_costCode": "42"
            }),
            false,
        );
        assert_eq!(o.kind, ObjectKind::User);
        assert_eq!(o.id.as_deref(), Some("u1"));
        assert_eq!(o.label.as_deref(), Some("a@contoso.com"));
        let get = |k: &str| o.input.get(k).cloned();
        assert_eq!(get("objectId"), Some(Value::str("u1")));
        assert_eq!(get("telephoneNumber"), Some(Value::str("+1 555")));
        assert_eq!(get("mobile"), Some(Value::str("+1 557")));
        assert_eq!(get("extensionAttribute1"), Some(Value::str("x")));
        assert_eq!(get("employeeOrgData.costCenter"), Some(Value::str("CC1")));
        assert_eq!(get("manager"), Some(Value::str("m1")));
        assert_eq!(get("extension_0123_costCode"), Some(Value::str("42")));
        assert!(matches!(get("proxyAddresses"), Some(Value::Multi(v)) if v.len() == 2));
        assert_eq!(get("IsSoftDeleted"), Some(Value::str("False")));
    }

    #[test]
    fn explicit_engine_names_win_over_aliases() {
        let o = object(
            json!({"id": "u1", "objectId": "o1", "mobilePhone": "1", "mobile": "2"}),
            false,
        );
        assert_eq!(o.input.get("objectId"), Some(&Value::str("o1")));
        assert_eq!(o.input.get("mobile"), Some(&Value::str("2")));
    }

    #[test]
    fn soft_deleted_is_derived_as_documented() {
        let disabled = json!({"userPrincipalName": "a", "accountEnabled": false});
        assert_eq!(
            object(disabled.clone(), false).input.get("IsSoftDeleted"),
            Some(&Value::str("False"))
        );
        assert_eq!(
            object(disabled, true).input.get("IsSoftDeleted"),
            Some(&Value::str("True"))
        );
        let deleted = json!({"userPrincipalName": "a", "deletedDateTime": "2025-01-01T00:00:00Z"});
        assert_eq!(
            object(deleted, false).input.get("IsSoftDeleted"),
            Some(&Value::str("True"))
        );
        let explicit = json!({"userPrincipalName": "a", "accountEnabled": false, "IsSoftDeleted": "false"});
        assert_eq!(
            object(explicit, true).input.get("IsSoftDeleted"),
            Some(&Value::str("False"))
        );
    }

    #[test]
    fn groups_and_members() {
        let o = object(
            json!({"id": "g1", "displayName": "Sales", "securityEnabled": true, "members": ["u1", {"id": "u2"}]}),
            false,
        );
        assert_eq!(o.kind, ObjectKind::Group);
        assert_eq!(
            o.input.get("members"),
            Some(&Value::Multi(vec!["u1".into(), "u2".into()]))
        );
        assert_eq!(o.label.as_deref(), Some("Sales"));
    }
}
