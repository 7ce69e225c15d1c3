//! Source expressions of a profile, and how an export's source is compared
//! with them.
//!
//! Profile sources are parsed by the project's expression parser when the
//! profile is loaded, so a typo in a profile is reported at once with its
//! YAML position. Comparison goes through one function, [`compare`], so that
//! every rule agrees on what "the same source" means: the same canonical
//! print is [`SourceMatch::Same`]; a different text that the equivalence
//! checker proves to give the same value for every input the source
//! attributes can take is [`SourceMatch::Equivalent`]; anything else —
//! including "could not be proven" — is [`SourceMatch::Different`].

use crate::expr::{self, Equivalence, Expr, equiv::Prover};
use crate::model::{self, ObjectDef};
use crate::span::{ExprSpan, FileSpan};
use crate::yaml::YamlError;

/// A profile row's source: the text as written, its tree and its canonical
/// form.
#[derive(Debug, Clone)]
pub struct ReferenceSource {
    /// As written in the profile (`Not([IsSoftDeleted])`).
    pub text: String,
    pub expr: Expr,
    /// Canonical print, for reference tables.
    pub canonical: String,
    /// FileSpan of the value in the profile YAML.
    pub span: FileSpan,
}

impl ReferenceSource {
    /// Parses a profile source; a syntax error is reported at its position
    /// in the YAML (inside the value when it is written without escapes).
    pub fn parse(
        text: &str,
        span: FileSpan,
        yaml: &str,
        err: &dyn Fn(FileSpan, String) -> YamlError,
    ) -> Result<ReferenceSource, YamlError> {
        let expr = expr::parse(text).map_err(|e| {
            let at = inner_span(yaml, span, text, e.span).unwrap_or(span);
            let error = err(at, format!("invalid source expression `{text}`: {}", e.message)).with_help(
                e.help.unwrap_or_else(|| {
                    "write the source in Entra expression syntax, e.g. \"[mail]\" or \"Not([IsSoftDeleted])\"".into()
                }),
            );
            error.with_label(e.message)
        })?;
        if let Some(call) = expr.calls().find(|c| expr::lookup(c.name).is_none()) {
            let at = inner_span(yaml, span, text, *call.name_span).unwrap_or(span);
            let error = err(
                at,
                format!("invalid source expression `{text}`: unknown function `{}`", call.name),
            );
            return Err(match expr::suggest(call.name) {
                Some(s) => error.with_help(format!("did you mean `{s}`? (function names are case-sensitive)")),
                None => error,
            });
        }
        if let Some(problem) = expr::check_arity_all(&expr).into_iter().next() {
            let at = inner_span(yaml, span, text, problem.span).unwrap_or(span);
            return Err(err(
                at,
                format!("invalid source expression `{text}`: {}", problem.message),
            ));
        }
        Ok(ReferenceSource {
            text: text.to_string(),
            canonical: expr::print(&expr),
            expr,
            span,
        })
    }
}

/// Maps a span inside the expression to the YAML file when the scalar is
/// the expression verbatim (plain, or quoted without escapes).
fn inner_span(yaml: &str, value: FileSpan, text: &str, inner: ExprSpan) -> Option<FileSpan> {
    let raw = yaml.get(value.range())?;
    let offset = if raw == text {
        0
    } else if raw.len() == text.len() + 2 && &raw[1..raw.len() - 1] == text {
        1
    } else {
        return None;
    };
    let start = value.start + offset + inner.start.min(text.len());
    Some(FileSpan::new(
        start,
        (value.start + offset + inner.end.min(text.len())).max(start),
    ))
}

/// How an export's source relates to a profile's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceMatch {
    /// The same expression (up to whitespace and layout).
    Same,
    /// A different expression that always yields the same value.
    Equivalent,
    /// Not the same; `note` explains why when known (a counterexample).
    Different { note: Option<String> },
    /// The export's expression cannot be read (the expression rules report it).
    Unreadable,
}

/// Compares an export's source with a profile row's. `source_object`
/// declares the attribute types the equivalence check relies on (a required
/// Boolean `IsSoftDeleted` is never null, so the default Switch equals
/// `Not([IsSoftDeleted])`).
pub fn compare(
    reference: &ReferenceSource,
    actual: Option<&model::Source>,
    source_object: Option<&ObjectDef>,
    prover: &Prover,
) -> SourceMatch {
    let Some(actual) = actual else {
        return SourceMatch::Different {
            note: Some("the mapping has no source (mapping type None)".into()),
        };
    };
    let Ok(tree) = expr::parse(&actual.expression_text()) else {
        return SourceMatch::Unreadable;
    };
    if expr::print(&tree) == reference.canonical {
        return SourceMatch::Same;
    }
    let types = |name: &str| Some(source_object?.attribute(name)?.value_type());
    match prover.equivalent(&tree, &reference.expr, &types) {
        Equivalence::Equivalent => SourceMatch::Equivalent,
        Equivalence::NotEquivalent { .. } if !same_attributes(&tree, &reference.expr) => {
            // Reading other attributes is the explanation; a counterexample adds nothing.
            SourceMatch::Different { note: None }
        }
        Equivalence::NotEquivalent {
            counterexample,
            left,
            right,
        } => {
            let note = if counterexample.is_empty() {
                format!(
                    "it gives {} where the profile's gives {}",
                    left.describe(),
                    right.describe()
                )
            } else {
                format!(
                    "for {} it gives {} where the profile's gives {}",
                    expr::equiv::describe_inputs(&counterexample),
                    left.describe(),
                    right.describe()
                )
            };
            SourceMatch::Different { note: Some(note) }
        }
        Equivalence::Unknown { .. } => SourceMatch::Different { note: None },
        Equivalence::OverBudget { reason } => SourceMatch::Different {
            note: Some(format!("equivalence with the profile's expression {reason}")),
        },
    }
}

fn same_attributes(a: &Expr, b: &Expr) -> bool {
    let names = |e: &Expr| {
        let mut v: Vec<String> = e.attributes().map(|(n, _)| n.to_string()).collect();
        v.sort();
        v.dedup();
        v
    };
    names(a) == names(b)
}

/// Every attribute an export's source reads (`IsSoftDeleted` in
/// `Not([IsSoftDeleted])`), from the expression text when it parses, else
/// from the `parameters` tree.
pub fn attributes_read(source: &model::Source) -> Vec<String> {
    if let Ok(tree) = expr::parse(&source.expression_text()) {
        return tree.attributes().map(|(name, _)| name.to_string()).collect();
    }
    let mut out = Vec::new();
    let mut stack = vec![source];
    while let Some(node) = stack.pop() {
        match node.kind() {
            "Attribute" => out.push(node.name_str().to_string()),
            "Function" => stack.extend(node.parameters.iter().filter_map(|p| p.value.as_ref())),
            _ => {}
        }
    }
    out
}
