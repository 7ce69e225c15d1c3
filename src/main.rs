//! `mapping-lint`: the command-line front end of the `mapping_lint` library.

mod cli;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    install_panic_hook();
    // The test hook for the panic hook (debug builds only).
    #[cfg(debug_assertions)]
    if std::env::var_os(mapping_lint::write::FAULT_ENV).is_some_and(|v| v == "panic") {
        panic!("fault injected ({})", mapping_lint::write::FAULT_ENV);
    }
    let parsed = cli::Cli::try_parse().map_err(|e| match e.kind() {
        // Help and version are not errors: clap prints them (exit 0), as
        // it does the subcommand list for a bare `mapping-lint`.
        clap::error::ErrorKind::DisplayHelp
        | clap::error::ErrorKind::DisplayVersion
        | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => e.exit(),
        _ => cli::usage_error(&e),
    });
    match parsed.and_then(cli::run) {
        Ok(code) => code,
        Err(err) => {
            // Messages quote paths and values from the input: printable only.
            eprintln!("mapping-lint: error: {}", cli::escape(&err.message));
            if let Some(help) = &err.help {
                eprintln!("  help: {}", cli::escape(help));
            }
            // The finding in the settings file, with its snippet (the help
            // is the line above). A file that is not shown has none.
            if let Some(report) = err.report.as_deref().filter(|r| !r.source.text.is_empty()) {
                for d in &report.diagnostics {
                    let d = mapping_lint::Diagnostic {
                        help: None,
                        ..d.clone()
                    };
                    let shown = mapping_lint::output::human::render_finding(report, &d);
                    let newline = if shown.ends_with('\n') { "" } else { "\n" };
                    let _ = write!(std::io::stderr(), "\n{shown}{newline}");
                }
            }
            ExitCode::from(cli::exit::ERROR)
        }
    }
}

/// Any panic left is a bug: one line saying so, exit 2 (as the README
/// promises), instead of Rust's message and exit 101. A write to a closed
/// pipe (`mapping-lint … | head`, a closed stderr) is not a bug: the run
/// ends quietly, also with exit 2 (the report was not delivered whole).
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("unknown cause");
        if !is_broken_pipe(message) {
            let location = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let _ = writeln!(
                std::io::stderr(),
                "mapping-lint: internal error: {}{location}; please report it",
                cli::escape(message).replace('\n', " ")
            );
        }
        std::process::exit(i32::from(cli::exit::ERROR));
    }));
}

/// `println!` and friends panic with this when the pipe is closed.
fn is_broken_pipe(message: &str) -> bool {
    message.contains("Broken pipe") || message.contains("os error 32")
}
