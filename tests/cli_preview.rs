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

use common::bin;
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
    let stdout = String::from_utf8(out.stdout).unwrap();
    let records = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect();
    (records, out.status.code().unwrap())
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

/// The Astrato sample with one scoping filter clause on the user mapping.
fn export_with_clause(attribute: &str, operator: &str, value: Option<&str>) -> tempfile::NamedTempFile {
    let mut export: Value = serde_json::from_str(&std::fs::read_to_string("samples/astrato.json").unwrap()).unwrap();
    let values: Vec<&str> = value.into_iter().collect();
    let scope = json!({
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
    });
    for mapping in export["synchronizationRules"][0]["objectMappings"]
        .as_array_mut()
        .unwrap()
    {
        if mapping["sourceObjectName"] == "User" {
            mapping["scope"] = scope.clone();
        }
    }
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(serde_json::to_string(&export).unwrap().as_bytes())
        .unwrap();
    file
}

/// `inScope` of each object, in order.
fn in_scope(attribute: &str, operator: &str, value: Option<&str>, objects: &[Value]) -> Vec<bool> {
    let export = export_with_clause(attribute, operator, value);
    let lines: Vec<String> = objects.iter().map(|o| o.to_string()).collect();
    let (records, _) = preview(export.path().to_str().unwrap(), &lines.join("\n"), &[]);
    objects_of(&records)
        .iter()
        .map(|o| o["inScope"].as_bool().unwrap())
        .collect()
}

fn user(attribute: &str, value: Value) -> Value {
    let mut u = json!({"userPrincipalName": "u@contoso.com", "mail": "u@contoso.com"});
    u[attribute] = value;
    u
}

#[test]
fn scoping_equals_and_not_equals_are_case_sensitive() {
    let objects = [
        user("department", json!("Sales")),
        user("department", json!("sales")),
        user("department", Value::Null),
    ];
    assert_eq!(
        in_scope("department", "EQUALS", Some("Sales"), &objects),
        [true, false, false]
    );
    assert_eq!(
        in_scope("department", "NOT EQUALS", Some("Sales"), &objects),
        [false, true, false]
    );
}

#[test]
fn scoping_regex_match_and_not_regex_match() {
    let objects = [
        user("userPrincipalName", json!("a@domain.com")),
        user("userPrincipalName", json!("a@other.com")),
        user("userPrincipalName", Value::Null),
    ];
    assert_eq!(
        in_scope("userPrincipalName", "REGEX MATCH", Some(r".*\@domain.com"), &objects),
        [true, false, false]
    );
    // Documented: NOT REGEX MATCH is false for a null attribute.
    assert_eq!(
        in_scope(
            "userPrincipalName",
            "NOT REGEX MATCH",
            Some(r".*\@domain.com"),
            &objects
        ),
        [false, true, false]
    );
}

#[test]
fn scoping_is_null_and_is_not_null() {
    let objects = [
        user("jobTitle", json!("Engineer")),
        user("jobTitle", json!("")),
        user("jobTitle", Value::Null),
    ];
    assert_eq!(in_scope("jobTitle", "IS NULL", None, &objects), [false, true, true]);
    assert_eq!(
        in_scope("jobTitle", "IS NOT NULL", None, &objects),
        [true, false, false]
    );
}

#[test]
fn scoping_is_true_and_is_false() {
    let objects = [
        user("accountEnabled", json!(true)),
        user("accountEnabled", json!(false)),
        user("accountEnabled", Value::Null),
    ];
    assert_eq!(
        in_scope("accountEnabled", "IS TRUE", None, &objects),
        [true, false, false]
    );
    assert_eq!(
        in_scope("accountEnabled", "IS FALSE", None, &objects),
        [false, true, false]
    );
}

#[test]
fn scoping_contained_in_and_not_contained_in() {
    let objects = [
        user("department", json!("Sales")),
        user("department", json!("HR")),
        user("department", Value::Null),
    ];
    assert_eq!(
        in_scope("department", "&", Some("Sales,Marketing"), &objects),
        [true, false, false]
    );
    assert_eq!(
        in_scope("department", "!&", Some("Sales,Marketing"), &objects),
        [false, true, false]
    );
}

#[test]
fn scoping_ends_with_and_includes() {
    let objects = [
        user("mail", json!("a@contoso.com")),
        user("mail", json!("a@fabrikam.com")),
        user("mail", Value::Null),
    ];
    assert_eq!(
        in_scope("mail", "ENDS_WITH", Some("@contoso.com"), &objects),
        [true, false, false]
    );
    assert_eq!(
        in_scope("mail", "Includes", Some("fabrikam"), &objects),
        [false, true, false]
    );
}

#[test]
fn scoping_greater_than_and_greater_than_or_equals_need_integers() {
    let objects = [
        user("employeeId", json!("1500000")),
        user("employeeId", json!("1000000")),
        user("employeeId", json!("E-17")),
    ];
    assert_eq!(
        in_scope("employeeId", "Greater_Than", Some("1000000"), &objects),
        [true, false, false]
    );
    assert_eq!(
        in_scope("employeeId", "Greater_Than_OR_EQUALS", Some("1000000"), &objects),
        [true, true, false]
    );
}

#[test]
fn scoping_clauses_and_within_a_filter_or_across_filters_and_the_excluding_clause() {
    let mut export: Value = serde_json::from_str(&std::fs::read_to_string("samples/astrato.json").unwrap()).unwrap();
    let clause = |attr: &str, value: &str| json!({"operatorName": "EQUALS", "sourceOperandName": attr, "targetOperand": {"values": [value]}});
    let scope = json!({"groups": [
        {"name": "NY engineers", "clauses": [clause("state", "New York"), clause("department", "Engineering")]},
        {"name": "Sales", "clauses": [clause("department", "Sales")]}
    ]});
    for mapping in export["synchronizationRules"][0]["objectMappings"]
        .as_array_mut()
        .unwrap()
    {
        if mapping["sourceObjectName"] == "User" {
            mapping["scope"] = scope.clone();
        }
    }
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(export.to_string().as_bytes()).unwrap();
    let objects = [
        json!({"userPrincipalName": "a", "mail": "a@x", "state": "New York", "department": "Engineering"}),
        json!({"userPrincipalName": "b", "mail": "b@x", "state": "Texas", "department": "Engineering"}),
        json!({"userPrincipalName": "c", "mail": "c@x", "state": "Texas", "department": "Sales"}),
    ];
    let lines: Vec<String> = objects.iter().map(Value::to_string).collect();
    let (records, _) = preview(file.path().to_str().unwrap(), &lines.join("\n"), &[]);
    let objects = objects_of(&records);
    let flags: Vec<bool> = objects.iter().map(|o| o["inScope"].as_bool().unwrap()).collect();
    assert_eq!(flags, [true, false, true]);
    // The excluded user: the first filter failed at its `state` clause, the second at `department`.
    let scope = &objects[1]["scope"];
    assert_eq!(scope[0]["passed"], false);
    assert_eq!(scope[0]["clauses"][0]["passed"], false);
    assert_eq!(scope[0]["clauses"][0]["actual"], "\"Texas\"");
    assert_eq!(scope[0]["clauses"][1]["passed"], true);
    assert_eq!(scope[1]["clauses"][0]["passed"], false);
    assert!(
        objects[1]["requests"].as_array().unwrap().is_empty(),
        "nothing is sent for an object out of scope"
    );

    let human = common::stdout_of(
        bin()
            .args(["preview", file.path().to_str().unwrap(), "--objects", "-"])
            .write_stdin(lines[1].clone()),
    );
    assert!(
        human.contains(r#"OUT OF SCOPE — filter "NY engineers": state EQUALS "New York" is false (value "Texas"); filter "Sales": department EQUALS "Sales" is false (value "Engineering")"#),
        "{human}"
    );
}
