use super::profiled::{cite, replace_source};
use super::wrong_mapping_source::{Wrong, compared, expression_loc};
use super::{Context, Described, Rule};
use crate::diagnostic::{Diagnostic, Fix};
use crate::profile::source::SourceMatch;

declare_rule! {
    /// A source is equivalent to the profile's but written differently (e.g. Entra's Switch for `active`).
    ///
    /// ## What it does
    /// Reports a mapping whose source is equivalent to the reference
    /// profile's source — it yields the same value for every input — but is
    /// written differently.
    ///
    /// ## Why it matters
    /// Nothing is wrong with the provisioned values. But a table that reads
    /// like the application's documentation is easier to review, and a
    /// `diff` against the profile stays quiet. Entra's default `active`
    /// mapping is the usual case: `Switch([IsSoftDeleted], , "False", "True",
    /// "True", "False")` equals `Not([IsSoftDeleted])` for every value the
    /// required Boolean `IsSoftDeleted` can take.
    ///
    /// ## Example
    /// ```json
    /// { "targetAttributeName": "active",
    ///   "source": { "expression": "Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")", "type": "Function" } }
    /// ```
    ///
    /// ## Fix
    /// The safe fix replaces the source (expression text and tree) with the
    /// profile's form.
    pub struct NonReferenceSource {
        name: "non-reference-source",
        category: Profile,
        severity: Info,
        fix: Safe,
    }
}

impl Rule for NonReferenceSource {
    type State<'a> = Wrong<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Wrong<'a>> {
        compared(cx, |m| *m == SourceMatch::Equivalent)
    }

    fn diagnostic(&self, _cx: &Context<'_>, w: &Wrong<'_>) -> Diagnostic {
        let Some(src) = &w.am.source else {
            unreachable!("an equivalent source exists");
        };
        let d = Diagnostic::new(
            &Self::META,
            format!(
                "`{}` is mapped from `{}`, which is equivalent to profile {}'s `{}`",
                w.am.target_name(),
                src.expression_text(),
                w.profile.name,
                w.row.source_text()
            ),
            &expression_loc(src),
        )
        .with_label(format!("same values as {}", w.row.source_text()))
        .with_help(format!(
            "write it as `{}`, the form the profile documents",
            w.row.source_text()
        ));
        cite(d, w.profile, w.row)
    }

    fn fix(&self, cx: &Context<'_>, w: &Wrong<'_>) -> Option<Fix> {
        let source = w.am.source.as_ref()?;
        let edit = replace_source(cx, &source.loc.span, w.row.source_text())?;
        Some(Fix::safe(
            format!("Write the source as `{}`", w.row.source_text()),
            vec![edit],
        ))
    }
}
