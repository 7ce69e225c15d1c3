//! Shell completion, tested for real: the generated bash script is sourced
//! in bash and asked for the words it offers after a partial command line.

use std::process::Command;

mod common;
use common::*;

/// The words bash offers after `line` (which ends where TAB is pressed),
/// run in an empty directory so file-name completion adds nothing.
fn bash_offers(script: &str, line: &[&str]) -> Option<Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    let script_path = write_file(dir.path(), "mapping-lint.bash", script);
    let words = line.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(" ");
    let driver = format!(
        "source '{}'\n\
         COMP_WORDS=({words}); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))\n\
         COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}\n\
         _mapping__lint mapping-lint \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script_path.display()
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &driver])
        .current_dir(dir.path())
        .output()
        .ok()?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

fn bash_script() -> String {
    stdout_of(bin().args(["completions", "bash"]))
}

#[test]
fn bash_completes_values_after_a_subcommand() {
    let script = bash_script();
    let Some(formats) = bash_offers(&script, &["mapping-lint", "check", "-f", ""]) else {
        eprintln!("bash is not installed; skipping");
        return;
    };
    assert_eq!(
        formats,
        ["human", "full", "concise", "json", "sarif", "github", "junit", "azure"]
    );
    let fail_on = bash_offers(&script, &["mapping-lint", "check", "--fail-on", ""]).unwrap();
    assert_eq!(fail_on, ["info", "warning", "error"]);
    // `eval --kind` offers the job kinds, in the order and spelling of the library.
    let kinds = bash_offers(&script, &["mapping-lint", "eval", "[a]", "--kind", ""]).unwrap();
    let names: Vec<&str> = mapping_lint::model::JobKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(kinds, names);
    assert_eq!(
        names,
        [
            "outbound-scim",
            "outbound-app",
            "cross-tenant",
            "cloud-sync",
            "inbound-hr",
            "unknown"
        ]
    );
    let shells = bash_offers(&script, &["mapping-lint", "completions", ""]).unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        assert!(shells.iter().any(|s| s == shell), "{shell} in {shells:?}");
    }
}

#[test]
fn bash_completes_profile_names_and_rule_names() {
    let script = bash_script();
    let Some(profiles) = bash_offers(&script, &["mapping-lint", "check", "--profile", ""]) else {
        return;
    };
    let builtins: Vec<String> = stdout_of(bin().args(["profile", "list"]))
        .lines()
        .take_while(|l| !l.is_empty())
        .skip(1) // the header
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert!(builtins.iter().any(|b| b == "astrato"));
    for name in builtins.iter().map(String::as_str).chain(["none"]) {
        assert!(profiles.iter().any(|p| p == name), "{name} in {profiles:?}");
    }
    // The bare form (`mapping-lint --profile`) too, and a prefix narrows.
    let bare = bash_offers(&script, &["mapping-lint", "--profile", "ast"]).unwrap();
    assert_eq!(bare, ["astrato"]);

    let rules = bash_offers(&script, &["mapping-lint", "rule", ""]).unwrap();
    for rule in ["soft-delete-not-mapped", "wrong-mapping-source", "unused-suppression"] {
        assert!(rules.iter().any(|r| r == rule), "{rule} in {rules:?}");
    }
    let prefix = bash_offers(&script, &["mapping-lint", "rule", "soft-"]).unwrap();
    assert_eq!(prefix, ["soft-delete-not-mapped"]);
}

#[test]
fn zsh_and_fish_scripts_load_where_the_shells_are_installed() {
    for (shell, check) in [("zsh", "-n"), ("fish", "--no-execute")] {
        let script = stdout_of(bin().args(["completions", shell]));
        assert!(script.contains("astrato"), "{shell}: profile names offered");
        assert!(script.contains("soft-delete-not-mapped"), "{shell}: rule names offered");
        let dir = tempfile::tempdir().unwrap();
        let path = write_file(dir.path(), "completion", &script);
        if let Ok(out) = Command::new(shell).arg(check).arg(&path).output() {
            assert!(
                out.status.success(),
                "{shell}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}
