//! Any bytes through the whole per-file pipeline and every output format:
//! no panic, no hang, no stack overflow; spans inside the text on character
//! boundaries.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mapping_lint::lint::{LintSettings, lint_bytes};
use mapping_lint::output::{self, Format, RenderOptions, Report};

fuzz_target!(|data: &[u8]| {
    let report = lint_bytes("fuzz.json", data.to_vec(), &LintSettings::default());
    let text = &report.source.text;
    for d in &report.diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "{d:?}");
        assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end), "{d:?}");
    }
    let report = Report {
        files: vec![report],
        profile: None,
    };
    for format in [Format::Human, Format::Concise, Format::Json] {
        output::render(format, &report, &RenderOptions::default(), &mut std::io::sink()).unwrap();
    }
});
