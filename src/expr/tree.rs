//! The JSON `source` tree of an expression, and back.
//!
//! Entra stores a mapping's value twice: as the `expression` text and as a tree of
//! attributeMappingSource nodes (`type`, `name`, `expression`, `parameters`). The text is
//! authoritative; the tree is what the API also reads and writes, so every fix that writes a source
//! (rebuilding a tree that disagrees with its text, adding a mapping required by a profile) must
//! write the tree Entra would write for the text. [`to_source_tree`] builds it:
//!
//! | Expression | Node |
//! |---|---|
//! | `[mail]` | `Attribute`, name `mail` (no brackets), expression `[mail]` |
//! | `"x"` | `Constant`, name `x` (unescaped, no quotes), expression `"x"` |
//! | `1`, `-10` | `Constant` with the digits as name and a *quoted* expression `"1"` (numbers are strings to the engine) |
//! | `Name(a, , b)` | `Function`, name `Name`, expression = canonical text, one parameter per **non-empty** argument |
//!
//! Parameter keys come from the catalogue ([`crate::expr::functions::Param::json_key`]), else the
//! documented parameter name; variadic keys repeat (`switchValue`, `source`). Keys are written,
//! never compared: only some of them are confirmed by exports Entra wrote.
//!
//! Shapes whose JSON form is not known (comparisons, `&H` hex literals, bare symbols,
//! for which no export shows a tree) and calls of unknown functions (their keys are unknown) are a
//! [`TreeError`] rather than a guess: a fix must not write a tree Entra may read differently.
//!
//! [`from_source_tree`] goes the other way, for comparing and displaying trees. Dropped empty
//! arguments are restored where the parameter keys identify the slots (Switch's `defaultValue`,
//! Replace's seven keyed slots, FormatDateTime's `inputFormat`); elsewhere arguments are taken in
//! order, which is all a tree can say (§1.6 observation 5).
//!
//! [`SourceTree::to_json_text`] prints a tree as compact JSON with the key order of real exports
//! (`expression`, `name`, `type`, `parameters`); fixes hand that text to the fix engine's
//! [`crate::fix::Editor`], which lays it out like the value it replaces.

use super::ast::{Arg, Expr};
use super::functions::{self, Occurrence};
use super::parser::MAX_NESTING;
use super::printer;
use crate::span::ExprSpan;

/// `source.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    Attribute,
    Constant,
    Function,
}

impl SourceKind {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Attribute => "Attribute",
            SourceKind::Constant => "Constant",
            SourceKind::Function => "Function",
        }
    }

    /// Reads a `type` value; a missing `type` is `Attribute` (the API default).
    pub fn parse(text: Option<&str>) -> Option<SourceKind> {
        match text {
            None | Some("Attribute") => Some(SourceKind::Attribute),
            Some("Constant") => Some(SourceKind::Constant),
            Some("Function") => Some(SourceKind::Function),
            Some(_) => None,
        }
    }
}

/// One attributeMappingSource node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceTree {
    pub kind: SourceKind,
    pub name: String,
    pub expression: String,
    pub parameters: Vec<TreeParameter>,
}

/// One `{ "key": …, "value": … }` entry of `parameters`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeParameter {
    pub key: String,
    pub value: SourceTree,
}

/// Why a tree cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TreeError {
    /// A construct whose JSON form is not known.
    #[error("the JSON form of {what} is not known")]
    Unverified { what: &'static str, span: ExprSpan },
    /// A call of a function missing from the catalogue (its parameter keys are unknown).
    #[error("unknown function `{name}`")]
    UnknownFunction { name: String, span: ExprSpan },
    /// A JSON value that is not an attributeMappingSource.
    #[error("not a source tree: {message}")]
    Malformed { message: String },
    /// Deeper than [`MAX_NESTING`] calls.
    #[error("the tree nests deeper than {MAX_NESTING} calls")]
    TooDeep,
}

/// The node type and `name` Entra stores for one expression node (its parameters aside).
pub fn node_shape(expr: &Expr) -> Result<(SourceKind, String), TreeError> {
    match expr {
        Expr::Attribute { name, .. } => Ok((SourceKind::Attribute, name.clone())),
        Expr::Str { value, .. } => Ok((SourceKind::Constant, value.clone())),
        Expr::Number { text, .. } => Ok((SourceKind::Constant, text.clone())),
        Expr::Call { name, .. } => Ok((SourceKind::Function, name.clone())),
        Expr::Hex { span, .. } => Err(TreeError::Unverified {
            what: "a hex literal",
            span: *span,
        }),
        Expr::Symbol { span, .. } => Err(TreeError::Unverified {
            what: "a bare symbol",
            span: *span,
        }),
        Expr::Compare { span, .. } => Err(TreeError::Unverified {
            what: "a comparison",
            span: *span,
        }),
    }
}

/// The `expression` Entra stores for one node: the canonical text, except that a number is a
/// quoted string constant (`"1"`).
pub fn node_expression(expr: &Expr) -> String {
    match expr {
        Expr::Number { text, .. } => printer::quote(text),
        other => printer::print(other),
    }
}

/// The parameter key of argument `index` of a call with `argc` arguments.
fn parameter_key(spec: &functions::FunctionSpec, argc: usize, index: usize) -> &'static str {
    spec.param_for_slot(argc, index)
        .map_or("source", |p| p.json_key.unwrap_or(p.name))
}

/// The tree Entra writes for an expression (see the module documentation).
pub fn to_source_tree(expr: &Expr) -> Result<SourceTree, TreeError> {
    build(expr, 0)
}

fn build(expr: &Expr, depth: usize) -> Result<SourceTree, TreeError> {
    if depth > MAX_NESTING {
        return Err(TreeError::TooDeep);
    }
    let (kind, name) = node_shape(expr)?;
    let mut parameters = Vec::new();
    if let Expr::Call {
        name: function,
        name_span,
        args,
        ..
    } = expr
    {
        let spec = functions::lookup(function).ok_or_else(|| TreeError::UnknownFunction {
            name: function.clone(),
            span: *name_span,
        })?;
        for (i, arg) in args.iter().enumerate() {
            if let Arg::Expr(value) = arg {
                parameters.push(TreeParameter {
                    key: parameter_key(spec, args.len(), i).to_string(),
                    value: build(value, depth + 1)?,
                });
            }
        }
    }
    Ok(SourceTree {
        kind,
        name,
        expression: node_expression(expr),
        parameters,
    })
}

/// The expression a tree describes (see the module documentation for dropped empty arguments).
/// The result has no meaningful spans (all `0..0`).
pub fn from_source_tree(tree: &SourceTree) -> Result<Expr, TreeError> {
    unbuild(tree, 0)
}

fn unbuild(tree: &SourceTree, depth: usize) -> Result<Expr, TreeError> {
    if depth > MAX_NESTING {
        return Err(TreeError::TooDeep);
    }
    let span = ExprSpan::empty(0);
    Ok(match tree.kind {
        SourceKind::Attribute => Expr::Attribute {
            name: tree.name.clone(),
            span,
        },
        SourceKind::Constant => Expr::Str {
            value: tree.name.clone(),
            span,
        },
        SourceKind::Function => {
            let mut values = Vec::with_capacity(tree.parameters.len());
            for p in &tree.parameters {
                values.push((p.key.as_str(), unbuild(&p.value, depth + 1)?));
            }
            Expr::Call {
                name: tree.name.clone(),
                name_span: span,
                args: place_arguments(&tree.name, values),
                span,
            }
        }
    })
}

/// Puts keyed parameter values into argument slots, restoring empty slots the keys reveal.
fn place_arguments(function: &str, values: Vec<(&str, Expr)>) -> Vec<Arg> {
    let positional = |values: Vec<(&str, Expr)>| values.into_iter().map(|(_, e)| Arg::Expr(e)).collect();
    let Some(spec) = functions::lookup(function) else {
        return positional(values);
    };
    let key_of = |p: &functions::Param| p.json_key.unwrap_or(p.name);
    // Leading fixed parameters are placed by key; the rest (variadic groups) follow in order.
    let fixed: Vec<&str> = spec
        .params
        .iter()
        .take_while(|p| p.occurrence != Occurrence::Variadic)
        .map(key_of)
        .collect();
    // FormatDateTime without a dateTimeStyles entry is the 3-argument form.
    if function == "FormatDateTime" && !values.iter().any(|(k, _)| *k == "dateTimeStyles") {
        return positional(values);
    }
    let mut slots: Vec<Arg> = Vec::new();
    let mut rest = values.into_iter().peekable();
    let mut next_slot = 0;
    while let Some((key, _)) = rest.peek() {
        let Some(offset) = fixed.iter().skip(next_slot).position(|k| k == key) else {
            break;
        };
        let slot = next_slot + offset;
        // Only optional slots may have been dropped.
        if spec.params[next_slot..slot]
            .iter()
            .any(|p| p.occurrence != Occurrence::Optional)
        {
            break;
        }
        slots.extend((next_slot..slot).map(|_| Arg::Empty(ExprSpan::new(0, 0))));
        let (_, value) = rest.next().expect("peeked");
        slots.push(Arg::Expr(value));
        next_slot = slot + 1;
    }
    // Optional fixed slots dropped before the variadic arguments (Switch's empty defaultValue).
    let variadic_keys: Vec<&str> = spec.params[fixed.len()..].iter().map(key_of).collect();
    if let Some((key, _)) = rest.peek()
        && variadic_keys.contains(key)
        && spec.params[next_slot.min(fixed.len())..fixed.len()]
            .iter()
            .all(|p| p.occurrence == Occurrence::Optional)
    {
        slots.extend((next_slot..fixed.len()).map(|_| Arg::Empty(ExprSpan::new(0, 0))));
    }
    slots.extend(rest.map(|(_, e)| Arg::Expr(e)));
    // Replace is always written with its seven slots.
    if function == "Replace" {
        while slots.len() < spec.params.len() {
            slots.push(Arg::Empty(ExprSpan::new(0, 0)));
        }
    }
    slots
}

impl SourceTree {
    /// Reads a tree from JSON (`type` defaults to `Attribute`, missing strings are empty, a missing
    /// or `null` `parameters` is empty).
    pub fn from_json(json: &serde_json::Value) -> Result<SourceTree, TreeError> {
        Self::from_json_at(json, 0)
    }

    fn from_json_at(json: &serde_json::Value, depth: usize) -> Result<SourceTree, TreeError> {
        if depth > MAX_NESTING {
            return Err(TreeError::TooDeep);
        }
        let malformed = |message: String| TreeError::Malformed { message };
        let obj = json
            .as_object()
            .ok_or_else(|| malformed("a source is a JSON object".into()))?;
        let string = |key: &str| -> Result<String, TreeError> {
            match obj.get(key) {
                None | Some(serde_json::Value::Null) => Ok(String::new()),
                Some(serde_json::Value::String(s)) => Ok(s.clone()),
                Some(_) => Err(malformed(format!("`{key}` must be a string"))),
            }
        };
        let kind_text = obj.get("type").and_then(serde_json::Value::as_str);
        let kind = SourceKind::parse(kind_text)
            .ok_or_else(|| malformed(format!("unknown type `{}`", kind_text.unwrap_or_default())))?;
        let mut parameters = Vec::new();
        match obj.get("parameters") {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::Array(items)) => {
                for item in items {
                    let key = item
                        .get("key")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or_default()
                        .to_string();
                    let value = item
                        .get("value")
                        .ok_or_else(|| malformed("a parameter needs a `value`".into()))?;
                    parameters.push(TreeParameter {
                        key,
                        value: Self::from_json_at(value, depth + 1)?,
                    });
                }
            }
            Some(_) => return Err(malformed("`parameters` must be an array".into())),
        }
        Ok(SourceTree {
            kind,
            name: string("name")?,
            expression: string("expression")?,
            parameters,
        })
    }

    /// The tree as a `serde_json::Value` (objects without key order).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.to_json_text()).expect("to_json_text writes valid JSON")
    }

    /// Compact JSON text, keys in the order of real exports.
    pub fn to_json_text(&self) -> String {
        self.to_json_text_with(None, &[], &[])
    }

    /// Like [`SourceTree::to_json_text`], with what a fix needs to keep the file as it was: the
    /// top node's `expression` written as the given raw JSON string literal (quotes included), so
    /// the user's text stays byte for byte; `extra_members` (raw `"key": value` text) after the
    /// generated members of the top node; and the four keys in the order `key_order` gives (keys
    /// it leaves out follow in the default order), at every level.
    pub(crate) fn to_json_text_with(
        &self,
        literal: Option<&str>,
        extra_members: &[&str],
        key_order: &[&str],
    ) -> String {
        let mut order: Vec<&str> = key_order.iter().copied().filter(|k| KEYS.contains(k)).collect();
        order.extend(KEYS.iter().filter(|k| !key_order.contains(k)));
        let mut out = String::new();
        self.write(&mut out, literal, extra_members, &order);
        out
    }

    fn write(&self, out: &mut String, literal: Option<&str>, extra: &[&str], order: &[&str]) {
        out.push('{');
        for (i, key) in order.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&crate::json::quote(key));
            out.push(':');
            match *key {
                "expression" => match literal {
                    Some(raw) => out.push_str(raw),
                    None => out.push_str(&crate::json::quote(&self.expression)),
                },
                "name" => out.push_str(&crate::json::quote(&self.name)),
                "type" => out.push_str(&crate::json::quote(self.kind.as_str())),
                _ => {
                    out.push('[');
                    for (j, p) in self.parameters.iter().enumerate() {
                        if j > 0 {
                            out.push(',');
                        }
                        out.push_str("{\"key\":");
                        out.push_str(&crate::json::quote(&p.key));
                        out.push_str(",\"value\":");
                        p.value.write(out, None, &[], order);
                        out.push('}');
                    }
                    out.push(']');
                }
            }
        }
        for member in extra {
            out.push(',');
            out.push_str(member);
        }
        out.push('}');
    }
}

/// The members of a node, in the order of real exports.
const KEYS: [&str; 4] = ["expression", "name", "type", "parameters"];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse;

    fn tree(src: &str) -> SourceTree {
        to_source_tree(&parse(src).unwrap()).unwrap()
    }

    fn round_trip(src: &str) -> String {
        printer::print(&from_source_tree(&tree(src)).unwrap())
    }

    #[test]
    fn leaves_and_numbers() {
        let t = tree(r#"Mid([userPrincipalName], 1, 8)"#);
        assert_eq!(t.kind, SourceKind::Function);
        assert_eq!(t.parameters.len(), 3);
        assert_eq!(t.parameters[1].key, "start");
        assert_eq!(t.parameters[1].value.kind, SourceKind::Constant);
        assert_eq!(t.parameters[1].value.name, "1");
        assert_eq!(t.parameters[1].value.expression, "\"1\"");
        let c = tree(r#""Company \"Contoso\"""#);
        assert_eq!(c.name, "Company \"Contoso\"");
        assert_eq!(c.expression, r#""Company \"Contoso\"""#);
    }

    #[test]
    fn empty_arguments_are_dropped_and_restored() {
        let t = tree(r#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#);
        let keys: Vec<&str> = t.parameters.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            ["source", "switchValue", "switchValue", "switchValue", "switchValue"]
        );
        for src in [
            r#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#,
            r#"Switch([a], "d", "k", "v")"#,
            r#"Replace([preferredLanguage], "-", , , "_", , )"#,
            r#"Replace([x], , "\\d+", , "", , )"#,
            r#"Replace([x], , "(?<a>\\d)", "a", , [y], )"#,
            r#"FormatDateTime([x], "yyyyMMdd", "yyyy-MM-dd")"#,
            r#"Join(" ", [givenName], [surname])"#,
            "Not([IsSoftDeleted])",
            "Guid()",
            r#"ToLower(Join("@", [mailNickname], "contoso.com"))"#,
        ] {
            assert_eq!(round_trip(src), src, "{src}");
        }
        let keys: Vec<String> = tree(r#"Replace([preferredLanguage], "-", , , "_", , )"#)
            .parameters
            .into_iter()
            .map(|p| p.key)
            .collect();
        assert_eq!(keys, ["source", "Find", "Replacement"]);
        // Numbers come back as the string constants they are stored as.
        assert_eq!(round_trip("Mid([x], 1, 8)"), r#"Mid([x], "1", "8")"#);
    }

    #[test]
    fn unknown_shapes_are_errors() {
        assert!(matches!(
            to_source_tree(&parse(r#"IIF([a] = "b", "c", "d")"#).unwrap()),
            Err(TreeError::Unverified {
                what: "a comparison",
                ..
            })
        ));
        assert!(matches!(
            to_source_tree(&parse("BitAnd(&HF, [x])").unwrap()),
            Err(TreeError::Unverified { .. })
        ));
        assert_eq!(
            to_source_tree(&parse("Nope([a])").unwrap()),
            Err(TreeError::UnknownFunction {
                name: "Nope".into(),
                span: ExprSpan::new(0, 4)
            })
        );
    }

    #[test]
    fn json_text() {
        let t = tree("Not([x])");
        assert_eq!(
            t.to_json_text(),
            r#"{"expression":"Not([x])","name":"Not","type":"Function","parameters":[{"key":"source","value":{"expression":"[x]","name":"x","type":"Attribute","parameters":[]}}]}"#
        );
        assert_eq!(SourceTree::from_json(&t.to_json()).unwrap(), t);
        let raw = tree("[x]").to_json_text_with(Some(r#""[\u0078]""#), &[r#""@odata.type": "s""#], &[]);
        assert_eq!(
            raw,
            r#"{"expression":"[\u0078]","name":"x","type":"Attribute","parameters":[],"@odata.type": "s"}"#
        );
        let ordered = t.to_json_text_with(None, &[], &["type", "name", "key"]);
        assert!(
            ordered.starts_with(r#"{"type":"Function","name":"Not","expression":"Not([x])","parameters":[{"key":"source","value":{"type":"Attribute","#),
            "{ordered}"
        );
    }

    #[test]
    fn malformed_json_trees() {
        let err = |v: serde_json::Value| SourceTree::from_json(&v).unwrap_err();
        assert!(matches!(err(serde_json::json!([1])), TreeError::Malformed { .. }));
        assert!(matches!(
            err(serde_json::json!({"type": "Formula"})),
            TreeError::Malformed { .. }
        ));
        assert!(matches!(
            err(serde_json::json!({"type": "Function", "parameters": [{"key": "a"}]})),
            TreeError::Malformed { .. }
        ));
        let leaf = SourceTree::from_json(&serde_json::json!({"name": "mail"})).unwrap();
        assert_eq!(leaf.kind, SourceKind::Attribute);
        assert!(leaf.parameters.is_empty());
    }
}
