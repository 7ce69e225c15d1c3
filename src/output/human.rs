//! `--format human` (the default) and `--format full`: miette's graphical
//! report, with the source snippet and labels for a finding, then a
//! summary. `human` arranges the findings with [`blocks`] (errors first,
//! repeated warnings of one rule in one object mapping folded into a list,
//! a profile's advice once per run); `full` shows every finding in its own
//! block, in file order.
//!
//! Findings are adapted to `miette::Diagnostic` here rather than in the
//! rules, so rules stay independent of any renderer.

use super::blocks::{self, Block};
use super::excerpt::{self, Excerpt, MappedLabel};
use super::{RenderOptions, Report, printable};
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::lint::{FileReport, FileRole};
use crate::source::LineIndex;
use crate::span::FileSpan;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};
use std::collections::HashSet;
use std::fmt;
use std::io::{self, Write};

pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    if options.statistics {
        super::statistics(report, out)?;
    } else if !options.quiet {
        let handler = handler(options);
        let mut seen = Seen::new();
        for file in &report.files {
            if file.diagnostics.is_empty() {
                continue;
            }
            let secrets: Vec<FileSpan> = file.secrets.iter().map(|s| s.span).collect();
            if let Some(job) = &file.job {
                let summary = file.masker().mask(&job.summary()).into_owned();
                writeln!(out, "{}: {}\n", printable(&file.source.name), printable(&summary))?;
            }
            let one = |d: &Diagnostic| render_in(&handler, file, &secrets, d);
            for block in blocks::arrange(&file.diagnostics, options.full) {
                let text = match block {
                    Block::One(d) if options.full => one(d),
                    Block::One(d) => {
                        // A profile's advice (the row behind the finding)
                        // is shown once per run, with its first finding.
                        let mut d = d.clone();
                        d.external = d
                            .external
                            .filter(|e| seen.insert((e.file.clone(), format!("{:?}", e.span))));
                        one(&d)
                    }
                    Block::Folded(ds) => render_folded(&handler, &ds, file, &one, options, &mut seen)?,
                };
                out.write_all(text.as_bytes())?;
                writeln!(out)?;
            }
        }
    }
    writeln!(out, "{}", super::summary_line(report))
}

/// Profile rows already shown in this run: (profile file, span).
type Seen = HashSet<(String, String)>;

/// Findings of one rule in one object mapping: a heading, one snippet per
/// error and one line per warning or info (position, message, fix mark),
/// each distinct help and note once, the fix count, and the profile advice
/// not shown yet.
fn render_folded(
    handler: &GraphicalReportHandler,
    ds: &[&Diagnostic],
    file: &FileReport,
    one: &dyn Fn(&Diagnostic) -> String,
    options: &RenderOptions,
    seen: &mut Seen,
) -> io::Result<String> {
    let first = ds[0];
    let severity = ds.iter().map(|d| d.severity).max().unwrap_or(first.severity);
    let mapping = blocks::object_mapping_of(&first.pointer).unwrap_or("");
    let mut out = format!(
        "{}: {} {severity}s in the object mapping at {mapping}\n\n",
        first.rule,
        ds.len()
    );
    let paint = |d: &Diagnostic| {
        let (symbol, colour) = match d.severity {
            Severity::Error => ("×", "31"),
            Severity::Warning => ("⚠", "33"),
            Severity::Info => ("☞", "36"),
        };
        if options.color {
            format!("\x1b[{colour}m{symbol}\x1b[0m")
        } else {
            symbol.to_string()
        }
    };
    for d in ds.iter().filter(|d| d.severity == Severity::Error) {
        // The snippet alone: the message is in it, the rule in the heading,
        // and the help below (or under -v).
        let mut bare = (*d).clone();
        (bare.help, bare.note, bare.fix, bare.external) = (None, None, None, None);
        let text = one(&bare);
        let text = text.strip_prefix(&format!("{}\n\n", d.rule)).unwrap_or(&text);
        out.push_str(text.trim_end_matches('\n'));
        out.push('\n');
    }
    for d in ds.iter().filter(|d| d.severity != Severity::Error) {
        let start = file.source.line_col(d.span.start);
        out.push_str(&format!(
            "  {} {}:{}:{}  {}{}\n",
            paint(d),
            one_line(&file.source.name),
            start.line,
            start.column,
            one_line(&d.message),
            super::fix_mark(d)
        ));
    }
    // The help and note of the findings, each distinct text once (most
    // folded findings share them).
    for (what, get) in [
        (
            "help",
            (|d: &Diagnostic| d.help.as_ref()) as fn(&Diagnostic) -> Option<&String>,
        ),
        ("note", |d: &Diagnostic| d.note.as_ref()),
    ] {
        let mut shown: Vec<&String> = Vec::new();
        for text in ds.iter().filter_map(|d| get(d)) {
            if !shown.contains(&text) {
                shown.push(text);
                out.push_str(&format!("  {what}: {}\n", one_line(text)));
            }
        }
    }
    let (safe, unsafe_) = super::fix_counts(ds.iter().copied());
    let mut fixes = Vec::new();
    if safe > 0 {
        fixes.push(format!("{safe} with `--fix`"));
    }
    if unsafe_ > 0 {
        fixes.push(format!("{unsafe_} with `--fix --unsafe-fixes`"));
    }
    let full = "-v shows each finding in full";
    if fixes.is_empty() {
        out.push_str(&format!("  {full}\n"));
    } else {
        out.push_str(&format!("  fix: {}; {full}\n", fixes.join(", ")));
    }
    for d in ds {
        if let Some(e) = &d.external
            && seen.insert((e.file.clone(), format!("{:?}", e.span)))
        {
            let external = External {
                source: NamedSource::new(e.file.clone(), e.text.to_string()).with_language("yaml"),
                span: e.span,
                message: e.message.clone(),
            };
            let mut text = String::new();
            handler.render_report(&mut text, &external).map_err(io::Error::other)?;
            out.push('\n');
            out.push_str(&text);
        }
    }
    Ok(out)
}

/// Text from the input on one line: control characters (a newline in a
/// target attribute's name) are written as escapes, so they cannot break
/// the list or reach the terminal raw.
fn one_line(text: &str) -> String {
    super::printable(text).into_owned()
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
/// snapshots, the CLI's error messages), masked like the report.
pub fn render_finding(file: &FileReport, d: &Diagnostic) -> String {
    let secrets: Vec<FileSpan> = file.secrets.iter().map(|s| s.span).collect();
    render_in(&handler(&RenderOptions::default()), file, &secrets, d)
}

/// One finding of `file` with its snippet; `secrets` are the spans to mask.
/// A file with no lines worth showing — not text (binary, UTF-16 without a
/// byte order mark: a snippet would be a row of `?`), or a settings file
/// that is not of its kind and so is never shown — gets its position named
/// instead.
fn render_in(handler: &GraphicalReportHandler, file: &FileReport, secrets: &[FileSpan], d: &Diagnostic) -> String {
    let source = &file.source;
    let hidden = file.role != FileRole::Export && source.text.is_empty();
    if is_text(source) && !hidden {
        render_with(handler, d, &source.name, &source.text, source.lines(), secrets)
    } else {
        let at = source.line_col(d.span.start);
        render_without_snippet(handler, d, &format!("{}:{}:{}", source.name, at.line, at.column))
    }
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
        .render_report(&mut out, &Adapter::new(d, Some(&source), labels))
        .expect("rendering to a String cannot fail");
    out
}

/// Whether a file's lines are worth showing: not if it holds a NUL byte, or
/// failed to decode and holds other control characters (a binary file,
/// UTF-16 without a byte order mark). A Latin-1 byte in a UTF-8 file is
/// still text, shown with its replacement character.
fn is_text(source: &crate::source::SourceFile) -> bool {
    let controls = || {
        source
            .text
            .bytes()
            .any(|b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
    };
    !source.text.contains('\0') && (source.decode_error.is_none() || !controls())
}

/// A finding without a snippet: the message names `location`.
fn render_without_snippet(handler: &GraphicalReportHandler, d: &Diagnostic, location: &str) -> String {
    let mut d = d.clone();
    d.message = format!("{}: {}", location, d.message);
    let mut out = String::new();
    handler
        .render_report(&mut out, &Adapter::new(&d, None, Vec::new()))
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
    source: Option<&'a Excerpt>,
    labels: Vec<MappedLabel>,
    help: Option<String>,
    related: Vec<External>,
}

impl<'a> Adapter<'a> {
    fn new(d: &'a Diagnostic, source: Option<&'a Excerpt>, labels: Vec<MappedLabel>) -> Adapter<'a> {
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
        (!self.d.rule.is_empty()).then(|| Box::new(self.d.rule) as Box<dyn fmt::Display>)
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
        self.source.map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source?;
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
