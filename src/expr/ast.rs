//! The syntax tree of an attribute-mapping expression.
//!
//! Every node keeps the byte range it was parsed from (offsets into the expression text, not into
//! the JSON file; see [`crate::expr::embedded`] for that translation), so that diagnostics can point
//! at the exact argument. Empty arguments (`Switch([x], , "a", "b")`) are kept as
//! [`Arg::Empty`] because they are positionally meaningful: the engine's JSON `parameters` drop them,
//! and the rules need to see them.
//!
//! Traversals here ([`Expr::walk`], [`Expr::nodes`], [`Expr::eq_ignoring_spans`], [`Expr::depth`])
//! use an explicit stack instead of recursion: the parser caps nesting, but trees may also be built
//! by hand (from a JSON `source` tree, in tests), and a linter must not overflow its stack on them.
//! Cloning and dropping use the compiler's recursive glue, which is fine for parsed trees (at most
//! [`crate::expr::parser::MAX_NESTING`] levels); code that builds trees from other input should
//! bound their depth the same way.

use std::fmt;

/// A byte range into the expression text.
pub use crate::span::ExprSpan;

/// A comparison operator, only meaningful inside conditions (IIF, CBool).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompareOp {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CompareOp {
    /// The operator as written in expression text.
    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::Ne => "<>",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }
}

impl fmt::Display for CompareOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One node of an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// `Name(arg, , arg)`.
    Call {
        name: String,
        name_span: ExprSpan,
        args: Vec<Arg>,
        /// From the first letter of the name to the closing parenthesis.
        span: ExprSpan,
    },
    /// `[name]`; `name` is stored without the brackets.
    Attribute { name: String, span: ExprSpan },
    /// `"text"`; `value` is unescaped (`\"` → `"`, `\\` → `\`, other `\x` kept as both characters).
    Str { value: String, span: ExprSpan },
    /// An integer literal, kept as written (`-10`, `129699324000000000`).
    Number { text: String, span: ExprSpan },
    /// A hexadecimal literal as written, including the `&H` prefix (`&HF7`).
    Hex { text: String, span: ExprSpan },
    /// A bare word that is not a call, e.g. `vbTextCompare`.
    Symbol { name: String, span: ExprSpan },
    /// `lhs op rhs`; both sides are primaries (never comparisons themselves).
    Compare {
        op: CompareOp,
        op_span: ExprSpan,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
        span: ExprSpan,
    },
}

/// One argument slot of a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// A present argument.
    Expr(Expr),
    /// Nothing but whitespace between two separators. The span covers that whitespace (it may be
    /// zero-width, e.g. `(,`).
    Empty(ExprSpan),
}

impl Arg {
    /// The argument's expression, or `None` for an empty slot.
    pub fn expr(&self) -> Option<&Expr> {
        match self {
            Arg::Expr(e) => Some(e),
            Arg::Empty(_) => None,
        }
    }

    /// Whether this slot is empty.
    pub fn is_empty(&self) -> bool {
        matches!(self, Arg::Empty(_))
    }

    /// The argument's span (for an empty slot: the whitespace between the separators).
    pub fn span(&self) -> ExprSpan {
        match self {
            Arg::Expr(e) => e.span(),
            Arg::Empty(s) => *s,
        }
    }
}

/// A borrowed view of a [`Expr::Call`] node.
#[derive(Debug, Clone, Copy)]
pub struct CallRef<'a> {
    pub name: &'a str,
    pub name_span: &'a ExprSpan,
    pub args: &'a [Arg],
    pub span: &'a ExprSpan,
    /// The call node itself.
    pub node: &'a Expr,
}

/// The enclosing call of a node visited by [`Expr::walk`].
#[derive(Debug, Clone, Copy)]
pub struct Ancestor<'a> {
    /// The enclosing node (a call or a comparison).
    pub node: &'a Expr,
    /// For a call: the index of the argument the visited node sits in. For a comparison: 0 for the
    /// left side, 1 for the right side.
    pub arg_index: usize,
}

impl Expr {
    /// A copy with every direct child (call arguments, comparison sides)
    /// replaced by `f` of it; a leaf is cloned. The one way tree rewrites
    /// walk the tree: a rewrite handles the nodes it changes and leaves the
    /// rest to this, recursing through `f`.
    pub fn map_children(&self, f: &dyn Fn(&Expr) -> Expr) -> Expr {
        match self {
            Expr::Call {
                name,
                name_span,
                args,
                span,
            } => Expr::Call {
                name: name.clone(),
                name_span: *name_span,
                args: args
                    .iter()
                    .map(|a| match a {
                        Arg::Expr(e) => Arg::Expr(f(e)),
                        Arg::Empty(span) => Arg::Empty(*span),
                    })
                    .collect(),
                span: *span,
            },
            Expr::Compare {
                op,
                op_span,
                lhs,
                rhs,
                span,
            } => Expr::Compare {
                op: *op,
                op_span: *op_span,
                lhs: Box::new(f(lhs)),
                rhs: Box::new(f(rhs)),
                span: *span,
            },
            leaf => leaf.clone(),
        }
    }

    /// The node's byte range in the expression text.
    pub fn span(&self) -> ExprSpan {
        match self {
            Expr::Call { span, .. }
            | Expr::Attribute { span, .. }
            | Expr::Str { span, .. }
            | Expr::Number { span, .. }
            | Expr::Hex { span, .. }
            | Expr::Symbol { span, .. }
            | Expr::Compare { span, .. } => *span,
        }
    }

    /// This node as a call, if it is one.
    pub fn as_call(&self) -> Option<CallRef<'_>> {
        match self {
            Expr::Call {
                name,
                name_span,
                args,
                span,
            } => Some(CallRef {
                name,
                name_span,
                args,
                span,
                node: self,
            }),
            _ => None,
        }
    }

    /// The direct children, in source order (empty argument slots are skipped).
    pub fn children(&self) -> Vec<&Expr> {
        match self {
            Expr::Call { args, .. } => args.iter().filter_map(Arg::expr).collect(),
            Expr::Compare { lhs, rhs, .. } => vec![lhs, rhs],
            _ => Vec::new(),
        }
    }

    /// Pre-order iterator over every node (this one first), iterative.
    pub fn nodes(&self) -> Nodes<'_> {
        Nodes { stack: vec![self] }
    }

    /// Every call in pre-order (outermost first).
    pub fn calls(&self) -> impl Iterator<Item = CallRef<'_>> {
        self.nodes().filter_map(Expr::as_call)
    }

    /// Every attribute reference in source order: `(name, span)`.
    pub fn attributes(&self) -> impl Iterator<Item = (&str, &ExprSpan)> {
        self.nodes().filter_map(|n| match n {
            Expr::Attribute { name, span } => Some((name.as_str(), span)),
            _ => None,
        })
    }

    /// Visits every node in pre-order together with the chain of enclosing nodes (outermost
    /// first). Iterative, so arbitrarily deep hand-built trees are fine.
    pub fn walk<'a>(&'a self, mut visit: impl FnMut(&'a Expr, &[Ancestor<'a>])) {
        // (node, its ancestor depth, the ancestor entry to push for it when it is entered)
        let mut stack: Vec<(&'a Expr, usize, Option<Ancestor<'a>>)> = vec![(self, 0, None)];
        let mut ancestors: Vec<Ancestor<'a>> = Vec::new();
        while let Some((node, depth, via)) = stack.pop() {
            // `depth` counts the node's ancestors, including the one carried in `via`.
            ancestors.truncate(depth - usize::from(via.is_some()));
            ancestors.extend(via);
            visit(node, &ancestors);
            match node {
                Expr::Call { args, .. } => {
                    for (i, arg) in args.iter().enumerate().rev() {
                        if let Arg::Expr(child) = arg {
                            let a = Ancestor { node, arg_index: i };
                            stack.push((child, ancestors.len() + 1, Some(a)));
                        }
                    }
                }
                Expr::Compare { lhs, rhs, .. } => {
                    stack.push((rhs, ancestors.len() + 1, Some(Ancestor { node, arg_index: 1 })));
                    stack.push((lhs, ancestors.len() + 1, Some(Ancestor { node, arg_index: 0 })));
                }
                _ => {}
            }
        }
    }

    /// Nesting depth: a leaf is 1, `Not([x])` is 2.
    pub fn depth(&self) -> usize {
        let mut max = 0;
        let mut stack = vec![(self, 1usize)];
        while let Some((node, d)) = stack.pop() {
            max = max.max(d);
            for child in node.children() {
                stack.push((child, d + 1));
            }
        }
        max
    }

    /// Structural equality that ignores every span (iterative).
    pub fn eq_ignoring_spans(&self, other: &Expr) -> bool {
        let mut stack = vec![(self, other)];
        while let Some((a, b)) = stack.pop() {
            match (a, b) {
                (Expr::Call { name: n1, args: a1, .. }, Expr::Call { name: n2, args: a2, .. }) => {
                    if n1 != n2 || a1.len() != a2.len() {
                        return false;
                    }
                    for (x, y) in a1.iter().zip(a2) {
                        match (x, y) {
                            (Arg::Empty(_), Arg::Empty(_)) => {}
                            (Arg::Expr(x), Arg::Expr(y)) => stack.push((x, y)),
                            _ => return false,
                        }
                    }
                }
                (Expr::Attribute { name: x, .. }, Expr::Attribute { name: y, .. })
                | (Expr::Symbol { name: x, .. }, Expr::Symbol { name: y, .. })
                | (Expr::Str { value: x, .. }, Expr::Str { value: y, .. })
                | (Expr::Number { text: x, .. }, Expr::Number { text: y, .. })
                | (Expr::Hex { text: x, .. }, Expr::Hex { text: y, .. }) => {
                    if x != y {
                        return false;
                    }
                }
                (
                    Expr::Compare {
                        op: o1,
                        lhs: l1,
                        rhs: r1,
                        ..
                    },
                    Expr::Compare {
                        op: o2,
                        lhs: l2,
                        rhs: r2,
                        ..
                    },
                ) => {
                    if o1 != o2 {
                        return false;
                    }
                    stack.push((l1, l2));
                    stack.push((r1, r2));
                }
                _ => return false,
            }
        }
        true
    }
}

impl fmt::Display for Expr {
    /// The canonical text (see [`crate::expr::printer`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::expr::printer::print(self))
    }
}

/// Pre-order node iterator returned by [`Expr::nodes`].
pub struct Nodes<'a> {
    stack: Vec<&'a Expr>,
}

impl<'a> Iterator for Nodes<'a> {
    type Item = &'a Expr;

    fn next(&mut self) -> Option<&'a Expr> {
        let node = self.stack.pop()?;
        match node {
            Expr::Call { args, .. } => {
                self.stack.extend(args.iter().rev().filter_map(Arg::expr));
            }
            Expr::Compare { lhs, rhs, .. } => {
                self.stack.push(rhs);
                self.stack.push(lhs);
            }
            _ => {}
        }
        Some(node)
    }
}

/// The numeric value of a `&H…` literal (`None` if it does not fit in an `i64`).
pub fn hex_literal_value(text: &str) -> Option<i64> {
    let digits = text.strip_prefix("&H").or_else(|| text.strip_prefix("&h"))?;
    u64::from_str_radix(digits, 16).ok().and_then(|v| i64::try_from(v).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(name: &str, span: ExprSpan) -> Expr {
        Expr::Attribute {
            name: name.into(),
            span,
        }
    }

    fn sample() -> Expr {
        // Switch([a], , Not([b]))
        Expr::Call {
            name: "Switch".into(),
            name_span: ExprSpan::new(0, 6),
            args: vec![
                Arg::Expr(attr("a", ExprSpan::new(7, 10))),
                Arg::Empty(ExprSpan::new(11, 12)),
                Arg::Expr(Expr::Call {
                    name: "Not".into(),
                    name_span: ExprSpan::new(14, 17),
                    args: vec![Arg::Expr(attr("b", ExprSpan::new(18, 21)))],
                    span: ExprSpan::new(14, 22),
                }),
            ],
            span: ExprSpan::new(0, 23),
        }
    }

    #[test]
    fn nodes_are_pre_order_and_skip_empty_slots() {
        let e = sample();
        let kinds: Vec<String> = e
            .nodes()
            .map(|n| match n {
                Expr::Call { name, .. } => name.clone(),
                Expr::Attribute { name, .. } => format!("[{name}]"),
                _ => "?".into(),
            })
            .collect();
        assert_eq!(kinds, ["Switch", "[a]", "Not", "[b]"]);
        let attrs: Vec<_> = e.attributes().map(|(n, s)| (n, s.range())).collect();
        assert_eq!(attrs, [("a", 7..10), ("b", 18..21)]);
        assert_eq!(e.depth(), 3);
    }

    #[test]
    fn walk_reports_ancestors_and_argument_index() {
        let e = sample();
        let mut seen = Vec::new();
        e.walk(|node, ancestors| {
            if let Expr::Attribute { name, .. } = node {
                let path: Vec<(String, usize)> = ancestors
                    .iter()
                    .map(|a| (a.node.as_call().unwrap().name.to_string(), a.arg_index))
                    .collect();
                seen.push((name.clone(), path));
            }
        });
        assert_eq!(
            seen,
            [
                ("a".to_string(), vec![("Switch".to_string(), 0)]),
                ("b".to_string(), vec![("Switch".to_string(), 2), ("Not".to_string(), 0)]),
            ]
        );
    }

    #[test]
    fn eq_ignoring_spans_compares_structure_only() {
        let a = sample();
        let mut b = sample();
        if let Expr::Call { span, .. } = &mut b {
            *span = ExprSpan::new(100, 200);
        }
        assert_ne!(a, b);
        assert!(a.eq_ignoring_spans(&b));
        let c = Expr::Call {
            name: "Switch".into(),
            name_span: ExprSpan::new(0, 0),
            args: vec![Arg::Expr(attr("a", ExprSpan::new(0, 0)))],
            span: ExprSpan::new(0, 0),
        };
        assert!(!a.eq_ignoring_spans(&c));
    }

    #[test]
    fn deep_hand_built_tree_is_walked_without_recursion() {
        let mut e = attr("x", ExprSpan::new(0, 3));
        for _ in 0..50_000 {
            e = Expr::Call {
                name: "Not".into(),
                name_span: ExprSpan::new(0, 3),
                args: vec![Arg::Expr(e)],
                span: ExprSpan::new(0, 3),
            };
        }
        assert_eq!(e.depth(), 50_001);
        assert_eq!(e.nodes().count(), 50_001);
        assert!(e.eq_ignoring_spans(&e));
        let mut max_ancestors = 0;
        e.walk(|_, a| max_ancestors = max_ancestors.max(a.len()));
        assert_eq!(max_ancestors, 50_000);
        // Dropping a deep tree recurses in the compiler-generated drop glue: leak it on purpose
        // instead of relying on the test thread's stack size.
        std::mem::forget(e);
    }

    #[test]
    fn hex_values() {
        assert_eq!(hex_literal_value("&HF7"), Some(0xF7));
        assert_eq!(hex_literal_value("&hff"), Some(255));
        assert_eq!(hex_literal_value("&HFFFFFFFFFFFFFFFFFF"), None);
        assert_eq!(hex_literal_value("F7"), None);
    }
}
