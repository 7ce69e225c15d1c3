//! `--format json`: one document for programs, described by
//! `schemas/report.schema.json`. Field names are a stable contract; add fields, never rename them.

use super::Report;
use crate::diagnostic::Diagnostic;
use crate::lint::FileReport;
use crate::span::FileSpan;
use serde::Serialize;
use std::io::{self, Write};

/// Version of this document's shape.
pub const REPORT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    profile: Option<&'a str>,
    files: Vec<FileEntry<'a>>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: super::Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct FileEntry<'a> {
    path: &'a str,
    /// `export` for a file linted; `config`, `baseline`, `profile` for a
    /// settings file with findings of its own.
    role: crate::lint::FileRole,
    kind: crate::model::JobKind,
    target: Option<&'a str>,
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
    offset: usize,
}

#[derive(Serialize)]
struct Range {
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'static str,
    severity: crate::Severity,
    message: &'a str,
    file: &'a str,
    pointer: &'a str,
    range: Range,
    help: Option<&'a str>,
    /// Why the finding is what it is (e.g. which finding it defers to).
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    /// Other places the finding names: in its file, or in another (the row
    /// of a profile file that requires a mapping).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonRelated<'a>>,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: &'a str,
    message: &'a str,
    range: Range,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: crate::diagnostic::Applicability,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    range: Range,
    /// Masked: a rebuilt constant may hold a credential.
    content: std::borrow::Cow<'a, str>,
}

fn range(file: &FileReport, span: &FileSpan) -> Range {
    let (start, end) = (file.source.line_col(span.start), file.source.line_col(span.end));
    Range {
        start: Position {
            line: start.line,
            column: start.column,
            offset: span.start,
        },
        end: Position {
            line: end.line,
            column: end.column,
            offset: span.end,
        },
    }
}

fn diagnostic<'a>(file: &'a FileReport, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    let masker = d.fix.as_ref().map(|_| file.masker());
    JsonDiagnostic {
        rule: d.rule,
        severity: d.severity,
        message: &d.message,
        file: &file.source.name,
        pointer: &d.pointer,
        range: range(file, &d.span),
        help: d.help.as_deref(),
        note: d.note.as_deref(),
        related: super::related(file, d)
            .into_iter()
            .map(|r| JsonRelated {
                file: r.file,
                message: r.message,
                range: Range {
                    start: Position {
                        line: r.start.line,
                        column: r.start.column,
                        offset: r.span.start,
                    },
                    end: Position {
                        line: r.end.line,
                        column: r.end.column,
                        offset: r.span.end,
                    },
                },
            })
            .collect(),
        fix: d.fix.as_ref().map(|f| JsonFix {
            title: &f.title,
            applicability: f.applicability,
            edits: f
                .edits
                .iter()
                .map(|e| JsonEdit {
                    range: range(file, &e.span),
                    content: match &masker {
                        Some(m) => std::borrow::Cow::Owned(m.mask(&e.content).into_owned()),
                        None => std::borrow::Cow::Borrowed(&e.content),
                    },
                })
                .collect(),
        }),
    }
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let doc = Document {
        version: REPORT_VERSION,
        tool: Tool {
            name: "mapping-lint",
            version: env!("CARGO_PKG_VERSION"),
        },
        profile: report.profile.as_deref(),
        files: report
            .files
            .iter()
            .map(|f| FileEntry {
                path: &f.source.name,
                role: f.role,
                kind: f.job.as_ref().map_or(crate::model::JobKind::Unknown, |j| j.kind),
                target: f.job.as_ref().and_then(|j| j.target.as_deref()),
                errors: f.count(crate::Severity::Error),
                warnings: f.count(crate::Severity::Warning),
                infos: f.count(crate::Severity::Info),
            })
            .collect(),
        diagnostics: report.diagnostics().map(|(f, d)| diagnostic(f, d)).collect(),
        summary: report.summary(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
