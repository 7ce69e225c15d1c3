//! End to end: which files a run lints. Directory walks skip hidden,
//! ignored, excluded and non-export files (listed under `-v` with why),
//! files named explicitly are always linted, and a run that lints nothing
//! (or runs no rule) is exit 2, never a green "All checks passed".

use predicates::prelude::*;
use std::path::Path;

mod common;
use common::*;

fn export() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base.json")).unwrap()
}

/// A tree with one export and one of each kind of skipped file.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for sub in ["exports", "node_modules/pkg", "old"] {
        std::fs::create_dir_all(root.join(sub)).unwrap();
    }
    std::fs::write(root.join("exports/prod.json"), export()).unwrap();
    std::fs::write(root.join("exports/.draft.json"), export()).unwrap();
    std::fs::write(root.join("exports/scratch.json"), export()).unwrap();
    std::fs::write(root.join(".ignore"), "scratch.json\n").unwrap();
    std::fs::write(root.join("old/v1.json"), export()).unwrap();
    std::fs::write(root.join("node_modules/pkg/index.json"), b"{}").unwrap();
    std::fs::write(root.join("package.json"), br#"{"name": "x", "version": "1.0.0"}"#).unwrap();
    std::fs::write(root.join("report.json"), br#"{"version": "1", "files": []}"#).unwrap();
    dir
}

fn run_in(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = bin()
        .current_dir(dir)
        .args(["--profile", "none"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn verbose_lists_every_skipped_file_with_the_reason() {
    let dir = tree();
    let (code, stdout, stderr) = run_in(dir.path(), &["-v", "-f", "concise", "."]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, "All checks passed (2 files).\n", "prod.json and old/v1.json");
    insta::assert_snapshot!(stderr);
}

#[test]
fn without_verbose_skipping_is_silent() {
    let dir = tree();
    let (code, _, stderr) = run_in(dir.path(), &["."]);
    assert_eq!(code, Some(0));
    assert_eq!(stderr, "");
}

#[test]
fn exclude_replaces_the_defaults_and_extend_exclude_adds_to_them() {
    let dir = tree();
    // --extend-exclude keeps node_modules excluded and adds old/.
    let (_, _, stderr) = run_in(dir.path(), &["-v", "--extend-exclude", "old/*.json", "."]);
    assert!(
        stderr.contains("skipped old/v1.json: excluded by `old/*.json`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("skipped node_modules: excluded by `node_modules`"),
        "{stderr}"
    );
    // --exclude replaces the defaults: node_modules is walked (its file is
    // then skipped as not an export).
    let (_, _, stderr) = run_in(dir.path(), &["-v", "--exclude", "old", "."]);
    assert!(stderr.contains("skipped old: excluded by `old`"), "{stderr}");
    assert!(
        stderr.contains("skipped node_modules/pkg/index.json: JSON, but not an export"),
        "{stderr}"
    );
}

#[test]
fn the_config_can_exclude_relative_to_its_directory() {
    let dir = tree();
    std::fs::write(dir.path().join(".mapping-lint.yaml"), "extend-exclude: [old/*.json]\n").unwrap();
    let (code, stdout, stderr) = run_in(&dir.path().join("exports"), &["-v", ".."]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, "All checks passed (1 file).\n");
    assert!(
        stderr.contains("skipped ../old/v1.json: excluded by `old/*.json`"),
        "{stderr}"
    );
}

#[test]
fn an_explicit_file_is_always_linted() {
    let dir = tree();
    let (code, stdout, _) = run_in(
        dir.path(),
        &[
            "-f",
            "concise",
            "--extend-exclude",
            "old",
            "package.json",
            "old/v1.json",
        ],
    );
    assert_eq!(code, Some(1), "package.json is not an export: a finding");
    assert!(stdout.contains("package.json:1:1: error[schema-violation]"), "{stdout}");
    assert!(stdout.contains("in 2 files"), "{stdout}");
}

#[test]
fn the_files_this_run_writes_are_not_linted() {
    let dir = tree();
    std::fs::write(dir.path().join("out.json"), b"stale report from the last run").unwrap();
    let (code, _, stderr) = run_in(dir.path(), &["-v", "-f", "json", "-o", "out.json", "."]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("skipped out.json: written by this run"), "{stderr}");
    // Named explicitly, it is an input that a report may not overwrite.
    let (code, _, stderr) = run_in(dir.path(), &["-o", "out.json", "out.json"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("refusing to overwrite the input out.json"), "{stderr}");
}

#[test]
fn an_empty_directory_is_exit_2_not_a_green_run() {
    let dir = tempfile::tempdir().unwrap();
    bin()
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("mapping-lint: error: no export found in"));
}

#[test]
fn a_directory_whose_exports_are_all_skipped_says_why() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".ignore"), "*.json\n").unwrap();
    std::fs::write(dir.path().join("a.json"), export()).unwrap();
    std::fs::write(dir.path().join("b.json"), export()).unwrap();
    std::fs::write(dir.path().join(".c.json"), export()).unwrap();
    let (code, stdout, stderr) = run_in(dir.path(), &["."]);
    assert_eq!(code, Some(2));
    assert_eq!(stdout, "");
    insta::assert_snapshot!(stderr);
}

#[test]
fn a_selection_that_runs_no_rule_is_exit_2() {
    bin()
        .args([
            "--profile",
            "none",
            "--select",
            "wrong-mapping-source,unexpected-mapping",
            "samples/astrato.json",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "mapping-lint: error: --select wrong-mapping-source, unexpected-mapping: none of these rules runs",
        ))
        .stderr(predicate::str::contains("--profile none"));
    // With a profile the same selection runs.
    bin()
        .args([
            "--profile",
            "astrato",
            "--select",
            "wrong-mapping-source",
            "samples/astrato.json",
        ])
        .assert()
        .code(0);
}

#[test]
fn subcommand_typos_are_suggested() {
    for (typo, suggestion) in [
        ("rules", "mapping-lint rule"),
        ("profiles", "mapping-lint profile"),
        ("completion", "mapping-lint completions"),
        ("version", "mapping-lint --version"),
        ("dif", "mapping-lint diff"),
    ] {
        bin()
            .arg(typo)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!("did you mean `{suggestion}`?")));
    }
    // A path-like name that does not exist gets the path advice instead.
    bin()
        .arg("rules.json")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean").not());
}

#[test]
fn a_bad_exclude_pattern_is_a_usage_error() {
    bin()
        .args(["--exclude", "a[", "samples"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid exclude pattern `a[`"));
}
