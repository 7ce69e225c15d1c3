//! Every edit builder on pretty, one-element-per-line, minified and tab
//! files, each with LF and with CRLF line endings.

use super::*;
use crate::fix::apply::apply_edits;

/// Runs `op` on `before` (written with LF) and checks the result against
/// `after`, then does the same with both converted to CRLF: the edit must
/// insert CRLF line breaks there. The result must be strict JSON.
fn check(before: &str, after: &str, op: impl Fn(&Editor<'_>, &str) -> Vec<Edit>) {
    for crlf in [false, true] {
        let conv = |s: &str| if crlf { s.replace('\n', "\r\n") } else { s.to_string() };
        let (before, after) = (conv(before), conv(after));
        let editor = Editor::new(&before);
        let edits = op(&editor, &before);
        let result = apply_edits(&before, &edits).unwrap();
        assert_eq!(result, after, "crlf: {crlf}");
        json::parse(&result).unwrap_or_else(|e| panic!("not JSON ({e:?}): {result}"));
    }
}

/// The span of the value at `pointer`.
fn at(text: &str, pointer: &str) -> FileSpan {
    json::span_of(json::resolve(&json::parse(text).unwrap(), pointer).unwrap().node)
}

const PRETTY: &str = r#"{
  "a": [
    {
      "x": 1
    },
    {
      "x": 2
    },
    {
      "x": 3
    }
  ],
  "b": [],
  "c": [
    "only"
  ],
  "scope": null
}
"#;

const COMPACT: &str = r#"{
  "a": [
    { "x": 1, "s": { "k": "v" } },
    { "x": 2, "s": { "k": "w" } },
    { "x": 3, "s": { "k": "u" } }
  ],
  "e": [],
  "o": [ { "p": [] } ]
}
"#;

#[test]
fn insert_after_pretty_elements_expands_nested_values() {
    check(
        PRETTY,
        &PRETTY.replace(
            "      \"x\": 3\n    }\n  ],",
            "      \"x\": 3\n    },\n    {\n      \"x\": 4,\n      \"y\": [\n        true,\n        {}\n      ]\n    }\n  ],",
        ),
        |e, t| vec![e.insert_array_element(at(t, "/a"), r#"{"x":4,"y":[true,{}]}"#).unwrap()],
    );
}

#[test]
fn insert_into_an_empty_pretty_array_opens_it_onto_new_lines() {
    check(
        PRETTY,
        &PRETTY.replace("\"b\": [],", "\"b\": [\n    {\n      \"x\": 1\n    }\n  ],"),
        |e, t| vec![e.insert_array_element(at(t, "/b"), r#"{ "x": 1 }"#).unwrap()],
    );
}

#[test]
fn insert_after_a_single_element_copies_the_bracket_spacing() {
    check(
        PRETTY,
        &PRETTY.replace("\"only\"\n", "\"only\",\n    \"two\"\n"),
        |e, t| vec![e.insert_array_element(at(t, "/c"), "\"two\"").unwrap()],
    );
}

#[test]
fn insert_after_one_line_elements_stays_one_line_with_their_spacing() {
    check(
        COMPACT,
        &COMPACT.replace(
            "{ \"x\": 3, \"s\": { \"k\": \"u\" } }\n",
            "{ \"x\": 3, \"s\": { \"k\": \"u\" } },\n    { \"x\": 4, \"s\": { \"k\": \"t\" }, \"l\": [ 1, 2 ] }\n",
        ),
        // Any input formatting: it is re-printed.
        |e, t| {
            vec![
                e.insert_array_element(
                    at(t, "/a"),
                    "{\n  \"x\": 4,\n  \"s\": {\"k\": \"t\"},\n  \"l\": [1,2]\n}",
                )
                .unwrap(),
            ]
        },
    );
}

#[test]
fn insert_into_an_empty_array_uses_the_files_element_layout() {
    // Block context: new lines, and one-line elements as the file has them.
    check(
        COMPACT,
        &COMPACT.replace(
            "\"e\": [],",
            "\"e\": [\n    { \"x\": 5, \"s\": { \"k\": \"q\" } }\n  ],",
        ),
        |e, t| vec![e.insert_array_element(at(t, "/e"), r#"{"x":5,"s":{"k":"q"}}"#).unwrap()],
    );
    // Inside a one-line value: on the same line.
    check(
        COMPACT,
        &COMPACT.replace("{ \"p\": [] }", "{ \"p\": [ { \"q\": 7 } ] }"),
        |e, t| vec![e.insert_array_element(at(t, "/o/0/p"), r#"{"q":7}"#).unwrap()],
    );
}

#[test]
fn insert_into_minified_json_stays_minified() {
    check(
        r#"{"a":[{"x":1,"y":2}],"b":[]}"#,
        r#"{"a":[{"x":1,"y":2},{"x":3,"y":[4]}],"b":[]}"#,
        |e, t| {
            vec![
                e.insert_array_element(at(t, "/a"), r#"{ "x": 3, "y": [ 4 ] }"#)
                    .unwrap(),
            ]
        },
    );
    check(
        r#"{"a":[{"x":1,"y":2}],"b":[]}"#,
        r#"{"a":[{"x":1,"y":2}],"b":[{"x":1}]}"#,
        |e, t| vec![e.insert_array_element(at(t, "/b"), r#"{ "x": 1 }"#).unwrap()],
    );
}

#[test]
fn insert_uses_tabs_in_a_tab_indented_file() {
    let tabs = "{\n\t\"a\": [\n\t\t{\n\t\t\t\"x\": 1\n\t\t}\n\t]\n}";
    check(
        tabs,
        "{\n\t\"a\": [\n\t\t{\n\t\t\t\"x\": 1\n\t\t},\n\t\t{\n\t\t\t\"x\": [\n\t\t\t\t2\n\t\t\t]\n\t\t}\n\t]\n}",
        |e, t| vec![e.insert_array_element(at(t, "/a"), r#"{"x":[2]}"#).unwrap()],
    );
}

#[test]
fn delete_first_middle_last_and_only_element_of_a_pretty_array() {
    let element = |n: u8| format!("    {{\n      \"x\": {n}\n    }}");
    let with = |ns: &[u8]| {
        let body = ns.iter().map(|&n| element(n)).collect::<Vec<_>>().join(",\n");
        PRETTY.replace(&[1, 2, 3].map(element).join(",\n"), &body)
    };
    for (index, left) in [(0, [2, 3]), (1, [1, 3]), (2, [1, 2])] {
        check(PRETTY, &with(&left), |e, t| {
            vec![e.delete_array_element(at(t, "/a"), index).unwrap()]
        });
    }
    check(
        PRETTY,
        &PRETTY.replace("\"c\": [\n    \"only\"\n  ],", "\"c\": [],"),
        |e, t| vec![e.delete_array_element(at(t, "/c"), 0).unwrap()],
    );
}

#[test]
fn delete_first_middle_last_and_only_element_of_a_one_line_per_element_array() {
    let line = |n: u8, k: &str| format!("    {{ \"x\": {n}, \"s\": {{ \"k\": \"{k}\" }} }}");
    let all = [line(1, "v"), line(2, "w"), line(3, "u")];
    for (index, kept) in [(0usize, [1usize, 2]), (1, [0, 2]), (2, [0, 1])] {
        let left = kept.map(|i| all[i].clone()).join(",\n");
        check(COMPACT, &COMPACT.replace(&all.join(",\n"), &left), |e, t| {
            vec![e.delete_array_element(at(t, "/a"), index).unwrap()]
        });
    }
    check(COMPACT, &COMPACT.replace("[ { \"p\": [] } ]", "[]"), |e, t| {
        vec![e.delete_array_element(at(t, "/o"), 0).unwrap()]
    });
}

#[test]
fn delete_elements_of_an_inline_array() {
    let text = r#"{"n": [1, 2, 3]}"#;
    for (index, expected) in [(0, "[2, 3]"), (1, "[1, 3]"), (2, "[1, 2]")] {
        check(text, &text.replace("[1, 2, 3]", expected), |e, t| {
            vec![e.delete_array_element(at(t, "/n"), index).unwrap()]
        });
    }
}

#[test]
fn delete_several_elements_in_one_fix() {
    let text = r#"{"n": [0, 1, 2, 3, 4, 5]}"#;
    for (indices, expected) in [
        (&[0, 1][..], "[2, 3, 4, 5]"),
        (&[1, 0, 3][..], "[2, 4, 5]"),
        (&[2, 3, 5][..], "[0, 1, 4]"),
        (&[4, 5][..], "[0, 1, 2, 3]"),
        (&[0, 1, 2, 3, 4, 5, 5][..], "[]"),
        (&[][..], "[0, 1, 2, 3, 4, 5]"),
    ] {
        check(text, &text.replace("[0, 1, 2, 3, 4, 5]", expected), |e, t| {
            e.delete_array_elements(at(t, "/n"), indices).unwrap()
        });
    }
}

#[test]
fn delete_a_property_with_its_comma_and_line() {
    check(PRETTY, &PRETTY.replace(",\n  \"scope\": null", ""), |e, t| {
        vec![e.delete_property(at(t, ""), "scope").unwrap()]
    });
    check(PRETTY, &PRETTY.replace("  \"a\": [\n    {\n      \"x\": 1\n    },\n    {\n      \"x\": 2\n    },\n    {\n      \"x\": 3\n    }\n  ],\n", ""), |e, t| {
        vec![e.delete_property(at(t, ""), "a").unwrap()]
    });
    let e = Editor::new(PRETTY);
    assert_eq!(
        e.delete_property(at(PRETTY, ""), "nope"),
        Err(EditError::NoSuchProperty { key: "nope".into() })
    );
}

#[test]
fn insert_a_property_into_pretty_one_line_and_empty_objects() {
    check(
        PRETTY,
        &PRETTY.replace(
            "\"scope\": null\n",
            "\"scope\": null,\n  \"new\": {\n    \"k\": [\n      1\n    ]\n  }\n",
        ),
        |e, t| vec![e.insert_property(at(t, ""), "new", r#"{"k":[1]}"#).unwrap()],
    );
    check(
        COMPACT,
        &COMPACT.replace(
            "{ \"x\": 1, \"s\": { \"k\": \"v\" } }",
            "{ \"x\": 1, \"s\": { \"k\": \"v\" }, \"t\": { \"k\": \"z\" } }",
        ),
        |e, t| vec![e.insert_property(at(t, "/a/0"), "t", r#"{"k":"z"}"#).unwrap()],
    );
    check(
        "{\n  \"o\": {}\n}",
        "{\n  \"o\": {\n    \"a\\\"b\": 1\n  }\n}",
        |e, t| vec![e.insert_property(at(t, "/o"), "a\"b", "1").unwrap()],
    );
}

#[test]
fn replace_a_value_in_the_layout_of_the_old_one() {
    // A scalar by a scalar: as given.
    check(PRETTY, &PRETTY.replace("\"x\": 2", "\"x\": \"two\""), |e, t| {
        vec![e.replace_value(at(t, "/a/1/x"), "\"two\"").unwrap()]
    });
    // A pretty value by a pretty value at the same indentation.
    check(
        PRETTY,
        &PRETTY.replace(
            "{\n      \"x\": 2\n    }",
            "{\n      \"y\": [\n        2\n      ]\n    }",
        ),
        |e, t| vec![e.replace_value(at(t, "/a/1"), r#"{"y":[2]}"#).unwrap()],
    );
    // A one-line value by a one-line value with its spacing.
    check(
        COMPACT,
        &COMPACT.replace("{ \"k\": \"w\" }", "{ \"k\": \"w\", \"m\": [ 1 ] }"),
        |e, t| vec![e.replace_value(at(t, "/a/1/s"), r#"{"k":"w","m":[1]}"#).unwrap()],
    );
    // `"scope": null` at the end of its line: the file's layout.
    check(
        PRETTY,
        &PRETTY.replace("\"scope\": null", "\"scope\": {\n    \"groups\": []\n  }"),
        |e, t| vec![e.replace_value(at(t, "/scope"), r#"{"groups":[]}"#).unwrap()],
    );
    // An empty array inside a one-line value: one line.
    check(COMPACT, &COMPACT.replace("\"p\": []", "\"p\": [ 1, 2 ]"), |e, t| {
        vec![e.replace_value(at(t, "/o/0/p"), "[1,2]").unwrap()]
    });
}

#[test]
fn free_functions_match_the_editor() {
    let span = at(PRETTY, "/c");
    assert_eq!(
        insert_array_element(PRETTY, span, "1").unwrap(),
        Editor::new(PRETTY).insert_array_element(span, "1").unwrap()
    );
    assert_eq!(
        delete_array_element(PRETTY, span, 0).unwrap(),
        Edit::delete(FileSpan::new(span.start + 1, span.end - 1))
    );
    assert_eq!(
        replace_value(PRETTY, at(PRETTY, "/scope"), "true").unwrap(),
        Edit::replace(at(PRETTY, "/scope"), "true")
    );
    assert_eq!(
        insert_property(PRETTY, at(PRETTY, "/a/0"), "y", "2").unwrap(),
        Edit::insert(at(PRETTY, "/a/0/x").end, ",\n      \"y\": 2")
    );
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let e = Editor::new(PRETTY);
    let a = at(PRETTY, "/a");
    assert!(matches!(
        e.insert_array_element(at(PRETTY, ""), "1"),
        Err(EditError::WrongKind {
            expected: "an array",
            found: "an object",
            ..
        })
    ));
    assert!(matches!(
        e.insert_property(a, "k", "1"),
        Err(EditError::WrongKind { .. })
    ));
    assert!(matches!(
        e.insert_array_element(a, "{"),
        Err(EditError::InvalidJson { .. })
    ));
    assert_eq!(
        e.delete_array_element(a, 3),
        Err(EditError::IndexOutOfRange { index: 3, len: 3 })
    );
    assert!(matches!(
        e.replace_value(FileSpan::new(1, 5), "1"),
        Err(EditError::NotAValue { .. })
    ));
    assert!(matches!(
        e.replace_value(FileSpan::new(0, PRETTY.len() + 1), "1"),
        Err(EditError::SpanOutOfRange { .. })
    ));
}

/// An editor reading containers from the file's parse tree builds exactly
/// the edits of one that re-parses their text, for every array and object
/// of files in each layout (and a slice span that is not a value falls back
/// to parsing, with the same error).
#[test]
fn editor_on_the_parse_tree_builds_the_same_edits() {
    let minified = r#"{"a":[{"x":1},{"y":[1,2]}],"b":{"c":{"d":[]},"e":"f"},"g":[[],[[3]]]}"#;
    for text in [PRETTY, minified, &PRETTY.replace("  ", "\t")] {
        let file = crate::source::SourceFile::from_text("t.json", text);
        let root = json::parse(text).unwrap();
        let (plain, on_tree) = (Editor::new(text), Editor::for_file(&file, Some(&root)));
        let mut containers = 0;
        json::walk(&root, &mut |node, _| {
            let span = json::span_of(node);
            let same = |f: &dyn Fn(&Editor<'_>) -> Result<Vec<Edit>, EditError>| {
                assert_eq!(f(&plain), f(&on_tree), "{span:?} in {text}");
            };
            match node {
                Node::Array(a) => {
                    containers += 1;
                    same(&|e| e.insert_array_element(span, r#"{"n": [1]}"#).map(|e| vec![e]));
                    if !a.elements.is_empty() {
                        same(&|e| e.delete_array_elements(span, &[0, a.elements.len() - 1]));
                    }
                }
                Node::Object(o) => {
                    containers += 1;
                    same(&|e| e.insert_property(span, "n", "[1, 2]").map(|e| vec![e]));
                    if let Some(p) = o.properties.first() {
                        same(&|e| e.delete_property(span, p.name.as_str()).map(|e| vec![e]));
                    }
                }
                _ => {}
            }
        });
        assert!(containers > 5);
        let not_a_value = FileSpan::new(1, 4);
        assert_eq!(
            plain.insert_array_element(not_a_value, "1"),
            on_tree.insert_array_element(not_a_value, "1")
        );
    }
}
