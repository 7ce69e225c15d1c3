//! The README must not drift from the code: its rule table is compared with
//! the registry. Run with `UPDATE_README=1` to rewrite the table.

mod common;

use mapping_lint::rules::{FixKind, REGISTRY};

fn rule_table() -> String {
    let mut out = String::from("| rule | severity | fix | what it reports |\n|---|---|---|---|\n");
    for rule in REGISTRY {
        let meta = rule.meta();
        let fix = match meta.fix {
            FixKind::None => "–",
            other => other.label(),
        };
        out.push_str(&format!(
            "| `{}` | {} | {fix} | {} |\n",
            meta.name,
            meta.severity,
            meta.summary()
        ));
    }
    out
}

#[test]
fn readme_rule_table_matches_the_registry() {
    common::assert_generated_section(
        "README.md",
        "rules",
        &rule_table(),
        "README rule table",
        "UPDATE_README",
        "readme",
    );
}

#[test]
fn readme_documents_every_environment_variable_of_the_man_page() {
    let readme = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let out = assert_cmd::Command::cargo_bin("mapping-lint")
        .unwrap()
        .arg("man")
        .output()
        .unwrap();
    let page = String::from_utf8(out.stdout).unwrap();
    let section = page
        .split(".SH ENVIRONMENT\n")
        .nth(1)
        .expect("ENVIRONMENT section")
        .split("\n.SH")
        .next()
        .unwrap();
    let names: Vec<&str> = section
        .lines()
        .filter_map(|l| l.strip_prefix("\\fB")?.strip_suffix("\\fR"))
        .collect();
    assert!(names.contains(&"MAPPING_LINT_PROFILE"), "{names:?}");
    for name in names {
        assert!(
            readme.contains(&format!("| `{name}` |")),
            "README's environment table lacks {name}"
        );
    }
}
