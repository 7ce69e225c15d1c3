//! `--format human` (the default): miette's graphical report, with the
//! source snippet and labels for every finding, then a summary.
//!
//! Findings are adapted to `miette::Diagnostic` here rather than in the
//! rules, so rules stay independent of any renderer.

use super::excerpt::{self, Excerpt, MappedLabel};
use super::{RenderOptions, Report, printable};
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::lint::FileReport;
use crate::source::LineIndex;
use crate::span::FileSpan;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};
use std::fmt;
use std::io::{self, Write};

pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    if options.statistics {
        super::statistics(report, out)?;
    } else if !options.quiet {
        let handler = handler(options);
        for file in &report.files {
            if file.diagnostics.is_empty() {
                continue;
            }
            let secrets: Vec<FileSpan> = file.secrets.iter().map(|s| s.span).collect();
            if let Some(job) = &file.job {
                let summary = file.masker().mask(&job.summary()).into_owned();
                writeln!(out, "{}: {}\n", printable(&file.source.name), printable(&summary))?;
            }
            for d in &file.diagnostics {
                let text = render_with(
                    &handler,
                    d,
                    &file.source.name,
                    &file.source.text,
                    file.source.lines(),
                    &secrets,
                );
                out.write_all(text.as_bytes())?;
                writeln!(out)?;
            }
        }
    }
    writeln!(out, "{}", super::summary_line(report))
}

/// The miette handler for the given options: colours only when asked,
/// no terminal hyperlinks (they garble CI logs).
pub fn handler(options: &RenderOptions) -> GraphicalReportHandler {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false)
        .with_context_lines(1)
}

/// Renders one finding of `file` to a string without colour (tests,
/// snapshots), masked like the report.
pub fn render_finding(file: &FileReport, d: &Diagnostic) -> String {
    let secrets: Vec<FileSpan> = file.secrets.iter().map(|s| s.span).collect();
    let handler = handler(&RenderOptions::default());
    render_with(
        &handler,
        d,
        &file.source.name,
        &file.source.text,
        file.source.lines(),
        &secrets,
    )
}

/// Renders one finding on `text` (holding no credential: `eval`'s
/// expression) to a string without colour.
pub fn render_one(d: &Diagnostic, file_name: &str, text: &str) -> String {
    let handler = handler(&RenderOptions::default());
    render_with(&handler, d, file_name, text, &LineIndex::new(text), &[])
}

fn render_with(
    handler: &GraphicalReportHandler,
    d: &Diagnostic,
    name: &str,
    text: &str,
    index: &LineIndex,
    secrets: &[FileSpan],
) -> String {
    let mut labels = vec![excerpt::Label {
        span: d.span,
        message: d.label.as_deref(),
        primary: true,
    }];
    labels.extend(d.labels.iter().map(|l| excerpt::Label {
        span: l.span,
        message: Some(&l.message),
        primary: false,
    }));
    let name = printable(name);
    let (source, mut labels) = Excerpt::build(&name, "json", text, index, &labels, secrets);
    for label in &mut labels {
        if let Some(message) = &mut label.message {
            *message = printable(message).into_owned();
        }
    }
    let mut out = String::new();
    handler
        .render_report(&mut out, &Adapter::new(d, &source, labels))
        .expect("rendering to a String cannot fail");
    out
}

/// A whole text with its line breaks kept and every other control
/// character shown as `?` (byte for byte, so spans stay valid).
fn sanitised_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let (line, cr) = match line.strip_suffix('\r') {
            Some(line) => (line, "\r"),
            None => (line, ""),
        };
        excerpt::push_sanitised(&mut out, line);
        out.push_str(cr);
    }
    out
}

/// A finding seen through miette's eyes.
struct Adapter<'a> {
    d: &'a Diagnostic,
    source: &'a Excerpt,
    labels: Vec<MappedLabel>,
    help: Option<String>,
    related: Vec<External>,
}

impl<'a> Adapter<'a> {
    fn new(d: &'a Diagnostic, source: &'a Excerpt, labels: Vec<MappedLabel>) -> Adapter<'a> {
        // Each text is made printable; the line breaks between them are ours.
        let mut help = d.help.as_deref().map(|h| printable(h).into_owned()).unwrap_or_default();
        if let Some(note) = &d.note {
            if !help.is_empty() {
                help.push('\n');
            }
            help.push_str("note: ");
            help.push_str(&printable(note));
        }
        if let Some(fix) = &d.fix {
            if !help.is_empty() {
                help.push('\n');
            }
            let how = match fix.applicability {
                Applicability::Safe => "--fix",
                Applicability::Unsafe => "--fix --unsafe-fixes",
            };
            help.push_str(&format!("fix: {} (run with {how})", printable(&fix.title)));
        }
        let related = d
            .external
            .iter()
            .map(|e| External {
                source: NamedSource::new(printable(&e.file), sanitised_lines(&e.text)).with_language("yaml"),
                span: e.span,
                message: printable(&e.message).into_owned(),
            })
            .collect();
        Adapter {
            d,
            source,
            labels,
            help: (!help.is_empty()).then_some(help),
            related,
        }
    }
}

impl fmt::Debug for Adapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Adapter").field("rule", &self.d.rule).finish()
    }
}

impl fmt::Display for Adapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&printable(&self.d.message))
    }
}

impl std::error::Error for Adapter<'_> {}

impl miette::Diagnostic for Adapter<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.d.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().map(|l| {
            let span = (l.span.start, l.span.len());
            if l.primary {
                LabeledSpan::new_primary_with_span(l.message.clone(), span)
            } else {
                LabeledSpan::new_with_span(l.message.clone(), span)
            }
        })))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic)))
    }
}

/// A label in another file (the profile row behind a finding), rendered as
/// a related advice.
struct External {
    source: NamedSource<String>,
    span: FileSpan,
    message: String,
}

impl fmt::Debug for External {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for External {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for External {}

impl miette::Diagnostic for External {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let len = self.source.inner().len();
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(
            Some("defined here".into()),
            self.span.clamp_to(len),
        ))))
    }
}
