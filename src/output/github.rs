//! `--format github`: GitHub Actions workflow commands, which the runner
//! turns into annotations on the pull request's "Files changed" tab.
//!
//! One line per finding:
//! `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=mapping-lint (RULE)::MESSAGE`
//! (`::warning` for warnings, `::notice` for infos: GitHub has no fourth
//! level), then the summary line as plain log text. The message carries the
//! finding's help on a second line. Escaping is what `@actions/core` does:
//! `%`, CR and LF in the message; additionally `:` and `,` in property
//! values. No crate: the format is two `replace` chains.
//!
//! GitHub shows at most 10 annotations of each level per step (50 per job);
//! for more, upload SARIF to code scanning (docs/ci.md).

use super::Report;
use crate::diagnostic::Severity;
use std::io::{self, Write};

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for (file, d) in report.diagnostics() {
        let (start, end) = super::positions(file, d);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let message = super::message_with_help(d);
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&super::printable(&file.source.name)),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(&format!("mapping-lint ({})", d.rule)),
            escape_data(&message),
        )?;
    }
    writeln!(out, "{}", super::summary_line(report).replace('\n', " "))
}

/// Escapes a command's message (`@actions/core` `escapeData`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value (`@actions/core` `escapeProperty`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_actions_core() {
        assert_eq!(escape_data("100% done\r\nnext: a,b"), "100%25 done%0D%0Anext: a,b");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
