//! Any two byte strings (split at the first 0xFF) as the two exports of
//! `mapping-lint diff`: tables built, compared and rendered in both formats
//! with no panic, hang or stack overflow; the JSON output is valid JSON.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mapping_lint::diff::{self, MappingTable};
use mapping_lint::source::{Origin, SourceFile};

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == 0xFF).unwrap_or(data.len());
    let (a, b) = (&data[..split], data.get(split + 1..).unwrap_or(&[]));
    let table = |name: &str, bytes: &[u8]| {
        MappingTable::from_source(&SourceFile::from_bytes(name, Origin::Stdin, bytes.to_vec())).ok()
    };
    let (Some(a), Some(b)) = (table("a.json", a), table("b.json", b)) else {
        return;
    };
    let result = diff::compare(&a, &b);
    let mut out = Vec::new();
    diff::human::render(&result, diff::human::Options { color: false, verbose: true }, &mut out).unwrap();
    let mut json = Vec::new();
    diff::json::render(&result, &mut json).unwrap();
    serde_json::from_slice::<serde_json::Value>(&json).expect("diff JSON is valid");
});
