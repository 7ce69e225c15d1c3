use super::profiled::{cite, profiled};
use super::wrong_mapping_source::expression_loc;
use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::expr;
use crate::model::{AttributeMapping, Loc};
use crate::profile::constraint;
use crate::profile::{Profile, RequiredMapping};

declare_rule! {
    /// A mapping's expression allows a value the application rejects (too long, a forbidden character, empty, several values).
    ///
    /// ## What it does
    /// Checks the value constraints a reference profile states for a row
    /// (`max-length`, `forbidden-characters`, `required-non-empty`,
    /// `single-valued`) against the export's mapping of that target, as far
    /// as the expression alone can tell:
    ///
    /// - `max-length: N`: the expression is not bounded to N characters
    ///   (an attribute can be any length; `Mid(…, 1, N)` and `Left(…, N)`
    ///   bound it);
    /// - `forbidden-characters`: a constant of the expression contains one,
    ///   or it passes on an email-shaped attribute (`[userPrincipalName]`,
    ///   `[mail]`) when `@` is forbidden;
    /// - `required-non-empty`: the value is empty for some users — an
    ///   attribute the source object does not declare required (`[mail]` is
    ///   empty for users without a mailbox), or a `Switch` with an empty
    ///   default — and no `Coalesce` falls back to one that is always set;
    /// - `single-valued`: the source is a multi-valued attribute, or a second
    ///   mapping of the same object writes into the same multi-valued SCIM
    ///   attribute (`emails[type eq "work"]` and `emails[type eq "other"]`).
    ///
    /// An expression whose shape does not tell (`Replace`, a function the
    /// check does not model) is not reported.
    ///
    /// ## Why it matters
    /// Entra does not know the application's limits: it sends the value, the
    /// application rejects it, and the user is skipped with an error in the
    /// provisioning logs — one user at a time, long after the change was
    /// deployed. Slack rejects a `userName` of 21 characters or more and a
    /// `displayName` with `@`; AWS IAM Identity Center rejects a second email
    /// or phone number.
    ///
    /// ## Example
    /// With the slack profile (`userName`: `max-length: 20`):
    /// ```json
    /// { "targetAttributeName": "userName",
    ///   "source": { "expression": "[userPrincipalName]", "type": "Attribute" } }
    /// ```
    /// `[userPrincipalName]` can be longer than 20 characters.
    ///
    /// ## Fix
    /// Bound or replace the value as the help says: `Mid([userPrincipalName],
    /// 1, 20)` for a length, `Coalesce([mail], [userPrincipalName])` for a
    /// value every user must have, `Word([userPrincipalName], 1, "@")` or
    /// `Replace(…)` for a forbidden character, one mapping per single-valued
    /// attribute. No automatic fix: which value to keep is the admin's choice.
    pub struct ValueConstraint {
        name: "value-constraint",
        category: Profile,
        severity: Warning,
        fix: None,
    }
}

pub struct Violation<'a> {
    profile: &'a Profile,
    row: &'a RequiredMapping,
    am: &'a AttributeMapping,
    message: String,
    label: String,
    help: String,
    /// Point at the target name rather than the expression.
    at_target: bool,
}

impl Rule for ValueConstraint {
    type State<'a> = Violation<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Violation<'a>> {
        let mut out = Vec::new();
        for at in profiled(cx) {
            let source_object = cx.schema.objects_of(at.rule, at.om).0;
            for row in at.object.mappings.iter().filter(|r| !r.constraints.is_empty()) {
                let Some(am) = at
                    .om
                    .attribute_mappings
                    .iter()
                    .find(|am| am.target_name() == row.target)
                else {
                    continue;
                };
                let c = &row.constraints;
                let mut push = |message: String, label: String, help: String, at_target: bool| {
                    out.push(Violation {
                        profile: at.profile,
                        row,
                        am,
                        message,
                        label,
                        help,
                        at_target,
                    });
                };
                if c.single_valued
                    && let Some(parent) = constraint::multi_valued_parent(&row.target)
                    && let Some(other) = at.om.attribute_mappings.iter().find(|o| {
                        o.target_name() != row.target
                            && constraint::multi_valued_parent(o.target_name()) == Some(parent)
                    })
                {
                    push(
                        format!(
                            "`{}` and `{}` both write `{parent}`, but profile {} allows one value",
                            row.target,
                            other.target_name(),
                            at.profile.name
                        ),
                        format!("a second value of `{parent}`"),
                        format!(
                            "keep one mapping into `{parent}`: delete the mapping of `{}` or of `{}`",
                            other.target_name(),
                            row.target
                        ),
                        true,
                    );
                }
                let Some(source) = &am.source else { continue };
                let text = source.expression_text();
                let Ok(tree) = expr::parse(&text) else { continue };
                if let Some(max) = c.max_length {
                    let max = max as usize;
                    match constraint::max_length(&tree) {
                        Some(n) if n <= max => {}
                        bound => push(
                            match bound {
                                Some(n) => format!(
                                    "`{}` ← `{text}` can be {n} characters long, but profile {} allows at most {max}",
                                    row.target, at.profile.name
                                ),
                                None => format!(
                                    "`{}` ← `{text}` can be longer than the {max} characters profile {} allows",
                                    row.target, at.profile.name
                                ),
                            },
                            format!("not bounded to {max} characters"),
                            format!("truncate it: `Mid({text}, 1, {max})`"),
                            false,
                        ),
                    }
                }
                if let Some(forbidden) = &c.forbidden_characters
                    && let Some((ch, why)) = constraint::forbidden_character(&tree, forbidden)
                {
                    let help = if why.starts_with("[userPrincipalName]") || why.starts_with("[mail]") {
                        format!(
                            "map a value without `{ch}`, e.g. `Word({}, 1, \"@\")` (the part before the @)",
                            why.split(' ').next().unwrap_or("[userPrincipalName]")
                        )
                    } else {
                        format!(
                            "remove it, e.g. `Replace({text}, \"{}\", , , \"\", , )`",
                            ch.escape_default()
                        )
                    };
                    push(
                        format!(
                            "`{}` ← `{text}` can contain `{}` ({why}), which profile {} forbids",
                            row.target,
                            ch.escape_default(),
                            at.profile.name
                        ),
                        format!("can contain `{}`", ch.escape_default()),
                        help,
                        false,
                    );
                }
                if c.required_non_empty {
                    let required = |name: &str| Some(source_object?.attribute(name)?.required);
                    if constraint::can_be_empty(&tree, &required) == Some(true) {
                        let fallback = if at.object.source_object == "Group" {
                            "[displayName]"
                        } else {
                            "[userPrincipalName]"
                        };
                        push(
                            format!(
                                "`{}` ← `{text}` is empty for some {}, but profile {} requires a value",
                                row.target,
                                at.object.kind.key(),
                                at.profile.name
                            ),
                            "can be empty".to_string(),
                            format!(
                                "fall back to an attribute that is always set: `Coalesce({text}, {fallback})`{}",
                                if text.contains("[mail]") {
                                    " (mail is empty for users without a mailbox)"
                                } else {
                                    ""
                                }
                            ),
                            false,
                        );
                    }
                }
                if c.single_valued {
                    let multivalued = |name: &str| {
                        source_object
                            .and_then(|o| o.attribute(name))
                            .is_some_and(|a| a.multivalued)
                    };
                    if let Some(name) = constraint::multi_valued_source(&tree, &multivalued) {
                        push(
                            format!(
                                "`{}` ← `{text}` passes on the multi-valued `{name}`, but profile {} allows one value",
                                row.target, at.profile.name
                            ),
                            "several values".to_string(),
                            format!("pick one value: `Item([{name}], 1)`, or map a single-valued attribute"),
                            false,
                        );
                    }
                }
            }
        }
        out
    }

    fn diagnostic(&self, _cx: &Context<'_>, v: &Violation<'_>) -> Diagnostic {
        let loc = match (&v.am.source, v.at_target) {
            (Some(source), false) => expression_loc(source),
            _ => Loc {
                span: v.am.target_loc().span,
                pointer: v.am.loc.pointer.clone(),
            },
        };
        let d = Diagnostic::new(&Self::META, v.message.clone(), &loc)
            .with_label(v.label.clone())
            .with_help(v.help.clone());
        cite(d, v.profile, v.row)
    }
}
