use super::expression::{At, edit_expressions, in_every_tree};
use super::{Context, Described, Rule};
use crate::diagnostic::{Diagnostic, Fix};
use crate::expr::{Expr, ExprSpan};
use crate::model::MappingExpression;

declare_rule! {
    /// FormatDateTime is called in its older three-argument form.
    ///
    /// ## What it does
    /// Reports `FormatDateTime(source, inputFormat, outputFormat)`: the form
    /// without the `dateTimeStyles` slot, which the engine still accepts but
    /// the function reference no longer documents. It documents
    /// `FormatDateTime(source, dateTimeStyles, inputFormat, outputFormat)`,
    /// where an empty `dateTimeStyles` means the default styles.
    ///
    /// ## Why it matters
    /// The three-argument form works today, but it is read by position:
    /// anyone who adds the styles later, or compares the mapping with
    /// Microsoft's examples, must know which slot is which. The documented
    /// form says it explicitly and is the one Microsoft keeps working.
    ///
    /// ## Example
    /// ```json
    /// "expression": "FormatDateTime([hireDate], \"yyyyMMddHHmmss.fZ\", \"yyyy-MM-dd\")"
    /// ```
    ///
    /// ## Fix
    /// The safe fix inserts the empty `dateTimeStyles` slot:
    /// `FormatDateTime([hireDate], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")`, in
    /// the expression text and in every nested expression of the `source`
    /// tree. The stored parameters do not change (empty slots are not
    /// stored), and the default styles are the same.
    pub struct ObsoleteSignature {
        name: "obsolete-signature",
        category: Expressions,
        severity: Warning,
        fix: Safe,
    }
}

/// A three-argument FormatDateTime call.
pub struct Obsolete {
    /// The function name's span.
    pub span: ExprSpan,
}

/// Where the empty `dateTimeStyles` slot goes in a three-argument FormatDateTime call: before
/// its second argument.
fn three_argument_calls(tree: &Expr) -> impl Iterator<Item = (ExprSpan, usize)> + '_ {
    tree.calls()
        .filter(|c| c.name == "FormatDateTime" && c.args.len() == 3)
        .map(|c| (*c.name_span, c.args[1].span().start))
}

/// Every three-argument FormatDateTime call, outermost first.
pub(super) fn find(tree: &Expr) -> Vec<Obsolete> {
    three_argument_calls(tree).map(|(span, _)| Obsolete { span }).collect()
}

pub(super) fn report(o: &Obsolete, at: &At<'_>) -> Diagnostic {
    Diagnostic::at(
        &ObsoleteSignature::META,
        "FormatDateTime with three arguments is the older form without dateTimeStyles",
        at.span(o.span),
        at.pointer(),
    )
    .with_label("three-argument form")
    .with_help(
        "write FormatDateTime(source, , inputFormat, outputFormat): the empty second slot is the documented \
         way to keep the default styles (https://learn.microsoft.com/entra/identity/app-provisioning/functions-for-customizing-application-data#formatdatetime)",
    )
}

impl Rule for ObsoleteSignature {
    type State<'a> = (&'a MappingExpression<'a>, Obsolete);

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Self::State<'a>> {
        in_every_tree(cx, find)
    }

    fn diagnostic(&self, _cx: &Context<'_>, (expression, o): &Self::State<'_>) -> Diagnostic {
        report(o, &At::mapping(expression))
    }

    /// Inserts the empty slot in every three-argument call of the mapping's source, text and
    /// nested expressions alike; several findings in one mapping share the same fix.
    fn fix(&self, cx: &Context<'_>, (expression, _): &Self::State<'_>) -> Option<Fix> {
        let source = expression.mapping.source.as_ref()?;
        let edits = edit_expressions(cx, source, &|tree| {
            three_argument_calls(tree)
                .map(|(_, at)| (ExprSpan::new(at, at), ", ".to_string()))
                .collect()
        });
        (!edits.is_empty()).then(|| Fix::safe("Insert the empty dateTimeStyles slot", edits))
    }
}
