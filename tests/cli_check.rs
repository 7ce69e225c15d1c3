//! End to end: `mapping-lint check` arguments → output → exit code.

use predicates::prelude::*;
use std::path::Path;

mod common;
use common::*;

const BROKEN: &str = "samples/broken.json";
const CLEAN: &str = "samples/astrato.json";

#[test]
fn clean_file_exits_0_and_says_so() {
    bin()
        .args(["--profile", "none", CLEAN])
        .assert()
        .code(0)
        .stdout("All checks passed (1 file).\n");
}

#[test]
fn findings_exit_1_and_bare_paths_mean_check() {
    let bare = bin()
        .args(["--profile", "none", "-f", "concise", BROKEN])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let check = bin()
        .args(["check", "--profile", "none", "-f", "concise", BROKEN])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert_eq!(bare, check);
}

#[test]
fn concise_format_is_one_line_per_finding() {
    let out = stdout_of(bin().args([
        "--profile",
        "none",
        "-f",
        "concise",
        "--select",
        "anchor-mapped,duplicate-target-attribute,object-actions",
        BROKEN,
    ]));
    insta::assert_snapshot!(out);
}

#[test]
fn human_format_shows_snippets_without_colour_when_not_a_terminal() {
    let out = stdout_of(bin().args(["--profile", "none", "--select", "duplicate-target-attribute", BROKEN]));
    assert!(!out.contains('\u{1b}'), "no escape codes when piped");
    insta::assert_snapshot!(out);
}

#[test]
fn colour_can_be_forced() {
    let out = stdout_of(bin().args([
        "--profile",
        "none",
        "--color",
        "always",
        "--select",
        "anchor-mapped",
        BROKEN,
    ]));
    assert!(out.contains('\u{1b}'));
}

#[test]
fn json_format_validates_against_the_report_schema() {
    let schema: serde_json::Value = serde_json::from_str(include_str!("../schemas/report.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for args in [
        vec!["--profile", "none", BROKEN],
        vec![
            "--profile",
            "none",
            CLEAN,
            "tests/fixtures/rules/invalid-json/empty.json",
        ],
    ] {
        let out = bin().args(["-f", "json"]).args(&args).output().unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        assert_eq!(doc["version"], 1);
        assert_eq!(doc["summary"]["files"].as_u64().unwrap() as usize, args.len() - 2);
    }
}

#[test]
fn json_format_has_positions_pointers_and_fixes() {
    let out = bin()
        .args(["--profile", "none", "-f", "json", "--select", "object-actions", BROKEN])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &doc["diagnostics"][0];
    assert_eq!(d["rule"], "object-actions");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["pointer"], "/synchronizationRules/0/objectMappings/0/flowTypes");
    assert_eq!(d["range"]["start"]["line"], 28);
    assert_eq!(d["fix"]["applicability"], "unsafe");
    assert_eq!(d["fix"]["edits"][0]["content"], "\"Add,Update,Delete\"");
    assert_eq!(
        doc["summary"],
        serde_json::json!({"errors": 0, "warnings": 1, "infos": 0, "files": 1, "fixable": 1})
    );
}

#[test]
fn fail_on_sets_the_threshold() {
    // broken.json has warnings for object-actions; with only that rule the worst is a warning.
    for (fail_on, code) in [
        (&[][..], 0),
        (&["--fail-on", "warning"], 1),
        (&["--fail-on", "info"], 1),
    ] {
        bin()
            .args(["--profile", "none", "--select", "object-actions"])
            .args(fail_on)
            .arg(BROKEN)
            .assert()
            .code(code);
    }
}

#[test]
fn select_and_ignore_filter_rules() {
    let out = stdout_of(bin().args([
        "--profile",
        "none",
        "-f",
        "concise",
        "--ignore",
        "secret-in-export,unknown-directory",
        BROKEN,
    ]));
    assert!(!out.contains("[secret-in-export]") && !out.contains("[unknown-directory]"));
    assert!(out.contains("[anchor-mapped]"));
}

#[test]
fn unknown_rule_names_are_usage_errors_with_a_suggestion() {
    bin()
        .args(["--select", "anchor-maped", CLEAN])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("unknown rule `anchor-maped`")
                .and(predicate::str::contains("did you mean `anchor-mapped`")),
        );
}

#[test]
fn missing_path_exits_2_with_one_line_message() {
    bin()
        .args(["does/not/exist.json"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with(
            "mapping-lint: error: does/not/exist.json: no such file or directory\n",
        ));
}

#[test]
fn no_arguments_prints_the_subcommands_and_exits_2() {
    let out = bin().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("Usage"), "{err}");
    for command in ["check", "rule", "diff", "profile", "eval", "completions", "man"] {
        assert!(err.contains(&format!("\n  {command} ")), "{command} listed: {err}");
    }
}

#[test]
fn quiet_prints_only_the_summary() {
    bin()
        .args(["--profile", "none", "-q", BROKEN])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("Found ").and(predicate::str::contains("╭").not()));
}

#[test]
fn statistics_counts_per_rule() {
    let out = stdout_of(bin().args(["--profile", "none", "--statistics", BROKEN]));
    insta::assert_snapshot!(out);
}

#[test]
fn output_file_receives_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    bin()
        .args(["--profile", "none", "-f", "json", "-o"])
        .arg(&report)
        .arg(BROKEN)
        .assert()
        .code(1)
        .stdout("");
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    assert!(doc["summary"]["errors"].as_u64().unwrap() > 0);
}

#[test]
fn stdin_is_linted_under_the_given_name() {
    let text = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules/anchor-mapped/id.json"))
        .unwrap();
    bin()
        .args([
            "--profile",
            "none",
            "-f",
            "concise",
            "--stdin-filename",
            "prod/export.json",
            "-",
        ])
        .write_stdin(text)
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "prod/export.json:23:38: warning[anchor-mapped]",
        ));
}

#[test]
fn directories_recurse_into_json_files_in_sorted_order() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base.json")).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/b.json"), &base).unwrap();
    std::fs::write(dir.path().join("a.json"), &base).unwrap();
    std::fs::write(dir.path().join("broken.json"), b"{").unwrap();
    std::fs::write(dir.path().join("notes.txt"), b"not json").unwrap();
    let out = bin()
        .args(["--profile", "none", "-f", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the broken file is a finding");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files: Vec<String> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().replace('\\', "/"))
        .collect();
    let root = dir.path().display().to_string().replace('\\', "/");
    assert_eq!(
        files,
        vec![
            format!("{root}/a.json"),
            format!("{root}/broken.json"),
            format!("{root}/sub/b.json")
        ]
    );
    assert_eq!(doc["diagnostics"][0]["rule"], "invalid-json");
}

#[test]
fn utf16_and_crlf_with_bom_are_linted_like_utf8() {
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules/anchor-mapped/id.json"),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(base.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(dir.path().join("utf16.json"), utf16).unwrap();
    let crlf = [&b"\xEF\xBB\xBF"[..], base.replace('\n', "\r\n").as_bytes()].concat();
    std::fs::write(dir.path().join("crlf.json"), crlf).unwrap();
    for name in ["utf16.json", "crlf.json"] {
        let out = stdout_of(
            bin()
                .args(["--profile", "none", "-f", "concise"])
                .arg(dir.path().join(name)),
        );
        assert!(out.contains(":23:38: warning[anchor-mapped]"), "{name}: {out}");
    }
}

#[test]
fn secrets_never_reach_any_output() {
    let secret = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzY2ltLWNsaWVudCJ9.ZmFrZS1zaWduYXR1cmUtZm9yLXRlc3Rz";
    let fixture = "tests/fixtures/rules/secret-in-export/metadata-token.json";
    for format in ["human", "concise", "json"] {
        let out = bin()
            .args(["--profile", "none", "-f", format, fixture])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let all = [out.stdout, out.stderr].concat();
        let text = String::from_utf8_lossy(&all);
        assert!(text.contains("secret-in-export"), "{format}");
        assert!(
            !text.contains(&secret[..20]) && !text.contains(&secret[40..]),
            "{format} leaked the secret"
        );
    }
}

#[test]
fn rule_lists_and_explains_rules() {
    let list = stdout_of(bin().args(["rule"]));
    for rule in mapping_lint::rules::REGISTRY {
        assert!(
            list.contains(rule.meta().name),
            "{} missing from the list",
            rule.meta().name
        );
    }
    let doc = stdout_of(bin().args(["rule", "anchor-mapped"]));
    assert!(doc.starts_with("# anchor-mapped\n"));
    assert!(doc.contains("## Why it matters"));
    bin()
        .args(["rule", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule `nope`"));
}

#[test]
fn rule_list_snapshot() {
    insta::assert_snapshot!(stdout_of(bin().args(["rule"])));
}

#[test]
fn completions_and_man_page_are_generated() {
    bin()
        .args(["completions", "bash"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("mapping-lint"));
    bin()
        .args(["man"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(".TH mapping-lint"));
}

#[test]
fn a_json_file_that_is_not_an_export_says_where_exports_come_from() {
    let (_dir, file) = temp_file("package.json", r#"{"name": "pkg", "version": "1.0.0"}"#);
    let out = bin().args(["-f", "json"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &doc["diagnostics"][0];
    assert_eq!(d["rule"], "schema-violation");
    assert_eq!(d["pointer"], "");
    assert!(d["message"].as_str().unwrap().contains("synchronizationRules"));
    assert!(d["help"].as_str().unwrap().contains("Review your schema"), "{d}");
    assert_eq!(
        doc["diagnostics"].as_array().unwrap().len(),
        1,
        "no profile noise on a non-export"
    );
}

#[test]
fn man_dir_writes_one_page_per_subcommand_with_the_usual_sections() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man");
    bin().args(["man", "--dir"]).arg(&out).assert().code(0);
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for page in [
        "mapping-lint.1",
        "mapping-lint-check.1",
        "mapping-lint-diff.1",
        "mapping-lint-rule.1",
        "mapping-lint-eval.1",
        "mapping-lint-profile.1",
        "mapping-lint-profile-list.1",
        "mapping-lint-profile-show.1",
        "mapping-lint-completions.1",
        "mapping-lint-man.1",
    ] {
        assert!(names.iter().any(|n| n == page), "{page} in {names:?}");
    }
    let check = std::fs::read_to_string(out.join("mapping-lint-check.1")).unwrap();
    for section in [
        ".SH OPTIONS",
        ".SH \"EXIT STATUS\"",
        ".SH ENVIRONMENT",
        "MAPPING_LINT_PROFILE",
        "\\-\\-fail\\-on",
    ] {
        assert!(check.contains(section), "check page lacks {section}");
    }
    let eval = std::fs::read_to_string(out.join("mapping-lint-eval.1")).unwrap();
    for option in ["\\-\\-input", "\\-\\-kind", "cloud\\-sync", "\\-\\-format"] {
        assert!(eval.contains(option), "eval page lacks {option}");
    }
    let diff = std::fs::read_to_string(out.join("mapping-lint-diff.1")).unwrap();
    assert!(diff.contains("The mapping tables are equal."), "diff's own exit codes");
}
