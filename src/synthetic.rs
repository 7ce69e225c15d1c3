//! Synthetic exports of any size, for benchmarks and scale tests.
//!
//! Real exports are 50–100 KB; to measure how the linter scales (and to keep
//! the "≤ 2× the parse floor" promise honest) we need consistent exports of
//! 1 MB, 5 MB, 50 MB that exercise every stage the way a real one does. Each
//! generated export is a normal Entra → customappsso schema (pretty-printed,
//! keys in Graph's alphabetical order, every noise key a real export has)
//! whose customappsso User and Group objects define many extension
//! attributes (`urn:ietf:params:scim:schemas:extension:bench:2.0:User:attr123`),
//! each mapped from a rotating mix of Direct, Constant and Function sources
//! with the `parameters` layout Entra writes. A correct linter
//! reports nothing on it under `--profile none`; [`Options::defects`] plants
//! findings on purpose, for rendering benchmarks.
//!
//! Not part of the supported API: used by `examples/gen_export.rs`, the
//! benches and the tests.

use serde_json::{Value, json};

/// What to generate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Extension attributes defined and mapped (about one in five goes to the
    /// Group object, the rest to the User object).
    pub custom_attributes: usize,
    /// Mappings to targets the target object does not define: each one is an
    /// `unknown-target-attribute` error.
    pub defects: usize,
}

/// Source attributes the generated Direct mappings read, all defined on the
/// Entra User object below.
const USER_SOURCES: &[&str] = &[
    "mail",
    "givenName",
    "surname",
    "department",
    "jobTitle",
    "city",
    "country",
    "employeeId",
    "mailNickname",
    "userPrincipalName",
    "extensionAttribute1",
    "extensionAttribute2",
    "extensionAttribute3",
];

const GROUP_SOURCES: &[&str] = &["displayName", "description", "mail", "mailNickname"];

const USER_OBJECT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const GROUP_OBJECT: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";

/// One export, pretty-printed like the portal's download.
pub fn export(options: Options) -> String {
    let mut text = serde_json::to_string_pretty(&document(options)).expect("a Value always serialises");
    text.push('\n');
    text
}

/// An export of about `bytes` bytes (within a few hundred bytes, never less
/// than the fixed part of about 20 KB).
pub fn export_of_size(bytes: usize) -> String {
    let options = options_for_size(bytes);
    export(options)
}

/// The options that give an export of about `bytes` bytes: the size grows
/// linearly with the number of attributes, so two small samples calibrate it.
pub fn options_for_size(bytes: usize) -> Options {
    const SAMPLE: usize = 600; // a multiple of the source rotation, so the mix is representative
    let base = export(Options::default()).len();
    let sampled = export(Options {
        custom_attributes: SAMPLE,
        defects: 0,
    })
    .len();
    let per_attribute = (sampled - base) as f64 / SAMPLE as f64;
    let count = (bytes.saturating_sub(base) as f64 / per_attribute).round() as usize;
    Options {
        custom_attributes: count,
        defects: 0,
    }
}

fn document(options: Options) -> Value {
    let mut user_mappings = vec![
        direct_mapping("userName", "mail", 1),
        mapping("active", not_source("IsSoftDeleted"), 0),
        direct_mapping("displayName", "displayName", 0),
        direct_mapping("name.givenName", "givenName", 0),
        direct_mapping("name.familyName", "surname", 0),
        mapping(
            "name.formatted",
            join_source(" ", &[attribute_source("givenName"), attribute_source("surname")]),
            0,
        ),
        direct_mapping("externalId", "mailNickname", 0),
    ];
    let mut group_mappings = vec![
        direct_mapping("displayName", "displayName", 1),
        direct_mapping("externalId", "objectId", 0),
        direct_mapping("members", "members", 0),
    ];
    let mut user_attributes = vec![
        attribute_def("id", "String", true, true),
        attribute_def("userName", "String", false, true),
        attribute_def("active", "Boolean", false, false),
        attribute_def("displayName", "String", false, false),
        attribute_def("name.givenName", "String", false, false),
        attribute_def("name.familyName", "String", false, false),
        attribute_def("name.formatted", "String", false, false),
        attribute_def("externalId", "String", false, false),
    ];
    let mut group_attributes = vec![
        attribute_def("id", "String", true, true),
        attribute_def("displayName", "String", false, true),
        attribute_def("externalId", "String", false, false),
        members_def(),
    ];

    for i in 0..options.custom_attributes {
        if i % 5 == 4 {
            let name = format!("urn:ietf:params:scim:schemas:extension:bench:2.0:Group:attr{i}");
            group_attributes.push(attribute_def(&name, "String", false, false));
            group_mappings.push(mapping(&name, group_source(i), 0));
        } else {
            let name = format!("urn:ietf:params:scim:schemas:extension:bench:2.0:User:attr{i}");
            user_attributes.push(attribute_def(&name, "String", false, false));
            user_mappings.push(mapping(&name, user_source(i), 0));
        }
    }
    for i in 0..options.defects {
        let name = format!("urn:ietf:params:scim:schemas:extension:bench:2.0:User:undefined{i}");
        user_mappings.push(mapping(&name, user_source(i), 0));
    }

    json!({
        "@odata.context": "https://graph.microsoft.com/beta/$metadata#servicePrincipals('00000000-0000-0000-0000-000000000001')/synchronization/jobs('scim.00000000000000000000000000000001.00000000-0000-0000-0000-000000000002')/schema/$entity",
        "id": "scim.00000000000000000000000000000001.00000000-0000-0000-0000-000000000002",
        "version": "Date:2026-01-01T00:00:00.0000000Z, ActivityId:00000000-0000-0000-0000-000000000003",
        "synchronizationRules": [{
            "containerFilter": null,
            "editable": true,
            "groupFilter": null,
            "id": "03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8",
            "name": "USERGROUP_OUTBOUND_USERGROUP",
            "priority": 1,
            "sourceDirectoryName": "Microsoft Entra ID",
            "targetDirectoryName": "customappsso",
            "metadata": [{ "key": "supportsProvisionOnDemand", "value": "true" }],
            "objectMappings": [
                object_mapping("Provision Microsoft Entra ID Users", "User", USER_OBJECT, "userName", user_mappings),
                object_mapping("Provision Microsoft Entra ID Groups", "Group", GROUP_OBJECT, "displayName", group_mappings),
            ],
        }],
        "directories": [
            directory("66e4a8cc-1b7b-435e-95f8-f06cea133828", "Microsoft Entra ID", true, vec![
                object_def("User", entra_user_attributes()),
                object_def("Group", entra_group_attributes()),
            ]),
            directory("09760868-cafb-47ac-9031-0a3262300427", "customappsso", false, vec![
                object_def(USER_OBJECT, user_attributes),
                object_def(GROUP_OBJECT, group_attributes),
            ]),
        ],
    })
}

/// The source of the `i`-th User extension attribute: a rotation over the
/// mapping types a real export contains.
fn user_source(i: usize) -> Value {
    let attr = |k: usize| attribute_source(USER_SOURCES[(i + k) % USER_SOURCES.len()]);
    match i % 8 {
        0 | 1 => attr(0),
        2 => constant_source(&format!("Value {i}")),
        3 => join_source(" ", &[attribute_source("givenName"), attribute_source("surname")]),
        4 => function_source("ToLower", &[("source", attr(0))]),
        5 => switch_source(
            attribute_source("department"),
            Some("Other"),
            &[("IT", "Technology"), ("HR", "People"), ("Sales", "Revenue")],
        ),
        6 => function_source(
            "ToLower",
            &[(
                "source",
                join_source("@", &[attribute_source("mailNickname"), constant_source("contoso.com")]),
            )],
        ),
        _ => function_source("Append", &[("source", attr(1)), ("suffix", constant_source("-bench"))]),
    }
}

fn group_source(i: usize) -> Value {
    match i % 3 {
        0 => attribute_source(GROUP_SOURCES[i / 3 % GROUP_SOURCES.len()]),
        1 => constant_source(&format!("Group value {i}")),
        _ => function_source("ToUpper", &[("source", attribute_source("mailNickname"))]),
    }
}

fn mapping(target: &str, source: Value, matching_priority: u32) -> Value {
    json!({
        "defaultValue": null,
        "exportMissingReferences": false,
        "flowBehavior": "FlowWhenChanged",
        "flowType": "Always",
        "matchingPriority": matching_priority,
        "source": source,
        "targetAttributeName": target,
    })
}

fn direct_mapping(target: &str, source: &str, matching_priority: u32) -> Value {
    mapping(target, attribute_source(source), matching_priority)
}

fn source_node(kind: &str, name: &str, expression: String, parameters: Vec<Value>) -> Value {
    json!({ "expression": expression, "name": name, "parameters": parameters, "type": kind })
}

fn attribute_source(name: &str) -> Value {
    source_node("Attribute", name, format!("[{name}]"), Vec::new())
}

fn constant_source(value: &str) -> Value {
    source_node("Constant", value, crate::expr::printer::quote(value), Vec::new())
}

/// The expression text of a source node.
fn expression_of(source: &Value) -> &str {
    source["expression"].as_str().unwrap_or_default()
}

/// A function call; `args` are (parameter key, source) in call order.
fn function_source(name: &str, args: &[(&str, Value)]) -> Value {
    let text = args
        .iter()
        .map(|(_, s)| expression_of(s))
        .collect::<Vec<_>>()
        .join(", ");
    let parameters = args
        .iter()
        .map(|(key, value)| json!({ "key": key, "value": value }))
        .collect();
    source_node("Function", name, format!("{name}({text})"), parameters)
}

fn join_source(separator: &str, sources: &[Value]) -> Value {
    let mut args = vec![("separator", constant_source(separator))];
    args.extend(sources.iter().map(|s| ("source", s.clone())));
    function_source("Join", &args)
}

fn not_source(attribute: &str) -> Value {
    function_source("Not", &[("source", attribute_source(attribute))])
}

/// `Switch(source, default, key, value, …)`: every key and value uses the
/// parameter key `switchValue`; an empty default has no parameter at all.
fn switch_source(source: Value, default: Option<&str>, pairs: &[(&str, &str)]) -> Value {
    let mut texts = vec![expression_of(&source).to_string()];
    let mut parameters = vec![json!({ "key": "source", "value": source })];
    match default {
        Some(d) => {
            let d = constant_source(d);
            texts.push(expression_of(&d).to_string());
            parameters.push(json!({ "key": "defaultValue", "value": d }));
        }
        None => texts.push(String::new()),
    }
    for (key, value) in pairs {
        for v in [key, value] {
            let c = constant_source(v);
            texts.push(expression_of(&c).to_string());
            parameters.push(json!({ "key": "switchValue", "value": c }));
        }
    }
    let expression = format!("Switch({})", texts.join(", "));
    source_node("Function", "Switch", expression, parameters)
}

fn object_mapping(name: &str, source: &str, target: &str, joining: &str, mappings: Vec<Value>) -> Value {
    json!({
        "attributeMappings": mappings,
        "enabled": true,
        "flowTypes": "Add,Update,Delete",
        "metadata": [
            { "key": "Disposition", "value": "\"Normal\"" },
            { "key": "IsCustomerDefined", "value": "false" },
            { "key": "OriginalJoiningProperty", "value": joining },
        ],
        "name": name,
        "scope": null,
        "sourceObjectName": source,
        "targetObjectName": target,
    })
}

fn directory(id: &str, name: &str, read_only: bool, objects: Vec<Value>) -> Value {
    json!({
        "discoverabilities": if read_only { "AttributeNames,AttributeDataTypes" } else { "None" },
        "discoveryDateTime": null,
        "id": id,
        "metadata": [],
        "name": name,
        "objects": objects,
        "readOnly": read_only,
        "version": null,
    })
}

fn object_def(name: &str, attributes: Vec<Value>) -> Value {
    json!({ "attributes": attributes, "metadata": [], "name": name, "supportedApis": [name] })
}

fn attribute_def(name: &str, kind: &str, anchor: bool, required: bool) -> Value {
    json!({
        "anchor": anchor,
        "apiExpressions": [],
        "caseExact": false,
        "defaultValue": null,
        "flowNullValues": false,
        "metadata": [],
        "multivalued": false,
        "mutability": "ReadWrite",
        "name": name,
        "referencedObjects": [],
        "required": required,
        "type": kind,
    })
}

fn members_def() -> Value {
    let mut def = attribute_def("members", "Reference", false, false);
    def["multivalued"] = true.into();
    def["metadata"] = json!([{ "key": "IsContainer", "value": "true" }]);
    def["referencedObjects"] = json!([
        { "referencedObjectName": USER_OBJECT, "referencedProperty": null },
        { "referencedObjectName": GROUP_OBJECT, "referencedProperty": null },
    ]);
    def
}

fn entra_user_attributes() -> Vec<Value> {
    let mut attributes = vec![
        attribute_def("objectId", "String", true, false),
        attribute_def("IsSoftDeleted", "Boolean", false, true),
        attribute_def("accountEnabled", "Boolean", false, true),
        attribute_def("displayName", "String", false, true),
    ];
    attributes.extend(
        USER_SOURCES
            .iter()
            .filter(|n| !matches!(**n, "displayName"))
            .map(|n| attribute_def(n, "String", false, false)),
    );
    attributes
}

fn entra_group_attributes() -> Vec<Value> {
    let mut attributes = vec![attribute_def("objectId", "String", true, false)];
    attributes.extend(GROUP_SOURCES.iter().map(|n| attribute_def(n, "String", false, false)));
    let mut members = attribute_def("members", "Reference", false, false);
    members["multivalued"] = true.into();
    attributes.push(members);
    attributes
}

/// One synthetic Entra user as Graph returns it, on one line (JSON Lines): the input of the
/// `preview` benchmark and of `examples/gen_users.rs`. Deterministic in `i`. Every 1,000th user
/// has no mailbox (`mail` null), the typical problem user of a `userName ← [mail]` mapping.
pub fn user_line(i: usize) -> String {
    const GIVEN: [&str; 8] = ["Adele", "Alex", "Diego", "Grady", "Isaiah", "Johanna", "Lidia", "Megan"];
    const SURNAMES: [&str; 8] = [
        "Vance",
        "Wilber",
        "Siciliani",
        "Archie",
        "Langer",
        "Lorenz",
        "Holloway",
        "Bowen",
    ];
    const DEPARTMENTS: [&str; 4] = ["Sales", "Engineering", "Finance", "Marketing"];
    let given = GIVEN[i % GIVEN.len()];
    let surname = SURNAMES[(i / GIVEN.len()) % SURNAMES.len()];
    let upn = format!("{}.{}{i}@contoso.com", given.to_lowercase(), surname.to_lowercase());
    let mail = if i % 1000 == 999 {
        "null".to_string()
    } else {
        format!("\"{upn}\"")
    };
    format!(
        concat!(
            "{{\"@odata.type\":\"#microsoft.graph.user\",\"id\":\"{:08x}-0000-4000-8000-{:012x}\",",
            "\"userPrincipalName\":\"{}\",\"mail\":{},\"displayName\":\"{} {}\",\"givenName\":\"{}\",",
            "\"surname\":\"{}\",\"accountEnabled\":{},\"department\":\"{}\",\"jobTitle\":\"Analyst\",",
            "\"proxyAddresses\":[\"SMTP:{}\"]}}"
        ),
        i,
        i,
        upn,
        mail,
        given,
        surname,
        given,
        surname,
        !i.is_multiple_of(50),
        DEPARTMENTS[i % DEPARTMENTS.len()],
        upn
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_calibration_lands_close_to_the_target() {
        for target in [100_000, 1_000_000] {
            let len = export_of_size(target).len();
            let error = (len as f64 - target as f64).abs() / target as f64;
            assert!(error < 0.02, "asked {target} bytes, got {len}");
        }
    }

    #[test]
    fn a_generated_export_is_clean_and_planted_defects_are_found() {
        let settings = crate::LintSettings::default();
        let clean = export(Options {
            custom_attributes: 240,
            defects: 0,
        });
        let report = crate::lint_text("synthetic.json", &clean, &settings);
        assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);

        let broken = export(Options {
            custom_attributes: 40,
            defects: 3,
        });
        let report = crate::lint_text("synthetic.json", &broken, &settings);
        let rules: Vec<&str> = report.diagnostics.iter().map(|d| d.rule).collect();
        assert_eq!(rules, ["unknown-target-attribute"; 3]);
    }

    #[test]
    fn function_sources_have_entra_parameter_layout() {
        let switch = switch_source(attribute_source("department"), None, &[("IT", "Tech")]);
        assert_eq!(switch["expression"], "Switch([department], , \"IT\", \"Tech\")");
        assert_eq!(switch["type"], "Function");
        let keys: Vec<&str> = switch["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["key"].as_str().unwrap())
            .collect();
        assert_eq!(
            keys,
            ["source", "switchValue", "switchValue"],
            "no entry for the empty default"
        );
        let join = join_source(" ", &[attribute_source("givenName"), attribute_source("surname")]);
        assert_eq!(join["expression"], "Join(\" \", [givenName], [surname])");
    }
}
