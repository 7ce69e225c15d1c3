//! `mapping-lint rule [NAME]`: a rule's documentation, or the rule list.

use super::UsageError;
use super::args::RuleArgs;
use mapping_lint::rules::{self, FixKind, REGISTRY};
use std::process::ExitCode;

pub fn run(args: RuleArgs) -> Result<ExitCode, UsageError> {
    match args.name {
        Some(name) => {
            let rule = rules::find(&name).ok_or_else(|| unknown_rule(&name))?;
            print!("{}", explain(rule.meta()));
        }
        None => print!("{}", list()),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn unknown_rule(name: &str) -> UsageError {
    let err = UsageError::new(format!("unknown rule `{name}`"));
    match rules::suggest(name) {
        Some(s) => err.with_help(format!("did you mean `{s}`? `mapping-lint rule` lists every rule")),
        None => err.with_help("`mapping-lint rule` lists every rule"),
    }
}

fn fix_label(fix: FixKind) -> &'static str {
    fix.label()
}

/// The documentation of one rule, with its metadata on top.
pub fn explain(meta: &rules::RuleMeta) -> String {
    format!(
        "# {}\n\n{}\n\nDefault severity: {} · Fix: {} · Category: {} · Job kinds: {}\n\n{}",
        meta.name,
        meta.summary(),
        meta.severity,
        fix_label(meta.fix),
        meta.category.title(),
        meta.kinds_label(),
        meta.body()
    )
}

/// Every rule, grouped by category.
pub fn list() -> String {
    let width = REGISTRY.iter().map(|r| r.meta().name.len()).max().unwrap_or(0);
    let fix_width = REGISTRY
        .iter()
        .map(|r| fix_label(r.meta().fix).len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    let mut category = None;
    for rule in REGISTRY {
        let meta = rule.meta();
        if category != Some(meta.category) {
            if category.is_some() {
                out.push('\n');
            }
            out.push_str(&format!("{}\n", meta.category.title()));
            category = Some(meta.category);
        }
        out.push_str(&format!(
            "  {:<width$}  {:<7}  {:<fix_width$}  {}\n",
            meta.name,
            meta.severity.as_str(),
            fix_label(meta.fix),
            meta.summary()
        ));
    }
    out.push_str("\nRun `mapping-lint rule NAME` for a rule's documentation.\n");
    out
}
