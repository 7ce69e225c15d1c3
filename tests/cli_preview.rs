//! `mapping-lint preview` end to end: every request example of Microsoft's SCIM tutorial and of the
//! SCIM-compliance known-issues page that a preview can produce, every scoping-filter operator,
//! the findings, the input shapes, the output formats and the exit codes.
//!
//! Sources of the pinned examples:
//! - <https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups>
//!   ("SCIM protocol requests and responses");
//! - <https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility>
//!   ("Flags to alter the SCIM behavior");
//! - <https://learn.microsoft.com/entra/identity/app-provisioning/define-conditional-rules-for-provisioning-user-accounts>.

mod common;

use common::{bin, temp_file};
use serde_json::{Value, json};
use std::io::Write;

const TUTORIAL: &str = "tests/fixtures/preview/scim-tutorial.json";

/// Runs `preview -f json` with `objects` on stdin; returns the records and the exit code.
fn preview(export: &str, objects: &str, extra: &[&str]) -> (Vec<Value>, i32) {
    let out = bin()
        .args(["preview", export, "--objects", "-", "-f", "json"])
        .args(extra)
        .write_stdin(objects.to_string())
        .output()
        .unwrap();
    (json_lines(out.stdout), out.status.code().unwrap())
}

/// The records of `preview -f json` output, one JSON value a line.
fn json_lines(stdout: Vec<u8>) -> Vec<Value> {
    String::from_utf8(stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect()
}

fn objects_of(records: &[Value]) -> Vec<&Value> {
    records.iter().filter(|r| r["type"] == "object").collect()
}

/// The `i`-th request of the only object.
fn request(records: &[Value], i: usize) -> &Value {
    let objects = objects_of(records);
    assert_eq!(objects.len(), 1, "{records:#?}");
    &objects[0]["requests"][i]
}

/// Runs `preview` (human output) with `objects` on stdin; returns the standard output.
fn preview_human(export: &str, objects: &str) -> String {
    common::stdout_of(
        bin()
            .args(["preview", export, "--objects", "-"])
            .write_stdin(objects.to_string()),
    )
}

/// Runs `preview EXPORT --objects OBJECTS` with `extra` arguments.
fn run_preview(export: &str, objects: &str, extra: &[&str]) -> std::process::Output {
    bin()
        .args(["preview", export, "--objects", objects])
        .args(extra)
        .output()
        .unwrap()
}

/// An export file as a JSON value, to edit.
fn read_export(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// `export` written to a temporary file.
fn temp_export(export: &Value) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(export.to_string().as_bytes()).unwrap();
    file
}

const TUTORIAL_USER: &str = r##"{"@odata.type": "#microsoft.graph.user",
  "id": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
  "userPrincipalName": "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee",
  "mail": "Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com",
  "givenName": "givenName", "surname": "familyName", "appRoleAssignments": []}"##;

#[test]
fn tutorial_create_user() {
    let (records, code) = preview(TUTORIAL, TUTORIAL_USER, &["--object-mapping", "Tutorial users"]);
    assert_eq!(code, 0, "{records:#?}");
    let r = request(&records, 0);
    assert_eq!(r["method"], "POST");
    assert_eq!(r["path"], "/Users");
    // The documented request body, verbatim.
    let documented = json!({
        "schemas": [
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        "userName": "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee",
        "active": true,
        "emails": [{
            "primary": true,
            "type": "work",
            "value": "Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com"
        }],
        "meta": {
            "resourceType": "User"
        },
        "name": {
            "formatted": "givenName familyName",
            "familyName": "familyName",
            "givenName": "givenName"
        },
        "roles": []
    });
    assert_eq!(r["body"], documented);
}

#[test]
fn tutorial_get_user_by_query() {
    let (records, _) = preview(TUTORIAL, TUTORIAL_USER, &["--object-mapping", "Tutorial users"]);
    let object = objects_of(&records)[0];
    assert_eq!(object["matching"][0]["priority"], 1);
    assert_eq!(object["matching"][0]["request"]["method"], "GET");
    assert_eq!(
        object["matching"][0]["request"]["path"],
        r#"/Users?filter=userName eq "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee""#
    );
}

#[test]
fn tutorial_update_user_multi_valued_properties() {
    let user = r#"{"userPrincipalName": "u", "mail": "updatedEmail@microsoft.com", "surname": "updatedFamilyName"}"#;
    let (records, _) = preview(
        TUTORIAL,
        user,
        &["--object-mapping", "Tutorial users", "--operation", "update"],
    );
    let r = request(&records, 0);
    assert_eq!(r["method"], "PATCH");
    assert_eq!(r["path"], "/Users/{id}");
    let documented = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [
                {
                "op": "Replace",
                "path": "emails[type eq \"work\"].value",
                "value": "updatedEmail@microsoft.com"
                },
                {
                "op": "Replace",
                "path": "name.familyName",
                "value": "updatedFamilyName"
                }
        ]
    });
    assert_eq!(r["body"], documented);
}

#[test]
fn tutorial_update_user_single_valued_properties() {
    let user = r#"{"userPrincipalName": "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"}"#;
    let (records, _) = preview(
        TUTORIAL,
        user,
        &["--object-mapping", "Update userName", "--operation", "update"],
    );
    let documented = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{
            "op": "Replace",
            "path": "userName",
            "value": "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"
        }]
    });
    assert_eq!(request(&records, 0)["body"], documented);
}

/// Lower-cases every `op`: SCIM operation names are case-insensitive (RFC 7644 §3.5.2, and the
/// tutorial asks endpoints not to require a case-sensitive match).
fn ops_lowercased(mut body: Value) -> Value {
    for op in body["Operations"].as_array_mut().unwrap() {
        let name = op["op"].as_str().unwrap().to_ascii_lowercase();
        op["op"] = name.into();
    }
    body
}

#[test]
fn disable_user_in_both_documented_dialects() {
    let user = r#"{"userPrincipalName": "u"}"#;
    let args = ["--object-mapping", "Tutorial users", "--operation", "disable"];
    // Known-issues page, "Requests made to disable users", without the feature flag.
    let (records, _) = preview(TUTORIAL, user, &args);
    assert_eq!(request(&records, 0)["path"], "/Users/{id}");
    assert_eq!(
        request(&records, 0)["body"],
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "Replace", "path": "active", "value": "False"}]
        })
    );
    // … and with it (aadOptscim062020).
    let (records, _) = preview(TUTORIAL, user, &[&args[..], &["--patch-style", "compliant"]].concat());
    let compliant = request(&records, 0)["body"].clone();
    assert_eq!(
        compliant,
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "active", "value": false}]
        })
    );
    // The tutorial's "Disable User" request: the compliant body, up to the case of `op`.
    let tutorial = json!({
        "Operations": [{"op": "Replace", "path": "active", "value": false}],
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]
    });
    assert_eq!(ops_lowercased(compliant), ops_lowercased(tutorial));
}

#[test]
fn known_issues_replace_multiple_attributes() {
    let args = ["--object-mapping", "Replace several", "--operation", "update"];
    let user = r#"{"userPrincipalName": "u", "displayName": "Pvlo", "mail": "TestBcwqnm@test.microsoft.com",
        "givenName": "Gtfd", "surname": "Pkqf", "mailNickname": "Eqpj", "employeeId": "Eqpj"}"#;
    let (records, _) = preview(TUTORIAL, user, &args);
    let without_flag = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [
            {"op": "Replace", "path": "displayName", "value": "Pvlo"},
            {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "TestBcwqnm@test.microsoft.com"},
            {"op": "Replace", "path": "name.givenName", "value": "Gtfd"},
            {"op": "Replace", "path": "name.familyName", "value": "Pkqf"},
            {"op": "Replace", "path": "externalId", "value": "Eqpj"},
            {"op": "Replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "value": "Eqpj"}
        ]
    });
    assert_eq!(request(&records, 0)["body"], without_flag);

    // The documented flagged request has no externalId: a user without mailNickname.
    let user = r#"{"userPrincipalName": "u", "displayName": "Bjfe", "mail": "TestMhvaes@test.microsoft.com",
        "givenName": "Kkom", "surname": "Unua", "employeeId": "Aklq"}"#;
    let (records, _) = preview(TUTORIAL, user, &[&args[..], &["--patch-style", "compliant"]].concat());
    let with_flag = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [
            {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "TestMhvaes@test.microsoft.com"},
            {"op": "replace", "value": {
                "displayName": "Bjfe",
                "name.givenName": "Kkom",
                "name.familyName": "Unua",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "Aklq"
            }}
        ]
    });
    assert_eq!(request(&records, 0)["body"], with_flag);
}

const TUTORIAL_GROUP: &str = r##"{"@odata.type": "#microsoft.graph.group",
  "id": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159", "displayName": "displayName"}"##;

#[test]
fn tutorial_create_group_and_get_group_by_display_name() {
    let (records, code) = preview(TUTORIAL, TUTORIAL_GROUP, &[]);
    assert_eq!(code, 0);
    let object = objects_of(&records)[0];
    assert_eq!(object["objectMapping"], "Tutorial groups");
    assert_eq!(
        object["matching"][0]["request"]["path"],
        r#"/Groups?excludedAttributes=members&filter=displayName eq "displayName""#
    );
    let r = request(&records, 0);
    assert_eq!(
        (r["method"].as_str(), r["path"].as_str()),
        (Some("POST"), Some("/Groups"))
    );
    assert_eq!(
        r["body"],
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
            "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
            "displayName": "displayName",
            "meta": {
                "resourceType": "Group"
            }
        })
    );
    assert_eq!(object["requests"].as_array().unwrap().len(), 1, "no members, no PATCH");
}

#[test]
fn tutorial_update_group_non_member_attributes() {
    let group = r##"{"@odata.type": "#microsoft.graph.group", "id": "g",
        "displayName": "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"}"##;
    let (records, _) = preview(TUTORIAL, group, &["--operation", "update"]);
    let r = request(&records, 0);
    assert_eq!(r["path"], "/Groups/{id}");
    assert_eq!(
        r["body"],
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{
                "op": "Replace",
                "path": "displayName",
                "value": "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"
            }]
        })
    );
}

#[test]
fn tutorial_update_group_add_members_follows_the_create() {
    let group = r##"{"@odata.type": "#microsoft.graph.group", "id": "g", "displayName": "Sales",
        "members": [{"@odata.type": "#microsoft.graph.user", "id": "f648f8d5ea4e4cd38e9c"}]}"##;
    let (records, _) = preview(TUTORIAL, group, &[]);
    let r = request(&records, 1);
    assert_eq!(
        (r["method"].as_str(), r["path"].as_str()),
        (Some("PATCH"), Some("/Groups/{id}"))
    );
    assert_eq!(
        r["body"],
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{
                "op": "Add",
                "path": "members",
                "value": [{
                    "$ref": null,
                    "value": "f648f8d5ea4e4cd38e9c"
                }]
            }]
        })
    );
    assert!(
        request(&records, 0)["body"].get("members").is_none(),
        "groups are created empty"
    );
}

#[test]
fn deleting_a_group_on_disable() {
    let (records, _) = preview(TUTORIAL, TUTORIAL_GROUP, &["--operation", "disable"]);
    let r = request(&records, 0);
    assert_eq!(
        (r["method"].as_str(), r["path"].as_str()),
        (Some("DELETE"), Some("/Groups/{id}"))
    );
    assert!(r.get("body").is_none());
}

// --- scoping filters ------------------------------------------------------------------------

/// The Astrato sample with `scope` as the scoping filter of the user mapping.
fn export_with_user_scope(scope: &Value) -> tempfile::NamedTempFile {
    let mut export = read_export("samples/astrato.json");
    for mapping in export["synchronizationRules"][0]["objectMappings"]
        .as_array_mut()
        .unwrap()
    {
        if mapping["sourceObjectName"] == "User" {
            mapping["scope"] = scope.clone();
        }
    }
    temp_export(&export)
}

/// The Astrato sample with one scoping filter clause on the user mapping.
fn export_with_clause(attribute: &str, operator: &str, value: Option<&str>) -> tempfile::NamedTempFile {
    let values: Vec<&str> = value.into_iter().collect();
    export_with_user_scope(&json!({
        "groups": [{
            "name": "only these",
            "clauses": [{
                "operatorName": operator,
                "sourceOperandName": attribute,
                "targetOperand": {"values": values}
            }]
        }],
        "inputFilterGroups": [],
        "categoryFilterGroups": []
    }))
}

/// `preview -f json` of `objects`, one JSON line each: the records.
fn preview_each(export: &str, objects: &[Value]) -> Vec<Value> {
    let lines: Vec<String> = objects.iter().map(Value::to_string).collect();
    preview(export, &lines.join("\n"), &[]).0
}

/// `inScope` of each object record, in order.
fn in_scope_flags(records: &[Value]) -> Vec<bool> {
    objects_of(records)
        .iter()
        .map(|o| o["inScope"].as_bool().unwrap())
        .collect()
}

fn user(attribute: &str, value: Value) -> Value {
    let mut u = json!({"userPrincipalName": "u@contoso.com", "mail": "u@contoso.com"});
    u[attribute] = value;
    u
}

/// For three users whose `attribute` has these `values`: under a filter of the one clause
/// `attribute operator value` of each case, which of them are in scope.
fn assert_scoping(attribute: &str, values: [Value; 3], cases: &[(&str, Option<&str>, [bool; 3])]) {
    let objects = values.map(|v| user(attribute, v));
    for (operator, value, expected) in cases {
        let export = export_with_clause(attribute, operator, *value);
        let records = preview_each(export.path().to_str().unwrap(), &objects);
        assert_eq!(in_scope_flags(&records), expected, "{attribute} {operator} {value:?}");
    }
}

#[test]
fn scoping_equals_and_not_equals_are_case_sensitive() {
    assert_scoping(
        "department",
        [json!("Sales"), json!("sales"), Value::Null],
        &[
            ("EQUALS", Some("Sales"), [true, false, false]),
            ("NOT EQUALS", Some("Sales"), [false, true, false]),
        ],
    );
}

#[test]
fn scoping_regex_match_and_not_regex_match() {
    assert_scoping(
        "userPrincipalName",
        [json!("a@domain.com"), json!("a@other.com"), Value::Null],
        &[
            ("REGEX MATCH", Some(r".*\@domain.com"), [true, false, false]),
            // Documented: NOT REGEX MATCH is false for a null attribute.
            ("NOT REGEX MATCH", Some(r".*\@domain.com"), [false, true, false]),
        ],
    );
}

#[test]
fn scoping_is_null_and_is_not_null() {
    assert_scoping(
        "jobTitle",
        [json!("Engineer"), json!(""), Value::Null],
        &[
            ("IS NULL", None, [false, true, true]),
            ("IS NOT NULL", None, [true, false, false]),
        ],
    );
}

#[test]
fn scoping_is_true_and_is_false() {
    assert_scoping(
        "accountEnabled",
        [json!(true), json!(false), Value::Null],
        &[
            ("IS TRUE", None, [true, false, false]),
            ("IS FALSE", None, [false, true, false]),
        ],
    );
}

#[test]
fn scoping_contained_in_and_not_contained_in() {
    assert_scoping(
        "department",
        [json!("Sales"), json!("HR"), Value::Null],
        &[
            ("&", Some("Sales,Marketing"), [true, false, false]),
            ("!&", Some("Sales,Marketing"), [false, true, false]),
        ],
    );
}

#[test]
fn scoping_ends_with_and_includes() {
    assert_scoping(
        "mail",
        [json!("a@contoso.com"), json!("a@fabrikam.com"), Value::Null],
        &[
            ("ENDS_WITH", Some("@contoso.com"), [true, false, false]),
            ("Includes", Some("fabrikam"), [false, true, false]),
        ],
    );
}

#[test]
fn scoping_greater_than_and_greater_than_or_equals_need_integers() {
    assert_scoping(
        "employeeId",
        [json!("1500000"), json!("1000000"), json!("E-17")],
        &[
            ("Greater_Than", Some("1000000"), [true, false, false]),
            ("Greater_Than_OR_EQUALS", Some("1000000"), [true, true, false]),
        ],
    );
}

#[test]
fn scoping_clauses_and_within_a_filter_or_across_filters_and_the_excluding_clause() {
    let clause = |attr: &str, value: &str| json!({"operatorName": "EQUALS", "sourceOperandName": attr, "targetOperand": {"values": [value]}});
    let file = export_with_user_scope(&json!({"groups": [
        {"name": "NY engineers", "clauses": [clause("state", "New York"), clause("department", "Engineering")]},
        {"name": "Sales", "clauses": [clause("department", "Sales")]}
    ]}));
    let objects = [
        json!({"userPrincipalName": "a", "mail": "a@x", "state": "New York", "department": "Engineering"}),
        json!({"userPrincipalName": "b", "mail": "b@x", "state": "Texas", "department": "Engineering"}),
        json!({"userPrincipalName": "c", "mail": "c@x", "state": "Texas", "department": "Sales"}),
    ];
    let records = preview_each(file.path().to_str().unwrap(), &objects);
    assert_eq!(in_scope_flags(&records), [true, false, true]);
    let previewed = objects_of(&records);
    // The excluded user: the first filter failed at its `state` clause, the second at `department`.
    let scope = &previewed[1]["scope"];
    assert_eq!(scope[0]["passed"], false);
    assert_eq!(scope[0]["clauses"][0]["passed"], false);
    assert_eq!(scope[0]["clauses"][0]["actual"], "\"Texas\"");
    assert_eq!(scope[0]["clauses"][1]["passed"], true);
    assert_eq!(scope[1]["clauses"][0]["passed"], false);
    assert!(
        previewed[1]["requests"].as_array().unwrap().is_empty(),
        "nothing is sent for an object out of scope"
    );

    let human = preview_human(file.path().to_str().unwrap(), &objects[1].to_string());
    assert!(
        human.contains(r#"OUT OF SCOPE — filter "NY engineers": state EQUALS "New York" is false (value "Texas"); filter "Sales": department EQUALS "Sales" is false (value "Engineering")"#),
        "{human}"
    );
}

// --- findings, formats, inputs, exit codes ----------------------------------------------------

#[test]
fn sample_users_human_output() {
    let out = run_preview(
        "samples/astrato.json",
        "samples/users.json",
        &["--disabled-means-soft-deleted"],
    );
    assert_eq!(out.status.code(), Some(1), "the sample has errors");
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(include_str!("../schemas/preview.schema.json")).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn assert_valid(records: &[Value]) {
    let validator = validator();
    for r in records {
        let errors: Vec<String> = validator
            .iter_errors(r)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{r:#}\n{errors:#?}");
    }
}

#[test]
fn json_output_validates_against_the_published_schema() {
    let objects = std::fs::read_to_string("samples/users.json").unwrap();
    let (records, code) = preview("samples/astrato.json", &objects, &[]);
    assert_eq!(code, 1);
    assert_eq!(records.len(), 6, "5 objects and a summary");
    assert_valid(&records);
    let summary = records.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["kind"], "outbound-scim");
    assert_eq!(summary["objects"], 5);
    assert_eq!(summary["errors"], 3);
    assert_eq!(summary["codes"]["duplicate-matching-value"], 1);
    assert_eq!(summary["codes"]["missing-matching-value"], 1);
    assert_eq!(summary["codes"]["missing-required-value"], 1);

    // The other operations, the tutorial export, an unreadable line and an expression error too.
    for args in [
        &["--operation", "update"][..],
        &["--operation", "disable", "--patch-style", "compliant"],
    ] {
        let (records, _) = preview("samples/astrato.json", &objects, args);
        assert_valid(&records);
    }
    let (records, _) = preview(
        TUTORIAL,
        &format!("{}\nnot json\n", TUTORIAL_USER.replace('\n', " ")),
        &[],
    );
    assert_valid(&records);
    assert_eq!(objects_of(&records)[1]["findings"][0]["code"], "invalid-object");
    let (records, _) = preview(
        BROKEN_EXPRESSIONS.path(),
        r#"{"userPrincipalName": "a", "proxyAddresses": ["x"]}"#,
        &[],
    );
    assert_valid(&records);
}

/// Astrato's export with `userName ← Item([proxyAddresses], 2)` and
/// `displayName ← [proxyAddresses]`, and a length limit on `name.givenName`.
struct Export(tempfile::NamedTempFile);

impl Export {
    fn path(&self) -> &str {
        self.0.path().to_str().unwrap()
    }
}

static BROKEN_EXPRESSIONS: std::sync::LazyLock<Export> = std::sync::LazyLock::new(|| {
    let mut export = read_export("samples/astrato.json");
    let users = &mut export["synchronizationRules"][0]["objectMappings"][1];
    assert_eq!(users["sourceObjectName"], "User");
    for m in users["attributeMappings"].as_array_mut().unwrap() {
        let source = |expr: &str| json!({"expression": expr, "name": "x", "type": "Function", "parameters": []});
        match m["targetAttributeName"].as_str().unwrap() {
            "userName" => m["source"] = source("Item([proxyAddresses], 2)"),
            "displayName" => m["source"] = source("[proxyAddresses]"),
            "active" => m["source"] = source("[department]"),
            _ => {}
        }
    }
    for object in export["directories"][1]["objects"].as_array_mut().unwrap() {
        for attr in object["attributes"].as_array_mut().unwrap() {
            if attr["name"] == "name.givenName" {
                attr["metadata"] = json!([{"key": "MaximumLength", "value": "5"}]);
            }
        }
    }
    Export(temp_export(&export))
});

#[test]
fn evaluation_errors_point_at_the_expression_and_name_the_object() {
    let user = r#"{"id": "u-1", "userPrincipalName": "a@contoso.com", "proxyAddresses": ["SMTP:a@contoso.com"]}"#;
    let (records, code) = preview(BROKEN_EXPRESSIONS.path(), user, &[]);
    assert_eq!(code, 1);
    let object = objects_of(&records)[0];
    assert_eq!(object["id"], "u-1");
    let error = object["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "evaluation-error")
        .expect("an evaluation error");
    assert_eq!(error["target"], "userName");
    let e = &error["expression"];
    assert_eq!(e["text"], "Item([proxyAddresses], 2)");
    assert_eq!(
        e["pointer"],
        "/synchronizationRules/0/objectMappings/1/attributeMappings/0/source/expression"
    );
    assert!(e["line"].as_u64().unwrap() >= 1 && e["column"].as_u64().unwrap() > 1);
    let (start, end) = (
        e["start"].as_u64().unwrap() as usize,
        e["end"].as_u64().unwrap() as usize,
    );
    assert!(start < end && end <= "Item([proxyAddresses], 2)".len());
    // The failed value is not sent and the table says why.
    assert_eq!(object["attributes"][0]["status"], "error");

    let human = preview_human(BROKEN_EXPRESSIONS.path(), user);
    assert!(
        human.contains("error[evaluation-error] <stdin>:1: `userName` ← `Item([proxyAddresses], 2)` failed:"),
        "{human}"
    );
    // The caret is under the index that is out of range.
    assert!(
        human.contains(&format!(
            "       | Item([proxyAddresses], 2)\n       | {}^\n",
            " ".repeat(23)
        )),
        "{human}"
    );
}

#[test]
fn multi_valued_into_single_valued_and_constraint_violations() {
    let user = r#"{"userPrincipalName": "a", "proxyAddresses": ["x", "y", "z"], "givenName": "Alexandra", "department": "Sales"}"#;
    let (records, _) = preview(BROKEN_EXPRESSIONS.path(), user, &[]);
    let findings = &objects_of(&records)[0]["findings"];
    let find = |code: &str, target: &str| {
        findings
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == code && f["target"] == target)
            .unwrap_or_else(|| panic!("no {code} on {target}: {findings:#}"))
            .clone()
    };
    let message = |f: &Value| f["message"].as_str().unwrap().to_string();
    let multi = find("multi-valued-into-single", "displayName");
    assert_eq!(multi["severity"], "warning");
    assert!(message(&multi).contains("has 3 values"));
    let long = find("constraint-violation", "name.givenName");
    assert!(message(&long).contains("9 characters long; the application accepts at most 5"));
    let boolean = find("constraint-violation", "active");
    assert!(message(&boolean).contains("is a Boolean attribute but the value is \"Sales\""));
    // Only the first of several values goes into a single-valued target.
    let body = &objects_of(&records)[0]["requests"][0]["body"];
    assert_eq!(body["displayName"], "x");
}

#[test]
fn fail_on_decides_the_exit_code() {
    let clean = r#"{"userPrincipalName": "a", "mail": "a@x"}"#;
    let (_, code) = preview("samples/astrato.json", clean, &[]);
    assert_eq!(code, 0);
    let warning_only = r#"{"userPrincipalName": "a", "proxyAddresses": ["a@x", "b@x"], "department": "True"}"#;
    let (records, code) = preview(BROKEN_EXPRESSIONS.path(), warning_only, &[]);
    assert_eq!(records.last().unwrap()["errors"], 0, "{records:#?}");
    assert_eq!(code, 0);
    let (_, code) = preview(BROKEN_EXPRESSIONS.path(), warning_only, &["--fail-on", "warning"]);
    assert_eq!(code, 1);
}

#[test]
fn out_of_scope_objects_have_no_findings_and_no_requests() {
    let export = export_with_clause("department", "EQUALS", Some("Sales"));
    let (records, code) = preview(
        export.path().to_str().unwrap(),
        r#"{"userPrincipalName": "a", "mail": null}"#,
        &[],
    );
    assert_eq!(code, 0, "a user without mail is not a problem when out of scope");
    let object = objects_of(&records)[0];
    assert_eq!(object["inScope"], false);
    assert!(object["findings"].as_array().unwrap().is_empty());
    assert_eq!(records.last().unwrap()["outOfScope"], 1);
}

#[test]
fn input_shapes_file_and_json_lines_with_line_numbers() {
    let (_dir, lines) = temp_file(
        "users.jsonl",
        "{\"userPrincipalName\": \"a\", \"mail\": \"a@x\"}\n\n{\"value\": [{\"userPrincipalName\": \"b\", \"mail\": \"b@x\"}]}\n",
    );
    let out = run_preview("samples/astrato.json", lines.to_str().unwrap(), &["-f", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let records = json_lines(out.stdout);
    let lines: Vec<&Value> = objects_of(&records).iter().map(|o| &o["line"]).collect();
    assert_eq!(lines, [&json!(1), &json!(3)]);
    assert_valid(&records);
}

#[test]
fn usage_errors_exit_2() {
    let run = |args: &[&str], stdin: &str| {
        let out = bin()
            .arg("preview")
            .args(args)
            .write_stdin(stdin.to_string())
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stderr).unwrap())
    };
    let (code, err) = run(&["samples/astrato.json", "--objects", "-"], "[1, 2");
    assert_eq!(code, Some(2));
    assert!(err.contains("not valid JSON"), "{err}");
    let (code, err) = run(&["samples/astrato.json", "--objects", "no-such-file.json"], "");
    assert_eq!(code, Some(2));
    assert!(err.contains("no-such-file.json"), "{err}");
    let (code, err) = run(
        &["samples/astrato.json", "--objects", "-", "--object-mapping", "Contacts"],
        "{}",
    );
    assert_eq!(code, Some(2));
    assert!(
        err.contains("Provision Microsoft Entra ID Users"),
        "lists the names: {err}"
    );
    let (code, _) = run(&["samples/no-such-export.json", "--objects", "-"], "{}");
    assert_eq!(code, Some(2));
    let (code, err) = run(&["-", "--objects", "-"], "{}");
    assert_eq!(code, Some(2));
    assert!(err.contains("only one of"), "{err}");
}

#[test]
fn output_file_is_written_whole_and_never_over_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let users = dir.path().join("users.json");
    std::fs::copy("samples/users.json", &users).unwrap();
    let out_path = dir.path().join("out/preview.jsonl");
    let out = run_preview(
        "samples/astrato.json",
        users.to_str().unwrap(),
        &["-f", "json", "-o", out_path.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&out_path).unwrap();
    assert_eq!(written.lines().count(), 6);

    let before = std::fs::read(&users).unwrap();
    let out = run_preview(
        "samples/astrato.json",
        users.to_str().unwrap(),
        &["-o", users.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("refusing to overwrite the input")
    );
    assert_eq!(std::fs::read(&users).unwrap(), before);
}

#[test]
fn jobs_that_are_not_scim_show_values_without_requests() {
    let mut export = read_export(TUTORIAL);
    export["id"] = json!("salesforce.00000000000000000000000000000000.00000000-0000-0000-0000-000000000000");
    export["synchronizationRules"][0]["targetDirectoryName"] = json!("salesforce.com");
    export["directories"][1]["name"] = json!("salesforce.com");
    export["directories"][1]["objects"][0]["name"] = json!("User");
    export["directories"][1]["objects"][1]["name"] = json!("Group");
    for m in export["synchronizationRules"][0]["objectMappings"]
        .as_array_mut()
        .unwrap()
    {
        let source = m["sourceObjectName"].clone();
        m["targetObjectName"] = source;
    }
    let file = temp_export(&export);
    let (records, _) = preview(
        file.path().to_str().unwrap(),
        TUTORIAL_USER,
        &["--object-mapping", "Tutorial users"],
    );
    assert_eq!(records.last().unwrap()["kind"], "outbound-app");
    let object = objects_of(&records)[0];
    assert!(object["requests"].as_array().unwrap().is_empty());
    assert!(object["matching"][0].get("request").is_none());
    assert_eq!(object["attributes"][1]["target"], "userName");
    assert_eq!(
        object["attributes"][1]["value"],
        "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee"
    );
}

#[test]
fn control_characters_in_objects_never_reach_the_terminal_raw() {
    let user = "{\"userPrincipalName\": \"a\", \"mail\": \"a@x\", \"displayName\": \"Evil\\u001b[2J\\u202eName\"}";
    let human = preview_human("samples/astrato.json", user);
    assert!(!human.contains('\u{1b}') && !human.contains('\u{202e}'), "{human:?}");
    // In the table and the request body the value is JSON (\u001b); clean() escapes the rest.
    assert!(human.contains(r#""Evil\u001b[2J\u{202e}Name""#), "{human}");
}

/// A credential written as a constant in the export reaches no preview output, human or JSON.
#[test]
fn a_credential_in_the_export_is_masked_in_every_preview_format() {
    let mut export = read_export("samples/astrato.json");
    export["synchronizationRules"][0]["objectMappings"][0]["attributeMappings"]
        .as_array_mut()
        .unwrap()
        .push(json!({
            "targetAttributeName": "password",
            "flowType": "Always",
            "matchingPriority": 0,
            "source": {"expression": "\"Sup3rS3cretValue!\"", "name": "Sup3rS3cretValue!", "type": "Constant", "parameters": []}
        }));
    let (_dir, path) = temp_file("export.json", serde_json::to_string_pretty(&export).unwrap());
    for format in ["human", "json"] {
        let out = run_preview(path.to_str().unwrap(), "samples/users.json", &["-f", format]);
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!all.contains("Sup3rS3cret"), "{format}: {all}");
        assert!(
            all.contains("********"),
            "{format}: the masked value is shown as the mask"
        );
    }
}

/// Codes and messages of one object's findings.
fn findings_of(object: &Value) -> Vec<(String, String)> {
    common::string_pairs(&object["findings"], "code", "message")
}

/// `--profile` checks each value against the profile's value constraints and cites the profile.
#[test]
fn profile_value_constraints_apply_to_each_value() {
    let (_dir, profile) = temp_file(
        "app.yaml",
        "name: app\nkind: outbound-scim\nusers:\n  mappings:\n    - target: userName\n      max-length: 20\n      reason: the app's docs\n    - target: displayName\n      forbidden-characters: \"@\"\n    - target: name.givenName\n      required-non-empty: true\n",
    );
    let user = r##"{"@odata.type": "#microsoft.graph.user", "id": "1", "userPrincipalName": "a@contoso.com",
      "mail": "Adele.Vance@contoso.com", "displayName": "adele@contoso", "givenName": " ", "surname": "Vance"}"##;
    let (records, code) = preview("samples/astrato.json", user, &["--profile", profile.to_str().unwrap()]);
    assert_eq!(code, 1, "{records:#?}");
    let findings = findings_of(objects_of(&records)[0]);
    let constraint: Vec<&str> = findings
        .iter()
        .filter(|(code, _)| code == "constraint-violation")
        .map(|(_, m)| m.as_str())
        .collect();
    assert_eq!(constraint.len(), 3, "{findings:#?}");
    for expected in [
        "23 characters long; the application accepts at most 20",
        "`displayName` = \"adele@contoso\" contains `@`",
        "`name.givenName` must never be empty",
    ] {
        assert!(
            constraint.iter().any(|m| m.contains(expected)),
            "{expected}: {constraint:#?}"
        );
    }
    let cited = objects_of(&records)[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "constraint-violation")
        .all(|f| {
            f["help"]
                .as_str()
                .is_some_and(|h| h.starts_with("required by profile app"))
        });
    assert!(cited, "every constraint finding cites the profile: {records:#?}");

    // Without --profile the same user breaks no constraint.
    let (records, _) = preview("samples/astrato.json", user, &[]);
    let findings = findings_of(objects_of(&records)[0]);
    assert!(
        !findings.iter().any(|(c, _)| c == "constraint-violation"),
        "{findings:#?}"
    );
}

/// A profile written for another kind of job is refused, not silently applied.
#[test]
fn a_profile_for_another_kind_of_job_is_refused() {
    let (_dir, profile) = temp_file(
        "hr.yaml",
        "name: hr\nkind: inbound-hr\nusers:\n  mappings:\n    - target: userName\n      max-length: 20\n",
    );
    let out = run_preview(
        "samples/astrato.json",
        "samples/users.json",
        &["--profile", profile.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("profile `hr` is written for inbound-hr jobs"), "{err}");
}
