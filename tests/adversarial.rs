//! Adversarial inputs through the real binary (no input makes
//! it panic, hang or overflow the stack). Each case ends with its documented
//! exit code — 0 clean, 1 findings (a file that is not JSON is a finding),
//! 2 usage or I/O error — and a message that says what is wrong, within a
//! timeout. Inputs are generated here; nothing large is committed.
//!
//! The binary under test is the debug build, whose frames are several times
//! larger than release ones, so "no stack overflow" here is the stricter
//! check.

mod common;

use assert_cmd::Command;
use common::{temp_file, write_file};
use predicates::prelude::*;
use std::path::Path;
use std::time::Duration;

/// Generous for a debug build on a busy 2-core machine; a hang never ends.
const TIMEOUT: Duration = Duration::from_secs(120);

const BASE: &str = include_str!("fixtures/base.json");

fn lint(args: &[&str], path: &Path) -> assert_cmd::assert::Assert {
    Command::cargo_bin("mapping-lint")
        .unwrap()
        .args(["--profile", "none", "--color", "never"])
        .args(args)
        .arg(path)
        .timeout(TIMEOUT)
        .assert()
        // A panic prints this; a crash by signal has no exit code and fails
        // every `.code(…)` below.
        .stderr(predicate::str::contains("panicked").not())
}

/// `base.json` with the `active` mapping's expression replaced.
fn base_with_active_expression(expression: &str) -> String {
    let original = r#""expression": "Not([IsSoftDeleted])""#;
    assert!(BASE.contains(original));
    BASE.replacen(
        original,
        &format!(r#""expression": {}"#, serde_json::to_string(expression).unwrap()),
        1,
    )
}

/// Exit 1: 200,000 nested arrays are not a schema; the parser stops at its
/// nesting limit instead of recursing.
#[test]
fn exit_1_for_200_000_nested_arrays() {
    let text = "[".repeat(200_000) + &"]".repeat(200_000);
    let (_dir, path) = temp_file("deep.json", text);
    lint(&[], &path)
        .code(1)
        .stdout(predicate::str::contains("invalid-json"))
        .stdout(predicate::str::contains("nesting deeper than 256 levels"));
}

/// Exit 1: the same with objects (`{"a":{"a":…}}`).
#[test]
fn exit_1_for_200_000_nested_objects() {
    let text = r#"{"a":"#.repeat(200_000) + "1" + &"}".repeat(200_000);
    let (_dir, path) = temp_file("deep.json", text);
    lint(&[], &path)
        .code(1)
        .stdout(predicate::str::contains("nesting deeper than 256 levels"));
}

/// Exit 0: the deepest `parameters` nesting the parser accepts goes through
/// every stage, including the JSON Schema validator whose
/// `attributeMappingSource` definition is recursive and the rules that walk
/// the source tree. Only the top node's expression is consistent (the
/// expression language allows 64 nested calls, the tree here is deeper), so
/// the one finding is the `source-tree-mismatch` warning.
#[test]
fn exit_0_for_the_deepest_accepted_source_nesting() {
    let nested = |depth: usize| {
        let mut source =
            r#"{"type": "Attribute", "name": "IsSoftDeleted", "expression": "[IsSoftDeleted]", "parameters": []}"#
                .to_string();
        for _ in 0..depth {
            source = format!(
                r#"{{"type": "Function", "name": "Not", "expression": "Not([IsSoftDeleted])", "parameters": [{{"key": "source", "value": {source}}}]}}"#
            );
        }
        let start = BASE.find(r#"{ "targetAttributeName": "active""#).unwrap();
        let end = start + BASE[start..].find('\n').unwrap();
        let mapping = format!(
            r#"{{ "targetAttributeName": "active", "matchingPriority": 0, "flowType": "Always", "source": {source} }},"#
        );
        format!("{}{mapping}{}", &BASE[..start], &BASE[end..])
    };
    let depth = (1..400)
        .take_while(|&d| mapping_lint::json::parse(&nested(d)).is_ok())
        .last()
        .unwrap();
    assert!(depth > 50, "the parser should accept real nesting, stopped at {depth}");
    let (_dir, path) = temp_file("nested.json", nested(depth));
    lint(&["--format", "concise"], &path)
        .code(0)
        .stdout(predicate::str::contains("warning[source-tree-mismatch]"))
        .stdout(predicate::str::contains("Found 1 warning in 1 file."));
}

/// Exit 1: 50,000 nested `Not(` in an otherwise valid export. The expression
/// parser stops at its nesting limit (no stack overflow), and the text is
/// over Entra's 10,000 characters.
#[test]
fn exit_1_for_50_000_nested_not_in_an_expression() {
    let expression = "Not(".repeat(50_000) + "[IsSoftDeleted]" + &")".repeat(50_000);
    let (_dir, path) = temp_file("not.json", base_with_active_expression(&expression));
    lint(&["--format", "concise"], &path)
        .code(1)
        .stdout(predicate::str::contains("error[expression-syntax]"))
        .stdout(predicate::str::contains("nested too deeply"))
        .stdout(predicate::str::contains("error[expression-too-long]"));
}

/// Exit 1: a megabyte of random bytes is reported as `invalid-json` with the
/// reason (here: not UTF-8), not as a crash.
#[test]
fn exit_1_for_a_megabyte_of_random_bytes() {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..1 << 20)
        .map(|_| {
            // xorshift64*: deterministic, no dependency.
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect();
    let (_dir, path) = temp_file("random.json", &bytes);
    lint(&[], &path)
        .code(1)
        .stdout(predicate::str::contains("invalid-json"))
        .stdout(predicate::str::contains("not valid UTF-8"));
    // The same through the concise format (no source snippet to render).
    lint(&["--format", "concise"], &path)
        .code(1)
        .stdout(predicate::str::contains("error[invalid-json]"));
}

/// Exit 1: one invalid UTF-8 byte inside a string value, reported with its
/// offset and how to re-save the file.
#[test]
fn exit_1_for_invalid_utf8_inside_a_string() {
    let mut bytes = BASE.as_bytes().to_vec();
    let at = BASE.find("USERGROUP_OUTBOUND").unwrap();
    bytes[at] = 0xFF;
    let (_dir, path) = temp_file("latin1.json", bytes);
    lint(&[], &path)
        .code(1)
        .stdout(predicate::str::contains(format!(
            "not valid UTF-8 (invalid byte at offset {at})"
        )))
        .stdout(predicate::str::contains("re-save the file as UTF-8"));
}

/// Exit 1: an empty file is not an export.
#[test]
fn exit_1_for_an_empty_file() {
    let (_dir, path) = temp_file("empty.json", "");
    lint(&[], &path)
        .code(1)
        .stdout(predicate::str::contains("the file is empty"));
}

/// UTF-16 LE with a byte order mark (Windows PowerShell 5's `Out-File`) is
/// decoded and linted: exit 0 for the clean base export, exit 1 with the
/// right line for a planted finding.
#[test]
fn utf16_le_with_bom_is_decoded_and_linted() {
    let utf16 = |text: &str| -> Vec<u8> {
        std::iter::once(0xFEFF_u16)
            .chain(text.encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect()
    };
    let dir = tempfile::tempdir().unwrap();
    let clean = write_file(dir.path(), "clean.json", utf16(BASE));
    lint(&[], &clean)
        .code(0)
        .stdout(predicate::str::contains("All checks passed (1 file)."));

    let broken_text = BASE.replacen(
        r#""targetAttributeName": "displayName""#,
        r#""targetAttributeName": "nickName""#,
        1,
    );
    let line = broken_text[..broken_text.find("nickName").unwrap()].lines().count();
    let broken = write_file(dir.path(), "broken.json", utf16(&broken_text));
    lint(&["--format", "concise"], &broken)
        .code(1)
        .stdout(predicate::str::contains(format!("broken.json:{line}:")))
        .stdout(predicate::str::contains("unknown-target-attribute"));
}

/// Exit 1: a 10 MB string constant is linted in time and reported as over
/// Entra's 10,000-character expression limit.
#[test]
fn exit_1_for_a_ten_megabyte_string_constant() {
    let value = "x".repeat(10 << 20);
    let constant = format!(
        r#"{{ "targetAttributeName": "externalId", "matchingPriority": 0, "flowType": "Always", "source": {{ "type": "Constant", "name": "{value}", "expression": "\"{value}\"", "parameters": [] }} }},"#
    );
    let anchor = r#"{ "targetAttributeName": "displayName", "matchingPriority": 0"#;
    let text = BASE.replacen(anchor, &format!("{constant}\n            {anchor}"), 1);
    assert!(text.len() > 20 << 20);
    let (_dir, path) = temp_file("huge-constant.json", text);
    lint(&["--format", "concise"], &path)
        .code(1)
        .stdout(predicate::str::contains("error[expression-too-long]"))
        .stdout(predicate::str::contains("Found 1 error in 1 file."));
}

/// Exit 2: a path that does not exist, with the path and what to check.
#[test]
fn exit_2_for_a_missing_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-export.json");
    lint(&[], &path)
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "no-such-export.json: no such file or directory",
        ))
        .stderr(predicate::str::contains("help: check the path"));
}

/// Exit 1: a directory with a good and a broken export lints both and
/// reports the broken one.
#[test]
fn exit_1_for_a_directory_containing_a_broken_file() {
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "good.json", BASE);
    write_file(dir.path(), "truncated.json", &BASE[..BASE.len() / 2]);
    write_file(dir.path(), "notes.txt", "not an export, not linted");
    lint(&["--format", "concise"], dir.path())
        .code(1)
        .stdout(predicate::str::contains("truncated.json:"))
        .stdout(predicate::str::contains("error[invalid-json]"))
        .stdout(predicate::str::contains("good.json").not())
        .stdout(predicate::str::contains("Found 1 error in 2 files."));
}

/// Exit 2: a file over `--max-file-size` is refused before it is read, with
/// the sizes and the option to raise.
#[test]
fn exit_2_for_a_file_over_the_maximum_size() {
    let (_dir, path) = temp_file("big.json", BASE);
    lint(&["--max-file-size", "1000"], &path)
        .code(2)
        .stderr(predicate::str::contains(format!(
            "big.json: file is {} bytes, larger than the limit of 1000 bytes",
            BASE.len()
        )))
        .stderr(predicate::str::contains("help: raise the limit with --max-file-size"));
}

/// Exit 1 in bounded time for many findings in one file: rendering must not
/// be quadratic (it was, through miette's source lookups).
#[test]
fn exit_1_for_thousands_of_findings_rendered_in_time() {
    let options = mapping_lint::synthetic::Options {
        custom_attributes: 100,
        defects: 3_000,
    };
    let (_dir, path) = temp_file("many.json", mapping_lint::synthetic::export(options));
    lint(&[], &path)
        .code(1)
        .stdout(predicate::str::contains("Found 3000 errors in 1 file."));
}

/// Exit 1 in bounded time for thousands of fixable findings under the
/// default profile: every bench attribute is a mapping the astrato profile
/// does not expect, each with a fix deleting it from a large array. Building
/// a fix must not cost a pass over the file (it re-parsed the whole array
/// per fix: 28 s for 3,000 fixes on 5 MB in release).
#[test]
fn exit_1_for_thousands_of_fixable_findings_in_time() {
    let options = mapping_lint::synthetic::Options {
        custom_attributes: 4_000,
        defects: 0,
    };
    let (_dir, path) = temp_file("unexpected.json", mapping_lint::synthetic::export(options));
    Command::cargo_bin("mapping-lint")
        .unwrap()
        .args(["--format", "concise"])
        .arg(&path)
        .timeout(Duration::from_secs(60))
        .assert()
        .code(1)
        .stdout(predicate::function(|out: &str| {
            // Every bench attribute, plus a few core mappings astrato does not use.
            (4_000..4_020).contains(&out.matches("warning[unexpected-mapping]").count())
        }))
        .stdout(predicate::str::contains("fixable with `--fix`"));
}
