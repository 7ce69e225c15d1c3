//! Canonical printer.
//!
//! The canonical form is what rules show in messages and fixes and what `diff` compares: calls as
//! `Name(a, b)` with `", "` between arguments, empty arguments kept (`Switch([x], , "a", "b")`,
//! `Replace([x], "-", , , "_", , )` — the same shape the Graph API normalises to), comparisons as
//! `lhs = rhs`, strings re-escaped (`"` → `\"`, `\` → `\\`). Parsing the printed text yields the same
//! tree (property-tested), with one deliberate exception: a call whose only argument is empty
//! prints as `Name()`, which parses as zero arguments — the two cannot be told apart in text.
//!
//! The printer is iterative so that it works on trees of any depth.

use super::ast::{Arg, CompareOp, Expr};

/// Escapes a string value and wraps it in double quotes.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Prints an expression in canonical form.
pub fn print(expr: &Expr) -> String {
    enum Work<'a> {
        Node(&'a Expr),
        Text(&'static str),
    }
    let mut out = String::new();
    let mut stack = vec![Work::Node(expr)];
    while let Some(work) = stack.pop() {
        let node = match work {
            Work::Text(t) => {
                out.push_str(t);
                continue;
            }
            Work::Node(n) => n,
        };
        match node {
            Expr::Call { name, args, .. } => {
                out.push_str(name);
                out.push('(');
                stack.push(Work::Text(")"));
                for (i, arg) in args.iter().enumerate().rev() {
                    if let Arg::Expr(e) = arg {
                        stack.push(Work::Node(e));
                    }
                    if i > 0 {
                        stack.push(Work::Text(", "));
                    }
                }
            }
            Expr::Attribute { name, .. } => {
                out.push('[');
                out.push_str(name);
                out.push(']');
            }
            Expr::Str { value, .. } => out.push_str(&quote(value)),
            Expr::Number { text, .. } | Expr::Hex { text, .. } => out.push_str(text),
            Expr::Symbol { name, .. } => out.push_str(name),
            Expr::Compare { op, lhs, rhs, .. } => {
                stack.push(Work::Node(rhs));
                stack.push(Work::Text(match op {
                    CompareOp::Eq => " = ",
                    CompareOp::Ne => " <> ",
                    CompareOp::Lt => " < ",
                    CompareOp::Le => " <= ",
                    CompareOp::Gt => " > ",
                    CompareOp::Ge => " >= ",
                }));
                stack.push(Work::Node(lhs));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parser::parse;
    use crate::span::ExprSpan;

    fn canon(src: &str) -> String {
        print(&parse(src).unwrap())
    }

    #[test]
    fn canonical_layout() {
        assert_eq!(
            canon("Switch( [IsSoftDeleted] ,, \"False\",\"True\" ,\n\"True\",\"False\" )"),
            r#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#
        );
        assert_eq!(
            canon(r#"Replace([preferredLanguage], "-", , , "_", ,  )"#),
            r#"Replace([preferredLanguage], "-", , , "_", , )"#
        );
        assert_eq!(
            canon(r#"IIF([country]="USA",[country],[department])"#),
            r#"IIF([country] = "USA", [country], [department])"#
        );
        assert_eq!(canon("Guid( )"), "Guid()");
        assert_eq!(canon("BitAnd(&HF,-1)"), "BitAnd(&HF, -1)");
        assert_eq!(
            canon("InStr([a],\"b\",1,vbTextCompare)"),
            "InStr([a], \"b\", 1, vbTextCompare)"
        );
    }

    #[test]
    fn strings_are_reescaped() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        // An unknown escape keeps both characters, so it is printed with a doubled backslash and
        // still parses back to the same value.
        let printed = canon(r#""\2C""#);
        assert_eq!(printed, r#""\\2C""#);
        assert_eq!(canon(&printed), printed);
        assert_eq!(canon(r#""\\+(?<isdCode>\\d* )""#), r#""\\+(?<isdCode>\\d* )""#);
    }

    #[test]
    fn printing_is_iterative() {
        let mut e = Expr::Attribute {
            name: "x".into(),
            span: ExprSpan::new(0, 0),
        };
        for _ in 0..30_000 {
            e = Expr::Call {
                name: "Not".into(),
                name_span: ExprSpan::new(0, 0),
                args: vec![Arg::Expr(e)],
                span: ExprSpan::new(0, 0),
            };
        }
        let s = print(&e);
        assert!(s.starts_with("Not(Not("));
        assert_eq!(s.len(), 30_000 * 5 + 3);
        std::mem::forget(e);
    }
}
