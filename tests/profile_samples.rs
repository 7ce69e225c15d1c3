//! The built-in application profiles end to end: for each, the sample made
//! from the tutorial's tables lints clean under it, and the sample with the
//! mistakes the tutorial warns about gives exactly the findings in its
//! snapshot (with the exit code: 1 when one of them is an error). Then
//! `profile from-export` on every sample: the export lints clean under the
//! profile made from it.

use std::path::Path;

mod common;
use common::*;

const APPS: &[&str] = &[
    "atlassian-cloud",
    "aws-iam-identity-center",
    "cloudflare",
    "databricks",
    "github-emu",
    "slack",
    "snowflake",
    "zoom",
];

#[test]
fn every_application_profile_is_listed_and_has_its_samples() {
    let listed: Vec<&str> = mapping_lint::profile::BUILTINS.iter().map(|b| b.name).collect();
    for app in APPS {
        assert!(listed.contains(app), "{app} is not built in");
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/profiles");
        assert!(root.join(format!("{app}.json")).is_file(), "{app}.json");
        assert!(
            root.join(format!("{app}-mistakes.json")).is_file(),
            "{app}-mistakes.json"
        );
    }
    assert_eq!(
        listed.len(),
        APPS.len() + 2,
        "a new built-in profile needs samples and this list"
    );
}

#[test]
fn tutorial_samples_lint_clean_under_their_profile() {
    for app in APPS {
        let out = bin()
            .args(["check", "-f", "concise", "--fail-on", "info", "--profile", app])
            .arg(format!("samples/profiles/{app}.json"))
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(0), "{app}: {stdout}");
        assert!(stdout.contains("All checks passed"), "{app}: {stdout}");
    }
}

#[test]
fn mistakes_samples_give_the_tutorials_warnings() {
    for app in APPS {
        let out = bin()
            .args(["check", "-f", "concise", "--profile", app])
            .arg(format!("samples/profiles/{app}-mistakes.json"))
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let code = out.status.code().unwrap();
        insta::assert_snapshot!(format!("mistakes_{app}"), format!("exit {code}\n{stdout}"));
    }
}

/// The human format prints the row's reason and the profile's source.
#[test]
fn findings_quote_the_tutorial() {
    let out = stdout_of(
        bin()
            .args(["check", "--profile", "slack", "--select", "value-constraint"])
            .arg("samples/profiles/slack-mistakes.json"),
    );
    // The human format wraps long notes; compare words.
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        out.contains("Slack's Entra tutorial: \"Slack's userName attribute has to be under 21 characters"),
        "{out}"
    );
    assert!(
        out.contains("(https://learn.microsoft.com/entra/identity/saas-apps/slack-provisioning-"),
        "{out}"
    );
    assert!(out.contains("Mid([userPrincipalName], 1, 20)"), "{out}");
}

#[test]
fn from_export_makes_a_profile_the_export_lints_clean_under() {
    let dir = tempfile::tempdir().unwrap();
    let mut samples: Vec<String> = APPS
        .iter()
        .map(|a| format!("samples/profiles/{a}-mistakes.json"))
        .collect();
    samples.extend(APPS.iter().map(|a| format!("samples/profiles/{a}.json")));
    samples.extend(["samples/entra-defaults.json".into(), "samples/astrato.json".into()]);
    for sample in &samples {
        let yaml = stdout_of(bin().args(["profile", "from-export", sample, "--name", "approved"]));
        assert!(yaml.contains("name: \"approved\""), "{sample}: {yaml}");
        let path = write_file(dir.path(), "approved.yaml", &yaml);
        // Every profile rule, and nothing else: the profile-independent
        // findings of broken.json are not the profile's business.
        let out = bin()
            .args([
                "check",
                "-f",
                "concise",
                "--fail-on",
                "info",
                "--select",
                "missing-object-mapping,object-mapping-disabled,missing-required-mapping,wrong-mapping-source,non-reference-source,unexpected-mapping,wrong-matching-attribute,wrong-mapping-flow,value-constraint",
                "--profile",
            ])
            .arg(&path)
            .arg(sample)
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(0), "{sample}: {stdout}\n{yaml}");
    }
}

/// Even a broken export (invalid expressions, an unknown flow type) gives a
/// profile that loads: what a profile cannot state is left as a comment.
#[test]
fn from_export_of_a_broken_export_still_loads() {
    let yaml = stdout_of(bin().args(["profile", "from-export", "samples/broken.json"]));
    assert!(
        yaml.contains("is not a valid expression: any source is accepted"),
        "{yaml}"
    );
    mapping_lint::profile::Profile::parse("broken.yaml", &yaml).unwrap();
}

#[test]
fn from_export_states_the_approved_tables() {
    let yaml = stdout_of(bin().args(["profile", "from-export", "samples/profiles/github-emu.json"]));
    insta::assert_snapshot!(yaml);
}

#[test]
fn from_export_of_a_file_that_is_not_an_export_exits_2() {
    let (_dir, path) = temp_file("x.json", "{ not json");
    let out = bin().args(["profile", "from-export"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("is not valid JSON"), "{stderr}");
}

/// The gallery template ids the built-in profiles list in `targets`, each
/// found in a public source that the profile's comment names. A change here
/// is a change to which exports a profile accepts: update docs/profiles.md
/// with it.
const TEMPLATE_IDS: &[(&str, &str)] = &[
    ("aws-iam-identity-center", "aWSSingleSignon"),
    ("databricks", "dataBricks"),
    ("slack", "Slack"),
];

/// An export whose template identifies an application with a built-in
/// profile (the application's sample, whose job id starts with the
/// template id), checked with another profile, gets one info finding
/// naming it.
#[test]
fn a_gallery_template_suggests_its_builtin_profile() {
    for &(app, template) in TEMPLATE_IDS {
        let out = stdout_of(
            bin()
                .args(["check", "-f", "concise", "--select", "builtin-profile-available"])
                .arg(format!("samples/profiles/{app}.json")),
        );
        assert_eq!(out.matches("builtin-profile-available").count(), 1, "{out}");
        assert!(
            out.contains(&format!(
                "(template {template}), which built-in profile {app} describes; profile astrato is in use"
            )),
            "{out}"
        );
    }
    // The generic non-gallery template names no application.
    let out = stdout_of(bin().args([
        "check",
        "-f",
        "concise",
        "--select",
        "builtin-profile-available",
        "samples/entra-defaults.json",
    ]));
    assert!(out.contains("All checks passed"), "{out}");
}

#[test]
fn the_builtin_template_ids_are_the_documented_ones() {
    let mut listed: Vec<(&str, String)> = Vec::new();
    for b in mapping_lint::profile::BUILTINS {
        let p = mapping_lint::profile::Profile::builtin(b.name).unwrap();
        listed.extend(p.targets.iter().map(|t| (b.name, t.clone())));
    }
    let expected: Vec<(&str, String)> = TEMPLATE_IDS.iter().map(|&(p, t)| (p, t.to_string())).collect();
    assert_eq!(listed, expected);
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/profiles.md")).unwrap();
    let docs = docs.split_whitespace().collect::<Vec<_>>().join(" ");
    for (profile, template) in TEMPLATE_IDS {
        assert!(
            docs.contains(&format!("`{template}` for `{profile}`")),
            "docs/profiles.md does not say that `{template}` identifies `{profile}`"
        );
    }
}

/// A job of each gallery template, as `GET …/synchronization/jobs/{id}`
/// returns it (`templateId` and an id that starts with it), written in lower
/// case because the profiles' `targets` are compared case-insensitively:
/// under the application's own profile `profile-mismatch` stays quiet; under
/// the default profile `builtin-profile-available` names the application's;
/// under another application's profile `profile-mismatch` suggests it, and
/// only it (not every profile that fits any SCIM export).
#[test]
fn a_job_of_each_gallery_template_is_recognised_by_its_profile() {
    let dir = tempfile::tempdir().unwrap();
    for (i, &(profile, template)) in TEMPLATE_IDS.iter().enumerate() {
        let template = template.to_ascii_lowercase();
        let job = format!(
            r#"{{
  "id": "{template}.0123456789abcdef0123456789abcdef.00000000-0000-4000-8000-00000000000{i}",
  "templateId": "{template}",
  "schema": {{
    "synchronizationRules": [
      {{
        "name": "USERGROUP_OUTBOUND_USERGROUP",
        "sourceDirectoryName": "Azure Active Directory",
        "targetDirectoryName": "customappsso",
        "objectMappings": []
      }}
    ]
  }}
}}
"#
        );
        let path = write_file(dir.path(), &format!("{profile}-job.json"), job);
        let check = |profile: &str, rule: &str| {
            Run::utf8(
                bin()
                    .args(["check", "-f", "concise", "--fail-on", "info", "--select", rule])
                    .args(["--profile", profile])
                    .arg(&path),
            )
        };

        let own = check(profile, "profile-mismatch");
        assert_eq!(own.code, 0, "{profile}: {}{}", own.stdout, own.stderr);
        assert!(own.stdout.contains("All checks passed"), "{profile}: {}", own.stdout);

        let default = check("astrato", "builtin-profile-available");
        assert_eq!(default.code, 1, "{profile}: {}{}", default.stdout, default.stderr);
        assert_eq!(
            default.stdout.matches("builtin-profile-available").count(),
            1,
            "{}",
            default.stdout
        );
        assert!(
            default.stdout.contains(&format!(
                "(template {template}), which built-in profile {profile} describes; profile astrato is in use"
            )),
            "{}",
            default.stdout
        );

        let (other, _) = TEMPLATE_IDS[(i + 1) % TEMPLATE_IDS.len()];
        let wrong = check(other, "profile-mismatch,builtin-profile-available");
        assert_eq!(
            wrong.code, 1,
            "{profile} under {other}: {}{}",
            wrong.stdout, wrong.stderr
        );
        assert_eq!(wrong.stdout.matches("profile-mismatch").count(), 1, "{}", wrong.stdout);
        assert!(!wrong.stdout.contains("builtin-profile-available"), "{}", wrong.stdout);
        let help = Run::utf8(
            bin()
                .args([
                    "check",
                    "-f",
                    "json",
                    "--select",
                    "profile-mismatch",
                    "--profile",
                    other,
                ])
                .arg(&path),
        );
        assert!(
            help.stdout
                .contains(&format!("run with `--profile {profile}`, or with `--profile none`")),
            "{profile} under {other}: {}",
            help.stdout
        );
    }
}
