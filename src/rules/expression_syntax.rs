use super::expression::At;
use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::expr::{ParseError, ParseErrorKind};
use crate::model::MappingExpression;

declare_rule! {
    /// An attribute mapping's expression does not parse.
    ///
    /// ## What it does
    /// Parses every `source.expression` with the grammar of the expression
    /// language and reports the first syntax error, pointing
    /// at the exact character inside the JSON string: an unterminated string,
    /// a missing `)`, an operator the language does not have (`&`, `==`), a
    /// result indexed with `[…]`, nesting deeper than 64 calls, and so on.
    ///
    /// ## Why it matters
    /// Entra refuses to save a schema with an expression it cannot parse, and
    /// a hand-edited export that is pasted back fails as a whole. Every other
    /// expression check needs a parse tree, so nothing else is checked in
    /// this expression until it parses.
    ///
    /// ## Example
    /// ```json
    /// "expression": "Join(\" \", [givenName], \"[surname])"
    /// ```
    /// The string that starts before `[surname]` is never closed.
    ///
    /// ## Fix
    /// Correct the expression text as the help says. The `parameters` tree is
    /// not used to guess the intended text: it may be older than the text.
    pub struct ExpressionSyntax {
        name: "expression-syntax",
        category: Expressions,
        severity: Error,
        fix: None,
    }
}

impl Rule for ExpressionSyntax {
    type State<'a> = (&'a MappingExpression<'a>, &'a ParseError);

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Self::State<'a>> {
        cx.expressions
            .iter()
            .filter_map(|e| e.parsed.as_ref().err().map(|err| (e, err)))
            .collect()
    }

    fn diagnostic(&self, _cx: &Context<'_>, (expression, err): &Self::State<'_>) -> Diagnostic {
        report(err, &At::mapping(expression))
    }
}

/// The finding for a parse error.
pub(super) fn report(err: &ParseError, at: &At<'_>) -> Diagnostic {
    let label = match err.kind {
        ParseErrorKind::Empty => "nothing to evaluate",
        ParseErrorKind::UnexpectedChar => "unexpected character",
        ParseErrorKind::UnterminatedString => "this string is never closed",
        ParseErrorKind::UnterminatedAttribute => "this `[` is never closed",
        ParseErrorKind::EmptyAttribute => "no attribute name",
        ParseErrorKind::InvalidNumber => "not an integer",
        ParseErrorKind::UnsupportedOperator => "not an operator of the expression language",
        ParseErrorKind::UnexpectedToken => "unexpected here",
        ParseErrorKind::MissingCloseParen => "opened here",
        ParseErrorKind::TrailingInput => "after the end of the expression",
        ParseErrorKind::Indexing => "indexing is not supported",
        ParseErrorKind::ChainedComparison => "second comparison",
        ParseErrorKind::TooDeep => "nested too deeply",
    };
    let d = Diagnostic::at(
        &ExpressionSyntax::META,
        err.message.clone(),
        at.span(err.span),
        at.pointer(),
    )
    .with_label(label);
    d.with_help_if(err.help.clone())
}
