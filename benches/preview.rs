//! `preview` at scale: synthetic users (`mapping_lint::synthetic::user_line`) streamed as JSON
//! Lines through `samples/astrato.json`, rendered as JSON Lines into a sink, as the command does.
//!
//! ```text
//! cargo bench --bench preview
//! ```
//!
//! The whole-process number for 100,000 users comes from `examples/gen_users.rs` and the release
//! binary; see docs/performance.md.

use divan::{Bencher, black_box};
use mapping_lint::preview::objects::ObjectReader;
use mapping_lint::preview::{Options, Previewer, SourceObject, render};
use mapping_lint::source::SourceFile;
use mapping_lint::{json, model, synthetic};
use std::sync::LazyLock;

fn main() {
    divan::main();
}

const USERS: usize = 10_000;

static LINES: LazyLock<String> = LazyLock::new(|| {
    let mut text = String::new();
    for i in 0..USERS {
        text.push_str(&synthetic::user_line(i));
        text.push('\n');
    }
    text
});

static EXPORT: LazyLock<String> =
    LazyLock::new(|| std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/astrato.json")).unwrap());

fn run(lines: &str, format_json: bool) -> usize {
    let source = SourceFile::from_text("astrato.json", EXPORT.as_str());
    let root = json::parse(&source.text).unwrap();
    let schema = model::build(&root);
    let expressions = model::parse_expressions(&schema, &source.text);
    let mut previewer = Previewer::new(&schema, &expressions, &source, Options::default()).unwrap();
    let derive = previewer.options().derive;
    let mut sink = std::io::sink();
    for item in ObjectReader::new(lines.as_bytes()) {
        let raw = item.unwrap().unwrap();
        let object = SourceObject::from_json(raw.ordinal, raw.line, &raw.json, derive);
        let preview = previewer.preview(&object);
        if format_json {
            render::json_object(&preview, &mut sink).unwrap();
        } else {
            render::human_object(&preview, "users.jsonl", &mut sink).unwrap();
        }
    }
    previewer.summary().objects
}

/// 10,000 users, JSON Lines in and out.
#[divan::bench(sample_count = 10)]
fn users_10k_json(bencher: Bencher) {
    let lines = LINES.as_str();
    bencher
        .counter(divan::counter::ItemsCount::new(USERS))
        .bench(|| assert_eq!(run(black_box(lines), true), USERS));
}

/// The same with the human report.
#[divan::bench(sample_count = 10)]
fn users_10k_human(bencher: Bencher) {
    let lines = LINES.as_str();
    bencher
        .counter(divan::counter::ItemsCount::new(USERS))
        .bench(|| assert_eq!(run(black_box(lines), false), USERS));
}
