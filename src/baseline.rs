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

use crate::diagnostic::Diagnostic;
use crate::json;
use crate::lint::{FileReport, FileRole};
use crate::source::{Origin, SourceFile};
use crate::span::FileSpan;
use crate::suppress::{self, Matcher, Suppression, SuppressionFile};
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
    Invalid { path: String, reason: String, at: Place },
    #[error("{path} is a version {found} baseline; this mapping-lint reads version {BASELINE_VERSION}")]
    Version { path: String, found: u32, at: Place },
}

/// Where in the baseline file a problem is, for its report.
#[derive(Debug)]
pub struct Place {
    /// The file's text, or nothing when the file is not shown (it does not
    /// look like a baseline: a `--baseline` that names a `.env` by mistake
    /// must not print it).
    text: String,
    span: FileSpan,
}

impl Place {
    fn shown(text: &str, span: FileSpan) -> Place {
        Place {
            text: text.to_string(),
            span: span.clamp_to(text.len()),
        }
    }

    fn hidden() -> Place {
        Place {
            text: String::new(),
            span: FileSpan::default(),
        }
    }
}

impl BaselineError {
    /// What to do about it, for the one-line CLI message.
    pub fn help(&self) -> &'static str {
        match self {
            BaselineError::Unreadable { .. } => "create it with --write-baseline FILE",
            BaselineError::Invalid { .. } | BaselineError::Version { .. } => "regenerate it with --write-baseline FILE",
        }
    }

    /// The error as the report of the baseline file: one `invalid-baseline`
    /// finding at its place, which every format shows in its own file.
    /// `None` when the file could not be read at all.
    pub fn to_report(&self) -> Option<FileReport> {
        let (path, message, at) = match self {
            BaselineError::Unreadable { .. } => return None,
            BaselineError::Invalid { path, reason, at } => (path, format!("not a mapping-lint baseline: {reason}"), at),
            BaselineError::Version { path, found, at } => (
                path,
                format!("a version {found} baseline; this mapping-lint reads version {BASELINE_VERSION}"),
                at,
            ),
        };
        let meta = FileRole::Baseline.invalid_rule();
        let finding = Diagnostic::at(meta, message, at.span, String::new()).with_help(self.help());
        Some(FileReport::of_settings_file(
            FileRole::Baseline,
            path,
            &at.text,
            vec![finding],
        ))
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
                at: Place::hidden(),
            });
        }
        Baseline::parse(source, base_dir(path))
    }

    /// Parses baseline text; entry paths are relative to `dir`. Problems
    /// are located in the text, which is shown only when it looks like a
    /// baseline (a JSON object with `version` or `entries`, or, when it is
    /// not JSON, text that mentions `"entries"`: a baseline with a merge
    /// conflict in it).
    pub fn parse(source: SourceFile, dir: PathBuf) -> Result<Baseline, BaselineError> {
        let text = source.text.as_str();
        let invalid = |reason: String, at: Place| BaselineError::Invalid {
            path: source.name.clone(),
            reason,
            at,
        };
        let root = match json::parse(text) {
            Ok(root) => root,
            Err(syntax) if text.contains("\"entries\"") => {
                return Err(invalid(syntax.message, Place::shown(text, syntax.span)));
            }
            Err(_) => return Err(invalid("it is not JSON".into(), Place::hidden())),
        };
        let at = |pointer: &str| json::resolve(&root, pointer).map(|r| json::span_of(r.node));
        if at("/version").is_none() && at("/entries").is_none() {
            return Err(invalid(
                "it is JSON, but not an object with `version` and `entries`".into(),
                Place::hidden(),
            ));
        }
        let file: BaselineFile = serde_json::from_str(text).map_err(|e| {
            // serde_json says where (1-based line, byte column); the span
            // says it again, so the message does not.
            let message = e.to_string();
            let reason = match message.rfind(" at line ") {
                Some(i) => message[..i].to_string(),
                None => message,
            };
            let offset = source
                .lines()
                .line_start(e.line())
                .map_or(0, |start| start + e.column().saturating_sub(1));
            let offset = (0..=offset.min(text.len()))
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            invalid(reason, Place::shown(text, FileSpan::new(offset, offset)))
        })?;
        if file.version != BASELINE_VERSION {
            return Err(BaselineError::Version {
                path: source.name.clone(),
                found: file.version,
                at: Place::shown(text, at("/version").unwrap_or_default()),
            });
        }
        if let Some(i) = file.entries.iter().position(|e| e.count == 0) {
            let entry = &file.entries[i];
            return Err(invalid(
                format!("the entry for `{}` at `{}` has count 0", entry.rule, entry.key),
                Place::shown(text, at(&format!("/entries/{i}/count")).unwrap_or_default()),
            ));
        }
        let spans = (0..file.entries.len())
            .map(|i| at(&format!("/entries/{i}")).unwrap_or(FileSpan::empty(0)))
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
            kind: FileRole::Baseline,
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
