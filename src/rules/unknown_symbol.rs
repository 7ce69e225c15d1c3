use super::expression::{At, in_every_tree, parsed_expressions};
use super::{Context, Described, Rule};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::expr::functions::{self, FUNCTIONS};
use crate::expr::{Expr, ExprSpan, SourceKind};
use crate::fix::Editor;
use crate::model::{MappingExpression, Source};
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

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
    /// fix writes it in brackets (`givenName` → `[givenName]`): each finding
    /// in the expression text, and the fix of the word's first finding in a
    /// mapping also in every nested `expression` string of the `source` tree,
    /// so that together they keep text and tree consistent. A tree node that
    /// is nothing but the word gets the `type` and `name` Entra stores for
    /// `[givenName]` (`Attribute`, `givenName`); nothing else in the file
    /// changes. The fix is **safe** when the mapping's source object defines
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

/// One bare word found in a mapping's expression.
pub struct Found<'a> {
    expression: &'a MappingExpression<'a>,
    bare: Bare<'a>,
    /// The first bare use of this word in the mapping: its fix also updates the `source` tree
    /// below the expression text (see [`UnknownSymbol::fix`]).
    first: bool,
    /// The tree edits of the mapping's source, by word: computed once per mapping, by the fix of
    /// its first finding that needs them, so that fixing every finding stays linear.
    tree: Rc<OnceCell<TreeEdits>>,
}

/// Edits bracketing bare words in a mapping's `source` tree, by word.
type TreeEdits = HashMap<String, Vec<Edit>>;

impl Rule for UnknownSymbol {
    type State<'a> = Found<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Found<'a>> {
        let mut out: Vec<Found<'a>> = Vec::new();
        // Findings come grouped by expression; the words already found in the current one.
        let mut seen: HashSet<&str> = HashSet::new();
        for (expression, bare) in in_every_tree(cx, find) {
            let same = out.last().is_some_and(|f| std::ptr::eq(f.expression, expression));
            if !same {
                seen.clear();
            }
            // Only uses read as attributes have a fix (and update the tree).
            let first = bare.meant == Meant::Attribute && seen.insert(bare.name);
            let tree = match out.last() {
                Some(f) if same => Rc::clone(&f.tree),
                _ => Rc::default(),
            };
            out.push(Found {
                expression,
                bare,
                first,
                tree,
            });
        }
        out
    }

    fn diagnostic(&self, _cx: &Context<'_>, f: &Found<'_>) -> Diagnostic {
        report(&f.bare, &At::mapping(f.expression))
    }

    /// Brackets this use of the word in the expression text; the fix of the word's first use in
    /// the mapping also brackets it throughout the `source` tree ([`tree_edits`]). So the fixes of
    /// one word's findings never overlap and go in one round, and together they bracket every
    /// use. Safe only when the source object defines the attribute.
    fn fix(&self, cx: &Context<'_>, f: &Found<'_>) -> Option<Fix> {
        let word = f.bare.name;
        if f.bare.meant != Meant::Attribute {
            return None;
        }
        let mut edits = vec![Edit::replace(f.expression.file_span(f.bare.span), bracketed(word))];
        if f.first
            && let Some(source) = f.expression.mapping.source.as_ref()
            && let Some(tree) = f.tree.get_or_init(|| tree_edits(cx, source)).get(word)
        {
            edits.extend(tree.iter().cloned());
        }
        edits.sort_by_key(|e| e.span.start);
        let defined = cx
            .schema
            .objects_of(f.expression.rule, f.expression.object_mapping)
            .0
            .is_some_and(|object| object.attribute(word).is_some());
        let title = format!("Write `{word}` as the attribute reference `[{word}]`");
        Some(if defined {
            Fix::safe(title, edits)
        } else {
            Fix::unsafe_(title, edits)
        })
    }
}

/// `[word]` as it goes inside a JSON string (a word needs no escaping; quoting makes sure).
fn bracketed(word: &str) -> String {
    let quoted = crate::json::quote(&format!("[{word}]"));
    quoted[1..quoted.len() - 1].to_string()
}

/// Edits, by word, writing each bare word that [`find`] reads as an attribute reference without
/// brackets as `[word]` in the `source` tree below the top expression text: in every nested
/// `expression` string (through the JSON string's escapes), and, for a node whose expression is
/// nothing but the word, its `type` and `name` as Entra stores them for `[word]` (`Attribute`,
/// the word; the top node too). Only those values change: every other byte, the layout
/// included, stays. One pass over the tree.
fn tree_edits(cx: &Context<'_>, source: &Source) -> TreeEdits {
    let mut by_word = TreeEdits::new();
    for parsed in parsed_expressions(cx, source) {
        if !parsed.top {
            for b in find(&parsed.tree).into_iter().filter(|b| b.meant == Meant::Attribute) {
                by_word
                    .entry(b.name.to_string())
                    .or_default()
                    .push(Edit::replace(parsed.file_span(b.span), bracketed(b.name)));
            }
        }
        let (node, Expr::Symbol { name: word, .. }) = (parsed.node, &parsed.tree) else {
            continue;
        };
        let edits = by_word.entry(word.clone()).or_default();
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
            Some(name) if name.value == *word => {}
            Some(name) => edits.push(Edit::replace(name.loc.span, crate::json::quote(word))),
            None => edits.extend(
                Editor::for_file(cx.file, cx.root)
                    .insert_property(node.loc.span, "name", &crate::json::quote(word))
                    .ok(),
            ),
        }
    }
    by_word
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

    /// The export of `source` with the fixes of all its `unknown-symbol` findings applied together
    /// (which fails if two of them overlap), and whether the first is safe.
    fn fixed(source: &str) -> (String, crate::diagnostic::Applicability) {
        let text = export(source);
        let settings = crate::lint::LintSettings {
            select: Some(vec!["unknown-symbol".into()]),
            ..Default::default()
        };
        let report = crate::lint::lint_text("x.json", &text, &settings);
        let fixes: Vec<&Fix> = report.diagnostics.iter().filter_map(|d| d.fix.as_ref()).collect();
        let edits: Vec<Edit> = fixes.iter().flat_map(|f| f.edits.iter().cloned()).collect();
        let out = crate::fix::apply::apply_edits(&text, &edits).unwrap();
        let start = out.find("\"source\": ").unwrap() + "\"source\": ".len();
        let end = out.find("}]}]}],\n  \"directories\"").unwrap();
        (out[start..end].to_string(), fixes[0].applicability)
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
