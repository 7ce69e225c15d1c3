//! Any text with any labels through the human format's snippet rendering:
//! no panic (miette's column limit included), output bounded by the number
//! of labels whatever the lines' and spans' sizes, and no control character
//! but the line break in what reaches the terminal.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mapping_lint::lint::{LintSettings, lint_text};
use mapping_lint::output::human;
use mapping_lint::span::FileSpan;
use std::sync::OnceLock;

/// A real finding to re-aim at the fuzzed text.
fn template() -> &'static mapping_lint::Diagnostic {
    static D: OnceLock<mapping_lint::Diagnostic> = OnceLock::new();
    D.get_or_init(|| {
        let report = lint_text("t.json", "{\"a\": 1, \"a\": 2}", &LintSettings::default());
        report.diagnostics[0].clone()
    })
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 8 {
        return;
    }
    let (head, body) = data.split_at(8);
    let text = String::from_utf8_lossy(body);
    let len = text.len();
    let at = |b: u8, scale: usize| {
        let mut i = (b as usize * scale) % (len + 1);
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let scale = (len / 255).max(1);
    let mut d = template().clone();
    let (a, b) = (at(head[0], scale), at(head[1], scale));
    d.span = FileSpan::new(a.min(b), a.max(b));
    d.labels.clear();
    for pair in head[2..].chunks(2) {
        let (a, b) = (at(pair[0], scale), at(pair[1], scale));
        d = d.with_secondary(FileSpan::new(a.min(b), a.max(b)), "here\u{1b}[31m\n::warning::x");
    }
    let out = human::render_one(&d, "fuzz\n.json", &text);
    let labels = 1 + d.labels.len();
    assert!(out.len() <= 4096 * labels + 4096, "{} bytes for {labels} labels", out.len());
    assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
});
