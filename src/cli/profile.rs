//! `mapping-lint profile list | show NAME | from-export EXPORT`, and turning
//! `--profile` into a loaded profile for `check` and `diff`.

use super::UsageError;
use super::args::ProfileCommand;
use mapping_lint::lint::FileRole;
use mapping_lint::paths::PathPolicy;
use mapping_lint::profile::{self, LoadError, Profile};
use std::path::Path;
use std::process::ExitCode;

pub fn run(command: ProfileCommand) -> Result<ExitCode, UsageError> {
    match command {
        ProfileCommand::List => print!("{}", list()),
        ProfileCommand::Show { name } => match profile::BUILTINS.iter().find(|b| b.name == name) {
            Some(builtin) => print!("{}", shown(builtin.yaml)),
            None => {
                // A file: validate it, then print it as written.
                let loaded = load(&name)?.ok_or_else(|| {
                    UsageError::new(format!(
                        "`none` is not a profile: it means {}",
                        profile::NONE_DESCRIPTION
                    ))
                    .with_help("`mapping-lint profile list` lists the profiles")
                })?;
                print!("{}", loaded.text);
            }
        },
        ProfileCommand::FromExport { export, name } => {
            let display = export.display().to_string();
            let source = mapping_lint::source::SourceFile::read(&export, display.clone(), 256 * 1024 * 1024)
                .map_err(|e| UsageError::new(format!("cannot read {display}: {e}")))?;
            let name = name.unwrap_or_else(|| {
                export.file_stem().map_or_else(
                    || "approved".to_string(),
                    |s| format!("{}-approved", s.to_string_lossy()),
                )
            });
            let yaml = profile::from_export::from_export(&display, &source.text, &name).map_err(|e| {
                UsageError::new(e.to_string()).with_help(format!(
                    "`mapping-lint check {display}` shows what is wrong with the file"
                ))
            })?;
            print!("{yaml}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A built-in profile's YAML as `show` prints it: the repository's
/// `$schema` comment points at a relative path that means nothing where the
/// output is saved, so it is left out.
fn shown(yaml: &str) -> String {
    yaml.lines()
        .filter(|line| !line.starts_with("# yaml-language-server: $schema="))
        .map(|line| format!("{line}\n"))
        .collect::<String>()
        .trim_start_matches("#\n")
        .to_string()
}

fn list() -> String {
    let rows: Vec<[String; 4]> = profile::BUILTINS
        .iter()
        .map(|b| {
            let p = Profile::builtin(b.name).expect("built-in profiles are valid");
            let default = if b.name == profile::DEFAULT { " (default)" } else { "" };
            [
                format!("{}{default}", b.name),
                p.summary(),
                p.kind_label(),
                p.documentation.clone().unwrap_or_else(|| "–".to_string()),
            ]
        })
        .collect();
    let header = ["NAME", "APPLICATION", "KIND", "SOURCE"].map(String::from);
    let mut widths = [0usize; 3];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row.iter()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let line = format!(
            "{:<w0$}  {:<w1$}  {:<w2$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str(&format!(
        "\n`none`: {}.\n`mapping-lint profile show NAME` prints a profile; `--profile PATH` uses your own YAML file;\n`mapping-lint profile from-export EXPORT` makes one from an approved export.\n",
        profile::NONE_DESCRIPTION
    ));
    out
}

/// Loads a `--profile` value; `none` gives `Ok(None)`.
pub fn load(arg: &str) -> Result<Option<Profile>, UsageError> {
    load_in(arg, None, PathPolicy::Repository)
}

/// Loads a profile named by the user or, with `named_in`, in a file (a
/// config's `profile:`: its path and the value as written).
pub fn load_in(arg: &str, named_in: Option<(&Path, &str)>, policy: PathPolicy) -> Result<Option<Profile>, UsageError> {
    Profile::resolve_in(arg, named_in, policy).map_err(|e| match e {
        LoadError::Unknown(name) => {
            let names = format!(
                "built-in profiles: {}; `none` for {}; or the path of a profile YAML file",
                profile::builtin_names().join(", "),
                profile::NONE_DESCRIPTION
            );
            UsageError::new(format!("unknown profile `{name}`")).with_help(match profile::suggest(&name) {
                Some(s) => format!("did you mean `{s}`? {names}"),
                None => names,
            })
        }
        LoadError::Io { path, source } => UsageError::new(format!("cannot read profile {path}: {source}"))
            .with_help("check the path given with --profile (or `profile:` in the config file)"),
        LoadError::Outside { .. } => UsageError::new(e.to_string()).with_help(mapping_lint::paths::Outside::HELP),
        LoadError::Invalid(err) if !err.recognised => UsageError::new(err.to_string())
            .with_help(format!(
                "{}; --profile takes a built-in name (`mapping-lint profile list`) or the path of a profile file \
                 (docs/profiles.md)",
                err.help.as_deref().unwrap_or_default()
            ))
            .with_report(err.to_report(FileRole::Profile)),
        LoadError::Invalid(err) => UsageError::new(format!("invalid profile {err}"))
            .with_help(match &err.help {
                Some(help) => format!("{help} (fix the profile file; docs/profiles.md describes the format)"),
                None => "fix the profile file; docs/profiles.md describes the format".to_string(),
            })
            .with_report(err.to_report(FileRole::Profile)),
    })
}
