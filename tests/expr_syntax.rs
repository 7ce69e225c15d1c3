//! Parser, printer, error spans, limits and JSON-embedded positions, through the public API.

use std::time::{Duration, Instant};

use mapping_lint::expr::{Arg, Expr, MAX_NESTING, ParseErrorKind, decode_json_string, parse, print};
use mapping_lint::span::FileSpan;

/// Runs `f` on a thread with a 2 MB stack, the size the brief requires the parser to survive.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn round_trips_of_real_expressions() {
    for src in [
        "[mail]",
        r#""true""#,
        "Not([IsSoftDeleted])",
        r#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#,
        r#"Replace([preferredLanguage], "-", , , "_", , )"#,
        r#"Join(" ", [givenName], [surname])"#,
        r#"Append(Append(Left(Trim([displayName]), 51), "_"), Mid([objectId], 25, 12))"#,
        r#"IIF(BitAnd([userAccountControl], 2) = "0", "True", "False")"#,
        r#"InStr("repEated", "e", 3, vbBinaryCompare)"#,
        r#"DateAdd("d", -10, CDate([StatusHireDate]))"#,
        "BitAnd(&HF, &HF7)",
        "[extension_8a3b1c_costCenter.value:x]",
        r#""Company name: \"Contoso\" \\""#,
        "Guid()",
        "F(, )",
    ] {
        let tree = parse(src).unwrap_or_else(|e| panic!("{src}: {e}"));
        assert_eq!(print(&tree), src, "canonical form");
        assert!(parse(&print(&tree)).unwrap().eq_ignoring_spans(&tree));
    }
}

#[test]
fn whitespace_and_layout_do_not_matter() {
    let a = parse("Switch(\r\n\t[IsSoftDeleted] ,\n ,\"False\",\"True\",\n\"True\" , \"False\"\n)").unwrap();
    let b = parse(r#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#).unwrap();
    assert!(a.eq_ignoring_spans(&b));
    assert_eq!(print(&a), print(&b));
}

#[test]
fn spans_point_at_the_source_text() {
    let src = r#"Join(", ", "", [surname], Mid([givenName], 1, 3))"#;
    let tree = parse(src).unwrap();
    for node in tree.nodes() {
        let text = &src[node.span()];
        assert_eq!(parse(text).unwrap().span(), 0..text.len(), "{text}");
        assert!(parse(text).unwrap().eq_ignoring_spans(node));
    }
    let names: Vec<&str> = tree.calls().map(|c| &src[*c.name_span]).collect();
    assert_eq!(names, ["Join", "Mid"]);
    let attrs: Vec<&str> = tree.attributes().map(|(_, s)| &src[*s]).collect();
    assert_eq!(attrs, ["[surname]", "[givenName]"]);
}

#[test]
fn error_messages_and_spans() {
    let cases: &[(&str, ParseErrorKind, &str)] = &[
        ("Append([mail], \"x", ParseErrorKind::UnterminatedString, "\"x"),
        (
            "Append([mail, \"x\")",
            ParseErrorKind::UnterminatedAttribute,
            "[mail, \"x\")",
        ),
        ("Not([IsSoftDeleted]", ParseErrorKind::MissingCloseParen, "Not("),
        ("Item(Split([a], \",\")[1], 1)", ParseErrorKind::Indexing, "[1]"),
        ("Split([a], \",\")[1]", ParseErrorKind::Indexing, "[1]"),
        ("Not([a])) ", ParseErrorKind::TrailingInput, ") "),
        ("Join(\",\" [a])", ParseErrorKind::UnexpectedToken, "[a]"),
        ("IIF([a] = [b] = [c], 1, 2)", ParseErrorKind::ChainedComparison, "="),
        ("Mid([a], 1.5, 2)", ParseErrorKind::InvalidNumber, "1.5"),
        ("IIF([a] == \"x\", 1, 2)", ParseErrorKind::UnsupportedOperator, "=="),
        ("Join(\"\", \"a\" & \"b\")", ParseErrorKind::UnsupportedOperator, "&"),
        ("Not([])", ParseErrorKind::EmptyAttribute, "[]"),
        ("Not(#)", ParseErrorKind::UnexpectedChar, "#"),
        ("", ParseErrorKind::Empty, ""),
        ("Not(Zoë)", ParseErrorKind::UnexpectedChar, "ë"),
    ];
    for (src, kind, at) in cases {
        let e = parse(src).expect_err(src);
        assert_eq!(e.kind, *kind, "{src}: {e}");
        assert_eq!(&src[e.span], *at, "{src}: {e}");
    }
    let e = parse("Split([a], \",\")[1]").unwrap_err();
    assert_eq!(e.to_string(), "indexing a result with `[…]` is not supported");
    assert!(e.help.unwrap().contains("Item("));
}

#[test]
fn hundred_thousand_nested_calls_fail_fast_on_a_small_stack() {
    let (kind, message, span, elapsed) = on_small_stack(|| {
        let src = format!("{}[x]{}", "Not(".repeat(100_000), ")".repeat(100_000));
        let start = Instant::now();
        let e = parse(&src).unwrap_err();
        (e.kind, e.message, e.span, start.elapsed())
    });
    assert_eq!(kind, ParseErrorKind::TooDeep);
    assert_eq!(
        message,
        format!("expression is nested too deeply (limit {MAX_NESTING} levels)")
    );
    assert_eq!(span, 4 * MAX_NESTING..4 * MAX_NESTING + 4);
    assert!(elapsed < Duration::from_secs(1), "{elapsed:?}");
    // Unclosed, and the deepest legal expression still works on the same stack.
    let kind = on_small_stack(|| parse(&"Not(".repeat(100_000)).unwrap_err().kind);
    assert_eq!(kind, ParseErrorKind::TooDeep);
    let depth = on_small_stack(|| {
        let src = format!("{}[x]{}", "Not(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        let tree = parse(&src).unwrap();
        assert_eq!(print(&tree), src);
        tree.depth()
    });
    assert_eq!(depth, MAX_NESTING + 1);
}

#[test]
fn pathological_flat_inputs_are_linear() {
    for src in [
        "(".repeat(1_000_000),
        ",".repeat(1_000_000),
        format!("F({})", ",".repeat(1_000_000)),
        "[".repeat(1_000_000),
        "\"".repeat(1_000_001),
    ] {
        let start = Instant::now();
        let _ = parse(&src);
        assert!(start.elapsed() < Duration::from_secs(3), "{:?}", start.elapsed());
    }
    // A million empty arguments is valid, and kept.
    let tree = parse(&format!("F({})", ",".repeat(100_000))).unwrap();
    assert_eq!(tree.as_call().unwrap().args.len(), 100_001);
}

#[test]
fn ten_megabyte_string_constant() {
    let mut body = "a".repeat(10 * 1024 * 1024);
    body.push_str(r#"\"quoted\" and \\ backslash"#);
    let src = format!(r#"Append("{body}", [x])"#);
    let start = Instant::now();
    let tree = parse(&src).unwrap();
    let elapsed = start.elapsed();
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    let Some(Arg::Expr(Expr::Str { value, span })) = tree.as_call().unwrap().args.first() else {
        panic!()
    };
    assert_eq!(value.len(), 10 * 1024 * 1024 + 24);
    assert!(value.ends_with(r#""quoted" and \ backslash"#));
    assert_eq!(span.clone(), 7..7 + body.len() + 2);
    let printed = print(&tree);
    assert_eq!(printed, src);
}

#[test]
fn expression_spans_map_into_the_json_file() {
    // An attribute mapping as it appears in an export, with escapes before the interesting part.
    let file = r#"{ "expression": "Join(\"\u00e9\\\\\", [givenName], Mid([surname], 1))", "x": 1 }"#;
    let literal_start = file.find("\"Join").unwrap();
    let literal_end = file[literal_start + 1..].find("\", \"x\"").unwrap() + literal_start + 2;
    let raw = &file[literal_start..literal_end];
    let literal = FileSpan::new(literal_start, literal_end);
    let (text, map) = decode_json_string(raw).unwrap();
    assert_eq!(text, r#"Join("é\\", [givenName], Mid([surname], 1))"#);
    let tree = parse(&text).unwrap();
    let problem = &mapping_lint::expr::check_arity_all(&tree)[0];
    let file_span = map.to_file_span(literal, problem.span);
    assert_eq!(&file[file_span], ")");
    let (_, given) = tree.attributes().next().unwrap();
    assert_eq!(&file[map.to_file_span(literal, *given)], "[givenName]");
    let separator = tree.as_call().unwrap().args[0].span();
    assert_eq!(&file[map.to_file_span(literal, separator)], r#"\"\u00e9\\\\\""#);
    let mid = tree.calls().nth(1).unwrap();
    assert_eq!(&file[map.to_file_span(literal, *mid.name_span)], "Mid");
}
