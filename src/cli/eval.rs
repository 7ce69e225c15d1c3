//! `mapping-lint eval`: parse, check and evaluate one expression, the offline counterpart of the
//! portal's expression builder.
//!
//! The checks are every expression check that needs no schema, run by the same code as `check`
//! ([`check_standalone`]), with the same messages, pointing into the expression text. `--kind`
//! reads the expression as one of an export of that job kind (which rules apply, which function
//! reference documents a function); the default, `unknown`, reads it as app provisioning. Errors stop before
//! evaluation (exit 1); warnings are shown and evaluation goes on. An attribute the expression
//! reads but `--input` does not set is null, with a warning (set it to `null` explicitly to
//! silence it). Now, Guid and RandomString use the system clock and a random seed.
//!
//! Output: in `human` format the value goes to stdout as JSON (`"John Doe"`, `["a","b"]`,
//! `null` — unambiguous where a bare string would not be) and diagnostics to stderr; in `json`
//! format stdout holds one JSON document:
//! `{"value": …, "canonical": "…", "warnings": […]}` on success,
//! `{"errors": […], "warnings": […]}` (plus `canonical` when the text parses) on failure.

use super::args::{EvalArgs, EvalFormat};
use super::{UsageError, exit};
use mapping_lint::Severity;
use mapping_lint::diagnostic::Diagnostic;
use mapping_lint::expr::{self, Expr, Input, SystemEnvironment, Value};
use mapping_lint::output::human;
use mapping_lint::rules::expression::check_standalone;
use serde_json::json;
use std::io::{Read, Write};
use std::process::ExitCode;

pub fn run(args: EvalArgs) -> Result<ExitCode, UsageError> {
    let input = read_input(args.input.as_deref())?;
    let text = args.expression.as_str();
    let checked = check_standalone(text, args.kind);
    let (mut errors, mut warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = checked
        .diagnostics
        .into_iter()
        .partition(|d| d.severity == Severity::Error);
    let mut value = None;
    if let (Some(tree), true) = (&checked.tree, errors.is_empty()) {
        warnings.extend(missing_inputs(tree, &input));
        match expr::evaluate(tree, &input, &mut SystemEnvironment::new()) {
            Ok(v) => value = Some(v),
            Err(e) => errors.push(note_diagnostic(
                "evaluation",
                Severity::Error,
                format!("evaluation failed: {}", e.message),
                e.span,
                "failed here",
            )),
        }
    }
    // Credential shapes in the expression never reach the output.
    let masker = mapping_lint::secrets::Masker::default();
    errors
        .iter_mut()
        .chain(&mut warnings)
        .for_each(|d| masker.mask_diagnostic(d));
    let canonical = checked.tree.as_ref().map(expr::print);
    match args.format {
        EvalFormat::Human => print_human(text, &errors, &warnings, value.as_ref()),
        EvalFormat::Json => print_json(canonical, &errors, &warnings, value.as_ref()),
    }
    .map_err(|e| UsageError::new(format!("cannot write the result: {e}")))?;
    Ok(ExitCode::from(if errors.is_empty() {
        exit::CLEAN
    } else {
        exit::FINDINGS
    }))
}

/// A finding that is not a lint rule's (evaluation failures, missing inputs).
fn note_diagnostic(
    code: &'static str,
    severity: Severity,
    message: String,
    span: mapping_lint::span::ExprSpan,
    label: &str,
) -> Diagnostic {
    Diagnostic {
        rule: code,
        severity,
        message,
        // The reported text is the expression itself.
        span: span.in_standalone_text(),
        pointer: String::new(),
        semantic_key: String::new(),
        label: Some(label.to_string()),
        labels: Vec::new(),
        help: None,
        note: None,
        fix: None,
        external: None,
    }
}

/// One warning per attribute the expression reads that the input does not set.
fn missing_inputs(tree: &Expr, input: &Input) -> Vec<Diagnostic> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for (name, span) in tree.attributes() {
        if input.get(name).is_some() || seen.contains(&name) {
            continue;
        }
        seen.push(name);
        let mut d = note_diagnostic(
            "input",
            Severity::Warning,
            format!("`[{name}]` has no value in --input; it is evaluated as null"),
            *span,
            "no value given",
        );
        d.help = Some(format!(
            "pass it with --input '{{\"{name}\": \"…\"}}', or as null to test the null case"
        ));
        out.push(d);
    }
    out
}

/// Reads `--input`: inline JSON, a file path, or `-` for stdin.
fn read_input(arg: Option<&str>) -> Result<Input, UsageError> {
    let Some(arg) = arg else {
        return Ok(Input::new());
    };
    let what_it_takes = "--input takes a JSON object of attribute values, inline or in a file: \
                         --input '{\"givenName\": \"John\"}' or --input user.json";
    let (text, origin) = if arg == "-" {
        let mut text = String::new();
        std::io::stdin()
            .take(mapping_lint::source::MAX_SIDE_FILE)
            .read_to_string(&mut text)
            .map_err(|e| UsageError::new(format!("cannot read --input from stdin: {e}")))?;
        (text, "from stdin".to_string())
    } else if arg.trim_start().starts_with(['{', '[', '"']) || !std::path::Path::new(arg).exists() {
        if !arg.trim_start().starts_with(['{', '[', '"']) && serde_json::from_str::<serde_json::Value>(arg).is_err() {
            return Err(
                UsageError::new(format!("--input `{arg}` is neither JSON nor an existing file"))
                    .with_help(what_it_takes),
            );
        }
        (arg.to_string(), "(inline)".to_string())
    } else {
        let text = mapping_lint::source::read_side_text(std::path::Path::new(arg))
            .map_err(|e| UsageError::new(format!("cannot read --input file `{arg}`: {e}")).with_help(what_it_takes))?;
        (text, format!("file `{arg}`"))
    };
    let json = input_json(&text)
        .map_err(|e| UsageError::new(format!("--input {origin} is not valid JSON: {e}")).with_help(what_it_takes))?;
    Input::from_json(&json).map_err(|e| UsageError::new(format!("--input {origin}: {e}")).with_help(what_it_takes))
}

/// `--input` as JSON whose numbers keep their digits: an attribute value
/// is text to the provisioning engine, so `12345678901234567890123` (an
/// employee id) must stay those digits, not become `1.2345678901234568e22`
/// through a 64-bit float. A number that is an attribute's value (or one of
/// a multi-valued attribute's values) is passed on as a string of its source
/// text; numbers inside complex values (objects) stay JSON numbers.
fn input_json(text: &str) -> Result<serde_json::Value, String> {
    use mapping_lint::json::{self, Node};
    let root = json::parse(text).map_err(|e| {
        let at = mapping_lint::source::LineIndex::new(text).line_col(text, e.span.start);
        format!("{} at line {} column {}", e.message, at.line, at.column)
    })?;
    let exact = |node: &Node<'_>| match node {
        Node::NumberLit(n) => serde_json::Value::String(n.value.to_string()),
        other => json::to_serde(other),
    };
    Ok(match &root {
        Node::Object(obj) => serde_json::Value::Object(
            obj.properties
                .iter()
                .map(|p| {
                    let value = match &p.value {
                        Node::Array(items) => serde_json::Value::Array(items.elements.iter().map(exact).collect()),
                        other => exact(other),
                    };
                    (p.name.as_str().to_string(), value)
                })
                .collect(),
        ),
        other => json::to_serde(other),
    })
}

fn print_human(
    text: &str,
    errors: &[Diagnostic],
    warnings: &[Diagnostic],
    value: Option<&Value>,
) -> std::io::Result<()> {
    let mut stderr = std::io::stderr().lock();
    for d in errors.iter().chain(warnings) {
        write!(stderr, "{}", human::render_one(d, "expression", text))?;
        writeln!(stderr)?;
    }
    if let Some(value) = value {
        let mut stdout = std::io::stdout().lock();
        writeln!(
            stdout,
            "{}",
            serde_json::to_string(&value.to_json()).expect("values serialize")
        )?;
    }
    Ok(())
}

fn diagnostics_json(diagnostics: &[Diagnostic]) -> serde_json::Value {
    diagnostics
        .iter()
        .map(|d| {
            json!({
                "rule": d.rule,
                "severity": d.severity,
                "message": d.message,
                "range": {"start": d.span.start, "end": d.span.end},
                "help": d.help,
            })
        })
        .collect()
}

fn print_json(
    canonical: Option<String>,
    errors: &[Diagnostic],
    warnings: &[Diagnostic],
    value: Option<&Value>,
) -> std::io::Result<()> {
    let mut doc = serde_json::Map::new();
    match value {
        Some(v) if errors.is_empty() => {
            doc.insert("value".into(), v.to_json());
        }
        _ => {
            doc.insert("errors".into(), diagnostics_json(errors));
        }
    }
    if let Some(c) = canonical {
        doc.insert("canonical".into(), c.into());
    }
    doc.insert("warnings".into(), diagnostics_json(warnings));
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", serde_json::Value::Object(doc))
}
