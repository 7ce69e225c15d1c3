//! The attribute-mapping expression language of Entra ID provisioning.
//!
//! A mapping's `source.expression` is the authoritative form of its value (the JSON `parameters`
//! tree drops empty arguments and repeats keys, §1.6), so everything the linter knows about a
//! mapping's value comes from parsing that text. This module is pure: no I/O, no rule engine.
//!
//! | Module | Purpose |
//! |---|---|
//! | [`ast`] | [`Expr`] tree with byte spans, iterative traversal |
//! | [`lexer`], [`parser`] | text → [`Expr`] or a [`ParseError`] with a precise span; nesting capped at [`MAX_NESTING`] |
//! | [`printer`] | canonical text (`Name(a, , b)`), stable under re-parsing |
//! | [`functions`] | the function catalogue, did-you-mean, arity checks, static checks of arguments |
//! | [`constants`] | validators of constant arguments (intervals, cultures, regular expressions, date formats) |
//! | [`eval`] | evaluator over [`Value`]s (null, string, multi-valued, complex roles) |
//! | [`equiv`] | semantic equivalence under declared attribute types |
//! | [`embedded`] | offsets inside JSON string literals → file offsets |
//! | [`tree`] | the JSON `source` tree Entra stores for an expression, and back |
//!
//! Typical use by a rule:
//!
//! ```
//! use mapping_lint::expr::{self, embedded};
//! use mapping_lint::span::FileSpan;
//!
//! // The literal exactly as it appears in the file, starting at byte 120.
//! let raw = r#""Mid([userPrincipalName], 1)""#;
//! let literal = FileSpan::at(120, raw.len());
//! let (text, map) = embedded::decode_json_string(raw).unwrap();
//! let tree = expr::parse(&text).unwrap();
//! let problems = expr::check_arity_all(&tree);
//! assert_eq!(problems.len(), 1);
//! let file_span = map.to_file_span(literal, problems[0].span);
//! assert_eq!(&raw[file_span.start - 120..file_span.end - 120], ")");
//! ```

pub mod ast;
pub mod constants;
pub mod embedded;
pub mod equiv;
pub mod eval;
pub mod functions;
pub mod lexer;
pub mod parser;
pub mod printer;
pub mod tree;

/// Longest expression Entra accepts, in characters (a documented limit of the provisioning service).
pub const MAX_EXPRESSION_CHARS: usize = 10_000;

pub use crate::span::ExprSpan;
pub use ast::{Ancestor, Arg, CallRef, CompareOp, Expr};
pub use embedded::{EmbeddedError, OffsetMap, decode_json_string};
pub use equiv::{AttrKind, AttrType, Equivalence, equivalent};
pub use eval::{Environment, EvalError, FixedEnvironment, Input, InputError, SystemEnvironment, Value, evaluate};
pub use functions::{
    ArgumentProblem, ArityProblem, ArityProblemKind, FunctionSpec, check_arguments, check_arity, check_arity_all,
    lookup, suggest,
};
pub use parser::{MAX_NESTING, ParseError, ParseErrorKind, parse};
pub use printer::print;
pub use tree::{SourceKind, SourceTree, TreeError, TreeParameter, from_source_tree, to_source_tree};
