//! Report formats, one module each. They all render the same [`Report`];
//! none of them decides anything about exit codes or which files to lint.
//!
//! Every message was masked when the linter finalised the file's report
//! ([`crate::secrets`]); the human format shows source only through
//! [`excerpt`], which masks credentials and windows long lines; formats
//! that print fix contents mask them with [`FileReport::masker`].

pub mod azure;
pub mod blocks;
pub mod concise;
pub mod excerpt;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::lint::{FileReport, FileRole};
use crate::source::LineCol;
use crate::span::FileSpan;
use std::io::{self, Write};

/// Everything a run found.
#[derive(Debug, Default)]
pub struct Report {
    /// The file table: every file a finding points into, each with its
    /// findings — the exports linted, in the order they were given, then the
    /// settings files with findings of their own (an unused `ignore:` entry
    /// in the config, a profile that does not parse), each with its
    /// [`FileRole`]. Every format shows a finding at its place in its own
    /// file; the summary counts only the exports as files linted.
    pub files: Vec<FileReport>,
    /// The reference profile used, if any.
    pub profile: Option<String>,
    /// Findings that suppressions removed, by source.
    pub suppressed: Suppressed,
    /// `--fix` was asked for and could not write: the summary then does
    /// not advertise `--fix`.
    pub fix_failed: bool,
}

/// Counts of suppressed findings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Suppressed {
    /// By `ignore:` entries of the config file.
    pub config: usize,
    /// By the `--baseline` file.
    pub baseline: usize,
}

/// Counts over a whole report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub files: usize,
    pub fixable: usize,
    /// Fixes applied by `--fix` (the counts above are what remains);
    /// omitted from JSON when zero.
    #[serde(skip_serializing_if = "is_zero")]
    pub fixed: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Report {
    /// The report of settings files that stopped the run before anything
    /// was linted (a config or profile that cannot be used).
    pub fn of_settings_files(files: Vec<FileReport>) -> Report {
        Report {
            files,
            ..Report::default()
        }
    }

    /// How many exports were linted.
    pub fn exports(&self) -> usize {
        self.files.iter().filter(|f| f.role == FileRole::Export).count()
    }

    pub fn diagnostics(&self) -> impl Iterator<Item = (&FileReport, &Diagnostic)> {
        self.files
            .iter()
            .flat_map(|f| f.diagnostics.iter().map(move |d| (f, d)))
    }

    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            files: self.exports(),
            fixed: self.files.iter().map(|f| f.fixed).sum(),
            ..Summary::default()
        };
        for (_, d) in self.diagnostics() {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
            s.fixable += usize::from(d.fix.is_some());
        }
        s
    }

    /// The most severe finding, if any.
    pub fn max_severity(&self) -> Option<Severity> {
        self.diagnostics().map(|(_, d)| d.severity).max()
    }
}

/// Options shared by the formats.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    pub color: bool,
    /// Terminal width for wrapping (human format).
    pub width: usize,
    /// Only the summary line.
    pub quiet: bool,
    /// Counts per rule instead of the findings.
    pub statistics: bool,
    /// Human output: one block per finding in file order (`--format full`,
    /// `-v`) instead of errors first and repeated warnings folded.
    pub full: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            width: 100,
            quiet: false,
            statistics: false,
            full: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Format {
    /// Source snippets with labels (miette); errors first, repeated warnings of one rule in one
    /// object mapping folded into a list
    Human,
    /// Like human, but one block with snippet and help per finding, in file order
    Full,
    /// One line per finding: file:line:col: severity[rule] message
    Concise,
    /// One JSON document (schemas/report.schema.json)
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request)
    Github,
    /// JUnit XML: a test suite per file, a test case per rule
    Junit,
    /// Azure Pipelines logging commands (##vso[task.logissue])
    Azure,
}

impl Format {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Full => "full",
            Format::Concise => "concise",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Junit => "junit",
            Format::Azure => "azure",
        }
    }
}

pub fn render(format: Format, report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human::render(report, options, out),
        Format::Full => human::render(
            report,
            &RenderOptions {
                full: true,
                ..options.clone()
            },
            out,
        ),
        Format::Concise => concise::render(report, options, out),
        Format::Json => json::render(report, out),
        Format::Sarif => sarif::render(report, out),
        Format::Github => github::render(report, out),
        Format::Junit => junit::render(report, out),
        Format::Azure => azure::render(report, out),
    }
}

/// `s` safe to print in any text format (terminal, CI log, annotation):
/// every control character — line breaks, ESC, BEL, C1 controls — and every
/// bidirectional-text control is written as a visible escape (`\n`,
/// `\u{1b}`, `\u{202e}`), so a value from an export can neither start a new
/// CI logging command (`\n##vso[…]`, `\n::warning::`) nor send escape
/// sequences to a terminal. Every text format passes file names and finding
/// texts through it; `diff` and the CLI's error messages too.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !unsafe_char(c) {
            out.push(c);
        } else if matches!(c, '\n' | '\r' | '\t') {
            out.extend(c.escape_default());
        } else {
            out.extend(c.escape_unicode());
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A secondary place a finding names, in its own file or in another (the
/// row of a profile file behind a profile finding): what the machine
/// formats list next to the primary location.
#[derive(Debug, Clone)]
pub struct Related<'a> {
    pub file: &'a str,
    pub span: FileSpan,
    pub start: LineCol,
    pub end: LineCol,
    pub message: &'a str,
}

/// The secondary labels of `d` (in `file`), then its label in another file.
pub fn related<'a>(file: &'a FileReport, d: &'a Diagnostic) -> Vec<Related<'a>> {
    let mut out: Vec<Related<'a>> = d
        .labels
        .iter()
        .map(|l| Related {
            file: &file.source.name,
            span: l.span,
            start: file.source.line_col(l.span.start),
            end: file.source.line_col(l.span.end),
            message: &l.message,
        })
        .collect();
    if let Some(e) = &d.external {
        let lines = crate::source::LineIndex::new(&e.text);
        out.push(Related {
            file: &e.file,
            span: e.span,
            start: lines.line_col(&e.text, e.span.start),
            end: lines.line_col(&e.text, e.span.end),
            message: &e.message,
        });
    }
    out
}

/// A finding's message, then its help on a second line (`help: …`), each
/// made [`printable`]: the one line break is ours, for the CI formats to
/// escape as each needs.
pub fn message_with_help(d: &Diagnostic) -> String {
    let mut message = printable(&d.message).into_owned();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(&printable(help));
    }
    message
}

/// 1-based start and end positions of a diagnostic.
pub fn positions(file: &FileReport, d: &Diagnostic) -> (LineCol, LineCol) {
    (file.source.line_col(d.span.start), file.source.line_col(d.span.end))
}

/// "3 errors, 1 warning and 2 infos" — only the non-zero parts.
pub fn counts_phrase(s: &Summary) -> String {
    let parts: Vec<String> = [(s.errors, "error"), (s.warnings, "warning"), (s.infos, "info")]
        .into_iter()
        .filter(|&(n, _)| n > 0)
        .map(|(n, what)| format!("{n} {what}{}", if n == 1 { "" } else { "s" }))
        .collect();
    match parts.len() {
        0 => "no problems".to_string(),
        1 => parts[0].clone(),
        _ => format!("{} and {}", parts[..parts.len() - 1].join(", "), parts[parts.len() - 1]),
    }
}

/// The mark after a finding in the text formats: `[*]` when plain `--fix`
/// applies its fix, `[!]` when only `--fix --unsafe-fixes` does.
pub fn fix_mark(d: &Diagnostic) -> &'static str {
    match d.fix.as_ref().map(|f| f.applicability) {
        Some(Applicability::Safe) => " [*]",
        Some(Applicability::Unsafe) => " [!]",
        None => "",
    }
}

/// (safe, unsafe) fix counts of some findings.
pub fn fix_counts<'a>(ds: impl IntoIterator<Item = &'a Diagnostic>) -> (usize, usize) {
    ds.into_iter().fold((0, 0), |(safe, unsafe_), d| {
        match d.fix.as_ref().map(|f| f.applicability) {
            Some(Applicability::Safe) => (safe + 1, unsafe_),
            Some(Applicability::Unsafe) => (safe, unsafe_ + 1),
            None => (safe, unsafe_),
        }
    })
}

/// The closing line of the text formats; after `--fix` it starts with
/// "Fixed 3 problems; 2 remaining." on a line of its own. It counts the
/// files linted, says how many findings suppressions removed, and how
/// many findings each kind of fix would settle.
pub fn summary_line(report: &Report) -> String {
    let s = report.summary();
    let remaining = s.errors + s.warnings + s.infos;
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let fixed = if s.fixed > 0 {
        format!("Fixed {} problem{}; {remaining} remaining.\n", s.fixed, plural(s.fixed))
    } else {
        String::new()
    };
    let mut files = format!("{} file{}", s.files, plural(s.files));
    let suppressed = [
        (report.suppressed.config, "the config file"),
        (report.suppressed.baseline, "the baseline"),
    ]
    .into_iter()
    .filter(|&(n, _)| n > 0)
    .map(|(n, by)| format!("{n} finding{} suppressed by {by}", plural(n)))
    .collect::<Vec<_>>();
    if !suppressed.is_empty() {
        files.push_str(&format!(", {}", suppressed.join(", ")));
    }
    if remaining == 0 {
        return format!("{fixed}All checks passed ({files}).");
    }
    // A settings file that cannot be used stopped the run.
    if s.files == 0 {
        let names: Vec<String> = report
            .files
            .iter()
            .map(|f| printable(&f.source.name).into_owned())
            .collect();
        return format!(
            "Found {} in {}; no export was linted.",
            counts_phrase(&s),
            names.join(", ")
        );
    }
    let mut line = format!("{fixed}Found {} in {files}.", counts_phrase(&s));
    if report.fix_failed {
        return line;
    }
    let (safe, unsafe_) = fix_counts(report.diagnostics().map(|(_, d)| d));
    match (safe, unsafe_) {
        (0, 0) => {}
        (safe, 0) => line.push_str(&format!("\n[*] {safe} fixable with `--fix`.")),
        (0, unsafe_) => line.push_str(&format!("\n[!] {unsafe_} fixable with `--fix --unsafe-fixes`.")),
        (safe, unsafe_) => line.push_str(&format!(
            "\n[*] {safe} fixable with `--fix`, [!] {unsafe_} more with `--fix --unsafe-fixes`."
        )),
    }
    line
}

/// `--statistics`: one line per rule with its count, most frequent first.
pub fn statistics(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    // rule, severity, count, and the mark of its fixes (safe wins).
    let mut counts: Vec<(&'static str, Severity, usize, &'static str)> = Vec::new();
    let better = |a: &'static str, b: &'static str| if a == " [*]" || b == " [*]" { " [*]" } else { a.max(b) };
    for (_, d) in report.diagnostics() {
        match counts.iter_mut().find(|c| c.0 == d.rule) {
            Some(c) => {
                c.2 += 1;
                c.3 = better(c.3, fix_mark(d));
            }
            None => counts.push((d.rule, d.severity, 1, fix_mark(d))),
        }
    }
    counts.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
    let width = counts.iter().map(|c| c.0.len()).max().unwrap_or(0);
    for (rule, severity, n, mark) in counts {
        let fix = if mark.is_empty() { "   " } else { mark.trim_start() };
        writeln!(out, "{n:>5}  {rule:<width$}  {fix}  {severity}")?;
    }
    Ok(())
}
/// A count for people: `39990` → `39,990`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
