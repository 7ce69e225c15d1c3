//! `--format junit`: JUnit XML, the report every CI system can show as a
//! test tab (GitLab `artifacts:reports:junit`, Azure `PublishTestResults`,
//! Jenkins, CircleCI, ...).
//!
//! One `<testsuite>` per file, one `<testcase>` per rule that ran on it
//! (`name` = rule, `classname` = file), so a clean file shows as passing
//! checks rather than as nothing. A finding is a `<failure>` inside its
//! rule's test case (`message` = the finding, `type` = its severity, body =
//! `file:line:col`, the message and its help); a rule with several findings
//! has several failures. `tests`/`failures` count test cases, as JUnit
//! consumers expect.
//!
//! Hand-written rather than `quick-junit`: that crate pulls ~20 crates
//! (chrono, uuid, quick-xml, indexmap, ...) for timestamps, ids and
//! properties we do not emit, while the elements we need are a handful of
//! lines. The one subtle part, XML escaping, is [`escape`] and
//! [`escape_text`]: `&`, `<`, `>` (and `"` and line breaks in attributes)
//! become references, and characters XML 1.0 cannot carry at all (control
//! characters other than tab, LF and CR) become U+FFFD.
//! Output is deterministic: no timestamps, no host names.

use super::Report;
use crate::diagnostic::Diagnostic;
use crate::lint::FileReport;
use crate::rules;
use std::fmt::Write as _;
use std::io::{self, Write};

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut suites = String::new();
    let (mut tests, mut failures) = (0, 0);
    for file in &report.files {
        let cases = cases(file);
        let failed = cases.iter().filter(|(_, findings)| !findings.is_empty()).count();
        tests += cases.len();
        failures += failed;
        let name = escape(&super::printable(&file.source.name));
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\">",
            cases.len()
        );
        for (rule, findings) in cases {
            if findings.is_empty() {
                let _ = writeln!(suites, "    <testcase name=\"{rule}\" classname=\"{name}\"/>");
                continue;
            }
            let _ = writeln!(suites, "    <testcase name=\"{rule}\" classname=\"{name}\">");
            for d in findings {
                let _ = writeln!(
                    suites,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    escape(&super::printable(&d.message)),
                    d.severity,
                    escape_text(&body(file, d))
                );
            }
            let _ = writeln!(suites, "    </testcase>");
        }
        let _ = writeln!(suites, "  </testsuite>");
    }
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<testsuites name=\"mapping-lint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    )?;
    out.write_all(suites.as_bytes())?;
    writeln!(out, "</testsuites>")
}

/// The test cases of a file: each rule that ran (registry order) with its
/// findings, plus any rule that reported without being listed as run.
fn cases(file: &FileReport) -> Vec<(&'static str, Vec<&Diagnostic>)> {
    let has_findings = |name: &str| file.diagnostics.iter().any(|d| d.rule == name);
    rules::REGISTRY
        .iter()
        .map(|r| r.meta().name)
        .filter(|name| file.rules_run.contains(name) || has_findings(name))
        .map(|name| (name, file.diagnostics.iter().filter(|d| d.rule == name).collect()))
        .collect()
}

fn body(file: &FileReport, d: &Diagnostic) -> String {
    let (start, _) = super::positions(file, d);
    format!(
        "{}:{}:{}: {}",
        super::printable(&file.source.name),
        start.line,
        start.column,
        super::message_with_help(d)
    )
}

/// Escapes text for an XML attribute value.
pub fn escape(s: &str) -> String {
    escape_with(s, true)
}

/// Escapes text for element content, where line breaks stay as they are.
pub fn escape_text(s: &str) -> String {
    escape_with(s, false)
}

fn escape_with(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            // Kept literally in an attribute, a line break would be
            // normalised to a space by XML parsers; as a reference it stays.
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' | '\t' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_what_xml_cannot_carry() {
        assert_eq!(
            escape("a<b> & \"c\" 'd'\n\u{1b}[31m"),
            "a&lt;b&gt; &amp; &quot;c&quot; 'd'&#10;\u{FFFD}[31m"
        );
        assert_eq!(escape_text("a \"b\"\n<c>\r\u{0}"), "a \"b\"\n&lt;c&gt;&#13;\u{FFFD}");
    }
}
