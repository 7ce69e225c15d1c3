//! Everything a rule may look at, computed once per file by the linter.

use crate::expr::equiv::Prover;
use crate::json::{Node, SyntaxError};
use crate::model::{MappingExpression, Recognised, Schema};
use crate::profile::Profile;
use crate::secrets::Secret;
use crate::source::SourceFile;
use crate::span::FileSpan;

/// A structural problem found before any rule runs: a JSON Schema violation
/// or a duplicate key. Reported by `schema-violation`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructuralProblem {
    pub message: String,
    pub span: FileSpan,
    pub pointer: String,
    pub label: Option<String>,
    pub secondary: Option<(FileSpan, String)>,
    pub help: Option<String>,
    /// What makes problems "of one kind": repeated ones in one object or
    /// array are capped ([`crate::validate::cap`]).
    pub kind: ProblemKind,
}

/// The kind of a [`StructuralProblem`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    DuplicateKey,
    /// A JSON Schema violation: the schema path of the rule broken.
    Schema(String),
    /// A summary of problems left out.
    Summary,
}

/// The per-file input of every rule.
pub struct Context<'a> {
    pub file: &'a SourceFile,
    /// Set when the text is not JSON (or not text); then nothing else is.
    pub syntax_error: Option<&'a SyntaxError>,
    pub root: Option<&'a Node<'a>>,
    /// The model (empty when the text is not JSON).
    pub schema: &'a Schema,
    pub structure: &'a [StructuralProblem],
    pub secrets: &'a [Secret],
    /// The reference profile, if any (`--profile none` gives `None`).
    pub profile: Option<&'a Profile>,
    /// The parsed `source.expression` of every attribute mapping.
    pub expressions: &'a [MappingExpression<'a>],
    /// The kind of provisioning job the file configures.
    pub job: &'a Recognised,
    /// Equivalence proofs of this file: one evaluation budget shared by every rule, and a cache
    /// so that rules asking the same question pay once.
    pub prover: &'a Prover,
    /// What the loader learnt about the whole document: its wrapper, its
    /// parts, PowerShell's traces.
    pub facts: &'a crate::model::shape::Facts,
}

impl<'a> Context<'a> {
    /// The reference profile, unless it does not fit the export's job kind
    /// or target: then `profile-mismatch` reports that once, and the
    /// profile's own rules stay silent (their findings would all be noise).
    pub fn applicable_profile(&self) -> Option<&'a Profile> {
        self.profile.filter(|p| p.mismatch(self.job, self.schema).is_none())
    }

    /// The text a span points into.
    pub fn text(&self, span: FileSpan) -> &'a str {
        &self.file.text[span]
    }
}
