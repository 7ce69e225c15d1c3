//! How the human report arranges a file's findings into blocks: errors
//! first, and the findings of one rule in one object mapping folded into a
//! single block (sixteen "not in the profile" mappings are one problem seen
//! sixteen times, not sixteen problems). `--format full` and `-v` keep one
//! block per finding, in file order.
//!
//! The human renderer shows a folded block of errors with one snippet per
//! finding (errors block a deployment: each keeps its context), and a folded
//! block of warnings or infos as one line per finding.

use crate::diagnostic::{Diagnostic, Severity};

/// One block of the human report.
#[derive(Debug)]
pub enum Block<'a> {
    /// A finding shown with its snippet, help and fix.
    One(&'a Diagnostic),
    /// Two or more findings of one rule in one object mapping, shown as a
    /// list with one line each and the help they share.
    Folded(Vec<&'a Diagnostic>),
}

impl Block<'_> {
    fn severity(&self) -> Severity {
        match self {
            Block::One(d) => d.severity,
            Block::Folded(ds) => ds.iter().map(|d| d.severity).max().unwrap_or(Severity::Info),
        }
    }
}

/// The object mapping a pointer lies in (`…/objectMappings/3`), if any.
pub fn object_mapping_of(pointer: &str) -> Option<&str> {
    let at = pointer.find("/objectMappings/")? + "/objectMappings/".len();
    let end = pointer[at..].find('/').map_or(pointer.len(), |i| at + i);
    Some(&pointer[..end])
}

/// Rule and object mapping (pointer prefix).
type GroupKey<'a> = (&'static str, &'a str);

/// The blocks of one file's findings (which are in file order).
pub fn arrange(diagnostics: &[Diagnostic], full: bool) -> Vec<Block<'_>> {
    if full {
        return diagnostics.iter().map(Block::One).collect();
    }
    // Group keys in order of first appearance; a group of one stays One.
    let mut groups: Vec<(Option<GroupKey<'_>>, Vec<&Diagnostic>)> = Vec::new();
    for d in diagnostics {
        let key = object_mapping_of(&d.pointer).map(|mapping| (d.rule, mapping));
        match key.and_then(|k| groups.iter_mut().find(|(g, _)| *g == Some(k))) {
            Some((_, members)) => members.push(d),
            None => groups.push((key, vec![d])),
        }
    }
    let mut blocks: Vec<Block<'_>> = groups
        .into_iter()
        .map(|(_, mut members)| {
            if members.len() == 1 {
                Block::One(members.remove(0))
            } else {
                Block::Folded(members)
            }
        })
        .collect();
    // Errors first; otherwise file order (the sort is stable).
    blocks.sort_by_key(|b| std::cmp::Reverse(b.severity()));
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::REGISTRY;

    fn finding(rule: &str, severity: Severity, pointer: &str) -> Diagnostic {
        let meta = REGISTRY.iter().find(|r| r.meta().name == rule).unwrap().meta();
        let mut d = Diagnostic::at(meta, "m", Default::default(), pointer.to_string());
        d.severity = severity;
        d
    }

    fn shape(blocks: &[Block<'_>]) -> Vec<String> {
        blocks
            .iter()
            .map(|b| match b {
                Block::One(d) => format!("{} {}", d.rule, d.pointer),
                Block::Folded(ds) => format!("{}×{}", ds[0].rule, ds.len()),
            })
            .collect()
    }

    #[test]
    fn findings_of_one_rule_in_one_object_mapping_fold_errors_come_first() {
        let om = "/synchronizationRules/0/objectMappings/1";
        let ds = vec![
            finding(
                "unexpected-mapping",
                Severity::Warning,
                &format!("{om}/attributeMappings/0"),
            ),
            finding(
                "unexpected-mapping",
                Severity::Warning,
                &format!("{om}/attributeMappings/3"),
            ),
            finding(
                "wrong-mapping-source",
                Severity::Error,
                &format!("{om}/attributeMappings/4/source"),
            ),
            finding(
                "wrong-mapping-source",
                Severity::Error,
                &format!("{om}/attributeMappings/5/source"),
            ),
            finding(
                "unexpected-mapping",
                Severity::Warning,
                "/synchronizationRules/0/objectMappings/0/attributeMappings/0",
            ),
            finding(
                "unexpected-mapping",
                Severity::Warning,
                &format!("{om}/attributeMappings/9"),
            ),
        ];
        assert_eq!(
            shape(&arrange(&ds, false)),
            [
                "wrong-mapping-source×2".to_string(),
                "unexpected-mapping×3".to_string(),
                "unexpected-mapping /synchronizationRules/0/objectMappings/0/attributeMappings/0".to_string(),
            ]
        );
        assert_eq!(arrange(&ds, true).len(), 6, "full: one block per finding");
    }

    #[test]
    fn object_mapping_prefix_is_cut_at_whole_segments() {
        assert_eq!(
            object_mapping_of("/synchronizationRules/0/objectMappings/12/attributeMappings/3"),
            Some("/synchronizationRules/0/objectMappings/12")
        );
        assert_eq!(
            object_mapping_of("/schema/synchronizationRules/0/objectMappings/2"),
            Some("/schema/synchronizationRules/0/objectMappings/2")
        );
        assert_eq!(object_mapping_of("/directories/0"), None);
    }
}
