//! What the expression rules share: where a finding about an expression is shown, and the checks
//! that need nothing but the expression text — also run by `mapping-lint eval`.
//!
//! Each expression rule builds its diagnostic from expression-relative spans through an [`At`],
//! which maps them into the file (through the JSON string's escapes, see
//! [`crate::model::MappingExpression::file_span`]) or, for an expression given on its own, leaves
//! them as they are. So `check` and `eval` print the same message for the same problem.

use super::app_role_assignments_direct::{self, AppRoleAssignmentsDirect};
use super::expression_syntax::{self, ExpressionSyntax};
use super::expression_too_long::{self, ExpressionTooLong};
use super::function_arity::{self, FunctionArity};
use super::invalid_argument::{self, InvalidArgument};
use super::obsolete_signature::{self, ObsoleteSignature};
use super::undocumented_function::{self, UndocumentedFunction};
use super::unknown_function::{self, UnknownFunction};
use super::unknown_symbol::{self, UnknownSymbol};
use super::unsupported_form::{self, UnsupportedForm};
use super::unsupported_function::{self, UnsupportedFunction};
use super::{Context, Described};
use crate::diagnostic::{Diagnostic, Edit};
use crate::expr::{self, Expr, SourceTree};
use crate::fix::Editor;
use crate::json::{self, Node};
use crate::model::{JobKind, MappingExpression, Source};
use crate::span::{ExprSpan, FileSpan};

/// Where findings about one expression point.
#[derive(Clone, Copy)]
pub struct At<'a> {
    expression: Option<&'a MappingExpression<'a>>,
}

impl<'a> At<'a> {
    /// An attribute mapping's expression in a file.
    pub fn mapping(expression: &'a MappingExpression<'a>) -> At<'a> {
        At {
            expression: Some(expression),
        }
    }

    /// An expression on its own: spans stay offsets into its text, the pointer is empty.
    pub fn standalone() -> At<'static> {
        At { expression: None }
    }

    /// The span to show for a span of the expression text.
    pub fn span(&self, span: ExprSpan) -> FileSpan {
        match self.expression {
            Some(e) => e.file_span(span),
            None => span.in_standalone_text(),
        }
    }

    /// The pointer to the `expression` string.
    pub fn pointer(&self) -> String {
        self.expression.map_or_else(String::new, |e| e.pointer.clone())
    }

    /// Whether findings point into a file (and fixes can edit it).
    pub fn in_file(&self) -> bool {
        self.expression.is_some()
    }
}

/// What `find` reports in the parse tree of every expression of the file, each finding paired
/// with its expression, in document order. The detect step of the expression rules that need only
/// the tree; an expression that does not parse is skipped (`expression-syntax` reports it).
pub(super) fn in_every_tree<'a, T>(
    cx: &Context<'a>,
    find: impl Fn(&'a Expr) -> Vec<T>,
) -> Vec<(&'a MappingExpression<'a>, T)> {
    cx.expressions
        .iter()
        .flat_map(|e| e.tree().map(&find).unwrap_or_default().into_iter().map(move |t| (e, t)))
        .collect()
}

/// An expression checked on its own.
#[derive(Debug)]
pub struct Checked {
    /// The parse tree, when the text parses.
    pub tree: Option<Expr>,
    /// Findings of every expression rule that needs no schema (`expression-too-long`,
    /// `expression-syntax`, `unknown-function`, `undocumented-function`, `function-arity`,
    /// `unknown-symbol`, `invalid-argument`, `unsupported-form`, `obsolete-signature`, and the
    /// schema-free parts of `unsupported-function` (a nested SelectUniqueValue) and
    /// `app-role-assignments-direct` (an unwrapped `[appRoleAssignments]`)), with spans into the
    /// text and default severities.
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs the rules that need only the expression text (no schema) on `text`, read as an expression
/// of a job of `kind`: the rules `check` runs on an export of that kind (the registry's
/// [`RuleMeta::applies_to`](super::RuleMeta::applies_to)), with the kind they are given there
/// (`undocumented-function` checks each kind against its own reference). `eval`'s default,
/// [`JobKind::Unknown`], reads it as app provisioning.
pub fn check_standalone(text: &str, kind: JobKind) -> Checked {
    let at = At::standalone();
    let mut diagnostics = Vec::new();
    if runs::<ExpressionTooLong>(kind) {
        diagnostics.extend(expression_too_long::check(text).map(|p| expression_too_long::report(&p, &at)));
    }
    let tree = match expr::parse(text) {
        Ok(tree) => Some(tree),
        Err(err) => {
            if runs::<ExpressionSyntax>(kind) {
                diagnostics.push(expression_syntax::report(&err, &at));
            }
            None
        }
    };
    if let Some(tree) = &tree {
        if runs::<UnknownFunction>(kind) {
            for u in unknown_function::find(tree) {
                diagnostics.push(unknown_function::report(&u, &at));
            }
        }
        if runs::<UndocumentedFunction>(kind) {
            for u in undocumented_function::find(tree, kind) {
                diagnostics.push(undocumented_function::report(&u, &at));
            }
        }
        if runs::<FunctionArity>(kind) {
            for p in expr::check_arity_all(tree) {
                diagnostics.push(function_arity::report(&p, &at));
            }
        }
        if runs::<UnknownSymbol>(kind) {
            for b in unknown_symbol::find(tree) {
                diagnostics.push(unknown_symbol::report(&b, &at));
            }
        }
        if runs::<InvalidArgument>(kind) {
            for p in invalid_argument::find(tree) {
                diagnostics.push(invalid_argument::report(&p, &at));
            }
        }
        if runs::<UnsupportedFunction>(kind) {
            for span in unsupported_function::find_nested(tree) {
                diagnostics.push(unsupported_function::report_nested(span, &at));
            }
        }
        if runs::<AppRoleAssignmentsDirect>(kind) {
            for (span, direct) in app_role_assignments_direct::find_in_expression(tree) {
                diagnostics.push(app_role_assignments_direct::report_in_expression(span, direct, &at));
            }
        }
        if runs::<UnsupportedForm>(kind) {
            for u in unsupported_form::find(tree) {
                diagnostics.push(unsupported_form::report(&u, &at));
            }
        }
        if runs::<ObsoleteSignature>(kind) {
            for o in obsolete_signature::find(tree) {
                diagnostics.push(obsolete_signature::report(&o, &at));
            }
        }
    }
    Checked { tree, diagnostics }
}

/// Whether `check` runs rule `R` on an export of `kind`: the registry's test, so that `eval
/// --kind` and `check` agree on which rules apply.
fn runs<R: Described>(kind: JobKind) -> bool {
    R::META.applies_to(kind)
}

/// An edit replacing the `source` object `source` with `tree`, laid out like the object it
/// replaces (by the fix engine's [`Editor`]) and with its key order. Members other than `expression`, `name`, `type` and
/// `parameters` (e.g. `@odata.type`) are kept, byte for byte. With `expression_literal`, the top
/// `expression` is written as that raw JSON literal (the file's own bytes), so a fix that only
/// rebuilds the tree leaves the text untouched. `None` when the edit cannot be built.
pub(crate) fn replace_source(
    cx: &Context<'_>,
    source: &Source,
    tree: &SourceTree,
    expression_literal: Option<&str>,
) -> Option<Edit> {
    let text = &cx.file.text;
    let (mut extra, mut order) = (Vec::new(), Vec::new());
    if let Some(Node::Object(obj)) = cx
        .root
        .and_then(|root| json::resolve(root, &source.loc.pointer))
        .map(|r| r.node)
    {
        for prop in &obj.properties {
            match prop.name.as_str() {
                key @ ("expression" | "name" | "type" | "parameters") => order.push(key),
                _ => extra.push(&text[json::prop_span(prop)]),
            }
        }
    }
    let new_json = tree.to_json_text_with(expression_literal, &extra, &order);
    Editor::for_file(cx.file, cx.root)
        .replace_value(source.loc.span, &new_json)
        .ok()
}

/// What [`rename_in_source`] renames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Renamed {
    /// `[name]` references and `Attribute` nodes.
    Attribute,
    /// Calls and `Function` nodes.
    Function,
}

/// Edits renaming `from` to `to` throughout a mapping's source: in every `expression` string of
/// the tree (the top one included) and in the `name` of every matching node, so that the text and
/// the tree stay consistent. Expression strings that do not parse are left alone.
pub(crate) fn rename_in_source(cx: &Context<'_>, source: &Source, what: Renamed, from: &str, to: &str) -> Vec<Edit> {
    let mut edits = Vec::new();
    rename_names(source, what, from, to, &mut edits);
    let inside = crate::json::quote(to);
    let inside = inside[1..inside.len() - 1].to_string();
    edits.extend(edit_expressions(cx, source, &|tree| {
        tree.nodes()
            .filter_map(|node| match (what, node) {
                (Renamed::Attribute, Expr::Attribute { name, span }) if name == from => {
                    Some((ExprSpan::new(span.start + 1, span.end - 1), inside.clone()))
                }
                (Renamed::Function, Expr::Call { name, name_span, .. }) if name == from => {
                    Some((*name_span, inside.clone()))
                }
                _ => None,
            })
            .collect()
    }));
    edits.sort_by_key(|e| e.span.start);
    edits
}

fn rename_names(source: &Source, what: Renamed, from: &str, to: &str, edits: &mut Vec<Edit>) {
    let kind = match what {
        Renamed::Attribute => "Attribute",
        Renamed::Function => "Function",
    };
    if source.kind() == kind
        && let Some(name) = &source.name
        && name.value == from
    {
        edits.push(Edit::replace(name.loc.span, crate::json::quote(to)));
    }
    for p in &source.parameters {
        if let Some(value) = &p.value {
            rename_names(value, what, from, to, edits);
        }
    }
}

/// Edits of every `expression` string in a mapping's source tree (the top one and those of the
/// nested nodes): `edit` returns replacements as (span in the parsed expression, new text, which
/// must need no JSON escaping); they are mapped into the file through the string's escapes.
/// Expression strings that do not parse are left alone. Sorted by position.
pub(crate) fn edit_expressions(
    cx: &Context<'_>,
    source: &Source,
    edit: &dyn Fn(&Expr) -> Vec<(ExprSpan, String)>,
) -> Vec<Edit> {
    let mut edits: Vec<Edit> = parsed_expressions(cx, source)
        .iter()
        .flat_map(|p| {
            edit(&p.tree)
                .into_iter()
                .map(|(span, text)| Edit::replace(p.file_span(span), text))
        })
        .collect();
    edits.sort_by_key(|e| e.span.start);
    edits
}

/// One `expression` string of a mapping's source tree, parsed.
pub(crate) struct ParsedNode<'s> {
    /// The node holding the string.
    pub node: &'s Source,
    /// Whether it is the top node (the mapping's `source`), whose string is the mapping's text.
    pub top: bool,
    pub tree: Expr,
    /// The string literal in the file, and how its decoded text maps into it.
    literal: FileSpan,
    offsets: expr::embedded::OffsetMap,
}

impl ParsedNode<'_> {
    /// The file bytes of a span of the parsed text, through the JSON string's escapes.
    pub fn file_span(&self, span: ExprSpan) -> FileSpan {
        self.offsets.to_file_span(self.literal, span)
    }
}

/// Every `expression` string of a mapping's source tree (the top one and those of the nested
/// nodes) that parses. Strings that do not parse are left out.
pub(crate) fn parsed_expressions<'s>(cx: &Context<'_>, source: &'s Source) -> Vec<ParsedNode<'s>> {
    let mut out = Vec::new();
    let mut stack = vec![(source, true)];
    while let Some((node, top)) = stack.pop() {
        if let Some(expression) = &node.expression
            && let Some(raw) = cx.file.text.get(expression.loc.span.range())
            && let Ok((decoded, offsets)) = expr::embedded::decode_json_string(raw)
            && let Ok(tree) = expr::parse(&decoded)
        {
            out.push(ParsedNode {
                node,
                top,
                tree,
                literal: expression.loc.span,
                offsets,
            });
        }
        stack.extend(
            node.parameters
                .iter()
                .filter_map(|p| p.value.as_ref())
                .map(|v| (v, false)),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Severity;

    fn rules(text: &str) -> Vec<(&'static str, Severity, std::ops::Range<usize>)> {
        check_standalone(text, JobKind::Unknown)
            .diagnostics
            .into_iter()
            .map(|d| (d.rule, d.severity, d.span.range()))
            .collect()
    }

    #[test]
    fn standalone_checks_point_into_the_text() {
        assert_eq!(rules(r#"Join(" ", [givenName], [surname])"#), []);
        assert_eq!(
            rules(r#"Join(" ", [givenName], "[surname])"#),
            [("expression-syntax", Severity::Error, 23..34)]
        );
        assert_eq!(
            rules("toLower(Trim([x]), Mid([y], 1))"),
            [
                ("unknown-function", Severity::Error, 0..7),
                ("undocumented-function", Severity::Warning, 8..12),
                ("function-arity", Severity::Error, 29..30),
            ]
        );
        let long = format!("Join(\"\", {})", vec!["[x]"; 3400].join(", "));
        assert_eq!(rules(&long)[0].0, "expression-too-long");
        let checked = check_standalone("Not([x])", JobKind::Unknown);
        assert!(checked.tree.is_some());
        assert!(checked.diagnostics.iter().all(|d| d.pointer.is_empty()));
    }
}
