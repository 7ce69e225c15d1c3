//! docs/expressions.md must not drift from the code: its function table is generated from the
//! catalogue. Run with `UPDATE_DOCS=1` to rewrite the table.

mod common;

use mapping_lint::expr::functions::FUNCTIONS;

fn function_table() -> String {
    let mut out =
        String::from("| Function | Signature | Returns | Documented for | What it does |\n|---|---|---|---|---|\n");
    for f in FUNCTIONS {
        out.push_str(&format!(
            "| {} | `{}` | {:?} | {} | {} |\n",
            f.name,
            f.signature(),
            f.returns,
            documented_for(f),
            f.doc.replace('|', "\\|")
        ));
    }
    out
}

/// Which job kinds' documentation documents a function.
fn documented_for(f: &mapping_lint::expr::FunctionSpec) -> &'static str {
    use mapping_lint::model::JobKind;
    match (f.documented(), f.documented_for(JobKind::CloudSync)) {
        (true, true) => "all kinds",
        (true, false) => "all but cloud-sync",
        (false, true) => "cloud-sync",
        (false, false) => "none (engine-only)",
    }
}

#[test]
fn function_table_matches_the_catalogue() {
    common::assert_generated_section(
        "docs/expressions.md",
        "functions",
        &function_table(),
        "docs/expressions.md function table",
        "UPDATE_DOCS",
        "docs_expressions",
    );
}

/// Every expression rule is in the docs' table of checks.
#[test]
fn checks_table_lists_every_expression_rule() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/expressions.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    for rule in mapping_lint::rules::REGISTRY {
        let meta = rule.meta();
        if meta.category == mapping_lint::rules::Category::Expressions {
            assert!(
                doc.contains(&format!("| `{}` | {} |", meta.name, meta.severity)),
                "{} missing from the checks table",
                meta.name
            );
        }
    }
}
