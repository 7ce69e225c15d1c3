//! End to end: `mapping-lint eval` expression and input → value, diagnostics and exit code.

mod common;

use assert_cmd::Command;
use common::write_file;
use predicates::prelude::*;

fn eval(args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("mapping-lint").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .arg("eval")
        .args(args);
    cmd
}

fn json_of(cmd: &mut Command, code: i32) -> serde_json::Value {
    let out = cmd.assert().code(code).get_output().stdout.clone();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 1, "one line of JSON: {text}");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn join_example_of_the_issue() {
    let mut cmd = eval(&[
        r#"Join(" ", [givenName], [surname])"#,
        "--input",
        r#"{"givenName":"John","surname":"Doe"}"#,
        "--format",
        "json",
    ]);
    let doc = json_of(&mut cmd, 0);
    assert_eq!(doc["value"], "John Doe");
    assert_eq!(doc["canonical"], r#"Join(" ", [givenName], [surname])"#);
    assert_eq!(doc["warnings"], serde_json::json!([]));
    cmd.assert().stderr("");
}

#[test]
fn human_format_prints_the_value_as_json() {
    eval(&[
        r#"Join(" ", [givenName], [surname])"#,
        "--input",
        r#"{"givenName":"John","surname":"Doe"}"#,
    ])
    .assert()
    .code(0)
    .stdout("\"John Doe\"\n")
    .stderr("");
}

#[test]
fn multi_valued_and_null_results() {
    let doc = json_of(
        &mut eval(&[
            r#"Split([proxy], ";")"#,
            "--input",
            r#"{"proxy":"a;b;c"}"#,
            "-f",
            "json",
        ]),
        0,
    );
    assert_eq!(doc["value"], serde_json::json!(["a", "b", "c"]));
    eval(&[r#"Split([proxy], ";")"#, "--input", r#"{"proxy":"a;b"}"#])
        .assert()
        .code(0)
        .stdout("[\"a\",\"b\"]\n");

    // An explicit null input gives a null result without any warning.
    let doc = json_of(
        &mut eval(&["Coalesce([a], [b])", "--input", r#"{"a":null,"b":null}"#, "-f", "json"]),
        0,
    );
    assert_eq!(doc["value"], serde_json::Value::Null);
    assert!(doc.as_object().unwrap().contains_key("value"));
    assert_eq!(doc["warnings"], serde_json::json!([]));

    // An attribute missing from the input is null too, with a warning pointing at it.
    let doc = json_of(&mut eval(&["IsNull([manager])", "-f", "json"]), 0);
    assert_eq!(doc["value"], "True");
    assert_eq!(doc["warnings"][0]["rule"], "input");
    assert_eq!(doc["warnings"][0]["range"], serde_json::json!({"start": 7, "end": 16}));
    eval(&["IsNull([manager])"])
        .assert()
        .code(0)
        .stdout("\"True\"\n")
        .stderr(predicate::str::contains("`[manager]` has no value in --input"));
}

#[test]
fn syntax_error_exits_1_with_a_snippet_of_the_expression() {
    let out = eval(&[r#"Join(" ", [givenName], "[surname])"#])
        .assert()
        .code(1)
        .stdout("")
        .get_output()
        .stderr
        .clone();
    insta::assert_snapshot!(String::from_utf8(out).unwrap(), @r#"
    expression-syntax

      × string constant is missing its closing `"`
       ╭─[expression:1:24]
     1 │ Join(" ", [givenName], "[surname])
       ·                        ─────┬─────
       ·                             ╰── this string is never closed
       ╰────
      help: inside a string, write a quote as \" and a backslash as \\

    "#);
    let doc = json_of(&mut eval(&[r#"Join(" ", [givenName], "[surname])"#, "-f", "json"]), 1);
    assert!(doc.get("value").is_none());
    assert_eq!(doc["errors"][0]["rule"], "expression-syntax");
    assert_eq!(doc["errors"][0]["range"], serde_json::json!({"start": 23, "end": 34}));
}

#[test]
fn unknown_function_exits_1_with_did_you_mean() {
    eval(&["toLower([mail])", "--input", r#"{"mail":"A@B"}"#])
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            predicate::str::contains("unknown function `toLower`")
                .and(predicate::str::contains("did you mean `ToLower`?"))
                .and(predicate::str::contains("1 │ toLower([mail])")),
        );
    let doc = json_of(&mut eval(&["Repalce([x], \"a\", , , \"b\", , )", "-f", "json"]), 1);
    assert_eq!(doc["errors"][0]["rule"], "unknown-function");
    assert!(doc["errors"][0]["help"].as_str().unwrap().contains("`Replace`"));
}

#[test]
fn arity_errors_and_undocumented_warnings() {
    let doc = json_of(&mut eval(&["Mid([x], 1)", "-f", "json"]), 1);
    assert_eq!(doc["errors"][0]["rule"], "function-arity");
    // A warning does not stop evaluation.
    let doc = json_of(
        &mut eval(&["Trim([x])", "--input", r#"{"x":"  a b  "}"#, "-f", "json"]),
        0,
    );
    assert_eq!(doc["value"], "a b");
    assert_eq!(doc["warnings"][0]["rule"], "undocumented-function");
}

#[test]
fn evaluation_failure_exits_1_pointing_at_the_node() {
    eval(&["Item(Split([x], \",\"), 5)", "--input", r#"{"x":"a"}"#])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("evaluation failed").and(predicate::str::contains("failed here")));
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    eval(&["[x]", "--input", "{bad"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with(
            "mapping-lint: error: --input (inline) is not valid JSON",
        ));
    eval(&["[x]", "--input", "[1, 2]"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the input must be a JSON object of attribute values",
        ));
    eval(&["[x]", "--input", "no/such/file.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is neither JSON nor an existing file"));
    eval(&["[x]", "--input", r#"{"x": [[1]]}"#])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("attribute `x`"));
}

#[test]
fn input_from_a_file_and_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(
        dir.path(),
        "user.json",
        r#"{"givenName": "Zoë", "surname": "Ångström"}"#,
    );
    let doc = json_of(
        &mut eval(&[
            "NormalizeDiacritics(Join(\".\", [givenName], [surname]))",
            "--input",
            path.to_str().unwrap(),
            "-f",
            "json",
        ]),
        0,
    );
    assert_eq!(doc["value"], "Zoe.Angstrom");
    let bad = write_file(dir.path(), "bad.json", "{");
    eval(&["[x]", "--input", bad.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "--input file `{}` is not valid JSON",
            bad.display()
        )));
    eval(&["ToUpper([x])", "--input", "-"])
        .write_stdin(r#"{"x": "abc"}"#)
        .assert()
        .code(0)
        .stdout("\"ABC\"\n");
}

#[test]
fn now_and_guid_have_the_right_shape() {
    let doc = json_of(&mut eval(&["Guid()", "-f", "json"]), 0);
    let guid = doc["value"].as_str().unwrap();
    assert_eq!(guid.len(), 36);
    assert_eq!(guid.matches('-').count(), 4);
    let doc = json_of(&mut eval(&["Now()", "-f", "json"]), 0);
    let now = doc["value"].as_str().unwrap();
    assert!(now.ends_with(" AM") || now.ends_with(" PM"), "{now}");
}

/// `eval` runs the static part of `unsupported-function` and `app-role-assignments-direct`, as
/// `check` does, and says "1 was given" in the singular.
#[test]
fn static_checks_of_check_also_stop_eval() {
    let doc = json_of(
        &mut eval(&[
            r#"Join("@", SelectUniqueValue([a],[b]), "contoso.com")"#,
            "--input",
            r#"{"a":"x","b":"y"}"#,
            "-f",
            "json",
        ]),
        1,
    );
    assert_eq!(doc["errors"][0]["rule"], "unsupported-function");
    assert_eq!(
        doc["errors"][0]["message"],
        "SelectUniqueValue must be the top-level function"
    );
    assert_eq!(doc["errors"][0]["range"], serde_json::json!({"start": 10, "end": 27}));
    let doc = json_of(&mut eval(&["ToUpper([appRoleAssignments])", "-f", "json"]), 1);
    assert_eq!(doc["errors"][0]["rule"], "app-role-assignments-direct");
    let doc = json_of(&mut eval(&["Guid([x])", "-f", "json"]), 1);
    assert_eq!(
        doc["errors"][0]["message"],
        "Guid takes 0 arguments but 1 was given: Guid()"
    );
}

/// A bare word stops `eval` even in the branch that is not taken; an undocumented VB.NET interval
/// is a warning and evaluation goes on; AND suggests nesting IIF.
#[test]
fn bare_words_constants_and_logical_operators() {
    let doc = json_of(
        &mut eval(&[r#"IIF([a]="1","x",givenName)"#, "--input", r#"{"a":"1"}"#, "-f", "json"]),
        1,
    );
    assert_eq!(doc["errors"][0]["rule"], "unknown-symbol");
    assert_eq!(
        doc["errors"][0]["help"],
        "write the attribute as `[givenName]`, or a string constant as `\"givenName\"`"
    );
    let doc = json_of(&mut eval(&[r#"DateAdd("q", 1, CDate("2024-01-31"))"#, "-f", "json"]), 0);
    assert_eq!(doc["value"], "4/30/2024 12:00:00 AM");
    assert_eq!(doc["warnings"][0]["rule"], "invalid-argument");
    assert_eq!(doc["warnings"][0]["severity"], "warning");
    eval(&[r#"IIF([a]="1" AND [b]="2","x","y")"#])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nest IIF along the true branch"));
    eval(&[
        r#"FormatDateTime([d], "yyyyMMdd", "yyyy-MM-dd")"#,
        "--input",
        r#"{"d":"20240131"}"#,
    ])
    .assert()
    .code(0)
    .stdout("\"2024-01-31\"\n")
    .stderr(predicate::str::contains("obsolete-signature"));
}

/// `--kind` reads the expression as `check` reads an export of that kind of job: DNComponent and
/// CRef are documented for Cloud Sync only, Coalesce for app provisioning only. The default is
/// `unknown`, read as app provisioning, and a misspelt kind is a usage error.
#[test]
fn kind_chooses_the_function_reference() {
    let dn = [
        "DNComponent(CRef([dn]), 1)",
        "--input",
        r#"{"dn":"CN=John,OU=Sales,DC=contoso,DC=com"}"#,
    ];
    fn with_kind<'a>(args: &[&'a str], kind: &'a str) -> Vec<&'a str> {
        [args, &["--kind", kind]].concat()
    }
    // App provisioning: two warnings, and evaluation goes on.
    let default = eval(&dn)
        .assert()
        .code(0)
        .stdout("\"John\"\n")
        .get_output()
        .stderr
        .clone();
    let default = String::from_utf8(default).unwrap();
    for kind in ["unknown", "outbound-scim", "outbound-app", "cross-tenant", "inbound-hr"] {
        eval(&with_kind(&dn, kind))
            .assert()
            .code(0)
            .stdout("\"John\"\n")
            .stderr(default.clone());
    }
    // Cloud Sync documents both: nothing to say.
    eval(&with_kind(&dn, "cloud-sync"))
        .assert()
        .code(0)
        .stdout("\"John\"\n")
        .stderr("");

    let coalesce = ["Coalesce([a], [b])", "--input", r#"{"a":null,"b":"x"}"#];
    let cloud_sync = eval(&with_kind(&coalesce, "cloud-sync"))
        .assert()
        .code(0)
        .stdout("\"x\"\n")
        .get_output()
        .stderr
        .clone();
    eval(&coalesce).assert().code(0).stdout("\"x\"\n").stderr("");
    let doc = json_of(
        &mut eval(&[&with_kind(&coalesce, "cloud-sync")[..], &["-f", "json"]].concat()),
        0,
    );
    assert_eq!(doc["value"], "x");
    assert_eq!(doc["warnings"][0]["rule"], "undocumented-function");
    assert_eq!(
        doc["warnings"][0]["message"],
        "`Coalesce` is not in the Cloud Sync expression reference"
    );

    // Errors stop evaluation in every kind.
    for kind in ["cloud-sync", "inbound-hr"] {
        let doc = json_of(&mut eval(&["Mid([x], 1)", "--kind", kind, "-f", "json"]), 1);
        assert_eq!(doc["errors"][0]["rule"], "function-arity");
    }

    // `eval --help` documents the option and its values.
    let help = String::from_utf8(eval(&["--help"]).assert().code(0).get_output().stdout.clone()).unwrap();
    assert!(help.contains("--kind <KIND>"), "{help}");
    for kind in [
        "outbound-scim",
        "outbound-app",
        "cross-tenant",
        "cloud-sync",
        "inbound-hr",
        "unknown",
    ] {
        assert!(help.contains(&format!("- {kind}:")), "{kind}: {help}");
    }
    assert!(help.contains("[default: unknown]"), "{help}");

    let misspelt = eval(&["[a]", "--kind", "cloudsync"])
        .assert()
        .code(2)
        .stdout("")
        .get_output()
        .stderr
        .clone();
    insta::assert_snapshot!(
        "kind",
        format!(
            "$ eval {dn:?}\n{default}\n$ eval {coalesce:?} --kind cloud-sync\n{}\n$ eval [a] --kind cloudsync\n{}",
            String::from_utf8(cloud_sync).unwrap(),
            String::from_utf8(misspelt).unwrap()
        )
    );
}
