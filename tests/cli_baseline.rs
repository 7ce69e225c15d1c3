//! Baselines end to end: write one, re-run clean, survive reordering, report
//! stale entries as `unused-suppression` pointing into the baseline file.

mod common;

use common::{Run, bin};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Rules whose findings in broken.json the round trip works with; fixed so
/// that rules added later do not change the pinned baseline.
/// `unused-suppression` obeys `--select` like any rule, so it is listed.
const SELECT: &str = "invalid-json,secret-in-export,object-actions,add-only-flow,duplicate-matching-priority,\
                      unknown-target-attribute,anchor-mapped,duplicate-target-attribute,unknown-directory,\
                      unused-suppression";

struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    /// A directory with `exports/broken.json`.
    fn new() -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("exports")).unwrap();
        let ws = Workspace { dir };
        ws.write_export(&std::fs::read_to_string(sample()).unwrap());
        ws
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn export(&self) -> Value {
        serde_json::from_str(&std::fs::read_to_string(self.path("exports/broken.json")).unwrap()).unwrap()
    }

    fn write_export(&self, text: &str) {
        std::fs::write(self.path("exports/broken.json"), text).unwrap();
    }

    fn edit_export(&self, edit: impl FnOnce(&mut Value)) {
        let mut export = self.export();
        edit(&mut export);
        self.write_export(&serde_json::to_string_pretty(&export).unwrap());
    }

    /// Runs mapping-lint in the workspace (or a subdirectory of it).
    fn lint_in(&self, cwd: &str, args: &[&str]) -> Run {
        self.run(cwd, SELECT, args)
    }

    fn lint(&self, args: &[&str]) -> Run {
        self.lint_in(".", args)
    }

    /// Runs with other rules selected.
    fn lint_only(&self, select: &str, args: &[&str]) -> Run {
        self.run(".", select, args)
    }

    fn run(&self, cwd: &str, select: &str, args: &[&str]) -> Run {
        Run::utf8(
            bin()
                .current_dir(self.path(cwd))
                .args(["--profile", "none", "--select", select, "--color", "never"])
                .args(args),
        )
    }
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/broken.json")
}

fn mappings(export: &mut Value) -> impl Iterator<Item = &mut Value> {
    export["synchronizationRules"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .flat_map(|r| r["objectMappings"].as_array_mut().unwrap().iter_mut())
}

/// Removes the mappings to `id`, the cause of broken.json's `anchor-mapped` finding.
fn drop_id_mappings(export: &mut Value) {
    for mapping in mappings(export) {
        mapping["attributeMappings"]
            .as_array_mut()
            .unwrap()
            .retain(|m| m["targetAttributeName"] != "id");
    }
}

/// Reverses every array whose order Entra does not care about.
fn reorder(export: &mut Value) {
    for rule in export["synchronizationRules"].as_array_mut().unwrap() {
        rule["objectMappings"].as_array_mut().unwrap().reverse();
        rule["metadata"].as_array_mut().unwrap().reverse();
    }
    for mapping in mappings(export) {
        mapping["attributeMappings"].as_array_mut().unwrap().reverse();
    }
    for directory in export["directories"].as_array_mut().unwrap() {
        for object in directory["objects"].as_array_mut().unwrap() {
            object["attributes"].as_array_mut().unwrap().reverse();
        }
        directory["objects"].as_array_mut().unwrap().reverse();
    }
}

#[test]
fn round_trip() {
    let ws = Workspace::new();
    let before = ws.lint(&["-f", "concise", "exports/broken.json"]);
    assert_eq!(before.code, 1);
    let findings = before.stdout.lines().filter(|l| l.starts_with("exports/")).count();
    assert!(findings >= 8, "{}", before.stdout);

    // Write: exit 0, no report, a message on stderr, a pinned file.
    let written = ws.lint(&["--write-baseline", "mapping-lint-baseline.json", "exports/broken.json"]);
    assert_eq!((written.code, written.stdout.as_str()), (0, ""), "{}", written.stderr);
    assert_eq!(
        written.stderr,
        format!("mapping-lint: recorded {findings} findings of 1 file in the baseline mapping-lint-baseline.json\n")
    );
    let baseline = std::fs::read_to_string(ws.path("mapping-lint-baseline.json")).unwrap();
    insta::assert_snapshot!("baseline_file", baseline);

    // Re-run: everything is known, nothing is reported.
    let concise_with_baseline = || {
        ws.lint(&[
            "-f",
            "concise",
            "--baseline",
            "mapping-lint-baseline.json",
            "exports/broken.json",
        ])
    };
    let all_suppressed = format!("All checks passed (1 file, {findings} findings suppressed by the baseline).\n");
    let clean = concise_with_baseline();
    assert_eq!(
        (clean.code, clean.stdout),
        (0, all_suppressed.clone()),
        "{}",
        clean.stderr
    );

    // Reordered (and reformatted): the semantic keys still match.
    ws.edit_export(reorder);
    let reordered = concise_with_baseline();
    assert_eq!((reordered.code, reordered.stdout), (0, all_suppressed));
    // ... although without the baseline every finding is back, elsewhere.
    let unbaselined = ws.lint(&["-f", "concise", "exports/broken.json"]);
    assert_eq!(unbaselined.code, 1);
    assert_ne!(unbaselined.stdout, before.stdout);

    // The cause of `anchor-mapped` removed: its entry is stale.
    ws.edit_export(drop_id_mappings);
    let stale = concise_with_baseline();
    assert_eq!(stale.code, 0, "a warning does not fail the run by default");
    insta::assert_snapshot!("unused_entry", stale.stdout);
    let strict = ws.lint(&[
        "--fail-on",
        "warning",
        "--baseline",
        "mapping-lint-baseline.json",
        "exports/broken.json",
    ]);
    assert_eq!(strict.code, 1);
    // The human report shows the entry in the baseline file itself.
    assert!(
        strict.stdout.contains("╭─[mapping-lint-baseline.json:"),
        "{}",
        strict.stdout
    );
    assert!(
        strict.stdout.contains("\"rule\": \"anchor-mapped\","),
        "{}",
        strict.stdout
    );

    // A new problem is reported even with the baseline.
    ws.edit_export(|export| {
        let user = mappings(export).find(|m| m["sourceObjectName"] == "User").unwrap();
        let list = user["attributeMappings"].as_array_mut().unwrap();
        let mut copy = list
            .iter()
            .find(|m| m["targetAttributeName"] == "title")
            .unwrap()
            .clone();
        copy["targetAttributeName"] = "jobCode".into();
        list.push(copy);
    });
    let new = concise_with_baseline();
    assert_eq!(new.code, 1);
    assert!(
        new.stdout
            .contains("error[unknown-target-attribute] `jobCode` is not an attribute"),
        "{}",
        new.stdout
    );
    assert_eq!(new.stdout.matches("exports/broken.json:").count(), 1, "{}", new.stdout);
}

/// Identical findings need as many entries: the baseline counts them.
#[test]
fn identical_findings_are_counted() {
    let ws = Workspace::new();
    let third_copy = |export: &mut Value| {
        for mapping in mappings(export) {
            let list = mapping["attributeMappings"].as_array_mut().unwrap();
            if let Some(m) = list
                .iter()
                .find(|m| m["targetAttributeName"] == "phoneNumbers[type eq \"work\"].value")
                .cloned()
            {
                list.push(m);
            }
        }
    };
    ws.edit_export(third_copy);
    let select = "duplicate-target-attribute,unused-suppression";
    let written = ws.lint_only(select, &["--write-baseline", "b.json", "exports/broken.json"]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    let baseline: Value = serde_json::from_str(&std::fs::read_to_string(ws.path("b.json")).unwrap()).unwrap();
    assert_eq!(baseline["entries"].as_array().unwrap().len(), 1);
    assert_eq!(baseline["entries"][0]["count"], 2);

    // Back to two copies: one finding, so one of the two is stale.
    std::fs::copy(sample(), ws.path("exports/broken.json")).unwrap();
    let run = ws.lint_only(
        select,
        &["-f", "concise", "--baseline", "b.json", "exports/broken.json"],
    );
    assert!(
        run.stdout.contains("(1 of its 2 findings) matched no finding"),
        "{}",
        run.stdout
    );
    // And with four, the extra one is new.
    ws.edit_export(third_copy);
    ws.edit_export(third_copy);
    let run = ws.lint_only(
        select,
        &["-f", "concise", "--baseline", "b.json", "exports/broken.json"],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout.matches("error[duplicate-target-attribute]").count(),
        1,
        "{}",
        run.stdout
    );
}

/// Entry paths are relative to the baseline, so the working directory does
/// not matter.
#[test]
fn paths_are_relative_to_the_baseline() {
    let ws = Workspace::new();
    std::fs::create_dir(ws.path("ci")).unwrap();
    let written = ws.lint(&["--write-baseline", "ci/baseline.json", "exports"]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    let baseline = std::fs::read_to_string(ws.path("ci/baseline.json")).unwrap();
    assert!(baseline.contains("\"file\": \"../exports/broken.json\""), "{baseline}");
    let from_exports = ws.lint_in("exports", &["--baseline", "../ci/baseline.json", "broken.json"]);
    assert_eq!(from_exports.code, 0, "{}", from_exports.stdout);
    assert!(
        from_exports.stdout.ends_with(" suppressed by the baseline).\n") && from_exports.stdout.contains("(1 file, "),
        "{}",
        from_exports.stdout
    );
}

/// Linting fewer rules or files than the baseline covers is not staleness.
#[test]
fn partial_runs_do_not_report_other_entries() {
    let ws = Workspace::new();
    std::fs::copy(sample(), ws.path("exports/other.json")).unwrap();
    assert_eq!(ws.lint(&["--write-baseline", "b.json", "exports"]).code, 0);
    let subset = ws.lint_only(
        "anchor-mapped,unused-suppression",
        &["-f", "concise", "--baseline", "b.json", "exports/broken.json"],
    );
    assert_eq!(
        subset.stdout,
        "All checks passed (1 file, 1 finding suppressed by the baseline).\n"
    );
    // With the rule turned off, stale entries are not reported at all.
    let off = ws.lint_only(
        "anchor-mapped",
        &["-f", "concise", "--baseline", "b.json", "exports/other.json"],
    );
    assert!(
        off.stdout.starts_with("All checks passed (1 file, ")
            && off.stdout.ends_with(" suppressed by the baseline).\n"),
        "{}",
        off.stdout
    );
    // A file that is no longer JSON has only its parse error reported.
    ws.write_export("{ not json");
    let broken = ws.lint(&["-f", "concise", "--baseline", "b.json", "exports/broken.json"]);
    assert_eq!(broken.code, 1);
    assert!(!broken.stdout.contains("unused-suppression"), "{}", broken.stdout);
}

#[test]
fn unused_entries_render_in_every_format() {
    let ws = Workspace::new();
    assert_eq!(ws.lint(&["--write-baseline", "b.json", "exports/broken.json"]).code, 0);
    ws.edit_export(drop_id_mappings);
    let sarif = ws.lint(&["-f", "sarif", "--baseline", "b.json", "exports/broken.json"]);
    let log: Value = serde_json::from_str(&sarif.stdout).unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    assert!(jsonschema::validator_for(&schema).unwrap().is_valid(&log));
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "unused-suppression");
    assert_eq!(result["level"], "warning");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "b.json"
    );
    let github = ws.lint(&["-f", "github", "--baseline", "b.json", "exports/broken.json"]);
    assert!(
        github.stdout.starts_with("::warning file=b.json,line="),
        "{}",
        github.stdout
    );
}

#[test]
fn write_baseline_refuses_to_overwrite_exports() {
    let ws = Workspace::new();
    let original = std::fs::read(ws.path("exports/broken.json")).unwrap();
    let over_input = ws.lint(&["--write-baseline", "exports/broken.json", "exports/broken.json"]);
    over_input.assert_stderr(2, &["refusing to overwrite the input exports/broken.json"]);
    // Not an input, but not a baseline either.
    std::fs::copy(sample(), ws.path("exports/prod.json")).unwrap();
    let over_export = ws.lint(&["--write-baseline", "exports/prod.json", "exports/broken.json"]);
    over_export.assert_stderr(2, &["it is not a mapping-lint baseline"]);
    assert_eq!(std::fs::read(ws.path("exports/broken.json")).unwrap(), original);
    assert_eq!(std::fs::read(ws.path("exports/prod.json")).unwrap(), original);
    // A baseline is rewritten.
    assert_eq!(ws.lint(&["--write-baseline", "b.json", "exports/broken.json"]).code, 0);
    assert_eq!(ws.lint(&["--write-baseline", "b.json", "exports/broken.json"]).code, 0);
}

#[test]
fn unusable_baselines_are_usage_errors() {
    let ws = Workspace::new();
    let missing = ws.lint(&["--baseline", "nope.json", "exports/broken.json"]);
    missing.assert_stderr(
        2,
        &[
            "cannot read the baseline nope.json",
            "help: create it with --write-baseline FILE",
        ],
    );

    for (text, expected) in [
        ("[]", "is not a mapping-lint baseline"),
        (
            r#"{"version": 1, "entries": [{"file": "a", "rule": "r"}]}"#,
            "missing field `key`",
        ),
        (r#"{"version": 9, "entries": []}"#, "is a version 9 baseline"),
        (
            r#"{"version": 1, "entries": [{"file": "a", "rule": "r", "key": "", "count": 0}]}"#,
            "has count 0",
        ),
    ] {
        std::fs::write(ws.path("bad.json"), text).unwrap();
        let run = ws.lint(&["--baseline", "bad.json", "exports/broken.json"]);
        assert_eq!(run.code, 2, "{text}");
        assert!(run.stderr.contains(expected), "{text}: {}", run.stderr);
    }
    let both = ws.lint(&[
        "--baseline",
        "a.json",
        "--write-baseline",
        "b.json",
        "exports/broken.json",
    ]);
    assert_eq!(both.code, 2);
}

/// `--fix --unsafe-fixes` never fixes a finding the baseline accepts.
#[test]
fn fix_leaves_baselined_findings_alone() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("flow.json");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules/object-actions/no-delete.json");
    std::fs::copy(&fixture, &export).unwrap();
    let lint = |args: &[&str]| {
        bin()
            .current_dir(dir.path())
            .args(["--profile", "none"])
            .args(args)
            .output()
            .unwrap()
    };
    assert_eq!(
        lint(&["--write-baseline", "baseline.json", "flow.json"]).status.code(),
        Some(0)
    );
    let before = std::fs::read(&export).unwrap();
    let out = lint(&[
        "--baseline",
        "baseline.json",
        "--fix",
        "--unsafe-fixes",
        "-f",
        "concise",
        "flow.json",
    ]);
    assert_eq!(std::fs::read(&export).unwrap(), before, "a baselined finding was fixed");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains("unused-suppression"), "{stdout}");
    assert_eq!(out.status.code(), Some(0), "{stdout}");
}
