//! End to end: the job kind recognised in an export, `kind` in the JSON
//! report, and `profile-mismatch` when a profile is written for another
//! kind of job or another application.

use serde_json::Value;

mod common;
use common::*;

const SALESFORCE: &str = "tests/fixtures/kinds/outbound-app-salesforce.json";
const SCIM: &str = "samples/entra-defaults.json";

fn json_report(args: &[&str]) -> (i32, Value) {
    let out = bin().args(["-f", "json"]).args(args).output().unwrap();
    let doc = serde_json::from_slice(&out.stdout).unwrap();
    (out.status.code().unwrap(), doc)
}

fn rules_of(doc: &Value) -> Vec<&str> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect()
}

#[test]
fn json_report_names_the_kind_and_target_of_each_file() {
    let (_, doc) = json_report(&["--profile", "none", SCIM, SALESFORCE]);
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files[0]["kind"], "outbound-scim");
    assert_eq!(files[0]["target"], "scim", "the template id of the job id `scim.…`");
    assert_eq!(files[1]["kind"], "outbound-app");
    assert_eq!(files[1]["target"], "salesforce.com");
}

#[test]
fn human_output_says_the_kind_once_per_file() {
    let out = stdout_of(bin().args([SALESFORCE]));
    assert_eq!(
        out.matches(
            "outbound-app job (outbound provisioning to a gallery application that is not SCIM), target salesforce.com"
        )
        .count(),
        1,
        "{out}"
    );
}

#[test]
fn scim_profile_on_a_salesforce_export_is_one_error() {
    let (code, doc) = json_report(&[SALESFORCE]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&doc), ["profile-mismatch"], "{doc:#}");
    let d = &doc["diagnostics"][0];
    assert_eq!(d["pointer"], "/synchronizationRules/0/targetDirectoryName");
    let message = d["message"].as_str().unwrap();
    assert!(
        message.contains("outbound-app") && message.contains("salesforce.com"),
        "{message}"
    );
    assert!(
        message.contains("profile astrato is written for outbound-scim jobs"),
        "{message}"
    );
    assert!(d["help"].as_str().unwrap().contains("--profile none"));
}

#[test]
fn salesforce_export_is_clean_without_a_profile() {
    // `IsActive ← Not([IsSoftDeleted])` is Salesforce's deprovisioning.
    let (code, doc) = json_report(&["--profile", "none", SALESFORCE]);
    assert_eq!(code, 0, "{doc:#}");
    assert!(rules_of(&doc).is_empty());
}

#[test]
fn profile_file_kind_and_targets_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let other_kind = write_file(
        dir.path(),
        "xts.yaml",
        "name: xts\nkind: cross-tenant\nusers:\n  mappings:\n    - target: IsSoftDeleted\n      source: \"[IsSoftDeleted]\"\n",
    );
    let (code, doc) = json_report(&["--profile", other_kind.to_str().unwrap(), SCIM]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&doc), ["profile-mismatch"], "{doc:#}");
    assert!(
        doc["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("written for cross-tenant jobs")
    );
    // A profile for SCIM apps fits a SCIM job, and `targets` narrows it to
    // one gallery app: another gallery app's job is a mismatch…
    let other_app = write_file(
        dir.path(),
        "acme.yaml",
        "name: acme\nkind: outbound-scim\ntargets: [acmeScim]\nusers:\n  unexpected: off\n",
    );
    let scim = std::fs::read_to_string(SCIM).unwrap();
    assert!(scim.contains("\"id\": \"scim."), "the sample is a non-gallery SCIM job");
    let gallery = write_file(
        dir.path(),
        "gallery.json",
        scim.replacen("\"id\": \"scim.", "\"id\": \"otherApp.", 1),
    );
    let (_, doc) = json_report(&["--profile", other_app.to_str().unwrap(), gallery.to_str().unwrap()]);
    assert_eq!(rules_of(&doc), ["profile-mismatch"], "{doc:#}");
    let message = doc["diagnostics"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("not one profile acme is written for (acmeScim)"),
        "{message}"
    );
    // …but a non-gallery job (template `scim`) does not say which app it
    // is for, so it is checked against the profile like the gallery app.
    let (_, doc) = json_report(&["--profile", other_app.to_str().unwrap(), SCIM]);
    assert!(!rules_of(&doc).contains(&"profile-mismatch"), "{doc:#}");
    let fits = write_file(
        dir.path(),
        "fits.yaml",
        "name: fits\nkind: outbound-scim\ntargets: [SCIM, customappsso]\nusers:\n  unexpected: off\n",
    );
    let (_, doc) = json_report(&["--profile", fits.to_str().unwrap(), SCIM]);
    assert!(!rules_of(&doc).contains(&"profile-mismatch"), "{doc:#}");
}

#[test]
fn a_bad_kind_in_a_profile_is_a_profile_error() {
    let (_dir, bad) = temp_file("bad.yaml", "name: bad\nkind: scim\nusers:\n  unexpected: off\n");
    let out = bin().args(["--profile", bad.to_str().unwrap(), SCIM]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("outbound-scim"), "lists the accepted kinds: {err}");
}

/// Each job kind's fixture: recognised, clean without a profile (no rule
/// assumes SCIM), and one `profile-mismatch` at the schema id under the
/// default SCIM profile.
#[test]
fn every_kind_is_recognised_and_lints_clean_without_a_profile() {
    let cases = [
        ("tests/fixtures/kinds/cross-tenant.json", "cross-tenant", "Azure2Azure"),
        (
            "tests/fixtures/kinds/cloud-sync.json",
            "cloud-sync",
            "AD2AADProvisioning",
        ),
        ("tests/fixtures/kinds/inbound-hr.json", "inbound-hr", "API2AAD"),
        (SALESFORCE, "outbound-app", "salesforce.com"),
        ("samples/astrato.json", "outbound-scim", "scim"),
    ];
    for (file, kind, target) in cases {
        let (code, doc) = json_report(&["--profile", "none", "--fail-on", "info", file]);
        assert_eq!(code, 0, "{file}: {doc:#}");
        assert_eq!(doc["files"][0]["kind"], kind, "{file}");
        assert_eq!(doc["files"][0]["target"], target, "{file}");
        if kind == "outbound-scim" {
            continue;
        }
        let (code, doc) = json_report(&[file]);
        assert_eq!(code, 1, "{file}");
        assert_eq!(rules_of(&doc), ["profile-mismatch"], "{file}: {doc:#}");
        let pointer = doc["diagnostics"][0]["pointer"].as_str().unwrap();
        let expected = if kind == "outbound-app" {
            "/synchronizationRules/0/targetDirectoryName"
        } else {
            "/id"
        };
        assert_eq!(pointer, expected, "{file}");
    }
}

/// Cross-tenant synchronization deprovisions through `IsSoftDeleted ←
/// [IsSoftDeleted]`; a cross-tenant job without it is still reported, and
/// Cloud Sync and inbound jobs have no activation attribute at all.
#[test]
fn soft_delete_rule_follows_the_kinds_activation_attribute() {
    let text = std::fs::read_to_string("tests/fixtures/kinds/cross-tenant.json").unwrap();
    let without = text.replace(
        "\"targetAttributeName\": \"IsSoftDeleted\"",
        "\"targetAttributeName\": \"userType2\"",
    );
    assert_ne!(text, without);
    let out = bin()
        .args([
            "--profile",
            "none",
            "-f",
            "concise",
            "--select",
            "soft-delete-not-mapped",
            "-",
        ])
        .write_stdin(without)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout
            .contains("`accountEnabled` is mapped from `[accountEnabled]`, which does not depend on `[IsSoftDeleted]`"),
        "{stdout}"
    );
    let rule = stdout_of(bin().args(["rule", "soft-delete-not-mapped"]));
    assert!(
        rule.contains("Job kinds: outbound-scim, outbound-app, cross-tenant, unknown"),
        "{rule}"
    );
}
