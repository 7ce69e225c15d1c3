use super::expression::At;
use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::expr::MAX_EXPRESSION_CHARS;
use crate::model::MappingExpression;
use crate::span::ExprSpan;

declare_rule! {
    /// An expression is longer than the 10,000 characters Entra accepts.
    ///
    /// ## What it does
    /// Counts the characters of every `source.expression` (the text after JSON
    /// unescaping, so `\"` is one character) and reports those over 10,000,
    /// pointing at the first character past the limit.
    ///
    /// Characters are counted as the engine counts them: Entra runs on .NET,
    /// whose string length is the number of UTF-16 code units. For the ASCII
    /// text of real expressions that is simply the number of characters; a
    /// character outside the Basic Multilingual Plane (an emoji) counts twice.
    ///
    /// ## Why it matters
    /// Expressions longer than 10,000 characters are not supported (Entra
    /// known issues); such a mapping cannot be saved.
    ///
    /// ## Example
    /// A `Switch` with several hundred department codes.
    ///
    /// ## Fix
    /// Shorten the expression: move the lookup into the source (a directory
    /// extension attribute computed upstream), or split the logic across
    /// several target attributes.
    pub struct ExpressionTooLong {
        name: "expression-too-long",
        category: Expressions,
        severity: Error,
        fix: None,
    }
}

/// An over-long expression.
pub struct TooLong {
    /// Length in UTF-16 code units.
    pub length: usize,
    /// The first character past the limit.
    pub span: ExprSpan,
}

/// The expression's length problem, if it has one.
pub(super) fn check(text: &str) -> Option<TooLong> {
    let mut units = 0;
    let mut first_over = None;
    for (i, c) in text.char_indices() {
        units += c.len_utf16();
        if units > MAX_EXPRESSION_CHARS && first_over.is_none() {
            first_over = Some(ExprSpan::at(i, c.len_utf8()));
        }
    }
    Some(TooLong {
        length: units,
        span: first_over?,
    })
}

pub(super) fn report(t: &TooLong, at: &At<'_>) -> Diagnostic {
    Diagnostic::at(
        &ExpressionTooLong::META,
        format!(
            "the expression is {} characters long; Entra accepts at most {}",
            crate::output::thousands(t.length),
            crate::output::thousands(MAX_EXPRESSION_CHARS)
        ),
        at.span(t.span),
        at.pointer(),
    )
    .with_label("the limit is exceeded here")
    .with_help("compute the value upstream (e.g. a directory extension attribute) or split it across target attributes")
}

impl Rule for ExpressionTooLong {
    type State<'a> = (&'a MappingExpression<'a>, TooLong);

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Self::State<'a>> {
        cx.expressions
            .iter()
            .filter_map(|e| check(e.text).map(|t| (e, t)))
            .collect()
    }

    fn diagnostic(&self, _cx: &Context<'_>, (expression, t): &Self::State<'_>) -> Diagnostic {
        report(t, &At::mapping(expression))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_utf16_units_of_the_decoded_text() {
        let at_limit = "x".repeat(MAX_EXPRESSION_CHARS);
        assert!(check(&at_limit).is_none());
        let over = format!("{at_limit}y");
        let t = check(&over).unwrap();
        assert_eq!((t.length, t.span.range()), (10_001, 10_000..10_001));
        // 10,000 units with an emoji (two units) among 9,999 characters: fine.
        let at_units = format!("{}😀", "é".repeat(MAX_EXPRESSION_CHARS - 2));
        assert!(check(&at_units).is_none());
        // 10,000 characters but 10,001 units: too long, and the emoji is where it happens.
        let over_units = format!("{}😀", "é".repeat(MAX_EXPRESSION_CHARS - 1));
        assert_eq!(over_units.chars().count(), MAX_EXPRESSION_CHARS);
        let t = check(&over_units).unwrap();
        assert_eq!(t.length, 10_001);
        assert_eq!(&over_units[t.span], "😀");
        assert_eq!(crate::output::thousands(10_001), "10,001");
        assert_eq!(crate::output::thousands(999), "999");
    }
}
