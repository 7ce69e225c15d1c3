//! Property tests: the parser never panics and reports in-bounds spans, printing round-trips,
//! evaluation never panics, and JSON offset maps agree with serde_json.

use mapping_lint::expr::eval::datetime::DateTime;
use mapping_lint::expr::functions::FUNCTIONS;
use mapping_lint::expr::{Arg, CompareOp, Expr, FixedEnvironment, Input, decode_json_string, evaluate, parse, print};
use mapping_lint::span::{ExprSpan, FileSpan};
use proptest::prelude::*;
use serde_json::json;

// Leaf constructors: generated trees carry zero-width spans (`eq_ignoring_spans` compares them).

fn attr(name: String) -> Expr {
    Expr::Attribute {
        name,
        span: ExprSpan::empty(0),
    }
}

fn string(value: String) -> Expr {
    Expr::Str {
        value,
        span: ExprSpan::empty(0),
    }
}

fn number(text: String) -> Expr {
    Expr::Number {
        text,
        span: ExprSpan::empty(0),
    }
}

fn hex(text: String) -> Expr {
    Expr::Hex {
        text,
        span: ExprSpan::empty(0),
    }
}

fn symbol(name: String) -> Expr {
    Expr::Symbol {
        name,
        span: ExprSpan::empty(0),
    }
}

fn call(name: String, args: Vec<Option<Expr>>) -> Expr {
    // `Name()` is zero arguments: a single empty slot cannot be written.
    let args = if args.len() == 1 && args[0].is_none() {
        Vec::new()
    } else {
        args.into_iter()
            .map(|a| a.map_or(Arg::Empty(ExprSpan::empty(0)), Arg::Expr))
            .collect()
    };
    Expr::Call {
        name,
        name_span: ExprSpan::empty(0),
        args,
        span: ExprSpan::empty(0),
    }
}

fn compare(op: CompareOp, lhs: Expr, rhs: Expr) -> Expr {
    Expr::Compare {
        op,
        op_span: ExprSpan::empty(0),
        lhs: Box::new(lhs),
        rhs: Box::new(rhs),
        span: ExprSpan::empty(0),
    }
}

fn op() -> impl Strategy<Value = CompareOp> {
    prop::sample::select(vec![
        CompareOp::Eq,
        CompareOp::Ne,
        CompareOp::Lt,
        CompareOp::Le,
        CompareOp::Gt,
        CompareOp::Ge,
    ])
}

fn ident() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9_]{0,8}"
}

fn leaf() -> impl Strategy<Value = Expr> {
    prop_oneof![
        "[^\\]]{1,12}".prop_map(attr),
        "(?s).{0,12}".prop_map(string),
        "-?[0-9]{1,22}".prop_map(number),
        "&[Hh][0-9A-Fa-f]{1,18}".prop_map(hex),
        ident().prop_map(symbol),
    ]
}

/// Arbitrary trees of the grammar (comparison operands are never comparisons).
fn tree() -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(5, 64, 6, |inner| {
        let primary = inner.clone().prop_filter("comparison operands are primaries", |e| {
            !matches!(e, Expr::Compare { .. })
        });
        prop_oneof![
            (ident(), prop::collection::vec(prop::option::weighted(0.8, inner), 0..6)).prop_map(|(n, a)| call(n, a)),
            (op(), primary.clone(), primary).prop_map(|(o, l, r)| compare(o, l, r)),
        ]
    })
}

/// Text made of the language's tokens and near-misses, to reach deep into the parser.
fn token_soup() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "Not(",
        "Switch(",
        "Replace(",
        "IIF(",
        "(",
        ")",
        ",",
        " , ",
        "[mail]",
        "[a.b",
        "]",
        "\"x\"",
        "\"\\\"\"",
        "\"\\\\\"",
        "\"",
        "\\",
        "&HF7",
        "&H",
        "&",
        "-10",
        "-",
        "12",
        "1.5",
        "=",
        "<>",
        "<=",
        ">",
        "==",
        "!=",
        " ",
        "\n",
        "\t",
        "vbTextCompare",
        "é",
        "😀",
        "“",
        "[]",
        "'",
    ]);
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn assert_span(src: &str, span: ExprSpan) {
    assert!(span.start <= span.end && span.end <= src.len(), "{span:?} in {src:?}");
    assert!(
        src.is_char_boundary(span.start) && src.is_char_boundary(span.end),
        "{span:?} in {src:?}"
    );
}

fn check_parse_result(src: &str) {
    match parse(src) {
        Ok(tree) => {
            for node in tree.nodes() {
                let span = node.span();
                assert_span(src, span);
                for child in node.children() {
                    let c = child.span();
                    assert!(
                        span.start <= c.start && c.end <= span.end,
                        "child {c:?} outside {span:?}"
                    );
                }
                match node {
                    Expr::Call { name_span, args, .. } => {
                        assert_span(src, *name_span);
                        for a in args {
                            assert_span(src, a.span());
                        }
                    }
                    Expr::Compare { op_span, .. } => assert_span(src, *op_span),
                    _ => {}
                }
            }
            // The canonical form is a fixed point.
            let printed = print(&tree);
            let reparsed = parse(&printed).unwrap_or_else(|e| panic!("{printed:?}: {e}"));
            assert!(reparsed.eq_ignoring_spans(&tree), "{src:?} → {printed:?}");
            assert_eq!(print(&reparsed), printed);
        }
        Err(e) => assert_span(src, e.span),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn printing_then_parsing_gives_the_same_tree(t in tree()) {
        let printed = print(&t);
        let parsed = parse(&printed);
        prop_assert!(parsed.is_ok(), "{printed:?}: {:?}", parsed.err());
        let parsed = parsed.unwrap();
        prop_assert!(parsed.eq_ignoring_spans(&t), "{printed:?}");
        prop_assert_eq!(print(&parsed), printed.clone());
        check_parse_result(&printed);
    }

    #[test]
    fn parser_never_panics_on_arbitrary_text(src in any::<String>()) {
        check_parse_result(&src);
    }

    #[test]
    fn parser_never_panics_on_token_soup(src in token_soup()) {
        check_parse_result(&src);
    }
}

/// Calls to catalogue functions with small, often ill-typed arguments.
fn evaluable() -> impl Strategy<Value = Expr> {
    let names: Vec<String> = FUNCTIONS.iter().map(|f| f.name.to_string()).collect();
    let leaf = prop_oneof![
        prop::sample::select(vec!["a", "date", "multi", "roles", "missing", "empty"]).prop_map(|n| attr(n.to_string())),
        "(?s).{0,8}".prop_map(string),
        prop::sample::select(vec![
            "yyyy-MM-dd",
            "d",
            "ww",
            "M/d/yyyy h:mm:ss tt",
            "(?<g>\\w+)",
            "${g}",
            "[a-z]*",
            "True",
            "2021-08-24",
            ",",
            "zzz",
            "%",
            "'",
            "\\",
        ])
        .prop_map(|v| string(v.to_string())),
        "-?[0-9]{1,3}".prop_map(number),
        "[0-9]{17,24}".prop_map(number),
        "&H[0-9A-F]{1,17}".prop_map(hex),
        prop::sample::select(vec!["vbTextCompare", "UTF8", "True", "Foo"]).prop_map(|n| symbol(n.to_string())),
    ];
    leaf.prop_recursive(4, 48, 7, move |inner| {
        let any_count = (
            prop::sample::select(names.clone()),
            prop::collection::vec(prop::option::weighted(0.9, inner.clone()), 0..8),
        )
            .prop_map(|(n, a)| call(n, a));
        // Mostly argument counts the function accepts, so evaluation gets past the arity check.
        let arg = inner.clone();
        let right_count = prop::sample::select(FUNCTIONS)
            .prop_flat_map(move |f| {
                let max = f.max_args().unwrap_or(f.min_args() + 4);
                (
                    Just(f.name.to_string()),
                    prop::collection::vec(prop::option::weighted(0.95, arg.clone()), f.min_args()..=max),
                )
            })
            .prop_map(|(n, a)| call(n, a));
        prop_oneof![
            1 => any_count,
            4 => right_count,
            1 => (op(), inner.clone(), inner).prop_map(|(o, l, r)| compare(o, l, r)),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn evaluation_never_panics(e in evaluable(), seed in any::<u64>()) {
        let input = Input::from_json(&json!({
            "a": "Hello, World", "date": "2021-08-24T10:00:00Z", "multi": ["x", "y", "x"],
            "roles": [{"value": "Admin", "displayName": "Administrator"}], "empty": ""
        }))
        .unwrap();
        let mut env = FixedEnvironment::new(DateTime::from_ticks(637_000_000_000_000_000).unwrap(), seed);
        if let Err(err) = evaluate(&e, &input, &mut env) {
            // Errors point at the (zero-width, generated) spans; they must carry a message.
            prop_assert!(!err.message.is_empty());
        }
    }
}

/// A JSON string literal for `s`, escaping each character in one of the ways JSON allows.
fn json_literal(s: &str, styles: &[u8]) -> String {
    let mut out = String::from("\"");
    for (i, c) in s.chars().enumerate() {
        let style = styles.get(i % styles.len().max(1)).copied().unwrap_or(0) % 3;
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' if style == 1 => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 || style == 2 => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

proptest! {
    #[test]
    fn json_offset_map_agrees_with_serde(s in any::<String>(), styles in prop::collection::vec(any::<u8>(), 1..8)) {
        let raw = json_literal(&s, &styles);
        let (decoded, map) = decode_json_string(&raw).unwrap();
        prop_assert_eq!(&decoded, &s);
        prop_assert_eq!(serde_json::from_str::<String>(&raw).unwrap(), s.clone());
        for (i, c) in decoded.char_indices() {
            // The literal at offset 0: file offsets are raw-literal offsets.
            let r = map.to_file_span(FileSpan::new(0, raw.len()), ExprSpan::at(i, c.len_utf8()));
            let piece = format!("\"{}\"", &raw[r.range()]);
            prop_assert_eq!(serde_json::from_str::<String>(&piece).unwrap(), c.to_string());
        }
        prop_assert_eq!(map.to_raw(decoded.len()), raw.len() - 1);
    }
}
