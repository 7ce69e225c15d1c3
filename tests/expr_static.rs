//! One static-check path: `eval` runs every expression check that needs no schema, exactly as
//! `check` does. The same expressions, checked on their own (`eval`'s path) and as the only mapping
//! of an export whose schema has nothing to add (`check`'s path), give the same findings.

use mapping_lint::expr;
use mapping_lint::lint::{LintSettings, lint_text};
use mapping_lint::model::JobKind;
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

/// Source and target directory names from which the job kind is recognised (`docs/inputs.md`).
fn directories(kind: JobKind) -> (&'static str, &'static str) {
    match kind {
        JobKind::OutboundScim => ("Microsoft Entra ID", "customappsso"),
        JobKind::OutboundApp => ("Microsoft Entra ID", "Salesforce"),
        JobKind::CrossTenant => ("Microsoft Entra ID", "Microsoft Entra ID (target tenant)"),
        JobKind::CloudSync => ("AD", "Microsoft Entra ID"),
        JobKind::InboundHr => ("Workday", "Active Directory"),
        JobKind::Unknown => ("Source", "Target"),
    }
}

/// An export of a job of `kind` whose source object defines every attribute the expression reads,
/// with one non-matching mapping.
fn export_of_kind(expression: &str, kind: JobKind) -> String {
    let (from, to) = directories(kind);
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
        r#"{{"synchronizationRules": [{{"sourceDirectoryName": "{from}", "targetDirectoryName": "{to}",
  "objectMappings": [{{"sourceObjectName": "User", "targetObjectName": "user", "attributeMappings": [
    {{"targetAttributeName": "t", "matchingPriority": 0, "source": {source}}}]}}]}}],
  "directories": [{{"name": "{from}", "objects": [{{"name": "User", "attributes": [{}]}}]}},
                  {{"name": "{to}", "objects": [{{"name": "user", "attributes": []}}]}}]}}"#,
        attributes.join(", ")
    )
}

/// `eval`'s default reads an expression as app provisioning, as `check` reads an inbound job to
/// Active Directory (where SelectUniqueValue is supported; see [`findings_of_check`]).
fn findings_of_eval(expression: &str) -> Vec<(String, Severity, String)> {
    findings_of_eval_as(expression, JobKind::Unknown)
}

fn findings_of_eval_as(expression: &str, kind: JobKind) -> Vec<(String, Severity, String)> {
    sorted(check_standalone(expression, kind).diagnostics)
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

/// The expression as the only mapping of an inbound job to Active Directory, where
/// SelectUniqueValue is supported.
fn findings_of_check(expression: &str) -> Vec<(String, Severity, String)> {
    findings_of_check_as(expression, JobKind::InboundHr)
}

fn findings_of_check_as(expression: &str, kind: JobKind) -> Vec<(String, Severity, String)> {
    let settings = LintSettings {
        select: Some(static_rules()),
        ..LintSettings::default()
    };
    let report = lint_text("x.json", &export_of_kind(expression, kind), &settings);
    assert_eq!(
        report.job.as_ref().map(|j| j.kind),
        Some(kind),
        "the export is a {kind} job"
    );
    sorted(report.diagnostics)
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

/// The same rules, severities and messages (except where `check` names the mapping's target).
fn assert_same(eval: &[(String, Severity, String)], check: &[(String, Severity, String)], case: &str) {
    let rules_of = |found: &[(String, Severity, String)]| -> Vec<(String, Severity)> {
        found.iter().map(|(r, s, _)| (r.clone(), *s)).collect()
    };
    assert_eq!(rules_of(eval), rules_of(check), "{case}");
    let messages = |found: &[(String, Severity, String)]| -> Vec<String> {
        found
            .iter()
            .filter(|(r, ..)| !TARGET_IN_MESSAGE.contains(&r.as_str()))
            .map(|(.., m)| m.clone())
            .collect()
    };
    assert_eq!(messages(eval), messages(check), "{case}");
}

#[test]
fn eval_and_check_report_the_same_findings() {
    for (expression, rules) in CASES {
        let eval = findings_of_eval(expression);
        let check = findings_of_check(expression);
        assert_same(&eval, &check, expression);
        for rule in *rules {
            assert!(
                eval.iter().any(|(r, ..)| r == rule),
                "{expression}: no {rule} in {eval:?}"
            );
        }
        assert!(!eval.is_empty(), "{expression}");
    }
}

/// `eval --kind K` checks an expression as `check` does in an export of kind K: every case, in
/// every kind, gives the same findings in both (SelectUniqueValue aside: whether it is supported
/// depends on the export's target directory, which `eval` has not).
#[test]
fn eval_with_a_kind_and_check_of_that_kind_report_the_same_findings() {
    let by_kind = [
        "DNComponent(CRef([dn]), 1)",
        "Coalesce([a], [b])",
        "StringFromSID([objectSid])",
        "Join(\",\", Trim([a]), PCase([b]))",
    ];
    let cases: Vec<&str> = by_kind
        .into_iter()
        .chain(CASES.iter().map(|(e, _)| *e))
        .filter(|e| !e.contains("SelectUniqueValue"))
        .collect();
    for &kind in JobKind::ALL {
        for expression in &cases {
            let eval = findings_of_eval_as(expression, kind);
            let check = findings_of_check_as(expression, kind);
            assert_same(&eval, &check, &format!("{expression} in a {kind} job"));
        }
    }
    // The kind matters: each is checked against its own function reference.
    let undocumented = |expression: &str, kind: JobKind| -> Vec<String> {
        findings_of_eval_as(expression, kind)
            .into_iter()
            .filter(|(r, ..)| r == "undocumented-function")
            .map(|(.., m)| m)
            .collect()
    };
    let dn = "DNComponent(CRef([dn]), 1)";
    assert_eq!(
        undocumented(dn, JobKind::OutboundScim),
        [
            "`CRef` is not in the app-provisioning function reference",
            "`DNComponent` is not in the app-provisioning function reference",
        ]
    );
    assert_eq!(undocumented(dn, JobKind::CloudSync), Vec::<String>::new());
    assert_eq!(
        undocumented("Coalesce([a], [b])", JobKind::CloudSync),
        ["`Coalesce` is not in the Cloud Sync expression reference"]
    );
    assert_eq!(
        undocumented("Coalesce([a], [b])", JobKind::Unknown),
        Vec::<String>::new()
    );
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
