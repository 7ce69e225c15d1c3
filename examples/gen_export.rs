//! Writes a synthetic export of a given size (see `mapping_lint::synthetic`).
//!
//! ```text
//! cargo run --release --example gen_export -- --size 5MB target/bench/5mb.json
//! cargo run --release --example gen_export -- --size 20KB --count 1000 target/bench/many/
//! ```
//!
//! With `--count N` the path is a directory and N exports named
//! `export-0000.json`, … are written into it, each with a slightly different
//! number of attributes so the files are not all identical.

use mapping_lint::synthetic;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("gen_export: {message}");
            eprintln!("usage: gen_export --size <N[KB|MB]> [--defects N] [--count N] <PATH>");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let mut size = None;
    let mut defects = 0;
    let mut count = None;
    let mut path = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--size" => size = Some(parse_size(&value("--size")?)?),
            "--defects" => defects = value("--defects")?.parse().map_err(|e| format!("--defects: {e}"))?,
            "--count" => {
                count = Some(
                    value("--count")?
                        .parse::<usize>()
                        .map_err(|e| format!("--count: {e}"))?,
                )
            }
            _ if arg.starts_with('-') => return Err(format!("unknown option {arg}")),
            _ => path = Some(PathBuf::from(arg)),
        }
    }
    let size = size.ok_or("--size is required")?;
    let path = path.ok_or("an output path is required")?;
    let options = synthetic::Options {
        defects,
        ..synthetic::options_for_size(size)
    };
    let write =
        |path: &PathBuf, text: String| std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()));
    match count {
        None => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            write(&path, synthetic::export(options))
        }
        Some(n) => {
            std::fs::create_dir_all(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            for i in 0..n {
                let varied = synthetic::Options {
                    custom_attributes: options.custom_attributes + i % 7,
                    ..options
                };
                write(&path.join(format!("export-{i:04}.json")), synthetic::export(varied))?;
            }
            Ok(())
        }
    }
}

/// `100KB`, `5MB`, `50MB`, `1234` (bytes); KB and MB are powers of 1000.
fn parse_size(text: &str) -> Result<usize, String> {
    let upper = text.to_ascii_uppercase();
    let (digits, factor) = if let Some(d) = upper.strip_suffix("MB") {
        (d, 1_000_000)
    } else if let Some(d) = upper.strip_suffix("KB") {
        (d, 1_000)
    } else {
        (upper.as_str(), 1)
    };
    let n: f64 = digits.trim().parse().map_err(|_| format!("bad size {text:?}"))?;
    Ok((n * factor as f64) as usize)
}
