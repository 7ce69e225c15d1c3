//! Reference profiles end to end through the library: the samples against
//! the built-in profiles (the acceptance criteria of the profile issue),
//! fixes that make an export match its profile, the reference-row API, and
//! the profile JSON Schema.

use mapping_lint::diagnostic::{Applicability, Diagnostic, Edit};
use mapping_lint::lint::{FileReport, LintSettings, lint_bytes};
use mapping_lint::profile::{self, Profile};
use mapping_lint::{Severity, json};
use std::path::Path;
use std::sync::Arc;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn with_profile(name: &str) -> LintSettings {
    LintSettings {
        profile: Profile::resolve(name).unwrap().map(Arc::new),
        ..LintSettings::default()
    }
}

fn lint_file(file: &str, settings: &LintSettings) -> FileReport {
    lint_bytes(file, std::fs::read(root().join(file)).unwrap(), settings)
}

fn rows(report: &FileReport) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .map(|d| format!("{} {} {}", d.severity, d.rule, d.pointer))
        .collect()
}

const USERS: &str = "/synchronizationRules/0/objectMappings/1";
const GROUPS: &str = "/synchronizationRules/0/objectMappings/0";

/// Entra's pristine defaults under astrato: exactly userName and
/// employeeNumber from the wrong source, the Switch form of `active` as
/// info, 16 unexpected user mappings (22 defaults minus the 6 astrato
/// rows), and the missing group description (mapping and attribute
/// definition, one finding with one fix).
#[test]
fn entra_defaults_under_astrato() {
    let report = lint_file("samples/entra-defaults.json", &with_profile("astrato"));
    let mut expected = vec![
        format!("error missing-required-mapping {GROUPS}"),
        format!("error wrong-mapping-source {USERS}/attributeMappings/0/source"),
        format!("info non-reference-source {USERS}/attributeMappings/1/source"),
    ];
    // Rows 3–18 and 20–21 of the default mapping table (0-based 3..=18 except
    // employeeNumber at 19, plus department and manager at 20, 21).
    let unexpected: Vec<usize> = (3..=18).filter(|&i| i != 6 && i != 7).chain([20, 21]).collect();
    assert_eq!(unexpected.len(), 16);
    for i in &unexpected[..unexpected.len() - 2] {
        expected.push(format!("warning unexpected-mapping {USERS}/attributeMappings/{i}"));
    }
    expected.push(format!(
        "error wrong-mapping-source {USERS}/attributeMappings/19/source"
    ));
    for i in &unexpected[unexpected.len() - 2..] {
        expected.push(format!("warning unexpected-mapping {USERS}/attributeMappings/{i}"));
    }
    assert_eq!(rows(&report), expected);

    let missing = &report.diagnostics[0];
    assert!(missing.message.contains("Group:description"), "{}", missing.message);
    assert!(missing.message.contains("attribute definition"), "{}", missing.message);
    let fix = missing.fix.as_ref().unwrap();
    assert_eq!(fix.applicability, Applicability::Safe);
    assert_eq!(fix.edits.len(), 2, "the mapping and the attribute definition");
    assert_eq!(
        report.diagnostics[1].note.as_deref(),
        Some("required by profile astrato: userName ← [mail]")
    );
    insta::assert_snapshot!(concise(&report));
}

fn concise(report: &FileReport) -> String {
    let mut out = Vec::new();
    let full = mapping_lint::output::Report {
        files: vec![FileReport {
            role: mapping_lint::lint::FileRole::Export,
            source: mapping_lint::source::SourceFile::from_text(report.source.name.clone(), report.source.text.clone()),
            diagnostics: report.diagnostics.clone(),
            secrets: Vec::new(),
            fixed: 0,
            job: None,
            rules_run: Vec::new(),
        }],
        profile: None,
        ..Default::default()
    };
    mapping_lint::output::render(
        mapping_lint::output::Format::Concise,
        &full,
        &Default::default(),
        &mut out,
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn astrato_sample_is_clean_under_astrato() {
    let report = lint_file("samples/astrato.json", &with_profile("astrato"));
    let serious: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .collect();
    assert!(serious.is_empty(), "{serious:#?}");
}

#[test]
fn entra_defaults_have_no_errors_without_a_profile() {
    let report = lint_file("samples/entra-defaults.json", &with_profile("none"));
    assert_eq!(report.count(Severity::Error), 0, "{:#?}", rows(&report));
}

#[test]
fn entra_defaults_match_the_entra_default_profile() {
    let report = lint_file("samples/entra-defaults.json", &with_profile("entra-default"));
    assert!(report.diagnostics.is_empty(), "{:#?}", rows(&report));
}

#[test]
fn base_fixture_implements_the_fixture_profile() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/profile.yaml")).unwrap();
    let settings = LintSettings {
        profile: Some(Arc::new(Profile::parse("profile.yaml", &text).unwrap())),
        ..LintSettings::default()
    };
    let report = lint_file("tests/fixtures/base.json", &settings);
    assert!(report.diagnostics.is_empty(), "{:#?}", rows(&report));
}

/// Applies every safe fix whose edits do not overlap an earlier one; the
/// fix engine does the same and repeats until nothing changes.
fn apply_safe_fixes(text: &str, diagnostics: &[Diagnostic]) -> String {
    let mut edits: Vec<&Edit> = Vec::new();
    for d in diagnostics {
        let Some(fix) = d.fix.as_ref().filter(|f| f.applicability == Applicability::Safe) else {
            continue;
        };
        let overlaps = fix.edits.iter().any(|e| {
            edits
                .iter()
                .any(|o| e.span.start < o.span.end && o.span.start < e.span.end)
        });
        if !overlaps {
            edits.extend(&fix.edits);
        }
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(e.span.range(), &e.content);
    }
    out
}

/// The safe fixes turn Entra's defaults into an export that implements the
/// astrato profile except for the matching attribute (changing its source
/// is unsafe), and the result is valid JSON at every step.
#[test]
fn safe_fixes_converge_to_the_profile() {
    let settings = with_profile("astrato");
    let mut text = std::fs::read_to_string(root().join("samples/entra-defaults.json")).unwrap();
    for _ in 0..10 {
        let report = mapping_lint::lint_text("entra-defaults.json", &text, &settings);
        assert!(json::parse(&text).is_ok(), "fixed text is not JSON:\n{text}");
        let next = apply_safe_fixes(&text, &report.diagnostics);
        if next == text {
            let left: Vec<String> = rows(&report);
            assert_eq!(
                left,
                [format!("error wrong-mapping-source {USERS}/attributeMappings/0/source")],
                "only userName ← [userPrincipalName], the matching attribute, is left"
            );
            return;
        }
        text = next;
    }
    panic!("fixes did not converge");
}

/// Every built-in and fixture profile is valid against the published JSON
/// Schema, and the schema rejects what the loader rejects.
#[test]
fn profiles_match_the_json_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("schemas/profile.schema.json")).unwrap()).unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&schema)
        .unwrap();
    let mut yamls: Vec<(String, String)> = profile::BUILTINS
        .iter()
        .map(|b| (b.name.to_string(), b.yaml.to_string()))
        .collect();
    yamls.push((
        "fixture".into(),
        std::fs::read_to_string(root().join("tests/fixtures/profile.yaml")).unwrap(),
    ));
    for (name, yaml) in &yamls {
        let value: serde_json::Value = serde_saphyr::from_str(yaml).unwrap();
        let errors: Vec<String> = validator.iter_errors(&value).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
    for bad in [
        "name: x\n",
        "name: x\nusers:\n  unexpected: never\n",
        "name: x\nusers:\n  mappings:\n    - source: \"[a]\"\n",
        "name: x\nusers:\n  colour: blue\n",
    ] {
        let value: serde_json::Value = serde_saphyr::from_str(bad).unwrap();
        assert!(!validator.is_valid(&value), "schema accepts {bad:?}");
        assert!(Profile::parse("bad.yaml", bad).is_err(), "loader accepts {bad:?}");
    }
}

/// The example profile in docs/profiles.md is valid, and so is the example
/// config in docs/configuration.md.
#[test]
fn documented_examples_load() {
    let docs = std::fs::read_to_string(root().join("docs/profiles.md")).unwrap();
    let example = docs.split("```yaml\n").nth(1).unwrap().split("```").next().unwrap();
    let profile = Profile::parse("docs/profiles.md", example).unwrap();
    assert_eq!(profile.name, "acme-wiki");
    assert_eq!(profile.objects[0].mappings.len(), 5);

    let docs = std::fs::read_to_string(root().join("docs/configuration.md")).unwrap();
    let example = docs.split("```yaml\n").nth(1).unwrap().split("```").next().unwrap();
    let config = mapping_lint::config::Config::parse(Path::new(".mapping-lint.yaml"), example).unwrap();
    assert_eq!(config.ignores.len(), 2);
}
