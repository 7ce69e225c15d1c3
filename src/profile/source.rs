//! Source expressions of a profile, and how an export's source is compared
//! with them.
//!
//! Comparison goes through one function, [`compare`], so that every rule
//! agrees on what "the same source" means.

use crate::model;
use crate::source::Span;
use crate::yaml::YamlError;

/// A profile row's source: the text as written and its canonical form.
#[derive(Debug, Clone)]
pub struct ReferenceSource {
    /// As written in the profile (`Not([IsSoftDeleted])`).
    pub text: String,
    /// Canonical form, for comparisons and reference tables.
    pub canonical: String,
    /// Span of the value in the profile YAML.
    pub span: Span,
}

impl ReferenceSource {
    /// Parses a profile source; a syntax error is reported at its position
    /// in the YAML.
    pub fn parse(
        text: &str,
        span: Span,
        err: &dyn Fn(Span, String) -> YamlError,
    ) -> Result<ReferenceSource, YamlError> {
        let canonical = canonical(text).map_err(|message| {
            err(span.clone(), format!("invalid source expression `{text}`: {message}"))
                .with_help("write the source in Entra expression syntax, e.g. \"[mail]\" or \"Not([IsSoftDeleted])\"")
        })?;
        Ok(ReferenceSource {
            text: text.to_string(),
            canonical,
            span,
        })
    }
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

/// Compares an export's source with a profile row's.
pub fn compare(reference: &ReferenceSource, actual: Option<&model::Source>) -> SourceMatch {
    let Some(actual) = actual else {
        return SourceMatch::Different {
            note: Some("the mapping has no source (mapping type None)".into()),
        };
    };
    match canonical(&export_text(actual)) {
        Err(_) => SourceMatch::Unreadable,
        Ok(c) if c == reference.canonical => SourceMatch::Same,
        Ok(_) => SourceMatch::Different { note: None },
    }
}

/// The canonical form of an export's source, for reference rows; an
/// unreadable expression stays as written.
pub fn canonical_of_export(source: &model::Source) -> String {
    let text = export_text(source);
    canonical(&text).unwrap_or(text)
}

/// The expression text of an export's source: its `expression`, or what the
/// tree says when the text is missing.
pub fn export_text(source: &model::Source) -> String {
    if let Some(e) = &source.expression {
        return e.text.clone();
    }
    match source.kind() {
        "Constant" => quote(source.name_str()),
        "Function" => {
            let args: Vec<String> = source
                .parameters
                .iter()
                .filter_map(|p| p.value.as_ref().map(export_text))
                .collect();
            format!("{}({})", source.name_str(), args.join(", "))
        }
        _ => format!("[{}]", source.name_str()),
    }
}

/// Every attribute an export's source reads (`[IsSoftDeleted]` in
/// `Not([IsSoftDeleted])`), from the expression text when it can be read,
/// else from the `parameters` tree.
pub fn attributes_read(source: &model::Source) -> Vec<String> {
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

fn quote(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Canonical text of an expression: whitespace outside string literals
/// removed, after a structural check (balanced brackets, closed strings).
fn canonical(text: &str) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push(c);
                loop {
                    match chars.next() {
                        Some('\\') => {
                            out.push('\\');
                            out.extend(chars.next());
                        }
                        Some('"') => {
                            out.push('"');
                            break;
                        }
                        Some(c) => out.push(c),
                        None => return Err("a string is not closed".into()),
                    }
                }
            }
            '[' => {
                out.push(c);
                loop {
                    match chars.next() {
                        Some(']') => {
                            out.push(']');
                            break;
                        }
                        Some(c) => out.push(c),
                        None => return Err("an attribute reference is not closed with `]`".into()),
                    }
                }
            }
            '(' => {
                depth += 1;
                out.push(c);
            }
            ')' => {
                depth = depth.checked_sub(1).ok_or("unbalanced `)`")?;
                out.push(c);
            }
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    if depth != 0 {
        return Err("a call is not closed with `)`".into());
    }
    if out.is_empty() {
        return Err("the expression is empty".into());
    }
    Ok(out)
}
