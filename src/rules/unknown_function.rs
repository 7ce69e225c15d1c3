use super::expression::{At, Renamed, in_every_tree, rename_in_source};
use super::{Context, Described, Rule};
use crate::diagnostic::{Diagnostic, Fix};
use crate::expr::{Expr, functions};
use crate::model::MappingExpression;
use crate::span::ExprSpan;

declare_rule! {
    /// An expression calls a function the provisioning engine does not have.
    ///
    /// ## What it does
    /// Reports every call whose name is not in the function catalogue, with the closest known
    /// name as "did you mean". Names are compared exactly: the expression
    /// syntax is case-sensitive, so `switch` is not `Switch`.
    ///
    /// ## Why it matters
    /// Entra rejects an expression with an unknown function when the schema is
    /// saved; in a file that is pasted back or imported, the whole import
    /// fails. Functions that only exist elsewhere (`AssertNotNull`, Excel or
    /// VBA names) are a common source of such typos.
    ///
    /// ## Example
    /// ```json
    /// "expression": "ToLowr([userPrincipalName])"
    /// ```
    ///
    /// ## Fix
    /// Use the function's exact name. When the name differs from a known
    /// function only in letter case (`switch`, `iif`, `Tolower`), the safe fix
    /// renames it: no two functions differ only in case, the arguments are
    /// kept as they are, and the expression cannot work as written, so the
    /// rename only makes it do what it evidently meant. Other suggestions are
    /// guesses and are only shown as help.
    pub struct UnknownFunction {
        name: "unknown-function",
        category: Expressions,
        severity: Error,
        fix: Safe,
    }
}

/// A call of an unknown function.
pub struct Unknown<'t> {
    pub name: &'t str,
    /// The name's span in the expression text.
    pub span: ExprSpan,
    pub suggestion: Option<&'static str>,
}

impl Unknown<'_> {
    /// The known function this name differs from only in letter case.
    fn case_only(&self) -> Option<&'static str> {
        self.suggestion.filter(|s| s.eq_ignore_ascii_case(self.name))
    }
}

/// Every call of an unknown function, outermost first.
pub(super) fn find(tree: &Expr) -> Vec<Unknown<'_>> {
    tree.calls()
        .filter(|c| functions::lookup(c.name).is_none())
        .map(|c| Unknown {
            name: c.name,
            span: *c.name_span,
            suggestion: functions::suggest(c.name),
        })
        .collect()
}

pub(super) fn report(u: &Unknown<'_>, at: &At<'_>) -> Diagnostic {
    let d = Diagnostic::at(
        &UnknownFunction::META,
        format!("unknown function `{}`", u.name),
        at.span(u.span),
        at.pointer(),
    )
    .with_label("not a function of the expression language");
    match (u.case_only(), u.suggestion) {
        (Some(right), _) => d.with_help(format!("function names are case-sensitive: did you mean `{right}`?")),
        (None, Some(close)) => d.with_help(format!(
            "did you mean `{close}`? {}",
            functions::lookup(close).map_or_else(String::new, |f| f.signature())
        )),
        (None, None) => d.with_help(
            "no known function has a similar name; see https://learn.microsoft.com/entra/identity/app-provisioning/functions-for-customizing-application-data",
        ),
    }
}

impl Rule for UnknownFunction {
    type State<'a> = (&'a MappingExpression<'a>, Unknown<'a>);

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Self::State<'a>> {
        in_every_tree(cx, find)
    }

    fn diagnostic(&self, _cx: &Context<'_>, (expression, u): &Self::State<'_>) -> Diagnostic {
        report(u, &At::mapping(expression))
    }

    /// Renames every call of the name in the mapping's source — text and tree — so the two stay
    /// consistent; several findings in one mapping share the same fix.
    fn fix(&self, cx: &Context<'_>, (expression, u): &Self::State<'_>) -> Option<Fix> {
        let right = u.case_only()?;
        let source = expression.mapping.source.as_ref()?;
        Some(Fix::safe(
            format!("Rename `{}` to `{right}`", u.name),
            rename_in_source(cx, source, Renamed::Function, u.name, right),
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::expr::functions::FUNCTIONS;

    /// The case-only fix is unambiguous only because no two functions differ in case alone.
    #[test]
    fn function_names_are_unique_ignoring_case() {
        let mut names: Vec<String> = FUNCTIONS.iter().map(|f| f.name.to_ascii_lowercase()).collect();
        let total = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), total);
    }
}
