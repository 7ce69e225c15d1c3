use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::shape::Truncation;

declare_rule! {
    /// PowerShell's `ConvertTo-Json` cut the export short: data was lost.
    ///
    /// ## What it does
    /// Finds the strings `ConvertTo-Json` writes where it stopped descending:
    /// .NET type names such as `System.Collections.Hashtable`, `System.Object[]`
    /// or `Microsoft.Graph.PowerShell.Models.MicrosoftGraphSynchronizationRule`
    /// (and PSCustomObject renderings `@{name=…; …}`), where the mappings
    /// and attribute lists were. One error says so; no other rule runs on the
    /// file (except `secret-in-export`), since every other finding would only
    /// describe the missing data.
    ///
    /// ## Why it matters
    /// `ConvertTo-Json` serialises only two levels deep unless `-Depth` is
    /// given (<https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.utility/convertto-json>).
    /// The file looks like an export but holds no attribute mappings; pushed
    /// back to Entra it would replace the schema with an empty one.
    ///
    /// ## Example
    /// ```json
    /// { "SynchronizationRules": [ "Microsoft.Graph.PowerShell.Models.MicrosoftGraphSynchronizationRule" ] }
    /// ```
    ///
    /// ## Fix
    /// Export again with enough depth:
    /// `Get-MgServicePrincipalSynchronizationJobSchema … | ConvertTo-Json -Depth 100`,
    /// or take Graph's own JSON:
    /// `Invoke-MgGraphRequest -Uri 'https://graph.microsoft.com/v1.0/servicePrincipals/{id}/synchronization/jobs/{jobId}/schema' -OutputType Json`.
    pub struct TruncatedExport {
        name: "truncated-export",
        category: Input,
        severity: Error,
        fix: None,
    }
}

impl Rule for TruncatedExport {
    type State<'a> = &'a Truncation;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<&'a Truncation> {
        match &cx.facts.truncation {
            Some(t) if cx.facts.is_first_part() => vec![t],
            _ => Vec::new(),
        }
    }

    fn diagnostic(&self, _cx: &Context<'_>, t: &&Truncation) -> Diagnostic {
        let others = match t.count - 1 {
            0 => String::new(),
            1 => " (and at 1 more place)".to_string(),
            n => format!(" (and at {n} more places)"),
        };
        Diagnostic::at(
            &Self::META,
            format!(
                "data was lost: PowerShell's ConvertTo-Json reached its depth limit and wrote the type name `{}` where the data was{others}",
                t.placeholder
            ),
            t.span,
            t.pointer.clone(),
        )
        .with_label("a type name where an object or list was")
        .with_help(
            "export again with enough depth: `… | ConvertTo-Json -Depth 100`, or take Graph's own JSON: \
             Invoke-MgGraphRequest -Uri 'https://graph.microsoft.com/v1.0/servicePrincipals/{id}/synchronization/jobs/{jobId}/schema' \
             -OutputType Json -OutputFilePath schema.json",
        )
    }
}
