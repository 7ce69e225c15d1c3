//! Writes N synthetic Entra users as JSON Lines (one Graph user object per line) to stdout: the
//! input for measuring `mapping-lint preview` at scale (docs/performance.md).
//!
//! ```text
//! cargo run --release --example gen_users -- 100000 > target/bench/users.jsonl
//! mapping-lint preview samples/astrato.json --objects target/bench/users.jsonl -f json > /dev/null
//! ```
//!
//! The users are deterministic (`mapping_lint::synthetic::user_line`); every 1,000th has no
//! mailbox, so a `userName ← [mail]` mapping yields a finding for it.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(Ok(count)) = std::env::args().nth(1).map(|n| n.replace('_', "").parse::<usize>()) else {
        eprintln!("usage: gen_users <COUNT>");
        return ExitCode::from(2);
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    for i in 0..count {
        if writeln!(out, "{}", mapping_lint::synthetic::user_line(i)).is_err() {
            return ExitCode::FAILURE;
        }
    }
    if out.flush().is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
