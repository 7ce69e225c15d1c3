//! The parsed expression of every attribute mapping, computed once per file.
//!
//! A mapping's `source.expression` text is authoritative (format.md §1.6), so
//! the expression rules, the profile rules and the diff all work on its parse
//! tree. Parsing happens here, once, and each entry keeps the offset map from
//! expression offsets to file bytes so findings can point at the exact
//! character inside the JSON string — escapes included.

use super::{AttributeMapping, ObjectMapping, Schema, SyncRule};
use crate::expr::embedded::{self, OffsetMap};
use crate::expr::{Expr, ParseError};
use crate::span::{ExprSpan, FileSpan};

/// One attribute mapping's expression.
#[derive(Debug)]
pub struct MappingExpression<'a> {
    pub rule: &'a SyncRule,
    pub object_mapping: &'a ObjectMapping,
    pub mapping: &'a AttributeMapping,
    /// The decoded `source.expression` text.
    pub text: &'a str,
    /// FileSpan of the JSON string literal holding the text (with quotes).
    pub literal: FileSpan,
    pub pointer: String,
    pub parsed: Result<Expr, ParseError>,
    offsets: OffsetMap,
}

impl MappingExpression<'_> {
    /// Maps a span inside the expression text to file bytes.
    pub fn file_span(&self, span: ExprSpan) -> FileSpan {
        self.offsets.to_file_span(self.literal, span)
    }

    pub fn tree(&self) -> Option<&Expr> {
        self.parsed.as_ref().ok()
    }
}

/// Parses the top-level `source.expression` of every attribute mapping that
/// has one, in document order.
pub fn parse_all<'a>(schema: &'a Schema, file_text: &str) -> Vec<MappingExpression<'a>> {
    let mut out = Vec::new();
    for rule in &schema.rules {
        for object_mapping in &rule.object_mappings {
            for mapping in &object_mapping.attribute_mappings {
                let Some(expression) = mapping.source.as_ref().and_then(|s| s.expression.as_ref()) else {
                    continue;
                };
                let literal = expression.loc.span;
                // The model already decoded the string; decoding the raw
                // literal again yields the same text plus the offset map.
                let Ok((_, offsets)) = embedded::decode_json_string(&file_text[literal]) else {
                    continue;
                };
                out.push(MappingExpression {
                    rule,
                    object_mapping,
                    mapping,
                    text: &expression.text,
                    literal,
                    pointer: expression.loc.pointer.clone(),
                    parsed: crate::expr::parse(&expression.text),
                    offsets,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_expression_offsets_through_json_escapes() {
        let text = r#"{"synchronizationRules": [{"objectMappings": [{"attributeMappings": [
            {"targetAttributeName": "t", "source": {"type": "Function", "expression": "Join(\"\\\\\", [givenName], [sn])"}}
        ]}]}]}"#;
        let root = crate::json::parse(text).unwrap();
        let schema = crate::model::build(&root);
        let exprs = parse_all(&schema, text);
        assert_eq!(exprs.len(), 1);
        let e = &exprs[0];
        assert_eq!(e.text, r#"Join("\\", [givenName], [sn])"#);
        let tree = e.tree().unwrap();
        let (_, sn_span) = tree.attributes().nth(1).unwrap();
        assert_eq!(&text[e.file_span(*sn_span)], "[sn]");
        assert_eq!(
            e.pointer,
            "/synchronizationRules/0/objectMappings/0/attributeMappings/0/source/expression"
        );
    }
}
