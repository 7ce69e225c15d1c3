//! What a rule reports: a finding with its location, explanation and an
//! optional fix. Output formats render these; nothing here knows about
//! terminals or JSON.

use crate::model::Loc;
use crate::span::FileSpan;
use std::fmt;
use std::sync::Arc;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a fix may be applied without asking: a safe fix keeps what the
/// user evidently meant; an unsafe one may change provisioning behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    Safe,
    Unsafe,
}

/// Replace the bytes of `span` with `content`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edit {
    pub span: FileSpan,
    pub content: String,
}

impl Edit {
    pub fn replace(span: FileSpan, content: impl Into<String>) -> Edit {
        Edit {
            span,
            content: content.into(),
        }
    }

    pub fn insert(at: usize, content: impl Into<String>) -> Edit {
        Edit {
            span: FileSpan::new(at, at),
            content: content.into(),
        }
    }

    pub fn delete(span: FileSpan) -> Edit {
        Edit {
            span,
            content: String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// Imperative, e.g. "Replace the source with `[mail]`".
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            applicability: Applicability::Safe,
            edits,
        }
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            applicability: Applicability::Unsafe,
            edits,
        }
    }
}

/// A secondary label in the same file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: FileSpan,
    pub message: String,
}

/// A label in another document, e.g. the profile row that required a
/// mapping.
#[derive(Debug, Clone)]
pub struct ExternalLabel {
    pub file: String,
    pub text: Arc<str>,
    pub span: FileSpan,
    pub message: String,
}

/// One finding.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Primary location in the linted file.
    pub span: FileSpan,
    /// RFC 6901 pointer to the most specific value the finding is about.
    pub pointer: String,
    /// The location named by what it is rather than where it is (object
    /// mapping by source object, attribute mapping by target, ...), so it
    /// survives reordering; baselines key on it. A rule leaves it at the
    /// pointer, or sets a pointer-like key with [`Self::with_semantic_key`]
    /// when the pointer depends on array order; the linter then replaces
    /// the array indexes in it by names (`baseline::semantic_key`).
    pub semantic_key: String,
    /// Text of the primary label (defaults to nothing: the message says it).
    pub label: Option<String>,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub note: Option<String>,
    pub fix: Option<Fix>,
    pub external: Option<ExternalLabel>,
}

impl Diagnostic {
    /// A finding at `loc`, with the rule's default severity (the engine
    /// applies configured severities afterwards).
    pub fn new(meta: &crate::rules::RuleMeta, message: impl Into<String>, loc: &Loc) -> Diagnostic {
        Diagnostic::at(meta, message, loc.span, loc.pointer.clone())
    }

    pub fn at(
        meta: &crate::rules::RuleMeta,
        message: impl Into<String>,
        span: FileSpan,
        pointer: String,
    ) -> Diagnostic {
        Diagnostic {
            rule: meta.name,
            severity: meta.severity,
            message: message.into(),
            span,
            semantic_key: pointer.clone(),
            pointer,
            label: None,
            labels: Vec::new(),
            help: None,
            note: None,
            fix: None,
            external: None,
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_secondary(mut self, span: FileSpan, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The help when there is one.
    pub fn with_help_if(mut self, help: Option<impl Into<String>>) -> Self {
        self.help = help.map(Into::into);
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// For a finding about a relation between elements (a tie, a duplicate)
    /// whose primary pointer depends on which element comes first: a key
    /// that does not, e.g. `<object mapping>/attributeMappings[matchingPriority=1]`.
    pub fn with_semantic_key(mut self, key: impl Into<String>) -> Self {
        self.semantic_key = key.into();
        self
    }

    pub fn with_external(mut self, external: ExternalLabel) -> Self {
        self.external = Some(external);
        self
    }

    pub fn is_fixable(&self) -> bool {
        self.fix.is_some()
    }
}
