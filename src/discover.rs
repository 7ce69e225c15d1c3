//! Which files a run lints: the directory walk, exclusions, and telling an
//! export from other JSON that happens to sit in the same tree.
//!
//! The model is ruff's: a file named on the command line is always linted;
//! files found by walking a directory are `*.json` files that are not
//! hidden, not ignored by `.gitignore`/`.ignore`, and not matched by an
//! `exclude` pattern (the defaults, replaced by `--exclude` or the config's
//! `exclude:`, extended by `--extend-exclude` / `extend-exclude:`). Every
//! file the walk passes over is recorded with the reason, so `-v` can list
//! them and a walk that finds nothing can say why instead of reporting a
//! green run.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Patterns excluded when neither `--exclude` nor the config's `exclude:`
/// replaces them: package-manager files that are never exports.
pub const DEFAULT_EXCLUDE: &[&str] = &["node_modules", "package.json", "package-lock.json", "tsconfig.json"];

/// Why a file below a walked directory was not linted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// A name starting with `.` (the file or a directory above it).
    Hidden,
    /// Listed in a `.gitignore`, `.ignore` or git exclude file.
    Ignored,
    /// Matched an exclude pattern (the pattern is kept).
    Excluded(String),
    /// A file this run writes (a report, a baseline).
    Output,
    /// Valid JSON without any key of a synchronization schema, job,
    /// template or mapping fragment.
    NotAnExport,
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Hidden => f.write_str("hidden"),
            SkipReason::Ignored => f.write_str("ignored by .gitignore or .ignore"),
            SkipReason::Excluded(pattern) => write!(f, "excluded by `{pattern}`"),
            SkipReason::Output => f.write_str("written by this run"),
            SkipReason::NotAnExport => f.write_str("JSON, but not an export (no key of a schema, job or mapping)"),
        }
    }
}

/// A skipped file and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: SkipReason,
}

/// An invalid exclude pattern.
#[derive(Debug, thiserror::Error)]
#[error("invalid exclude pattern `{pattern}`: {reason}")]
pub struct PatternError {
    pub pattern: String,
    pub reason: String,
}

/// Compiled exclude patterns.
///
/// A pattern without `/` matches a file or directory name anywhere
/// (`node_modules`, `*.sarif`); a pattern with `/` matches a path relative
/// to the directory the pattern belongs to (the current directory for
/// flags, the config file's directory for the config).
#[derive(Debug, Clone)]
pub struct Exclude {
    names: GlobSet,
    name_patterns: Vec<String>,
    paths: GlobSet,
    path_patterns: Vec<String>,
}

impl Default for Exclude {
    fn default() -> Self {
        Exclude {
            names: GlobSet::empty(),
            name_patterns: Vec::new(),
            paths: GlobSet::empty(),
            path_patterns: Vec::new(),
        }
    }
}

impl Exclude {
    /// Compiles `patterns`, each anchored at `base` when it holds a `/`.
    pub fn new<'a>(groups: impl IntoIterator<Item = (&'a Path, &'a [String])>) -> Result<Exclude, PatternError> {
        let (mut names, mut paths) = (GlobSetBuilder::new(), GlobSetBuilder::new());
        let mut exclude = Exclude::default();
        let glob = |pattern: &str, shown: &str| {
            GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
                .map_err(|e| PatternError {
                    pattern: shown.to_string(),
                    reason: e.kind().to_string(),
                })
        };
        for (base, patterns) in groups {
            let base = crate::paths::absolute(base);
            for pattern in patterns {
                let trimmed = pattern.trim_end_matches('/');
                if trimmed.contains('/') {
                    let relative = trimmed.strip_prefix("./").unwrap_or(trimmed);
                    let anchored = format!(
                        "{}/{relative}",
                        globset::escape(&base.to_string_lossy()).trim_end_matches('/')
                    );
                    paths.add(glob(&anchored, pattern)?);
                    exclude.path_patterns.push(pattern.clone());
                } else {
                    names.add(glob(trimmed, pattern)?);
                    exclude.name_patterns.push(pattern.clone());
                }
            }
        }
        let build = |b: GlobSetBuilder| {
            b.build().map_err(|e| PatternError {
                pattern: String::new(),
                reason: e.to_string(),
            })
        };
        exclude.names = build(names)?;
        exclude.paths = build(paths)?;
        Ok(exclude)
    }

    /// The pattern that excludes `path` (a file or a directory), if any.
    pub fn matching(&self, path: &Path) -> Option<&str> {
        if let Some(name) = path.file_name()
            && let Some(i) = self.names.matches(Path::new(name)).into_iter().min()
        {
            return Some(&self.name_patterns[i]);
        }
        if self.paths.is_empty() {
            return None;
        }
        let i = self.paths.matches(crate::paths::absolute(path)).into_iter().min()?;
        Some(&self.path_patterns[i])
    }
}

/// The result of walking one directory.
#[derive(Debug, Default)]
pub struct Walk {
    /// `*.json` files to lint, sorted.
    pub files: Vec<PathBuf>,
    /// `*.json` files passed over, with the reason (hidden and ignored
    /// files only when `explain` was asked for).
    pub skipped: Vec<Skipped>,
}

/// Walks `dir` for `*.json` files. With `explain`, also lists the hidden
/// and ignored `*.json` files the walk passed over (a second walk without
/// those filters, so it costs time only when asked for). An excluded
/// directory is not entered; it is listed once, as itself.
pub fn walk(dir: &Path, exclude: &Exclude, outputs: &[PathBuf], explain: bool) -> Result<Walk, ignore::Error> {
    let mut result = Walk::default();
    let is_json = |p: &Path| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let pruned = Arc::new(Mutex::new(Vec::new()));
    for entry in walker(dir, true, exclude, &pruned).build() {
        let entry = entry?;
        let path = entry.path();
        if !entry.file_type().is_some_and(|t| t.is_file()) || !is_json(path) {
            continue;
        }
        if let Some(pattern) = exclude.matching(path) {
            result
                .skipped
                .push(skip(path, SkipReason::Excluded(pattern.to_string())));
        } else if is_output(path, outputs) {
            result.skipped.push(skip(path, SkipReason::Output));
        } else {
            result.files.push(path.to_path_buf());
        }
    }
    if explain {
        for entry in walker(dir, false, exclude, &Arc::new(Mutex::new(Vec::new())))
            .build()
            .flatten()
        {
            let path = entry.path();
            if !entry.file_type().is_some_and(|t| t.is_file())
                || !is_json(path)
                || result.files.iter().any(|f| f == path)
                || result.skipped.iter().any(|s| s.path == path)
            {
                continue;
            }
            let relative = path.strip_prefix(dir).unwrap_or(path);
            let hidden = relative
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
            result.skipped.push(skip(
                path,
                if hidden {
                    SkipReason::Hidden
                } else {
                    SkipReason::Ignored
                },
            ));
        }
    }
    result
        .skipped
        .extend(std::mem::take(&mut *pruned.lock().unwrap_or_else(|e| e.into_inner())));
    result.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(result)
}

fn walker(dir: &Path, filters: bool, exclude: &Exclude, pruned: &Arc<Mutex<Vec<Skipped>>>) -> ignore::WalkBuilder {
    let mut builder = ignore::WalkBuilder::new(dir);
    builder.sort_by_file_path(Path::cmp).standard_filters(filters);
    let (exclude, pruned) = (exclude.clone(), Arc::clone(pruned));
    builder.filter_entry(move |e| {
        if e.depth() == 0 || !e.file_type().is_some_and(|t| t.is_dir()) {
            return true;
        }
        // Never descend into a repository's object store.
        if e.file_name() == ".git" {
            return false;
        }
        match exclude.matching(e.path()) {
            Some(pattern) => {
                let reason = SkipReason::Excluded(pattern.to_string());
                pruned
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(skip(e.path(), reason));
                false
            }
            None => true,
        }
    });
    builder
}

fn skip(path: &Path, reason: SkipReason) -> Skipped {
    Skipped {
        path: path.to_path_buf(),
        reason,
    }
}

/// Whether `path` is one of the files this run writes (compared after
/// resolving links, so `./r.json` and `r.json` are the same file).
pub fn is_output(path: &Path, outputs: &[PathBuf]) -> bool {
    if outputs.is_empty() {
        return false;
    }
    let Ok(resolved) = path.canonicalize() else {
        return false;
    };
    outputs.iter().any(|o| o.canonicalize().is_ok_and(|o| o == resolved))
}

/// Keys that only synchronization schemas, jobs, templates and mapping
/// fragments have; a JSON document with none of them is something else
/// (a package manifest, a report, a Graph response about another thing).
const EXPORT_KEYS: &[&str] = &[
    "\"synchronizationRules\"",
    "\"directories\"",
    "\"objectMappings\"",
    "\"attributeMappings\"",
    "\"targetAttributeName\"",
    "\"templateId\"",
    "\"factoryTag\"",
    "\"schema\"",
    // The Graph PowerShell SDK's spelling (`ConvertTo-Json` output).
    "\"SynchronizationRules\"",
    "\"ObjectMappings\"",
    "\"AttributeMappings\"",
    "\"TargetAttributeName\"",
];

/// Whether a file found by a directory walk should be linted: anything
/// that mentions an export key, and anything that is not valid JSON (a
/// broken export must be reported, not skipped). Only valid JSON without
/// any export key is passed over.
pub fn looks_like_export(text: &str) -> bool {
    EXPORT_KEYS.iter().any(|k| text.contains(k))
        || serde_json::from_str::<serde::de::IgnoredAny>(text.trim_start_matches('\u{feff}')).is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_broken_files_and_fragments_are_linted_other_json_is_not() {
        assert!(looks_like_export(r#"{"synchronizationRules": []}"#));
        assert!(looks_like_export(r#"[{"targetAttributeName": "x"}]"#));
        assert!(
            looks_like_export(r#"{"SynchronizationRules": []}"#),
            "PowerShell output"
        );
        assert!(looks_like_export(r#"{"name": "x", "#), "invalid JSON is linted");
        assert!(looks_like_export(""), "an empty file is invalid JSON");
        assert!(!looks_like_export(r#"{"name": "pkg", "version": "1.0.0"}"#));
        assert!(!looks_like_export(r#"{"$schema": "x", "runs": []}"#));
    }

    #[test]
    fn name_patterns_match_anywhere_path_patterns_are_anchored() {
        let base = Path::new("/repo");
        let patterns = ["*.sarif.json".to_string(), "old/*.json".to_string()];
        let exclude = Exclude::new([(base, &patterns[..])]).unwrap();
        assert_eq!(
            exclude.matching(Path::new("/repo/a/b/x.sarif.json")),
            Some("*.sarif.json")
        );
        assert_eq!(exclude.matching(Path::new("/repo/old/x.json")), Some("old/*.json"));
        assert_eq!(exclude.matching(Path::new("/repo/a/old/x.json")), None);
        assert_eq!(exclude.matching(Path::new("/repo/x.json")), None);
    }

    #[test]
    fn a_bad_pattern_is_an_error_naming_it() {
        let patterns = ["a[".to_string()];
        let err = Exclude::new([(Path::new("/"), &patterns[..])]).unwrap_err();
        assert_eq!(err.pattern, "a[");
    }
}
