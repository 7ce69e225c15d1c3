//! End to end: `--fix`, `--unsafe-fixes` and `--diff` on copies of the
//! fixtures — what is written, what is left alone byte for byte, the
//! report, and the exit code.

use mapping_lint::rules::{FixKind, REGISTRY};
use std::path::{Path, PathBuf};

mod common;
use common::*;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Files in a directory, sorted (to see that no temporary file was left).
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The fixes the JSON report proposes for `path` with `args`: how many,
/// and all their edits as (start, end, content) in file order.
fn proposed_edits(path: &Path, args: &[&str]) -> (usize, Vec<(usize, usize, String)>) {
    let out = bin().args(["-f", "json"]).args(args).arg(path).output().unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut fixes = 0;
    let mut edits = Vec::new();
    for d in doc["diagnostics"].as_array().unwrap() {
        fixes += usize::from(!d["fix"].is_null());
        for e in d["fix"]["edits"].as_array().into_iter().flatten() {
            edits.push((
                e["range"]["start"]["offset"].as_u64().unwrap() as usize,
                e["range"]["end"]["offset"].as_u64().unwrap() as usize,
                e["content"].as_str().unwrap().to_string(),
            ));
        }
    }
    edits.sort();
    (fixes, edits)
}

/// `text` with `edits` spliced in: what the file must be, byte for byte,
/// when everything outside the edits is left alone.
fn splice(text: &str, edits: &[(usize, usize, String)]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for (start, end, content) in edits {
        out.push_str(&text[at..*start]);
        out.push_str(content);
        at = *end;
    }
    out.push_str(&text[at..]);
    out
}

/// `--profile` for a rule fixture, as tests/rules.rs chooses it:
/// `<fixture>.profile.yaml` next to it, else `tests/fixtures/profile.yaml`
/// (which base.json implements exactly).
fn profile_of(fixture_path: &Path) -> String {
    let own = fixture_path.with_extension("profile.yaml");
    let path = if own.is_file() { own } else { fixture("profile.yaml") };
    path.display().to_string()
}

/// Every fixture of every rule that offers a fix.
fn fixable_fixtures() -> Vec<(&'static str, PathBuf)> {
    let mut out = Vec::new();
    for rule in REGISTRY.iter().filter(|r| r.meta().fix != FixKind::None) {
        let dir = fixture("rules").join(rule.meta().name);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("no fixtures for {}", rule.meta().name))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        out.extend(files.into_iter().map(|f| (rule.meta().name, f)));
    }
    assert!(!out.is_empty());
    out
}

/// Every fixable rule on its fixtures, alone (`--select`; with the
/// fixture's profile, see [`profile_of`]): the file changes by exactly the proposed
/// edits when they can all go in one round, and a second `--fix` changes
/// nothing.
#[test]
fn fix_changes_exactly_the_proposed_edits_and_a_second_run_changes_nothing() {
    let mut with_fix = std::collections::BTreeSet::new();
    let fixtures = fixable_fixtures();
    for (rule, path) in fixtures.iter().cloned() {
        let original = std::fs::read_to_string(&path).unwrap();
        let (dir, copy) = temp_file("export.json", original.as_bytes());
        let profile = profile_of(&path);
        let args = ["--profile", &profile, "--select", rule, "--fix", "--unsafe-fixes"];
        let (fixes, edits) = proposed_edits(&copy, &args[..4]);
        if fixes == 0 {
            // A fixture showing a finding the rule does not fix (e.g. a typo that is only a guess).
            continue;
        }
        with_fix.insert(rule);

        let out = bin().args(args).arg(&copy).output().unwrap();
        assert_ne!(out.status.code(), Some(2), "{rule}: {}", stderr(&out));
        let fixed = std::fs::read_to_string(&copy).unwrap();
        assert_ne!(fixed, original, "{rule}: nothing changed");
        let one_round = edits.windows(2).all(|w| w[0].1 < w[1].0);
        if one_round {
            assert!(
                stdout(&out).contains(&format!("Fixed {fixes} problem")),
                "{rule}: {}",
                stdout(&out)
            );
            assert_eq!(
                fixed,
                splice(&original, &edits),
                "{rule}: bytes outside the edits changed"
            );
        }
        assert_eq!(
            entries(dir.path()),
            ["export.json"],
            "{rule}: temporary file left behind"
        );

        let again = bin().args(args).arg(&copy).output().unwrap();
        assert!(!stdout(&again).contains("Fixed"), "{rule}: {}", stdout(&again));
        assert!(!stdout(&again).contains("fixable"), "{rule}: {}", stdout(&again));
        assert_eq!(
            std::fs::read_to_string(&copy).unwrap(),
            fixed,
            "{rule}: second run changed the file"
        );
    }
    for (rule, _) in &fixtures {
        assert!(with_fix.contains(rule), "{rule}: no fixture proposes a fix");
    }
}

/// The multi-round fixture: enabling the user mapping exposes its missing
/// Delete action, fixed in the second round; the duplicate mapping has no
/// fix and remains.
const ROUNDS: &str = "fix/rounds.json";

#[test]
fn fixes_in_rounds_report_what_remains_and_exit_on_it() {
    let original = std::fs::read_to_string(fixture(ROUNDS)).unwrap();
    let (_dir, copy) = temp_file("rounds.json", original.as_bytes());
    let out = bin()
        .args(["--profile", "none", "-f", "concise", "--fix", "--unsafe-fixes"])
        .arg(&copy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = stdout(&out);
    let path = copy.display().to_string();
    assert_eq!(
        report.replace(&path, "rounds.json"),
        "rounds.json:23:38: error[duplicate-target-attribute] `name.givenName` is mapped twice in the User object mapping\n\
         Fixed 4 problems; 1 remaining.\nFound 1 error in 1 file.\n"
    );
    let fixed = std::fs::read_to_string(&copy).unwrap();
    // Only the four values changed; every other line is identical.
    let changed: Vec<usize> = original
        .lines()
        .zip(fixed.lines())
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(changed, [12, 13, 19, 20]);
    assert_eq!(original.lines().count(), fixed.lines().count());
    assert!(fixed.contains("\"enabled\": true,\n          \"flowTypes\": \"Add,Update,Delete\","));

    // JSON report: the remaining finding and the number fixed.
    let (_dir2, copy2) = copy_of(ROUNDS);
    let out = bin()
        .args(["--profile", "none", "-f", "json", "--fix", "--unsafe-fixes"])
        .arg(&copy2)
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["fixed"], 4);
    assert_eq!(doc["summary"]["errors"], 1);
    assert_eq!(doc["diagnostics"].as_array().unwrap().len(), 1);
}

fn copy_of(rel: &str) -> (tempfile::TempDir, PathBuf) {
    let name = Path::new(rel).file_name().unwrap().to_str().unwrap().to_string();
    temp_file(&name, std::fs::read(fixture(rel)).unwrap())
}

#[test]
fn safe_fix_leaves_unsafe_fixes_alone_and_says_how_to_apply_them() {
    let (_dir, copy) = copy_of(ROUNDS);
    let before = std::fs::read(&copy).unwrap();
    let out = bin()
        .args(["--profile", "none", "-f", "concise", "--fix"])
        .arg(&copy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        before,
        "nothing safe to fix, nothing written"
    );
    let report = stdout(&out);
    assert!(!report.contains("Fixed"), "{report}");
    assert!(report.ends_with("fixable with `--fix --unsafe-fixes`.\n"), "{report}");
}

#[test]
fn crlf_with_bom_comes_back_crlf_with_bom() {
    let lf = std::fs::read_to_string(fixture("rules/add-only-flow/active.json")).unwrap();
    let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    let (_dir, copy) = temp_file("bom.json", crlf.as_bytes());
    bin()
        .args(["--profile", "none", "--fix", "--unsafe-fixes"])
        .arg(&copy)
        .assert()
        .code(0);
    let fixed = std::fs::read(&copy).unwrap();
    let expected = crlf.replacen("\"ObjectAddOnly\"", "\"Always\"", 1);
    assert_eq!(String::from_utf8(fixed.clone()).unwrap(), expected);
    assert!(fixed.starts_with(b"\xEF\xBB\xBF"));
    assert_eq!(
        fixed.windows(2).filter(|w| w[1] == b'\n' && w[0] != b'\r').count(),
        0,
        "a bare LF"
    );
}

#[test]
fn utf16_comes_back_utf16() {
    let text = std::fs::read_to_string(fixture("rules/object-actions/no-delete.json")).unwrap();
    let utf16 = |s: &str| -> Vec<u8> {
        std::iter::once(0xFEFF_u16)
            .chain(s.encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect()
    };
    let (_dir, copy) = temp_file("ps5.json", utf16(&text));
    bin()
        .args(["--profile", "none", "--fix", "--unsafe-fixes"])
        .arg(&copy)
        .assert()
        .code(0)
        .stdout("Fixed 1 problem; 0 remaining.\nAll checks passed (1 file).\n");
    let expected = text.replacen("\"Add, Update\"", "\"Add, Update, Delete\"", 1);
    assert_eq!(std::fs::read(&copy).unwrap(), utf16(&expected));
}

#[cfg(unix)]
#[test]
fn permissions_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, copy) = copy_of("rules/user-mapping-disabled/disabled.json");
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o604)).unwrap();
    bin()
        .args(["--profile", "none", "--fix", "--unsafe-fixes"])
        .arg(&copy)
        .assert()
        .code(0);
    assert_eq!(std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777, 0o604);
}

#[test]
fn stdin_fix_prints_the_fixed_text_and_reports_on_stderr() {
    let text = std::fs::read_to_string(fixture("rules/add-only-flow/matching.json")).unwrap();
    let out = bin()
        .args([
            "--profile",
            "none",
            "--fix",
            "--unsafe-fixes",
            "--stdin-filename",
            "in.json",
            "-",
        ])
        .write_stdin(text.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), text.replacen("\"ObjectAddOnly\"", "\"Always\"", 1));
    assert_eq!(
        stderr(&out),
        "Fixed 1 problem; 0 remaining.\nAll checks passed (1 file).\n"
    );

    // Nothing to fix: the input passes through unchanged, report on stderr.
    let out = bin()
        .args(["--profile", "none", "--fix", "-"])
        .write_stdin(text.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), text);
    assert!(
        stderr(&out).contains("1 fixable with `--fix --unsafe-fixes`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn diff_of_each_fixable_rule() {
    for (rule, path) in fixable_fixtures() {
        let before = std::fs::read(&path).unwrap();
        let rel = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
        let out = bin()
            .args([
                "--diff",
                "--unsafe-fixes",
                "--select",
                rule,
                "--profile",
                &profile_of(&path),
            ])
            .arg(rel)
            .output()
            .unwrap();
        let (fixes, _) = proposed_edits(&path, &["--select", rule, "--profile", &profile_of(&path)]);
        if fixes == 0 {
            continue;
        }
        assert_eq!(out.status.code(), Some(1), "{rule}: pending fixes exit 1");
        assert_eq!(std::fs::read(&path).unwrap(), before, "{rule}: --diff wrote the file");
        assert!(
            stderr(&out).starts_with(&format!("Would fix {fixes} problem")),
            "{rule}: {}",
            stderr(&out)
        );
        let name = format!("diff@{}", rel.strip_prefix("tests/fixtures/rules").unwrap().display()).replace('/', "__");
        insta::assert_snapshot!(name, stdout(&out));
    }
}

#[test]
fn diff_exits_0_when_nothing_is_pending() {
    bin()
        .args(["--profile", "none", "--diff", "tests/fixtures/base.json"])
        .assert()
        .code(0)
        .stdout("")
        .stderr("Nothing to fix.\n");
    // Unsafe fixes are not pending without --unsafe-fixes.
    bin()
        .args([
            "--profile",
            "none",
            "--diff",
            "tests/fixtures/rules/user-mapping-disabled/disabled.json",
        ])
        .assert()
        .code(0)
        .stdout("")
        .stderr("Nothing to fix (1 more with --unsafe-fixes).\n");
}

#[test]
fn diff_covers_several_rounds_and_several_files() {
    let out = bin()
        .args([
            "--profile",
            "none",
            "--diff",
            "--unsafe-fixes",
            "tests/fixtures/base.json",
            "tests/fixtures/fix/rounds.json",
            "tests/fixtures/rules/object-actions/no-delete.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "Would fix 5 problems in 2 files; run with --fix --unsafe-fixes to apply.\n"
    );
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn unsafe_fixes_need_fix_or_diff_and_diff_writes_no_report() {
    let out = bin()
        .args(["--unsafe-fixes", "tests/fixtures/base.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--fix|--diff"), "{}", stderr(&out));
    let out = bin()
        .args(["--diff", "-o", "report.txt", "tests/fixtures/base.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot be used with"), "{}", stderr(&out));
}

/// Debug builds only: the fault hook is compiled out of release builds.
#[cfg(debug_assertions)]
#[test]
fn a_fault_between_write_and_rename_leaves_the_original_intact() {
    let (dir, copy) = copy_of("rules/user-mapping-disabled/disabled.json");
    let before = std::fs::read(&copy).unwrap();
    let out = bin()
        .env("MAPPING_LINT_TEST_FAULT", "before-rename")
        .args(["--profile", "none", "-f", "concise", "--fix", "--unsafe-fixes"])
        .arg(&copy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(&copy).unwrap(), before);
    assert_eq!(entries(dir.path()), ["disabled.json"], "temporary file left behind");
    let err = stderr(&out);
    assert!(err.contains("cannot fix: cannot finish writing"), "{err}");
    assert!(err.contains("fault injected before the rename"), "{err}");
    assert!(err.contains("the file was left unchanged"), "{err}");
    // The report shows the file as it still is.
    assert!(
        stdout(&out).contains("error[user-mapping-disabled]"),
        "{}",
        stdout(&out)
    );
}

/// Makes a directory unwritable even for root (chmod alone does not stop
/// root; `chattr +i` does where the file system supports it), and undoes
/// it on drop so the temporary directory can be removed.
struct Unwritable<'a> {
    dir: &'a Path,
    immutable: bool,
}

impl<'a> Unwritable<'a> {
    #[cfg(unix)]
    fn new(dir: &'a Path) -> Option<Unwritable<'a>> {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        let mut guard = Unwritable { dir, immutable: false };
        if writable(dir) {
            guard.immutable = std::process::Command::new("chattr")
                .arg("+i")
                .arg(dir)
                .output()
                .is_ok_and(|o| o.status.success());
        }
        (!writable(dir)).then_some(guard)
    }
}

fn writable(dir: &Path) -> bool {
    let probe = dir.join(".probe");
    let ok = std::fs::write(&probe, b"").is_ok();
    let _ = std::fs::remove_file(&probe);
    ok
}

impl Drop for Unwritable<'_> {
    fn drop(&mut self) {
        if self.immutable {
            let _ = std::process::Command::new("chattr").arg("-i").arg(self.dir).output();
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(self.dir, std::fs::Permissions::from_mode(0o755));
        }
    }
}

#[cfg(unix)]
#[test]
fn an_unwritable_directory_leaves_the_original_intact() {
    let (dir, copy) = copy_of("rules/add-only-flow/active.json");
    let before = std::fs::read(&copy).unwrap();
    let Some(_guard) = Unwritable::new(dir.path()) else {
        eprintln!("skipped: cannot make a directory unwritable here");
        return;
    };
    let out = bin()
        .args(["--profile", "none", "--fix", "--unsafe-fixes"])
        .arg(&copy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(&copy).unwrap(), before);
    let err = stderr(&out);
    assert!(err.contains("cannot create a temporary file in"), "{err}");
    assert!(err.contains("the file was left unchanged"), "{err}");
}

/// An export whose user object mapping has no mappings at all needs every
/// row of the profile: all of them are added in one `--fix` run, whatever
/// their number (entra-default has 22), and the result is clean.
#[test]
fn an_export_without_user_mappings_is_fixed_to_zero_findings_in_one_run() {
    for profile in ["astrato", "entra-default"] {
        let (_dir, copy) = copy_of("fix/no-user-mappings.json");
        let out = bin().args(["--profile", profile, "--fix"]).arg(&copy).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{profile}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        assert!(stdout(&out).contains("; 0 remaining."), "{profile}: {}", stdout(&out));
        bin()
            .args(["--profile", profile, "--fail-on", "info"])
            .arg(&copy)
            .assert()
            .code(0)
            .stdout("All checks passed (1 file).\n");
    }
}

/// Plain `--fix` never changes who is matched: Entra's default
/// `userName ← [userPrincipalName]` stays (the profile's `[mail]` would
/// duplicate every account where mail ≠ UPN); the fix is offered as unsafe,
/// and the concise report does not mark it `[*]`.
#[test]
fn plain_fix_keeps_the_matching_attribute_of_the_entra_defaults() {
    let matching = |path: &Path| -> Vec<(String, String)> {
        let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let mut out = Vec::new();
        for om in doc["synchronizationRules"][0]["objectMappings"].as_array().unwrap() {
            for am in om["attributeMappings"].as_array().unwrap() {
                if am["matchingPriority"].as_i64().unwrap_or(0) > 0 {
                    out.push((
                        am["targetAttributeName"].as_str().unwrap().to_string(),
                        am["source"]["expression"].as_str().unwrap().to_string(),
                    ));
                }
            }
        }
        out
    };
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/entra-defaults.json");
    let (_dir, copy) = temp_file("entra-defaults.json", std::fs::read(&sample).unwrap());
    let out = bin().args(["-f", "concise", "--fix"]).arg(&copy).output().unwrap();
    assert_eq!(matching(&copy), matching(&sample));
    let report = stdout(&out);
    let line = report
        .lines()
        .find(|l| l.contains("wrong-mapping-source") && l.contains("userName"))
        .expect("the matching attribute's finding remains");
    assert!(!line.ends_with("[*]"), "{line}");
    assert!(report.contains("1 fixable with `--fix --unsafe-fixes`"), "{report}");
    // With --unsafe-fixes it is changed.
    bin().args(["--fix", "--unsafe-fixes"]).arg(&copy).assert().code(0);
    assert!(matching(&copy).contains(&("userName".to_string(), "[mail]".to_string())));
}

/// The lines of `after` that differ from `before` (same line count), for snapshots of a fix.
fn changed_lines(before: &str, after: &str) -> String {
    assert_eq!(before.lines().count(), after.lines().count());
    before
        .lines()
        .zip(after.lines())
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, (_, b))| format!("{:>3} {}\n", i + 1, b.trim_start()))
        .collect()
}

/// `unknown-symbol`: plain `--fix` writes a bare word that names one of the source object's
/// attributes in brackets, in the expression text and in the `source` tree (a node that is only
/// the word becomes an `Attribute` node), keeping the JSON string's other escapes; the result has
/// no bare word left and a complete tree still agrees with its text. A word the source object does
/// not define (`costCenter`, or `Mail` for `mail`) waits for `--unsafe-fixes`.
#[test]
fn bare_attribute_words_get_their_brackets() {
    let select = ["--profile", "none", "--select", "unknown-symbol"];
    let rel = "rules/unknown-symbol/missing-brackets.json";
    let original = std::fs::read_to_string(fixture(rel)).unwrap();
    let (_dir, copy) = copy_of(rel);
    let out = bin().args(select).arg("--fix").arg(&copy).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).starts_with("Fixed 5 problems"), "{}", stdout(&out));
    let fixed = std::fs::read_to_string(&copy).unwrap();
    assert!(fixed.contains(r#""expression": "Join(\",\", [mail], [givenName])""#));
    assert!(fixed.contains(r#"{ "type": "Attribute", "name": "mail", "expression": "[mail]", "parameters": [] }"#));
    // The word was written `m\u0061il`; the regular expression's `\\\\d` keeps its escapes.
    assert!(fixed.contains(r#""expression": "Replace([mail], , \"\\\\d\", , \"\", , )""#));
    insta::assert_snapshot!("unknown_symbol_fixed", changed_lines(&original, &fixed));
    // Nothing is left for the expression rules in the mappings whose tree was complete or was the
    // word alone; the others (`"parameters": []`) were hand-edited before.
    let findings = findings_after(&copy);
    assert!(
        !findings.iter().any(|(rule, _)| rule == "unknown-symbol"),
        "{findings:?}"
    );
    assert!(
        !findings.iter().any(|(rule, _)| rule == "unknown-source-attribute"),
        "{findings:?}"
    );
    let om = "/synchronizationRules/0/objectMappings/0/attributeMappings";
    for mapping in [2, 4] {
        let at = format!("{om}/{mapping}/");
        assert!(!findings.iter().any(|(_, p)| p.starts_with(&at)), "{at}: {findings:?}");
    }

    // Words the source object does not define: unsafe.
    let rel = "rules/unknown-symbol/missing-brackets-undefined.json";
    let original = std::fs::read_to_string(fixture(rel)).unwrap();
    let (_dir, copy) = copy_of(rel);
    let out = bin().args(select).arg("--fix").arg(&copy).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("2 fixable with `--fix --unsafe-fixes`"),
        "{}",
        stdout(&out)
    );
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), original);
    let out = bin()
        .args(select)
        .args(["--fix", "--unsafe-fixes"])
        .arg(&copy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let fixed = std::fs::read_to_string(&copy).unwrap();
    insta::assert_snapshot!("unknown_symbol_fixed_unsafe", changed_lines(&original, &fixed));
    // What the brackets reveal: an attribute the source does not define, and one in the wrong case.
    let out = bin()
        .args([
            "--profile",
            "none",
            "--select",
            "unknown-source-attribute",
            "-f",
            "concise",
        ])
        .arg(&copy)
        .output()
        .unwrap();
    let report = stdout(&out);
    assert!(
        report.contains("`costCenter` is not an attribute of the source object `User`"),
        "{report}"
    );
    assert!(
        report.contains("`Mail` is not an attribute of the source object `User`"),
        "{report}"
    );
}

/// `unsupported-form`: an IIF that tests a plain attribute for empty becomes the Switch the
/// function reference recommends, only with `--unsafe-fixes` (it changes what is sent for users
/// without a value). Plain `--fix` leaves the file alone and says how to apply it. The rewritten
/// mappings keep the rest of their expression string byte for byte (`\u0022`), get the tree of the
/// new text, and have no finding of the rule left; the forms without a rewrite stay.
#[test]
fn iif_empty_tests_become_switches_only_with_unsafe_fixes() {
    let select = ["--profile", "none", "--select", "unsupported-form"];
    let rel = "rules/unsupported-form/iif-rewrites.json";
    let original = std::fs::read_to_string(fixture(rel)).unwrap();
    let (_dir, copy) = copy_of(rel);
    let out = bin().args(select).arg("--fix").arg(&copy).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "warnings only: {}", stdout(&out));
    assert!(!stdout(&out).contains("Fixed"), "{}", stdout(&out));
    assert!(
        stdout(&out).ends_with("[!] 4 fixable with `--fix --unsafe-fixes`.\n"),
        "{}",
        stdout(&out)
    );
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), original, "plain --fix wrote");

    let out = bin()
        .args(select)
        .args(["--fix", "--unsafe-fixes"])
        .arg(&copy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("Fixed 4 problems; 2 remaining."),
        "{}",
        stdout(&out)
    );
    let fixed = std::fs::read_to_string(&copy).unwrap();
    assert!(fixed.contains(
        r#""expression": "Join(\u0022 \u0022, [givenName], Switch([surname], ToUpper([surname]), \"\", \"(no surname)\"))""#
    ));
    assert!(fixed.contains(
        r#""source": { "expression": "Switch([department], [department], \"\", \"\\\"General\\\" staff\")", "type": "Function" }"#
    ));
    assert!(fixed.contains(
        r#""name": "Switch", "expression": "Switch([jobTitle], [jobTitle], \"\", Switch([department], [department], \"\", \"Staff\"))""#
    ));
    insta::assert_snapshot!("unsupported_form_fixed", changed_lines(&original, &fixed));

    // What is left: the IsNull test and the multi-valued attribute, which have no rewrite; and no
    // tree of a rewritten mapping disagrees with its text (the one without a tree aside).
    let om = "/synchronizationRules/0/objectMappings/0/attributeMappings";
    let findings = findings_after(&copy);
    let form: Vec<&str> = findings
        .iter()
        .filter(|(rule, _)| rule == "unsupported-form")
        .map(|(_, p)| p.as_str())
        .collect();
    assert_eq!(
        form,
        [format!("{om}/5/source/expression"), format!("{om}/6/source/expression")]
    );
    for mapping in [2, 4] {
        let at = format!("{om}/{mapping}/");
        assert!(!findings.iter().any(|(_, p)| p.starts_with(&at)), "{at}: {findings:?}");
    }
}

/// Two three-argument FormatDateTime calls in one mapping: each finding carries the one fix that
/// inserts both empty slots. It is applied once, and both findings count as fixed.
#[test]
fn findings_that_share_one_fix_are_all_fixed_by_it() {
    let text = std::fs::read_to_string(fixture("rules/obsolete-signature/format-date-time.json"))
        .unwrap()
        .replace(
            r#"\" 23:59:59-08:00\""#,
            r#"FormatDateTime([department], \"yyyy\", \"yy\")"#,
        );
    let (_dir, path) = temp_file("two-calls.json", text);
    let select = ["--profile", "none", "--select", "obsolete-signature"];
    let (fixes, _) = proposed_edits(&path, &select);
    assert_eq!(fixes, 2);
    let out = bin()
        .args(select)
        .args(["--fix", "-f", "concise"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).starts_with("Fixed 2 problems; 0 remaining."),
        "{}",
        stdout(&out)
    );
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert!(
        fixed.contains(
            r#"FormatDateTime([department], , \"yyyy-MM-ddzzz\", \"yyyy-MM-dd\"), FormatDateTime([department], , \"yyyy\", \"yy\")"#
        ),
        "{fixed}"
    );
}

/// (rule, pointer) of every finding in `path` under `--profile none`.
fn findings_after(path: &std::path::Path) -> Vec<(String, String)> {
    let doc: serde_json::Value = serde_json::from_slice(
        &bin()
            .args(["--profile", "none", "-f", "json"])
            .arg(path)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    string_pairs(&doc["diagnostics"], "rule", "pointer")
}
