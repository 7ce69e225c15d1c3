//! `.mapping-lint.yaml` end to end: discovery from the current directory
//! upwards, `--config`, per-rule severities, `fail-on`, `profile`, ignore
//! entries with `unused-suppression`, and bad configs (exit 2 with the YAML
//! position). Every test works in its own temporary directory.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A temporary project: `exports/broken.json`, `exports/defaults.json` and
/// a config file at the top.
fn project(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let exports = dir.path().join("exports");
    std::fs::create_dir(&exports).unwrap();
    for (from, to) in [("broken.json", "broken.json"), ("entra-defaults.json", "defaults.json")] {
        std::fs::copy(Path::new(ROOT).join("samples").join(from), exports.join(to)).unwrap();
    }
    std::fs::write(dir.path().join(".mapping-lint.yaml"), config).unwrap();
    dir
}

fn bin(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("mapping-lint").unwrap();
    cmd.current_dir(cwd)
        .env_remove("MAPPING_LINT_PROFILE")
        .env("NO_COLOR", "1");
    cmd
}

fn run(cmd: &mut Command) -> (Option<i32>, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn config_is_found_from_a_subdirectory_upwards() {
    let dir = project("profile: none\nrules:\n  secret-in-export: off\n");
    let sub: PathBuf = dir.path().join("exports");
    let (code, out, _) = run(bin(&sub).args(["-f", "concise", "broken.json"]));
    assert_eq!(code, Some(1));
    assert!(!out.contains("secret-in-export"), "{out}");
    assert!(out.contains("error[unknown-directory]"), "{out}");
    // `profile: none` from the config: no profile rules.
    assert!(!out.contains("wrong-mapping-source"), "{out}");
}

#[test]
fn severity_override_and_fail_on() {
    // object-actions is a warning by default; the config makes it an error
    // and turns everything else off, so the exit code depends on it alone.
    let dir = project(
        "profile: none\nrules:\n  object-actions: error\n  secret-in-export: off\n  unknown-directory: off\n  unknown-target-attribute: off\n  duplicate-target-attribute: off\n  missing-matching-attribute: off\n  soft-delete-not-mapped: off\n",
    );
    let (code, out, _) =
        run(bin(dir.path()).args(["-f", "concise", "--select", "object-actions", "exports/broken.json"]));
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("error[object-actions]"), "{out}");

    // fail-on from the config, and the flag overriding it.
    let dir = project("profile: none\nfail-on: warning\n");
    let (code, _, _) = run(bin(dir.path()).args(["--select", "object-actions", "exports/broken.json"]));
    assert_eq!(code, Some(1));
    let (code, _, _) = run(bin(dir.path()).args([
        "--select",
        "object-actions",
        "--fail-on",
        "error",
        "exports/broken.json",
    ]));
    assert_eq!(code, Some(0));
}

#[test]
fn profile_flag_overrides_the_config() {
    let dir = project("profile: none\n");
    let (code, out, _) = run(bin(dir.path()).args(["-f", "json", "--profile", "astrato", "exports/defaults.json"]));
    assert_eq!(code, Some(1));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["profile"], "astrato");
}

#[test]
fn profile_path_in_the_config_is_relative_to_the_config() {
    let dir = project("profile: profiles/app.yaml\n");
    std::fs::create_dir(dir.path().join("profiles")).unwrap();
    std::fs::write(
        dir.path().join("profiles/app.yaml"),
        "name: app\nusers:\n  unexpected: off\n  mappings:\n    - target: userName\n      source: \"[userPrincipalName]\"\n      matching: true\ngroups:\n  unexpected: off\n",
    )
    .unwrap();
    let sub = dir.path().join("exports");
    let (code, out, err) = run(bin(&sub).args(["-f", "json", "defaults.json"]));
    assert_eq!(code, Some(0), "{out}{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["profile"], "app");
}

#[test]
fn ignore_entries_suppress_and_unused_ones_are_reported() {
    let dir = project(
        r#"profile: astrato
ignore:
  - rule: unexpected-mapping
    files: "exports/defaults.json"
    pointer: /synchronizationRules/0/objectMappings/1
    reason: we keep Entra's defaults until the app is live
  - rule: wrong-mapping-source
    files: "exports/*.json"
    pointer: /synchronizationRules/0/objectMappings/1/attributeMappings/0
    reason: userName stays the UPN for now
  - rule: anchor-mapped
    files: "exports/defaults.json"
    reason: stale
"#,
    );
    let (code, out, _) = run(bin(dir.path()).args(["-f", "concise", "exports/defaults.json"]));
    assert_eq!(code, Some(1));
    assert!(
        !out.contains("unexpected-mapping"),
        "prefix pointer suppresses all 16:\n{out}"
    );
    assert!(!out.contains("`userName` is mapped from"), "{out}");
    assert!(out.contains("employeeNumber"), "the other wrong source stays:\n{out}");
    // The third entry matched nothing: reported in the config file.
    assert!(
        out.contains(".mapping-lint.yaml:11:5: warning[unused-suppression] unused suppression: ignore entry for `anchor-mapped` in exports/defaults.json matched no finding"),
        "{out}"
    );
    assert_eq!(out.matches("unused-suppression").count(), 1, "{out}");

    // The same config from the exports directory: globs are relative to the
    // config file, so they still match.
    let (_, out, _) = run(bin(&dir.path().join("exports")).args(["-f", "concise", "defaults.json"]));
    assert!(!out.contains("unexpected-mapping"), "{out}");

    // JSON report: the unused entry points into the config file.
    let (_, out, _) = run(bin(dir.path()).args(["-f", "json", "exports/defaults.json"]));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let unused: Vec<&serde_json::Value> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "unused-suppression")
        .collect();
    assert_eq!(unused.len(), 1);
    assert_eq!(unused[0]["pointer"], "/ignore/2");
    assert!(unused[0]["file"].as_str().unwrap().ends_with(".mapping-lint.yaml"));
}

#[test]
fn ignores_for_rules_that_did_not_run_are_not_unused() {
    let dir =
        project("profile: none\nignore:\n  - rule: anchor-mapped\n    files: \"nothing/*.json\"\n    reason: old\n");
    let (_, out, _) = run(bin(dir.path()).args(["-f", "concise", "--select", "object-actions", "exports/broken.json"]));
    assert!(!out.contains("unused-suppression"), "{out}");
    let (_, out, _) =
        run(bin(dir.path()).args(["-f", "concise", "--ignore", "unused-suppression", "exports/broken.json"]));
    assert!(!out.contains("unused-suppression"), "{out}");
    // The glob matches no linted file: this run cannot tell whether the
    // entry is stale (see the next test).
    let (_, out, _) = run(bin(dir.path()).args(["-f", "concise", "exports/broken.json"]));
    assert!(!out.contains("unused-suppression"), "{out}");
    let dir = project(
        "profile: none\nignore:\n  - rule: expression-too-long\n    files: \"exports/*.json\"\n    reason: old\n",
    );
    let (_, out, _) = run(bin(dir.path()).args(["-f", "concise", "exports/broken.json"]));
    assert!(out.contains("unused-suppression"), "{out}");
}

/// A CI job that lints each export separately must not see the ignore
/// entries of the other exports as stale; config and baseline agree.
#[test]
fn entries_for_files_not_linted_in_this_run_are_not_unused() {
    let dir = project(
        "profile: none\nignore:\n  - rule: unknown-directory\n    files: \"exports/broken.json\"\n    reason: known\n",
    );
    // The entry is about broken.json; linting defaults.json alone says
    // nothing about it.
    let (_, out, _) = run(bin(dir.path()).args(["-f", "concise", "exports/defaults.json"]));
    assert!(!out.contains("unused-suppression"), "{out}");
    // Linting broken.json uses it.
    let (_, out, _) = run(bin(dir.path()).args(["-f", "concise", "exports/broken.json"]));
    assert!(
        !out.contains("unused-suppression") && !out.contains("unknown-directory"),
        "{out}"
    );

    // The same with a baseline of broken.json's findings.
    let (code, _, err) = run(bin(dir.path()).args([
        "--config",
        "/dev/null",
        "--profile",
        "none",
        "--write-baseline",
        "baseline.json",
        "exports/broken.json",
    ]));
    assert_eq!(code, Some(0), "{err}");
    let baseline = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    assert!(baseline.contains("exports/broken.json"), "{baseline}");
    let (_, out, _) = run(bin(dir.path()).args([
        "--config",
        "/dev/null",
        "--profile",
        "none",
        "-f",
        "concise",
        "--baseline",
        "baseline.json",
        "exports/defaults.json",
    ]));
    assert!(!out.contains("unused-suppression"), "{out}");
}

#[test]
fn explicit_config_path() {
    let dir = project("this is: [not valid\n");
    let other = dir.path().join("ci.yaml");
    std::fs::write(&other, "profile: none\nrules:\n  secret-in-export: off\n").unwrap();
    let (code, out, err) = run(bin(dir.path())
        .args(["-f", "concise", "--config"])
        .arg(&other)
        .arg("exports/broken.json"));
    assert_eq!(code, Some(1), "{err}");
    assert!(!out.contains("secret-in-export"), "{out}");
    bin(dir.path())
        .args(["--config", "missing.yaml", "exports/broken.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read config missing.yaml"));
}

#[test]
fn bad_config_exits_2_with_its_position() {
    let cases = [
        (
            "rules:\n  anchor-maped: off\n",
            ".mapping-lint.yaml:2:3: unknown rule `anchor-maped`",
            "did you mean `anchor-mapped`?",
        ),
        (
            "rules:\n  anchor-mapped: loud\n",
            ".mapping-lint.yaml:2:18: unknown variant `loud`",
            "use one of the values",
        ),
        (
            "fail-on: critical\n",
            ".mapping-lint.yaml:1:10: unknown variant `critical`",
            "use one of the values",
        ),
        (
            "ignore:\n  - rule: anchor-mapped\n    files: \"*.json\"\n",
            ".mapping-lint.yaml:3:5: missing field `reason`",
            "fix the config file",
        ),
        (
            "profil: astrato\n",
            ".mapping-lint.yaml:1:1: unknown field `profil`",
            "check the spelling",
        ),
        ("rules: [\n", ".mapping-lint.yaml:", "fix the config file"),
    ];
    for (config, message, help) in cases {
        let dir = project(config);
        let (code, out, err) = run(bin(dir.path()).args(["exports/defaults.json"]));
        assert_eq!(code, Some(2), "{config}");
        assert!(out.is_empty(), "{config}: {out}");
        let first = err.lines().next().unwrap();
        assert!(
            first.starts_with("mapping-lint: error: invalid config "),
            "{config}: {err}"
        );
        assert!(first.contains(message), "{config}: {err}");
        assert!(err.contains(help), "{config}: {err}");
    }
    // A bad profile named by the config is a profile error.
    let dir = project("profile: nonesuch\n");
    bin(dir.path())
        .args(["exports/defaults.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown profile `nonesuch`"));
}

#[test]
fn bad_config_snippet() {
    let dir = project("profile: none\nrules:\n  anchor-maped: off\n");
    let (_, _, err) = run(bin(dir.path()).args(["exports/defaults.json"]));
    let err = err.replace(&dir.path().display().to_string(), "<tmp>");
    insta::assert_snapshot!(err);
}

/// Config ignores and a baseline combine: the config suppresses first, the
/// baseline records only what is left (never the config's own unused
/// entries), and each reports its unused entries in its own file.
#[test]
fn config_ignores_and_baseline_coexist() {
    let dir = project(
        r#"profile: astrato
ignore:
  - rule: unexpected-mapping
    files: "exports/defaults.json"
    reason: kept until the app is live
  - rule: anchor-mapped
    reason: stale
"#,
    );
    let (code, _, err) = run(bin(dir.path()).args(["--write-baseline", "baseline.json", "exports/defaults.json"]));
    assert_eq!(code, Some(0), "{err}");
    let baseline = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    assert!(!baseline.contains("unexpected-mapping"), "{baseline}");
    assert!(!baseline.contains("unused-suppression"), "{baseline}");
    assert!(baseline.contains("wrong-mapping-source"), "{baseline}");

    let (code, out, _) =
        run(bin(dir.path()).args(["-f", "concise", "--baseline", "baseline.json", "exports/defaults.json"]));
    assert_eq!(code, Some(0), "{out}");
    let unused: Vec<&str> = out.lines().filter(|l| l.contains("unused-suppression")).collect();
    assert_eq!(unused.len(), 1, "{out}");
    assert!(unused[0].contains(".mapping-lint.yaml:6:5"), "{out}");
    assert!(!out.contains("wrong-mapping-source"), "{out}");
}

/// `--fix` never fixes what an ignore entry accepts: the ignored mapping
/// stays, the other unexpected mappings go, and the entry counts as used.
#[test]
fn fix_leaves_ignored_findings_alone() {
    // In the defaults sample, user mapping 3 is `title` ← [jobTitle].
    let title = "/synchronizationRules/0/objectMappings/1/attributeMappings/3";
    let dir = project(&format!(
        "ignore:\n  - rule: unexpected-mapping\n    files: exports/defaults.json\n    pointer: {title}\n    reason: the app shows job titles\n"
    ));
    let file = dir.path().join("exports/defaults.json");
    let before = std::fs::read_to_string(&file).unwrap();
    assert!(before.contains("\"targetAttributeName\": \"title\""));
    let (code, out, err) =
        run(bin(dir.path()).args(["--fix", "--unsafe-fixes", "-f", "concise", "exports/defaults.json"]));
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(
        after.contains("\"targetAttributeName\": \"title\""),
        "the ignored mapping was removed"
    );
    assert!(
        !after.contains("\"targetAttributeName\": \"name.formatted\""),
        "other unexpected mappings stay"
    );
    assert!(!out.contains("unused-suppression"), "{out}{err}");
    assert_eq!(code, Some(0), "{out}{err}");
}
