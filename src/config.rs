//! `.mapping-lint.yaml`: project settings kept next to the exports.
//!
//! The file is found from the current directory upwards (like `.editorconfig`
//! or `ruff.toml`) or given with `--config`. It sets the profile, `fail-on`,
//! a severity per rule, and `ignore` entries that suppress individual
//! findings with a required `reason`. Command-line flags override it.
//!
//! The `ignore:` entries are one source of the suppression model in
//! [`crate::suppress`], which a baseline shares.

use crate::diagnostic::Severity;
use crate::lint::FileRole;
use crate::lint::LintSettings;
use crate::rules;
use crate::span::FileSpan;
use crate::suppress::{Matcher, Suppression, SuppressionFile};
use crate::yaml::{self, YamlError};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The config file name looked for.
pub const FILE_NAME: &str = ".mapping-lint.yaml";

/// What a config file looks like (its top-level keys), to tell a config
/// with a mistake from a file that is none.
pub const KIND: yaml::DocKind = yaml::DocKind {
    noun: "config",
    what: "a mapping-lint config",
    keys: &["profile", "fail-on", "rules", "ignore", "exclude", "extend-exclude"],
    needs_exact_key: false,
};

/// A rule's configured level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    Off,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Off => None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    profile: Option<Spanned<String>>,
    #[serde(default)]
    fail_on: Option<Severity>,
    #[serde(default)]
    rules: RuleLevels,
    #[serde(default)]
    ignore: Vec<Spanned<RawIgnore>>,
    #[serde(default)]
    exclude: Option<Vec<String>>,
    #[serde(default)]
    extend_exclude: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawIgnore {
    rule: Spanned<String>,
    #[serde(default)]
    files: Option<Spanned<String>>,
    #[serde(default)]
    pointer: Option<Spanned<String>>,
    reason: Spanned<String>,
}

/// A loaded, validated config file.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file's path as found or given.
    pub path: PathBuf,
    pub text: Arc<str>,
    /// `profile:`: a built-in name, `none`, or a path (already resolved
    /// against the config file's directory; [`Config::profile_is_path`]).
    pub profile: Option<String>,
    /// Whether `profile` is a path named in this file (so it must stay
    /// inside the repository, [`crate::paths`]).
    pub profile_is_path: bool,
    /// `profile:` as written, for messages.
    pub profile_as_written: Option<String>,
    pub fail_on: Option<Severity>,
    /// `rules:`: severity per rule; `None` turns a rule off.
    pub severities: HashMap<String, Option<Severity>>,
    /// `ignore:` entries, in order.
    pub ignores: Vec<Suppression>,
    /// `exclude:` patterns for directory walks, replacing the defaults
    /// (relative to the config file's directory when they hold a `/`).
    pub exclude: Option<Vec<String>>,
    /// `extend-exclude:` patterns, added to the defaults or to `exclude:`.
    pub extend_exclude: Vec<String>,
}

/// Why the config could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("invalid config {0}")]
    Invalid(#[from] YamlError),
}

impl Config {
    /// The nearest `.mapping-lint.yaml` in `start` or a parent directory.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        start.ancestors().map(|dir| dir.join(FILE_NAME)).find(|p| p.is_file())
    }

    /// Reads and validates a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = crate::source::read_side_text(path).map_err(|source| ConfigError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Ok(Config::parse(path, &text)?)
    }

    /// Parses config text; `path` locates relative profile paths and names
    /// the file in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Config, YamlError> {
        let file = path.display().to_string();
        let text: Arc<str> = Arc::from(text);
        // An empty file (or only comments) is a valid, empty config.
        let raw: RawConfig = if text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        {
            RawConfig {
                profile: None,
                fail_on: None,
                rules: RuleLevels::default(),
                ignore: Vec::new(),
                exclude: None,
                extend_exclude: Vec::new(),
            }
        } else {
            yaml::parse(&KIND, &file, &text)?
        };
        let err = |span: FileSpan, message: String| YamlError::at(&file, &text, span, message);
        let mut severities = HashMap::new();
        for (name, level) in raw.rules.0 {
            check_rule_name(&name.value)
                .map_err(|help| err(yaml::span_of(&name), format!("unknown rule `{}`", name.value)).with_help(help))?;
            refuse_settings_rule(&name.value)
                .map_err(|(message, help)| err(yaml::span_of(&name), message).with_help(help))?;
            severities.insert(name.value, level.value.severity());
        }
        let mut ignores = Vec::new();
        for (index, entry) in raw.ignore.into_iter().enumerate() {
            let span = yaml::span_of(&entry);
            let entry = entry.value;
            let rule_span = yaml::span_of(&entry.rule);
            check_rule_name(&entry.rule.value)
                .map_err(|help| err(rule_span, format!("unknown rule `{}`", entry.rule.value)).with_help(help))?;
            refuse_settings_rule(&entry.rule.value)
                .map_err(|(message, help)| err(rule_span, message).with_help(help))?;
            if entry.reason.value.trim().is_empty() {
                return Err(err(yaml::span_of(&entry.reason), "the reason is empty".into())
                    .with_help("say why this finding is acceptable; the reason is the point of the entry"));
            }
            let files = match entry.files {
                None => None,
                Some(glob) => {
                    let matcher = globset::GlobBuilder::new(&glob.value)
                        .literal_separator(true)
                        .build()
                        .map_err(|e| err(yaml::span_of(&glob), format!("invalid glob: {}", e.kind())))?
                        .compile_matcher();
                    Some((glob.value, matcher))
                }
            };
            let pointer = match entry.pointer {
                Some(p) if !p.value.is_empty() && !p.value.starts_with('/') => {
                    return Err(err(yaml::span_of(&p), format!("`{}` is not a JSON Pointer", p.value))
                        .with_help("a JSON Pointer starts with `/`, e.g. /synchronizationRules/0/objectMappings/1"));
                }
                Some(p) => Some(p.value),
                None => None,
            };
            ignores.push(Suppression {
                rule: entry.rule.value,
                matcher: Matcher::Ignore { files, pointer },
                reason: Some(entry.reason.value),
                // The entry's span starts at its first key; mark that line.
                span: FileSpan::new(span.start, span.start.max(rule_span.end)),
                pointer: format!("/ignore/{index}"),
            });
        }
        // A built-in name or `none` is a name; anything else a path
        // relative to this file (`profile: .env` too, so that it is checked
        // like every path a file names), unless it looks like a misspelt
        // name and no such file exists.
        let base = path.parent().unwrap_or(Path::new(""));
        let (profile, profile_is_path) = match raw.profile.as_ref().map(|p| p.value.trim()) {
            None => (None, false),
            Some(value) if value == crate::profile::NONE || crate::profile::Profile::is_builtin(value) => {
                (Some(value.to_string()), false)
            }
            Some(value) => {
                let joined = base.join(value);
                if crate::profile::looks_like_path(value)
                    || joined.exists()
                    || std::fs::symlink_metadata(&joined).is_ok()
                {
                    (Some(joined.display().to_string()), true)
                } else {
                    (Some(value.to_string()), false)
                }
            }
        };
        Ok(Config {
            path: path.to_path_buf(),
            text,
            profile_as_written: raw.profile.map(|p| p.value),
            profile,
            profile_is_path,
            fail_on: raw.fail_on,
            severities,
            ignores,
            exclude: raw.exclude,
            extend_exclude: raw.extend_exclude,
        })
    }

    /// Applies the per-rule severities to `settings` (flags win: a rule
    /// named in `--select`/`--ignore` keeps that meaning).
    pub fn apply(&self, settings: &mut LintSettings) {
        for (rule, severity) in &self.severities {
            settings.severities.entry(rule.clone()).or_insert(*severity);
        }
    }

    /// The `ignore:` entries as a suppression file (see [`crate::suppress`]).
    pub fn suppressions(&self) -> SuppressionFile {
        SuppressionFile {
            kind: FileRole::Config,
            name: self.path.display().to_string(),
            text: self.text.clone(),
            dir: match self.path.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
                _ => PathBuf::from("."),
            },
            entries: self.ignores.clone(),
        }
    }
}

/// The rules that report a settings file that cannot be used stop the run
/// before anything is linted: a config can neither change their severity
/// nor accept their findings, and saying so beats an entry that silently
/// does nothing. Returns the message and help for such a name.
fn refuse_settings_rule(name: &str) -> Result<(), (String, String)> {
    let settings_rule = [FileRole::Config, FileRole::Profile, FileRole::Baseline]
        .into_iter()
        .any(|role| role.invalid_rule().name == name);
    if !settings_rule {
        return Ok(());
    }
    Err((
        format!("`{name}` cannot be configured"),
        "a settings file that cannot be used always stops the run (exit 2); fix the file it points at instead"
            .to_string(),
    ))
}

fn check_rule_name(name: &str) -> Result<(), String> {
    if rules::find(name).is_some() {
        return Ok(());
    }
    Err(match rules::suggest(name) {
        Some(s) => format!("did you mean `{s}`? `mapping-lint rule` lists every rule"),
        None => "`mapping-lint rule` lists every rule".to_string(),
    })
}

/// `rules:` as written: rule name → level, each with its position (a map
/// type would lose the key's position).
#[derive(Debug, Default)]
struct RuleLevels(Vec<(Spanned<String>, Spanned<Level>)>);

impl<'de> Deserialize<'de> for RuleLevels {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RuleLevels;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of rule name to error, warning, info or off")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RuleLevels, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(RuleLevels(out))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, YamlError> {
        Config::parse(Path::new("dir/.mapping-lint.yaml"), text)
    }

    #[test]
    fn reads_every_setting() {
        let c = parse(
            "profile: profiles/app.yaml\nfail-on: warning\nrules:\n  anchor-mapped: off\n  object-actions: error\nignore:\n  - rule: anchor-mapped\n    files: \"exports/*.json\"\n    pointer: /synchronizationRules/0\n    reason: legacy\n",
        )
        .unwrap();
        assert_eq!(c.profile.as_deref(), Some("dir/profiles/app.yaml"));
        assert_eq!(c.fail_on, Some(Severity::Warning));
        assert_eq!(c.severities["anchor-mapped"], None);
        assert_eq!(c.severities["object-actions"], Some(Severity::Error));
        assert_eq!(c.ignores.len(), 1);
        assert!(matches!(
            &c.ignores[0].matcher,
            Matcher::Ignore { pointer: Some(p), files: Some((glob, _)) } if p == "/synchronizationRules/0" && glob == "exports/*.json"
        ));
        assert_eq!(c.ignores[0].reason.as_deref(), Some("legacy"));
        assert_eq!(c.ignores[0].pointer, "/ignore/0");
    }

    #[test]
    fn errors_have_positions() {
        let cases = [
            ("rules:\n  anchor-maped: off\n", "unknown rule `anchor-maped`", (2, 3)),
            (
                "rules:\n  invalid-baseline: off\n",
                "`invalid-baseline` cannot be configured",
                (2, 3),
            ),
            (
                "ignore:\n  - rule: invalid-profile\n    reason: our profile is wip\n",
                "`invalid-profile` cannot be configured",
                (2, 11),
            ),
            (
                "rules:\n  anchor-mapped: sometimes\n",
                "unknown variant `sometimes`",
                (2, 18),
            ),
            ("fail-on: never\n", "unknown variant `never`", (1, 10)),
            ("ignores: []\n", "unknown field `ignores`", (1, 1)),
            ("ignore:\n  - rule: anchor-mapped\n", "missing field `reason`", (2, 5)),
            (
                "ignore:\n  - rule: anchor-mapped\n    reason: \" \"\n",
                "the reason is empty",
                (3, 13),
            ),
            (
                "ignore:\n  - rule: anchor-mapped\n    pointer: synchronizationRules\n    reason: x\n",
                "not a JSON Pointer",
                (3, 14),
            ),
            (
                "ignore:\n  - rule: anchor-mapped\n    files: \"a/[\"\n    reason: x\n",
                "invalid glob",
                (3, 12),
            ),
        ];
        for (text, message, (line, column)) in cases {
            let e = parse(text).unwrap_err();
            assert!(e.message.contains(message), "{text}: {}", e.message);
            assert_eq!((e.line, e.column), (line, column), "{text}: {}", e.message);
        }
    }

    #[test]
    fn a_profile_value_is_a_name_or_a_path_relative_to_the_config() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".env"), "X=1").unwrap();
        let config = dir.path().join(FILE_NAME);
        for (value, expected, is_path) in [
            ("astrato", "astrato".to_string(), false),
            ("none", "none".to_string(), false),
            ("astrto", "astrto".to_string(), false),
            (".env", dir.path().join(".env").display().to_string(), true),
            ("p/app.yaml", dir.path().join("p/app.yaml").display().to_string(), true),
            ("/etc/passwd", "/etc/passwd".to_string(), true),
        ] {
            let c = Config::parse(&config, &format!("profile: {value}\n")).unwrap();
            assert_eq!((c.profile.unwrap(), c.profile_is_path), (expected, is_path), "{value}");
            assert_eq!(c.profile_as_written.as_deref(), Some(value));
        }
    }

    #[test]
    fn a_file_that_is_not_a_config_is_not_shown() {
        let e = parse("TOKEN=abc123\n").unwrap_err();
        assert!(!e.recognised);
        assert_eq!(
            e.message,
            "config `dir/.mapping-lint.yaml` is not a mapping-lint config: line 1 is not a `key: value` line"
        );
    }

    #[test]
    fn empty_file_is_an_empty_config() {
        let c = parse("# nothing yet\n").unwrap();
        assert!(c.ignores.is_empty() && c.severities.is_empty() && c.profile.is_none());
    }
}
