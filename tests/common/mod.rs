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

/// What one run of the binary gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Runs `cmd`. The output is decoded as lossy UTF-8, so binary output cannot make a test
    /// panic on decoding; a run killed by a signal has the code -1.
    pub fn of(cmd: &mut Command) -> Run {
        let out = cmd.output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs `cmd` and asserts that it exited with a code and printed only UTF-8.
    pub fn utf8(cmd: &mut Command) -> Run {
        let out = cmd.output().unwrap();
        Run {
            code: out.status.code().expect("an exit code"),
            stdout: String::from_utf8(out.stdout).expect("UTF-8 on stdout"),
            stderr: String::from_utf8(out.stderr).expect("UTF-8 on stderr"),
        }
    }
}

impl Run {
    /// Asserts that the run exited with `code` and that its standard error contains each of
    /// `needles` (showing both streams when not).
    pub fn assert_stderr(&self, code: i32, needles: &[&str]) {
        assert_eq!(self.code, code, "{}{}", self.stdout, self.stderr);
        for needle in needles {
            assert!(self.stderr.contains(needle), "no {needle:?} in:\n{}", self.stderr);
        }
    }
}

/// Runs the binary in `dir` with `args`.
pub fn run_in(dir: &std::path::Path, args: &[&str]) -> Run {
    Run::of(bin().current_dir(dir).args(args))
}

/// A new temporary directory holding the file `name` with `contents`: the directory (the file
/// lives as long as it does) and the file's path.
pub fn temp_file(name: &str, contents: impl AsRef<[u8]>) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(dir.path(), name, contents);
    (dir, path)
}

/// Writes the file `name` in `dir` with `contents`; returns its path.
pub fn write_file(dir: &std::path::Path, name: &str, contents: impl AsRef<[u8]>) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
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

/// Asserts that the part of the repository file `file` between the lines `<!-- {marker}:start -->`
/// and `<!-- {marker}:end -->` is `expected` (a table generated from the code); when the
/// environment variable `update` is set, rewrites that part instead. `what` names the part in
/// the failure message, which says how to rerun `test` with `update`.
pub fn assert_generated_section(file: &str, marker: &str, expected: &str, what: &str, update: &str, test: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let (start, end) = (format!("<!-- {marker}:start -->\n"), format!("<!-- {marker}:end -->"));
    let from = text.find(&start).unwrap_or_else(|| panic!("{marker}:start marker")) + start.len();
    let to = text.find(&end).unwrap_or_else(|| panic!("{marker}:end marker"));
    if text[from..to] != *expected {
        if std::env::var_os(update).is_some() {
            std::fs::write(&path, format!("{}{expected}{}", &text[..from], &text[to..])).unwrap();
        } else {
            panic!("{what} is out of date; run `{update}=1 cargo test --test {test}`");
        }
    }
}
