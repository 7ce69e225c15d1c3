use super::expression::{At, replace_source};
use super::source_tree_mismatch::adopt_keys;
use super::{Context, Described, Rule};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::expr::{self, Arg, CompareOp, Expr, ExprSpan, printer};
use crate::json;
use crate::model::MappingExpression;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

declare_rule! {
    /// An expression uses a form that Microsoft's function reference documents as unsupported.
    ///
    /// ## What it does
    /// Reports the forms the function reference lists as not working:
    ///
    /// - an IIF whose condition tests for null or empty — `IsNullOrEmpty(…)`,
    ///   `IsPresent(…)`, `IsNull(…)` (or `Not` of one of them), or a
    ///   comparison with `""`: "if the source attribute used within the IIF
    ///   function is empty or null, the condition check fails";
    /// - a Switch whose `source` is `IsPresent(…)`, `IsNull(…)` or
    ///   `IsNullOrEmpty(…)`: "for the source parameter, do not use the nested
    ///   functions IsPresent, IsNull or IsNullOrEmpty";
    /// - a Switch whose `source` is an attribute the source object declares as
    ///   a `Reference` (`manager`): "the function shouldn't be used for
    ///   referential attributes such as manager". This one needs the export's
    ///   attribute list, so `mapping-lint eval` cannot find it.
    ///
    /// Both are quoted from
    /// <https://learn.microsoft.com/entra/identity/app-provisioning/functions-for-customizing-application-data>
    /// (IIF "Known limitations", Switch "Caution"), which each finding cites.
    ///
    /// ## Why it matters
    /// The expression is accepted when saved, but in the service the
    /// condition fails exactly for the users it was written for (those
    /// without a value), so they get the wrong value or none.
    /// `mapping-lint eval` models that failure for a comparison (with an
    /// empty or missing attribute it is false); a test function it
    /// evaluates as written.
    ///
    /// ## Example
    /// ```json
    /// "expression": "IIF(IsPresent([country]), [country], \"Other\")"
    /// ```
    ///
    /// ## Fix
    /// Test for empty values with a Switch and an `""` key, as the reference
    /// recommends: `Switch([country], [country], "", "Other")` gives `Other`
    /// when country is empty or missing and country otherwise.
    ///
    /// An **unsafe** fix (`--fix --unsafe-fixes`) writes that Switch for an
    /// IIF whose condition tests a plain attribute — `IsPresent([a])`,
    /// `IsNullOrEmpty([a])`, `Not` of one of them, `[a] = ""`, `[a] <> ""`
    /// (`""` on either side) — with the IIF's own branches:
    /// `Switch([a], <value if not empty>, "", <value if empty>)`. Only the IIF
    /// changes: in the expression string, in the `expression` of every node
    /// of the `source` tree that holds it, and its own node, which becomes
    /// the Switch's; every other byte stays. A tree that does not follow the
    /// text (hand-edited, incomplete) is rebuilt from the new text instead.
    /// It is unsafe because it changes what Entra
    /// sends: users without a value then get the branch written for them,
    /// not what the failing check gave; and for an attribute with several
    /// values, which Switch cannot compare as one text, the result may differ.
    /// There is no fix for a Switch on a null test or a Reference, a test of
    /// anything but a plain attribute (`IsPresent(Trim([a]))`), `IsNull`
    /// (false for an empty string, unlike the `""` key), an attribute the
    /// source object declares multi-valued, or when a tree must be built
    /// for a part whose tree form is not known (a comparison in the Switch's
    /// branches, or anywhere in a text whose tree is rebuilt).
    pub struct UnsupportedForm {
        name: "unsupported-form",
        category: Expressions,
        severity: Warning,
        fix: Unsafe,
    }
}

/// The page that documents both limitations.
const REFERENCE: &str =
    "https://learn.microsoft.com/entra/identity/app-provisioning/functions-for-customizing-application-data";

/// Which documented limitation a form runs into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Form {
    /// IIF's condition is a null/empty test function (named).
    IifNullTest(String),
    /// IIF's condition compares with `""`.
    IifEmptyComparison,
    /// Switch's source is a null/empty test function (named).
    SwitchNullTest(String),
    /// Switch's source is an attribute the source object declares as a Reference (named): the
    /// only form here that needs the schema, so only `check` finds it.
    SwitchOnReference(String),
}

/// One use of an unsupported form.
pub struct Unsupported {
    pub span: ExprSpan,
    pub form: Form,
    /// The attribute tested, when the test is of a plain attribute: the Switch rewrite uses it.
    pub attribute: Option<String>,
    /// For IIF: whether the condition holds when the value is empty (so the rewrite's `""` key
    /// takes valueIfTrue).
    pub true_when_empty: bool,
    /// Whether the IIF has the Switch rewrite (see [`switch_plan`]): a plain attribute tested, and
    /// three arguments.
    pub switchable: bool,
}

/// Up to this many findings of one mapping each carry the mapping's fix (which rewrites every IIF
/// of it, in one edit of the whole `source`); beyond it only the first one does, so that a
/// mapping with thousands of IIFs costs one fix, not thousands of copies of it.
const SHARED_FIX_LIMIT: usize = 8;

const NULL_TESTS: &[&str] = &["IsNullOrEmpty", "IsPresent", "IsNull", "IsNothing"];

/// The null/empty test a condition is, if any: (function, its argument, whether `Not` wraps it).
fn null_test(e: &Expr) -> Option<(&str, Option<&Expr>, bool)> {
    let c = e.as_call()?;
    if c.name == "Not" && c.args.len() == 1 {
        let (name, arg, _) = null_test(c.args[0].expr()?)?;
        return Some((name, arg, true));
    }
    NULL_TESTS
        .contains(&c.name)
        .then(|| (c.name, c.args.first().and_then(|a| a.expr()), false))
}

fn attribute_of(e: Option<&Expr>) -> Option<String> {
    match e? {
        Expr::Attribute { name, .. } => Some(name.clone()),
        _ => None,
    }
}

/// What an IIF condition that tests for null or empty is: its form, the attribute it tests when
/// that is a plain attribute the Switch rewrite can use, and whether it holds for an empty value.
/// `None` for any other condition.
fn iif_condition(first: &Expr) -> Option<(Form, Option<String>, bool)> {
    if let Some((name, arg, negated)) = null_test(first) {
        // IsPresent is true for a value; the others for no value.
        let true_when_empty = (name != "IsPresent") != negated;
        // IsNull and IsNothing are false for "": a Switch with an "" key would not keep that.
        let attribute = attribute_of(arg).filter(|_| name != "IsNull" && name != "IsNothing");
        return Some((Form::IifNullTest(name.to_string()), attribute, true_when_empty));
    }
    let Expr::Compare { op, lhs, rhs, .. } = first else {
        return None;
    };
    if !matches!(op, CompareOp::Eq | CompareOp::Ne) {
        return None;
    }
    let empty = |e: &Expr| matches!(e, Expr::Str { value, .. } if value.is_empty());
    let other = if empty(rhs) {
        lhs
    } else if empty(lhs) {
        rhs
    } else {
        return None;
    };
    Some((
        Form::IifEmptyComparison,
        attribute_of(Some(other)),
        *op == CompareOp::Eq,
    ))
}

/// Every use of a documented unsupported form, outermost first.
pub(super) fn find(tree: &Expr) -> Vec<Unsupported> {
    let mut out = Vec::new();
    for c in tree.calls() {
        let Some(first) = c.args.first().and_then(|a| a.expr()) else {
            continue;
        };
        match c.name {
            "IIF" => {
                if let Some((form, attribute, true_when_empty)) = iif_condition(first) {
                    out.push(Unsupported {
                        span: first.span(),
                        form,
                        attribute,
                        true_when_empty,
                        switchable: switch_plan(c.name, c.args).is_some(),
                    });
                }
            }
            "Switch" => {
                if let Some((name, arg, false)) = null_test(first)
                    && name != "IsNothing"
                {
                    out.push(Unsupported {
                        span: first.span(),
                        form: Form::SwitchNullTest(name.to_string()),
                        attribute: attribute_of(arg),
                        true_when_empty: false,
                        switchable: false,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// The plan of the Switch rewrite of a call `name(args)`: the attribute the IIF tests and whether
/// its condition holds for an empty value. `None` for any other call, an IIF whose condition is
/// not a null/empty test of a plain attribute, without three arguments, or with an empty branch.
fn switch_plan(name: &str, args: &[Arg]) -> Option<(String, bool)> {
    let [Arg::Expr(condition), Arg::Expr(_), Arg::Expr(_)] = args else {
        return None;
    };
    if name != "IIF" {
        return None;
    }
    let (_, attribute, true_when_empty) = iif_condition(condition)?;
    Some((attribute?, true_when_empty))
}

/// Whether `call` is an IIF with the Switch rewrite, for an attribute `eligible` accepts.
fn has_switch(call: &Expr, eligible: &dyn Fn(&str) -> bool) -> bool {
    call.as_call()
        .and_then(|c| switch_plan(c.name, c.args))
        .is_some_and(|(a, _)| eligible(&a))
}

/// `Switch([attribute], <value if not empty>, "", <value if empty>)` from an IIF's branches.
fn switch(attribute: String, true_when_empty: bool, if_true: Expr, if_false: Expr, at: ExprSpan) -> Expr {
    let (if_empty, otherwise) = if true_when_empty {
        (if_true, if_false)
    } else {
        (if_false, if_true)
    };
    Expr::Call {
        name: "Switch".into(),
        name_span: at,
        args: vec![
            Arg::Expr(Expr::Attribute {
                name: attribute,
                span: at,
            }),
            Arg::Expr(otherwise),
            Arg::Expr(Expr::Str {
                value: String::new(),
                span: at,
            }),
            Arg::Expr(if_empty),
        ],
        span: at,
    }
}

/// `tree` with every IIF that has a Switch rewrite (see [`switch_plan`]) replaced by its Switch, the
/// nested ones (in a branch of another) included. Recursion follows the tree, whose depth the
/// parser bounds; every node is copied once.
pub(super) fn rewrite(tree: &Expr, eligible: &dyn Fn(&str) -> bool) -> Expr {
    let rewritten = tree.map_children(&|child| rewrite(child, eligible));
    let plan = match &rewritten {
        Expr::Call { name, args, .. } => switch_plan(name, args).filter(|(a, _)| eligible(a)),
        _ => None,
    };
    match (plan, rewritten) {
        (
            Some((attribute, true_when_empty)),
            Expr::Call {
                name,
                name_span,
                args,
                span,
            },
        ) => match <[Arg; 3]>::try_from(args) {
            Ok([_, Arg::Expr(if_true), Arg::Expr(if_false)]) => {
                switch(attribute, true_when_empty, if_true, if_false, span)
            }
            // Not the shape switch_plan accepts: left as it is.
            Ok(args) => Expr::Call {
                name,
                name_span,
                args: args.into(),
                span,
            },
            Err(args) => Expr::Call {
                name,
                name_span,
                args,
                span,
            },
        },
        (_, other) => other,
    }
}

/// The text edits of [`rewrite`]: for each outermost IIF with a Switch rewrite, its span and the
/// printed Switch that replaces it (the IIFs nested in it are rewritten inside). The rest of the
/// text is left as it is. In document order.
pub(super) fn rewrites(tree: &Expr, eligible: &dyn Fn(&str) -> bool) -> Vec<(ExprSpan, String)> {
    let mut out: Vec<(ExprSpan, String)> = Vec::new();
    // `calls` is pre-order, so an IIF inside one already taken is skipped by position.
    for c in tree.calls() {
        if out.last().is_some_and(|(taken, _)| c.span.start < taken.end) {
            continue;
        }
        if has_switch(c.node, eligible) {
            out.push((*c.span, printer::print(&rewrite(c.node, eligible))));
        }
    }
    out
}

pub(super) fn report(u: &Unsupported, at: &At<'_>) -> Diagnostic {
    let (message, label, help) = match &u.form {
        Form::IifNullTest(name) => (
            format!("IIF with the condition {name}(…) is documented as unsupported: the condition check fails when the value is empty or null"),
            "null/empty test in an IIF condition",
            iif_help(u),
        ),
        Form::IifEmptyComparison => (
            "IIF comparing with \"\" is documented as unsupported: the condition check fails when the value is empty or null".to_string(),
            "comparison with an empty string",
            iif_help(u),
        ),
        Form::SwitchOnReference(name) => (
            format!("Switch on the reference attribute `{name}` is documented as unsupported: Switch shouldn't be used for referential attributes such as manager"),
            "a Reference attribute as Switch's source",
            "map the reference directly (a Direct mapping), or test it with IIF".to_string(),
        ),
        Form::SwitchNullTest(name) => (
            format!("Switch on {name}(…) is documented as unsupported: the source must not be IsPresent, IsNull or IsNullOrEmpty"),
            "null/empty test as Switch's source",
            format!(
                "switch on the value itself and use a literal \"\" key for the empty case, e.g. Switch({}, \"Default Value\", \"\", \"value if empty\")",
                u.attribute.as_deref().map_or_else(|| "[attribute]".to_string(), |a| format!("[{a}]"))
            ),
        ),
    };
    let anchor = match u.form {
        Form::SwitchNullTest(_) | Form::SwitchOnReference(_) => "#switch",
        _ => "#known-limitations",
    };
    Diagnostic::at(&UnsupportedForm::META, message, at.span(u.span), at.pointer())
        .with_label(label)
        .with_help(help)
        .with_note(format!("see {REFERENCE}{anchor}"))
}

fn iif_help(u: &Unsupported) -> String {
    match &u.attribute {
        Some(a) => {
            let (if_empty, otherwise) = if u.true_when_empty {
                ("valueIfTrue", "valueIfFalse")
            } else {
                ("valueIfFalse", "valueIfTrue")
            };
            format!(
                "test for empty with Switch and an \"\" key: Switch([{a}], {otherwise}, \"\", {if_empty}) gives {if_empty} when [{a}] is empty or missing"
            )
        }
        None => {
            "test for empty with Switch and an \"\" key, e.g. Switch([country], [country], \"\", \"Other\")".to_string()
        }
    }
}

impl Rule for UnsupportedForm {
    /// The expression, the finding, and whether the finding carries the mapping's fix.
    type State<'a> = (&'a MappingExpression<'a>, Unsupported, bool);

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Self::State<'a>> {
        let mut out = Vec::new();
        for e in cx.expressions {
            let Some(tree) = e.tree() else { continue };
            let found = find(tree);
            let eligible = eligible_in(cx, e);
            let fixable = |u: &Unsupported| u.switchable && u.attribute.as_deref().is_some_and(&eligible);
            let shared = found.iter().filter(|u| fixable(u)).count() <= SHARED_FIX_LIMIT;
            let mut first = true;
            for u in found {
                let carries = fixable(&u) && (shared || std::mem::take(&mut first));
                out.push((e, u, carries));
            }
            // Switch on a Reference attribute: the source object says which attributes are.
            let Some(object) = cx.schema.objects_of(e.rule, e.object_mapping).0 else {
                continue;
            };
            for c in tree.calls().filter(|c| c.name == "Switch") {
                if let Some(Expr::Attribute { name, span }) = c.args.first().and_then(|a| a.expr())
                    && object.attribute(name).is_some_and(|a| a.kind() == "Reference")
                {
                    out.push((
                        e,
                        Unsupported {
                            span: *span,
                            form: Form::SwitchOnReference(name.clone()),
                            attribute: Some(name.clone()),
                            true_when_empty: false,
                            switchable: false,
                        },
                        false,
                    ));
                }
            }
        }
        out
    }

    fn diagnostic(&self, _cx: &Context<'_>, (expression, u, _): &Self::State<'_>) -> Diagnostic {
        report(u, &At::mapping(expression))
    }

    /// Rewrites every rewritable IIF of the mapping's expression as its Switch ([`rewrites`]), so
    /// several findings of one mapping share one fix (up to [`SHARED_FIX_LIMIT`] of them carry
    /// it, else the first). Only the IIFs' bytes of the expression string change (its other
    /// escapes stay). A `source` that stores a tree (`name` or `parameters`) is edited in place
    /// ([`in_place`]) or, when its tree does not follow the text, gets the tree of the new text,
    /// keeping the old keys where a node keeps its shape. Not offered for an attribute the source
    /// object declares multi-valued (Switch compares one text), nor when a tree is needed for a
    /// part whose tree form is not known.
    fn fix(&self, cx: &Context<'_>, (expression, u, carries): &Self::State<'_>) -> Option<Fix> {
        if !carries {
            return None;
        }
        let eligible = eligible_in(cx, expression);
        let attribute = u.attribute.as_deref()?;
        let tree = expression.tree()?;
        let replacements = rewrites(tree, &eligible);
        let source = expression.mapping.source.as_ref()?;
        // The new text, and its JSON string literal: the file's literal with only the IIFs
        // replaced, through the string's escapes.
        let literal = expression.literal;
        let (mut text, mut raw) = (expression.text.to_string(), cx.file.text[literal].to_string());
        for (span, new) in replacements.iter().rev() {
            text.replace_range(span.range(), new);
            let quoted = json::quote(new);
            let at = expression.file_span(*span);
            raw.replace_range(
                at.start - literal.start..at.end - literal.start,
                &quoted[1..quoted.len() - 1],
            );
        }
        // How many IIFs the fix rewrites (nested ones are inside a replacement).
        let count = tree.calls().filter(|c| has_switch(c.node, &eligible)).count();
        let title = match replacements.as_slice() {
            [] => return None,
            [(_, switch)] if count == 1 && switch.chars().count() <= 80 => format!("Rewrite the IIF as {switch}"),
            [_] if count == 1 => format!("Rewrite the IIF as Switch([{attribute}], …, \"\", …)"),
            _ => format!("Rewrite the {count} IIFs as Switches with an \"\" key"),
        };
        let title = format!("{title} (unsafe: what is sent for an empty or missing value changes)");
        let edits = if source.name.is_some() || source.parameters_loc.is_some() {
            match in_place(cx, expression, source, tree, &eligible) {
                Some(edits) => edits,
                None => {
                    let mut tree = expr::to_source_tree(&expr::parse(&text).ok()?).ok()?;
                    adopt_keys(&mut tree, source);
                    vec![replace_source(cx, source, &tree, Some(&raw))?]
                }
            }
        } else {
            vec![Edit::replace(literal, raw)]
        };
        Some(Fix::unsafe_(title, edits))
    }
}

/// The fix's edits when the stored tree follows the text down to every IIF it rewrites (each
/// node on the way a Function of the call's name with one parameter per non-empty argument, and
/// the node of the IIF an IIF): the IIF's node is replaced with the Switch's tree, and the IIF's
/// text with the Switch's in the top `expression` and in the `expression` of every node on the
/// way. Every other byte of the `source` stays. `None` when the tree does not follow the text,
/// an IIF is the whole expression, or a Switch's tree cannot be built.
fn in_place(
    cx: &Context<'_>,
    expression: &MappingExpression<'_>,
    source: &crate::model::Source,
    tree: &Expr,
    eligible: &dyn Fn(&str) -> bool,
) -> Option<Vec<Edit>> {
    let inside = |text: &str| {
        let quoted = json::quote(text);
        quoted[1..quoted.len() - 1].to_string()
    };
    let mut edits = Vec::new();
    // Each call's non-empty argument slots, and each nested `expression` string parsed, once: many
    // IIFs in one call must not make the walk quadratic.
    let mut filled_of: HashMap<ExprSpan, Vec<usize>> = HashMap::new();
    let mut parsed_of: HashMap<usize, (expr::OffsetMap, Expr)> = HashMap::new();
    for (span, text) in rewrites(tree, eligible) {
        let path = path_to(tree, span)?;
        if path.is_empty() {
            return None;
        }
        let switch = expr::to_source_tree(&rewrite(follow(tree, &path)?, eligible)).ok()?;
        let new = inside(&text);
        edits.push(Edit::replace(expression.file_span(span), new.clone()));
        // Down the stored tree; each node below the top holds the IIF's text too.
        let (mut node, mut at) = (source, tree);
        for (depth, &k) in path.iter().enumerate() {
            let c = at.as_call()?;
            let filled = filled_of
                .entry(*c.span)
                .or_insert_with(|| (0..c.args.len()).filter(|&i| !c.args[i].is_empty()).collect());
            if node.kind() != "Function" || node.name_str() != c.name || node.parameters.len() != filled.len() {
                return None;
            }
            node = node.parameters[filled.binary_search(&k).ok()?].value.as_ref()?;
            at = c.args[k].expr()?;
            if depth + 1 == path.len() {
                break;
            }
            if let Some(stored) = &node.expression {
                let (map, parsed) = match parsed_of.entry(stored.loc.span.start) {
                    Entry::Occupied(entry) => entry.into_mut(),
                    Entry::Vacant(entry) => {
                        let raw = cx.file.text.get(stored.loc.span.range())?;
                        let (decoded, map) = expr::decode_json_string(raw).ok()?;
                        entry.insert((map, expr::parse(&decoded).ok()?))
                    }
                };
                let iif =
                    follow(parsed, &path[depth + 1..]).filter(|e| e.as_call().is_some_and(|c| c.name == "IIF"))?;
                edits.push(Edit::replace(
                    map.to_file_span(stored.loc.span, iif.span()),
                    new.clone(),
                ));
            }
        }
        if node.kind() != "Function" || node.name_str() != "IIF" {
            return None;
        }
        edits.push(replace_source(cx, node, &switch, None)?);
    }
    edits.sort_by_key(|e| e.span.start);
    Some(edits)
}

/// The argument indices leading from `tree` down to the call at `span`; `None` when the way
/// passes through a comparison (the stored tree has no node for one).
fn path_to(tree: &Expr, span: ExprSpan) -> Option<Vec<usize>> {
    let (mut path, mut at) = (Vec::new(), tree);
    while at.span() != span {
        let c = at.as_call()?;
        // Arguments are in text order: the first one ending at or after the span's end holds it.
        let k = c.args.partition_point(|a| a.span().end < span.end);
        let held = c
            .args
            .get(k)
            .is_some_and(|a| !a.is_empty() && a.span().start <= span.start);
        if !held {
            return None;
        }
        path.push(k);
        at = c.args[k].expr()?;
    }
    Some(path)
}

/// The node `path` leads to from `tree`.
fn follow<'e>(tree: &'e Expr, path: &[usize]) -> Option<&'e Expr> {
    path.iter().try_fold(tree, |at, &k| at.as_call()?.args.get(k)?.expr())
}

/// Whether the Switch rewrite may test attribute `a` of the mapping's source object: not when the
/// object declares it multi-valued (Switch compares one text).
fn eligible_in<'a>(cx: &Context<'a>, e: &MappingExpression<'a>) -> impl Fn(&str) -> bool + use<'a> {
    let object = cx.schema.objects_of(e.rule, e.object_mapping).0;
    move |a: &str| !object.and_then(|o| o.attribute(a)).is_some_and(|d| d.multivalued)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse;

    fn forms(text: &str) -> Vec<(Form, Option<String>, bool)> {
        find(&parse(text).unwrap())
            .into_iter()
            .map(|u| (u.form, u.attribute, u.true_when_empty))
            .collect()
    }

    /// The reference's own unsupported examples, and what is still fine.
    #[test]
    fn documented_examples() {
        let c = Some("country".to_string());
        assert_eq!(
            forms(r#"IIF([country]="","Other",[country])"#),
            [(Form::IifEmptyComparison, c.clone(), true)]
        );
        assert_eq!(
            forms(r#"IIF(IsNullOrEmpty([country]),"Other",[country])"#),
            [(Form::IifNullTest("IsNullOrEmpty".into()), c.clone(), true)]
        );
        assert_eq!(
            forms(r#"IIF(IsPresent([country]),[country],"Other")"#),
            [(Form::IifNullTest("IsPresent".into()), c.clone(), false)]
        );
        assert_eq!(
            forms(r#"IIF(Not(IsPresent([country])),"Other",[country])"#),
            [(Form::IifNullTest("IsPresent".into()), c.clone(), true)]
        );
        assert_eq!(
            forms(r#"Switch(IsPresent([directManager]), [directManager], "True", "x")"#),
            [(
                Form::SwitchNullTest("IsPresent".into()),
                Some("directManager".into()),
                false
            )]
        );
        // The recommended workaround and ordinary conditions are fine.
        assert_eq!(forms(r#"Switch([country],[country],"","Other")"#), []);
        assert_eq!(forms(r#"IIF([country]="USA",[country],[department])"#), []);
        assert_eq!(
            forms(r#"IIF(DateDiff("d", Now(), CDate([d])) > 5, "False", "True")"#),
            []
        );
        let u = &find(&parse(r#"IIF(IsPresent([country]),[country],"Other")"#).unwrap())[0];
        let d = report(u, &At::standalone());
        assert_eq!(
            d.help.as_deref(),
            Some(
                "test for empty with Switch and an \"\" key: Switch([country], valueIfTrue, \"\", valueIfFalse) gives valueIfFalse when [country] is empty or missing"
            )
        );
        assert!(
            d.note
                .unwrap()
                .ends_with("functions-for-customizing-application-data#known-limitations")
        );
    }

    /// `text` with the fix's rewrite spliced in, `None` when nothing is rewritten.
    fn switch(text: &str) -> Option<String> {
        let replacements = rewrites(&parse(text).unwrap(), &|_| true);
        let mut out = text.to_string();
        for (span, new) in replacements.iter().rev() {
            out.replace_range(span.range(), new);
        }
        (!replacements.is_empty()).then_some(out)
    }

    #[test]
    fn the_rewrite_is_the_documented_switch() {
        let country = Some(r#"Switch([country], [country], "", "Other")"#.to_string());
        // Both polarities of each test, `Not` of one, and "" on either side of `=` and `<>`.
        for iif in [
            r#"IIF(IsPresent([country]), [country], "Other")"#,
            r#"IIF(IsNullOrEmpty([country]), "Other", [country])"#,
            r#"IIF(Not(IsPresent([country])), "Other", [country])"#,
            r#"IIF(Not(IsNullOrEmpty([country])), [country], "Other")"#,
            r#"IIF([country]="","Other",[country])"#,
            r#"IIF("" = [country], "Other", [country])"#,
            r#"IIF([country] <> "", [country], "Other")"#,
            r#"IIF("" <> [country], [country], "Other")"#,
        ] {
            assert_eq!(switch(iif), country, "{iif}");
        }
        // Nested expressions in the branches and escaped quotes come out printed canonically; the
        // text around the IIF stays as it was.
        assert_eq!(
            switch(r#"Join(",",  IIF(IsPresent([c]),ToUpper(Trim( [c] )),"say \"none\" \\o/"), [x])"#).as_deref(),
            Some(r#"Join(",",  Switch([c], ToUpper(Trim([c])), "", "say \"none\" \\o/"), [x])"#)
        );
        // An IIF in a branch of another is rewritten inside it (one edit); separate ones each.
        assert_eq!(
            switch(r#"IIF(IsPresent([a]), [a], IIF([b] = "", "none", [b]))"#).as_deref(),
            Some(r#"Switch([a], [a], "", Switch([b], [b], "", "none"))"#)
        );
        assert_eq!(
            switch(r#"Join(" ", IIF(IsPresent([a]),[a],"x"), IIF(IsNullOrEmpty([b]),"y",[b]))"#).as_deref(),
            Some(r#"Join(" ", Switch([a], [a], "", "x"), Switch([b], [b], "", "y"))"#)
        );
        // Where the Switch is not the same test, or there is no plain attribute: nothing.
        for other in [
            r#"IIF(IsNull([a]), "x", [a])"#,
            r#"IIF(IsNothing([a]), "x", [a])"#,
            r#"IIF(IsPresent(Trim([a])), [a], "x")"#,
            r#"IIF(Trim([a]) = "", "x", [a])"#,
            r#"IIF([a] = "x", "y", [a])"#,
            r#"IIF(IsPresent([a]), , "x")"#,
            r#"IIF(IsPresent([a]), "x")"#,
            r#"Switch(IsPresent([a]), "x", "True", "y")"#,
            r#"Switch([a], [a], "", "Other")"#,
        ] {
            assert_eq!(switch(other), None, "{other}");
        }
        let tree = parse(r#"IIF(IsPresent([a]), [a], "x")"#).unwrap();
        assert_eq!(rewrites(&tree, &|a| a != "a"), []);
        // The finding says whether its IIF has the rewrite: a Switch has none, nor has a null-only
        // test (IsNull is false for "", unlike the "" key) or an IIF without three arguments.
        let switchable = |text: &str| find(&parse(text).unwrap())[0].switchable;
        assert!(switchable(r#"IIF(IsPresent([a]), [a], "x")"#));
        assert!(!switchable(r#"IIF(IsNull([a]), "x", [a])"#));
        assert!(!switchable(r#"IIF(IsPresent([a]), "x")"#));
        assert!(!switchable(r#"Switch(IsPresent([a]), "x", "True", "y")"#));
    }

    /// The Switch evaluates (`mapping-lint eval`'s evaluator) to what the IIF was written for:
    /// the value when there is one, the empty case for an empty string and for a missing
    /// attribute. For the null tests the evaluator computes the IIF as written, and old and new
    /// agree for all three inputs. For a comparison with "" it models the documented failure:
    /// when the attribute is empty or missing the comparison is false, so the old IIF takes its
    /// third argument whatever the comparison says — which the rewrite repairs. With a value,
    /// old and new agree.
    #[test]
    fn the_switch_evaluates_as_the_iif_was_meant() {
        use crate::expr::{FixedEnvironment, Input, Value, eval::DateTime, evaluate};
        let eval = |text: &str, input: &serde_json::Value| {
            let mut env = FixedEnvironment::new(DateTime::from_parts(2024, 1, 2, 3, 4, 5, 0).unwrap(), 1);
            evaluate(&parse(text).unwrap(), &Input::from_json(input).unwrap(), &mut env).unwrap()
        };
        let inputs = [
            serde_json::json!({"c": "de"}),
            serde_json::json!({"c": ""}),
            serde_json::json!({}),
        ];
        let intended = [Value::str("DE"), Value::str("Other \"x\""), Value::str("Other \"x\"")];
        for (iif, null_test) in [
            (r#"IIF(IsPresent([c]), ToUpper([c]), "Other \"x\"")"#, true),
            (r#"IIF(IsNullOrEmpty([c]), "Other \"x\"", ToUpper([c]))"#, true),
            (r#"IIF(Not(IsPresent([c])), "Other \"x\"", ToUpper([c]))"#, true),
            (r#"IIF(Not(IsNullOrEmpty([c])), ToUpper([c]), "Other \"x\"")"#, true),
            (r#"IIF([c] = "", "Other \"x\"", ToUpper([c]))"#, false),
            (r#"IIF("" = [c], "Other \"x\"", ToUpper([c]))"#, false),
            (r#"IIF([c] <> "", ToUpper([c]), "Other \"x\"")"#, false),
            (r#"IIF("" <> [c], ToUpper([c]), "Other \"x\"")"#, false),
        ] {
            let new = switch(iif).unwrap();
            let tree = parse(iif).unwrap();
            let third = printer::print(tree.as_call().unwrap().args[2].expr().unwrap());
            for (input, intended) in inputs.iter().zip(&intended) {
                assert_eq!(eval(&new, input), *intended, "{new} for {input}");
                let old = eval(iif, input);
                let has_value = input["c"].as_str().is_some_and(|c| !c.is_empty());
                if null_test || has_value {
                    assert_eq!(old, *intended, "{iif} for {input}");
                } else {
                    assert_eq!(old, eval(&third, input), "{iif} for {input}");
                }
            }
        }
    }

    /// The fix of the first `unsupported-form` finding in an export whose one mapping has
    /// `source` (JSON), on a `User` object with a multi-valued `proxyAddresses`: the source after
    /// the fix and the fix's applicability, or `None` without a fix.
    fn fixed(source: &str) -> Option<(String, crate::diagnostic::Applicability)> {
        let text = format!(
            r#"{{"synchronizationRules": [{{"sourceDirectoryName": "Microsoft Entra ID", "targetDirectoryName": "customappsso",
  "objectMappings": [{{"sourceObjectName": "User", "targetObjectName": "urn:ietf:params:scim:schemas:core:2.0:User",
    "attributeMappings": [{{"targetAttributeName": "displayName", "source": {source}}}]}}]}}],
  "directories": [{{"name": "Microsoft Entra ID", "objects": [{{"name": "User", "attributes": [{{"name": "c"}}, {{"name": "proxyAddresses", "multivalued": true}}]}}]}}]}}"#
        );
        let settings = crate::lint::LintSettings {
            select: Some(vec!["unsupported-form".into()]),
            ..Default::default()
        };
        let report = crate::lint::lint_text("x.json", &text, &settings);
        let fix = report.diagnostics.first().expect("a finding").fix.as_ref()?;
        let out = crate::fix::apply::apply_edits(&text, &fix.edits).unwrap();
        let start = out.find("\"source\": ").unwrap() + "\"source\": ".len();
        let end = out.find("}]}]}],\n  \"directories\"").unwrap();
        Some((out[start..end].to_string(), fix.applicability))
    }

    #[test]
    fn the_fix_rewrites_text_and_tree() {
        // A stored tree is rebuilt for the new text; the rest of the expression string keeps its
        // escapes (`\u0022`), the new part is escaped for JSON.
        let (out, applicability) = fixed(
            r#"{"expression": "Join(\u0022,\u0022, IIF(IsPresent([c]), [c], \"a \\\"b\\\"\"))", "name": "Join", "type": "Function", "parameters": []}"#,
        )
        .unwrap();
        assert_eq!(applicability, crate::diagnostic::Applicability::Unsafe);
        let tree: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            out.split("\"name\"").next().unwrap(),
            r#"{"expression": "Join(\u0022,\u0022, Switch([c], [c], \"\", \"a \\\"b\\\"\"))", "#
        );
        let switch = &tree["parameters"][1]["value"];
        assert_eq!(switch["name"], "Switch");
        assert_eq!(switch["expression"], r#"Switch([c], [c], "", "a \"b\"")"#);
        let names: Vec<&str> = switch["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["value"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["c", "c", "", "a \"b\""]);
        // A tree that follows the text keeps every node but the IIF's byte for byte (the extra
        // member, the comparison whose tree form is not known, the `\u0022`s), the IIF's node
        // becomes the Switch's, and the text of the IIF changes wherever it is written.
        let (out, _) = fixed(
            r#"{"expression": "Join(\",\", IIF([b] = \"US\", \"y\", \"z\"), Trim(IIF(IsPresent([c]), [c], \"x\")))", "name": "Join", "type": "Function", "parameters": [
  {"key": "separator", "value": {"expression": "\u0022,\u0022", "name": ",", "type": "Constant", "parameters": [], "x-note": 1}},
  {"key": "source", "value": {"expression": "IIF([b]=\"US\",\"y\",\"z\")", "name": "IIF", "type": "Function", "parameters": []}},
  {"key": "source", "value": {"expression": "Trim( IIF(IsPresent([c]),[c],\"x\") )", "name": "Trim", "type": "Function", "parameters": [
    {"key": "source", "value": {"expression": "IIF(IsPresent([c]), [c], \"x\")", "name": "IIF", "type": "Function", "parameters": [{"key": "condition", "value": {}}]}}]}}]}"#,
        )
        .unwrap();
        assert_eq!(
            out,
            r#"{"expression": "Join(\",\", IIF([b] = \"US\", \"y\", \"z\"), Trim(Switch([c], [c], \"\", \"x\")))", "name": "Join", "type": "Function", "parameters": [
  {"key": "separator", "value": {"expression": "\u0022,\u0022", "name": ",", "type": "Constant", "parameters": [], "x-note": 1}},
  {"key": "source", "value": {"expression": "IIF([b]=\"US\",\"y\",\"z\")", "name": "IIF", "type": "Function", "parameters": []}},
  {"key": "source", "value": {"expression": "Trim( Switch([c], [c], \"\", \"x\") )", "name": "Trim", "type": "Function", "parameters": [
    {"key": "source", "value": {"expression": "Switch([c], [c], \"\", \"x\")", "name": "Switch", "type": "Function", "parameters": [{"key": "source", "value": {"expression": "[c]", "name": "c", "type": "Attribute", "parameters": []}}, {"key": "defaultValue", "value": {"expression": "[c]", "name": "c", "type": "Attribute", "parameters": []}}, {"key": "switchValue", "value": {"expression": "\"\"", "name": "", "type": "Constant", "parameters": []}}, {"key": "switchValue", "value": {"expression": "\"x\"", "name": "x", "type": "Constant", "parameters": []}}]}}]}}]}"#
        );
        // Without a stored tree only the expression string changes.
        let (out, _) = fixed(r#"{"expression": "IIF([c] = \"\", \"Other\", [c])", "type": "Function"}"#).unwrap();
        assert_eq!(
            out,
            r#"{"expression": "Switch([c], [c], \"\", \"Other\")", "type": "Function"}"#
        );
        // No fix: a Switch, a test of an expression, a multi-valued attribute, and a new text
        // with a comparison whose tree form is not known, when the tree must be rebuilt.
        for source in [
            r#"{"expression": "Switch(IsPresent([c]), \"x\", \"True\", \"y\")"}"#,
            r#"{"expression": "IIF(IsPresent(Trim([c])), [c], \"x\")"}"#,
            r#"{"expression": "IIF(IsPresent([proxyAddresses]), \"x\", \"y\")"}"#,
            r#"{"expression": "IIF(IsPresent([c]), [c], IIF([c] = \"x\", \"y\", \"z\"))", "name": "IIF", "parameters": []}"#,
        ] {
            assert_eq!(fixed(source), None, "{source}");
        }
        // … which without a tree is fine.
        let (out, _) = fixed(r#"{"expression": "IIF(IsPresent([c]), [c], IIF([c] = \"x\", \"y\", \"z\"))"}"#).unwrap();
        assert_eq!(
            out,
            r#"{"expression": "Switch([c], [c], \"\", IIF([c] = \"x\", \"y\", \"z\"))"}"#
        );
    }

    /// Findings of one mapping share its fix; with more than [`SHARED_FIX_LIMIT`] of them only the
    /// first carries it, and it still rewrites them all. A finding without a rewrite carries none.
    #[test]
    fn findings_of_one_mapping_share_the_fix_up_to_a_limit() {
        let lint = |n: usize| {
            let iifs: Vec<String> = (0..n)
                .map(|i| format!(r#"IIF(IsPresent([c]), [c], \"{i}\")"#))
                .collect();
            let text = format!(
                r#"{{"synchronizationRules": [{{"sourceDirectoryName": "Microsoft Entra ID", "targetDirectoryName": "customappsso",
  "objectMappings": [{{"sourceObjectName": "User", "targetObjectName": "urn:ietf:params:scim:schemas:core:2.0:User",
    "attributeMappings": [{{"targetAttributeName": "displayName", "source": {{"expression": "Join(\",\", IIF(IsNull([c]), \"\", [c]), {})"}}}}]}}]}}]}}"#,
                iifs.join(", ")
            );
            let settings = crate::lint::LintSettings {
                select: Some(vec!["unsupported-form".into()]),
                ..Default::default()
            };
            let report = crate::lint::lint_text("x.json", &text, &settings);
            let fixes: Vec<Option<&Fix>> = report.diagnostics.iter().map(|d| d.fix.as_ref()).collect();
            assert_eq!(fixes.len(), n + 1);
            assert!(fixes[0].is_none(), "IsNull has no rewrite");
            let fix = fixes[1].expect("the first rewritable finding carries the fix");
            let out = crate::fix::apply::apply_edits(&text, &fix.edits).unwrap();
            assert_eq!(out.matches("Switch([c], [c], ").count(), n);
            assert_eq!(out.matches("IIF(").count(), 1);
            fixes[2..].iter().map(|f| f.map(|f| f == fix)).collect::<Vec<_>>()
        };
        assert_eq!(lint(SHARED_FIX_LIMIT), vec![Some(true); SHARED_FIX_LIMIT - 1]);
        assert_eq!(lint(SHARED_FIX_LIMIT + 1), vec![None; SHARED_FIX_LIMIT]);
    }
}
