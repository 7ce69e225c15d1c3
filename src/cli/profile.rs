//! `mapping-lint profile list | show NAME`, and turning `--profile` into a
//! loaded profile for `check`.

use super::UsageError;
use super::args::ProfileCommand;
use mapping_lint::profile::{self, LoadError, Profile};
use std::process::ExitCode;

pub fn run(command: ProfileCommand) -> Result<ExitCode, UsageError> {
    match command {
        ProfileCommand::List => print!("{}", list()),
        ProfileCommand::Show { name } => match profile::BUILTINS.iter().find(|b| b.name == name) {
            Some(builtin) => print!("{}", builtin.yaml),
            None => {
                // A file: validate it, then print it as written.
                let loaded = load(&name)?.ok_or_else(|| {
                    UsageError::new("`none` is not a profile")
                        .with_help("`mapping-lint profile list` lists the profiles")
                })?;
                print!("{}", loaded.text);
            }
        },
    }
    Ok(ExitCode::SUCCESS)
}

fn list() -> String {
    let width = profile::BUILTINS.iter().map(|b| b.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for b in profile::BUILTINS {
        let default = if b.name == profile::DEFAULT { " (default)" } else { "" };
        out.push_str(&format!("{:<width$}  {}{default}\n", b.name, b.summary));
    }
    out.push_str("\n`mapping-lint profile show NAME` prints a profile; `--profile PATH` uses your own YAML file.\n");
    out
}

/// Loads a `--profile` value; `none` gives `Ok(None)`.
pub fn load(arg: &str) -> Result<Option<Profile>, UsageError> {
    Profile::resolve(arg).map_err(|e| match e {
        LoadError::Unknown(name) => UsageError::new(format!("unknown profile `{name}`")).with_help(format!(
            "built-in profiles: {}, none; or give the path of a profile YAML file",
            profile::builtin_names().join(", ")
        )),
        LoadError::Io { path, source } => UsageError::new(format!("cannot read profile {path}: {source}"))
            .with_help("check the path given with --profile (or `profile:` in the config file)"),
        LoadError::Invalid(err) => UsageError::new(format!("invalid profile {err}"))
            .with_help(match &err.help {
                Some(help) => format!("{help} (fix the profile file; docs/profiles.md describes the format)"),
                None => "fix the profile file; docs/profiles.md describes the format".to_string(),
            })
            .with_detail(err.without_help().render(false)),
    })
}
