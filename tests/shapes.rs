//! End to end: every input shape people lint (Graph response wrappers,
//! fragments, paste accidents, PowerShell output) — exit code, rules and
//! JSON pointers into the file as it is. Fixtures: `tests/fixtures/shapes/`,
//! written from the shapes Microsoft's Graph documentation shows.

use serde_json::Value;

mod common;
use common::*;

const DIR: &str = "tests/fixtures/shapes";

/// `check -f json --profile none` of one fixture: exit code and the
/// `(rule, pointer)` of every finding.
fn findings(args: &[&str]) -> (i32, Vec<(String, String)>, Value) {
    let out = bin().args(["check", "-f", "json"]).args(args).output().unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let found = string_pairs(&doc["diagnostics"], "rule", "pointer");
    (out.status.code().unwrap(), found, doc)
}

/// [`findings`] of `path` with `--profile none`.
fn findings_without_profile(path: &str) -> (i32, Vec<(String, String)>, Value) {
    findings(&["--profile", "none", path])
}

/// Asserts that `check --profile none` of `path` exits with `code` and finds exactly
/// `expected` (`(rule, pointer)`, in order); returns the JSON report.
fn assert_findings(path: &str, code: i32, expected: &[(&str, &str)]) -> Value {
    let (exit, found, doc) = findings_without_profile(path);
    assert_eq!(exit, code, "{path}: {doc:#}");
    assert_eq!(found, pairs(expected), "{path}");
    doc
}

fn fixture(name: &str) -> String {
    format!("{DIR}/{name}")
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(r, p)| (r.to_string(), p.to_string())).collect()
}

#[test]
fn templates_collection_is_unwrapped_and_pointers_name_the_original_file() {
    let doc = assert_findings(
        &fixture("templates-list.json"),
        1,
        &[(
            "function-arity",
            "/value/0/schema/synchronizationRules/0/objectMappings/0/attributeMappings/2/source/expression",
        )],
    );
    let d = &doc["diagnostics"][0];
    assert_eq!(d["range"]["start"]["line"], 26, "{d:#}");
    assert_eq!(doc["files"][0]["kind"], "outbound-scim");
    assert_eq!(doc["files"][0]["target"], "scim", "the template's id");
}

#[test]
fn job_object_with_schema_is_unwrapped_and_its_template_id_names_the_kind() {
    let doc = assert_findings(
        &fixture("job-with-schema.json"),
        1,
        &[(
            "duplicate-target-attribute",
            "/schema/synchronizationRules/0/objectMappings/0/attributeMappings/2/targetAttributeName",
        )],
    );
    assert_eq!(doc["files"][0]["kind"], "outbound-scim");
}

#[test]
fn a_collection_of_several_schemas_lints_each() {
    let text = std::fs::read_to_string(fixture("templates-list.json")).unwrap();
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    let first = doc["value"][0].clone();
    doc["value"].as_array_mut().unwrap().push(first);
    let (_dir, path) = temp_file("two.json", serde_json::to_string_pretty(&doc).unwrap());
    let (code, found, _) = findings_without_profile(path.to_str().unwrap());
    assert_eq!(code, 1);
    let pointers: Vec<&str> = found.iter().map(|(_, p)| p.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/value/0/schema/synchronizationRules/0/objectMappings/0/attributeMappings/2/source/expression",
            "/value/1/schema/synchronizationRules/0/objectMappings/0/attributeMappings/2/source/expression"
        ]
    );
}

#[test]
fn fragments_are_linted_with_one_info_that_names_what_is_not_checked() {
    type Case<'a> = (&'a str, i32, &'a [(&'a str, &'a str)]);
    let cases: &[Case] = &[
        (
            "object-mapping.json",
            0,
            &[
                ("input-fragment", ""),
                ("unknown-enum-value", "/attributeMappings/2/flowType"),
            ],
        ),
        (
            "synchronization-rule.json",
            1,
            &[
                ("input-fragment", ""),
                (
                    "expression-syntax",
                    "/objectMappings/0/attributeMappings/2/source/expression",
                ),
            ],
        ),
        (
            "attribute-mappings.json",
            1,
            &[
                ("input-fragment", ""),
                ("duplicate-target-attribute", "/2/targetAttributeName"),
            ],
        ),
        (
            "attribute-mapping.json",
            1,
            &[("input-fragment", ""), ("function-arity", "/source/expression")],
        ),
        ("directories.json", 0, &[("input-fragment", "/directories")]),
    ];
    for (name, exit, expected) in cases {
        let doc = assert_findings(&fixture(name), *exit, expected);
        for d in doc["diagnostics"].as_array().unwrap() {
            let message = d["message"].as_str().unwrap();
            assert!(!message.contains("missing required key"), "{name}: {message}");
        }
    }
    let (_, _, doc) = findings_without_profile(&fixture("attribute-mappings.json"));
    let info = doc["diagnostics"][0]["message"].as_str().unwrap();
    assert!(info.starts_with("a list of attribute mappings"), "{info}");
    assert!(info.contains("not checked: attribute and object names"), "{info}");
    assert!(info.contains("the matching attribute"), "{info}");
}

#[test]
fn profile_rules_run_on_a_fragment_that_names_its_object() {
    let (code, found, _) = findings(&[&fixture("object-mapping.json")]);
    assert_eq!(code, 1);
    let rules: Vec<&str> = found.iter().map(|(r, _)| r.as_str()).collect();
    assert!(rules.contains(&"wrong-mapping-source"), "{rules:?}");
    assert!(!rules.contains(&"missing-object-mapping"), "{rules:?}");
    // A list of attribute mappings names no object: no profile findings.
    let (_, found, _) = findings(&[&fixture("attribute-mappings.json")]);
    let rules: Vec<&str> = found.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(rules, ["input-fragment", "duplicate-target-attribute"]);
}

#[test]
fn a_schema_without_directories_is_one_info_not_errors_per_directory() {
    assert_findings(
        "tests/fixtures/rules/input-fragment/no-directories.json",
        0,
        &[("input-fragment", "")],
    );
}

#[test]
fn powershell_pascal_case_is_read_linted_and_reported_once_with_a_safe_fix() {
    // The pointers name the keys as the file spells them.
    let doc = assert_findings(
        &fixture("powershell-pascal-case.json"),
        1,
        &[
            ("pascal-case-keys", ""),
            (
                "function-arity",
                "/SynchronizationRules/0/ObjectMappings/0/AttributeMappings/2/Source/Expression",
            ),
        ],
    );
    let pascal = &doc["diagnostics"][0];
    assert!(pascal["message"].as_str().unwrap().contains("camelCase"), "{pascal:#}");
    assert_eq!(pascal["fix"]["applicability"], "safe", "{pascal:#}");

    // `--fix` rewrites the keys and drops the empty AdditionalProperties;
    // what remains is the same finding, at a camelCase pointer.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schema.json");
    std::fs::copy(fixture("powershell-pascal-case.json"), &path).unwrap();
    let status = bin()
        .args(["check", "--profile", "none", "--fix", path.to_str().unwrap()])
        .output()
        .unwrap()
        .status;
    assert_eq!(status.code(), Some(1));
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert!(fixed.contains("\"synchronizationRules\"") && !fixed.contains("\"SynchronizationRules\""));
    assert_eq!(
        fixed.matches("AdditionalProperties").count(),
        1,
        "the non-empty one stays"
    );
    let (_, found, _) = findings_without_profile(path.to_str().unwrap());
    assert_eq!(
        found,
        pairs(&[(
            "function-arity",
            "/synchronizationRules/0/objectMappings/0/attributeMappings/2/source/expression"
        )])
    );
}

#[test]
fn powershell_utf16_output_keeps_working_and_fix_keeps_the_encoding() {
    let text = std::fs::read_to_string(fixture("powershell-pascal-case.json")).unwrap();
    let bytes: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let (_dir, path) = temp_file("utf16.json", bytes);
    let (code, found, _) = findings_without_profile(path.to_str().unwrap());
    assert_eq!(code, 1);
    let rules: Vec<&str> = found.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(rules, ["pascal-case-keys", "function-arity"]);
    bin()
        .args(["check", "--profile", "none", "--fix", path.to_str().unwrap()])
        .assert()
        .code(1);
    let written = std::fs::read(&path).unwrap();
    assert_eq!(&written[..2], &[0xFF, 0xFE], "still UTF-16 LE with a BOM");
    let units: Vec<u16> = written[2..]
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    assert!(String::from_utf16(&units).unwrap().contains("\"synchronizationRules\""));
}

#[test]
fn convert_to_json_depth_truncation_is_one_error_that_says_how_to_export_again() {
    for name in ["powershell-truncated.json", "powershell-truncated-hashtable.json"] {
        let (code, found, doc) = findings_without_profile(&fixture(name));
        assert_eq!(code, 1, "{name}");
        assert_eq!(found.len(), 1, "{name}: {doc:#}");
        assert_eq!(found[0].0, "truncated-export");
        let d = &doc["diagnostics"][0];
        assert!(d["message"].as_str().unwrap().starts_with("data was lost"), "{d:#}");
        let help = d["help"].as_str().unwrap();
        assert!(
            help.contains("ConvertTo-Json -Depth 100") && help.contains("-OutputType Json"),
            "{help}"
        );
    }
    // The default profile adds nothing either: the data is gone.
    let (_, found, _) = findings(&[&fixture("powershell-truncated-hashtable.json")]);
    assert_eq!(
        found,
        pairs(&[("truncated-export", "/synchronizationRules/0/objectMappings")])
    );
}

#[test]
fn pasted_text_stays_invalid_json_with_the_cause_and_the_repair() {
    let cases = [
        ("paste-comma-separated.json", "5:2", "wrap the objects in [ ]"),
        (
            "paste-trailing-comma.json",
            "11:18",
            "remove the trailing comma at 11:18",
        ),
        ("paste-elision.json", "7:32", "left out"),
    ];
    for (name, at, repair) in cases {
        // Exit 1 (a finding), never 2.
        let doc = assert_findings(&fixture(name), 1, &[("invalid-json", "")]);
        let d = &doc["diagnostics"][0];
        let start = &d["range"]["start"];
        assert_eq!(format!("{}:{}", start["line"], start["column"]), at, "{name}");
        let help = d["help"].as_str().unwrap();
        assert!(help.contains(repair), "{name}: {help}");
    }
}

#[test]
fn documentation_placeholders_get_plain_messages_and_case_fixes() {
    let (code, found, doc) = findings_without_profile(&fixture("graph-doc-placeholders.json"));
    assert_eq!(code, 1);
    let by_rule = |rule: &str| -> Vec<&Value> {
        doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == rule)
            .collect()
    };
    // `"type": "string"` → `String`, with a safe fix; `add,Update` too.
    let enums = by_rule("unknown-enum-value");
    assert_eq!(enums.len(), 2, "{found:?}");
    assert_eq!(enums[0]["pointer"], "/directories/0/objects/0/attributes/0/type");
    assert!(enums[0]["message"].as_str().unwrap().contains("did you mean `String`"));
    for d in &enums {
        assert_eq!(d["fix"]["applicability"], "safe", "{d:#}");
    }
    // `"source": {}` says what belongs there, in words.
    let violations = by_rule("schema-violation");
    assert_eq!(violations.len(), 1, "{found:?}");
    assert_eq!(
        violations[0]["pointer"],
        "/synchronizationRules/0/objectMappings/0/attributeMappings/0/source"
    );
    let message = violations[0]["message"].as_str().unwrap();
    assert!(message.contains("neither an `expression` nor a `name`"), "{message}");
    for d in doc["diagnostics"].as_array().unwrap() {
        let text = format!("{} {}", d["message"], d["help"]);
        assert!(
            !text.contains("anyOf") && !text.contains("is not valid under"),
            "{text}"
        );
    }
}

/// `(rule, pointer)` pairs of a run with these arguments.
fn rules_at(args: &[&str]) -> Vec<(String, String)> {
    findings(args).1
}

#[test]
fn a_missing_directory_is_reported_once_however_many_rules_name_it() {
    let doc = assert_findings(
        "tests/fixtures/rules/unknown-directory/renamed-in-two-rules.json",
        1,
        &[("unknown-directory", "/synchronizationRules/0/sourceDirectoryName")],
    );
    let help = doc["diagnostics"][0]["help"].as_str().unwrap();
    assert!(help.contains("did you mean `Microsoft Entra ID`"), "{help}");
}

#[test]
fn overlapping_findings_on_one_span_defer_as_documented() {
    // `active ← [accountEnabled]`: wrong-mapping-source (with the required
    // source) is shown; soft-delete-not-mapped defers to it…
    let mistakes = "samples/profiles/cloudflare-mistakes.json";
    let rules = |found: Vec<(String, String)>| found.into_iter().map(|(r, _)| r).collect::<Vec<_>>();
    let shown = rules(rules_at(&["--profile", "cloudflare", mistakes]));
    assert!(shown.contains(&"wrong-mapping-source".to_string()), "{shown:?}");
    assert!(!shown.contains(&"soft-delete-not-mapped".to_string()), "{shown:?}");
    // …but not when that rule is off.
    let shown = rules(rules_at(&[
        "--profile",
        "cloudflare",
        "--ignore",
        "wrong-mapping-source",
        mistakes,
    ]));
    assert!(shown.contains(&"soft-delete-not-mapped".to_string()), "{shown:?}");

    // A target the target object does not define: unknown-target-attribute
    // only, noting the profile does not expect it either.
    let fixture = "tests/fixtures/rules/unknown-target-attribute/missing-definition.json";
    let (_, found, _) = findings(&["--profile", "tests/fixtures/profile.yaml", fixture]);
    assert_eq!(rules(found), ["unknown-target-attribute"]);
    let full = stdout_of(bin().args([
        "check",
        "-f",
        "full",
        "--profile",
        "tests/fixtures/profile.yaml",
        fixture,
    ]));
    assert!(full.contains("does not expect this mapping either"), "{full}");
    let shown = rules(rules_at(&[
        "--profile",
        "tests/fixtures/profile.yaml",
        "--ignore",
        "unknown-target-attribute",
        fixture,
    ]));
    assert_eq!(shown, ["unexpected-mapping"]);
}

#[test]
fn unknown_keys_warn_only_where_a_known_key_was_likely_meant() {
    // A warning: exit 0.
    let doc = assert_findings(
        "tests/fixtures/rules/misspelled-key/filter-groups.json",
        0,
        &[(
            "misspelled-key",
            "/synchronizationRules/0/objectMappings/0/scope/filterGroups",
        )],
    );
    let message = doc["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("`inputFilterGroups` or `groups`"), "{message}");
    // Other unknown keys (annotations, vendor or future fields) stay silent.
    let text = std::fs::read_to_string("tests/fixtures/base.json").unwrap().replacen(
        "\"scope\": null,",
        "\"scope\": null, \"vendorNote\": \"x\", \"name@odata.type\": \"y\", \"lastModified\": 1,",
        1,
    );
    let (_dir, path) = temp_file("extra.json", text);
    assert_findings(path.to_str().unwrap(), 0, &[]);
}
