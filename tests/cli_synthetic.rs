//! The synthetic exports the benchmarks use are clean exports: the binary
//! reports nothing on them under `--profile none` (so the benchmarks measure
//! a full pass over a valid file, not an early exit), and exactly the
//! planted findings when asked for some.

mod common;

use assert_cmd::Command;
use common::temp_file;
use mapping_lint::synthetic;
use predicates::prelude::*;

fn lint(text: String) -> assert_cmd::assert::Assert {
    let (_dir, path) = temp_file("synthetic.json", text);
    Command::cargo_bin("mapping-lint")
        .unwrap()
        .args(["--profile", "none", "--format", "concise"])
        .arg(&path)
        .assert()
}

#[test]
fn a_100_kb_synthetic_export_lints_clean() {
    let text = synthetic::export_of_size(100_000);
    assert!((98_000..102_000).contains(&text.len()), "{} bytes", text.len());
    lint(text).code(0).stdout("All checks passed (1 file).\n");
}

#[test]
fn planted_defects_are_the_only_findings() {
    let text = synthetic::export(synthetic::Options {
        custom_attributes: 300,
        defects: 4,
    });
    lint(text)
        .code(1)
        .stdout(predicate::str::contains("error[unknown-target-attribute]").count(4))
        .stdout(predicate::str::contains("Found 4 errors in 1 file."));
}
