//! `--format sarif`: SARIF 2.1.0, the format GitHub code scanning (and Azure
//! DevOps' SARIF viewer, VS Code's SARIF viewer, ...) ingests.
//!
//! Hand-written serde structs for the subset we emit rather than
//! `serde-sarif`: that crate generates its types at build time from the
//! schema, adds a second `syn` major and ~25 s of build, and does not compile
//! on its own. The subset is small and pinned by a test that
//! validates real output against the official OASIS schema
//! (`tests/schemas/sarif-schema-2.1.0.json`).
//!
//! Choices a consumer can rely on:
//! - one run; `tool.driver.rules` lists **every** registered rule (not only
//!   those with results), in registry order, so `ruleIndex` is stable and
//!   code scanning can show help for any rule;
//! - `columnKind` is `unicodeCodePoints`, lines and columns are 1-based and
//!   `endColumn` is exclusive, as SARIF defines them;
//! - artifact URIs are the paths as reported (relative to the working
//!   directory, percent-encoded); absolute paths become `file://` URIs;
//! - `partialFingerprints["mappingLint/v1"]` is file + rule + the finding's
//!   semantic key + occurrence number, so an alert keeps its identity when
//!   mappings are reordered;
//! - fixes carry the exact text edits of `--fix` and, in
//!   `properties.applicability`, whether `--fix` applies them on its own
//!   (`safe`) or only with `--unsafe-fixes`; no source snippets are
//!   emitted, so the masked [`crate::lint::FileReport::display_text`] is not
//!   even needed and no credential can leak.

use super::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::FileReport;
use crate::rules::{self, RuleMeta};
use crate::span::FileSpan;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

/// Where the schema our output follows is published (the `id` of the
/// official schema file).
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<RuleDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize, PartialEq)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: [&'static str; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<Fix>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    /// RFC 6901 pointer to the value the finding is about.
    pointer: &'a str,
}

#[derive(Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize, PartialEq, Clone)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fix {
    description: Text,
    artifact_changes: [ArtifactChange; 1],
    properties: FixProperties,
}

#[derive(Serialize)]
struct FixProperties {
    /// `safe` (applied by `--fix`) or `unsafe` (needs `--unsafe-fixes`).
    applicability: crate::diagnostic::Applicability,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Text,
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let rule_index: HashMap<&str, usize> = rules::REGISTRY
        .iter()
        .enumerate()
        .map(|(i, r)| (r.meta().name, i))
        .collect();
    let mut results = Vec::new();
    for file in &report.files {
        let uri = uri(&file.source.name);
        // Occurrence numbers keep fingerprints unique when the same finding
        // appears twice at one semantic key.
        let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
        for d in &file.diagnostics {
            let n = seen.entry((d.rule, &d.semantic_key)).or_default();
            *n += 1;
            let fingerprint = format!("{}|{}|{}|{n}", file.source.name, d.rule, d.semantic_key);
            results.push(result(file, d, &uri, rule_index.get(d.rule).copied(), fingerprint));
        }
    }
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "mapping-lint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: rules::REGISTRY.iter().map(|r| descriptor(r.meta())).collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn descriptor(meta: &'static RuleMeta) -> RuleDescriptor {
    let doc = meta.documentation();
    let full = [section(&doc, "What it does"), section(&doc, "Why it matters")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    RuleDescriptor {
        id: meta.name,
        name: pascal_case(meta.name),
        short_description: Text { text: meta.summary() },
        full_description: Text { text: full },
        help: Help {
            text: doc.clone(),
            markdown: doc,
        },
        default_configuration: Configuration {
            level: level(meta.severity),
        },
        properties: RuleProperties {
            tags: [category_tag(meta.category)],
        },
    }
}

fn category_tag(category: rules::Category) -> &'static str {
    match category {
        rules::Category::Input => "input",
        rules::Category::Expressions => "expressions",
        rules::Category::Consistency => "consistency",
        rules::Category::Profile => "profile",
        rules::Category::Security => "security",
        rules::Category::Config => "config",
    }
}

fn result<'a>(
    file: &'a FileReport,
    d: &'a Diagnostic,
    uri: &str,
    rule_index: Option<usize>,
    fingerprint: String,
) -> SarifResult<'a> {
    let location = |span: &FileSpan, message: Option<&str>, id: Option<usize>| Location {
        id,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri: uri.to_string() },
            region: region(file, span),
        },
        message: message.map(|m| Text { text: m.to_string() }),
    };
    let mut related: Vec<Location> = Vec::new();
    for (i, place) in super::related(file, d).into_iter().enumerate() {
        let loc = Location {
            id: Some(i + 1),
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: self::uri(place.file),
                },
                region: Region {
                    start_line: place.start.line,
                    start_column: place.start.column,
                    end_line: place.end.line,
                    end_column: place.end.column,
                },
            },
            message: Some(Text {
                text: place.message.to_string(),
            }),
        };
        // SARIF requires related locations to be distinct.
        if !related
            .iter()
            .any(|r| r.physical_location == loc.physical_location && r.message == loc.message)
        {
            related.push(loc);
        }
    }
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    if let Some(note) = &d.note {
        text.push_str("\nnote: ");
        text.push_str(note);
    }
    let fixes = d
        .fix
        .iter()
        .map(|fix| Fix {
            description: Text {
                text: fix.title.clone(),
            },
            artifact_changes: [ArtifactChange {
                artifact_location: ArtifactLocation { uri: uri.to_string() },
                replacements: fix
                    .edits
                    .iter()
                    .map(|e| Replacement {
                        deleted_region: region(file, &e.span),
                        // Fix text is generated, but scrub it anyway: this is
                        // the one place a report prints inserted text.
                        inserted_content: Text {
                            text: file.masker().mask(&e.content).into_owned(),
                        },
                    })
                    .collect(),
            }],
            properties: FixProperties {
                applicability: fix.applicability,
            },
        })
        .collect();
    SarifResult {
        rule_id: d.rule,
        rule_index,
        level: level(d.severity),
        message: Text { text },
        locations: [location(&d.span, None, None)],
        related_locations: related,
        partial_fingerprints: BTreeMap::from([("mappingLint/v1", fingerprint)]),
        fixes,
        properties: ResultProperties { pointer: &d.pointer },
    }
}

fn region(file: &FileReport, span: &FileSpan) -> Region {
    let (start, end) = (file.source.line_col(span.start), file.source.line_col(span.end));
    Region {
        start_line: start.line,
        start_column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The text of a `## Title` section of a rule's documentation, on one line.
fn section(doc: &str, title: &str) -> String {
    let heading = format!("## {title}");
    let Some(start) = doc.find(&heading) else {
        return String::new();
    };
    let body = &doc[start + heading.len()..];
    let body = body.find("\n## ").map_or(body, |end| &body[..end]);
    body.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `duplicate-target-attribute` → `DuplicateTargetAttribute`: SARIF's
/// `name` is an identifier-like label, the kebab-case name is the `id`.
fn pascal_case(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// A report path as a URI reference: `/` separators, RFC 3986
/// percent-encoding of everything but unreserved characters, and `file://`
/// for absolute paths. A `\` is a separator on Windows only; elsewhere it is
/// part of a file name (`%5C`).
pub fn uri(path: &str) -> String {
    uri_with(path, cfg!(windows))
}

fn uri_with(path: &str, backslash_separates: bool) -> String {
    let path = if backslash_separates {
        path.replace('\\', "/")
    } else {
        path.to_string()
    };
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    let mut out = String::with_capacity(path.len() + 8);
    if drive {
        out.push_str("file:///");
        out.push_str(&path[..2]);
    } else if path.starts_with('/') {
        out.push_str("file://");
    }
    for &b in &bytes[if drive { 2 } else { 0 }..] {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded_references() {
        assert_eq!(uri("exports/prod.json"), "exports/prod.json");
        assert_eq!(uri("my exports/prod #1.json"), "my%20exports/prod%20%231.json");
        assert_eq!(uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(uri("/srv/a b.json"), "file:///srv/a%20b.json");
        assert_eq!(uri_with(r"C:\exports\é.json", true), "file:///C:/exports/%C3%A9.json");
        assert_eq!(uri_with(r"odd\name.json", false), "odd%5Cname.json");
        // A colon in a relative path would otherwise read as a URI scheme.
        assert_eq!(uri("a:b.json"), "a%3Ab.json");
        assert_eq!(uri("exports:v2/a.json"), "exports%3Av2/a.json");
    }

    #[test]
    fn rule_names_become_identifiers() {
        assert_eq!(pascal_case("duplicate-target-attribute"), "DuplicateTargetAttribute");
        assert_eq!(pascal_case("invalid-json"), "InvalidJson");
    }

    #[test]
    fn sections_are_extracted_without_the_next_heading() {
        let doc = "## What it does\nFinds\nthings.\n\n## Why it matters\nBecause.\n## Fix\nDo.";
        assert_eq!(section(doc, "What it does"), "Finds things.");
        assert_eq!(section(doc, "Why it matters"), "Because.");
        assert_eq!(section(doc, "Missing"), "");
    }
}
