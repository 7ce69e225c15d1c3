//! Any text through the expression parser, the canonical printer and the
//! evaluator: no panic, no hang, no stack overflow; spans inside the text on
//! character boundaries; printing is a fixed point; evaluation of whatever
//! parses ends in a value or an error, for a fixed input and clock.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mapping_lint::expr::eval::datetime::DateTime;
use mapping_lint::expr::{FixedEnvironment, Input, evaluate, parse, print};
use mapping_lint::span::ExprSpan;

fn assert_span(src: &str, span: ExprSpan) {
    assert!(span.start <= span.end && span.end <= src.len(), "{span:?} in {src:?}");
    assert!(src.is_char_boundary(span.start) && src.is_char_boundary(span.end), "{span:?} in {src:?}");
}

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    match parse(src) {
        Err(e) => assert_span(src, e.span),
        Ok(tree) => {
            for node in tree.nodes() {
                assert_span(src, node.span());
            }
            let printed = print(&tree);
            let reparsed = parse(&printed).unwrap_or_else(|e| panic!("{printed:?} does not parse: {e}"));
            assert!(reparsed.eq_ignoring_spans(&tree), "{src:?} prints as {printed:?}");
            let input = Input::from_json(&serde_json::json!({
                "mail": "Ada.Lovelace@Contoso.com", "givenName": "Ada", "surname": "Lovelace",
                "IsSoftDeleted": "False", "date": "2021-08-24T10:00:00Z", "multi": ["x", "y"],
                "roles": [{"value": "Admin", "displayName": "Administrator"}], "empty": ""
            }))
            .unwrap();
            let mut env = FixedEnvironment::new(DateTime::from_ticks(637_000_000_000_000_000).unwrap(), 7);
            if let Err(err) = evaluate(&tree, &input, &mut env) {
                assert!(!err.message.is_empty());
            }
        }
    }
});
