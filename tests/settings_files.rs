//! Findings in the settings files — the config, a profile, a baseline — are
//! shown at their place in their own file, in every output format.
//!
//! A settings file that cannot be used stops the run (exit 2) before any
//! export is linted; the message on stderr shows the snippet, and each
//! report the run was asked for says the same at the same place, so a CI
//! job that uploads SARIF or reads annotations points at the line of the
//! settings file. `unused-suppression` findings sit in the config or
//! baseline in the same way, next to the exports' findings.

mod common;

use common::run_in;
use std::path::Path;

const FORMATS: [&str; 8] = ["human", "full", "concise", "json", "sarif", "github", "azure", "junit"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn schema_validator(path: &str) -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(root().join(path)).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn assert_valid(validator: &jsonschema::Validator, doc: &serde_json::Value) {
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// A directory holding the sample export and the settings file `fixture`
/// in the place its rule's directory says; returns it and the arguments
/// that make a run use the settings file.
fn workspace(fixture: &Path) -> (tempfile::TempDir, Vec<&'static str>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("samples/entra-defaults.json"),
        dir.path().join("entra-defaults.json"),
    )
    .unwrap();
    let rule = fixture.parent().unwrap().file_name().unwrap().to_str().unwrap();
    let (place, args): (&str, &[&'static str]) = match rule {
        "invalid-config" => (".mapping-lint.yaml", &[]),
        "invalid-profile" => ("profile.yaml", &["--profile", "profile.yaml"]),
        "invalid-baseline" => ("baseline.json", &["--baseline", "baseline.json"]),
        other => panic!("no workspace for {other}"),
    };
    std::fs::copy(fixture, dir.path().join(place)).unwrap();
    let mut args = args.to_vec();
    args.push("entra-defaults.json");
    (dir, args)
}

/// The SARIF results as lines: rule, level, file:line:col, message.
fn sarif_results(doc: &serde_json::Value) -> String {
    let run = &doc["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let mut out = String::new();
    for result in run["results"].as_array().unwrap() {
        let rule = result["ruleId"].as_str().unwrap();
        assert_eq!(
            rules[result["ruleIndex"].as_u64().unwrap() as usize],
            rule,
            "ruleIndex points at the rule"
        );
        let location = &result["locations"][0]["physicalLocation"];
        out.push_str(&format!(
            "{rule} {} {}:{}:{} {}\n",
            result["level"].as_str().unwrap(),
            location["artifactLocation"]["uri"].as_str().unwrap(),
            location["region"]["startLine"],
            location["region"]["startColumn"],
            result["message"]["text"].as_str().unwrap()
        ));
    }
    out
}

/// The JSON report's files and findings as lines.
fn json_findings(doc: &serde_json::Value) -> String {
    let mut out = String::new();
    for file in doc["files"].as_array().unwrap() {
        out.push_str(&format!(
            "file {} role={} errors={}\n",
            file["path"].as_str().unwrap(),
            file["role"].as_str().unwrap(),
            file["errors"]
        ));
    }
    for d in doc["diagnostics"].as_array().unwrap() {
        out.push_str(&format!(
            "{} {}:{}:{} {}\n",
            d["rule"].as_str().unwrap(),
            d["file"].as_str().unwrap(),
            d["range"]["start"]["line"],
            d["range"]["start"]["column"],
            d["message"].as_str().unwrap()
        ));
    }
    out.push_str(&format!("summary {}\n", doc["summary"]));
    out
}

/// What every format says about `args` in `dir`, one section per format,
/// after checking each exits with `code` and its machine formats validate.
fn every_format(dir: &Path, args: &[&str], code: i32) -> String {
    let report_schema = schema_validator("schemas/report.schema.json");
    let sarif_schema = schema_validator("tests/schemas/sarif-schema-2.1.0.json");
    let mut out = String::new();
    for format in FORMATS {
        let mut full_args = vec!["check", "-f", format];
        full_args.extend_from_slice(args);
        let run = run_in(dir, &full_args);
        assert_eq!(run.code, code, "{format}: {}", run.stderr);
        let shown = match format {
            "json" => {
                let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
                assert_valid(&report_schema, &doc);
                json_findings(&doc)
            }
            "sarif" => {
                let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
                assert_valid(&sarif_schema, &doc);
                sarif_results(&doc)
            }
            _ => run.stdout.replace(env!("CARGO_PKG_VERSION"), "[version]"),
        };
        out.push_str(&format!("--- {format}\n{shown}"));
        if !shown.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

#[test]
fn a_settings_file_that_cannot_be_used_is_reported_in_its_file_in_every_format() {
    insta::glob!("fixtures/settings/*/*.*", |fixture| {
        let rule = fixture.parent().unwrap().file_name().unwrap().to_str().unwrap();
        let (dir, args) = workspace(fixture);
        let mut full_args = vec!["check"];
        full_args.extend_from_slice(&args);
        let human = run_in(dir.path(), &full_args);
        assert_eq!(human.code, 2, "{}", human.stderr);
        // On the terminal the message says it all, with its snippet: the
        // report on stdout does not repeat it.
        assert_eq!(human.stdout, "", "{}", human.stderr);
        assert!(human.stderr.starts_with("mapping-lint: error: "), "{}", human.stderr);
        let formats = every_format(dir.path(), &args, 2);
        assert!(formats.contains(rule), "{rule} is named in the reports:\n{formats}");
        assert!(
            !formats.contains("entra-defaults.json:"),
            "nothing was linted, so no finding is in the export:\n{formats}"
        );
        insta::assert_snapshot!(format!("--- stderr\n{}{formats}", human.stderr));
    });
}

/// `-o` and `--report` get the report too, in their formats, and the
/// settings file itself is never a destination.
#[test]
fn report_files_say_why_the_run_stopped() {
    let fixture = root().join("tests/fixtures/settings/invalid-config/unknown-rule.yaml");
    let (dir, mut args) = workspace(&fixture);
    args.splice(0..0, ["check", "-o", "out.txt", "--report", "sarif=out.sarif"]);
    let run = run_in(dir.path(), &args);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    let human = std::fs::read_to_string(dir.path().join("out.txt")).unwrap();
    assert!(
        human.contains("unknown rule `anchor-maped`") && human.contains("anchor-maped: off"),
        "{human}"
    );
    assert!(human.contains("no export was linted"), "{human}");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 1);
    assert!(sarif_results(&sarif).starts_with("invalid-config error .mapping-lint.yaml:4:3 "));

    // Naming the config as the report's destination is refused, and the
    // config is left as it was.
    let before = std::fs::read(dir.path().join(".mapping-lint.yaml")).unwrap();
    let run = run_in(
        dir.path(),
        &["check", "-f", "json", "-o", ".mapping-lint.yaml", "entra-defaults.json"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is an input") || run.stderr.contains("input"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(dir.path().join(".mapping-lint.yaml")).unwrap(), before);
}

/// `--fix -` writes the fixed text to stdout, often into a file: when the
/// run stops on its settings, stdout stays empty and the report goes to
/// stderr.
#[test]
fn fixing_stdin_keeps_the_report_off_stdout() {
    let fixture = root().join("tests/fixtures/settings/invalid-config/unknown-rule.yaml");
    let (dir, _) = workspace(&fixture);
    let export = std::fs::read(dir.path().join("entra-defaults.json")).unwrap();
    let out = common::bin()
        .current_dir(dir.path())
        .args(["check", "--fix", "-f", "json", "-"])
        .write_stdin(export)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("\"rule\": \"invalid-config\""), "{stderr}");
}

/// A file that is not a settings file at all (a credentials file named by
/// mistake) is named, never shown: in no format does its content appear.
#[test]
fn a_file_that_is_not_a_settings_file_is_located_but_never_shown() {
    let canary = "CANARY-9f2c1e";
    let cases: [(&str, String, &[&str]); 2] = [
        (
            "creds.env",
            format!("AZURE_CLIENT_SECRET={canary}\nAZURE_TENANT_ID=x\n"),
            &["--profile", "creds.env"],
        ),
        (
            "creds.json",
            format!("{{\"type\": \"service_account\", \"private_key\": \"{canary}\"}}\n"),
            &["--baseline", "creds.json"],
        ),
    ];
    for (name, text, flags) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(
            root().join("samples/entra-defaults.json"),
            dir.path().join("entra-defaults.json"),
        )
        .unwrap();
        std::fs::write(dir.path().join(name), text).unwrap();
        let mut args = flags.to_vec();
        args.push("entra-defaults.json");
        let formats = every_format(dir.path(), &args, 2);
        assert!(!formats.contains(canary), "{name}: {formats}");
        assert!(formats.contains(&format!("{name}:1:1")), "{name} is located: {formats}");
        let mut check = vec!["check"];
        check.extend_from_slice(&args);
        let human = run_in(dir.path(), &check);
        assert!(!human.stderr.contains(canary), "{}", human.stderr);
    }
}

/// An unused `ignore:` entry and an unused baseline entry are findings in
/// the config and the baseline, next to the export's findings, in every
/// format; the summary counts only the export as linted.
#[test]
fn unused_suppressions_are_reported_in_their_files_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join("samples/broken.json"), dir.path().join("broken.json")).unwrap();
    std::fs::write(
        dir.path().join(".mapping-lint.yaml"),
        "profile: none\nignore:\n  - rule: expression-too-long\n    files: broken.json\n    reason: \
         the long expression was split\n",
    )
    .unwrap();
    let first = run_in(
        dir.path(),
        &["check", "--write-baseline", "baseline.json", "broken.json"],
    );
    assert_eq!(first.code, 0, "{}", first.stderr);
    // A recorded finding that is gone: the baseline's entry is unused.
    let baseline = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&baseline).unwrap();
    let mut doc = doc;
    let entries = doc["entries"].as_array_mut().unwrap();
    let mut stale = entries[0].clone();
    stale["rule"] = serde_json::json!("anchor-mapped");
    stale["key"] = serde_json::json!("/synchronizationRules/0/objectMappings[sourceObjectName=User]");
    entries.insert(0, stale);
    std::fs::write(
        dir.path().join("baseline.json"),
        serde_json::to_string_pretty(&doc).unwrap(),
    )
    .unwrap();
    let formats = every_format(dir.path(), &["--baseline", "baseline.json", "broken.json"], 0);
    assert!(formats.contains("file .mapping-lint.yaml role=config"), "{formats}");
    assert!(formats.contains("file baseline.json role=baseline"), "{formats}");
    assert!(formats.contains("\"files\":1"), "one export linted: {formats}");
    insta::assert_snapshot!(formats);
}

/// A finding's other places reach the machine formats: the row of the
/// profile file that requires a mapping (a place in another file) is a
/// `related` entry in JSON and a related location in SARIF, and a
/// finding's note is in the JSON.
#[test]
fn places_in_a_profile_file_and_notes_reach_json_and_sarif() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("samples/entra-defaults.json"),
        dir.path().join("entra-defaults.json"),
    )
    .unwrap();
    std::fs::copy(
        root().join("tests/fixtures/rules/scope-unsupported/manager.json"),
        dir.path().join("scoped.json"),
    )
    .unwrap();
    // A profile that requires an object mapping the export does not have.
    std::fs::write(
        dir.path().join("profile.yaml"),
        "name: contoso\napplication: Contoso\nkind: outbound-scim\n\nusers:\n  source-object: User\n  \
         target-objects: [ContosoUser]\n  required: true\n  mappings:\n    - target: userName\n      source: \
         \"[mail]\"\n",
    )
    .unwrap();
    let args = [
        "check",
        "--profile",
        "profile.yaml",
        "entra-defaults.json",
        "scoped.json",
    ];
    let json = run_in(dir.path(), &[&args[..], &["-f", "json"]].concat());
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_valid(&schema_validator("schemas/report.schema.json"), &doc);
    let diagnostics = doc["diagnostics"].as_array().unwrap();
    let missing = diagnostics
        .iter()
        .find(|d| d["rule"] == "missing-object-mapping")
        .expect("the profile's users are missing");
    let related = &missing["related"][0];
    assert_eq!(related["file"], "profile.yaml");
    assert_eq!(related["range"]["start"]["line"], 5, "the `users:` row: {related}");
    assert!(related["message"].as_str().unwrap().contains("profile contoso"));
    let scoped = diagnostics
        .iter()
        .find(|d| d["rule"] == "scope-unsupported")
        .expect("the scoping clause on manager");
    assert!(
        scoped["note"].as_str().unwrap().contains("cannot be evaluated"),
        "{scoped}"
    );

    let sarif = run_in(dir.path(), &[&args[..], &["-f", "sarif"]].concat());
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    assert_valid(&schema_validator("tests/schemas/sarif-schema-2.1.0.json"), &log);
    let result = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "missing-object-mapping")
        .unwrap();
    let place = &result["relatedLocations"][0];
    assert_eq!(place["physicalLocation"]["artifactLocation"]["uri"], "profile.yaml");
    assert_eq!(place["physicalLocation"]["region"]["startLine"], 5);
}
