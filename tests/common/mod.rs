//! Helpers shared by the CLI test files (`mod common;` in each).

#![allow(dead_code)] // each test binary uses a different subset

use assert_cmd::Command;

/// The binary, run from the repository root with a predictable
/// environment: no profile from the environment, no colour, no fault hooks.
pub fn bin() -> Command {
    let mut cmd = Command::cargo_bin("mapping-lint").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("MAPPING_LINT_PROFILE")
        .env_remove("MAPPING_LINT_TEST_FAULT")
        .env("NO_COLOR", "1");
    cmd
}

/// Runs the command and returns its standard output.
pub fn stdout_of(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

/// What one run of the binary gave (lossy UTF-8, so binary output cannot
/// make a test panic on decoding).
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary in `dir` with `args`.
pub fn run_in(dir: &std::path::Path, args: &[&str]) -> Run {
    let out = bin().current_dir(dir).args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A new temporary directory holding the file `name` with `contents`: the directory (the file
/// lives as long as it does) and the file's path.
pub fn temp_file(name: &str, contents: impl AsRef<[u8]>) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    (dir, path)
}

/// The string members `a` and `b` of every object of the JSON array `items`, in order.
pub fn string_pairs(items: &serde_json::Value, a: &str, b: &str) -> Vec<(String, String)> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            (
                item[a].as_str().unwrap().to_string(),
                item[b].as_str().unwrap().to_string(),
            )
        })
        .collect()
}
