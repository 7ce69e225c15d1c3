use super::{Context, Described, Rule};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::ObjectMapping;

declare_rule! {
    /// An enabled object mapping does not update or delete.
    ///
    /// ## What it does
    /// Reports an enabled object mapping whose `flowTypes` ("Target Object
    /// Actions": Create, Update, Delete) lacks `Update` or `Delete`.
    ///
    /// ## Why it matters
    /// Without `Update`, changes in Entra (a new surname, a disabled account)
    /// never reach the application after the first cycle. Without `Delete`,
    /// users who leave or are unassigned are never deprovisioned — the most
    /// common finding in access reviews. Sometimes this is deliberate; then
    /// turn the rule off for that file with a reason.
    ///
    /// ## Example
    /// ```json
    /// { "sourceObjectName": "User", "flowTypes": "Add,Update" }
    /// ```
    ///
    /// ## Fix
    /// Use `"flowTypes": "Add,Update,Delete"`. The fix is unsafe: it makes
    /// Entra start updating or deprovisioning objects.
    pub struct ObjectActions {
        name: "object-actions",
        category: Consistency,
        severity: Warning,
        fix: Unsafe,
    }
}

pub struct Finding<'a> {
    mapping: &'a ObjectMapping,
    missing: Vec<&'static str>,
}

impl Rule for ObjectActions {
    type State<'a> = Finding<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Finding<'a>> {
        let mut out = Vec::new();
        for (_, mapping) in cx.schema.object_mappings().filter(|(_, om)| om.is_enabled()) {
            let flags = mapping.flow_type_flags();
            let missing: Vec<&'static str> = ["Update", "Delete"]
                .into_iter()
                .filter(|f| !flags.contains(f))
                .collect();
            if !missing.is_empty() {
                out.push(Finding { mapping, missing });
            }
        }
        out
    }

    fn diagnostic(&self, _cx: &Context<'_>, f: &Finding<'_>) -> Diagnostic {
        let loc = f.mapping.flow_types.as_ref().map_or(&f.mapping.loc, |ft| &ft.loc);
        let consequences: Vec<&str> = f
            .missing
            .iter()
            .map(|m| match *m {
                "Update" => "changes in Entra never reach the application",
                _ => "objects removed from scope are never deprovisioned",
            })
            .collect();
        Diagnostic::new(
            &Self::META,
            format!(
                "the {} object mapping does not {}",
                f.mapping.describe(),
                f.missing.join(" or ").to_lowercase()
            ),
            loc,
        )
        .with_label(format!("no {}", f.missing.join(", no ")))
        .with_help(format!(
            "{}; use \"Add,Update,Delete\" unless this is deliberate",
            consequences.join(", and ")
        ))
    }

    fn fix(&self, _cx: &Context<'_>, f: &Finding<'_>) -> Option<Fix> {
        let flow_types = f.mapping.flow_types.as_ref()?;
        let separator = if flow_types.value.contains(", ") { ", " } else { "," };
        let mut flags: Vec<&str> = f
            .mapping
            .flow_type_flags()
            .into_iter()
            .filter(|f| *f != "None")
            .collect();
        flags.extend(&f.missing);
        let order = |f: &&str| ["Add", "Update", "Delete"].iter().position(|k| k == f).unwrap_or(3);
        flags.sort_by_key(order);
        let value = flags.join(separator);
        Some(Fix::unsafe_(
            format!("Set flowTypes to \"{value}\""),
            vec![Edit::replace(flow_types.loc.span, format!("\"{value}\""))],
        ))
    }
}
