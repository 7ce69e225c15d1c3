//! The CI recipes in docs/ci.md and the hooks in .pre-commit-hooks.yaml,
//! tested as far as a machine without GitHub, Azure DevOps or GitLab can:
//! every YAML block parses into the shape its CI system expects, every
//! `mapping-lint` command uses only flags that `check --help` lists, each
//! command runs against sample exports and writes the report files that the
//! next step of the recipe uploads.

use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap()
}

/// The fenced blocks of a Markdown file with the given info string.
fn blocks<'a>(markdown: &'a str, lang: &str) -> Vec<&'a str> {
    let fence = format!("```{lang}\n");
    let mut out = Vec::new();
    let mut rest = markdown;
    while let Some(start) = rest.find(&fence) {
        let body = &rest[start + fence.len()..];
        let end = body.find("\n```").expect("unclosed code block");
        out.push(&body[..=end]);
        rest = &body[end..];
    }
    out
}

/// The YAML blocks of docs/ci.md by the file name in their first line.
fn recipes() -> BTreeMap<String, String> {
    blocks(&read("docs/ci.md"), "yaml")
        .into_iter()
        .map(|b| {
            let name = b
                .lines()
                .next()
                .unwrap()
                .strip_prefix("# ")
                .expect("a recipe starts with `# <file>`");
            (name.to_string(), b.to_string())
        })
        .collect()
}

/// The keys pre-commit allows in a hook definition; declared so that
/// `deny_unknown_fields` catches a misspelt one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Hook {
    id: String,
    name: String,
    entry: String,
    language: String,
    files: Option<String>,
    description: Option<String>,
    exclude: Option<String>,
    types: Option<Vec<String>>,
    types_or: Option<Vec<String>>,
    args: Option<Vec<String>>,
    pass_filenames: Option<bool>,
    require_serial: Option<bool>,
    minimum_pre_commit_version: Option<String>,
}

#[derive(Debug, Deserialize)]
struct GithubWorkflow {
    jobs: BTreeMap<String, GithubJob>,
    permissions: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GithubJob {
    #[serde(rename = "runs-on")]
    runs_on: String,
    steps: Vec<GithubStep>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GithubStep {
    name: Option<String>,
    uses: Option<String>,
    run: Option<String>,
    #[serde(rename = "if")]
    condition: Option<String>,
    with: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
struct AzurePipeline {
    pool: BTreeMap<String, String>,
    steps: Vec<AzureStep>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AzureStep {
    checkout: Option<String>,
    script: Option<String>,
    task: Option<String>,
    #[serde(rename = "displayName")]
    display_name: Option<String>,
    condition: Option<String>,
    inputs: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GitlabJob {
    stage: String,
    image: String,
    script: Vec<String>,
    artifacts: GitlabArtifacts,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GitlabArtifacts {
    when: String,
    reports: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PreCommitConfig {
    repos: Vec<PreCommitRepo>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PreCommitRepo {
    repo: String,
    rev: String,
    hooks: Vec<PreCommitHookRef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PreCommitHookRef {
    id: String,
    files: Option<String>,
}

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("mapping-lint")
}

/// Every long and short flag `mapping-lint check --help` documents.
fn documented_flags() -> BTreeSet<String> {
    let out = Command::new(bin()).args(["check", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let flag = regex::Regex::new(r"(?m)^\s+(?:(-[A-Za-z]), )?(--[a-z][a-z-]*)").unwrap();
    let mut flags = BTreeSet::new();
    for caps in flag.captures_iter(&help) {
        flags.extend(caps.iter().skip(1).flatten().map(|m| m.as_str().to_string()));
    }
    assert!(flags.contains("--report") && flags.contains("-f"), "{flags:?}");
    flags
}

/// A sample workspace: `exports/` with a broken and a clean export.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("exports")).unwrap();
    for sample in ["broken.json", "astrato.json"] {
        std::fs::copy(
            root().join("samples").join(sample),
            dir.path().join("exports").join(sample),
        )
        .unwrap();
    }
    dir
}

/// A command line from a recipe, checked and run in `dir`. CI variables are
/// replaced by `staging`. Returns the exit code and the `--report` files.
fn run_recipe_command(line: &str, dir: &Path, flags: &BTreeSet<String>) -> (i32, BTreeMap<String, PathBuf>) {
    assert!(
        !line.contains(['"', '\'', '\\', '|', '&', ';']),
        "keep recipe commands free of shell syntax: {line}"
    );
    let line = line.replace("$(Build.ArtifactStagingDirectory)", "staging");
    let tokens: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(tokens[0], "mapping-lint", "{line}");
    assert_eq!(tokens[1], "check", "recipes spell out the command: {line}");
    let mut reports = BTreeMap::new();
    for (i, token) in tokens.iter().enumerate() {
        if token.starts_with('-') && *token != "-" {
            let name = token.split('=').next().unwrap();
            assert!(
                flags.contains(name),
                "`{name}` in `{line}` is not in `mapping-lint check --help`"
            );
        }
        if *token == "--report" {
            let (format, file) = tokens[i + 1].split_once('=').unwrap();
            reports.insert(format.to_string(), dir.join(file));
        }
    }
    let out = Command::new(bin())
        .args(&tokens[1..])
        .current_dir(dir)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    assert_ne!(code, 2, "{line}: {}", String::from_utf8_lossy(&out.stderr));
    for (format, file) in &reports {
        let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{line}: no {format} report: {e}"));
        match format.as_str() {
            "sarif" => assert_eq!(
                serde_json::from_str::<serde_json::Value>(&text).unwrap()["version"],
                "2.1.0"
            ),
            "junit" => assert!(text.starts_with("<?xml") && text.contains("<testsuites name=\"mapping-lint\"")),
            other => panic!("unexpected report format {other}"),
        }
    }
    (code, reports)
}

/// `cargo install` lines install this package, which provides the binary,
/// from a Git URL or a clone: it is not published on crates.io, so a bare
/// `cargo install mapping-lint` would fail (or install someone else's crate).
fn assert_installs_this_package(line: &str) {
    let line = line.split(" #").next().unwrap();
    let tokens: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(&tokens[..3], ["cargo", "install", "--locked"], "{line}");
    match tokens[3] {
        "--git" => {
            let url = tokens[4];
            assert!(
                url.starts_with("https://github.com/OWNER/") && url.ends_with(&format!("/{}", env!("CARGO_PKG_NAME"))),
                "{line}"
            );
            assert_eq!(tokens[5..], [env!("CARGO_PKG_NAME")], "{line}");
        }
        "--path" => assert_eq!(tokens[4..], ["."], "{line}"),
        _ => panic!("installs from crates.io, where mapping-lint is not published: {line}"),
    }
    assert!(read("Cargo.toml").contains("[[bin]]\nname = \"mapping-lint\""));
    assert!(bin().exists());
}

/// `file` relative to the workspace, as the recipe names it.
fn rel(dir: &Path, file: &Path) -> String {
    file.strip_prefix(dir).unwrap().display().to_string()
}

#[test]
fn pre_commit_hooks() {
    let hooks: Vec<Hook> = serde_saphyr::from_str(&read(".pre-commit-hooks.yaml")).unwrap();
    assert_eq!(
        hooks.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        ["mapping-lint", "mapping-lint-system"]
    );
    let flags = documented_flags();
    for hook in &hooks {
        assert!(
            ["rust", "system"].contains(&hook.language.as_str()),
            "{}",
            hook.language
        );
        assert!(!hook.name.is_empty() && hook.description.is_some());
        let files = regex::Regex::new(hook.files.as_deref().unwrap()).unwrap();
        assert!(files.is_match("exports/prod.json") && !files.is_match("README.md"));
        // pre-commit appends the staged file names to the entry.
        let dir = workspace();
        let (code, _) = run_recipe_command(&format!("{} exports/broken.json", hook.entry), dir.path(), &flags);
        assert_eq!(code, 1, "{}", hook.id);
        let (code, _) = run_recipe_command(&format!("{} exports/astrato.json", hook.entry), dir.path(), &flags);
        assert_eq!(code, 0, "{}", hook.id);
    }
    // The rust hook builds this repository: cargo must find the binary here.
    assert_eq!(hooks[0].language, "rust");
    assert!(read("Cargo.toml").contains("[[bin]]\nname = \"mapping-lint\""));
}

#[test]
fn pre_commit_config_recipe() {
    let config: PreCommitConfig = serde_saphyr::from_str(&recipes()[".pre-commit-config.yaml"]).unwrap();
    let hooks: Vec<Hook> = serde_saphyr::from_str(&read(".pre-commit-hooks.yaml")).unwrap();
    let repo = &config.repos[0];
    assert!(repo.repo.ends_with("/mapping-lint") && repo.rev.starts_with('v'));
    for hook in &repo.hooks {
        assert!(hooks.iter().any(|h| h.id == hook.id), "no hook {}", hook.id);
        let files = regex::Regex::new(hook.files.as_deref().unwrap()).unwrap();
        assert!(files.is_match("exports/prod.json") && !files.is_match("package.json"));
    }
}

/// `action.yml`: a composite GitHub Action. Only the keys GitHub allows are
/// declared, so `deny_unknown_fields` catches a misspelt one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Action {
    name: String,
    description: String,
    author: Option<String>,
    branding: BTreeMap<String, String>,
    inputs: BTreeMap<String, ActionInput>,
    runs: ActionRuns,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionInput {
    description: String,
    required: bool,
    default: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionRuns {
    using: String,
    steps: Vec<ActionStep>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionStep {
    name: String,
    id: Option<String>,
    uses: Option<String>,
    run: Option<String>,
    shell: Option<String>,
    #[serde(rename = "if")]
    condition: Option<String>,
    env: Option<BTreeMap<String, String>>,
    with: Option<BTreeMap<String, String>>,
}

fn action() -> Action {
    serde_saphyr::from_str(&read("action.yml")).unwrap()
}

impl Action {
    fn step(&self, name_starts: &str) -> &ActionStep {
        self.runs
            .steps
            .iter()
            .find(|s| s.name.starts_with(name_starts))
            .unwrap_or_else(|| panic!("no step {name_starts}"))
    }

    /// Runs the action's lint step as the runner would: `bash -e` in the
    /// workspace, `${{ inputs.X }}` replaced by `with` or the default, the
    /// binary under test first on PATH.
    fn run_lint(&self, with: &BTreeMap<String, String>, workspace: &Path) -> std::process::Output {
        for key in with.keys() {
            assert!(
                self.inputs.contains_key(key),
                "`with: {key}` is not an input of action.yml"
            );
        }
        let step = self.step("Lint");
        assert_eq!(step.shell.as_deref(), Some("bash"));
        let script = step.run.as_deref().unwrap();
        assert!(!script.contains("${{"), "inputs reach the script through env only");
        let path = format!(
            "{}:{}",
            bin().parent().unwrap().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-e", "-o", "pipefail", "-c", script])
            .current_dir(workspace)
            .env("PATH", path)
            .env_remove("MAPPING_LINT_PROFILE");
        for (var, value) in step.env.as_ref().unwrap() {
            let input = value
                .strip_prefix("${{ inputs.")
                .and_then(|v| v.strip_suffix(" }}"))
                .unwrap_or_else(|| panic!("{var}: {value}"));
            let value = with.get(input).unwrap_or(&self.inputs[input].default);
            cmd.env(var, value);
        }
        cmd.output().unwrap()
    }
}

fn inputs(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn action_yml_is_a_composite_action() {
    let action = action();
    assert_eq!(action.runs.using, "composite");
    assert_eq!(action.name, env!("CARGO_PKG_NAME"));
    assert!(!action.description.is_empty() && action.author.is_some());
    assert!(action.branding.contains_key("icon") && action.branding.contains_key("color"));
    for (name, input) in &action.inputs {
        assert!(!input.description.is_empty() && !input.required, "{name}");
    }
    for step in &action.runs.steps {
        assert!(
            step.uses.is_some() != step.run.is_some(),
            "{}: a step either uses an action or runs a script",
            step.name
        );
        if step.run.is_some() {
            // Composite actions have no default shell.
            assert_eq!(step.shell.as_deref(), Some("bash"), "{}", step.name);
        }
    }

    // Every `${{ inputs.X }}` names an input, and every input is used.
    let text = read("action.yml");
    let reference = regex::Regex::new(r"inputs\.([a-z][a-z-]*)").unwrap();
    let used: BTreeSet<&str> = reference
        .captures_iter(&text)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    let declared: BTreeSet<&str> = action.inputs.keys().map(String::as_str).collect();
    assert_eq!(used, declared);
    let defaults: BTreeMap<&str, &str> = action
        .inputs
        .iter()
        .map(|(k, v)| (k.as_str(), v.default.as_str()))
        .collect();
    assert_eq!(defaults["format"], "github");
    assert_eq!(defaults["fail-on"], "error");
    assert_eq!(defaults["sarif"], "false");

    // Every mapping-lint flag the lint step uses is in `check --help`.
    let flags = documented_flags();
    let script = action.step("Lint").run.as_deref().unwrap();
    let flag = regex::Regex::new(r"(?:^|[\s(])(--?[a-z][a-z-]*)").unwrap();
    let mut checked = 0;
    for line in script.lines().filter(|l| l.contains("args")) {
        for caps in flag.captures_iter(line) {
            let name = caps.get(1).unwrap().as_str();
            if ["-n"].contains(&name) {
                continue; // bash's `[ -n … ]`
            }
            assert!(
                flags.contains(name),
                "`{name}` in action.yml is not in `mapping-lint check --help`"
            );
            checked += 1;
        }
    }
    assert!(checked >= 5, "{checked}");
    // The value of each `--fail-on`/`--format` default is one clap accepts.
    let help = Command::new(bin()).args(["check", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(help.contains("- github:") && help.contains("possible values: info, warning, error"));
}

#[test]
fn action_installs_from_its_own_checkout_with_a_cache() {
    let action = action();
    let install = action.step("Install");
    assert_eq!(
        install.run.as_deref(),
        Some(r#"cargo install --locked --force --path "${{ github.action_path }}""#)
    );
    assert!(read("Cargo.toml").contains("[[bin]]\nname = \"mapping-lint\""));

    let cache = action.step("Cache mapping-lint");
    assert!(cache.uses.as_deref().unwrap().starts_with("actions/cache@"));
    let id = cache.id.as_deref().unwrap();
    assert_eq!(
        install.condition.as_deref(),
        Some(format!("steps.{id}.outputs.cache-hit != 'true'").as_str()),
        "an exact hit has the binary already"
    );
    let with = cache.with.as_ref().unwrap();
    let paths: Vec<&str> = with["path"].lines().collect();
    for expected in [
        "~/.cargo/bin/mapping-lint*",
        "~/.cargo/registry/index/",
        "~/.cargo/registry/cache/",
        "${{ github.action_path }}/target/",
    ] {
        assert!(paths.contains(&expected), "{expected} not cached: {paths:?}");
    }
    // Keyed on Cargo.lock (and the sources); a lock-only match restores the
    // compiled dependencies.
    let key_step = action.step("Cache key");
    let key_id = key_step.id.as_deref().unwrap();
    let lock = format!("${{{{ steps.{key_id}.outputs.lock }}}}");
    let sources = format!("${{{{ steps.{key_id}.outputs.sources }}}}");
    let key = &with["key"];
    assert!(key.contains(&lock) && key.ends_with(&sources), "{key}");
    assert_eq!(with["restore-keys"].trim(), key.strip_suffix(&sources).unwrap());

    // The key step's script runs and writes both outputs.
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("output");
    let path = dir.path().join("path");
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-e", "-o", "pipefail", "-c"])
        .arg(key_step.run.as_deref().unwrap())
        .env("GITHUB_ACTION_PATH", root())
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_PATH", &path)
        .env("HOME", dir.path())
        .env_remove("CARGO_HOME")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let output = std::fs::read_to_string(output).unwrap();
    let hex16 = regex::Regex::new(r"^lock=[0-9a-f]{16}\nsources=[0-9a-f]{16}\n$").unwrap();
    assert!(hex16.is_match(&output), "{output}");
    assert_eq!(
        std::fs::read_to_string(path).unwrap(),
        format!("{}/.cargo/bin\n", dir.path().display()),
        "puts cargo's bin directory on PATH"
    );
}

#[test]
fn action_lint_step_runs_check() {
    let action = action();
    let dir = workspace();

    // Defaults plus two paths on separate lines, SARIF on.
    let with = inputs(&[
        ("paths", "exports/broken.json\nexports/astrato.json"),
        ("sarif", "true"),
    ]);
    let out = action.run_lint(&with, dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("::error file=exports/broken.json"));
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("mapping-lint.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let uris: BTreeSet<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(uris.contains("exports/broken.json"), "{uris:?}");

    // A config that cannot be used fails the step (exit 2), and the
    // annotation and the SARIF result that the upload step sends point at
    // its line.
    let dir = workspace();
    std::fs::write(dir.path().join(".mapping-lint.yaml"), "rules:\n  anchor-maped: off\n").unwrap();
    let out = action.run_lint(&inputs(&[("paths", "exports"), ("sarif", "true")]), dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("::error file=.mapping-lint.yaml,line=2,col=3"),
        "{stdout}"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("mapping-lint.sarif")).unwrap()).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "invalid-config");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        ".mapping-lint.yaml"
    );

    // A clean export passes; without `sarif` no report is written.
    let dir = workspace();
    let out = action.run_lint(&inputs(&[("paths", "exports/astrato.json")]), dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!dir.path().join("mapping-lint.sarif").exists());

    // profile, format and fail-on reach the command line.
    let with = inputs(&[
        ("paths", "exports"),
        ("profile", "none"),
        ("format", "json"),
        ("fail-on", "info"),
    ]);
    let out = action.run_lint(&with, dir.path());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["profile"], serde_json::Value::Null, "{report}");
    assert_eq!(out.status.code(), Some(1));
    let out = action.run_lint(&inputs(&[("paths", "exports"), ("fail-on", "bogus")]), dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--fail-on"));

    // A baseline suppresses the recorded findings; paths are not globbed.
    let status = Command::new(bin())
        .args(["check", "exports/broken.json", "--write-baseline", "base.json"])
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    let with = inputs(&[("paths", "exports/broken.json"), ("baseline", "base.json")]);
    assert_eq!(action.run_lint(&with, dir.path()).status.code(), Some(0));
    let out = action.run_lint(&inputs(&[("paths", "exports/*.json")]), dir.path());
    assert_eq!(out.status.code(), Some(2));

    // The upload step sends the file the lint step wrote, also when it failed.
    let upload = action.step("Upload");
    assert!(
        upload
            .uses
            .as_deref()
            .unwrap()
            .starts_with("github/codeql-action/upload-sarif@")
    );
    let with = upload.with.as_ref().unwrap();
    assert_eq!(with["sarif_file"], "${{ inputs.sarif-file }}");
    assert_eq!(with["category"], "${{ inputs.sarif-category }}");
    let condition = upload.condition.as_deref().unwrap();
    assert!(condition.contains("always()") && condition.contains("inputs.sarif == 'true'"));
    assert!(condition.contains("hashFiles(inputs.sarif-file)"));
}

#[test]
fn github_actions_recipe() {
    let workflow: GithubWorkflow = serde_saphyr::from_str(&recipes()[".github/workflows/mapping-lint.yml"]).unwrap();
    assert_eq!(
        workflow.permissions["security-events"], "write",
        "upload-sarif needs it"
    );
    let job = &workflow.jobs["lint"];
    assert!(job.runs_on.starts_with("ubuntu"));
    assert!(job.steps[0].uses.as_deref().unwrap().starts_with("actions/checkout@"));
    let step = job
        .steps
        .iter()
        .find(|s| s.uses.as_deref() == Some("OWNER/mapping-lint@main"))
        .expect("a step that uses the action");
    assert!(
        job.steps
            .iter()
            .all(|s| s.run.is_none() && s.condition.is_none() && s.name.as_deref() != Some("")),
        "the action does the work"
    );
    let with = step.with.as_ref().unwrap();
    assert_eq!(with["sarif"], "true");
    // What the action does with these inputs, run here.
    let dir = workspace();
    let out = action().run_lint(with, dir.path());
    assert_eq!(out.status.code(), Some(1), "broken.json has errors");
    assert!(String::from_utf8_lossy(&out.stdout).contains("::error file=exports/broken.json"));
    assert!(dir.path().join("mapping-lint.sarif").exists());
}

/// Every `cargo install` in the docs installs this package from a Git URL or
/// a clone.
#[test]
fn install_commands() {
    let install = regex::Regex::new(r"cargo install --[^`\n]*").unwrap();
    let mut seen = 0;
    for file in ["README.md", "docs/ci.md", "docs/live.md"] {
        let text = read(file);
        for found in install.find_iter(&text) {
            let line = found.as_str().trim_end_matches(|c: char| c == ')' || c.is_whitespace());
            assert_installs_this_package(line);
            seen += 1;
        }
    }
    assert!(seen >= 8, "{seen}");
}

#[test]
fn azure_pipelines_recipe() {
    let pipeline: AzurePipeline = serde_saphyr::from_str(&recipes()["azure-pipelines.yml"]).unwrap();
    assert!(pipeline.pool["vmImage"].starts_with("ubuntu"));
    let flags = documented_flags();
    let dir = workspace();
    let mut reports = BTreeMap::new();
    for step in &pipeline.steps {
        let Some(script) = &step.script else { continue };
        assert!(step.display_name.is_some());
        if script.starts_with("cargo ") {
            assert_installs_this_package(script);
        } else {
            let (code, written) = run_recipe_command(script, dir.path(), &flags);
            assert_eq!(code, 1);
            assert!(script.contains("--format azure"));
            reports = written;
        }
    }
    let task = |name: &str| {
        pipeline
            .steps
            .iter()
            .find(|s| s.task.as_deref() == Some(name))
            .unwrap_or_else(|| panic!("no {name} step"))
    };
    let staging = |value: &str| value.replace("$(Build.ArtifactStagingDirectory)", "staging");
    let tests = task("PublishTestResults@2");
    let inputs = tests.inputs.as_ref().unwrap();
    assert_eq!(inputs["testResultsFormat"], "JUnit");
    assert_eq!(staging(&inputs["testResultsFiles"]), rel(dir.path(), &reports["junit"]));
    let artifacts = task("PublishBuildArtifacts@1");
    let inputs = artifacts.inputs.as_ref().unwrap();
    assert_eq!(
        inputs["ArtifactName"], "CodeAnalysisLogs",
        "the name the SARIF tab looks for"
    );
    assert!(rel(dir.path(), &reports["sarif"]).starts_with(&staging(&inputs["PathtoPublish"])));
    for step in [tests, artifacts] {
        assert_eq!(step.condition.as_deref(), Some("succeededOrFailed()"));
    }
    assert_eq!(pipeline.steps[0].checkout.as_deref(), Some("self"));
}

#[test]
fn gitlab_recipe() {
    let jobs: BTreeMap<String, GitlabJob> = serde_saphyr::from_str(&recipes()[".gitlab-ci.yml"]).unwrap();
    let job = &jobs["mapping-lint"];
    assert_eq!(job.stage, "test");
    assert!(job.image.starts_with("rust:"));
    let flags = documented_flags();
    let dir = workspace();
    assert_installs_this_package(&job.script[0]);
    let (code, reports) = run_recipe_command(&job.script[1], dir.path(), &flags);
    assert_eq!(code, 1);
    assert_eq!(job.artifacts.when, "always");
    assert_eq!(job.artifacts.reports["junit"], rel(dir.path(), &reports["junit"]));
}

/// The shell examples use real flags too, and the baseline example works.
#[test]
fn shell_examples() {
    let flags = documented_flags();
    let dir = workspace();
    let mut commands = 0;
    for block in blocks(&read("docs/ci.md"), "sh") {
        for line in block.lines().filter(|l| l.starts_with("mapping-lint ")) {
            let (code, _) = run_recipe_command(line, dir.path(), &flags);
            let expected = if line.contains("--write-baseline") || line.contains("--baseline") {
                0
            } else {
                1
            };
            assert_eq!(code, expected, "{line}");
            commands += 1;
        }
    }
    assert_eq!(commands, 3);
    assert!(dir.path().join("mapping-lint-baseline.json").exists());
}

/// Every YAML block is one of the tested recipes.
#[test]
fn every_yaml_block_is_tested() {
    assert_eq!(
        recipes().keys().map(String::as_str).collect::<Vec<_>>(),
        [
            ".github/workflows/mapping-lint.yml",
            ".gitlab-ci.yml",
            ".pre-commit-config.yaml",
            "azure-pipelines.yml"
        ]
    );
}
