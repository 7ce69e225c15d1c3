use super::expression::{Renamed, rename_in_source};
use super::{Context, Described, Rule};
use crate::diagnostic::{Diagnostic, Fix};
use crate::model::{MappingExpression, ObjectDef, Source, Spanned};
use crate::span::ExprSpan;

declare_rule! {
    /// An expression or Direct mapping reads an attribute the source object does not define.
    ///
    /// ## What it does
    /// Checks every `[attribute]` reference of a mapping's expression, and the
    /// `name` of a Direct source (`"type": "Attribute"`) that has no
    /// expression, against the attribute list of the object mapping's source
    /// object in the file's `directories` (e.g. the Entra `User` object). Names
    /// are compared exactly.
    ///
    /// Nothing is checked when the source object is not defined in the file
    /// (`unknown-directory` reports that) or is defined without any
    /// attributes (a pruned export has nothing to check against).
    ///
    /// ## Why it matters
    /// A reference to an attribute the source does not have is always null, so
    /// the target silently gets nothing (or the default value) — or Entra
    /// rejects the mapping on save. Expression syntax is case-sensitive and
    /// directory extension names are too, so `[Mail]` is not `[mail]`.
    /// Directory extensions must be added to the source attribute list before
    /// they can be mapped.
    ///
    /// ## Example
    /// ```json
    /// "source": { "type": "Attribute", "name": "Mail", "expression": "[Mail]", "parameters": [] }
    /// ```
    /// while the source object defines `mail`.
    ///
    /// A name that differs from a defined attribute only in letter case
    /// (`[ExtensionAttribute1]` for `extensionAttribute1`) is a **warning**,
    /// not an error: such mappings are common in Microsoft's own samples and
    /// may work today, since whether the engine matches attribute names
    /// case-insensitively is not documented.
    ///
    /// ## Fix
    /// Use the attribute's exact name. When the name differs from a defined
    /// attribute only in letter case, a safe fix renames it to the defined
    /// spelling everywhere in the mapping's source: in the expression text
    /// and in the `source` tree (`name` values and nested `expression`
    /// strings), so the two stay consistent. The defined spelling is right
    /// whether or not the engine ignores case, so nothing that works can
    /// break. For an attribute that is really missing, add it to the source
    /// object's attribute list first (Show advanced options → Edit attribute
    /// list).
    pub struct UnknownSourceAttribute {
        name: "unknown-source-attribute",
        category: Expressions,
        severity: Error,
        fix: Safe,
    }
}

pub struct Finding<'a> {
    source: &'a Source,
    object: &'a ObjectDef,
    name: String,
    place: Place<'a>,
}

enum Place<'a> {
    /// Every reference to the name in a mapping's expression (spans in its text), in order.
    Expression(&'a MappingExpression<'a>, Vec<ExprSpan>),
    /// The `name` of a Direct source without expression.
    DirectName(&'a Spanned<String>),
}

/// Whether an object has attributes to check against.
fn checkable(object: &ObjectDef) -> bool {
    !object.attributes.is_empty()
}

impl Rule for UnknownSourceAttribute {
    type State<'a> = Finding<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Finding<'a>> {
        let mut out = Vec::new();
        for e in cx.expressions {
            let (Some(object), Some(tree), Some(source)) = (
                cx.schema.objects_of(e.rule, e.object_mapping).0,
                e.tree(),
                e.mapping.source.as_ref(),
            ) else {
                continue;
            };
            if !checkable(object) {
                continue;
            }
            let mut unknown: Vec<(String, Vec<ExprSpan>)> = Vec::new();
            for (name, span) in tree.attributes() {
                if object.attribute(name).is_some() {
                    continue;
                }
                match unknown.iter_mut().find(|(n, _)| n == name) {
                    Some((_, spans)) => spans.push(*span),
                    None => unknown.push((name.to_string(), vec![*span])),
                }
            }
            out.extend(unknown.into_iter().map(|(name, spans)| Finding {
                source,
                object,
                name,
                place: Place::Expression(e, spans),
            }));
        }
        for (rule, om) in cx.schema.object_mappings() {
            let Some(object) = cx.schema.objects_of(rule, om).0.filter(|o| checkable(o)) else {
                continue;
            };
            for am in &om.attribute_mappings {
                let Some(source) = &am.source else { continue };
                if source.expression.is_some() || source.kind() != "Attribute" {
                    continue;
                }
                if let Some(name) = &source.name
                    && object.attribute(name.as_str()).is_none()
                {
                    out.push(Finding {
                        source,
                        object,
                        name: name.value.clone(),
                        place: Place::DirectName(name),
                    });
                }
            }
        }
        out
    }

    fn diagnostic(&self, _cx: &Context<'_>, f: &Finding<'_>) -> Diagnostic {
        let object = f.object.name_str();
        let message = format!("`{}` is not an attribute of the source object `{object}`", f.name);
        let label = format!("not defined on `{object}`");
        let d = match &f.place {
            Place::Expression(e, spans) => {
                let mut d =
                    Diagnostic::at(&Self::META, message, e.file_span(spans[0]), e.pointer.clone()).with_label(label);
                for span in &spans[1..] {
                    d = d.with_secondary(e.file_span(*span), "also here");
                }
                d
            }
            Place::DirectName(name) => Diagnostic::new(&Self::META, message, &name.loc).with_label(label),
        };
        match self.right_spelling(f) {
            Some(right) => {
                let mut d = d.with_help(format!(
                    "the source object defines `{right}`, which differs only in letter case: use that spelling"
                ));
                d.severity = crate::Severity::Warning;
                d
            }
            None => {
                let close = f
                    .object
                    .attributes
                    .iter()
                    .map(|a| a.name_str())
                    .find(|a| crate::suggest::distance(a, &f.name) <= 2);
                match close {
                    Some(c) => d.with_help(format!("did you mean `{c}`?")),
                    None => d.with_help(
                        "if it is a directory extension, add it to the source object's attribute list first \
                         (Show advanced options → Edit attribute list)",
                    ),
                }
            }
        }
    }

    fn fix(&self, cx: &Context<'_>, f: &Finding<'_>) -> Option<Fix> {
        let right = self.right_spelling(f)?;
        let edits = rename_in_source(cx, f.source, Renamed::Attribute, &f.name, right);
        Some(Fix::safe(format!("Rename `{}` to `{right}`", f.name), edits))
    }
}

impl UnknownSourceAttribute {
    /// The defined attribute the name matches when letter case is ignored.
    fn right_spelling<'a>(&self, f: &Finding<'a>) -> Option<&'a str> {
        f.object.attribute_ignoring_case(&f.name).map(|a| a.name_str())
    }
}
