//! Recursive-descent parser for the grammar of Entra's attribute-mapping expressions
//! (https://learn.microsoft.com/entra/identity/app-provisioning/functions-for-customizing-application-data).
//!
//! ```text
//! expr       := term EOF
//! term       := primary [ relop primary ]
//! primary    := call | attribute | string | number | hexnumber | symbol
//! call       := ident "(" [ arg ( "," arg )* ] ")"
//! arg        := term | <empty>
//! ```
//!
//! `Name()` and `Name(  )` have zero arguments; `Name(,)` has two empty ones.
//!
//! **Nesting limit.** Calls may nest at most [`MAX_NESTING`] levels. Entra caps an expression at
//! 10,000 characters and real mappings nest fewer than ten levels, so 64 is far above any real
//! expression while keeping the recursive parser (and the recursive evaluator) well inside a 2 MB
//! thread stack even in debug builds. Exceeding it is a [`ParseErrorKind::TooDeep`] error reported
//! at the first call past the limit; the parser stops there, so 100,000 nested `Not(` fail in
//! constant time instead of overflowing the stack.

use super::ast::{Arg, Expr};
use super::lexer::{Lexer, Token, TokenKind};
use crate::span::ExprSpan;

/// Maximum nesting depth of calls accepted by [`parse`].
pub const MAX_NESTING: usize = 64;

/// What went wrong, for rules that want to branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParseErrorKind {
    /// The text is empty or only whitespace.
    Empty,
    /// A character that starts no token.
    UnexpectedChar,
    UnterminatedString,
    UnterminatedAttribute,
    EmptyAttribute,
    /// `1.5`, `12abc`, `&HZZ`.
    InvalidNumber,
    /// `&`, `==`, `!=`.
    UnsupportedOperator,
    /// A token where it cannot appear.
    UnexpectedToken,
    /// A call without its closing `)`.
    MissingCloseParen,
    /// More text after a complete expression.
    TrailingInput,
    /// `Split(...)[1]`.
    Indexing,
    /// `a = b = c`.
    ChainedComparison,
    /// More than [`MAX_NESTING`] nested calls.
    TooDeep,
}

/// A syntax error with the byte span it refers to (offsets into the expression text).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    pub kind: ParseErrorKind,
    pub message: String,
    pub span: ExprSpan,
    pub help: Option<String>,
}

/// Parses a whole expression.
pub fn parse(src: &str) -> Result<Expr, ParseError> {
    let mut p = Parser {
        lexer: Lexer::new(src),
        src_len: src.len(),
        current: Token {
            kind: TokenKind::Eof,
            span: ExprSpan::new(0, 0),
        },
    };
    p.advance()?;
    if p.current.kind == TokenKind::Eof {
        return Err(ParseError {
            kind: ParseErrorKind::Empty,
            message: "the expression is empty".into(),
            span: ExprSpan::new(0, src.len()),
            help: Some("write an attribute like [mail], a string like \"x\" or a function call".into()),
        });
    }
    let expr = p.term(0)?;
    match &p.current.kind {
        TokenKind::Eof => Ok(expr),
        TokenKind::Attribute(_) if matches!(expr, Expr::Call { .. }) => Err(p.indexing_error()),
        _ if p.logical_operator_error().is_some() => Err(p.logical_operator_error().expect("checked")),
        other => Err(ParseError {
            kind: ParseErrorKind::TrailingInput,
            message: format!("unexpected {} after the end of the expression", other.describe()),
            span: ExprSpan::new(p.current.span.start, p.src_len),
            help: Some("an expression is a single term; combine values with functions such as Join".into()),
        }),
    }
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    src_len: usize,
    current: Token,
}

impl Parser<'_> {
    fn advance(&mut self) -> Result<Token, ParseError> {
        let next = self.lexer.next_token()?;
        Ok(std::mem::replace(&mut self.current, next))
    }

    fn indexing_error(&self) -> ParseError {
        ParseError {
            kind: ParseErrorKind::Indexing,
            message: "indexing a result with `[…]` is not supported".into(),
            span: self.current.span,
            help: Some("use Item(<multi-valued value>, <1-based index>), e.g. Item(Split([x], \",\"), 1)".into()),
        }
    }

    /// `AND`/`OR` (any case) where an operator would go: the language has neither.
    fn logical_operator_error(&self) -> Option<ParseError> {
        let TokenKind::Ident(word) = &self.current.kind else {
            return None;
        };
        let help = if word.eq_ignore_ascii_case("and") {
            "nest IIF along the true branch: `a AND b` is IIF(a, IIF(b, valueIfTrue, valueIfFalse), valueIfFalse)"
        } else if word.eq_ignore_ascii_case("or") {
            "nest IIF along the false branch: `a OR b` is IIF(a, valueIfTrue, IIF(b, valueIfTrue, valueIfFalse)); \
             to test one value against several keys, use Switch"
        } else {
            return None;
        };
        Some(ParseError {
            kind: ParseErrorKind::UnsupportedOperator,
            message: format!("`{word}` is not an operator: the expression language has no AND or OR"),
            span: self.current.span,
            help: Some(help.into()),
        })
    }

    /// `primary [relop primary]`; `depth` is the number of enclosing calls.
    fn term(&mut self, depth: usize) -> Result<Expr, ParseError> {
        let lhs = self.primary(depth)?;
        let TokenKind::Op(op) = self.current.kind else {
            return Ok(lhs);
        };
        let op_span = self.advance()?.span;
        if matches!(self.current.kind, TokenKind::Op(_)) {
            return Err(self.unexpected("a value after the comparison operator"));
        }
        let rhs = self.primary(depth)?;
        if let TokenKind::Op(_) = self.current.kind {
            return Err(ParseError {
                kind: ParseErrorKind::ChainedComparison,
                message: "comparisons cannot be chained".into(),
                span: self.current.span,
                help: Some("there is no AND/OR either; nest IIF calls instead".into()),
            });
        }
        let span = lhs.span().cover(rhs.span());
        Ok(Expr::Compare {
            op,
            op_span,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
            span,
        })
    }

    fn unexpected(&self, expected: &str) -> ParseError {
        ParseError {
            kind: ParseErrorKind::UnexpectedToken,
            message: format!("expected {expected}, found {}", self.current.kind.describe()),
            span: self.current.span,
            help: None,
        }
    }

    fn primary(&mut self, depth: usize) -> Result<Expr, ParseError> {
        match self.current.kind {
            TokenKind::Attribute(_) | TokenKind::Str(_) | TokenKind::Number(_) | TokenKind::Hex(_) => {
                let tok = self.advance()?;
                let span = tok.span;
                Ok(match tok.kind {
                    TokenKind::Attribute(name) => Expr::Attribute { name, span },
                    TokenKind::Str(value) => Expr::Str { value, span },
                    TokenKind::Number(text) => Expr::Number { text, span },
                    TokenKind::Hex(text) => Expr::Hex { text, span },
                    _ => unreachable!("matched above"),
                })
            }
            TokenKind::Ident(_) => {
                let tok = self.advance()?;
                let TokenKind::Ident(name) = tok.kind else {
                    unreachable!("matched above")
                };
                if self.current.kind == TokenKind::LParen {
                    self.call(name, tok.span, depth + 1)
                } else {
                    Ok(Expr::Symbol { name, span: tok.span })
                }
            }
            _ => Err(self.unexpected("an attribute, a string, a number or a function call")),
        }
    }

    /// Parses the argument list; `self.current` is the `(`. `depth` counts this call.
    fn call(&mut self, name: String, name_span: ExprSpan, depth: usize) -> Result<Expr, ParseError> {
        if depth > MAX_NESTING {
            return Err(ParseError {
                kind: ParseErrorKind::TooDeep,
                message: format!("expression is nested too deeply (limit {MAX_NESTING} levels)"),
                span: ExprSpan::new(name_span.start, self.current.span.end),
                help: Some("real mappings nest only a few levels; simplify the expression".into()),
            });
        }
        let open = self.advance()?.span;
        let mut args = Vec::new();
        if self.current.kind == TokenKind::RParen {
            let close = self.advance()?.span;
            return Ok(self.finish_call(name, name_span, args, close));
        }
        let mut slot_start = open.end;
        loop {
            match self.current.kind {
                TokenKind::Comma | TokenKind::RParen => {
                    args.push(Arg::Empty(ExprSpan::new(slot_start, self.current.span.start)));
                }
                TokenKind::Eof => {}
                _ => args.push(Arg::Expr(self.term(depth)?)),
            }
            match self.current.kind {
                TokenKind::Comma => {
                    slot_start = self.advance()?.span.end;
                }
                TokenKind::RParen => {
                    let close = self.advance()?.span;
                    let call = self.finish_call(name, name_span, args, close);
                    if matches!(self.current.kind, TokenKind::Attribute(_)) {
                        return Err(self.indexing_error());
                    }
                    return Ok(call);
                }
                TokenKind::Eof => {
                    return Err(ParseError {
                        kind: ParseErrorKind::MissingCloseParen,
                        message: format!("missing `)` to close `{name}(`"),
                        span: ExprSpan::new(name_span.start, open.end),
                        help: Some(format!(
                            "add `)` where the arguments of {name} end (the expression ends at byte {})",
                            self.src_len
                        )),
                    });
                }
                _ if self.logical_operator_error().is_some() => {
                    return Err(self.logical_operator_error().expect("checked"));
                }
                _ => {
                    let mut e = self.unexpected(&format!("`,` or `)` in the arguments of {name}"));
                    if matches!(self.current.kind, TokenKind::Attribute(_) | TokenKind::Str(_)) {
                        e.help = Some("separate arguments with commas".into());
                    }
                    return Err(e);
                }
            }
        }
    }

    fn finish_call(&self, name: String, name_span: ExprSpan, args: Vec<Arg>, close: ExprSpan) -> Expr {
        let span = ExprSpan::new(name_span.start, close.end);
        Expr::Call {
            name,
            name_span,
            args,
            span,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::ast::CompareOp;

    fn err(src: &str) -> ParseError {
        parse(src).expect_err(src)
    }

    #[test]
    fn parses_switch_with_empty_default() {
        let src = r#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#;
        let e = parse(src).unwrap();
        let call = e.as_call().unwrap();
        assert_eq!(call.name, "Switch");
        assert_eq!(*call.name_span, 0..6);
        assert_eq!(*call.span, 0..src.len());
        assert_eq!(call.args.len(), 6);
        assert_eq!(call.args[1], Arg::Empty(ExprSpan::new(23, 24)));
        assert_eq!(
            call.args[0],
            Arg::Expr(Expr::Attribute {
                name: "IsSoftDeleted".into(),
                span: ExprSpan::new(7, 22)
            })
        );
        assert_eq!(
            call.args[2],
            Arg::Expr(Expr::Str {
                value: "False".into(),
                span: ExprSpan::new(26, 33)
            })
        );
    }

    #[test]
    fn trailing_empty_arguments_are_kept() {
        let e = parse(r#"Replace([preferredLanguage], "-", , , "_", , )"#).unwrap();
        let args = e.as_call().unwrap().args;
        let empties: Vec<bool> = args.iter().map(Arg::is_empty).collect();
        assert_eq!(empties, [false, false, true, true, false, true, true]);
        assert_eq!(parse("Guid()").unwrap().as_call().unwrap().args.len(), 0);
        assert_eq!(parse("Guid(  \n )").unwrap().as_call().unwrap().args.len(), 0);
        let two = parse("F(,)").unwrap();
        assert_eq!(
            two.as_call().unwrap().args,
            [Arg::Empty(ExprSpan::new(2, 2)), Arg::Empty(ExprSpan::new(3, 3))]
        );
    }

    #[test]
    fn literals_symbols_and_comparisons() {
        let e = parse(r#"IIF(DateDiff("d", Now(), CDate([StatusHireDate])) > 5, "False", "True")"#).unwrap();
        let Expr::Compare { op, lhs, rhs, .. } = e.as_call().unwrap().args[0].expr().unwrap() else {
            panic!()
        };
        assert_eq!(*op, CompareOp::Gt);
        assert_eq!(lhs.as_call().unwrap().name, "DateDiff");
        assert!(matches!(&**rhs, Expr::Number { text, .. } if text == "5"));
        let e = parse("InStr(\"repEated\",\"e\",3,vbBinaryCompare)").unwrap();
        assert!(matches!(
            e.as_call().unwrap().args[3].expr(),
            Some(Expr::Symbol { name, span }) if name == "vbBinaryCompare" && *span == ExprSpan::new(23, 38)
        ));
        let e = parse("BitAnd(&HF, &HF7)").unwrap();
        assert!(matches!(
            e.as_call().unwrap().args[1].expr(),
            Some(Expr::Hex { text, .. }) if text == "&HF7"
        ));
        let e = parse("DateFromNum(129699324000000000)").unwrap();
        assert!(matches!(
            e.as_call().unwrap().args[0].expr(),
            Some(Expr::Number { text, .. }) if text == "129699324000000000"
        ));
        let e = parse("DateAdd(\"d\", -10, Now())").unwrap();
        assert!(matches!(
            e.as_call().unwrap().args[1].expr(),
            Some(Expr::Number { text, .. }) if text == "-10"
        ));
        // Bare leaves are valid top-level expressions (Direct and Constant mappings).
        assert!(matches!(parse(" [mail] ").unwrap(), Expr::Attribute { span, .. } if span == ExprSpan::new(1, 7)));
        assert!(matches!(parse("\"true\"").unwrap(), Expr::Str { value, .. } if value == "true"));
    }

    #[test]
    fn multi_line_expressions() {
        let src = "SelectUniqueValue( \n    Join(\"@\", [a], \"contoso.com\"),\r\n\tJoin(\"@\", [b], \"x\")\n)";
        let e = parse(src).unwrap();
        assert_eq!(e.as_call().unwrap().args.len(), 2);
    }

    #[test]
    fn error_spans() {
        let e = err("Not([a]");
        assert_eq!(e.kind, ParseErrorKind::MissingCloseParen);
        assert_eq!(e.span, ExprSpan::new(0, 4));
        let e = err("Join(\" \", Not([a], [b])");
        assert_eq!(e.kind, ParseErrorKind::MissingCloseParen);
        assert_eq!(e.span, ExprSpan::new(0, 5));
        let e = err("Split([a], \",\")[1]");
        assert_eq!(e.kind, ParseErrorKind::Indexing);
        assert_eq!(e.span, ExprSpan::new(15, 18));
        assert!(e.help.as_deref().unwrap().contains("Item("));
        let e = err("Join(\",\", Split([a], \",\")[1])");
        assert_eq!(e.kind, ParseErrorKind::Indexing);
        let e = err("[a] [b]");
        assert_eq!(e.kind, ParseErrorKind::TrailingInput);
        assert_eq!(e.span, ExprSpan::new(4, 7));
        let e = err("Not([a]) x");
        assert_eq!(e.kind, ParseErrorKind::TrailingInput);
        let e = err("Append([a] \"x\")");
        assert_eq!(e.kind, ParseErrorKind::UnexpectedToken);
        assert_eq!(e.span, ExprSpan::new(11, 14));
        let e = err("IIF([a] = \"x\" = \"y\", 1, 2)");
        assert_eq!(e.kind, ParseErrorKind::ChainedComparison);
        assert_eq!(e.span, ExprSpan::new(14, 15));
        let e = err(r#"IIF([a]="1" AND [b]="2", "x", "y")"#);
        assert_eq!(e.kind, ParseErrorKind::UnsupportedOperator);
        assert_eq!(e.span, ExprSpan::new(12, 15));
        assert!(e.help.as_deref().unwrap().contains("IIF(a, IIF(b,"), "{e:?}");
        let e = err(r#"[a]="1" or [b]="2""#);
        assert_eq!(e.kind, ParseErrorKind::UnsupportedOperator);
        assert!(e.message.starts_with("`or` is not an operator"));
        assert!(e.help.as_deref().unwrap().contains("Switch"));
        let e = err("   ");
        assert_eq!(e.kind, ParseErrorKind::Empty);
        let e = err("Not(=)");
        assert_eq!(e.kind, ParseErrorKind::UnexpectedToken);
        assert_eq!(e.span, ExprSpan::new(4, 5));
        let e = err(")");
        assert_eq!(e.span, ExprSpan::new(0, 1));
        let e = err("[a] = ");
        assert_eq!(e.kind, ParseErrorKind::UnexpectedToken);
        assert_eq!(e.span, ExprSpan::new(6, 6));
    }

    #[test]
    fn nesting_limit_is_exact() {
        let ok = format!("{}[x]{}", "Not(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert_eq!(parse(&ok).unwrap().depth(), MAX_NESTING + 1);
        let deep = format!("{}[x]{}", "Not(".repeat(MAX_NESTING + 1), ")".repeat(MAX_NESTING + 1));
        let e = err(&deep);
        assert_eq!(e.kind, ParseErrorKind::TooDeep);
        let at = 4 * MAX_NESTING;
        assert_eq!(e.span, ExprSpan::new(at, at + 4));
        assert!(e.message.contains("limit 64"));
    }
}
