//! End to end: `mapping-lint diff` arguments → output → exit code, on the
//! samples and on variants of them generated in a temporary directory.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};

mod common;
use common::*;

const DEFAULTS: &str = "samples/entra-defaults.json";
const ASTRATO: &str = "samples/astrato.json";

fn sample(path: &str) -> Value {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Writes `value` into `dir` (compact JSON unless `pretty`).
fn write(dir: &tempfile::TempDir, name: &str, value: &Value, pretty: bool) -> PathBuf {
    let path = dir.path().join(name);
    let text = if pretty {
        serde_json::to_string_pretty(value).unwrap()
    } else {
        serde_json::to_string(value).unwrap()
    };
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs the diff and returns (exit code, stdout, stderr).
fn diff(args: &[&str]) -> (i32, String, String) {
    let out = bin().arg("diff").args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json_diff(a: &str, b: &str) -> (i32, Value) {
    let (code, stdout, stderr) = diff(&["--format", "json", a, b]);
    assert!(stderr.is_empty(), "{stderr}");
    (code, serde_json::from_str(&stdout).unwrap())
}

fn object_mappings(doc: &mut Value) -> &mut Vec<Value> {
    doc["synchronizationRules"][0]["objectMappings"].as_array_mut().unwrap()
}

/// The user object mapping of a sample (object mapping 1).
fn users(doc: &mut Value) -> &mut Value {
    &mut object_mappings(doc)[1]
}

fn mapping<'a>(om: &'a mut Value, target: &str) -> &'a mut Value {
    om["attributeMappings"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|m| m["targetAttributeName"] == target)
        .unwrap()
}

/// Adds whitespace around every `(`, `)` and `,` outside string literals.
fn reformat(expression: &str) -> String {
    let mut out = String::new();
    let (mut in_string, mut escaped) = (false, false);
    for c in expression.chars() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '(' => out.push_str("( "),
            ')' => out.push_str(" )"),
            ',' => out.push_str(" ,\n\t"),
            c => out.push(c),
        }
    }
    out
}

#[test]
fn identical_files_are_equal() {
    let (code, stdout, _) = diff(&[DEFAULTS, DEFAULTS]);
    assert_eq!(code, 0);
    assert_eq!(stdout, "No differences: 2 object mappings, 25 rows compared.\n");
}

#[test]
fn reordering_and_reformatting_do_not_count() {
    let mut doc = sample(DEFAULTS);
    object_mappings(&mut doc).reverse();
    let mut functions = 0;
    for om in object_mappings(&mut doc) {
        let rows = om["attributeMappings"].as_array_mut().unwrap();
        rows.reverse();
        for row in rows {
            let source = &mut row["source"];
            if source["type"] == "Function" {
                functions += 1;
                let text = reformat(source["expression"].as_str().unwrap());
                source["expression"] = Value::String(text);
                // Another layout of the same arguments.
                source["parameters"].as_array_mut().unwrap().reverse();
            } else {
                // Doc samples leave `parameters` out for leaves.
                source.as_object_mut().unwrap().remove("parameters");
            }
        }
    }
    assert_eq!(functions, 2, "the active Switch and the name.formatted Join");
    for directory in doc["directories"].as_array_mut().unwrap() {
        for object in directory["objects"].as_array_mut().unwrap() {
            object["attributes"].as_array_mut().unwrap().reverse();
        }
    }
    let dir = tempfile::tempdir().unwrap();
    for pretty in [false, true] {
        let b = write(&dir, "b.json", &doc, pretty);
        let (code, stdout, stderr) = diff(&[DEFAULTS, b.to_str().unwrap()]);
        assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
        assert_eq!(stdout, "No differences: 2 object mappings, 25 rows compared.\n");
    }
}

#[test]
fn changing_one_source_shows_exactly_that_row() {
    let mut doc = sample(DEFAULTS);
    let title = mapping(users(&mut doc), "title");
    title["source"] =
        json!({"type": "Attribute", "name": "department", "expression": "[department]", "parameters": []});
    let dir = tempfile::tempdir().unwrap();
    let b = write(&dir, "b.json", &doc, true);
    let b = b.to_str().unwrap();

    let (code, stdout, _) = diff(&[DEFAULTS, b]);
    assert_eq!(code, 1);
    let changes: Vec<&str> = stdout
        .lines()
        .filter(|l| (l.starts_with('-') || l.starts_with('+')) && !l.starts_with("---") && !l.starts_with("+++"))
        .collect();
    assert_eq!(
        changes,
        ["-  title ← [jobTitle] (Always)", "+  title ← [department] (Always)"]
    );
    assert_eq!(stdout.matches("━━ ").count(), 1, "one section:\n{stdout}");
    assert!(
        stdout.ends_with("1 row changed, 0 added, 0 removed in 1 object mapping\n"),
        "{stdout}"
    );

    let (code, doc) = json_diff(DEFAULTS, b);
    assert_eq!(code, 1);
    assert_eq!(doc["equal"], false);
    let user = &doc["objectMappings"][1];
    assert_eq!(user["source"], "User");
    assert_eq!(user["added"], json!([]));
    assert_eq!(user["removed"], json!([]));
    let pointer = "/synchronizationRules/0/objectMappings/1/attributeMappings/3";
    assert_eq!(
        user["changed"],
        json!([{
            "target": "title",
            "old": {"source": "[jobTitle]", "flow": "Always", "matching": null, "default": null},
            "new": {"source": "[department]", "flow": "Always", "matching": null, "default": null},
            "pointerA": pointer,
            "pointerB": pointer,
            "fields": ["source"],
        }])
    );
    assert_eq!(doc["objectMappings"][0]["status"], "equal");
}

#[test]
fn the_default_switch_equals_not_when_is_soft_deleted_is_a_required_boolean() {
    let mut doc = sample(DEFAULTS);
    let active = mapping(users(&mut doc), "active");
    active["source"] = json!({
        "type": "Function", "name": "Not", "expression": "Not([IsSoftDeleted])",
        "parameters": [{"key": "source", "value": {"type": "Attribute", "name": "IsSoftDeleted", "expression": "[IsSoftDeleted]", "parameters": []}}]
    });
    let dir = tempfile::tempdir().unwrap();
    let b = write(&dir, "b.json", &doc, true);
    let b = b.to_str().unwrap();

    let (code, stdout, _) = diff(&[DEFAULTS, b]);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(
        stdout,
        "No differences: 2 object mappings, 25 rows compared (1 equivalent).\n"
    );
    let (code, verbose, _) = diff(&["--verbose", DEFAULTS, b]);
    assert_eq!(code, 0);
    assert!(
        verbose.contains(
            "note: active: Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\") and Not([IsSoftDeleted]) \
             are equivalent for every value allowed by [IsSoftDeleted]: required Boolean"
        ),
        "{verbose}"
    );

    // Where IsSoftDeleted may be missing, the Switch gives nothing and Not gives "True".
    let entra = doc["directories"][0]["objects"][0]["attributes"]
        .as_array_mut()
        .unwrap();
    let soft_deleted = entra.iter_mut().find(|a| a["name"] == "IsSoftDeleted").unwrap();
    soft_deleted["required"] = Value::Bool(false);
    let b = write(&dir, "optional.json", &doc, true);
    let (code, doc) = json_diff(DEFAULTS, b.to_str().unwrap());
    assert_eq!(code, 1);
    let changed = &doc["objectMappings"][1]["changed"];
    assert_eq!(changed.as_array().unwrap().len(), 1, "{changed}");
    assert_eq!(changed[0]["target"], "active");
    assert_eq!(
        changed[0]["note"],
        "different when [IsSoftDeleted] = null: A gives null, B gives \"True\""
    );
}

#[test]
fn object_mapping_settings_and_attribute_definitions() {
    let mut doc = sample(DEFAULTS);
    let user = users(&mut doc);
    user["enabled"] = Value::Bool(false);
    user["flowTypes"] = "Update, Add".into();
    user["scope"] = json!({"groups": [{"name": "IT only", "clauses": [
        {"operatorName": "EQUALS", "sourceOperandName": "department", "targetOperand": {"values": ["IT"]}}
    ]}]});
    let scim = &mut doc["directories"][1]["objects"];
    let user_object = scim
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|o| o["name"] == "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
        .unwrap();
    let attributes = user_object["attributes"].as_array_mut().unwrap();
    let title = attributes.iter().position(|a| a["name"] == "title").unwrap();
    attributes.remove(title);
    let active = attributes.iter_mut().find(|a| a["name"] == "active").unwrap();
    active["type"] = "String".into();
    let dir = tempfile::tempdir().unwrap();
    let b = write(&dir, "b.json", &doc, true);
    let (code, out) = json_diff(DEFAULTS, b.to_str().unwrap());
    assert_eq!(code, 1);
    let om = "/synchronizationRules/0/objectMappings/1";
    assert_eq!(
        out["objectMappings"][1]["changes"],
        json!([
            {"setting": "enabled", "old": true, "new": false, "pointerA": format!("{om}/enabled"), "pointerB": format!("{om}/enabled"),
             "highImpact": "object-mapping-enabled"},
            {"setting": "flowTypes", "old": ["Add", "Update", "Delete"], "new": ["Add", "Update"],
             "pointerA": format!("{om}/flowTypes"), "pointerB": format!("{om}/flowTypes"), "highImpact": "object-actions"},
            // No scope in A: the pointer names the object mapping.
            {"setting": "scope", "old": null, "new": "(department EQUALS \"IT\")", "pointerA": om, "pointerB": format!("{om}/scope"),
             "highImpact": "scoping-filter"},
        ])
    );
    let attributes = &out["attributes"];
    assert_eq!(attributes["added"], json!([]));
    assert_eq!(attributes["removed"][0]["name"], "title");
    assert_eq!(attributes["changed"][0]["name"], "active");
    assert_eq!(attributes["changed"][0]["old"]["type"], "Boolean");
    assert_eq!(attributes["changed"][0]["new"]["type"], "String");
    assert_eq!(out["summary"]["settingsChanged"], 3);

    let (_, human, _) = diff(&[DEFAULTS, b.to_str().unwrap()]);
    for line in [
        "-enabled: true",
        "+enabled: false",
        "-flowTypes: Add, Update, Delete",
        "+flowTypes: Add, Update",
        "-scope: (none)",
        "+scope: (department EQUALS \"IT\")",
        "-  active: Boolean",
        "+  active: String",
        "-  title: String",
    ] {
        assert!(human.lines().any(|l| l == line), "missing {line:?} in\n{human}");
    }
    assert!(
        human.ends_with(
            "0 rows changed, 0 added, 0 removed in 1 object mapping; 3 object-mapping settings changed; \
             1 target attribute definition removed; 1 target attribute definition changed; \
             3 high-impact changes (marked !)\n"
        ),
        "{human}"
    );
    for mark in [
        "! high impact: enabled: object mapping enabled/disabled",
        "! high impact: flowTypes: object actions",
        "! high impact: scope: scoping filter",
    ] {
        assert!(
            human.lines().any(|l| l.starts_with(mark)),
            "missing {mark:?} in\n{human}"
        );
    }
}

#[test]
fn a_file_without_directories_has_unknown_definitions_not_empty_ones() {
    let mut doc = sample(ASTRATO);
    doc.as_object_mut().unwrap().remove("directories");
    let active = mapping(users(&mut doc), "active");
    active["source"] =
        json!({"type": "Function", "expression": r#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#});
    let dir = tempfile::tempdir().unwrap();
    let b = write(&dir, "trimmed.json", &doc, true);
    // A's definitions stand for both sides, and A's types prove the Switch equivalent.
    let (code, stdout, _) = diff(&[ASTRATO, b.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(
        stdout,
        "No differences: 2 object mappings, 10 rows compared (1 equivalent).\n"
    );
}

#[test]
fn object_mappings_are_matched_by_source_object() {
    let mut doc = sample(DEFAULTS);
    // Another target object name for users; groups removed.
    users(&mut doc)["targetObjectName"] = "User".into();
    object_mappings(&mut doc).remove(0);
    let dir = tempfile::tempdir().unwrap();
    let b = write(&dir, "b.json", &doc, true);
    let (code, out) = json_diff(DEFAULTS, b.to_str().unwrap());
    assert_eq!(code, 1);
    let groups = &out["objectMappings"][0];
    assert_eq!(
        (&groups["source"], &groups["status"]),
        (&json!("Group"), &json!("removed"))
    );
    assert_eq!(groups["removed"].as_array().unwrap().len(), 3);
    assert_eq!(groups["pointerB"], Value::Null);
    let user = &out["objectMappings"][1];
    assert_eq!(user["unchanged"], 22);
    assert_eq!(user["changes"][0]["setting"], "targetObjectName");
    assert_eq!(user["changes"][0]["new"], "User");
    assert_eq!(out["summary"]["objectMappingsRemoved"], 1);
}

#[test]
fn defaults_vs_astrato_human() {
    let (code, stdout, stderr) = diff(&[DEFAULTS, ASTRATO]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert!(!stdout.contains('\u{1b}'), "no colour when piped");
    assert!(stdout.ends_with(
        "2 rows changed, 1 added, 16 removed in 2 object mappings; 1 target attribute definition added; \
             1 high-impact change (marked !)\n"
    ));
    // The matching attribute's new source is marked in its section.
    assert!(stdout.contains("\n! high impact: userName: matching attribute: "));
    insta::assert_snapshot!(stdout);
}

#[test]
fn defaults_vs_astrato_verbose() {
    let (code, stdout, _) = diff(&["-v", DEFAULTS, ASTRATO]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(stdout);
}

#[test]
fn defaults_vs_astrato_json() {
    // The raw output, so the snapshot also pins the key order.
    let (code, stdout, _) = diff(&["--format", "json", DEFAULTS, ASTRATO]);
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["summary"]["rowsChanged"], 2);
    insta::assert_snapshot!(stdout);
}

#[test]
fn json_output_validates_against_the_diff_schema() {
    let schema: Value = serde_json::from_str(include_str!("../schemas/diff.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut doc = sample(DEFAULTS);
    users(&mut doc)["enabled"] = Value::Bool(false);
    object_mappings(&mut doc).remove(0);
    let dir = tempfile::tempdir().unwrap();
    let b = write(&dir, "b.json", &doc, true);
    for (a, b) in [
        (DEFAULTS, ASTRATO),
        (ASTRATO, DEFAULTS),
        (DEFAULTS, DEFAULTS),
        (DEFAULTS, b.to_str().unwrap()),
        (b.to_str().unwrap(), DEFAULTS),
        ("samples/broken.json", ASTRATO),
    ] {
        let (_, out) = json_diff(a, b);
        let errors: Vec<String> = validator
            .iter_errors(&out)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{a} vs {b}: {errors:#?}");
    }
    // Against a profile: pointers into B are null.
    let (_, stdout, _) = diff(&["-f", "json", "samples/broken.json"]);
    let out: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(out["b"], "builtin:astrato");
    let errors: Vec<String> = validator.iter_errors(&out).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "broken vs profile: {errors:#?}");
}

#[test]
fn invalid_json_is_an_error_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    write_file(
        dir.path(),
        "bad.json",
        "{\n  \"synchronizationRules\": [\n    1,\n  ]\n}\n",
    );
    let out = bin()
        .current_dir(dir.path())
        .args(["diff", "bad.json", "bad.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("mapping-lint: error: bad.json:3:6: not valid JSON: trailing commas are not allowed\n"),
        "{stderr}"
    );
}

#[test]
fn one_file_is_compared_with_the_profile_and_agrees_with_the_profile_rules() {
    let (code, doc) = {
        let (code, stdout, stderr) = diff(&["-f", "json", DEFAULTS]);
        assert!(stderr.is_empty(), "{stderr}");
        (code, serde_json::from_str::<Value>(&stdout).unwrap())
    };
    assert_eq!(code, 1);
    assert_eq!(doc["b"], "builtin:astrato", "--profile defaults to astrato");
    let check = bin().args(["check", "-f", "json", DEFAULTS]).output().unwrap();
    let check: Value = serde_json::from_slice(&check.stdout).unwrap();
    let pointers = |rule: &str| -> Vec<String> {
        let mut p: Vec<String> = check["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == rule)
            .map(|d| d["pointer"].as_str().unwrap().trim_end_matches("/source").to_string())
            .collect();
        p.sort();
        p
    };
    let rows = |list: &str| -> Vec<String> {
        let mut p: Vec<String> = doc["objectMappings"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|o| o[list].as_array().unwrap().iter())
            .map(|r| r["pointerA"].as_str().unwrap().to_string())
            .collect();
        p.sort();
        p
    };
    // wrong-mapping-source = changed rows (userName, employeeNumber).
    assert_eq!(rows("changed"), pointers("wrong-mapping-source"));
    assert_eq!(rows("changed").len(), 2);
    // unexpected-mapping = removed rows (16).
    assert_eq!(rows("removed"), pointers("unexpected-mapping"));
    assert_eq!(rows("removed").len(), 16);
    // missing-required-mapping (anchored on the object mapping) = the added group description row.
    let groups = &doc["objectMappings"][0];
    assert_eq!(
        vec![groups["pointerA"].as_str().unwrap().to_string()],
        pointers("missing-required-mapping")
    );
    assert_eq!(
        groups["added"][0]["target"],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:Group:description"
    );
    assert_eq!(doc["attributes"]["added"][0]["name"], groups["added"][0]["target"]);
    // non-reference-source (an info) = an equivalent row, not a difference.
    assert_eq!(
        doc["objectMappings"][1]["equivalent"][0]["pointerA"]
            .as_str()
            .map(String::from),
        pointers("non-reference-source").first().cloned()
    );
}

#[test]
fn defaults_vs_astrato_profile_human() {
    let (code, stdout, _) = diff(&["--profile", "astrato", DEFAULTS]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(stdout);
}

#[test]
fn the_astrato_sample_implements_the_astrato_profile() {
    let (code, stdout, _) = diff(&[ASTRATO]);
    assert_eq!(
        (code, stdout.as_str()),
        (0, "No differences: 2 object mappings, 10 rows compared.\n")
    );
    // Against Entra's defaults it is the other way round.
    let (code, stdout, _) = diff(&["--profile", "entra-default", DEFAULTS]);
    assert_eq!(code, 0, "{stdout}");
    let (code, _, stderr) = diff(&["--profile", "none", DEFAULTS]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`--profile none` leaves nothing to compare with"),
        "{stderr}"
    );
    let (code, _, stderr) = diff(&["--profile", "nosuch", DEFAULTS]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown profile `nosuch`"), "{stderr}");
}

#[test]
fn a_profile_file_is_a_reference_too() {
    let dir = tempfile::tempdir().unwrap();
    let profile = write_file(
        dir.path(),
        "upn.yaml",
        "name: upn\nusers:\n  unexpected: off\n  mappings:\n    - target: userName\n      source: \"[mail]\"\n      matching: true\n",
    );
    let profile = profile.to_str().unwrap();
    let (code, stdout, stderr) = diff(&["--profile", profile, DEFAULTS]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    // Only users are described, other user rows are ignored (`unexpected: off`): one change.
    assert!(stdout.contains(&format!("+++ {profile}\n")), "{stdout}");
    assert!(
        stdout.ends_with("1 row changed, 0 added, 0 removed in 1 object mapping; 1 high-impact change (marked !)\n"),
        "{stdout}"
    );
    let bad = write_file(
        dir.path(),
        "bad.yaml",
        "name: bad\nusers:\n  mappings:\n    - target: x\n      source: \"Frob([a])\"\n",
    );
    let (code, _, stderr) = diff(&["--profile", bad.to_str().unwrap(), DEFAULTS]);
    assert_eq!(code, 2);
    assert!(stderr.contains("invalid profile"), "{stderr}");
}

#[test]
fn a_one_file_diff_uses_the_config_profile_unless_told_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".mapping-lint.yaml"), "profile: entra-default\n").unwrap();
    let export = dir.path().join("export.json");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULTS), &export).unwrap();
    let run = |args: &[&str]| {
        let out = bin().current_dir(dir.path()).arg("diff").args(args).output().unwrap();
        (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
    };
    let (code, stdout) = run(&["export.json"]);
    assert_eq!(code, 0, "the config names entra-default: {stdout}");
    let (code, _) = run(&["--profile", "astrato", "export.json"]);
    assert_eq!(code, 1, "--profile wins over the config");
    std::fs::write(dir.path().join("other.yaml"), "profile: astrato\n").unwrap();
    let (code, _) = run(&["--config", "other.yaml", "export.json"]);
    assert_eq!(code, 1, "--config picks another config");
    // Two files need no profile, so a config is not even read.
    std::fs::write(dir.path().join(".mapping-lint.yaml"), "profile: [broken\n").unwrap();
    let (code, _) = run(&["export.json", "export.json"]);
    assert_eq!(code, 0);
}

#[test]
fn missing_file_and_bad_usage_exit_2() {
    let (code, _, stderr) = diff(&[DEFAULTS, "no/such.json"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no/such.json: no such file or directory"), "{stderr}");
    let (code, _, stderr) = diff(&[DEFAULTS, "samples"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("samples: is a directory"), "{stderr}");
    let (code, _, _) = diff(&["--profile", "astrato", DEFAULTS, ASTRATO]);
    assert_eq!(code, 2, "--profile only goes with one file");
    let (code, _, _) = diff(&["-", "-"]);
    assert_eq!(code, 2);
}

#[test]
fn stdin_output_file_and_colour() {
    let text = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(ASTRATO)).unwrap();
    bin()
        .args(["diff", "-", ASTRATO])
        .write_stdin(text)
        .assert()
        .code(0)
        .stdout("No differences: 2 object mappings, 10 rows compared.\n");

    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("diff.json");
    let out = bin()
        .args(["diff", "-f", "json", "-o", report.to_str().unwrap(), DEFAULTS, ASTRATO])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(written["summary"]["rowsRemoved"], 16);

    let (_, coloured, _) = diff(&["--color", "always", DEFAULTS, ASTRATO]);
    assert!(coloured.contains("\u{1b}[31m-  userName ← [userPrincipalName] (Always, matching 1)\u{1b}[0m"));
    assert!(coloured.contains("\u{1b}[32m+  userName ← [mail] (Always, matching 1)\u{1b}[0m"));
    let (_, plain, _) = diff(&["--color", "never", DEFAULTS, ASTRATO]);
    assert!(!plain.contains('\u{1b}'));
}
