//! The rounds engine with scripted linters, and `fix_file` with the real one.

use super::*;
use crate::lint::{LintSettings, lint, lint_text};

/// A lint result produced by a scripted linter.
#[derive(Debug)]
struct Scripted {
    text: String,
    diagnostics: Vec<Diagnostic>,
}

impl Linted for Scripted {
    fn text(&self) -> &str {
        &self.text
    }

    fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

use super::test_finding as finding;

/// A linter made of rules "replace every `from` with `to`".
fn linter(rules: &'static [(&'static str, &'static str, &'static str, Applicability)]) -> impl Fn(String) -> Scripted {
    move |text: String| {
        let mut diagnostics = Vec::new();
        for &(rule, from, to, applicability) in rules {
            for (at, _) in text.match_indices(from) {
                diagnostics.push(finding(
                    rule,
                    applicability,
                    vec![Edit::replace(FileSpan::new(at, at + from.len()), to)],
                ));
            }
        }
        Scripted { text, diagnostics }
    }
}

const SAFE: Applicability = Applicability::Safe;
const UNSAFE: Applicability = Applicability::Unsafe;

#[test]
fn fixes_that_enable_other_fixes_run_in_later_rounds() {
    static RULES: &[(&str, &str, &str, Applicability)] =
        [("a-to-b", "\"a\"", "\"b\"", SAFE), ("b-to-c", "\"b\"", "\"c\"", SAFE)].as_slice();
    let lint = linter(RULES);
    let original = lint(r#"["a", "a", "x"]"#.into());
    let fixed = fix_in_rounds(&original, FixLevel::Safe, &lint).unwrap();
    assert_eq!(fixed.result.unwrap().text, r#"["c", "c", "x"]"#);
    assert_eq!(fixed.rounds, 2);
    let rounds: Vec<(&str, usize)> = fixed.applied.iter().map(|a| (a.rule, a.round)).collect();
    assert_eq!(rounds, [("a-to-b", 1), ("a-to-b", 1), ("b-to-c", 2), ("b-to-c", 2)]);
}

#[test]
fn overlapping_fixes_first_wins_and_the_loser_is_re_linted() {
    // Both rules fix the same span; `first` wins by name, and `second` does
    // not fire on the re-linted text.
    static RULES: &[(&str, &str, &str, Applicability)] =
        [("second", "\"x\"", "\"z\"", SAFE), ("first", "\"x\"", "\"y\"", SAFE)].as_slice();
    let lint = linter(RULES);
    let fixed = fix_in_rounds(&lint(r#"["x"]"#.into()), FixLevel::Safe, &lint).unwrap();
    assert_eq!(fixed.result.unwrap().text, r#"["y"]"#);
    assert_eq!(fixed.applied.len(), 1);
    assert_eq!(fixed.applied[0].rule, "first");
}

#[test]
fn findings_that_share_one_fix_are_fixed_together_and_its_edits_applied_once() {
    // One finding per `"x"`, each with the one fix that replaces every `"x"` (as a rule fixes
    // every occurrence in a mapping at once); a different rule's fix of another span goes along.
    let lint = |text: String| {
        let all: Vec<Edit> = text
            .match_indices("\"x\"")
            .map(|(at, _)| Edit::replace(FileSpan::new(at, at + 3), "\"y\""))
            .collect();
        let mut diagnostics: Vec<Diagnostic> = all.iter().map(|_| finding("shared", SAFE, all.clone())).collect();
        diagnostics.extend(
            text.match_indices('1')
                .map(|(at, _)| finding("other", SAFE, vec![Edit::replace(FileSpan::new(at, at + 1), "2")])),
        );
        Scripted { text, diagnostics }
    };
    let fixed = fix_in_rounds(&lint(r#"["x", 1, "x", "x"]"#.into()), FixLevel::Safe, lint).unwrap();
    assert_eq!(fixed.result.unwrap().text, r#"["y", 2, "y", "y"]"#);
    assert_eq!(fixed.rounds, 1);
    let rules: Vec<&str> = fixed.applied.iter().map(|a| a.rule).collect();
    assert_eq!(rules, ["shared", "shared", "shared", "other"]);
}

#[test]
fn unsafe_fixes_only_at_the_unsafe_level() {
    static RULES: &[(&str, &str, &str, Applicability)] = [("risky", "false", "true", UNSAFE)].as_slice();
    let lint = linter(RULES);
    let original = lint("[false]".into());
    let safe = fix_in_rounds(&original, FixLevel::Safe, &lint).unwrap();
    assert!(safe.result.is_none());
    assert_eq!(safe.rounds, 0);
    let all = fix_in_rounds(&original, FixLevel::Unsafe, &lint).unwrap();
    assert_eq!(all.result.unwrap().text, "[true]");
}

#[test]
fn fixes_that_undo_each_other_stop_after_the_round_limit() {
    static RULES: &[(&str, &str, &str, Applicability)] =
        [("on", "false", "true", SAFE), ("off", "true", "false", SAFE)].as_slice();
    let lint = linter(RULES);
    let mut calls = 0;
    let err = fix_in_rounds(&lint("[false]".into()), FixLevel::Safe, |t| {
        calls += 1;
        lint(t)
    })
    .unwrap_err();
    assert_eq!(calls, MAX_ROUNDS);
    match &err {
        FixError::NotConverged { rounds, rules } => {
            assert_eq!(*rounds, MAX_ROUNDS);
            assert_eq!(rules, &["on"]);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string()
            .contains(&format!("did not settle after {MAX_ROUNDS} rounds")),
        "{err}"
    );
}

#[test]
fn a_fix_that_breaks_the_json_is_named() {
    static RULES: &[(&str, &str, &str, Applicability)] =
        [("fine", "1", "2", SAFE), ("breaks", "]", "", SAFE)].as_slice();
    let lint = linter(RULES);
    let err = fix_in_rounds(&lint("[1]".into()), FixLevel::Safe, &lint).unwrap_err();
    assert!(
        matches!(&err, FixError::BrokeJson { rules, .. } if rules == &["breaks"]),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("the fix of `breaks` would make the file invalid JSON"),
        "{err}"
    );
}

#[test]
fn a_fix_with_overlapping_edits_is_a_malformed_fix() {
    let bad = finding(
        "sloppy",
        SAFE,
        vec![
            Edit::replace(FileSpan::new(1, 3), "\"a\""),
            Edit::replace(FileSpan::new(2, 4), "\"b\""),
        ],
    );
    let original = Scripted {
        text: r#"["x", 1]"#.into(),
        diagnostics: vec![bad],
    };
    let err = fix_in_rounds(&original, FixLevel::Safe, |_| unreachable!()).unwrap_err();
    assert!(matches!(err, FixError::Malformed { rule: "sloppy", .. }), "{err:?}");
}

const BASE: &str = include_str!("../../tests/fixtures/base.json");

fn relint(settings: &LintSettings) -> impl FnMut(SourceFile) -> FileReport + '_ {
    move |source| lint(source, settings)
}

#[test]
fn enabling_the_user_mapping_then_adds_its_missing_actions() {
    let text = BASE.replacen("\"enabled\": true", "\"enabled\": false", 1).replacen(
        "\"Add,Update,Delete\"",
        "\"Add,Update\"",
        1,
    );
    let settings = LintSettings::default();
    let original = lint_text("x.json", &text, &settings);
    assert_eq!(
        original.diagnostics.iter().map(|d| d.rule).collect::<Vec<_>>(),
        ["user-mapping-disabled"]
    );
    let fixed = fix_file(&original, FixLevel::Unsafe, relint(&settings)).unwrap();
    let result = fixed.result.unwrap();
    assert_eq!(result.source.text, BASE);
    assert!(result.diagnostics.is_empty());
    assert_eq!(result.fixed, 2);
    assert_eq!(fixed.rounds, 2);

    // Safe fixes only: nothing to do, nothing changes.
    let safe = fix_file(&original, FixLevel::Safe, relint(&settings)).unwrap();
    assert!(safe.result.is_none());
}

#[test]
fn the_diff_masks_secrets_and_names_the_file() {
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl";
    let text = BASE.replacen(
        "\"matchingPriority\": 1, \"flowType\": \"Always\"",
        &format!("\"matchingPriority\": 1, \"defaultValue\": \"{jwt}\", \"flowType\": \"ObjectAddOnly\""),
        1,
    );
    let settings = LintSettings::default();
    let original = lint_text("export.json", &text, &settings);
    assert!(original.diagnostics.iter().any(|d| d.rule == "secret-in-export"));
    let fixed = fix_file(&original, FixLevel::Unsafe, relint(&settings)).unwrap();
    let result = fixed.result.unwrap();
    let diff = unified_diff(&original, &result);
    assert!(
        diff.starts_with("--- export.json\n+++ export.json\n@@ -16,7 +16,7 @@"),
        "{diff}"
    );
    assert!(!diff.contains("eyJ"), "{diff}");
    assert!(diff.contains("\"defaultValue\": \"****"), "{diff}");
    assert!(diff.contains("\"flowType\": \"ObjectAddOnly\""), "{diff}");
    assert!(diff.contains("\"flowType\": \"Always\""), "{diff}");
    assert_eq!(unified_diff(&original, &original), "");
}

/// What the profile rules will do to Entra's default export, scripted with
/// the edit builders over the real model: add an attribute definition and
/// its mapping in one fix (two arrays), remove mappings the app ignores (one
/// fix each, neighbours included), and replace a pretty `source` object.
fn profile_like(text: String) -> Scripted {
    use crate::model;
    const KEEP: &[&str] = &["userName", "active", "displayName", "name.givenName", "name.familyName"];
    let root = json::parse(&text).unwrap();
    let schema = model::build(&root);
    let editor = Editor::new(&text);
    let mut diagnostics = Vec::new();
    let mappings: Vec<_> = schema.object_mappings().map(|(_, om)| om).collect();
    let users = mappings.iter().find(|om| om.source_object_name() == "User").unwrap();
    let groups = mappings.iter().find(|om| om.source_object_name() == "Group").unwrap();
    for am in users
        .attribute_mappings
        .iter()
        .filter(|am| !KEEP.contains(&am.target_name()))
    {
        let edit = editor
            .delete_array_element(users.attribute_mappings_loc.span, am.index)
            .unwrap();
        diagnostics.push(finding("unexpected-mapping", SAFE, vec![edit]));
    }
    let target = schema
        .directories
        .iter()
        .find(|d| d.name_str() == "customappsso")
        .and_then(|d| d.object("urn:ietf:params:scim:schemas:core:2.0:Group"))
        .unwrap();
    if target.attribute("description").is_none() {
        let definition = r#"{"anchor":false,"caseExact":false,"defaultValue":null,"flowNullValues":false,"multivalued":false,"mutability":"ReadWrite","name":"description","required":false,"type":"String","apiExpressions":[],"metadata":[],"referencedObjects":[]}"#;
        let mapping = r#"{"defaultValue":null,"exportMissingReferences":false,"flowBehavior":"FlowWhenChanged","flowType":"Always","matchingPriority":0,"targetAttributeName":"description","source":{"expression":"[description]","name":"description","parameters":[],"type":"Attribute"}}"#;
        let edits = vec![
            editor
                .insert_array_element(target.attributes_loc.span, definition)
                .unwrap(),
            editor
                .insert_array_element(groups.attribute_mappings_loc.span, mapping)
                .unwrap(),
        ];
        diagnostics.push(finding("missing-required-mapping", SAFE, edits));
    }
    let display = users
        .attribute_mappings
        .iter()
        .find(|am| am.target_name() == "displayName")
        .unwrap();
    let source = display.source.as_ref().unwrap();
    if source.expression.as_ref().unwrap().text != "ToLower([displayName])" {
        let new = r#"{"expression":"ToLower([displayName])","name":"ToLower","parameters":[{"key":"source","value":{"expression":"[displayName]","name":"displayName","parameters":[],"type":"Attribute"}}],"type":"Function"}"#;
        let edit = editor.replace_value(source.loc.span, new).unwrap();
        diagnostics.push(finding("wrong-mapping-source", SAFE, vec![edit]));
    }
    Scripted { text, diagnostics }
}

#[test]
fn profile_like_fixes_on_the_entra_default_export() {
    let original_text = include_str!("../../samples/entra-defaults.json");
    let original = profile_like(original_text.to_string());
    let fixed = fix_in_rounds(&original, FixLevel::Safe, profile_like).unwrap();
    assert!(fixed.rounds <= 3, "{} rounds", fixed.rounds);
    let result = fixed.result.unwrap();
    assert!(result.diagnostics.is_empty());
    // 17 mappings removed, one definition + mapping added, one source replaced.
    assert_eq!(fixed.applied.len(), 19);
    verify::verify(original_text, &result.text).unwrap();
    let report = lint_text("x.json", &result.text, &LintSettings::default());
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);

    // The directories only gained the new attribute definition.
    let dirs =
        |t: &str| t[json::span_of(json::resolve(&json::parse(t).unwrap(), "/directories").unwrap().node)].to_string();
    let (before, after) = (dirs(original_text), dirs(&result.text));
    let prefix = before.bytes().zip(after.bytes()).take_while(|(a, b)| a == b).count();
    let suffix = before[prefix..]
        .bytes()
        .rev()
        .zip(after[prefix..].bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    assert_eq!(
        prefix + suffix,
        before.len(),
        "directories changed beyond one insertion"
    );
    let inserted = &after[prefix..after.len() - suffix];
    assert!(
        inserted.starts_with(",\n            {\n              \"anchor\": false,"),
        "{inserted}"
    );
    assert!(
        inserted.contains("\n              \"name\": \"description\",\n"),
        "{inserted}"
    );
    // Mappings that needed no fix are byte-identical.
    for target in ["\"userName\"", "\"active\"", "\"name.givenName\"", "\"members\""] {
        let at = original_text
            .find(&format!("\"targetAttributeName\": {target}"))
            .unwrap();
        let start = original_text[..at].rfind("            {\n").unwrap();
        let end = start + original_text[start..].find("\n            }").unwrap();
        assert!(result.text.contains(&original_text[start..end]), "{target} changed");
    }
    // The replaced source sits at the indentation of the old one.
    assert!(result.text.contains(
        "\"source\": {\n                \"expression\": \"ToLower([displayName])\",\n                \"name\": \"ToLower\",\n                \"parameters\": [\n                  {\n                    \"key\": \"source\",",
    ));
    // Nothing left to do: a second run changes nothing.
    let again = fix_in_rounds(&result, FixLevel::Safe, profile_like).unwrap();
    assert!(again.result.is_none());
}

#[test]
fn write_fixed_refuses_a_file_changed_since_it_was_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.json");
    std::fs::write(&path, "[1]").unwrap();
    let source = SourceFile::read(&path, "export.json".into(), 1 << 20).unwrap();
    std::fs::write(&path, "[2]").unwrap();
    assert!(matches!(write_fixed(&source, "[3]"), Err(FixError::ChangedOnDisk)));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "[2]");
    // Already holding the fixed text (the same file fixed twice): fine.
    assert!(write_fixed(&source, "[2]").is_ok());
    std::fs::write(&path, "[1]").unwrap();
    write_fixed(&source, "[3]").unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "[3]");
}
