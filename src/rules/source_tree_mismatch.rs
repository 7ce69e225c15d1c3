use super::expression::replace_source;
use super::{Context, Described, Rule};
use crate::diagnostic::{Diagnostic, Fix};
use crate::expr::tree::{node_shape, to_source_tree};
use crate::expr::{self, Arg, Expr, SourceKind, SourceTree};
use crate::model::{MappingExpression, Source};
use crate::span::{ExprSpan, FileSpan};

declare_rule! {
    /// A mapping's structured `source` tree disagrees with its `expression` text.
    ///
    /// ## What it does
    /// Builds the tree Entra stores for the `expression` text
    /// and compares it, node by node, with the `source` object's `type`,
    /// `name`, nested `expression` strings and `parameters`, then reports the
    /// first node that differs. The comparison follows how Entra writes trees:
    ///
    /// - empty arguments are not in `parameters` (`Switch([x], , "a", "b")`
    ///   has no `defaultValue` entry);
    /// - variadic parameters repeat their key (`switchValue`, `source`);
    /// - numbers are Constants holding their digits (`"name": "1"`,
    ///   `"expression": "\"1\""`);
    /// - parameter keys are not compared (only some are documented), nor is
    ///   whitespace in nested `expression` strings;
    /// - the arguments of a call that contains a comparison (IIF, CBool) and
    ///   hex literals and bare symbols are not compared: their JSON form is
    ///   not known.
    ///
    /// An expression that does not parse is left to `expression-syntax`.
    ///
    /// ## Why it matters
    /// The file says two different things. The text is what the portal shows
    /// and what this tool treats as authoritative, but the tree is what
    /// tools reading the export — and possibly the API on import — use. Such
    /// a file usually comes from hand-editing one of the two.
    ///
    /// ## Example
    /// ```json
    /// "source": { "type": "Function", "name": "ToUpper", "expression": "ToUpper([usageLocation])",
    ///   "parameters": [ { "key": "source", "value": { "type": "Attribute", "name": "country", "expression": "[country]", "parameters": [] } } ] }
    /// ```
    ///
    /// ## Fix
    /// The safe fix rebuilds the tree from the text: the `source` object is
    /// rewritten with the `type`, `name` and `parameters` the text implies,
    /// keeping the `expression` string byte for byte, any other members, the
    /// file's key order and layout, and the parameter keys of the old tree
    /// where it had the same number of parameters (elsewhere the catalogue's
    /// keys). It is not offered when the
    /// text calls an unknown function or contains a construct whose JSON form
    /// is not known.
    pub struct SourceTreeMismatch {
        name: "source-tree-mismatch",
        category: Expressions,
        severity: Warning,
        fix: Safe,
    }
}

/// The first difference between a tree and its expression.
pub struct Mismatch<'a> {
    expression: &'a MappingExpression<'a>,
    source: &'a Source,
    found: Found,
}

impl Rule for SourceTreeMismatch {
    type State<'a> = Mismatch<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Mismatch<'a>> {
        cx.expressions
            .iter()
            .filter_map(|e| {
                let (tree, source) = (e.tree()?, e.mapping.source.as_ref()?);
                let found = compare(tree, source, true)?;
                Some(Mismatch {
                    expression: e,
                    source,
                    found,
                })
            })
            .collect()
    }

    fn diagnostic(&self, _cx: &Context<'_>, m: &Mismatch<'_>) -> Diagnostic {
        let f = &m.found;
        let relative = f.node.strip_prefix(m.source.loc.pointer.as_str()).unwrap_or_default();
        let place = if relative.is_empty() {
            "at the top of the tree".to_string()
        } else {
            format!("at `{}`", relative.trim_start_matches('/'))
        };
        Diagnostic::at(
            &Self::META,
            format!(
                "the `source` tree disagrees with its expression {place}: the tree has {}, the expression {}",
                f.tree_says, f.text_says
            ),
            f.span,
            m.source.loc.pointer.clone(),
        )
        .with_label(format!("the tree's `{}` differs here", f.field))
        .with_secondary(
            m.expression.file_span(f.text_span),
            format!("the expression has {}", f.text_says),
        )
        .with_help("the expression text is authoritative; rebuild the tree from it")
        .with_note(format!("the first differing node is {}", f.node))
    }

    fn fix(&self, cx: &Context<'_>, m: &Mismatch<'_>) -> Option<Fix> {
        let mut tree = to_source_tree(m.expression.tree()?).ok()?;
        adopt_keys(&mut tree, m.source);
        let literal = &cx.file.text[m.expression.literal];
        Some(Fix::safe(
            "Rebuild the source tree from the expression",
            vec![replace_source(cx, m.source, &tree, Some(literal))?],
        ))
    }
}

/// A difference found by [`compare`].
struct Found {
    /// Pointer to the differing tree node.
    node: String,
    /// What differs: `type`, `name`, `expression` or `parameters`.
    field: &'static str,
    /// File span to point at in the tree.
    span: FileSpan,
    tree_says: String,
    text_says: String,
    /// Span of the corresponding part of the expression text.
    text_span: ExprSpan,
}

/// How a tree node reads, for messages.
fn describe_node(source: &Source) -> String {
    match SourceKind::parse(source.kind.as_ref().map(|k| k.as_str())) {
        Some(SourceKind::Attribute) => format!("`[{}]`", source.name_str()),
        Some(SourceKind::Constant) => format!("`{}`", expr::printer::quote(source.name_str())),
        Some(SourceKind::Function) => format!("`{}(…)`", source.name_str()),
        None => format!("type `{}`", source.kind()),
    }
}

/// How an expression node reads, for messages.
fn describe_expr(e: &Expr) -> String {
    match e {
        Expr::Call { name, .. } => format!("`{name}(…)`"),
        Expr::Number { text, .. } => format!("`{text}`"),
        other => format!("`{}`", expr::print(other)),
    }
}

/// The text of a node with numbers written as the string constants they are stored as, so that
/// `Mid([x], 1, 4)` and `Mid([x], "1", "4")` compare equal.
fn value_text(e: &Expr) -> String {
    let mut out = expr::print(e);
    if e.nodes().any(|n| matches!(n, Expr::Number { .. })) {
        out = expr::print(&numbers_as_strings(e));
    }
    out
}

fn numbers_as_strings(e: &Expr) -> Expr {
    match e {
        Expr::Number { text, span } => Expr::Str {
            value: text.clone(),
            span: *span,
        },
        other => other.map_children(&numbers_as_strings),
    }
}

/// The first difference between `source` (a tree node) and `e` (its expression node), in
/// document order: the node itself, then its parameters. Recursion follows the expression, whose
/// depth the parser bounds.
fn compare(e: &Expr, source: &Source, top: bool) -> Option<Found> {
    let Ok((kind, name)) = node_shape(e) else {
        return None; // JSON form unknown: accept whatever the tree holds
    };
    let found = |field, span: Option<FileSpan>, tree_says: String| {
        Some(Found {
            node: source.loc.pointer.clone(),
            field,
            span: span.unwrap_or(source.loc.span),
            tree_says,
            text_says: describe_expr(e),
            text_span: e.span(),
        })
    };
    if source.kind() != kind.as_str() {
        let span = source.kind.as_ref().map(|k| k.loc.span);
        return found("type", span, describe_node(source));
    }
    if source.name_str() != name {
        let span = source.name.as_ref().map(|n| n.loc.span);
        return found("name", span, describe_node(source));
    }
    if !top && let Some(stored) = &source.expression {
        let same = expr::parse(&stored.text).is_ok_and(|parsed| value_text(&parsed) == value_text(e));
        if !same {
            return found(
                "expression",
                Some(stored.loc.span),
                format!("the expression `{}`", stored.text),
            );
        }
    }
    Parameters::of(e, source)?.first_difference()
}

/// A call's non-empty arguments (with their slot index: the tree drops
/// empty ones) against its tree node's parameters.
struct Parameters<'a> {
    call: &'a Expr,
    source: &'a Source,
    args: Vec<(usize, &'a Expr)>,
}

impl<'a> Parameters<'a> {
    /// `None` when the arguments hold a comparison: how those are stored is
    /// not known.
    fn of(call: &'a Expr, source: &'a Source) -> Option<Parameters<'a>> {
        let args: Vec<(usize, &Expr)> = match call {
            Expr::Call { args, .. } => args
                .iter()
                .enumerate()
                .filter_map(|(i, a)| Some((i, a.expr()?)))
                .collect(),
            _ => Vec::new(),
        };
        if args.iter().any(|(_, a)| matches!(a, Expr::Compare { .. })) {
            return None;
        }
        Some(Parameters { call, source, args })
    }

    fn first_difference(&self) -> Option<Found> {
        let (args, params) = (&self.args, &self.source.parameters);
        for (i, (_, arg)) in args.iter().enumerate() {
            let Some(param) = params.get(i) else {
                return self.missing(i);
            };
            let Some(value) = &param.value else {
                return Some(Found {
                    node: param.loc.pointer.clone(),
                    field: "parameters",
                    span: param.loc.span,
                    tree_says: format!("a parameter without a value at position {}", i + 1),
                    text_says: describe_expr(arg),
                    text_span: arg.span(),
                });
            };
            if let Some(found) = compare(arg, value, false) {
                // One parameter too many or too few here explains the rest better than a
                // pairwise diff.
                if params.len() == args.len() + 1 && self.args_match_from(i, i + 1) {
                    return self.extra(i);
                }
                if args.len() == params.len() + 1 && self.args_match_from(i + 1, i) {
                    return self.missing(i);
                }
                return Some(found);
            }
        }
        if params.len() > args.len() {
            return self.extra(args.len());
        }
        None
    }

    /// Whether the arguments from `arg` on equal the parameters from `param` on, to the end.
    fn args_match_from(&self, arg: usize, param: usize) -> bool {
        let params = &self.source.parameters;
        self.args.len() - arg == params.len() - param
            && self.args[arg..].iter().enumerate().all(|(k, (_, a))| {
                params[param + k]
                    .value
                    .as_ref()
                    .is_some_and(|v| compare(a, v, false).is_none())
            })
    }

    /// The tree has parameter `i` that the text does not: point at an empty argument there, if
    /// any.
    fn extra(&self, i: usize) -> Option<Found> {
        let params = &self.source.parameters;
        let slots = self.call.as_call().map_or(&[][..], |c| c.args);
        let from = if i == 0 { 0 } else { self.args[i - 1].0 + 1 };
        let to = self.args.get(i).map_or(slots.len(), |(slot, _)| *slot);
        let empty = slots[from.min(to)..to].iter().find(|a| a.is_empty()).map(Arg::span);
        let value = params[i].value.as_ref();
        Some(Found {
            node: params[i].loc.pointer.clone(),
            field: "parameters",
            span: params[i].loc.span,
            tree_says: format!(
                "an extra parameter {}",
                value.map_or_else(|| "without a value".into(), describe_node)
            ),
            text_says: if empty.is_some() {
                "an empty argument".into()
            } else {
                "no argument there".into()
            },
            text_span: empty.unwrap_or_else(|| self.call.span()),
        })
    }

    /// Argument `i` has no parameter in the tree.
    fn missing(&self, i: usize) -> Option<Found> {
        let (_, arg) = self.args[i];
        let at = self.source.parameters_loc.as_ref().unwrap_or(&self.source.loc);
        Some(Found {
            node: at.pointer.clone(),
            field: "parameters",
            span: at.span,
            tree_says: format!("no parameter for argument {}", i + 1),
            text_says: describe_expr(arg),
            text_span: arg.span(),
        })
    }
}

/// Keeps the old tree's parameter keys where a node has as many parameters as before.
pub(super) fn adopt_keys(tree: &mut SourceTree, old: &Source) {
    if tree.kind != SourceKind::Function || old.kind() != "Function" || old.name_str() != tree.name {
        return;
    }
    if tree.parameters.len() != old.parameters.len() {
        return;
    }
    for (new, old) in tree.parameters.iter_mut().zip(&old.parameters) {
        if let Some(key) = &old.key {
            new.key = key.value.clone();
        }
        if let Some(value) = &old.value {
            adopt_keys(&mut new.value, value);
        }
    }
}
