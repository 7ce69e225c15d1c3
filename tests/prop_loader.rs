//! Property tests of the loader and the whole per-file pipeline: whatever
//! the bytes, `lint_bytes` returns (no panic), every span of every finding
//! lies inside the text on character boundaries, every pointer resolves in
//! the parsed document (or is empty, for a file that does not parse), and
//! every output format renders the report.
//!
//! Four input families: arbitrary bytes, arbitrary Unicode text, generated
//! JSON trees built from the export's vocabulary (duplicate keys included),
//! and the clean base export with random edits — the last two get past the
//! parser, so the structural check, the model and the rules see them too.

use mapping_lint::lint::{FileReport, LintSettings, lint_bytes};
use mapping_lint::output::{self, Format, RenderOptions, Report};
use proptest::prelude::*;

const BASE: &str = include_str!("fixtures/base.json");

/// The invariants every report must satisfy.
fn check(report: FileReport) -> Result<(), TestCaseError> {
    let text = &report.source.text;
    let root = mapping_lint::json::parse(text).ok();
    for d in &report.diagnostics {
        let mut spans = vec![("span", d.span)];
        spans.extend(d.labels.iter().map(|l| ("label", l.span)));
        if let Some(fix) = &d.fix {
            spans.extend(fix.edits.iter().map(|e| ("edit", e.span)));
        }
        for (what, span) in spans {
            prop_assert!(
                span.start <= span.end && span.end <= text.len(),
                "{} {what} {span:?} outside the text ({} bytes)",
                d.rule,
                text.len()
            );
            prop_assert!(
                text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "{} {what} {span:?} not on character boundaries",
                d.rule
            );
        }
        if !d.pointer.is_empty() {
            let root = root.as_ref();
            prop_assert!(
                root.is_some(),
                "{} has pointer {} but the text does not parse",
                d.rule,
                d.pointer
            );
            prop_assert!(
                mapping_lint::json::resolve(root.unwrap(), &d.pointer).is_some(),
                "{} pointer {} does not resolve",
                d.rule,
                d.pointer
            );
        }
        let start = report.source.line_col(d.span.start);
        prop_assert!(start.line >= 1 && start.column >= 1);
    }
    let report = Report {
        files: vec![report],
        profile: None,
        ..Default::default()
    };
    for format in [Format::Human, Format::Concise, Format::Json] {
        let mut out = Vec::new();
        output::render(format, &report, &RenderOptions::default(), &mut out).unwrap();
        prop_assert!(std::str::from_utf8(&out).is_ok(), "{format:?} output is not UTF-8");
    }
    Ok(())
}

fn lint(bytes: Vec<u8>) -> FileReport {
    lint_bytes("prop.json", bytes, &LintSettings::default())
}

/// A JSON tree that may repeat keys (serde_json's map cannot).
#[derive(Debug, Clone)]
enum Tree {
    Null,
    Bool(bool),
    Number(String),
    Str(String),
    Array(Vec<Tree>),
    Object(Vec<(String, Tree)>),
}

impl Tree {
    fn write(&self, out: &mut String) {
        match self {
            Tree::Null => out.push_str("null"),
            Tree::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Tree::Number(n) => out.push_str(n),
            Tree::Str(s) => out.push_str(&serde_json::to_string(s).unwrap()),
            Tree::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Tree::Object(props) => {
                out.push('{');
                for (i, (key, value)) in props.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&serde_json::to_string(key).unwrap());
                    out.push_str(": ");
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// Keys and strings an export uses, so generated trees reach the model and
/// the rules, plus arbitrary text.
const VOCABULARY: &[&str] = &[
    "synchronizationRules",
    "directories",
    "objectMappings",
    "attributeMappings",
    "targetAttributeName",
    "source",
    "type",
    "name",
    "expression",
    "parameters",
    "key",
    "value",
    "matchingPriority",
    "flowType",
    "flowTypes",
    "flowBehavior",
    "defaultValue",
    "enabled",
    "sourceObjectName",
    "targetObjectName",
    "sourceDirectoryName",
    "targetDirectoryName",
    "objects",
    "attributes",
    "anchor",
    "metadata",
    "scope",
    "groups",
    "clauses",
    "operatorName",
    "sourceOperandName",
    "targetOperand",
    "values",
    "referencedObjects",
    "SecretToken",
    "customappsso",
    "Microsoft Entra ID",
    "User",
    "Group",
    "Attribute",
    "Constant",
    "Function",
    "Always",
    "ObjectAddOnly",
    "Add,Update",
    "userName",
    "active",
    "id",
    "[mail]",
    "Not([IsSoftDeleted])",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(VOCABULARY).prop_map(str::to_string),
        1 => "[a-zA-Z~/é\u{0}-\u{1f}\"\\\\ ]{0,8}",
    ]
}

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = prop_oneof![
        Just(Tree::Null),
        any::<bool>().prop_map(Tree::Bool),
        prop_oneof![
            Just("0".to_string()),
            Just("1".to_string()),
            Just("-2.5e3".to_string()),
            Just("1e400".to_string()),
            Just("12345678901234567890123".to_string()),
        ]
        .prop_map(Tree::Number),
        word().prop_map(Tree::Str),
    ];
    leaf.prop_recursive(8, 96, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Tree::Array),
            proptest::collection::vec((word(), inner), 0..7).prop_map(Tree::Object),
        ]
    })
}

/// A random edit of a text: delete, insert or replace a stretch.
#[derive(Debug, Clone)]
struct Edit {
    at: f64,
    delete: usize,
    insert: String,
}

fn edit() -> impl Strategy<Value = Edit> {
    let insert = prop_oneof![
        Just(String::new()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just(",".to_string()),
        Just("\"".to_string()),
        Just("null".to_string()),
        Just("\\u00".to_string()),
        Just("\u{0}".to_string()),
        Just("\r\n".to_string()),
        word().prop_map(|w| serde_json::to_string(&w).unwrap()),
    ];
    (0.0..1.0f64, 0usize..24, insert).prop_map(|(at, delete, insert)| Edit { at, delete, insert })
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut text = text.to_string();
    for e in edits {
        let mut start = (e.at * text.len() as f64) as usize;
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (start + e.delete).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        text.replace_range(start..end, &e.insert);
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        check(lint(bytes))?;
    }

    #[test]
    fn arbitrary_bytes_after_a_byte_order_mark(
        bom in proptest::sample::select(vec![&b"\xEF\xBB\xBF"[..], &b"\xFF\xFE"[..], &b"\xFE\xFF"[..]]),
        bytes in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        check(lint([bom, &bytes].concat()))?;
    }

    #[test]
    fn arbitrary_text(text in any::<String>()) {
        check(lint(text.into_bytes()))?;
    }

    #[test]
    fn generated_json_trees(tree in tree(), utf16 in any::<bool>()) {
        let mut text = String::new();
        tree.write(&mut text);
        let bytes = if utf16 {
            std::iter::once(0xFEFF_u16).chain(text.encode_utf16()).flat_map(u16::to_le_bytes).collect()
        } else {
            text.into_bytes()
        };
        check(lint(bytes))?;
    }

    #[test]
    fn the_base_export_with_random_edits(edits in proptest::collection::vec(edit(), 1..6)) {
        check(lint(apply(BASE, &edits).into_bytes()))?;
    }
}

/// The property holds on a clean export with findings (sanity check that
/// `check` looks at something).
#[test]
fn check_sees_real_findings() {
    let text = BASE.replacen("\"anchor\": true", "\"anchor\": \"yes\"", 1);
    let report = lint(text.into_bytes());
    assert!(!report.diagnostics.is_empty());
    assert!(report.diagnostics.iter().any(|d| !d.pointer.is_empty()));
    check(report).unwrap();
}
