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

/// `cargo install` lines install this package, which provides the binary.
fn assert_installs_this_package(line: &str) {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(&tokens[..3], ["cargo", "install", "--locked"], "{line}");
    assert_eq!(tokens[3], env!("CARGO_PKG_NAME"));
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

#[test]
fn github_actions_recipe() {
    let workflow: GithubWorkflow = serde_saphyr::from_str(&recipes()[".github/workflows/mapping-lint.yml"]).unwrap();
    assert_eq!(
        workflow.permissions["security-events"], "write",
        "upload-sarif needs it"
    );
    let job = &workflow.jobs["lint"];
    assert!(job.runs_on.starts_with("ubuntu"));
    let flags = documented_flags();
    let dir = workspace();
    let mut sarif = None;
    for step in &job.steps {
        let Some(run) = &step.run else { continue };
        if run.starts_with("cargo ") {
            assert_installs_this_package(run);
        } else {
            let (code, reports) = run_recipe_command(run, dir.path(), &flags);
            assert_eq!(code, 1, "broken.json has errors");
            assert!(run.contains("--format github"));
            sarif = reports.get("sarif").map(|p| rel(dir.path(), p));
        }
    }
    let upload = job
        .steps
        .iter()
        .find(|s| {
            s.uses
                .as_deref()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("an upload-sarif step");
    let with = upload.with.as_ref().unwrap();
    assert_eq!(
        Some(&with["sarif_file"]),
        sarif.as_ref(),
        "uploads the file the lint step writes"
    );
    let condition = upload.condition.as_deref().unwrap();
    assert!(condition.contains("always()"), "uploads when the lint step fails");
    assert!(condition.contains(&format!("hashFiles('{}')", with["sarif_file"])));
    assert!(job.steps[0].uses.as_deref().unwrap().starts_with("actions/checkout@"));
    assert!(job.steps.iter().all(|s| s.name.is_some() || s.uses.is_some()));
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
