use super::{Context, Described, Rule, StructuralProblem};
use crate::diagnostic::Diagnostic;

declare_rule! {
    /// The JSON does not have the structure of a synchronization schema.
    ///
    /// ## What it does
    /// Checks that valid JSON has the structure of a synchronization schema,
    /// as described by `schemas/synchronization-schema.json`: the right JSON
    /// type for every known key, the keys that have no default, and no
    /// duplicate keys in any object. One finding per offending value, at most
    /// ten of one kind in one object or array (the same key repeated, the
    /// same mistake in every element of an array): the rest are counted in
    /// one finding after them, "… and 39,990 more duplicate keys in this
    /// object".
    ///
    /// ## Why it matters
    /// Entra rejects a schema whose structure is wrong when it is pasted into
    /// the schema editor or sent with `PUT …/schema`. A duplicate key is worse:
    /// JSON readers silently keep only the last value, so an edit to the first
    /// one has no effect.
    ///
    /// ## Example
    /// ```json
    /// { "targetAttributeName": "userName", "matchingPriority": "1" }
    /// ```
    /// `matchingPriority` must be an integer, not a string.
    ///
    /// ## Fix
    /// Give the value the type the message names, add the missing key, or
    /// remove one of the duplicate keys. Unknown keys (`@odata.*`, new Graph
    /// fields) are always allowed.
    pub struct SchemaViolation {
        name: "schema-violation",
        category: Input,
        severity: Error,
        fix: None,
    }
}

impl Rule for SchemaViolation {
    type State<'a> = StructuralProblem;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<StructuralProblem> {
        cx.structure.to_vec()
    }

    fn diagnostic(&self, _cx: &Context<'_>, p: &StructuralProblem) -> Diagnostic {
        let mut d = Diagnostic::at(&Self::META, p.message.clone(), p.span, p.pointer.clone());
        if let Some(label) = &p.label {
            d = d.with_label(label.clone());
        }
        if let Some((span, message)) = &p.secondary {
            d = d.with_secondary(*span, message.clone());
        }
        if let Some(help) = &p.help {
            d = d.with_help(help.clone());
        }
        d
    }
}
