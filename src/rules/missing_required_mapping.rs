use super::profiled::{Profiled, anchor, attribute_json, cite, mapping_json, profiled};
use super::{Context, Described, Rule};
use crate::diagnostic::{Diagnostic, Fix};
use crate::expr::{self, Expr, functions::ValueType};
use crate::fix::edit::Editor;
use crate::model::ObjectDef;
use crate::profile::{AttributeSpec, AttributeType, RequiredMapping};

declare_rule! {
    /// A mapping of the reference profile's table is missing (and, where needed, its attribute definition).
    ///
    /// ## What it does
    /// Reports each mapping of the reference profile's table that the object
    /// mapping lacks: no attribute mapping writes the required target. One
    /// finding per missing target, on the object mapping. When the target
    /// object does not define the target attribute — one Entra lacks by
    /// default (Astrato's enterprise Group `description`), or a standard one
    /// removed from a pruned export — the finding says so too.
    ///
    /// ## Why it matters
    /// The application relies on the attribute: without it users cannot be
    /// identified, deprovisioned or displayed the way the application
    /// expects. A mapping also needs its target in the target object's
    /// attribute list, or Entra rejects it.
    ///
    /// ## Example
    /// With the astrato profile, a group object mapping with only
    /// `displayName`, `externalId` and `members` lacks
    /// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:Group:description ← [description]`.
    ///
    /// ## Fix
    /// The safe fix appends the mapping — with its `source` tree, flow type
    /// and matching precedence as the profile states — to
    /// `attributeMappings`, and when the target object lacks it, the attribute
    /// definition to the target object's `attributes` (portal: *Show advanced
    /// options → Edit attribute list for customappsso*): as the profile's
    /// `attribute:` says, else typed from the source (Boolean for a Boolean
    /// function or attribute, Reference for a reference, String otherwise).
    /// Every missing mapping of one object mapping is added in the same fix
    /// round, in the profile's order.
    ///
    /// The fix is safe, except when the missing row is the profile's
    /// identity and the object mapping already has another matching
    /// attribute: adding a second one changes how accounts are matched, so
    /// that fix is unsafe (`--fix --unsafe-fixes`).
    pub struct MissingRequiredMapping {
        name: "missing-required-mapping",
        category: Profile,
        severity: Error,
        fix: Mixed,
    }
}

pub struct Missing<'a> {
    at: Profiled<'a>,
    row: &'a RequiredMapping,
    /// The target object in the file, when it does not define the target.
    lacks_definition: Option<&'a ObjectDef>,
    source_object: Option<&'a ObjectDef>,
}

impl Rule for MissingRequiredMapping {
    type State<'a> = Missing<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Missing<'a>> {
        let mut out = Vec::new();
        for at in profiled(cx) {
            let (source_object, target_object) = cx.schema.objects_of(at.rule, at.om);
            for row in at.object.mappings.iter().filter(|r| r.required) {
                if at.om.attribute_mappings.iter().any(|am| am.target_name() == row.target) {
                    continue;
                }
                // A mapping needs its target defined: the profile says how
                // for attributes Entra lacks by default, and a pruned export
                // may lack even the standard ones.
                let lacks_definition = target_object.filter(|o| o.attribute(&row.target).is_none());
                out.push(Missing {
                    at,
                    row,
                    lacks_definition,
                    source_object,
                });
            }
        }
        out
    }

    fn diagnostic(&self, _cx: &Context<'_>, m: &Missing<'_>) -> Diagnostic {
        let mut message = match &m.row.source {
            Some(source) => format!(
                "missing mapping `{}` ← `{}` in the {} object mapping",
                m.row.target,
                source.text,
                m.at.om.describe()
            ),
            None => format!(
                "missing a mapping of `{}` in the {} object mapping",
                m.row.target,
                m.at.om.describe()
            ),
        };
        if m.lacks_definition.is_some() {
            message.push_str(", and its attribute definition in the target object");
        }
        let mut d = Diagnostic::new(&Self::META, message, &anchor(m.at.om))
            .with_label(format!("no mapping writes `{}`", m.row.target));
        if let Some(object) = m.lacks_definition {
            let span = object.name.as_ref().map_or(object.loc.span, |n| n.loc.span);
            d = d.with_secondary(span, format!("no attribute definition `{}` here", m.row.target));
            d = d.with_help(format!(
                "add the attribute `{}` ({}) to the target object (portal: Show advanced options → Edit attribute list for customappsso), then the mapping",
                m.row.target,
                definition(m).kind.as_str()
            ));
        } else {
            d = d.with_help(match &m.row.source {
                Some(source) => format!(
                    "add the mapping in the portal: target `{}`, source `{}`",
                    m.row.target, source.text
                ),
                None => format!(
                    "add a mapping of `{}` in the portal; profile {} does not prescribe its source",
                    m.row.target, m.at.profile.name
                ),
            });
        }
        cite(d, m.at.profile, m.row)
    }

    fn fix(&self, cx: &Context<'_>, m: &Missing<'_>) -> Option<Fix> {
        let editor = Editor::for_file(cx.file, cx.root);
        let array = &m.at.om.attribute_mappings_loc;
        if !array.pointer.ends_with("/attributeMappings") {
            return None;
        }
        let mut edits = vec![
            editor
                .insert_array_element(array.span, &mapping_json(m.row)?.to_text())
                .ok()?,
        ];
        let mut title = format!("Add the mapping `{}` ← `{}`", m.row.target, m.row.source_text());
        if let Some(object) = m.lacks_definition {
            if !object.attributes_loc.pointer.ends_with("/attributes") {
                return None;
            }
            edits.push(
                editor
                    .insert_array_element(
                        object.attributes_loc.span,
                        &attribute_json(&m.row.target, &definition(m)).to_text(),
                    )
                    .ok()?,
            );
            title.push_str(" and its attribute definition");
        }
        // A new precedence-1 matching attribute beside existing ones changes
        // how accounts are matched; the first one of an object mapping that
        // has none is what makes it valid at all.
        let matching_exists = m.at.om.attribute_mappings.iter().any(|am| am.is_matching());
        Some(if m.row.matching && matching_exists {
            Fix::unsafe_(
                format!("{title} (unsafe: a second matching attribute changes how accounts are matched)"),
                edits,
            )
        } else {
            Fix::safe(title, edits)
        })
    }
}

/// The definition a missing target needs: the profile's, or one inferred
/// from the source (a Boolean function or attribute gives a Boolean, a
/// reference attribute a Reference, anything else a String).
fn definition(m: &Missing<'_>) -> AttributeSpec {
    if let Some(spec) = &m.row.attribute {
        return spec.clone();
    }
    let mut spec = AttributeSpec {
        kind: AttributeType::String,
        multivalued: false,
        required: false,
        case_exact: false,
    };
    match m.row.source.as_ref().map(|s| &s.expr) {
        Some(Expr::Call { name, .. }) if expr::lookup(name).is_some_and(|f| f.returns == ValueType::Boolean) => {
            spec.kind = AttributeType::Boolean;
        }
        Some(Expr::Attribute { name, .. }) => {
            if let Some(def) = m.source_object.and_then(|o| o.attribute(name)) {
                spec.kind = match def.kind() {
                    "Boolean" => AttributeType::Boolean,
                    "Reference" => AttributeType::Reference,
                    "Integer" => AttributeType::Integer,
                    "DateTime" => AttributeType::DateTime,
                    _ => AttributeType::String,
                };
                spec.multivalued = def.multivalued;
            }
        }
        _ => {}
    }
    spec
}
