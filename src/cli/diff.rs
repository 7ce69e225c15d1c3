//! `mapping-lint diff`: read two exports (or one and a profile's reference
//! table), compare their normalised mapping tables, render, and exit like
//! `diff`: 0 equal, 1 different, 2 error.

use super::args::{DiffArgs, DiffFormat};
use super::check::{Input, display, load};
use super::{UsageError, exit};
use mapping_lint::diff::{self, MappingTable, TableError};
use mapping_lint::source::LoadError;
use mapping_lint::write::{Destinations, Mode};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

pub fn run(args: DiffArgs) -> Result<ExitCode, UsageError> {
    if args.a.as_os_str() == "-" && args.b.as_ref().is_some_and(|b| b.as_os_str() == "-") {
        return Err(UsageError::new("only one of A and B can be `-` (stdin)")
            .with_help("save one export to a file, e.g. `mapping-lint diff - saved.json < new.json`"));
    }
    // Neither export may be overwritten by the diff (`diff a.json b.json -o a.json`).
    let inputs: Vec<Input> = std::iter::once(&args.a).chain(&args.b).map(|p| input_of(p)).collect();
    let writer = super::check::writer(&inputs);
    if let Some(path) = &args.output {
        writer.check(path, Mode::Create)?;
    }
    let a = side(&args.a, &args)?;
    let b = match &args.b {
        Some(path) => side(path, &args)?,
        None => reference_table(&args)?,
    };
    let result = diff::compare(&a, &b);

    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = args.color.enabled(to_terminal);
    let mut buffer = Vec::new();
    match args.format {
        DiffFormat::Human => diff::human::render(
            &result,
            diff::human::Options {
                color,
                verbose: args.verbose,
            },
            &mut buffer,
        ),
        DiffFormat::Json => diff::json::render(&result, &mut buffer),
    }
    .map_err(|e| UsageError::new(format!("cannot render the diff: {e}")))?;
    write_output(&writer, &buffer, args.output.as_deref())?;

    Ok(ExitCode::from(if result.is_equal() {
        exit::CLEAN
    } else {
        exit::FINDINGS
    }))
}

/// A file, stdin, or `live:ID[/JOB]` (the only case that uses the network).
fn side(operand: &Path, args: &DiffArgs) -> Result<MappingTable, UsageError> {
    match super::live::LiveSpec::parse(operand) {
        Some(spec) => super::live::live_table(&spec?, &args.live, args.verbose),
        None => read_table(operand, args.max_file_size),
    }
}

fn read_table(path: &Path, max_size: u64) -> Result<MappingTable, UsageError> {
    if path.is_dir() {
        return Err(UsageError::new(format!("{}: is a directory", path.display()))
            .with_help("diff compares two export files; give a file path"));
    }
    let input = input_of(path);
    let source = load(&input, max_size).map_err(|e| {
        let help = match &e {
            // Like `check`'s, for what diff takes.
            LoadError::NotFound { .. } => {
                "check the path; diff takes two export files, `-` for stdin or `live:SERVICE_PRINCIPAL_ID`".to_string()
            }
            other => miette::Diagnostic::help(other).map_or_else(
                || "check that the file can be read; `mapping-lint diff --help` shows what diff takes".to_string(),
                |h| h.to_string(),
            ),
        };
        UsageError::new(e.to_string()).with_help(help)
    })?;
    MappingTable::from_source(&source).map_err(|e| match &e {
        TableError::InvalidJson { help, .. } => {
            let err = UsageError::new(e.to_string());
            match help {
                Some(help) => err.with_help(help.clone()),
                None => err.with_help(format!(
                    "`mapping-lint check {}` shows what is wrong with the file",
                    display(path)
                )),
            }
        }
    })
}

/// The reference table of a one-file diff: the profile chosen like `check`
/// does (`--profile`, then the config file's `profile:`, then the default).
fn reference_table(args: &DiffArgs) -> Result<MappingTable, UsageError> {
    let config = match &args.profile {
        Some(_) => None,
        None => super::check::config(args.config.as_deref())?,
    };
    let (_, loaded) = super::check::load_profile(args.profile.as_deref(), config.as_ref(), args.allow_outside_paths)?;
    let loaded = loaded.ok_or_else(|| {
        UsageError::new("`--profile none` leaves nothing to compare with")
            .with_help("give a profile (`mapping-lint profile list`) or a second export")
    })?;
    Ok(MappingTable::from_profile(&loaded))
}

fn input_of(path: &Path) -> Input {
    if path.as_os_str() == "-" {
        Input::Stdin {
            display: "<stdin>".to_string(),
        }
    } else {
        Input::File {
            path: path.to_path_buf(),
            display: display(path),
            walked: false,
        }
    }
}

fn write_output(writer: &Destinations, buffer: &[u8], output: Option<&Path>) -> Result<(), UsageError> {
    match output {
        Some(path) => Ok(writer.write(path, buffer, Mode::Create)?),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(buffer).and_then(|()| stdout.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(UsageError::new(format!("cannot write the diff: {e}")))
                }
                _ => Ok(()),
            }
        }
    }
}
