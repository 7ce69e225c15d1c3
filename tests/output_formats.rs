//! The CI formats (sarif, github, azure, junit) rendered from one fixed
//! report, snapshotted, and checked against what their consumers require:
//! SARIF against the official OASIS 2.1.0 schema, JUnit as well-formed XML,
//! every format without the credential planted in `samples/broken.json`.
//!
//! The report selects a fixed set of rules so that rules added later do not
//! change these snapshots; it makes one rule an info (GitHub `notice`, Azure
//! `info:` warning) and adds a file whose name needs escaping everywhere.

use mapping_lint::Severity;
use mapping_lint::lint::{FileReport, LintSettings, lint_bytes};
use mapping_lint::output::{self, Format, RenderOptions, Report, sarif};
use mapping_lint::rules::REGISTRY;
use std::path::Path;

const RULES: &[&str] = &[
    "invalid-json",
    "secret-in-export",
    "object-actions",
    "add-only-flow",
    "duplicate-matching-priority",
    "unknown-target-attribute",
];

/// A file name with every character some format must escape.
const ODD_NAME: &str = "odd dir/a,b:c%d;e]&<f>'g\".json";

fn settings() -> LintSettings {
    LintSettings {
        select: Some(RULES.iter().map(|r| r.to_string()).collect()),
        severities: [("object-actions".to_string(), Some(Severity::Info))].into(),
        ..LintSettings::default()
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn broken() -> FileReport {
    let bytes = std::fs::read(root().join("samples/broken.json")).unwrap();
    lint_bytes("samples/broken.json", bytes, &settings())
}

fn report() -> Report {
    let odd = lint_bytes(ODD_NAME, b"{\"a\": 1,\n \"b\": [1; 2]}".to_vec(), &settings());
    Report {
        files: vec![broken(), odd],
        profile: None,
        ..Default::default()
    }
}

fn render(format: Format, report: &Report) -> String {
    let mut out = Vec::new();
    output::render(format, report, &RenderOptions::default(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// The report has what the snapshots are meant to show.
#[test]
fn the_fixed_report_covers_every_case() {
    let report = report();
    let all: Vec<_> = report.diagnostics().map(|(_, d)| d).collect();
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        assert!(all.iter().any(|d| d.severity == severity), "no {severity}");
    }
    assert!(all.iter().any(|d| d.fix.is_some()), "no fix");
    assert!(all.iter().any(|d| !d.labels.is_empty()), "no secondary label");
    assert!(all.iter().any(|d| d.rule == "invalid-json"), "no invalid file");
}

#[test]
fn github_snapshot() {
    insta::assert_snapshot!(render(Format::Github, &report()));
}

#[test]
fn azure_snapshot() {
    insta::assert_snapshot!(render(Format::Azure, &report()));
}

#[test]
fn junit_snapshot() {
    insta::assert_snapshot!(render(Format::Junit, &report()));
}

/// SARIF, with the two parts that change whenever a rule is added anywhere
/// (the driver's rule list and the indexes into it) checked here and left
/// out of the snapshot; one rule descriptor is snapshotted in full.
#[test]
fn sarif_snapshot() {
    let mut log: serde_json::Value = serde_json::from_str(&render(Format::Sarif, &report())).unwrap();
    let run = &mut log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].take();
    let ids: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let registry: Vec<&str> = REGISTRY.iter().map(|r| r.meta().name).collect();
    assert_eq!(ids, registry, "the driver lists every rule in registry order");
    for result in run["results"].as_array_mut().unwrap() {
        let index = result
            .as_object_mut()
            .unwrap()
            .remove("ruleIndex")
            .unwrap()
            .as_u64()
            .unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "ruleIndex points at the rule");
    }
    run["tool"]["driver"]["rules"] = serde_json::json!("<every rule, checked above>");
    run["tool"]["driver"]["version"] = serde_json::json!("<version>");
    run["tool"]["driver"]["semanticVersion"] = serde_json::json!("<version>");
    let descriptor = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "duplicate-matching-priority")
        .unwrap()
        .clone();
    insta::assert_json_snapshot!("sarif_log", log);
    insta::assert_json_snapshot!("sarif_rule_descriptor", descriptor);
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/schemas/sarif-schema-2.1.0.json")).unwrap())
            .unwrap();
    jsonschema::validator_for(&schema).expect("the official SARIF schema compiles")
}

/// Validates a SARIF document, listing every violation on failure.
pub fn assert_valid_sarif(validator: &jsonschema::Validator, text: &str) {
    let log: serde_json::Value = serde_json::from_str(text).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF output violates the 2.1.0 schema:\n{}",
        errors.join("\n")
    );
}

#[test]
fn sarif_output_validates_against_the_official_schema() {
    let validator = sarif_validator();
    // The schema is really enforced: a broken log is rejected.
    let broken_log = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "columnKind": "bytes"}]});
    assert!(validator.iter_errors(&broken_log).count() >= 2);

    assert_valid_sarif(&validator, &render(Format::Sarif, &report()));
    // Every rule with its default settings on every sample, and a clean run.
    let mut files = Vec::new();
    for sample in ["broken.json", "astrato.json", "entra-defaults.json"] {
        let bytes = std::fs::read(root().join("samples").join(sample)).unwrap();
        files.push(lint_bytes(sample, bytes, &LintSettings::default()));
    }
    let all = Report {
        files,
        ..Default::default()
    };
    assert!(all.diagnostics().count() > 5);
    assert_valid_sarif(&validator, &render(Format::Sarif, &all));
    assert_valid_sarif(&validator, &render(Format::Sarif, &Report::default()));
}

#[test]
fn sarif_regions_are_one_based_with_exclusive_end_columns() {
    let text = "{\n  \"a\": 1,\n  \"é\": [1,]\n}";
    let file = lint_bytes("x.json", text.as_bytes().to_vec(), &settings());
    let log: serde_json::Value = serde_json::from_str(&render(
        Format::Sarif,
        &Report {
            files: vec![file],
            profile: None,
            ..Default::default()
        },
    ))
    .unwrap();
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "invalid-json");
    assert_eq!(log["runs"][0]["columnKind"], "unicodeCodePoints");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    // The trailing comma, counted in characters (é is one, in two bytes);
    // the end column is the one after it.
    assert_eq!(region["startLine"], 3);
    assert_eq!(region["startColumn"], 10);
    assert_eq!(region["endLine"], 3);
    assert_eq!(region["endColumn"], 11);
    assert_eq!(sarif::uri("a b.json"), "a%20b.json");
}

/// No format prints the credential planted in broken.json.
#[test]
fn no_format_leaks_the_planted_secret() {
    let report = report();
    let file = &report.files[0];
    assert!(!file.secrets.is_empty(), "broken.json plants a secret");
    for secret in &file.secrets {
        let value = &file.source.text[secret.span];
        assert!(value.len() >= 8, "{value}");
        for format in [Format::Sarif, Format::Github, Format::Azure, Format::Junit] {
            assert!(!render(format, &report).contains(value), "{format:?} leaks {value}");
        }
    }
}

/// Every finding is one annotation line, whatever its message contains.
#[test]
fn line_formats_put_one_finding_per_line() {
    let report = report();
    let findings = report.diagnostics().count();
    let github = render(Format::Github, &report);
    assert_eq!(github.lines().filter(|l| l.starts_with("::")).count(), findings);
    assert!(github.contains("file=odd dir/a%2Cb%3Ac%25d;e]&<f>'g\".json,line=2,"));
    let azure = render(Format::Azure, &report);
    assert_eq!(azure.lines().filter(|l| l.starts_with("##vso[")).count(), findings);
    assert!(azure.contains("sourcepath=odd dir/a,b:c%AZP25d%3Be%5D&<f>'g\".json;"));
    assert!(azure.contains("type=warning;") && azure.contains("]info: the User object mapping"));
    assert!(github.contains("::notice file=samples/broken.json"));
}

/// The JUnit document is well-formed: every element closes, attributes are
/// quoted, and the odd file name comes back out of the escaping intact.
#[test]
fn junit_is_well_formed() {
    let xml = render(Format::Junit, &report());
    let mut stack: Vec<String> = Vec::new();
    let mut rest = xml.trim_start_matches("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').unwrap() + start;
        let tag = &rest[start + 1..end];
        assert!(!rest[..start].contains('>'), "stray > in text");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name));
        } else if !tag.ends_with('/') {
            stack.push(tag.split_whitespace().next().unwrap().to_string());
        }
        assert_eq!(tag.matches('"').count() % 2, 0, "unbalanced quotes in <{tag}>");
        rest = &rest[end + 1..];
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
    let escaped = "odd dir/a,b:c%d;e]&amp;&lt;f&gt;'g&quot;.json";
    assert!(xml.contains(&format!("<testsuite name=\"{escaped}\"")));
    let rules_run = report().files[0].rules_run.len();
    assert!(xml.contains(&format!(
        "<testsuite name=\"samples/broken.json\" tests=\"{rules_run}\""
    )));
}
