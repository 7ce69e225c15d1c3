use super::expression::{At, edit_expressions, in_every_tree};
use super::{Context, Described, Rule};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::expr::functions::{self, FUNCTIONS};
use crate::expr::{self, Expr, ExprSpan, SourceKind};
use crate::fix::Editor;
use crate::model::{MappingExpression, Source};

declare_rule! {
    /// A bare word that is not a symbol the function accepts there.
    ///
    /// ## What it does
    /// Reports every bare word (a name without `[ ]`, quotes or `(`), in
    /// every branch of the expression, unless it is a symbol of the
    /// parameter it is given to: `vbTextCompare`/`vbBinaryCompare` as
    /// InStr's or Contains' `compareType`, `Unicode`/`UTF8`/`ASCII` as
    /// ConvertFromBase64's `encoding`. The message says what was probably
    /// meant: an attribute reference without its brackets (`givenName` for
    /// `[givenName]`), a function without its parentheses, `True`/`False`
    /// without quotes, or a symbol in a place that takes none.
    ///
    /// ## Why it matters
    /// The engine cannot evaluate such a word. When it sits in a branch that
    /// is rarely taken (`IIF([a] = "1", "x", givenName)`), the mapping works
    /// for most users and fails for the others, long after it was saved.
    ///
    /// ## Example
    /// ```json
    /// "expression": "IIF([country] = \"US\", \"x\", givenName)"
    /// ```
    ///
    /// ## Fix
    /// Write the attribute as `[givenName]`, a string as `"True"`, a call as
    /// `Guid()`; use a symbol only where the function reference shows it.
    ///
    /// For a word read as an attribute reference without its brackets, the
    /// fix writes it in brackets (`givenName` → `[givenName]`) everywhere in
    /// the mapping's source: in the expression text and in every nested
    /// `expression` string of the `source` tree, so the two stay consistent.
    /// A tree node that is nothing but the word gets the `type` and `name`
    /// Entra stores for `[givenName]` (`Attribute`, `givenName`); nothing else
    /// in the file changes. The fix is **safe** when the mapping's source object defines
    /// an attribute of exactly that name, and **unsafe** otherwise
    /// (`--fix --unsafe-fixes`): the word may have been meant as a string
    /// constant (`"givenName"`), or as an attribute the source does not
    /// define, which reads null (`unknown-source-attribute` then reports it).
    /// The other bare words (a function without `()`, `True` without quotes,
    /// a symbol in the wrong place) are not fixed: write them as the help
    /// says.
    pub struct UnknownSymbol {
        name: "unknown-symbol",
        category: Expressions,
        severity: Error,
        fix: Mixed,
    }
}

/// What a bare word was probably meant to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meant {
    /// An attribute reference: `[name]`.
    Attribute,
    /// A call of the function of that name.
    Function,
    /// `"True"` or `"False"`.
    Boolean,
    /// The symbol the parameter takes, in another letter case.
    Symbol(&'static str),
    /// A symbol of the language given where it has no meaning.
    Misplaced,
}

/// A bare word where none is accepted.
pub struct Bare<'t> {
    pub name: &'t str,
    pub span: ExprSpan,
    pub meant: Meant,
}

/// Every bare word that is not a symbol of the parameter it fills, in every branch. Direct
/// arguments of unknown functions are left alone: what they accept is not known (and
/// `unknown-function` reports the call).
pub(super) fn find(tree: &Expr) -> Vec<Bare<'_>> {
    let mut out = Vec::new();
    tree.walk(|node, ancestors| {
        let Expr::Symbol { name, span } = node else { return };
        let mut allowed: &[&str] = &[];
        if let Some(call) = ancestors
            .last()
            .and_then(|a| a.node.as_call().map(|c| (c, a.arg_index)))
        {
            let (c, index) = call;
            let Some(spec) = functions::lookup(c.name) else { return };
            if let Some(param) = spec.param_for_slot(c.args.len(), index) {
                allowed = param.ty.symbols();
            }
        }
        if allowed.contains(&name.as_str()) {
            return;
        }
        let meant = if let Some(right) = allowed.iter().find(|s| s.eq_ignore_ascii_case(name)) {
            Meant::Symbol(right)
        } else if functions::is_symbol(name) {
            Meant::Misplaced
        } else if functions::lookup(name).is_some() {
            Meant::Function
        } else if name.eq_ignore_ascii_case("true") || name.eq_ignore_ascii_case("false") {
            Meant::Boolean
        } else {
            Meant::Attribute
        };
        out.push(Bare {
            name,
            span: *span,
            meant,
        });
    });
    out
}

/// Where the language accepts `symbol`, from the catalogue: "compareType of InStr, Contains".
fn places(symbol: &str) -> String {
    let mut places = Vec::new();
    for f in FUNCTIONS {
        for p in f.params.iter().filter(|p| p.ty.symbols().contains(&symbol)) {
            places.push(format!("{} of {}", p.name, f.name));
        }
    }
    places.join(", ")
}

pub(super) fn report(b: &Bare<'_>, at: &At<'_>) -> Diagnostic {
    let name = b.name;
    let (message, label, help) = match b.meant {
        Meant::Attribute => (
            format!("unknown bare word `{name}`: an attribute reference needs square brackets"),
            "not a value of the expression language",
            format!("write the attribute as `[{name}]`, or a string constant as `\"{name}\"`"),
        ),
        Meant::Function => (
            format!("`{name}` is a function, used without parentheses"),
            "a function name on its own",
            format!(
                "call it: {}",
                functions::lookup(name).map_or_else(|| format!("{name}(…)"), |f| f.signature())
            ),
        ),
        Meant::Boolean => (
            format!("`{name}` is not a value: booleans are the strings \"True\" and \"False\""),
            "not a value of the expression language",
            format!(
                "write it as a string: \"{}\"",
                if name.eq_ignore_ascii_case("true") {
                    "True"
                } else {
                    "False"
                }
            ),
        ),
        Meant::Symbol(right) => (
            format!("unknown symbol `{name}`: symbols are case-sensitive"),
            "wrong letter case",
            format!("write `{right}`"),
        ),
        Meant::Misplaced => (
            format!("the symbol `{name}` has no meaning here"),
            "not accepted in this argument",
            format!("`{name}` is only accepted as {}", places(name)),
        ),
    };
    Diagnostic::at(&UnknownSymbol::META, message, at.span(b.span), at.pointer())
        .with_label(label)
        .with_help(help)
}

impl Rule for UnknownSymbol {
    type State<'a> = (&'a MappingExpression<'a>, Bare<'a>);

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Self::State<'a>> {
        in_every_tree(cx, find)
    }

    fn diagnostic(&self, _cx: &Context<'_>, (expression, b): &Self::State<'_>) -> Diagnostic {
        report(b, &At::mapping(expression))
    }

    /// Brackets the word throughout the mapping's source ([`bracket`]); several findings of one
    /// word in one mapping share the same fix. Safe only when the source object defines the
    /// attribute.
    fn fix(&self, cx: &Context<'_>, (expression, b): &Self::State<'_>) -> Option<Fix> {
        if b.meant != Meant::Attribute {
            return None;
        }
        let source = expression.mapping.source.as_ref()?;
        let edits = bracket(cx, source, b.name);
        if edits.is_empty() {
            return None;
        }
        let defined = cx
            .schema
            .objects_of(expression.rule, expression.object_mapping)
            .0
            .is_some_and(|object| object.attribute(b.name).is_some());
        let title = format!("Write `{0}` as the attribute reference `[{0}]`", b.name);
        Some(if defined {
            Fix::safe(title, edits)
        } else {
            Fix::unsafe_(title, edits)
        })
    }
}

/// Edits writing the bare word `word` as `[word]` wherever [`find`] reads it as an attribute
/// reference without brackets, in every `expression` string of a mapping's source (the top one
/// and the nested ones, through the JSON string's escapes). A node of the tree whose expression is
/// nothing but the word gets the `type` and `name` Entra stores for `[word]` (`Attribute`, the
/// word). Only those values change: every other byte, the layout included, stays. Sorted by
/// position; no two overlap.
fn bracket(cx: &Context<'_>, source: &Source, word: &str) -> Vec<Edit> {
    // `[word]` as it goes inside the JSON string (a word needs no escaping; quoting makes sure).
    let quoted = crate::json::quote(&format!("[{word}]"));
    let inside = quoted[1..quoted.len() - 1].to_string();
    let mut edits = edit_expressions(cx, source, &|tree| {
        find(tree)
            .into_iter()
            .filter(|b| b.name == word && b.meant == Meant::Attribute)
            .map(|b| (b.span, inside.clone()))
            .collect()
    });
    let mut stack = vec![source];
    while let Some(node) = stack.pop() {
        stack.extend(node.parameters.iter().filter_map(|p| p.value.as_ref()));
        let only_the_word = node
            .expression
            .as_ref()
            .is_some_and(|e| matches!(expr::parse(&e.text), Ok(Expr::Symbol { ref name, .. }) if name == word));
        if !only_the_word {
            continue;
        }
        // A missing `type` is `Attribute` already.
        if let Some(kind) = &node.kind
            && kind.value != SourceKind::Attribute.as_str()
        {
            edits.push(Edit::replace(
                kind.loc.span,
                crate::json::quote(SourceKind::Attribute.as_str()),
            ));
        }
        match &node.name {
            Some(name) if name.value == word => {}
            Some(name) => edits.push(Edit::replace(name.loc.span, crate::json::quote(word))),
            None => edits.extend(
                Editor::for_file(cx.file, cx.root)
                    .insert_property(node.loc.span, "name", &crate::json::quote(word))
                    .ok(),
            ),
        }
    }
    edits.sort_by_key(|e| e.span.start);
    edits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse;

    fn bare(text: &str) -> Vec<(String, Meant)> {
        let tree = parse(text).unwrap();
        find(&tree).iter().map(|b| (b.name.to_string(), b.meant)).collect()
    }

    #[test]
    fn bare_words_in_every_branch() {
        assert_eq!(
            bare(r#"IIF([a]="1","x",givenName)"#),
            [("givenName".into(), Meant::Attribute)]
        );
        assert_eq!(bare("givenName"), [("givenName".into(), Meant::Attribute)]);
        assert_eq!(bare(r#"IIF(x = "1", "a", "b")"#), [("x".into(), Meant::Attribute)]);
        assert_eq!(
            bare(r#"Switch([a], , "1", True, "2", Guid)"#),
            [("True".into(), Meant::Boolean), ("Guid".into(), Meant::Function)]
        );
        assert_eq!(
            bare("IgnoreFlowIfNullOrEmpty"),
            [("IgnoreFlowIfNullOrEmpty".into(), Meant::Function)]
        );
    }

    #[test]
    fn symbols_only_where_the_parameter_takes_them() {
        assert_eq!(bare(r#"InStr("a", "b", 1, vbTextCompare)"#), []);
        assert_eq!(bare(r#"Contains([a], "b", vbBinaryCompare)"#), []);
        assert_eq!(bare(r#"ConvertFromBase64([a], UTF8)"#), []);
        assert_eq!(
            bare(r#"InStr("a", "b", 1, vbtextcompare)"#),
            [("vbtextcompare".into(), Meant::Symbol("vbTextCompare"))]
        );
        assert_eq!(bare("Not(vbTextCompare)"), [("vbTextCompare".into(), Meant::Misplaced)]);
        assert_eq!(
            bare(r#"ConvertFromBase64([a], vbTextCompare)"#),
            [("vbTextCompare".into(), Meant::Misplaced)]
        );
        assert_eq!(bare("vbBinaryCompare"), [("vbBinaryCompare".into(), Meant::Misplaced)]);
        // What an unknown function takes is not known.
        assert_eq!(bare("Frobnicate(x)"), []);
        assert_eq!(bare("Not(Frobnicate(x), y)"), [("y".into(), Meant::Attribute)]);
        let d = report(&find(&parse("Not(UTF8)").unwrap())[0], &At::standalone());
        assert_eq!(
            d.help.as_deref(),
            Some("`UTF8` is only accepted as encoding of ConvertFromBase64")
        );
        let d = report(&find(&parse("Not(vbTextCompare)").unwrap())[0], &At::standalone());
        assert_eq!(
            d.help.as_deref(),
            Some("`vbTextCompare` is only accepted as compareType of InStr, compareType of Contains")
        );
    }

    /// An export whose one mapping has `source` (JSON) on a `User` object defining `mail`.
    fn export(source: &str) -> String {
        format!(
            r#"{{"synchronizationRules": [{{"sourceDirectoryName": "Microsoft Entra ID", "targetDirectoryName": "customappsso",
  "objectMappings": [{{"sourceObjectName": "User", "targetObjectName": "urn:ietf:params:scim:schemas:core:2.0:User",
    "attributeMappings": [{{"targetAttributeName": "displayName", "source": {source}}}]}}]}}],
  "directories": [{{"name": "Microsoft Entra ID", "objects": [{{"name": "User", "attributes": [{{"name": "mail"}}, {{"name": "givenName"}}]}}]}}]}}"#
        )
    }

    /// The export of `source` with the fix of its first `unknown-symbol` finding applied, and
    /// whether the fix is safe.
    fn fixed(source: &str) -> (String, crate::diagnostic::Applicability) {
        let text = export(source);
        let settings = crate::lint::LintSettings {
            select: Some(vec!["unknown-symbol".into()]),
            ..Default::default()
        };
        let report = crate::lint::lint_text("x.json", &text, &settings);
        let fix = report.diagnostics[0].fix.as_ref().expect("a fix");
        let out = crate::fix::apply::apply_edits(&text, &fix.edits).unwrap();
        let start = out.find("\"source\": ").unwrap() + "\"source\": ".len();
        let end = out.find("}]}]}],\n  \"directories\"").unwrap();
        (out[start..end].to_string(), fix.applicability)
    }

    #[test]
    fn the_fix_brackets_the_word_in_the_text_and_every_nested_expression() {
        // Deep in the tree: the nested call's text and the node of the word alone, whose `type`
        // and missing `name` say what `[mail]` is.
        let (out, applicability) = fixed(
            r#"{"expression": "Join(\",\", ToLower(mail), [givenName])", "name": "Join", "type": "Function", "parameters": [
  {"key": "separator", "value": {"expression": "\",\"", "name": ",", "type": "Constant", "parameters": []}},
  {"key": "source", "value": {"expression": "ToLower(mail)", "name": "ToLower", "type": "Function", "parameters": [
    {"key": "source", "value": {"expression": "mail", "type": "Constant", "parameters": []}}]}},
  {"key": "source", "value": {"expression": "[givenName]", "name": "givenName", "type": "Attribute", "parameters": []}}]}"#,
        );
        assert_eq!(applicability, crate::diagnostic::Applicability::Safe);
        assert_eq!(
            out,
            r#"{"expression": "Join(\",\", ToLower([mail]), [givenName])", "name": "Join", "type": "Function", "parameters": [
  {"key": "separator", "value": {"expression": "\",\"", "name": ",", "type": "Constant", "parameters": []}},
  {"key": "source", "value": {"expression": "ToLower([mail])", "name": "ToLower", "type": "Function", "parameters": [
    {"key": "source", "value": {"expression": "[mail]", "type": "Attribute", "parameters": [], "name": "mail"}}]}},
  {"key": "source", "value": {"expression": "[givenName]", "name": "givenName", "type": "Attribute", "parameters": []}}]}"#
        );
        // Every occurrence at once, escapes around it kept; a word the object does not define
        // (here in another letter case) is unsafe.
        let (out, applicability) =
            fixed(r#"{"expression": "IIF([givenName] = \"\\\\\", Mail, Mail)", "type": "Function"}"#);
        assert_eq!(applicability, crate::diagnostic::Applicability::Unsafe);
        assert_eq!(
            out,
            r#"{"expression": "IIF([givenName] = \"\\\\\", [Mail], [Mail])", "type": "Function"}"#
        );
        // Only the words read as attributes: not a function name, `True`, or a symbol.
        let (out, _) =
            fixed(r#"{"expression": "Switch(mail, Guid, \"1\", True, \"2\", vbTextCompare)", "type": "Function"}"#);
        assert_eq!(
            out,
            r#"{"expression": "Switch([mail], Guid, \"1\", True, \"2\", vbTextCompare)", "type": "Function"}"#
        );
    }
}
