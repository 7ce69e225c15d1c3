//! The SCIM requests the provisioning service sends, built from target attribute names and values.
//!
//! The shapes follow Microsoft's documented requests (see docs/preview.md for the examples and
//! their URLs):
//! - **create**: `POST /Users` with `schemas` (core and enterprise user, plus any other extension
//!   used), the attributes, and `meta.resourceType`; `POST /Groups` with the core group schema and
//!   Microsoft's ADSCIM group schema, *without* members (groups are created empty), followed by a
//!   `PATCH` that adds the members;
//! - **match**: `GET /Users?filter=<attribute> eq "<value>"`, and for groups
//!   `GET /Groups?excludedAttributes=members&filter=displayName eq "<value>"`;
//! - **update**: `PATCH` with `urn:ietf:params:scim:api:messages:2.0:PatchOp` operations, one
//!   `Replace` per attribute whose path is the target attribute name;
//! - **disable**: `PATCH` replacing `active` with false.
//!
//! Target names become JSON paths: `name.givenName` nests, `emails[type eq "work"].value` becomes
//! an element of `emails` with `type: "work"` (and `primary: true` for the work entry, as in the
//! documented create request), and a name under an extension schema URN
//! (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`) goes into that
//! schema's object. Null values are left out. Boolean targets carry JSON booleans and Integer
//! targets JSON numbers when the value reads as one.
//!
//! [`PatchStyle`] chooses between the two documented PATCH dialects: what the service sends by
//! default (operations `Replace`/`Add`, Boolean values as the strings `"True"`/`"False"`), and
//! what it sends with the `aadOptscim062020` tenant-URL flag (lower-case operations, real
//! booleans, single-valued attributes replaced together in one operation without a path).

use serde::ser::{SerializeMap, SerializeSeq};

pub const CORE_USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const ENTERPRISE_USER: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
pub const CORE_GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// The second schema of Microsoft's documented create-group request.
pub const ADSCIM_GROUP: &str = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// A JSON value that keeps its keys in insertion order (request bodies read like the documented
/// examples, `schemas` first).
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    Array(Vec<Body>),
    Object(Vec<(String, Body)>),
}

impl Body {
    pub fn str(s: impl Into<String>) -> Body {
        Body::Str(s.into())
    }

    fn object_mut(&mut self) -> Option<&mut Vec<(String, Body)>> {
        match self {
            Body::Object(fields) => Some(fields),
            _ => None,
        }
    }

    /// The member `key` of an object, created by `make` when absent (or replaced when a scalar
    /// stands where an object or array is needed).
    fn entry(&mut self, key: &str, make: impl FnOnce() -> Body) -> &mut Body {
        let fields = self.object_mut().expect("entry is only called on objects");
        let at = match fields.iter().position(|(k, _)| k == key) {
            Some(at) => at,
            None => {
                fields.push((key.to_string(), make()));
                fields.len() - 1
            }
        };
        &mut fields[at].1
    }

    /// Sets `key`, replacing an existing member in place.
    pub fn set(&mut self, key: &str, value: Body) {
        *self.entry(key, || Body::Null) = value;
    }

    /// Converts to `serde_json::Value` (key order is lost; for comparisons).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Body::Null => J::Null,
            Body::Bool(b) => J::Bool(*b),
            Body::Int(i) => J::from(*i),
            Body::Str(s) => J::String(s.clone()),
            Body::Array(items) => J::Array(items.iter().map(Body::to_json).collect()),
            Body::Object(fields) => J::Object(fields.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
        }
    }

    pub fn from_json(json: &serde_json::Value) -> Body {
        use serde_json::Value as J;
        match json {
            J::Null => Body::Null,
            J::Bool(b) => Body::Bool(*b),
            J::Number(n) => n.as_i64().map_or_else(|| Body::Str(n.to_string()), Body::Int),
            J::String(s) => Body::Str(s.clone()),
            J::Array(items) => Body::Array(items.iter().map(Body::from_json).collect()),
            J::Object(map) => Body::Object(map.iter().map(|(k, v)| (k.clone(), Body::from_json(v))).collect()),
        }
    }
}

impl serde::Serialize for Body {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Body::Null => s.serialize_unit(),
            Body::Bool(b) => s.serialize_bool(*b),
            Body::Int(i) => s.serialize_i64(*i),
            Body::Str(v) => s.serialize_str(v),
            Body::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Body::Object(fields) => {
                let mut map = s.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// A target attribute name taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetPath {
    /// The schema URN when the name is qualified by one.
    pub urn: Option<String>,
    /// `emails` in `emails[type eq "work"].value`, or the dotted parts of a plain name.
    pub parts: Vec<String>,
    /// `(type, work)` in `emails[type eq "work"].value`.
    pub filter: Option<(String, String)>,
    /// `value` in `emails[type eq "work"].value`.
    pub sub: Option<String>,
}

impl TargetPath {
    pub fn parse(name: &str) -> TargetPath {
        let (urn, rest) = split_urn(name);
        if let Some(open) = rest.find('[')
            && let Some(close) = rest[open..].find(']').map(|c| open + c)
            && let Some((attr, value)) = parse_filter(&rest[open + 1..close])
        {
            let sub = rest[close + 1..].strip_prefix('.').filter(|s| !s.is_empty());
            return TargetPath {
                urn,
                parts: vec![rest[..open].to_string()],
                filter: Some((attr, value)),
                sub: sub.map(str::to_string),
            };
        }
        TargetPath {
            urn,
            parts: rest.split('.').map(str::to_string).collect(),
            filter: None,
            sub: None,
        }
    }

    /// Whether the path addresses an element of a multi-valued attribute.
    pub fn is_filtered(&self) -> bool {
        self.filter.is_some()
    }
}

/// `urn:…:User:department` → (`urn:…:User`, `department`). A name that starts with `urn:` is split
/// at its last colon outside brackets.
fn split_urn(name: &str) -> (Option<String>, &str) {
    if !name.starts_with("urn:") {
        return (None, name);
    }
    let head = name.find('[').map_or(name, |b| &name[..b]);
    match head.rfind(':') {
        Some(at) => (Some(name[..at].to_string()), &name[at + 1..]),
        None => (None, name),
    }
}

/// `type eq "work"` → (`type`, `work`).
fn parse_filter(filter: &str) -> Option<(String, String)> {
    let mut words = filter.trim().splitn(3, ' ');
    let attr = words.next()?;
    if !words.next()?.eq_ignore_ascii_case("eq") {
        return None;
    }
    let value = words.next()?.trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value);
    Some((attr.to_string(), value.to_string()))
}

/// Which resource endpoint an object mapping writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Users,
    Groups,
}

impl Resource {
    /// From the target object name (`urn:…:enterprise:2.0:User`, `User`, `urn:…:core:2.0:Group`).
    pub fn of_target(name: &str) -> Option<Resource> {
        let last = name.rsplit(':').next().unwrap_or(name);
        if last.eq_ignore_ascii_case("group") || last.eq_ignore_ascii_case("groups") {
            Some(Resource::Groups)
        } else if last.eq_ignore_ascii_case("user") || last.eq_ignore_ascii_case("users") {
            Some(Resource::Users)
        } else {
            None
        }
    }

    pub fn path(self) -> &'static str {
        match self {
            Resource::Users => "/Users",
            Resource::Groups => "/Groups",
        }
    }

    pub fn core_schema(self) -> &'static str {
        match self {
            Resource::Users => CORE_USER,
            Resource::Groups => CORE_GROUP,
        }
    }

    fn resource_type(self) -> &'static str {
        match self {
            Resource::Users => "User",
            Resource::Groups => "Group",
        }
    }
}

/// The two documented PATCH dialects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PatchStyle {
    /// What the service sends without flags.
    #[default]
    Default,
    /// With the `aadOptscim062020` flag in the tenant URL.
    Compliant,
}

/// One HTTP request.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Request {
    pub method: &'static str,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
}

/// One attribute value ready for a request: the target path and the typed value.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    pub target: String,
    pub path: TargetPath,
    pub value: Body,
    /// A Reference target (manager, members): sent as `{"value": id}` in a create body.
    pub reference: bool,
    /// The target is multi-valued.
    pub multivalued: bool,
}

/// `GET /Users?filter=userName eq "value"` (quotes and backslashes escaped as SCIM filters
/// require).
pub fn match_request(resource: Resource, attribute: &str, value: &str) -> Request {
    let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
    let path = match resource {
        Resource::Users => format!("/Users?filter={attribute} eq \"{escaped}\""),
        Resource::Groups => format!("/Groups?excludedAttributes=members&filter={attribute} eq \"{escaped}\""),
    };
    Request {
        method: "GET",
        path,
        body: None,
    }
}

/// `POST /Users` or `POST /Groups` (and, for a group with members, the PATCH that adds them).
pub fn create_requests(resource: Resource, sent: &[Sent], style: PatchStyle) -> Vec<Request> {
    let mut schemas = vec![resource.core_schema().to_string()];
    schemas.push(
        match resource {
            Resource::Users => ENTERPRISE_USER,
            Resource::Groups => ADSCIM_GROUP,
        }
        .to_string(),
    );
    let mut body = Body::Object(vec![("schemas".into(), Body::Null)]);
    let mut members = Vec::new();
    for s in sent {
        if resource == Resource::Groups && s.path.urn.is_none() && s.path.parts == ["members"] {
            members.push(s);
            continue;
        }
        let container = match &s.path.urn {
            Some(urn) if urn != resource.core_schema() => {
                if !schemas.contains(urn) {
                    schemas.push(urn.clone());
                }
                body.entry(urn, || Body::Object(Vec::new()))
            }
            _ => &mut body,
        };
        let value = if s.reference {
            reference_value(&s.value)
        } else {
            s.value.clone()
        };
        insert(container, &s.path, value);
    }
    body.set("schemas", Body::Array(schemas.into_iter().map(Body::Str).collect()));
    body.set(
        "meta",
        Body::Object(vec![("resourceType".into(), Body::str(resource.resource_type()))]),
    );
    let mut requests = vec![Request {
        method: "POST",
        path: resource.path().to_string(),
        body: Some(body),
    }];
    for m in members {
        requests.push(patch(
            &format!("{}/{{id}}", resource.path()),
            vec![member_add(&m.value, style)],
        ));
    }
    requests
}

/// `{"value": id}` for a single reference, a list of those for several.
fn reference_value(value: &Body) -> Body {
    let one = |v: &Body| Body::Object(vec![("value".into(), v.clone())]);
    match value {
        Body::Array(items) => Body::Array(items.iter().map(one).collect()),
        other => one(other),
    }
}

fn member_add(value: &Body, style: PatchStyle) -> Body {
    let ids: Vec<Body> = match value {
        Body::Array(items) => items.clone(),
        other => vec![other.clone()],
    };
    let members = ids
        .into_iter()
        .map(|id| Body::Object(vec![("$ref".into(), Body::Null), ("value".into(), id)]))
        .collect();
    Body::Object(vec![
        ("op".into(), Body::str(op_name("Add", style))),
        ("path".into(), Body::str("members")),
        ("value".into(), Body::Array(members)),
    ])
}

fn op_name(op: &str, style: PatchStyle) -> String {
    match style {
        PatchStyle::Default => op.to_string(),
        PatchStyle::Compliant => op.to_ascii_lowercase(),
    }
}

/// Places `value` at `path` inside `container` (an object).
fn insert(container: &mut Body, path: &TargetPath, value: Body) {
    let Some((last, parents)) = path.parts.split_last() else {
        return;
    };
    let mut at = container;
    for p in parents {
        at = at.entry(p, || Body::Object(Vec::new()));
        if !matches!(at, Body::Object(_)) {
            *at = Body::Object(Vec::new());
        }
    }
    match &path.filter {
        None => at.set(last, value),
        Some((attr, filter_value)) => {
            let list = at.entry(last, || Body::Array(Vec::new()));
            if !matches!(list, Body::Array(_)) {
                *list = Body::Array(Vec::new());
            }
            let Body::Array(items) = list else { unreachable!() };
            let filter_body = if attr == "primary" {
                match filter_value.to_ascii_lowercase().as_str() {
                    "true" => Body::Bool(true),
                    "false" => Body::Bool(false),
                    _ => Body::str(filter_value.clone()),
                }
            } else {
                Body::str(filter_value.clone())
            };
            let found = items.iter().position(|item| match item {
                Body::Object(fields) => fields.iter().any(|(k, v)| k == attr && *v == filter_body),
                _ => false,
            });
            let index = found.unwrap_or_else(|| {
                let mut fields = Vec::new();
                if attr == "type" && filter_value == "work" {
                    fields.push(("primary".to_string(), Body::Bool(true)));
                }
                fields.push((attr.clone(), filter_body));
                items.push(Body::Object(fields));
                items.len() - 1
            });
            items[index].set(path.sub.as_deref().unwrap_or("value"), value);
        }
    }
}

fn patch(path: &str, operations: Vec<Body>) -> Request {
    Request {
        method: "PATCH",
        path: path.to_string(),
        body: Some(Body::Object(vec![
            ("schemas".into(), Body::Array(vec![Body::str(PATCH_OP)])),
            ("Operations".into(), Body::Array(operations)),
        ])),
    }
}

/// The PATCH of an update: one `Replace` per attribute (members are added), or with the
/// compliant flag one path-less `replace` for the single-valued attributes.
pub fn update_request(resource: Resource, sent: &[Sent], style: PatchStyle) -> Request {
    let mut operations = Vec::new();
    let mut grouped = Vec::new();
    for s in sent {
        if resource == Resource::Groups && s.path.urn.is_none() && s.path.parts == ["members"] {
            operations.push(member_add(&s.value, style));
            continue;
        }
        let value = patch_value(&s.value, style);
        if style == PatchStyle::Compliant && !s.path.is_filtered() && !s.multivalued {
            grouped.push((s.target.clone(), value));
            continue;
        }
        operations.push(Body::Object(vec![
            ("op".into(), Body::str(op_name("Replace", style))),
            ("path".into(), Body::str(s.target.clone())),
            ("value".into(), value),
        ]));
    }
    if !grouped.is_empty() {
        operations.push(Body::Object(vec![
            ("op".into(), Body::str("replace")),
            ("value".into(), Body::Object(grouped)),
        ]));
    }
    patch(&format!("{}/{{id}}", resource.path()), operations)
}

/// Booleans are the strings "True"/"False" in the default PATCH dialect.
fn patch_value(value: &Body, style: PatchStyle) -> Body {
    match (value, style) {
        (Body::Bool(b), PatchStyle::Default) => Body::str(if *b { "True" } else { "False" }),
        (other, _) => other.clone(),
    }
}

/// The deprovisioning request: `active` replaced with false, or a DELETE when the mapping has no
/// `active` (then Entra deletes the object in the application).
pub fn disable_request(resource: Resource, has_active: bool, style: PatchStyle) -> Request {
    let path = format!("{}/{{id}}", resource.path());
    if !has_active || resource == Resource::Groups {
        return Request {
            method: "DELETE",
            path,
            body: None,
        };
    }
    patch(
        &path,
        vec![Body::Object(vec![
            ("op".into(), Body::str(op_name("Replace", style))),
            ("path".into(), Body::str("active")),
            ("value".into(), patch_value(&Body::Bool(false), style)),
        ])],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_paths() {
        let p = TargetPath::parse(r#"emails[type eq "work"].value"#);
        assert_eq!(p.parts, ["emails"]);
        assert_eq!(p.filter, Some(("type".into(), "work".into())));
        assert_eq!(p.sub.as_deref(), Some("value"));
        assert_eq!(p.urn, None);

        let p = TargetPath::parse("name.givenName");
        assert_eq!(p.parts, ["name", "givenName"]);

        let p = TargetPath::parse("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department");
        assert_eq!(p.urn.as_deref(), Some(ENTERPRISE_USER));
        assert_eq!(p.parts, ["department"]);

        let p = TargetPath::parse("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value");
        assert_eq!(p.parts, ["manager", "value"]);

        let p = TargetPath::parse(r#"roles[primary eq "True"].value"#);
        assert_eq!(p.filter, Some(("primary".into(), "True".into())));
    }

    #[test]
    fn resources() {
        assert_eq!(Resource::of_target(ENTERPRISE_USER), Some(Resource::Users));
        assert_eq!(Resource::of_target(CORE_GROUP), Some(Resource::Groups));
        assert_eq!(Resource::of_target("User"), Some(Resource::Users));
        assert_eq!(Resource::of_target("Account"), None);
    }

    #[test]
    fn match_requests_escape_the_value() {
        let r = match_request(Resource::Users, "userName", r#"a"b\c"#);
        assert_eq!(r.path, r#"/Users?filter=userName eq "a\"b\\c""#);
        let r = match_request(Resource::Groups, "displayName", "Sales");
        assert_eq!(
            r.path,
            r#"/Groups?excludedAttributes=members&filter=displayName eq "Sales""#
        );
    }
}
