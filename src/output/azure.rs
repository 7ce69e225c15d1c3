//! `--format azure`: Azure Pipelines logging commands, which the agent turns
//! into errors and warnings on the run's summary page and the job log.
//!
//! One line per finding:
//! `##vso[task.logissue type=error;sourcepath=F;linenumber=L;columnnumber=C;code=RULE]MESSAGE`,
//! then the summary line as plain log text. Errors stay errors and warnings
//! stay warnings (unlike Ruff's `azure`, which reports everything as an
//! error). `task.logissue` knows only those two types, so an **info** is
//! emitted as a warning whose message starts with `info: `: it stays
//! visible in the summary without looking like an error, and `--fail-on`
//! still decides the exit code. Logging an issue does not by itself change
//! the task's result; the exit code does.
//!
//! Escaping follows `azure-pipelines-task-lib` (`taskcommand.ts`): in
//! property values `%` → `%AZP25`, CR → `%0D`, LF → `%0A`, `]` → `%5D`,
//! `;` → `%3B`; in the message only the first three. The agent decodes
//! these, so paths and messages with `;` or `]` cannot end a command early.

use super::Report;
use crate::diagnostic::Severity;
use std::io::{self, Write};

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for (file, d) in report.diagnostics() {
        let (start, _) = super::positions(file, d);
        let (kind, prefix) = match d.severity {
            Severity::Error => ("error", ""),
            Severity::Warning => ("warning", ""),
            Severity::Info => ("warning", "info: "),
        };
        let message = format!("{prefix}{}", super::message_with_help(d));
        writeln!(
            out,
            "##vso[task.logissue type={kind};sourcepath={};linenumber={};columnnumber={};code={}]{}",
            escape_property(&super::printable(&file.source.name)),
            start.line,
            start.column,
            escape_property(d.rule),
            escape_data(&message),
        )?;
    }
    writeln!(out, "{}", super::summary_line(report).replace('\n', " "))
}

/// Escapes a command's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%AZP25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(']', "%5D").replace(';', "%3B")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_task_library() {
        assert_eq!(escape_data("50% [a;b]\r\nc"), "50%AZP25 [a;b]%0D%0Ac");
        assert_eq!(escape_property("x;y]z%"), "x%3By%5Dz%AZP25");
    }
}
