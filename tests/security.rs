//! The security guarantees end to end, one section per class: files the
//! tool writes, credentials it prints, control characters it passes on.
//! Each test is an attack or a careless use that once succeeded.

mod common;

use common::{Run, bin, run_in, write_file};
use std::path::{Path, PathBuf};

const SAMPLE: &str = "samples/entra-defaults.json";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary directory holding a copy of the sample as `a.json` and a
/// slightly different `b.json`.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join(SAMPLE)).unwrap();
    std::fs::write(dir.path().join("a.json"), &text).unwrap();
    std::fs::write(
        dir.path().join("b.json"),
        text.replacen("\"mail\"", "\"userPrincipalName\"", 1),
    )
    .unwrap();
    dir
}

// ---------------------------------------------------------------------------
// Files the tool writes

#[test]
fn diff_output_never_replaces_an_input() {
    let dir = workspace();
    let before = std::fs::read(dir.path().join("a.json")).unwrap();
    let r = run_in(dir.path(), &["diff", "a.json", "b.json", "-o", "a.json"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("refusing to overwrite the input a.json"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert_eq!(std::fs::read(dir.path().join("a.json")).unwrap(), before);
}

#[test]
fn outputs_never_replace_an_input_through_a_hard_or_symbolic_link() {
    let dir = workspace();
    let before = std::fs::read(dir.path().join("a.json")).unwrap();
    std::fs::hard_link(dir.path().join("a.json"), dir.path().join("h.json")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("a.json", dir.path().join("s.json")).unwrap();
    for target in ["h.json", "s.json"] {
        if !dir.path().join(target).exists() {
            continue;
        }
        for args in [
            vec!["check", "a.json", "-o", target],
            vec!["check", "a.json", "--report", &*format!("json={target}")],
            vec!["check", "a.json", "--write-baseline", target],
            vec!["diff", "a.json", "b.json", "-o", target],
        ] {
            let r = run_in(dir.path(), &args);
            assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
            assert!(
                r.stderr.contains("refusing to overwrite the input"),
                "{args:?}: {}",
                r.stderr
            );
            assert_eq!(std::fs::read(dir.path().join("a.json")).unwrap(), before, "{args:?}");
        }
    }
}

#[test]
fn an_output_is_never_the_file_on_standard_input() {
    let dir = workspace();
    let before = std::fs::read(dir.path().join("a.json")).unwrap();
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("mapping-lint"))
        .current_dir(dir.path())
        .args(["check", "-", "-o", "a.json"])
        .stdin(std::fs::File::open(dir.path().join("a.json")).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(dir.path().join("a.json")).unwrap(), before);
}

#[cfg(unix)]
#[test]
fn outputs_never_follow_a_symbolic_link_out_of_the_tree() {
    let outside = tempfile::tempdir().unwrap();
    let victim = write_file(outside.path(), "victim.txt", "precious");
    let dir = workspace();
    // What a pull request could commit.
    std::os::unix::fs::symlink(&victim, dir.path().join("report.sarif")).unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("out")).unwrap();
    for args in [
        vec!["check", "a.json", "-o", "report.sarif"],
        vec!["check", "a.json", "--report", "sarif=report.sarif"],
        vec!["check", "a.json", "--write-baseline", "out/baseline.json"],
        vec!["diff", "a.json", "b.json", "-o", "out/diff.txt"],
    ] {
        let r = run_in(dir.path(), &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("symbolic link"), "{args:?}: {}", r.stderr);
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 1);
}

/// A cycle of symbolic links (committed in a repository) as an output:
/// resolving it ends with a clear error, never a crash.
#[cfg(unix)]
#[test]
fn a_cycle_of_symbolic_links_as_an_output_is_an_error_not_a_crash() {
    let dir = workspace();
    std::os::unix::fs::symlink("l2", dir.path().join("l1")).unwrap();
    std::os::unix::fs::symlink("l1", dir.path().join("l2")).unwrap();
    for args in [
        vec!["check", "a.json", "-o", "l1"],
        vec!["check", "a.json", "--write-baseline", "l2"],
        vec!["diff", "a.json", "b.json", "-o", "l1"],
    ] {
        let r = run_in(dir.path(), &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("symbolic links"), "{args:?}: {}", r.stderr);
    }
}

#[cfg(unix)]
#[test]
fn fix_refuses_a_read_only_export_and_says_how_to_proceed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.json");
    std::fs::copy(root().join("samples/broken.json"), &path).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&path).unwrap();
    let r = run_in(dir.path(), &["check", "--fix", "export.json"]);
    r.assert_stderr(2, &["read-only", "--fix - <"]);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_failed_baseline_write_keeps_the_old_baseline() {
    let dir = workspace();
    let r = run_in(dir.path(), &["check", "b.json", "--write-baseline", "baseline.json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let old = std::fs::read(dir.path().join("baseline.json")).unwrap();
    let out = bin()
        .current_dir(dir.path())
        .env("MAPPING_LINT_TEST_FAULT", "before-rename")
        .args(["check", "a.json", "b.json", "--write-baseline", "baseline.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(dir.path().join("baseline.json")).unwrap(), old);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

// ---------------------------------------------------------------------------
// Credentials

/// The decoded credential every output must hide; in the file it is
/// written with escapes (`\/`, `\"`).
const CREDENTIAL: &str = "Hunter2";

/// An export where a credential sits in metadata, is reused as a flow type
/// (so `unknown-enum-value` quotes it) and as a constant inside the
/// expression of a password target.
fn leaky_export() -> String {
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join(SAMPLE)).unwrap()).unwrap();
    let secret = "Hunter2/Leak\"771";
    let rule = &mut doc["synchronizationRules"][0];
    rule["metadata"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"key": "SecretToken", "value": secret}));
    let mappings = rule["objectMappings"][1]["attributeMappings"].as_array_mut().unwrap();
    mappings[1]["flowType"] = secret.into();
    mappings.push(serde_json::json!({
        "defaultValue": null, "exportMissingReferences": false, "flowBehavior": "FlowWhenChanged",
        "flowType": "Always", "matchingPriority": 0, "targetAttributeName": "password",
        "source": {"type": "Function", "name": "Join", "parameters": [],
                   "expression": format!("Join(\"\", \"{}\", [mail])", secret.replace('"', "\\\""))}
    }));
    // Escape `/` as Graph does.
    serde_json::to_string_pretty(&doc).unwrap().replace('/', "\\/")
}

fn assert_masked(what: &str, output: &str) {
    assert!(!output.contains(CREDENTIAL), "{what} shows the credential:\n{output}");
}

#[test]
fn credentials_are_masked_in_every_format_and_the_baseline() {
    let dir = workspace();
    std::fs::write(dir.path().join("leak.json"), leaky_export()).unwrap();
    for format in ["human", "concise", "json", "sarif", "github", "junit", "azure"] {
        let r = run_in(dir.path(), &["check", "leak.json", "-f", format, "--profile", "none"]);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        assert!(r.stdout.contains("secret-in-export"), "{format}: {}", r.stdout);
        assert_masked(format, &r.stdout);
        assert_masked(format, &r.stderr);
    }
    // With the default profile too (more rules quote values).
    let r = run_in(dir.path(), &["check", "leak.json", "-f", "json"]);
    assert_masked("json with a profile", &r.stdout);
    let r = run_in(dir.path(), &["check", "leak.json", "--write-baseline", "baseline.json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_masked(
        "baseline",
        &std::fs::read_to_string(dir.path().join("baseline.json")).unwrap(),
    );
    let r = run_in(dir.path(), &["check", "leak.json", "--diff", "--unsafe-fixes"]);
    assert_masked("--diff", &r.stdout);
    assert_masked("--diff", &r.stderr);
}

#[test]
fn credentials_are_masked_in_diff_output() {
    let dir = workspace();
    std::fs::write(dir.path().join("leak.json"), leaky_export()).unwrap();
    for format in ["human", "json"] {
        let r = run_in(dir.path(), &["diff", "a.json", "leak.json", "-f", format, "-v"]);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        assert_masked(format, &r.stdout);
    }
}

#[test]
fn a_file_that_is_not_json_does_not_show_a_credential_in_its_snippet() {
    let dir = workspace();
    let text = "{\n  \"metadata\": [{\"key\": \"x\", \"SecretToken\": \"Hunter2-abcdef\"}],\n  oops\n}\n";
    std::fs::write(dir.path().join("broken.json"), text).unwrap();
    for format in ["human", "concise", "json", "sarif"] {
        let r = run_in(dir.path(), &["check", "broken.json", "-f", format]);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        assert_masked(format, &r.stdout);
    }
}

// ---------------------------------------------------------------------------
// Files a repository names: never read outside it, never shown unless they are what they should be

/// What a CI runner keeps that a repository's files must not be able to print.
const CANARY: &str = "canary-7f3a9c1e-runner-secret";

/// A repository (`repo/`, with `.git`) holding the sample as `a.json`, next
/// to a file outside it that holds the canary (and is a valid profile, so a
/// read of it would succeed).
fn repository() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("sub")).unwrap();
    std::fs::copy(root().join(SAMPLE), repo.join("a.json")).unwrap();
    std::fs::write(
        dir.path().join("outside.yaml"),
        format!("name: {CANARY}\nextends: astrato\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("runner.env"), format!("TOKEN={CANARY}\n")).unwrap();
    (dir, repo)
}

fn run_with_canary(dir: &Path, args: &[&str]) -> Run {
    Run::of(bin().current_dir(dir).env("RUNNER_SECRET", CANARY).args(args))
}

fn assert_not_shown(what: &str, r: &Run) {
    assert!(
        !r.stdout.contains(CANARY) && !r.stderr.contains(CANARY),
        "{what}: the file was shown:\n{}{}",
        r.stdout,
        r.stderr
    );
}

#[test]
fn a_config_cannot_name_a_profile_outside_the_repository() {
    let (_dir, repo) = repository();
    let mut cases = vec!["../outside.yaml", "../runner.env", "sub/../../outside.yaml"];
    if Path::new("/proc/self/environ").exists() {
        cases.push("/proc/self/environ");
    }
    for value in cases {
        std::fs::write(repo.join(".mapping-lint.yaml"), format!("profile: {value}\n")).unwrap();
        for args in [vec!["check", "a.json"], vec!["diff", "a.json"]] {
            let r = run_with_canary(&repo, &args);
            assert_eq!(r.code, 2, "{value} {args:?}: {}", r.stderr);
            assert!(
                r.stderr.contains(&format!(
                    "profile `{value}` named in .mapping-lint.yaml leads outside the repository"
                )) && r.stderr.contains("--allow-outside-paths"),
                "{value}: {}",
                r.stderr
            );
            assert_not_shown(value, &r);
        }
    }
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_in_the_repository_cannot_lead_a_config_out_of_it() {
    let (dir, repo) = repository();
    std::os::unix::fs::symlink(dir.path().join("outside.yaml"), repo.join("profile.yaml")).unwrap();
    std::os::unix::fs::symlink(dir.path(), repo.join("up")).unwrap();
    for value in ["profile.yaml", "up/outside.yaml"] {
        std::fs::write(repo.join(".mapping-lint.yaml"), format!("profile: {value}\n")).unwrap();
        let r = run_with_canary(&repo, &["check", "a.json"]);
        assert_eq!(r.code, 2, "{value}: {}", r.stderr);
        assert!(r.stderr.contains("leads outside the repository"), "{}", r.stderr);
        assert_not_shown(value, &r);
    }
    // Explicitly allowed, the profile outside is used.
    let r = run_with_canary(&repo, &["check", "a.json", "--allow-outside-paths", "-q"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
}

#[test]
fn a_profile_cannot_extend_a_file_outside_its_repository() {
    let (_dir, repo) = repository();
    std::fs::write(repo.join("app.yaml"), "name: app\nextends: ../outside.yaml\n").unwrap();
    std::fs::write(repo.join(".mapping-lint.yaml"), "profile: app.yaml\n").unwrap();
    // Named by the config or by the user: `extends:` is written in a file.
    for args in [
        vec!["check", "a.json"],
        vec!["check", "a.json", "--profile", "app.yaml"],
    ] {
        let r = run_with_canary(&repo, &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("`../outside.yaml` leads outside the repository"),
            "{}",
            r.stderr
        );
        assert_not_shown("extends", &r);
    }
    let r = run_with_canary(&repo, &["check", "a.json", "--allow-outside-paths", "-q"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
}

#[test]
fn a_profile_the_user_names_may_be_anywhere() {
    let (dir, repo) = repository();
    let outside = dir.path().join("outside.yaml");
    let r = run_with_canary(
        &repo,
        &["check", "a.json", "-q", "--profile", outside.to_str().unwrap()],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
}

#[test]
fn a_file_that_is_not_a_yaml_profile_or_config_is_never_shown() {
    let (_dir, repo) = repository();
    let files = [
        (
            ".env",
            format!("SECRET_TOKEN={CANARY}\n"),
            "line 1 is not a `key: value` line",
        ),
        (
            "id_rsa",
            format!("-----BEGIN OPENSSH PRIVATE KEY-----\n{CANARY}\n-----END OPENSSH PRIVATE KEY-----\n"),
            "line 1 is not a `key: value` line",
        ),
        (
            "environ",
            format!("A=b\0RUNNER_SECRET={CANARY}\0"),
            "it is not a text file",
        ),
        (
            "gha-creds.json",
            format!("{{\"type\": \"service_account\", \"private_key\": \"{CANARY}\"}}\n"),
            "line 1 is not a `key: value` line",
        ),
        (
            "secret.yaml",
            format!("apiVersion: v1\nkind: Secret\ndata:\n  token: {CANARY}\n"),
            "line 1 starts with a key that is not a profile key",
        ),
    ];
    for (name, content, why) in &files {
        std::fs::write(repo.join(name), content).unwrap();
        // From the config, from the command line, and as `profile show`.
        std::fs::write(repo.join(".mapping-lint.yaml"), format!("profile: {name}\n")).unwrap();
        for args in [
            vec!["check", "a.json"],
            vec!["check", "a.json", "--profile", &format!("./{name}")],
            vec!["diff", "a.json"],
            vec!["profile", "show", &format!("./{name}")],
        ] {
            let r = run_with_canary(&repo, &args);
            assert_eq!(r.code, 2, "{name} {args:?}: {}", r.stderr);
            assert!(
                r.stderr.contains("is not a YAML profile: ") && r.stderr.contains(why),
                "{name} {args:?}: {}",
                r.stderr
            );
            assert!(!r.stderr.contains('│'), "{name}: a snippet was shown: {}", r.stderr);
            assert_not_shown(name, &r);
        }
        // The same file as the config.
        std::fs::remove_file(repo.join(".mapping-lint.yaml")).unwrap();
        let r = run_with_canary(&repo, &["check", "a.json", "--config", name]);
        assert_eq!(r.code, 2, "{name}: {}", r.stderr);
        assert!(r.stderr.contains("is not a mapping-lint config: "), "{}", r.stderr);
        assert_not_shown(name, &r);
    }
}

#[test]
fn a_profile_with_a_mistake_is_still_shown_with_its_snippet() {
    let (_dir, repo) = repository();
    std::fs::write(
        repo.join("app.yaml"),
        "name: app\nextends: astrato\nkidn: outbound-scim\n",
    )
    .unwrap();
    let r = run_with_canary(&repo, &["check", "a.json", "--profile", "app.yaml"]);
    r.assert_stderr(2, &["unknown field `kidn`", "3 │ kidn: outbound-scim"]);
}

// ---------------------------------------------------------------------------
// Control characters

/// An export whose values, and a file whose name, try to start CI logging
/// commands and terminal escape sequences.
fn injecting_export() -> String {
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join(SAMPLE)).unwrap()).unwrap();
    let mappings = doc["synchronizationRules"][0]["objectMappings"][1]["attributeMappings"]
        .as_array_mut()
        .unwrap();
    mappings[0]["targetAttributeName"] =
        "x\n##vso[task.setvariable variable=PWNED]1\n::warning::PWNED\u{1b}]0;title\u{7}".into();
    mappings[1]["flowType"] = "Always\r\n::error::PWNED\u{1b}[2J".into();
    serde_json::to_string_pretty(&doc).unwrap()
}

fn assert_no_injection(what: &str, output: &str) {
    for line in output.lines() {
        assert!(
            !line.starts_with("##vso[task.setvariable")
                && !line.starts_with("::warning::PWNED")
                && !line.starts_with("::error::PWNED"),
            "{what}: a line starts a logging command: {line:?}"
        );
    }
    assert!(
        !output.contains('\u{1b}') && !output.contains('\u{7}'),
        "{what}: raw control character in {output:?}"
    );
}

#[test]
fn control_characters_never_reach_text_output_raw() {
    let dir = workspace();
    let name = "evil\n##vso[task.setvariable variable=PWNED]1.json";
    std::fs::write(dir.path().join(name), injecting_export()).unwrap();
    for format in ["human", "concise", "github", "azure", "junit"] {
        let r = run_in(dir.path(), &["check", name, "-f", format]);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        assert_no_injection(format, &r.stdout);
        assert_no_injection(format, &r.stderr);
    }
    let r = run_in(dir.path(), &["diff", "a.json", name]);
    assert_no_injection("diff", &r.stdout);
    // Errors that quote the name.
    let r = run_in(dir.path(), &["check", name, "-o", name]);
    assert_eq!(r.code, 2);
    assert_no_injection("error", &r.stderr);
}

// ---------------------------------------------------------------------------
// Panics and pipes

#[test]
fn a_panic_is_one_line_and_exit_2() {
    let out = bin()
        .env("MAPPING_LINT_TEST_FAULT", "panic")
        .arg("rule")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("mapping-lint: internal error: "), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let dir = tempfile::tempdir().unwrap();
    // Thousands of findings: far more output than a pipe buffer holds.
    let body: Vec<String> = (0..5000).map(|_| "\"k\": 1".to_string()).collect();
    std::fs::write(dir.path().join("dup.json"), format!("{{{}}}", body.join(","))).unwrap();
    let exe = assert_cmd::cargo::cargo_bin("mapping-lint");
    for format in ["concise", "human"] {
        let out = std::process::Command::new("bash")
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .arg("-c")
            .arg(format!(
                "set -o pipefail; '{}' check dup.json -f {format} | head -c 10 >/dev/null",
                exe.display()
            ))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("panicked") && !stderr.contains("internal error"),
            "{stderr}"
        );
        assert_ne!(out.status.code(), Some(101));
    }
}

// ---------------------------------------------------------------------------
// Bounded reads and small contracts

#[cfg(unix)]
#[test]
fn devices_are_read_with_the_size_cap() {
    for args in [
        vec!["check", "/dev/zero", "--max-file-size", "1000"],
        vec!["check", "samples/entra-defaults.json", "--profile", "/dev/zero"],
        vec!["check", "samples/entra-defaults.json", "--baseline", "/dev/zero"],
        vec!["eval", "[a]", "--input", "/dev/zero"],
    ] {
        let out = bin()
            .args(&args)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// 40,000 copies of one key (430 KB) once took 8 s and 200,000 more than a
/// minute: each finding cost work in every later stage. Now ten are
/// reported and one finding counts the rest, in every format.
#[test]
fn repeated_findings_in_one_object_are_capped_with_a_summary() {
    let dir = workspace();
    let text = std::fs::read_to_string(root().join(SAMPLE)).unwrap();
    let dups: Vec<String> = (0..40_000).map(|i| format!("\"x\": {i}")).collect();
    let text = text.replacen('{', &format!("{{{},", dups.join(",\n")), 1);
    std::fs::write(dir.path().join("dups.json"), text).unwrap();
    let r = run_in(dir.path(), &["check", "dups.json", "--profile", "none", "-f", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let findings: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "schema-violation")
        .collect();
    assert_eq!(findings.len(), 11, "{findings:#?}");
    assert!(findings[..10].iter().all(|d| d["message"] == "duplicate key `x`"));
    assert_eq!(
        findings[10]["message"],
        "… and 39,989 more duplicate keys in this object"
    );
    assert_eq!(findings[10]["pointer"], "");
    // Human output: the same eleven, so its size does not grow with the copies.
    let r = run_in(
        dir.path(),
        &["check", "dups.json", "--profile", "none", "-f", "concise"],
    );
    assert_eq!(r.stdout.lines().filter(|l| l.contains("schema-violation")).count(), 11);
    assert!(r.stdout.contains("… and 39,989 more duplicate keys in this object"));
}

/// Objects nested 257 deep were reported as "nesting deeper than 512
/// levels": the limit named is the one that applies, for objects and arrays.
#[test]
fn the_nesting_message_names_the_limit_that_applies() {
    let dir = workspace();
    for (name, open, close) in [("objects.json", "{\"a\":", "}"), ("arrays.json", "[", "]")] {
        let at = |n: usize| format!("{}1{}", open.repeat(n), close.repeat(n));
        std::fs::write(dir.path().join(name), at(257)).unwrap();
        let r = run_in(dir.path(), &["check", name, "-f", "concise", "--profile", "none"]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        let column = open.len() * 256 + 1;
        assert!(
            r.stdout.contains(&format!(
                "{name}:1:{column}: error[invalid-json] not valid JSON: nesting deeper than 256 levels"
            )),
            "{}",
            r.stdout
        );
        // 256 levels are JSON the linter reads (and finds not an export).
        std::fs::write(dir.path().join(name), at(256)).unwrap();
        let r = run_in(dir.path(), &["check", name, "-f", "concise", "--profile", "none"]);
        assert!(!r.stdout.contains("invalid-json"), "{}", r.stdout);
    }
}

/// `eval --input` turned 12345678901234567890123 into 1.2345678901234568e22.
#[test]
fn eval_input_numbers_keep_their_digits() {
    for (input, expected) in [
        (r#"{"n": 12345678901234567890123}"#, "\"12345678901234567890123\""),
        (r#"{"n": 9007199254740993}"#, "\"9007199254740993\""),
        (r#"{"n": 1.10}"#, "\"1.10\""),
        (
            r#"{"n": [12345678901234567890123, 2]}"#,
            "[\"12345678901234567890123\",\"2\"]",
        ),
    ] {
        let out = bin().args(["eval", "[n]", "--input", input]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), expected, "{input}");
    }
}

#[test]
fn stdin_can_be_given_once() {
    let out = bin().args(["check", "-", "-"]).write_stdin("{}").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("only once"));
    let out = bin().args(["diff", "-", "-"]).write_stdin("{}").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("only one of A and B can be `-`"));
}
