use super::*;
use crate::expr::parser::parse;
use serde_json::json;

fn env() -> FixedEnvironment {
    FixedEnvironment::new(DateTime::from_parts(2021, 7, 2, 15, 33, 38, 0).unwrap(), 42)
}

fn eval_with(src: &str, input: Json) -> Result<Value, EvalError> {
    let expr = parse(src).unwrap();
    evaluate(&expr, &Input::from_json(&input).unwrap(), &mut env())
}

fn ok(src: &str, input: Json) -> Value {
    eval_with(src, input).unwrap_or_else(|e| panic!("{src}: {e}"))
}

fn s(src: &str) -> String {
    match ok(src, json!({})) {
        Value::Str(s) => s,
        other => panic!("{src}: {other:?}"),
    }
}

fn err(src: &str, input: Json) -> EvalError {
    eval_with(src, input).expect_err(src)
}

#[test]
fn input_conversion() {
    let input = Input::from_json(&json!({
        "a": "x", "b": ["p", 1, true, null], "c": null, "d": false, "e": 12.5,
        "roles": [{"value": "Admin"}]
    }))
    .unwrap();
    assert_eq!(input.get("a"), Some(&Value::str("x")));
    assert_eq!(
        input.get("b"),
        Some(&Value::Multi(vec!["p".into(), "1".into(), "True".into()]))
    );
    assert_eq!(input.get("c"), Some(&Value::Null));
    assert_eq!(input.get("d"), Some(&Value::str("False")));
    assert_eq!(input.get("e"), Some(&Value::str("12.5")));
    assert!(matches!(input.get("roles"), Some(Value::Complex(v)) if v.len() == 1));
    assert!(Input::from_json(&json!([1])).is_err());
    assert!(Input::from_json(&json!({"x": [[1]]})).is_err());
    assert!(Input::from_json(&json!({"x": ["a", {"b": 1}]})).is_err());
    assert_eq!(Value::Multi(vec!["a".into()]).to_json(), json!(["a"]));
    assert_eq!(Value::Null.to_json(), json!(null));
}

#[test]
fn not_and_switch_null_behaviour() {
    let not = "Not([IsSoftDeleted])";
    assert_eq!(ok(not, json!({"IsSoftDeleted": true})), Value::str("False"));
    assert_eq!(ok(not, json!({"IsSoftDeleted": false})), Value::str("True"));
    assert_eq!(ok(not, json!({})), Value::str("True"));
    assert_eq!(ok(not, json!({"IsSoftDeleted": "true"})), Value::str("True"));
    let sw = r#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#;
    assert_eq!(ok(sw, json!({"IsSoftDeleted": "True"})), Value::str("False"));
    assert_eq!(ok(sw, json!({"IsSoftDeleted": "False"})), Value::str("True"));
    assert_eq!(ok(sw, json!({})), Value::Null);
    let sw = r#"Switch([statusFlag], "Default Value", "true", "1", "", "0")"#;
    assert_eq!(ok(sw, json!({})), Value::str("0"));
    assert_eq!(ok(sw, json!({"statusFlag": ""})), Value::str("0"));
    assert_eq!(ok(sw, json!({"statusFlag": "TRUE"})), Value::str("Default Value"));
    // Only the matching value is evaluated.
    assert_eq!(
        ok(r#"Switch("a", , "a", "hit", "b", Error("no"))"#, json!({})),
        Value::str("hit")
    );
}

#[test]
fn iif_conditions() {
    let e = r#"IIF([country]="USA",[country],[department])"#;
    assert_eq!(
        ok(e, json!({"country": "USA", "department": "Sales"})),
        Value::str("USA")
    );
    assert_eq!(
        ok(e, json!({"country": "DE", "department": "Sales"})),
        Value::str("Sales")
    );
    // Null or empty operands make the condition check fail.
    assert_eq!(ok(e, json!({"department": "Sales"})), Value::str("Sales"));
    assert_eq!(ok(r#"IIF([c]="","Other",[c])"#, json!({"c": ""})), Value::str(""));
    // …but a literal "" is just a string: the attribute's value decides.
    assert_eq!(
        ok(r#"IIF([c]<>"","has","none")"#, json!({"c": "US"})),
        Value::str("has")
    );
    assert_eq!(ok(r#"IIF([c]<>"","has","none")"#, json!({"c": ""})), Value::str("none"));
    assert_eq!(ok(r#"IIF([c]<>"","has","none")"#, json!({})), Value::str("none"));
    assert_eq!(
        ok(r#"IIF([c]="","empty","other")"#, json!({"c": "US"})),
        Value::str("other")
    );
    assert_eq!(
        ok(r#"IIF([n] > 5, "big", "small")"#, json!({"n": "10"})),
        Value::str("big")
    );
    assert_eq!(
        ok(r#"IIF([n] > 5, "big", "small")"#, json!({"n": "4"})),
        Value::str("small")
    );
    assert_eq!(ok(r#"IIF([n] >= "b", "y", "n")"#, json!({"n": "c"})), Value::str("y"));
    assert_eq!(ok(r#"IIF([n] <> "x", "y", "n")"#, json!({"n": "c"})), Value::str("y"));
    assert_eq!(ok(r#"IIF([n] <= 10, "y", "n")"#, json!({"n": "9"})), Value::str("y"));
    assert_eq!(ok(r#"IIF([n] < 10, "y", "n")"#, json!({"n": "10"})), Value::str("n"));
    assert_eq!(
        ok(r#"IIF(IsPresent([x]), "y", "n")"#, json!({"x": "v"})),
        Value::str("y")
    );
    assert_eq!(ok(r#"IIF("1", "y", Error("lazy"))"#, json!({})), Value::str("y"));
    let e = err(r#"IIF("maybe", "y", "n")"#, json!({}));
    assert_eq!(e.span, ExprSpan::new(4, 11));
    assert_eq!(s(r#"CBool("a" = "a")"#), "True");
    assert_eq!(s(r#"CBool(0)"#), "False");
    assert_eq!(s(r#"CBool(-1)"#), "True");
    assert_eq!(s(r#"CBool("True")"#), "True");
    assert_eq!(s(r#"CStr([a] = "b")"#), "False");
}

#[test]
fn presence_functions() {
    let input = json!({"e": "", "v": "x", "m": [], "n": null});
    for (attr, is_null, null_or_empty) in [
        ("e", false, true),
        ("v", false, false),
        ("m", true, true),
        ("n", true, true),
        ("absent", true, true),
    ] {
        assert_eq!(
            ok(&format!("IsNull([{attr}])"), input.clone()),
            Value::bool(is_null),
            "{attr}"
        );
        assert_eq!(
            ok(&format!("IsNothing([{attr}])"), input.clone()),
            Value::bool(is_null),
            "{attr}"
        );
        assert_eq!(
            ok(&format!("IsNullOrEmpty([{attr}])"), input.clone()),
            Value::bool(null_or_empty),
            "{attr}"
        );
        assert_eq!(
            ok(&format!("IsPresent([{attr}])"), input.clone()),
            Value::bool(!null_or_empty),
            "{attr}"
        );
    }
    assert_eq!(ok("IsString([v])", input.clone()), Value::bool(true));
    assert_eq!(ok("IsString([n])", input.clone()), Value::bool(false));
    assert_eq!(ok("IgnoreFlowIfNullOrEmpty([e])", input.clone()), Value::Null);
    assert_eq!(ok("IgnoreFlowIfNullOrEmpty([v])", input.clone()), Value::str("x"));
    assert_eq!(ok("Coalesce([n], [m], [e], [v])", input.clone()), Value::str(""));
    assert_eq!(ok("Coalesce([n], [absent])", input), Value::Null);
}

#[test]
fn strings_and_lists() {
    assert_eq!(s(r#"Left("John Doe", 0)"#), "");
    assert_eq!(s(r#"Left("John Doe", -1)"#), "John Doe");
    assert_eq!(s(r#"Left("Jo", 5)"#), "Jo");
    assert_eq!(ok("Left([x], 2)", json!({})), Value::str(""));
    assert_eq!(s(r#"Mid("Zoë Smith", 3, 100)"#), "ë Smith");
    assert_eq!(s(r#"Mid("abc", 5, 1)"#), "");
    assert_eq!(ok("Mid([x], 1, 1)", json!({})), Value::Null);
    assert_eq!(err(r#"Mid("abc", 0, 1)"#, json!({})).span, ExprSpan::new(11, 12));
    assert_eq!(err(r#"Mid("abc", 1, -1)"#, json!({})).span, ExprSpan::new(14, 16));
    assert_eq!(s(r#"InStr("The quick brown fox","quick")"#), "5");
    assert_eq!(s(r#"InStr("abc","z")"#), "0");
    assert_eq!(s(r#"InStr("repEated","e",3,vbTextCompare)"#), "4");
    assert_eq!(s(r#"InStr("abc","",2)"#), "2");
    assert_eq!(s(r#"InStr("abc","c",9)"#), "0");
    assert_eq!(s(r#"Word("a,,b", 2, ",")"#), "b");
    assert_eq!(s(r#"Word("a b", 0, " ")"#), "");
    assert_eq!(s(r#"Word("a b", 3, " ")"#), "");
    assert_eq!(ok(r#"Word([x], 1, " ")"#, json!({})), Value::str(""));
    assert_eq!(s(r#"StripSpaces(" a b ")"#), "ab");
    assert_eq!(s("Trim(\"  a b \t\")"), "a b");
    // `\t` is not an escape in this language: it stays a backslash and a `t`.
    assert_eq!(s(r#"Trim(" a\t")"#), "a\\t");
    assert_eq!(
        ok("Trim([p])", json!({"p": [" a ", "b "]})),
        Value::Multi(vec!["a".into(), "b".into()])
    );
    assert_eq!(
        ok("ToUpper([p])", json!({"p": ["a", "b"]})),
        Value::Multi(vec!["A".into(), "B".into()])
    );
    assert_eq!(s(r#"ToLower("ÀB")"#), "àb");
    assert_eq!(s(r#"Append("a", "b")"#), "ab");
    assert_eq!(ok(r#"Append([x], ".test")"#, json!({})), Value::str(".test"));
    assert_eq!(s(r#"Prepend("pre-", "x")"#), "pre-x");
    assert_eq!(
        ok(r#"Split([x], ",")"#, json!({"x": "a,b,,c"})),
        Value::Multi(vec!["a".into(), "b".into(), "".into(), "c".into()])
    );
    assert_eq!(ok(r#"Split([x], ",")"#, json!({})), Value::Null);
    assert_eq!(s(r#"Item(Split("a,b,c", ","), 2)"#), "b");
    assert_eq!(s(r#"Count(Split("a,b,c", ","))"#), "3");
    assert_eq!(ok("Count([x])", json!({})), Value::str("0"));
    let e = err(r#"Item(Split("a,b", ","), 3)"#, json!({}));
    assert!(e.message.contains("out of range"), "{}", e.message);
    assert_eq!(e.span, ExprSpan::new(24, 25));
    assert!(
        err(r#"Item(Split("a,b", ","), 0)"#, json!({}))
            .message
            .contains("1-based")
    );
    assert!(
        err(r#"Item(Split("a,b", ","), 99999999999999999999)"#, json!({}))
            .message
            .contains("not an integer")
    );
    assert_eq!(
        ok("RemoveDuplicates([p])", json!({"p": ["a", "b", "a", "c", "b"]})),
        Value::Multi(vec!["a".into(), "b".into(), "c".into()])
    );
    assert_eq!(
        ok(r#"Join(";", [p], "z")"#, json!({"p": ["a", "", "b"]})),
        Value::str("a;b;z")
    );
    assert_eq!(s(r#"Contains(Split("x,SMTP:a,y", ","), "SMTP:")"#), "2");
    assert_eq!(s(r#"Contains(Split("x,smtp:a", ","), "SMTP:", vbTextCompare)"#), "2");
    assert_eq!(s(r#"Contains(Split("x,smtp:a", ","), "SMTP:")"#), "0");
    assert_eq!(s(r#"DNComponent("CN=Joe\, Jr,OU=Staff,DC=contoso", 1)"#), "Joe, Jr");
    assert_eq!(s(r#"DNComponent("CN=Joe,OU=Staff,DC=contoso", 2)"#), "Staff");
    assert_eq!(ok(r#"DNComponent("CN=Joe", 5)"#, json!({})), Value::Null);
    assert_eq!(s(r#"CStr(&HF)"#), "15");
    assert_eq!(s(r#"BitAnd([uac], 2)"#.replace("[uac]", "514").as_str()), "2");
    assert_eq!(
        s(r#"StringFromSID("AQUAAAAAAAUVAAAA3PTcO4M9K0aCi6YoAAIAAA==")"#),
        "S-1-5-21-1004336348-1177238915-682003330-512"
    );
    assert_eq!(s(r#"StringFromSID("S-1-5-32-544")"#), "S-1-5-32-544");
    assert_eq!(s(r#"ConvertFromBase64("SGVsbG8gd29ybGQh", UTF8)"#), "Hello world!");
}

#[test]
fn format_date_time_styles() {
    // An empty slot and an explicit "" both mean the engine default, which tolerates white space.
    for styles in ["", "\"\""] {
        let e = format!(r#"FormatDateTime(" 2020-01-02 ", {styles}, "yyyy-MM-dd", "dd.MM.yyyy")"#);
        assert_eq!(s(&e), "02.01.2020", "{e}");
    }
    assert!(
        eval_with(
            r#"FormatDateTime(" 2020-01-02", "None", "yyyy-MM-dd", "dd.MM.yyyy")"#,
            json!({})
        )
        .is_err()
    );
    assert_eq!(
        s(
            r#"FormatDateTime("2020-12-31T22:00:00-08:00", "AdjustToUniversal", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd HH:mm K")"#
        ),
        "2021-01-01 06:00 Z"
    );
    assert_eq!(
        s(r#"FormatDateTime("2020-12-31T22:00:00-08:00", , "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd HH:mm K")"#),
        "2021-01-01 06:00 +00:00"
    );
    // Issue 14 §3: RoundtripKind on a UTC server converts an offset to UTC (the lifecycle
    // workflows documentation's hire date, and a date that moves to the previous day).
    assert_eq!(
        s(r#"FormatDateTime("2023-04-03-07:00", , "yyyy-MM-ddzzz", "yyyyMMddHHmmss.fZ")"#),
        "20230403070000.0Z"
    );
    assert_eq!(
        s(r#"FormatDateTime("2021-06-30+08:00", , "yyyy-MM-ddzzz", "yyyy-MM-dd")"#),
        "2021-06-29"
    );
    // `Z` stays UTC, no zone stays as written.
    assert_eq!(
        s(r#"FormatDateTime("2021-06-30T01:00:00Z", , "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-dd HH:mm K")"#),
        "2021-06-30 01:00 Z"
    );
    assert_eq!(
        s(r#"FormatDateTime("2021-06-30 01:00", , "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm")"#),
        "2021-06-30 01:00"
    );
    // CDate, NumFromDate and DateAdd follow the same rule.
    assert_eq!(s(r#"CDate("2021-06-30+08:00")"#), "6/29/2021 4:00:00 PM");
    assert_eq!(s(r#"DateAdd("d", 1, "2021-06-30+08:00")"#), "6/30/2021 4:00:00 PM");
    assert_eq!(
        s(r#"NumFromDate("2021-06-30T00:00:00+08:00")"#),
        s(r#"NumFromDate("2021-06-29T16:00:00Z")"#)
    );
    assert_eq!(
        ok(
            r#"FormatDateTime([d], , "yyyyMMdd", "yyyy-MM-dd")"#,
            json!({"d": ["20200102", "20211231"]})
        ),
        Value::Multi(vec!["2020-01-02".into(), "2021-12-31".into()])
    );
    assert_eq!(
        ok(r#"FormatDateTime([d], , "yyyyMMdd", "yyyy-MM-dd")"#, json!({})),
        Value::Null
    );
}

#[test]
fn multi_values_are_rejected_where_one_is_needed() {
    let e = err(r#"Append([p], "x")"#, json!({"p": ["a", "b"]}));
    assert!(e.message.contains("multi-valued"), "{}", e.message);
    assert_eq!(e.span, ExprSpan::new(7, 10));
    assert_eq!(ok(r#"Append([p], "x")"#, json!({"p": ["a"]})), Value::str("ax"));
}

#[test]
fn environment_functions_are_deterministic() {
    assert_eq!(s("Now()"), "7/2/2021 3:33:38 PM");
    let g = s("Guid()");
    let parts: Vec<_> = g.split('-').map(str::len).collect();
    assert_eq!(parts, [8, 4, 4, 4, 12]);
    assert!(
        g.chars()
            .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    );
    assert_eq!(g.as_bytes()[14], b'4', "version 4");
    assert_eq!(s("Guid()"), g, "same seed, same GUID");
    let mut other = FixedEnvironment::new(DateTime::from_ticks(0).unwrap(), 7);
    let second = evaluate(&parse("Guid()").unwrap(), &Input::new(), &mut other).unwrap();
    assert_ne!(second, Value::Str(g));
    assert!(err("DefaultDomain()", json!({})).message.contains("default domain"));
    let mut with_domain = env().with_default_domain("contoso.onmicrosoft.com");
    assert_eq!(
        evaluate(&parse("DefaultDomain()").unwrap(), &Input::new(), &mut with_domain).unwrap(),
        Value::str("contoso.onmicrosoft.com")
    );
    let mut sys = SystemEnvironment::new();
    let now = evaluate(&parse("Now()").unwrap(), &Input::new(), &mut sys).unwrap();
    assert!(matches!(now, Value::Str(s) if s.ends_with('M')));
}

#[test]
fn random_string_meets_its_minimums() {
    for seed in 0..50 {
        let mut e = FixedEnvironment::new(DateTime::from_ticks(0).unwrap(), seed);
        let expr = parse(r#"RandomString(10,2,2,2,1,"?,")"#).unwrap();
        let Value::Str(r) = evaluate(&expr, &Input::new(), &mut e).unwrap() else {
            panic!()
        };
        assert_eq!(r.chars().count(), 10);
        assert!(r.chars().filter(char::is_ascii_digit).count() >= 2, "{r}");
        assert!(r.chars().filter(char::is_ascii_uppercase).count() >= 2, "{r}");
        assert!(r.chars().filter(char::is_ascii_lowercase).count() >= 1, "{r}");
        assert!(r.chars().filter(|c| !c.is_ascii_alphanumeric()).count() >= 2, "{r}");
        assert!(!r.contains('?') && !r.contains(','), "{r}");
    }
    assert_eq!(s("RandomString(6,3,0,0,3)").len(), 6);
    assert!(
        err("RandomString(3,2,2,0,0)", json!({}))
            .message
            .contains("more than the length")
    );
    assert!(
        err("RandomString(300,0,0,0,0)", json!({}))
            .message
            .contains("between 0 and 256")
    );
    assert!(err(r#"RandomString(2,0,0,0,0,"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ~!@#$%^&*_-+=`|\\(){}[]:;\"'<>,.?/")"#, json!({})).message.contains("every character"));
}

#[test]
fn app_roles() {
    let input = json!({"appRoleAssignments": [
        {"value": "Admin", "displayName": "Administrator", "appRoleId": "1"},
        {"value": "User", "displayName": "User"}
    ]});
    assert_eq!(
        ok("SingleAppRoleAssignment([appRoleAssignments])", input.clone()),
        Value::str("Admin")
    );
    assert_eq!(
        ok("AppRoleAssignments([appRoleAssignments])", input.clone()),
        Value::Multi(vec!["Admin".into(), "User".into()])
    );
    let complex = ok("AppRoleAssignmentsComplex([appRoleAssignments])", input.clone());
    assert_eq!(
        complex.to_json(),
        json!([
            {"primary": false, "type": "WindowsAzureActiveDirectoryRole", "display": "Administrator", "value": "Admin"},
            {"primary": false, "type": "WindowsAzureActiveDirectoryRole", "display": "User", "value": "User"}
        ])
    );
    assert_eq!(
        ok(
            "AssertiveAppRoleAssignmentsComplex([appRoleAssignments])",
            input.clone()
        ),
        complex
    );
    assert_eq!(
        ok("SingleAppRoleAssignment([appRoleAssignments])", json!({})),
        Value::Null
    );
    assert!(
        err("SingleAppRoleAssignment([r])", json!({"r": [{"id": "x"}]}))
            .message
            .contains("value")
    );
    assert!(
        err("Join(\",\", [appRoleAssignments])", input)
            .message
            .contains("complex")
    );
}

#[test]
fn errors_carry_spans() {
    let e = err("Frobnicate([a])", json!({}));
    assert_eq!(
        (e.span.range(), e.message.as_str()),
        (0..10, "unknown function `Frobnicate`")
    );
    let e = err("toLower([a])", json!({}));
    assert!(e.message.ends_with("did you mean `ToLower`?"));
    let e = err("Mid([a], 1)", json!({}));
    assert_eq!(e.span, ExprSpan::new(10, 11));
    let e = err("Append([a], True)", json!({}));
    assert!(e.message.contains("booleans are written as strings"));
    assert_eq!(e.span, ExprSpan::new(12, 16));
    let e = err(r#"Join("", Error("custom"))"#, json!({}));
    assert_eq!((e.message.as_str(), e.span.range()), ("Error(): custom", 9..24));
    let e = err(r#"Replace([a], , "(", , "x", , )"#, json!({"a": "b"}));
    assert!(e.message.starts_with("invalid regular expression"));
    assert_eq!(e.span, ExprSpan::new(15, 18));
    let e = err(r#"Replace([a], , "(x)", "nope", "y", , )"#, json!({"a": "b"}));
    assert_eq!(e.span, ExprSpan::new(22, 28));
    let e = err(r#"DateFromNum(2999999999999999999)"#, json!({}));
    assert!(e.message.contains("outside"));
    assert!(
        err(r#"DateFromNum(-999999999999999999)"#, json!({}))
            .message
            .contains("outside")
    );
    assert!(
        err(r#"DateFromNum(123456789012345678901234567890)"#, json!({}))
            .message
            .contains("not an integer")
    );
    assert!(
        err(r#"BitAnd(&HFFFFFFFFFFFFFFFFF, 1)"#, json!({}))
            .message
            .contains("too large")
    );
    assert!(
        err(r#"CDate("yesterday")"#, json!({}))
            .message
            .contains("not a recognised date")
    );
    let e = err(r#"FormatDateTime("2020", , "yyyy", "Q")"#, json!({}));
    assert_eq!(e.span, ExprSpan::new(33, 36));
    let e = err(r#"FormatDateTime("2020x", , "yyyy", "yyyy")"#, json!({}));
    assert_eq!(e.span, ExprSpan::new(15, 22));
    assert!(
        err(r#"FormatDateTime("2020", "Sometimes", "yyyy", "yyyy")"#, json!({}))
            .message
            .contains("DateTimeStyles")
    );
    assert!(
        err(r#"DateAdd("fortnight", 1, Now())"#, json!({}))
            .message
            .contains("interval")
    );
    assert!(
        err(r#"NumFromDate("1500-01-01")"#, json!({}))
            .message
            .contains("before 1601")
    );
}

#[test]
fn evaluation_depth_is_bounded_for_hand_built_trees() {
    let mut e = Expr::Attribute {
        name: "x".into(),
        span: ExprSpan::new(0, 3),
    };
    for _ in 0..MAX_NESTING + 1 {
        e = Expr::Call {
            name: "Not".into(),
            name_span: ExprSpan::new(0, 3),
            args: vec![Arg::Expr(e)],
            span: ExprSpan::new(0, 3),
        };
    }
    let r = evaluate(&e, &Input::new(), &mut env());
    assert!(r.unwrap_err().message.contains("nested too deeply"));
}

#[test]
fn maximum_nesting_evaluates_on_a_small_stack() {
    let src = format!(
        "{}[x]{}",
        "Not(Trim(".repeat(MAX_NESTING / 2),
        "))".repeat(MAX_NESTING / 2)
    );
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let expr = parse(&src).unwrap();
            evaluate(&expr, &Input::new(), &mut env()).unwrap()
        })
        .unwrap();
    // 32 Not/Trim pairs around a null: Not(null) is "True", and every further Not flips it.
    assert_eq!(handle.join().unwrap(), Value::str("False"));
}

fn nest(depth: usize, inner: &str, wrap: &str) -> String {
    (0..depth).fold(inner.to_string(), |acc, _| wrap.replace("{}", &acc))
}

fn stops_quickly(src: &str, input: Json) -> EvalError {
    let start = std::time::Instant::now();
    let e = err(src, input);
    assert!(
        start.elapsed() < std::time::Duration::from_secs(5),
        "{src}: took {:?}",
        start.elapsed()
    );
    assert!(e.message.starts_with("evaluation stopped"), "{src}: {}", e.message);
    e
}

#[test]
fn nested_whole_input_substitutions_stop_at_the_value_limit() {
    // Every `a` becomes the whole input: the size squares at every level.
    let src = nest(4, "[x]", r#"Replace({}, , "a", , "$_", , )"#);
    let e = stops_quickly(&src, json!({"x": "a".repeat(100)}));
    assert!(e.message.contains("1 MiB"), "{}", e.message);
    // The same through the template slot of the plain form.
    let src = nest(5, "[x]", r#"Replace({}, "a", , , , , "aaaaaaaaaa")"#);
    stops_quickly(&src, json!({"x": "a".repeat(100)}));
}

#[test]
fn forty_nested_doublings_stop_at_the_value_limit() {
    let src = nest(40, "[x]", r#"Replace({}, "a", , , "aa", , )"#);
    let e = stops_quickly(&src, json!({"x": "a"}));
    assert!(e.message.contains("larger than 1 MiB"), "{}", e.message);
    // Below the limit the same shape evaluates normally.
    let src = nest(10, "[x]", r#"Replace({}, "a", , , "aa", , )"#);
    assert_eq!(ok(&src, json!({"x": "a"})), Value::Str("a".repeat(1024)));
}

#[test]
fn many_large_values_cannot_add_up() {
    let big = "b".repeat(300_000);
    let src = r#"Join("", [x], [x], [x], [x], [x])"#;
    stops_quickly(src, json!({ "x": big }));
    let many: Vec<String> = (0..5).map(|_| big.clone()).collect();
    let src = r#"Replace([x], "b", , , "bb", , )"#;
    stops_quickly(src, json!({ "x": many }));
}

#[test]
fn backtracking_regexes_are_limited_to_small_inputs() {
    // A lookahead rescans the rest of the input at every position.
    let src = r#"Replace([x], , "a(?=.*c)", , "x", , )"#;
    stops_quickly(src, json!({"x": "a".repeat(200_000)}));
    let start = std::time::Instant::now();
    let v = ok(src, json!({"x": "a".repeat(replace::MAX_BACKTRACKING_INPUT)}));
    assert!(
        start.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(v, Value::Str("a".repeat(replace::MAX_BACKTRACKING_INPUT)));
    // A pattern the linear-time engine runs is not limited.
    let v = ok(r#"Replace([x], , "a+", , "x", , )"#, json!({"x": "a".repeat(200_000)}));
    assert_eq!(v, Value::str("x"));
}

#[test]
fn the_step_budget_is_shared_and_reported() {
    let expr = parse(r#"Join(" ", [a], [b], Append([a], "x"))"#).unwrap();
    let input = Input::from_json(&json!({"a": "1", "b": "2"})).unwrap();
    let mut budget = Budget::new(3);
    let e = evaluate_with(&expr, &input, &mut env(), &mut budget).unwrap_err();
    assert!(e.message.starts_with("evaluation stopped"), "{}", e.message);
    assert!(budget.exhausted());
    let mut budget = Budget::new(100);
    let v = evaluate_with(&expr, &input, &mut env(), &mut budget).unwrap();
    assert_eq!(v, Value::str("1 2 1x"));
    assert_eq!(budget.steps_left(), 100 - 7);
    assert!(!budget.exhausted());
    // A failure of the expression itself is not a budget failure.
    let mut budget = Budget::new(100);
    evaluate_with(&parse("Item([a], 0)").unwrap(), &input, &mut env(), &mut budget).unwrap_err();
    assert!(!budget.exhausted());
}
