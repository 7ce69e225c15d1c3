//! Autofix: applying the [`Fix`]es rules attach to findings, verifying the
//! result, and writing it back without ever losing the original.
//!
//! # Design
//!
//! A fix is a list of byte-range [`Edit`]s on the text the rule saw
//! (`SourceFile::text`: decoded, without BOM). Edits are spliced into that
//! text, so every byte outside them stays identical — key order,
//! indentation, line endings, escapes, the lot. Rules build their edits with
//! the helpers of [`edit`] ([`Editor`]), which print new JSON in the
//! layout of its neighbours and insert line breaks in the file's convention.
//!
//! Fixes are applied in **rounds** ([`fix_in_rounds`]). Each round takes
//! every fix the [`FixLevel`] allows, in order of position, and skips a fix
//! that conflicts with one already taken (its edits overlap, or an insertion
//! shares a point with another edit — the result would depend on order).
//! Findings that share one fix (the same edits: one fix resolves them all)
//! are taken together and the edits applied once.
//! Appends of new members to the end of the same array or object are the
//! exception: they go together, in the deterministic order of selection, so
//! every missing mapping of an object mapping is added in one round. A
//! fix is applied whole or not at all. Then the text is re-linted: spans of
//! skipped fixes are stale after the first round's edits, so they are never
//! reused; the rule simply reports again on the new text, with fresh spans.
//! Fixes that enable other fixes (enabling the user mapping exposes its
//! missing Delete action) are handled the same way. Rounds stop when no
//! fixable finding is left; after [`MAX_ROUNDS`] rounds with fixes still
//! pending the engine gives up with [`FixError::NotConverged`] — two rules
//! undoing each other must not spin forever. A round whose result is not
//! JSON stops at once, naming the fix responsible.
//!
//! Before anything is written, [`verify`] checks the final text against the
//! original: strict JSON, same kind of document, no new structural
//! problem. [`write_fixed`] then writes it back in the original encoding
//! (BOM, UTF-16) through a temporary file and an atomic rename
//! ([`crate::write`], which also refuses read-only and hard-linked files), after checking that the file did not change
//! on disk since it was read. Any failure leaves the original untouched.
//!
//! The engine is generic over what a lint produces ([`Linted`]), so it is
//! tested with scripted linters, and the CLI plugs in the real one
//! (with the active profile and rule selection) through [`fix_file`].

pub mod apply;
pub mod batch;
pub mod edit;
pub mod style;
pub mod verify;

pub use apply::MalformedEdits;
pub use edit::{Editor, delete_array_element, insert_array_element, insert_property, replace_value};
pub use style::{Indent, Layout, Spacing, Style};

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::json;
use crate::lint::FileReport;
use crate::source::{LineIndex, Origin, SourceFile};
use crate::span::FileSpan;

/// Rounds after which fixing gives up (see the module docs). A guard
/// against rules that undo each other, not a limit on the number of
/// findings: appends to one container share a round, so a round count grows
/// with chains of fixes that enable each other (a handful), never with the
/// number of findings.
pub const MAX_ROUNDS: usize = 32;

/// Which fixes to apply: `--fix` is [`FixLevel::Safe`], `--fix
/// --unsafe-fixes` is [`FixLevel::Unsafe`] (safe and unsafe ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixLevel {
    Safe,
    Unsafe,
}

impl FixLevel {
    pub fn allows(self, applicability: Applicability) -> bool {
        match self {
            FixLevel::Safe => applicability == Applicability::Safe,
            FixLevel::Unsafe => true,
        }
    }
}

/// Why building an edit failed: the caller passed a span or JSON that does
/// not fit. A rule should not offer a fix then.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("span {span:?} is outside the text ({len} bytes)")]
    SpanOutOfRange { span: FileSpan, len: usize },
    #[error("span {span:?} is not one JSON value")]
    NotAValue { span: FileSpan },
    #[error("expected {expected} at {span:?}, found {found}")]
    WrongKind {
        expected: &'static str,
        found: &'static str,
        span: FileSpan,
    },
    #[error("index {index} is out of range for an array of {len} elements")]
    IndexOutOfRange { index: usize, len: usize },
    #[error("the object has no property `{key}`")]
    NoSuchProperty { key: String },
    #[error("the new value is not valid JSON: {message} at offset {offset}")]
    InvalidJson { message: String, offset: usize },
}

/// Why a file could not be fixed. The original is untouched in every case.
#[derive(Debug, thiserror::Error)]
pub enum FixError {
    #[error("the fix of `{rule}` (\"{title}\") is malformed: {reason}")]
    Malformed {
        rule: &'static str,
        title: String,
        reason: MalformedEdits,
    },
    #[error(
        "the fix of {} would make the file invalid JSON ({message} at line {line}, column {column})",
        list(rules)
    )]
    BrokeJson {
        rules: Vec<&'static str>,
        message: String,
        line: usize,
        column: usize,
    },
    #[error("fixes did not settle after {rounds} rounds; still fixable: {}", list(rules))]
    NotConverged { rounds: usize, rules: Vec<&'static str> },
    #[error("the fixed text failed verification: {0}")]
    Verification(String),
    #[error("the file changed on disk while it was being fixed")]
    ChangedOnDisk,
    #[error(transparent)]
    Write(#[from] crate::write::WriteError),
}

impl FixError {
    /// The rules whose fixes went wrong, when known: the CLI suggests
    /// skipping them.
    pub fn rules(&self) -> &[&'static str] {
        match self {
            FixError::Malformed { rule, .. } => std::slice::from_ref(rule),
            FixError::BrokeJson { rules, .. } | FixError::NotConverged { rules, .. } => rules,
            _ => &[],
        }
    }
}

fn list(rules: &[&str]) -> String {
    rules.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ")
}

/// A fix that was applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub rule: &'static str,
    pub title: String,
    /// 1-based round it was applied in.
    pub round: usize,
}

/// What a lint of a text produced: the text and its findings.
pub trait Linted {
    fn text(&self) -> &str;
    fn diagnostics(&self) -> &[Diagnostic];
}

impl Linted for FileReport {
    fn text(&self) -> &str {
        &self.source.text
    }

    fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

/// The result of fixing: the lint of the final text when anything changed.
#[derive(Debug)]
pub struct Fixed<R> {
    /// `None` when there was nothing to fix.
    pub result: Option<R>,
    pub applied: Vec<Applied>,
    /// Rounds that applied fixes.
    pub rounds: usize,
}

/// Applies fixes in rounds, starting from `original` (the lint of the
/// original text) and calling `relint` on each new text. See the module
/// docs for the rules.
pub fn fix_in_rounds<R: Linted>(
    original: &R,
    level: FixLevel,
    mut relint: impl FnMut(String) -> R,
) -> Result<Fixed<R>, FixError> {
    let mut current: Option<R> = None;
    let mut applied = Vec::new();
    for round in 1.. {
        let linted = current.as_ref().unwrap_or(original);
        let text = linted.text();
        let chosen = apply::select(text, linted.diagnostics(), level);
        if chosen.is_empty() {
            return Ok(Fixed {
                result: current,
                applied,
                rounds: round - 1,
            });
        }
        if round > MAX_ROUNDS {
            let mut rules: Vec<&'static str> = chosen.iter().map(|d| d.rule).collect();
            rules.sort_unstable();
            rules.dedup();
            return Err(FixError::NotConverged {
                rounds: MAX_ROUNDS,
                rules,
            });
        }
        let fixes: Vec<(&'static str, &Fix)> = chosen
            .iter()
            .map(|d| (d.rule, d.fix.as_ref().expect("selected fixes exist")))
            .collect();
        for (rule, fix) in &fixes {
            apply::check_edits(text, &fix.edits).map_err(|reason| FixError::Malformed {
                rule,
                title: fix.title.clone(),
                reason,
            })?;
        }
        let edits: Vec<Edit> = apply::unique_edits(fixes.iter().map(|(_, f)| *f));
        let (rule, fix) = fixes[0];
        let new_text = apply::apply_edits(text, &edits).map_err(|reason| FixError::Malformed {
            rule,
            title: fix.title.clone(),
            reason,
        })?;
        if let Err(e) = json::parse(&new_text) {
            return Err(broke_json(text, &new_text, &fixes, e));
        }
        applied.extend(fixes.iter().map(|(rule, fix)| Applied {
            rule,
            title: fix.title.clone(),
            round,
        }));
        current = Some(relint(new_text));
    }
    unreachable!("the loop returns")
}

/// Names the fixes that break the JSON on their own (all of the round's
/// when only their combination does).
fn broke_json(text: &str, new_text: &str, fixes: &[(&'static str, &Fix)], e: json::SyntaxError) -> FixError {
    let mut rules: Vec<&'static str> = fixes
        .iter()
        .filter(|(_, f)| apply::apply_edits(text, &f.edits).is_ok_and(|t| json::parse(&t).is_err()))
        .map(|(r, _)| *r)
        .collect();
    if rules.is_empty() {
        rules = fixes.iter().map(|(r, _)| *r).collect();
    }
    rules.dedup();
    let at = LineIndex::new(new_text).line_col(new_text, e.span.start);
    FixError::BrokeJson {
        rules,
        message: e.message,
        line: at.line,
        column: at.column,
    }
}

/// Fixes one linted file in memory: rounds with `relint` (which must lint
/// the way the original was linted: same settings and profile), then
/// [`verify`]. On success the result's `fixed` counts the applied fixes and
/// its findings are the ones that remain.
pub fn fix_file(
    original: &FileReport,
    level: FixLevel,
    mut relint: impl FnMut(SourceFile) -> FileReport,
) -> Result<Fixed<FileReport>, FixError> {
    let mut fixed = fix_in_rounds(original, level, |text| relint(original.source.with_text(text)))?;
    if let Some(result) = &mut fixed.result {
        verify::verify(&original.source.text, &result.source.text).map_err(FixError::Verification)?;
        result.fixed = fixed.applied.len();
    }
    Ok(fixed)
}

/// Writes `fixed_text` over the file `original` was read from, in its
/// encoding (BOM, UTF-16), atomically — unless the file changed on disk
/// since it was read. Sources that are not files (stdin) are not written.
pub fn write_fixed(original: &SourceFile, fixed_text: &str) -> Result<(), FixError> {
    let Origin::Path(path) = &original.origin else {
        return Ok(());
    };
    let on_disk = std::fs::read(path).map_err(|source| crate::write::WriteError::Io {
        step: "re-read",
        path: path.clone(),
        source,
    })?;
    let new = original.encode(fixed_text);
    if on_disk == new {
        // Already fixed (the same file given twice): nothing to write.
        return Ok(());
    }
    if on_disk != original.encode(&original.text) {
        return Err(FixError::ChangedOnDisk);
    }
    crate::write::Destinations::new().write(path, &new, crate::write::Mode::Replace)?;
    Ok(())
}

/// A unified diff (3 lines of context) from `original` to `fixed`, with
/// secrets masked on both sides; empty when nothing changed. Both headers
/// name the file, so the output applies with `patch -p0`.
pub fn unified_diff(original: &FileReport, fixed: &FileReport) -> String {
    let (old, new) = (original.display_text(), fixed.display_text());
    if old == new {
        return String::new();
    }
    let name = &original.source.name;
    // Patience anchors on the lines that occur once on each side (target
    // names, ids), so a fix of every one of 20,000 mappings diffs in linear
    // time where Myers' algorithm alone takes seconds (its cost grows with
    // lines × differences). Between anchors it falls back to Myers.
    similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .diff_lines(&old, &new)
        .unified_diff()
        .context_radius(3)
        .header(name, name)
        .to_string()
}

/// A finding with one fix and nothing else, for the engine's unit tests.
#[cfg(test)]
pub(crate) fn test_finding(rule: &'static str, applicability: Applicability, edits: Vec<Edit>) -> Diagnostic {
    Diagnostic {
        rule,
        severity: crate::Severity::Warning,
        message: rule.into(),
        span: edits.first().map_or(FileSpan::new(0, 0), |e| e.span),
        pointer: String::new(),
        semantic_key: String::new(),
        label: None,
        labels: Vec::new(),
        help: None,
        note: None,
        fix: Some(Fix {
            title: format!("fix {rule}"),
            applicability,
            edits,
        }),
        external: None,
    }
}

#[cfg(test)]
mod tests;
