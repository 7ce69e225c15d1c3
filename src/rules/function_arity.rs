use super::expression::{At, in_every_tree};
use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::expr::{ArityProblem, ArityProblemKind, check_arity_all};
use crate::model::MappingExpression;

declare_rule! {
    /// A function is called with the wrong number or arrangement of arguments.
    ///
    /// ## What it does
    /// Checks every call of a known function against its parameters: too few
    /// or too many arguments, a required argument left empty
    /// (`Mid([x], , 3)`), Switch key/value arguments that do not come in
    /// pairs after `source` and `defaultValue`, Replace written with fewer
    /// than its seven positional slots or with a combination of filled slots
    /// that matches none of its modes, and FormatDateTime's optional *second*
    /// slot (`dateTimeStyles`).
    ///
    /// ## Why it matters
    /// Entra rejects most of these on save. The positional ones are worse:
    /// `Switch([x], "a", "b", "c", "d")` (no empty `defaultValue` slot) is read
    /// with `"a"` as the default and an odd key/value list, so the last key
    /// has no value and every mapping shifts by one.
    ///
    /// ## Example
    /// ```json
    /// "expression": "Switch([department], \"Other\", \"Sales\", \"SLS\", \"Marketing\")"
    /// ```
    /// `"Marketing"` is a key without a value.
    ///
    /// ## Fix
    /// Write the call as its signature says; leave optional slots empty
    /// rather than omitting them (`Switch([x], , "k", "v")`,
    /// `Replace([x], "-", , , "_", , )`).
    pub struct FunctionArity {
        name: "function-arity",
        category: Expressions,
        severity: Error,
        fix: None,
    }
}

pub(super) fn report(p: &ArityProblem, at: &At<'_>) -> Diagnostic {
    let (label, help) = match p.kind {
        ArityProblemKind::TooFewArguments => ("more arguments expected", None),
        ArityProblemKind::TooManyArguments => ("extra arguments", None),
        ArityProblemKind::EmptyRequiredArgument => ("required argument left empty", None),
        ArityProblemKind::UnpairedSwitchValue => (
            "this key has no value",
            Some(
                "Switch(source, defaultValue, key1, value1, key2, value2, …): if there is no default, \
                 leave its slot empty — Switch([x], , \"key\", \"value\")",
            ),
        ),
        ArityProblemKind::ReplaceSlotCount => (
            "Replace takes seven slots",
            Some("write the unused slots as empty arguments, e.g. Replace([x], \"-\", , , \"_\", , )"),
        ),
        ArityProblemKind::InvalidReplaceCombination => (
            "no Replace mode matches the filled slots",
            Some(
                "slots: source, oldValue, regexPattern, regexGroupName, replacementValue, replacementAttributeName, template",
            ),
        ),
    };
    let d = Diagnostic::at(&FunctionArity::META, p.message.clone(), at.span(p.span), at.pointer()).with_label(label);
    d.with_help_if(help)
}

impl Rule for FunctionArity {
    type State<'a> = (&'a MappingExpression<'a>, ArityProblem);

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Self::State<'a>> {
        in_every_tree(cx, check_arity_all)
    }

    fn diagnostic(&self, _cx: &Context<'_>, (expression, p): &Self::State<'_>) -> Diagnostic {
        report(p, &At::mapping(expression))
    }
}
