//! Splicing edits into text, and choosing which fixes can go together.

use super::FixLevel;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::span::FileSpan;
use std::collections::HashSet;

/// Why a fix's edits cannot be applied as they are: a bug in the rule that
/// built them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MalformedEdits {
    #[error("edit {span:?} is outside the text ({len} bytes)")]
    OutOfRange { span: FileSpan, len: usize },
    #[error("edit {span:?} does not start and end on character boundaries")]
    NotOnCharBoundary { span: FileSpan },
    #[error("edits {first:?} and {second:?} overlap")]
    Overlap { first: FileSpan, second: FileSpan },
}

/// Checks that edits can be applied to `text`: in bounds, on character
/// boundaries, and not overlapping (touching is fine, and several
/// insertions at one offset go in the order given).
pub fn check_edits(text: &str, edits: &[Edit]) -> Result<(), MalformedEdits> {
    for e in edits {
        if e.span.start > e.span.end || e.span.end > text.len() {
            return Err(MalformedEdits::OutOfRange {
                span: e.span,
                len: text.len(),
            });
        }
        if !text.is_char_boundary(e.span.start) || !text.is_char_boundary(e.span.end) {
            return Err(MalformedEdits::NotOnCharBoundary { span: e.span });
        }
    }
    let sorted = sorted(edits);
    for pair in sorted.windows(2) {
        if pair[0].span.end > pair[1].span.start {
            return Err(MalformedEdits::Overlap {
                first: pair[0].span,
                second: pair[1].span,
            });
        }
    }
    Ok(())
}

/// Edits by position; stable, so insertions at one offset keep their order.
fn sorted(edits: &[Edit]) -> Vec<&Edit> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    sorted
}

/// Applies edits that passed [`check_edits`]: every byte outside the edited
/// spans is copied unchanged.
pub fn apply_edits(text: &str, edits: &[Edit]) -> Result<String, MalformedEdits> {
    check_edits(text, edits)?;
    let added: usize = edits.iter().map(|e| e.content.len()).sum();
    let mut out = String::with_capacity(text.len() + added);
    let mut copied = 0;
    for e in sorted(edits) {
        out.push_str(&text[copied..e.span.start]);
        out.push_str(&e.content);
        copied = e.span.end;
    }
    out.push_str(&text[copied..]);
    Ok(out)
}

/// Whether an edit appends a member after the last one of an array or
/// object: an insertion that starts with the comma separating it from the
/// member before (what [`crate::fix::Editor`] builds for a non-empty
/// container). Several of these at one point concatenate into valid JSON,
/// whatever their order.
fn is_append(e: &Edit) -> bool {
    e.span.is_empty() && e.content.trim_start().starts_with(',')
}

/// Whether two edits from different fixes would make the result depend on
/// the order they are applied in: they overlap, or one is an insertion at a
/// point the other touches. Two non-empty edits that merely touch (deleting
/// neighbouring array elements) combine fine, and so do appends to the same
/// container ([`is_append`]): their order is the selection's, which is
/// deterministic.
fn conflict(a: &Edit, b: &Edit) -> bool {
    if is_append(a) && is_append(b) && a.span.start == b.span.start {
        return false;
    }
    let (a, b) = (&a.span, &b.span);
    if a.is_empty() || b.is_empty() {
        a.start <= b.end && b.start <= a.end
    } else {
        a.start < b.end && b.start < a.end
    }
}

/// The fixes to apply in one round: every fix `level` allows, in order of
/// position (then rule name, then the order the rule reported them in),
/// skipping any fix with an edit that conflicts with an already chosen one
/// — it gets its turn in the next round, on the re-linted text. A fix with
/// exactly the edits of a chosen one is chosen too (the findings one fix
/// resolves together); [`unique_edits`] applies such edits once. Appends to
/// one container go together, in that order: twenty missing mappings of
/// one object mapping are one round, not twenty. A fix is taken whole or not at all. Fixes that would not
/// change `text` are left out (applying them again and again would never
/// settle).
pub fn select<'d>(text: &str, diagnostics: &'d [Diagnostic], level: FixLevel) -> Vec<&'d Diagnostic> {
    let changes = |e: &Edit| text.get(e.span.range()) != Some(e.content.as_str());
    let mut candidates: Vec<(&Diagnostic, &Fix)> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref().map(|f| (d, f)))
        .filter(|(_, f)| level.allows(f.applicability) && f.edits.iter().any(changes))
        .collect();
    let key = |f: &Fix| {
        (
            f.edits.iter().map(|e| e.span.start).min().unwrap_or(0),
            f.edits.iter().map(|e| e.span.end).max().unwrap_or(0),
        )
    };
    candidates.sort_by(|(da, fa), (db, fb)| key(fa).cmp(&key(fb)).then(da.rule.cmp(db.rule)));
    let mut taken = Taken::default();
    let mut chosen: Vec<&Diagnostic> = Vec::new();
    // The edits of the fixes chosen so far, for the look-up below.
    let mut chosen_fixes: HashSet<&[Edit]> = HashSet::new();
    for (d, f) in candidates {
        // The same fix as one already chosen: one fix that resolves several findings (two
        // three-argument FormatDateTime calls of one mapping) goes with them, applied once.
        if chosen_fixes.contains(f.edits.as_slice()) {
            chosen.push(d);
            continue;
        }
        if f.edits.iter().any(|e| taken.conflicts(e)) {
            continue;
        }
        chosen_fixes.insert(&f.edits);
        f.edits.iter().for_each(|e| taken.insert(e));
        chosen.push(d);
    }
    chosen
}

/// The edits chosen in a round, by where they start. Chosen edits never
/// conflict, so they do not overlap: sorted by start, their ends increase
/// too, and the ones a new edit can touch are found from its end backwards
/// until one ends before it starts. A round with thousands of fixes stays
/// linear in their number (times a logarithm), not quadratic.
#[derive(Default)]
struct Taken<'e> {
    by_start: std::collections::BTreeMap<usize, Vec<&'e Edit>>,
}

impl<'e> Taken<'e> {
    fn insert(&mut self, e: &'e Edit) {
        self.by_start.entry(e.span.start).or_default().push(e);
    }

    fn conflicts(&self, e: &Edit) -> bool {
        for (_, edits) in self.by_start.range(..=e.span.end).rev() {
            if edits.iter().any(|t| conflict(e, t)) {
                return true;
            }
            // Those that start earlier end no later than these.
            if edits.iter().all(|t| t.span.end < e.span.start) {
                return false;
            }
        }
        false
    }
}

/// The edits of `fixes`, each distinct fix once: findings that share one fix (see [`select`])
/// must not apply its edits twice.
pub fn unique_edits<'f>(fixes: impl IntoIterator<Item = &'f Fix>) -> Vec<Edit> {
    let mut seen: HashSet<&[Edit]> = HashSet::new();
    let mut edits = Vec::new();
    for fix in fixes {
        if seen.insert(&fix.edits) {
            edits.extend(fix.edits.iter().cloned());
        }
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Applicability;

    use crate::fix::test_finding as diag;

    const TEXT: &str = "0123456789abcdefghijklmnopqrstuvwxyz";

    #[test]
    fn fixes_that_change_nothing_are_not_selected() {
        let diags = vec![
            diag(
                "same",
                Applicability::Safe,
                vec![Edit::replace(FileSpan::new(0, 2), "01")],
            ),
            diag(
                "other",
                Applicability::Safe,
                vec![Edit::replace(FileSpan::new(0, 2), "xy")],
            ),
        ];
        let chosen: Vec<&str> = select(TEXT, &diags, FixLevel::Safe).iter().map(|d| d.rule).collect();
        assert_eq!(chosen, ["other"]);
    }

    #[test]
    fn applies_edits_and_copies_everything_else() {
        let text = "[1, 2, 3]";
        let out = apply_edits(
            text,
            &[
                Edit::replace(FileSpan::new(7, 8), "30"),
                Edit::insert(0, "\u{feff}"),
                Edit::delete(FileSpan::new(1, 4)),
            ],
        )
        .unwrap();
        assert_eq!(out, "\u{feff}[2, 30]");
        // Insertions at one offset keep their order.
        assert_eq!(
            apply_edits("[]", &[Edit::insert(1, "1"), Edit::insert(1, ", 2")]).unwrap(),
            "[1, 2]"
        );
    }

    #[test]
    fn rejects_malformed_edits() {
        assert!(matches!(
            apply_edits(
                "abc",
                &[
                    Edit::replace(FileSpan::new(1, 3), "x"),
                    Edit::replace(FileSpan::new(2, 3), "y")
                ]
            ),
            Err(MalformedEdits::Overlap { .. })
        ));
        assert!(matches!(
            apply_edits("abc", &[Edit::delete(FileSpan::new(2, 9))]),
            Err(MalformedEdits::OutOfRange { .. })
        ));
        assert!(matches!(
            apply_edits("é", &[Edit::delete(FileSpan::new(1, 2))]),
            Err(MalformedEdits::NotOnCharBoundary { .. })
        ));
    }

    #[test]
    fn selection_is_by_position_first_wins_and_whole_fixes_only() {
        let diags = vec![
            diag(
                "b",
                Applicability::Safe,
                vec![Edit::replace(FileSpan::new(10, 12), "x")],
            ),
            // Overlaps the fix at 10..12 through its second edit: skipped whole.
            diag(
                "c",
                Applicability::Safe,
                vec![
                    Edit::replace(FileSpan::new(0, 1), "y"),
                    Edit::replace(FileSpan::new(11, 13), "z"),
                ],
            ),
            diag("a", Applicability::Safe, vec![Edit::replace(FileSpan::new(5, 6), "w")]),
            diag(
                "u",
                Applicability::Unsafe,
                vec![Edit::replace(FileSpan::new(20, 21), "v")],
            ),
        ];
        let safe: Vec<&str> = select(TEXT, &diags, FixLevel::Safe).iter().map(|d| d.rule).collect();
        // `c` starts first (offset 0), so it wins over `b`.
        assert_eq!(safe, ["c", "a"]);
        let all: Vec<&str> = select(TEXT, &diags, FixLevel::Unsafe).iter().map(|d| d.rule).collect();
        assert_eq!(all, ["c", "a", "u"]);
    }

    #[test]
    fn appends_at_one_point_combine_in_selection_order() {
        let text = "[1]";
        let diags = vec![
            diag("a", Applicability::Safe, vec![Edit::insert(2, ", 2")]),
            diag("a", Applicability::Safe, vec![Edit::insert(2, ", 3")]),
            // A plain insertion at the same point still waits.
            diag("b", Applicability::Safe, vec![Edit::insert(2, "9")]),
        ];
        let chosen = select(text, &diags, FixLevel::Safe);
        assert_eq!(chosen.iter().map(|d| d.rule).collect::<Vec<_>>(), ["a", "a"]);
        let edits: Vec<Edit> = chosen.iter().flat_map(|d| d.fix.clone().unwrap().edits).collect();
        assert_eq!(apply_edits(text, &edits).unwrap(), "[1, 2, 3]");
    }

    #[test]
    fn touching_deletions_combine_but_insertions_at_a_shared_point_do_not() {
        let diags = vec![
            diag("d1", Applicability::Safe, vec![Edit::delete(FileSpan::new(2, 5))]),
            diag("d2", Applicability::Safe, vec![Edit::delete(FileSpan::new(5, 8))]),
            diag("i1", Applicability::Safe, vec![Edit::insert(8, "x")]),
            diag("i2", Applicability::Safe, vec![Edit::insert(20, "x")]),
            diag("i3", Applicability::Safe, vec![Edit::insert(20, "y")]),
        ];
        let chosen: Vec<&str> = select(TEXT, &diags, FixLevel::Safe).iter().map(|d| d.rule).collect();
        assert_eq!(chosen, ["d1", "d2", "i2"]);
    }
}
