//! One static-check path: `eval` runs every expression check that needs no schema, exactly as
//! `check` does. The same expressions, checked on their own (`eval`'s path) and as the only mapping
//! of an export whose schema has nothing to add (`check`'s path), give the same findings.

use mapping_lint::expr;
use mapping_lint::lint::{LintSettings, lint_text};
use mapping_lint::rules::expression::check_standalone;
use mapping_lint::rules::{Category, REGISTRY};
use mapping_lint::{Diagnostic, Severity};

/// The expression rules `check` runs that read more than the expression: the source object's
/// attribute list and the stored `source` tree. The export below is built so that they are quiet.
const NEED_THE_SCHEMA: &[&str] = &["unknown-source-attribute", "source-tree-mismatch"];

/// Rules whose message in `check` names the mapping's target attribute, which `eval` has not.
const TARGET_IN_MESSAGE: &[&str] = &["app-role-assignments-direct"];

/// Every expression rule except those that need the schema.
fn static_rules() -> Vec<String> {
    REGISTRY
        .iter()
        .map(|r| r.meta())
        .filter(|m| m.category == Category::Expressions && !NEED_THE_SCHEMA.contains(&m.name))
        .map(|m| m.name.to_string())
        .collect()
}

/// An inbound job to Active Directory (where SelectUniqueValue is supported), whose source object
/// defines every attribute the expression reads, with one non-matching mapping.
fn export(expression: &str) -> String {
    let attributes: Vec<String> = expr::parse(expression)
        .map(|tree| {
            tree.attributes()
                .map(|(name, _)| serde_json::json!({ "name": name }).to_string())
                .collect()
        })
        .unwrap_or_default();
    let attributes = if attributes.is_empty() {
        // A source object without attributes is not checked at all: keep one.
        vec![r#"{"name": "x"}"#.to_string()]
    } else {
        attributes
    };
    let source = serde_json::json!({ "expression": expression, "type": "Function", "name": "F", "parameters": [] });
    format!(
        r#"{{"synchronizationRules": [{{"sourceDirectoryName": "Workday", "targetDirectoryName": "Active Directory",
  "objectMappings": [{{"sourceObjectName": "User", "targetObjectName": "user", "attributeMappings": [
    {{"targetAttributeName": "t", "matchingPriority": 0, "source": {source}}}]}}]}}],
  "directories": [{{"name": "Workday", "objects": [{{"name": "User", "attributes": [{}]}}]}},
                  {{"name": "Active Directory", "objects": [{{"name": "user", "attributes": []}}]}}]}}"#,
        attributes.join(", ")
    )
}

/// Rule, severity and message of each diagnostic, sorted.
fn sorted(diagnostics: Vec<Diagnostic>) -> Vec<(String, Severity, String)> {
    let mut found: Vec<_> = diagnostics
        .into_iter()
        .map(|d| (d.rule.to_string(), d.severity, d.message))
        .collect();
    found.sort();
    found
}

fn findings_of_eval(expression: &str) -> Vec<(String, Severity, String)> {
    sorted(check_standalone(expression).diagnostics)
}

fn findings_of_check(expression: &str) -> Vec<(String, Severity, String)> {
    let settings = LintSettings {
        select: Some(static_rules()),
        ..LintSettings::default()
    };
    sorted(lint_text("x.json", &export(expression), &settings).diagnostics)
}

/// Invalid or suspicious expressions, each with the rules they must trigger.
const CASES: &[(&str, &[&str])] = &[
    (
        r#"Join("@", SelectUniqueValue([a],[b]), "contoso.com")"#,
        &["unsupported-function"],
    ),
    (r#"ToLower(SelectUniqueValue([a], [b]))"#, &["unsupported-function"]),
    ("toLower([a])", &["unknown-function"]),
    ("Frobnicate([a])", &["unknown-function"]),
    ("Trim([a])", &["undocumented-function"]),
    ("Prepend(\"x\", [a])", &["undocumented-function"]),
    ("Mid([a], 1)", &["function-arity"]),
    ("Guid([a])", &["function-arity"]),
    (r#"Switch([a], "d", "k")"#, &["function-arity"]),
    (r#"Replace([a], "-", , , "_")"#, &["function-arity"]),
    (r#"Join(" ", [a], "[b])"#, &["expression-syntax"]),
    ("Not([a]", &["expression-syntax"]),
    ("[appRoleAssignments]", &["app-role-assignments-direct"]),
    ("ToLower([appRoleAssignments])", &["app-role-assignments-direct"]),
    (
        "toLower(Trim([a]), Mid([b], 1))",
        &["unknown-function", "undocumented-function", "function-arity"],
    ),
    // Bare words in any branch, symbols only where a parameter takes them.
    (r#"IIF([a]="1","x",givenName)"#, &["unknown-symbol"]),
    (r#"IIF([a]="1",givenName,"x")"#, &["unknown-symbol"]),
    ("givenName", &["unknown-symbol"]),
    (r#"Switch([a], , "1", True)"#, &["unknown-symbol"]),
    ("Not(IgnoreFlowIfNullOrEmpty)", &["unknown-symbol"]),
    ("Not(vbTextCompare)", &["unknown-symbol"]),
    (r#"InStr([a], "b", 1, vbtextcompare)"#, &["unknown-symbol"]),
    (
        r#"ConvertFromBase64([a], vbBinaryCompare)"#,
        &["unknown-symbol", "undocumented-function"],
    ),
    // Constant arguments.
    (r#"DateAdd("days", 1, Now())"#, &["invalid-argument"]),
    (r#"DateDiff("q", Now(), CDate([a]))"#, &["invalid-argument"]),
    (r#"DateAdd("w", 1, Now())"#, &["invalid-argument"]),
    (r#"ToLower([a], "en_US")"#, &["invalid-argument"]),
    (r#"ToUpper([a], "xx-YY")"#, &["invalid-argument"]),
    (r#"Replace([a], , "(", , "x", , )"#, &["invalid-argument"]),
    (r#"Replace([a], , "(?<x>\d+)", "y", "z", , )"#, &["invalid-argument"]),
    (r#"FormatDateTime([a], , "yyyy'", "yyyy")"#, &["invalid-argument"]),
    (
        r#"FormatDateTime([a], , "yyyyMMdd", "ffffffff")"#,
        &["invalid-argument"],
    ),
    (
        r#"FormatDateTime([a], "Roundtrip", "yyyyMMdd", "yyyy")"#,
        &["invalid-argument"],
    ),
    // Documented as unsupported, and the obsolete FormatDateTime form.
    (r#"IIF([country]="","Other",[country])"#, &["unsupported-form"]),
    (
        r#"IIF(IsNullOrEmpty([country]),"Other",[country])"#,
        &["unsupported-form"],
    ),
    (r#"IIF(IsPresent([country]),[country],"Other")"#, &["unsupported-form"]),
    (r#"Switch(IsPresent([a]), "x", "True", "y")"#, &["unsupported-form"]),
    (
        r#"FormatDateTime([a], "yyyyMMdd", "yyyy-MM-dd")"#,
        &["obsolete-signature"],
    ),
    // Syntax errors with better messages.
    (r#"IIF([a]="1" AND [b]="2","x","y")"#, &["expression-syntax"]),
    (r#"Join(",", a])"#, &["expression-syntax"]),
];

#[test]
fn eval_and_check_report_the_same_findings() {
    for (expression, rules) in CASES {
        let eval = findings_of_eval(expression);
        let check = findings_of_check(expression);
        let rules_of = |found: &[(String, Severity, String)]| -> Vec<(String, Severity)> {
            found.iter().map(|(r, s, _)| (r.clone(), *s)).collect()
        };
        assert_eq!(rules_of(&eval), rules_of(&check), "{expression}");
        // The messages are the same too, except where `check` names the mapping's target.
        let messages = |found: &[(String, Severity, String)]| -> Vec<String> {
            found
                .iter()
                .filter(|(r, ..)| !TARGET_IN_MESSAGE.contains(&r.as_str()))
                .map(|(.., m)| m.clone())
                .collect()
        };
        assert_eq!(messages(&eval), messages(&check), "{expression}");
        for rule in *rules {
            assert!(
                eval.iter().any(|(r, ..)| r == rule),
                "{expression}: no {rule} in {eval:?}"
            );
        }
        assert!(!eval.is_empty(), "{expression}");
    }
}

#[test]
fn valid_expressions_are_quiet_in_both() {
    for expression in [
        r#"Join(" ", [givenName], [surname])"#,
        r#"SelectUniqueValue(Join("@", [a], "contoso.com"), Join("@", [b], "contoso.com"))"#,
        "SingleAppRoleAssignment([appRoleAssignments])",
        r#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#,
        r#"InStr("repEated", "e", 3, vbBinaryCompare)"#,
        r#"DateAdd("d", 7, CDate([StatusHireDate]))"#,
        r#"DateDiff("ww", Now(), CDate([StatusHireDate]))"#,
        r#"ToLower([a], "tr-TR")"#,
        r#"ToUpper([a], "sr-Latn-RS")"#,
        r#"Replace([telephoneNumber], , "\+(?<isdCode>\d* )(?<phoneNumber>\d{10})", , "${phoneNumber}", , )"#,
        r#"Replace([AddressLineData], ,"(?<streetNumber>^\d*)","streetNumber", "888", , )"#,
        r#"FormatDateTime([x], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")"#,
        r#"FormatDateTime([x], "AdjustToUniversal", "M/d/yyyy hh:mm:ss tt", "yyyy-MM-dd")"#,
        r#"Switch([country],[country],"","Other")"#,
        r#"IIF([country]="USA",IIF([state]="CA","True","False"),"False")"#,
    ] {
        assert_eq!(findings_of_eval(expression), [], "{expression}");
        assert_eq!(findings_of_check(expression), [], "{expression}");
    }
}

/// The static checks stay fast on a crafted expression: 10,000 characters of Replace calls whose
/// patterns are each too large to compile cheaply are checked (not compiled to the end) in well
/// under a second.
#[test]
fn constant_checks_are_bounded() {
    let one = r#"Replace([x], , "(?:a{0,1000}){0,1000}", , "", , )"#;
    let expression = format!("Join(\",\", {})", vec![one; 9_900 / (one.len() + 2)].join(", "));
    assert!(expression.len() <= 10_000);
    let started = std::time::Instant::now();
    let found = findings_of_eval(&expression);
    // Valid syntax, only too large to check: nothing to report.
    assert_eq!(found, []);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}
