//! Benchmarks of each stage of the per-file pipeline on a synthetic export
//! (`mapping_lint::synthetic`, generated in-process), plus `serde_json`'s
//! parse to a `Value` as the floor everything is compared with.
//!
//! ```text
//! cargo bench --bench pipeline            # all stages, 1 MB export
//! cargo bench --bench pipeline -- rules   # filter by name
//! ```
//!
//! The whole-process numbers (and the 5 MB / 50 MB sizes) come from
//! `scripts/bench.sh`; see docs/performance.md.

use divan::{Bencher, black_box};
use mapping_lint::lint::{FileReport, LintSettings, lint_bytes};
use mapping_lint::output::{self, Format, RenderOptions, Report};
use mapping_lint::rules::{Check, Context, REGISTRY};
use mapping_lint::source::{Origin, SourceFile};
use mapping_lint::{json, model, secrets, synthetic, validate};
use std::sync::LazyLock;

fn main() {
    divan::main();
}

/// About 1 MB, clean: every stage does its full work and finds nothing.
static EXPORT: LazyLock<String> = LazyLock::new(|| synthetic::export_of_size(1_000_000));

/// The same size with 200 planted findings, for the renderers.
fn report_with_findings() -> FileReport {
    let options = synthetic::Options {
        defects: 200,
        ..synthetic::options_for_size(1_000_000)
    };
    let report = lint_bytes(
        "synthetic.json",
        synthetic::export(options).into_bytes(),
        &LintSettings::default(),
    );
    assert_eq!(report.diagnostics.len(), 200);
    report
}

/// The floor: what merely parsing the text with serde_json costs.
#[divan::bench]
fn floor_serde_json_value(bencher: Bencher) {
    let text = EXPORT.as_str();
    bencher
        .counter(divan::counter::BytesCount::of_str(text))
        .bench(|| serde_json::from_str::<serde_json::Value>(black_box(text)).unwrap());
}

/// Bytes → text: BOM, UTF-8 validation (no copy for UTF-8 input).
#[divan::bench]
fn load_decode(bencher: Bencher) {
    bencher
        .counter(divan::counter::BytesCount::of_str(&*EXPORT))
        .with_inputs(|| EXPORT.clone().into_bytes())
        .bench_values(|bytes| SourceFile::from_bytes("synthetic.json", Origin::Stdin, bytes));
}

/// Text → span AST (jsonc-parser, strict), including the control-character check.
#[divan::bench]
fn parse_span_ast(bencher: Bencher) {
    let text = EXPORT.as_str();
    bencher
        .counter(divan::counter::BytesCount::of_str(text))
        .bench(|| json::parse(black_box(text)).unwrap());
}

/// Duplicate keys and the JSON Schema check.
#[divan::bench]
fn validate_structure(bencher: Bencher) {
    let root = json::parse(&EXPORT).unwrap();
    bencher.bench(|| validate::check(black_box(&root)));
}

#[divan::bench]
fn model_build(bencher: Bencher) {
    let root = json::parse(&EXPORT).unwrap();
    bencher.bench(|| model::build(black_box(&root)));
}

/// Parsing every mapping's `source.expression` (with its offset map).
#[divan::bench]
fn expressions_parse(bencher: Bencher) {
    let root = json::parse(&EXPORT).unwrap();
    let schema = model::build(&root);
    bencher.bench(|| model::parse_expressions(black_box(&schema), &EXPORT));
}

#[divan::bench]
fn secrets_scan(bencher: Bencher) {
    let root = json::parse(&EXPORT).unwrap();
    bencher.bench(|| secrets::scan(black_box(&root)));
}

/// Every registered rule on a prepared context (what `lint` does after the
/// shared stages), without a profile (`--profile none`).
#[divan::bench]
fn rules_all(bencher: Bencher) {
    let file = SourceFile::from_text("synthetic.json", EXPORT.as_str());
    let root = json::parse(&file.text).unwrap();
    let schema = model::build(&root);
    let structure = validate::check(&root);
    let secrets = secrets::scan(&root);
    let expressions = model::parse_expressions(&schema, &file.text);
    let job = model::kind::recognise(&schema);
    let cx = Context {
        file: &file,
        syntax_error: None,
        root: Some(&root),
        schema: &schema,
        structure: &structure,
        secrets: &secrets,
        expressions: &expressions,
        profile: None,
        job: &job,
        prover: &mapping_lint::expr::equiv::Prover::default(),
        facts: &model::shape::Facts::default(),
    };
    bencher.bench(|| {
        let mut out = Vec::new();
        for check in REGISTRY {
            if let Check::File(rule) = check {
                rule.run(black_box(&cx), &mut out);
            }
        }
        out
    });
}

/// The whole per-file pipeline, bytes in, findings out.
#[divan::bench]
fn lint_whole_file(bencher: Bencher) {
    let settings = LintSettings::default();
    bencher
        .counter(divan::counter::BytesCount::of_str(&*EXPORT))
        .with_inputs(|| EXPORT.clone().into_bytes())
        .bench_values(|bytes| lint_bytes("synthetic.json", bytes, &settings));
}

/// A whole `check` run as the CLI calls it (read, lint, suppress, report)
/// on the same export, from a file.
#[divan::bench]
fn check_run(bencher: Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("synthetic.json");
    std::fs::write(&path, &*EXPORT).unwrap();
    let inputs = [mapping_lint::run::Input::File {
        path,
        display: "synthetic.json".into(),
        walked: false,
    }];
    let options = mapping_lint::run::CheckOptions {
        max_file_size: 1 << 30,
        ..Default::default()
    };
    bencher
        .counter(divan::counter::BytesCount::of_str(&*EXPORT))
        .bench(|| mapping_lint::run::check(black_box(&inputs), &options).unwrap());
}

/// Rendering 200 findings in each format.
#[divan::bench(args = [Format::Human, Format::Concise, Format::Json])]
fn render(bencher: Bencher, format: Format) {
    let report = Report {
        files: vec![report_with_findings()],
        profile: None,
        ..Default::default()
    };
    let options = RenderOptions::default();
    bencher.bench(|| {
        let mut out = Vec::new();
        output::render(format, black_box(&report), &options, &mut out).unwrap();
        out
    });
}

/// The default export with `n` attribute mappings whose flow type is
/// written `always`: `n` findings of `unknown-enum-value`, each with a safe
/// fix.
fn export_with_fixes(n: usize) -> String {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/entra-defaults.json")).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mappings = &mut doc["synchronizationRules"][0]["objectMappings"][0]["attributeMappings"];
    let template = mappings[0].clone();
    *mappings = (0..n)
        .map(|i| {
            let mut m = template.clone();
            m["targetAttributeName"] = format!("urn:example:attribute{i}").into();
            m["flowType"] = "always".into();
            m
        })
        .collect();
    serde_json::to_string_pretty(&doc).unwrap()
}

/// `check --diff` of a file where every one of `n` mappings has a fix: the
/// fix rounds (choosing non-conflicting fixes, applying, verifying) and the
/// unified diff. The time should grow with `n`, not with its square.
#[divan::bench(args = [1_000, 10_000])]
fn fix_diff(bencher: Bencher, n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixable.json");
    std::fs::write(&path, export_with_fixes(n)).unwrap();
    let inputs = [mapping_lint::run::Input::File {
        path,
        display: "fixable.json".into(),
        walked: false,
    }];
    let options = mapping_lint::run::CheckOptions {
        max_file_size: 1 << 30,
        fix: Some(mapping_lint::run::FixMode::Diff(mapping_lint::fix::FixLevel::Safe)),
        ..Default::default()
    };
    bencher.bench(|| {
        let outcome = mapping_lint::run::check(black_box(&inputs), &options).unwrap();
        assert_eq!(outcome.fixes.unwrap().fixes, n);
    });
}
