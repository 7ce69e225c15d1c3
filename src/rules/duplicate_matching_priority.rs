use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Repeated;

declare_rule! {
    /// Two matching attributes share the same precedence.
    ///
    /// ## What it does
    /// Reports two matching attributes of one object mapping that share the
    /// same `matchingPriority` (matching precedence).
    ///
    /// ## Why it matters
    /// Entra tries matching attributes in ascending precedence and stops at
    /// the first match. With a tie, which attribute is tried first is not
    /// defined, so the same user can match different target accounts from one
    /// cycle to the next.
    ///
    /// ## Example
    /// ```json
    /// { "targetAttributeName": "userName",   "matchingPriority": 1 },
    /// { "targetAttributeName": "externalId", "matchingPriority": 1 }
    /// ```
    ///
    /// ## Fix
    /// Give each matching attribute its own precedence (1, 2, …) in the order
    /// they should be tried.
    pub struct DuplicateMatchingPriority {
        name: "duplicate-matching-priority",
        category: Consistency,
        severity: Warning,
        fix: None,
    }
}

impl Rule for DuplicateMatchingPriority {
    type State<'a> = Repeated<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Repeated<'a>> {
        cx.schema
            .repeated_mappings(|am| am.is_matching().then(|| am.matching_priority()))
    }

    fn diagnostic(&self, _cx: &Context<'_>, f: &Repeated<'_>) -> Diagnostic {
        let priority = f.duplicate.matching_priority();
        let loc = f
            .duplicate
            .matching_priority
            .as_ref()
            .map_or(&f.duplicate.loc, |m| &m.loc);
        let first_span = f
            .first
            .matching_priority
            .as_ref()
            .map_or(f.first.loc.span, |m| m.loc.span);
        Diagnostic::new(
            &Self::META,
            format!(
                "`{}` and `{}` both have matching precedence {priority} in the {} object mapping",
                f.first.target_name(),
                f.duplicate.target_name(),
                f.mapping.describe()
            ),
            loc,
        )
        .with_label(format!("precedence {priority} again"))
        .with_secondary(
            first_span,
            format!("`{}` already uses precedence {priority}", f.first.target_name()),
        )
        .with_help("give each matching attribute its own precedence (1, 2, …) in the order Entra should try them")
        // Which of the tied mappings comes second depends on their order;
        // the tie itself does not.
        .with_semantic_key(format!(
            "{}/attributeMappings[matchingPriority={priority}]",
            f.mapping.loc.pointer
        ))
    }
}
