//! The examples of Microsoft's function references as evaluation tests.
//!
//! Sources: Entra docs `docs/identity/app-provisioning/functions-for-customizing-application-data.md`
//! (every function section and the "Examples" section) and, for the engine-only functions, the
//! Cloud Sync reference `docs/identity/hybrid/cloud-sync/reference-expressions.md`. Where the
//! documentation's own example is inconsistent, the test says so.

use mapping_lint::expr::eval::datetime::DateTime;
use mapping_lint::expr::{FixedEnvironment, Input, Value, check_arity_all, evaluate, parse, print, suggest};
use serde_json::{Value as Json, json};

/// The environment used unless a test needs another clock: 7/2/2021 3:33:38 PM UTC, the sample
/// value of the Now() documentation.
fn env_at(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> FixedEnvironment {
    FixedEnvironment::new(DateTime::from_parts(y, mo, d, h, mi, s, 0).unwrap(), 1)
}

fn run_in(env: &mut FixedEnvironment, src: &str, input: Json) -> Value {
    let expr = parse(src).unwrap_or_else(|e| panic!("{src}: {e}"));
    assert_eq!(check_arity_all(&expr), [], "{src}");
    let input = Input::from_json(&input).unwrap();
    evaluate(&expr, &input, env).unwrap_or_else(|e| panic!("{src}: {e}"))
}

fn run(src: &str, input: Json) -> Value {
    run_in(&mut env_at(2021, 7, 2, 15, 33, 38), src, input)
}

fn assert_str(src: &str, input: Json, expected: &str) {
    assert_eq!(run(src, input), Value::str(expected), "{src}");
}

#[test]
fn append() {
    assert_str(
        r#"Append([userPrincipalName], ".test")"#,
        json!({"userPrincipalName": "John.Doe@contoso.com"}),
        "John.Doe@contoso.com.test",
    );
}

#[test]
fn bit_and() {
    assert_str("BitAnd(&HF, &HF7)", json!({}), "7");
}

#[test]
fn cbool() {
    let e = "CBool([attribute1] = [attribute2])";
    assert_str(e, json!({"attribute1": "x", "attribute2": "x"}), "True");
    assert_str(e, json!({"attribute1": "x", "attribute2": "y"}), "False");
}

#[test]
fn cdate() {
    assert_str(
        "CDate([StatusHireDate])",
        json!({"StatusHireDate": "2020-03-16-07:00"}),
        "3/16/2020 7:00:00 AM",
    );
    assert_str(r#"CDate("2021-06-30+08:00")"#, json!({}), "6/29/2021 4:00:00 PM");
    assert_str(
        r#"CDate("2009-06-15T01:45:30-07:00")"#,
        json!({}),
        "6/15/2009 8:45:30 AM",
    );
}

#[test]
fn coalesce() {
    assert_str(
        "Coalesce([mail],[userPrincipalName])",
        json!({"mail": null, "userPrincipalName": "John.Doe@contoso.com"}),
        "John.Doe@contoso.com",
    );
}

#[test]
fn convert_to_base64_and_utf8_hex() {
    assert_str(
        r#"ConvertToBase64("Hello world!")"#,
        json!({}),
        "SABlAGwAbABvACAAdwBvAHIAbABkACEA",
    );
    assert_str(
        r#"ConvertToUTF8Hex("Hello world!")"#,
        json!({}),
        "48656C6C6F20776F726C6421",
    );
}

#[test]
fn cstr() {
    assert_str(
        "CStr([dn])",
        json!({"dn": "cn=Joe,dc=contoso,dc=com"}),
        "cn=Joe,dc=contoso,dc=com",
    );
}

#[test]
fn date_add_table() {
    let hire = json!({"StatusHireDate": "2012-03-16-07:00"});
    for (interval, value, expected) in [
        ("d", "7", "3/23/2012 7:00:00 AM"),
        ("d", "-10", "3/6/2012 7:00:00 AM"),
        ("ww", "2", "3/30/2012 7:00:00 AM"),
        ("m", "10", "1/16/2013 7:00:00 AM"),
        ("yyyy", "2", "3/16/2014 7:00:00 AM"),
    ] {
        let e = format!(r#"DateAdd("{interval}", {value}, CDate([StatusHireDate]))"#);
        assert_str(&e, hire.clone(), expected);
    }
}

#[test]
fn date_diff_table() {
    for (interval, date1, date2, expected) in [
        ("d", "2021-08-18+08:00", "2021-08-31+08:00", "13"),
        ("d", "2021-08-31+08:00", "2021-08-31+08:00", "0"),
        ("h", "2021-08-24", "2021-08-25", "24"),
        ("n", "2021-08-24", "2021-08-25", "1440"),
        ("s", "2021-08-24", "2021-08-25", "86400"),
    ] {
        let e = format!(r#"DateDiff("{interval}", CDate("{date1}"), CDate("{date2}"))"#);
        assert_str(&e, json!({}), expected);
    }
    // The rows whose date1 is "8/25/2021 5:41:18 PM" use the documented expression with Now().
    let mut env = env_at(2021, 8, 25, 17, 41, 18);
    let hire = json!({"StatusHireDate": "2012-03-16-07:00"});
    for (interval, expected) in [("d", "-3449"), ("ww", "-493"), ("m", "-113"), ("yyyy", "-9")] {
        let e = format!(r#"DateDiff("{interval}", Now(), CDate([StatusHireDate]))"#);
        assert_eq!(run_in(&mut env, &e, hire.clone()), Value::str(expected), "{interval}");
    }
}

#[test]
fn date_diff_inside_switch_and_iif() {
    let e = "Switch([Active], , \n  \"1\", IIF(DateDiff(\"d\", Now(), CDate([StatusHireDate])) > 5, \"False\", \"True\"), \n  \"0\", \"False\")";
    let mut env = env_at(2024, 5, 1, 12, 0, 0);
    let soon = json!({"Active": "1", "StatusHireDate": "2024-05-04-07:00"});
    let later = json!({"Active": "1", "StatusHireDate": "2024-05-20-07:00"});
    let inactive = json!({"Active": "0", "StatusHireDate": "2024-05-04-07:00"});
    assert_eq!(run_in(&mut env, e, soon), Value::str("True"));
    assert_eq!(run_in(&mut env, e, later), Value::str("False"));
    assert_eq!(run_in(&mut env, e, inactive), Value::str("False"));
}

#[test]
fn date_from_num() {
    assert_str("DateFromNum(129699324000000000)", json!({}), "1/1/2012 11:00:00 PM");
    assert_str(
        "DateFromNum([lastLogonTimestamp])",
        json!({"lastLogonTimestamp": "129699324000000000"}),
        "1/1/2012 11:00:00 PM",
    );
}

#[test]
fn format_date_time() {
    let input = json!({"extensionAttribute1": "20150123105347.1Z"});
    assert_str(
        r#"FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")"#,
        input.clone(),
        "2015-01-23",
    );
    // The Cloud Sync reference documents the 3-argument form.
    assert_str(
        r#"FormatDateTime([extensionAttribute1], "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")"#,
        input,
        "2015-01-23",
    );
}

#[test]
fn guid_and_now_shapes() {
    let Value::Str(g) = run("Guid()", json!({})) else {
        panic!()
    };
    // Like the documented sample "00aa00aa-bb11-cc22-dd33-44ee44ee44ee".
    let groups: Vec<usize> = g.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12], "{g}");
    assert_str("Now()", json!({}), "7/2/2021 3:33:38 PM");
}

#[test]
fn ignore_flow_if_null_or_empty() {
    assert_eq!(run("IgnoreFlowIfNullOrEmpty([department])", json!({})), Value::Null);
    assert_eq!(
        run("IgnoreFlowIfNullOrEmpty([department])", json!({"department": ""})),
        Value::Null
    );
    assert_str(
        "IgnoreFlowIfNullOrEmpty([department])",
        json!({"department": "Sales"}),
        "Sales",
    );
    let e = r#"IgnoreFlowIfNullOrEmpty(Switch([prefix], "", "3443", "Dr.", "3444", "Prof.", "3445", "Prof. Dr."))"#;
    assert_str(e, json!({"prefix": "3444"}), "Prof.");
    assert_eq!(run(e, json!({"prefix": "1234"})), Value::Null);
}

#[test]
fn iif() {
    let e = r#"IIF([country]="USA",[country],[department])"#;
    assert_str(e, json!({"country": "USA", "department": "Sales"}), "USA");
    assert_str(e, json!({"country": "Canada", "department": "Sales"}), "Sales");
    let and = r#"IIF([country]="USA",IIF([state]="CA","True","False"),"False")"#;
    let or = r#"IIF([country]="USA","True",IIF([state]="CA","True","False"))"#;
    for (country, state, both, either) in [
        ("USA", "CA", "True", "True"),
        ("USA", "WA", "False", "True"),
        ("Mexico", "CA", "False", "True"),
        ("Mexico", "BC", "False", "False"),
    ] {
        let input = json!({"country": country, "state": state});
        assert_str(and, input.clone(), both);
        assert_str(or, input, either);
    }
    // The recommended workaround for empty values.
    let w = r#"Switch([country],[country],"","Other")"#;
    assert_str(w, json!({"country": ""}), "Other");
    assert_str(w, json!({}), "Other");
    assert_str(w, json!({"country": "Norway"}), "Norway");
}

#[test]
fn instr() {
    assert_str(r#"InStr("The quick brown fox","quick")"#, json!({}), "5");
    assert_str(r#"InStr("repEated","e",3,vbBinaryCompare)"#, json!({}), "7");
}

#[test]
fn null_tests() {
    assert_str("IsNull([displayName])", json!({}), "True");
    assert_str("IsNull([displayName])", json!({"displayName": "x"}), "False");
    assert_str("IsNullOrEmpty([displayName])", json!({"displayName": ""}), "True");
    assert_str("IsNullOrEmpty([displayName])", json!({}), "True");
    assert_str("IsNullOrEmpty([displayName])", json!({"displayName": "x"}), "False");
    // The IsPresent example parses and has a valid shape (the docs give no output for it).
    let e = "Switch(IsPresent([directManager]),[directManager], IsPresent([skiplevelManager]),[skiplevelManager], IsPresent([director]),[director])";
    assert_eq!(check_arity_all(&parse(e).unwrap()), []);
}

#[test]
fn item_and_remove_duplicates() {
    let input = json!({"proxyAddresses": ["SMTP:a@x.com", "smtp:b@x.com", "SMTP:a@x.com"]});
    assert_str("Item([proxyAddresses], 1)", input.clone(), "SMTP:a@x.com");
    assert_eq!(
        run("RemoveDuplicates([proxyAddresses])", input),
        Value::Multi(vec!["SMTP:a@x.com".into(), "smtp:b@x.com".into()])
    );
}

#[test]
fn join_left_mid() {
    let names = json!({"givenName": "John", "surname": "Doe"});
    assert_str(r#"Join(", ", "", [surname], [givenName])"#, names.clone(), "Doe, John");
    assert_str(r#"Join(" ", [givenName], [surname])"#, names.clone(), "John Doe");
    assert_str("Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))", names, "JohDoe");
    assert_str(r#"Left("John Doe", 3)"#, json!({}), "Joh");
}

#[test]
fn normalize_diacritics() {
    assert_str("NormalizeDiacritics([givenName])", json!({"givenName": "Zoë"}), "Zoe");
}

#[test]
fn num_from_date() {
    // 2020-12-31 23:59:59 at UTC-8 is 2021-01-01 07:59:59 UTC.
    assert_str(
        r#"NumFromDate(Join("", FormatDateTime([ContractEndDate], ,"yyyy-MM-ddzzz", "yyyy-MM-dd"), " 23:59:59-08:00"))"#,
        json!({"ContractEndDate": "2020-12-31-08:00"}),
        "132539615990000000",
    );
    assert_str(
        r#"NumFromDate(Join("",FormatDateTime([endDate], ,"M/d/yyyy hh:mm:ss tt","yyyy-MM-dd")," 23:59:59-08:00"))"#,
        json!({"endDate": "12/31/2020 08:30:00 AM"}),
        "132539615990000000",
    );
}

#[test]
fn pcase() {
    assert_str(
        "PCase([firstName])",
        json!({"firstName": "PABLO GONSALVES (SECOND)"}),
        "Pablo Gonsalves (Second)",
    );
    assert_str(
        r#"PCase([lastName]," '-")"#,
        json!({"lastName": "PINTO-DE'SILVA"}),
        "Pinto-De'Silva",
    );
    assert_str(
        r#"PCase(Join(" ",[firstName],[lastName]))"#,
        json!({"firstName": "GREGORY", "lastName": "JAMES"}),
        "Gregory James",
    );
}

#[test]
fn random_string_and_redact() {
    let Value::Str(r) = run("RandomString(6,3,0,0,3)", json!({})) else {
        panic!()
    };
    assert_eq!(r.len(), 6);
    assert_eq!(r.chars().filter(char::is_ascii_digit).count(), 3, "{r}");
    assert_eq!(r.chars().filter(char::is_ascii_lowercase).count(), 3, "{r}");
    let Value::Str(r) = run(r#"RandomString(10,2,2,2,1,"?,")"#, json!({})) else {
        panic!()
    };
    assert_eq!(r.len(), 10);
    assert!(!r.contains(['?', ',']));
    assert_str(
        "Redact([userPrincipalName])",
        json!({"userPrincipalName": "a@b"}),
        "a@b",
    );
    assert_str(r#"Redact("StringToBeRedacted")"#, json!({}), "StringToBeRedacted");
    assert_eq!(
        run("Redact(RandomString(6,3,0,0,3))", json!({})),
        run("RandomString(6,3,0,0,3)", json!({}))
    );
}

#[test]
fn replace_examples() {
    assert_str(
        r#"Replace([BusinessTitle],"Product Developer", , , "Software Engineer", , )"#,
        json!({"BusinessTitle": "Product Developer"}),
        "Software Engineer",
    );
    assert_str(
        r#"Replace([UserID],"<username>", , , , , "<username>@contoso.com")"#,
        json!({"UserID": "jsmith"}),
        "jsmith@contoso.com",
    );
    assert_str(
        r#"Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", , "${phoneNumber}", , )"#,
        json!({"telephoneNumber": "+91 9998887777"}),
        "9998887777",
    );
    assert_str(
        r#"Replace([mobile], , "[()\\s-]+", , "", , )"#,
        json!({"mobile": "+1 (999) 888-7777"}),
        "+19998887777",
    );
    assert_str(
        r#"Replace([AddressLineData], ,"(?<streetNumber>^\\d*)","streetNumber", "888", , )"#,
        json!({"AddressLineData": "545 Tremont Street"}),
        "888 Tremont Street",
    );
    assert_str(
        r#"Replace([userPrincipalName], , "(?<Suffix>@(.)*)", "Suffix", "", , )"#,
        json!({"userPrincipalName": "jsmith@contoso.com"}),
        "jsmith",
    );
    let fallback =
        r#"Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", "phoneNumber" , , [mobile], )"#;
    assert_str(
        fallback,
        json!({"telephoneNumber": "", "mobile": "+91 8887779999"}),
        "8887779999",
    );
    assert_str(
        fallback,
        json!({"telephoneNumber": "+91 1112223333", "mobile": "+91 8887779999"}),
        "+91 1112223333",
    );
    assert_str(
        r#"Replace([mailNickname], , "[a-zA-Z_]*", , "", , )"#,
        json!({"mailNickname": "john_doe72"}),
        "72",
    );
    assert_str(
        r#"Replace([mail], "@contoso.com", , ,"", ,)"#,
        json!({"mail": "john.doe@contoso.com"}),
        "john.doe",
    );
}

#[test]
fn replace_collapse_example_keeps_the_plus() {
    // The documentation claims "19998887777" for this pattern, but `[()\s-]+` does not match `+`;
    // .NET's Regex.Replace gives "+19998887777", which is what the evaluator returns.
    assert_ne!(
        run(
            r#"Replace([mobile], , "[()\\s-]+", , "", , )"#,
            json!({"mobile": "+1 (999) 888-7777"})
        ),
        Value::str("19998887777")
    );
}

#[test]
fn select_unique_value() {
    let e = r#"SelectUniqueValue(
        Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"),
        Join("@", NormalizeDiacritics(StripSpaces(Join(".",  Mid([PreferredFirstName], 1, 1), [PreferredLastName]))), "contoso.com"),
        Join("@", NormalizeDiacritics(StripSpaces(Join(".",  Mid([PreferredFirstName], 1, 2), [PreferredLastName]))), "contoso.com")
    )"#;
    // Offline there is no target to check uniqueness against: the first candidate is returned.
    assert_str(
        e,
        json!({"PreferredFirstName": "John", "PreferredLastName": "Smith"}),
        "John.Smith@contoso.com",
    );
}

#[test]
fn split_returns_every_piece_untrimmed() {
    // The documentation shows ["PermissionSetOne", "PermissionSetTwo"], dropping the space after
    // the comma; a plain split (as .NET String.Split does) keeps it.
    assert_eq!(
        run(
            r#"Split([extensionAttribute5], ",")"#,
            json!({"extensionAttribute5": "PermissionSetOne, PermissionSetTwo"})
        ),
        Value::Multi(vec!["PermissionSetOne".into(), " PermissionSetTwo".into()])
    );
    assert_eq!(
        run(
            r#"Split([extensionAttribute5], ",")"#,
            json!({"extensionAttribute5": "PermissionSetOne,PermissionSetTwo"})
        ),
        Value::Multi(vec!["PermissionSetOne".into(), "PermissionSetTwo".into()])
    );
}

#[test]
fn switch_examples() {
    let tz = r#"Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")"#;
    assert_str(tz, json!({"state": "QLD"}), "Australia/Brisbane");
    assert_str(tz, json!({"state": "WA"}), "Australia/Sydney");
    let lower = r#"Switch(ToLower([statusFlag]), "0", "true", "1", "false", "0")"#;
    assert_str(lower, json!({"statusFlag": "TRUE"}), "1");
    assert_str(lower, json!({"statusFlag": "False"}), "0");
    let empty_key = r#"Switch([statusFlag], "Default Value", "true", "1", "", "0")"#;
    assert_str(empty_key, json!({"statusFlag": ""}), "0");
    assert_str(empty_key, json!({"statusFlag": "maybe"}), "Default Value");
    // The documented IIF rewrite gives the same results.
    let iif = r#"IIF([companyName] = "Company A", "A", IIF([companyName] = "Company B", "B", "External"))"#;
    for (company, expected) in [("Company A", "A"), ("Company B", "B"), ("Contoso", "External")] {
        assert_str(iif, json!({"companyName": company}), expected);
    }
    // The same section spells it `switch(...)`: function names are case-sensitive.
    let e = parse(r#"switch([companyName], "External", "Company A", "A", "Company B", "B")"#).unwrap();
    let err = evaluate(&e, &Input::new(), &mut env_at(2021, 1, 1, 0, 0, 0)).unwrap_err();
    assert_eq!(err.span, 0..6);
    assert_eq!(suggest("switch"), Some("Switch"));
}

#[test]
fn to_lower_join_upn() {
    assert_str(
        r#"ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"))"#,
        json!({"PreferredFirstName": "John", "PreferredLastName": "Smith"}),
        "john.smith@contoso.com",
    );
}

#[test]
fn word() {
    assert_str(r#"Word("The quick brown fox",3," ")"#, json!({}), "brown");
    assert_str(r#"Word("This,string!has&many separators",3,",!&#")"#, json!({}), "has");
}

#[test]
fn id_from_object_id() {
    // The documented input is the placeholder GUID; the documented output corresponds to this id.
    assert_str(
        r#"Join("", 1000, Replace(ConvertToUTF8Hex([objectId]), , "[a-zA-Z_]*", , "", , ))"#,
        json!({"objectId": "d05e47b1-3909-445a-ba5e-ca60cbc0e4b4"}),
        "100064303565343762312333930392343435612626135652636136306362633065346234",
    );
}

#[test]
fn app_role_functions() {
    let input = json!({"appRoleAssignments": [
        {"id": "06b07648-ecfe-589f-9d2f-6325724a46ee", "value": "Admin", "displayName": "Admin"},
        {"id": "06b07648-ecfe-599f-9d2f-6325724a46ee", "value": "User", "displayName": "User"}
    ]});
    assert_eq!(
        run("AppRoleAssignmentsComplex([appRoleAssignments])", input.clone()).to_json(),
        json!([
            {"primary": false, "type": "WindowsAzureActiveDirectoryRole", "display": "Admin", "value": "Admin"},
            {"primary": false, "type": "WindowsAzureActiveDirectoryRole", "display": "User", "value": "User"}
        ])
    );
    assert_str("SingleAppRoleAssignment([appRoleAssignments])", input, "Admin");
}

#[test]
fn cloud_sync_reference_examples() {
    assert_str(
        r#"ConvertFromBase64("SABlAGwAbABvACAAdwBvAHIAbABkACEA")"#,
        json!({}),
        "Hello world!",
    );
    assert_str(
        r#"ConvertFromBase64("SGVsbG8gd29ybGQh", UTF8)"#,
        json!({}),
        "Hello world!",
    );
    assert_str(
        "DNComponent(CRef([dn]),1)",
        json!({"dn": "cn=Joe,ou=Staff,dc=contoso,dc=com"}),
        "Joe",
    );
    assert_str(r#"Trim(" Test ")"#, json!({}), "Test");
    assert_eq!(
        run(
            "Trim([proxyAddresses])",
            json!({"proxyAddresses": [" smtp:a@x.com ", "SMTP:b@x.com "]})
        ),
        Value::Multi(vec!["smtp:a@x.com".into(), "SMTP:b@x.com".into()])
    );
    let e = r#"IIF(IsPresent([accountName]),[accountName],Error("AccountName is required"))"#;
    assert_str(e, json!({"accountName": "jdoe"}), "jdoe");
    let err = evaluate(&parse(e).unwrap(), &Input::new(), &mut env_at(2021, 1, 1, 0, 0, 0)).unwrap_err();
    assert!(err.message.contains("AccountName is required"));
    // `&` concatenation is Cloud Sync only; app provisioning rejects it with a hint.
    let err = parse(r#"IIF([employeeType]="Intern","t-" & [alias],[alias])"#).unwrap_err();
    assert_eq!(err.span, 33..34);
    assert!(err.help.unwrap().contains("Join"));
}

#[test]
fn examples_print_canonically() {
    assert_eq!(
        print(&parse(r#"Replace([mail], "@contoso.com", , ,"", ,)"#).unwrap()),
        r#"Replace([mail], "@contoso.com", , , "", , )"#
    );
}
