//! Baselines: adopt the linter on an export that already has findings, and
//! fail only on new ones.
//!
//! `--write-baseline FILE` records every current finding; `--baseline FILE`
//! suppresses the findings recorded there and reports each entry that no
//! longer matches anything as `unused-suppression`, pointing into the
//! baseline file, so a baseline shrinks as problems are fixed instead of
//! silently hiding the next one.
//!
//! **Keys.** An entry is keyed by file, rule and the finding's *semantic
//! key* ([`crate::model::semantic_key`]): the JSON Pointer with every array index the
//! portal may reorder replaced by the name of the element (an object
//! mapping by its source object, an attribute mapping by its target
//! attribute, a directory, object or attribute definition by its name, a
//! metadata entry by its key). Line numbers break on every edit and array
//! indexes whenever Entra rewrites the export in another order; names do
//! not. Two identical findings under one key are one entry with `count: 2`.
//!
//! **File.** JSON, versioned, one entry per line group, sorted by file, rule
//! and key, so it diffs well in review. Paths are relative to the
//! baseline's directory (with `/`), so the same baseline works whatever the
//! working directory of the run. The finding's message is kept for the
//! reader; matching ignores it.

use crate::json;
use crate::lint::FileReport;
use crate::source::{Origin, SourceFile};
use crate::span::FileSpan;
use crate::suppress::{self, Matcher, SourceKind, Suppression, SuppressionFile};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Version of the baseline file format.
pub const BASELINE_VERSION: u32 = 1;

/// The `tool` value that marks a file as a mapping-lint baseline.
const TOOL: &str = "mapping-lint";

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    #[serde(default)]
    tool: Option<String>,
    entries: Vec<Entry>,
}

/// One recorded finding (or several identical ones).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Path of the linted file relative to the baseline's directory, or the
    /// name reported for stdin.
    pub file: String,
    pub rule: String,
    /// The finding's semantic key.
    pub key: String,
    /// How many identical findings this entry accepts.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub count: usize,
    /// The message when the baseline was written, for the reader.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

fn one() -> usize {
    1
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

/// A baseline file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read the baseline {path}: {source}")]
    Unreadable {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not a mapping-lint baseline: {reason}")]
    Invalid { path: String, reason: String },
    #[error("{path} is a version {found} baseline; this mapping-lint reads version {BASELINE_VERSION}")]
    Version { path: String, found: u32 },
}

impl BaselineError {
    /// What to do about it, for the one-line CLI message.
    pub fn help(&self) -> &'static str {
        match self {
            BaselineError::Unreadable { .. } => "create it with --write-baseline FILE",
            BaselineError::Invalid { .. } | BaselineError::Version { .. } => "regenerate it with --write-baseline FILE",
        }
    }
}

/// A loaded baseline.
#[derive(Debug)]
pub struct Baseline {
    source: SourceFile,
    /// Directory that entry paths are relative to.
    dir: PathBuf,
    entries: Vec<Entry>,
    /// FileSpan of each entry object in `source`, for `unused-suppression`.
    spans: Vec<FileSpan>,
}

impl Baseline {
    /// Reads a baseline; `display` is the name reports use for it.
    pub fn load(path: &Path, display: &str) -> Result<Baseline, BaselineError> {
        let bytes = crate::source::read_side_file(path).map_err(|source| BaselineError::Unreadable {
            path: display.to_string(),
            source,
        })?;
        let mut source = SourceFile::from_bytes(display, Origin::Path(path.to_path_buf()), bytes);
        if let Some(e) = source.decode_error.take() {
            return Err(BaselineError::Invalid {
                path: display.to_string(),
                reason: e.message,
            });
        }
        Baseline::parse(source, base_dir(path))
    }

    /// Parses baseline text; entry paths are relative to `dir`.
    pub fn parse(source: SourceFile, dir: PathBuf) -> Result<Baseline, BaselineError> {
        let invalid = |reason: String| BaselineError::Invalid {
            path: source.name.clone(),
            reason,
        };
        let file: BaselineFile = serde_json::from_str(&source.text).map_err(|e| invalid(e.to_string()))?;
        if file.version != BASELINE_VERSION {
            return Err(BaselineError::Version {
                path: source.name.clone(),
                found: file.version,
            });
        }
        if let Some(entry) = file.entries.iter().find(|e| e.count == 0) {
            return Err(invalid(format!(
                "the entry for `{}` at `{}` has count 0",
                entry.rule, entry.key
            )));
        }
        // serde_json accepted it, so the span parser does too.
        let root = json::parse(&source.text).map_err(|e| invalid(e.message))?;
        let spans = (0..file.entries.len())
            .map(|i| {
                json::resolve(&root, &format!("/entries/{i}")).map_or(FileSpan::empty(0), |r| json::span_of(r.node))
            })
            .collect();
        Ok(Baseline {
            dir,
            entries: file.entries,
            spans,
            source,
        })
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entries as a suppression file (see [`crate::suppress`]).
    pub fn suppressions(&self) -> SuppressionFile {
        SuppressionFile {
            kind: SourceKind::Baseline,
            name: self.source.name.clone(),
            text: self.source.text.as_str().into(),
            dir: self.dir.clone(),
            entries: (self.entries.iter().zip(&self.spans).enumerate())
                .map(|(i, (e, span))| Suppression {
                    rule: e.rule.clone(),
                    matcher: Matcher::Recorded {
                        file: e.file.clone(),
                        key: e.key.clone(),
                        count: e.count,
                    },
                    reason: None,
                    span: *span,
                    pointer: format!("/entries/{i}"),
                })
                .collect(),
        }
    }
}

/// The baseline text recording every finding of `files`; `dir` is the
/// directory the baseline will be written to.
pub fn render(files: &[FileReport], dir: &Path) -> String {
    let mut grouped: BTreeMap<(String, &str, &str), (usize, &str)> = BTreeMap::new();
    for file in files {
        let name = suppress::file_key(&file.source, dir);
        for d in &file.diagnostics {
            grouped
                .entry((name.clone(), d.rule, &d.semantic_key))
                .or_insert((0, &d.message))
                .0 += 1;
        }
    }
    let entries = grouped
        .into_iter()
        .map(|((file, rule, key), (count, message))| Entry {
            file,
            rule: rule.to_string(),
            key: key.to_string(),
            count,
            message: Some(message.to_string()),
        })
        .collect();
    let doc = BaselineFile {
        version: BASELINE_VERSION,
        tool: Some(TOOL.to_string()),
        entries,
    };
    serde_json::to_string_pretty(&doc).expect("a baseline always serialises") + "\n"
}

/// Whether `text` is a mapping-lint baseline (of any version): the check
/// that keeps `--write-baseline` from overwriting an unrelated file.
pub fn is_baseline(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| {
        v.get("tool").and_then(|t| t.as_str()) == Some(TOOL) && v.get("entries").is_some_and(|e| e.is_array())
    })
}

/// The directory entry paths of a baseline at `path` are relative to.
pub fn base_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}
