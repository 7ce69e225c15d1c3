//! Bounded work on crafted input, end to end: equivalence proofs share one evaluation budget per
//! file and per diff, and `eval` bounds every value and every step. Each case took seconds to
//! minutes (or aborted on a gigabyte allocation) before the budgets existed.

use std::path::PathBuf;
use std::time::{Duration, Instant};

mod common;
use common::*;

/// Generous for a debug build on a busy machine; the unbudgeted cases took 13 s to a minute.
const QUICK: Duration = Duration::from_secs(8);

const DEFAULT_ACTIVE: &str = r#"Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")"#;

/// The default export with `active` computed by a `Coalesce` of 220 Switch terms over four
/// attributes (about 92 KB), with terms `i` and `j` swapped. Every order is equivalent, so a
/// proof has to enumerate every input combination: ~100 million evaluation steps.
fn crafted(dir: &tempfile::TempDir, name: &str, swap: Option<(usize, usize)>) -> PathBuf {
    let mut terms: Vec<String> = (0..220)
        .map(|i| format!(r#"Switch([x{}], , \"c{}\", \"False\")"#, i % 4 + 1, i % 5))
        .collect();
    if let Some((i, j)) = swap {
        terms.swap(i, j);
    }
    let active = format!("Coalesce({}, Not([IsSoftDeleted]))", terms.join(", "));
    let text =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/entra-defaults.json")).unwrap();
    assert!(text.contains(DEFAULT_ACTIVE));
    let path = write_file(dir.path(), name, text.replace(DEFAULT_ACTIVE, &active));
    assert!(std::fs::metadata(&path).unwrap().len() > 90_000);
    path
}

fn timed(cmd: &mut assert_cmd::Command) -> (std::process::Output, Duration) {
    let start = Instant::now();
    let out = cmd.output().unwrap();
    (out, start.elapsed())
}

#[test]
fn check_of_a_crafted_active_expression_is_fast_and_says_the_proof_was_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let a = crafted(&dir, "a.json", None);
    let (out, took) = timed(bin().args(["check", "-f", "json"]).arg(&a));
    assert!(took < QUICK, "check took {took:?}");
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let active = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "wrong-mapping-source" && d["pointer"].as_str().unwrap().ends_with("/1/source"))
        .expect("the active mapping is reported");
    let help = active["help"].as_str().unwrap();
    assert!(
        help.contains("equivalence with the profile's expression not checked"),
        "{help}"
    );
}

#[test]
fn diff_of_two_crafted_exports_is_fast_and_says_the_proof_was_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let a = crafted(&dir, "a.json", None);
    let b = crafted(&dir, "b.json", Some((0, 21)));
    let (out, took) = timed(bin().args(["diff", "-v"]).arg(&a).arg(&b));
    assert!(took < QUICK, "diff took {took:?}");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("note: active: equivalence not checked: the proof could take"),
        "{stdout}"
    );
}

fn eval(expression: &str, input: &str) -> (std::process::Output, Duration) {
    timed(bin().args(["eval", "-f", "json", expression, "--input", input]))
}

fn first_error(out: &std::process::Output) -> String {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["errors"][0]["message"].as_str().unwrap().to_string()
}

fn nest(depth: usize, wrap: &str) -> String {
    (0..depth).fold("[x]".to_string(), |acc, _| wrap.replace("{}", &acc))
}

#[test]
fn eval_stops_nested_whole_input_substitutions() {
    let input = format!(r#"{{"x": "{}"}}"#, "a".repeat(100));
    let (out, took) = eval(&nest(4, r#"Replace({}, , "a", , "$_", , )"#), &input);
    assert!(took < QUICK, "took {took:?}");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        first_error(&out),
        "evaluation failed: evaluation stopped: the result would be larger than 1 MiB (the evaluation limit)"
    );
}

#[test]
fn eval_stops_forty_nested_doublings() {
    let (out, took) = eval(&nest(40, r#"Replace({}, "a", , , "aa", , )"#), r#"{"x": "a"}"#);
    assert!(took < QUICK, "took {took:?}");
    assert_eq!(out.status.code(), Some(1));
    assert!(first_error(&out).contains("larger than 1 MiB"), "{}", first_error(&out));
}

#[test]
fn eval_limits_backtracking_regexes_to_small_inputs() {
    let input = format!(r#"{{"x": "{}"}}"#, "a".repeat(100_000));
    let (out, took) = eval(r#"Replace([x], , "a(?=.*c)", , "x", , )"#, &input);
    assert!(took < QUICK, "took {took:?}");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        first_error(&out).contains("needs backtracking"),
        "{}",
        first_error(&out)
    );
}

/// An export whose one mapping joins `words` written without brackets, with the `source` tree
/// Entra would have for it (a nested node per word).
fn bare_words(words: &[String]) -> String {
    let expression = format!("Join(\",\", {})", words.join(", "));
    assert!(expression.len() <= 10_000);
    let mut parameters = vec![
        serde_json::json!({"key": "separator", "value": {"expression": "\",\"", "name": ",", "type": "Constant", "parameters": []}}),
    ];
    parameters.extend(words.iter().map(|w| {
        serde_json::json!({"key": "source", "value": {"expression": w, "name": w, "type": "Attribute", "parameters": []}})
    }));
    let attributes: Vec<serde_json::Value> = words.iter().map(|w| serde_json::json!({ "name": w })).collect();
    serde_json::to_string_pretty(&serde_json::json!({
        "synchronizationRules": [{"sourceDirectoryName": "Microsoft Entra ID", "targetDirectoryName": "customappsso",
            "objectMappings": [{"sourceObjectName": "User", "targetObjectName": "urn:ietf:params:scim:schemas:core:2.0:User",
                "attributeMappings": [{"targetAttributeName": "displayName",
                    "source": {"expression": expression, "name": "Join", "type": "Function", "parameters": parameters}}]}]}],
        "directories": [{"name": "Microsoft Entra ID", "objects": [{"name": "User", "attributes": attributes}]}]
    }))
    .unwrap()
}

/// `unknown-symbol` on 1,400 bare words in one mapping, distinct or all the same: each finding's
/// fix brackets its own use, and the first use of a word also the tree, so the fixes hold two
/// edits per word in all (not one per word per finding) and `--fix` is quick. Fixing every
/// finding with every use took 8 to 10 s in a debug build.
#[test]
fn fixing_many_bare_words_in_one_mapping_stays_linear() {
    let dir = tempfile::tempdir().unwrap();
    let distinct: Vec<String> = (0..1400).map(|i| format!("w{i}")).collect();
    let same = vec!["mail".to_string(); 1400];
    for (name, words) in [("distinct.json", distinct), ("same.json", same)] {
        let path = write_file(dir.path(), name, bare_words(&words));
        let (out, took) = timed(
            bin()
                .args(["--profile", "none", "--select", "unknown-symbol", "-f", "json"])
                .arg(&path),
        );
        assert!(took < QUICK, "{name}: check took {took:?}");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let diagnostics = report["diagnostics"].as_array().unwrap();
        assert_eq!(diagnostics.len(), 1400, "{name}");
        let edits: usize = diagnostics
            .iter()
            .map(|d| d["fix"]["edits"].as_array().unwrap().len())
            .sum();
        assert_eq!(
            edits,
            2 * 1400,
            "{name}: one edit in the text and one in the tree per word"
        );
        let (out, took) = timed(
            bin()
                .args(["--profile", "none", "--select", "unknown-symbol", "--fix"])
                .arg(&path),
        );
        assert!(took < QUICK, "{name}: --fix took {took:?}");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let fixed = std::fs::read_to_string(&path).unwrap();
        assert!(fixed.contains(&format!("\"[{}]\"", words[1399])), "{name}");
    }
}

/// `unsupported-form` on 3,000 IIFs that test for empty in one mapping (a 110 KB expression),
/// without a stored tree and with one: the fix rewrites them all, and only the first finding
/// carries it, so the report holds one copy of its edits (not 3,000) and `--fix --unsafe-fixes`
/// is quick. With every finding carrying it, a 1 MB expression took minutes and gigabytes.
#[test]
fn rewriting_many_iifs_in_one_mapping_stays_linear() {
    let dir = tempfile::tempdir().unwrap();
    let iifs: Vec<String> = (0..3000)
        .map(|i| format!(r#"IIF(IsPresent([c{}]), [c{}], \"none {i}\")"#, i % 7, i % 7))
        .collect();
    let text = format!(
        r#"{{"synchronizationRules": [{{"sourceDirectoryName": "Microsoft Entra ID", "targetDirectoryName": "customappsso",
  "objectMappings": [{{"sourceObjectName": "User", "targetObjectName": "urn:ietf:params:scim:schemas:core:2.0:User",
    "attributeMappings": [{{"targetAttributeName": "displayName", "source": {{"expression": "Join(\",\", {})", "type": "Function"}}}}]}}]}}]}}"#,
        iifs.join(", ")
    );
    let no_tree = write_file(dir.path(), "iifs.json", text);
    // The same inside Trim, with the tree Entra stores: the Join node's expression string holds
    // every IIF, and is parsed once, not once per IIF.
    let join = format!("Join(\",\", {})", iifs.join(", ").replace("\\\"", "\""));
    let node = |e: &str, name: &str, kind: &str, parameters: Vec<serde_json::Value>| serde_json::json!({"expression": e, "name": name, "type": kind, "parameters": parameters});
    let constant = |v: &str| node(&format!("\"{v}\""), v, "Constant", vec![]);
    let attribute = |a: &str| node(&format!("[{a}]"), a, "Attribute", vec![]);
    let mut join_parameters = vec![serde_json::json!({"key": "separator", "value": constant(",")})];
    join_parameters.extend((0..3000).map(|i| {
        let c = format!("c{}", i % 7);
        let condition = node(
            &format!("IsPresent([{c}])"),
            "IsPresent",
            "Function",
            vec![serde_json::json!({"key": "source", "value": attribute(&c)})],
        );
        let none = format!("none {i}");
        serde_json::json!({"key": "source", "value": node(
        &format!("IIF(IsPresent([{c}]), [{c}], \"{none}\")"), "IIF", "Function", vec![
            serde_json::json!({"key": "condition", "value": condition}),
            serde_json::json!({"key": "valueIfTrue", "value": attribute(&c)}),
            serde_json::json!({"key": "valueIfFalse", "value": constant(&none)}),
        ])})
    }));
    let source = node(
        &format!("Trim({join})"),
        "Trim",
        "Function",
        vec![serde_json::json!({"key": "source", "value": node(&join, "Join", "Function", join_parameters)})],
    );
    let with_tree = write_file(dir.path(), "iifs-tree.json", serde_json::to_string(&serde_json::json!({
        "synchronizationRules": [{"sourceDirectoryName": "Microsoft Entra ID", "targetDirectoryName": "customappsso",
            "objectMappings": [{"sourceObjectName": "User", "targetObjectName": "urn:ietf:params:scim:schemas:core:2.0:User",
                "attributeMappings": [{"targetAttributeName": "displayName", "source": source}]}]}]
    })).unwrap());
    let select = ["--profile", "none", "--select", "unsupported-form"];
    for path in [no_tree, with_tree] {
        let (out, took) = timed(bin().args(select).args(["-f", "json"]).arg(&path));
        assert!(took < QUICK, "{path:?}: check took {took:?}");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let diagnostics = report["diagnostics"].as_array().unwrap();
        assert_eq!(diagnostics.len(), 3000);
        let fixes = diagnostics.iter().filter(|d| !d["fix"].is_null()).count();
        assert_eq!(fixes, 1, "{path:?}: one finding carries the mapping's fix");
        let (out, took) = timed(bin().args(select).args(["--fix", "--unsafe-fixes"]).arg(&path));
        assert!(took < QUICK, "{path:?}: --fix took {took:?}");
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
        let fixed = std::fs::read_to_string(&path).unwrap();
        assert!(!fixed.contains("IIF("), "{path:?}");
        assert!(fixed.contains(r#"Switch([c3], [c3], \"\", \"none 2999\")"#), "{path:?}");
    }
}
