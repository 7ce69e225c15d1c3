//! The CI formats end to end: arguments → stdout → exit code, `-o`, and
//! several reports in one run (`--report FORMAT=FILE`).
//!
//! Runs select a fixed set of rules so that rules added later do not change
//! the pinned output.

mod common;

use assert_cmd::Command;
use common::{Run, bin};
use std::path::Path;

const SELECT: &str =
    "secret-in-export,object-actions,add-only-flow,duplicate-matching-priority,unknown-target-attribute";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn lint() -> Command {
    let mut cmd = bin();
    cmd.args(["--profile", "none", "--select", SELECT, "--color", "never"]);
    cmd
}

fn run(cmd: &mut Command) -> Run {
    Run::utf8(cmd)
}

#[test]
fn github_format() {
    let r = run(lint().args(["-f", "github", "samples/broken.json"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn azure_format() {
    let r = run(lint().args(["-f", "azure", "samples/broken.json"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn junit_format() {
    let r = run(lint().args(["-f", "junit", "samples/broken.json"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

/// SARIF's full text is pinned by the library snapshot; here the results
/// the binary prints are pinned one line each, and the document validates.
#[test]
fn sarif_format() {
    let r = run(lint().args(["-f", "sarif", "samples/broken.json"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!(sarif_summary(&r.stdout));
}

fn sarif_summary(text: &str) -> String {
    let log: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/schemas/sarif-schema-2.1.0.json")).unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.is_valid(&log), "invalid SARIF");
    let mut lines = String::new();
    for result in log["runs"][0]["results"].as_array().unwrap() {
        let location = &result["locations"][0]["physicalLocation"];
        let region = &location["region"];
        lines.push_str(&format!(
            "{} {} {}:{}:{}-{}:{} fixes={}\n",
            result["level"].as_str().unwrap(),
            result["ruleId"].as_str().unwrap(),
            location["artifactLocation"]["uri"].as_str().unwrap(),
            region["startLine"],
            region["startColumn"],
            region["endLine"],
            region["endColumn"],
            result["fixes"].as_array().map_or(0, Vec::len),
        ));
    }
    lines
}

/// A clean export: exit 0, and each format says so in its own way.
#[test]
fn clean_input_exits_zero_in_every_format() {
    for (format, expected) in [
        ("github", "All checks passed (1 file).\n"),
        ("azure", "All checks passed (1 file).\n"),
    ] {
        let r = run(lint().args(["-f", format, "samples/astrato.json"]));
        assert_eq!((r.code, r.stdout.as_str()), (0, expected), "{format}: {}", r.stderr);
    }
    let r = run(lint().args(["-f", "sarif", "samples/astrato.json"]));
    assert_eq!(r.code, 0);
    assert_eq!(sarif_summary(&r.stdout), "");
    let r = run(lint().args(["-f", "junit", "samples/astrato.json"]));
    assert_eq!(r.code, 0);
    assert!(
        r.stdout
            .contains("<testsuites name=\"mapping-lint\" tests=\"5\" failures=\"0\" errors=\"0\">")
    );
    assert!(
        r.stdout
            .contains("<testcase name=\"secret-in-export\" classname=\"samples/astrato.json\"/>")
    );
}

/// `--fail-on` decides the exit code; the report is the same.
#[test]
fn fail_on_applies_to_machine_formats() {
    let warnings_only = "object-actions,add-only-flow,duplicate-matching-priority";
    let mut cmd = Command::cargo_bin("mapping-lint").unwrap();
    cmd.current_dir(root()).args([
        "--profile",
        "none",
        "--select",
        warnings_only,
        "-f",
        "github",
        "samples/broken.json",
    ]);
    let lenient = run(&mut cmd);
    assert_eq!(lenient.code, 0);
    let strict = run(cmd.args(["--fail-on", "warning"]));
    assert_eq!(strict.code, 1);
    assert_eq!(lenient.stdout, strict.stdout);
    assert_eq!(
        lenient.stdout.lines().filter(|l| l.starts_with("::warning ")).count(),
        3
    );
}

#[test]
fn output_flag_writes_the_report_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.xml");
    let r = run(lint().args(["-f", "junit", "-o"]).arg(&out).arg("samples/broken.json"));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    let on_stdout = run(lint().args(["-f", "junit", "samples/broken.json"])).stdout;
    assert_eq!(std::fs::read_to_string(&out).unwrap(), on_stdout);
}

/// Human on the terminal and machine reports to files, in one run.
#[test]
fn several_reports_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let (sarif, junit) = (dir.path().join("out.sarif"), dir.path().join("junit.xml"));
    let r = run(lint()
        .args(["-f", "concise", "--report"])
        .arg(format!("sarif={}", sarif.display()))
        .arg("--report")
        .arg(format!("junit={}", junit.display()))
        .arg("samples/broken.json"));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let concise = run(lint().args(["-f", "concise", "samples/broken.json"]));
    assert_eq!(r.stdout, concise.stdout, "the main report is unchanged");
    let alone = |format: &str| run(lint().args(["-f", format, "samples/broken.json"])).stdout;
    assert_eq!(std::fs::read_to_string(&sarif).unwrap(), alone("sarif"));
    assert_eq!(std::fs::read_to_string(&junit).unwrap(), alone("junit"));
}

#[test]
fn report_destinations_are_checked_before_linting() {
    let dir = tempfile::tempdir().unwrap();
    let twice = dir.path().join("x.out");
    let r = run(lint()
        .arg("-o")
        .arg(&twice)
        .arg("--report")
        .arg(format!("sarif={}", twice.display()))
        .arg("samples/broken.json"));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("is named as the destination of two reports"),
        "{}",
        r.stderr
    );
    assert!(!twice.exists());

    // Never over an input.
    let input = dir.path().join("export.json");
    std::fs::copy(root().join("samples/broken.json"), &input).unwrap();
    let r = run(lint()
        .arg("--report")
        .arg(format!("sarif={}", input.display()))
        .arg(&input));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("refusing to overwrite the input"), "{}", r.stderr);
    assert_eq!(
        std::fs::read(&input).unwrap(),
        std::fs::read(root().join("samples/broken.json")).unwrap()
    );

    let r = run(lint().args(["--report", "yaml=x.yaml", "samples/broken.json"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown format `yaml`"), "{}", r.stderr);
}

/// The flags are documented in `--help`.
#[test]
fn help_documents_the_ci_flags() {
    let r = run(Command::cargo_bin("mapping-lint").unwrap().arg("--help"));
    assert_eq!(r.code, 0);
    for needle in [
        "--report <FORMAT=FILE>",
        "--baseline <FILE>",
        "--write-baseline <FILE>",
        "sarif:",
        "github:",
        "junit:",
        "azure:",
        "exit 0",
    ] {
        assert!(r.stdout.contains(needle), "--help lacks {needle}");
    }
}
