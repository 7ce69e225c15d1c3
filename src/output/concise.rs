//! `--format concise`: one line per finding, for terminals, editors' error
//! parsers and `grep`.
//!
//! `file:line:col: severity[rule] message`, with ` [*]` when `--fix` applies a fix and ` [!]` when
//! only `--fix --unsafe-fixes` does.

use super::{RenderOptions, Report};
use std::io::{self, Write};

pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    if options.statistics {
        super::statistics(report, out)?;
    } else if !options.quiet {
        for (file, d) in report.diagnostics() {
            let (start, _) = super::positions(file, d);
            let fixable = super::fix_mark(d);
            writeln!(
                out,
                "{}:{}:{}: {}[{}] {}{fixable}",
                super::printable(&file.source.name),
                start.line,
                start.column,
                d.severity,
                d.rule,
                super::printable(&d.message)
            )?;
        }
    }
    writeln!(out, "{}", super::summary_line(report))
}
