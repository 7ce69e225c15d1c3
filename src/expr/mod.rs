//! The attribute-mapping expression language (format.md §3).
pub mod ast;
pub mod eval;
pub mod functions;
pub mod lexer;
pub mod parser;
pub mod printer;
