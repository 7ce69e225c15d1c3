//! The check pipeline as a library run (`mapping_lint::run`): what code
//! embedding the linter gets, without the CLI. The CLI's own behaviour is
//! pinned by the `cli_*` tests; these pin the stages of the run.

use mapping_lint::baseline::{self, Baseline};
use mapping_lint::config::Config;
use mapping_lint::fix::FixLevel;
use mapping_lint::lint::LintSettings;
use mapping_lint::run::{self, CheckOptions, FixMode, Input};
use mapping_lint::source::SourceFile;
use mapping_lint::suppress::Suppressions;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn input(path: &Path, shown: &str) -> Input {
    Input::File {
        path: path.to_path_buf(),
        display: shown.to_string(),
        walked: false,
    }
}

fn rules(report: &mapping_lint::output::Report) -> Vec<&'static str> {
    report
        .files
        .iter()
        .flat_map(|f| f.diagnostics.iter().map(|d| d.rule))
        .collect()
}

#[test]
fn a_run_lints_suppresses_and_reports_unused_entries_in_their_own_file() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("broken.json");
    std::fs::copy(Path::new(ROOT).join("samples/broken.json"), &export).unwrap();
    let config = Config::parse(
        &dir.path().join(".mapping-lint.yaml"),
        "ignore:\n  - rule: unknown-function\n    reason: fixed upstream\n  - rule: expression-too-long\n    reason: stale\n",
    )
    .unwrap();
    let options = CheckOptions {
        settings: LintSettings::default(),
        suppressions: Suppressions {
            files: vec![config.suppressions()],
        },
        max_file_size: 1 << 20,
        ..CheckOptions::default()
    };
    let outcome = run::check(&[input(&export, "broken.json")], &options).unwrap();
    let report = outcome.report;
    assert_eq!(report.exports(), 1);
    assert_eq!(report.summary().files, 1, "the config file is not counted as linted");
    assert_eq!(report.suppressed.config, 1, "one unknown-function finding");
    assert!(!rules(&report).contains(&"unknown-function"));
    // The stale entry is reported in the config file, at its entry.
    let unused = &report.files[1];
    assert!(unused.source.name.ends_with(".mapping-lint.yaml"));
    assert_eq!(unused.role, mapping_lint::lint::FileRole::Config);
    assert_eq!(unused.diagnostics.len(), 1);
    assert_eq!(unused.diagnostics[0].pointer, "/ignore/1");
    assert_eq!(unused.diagnostics[0].rule, "unused-suppression");
}

#[test]
fn a_baseline_written_from_a_run_accepts_everything_in_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("broken.json");
    std::fs::copy(Path::new(ROOT).join("samples/broken.json"), &export).unwrap();
    let inputs = [input(&export, "broken.json")];
    let first = run::check(
        &inputs,
        &CheckOptions {
            max_file_size: 1 << 20,
            record_baseline: true,
            ..CheckOptions::default()
        },
    )
    .unwrap();
    assert!(!rules(&first.report).is_empty());
    let text = baseline::render(&first.report.files, dir.path());
    let source = SourceFile::from_text("baseline.json", text);
    let loaded = Baseline::parse(source, PathBuf::from(dir.path())).unwrap();
    let second = run::check(
        &inputs,
        &CheckOptions {
            suppressions: Suppressions {
                files: vec![loaded.suppressions()],
            },
            max_file_size: 1 << 20,
            ..CheckOptions::default()
        },
    )
    .unwrap();
    assert_eq!(rules(&second.report), Vec::<&str>::new());
    assert_eq!(second.report.suppressed.baseline, rules(&first.report).len());
}

#[test]
fn a_diff_run_writes_nothing_and_never_fixes_what_is_suppressed() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("broken.json");
    std::fs::copy(Path::new(ROOT).join("samples/broken.json"), &export).unwrap();
    let before = std::fs::read(&export).unwrap();
    let config = Config::parse(
        &dir.path().join(".mapping-lint.yaml"),
        "ignore:\n  - rule: unknown-source-attribute\n    reason: the app reads Mail\n",
    )
    .unwrap();
    let options = |suppressions: Suppressions| CheckOptions {
        suppressions,
        fix: Some(FixMode::Diff(FixLevel::Safe)),
        max_file_size: 1 << 20,
        ..CheckOptions::default()
    };
    let inputs = [input(&export, "broken.json")];
    let plain = run::check(&inputs, &options(Suppressions::default())).unwrap();
    let suppressed = run::check(
        &inputs,
        &options(Suppressions {
            files: vec![config.suppressions()],
        }),
    )
    .unwrap();
    assert_eq!(std::fs::read(&export).unwrap(), before, "a diff run writes nothing");
    let (plain, suppressed) = (plain.fixes.unwrap(), suppressed.fixes.unwrap());
    assert!(
        plain.diffs[0].contains("+") && plain.diffs[0].contains("\"mail\""),
        "{}",
        plain.diffs[0]
    );
    assert_eq!(
        suppressed.fixes,
        plain.fixes - 1,
        "the suppressed finding's fix is not applied"
    );
}
