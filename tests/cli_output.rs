//! End to end: the human report people read. The sample export's report
//! fits on a screen with every finding listed, errors first; `-v` and
//! `--format full` keep one block per finding; fix marks, suppression counts
//! and file counts in the summary say what they mean.

use predicates::prelude::*;

mod common;
use common::*;

const DEFAULTS: &str = "samples/entra-defaults.json";

#[test]
fn the_sample_report_fits_in_100_lines_with_every_finding_listed() {
    let out = bin().arg(DEFAULTS).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let human = String::from_utf8(out.stdout).unwrap();
    let lines = human.lines().count();
    assert!(lines <= 100, "{lines} lines");
    // Every finding of the concise report appears, by its position.
    let concise = stdout_of(bin().args(["-f", "concise", DEFAULTS]));
    let findings: Vec<&str> = concise.lines().filter(|l| l.starts_with(DEFAULTS)).collect();
    assert_eq!(findings.len(), 20);
    for finding in findings {
        let position = finding.split(": ").next().unwrap(); // file:line:col
        let (file_line, col) = position.rsplit_once(':').unwrap();
        let (_, line) = file_line.rsplit_once(':').unwrap();
        assert!(
            human.contains(position) || human.contains(&format!("{DEFAULTS}:{line}:{col}]")),
            "{position} listed"
        );
    }
    // Errors come before warnings and infos.
    let first_warning = human.find("⚠").unwrap();
    let last_error = human.rfind("×").unwrap();
    assert!(last_error < first_warning, "errors first");
    insta::assert_snapshot!(human);
}

#[test]
fn verbose_and_format_full_keep_one_block_per_finding() {
    let full = stdout_of(bin().args(["-f", "full", DEFAULTS]));
    let verbose = stdout_of(bin().args(["-v", DEFAULTS]));
    assert_eq!(full, verbose);
    assert_eq!(full.matches("\nunexpected-mapping\n").count(), 16, "one block each");
    assert_eq!(full.matches("╭─[samples/entra-defaults.json:").count(), 21);
}

#[test]
fn a_profiles_advice_is_shown_once_per_run() {
    let (_dir, profile) = temp_file("my.yaml", stdout_of(bin().args(["profile", "show", "astrato"])));
    let human = stdout_of(bin().arg("--profile").arg(&profile).arg(DEFAULTS));
    let rows = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.contains("╭─[") && l.contains("my.yaml:"))
            .map(|l| l.trim().to_string())
            .collect()
    };
    let shown = rows(&human);
    let mut distinct = shown.clone();
    distinct.sort();
    distinct.dedup();
    assert!(!shown.is_empty());
    assert_eq!(shown.len(), distinct.len(), "each profile row once: {shown:?}");
    let full = stdout_of(bin().arg("--profile").arg(&profile).args(["-f", "full", DEFAULTS]));
    assert!(rows(&full).len() > shown.len(), "full keeps each finding's advice");
    assert_eq!(human.matches("unexpected: warning").count(), 1, "the policy row once");
}

#[test]
fn fix_marks_tell_safe_from_unsafe_and_the_summary_counts_both() {
    let out = stdout_of(bin().args(["--profile", "none", "-f", "concise", "samples/broken.json"]));
    assert!(
        out.contains("warning[object-actions] the User object mapping does not delete [!]"),
        "{out}"
    );
    assert!(
        out.contains("warning[source-tree-mismatch]") && out.contains("[*]"),
        "{out}"
    );
    assert!(
        out.ends_with("[*] 2 fixable with `--fix`, [!] 3 more with `--fix --unsafe-fixes`.\n"),
        "{out}"
    );
}

#[test]
fn suppressed_findings_are_counted_and_files_are_the_linted_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULTS),
        dir.path().join("export.json"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join(".mapping-lint.yaml"),
        "ignore:\n  - rule: unexpected-mapping\n    reason: the app reads them\n  - rule: anchor-mapped\n    reason: stale\n",
    )
    .unwrap();
    let out = bin()
        .current_dir(dir.path())
        .args([
            "--fail-on",
            "info",
            "-f",
            "concise",
            "--select",
            "unexpected-mapping,anchor-mapped,unused-suppression",
            "export.json",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    // The stale entry is reported in the config file, named relative to
    // the current directory; the config is not counted as a linted file.
    assert!(
        stdout.starts_with(".mapping-lint.yaml:4:5: warning[unused-suppression]"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("Found 1 warning in 1 file, 16 findings suppressed by the config file.\n"),
        "{stdout}"
    );
    // From a subdirectory the config (found upwards) is `../`.
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let sub = bin()
        .current_dir(dir.path().join("sub"))
        .args([
            "-f",
            "concise",
            "--select",
            "anchor-mapped,unused-suppression",
            "../export.json",
        ])
        .output()
        .unwrap();
    assert!(
        String::from_utf8(sub.stdout)
            .unwrap()
            .starts_with("../.mapping-lint.yaml:4:5:"),
        "relative, not absolute"
    );
}

#[cfg(unix)]
#[test]
fn a_refused_fix_does_not_advertise_fix() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.json");
    std::fs::copy(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULTS), &file).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    bin()
        .current_dir(dir.path())
        .args(["--fix", "-f", "concise", "export.json"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("fixable with").not())
        .stderr(predicate::str::contains("--fix - < export.json"));
}
