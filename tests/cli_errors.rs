//! Errors end to end: one prefix and one style for clap's usage errors and
//! the tool's own (`mapping-lint: error: …` and one `help:` line), a
//! did-you-mean for format and profile names, `diff`'s help lines, the
//! PowerShell advice for a file that is not UTF-8, and no snippet for a file
//! that is not text.

mod common;

use common::run_in;
use std::path::Path;

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/entra-defaults.json");
    std::fs::copy(sample, dir.path().join("a.json")).unwrap();
    dir
}

/// Every usage error, from clap or from the tool, is two lines in one style.
#[test]
fn every_error_has_one_prefix_and_one_help_line() {
    let dir = workspace();
    let cases: &[&[&str]] = &[
        &["check", "-f", "text", "a.json"],
        &["check", "--fial-on", "error", "a.json"],
        &["check", "a.json", "--unsafe-fixes"],
        &["check", "--report", "txt=r.txt", "a.json"],
        &["check", "--profile", "astrto", "a.json"],
        &["check", "nope.json"],
        &["diff"],
        &["diff", "nope.json", "a.json"],
        &["diff", "a.json", "-f", "jsn"],
        &["diff", "-", "-"],
        &["eval", "[a]", "-f", "text"],
        &["profile", "show", "slak"],
    ];
    let mut shown = String::new();
    for args in cases {
        let r = run_in(dir.path(), args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        let lines: Vec<&str> = r.stderr.lines().collect();
        assert_eq!(lines.len(), 2, "{args:?}: {}", r.stderr);
        assert!(lines[0].starts_with("mapping-lint: error: "), "{args:?}: {}", r.stderr);
        assert!(lines[1].starts_with("  help: "), "{args:?}: {}", r.stderr);
        assert!(!r.stderr.contains("For more information"), "{}", r.stderr);
        shown.push_str(&format!("$ mapping-lint {}\n{}\n", args.join(" "), r.stderr));
    }
    insta::assert_snapshot!("usage_errors", shown);
}

#[test]
fn format_names_of_other_tools_get_a_did_you_mean() {
    let dir = workspace();
    for (given, meant) in [
        ("text", "human"),
        ("xml", "junit"),
        ("gha", "github"),
        ("sarif2", "sarif"),
        ("consise", "concise"),
    ] {
        let r = run_in(dir.path(), &["check", "-f", given, "a.json"]);
        assert!(
            r.stderr.contains(&format!("help: did you mean `{meant}`?")),
            "{given}: {}",
            r.stderr
        );
        let r = run_in(dir.path(), &["check", "--report", &format!("{given}=r.out"), "a.json"]);
        assert!(
            r.stderr.contains(&format!("did you mean `{meant}`?")),
            "{given}: {}",
            r.stderr
        );
    }
}

#[test]
fn a_profile_name_in_the_config_gets_a_did_you_mean() {
    let dir = workspace();
    std::fs::write(dir.path().join(".mapping-lint.yaml"), "profile: Astrto\n").unwrap();
    for args in [&["check", "a.json"][..], &["diff", "a.json"]] {
        let r = run_in(dir.path(), args);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr
                .starts_with("mapping-lint: error: unknown profile `Astrto`\n  help: did you mean `astrato`?"),
            "{}",
            r.stderr
        );
    }
}

/// A file that is not text: the finding names the position, no row of `?`,
/// and the PowerShell advice works as written (the parentheses read the
/// whole file before it is written; UTF-16 without a BOM needs its encoding).
#[test]
fn a_file_that_is_not_text_shows_no_snippet_and_working_advice() {
    let dir = workspace();
    let mut binary = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0".to_vec();
    binary.extend([0xff, 0xfe, 0x80, 0x81, 0, 0, 7, 27]);
    std::fs::write(dir.path().join("binary.json"), binary).unwrap();
    let utf16: Vec<u8> = "{\"a\": 1}".encode_utf16().flat_map(u16::to_le_bytes).collect();
    std::fs::write(dir.path().join("utf16.json"), utf16).unwrap();
    let r = run_in(dir.path(), &["check", "binary.json", "utf16.json", "--profile", "none"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!r.stdout.contains('│'), "{}", r.stdout);
    assert!(!r.stdout.contains("??"), "{}", r.stdout);
    insta::assert_snapshot!("not_text", r.stdout);
}
