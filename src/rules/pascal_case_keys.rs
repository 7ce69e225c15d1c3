use super::{Context, Described, Rule};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::fix::edit::Editor;
use crate::span::FileSpan;

declare_rule! {
    /// The keys are in PascalCase, as PowerShell writes Graph SDK objects; Graph expects camelCase.
    ///
    /// ## What it does
    /// Recognises the output of the Microsoft Graph PowerShell SDK piped
    /// through `ConvertTo-Json` (`Get-MgServicePrincipalSynchronizationJobSchema
    /// | ConvertTo-Json -Depth 100`): every key in PascalCase
    /// (`SynchronizationRules`, `ObjectMappings`, `AttributeMappings`,
    /// `TargetAttributeName`, `FlowType`, …) and an `AdditionalProperties`
    /// object in each. The file is read and checked by every other rule as
    /// if its keys were camelCase; this rule reports once that they are not.
    ///
    /// ## Why it matters
    /// Microsoft Graph's JSON is camelCase
    /// (<https://learn.microsoft.com/en-us/graph/api/resources/synchronization-synchronizationschema>):
    /// a `PUT …/schema` or the portal's schema editor given PascalCase keys
    /// does not read them as the schema's properties, and `AdditionalProperties`
    /// is not a property of any synchronization object.
    ///
    /// ## Example
    /// ```json
    /// { "SynchronizationRules": [ { "ObjectMappings": [ … ], "AdditionalProperties": {} } ] }
    /// ```
    ///
    /// ## Fix
    /// The safe fix rewrites each key the export format knows to its
    /// camelCase spelling (`SynchronizationRules` → `synchronizationRules`;
    /// nothing else changes) and removes the empty `AdditionalProperties`
    /// objects. A non-empty `AdditionalProperties` is left for you to look at.
    /// To avoid the problem, export with `Invoke-MgGraphRequest -Uri … -OutputType Json`,
    /// which returns Graph's own JSON.
    pub struct PascalCaseKeys {
        name: "pascal-case-keys",
        category: Input,
        severity: Warning,
        fix: Safe,
    }
}

pub struct Found<'a> {
    keys: &'a [(FileSpan, String)],
    empty_additional: &'a [FileSpan],
}

impl Rule for PascalCaseKeys {
    type State<'a> = Found<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Found<'a>> {
        if cx.facts.pascal_keys.is_empty() || !cx.facts.is_first_part() {
            return Vec::new();
        }
        vec![Found {
            keys: &cx.facts.pascal_keys,
            empty_additional: &cx.facts.empty_additional_properties,
        }]
    }

    fn diagnostic(&self, cx: &Context<'_>, f: &Found<'_>) -> Diagnostic {
        let (span, camel) = &f.keys[0];
        let written = cx.text(*span).trim_matches('"');
        let more = match f.keys.len() - 1 {
            0 => String::new(),
            1 => " and 1 more key".to_string(),
            n => format!(" and {n} more keys"),
        };
        Diagnostic::at(
            &Self::META,
            format!(
                "keys in PascalCase (`{written}`{more}), as the Graph PowerShell SDK writes them; Microsoft Graph expects camelCase (`{camel}`)"
            ),
            *span,
            String::new(),
        )
        .with_label(format!("Graph's name is `{camel}`"))
        .with_help(
            "the file was read as if its keys were camelCase; `--fix` rewrites them (and removes empty \
             `AdditionalProperties`). To export Graph's own JSON: Invoke-MgGraphRequest -Uri \
             'https://graph.microsoft.com/v1.0/servicePrincipals/{id}/synchronization/jobs/{jobId}/schema' \
             -OutputType Json",
        )
    }

    fn fix(&self, cx: &Context<'_>, f: &Found<'_>) -> Option<Fix> {
        let mut edits: Vec<Edit> = f
            .keys
            .iter()
            .map(|(span, camel)| Edit::replace(FileSpan::at(span.start + 1, 1), &camel[..1]))
            .collect();
        let editor = Editor::for_file(cx.file, None);
        for object in f.empty_additional {
            edits.push(editor.delete_property(*object, "AdditionalProperties").ok()?);
        }
        Some(Fix::safe(format!("Rewrite {} keys in camelCase", f.keys.len()), edits))
    }
}
