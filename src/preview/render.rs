//! Output of `preview`: a compact human report per object, or JSON Lines.
//!
//! **JSON** (`schemas/preview.schema.json`): one JSON document per line, written as each object
//! is previewed (so output memory does not grow with the input): first a `finding` record for
//! each problem of the export itself, then one `object` record per object, then one `summary`
//! record. `jq -s` turns the stream into one array.
//!
//! **Human**: per object a header, the scope decision, a table `target ← source = value`, the
//! matching requests and the request body, then the object's findings; a summary at the end.
//! Every text that comes from the input passes [`clean`] before it reaches a terminal.

use super::scope::ScopeResult;
use super::{AttributeStatus, Finding, ObjectPreview, Operation, Summary};
use std::io::{self, Write};

/// Control characters and bidirectional overrides from the input are shown escaped
/// (`\u{1b}`), never raw: a user attribute must not be able to drive the terminal.
pub fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(bad) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if bad(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Where an object came from, for headers and messages: `users.json:12` or `users.json #3`.
pub fn object_location(objects_name: &str, preview: &ObjectPreview) -> String {
    match preview.line {
        Some(line) => format!("{objects_name}:{line}"),
        None => format!("{objects_name} #{}", preview.ordinal),
    }
}

// --- JSON -------------------------------------------------------------------------------------

#[derive(serde::Serialize)]
struct ObjectRecord<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    ordinal: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    id: &'a Option<String>,
    label: &'a Option<String>,
    #[serde(rename = "objectMapping")]
    object_mapping: &'a Option<String>,
    #[serde(rename = "sourceObject")]
    source_object: &'a Option<String>,
    #[serde(rename = "targetObject")]
    target_object: &'a Option<String>,
    #[serde(rename = "inScope")]
    in_scope: bool,
    scope: &'a [super::scope::GroupResult],
    attributes: &'a [super::AttributeRow],
    matching: &'a [super::MatchStep],
    requests: &'a [super::Request],
    findings: &'a [Finding],
}

#[derive(serde::Serialize)]
struct FindingRecord<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    finding: &'a Finding,
}

#[derive(serde::Serialize)]
struct SummaryRecord<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    version: u32,
    export: &'a str,
    #[serde(rename = "kind")]
    job_kind: crate::model::JobKind,
    operation: Operation,
    #[serde(flatten)]
    summary: &'a Summary,
}

pub fn json_finding(finding: &Finding, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer(
        &mut *out,
        &FindingRecord {
            kind: "finding",
            finding,
        },
    )?;
    out.write_all(b"\n")
}

pub fn json_object(p: &ObjectPreview, out: &mut dyn Write) -> io::Result<()> {
    let record = ObjectRecord {
        kind: "object",
        ordinal: p.ordinal,
        line: p.line,
        id: &p.id,
        label: &p.label,
        object_mapping: &p.object_mapping,
        source_object: &p.source_object,
        target_object: &p.target_object,
        in_scope: p.in_scope,
        scope: &p.scope.groups,
        attributes: &p.attributes,
        matching: &p.matching,
        requests: &p.requests,
        findings: &p.findings,
    };
    serde_json::to_writer(&mut *out, &record)?;
    out.write_all(b"\n")
}

pub fn json_summary(
    export: &str,
    kind: crate::model::JobKind,
    operation: Operation,
    summary: &Summary,
    out: &mut dyn Write,
) -> io::Result<()> {
    serde_json::to_writer(
        &mut *out,
        &SummaryRecord {
            kind: "summary",
            version: 1,
            export,
            job_kind: kind,
            operation,
            summary,
        },
    )?;
    out.write_all(b"\n")
}

// --- human ------------------------------------------------------------------------------------

const TARGET_WIDTH: usize = 52;
const SOURCE_WIDTH: usize = 32;

/// `urn:ietf:params:scim:schemas:extension:…` → `urn:…:extension:…`: the common prefix says
/// nothing in a table column.
fn short_urn(text: &str) -> std::borrow::Cow<'_, str> {
    match text.strip_prefix("urn:ietf:params:scim:schemas:") {
        Some(rest) => std::borrow::Cow::Owned(format!("urn:…:{rest}")),
        None => std::borrow::Cow::Borrowed(text),
    }
}

/// Pads or cuts `text` to `width` characters. Target names keep their end (the distinctive part
/// of `urn:…:User:employeeNumber`), sources their start.
fn fit(text: &str, width: usize, keep_end: bool) -> String {
    let short = short_urn(text);
    let text = clean(&short);
    let count = text.chars().count();
    if count <= width {
        return format!("{text}{}", " ".repeat(width - count));
    }
    if keep_end {
        let tail: String = text.chars().skip(count - (width - 1)).collect();
        format!("…{tail}")
    } else {
        let mut cut: String = text.chars().take(width - 1).collect();
        cut.push('…');
        cut
    }
}

fn scope_line(scope: &ScopeResult, in_scope: bool) -> String {
    if scope.groups.is_empty() {
        return "in scope (no scoping filter)".into();
    }
    if in_scope {
        let passed: Vec<String> = scope
            .groups
            .iter()
            .filter(|g| g.passed)
            .map(|g| format!("\"{}\"", clean(&g.name)))
            .collect();
        return format!("in scope (scoping filter {} passed)", passed.join(", "));
    }
    let reasons: Vec<String> = scope
        .excluded_by()
        .iter()
        .map(|(g, c)| {
            let operand = c
                .values
                .first()
                .map(|v| format!(" \"{}\"", clean(v)))
                .unwrap_or_default();
            let why = c.reason.as_deref().map(|r| format!("; {r}")).unwrap_or_default();
            format!(
                "filter \"{}\": {} {}{operand} is false (value {}{why})",
                clean(&g.name),
                clean(&c.attribute),
                clean(&c.operator),
                clean(&c.actual)
            )
        })
        .collect();
    format!("OUT OF SCOPE — {}", reasons.join("; "))
}

fn value_text(row: &super::AttributeRow) -> String {
    let value = clean(&row.value.to_string()).into_owned();
    match row.status {
        AttributeStatus::Sent => value,
        AttributeStatus::Default => format!("{value} (defaultValue)"),
        AttributeStatus::Null => "null (not sent)".into(),
        AttributeStatus::Skipped => format!(
            "{value} (not sent: {})",
            clean(row.note.as_deref().unwrap_or("flow type"))
        ),
        AttributeStatus::Error => format!("error: {}", clean(row.note.as_deref().unwrap_or(""))),
    }
}

/// One finding, like a concise lint line, with the expression and a caret line when it has one.
pub fn human_finding(finding: &Finding, location: &str, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "  {}[{}] {location}: {}",
        finding.severity,
        finding.code,
        clean(&finding.message)
    )?;
    if let Some(e) = &finding.expression {
        writeln!(out, "      --> {}:{}:{}", clean(&e.file), e.line, e.column)?;
        let text = clean(&e.text);
        if text.len() == e.text.len() && e.start <= e.end && e.end <= e.text.len() {
            let lead = e.text[..e.start].chars().count();
            let width = e.text[e.start..e.end].chars().count().max(1);
            writeln!(out, "       | {text}")?;
            writeln!(out, "       | {}{}", " ".repeat(lead), "^".repeat(width))?;
        } else {
            writeln!(out, "       | {text}")?;
        }
    }
    if let Some(help) = &finding.help {
        writeln!(out, "      help: {}", clean(help))?;
    }
    Ok(())
}

pub fn human_object(p: &ObjectPreview, objects_name: &str, out: &mut dyn Write) -> io::Result<()> {
    let location = object_location(objects_name, p);
    let mut header = format!("object {}", p.ordinal);
    if let Some(label) = &p.label {
        header.push_str(&format!(" · {}", clean(label)));
    }
    if let Some(id) = &p.id {
        header.push_str(&format!(" · id {}", clean(id)));
    }
    writeln!(out, "{header} · {}", clean(&location))?;
    if let (Some(source), Some(target)) = (&p.source_object, &p.target_object) {
        writeln!(
            out,
            "  mapping  {} ({} → {})",
            clean(p.object_mapping.as_deref().unwrap_or("unnamed")),
            clean(source),
            clean(target)
        )?;
        writeln!(out, "  scope    {}", scope_line(&p.scope, p.in_scope))?;
    }
    if p.in_scope {
        let width = |f: fn(&super::AttributeRow) -> &str, cap: usize| {
            p.attributes
                .iter()
                .map(|r| clean(f(r)).chars().count())
                .max()
                .unwrap_or(0)
                .min(cap)
        };
        let target_width = width(|r| &r.target, TARGET_WIDTH);
        let source_width = width(|r| &r.source, SOURCE_WIDTH);
        for row in &p.attributes {
            let arrow = if row.source.is_empty() { "  " } else { "← " };
            writeln!(
                out,
                "    {} {arrow}{} = {}",
                fit(&row.target, target_width, true),
                fit(&row.source, source_width, false),
                value_text(row)
            )?;
        }
        for (i, step) in p.matching.iter().enumerate() {
            let label = if i == 0 { "  match  " } else { "         " };
            match &step.request {
                Some(r) => writeln!(out, "{label}  {}. {} {}", step.priority, r.method, clean(&r.path))?,
                None => writeln!(
                    out,
                    "{label}  {}. {} = {}",
                    step.priority,
                    clean(&step.attribute),
                    step.value
                        .as_deref()
                        .map_or("(no value)".into(), |v| format!("\"{}\"", clean(v)))
                )?,
            }
        }
        for r in &p.requests {
            writeln!(out, "  request  {} {}", r.method, clean(&r.path))?;
            if let Some(body) = &r.body {
                let pretty = serde_json::to_string_pretty(body).map_err(io::Error::other)?;
                for line in pretty.lines() {
                    writeln!(out, "           {}", clean(line))?;
                }
            }
        }
    }
    for f in &p.findings {
        human_finding(f, &location, out)?;
    }
    writeln!(out)
}

pub fn human_summary(summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut line = format!(
        "Previewed {}: {} in scope, {} out of scope",
        plural(summary.objects, "object"),
        summary.in_scope,
        summary.out_of_scope
    );
    if summary.unmapped > 0 {
        line.push_str(&format!(", {} without an object mapping", summary.unmapped));
    }
    line.push('.');
    let total = summary.errors + summary.warnings + summary.infos;
    if total == 0 {
        line.push_str(" No findings.");
    } else {
        line.push_str(&format!(
            " Found {}, {} and {}.",
            plural(summary.errors, "error"),
            plural(summary.warnings, "warning"),
            plural(summary.infos, "info")
        ));
    }
    writeln!(out, "{line}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(clean("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(clean("x\u{202e}y"), "x\\u{202e}y");
        assert!(matches!(clean("plain"), std::borrow::Cow::Borrowed(_)));
    }
}
