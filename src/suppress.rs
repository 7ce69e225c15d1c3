//! Suppressions: one model for findings a project has accepted.
//!
//! Two files accept findings: the config's `ignore:` entries (a rule, an
//! optional file glob and pointer prefix, a reason) and a baseline
//! (`--baseline`: a rule, a file and a semantic key, a count). They differ
//! only in how an entry matches a finding ([`Matcher`]); everything else is
//! this module's, for both:
//!
//! - a suppressed finding is never fixed ([`Suppressions::filter`] is what
//!   the fix rounds see);
//! - after the run, [`Suppressions::apply`] removes the accepted findings,
//!   counts them per source, and reports every entry that matched nothing as
//!   `unused-suppression`, pointing into its own file;
//! - an entry is reported unused only when the run could have matched it:
//!   a file the entry is about was linted in this run (and parsed), and the
//!   entry's rule ran on that file. Linting one file of a repository, or a
//!   subset of the rules, never makes the other entries look stale.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{FileReport, FileRole, LintSettings};
use crate::rules::{self, unused_suppression};
use crate::source::{Origin, SourceFile};
use crate::span::FileSpan;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// How an entry recognises the findings it accepts.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// A config `ignore:` entry: every finding of the rule in the files the
    /// glob matches (all files without one), under the pointer prefix.
    Ignore {
        /// The glob as written, and its matcher.
        files: Option<(String, globset::GlobMatcher)>,
        /// JSON Pointer prefix.
        pointer: Option<String>,
    },
    /// A baseline entry: up to `count` findings of the rule with this
    /// semantic key in this file (its path relative to the baseline's
    /// directory).
    Recorded { file: String, key: String, count: usize },
}

/// One entry that accepts findings.
#[derive(Debug, Clone)]
pub struct Suppression {
    pub rule: String,
    pub matcher: Matcher,
    /// Why the findings are accepted (required in the config; a baseline
    /// records findings without one).
    pub reason: Option<String>,
    /// Where the entry is in its file, for `unused-suppression`.
    pub span: FileSpan,
    /// JSON Pointer of the entry in its file (`/ignore/2`, `/entries/7`).
    pub pointer: String,
}

/// The entries of one suppression file.
#[derive(Debug, Clone)]
pub struct SuppressionFile {
    /// [`FileRole::Config`] for the config's `ignore:` entries,
    /// [`FileRole::Baseline`] for a baseline.
    pub kind: FileRole,
    /// The file's name as reported, and its text, for `unused-suppression`
    /// findings and their snippets.
    pub name: String,
    pub text: Arc<str>,
    /// The directory file names in entries are relative to.
    pub dir: PathBuf,
    pub entries: Vec<Suppression>,
}

/// Every suppression file of a run, applied in order (config, then baseline).
#[derive(Debug, Clone, Default)]
pub struct Suppressions {
    pub files: Vec<SuppressionFile>,
}

/// What [`Suppressions::apply`] did.
#[derive(Debug, Default)]
pub struct Applied {
    /// Findings removed, per source.
    pub config: usize,
    pub baseline: usize,
    /// One report per suppression file with `unused-suppression` findings.
    pub unused: Vec<FileReport>,
}

/// The names a linted file goes by, relative to one suppression file.
struct Names {
    /// As reported (the path given or found, or the stdin name).
    shown: String,
    /// Relative to the suppression file's directory, lexically, with `/`;
    /// the stdin name for stdin.
    relative: String,
    /// Relative after resolving symbolic links, when that differs.
    resolved: Option<String>,
}

impl Names {
    fn of(source: &SourceFile, dir: &Path) -> Names {
        let shown = source.name.clone();
        let Origin::Path(path) = &source.origin else {
            return Names {
                relative: shown.clone(),
                shown,
                resolved: None,
            };
        };
        let relative = relative_to(path, dir).unwrap_or_else(|| shown.replace('\\', "/"));
        let resolved = match (std::fs::canonicalize(path), std::fs::canonicalize(dir)) {
            (Ok(p), Ok(d)) => p
                .strip_prefix(&d)
                .ok()
                .map(|r| r.to_string_lossy().replace('\\', "/"))
                .filter(|r| *r != relative),
            _ => None,
        };
        Names {
            shown,
            relative,
            resolved,
        }
    }

    fn any(&self, mut f: impl FnMut(&str) -> bool) -> bool {
        f(&self.shown) || f(&self.relative) || self.resolved.as_deref().is_some_and(f)
    }
}

impl Suppression {
    /// Whether the entry is about this file at all.
    fn concerns(&self, names: &Names) -> bool {
        match &self.matcher {
            Matcher::Ignore { files: None, .. } => true,
            Matcher::Ignore {
                files: Some((_, glob)), ..
            } => names.any(|n| glob.is_match(n)),
            Matcher::Recorded { file, .. } => names.relative == *file,
        }
    }

    /// Whether it accepts `d`, a finding in a file it concerns.
    fn accepts(&self, d: &Diagnostic) -> bool {
        d.rule == self.rule
            && match &self.matcher {
                Matcher::Ignore { pointer, .. } => pointer.as_ref().is_none_or(|p| pointer_has_prefix(&d.pointer, p)),
                Matcher::Recorded { key, .. } => d.semantic_key == *key,
            }
    }

    /// How many findings it may accept in a run.
    fn capacity(&self) -> usize {
        match &self.matcher {
            Matcher::Ignore { .. } => usize::MAX,
            Matcher::Recorded { count, .. } => *count,
        }
    }

    /// Whether, having accepted `used` findings, the entry matched less
    /// than it was written for: nothing (an ignore entry), or fewer findings
    /// than its count (a baseline entry).
    fn is_unused(&self, used: usize) -> bool {
        match &self.matcher {
            Matcher::Ignore { .. } => used == 0,
            Matcher::Recorded { count, .. } => used < *count,
        }
    }

    fn describe(&self, used: usize) -> String {
        match &self.matcher {
            Matcher::Ignore {
                files: Some((glob, _)), ..
            } => {
                format!("ignore entry for `{}` in {glob}", self.rule)
            }
            Matcher::Ignore { files: None, .. } => format!("ignore entry for `{}`", self.rule),
            Matcher::Recorded { file, key, count } => {
                let partly = if used > 0 {
                    format!(" ({} of its {count} findings)", count - used)
                } else {
                    String::new()
                };
                format!("baseline entry for `{}` at `{key}` in {file}{partly}", self.rule)
            }
        }
    }
}

/// `/a/b` is a prefix of `/a/b` and `/a/b/c`, not of `/a/bc`.
fn pointer_has_prefix(pointer: &str, prefix: &str) -> bool {
    let prefix = prefix.trim_end_matches('/');
    prefix.is_empty() || pointer == prefix || pointer.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'))
}

/// Per suppression file: which entries can match a finding of a given file
/// and rule, found without scanning every entry for every finding (a
/// baseline may hold thousands).
struct Index<'a> {
    /// Baseline entries by (file, rule).
    recorded: HashMap<(&'a str, &'a str), Vec<usize>>,
    /// Config entries, by rule.
    ignores: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Index<'a> {
    fn new(file: &'a SuppressionFile) -> Index<'a> {
        let mut index = Index {
            recorded: HashMap::new(),
            ignores: HashMap::new(),
        };
        for (i, entry) in file.entries.iter().enumerate() {
            match &entry.matcher {
                Matcher::Recorded { file, .. } => index
                    .recorded
                    .entry((file.as_str(), entry.rule.as_str()))
                    .or_default()
                    .push(i),
                Matcher::Ignore { .. } => index.ignores.entry(entry.rule.as_str()).or_default().push(i),
            }
        }
        index
    }

    fn candidates<'s>(&'s self, names: &'s Names, rule: &'s str) -> impl Iterator<Item = usize> + 's {
        let recorded = self.recorded.get(&(names.relative.as_str(), rule));
        let ignores = self.ignores.get(rule);
        recorded.into_iter().chain(ignores).flatten().copied()
    }
}

impl SuppressionFile {
    /// Removes the findings of `report` this file accepts; `used[i]` counts
    /// the findings entry `i` accepted. Returns the indexes of the entries
    /// that concern the file.
    fn retain(&self, index: &Index<'_>, report: &mut FileReport, used: &mut [usize]) -> Vec<usize> {
        let names = Names::of(&report.source, &self.dir);
        report.diagnostics.retain(|d| {
            let mut keep = true;
            for i in index.candidates(&names, d.rule) {
                let entry = &self.entries[i];
                if used[i] < entry.capacity() && entry.concerns(&names) && entry.accepts(d) {
                    used[i] += 1;
                    keep = false;
                    // A recorded entry consumes its count; an ignore entry
                    // accepts every match, and later ones are used too.
                    if matches!(entry.matcher, Matcher::Recorded { .. }) {
                        break;
                    }
                }
            }
            keep
        });
        (0..self.entries.len())
            .filter(|&i| self.entries[i].concerns(&names))
            .collect()
    }
}

impl Suppressions {
    /// No suppression file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The same suppressions without the baselines: what `--write-baseline`
    /// records against (a new baseline replaces the old one).
    pub fn without_baselines(&self) -> Suppressions {
        Suppressions {
            files: self
                .files
                .iter()
                .filter(|f| f.kind != FileRole::Baseline)
                .cloned()
                .collect(),
        }
    }

    /// Removes the accepted findings of one file, without tracking which
    /// entries were used: what `--fix` sees, so that an accepted finding is
    /// never fixed.
    pub fn filter(&self, report: &mut FileReport) {
        for file in &self.files {
            let mut used = vec![0; file.entries.len()];
            file.retain(&Index::new(file), report, &mut used);
        }
    }

    /// The suppression step of a run: removes the accepted findings from
    /// `reports` and reports the entries that matched nothing (see the
    /// module docs for when an entry counts as unused).
    pub fn apply(&self, reports: &mut [FileReport], settings: &LintSettings) -> Applied {
        let mut applied = Applied::default();
        let unused_severity = settings.effective_severity(unused_suppression::META);
        for file in &self.files {
            let index = Index::new(file);
            let mut used = vec![0; file.entries.len()];
            // Entries that could have matched something in this run.
            let mut checked = vec![false; file.entries.len()];
            let mut removed = 0;
            for report in reports.iter_mut() {
                let before = report.diagnostics.len();
                let concerned = file.retain(&index, report, &mut used);
                removed += before - report.diagnostics.len();
                // A file that did not parse was not really checked.
                if report.job.is_none() {
                    continue;
                }
                for i in concerned {
                    let rule = &file.entries[i].rule;
                    let unknown = rules::find(rule).is_none();
                    if unknown || report.rules_run.iter().any(|r| r == rule) {
                        checked[i] = true;
                    }
                }
            }
            match file.kind {
                FileRole::Config => applied.config += removed,
                _ => applied.baseline += removed,
            }
            if let Some(severity) = unused_severity
                && let Some(report) = file.unused_report(&used, &checked, severity)
            {
                applied.unused.push(report);
            }
        }
        applied
    }
}

impl SuppressionFile {
    fn unused_report(&self, used: &[usize], checked: &[bool], severity: Severity) -> Option<FileReport> {
        let diagnostics: Vec<Diagnostic> = (self.entries.iter().enumerate())
            .filter(|&(i, entry)| checked[i] && entry.is_unused(used[i]))
            .map(|(i, entry)| {
                let mut d = unused_suppression::finding(&entry.describe(used[i]), entry.span, entry.pointer.clone());
                d.severity = severity;
                d
            })
            .collect();
        if diagnostics.is_empty() {
            return None;
        }
        Some(FileReport::of_settings_file(
            self.kind,
            &self.name,
            &self.text,
            diagnostics,
        ))
    }
}

/// `path` relative to `base`, computed lexically on absolute paths (no
/// symlinks resolved, nothing needs to exist), with `/` separators. `None`
/// when they share no root (another drive on Windows).
pub fn relative_to(path: &Path, base: &Path) -> Option<String> {
    let path = crate::paths::absolute(path);
    let base = crate::paths::absolute(base);
    let (p, b): (Vec<Component>, Vec<Component>) = (path.components().collect(), base.components().collect());
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return None;
    }
    let ups = std::iter::repeat_n("..".to_string(), b.len() - common);
    let downs = p[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned());
    Some(ups.chain(downs).collect::<Vec<_>>().join("/"))
}

/// How a linted file is named in a baseline written to `dir`.
pub fn file_key(source: &SourceFile, dir: &Path) -> String {
    Names::of(source, dir).relative
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_prefixes_match_whole_segments() {
        assert!(pointer_has_prefix("/a/b", "/a/b"));
        assert!(pointer_has_prefix("/a/b/c", "/a/b"));
        assert!(pointer_has_prefix("/a/b/c", "/a/b/"));
        assert!(!pointer_has_prefix("/a/bc", "/a/b"));
        assert!(pointer_has_prefix("/anything", ""));
    }

    #[test]
    fn relative_paths_are_lexical() {
        assert_eq!(
            relative_to(Path::new("/a/b/c.json"), Path::new("/a/d")).as_deref(),
            Some("../b/c.json")
        );
        assert_eq!(
            relative_to(Path::new("/a/./b/../c.json"), Path::new("/a")).as_deref(),
            Some("c.json")
        );
    }
}
