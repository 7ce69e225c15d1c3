use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{Loc, kind};
use crate::profile::{self, Profile};

declare_rule! {
    /// The export is a job of an application that has a built-in profile, and another profile is in use.
    ///
    /// ## What it does
    /// Reads the template id of the export's job (the first part of the job
    /// or schema id, e.g. `aWSSingleSignon` in
    /// `aWSSingleSignon.ff8b….bfc8…`) and looks for a built-in profile whose
    /// `targets` list it. When there is one and the profile in use is
    /// another one, it reports one info finding that names it. The generic
    /// templates of the non-gallery app (`scim`, `customappsso`) identify no
    /// application, so they never give a suggestion, and neither does a
    /// profile that does not fit the export (`profile-mismatch` already
    /// suggests profiles then).
    ///
    /// Applies to every job kind.
    ///
    /// ## Why it matters
    /// The default profile describes one application. Checking an AWS IAM
    /// Identity Center export against it reports Astrato's requirements, and
    /// misses AWS's own (one email, a first name for every user, …).
    ///
    /// ## Example
    /// An export whose `id` is `aWSSingleSignon.ff8b….bfc8…`, checked with the
    /// default profile, gets: "this export is a job of the gallery app with
    /// template aWSSingleSignon, which built-in profile
    /// aws-iam-identity-center describes".
    ///
    /// ## Fix
    /// Run with the suggested `--profile`, or set `profile:` in the config
    /// file. To keep the profile in use, ignore the rule.
    pub struct BuiltinProfileAvailable {
        name: "builtin-profile-available",
        category: Profile,
        severity: Info,
        fix: None,
    }
}

pub struct Suggestion<'a> {
    in_use: &'a Profile,
    builtin: &'static str,
    application: String,
    template: String,
}

impl Rule for BuiltinProfileAvailable {
    type State<'a> = Suggestion<'a>;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<Suggestion<'a>> {
        let Some(in_use) = cx.applicable_profile() else {
            return Vec::new();
        };
        let Some(template) = cx.job.template.as_deref() else {
            return Vec::new();
        };
        // The non-gallery templates name no particular application.
        if kind::kind_of_template(template).is_some() {
            return Vec::new();
        }
        profile::BUILTINS
            .iter()
            .filter(|b| b.name != in_use.name)
            .filter_map(|b| {
                let p = Profile::builtin(b.name)?;
                p.targets
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(template))
                    .then(|| Suggestion {
                        in_use,
                        builtin: b.name,
                        application: p.application.clone().unwrap_or_else(|| b.name.to_string()),
                        template: template.to_string(),
                    })
            })
            .take(1)
            .collect()
    }

    fn diagnostic(&self, cx: &Context<'_>, s: &Suggestion<'_>) -> Diagnostic {
        let loc = cx.schema.id.as_ref().map_or_else(
            || Loc {
                span: crate::span::FileSpan::at(cx.schema.loc.span.start, 1).clamp_to(cx.file.text.len()),
                pointer: String::new(),
            },
            |id| id.loc.clone(),
        );
        Diagnostic::new(
            &Self::META,
            format!(
                "this export is a job of the {} gallery app (template {}), which built-in profile {} describes; profile {} is in use",
                s.application, s.template, s.builtin, s.in_use.name
            ),
            &loc,
        )
        .with_label(format!("template {}", s.template))
        .with_help(format!(
            "run with `--profile {}` (or set `profile: {}` in .mapping-lint.yaml)",
            s.builtin, s.builtin
        ))
    }
}
