//! Every rule against its fixtures, as in Biome's `specs/<rule>/{valid,invalid}`:
//! invalid cases in `tests/fixtures/rules/<rule>/*.json`, valid ones in
//! `tests/fixtures/rules/<rule>/valid/*.json`.
//!
//! Each invalid case must trigger its rule (and only that rule, since only it
//! is selected); the rendered human output and the JSON pointer of every
//! finding are snapshotted. Each valid case is a near miss of the invalid ones
//! and must not trigger its rule; `valid/README.md` says why, one line per
//! file. Clean inputs (the base fixture and the clean samples) must trigger
//! nothing.

use mapping_lint::lint::{LintSettings, lint_bytes};
use mapping_lint::output::{self, Report, human};
use mapping_lint::profile::Profile;
use mapping_lint::rules::{Check, REGISTRY};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn only(rule: &str) -> LintSettings {
    LintSettings {
        select: Some(vec![rule.to_string()]),
        profile: Some(Arc::new(fixture_profile(None))),
        ..LintSettings::default()
    }
}

/// The reference profile of a fixture: `<fixture>.profile.yaml` next to it,
/// else `tests/fixtures/profile.yaml` (which base.json implements exactly).
/// Both are loaded as files, so findings carry a label into the YAML.
fn fixture_profile(fixture: Option<&Path>) -> Profile {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let own = fixture
        .map(|f| f.with_extension("profile.yaml"))
        .filter(|p| p.is_file());
    let path = own.unwrap_or_else(|| root.join("profile.yaml"));
    let name = path.strip_prefix(&root).unwrap().display().to_string();
    Profile::parse(&name, &std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn fixture_name(path: &Path) -> (String, String) {
    let rule = path
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let name = format!("{rule}/{}", path.file_name().unwrap().to_str().unwrap());
    (rule, name)
}

#[test]
fn every_fixture_triggers_its_rule_and_renders_stably() {
    insta::glob!("fixtures/rules/*/*.json", |path| {
        let (rule, name) = fixture_name(path);
        let settings = LintSettings {
            profile: Some(Arc::new(fixture_profile(Some(path)))),
            ..only(&rule)
        };
        let report = lint_bytes(&name, std::fs::read(path).unwrap(), &settings);
        assert!(!report.diagnostics.is_empty(), "{name} does not trigger {rule}");
        let mut rendered = String::new();
        for d in &report.diagnostics {
            assert_eq!(d.rule, rule);
            rendered.push_str(&format!("pointer: {}\n", d.pointer));
            rendered.push_str(&human::render_finding(&report, d));
            rendered.push('\n');
        }
        insta::assert_snapshot!(rendered);
    });
}

#[test]
fn every_registered_rule_has_a_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    // Findings of this rule come from suppression files, tested with them
    // (tests/cli_baseline.rs, tests/cli_config.rs).
    let exempt = ["unused-suppression"];
    for rule in mapping_lint::rules::REGISTRY
        .iter()
        .filter(|r| !exempt.contains(&r.meta().name))
    {
        // A rule on exports has export fixtures; a rule on settings files
        // has settings files (tests/settings_files.rs).
        let (dir, extensions) = match rule {
            Check::File(_) => (root.join("rules").join(rule.meta().name), &["json"][..]),
            Check::Run(_) => (root.join("settings").join(rule.meta().name), &["json", "yaml"][..]),
        };
        let has_fixture = dir.read_dir().is_ok_and(|mut d| {
            d.any(|e| {
                e.unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| extensions.iter().any(|e| x == *e))
            })
        });
        assert!(
            has_fixture,
            "no fixture for rule {} in {}",
            rule.meta().name,
            dir.display()
        );
    }
}

/// The rules that judge one export at a time: the ones with fixtures.
/// (`unused-suppression` is a run-level check, tested with suppression files.)
fn file_rules() -> impl Iterator<Item = &'static str> {
    REGISTRY.iter().filter_map(|check| match check {
        Check::File(rule) => Some(rule.meta().name),
        Check::Run(_) => None,
    })
}

fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

/// The valid cases of a rule, `tests/fixtures/rules/<rule>/valid/*.json`, sorted.
fn valid_cases(rule: &str) -> Vec<PathBuf> {
    let Ok(entries) = rules_dir().join(rule).join("valid").read_dir() else {
        return Vec::new();
    };
    let mut cases: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_file_rule_has_documented_valid_cases() {
    for rule in file_rules() {
        let cases = valid_cases(rule);
        let dir = rules_dir().join(rule).join("valid");
        assert!(
            !cases.is_empty(),
            "no valid case for rule {rule}: add near misses of its invalid cases to {}",
            dir.display()
        );
        let readme = std::fs::read_to_string(dir.join("README.md")).unwrap_or_else(|_| {
            panic!(
                "{}: README.md missing (one line per case: why it must not trigger)",
                dir.display()
            )
        });
        for case in &cases {
            let file = case.file_name().unwrap().to_str().unwrap();
            assert!(
                readme.contains(&format!("| `{file}`")),
                "{rule}/valid/README.md does not explain {file}"
            );
        }
    }
    // No folder of cases for a rule that does not exist (a renamed rule).
    for entry in rules_dir().read_dir().unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(file_rules().any(|r| r == name), "fixtures for unknown rule {name}");
    }
}

#[test]
fn valid_cases_do_not_trigger_their_rule() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in file_rules() {
        for path in valid_cases(rule) {
            let name = format!("{rule}/valid/{}", path.file_name().unwrap().to_str().unwrap());
            // The same settings as the invalid cases, the fixture's own profile included.
            let settings = LintSettings {
                profile: Some(Arc::new(fixture_profile(Some(&path)))),
                ..only(rule)
            };
            let report = lint_bytes(&name, std::fs::read(&path).unwrap(), &settings);
            checked += 1;
            let found: Vec<String> = report
                .diagnostics
                .iter()
                .filter(|d| d.rule == rule)
                .map(|d| format!("pointer: {}\n{}", d.pointer, human::render_finding(&report, d)))
                .collect();
            if !found.is_empty() {
                failures.push(format!("{name} triggers {rule}:\n{}", found.join("\n")));
            }
        }
    }
    assert!(checked > 0, "no valid cases found");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The pointer in the JSON report names the exact value.
#[test]
fn json_report_pointers_name_the_offending_value() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "schema-violation",
            "wrong-type.json",
            &["/synchronizationRules/0/objectMappings/0/attributeMappings/0/matchingPriority"],
        ),
        (
            "schema-violation",
            "duplicate-key.json",
            &["/synchronizationRules/0/objectMappings/0/enabled"],
        ),
        (
            "unknown-enum-value",
            "flow-type.json",
            &["/synchronizationRules/0/objectMappings/0/attributeMappings/1/flowType"],
        ),
        (
            "unknown-directory",
            "target-directory.json",
            &["/synchronizationRules/0/targetDirectoryName"],
        ),
        (
            "unknown-directory",
            "source-object.json",
            &["/synchronizationRules/0/objectMappings/1/sourceObjectName"],
        ),
        (
            "duplicate-target-attribute",
            "twice.json",
            &["/synchronizationRules/0/objectMappings/0/attributeMappings/4/targetAttributeName"],
        ),
        (
            "unknown-target-attribute",
            "case.json",
            &["/synchronizationRules/0/objectMappings/0/attributeMappings/0/targetAttributeName"],
        ),
        (
            "missing-matching-attribute",
            "group.json",
            &["/synchronizationRules/0/objectMappings/1/sourceObjectName"],
        ),
        (
            "duplicate-matching-priority",
            "two-ones.json",
            &["/synchronizationRules/0/objectMappings/0/attributeMappings/2/matchingPriority"],
        ),
        (
            "anchor-mapped",
            "id.json",
            &["/synchronizationRules/0/objectMappings/0/attributeMappings/4/targetAttributeName"],
        ),
        (
            "add-only-flow",
            "active.json",
            &["/synchronizationRules/0/objectMappings/0/attributeMappings/1/flowType"],
        ),
        (
            "object-actions",
            "no-delete.json",
            &["/synchronizationRules/0/objectMappings/0/flowTypes"],
        ),
        (
            "user-mapping-disabled",
            "disabled.json",
            &["/synchronizationRules/0/objectMappings/0/enabled"],
        ),
        (
            "secret-in-export",
            "metadata-token.json",
            &["/synchronizationRules/0/metadata/0/value"],
        ),
        ("invalid-json", "empty.json", &[""]),
        (
            "expression-syntax",
            "escaped-string.json",
            &["/synchronizationRules/0/objectMappings/0/attributeMappings/2/source/expression"],
        ),
        (
            "unknown-function",
            "case-escaped.json",
            &[
                "/synchronizationRules/0/objectMappings/0/attributeMappings/1/source/expression",
                "/synchronizationRules/0/objectMappings/0/attributeMappings/2/source/expression",
            ],
        ),
        (
            "undocumented-function",
            "prepend-escaped.json",
            &["/synchronizationRules/0/objectMappings/0/attributeMappings/3/source/expression"],
        ),
        (
            "function-arity",
            "slots-escaped.json",
            &[
                "/synchronizationRules/0/objectMappings/0/attributeMappings/2/source/expression",
                "/synchronizationRules/0/objectMappings/0/attributeMappings/3/source/expression",
                "/synchronizationRules/0/objectMappings/0/attributeMappings/4/source/expression",
            ],
        ),
        (
            "unknown-source-attribute",
            "case.json",
            &["/synchronizationRules/0/objectMappings/0/attributeMappings/0/source/expression"],
        ),
        (
            "unknown-source-attribute",
            "direct-name.json",
            &["/synchronizationRules/0/objectMappings/0/attributeMappings/3/source/name"],
        ),
        (
            "expression-too-long",
            "switch.json",
            &["/synchronizationRules/0/objectMappings/0/attributeMappings/2/source/expression"],
        ),
        (
            "unsupported-function",
            "select-unique-value.json",
            &[
                "/synchronizationRules/0/objectMappings/0/attributeMappings/0/source/expression",
                "/synchronizationRules/0/objectMappings/0/attributeMappings/0/source/expression",
                "/synchronizationRules/0/objectMappings/0/attributeMappings/2/source/expression",
                "/synchronizationRules/0/objectMappings/0/attributeMappings/2/source/expression",
            ],
        ),
        (
            "app-role-assignments-direct",
            "direct.json",
            &["/synchronizationRules/0/objectMappings/0/attributeMappings/4/source"],
        ),
        (
            "app-role-assignments-direct",
            "nested-and-name-only.json",
            &[
                "/synchronizationRules/0/objectMappings/0/attributeMappings/4/source/expression",
                "/synchronizationRules/0/objectMappings/0/attributeMappings/5/source",
            ],
        ),
        (
            "source-tree-mismatch",
            "attribute.json",
            &["/synchronizationRules/0/objectMappings/0/attributeMappings/2/source"],
        ),
        (
            "source-tree-mismatch",
            "switch-default.json",
            &["/synchronizationRules/0/objectMappings/0/attributeMappings/1/source"],
        ),
        (
            "missing-object-mapping",
            "other-target.json",
            &["/synchronizationRules/0/objectMappings/1/targetObjectName"],
        ),
        (
            "missing-required-mapping",
            "no-given-name.json",
            &["/synchronizationRules/0/objectMappings/0"],
        ),
        (
            "wrong-mapping-source",
            "upn.json",
            &["/synchronizationRules/0/objectMappings/0/attributeMappings/0/source"],
        ),
        (
            "unexpected-mapping",
            "extra.json",
            &["/synchronizationRules/0/objectMappings/1/attributeMappings/2"],
        ),
        (
            "wrong-matching-attribute",
            "other-first.json",
            &["/synchronizationRules/0/objectMappings/0/attributeMappings/2/matchingPriority"],
        ),
        (
            "soft-delete-not-mapped",
            "account-enabled.json",
            &["/synchronizationRules/0/objectMappings/0/attributeMappings/1/source"],
        ),
        (
            "scope-unsupported",
            "manager.json",
            &["/synchronizationRules/0/objectMappings/0/scope/groups/0/clauses/0/sourceOperandName"],
        ),
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    for (rule, file, expected) in cases {
        let report = lint_bytes(file, std::fs::read(root.join(rule).join(file)).unwrap(), &only(rule));
        let mut json = Vec::new();
        output::json::render(
            &Report {
                files: vec![report],
                profile: None,
                ..Default::default()
            },
            &mut json,
        )
        .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&json).unwrap();
        let pointers: Vec<&str> = doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["pointer"].as_str().unwrap())
            .collect();
        assert_eq!(&pointers, expected, "{rule}/{file}");
    }
}

#[test]
fn clean_inputs_trigger_nothing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in [
        "tests/fixtures/base.json",
        "samples/astrato.json",
        "samples/entra-defaults.json",
    ] {
        let report = lint_bytes(file, std::fs::read(root.join(file)).unwrap(), &LintSettings::default());
        let found: Vec<String> = report
            .diagnostics
            .iter()
            .map(|d| format!("{} {}", d.rule, d.pointer))
            .collect();
        assert!(found.is_empty(), "{file}: {found:#?}");
    }
}

/// Real exports (not part of the repository; see ../shared/real-exports)
/// must not produce a single error. Skipped when the folder is absent.
#[test]
fn real_exports_have_no_errors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-exports");
    let Ok(entries) = dir.read_dir() else {
        eprintln!("skipped: {} not present", dir.display());
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let report = lint_bytes(
                &path.display().to_string(),
                std::fs::read(&path).unwrap(),
                &LintSettings::default(),
            );
            let errors: Vec<String> = report
                .diagnostics
                .iter()
                .filter(|d| d.severity == mapping_lint::Severity::Error)
                .map(|d| format!("{} {} {}", d.rule, d.pointer, d.message))
                .collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        }
    }
}
