use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{JobKind, Loc};
use crate::profile::{self, Mismatch, Profile};
use crate::span::FileSpan;

declare_rule! {
    /// The reference profile is written for another kind of job or another application than the export.
    ///
    /// ## What it does
    /// Compares the job kind and target recognised in the export (see
    /// `docs/inputs.md`: the template id, the directory names, the object
    /// names) with the profile's `kind` and `targets`. When they differ it
    /// reports **one** error that names the export's kind and target and
    /// suggests `--profile none` or the built-in profiles that fit (only the
    /// one written for the export's gallery app when a built-in profile
    /// lists its template id in `targets`); the profile's other
    /// rules (`missing-required-mapping`, `wrong-mapping-source`, …) then
    /// report nothing for that file. An export whose kind cannot be
    /// recognised (a fragment, an unfamiliar template) fits every profile,
    /// and so does a profile that declares neither key. A non-gallery app
    /// (template `scim`, directory `customappsso`) does not say which
    /// application it is, so it never contradicts a profile's `targets`:
    /// AWS IAM Identity Center set up as a non-gallery SCIM app is checked
    /// against the AWS profile like the gallery app.
    ///
    /// Applies to every job kind.
    ///
    /// ## Why it matters
    /// A SCIM application's table applied to a Salesforce or cross-tenant
    /// export produces a page of errors that are all true of the wrong
    /// application and none of them useful. One sentence — "this export
    /// targets Salesforce, not a SCIM application" — is the answer.
    ///
    /// ## Example
    /// The default profile `astrato` (`kind: outbound-scim`) on an export
    /// whose rule reads
    /// ```json
    /// { "sourceDirectoryName": "Azure Active Directory", "targetDirectoryName": "salesforce.com" }
    /// ```
    /// gives `the export configures outbound provisioning to a gallery
    /// application that is not SCIM (outbound-app, target salesforce.com),
    /// but profile astrato is written for outbound-scim jobs`.
    ///
    /// ## Fix
    /// Run with `--profile none` to get only the profile-independent rules,
    /// or with a profile written for this application (`mapping-lint profile
    /// list`; `docs/profiles.md` shows how to write one, with `kind:` and
    /// `targets:`). There is no automatic fix.
    pub struct ProfileMismatch {
        name: "profile-mismatch",
        category: Profile,
        severity: Error,
        fix: None,
    }
}

pub struct Found<'a> {
    profile: &'a Profile,
    mismatch: Mismatch,
}

impl Rule for ProfileMismatch {
    type State<'a> = Found<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Found<'a>> {
        let Some(profile) = cx.profile else {
            return Vec::new();
        };
        profile
            .mismatch(cx.job, cx.schema)
            .map(|mismatch| Found { profile, mismatch })
            .into_iter()
            .collect()
    }

    fn diagnostic(&self, cx: &Context<'_>, found: &Found<'_>) -> Diagnostic {
        let job = cx.job;
        let profile = found.profile;
        // Point at what identified the job: the schema id when it names the
        // template, else the target directory of the first rule, else the
        // document.
        let id = cx.schema.id.as_ref().filter(|_| job.template.is_some());
        let loc = (id.map(|id| id.loc.clone()))
            .or_else(|| (cx.schema.rules.iter()).find_map(|r| r.target_directory.as_ref().map(|t| t.loc.clone())))
            .or_else(|| cx.schema.id.as_ref().map(|id| id.loc.clone()))
            .unwrap_or_else(|| Loc {
                span: FileSpan::at(cx.schema.loc.span.start, 1).clamp_to(cx.file.text.len()),
                pointer: String::new(),
            });
        let target = job
            .target
            .as_deref()
            .map(|t| format!(", target {t}"))
            .unwrap_or_default();
        let message = match found.mismatch {
            Mismatch::Kind(kind) => format!(
                "the export configures {} ({}{target}), but profile {} is written for {} jobs",
                job.kind.describe(),
                job.kind,
                profile.name,
                kind
            ),
            Mismatch::Target => format!(
                "the export's application ({}{target}) is not one profile {} is written for ({})",
                job.kind,
                profile.name,
                profile.targets.join(", ")
            ),
        };
        let fitting = fitting_builtins(job.kind, cx);
        let suggestion = if fitting.is_empty() {
            "run with `--profile none` for the checks that need no profile, or write a profile for this application (docs/profiles.md)".to_string()
        } else {
            format!(
                "run with `--profile {}`, or with `--profile none` for the checks that need no profile",
                fitting.join("` or `--profile ")
            )
        };
        let mut d = Diagnostic::new(&Self::META, message, &loc)
            .with_label(format!("{} job", job.kind))
            .with_help(suggestion)
            .with_note(format!(
                "profile {}'s other findings are not reported for this file: they would describe another application",
                profile.name
            ));
        if let Some(span) = &profile.applies_span
            && let Some(label) = profile.external(0, span, format!("profile {} applies here", profile.name))
        {
            d = d.with_external(label);
        }
        d
    }
}

/// Built-in profiles written for this export's kind and target. When some
/// of them name the export's application in `targets` (its gallery
/// template), only those: the profiles without `targets` fit every export of
/// the kind, and would bury the one written for this application.
fn fitting_builtins(kind: JobKind, cx: &Context<'_>) -> Vec<&'static str> {
    let fitting: Vec<(&'static str, bool)> = profile::BUILTINS
        .iter()
        .filter_map(|b| {
            let p = Profile::builtin(b.name)?;
            (p.kind == Some(kind) && p.mismatch(cx.job, cx.schema).is_none()).then_some((b.name, !p.targets.is_empty()))
        })
        .collect();
    let named = fitting.iter().any(|&(_, named)| named);
    fitting
        .into_iter()
        .filter(|&(_, n)| n || !named)
        .map(|(name, _)| name)
        .collect()
}
