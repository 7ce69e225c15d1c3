//! The parse floor: read a file and build a `serde_json::Value`, nothing else.
//!
//! `scripts/bench.sh` times `mapping-lint` against this program on the same
//! files; the ratio says how much the linter costs on top of merely parsing
//! the JSON with the fastest general-purpose reader (at most
//! about 2× on a 50 MB export).

fn main() -> std::process::ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: parse_floor <FILE>");
        return std::process::ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("parse_floor: {}: {e}", path.to_string_lossy());
            return std::process::ExitCode::from(2);
        }
    };
    match serde_json::from_slice::<serde_json::Value>(&bytes) {
        // Print something that depends on the value so nothing is optimised away.
        Ok(value) => {
            println!("{} top-level keys", value.as_object().map_or(0, |o| o.len()));
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("parse_floor: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
