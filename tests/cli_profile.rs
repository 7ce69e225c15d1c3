//! `mapping-lint profile list|show` and `--profile` end to end: built-in
//! profiles, a team's own profile file for another SCIM app, and broken
//! profiles (exit 2 with the YAML position).

use predicates::prelude::*;
use std::path::Path;

mod common;
use common::*;

#[test]
fn profile_list_names_the_builtins() {
    let out = stdout_of(bin().args(["profile", "list"]));
    insta::assert_snapshot!(out);
}

/// `show` prints the embedded YAML without the repository's relative
/// `$schema` comment (meaningless wherever the output is saved), and what
/// it prints loads as the same profile.
#[test]
fn profile_show_prints_the_embedded_yaml() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for builtin in mapping_lint::profile::BUILTINS {
        let name = builtin.name;
        let file = std::fs::read_to_string(root.join(format!("profiles/{name}.yaml"))).unwrap();
        let shown = stdout_of(bin().args(["profile", "show", name]));
        assert!(!shown.contains("$schema"), "{name}: {shown}");
        assert!(
            file.ends_with(&shown),
            "{name}: only the leading schema comment is dropped"
        );
        let dir = tempfile::tempdir().unwrap();
        let saved = write_file(dir.path(), "saved.yaml", &shown);
        let loaded = mapping_lint::profile::Profile::load(&saved).unwrap();
        assert_eq!(loaded.name, name);
    }
}

#[test]
fn profile_show_of_an_unknown_name_is_a_usage_error() {
    bin()
        .args(["profile", "show", "astrat"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown profile `astrat`"))
        .stderr(predicate::str::contains("built-in profiles: astrato, entra-default"))
        .stderr(predicate::str::contains("did you mean `astrato`?"));
    for args in [
        ["profile", "show", "Astrato"].as_slice(),
        &["check", "--profile", "astrto", "samples/astrato.json"],
    ] {
        bin()
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("did you mean `astrato`?"));
    }
}

/// A team writes a profile for another SCIM application (here: an app that
/// matches users on externalId ← objectId, wants emails, and allows no
/// other mapping) and lints an export against it.
#[test]
fn own_profile_for_another_app_end_to_end() {
    let (_dir, profile) = temp_file(
        "acme.yaml",
        r#"name: acme-wiki
description: Acme Wiki SCIM connector
users:
  unexpected: error
  mappings:
    - target: externalId
      source: "[objectId]"
      matching: true
    - target: userName
      source: [userPrincipalName]
    - target: emails[type eq "work"].value
      source: "[mail]"
    - target: active
      source: Switch([IsSoftDeleted], , "False", "True", "True", "False")
groups:
  required: false
  unexpected: off
"#,
    );
    let output = bin()
        .args(["-f", "concise", "--profile"])
        .arg(&profile)
        .arg("samples/astrato.json")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let out = String::from_utf8(output.stdout).unwrap();
    insta::assert_snapshot!(out);

    // The JSON report names the profile, and the human output points at
    // the row of the profile file that caused a finding.
    let json = stdout_of(
        bin()
            .args(["-f", "json", "--profile"])
            .arg(&profile)
            .arg("samples/astrato.json"),
    );
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["profile"], "acme-wiki");
    let human = stdout_of(bin().args(["--profile"]).arg(&profile).arg("samples/astrato.json"));
    assert!(
        human.contains("profile acme-wiki requires externalId ← [objectId]"),
        "{human}"
    );
    assert!(human.contains("acme.yaml:6:15"), "{human}");
}

#[test]
fn default_profile_is_astrato_and_none_disables_profile_rules() {
    let json = stdout_of(bin().args(["-f", "json", "samples/entra-defaults.json"]));
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["profile"], "astrato");
    assert!(doc["summary"]["errors"].as_u64().unwrap() > 0);

    let json = stdout_of(bin().args(["-f", "json", "--profile", "none", "samples/entra-defaults.json"]));
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["profile"], serde_json::Value::Null);
    assert_eq!(doc["summary"]["errors"], 0);
    assert_eq!(doc["summary"]["warnings"], 0);
}

#[test]
fn bad_profile_exits_2_with_its_yaml_position() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "typo.yaml",
            "name: x\nusers:\n  mappings:\n    - target: userName\n      sourse: \"[mail]\"\n",
            "typo.yaml:5:7: unknown field `sourse`",
        ),
        (
            "policy.yaml",
            "name: x\nusers:\n  unexpected: sometimes\n",
            "policy.yaml:3:15: unknown variant `sometimes`",
        ),
        (
            "expression.yaml",
            "name: x\nusers:\n  mappings:\n    - target: active\n      source: Not([IsSoftDeleted]\n",
            "expression.yaml:5:15: invalid source expression",
        ),
        ("syntax.yaml", "name: x\nusers: [\n", "syntax.yaml:"),
    ];
    for (file, yaml, message) in cases {
        let path = write_file(dir.path(), file, yaml);
        let output = bin()
            .args(["--profile"])
            .arg(&path)
            .arg("samples/astrato.json")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{file}");
        assert!(output.stdout.is_empty(), "{file}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        let first = stderr.lines().next().unwrap();
        assert!(
            first.starts_with("mapping-lint: error: invalid profile "),
            "{file}: {stderr}"
        );
        assert!(first.contains(message), "{file}: {stderr}");
        assert!(
            stderr.contains("docs/profiles.md describes the format"),
            "{file}: {stderr}"
        );
    }
    // The snippet shows the offending line.
    let output = bin()
        .args(["--profile"])
        .arg(dir.path().join("typo.yaml"))
        .arg("samples/astrato.json")
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("5 │       sourse: \"[mail]\""), "{stderr}");
}

#[test]
fn missing_profile_file_and_unknown_name_exit_2() {
    bin()
        .args(["--profile", "no/such/profile.yaml", "samples/astrato.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read profile no/such/profile.yaml"));
    bin()
        .args(["--profile", "astrato2", "samples/astrato.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown profile `astrato2`"));
}

/// `--fix --unsafe-fixes` (the matching attribute `userName` changes) with the astrato profile turns Entra's pristine defaults into
/// the Astrato sample: same mappings, same attribute definitions (only the
/// `version` stamps and the portal's `defaultValue` `""` vs `null` differ),
/// and the result lints clean.
#[test]
fn fix_turns_entra_defaults_into_the_astrato_configuration() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("export.json");
    std::fs::copy(root.join("samples/entra-defaults.json"), &copy).unwrap();
    bin()
        .args(["--profile", "astrato", "--fix", "--unsafe-fixes"])
        .arg(&copy)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Fixed 20 problems; 0 remaining."));
    bin().args(["--profile", "astrato"]).arg(&copy).assert().code(0);

    fn normalise(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                map.remove("version");
                map.remove("defaultValue");
                map.values_mut().for_each(normalise);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(normalise),
            _ => {}
        }
    }
    let read = |p: &Path| -> serde_json::Value {
        let mut v = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
        normalise(&mut v);
        v
    };
    assert_eq!(read(&copy), read(&root.join("samples/astrato.json")));
}

/// Something that is not an export gets its input finding only, not a
/// profile finding per required object.
#[test]
fn non_exports_get_no_profile_findings() {
    for input in ["not json", "{\"a\": 1}"] {
        let out = bin()
            .args(["--profile", "astrato", "-f", "concise", "-"])
            .write_stdin(input)
            .output()
            .unwrap();
        let out = String::from_utf8(out.stdout).unwrap();
        assert!(!out.contains("missing-object-mapping"), "{input}: {out}");
        assert_eq!(out.lines().count(), 2, "{input}: {out}");
    }
}

/// A pruned export lacks even standard target attributes: adding a required
/// mapping also adds its definition, with a type inferred from the source
/// (Boolean for `Not(...)`), so the fix never leaves `unknown-target-attribute`.
#[test]
fn fix_adds_definitions_a_pruned_export_lacks() {
    let base = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base.json")).unwrap();
    let mut export: serde_json::Value = serde_json::from_str(&base).unwrap();
    // Drop the `active` mapping and its target definition.
    let user_mappings = export["synchronizationRules"][0]["objectMappings"][0]["attributeMappings"]
        .as_array_mut()
        .unwrap();
    user_mappings.retain(|m| m["targetAttributeName"] != "active");
    let user_attributes = export["directories"][1]["objects"][0]["attributes"]
        .as_array_mut()
        .unwrap();
    user_attributes.retain(|a| a["name"] != "active");
    let (_dir, file) = temp_file("pruned.json", serde_json::to_string_pretty(&export).unwrap());

    let out = bin().args(["--fix", "-f", "concise"]).arg(&file).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains("error["), "{stdout}");
    assert!(!stdout.contains("unknown-target-attribute"), "{stdout}");

    let fixed: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let definition = |object: usize, name: &str| {
        fixed["directories"][1]["objects"][object]["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == name)
            .cloned()
    };
    assert_eq!(definition(0, "active").expect("active defined")["type"], "Boolean");
    assert_eq!(
        definition(0, "name.familyName").expect("familyName defined")["type"],
        "String"
    );
    assert_eq!(
        definition(1, "externalId").expect("group externalId defined")["type"],
        "String"
    );
    let check = bin()
        .args(["-f", "concise", "--fail-on", "warning"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}
