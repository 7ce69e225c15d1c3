use super::expression::{At, in_every_tree};
use super::{Context, Described, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::expr::constants::ArgLevel;
use crate::expr::{ArgumentProblem, Expr, check_arguments};
use crate::model::MappingExpression;

declare_rule! {
    /// A constant argument has a value the function does not accept.
    ///
    /// ## What it does
    /// Checks the string constants given to parameters whose values the
    /// engine interprets, without evaluating anything:
    ///
    /// - DateAdd and DateDiff `interval`: one of the documented `yyyy`, `m`,
    ///   `d`, `ww`, `h`, `n`, `s`; VB.NET's other intervals (`q`, `y`, `w`)
    ///   work but are not documented (a warning);
    /// - ToLower and ToUpper `culture`: a culture name (`en-US`, `tr-TR`,
    ///   `sr-Latn-RS`), with ISO 639-1 language and ISO 3166-1 region codes;
    /// - Replace `regexPattern`: a regular expression that compiles, and
    ///   `regexGroupName`: a group of that pattern;
    /// - FormatDateTime `inputFormat` and `outputFormat`: .NET date format
    ///   strings (closed quotes, at most seven `f`, a one-letter format that is
    ///   a standard one), and `dateTimeStyles`: DateTimeStyles names that can
    ///   be combined.
    ///
    /// ## Why it matters
    /// These values are only read when the mapping is evaluated, so Entra
    /// saves the expression and every user then fails to provision: .NET
    /// throws for an unknown culture, a pattern that does not compile or a
    /// malformed date format.
    ///
    /// ## Example
    /// ```json
    /// "expression": "DateAdd(\"days\", 7, CDate([StatusHireDate]))"
    /// ```
    ///
    /// ## Fix
    /// Write the value as the help says: `"d"` for days, `"en-US"` rather
    /// than `"en_US"`, a backslash doubled inside an expression string
    /// (`"\\d"` is the regular expression `\d`).
    pub struct InvalidArgument {
        name: "invalid-argument",
        category: Expressions,
        severity: Error,
        fix: None,
    }
}

/// Every rejected constant argument, outermost call first.
pub(super) fn find(tree: &Expr) -> Vec<ArgumentProblem> {
    check_arguments(tree)
}

pub(super) fn report(p: &ArgumentProblem, at: &At<'_>) -> Diagnostic {
    let mut d = Diagnostic::at(
        &InvalidArgument::META,
        format!("{} `{}`: {}", p.function, p.param, p.message),
        at.span(p.span),
        at.pointer(),
    )
    .with_label(match p.level {
        ArgLevel::Error => "not accepted here",
        ArgLevel::Warning => "not documented",
    });
    if p.level == ArgLevel::Warning {
        d.severity = Severity::Warning;
    }
    d.with_help_if(p.help.clone())
}

impl Rule for InvalidArgument {
    type State<'a> = (&'a MappingExpression<'a>, ArgumentProblem);

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Self::State<'a>> {
        in_every_tree(cx, find)
    }

    fn diagnostic(&self, _cx: &Context<'_>, (expression, p): &Self::State<'_>) -> Diagnostic {
        report(p, &At::mapping(expression))
    }
}
