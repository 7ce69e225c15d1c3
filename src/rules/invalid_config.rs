//! Found while the run's settings are loaded, before anything is linted: it
//! is registered as a run-level check. The finding is built from the
//! loader's error ([`crate::yaml::YamlError::to_report`]).

use super::{Described, RuleMeta};

declare_rule! {
    /// The config file cannot be used; nothing was linted.
    ///
    /// ## What it does
    /// Reports a `.mapping-lint.yaml` (or the file given with `--config`)
    /// that cannot be used: YAML that does not parse, a key the config does
    /// not have, a value of the wrong type, a rule name that does not exist,
    /// an `ignore:` entry without a reason, a glob or JSON Pointer that is not
    /// one.
    ///
    /// The run stops before linting anything and exits with 2, whatever
    /// `--select`, `--ignore` and `--fail-on` say. The finding points at the
    /// line of the config file in every format: a snippet on the terminal, a
    /// location in the JSON, SARIF, JUnit, GitHub and Azure Pipelines reports,
    /// so a pull request that breaks the config gets an annotation on the
    /// line that broke it.
    ///
    /// ## Why it matters
    /// A config read in part would lint with other settings than the ones
    /// written down: an ignore entry that silently does not apply, a rule
    /// left at the wrong severity. A green run has to mean that the settings
    /// in the repository were the settings used.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   anchor-maped: off      # no rule has this name
    /// ignore:
    ///   - rule: add-only-flow
    ///     reason: ""           # an ignore entry needs a reason
    /// ```
    ///
    /// ## Fix
    /// Correct the line the finding points at; the help says what is
    /// expected there (the nearest rule name, the keys an entry has).
    /// `docs/configuration.md` describes every key.
    pub struct InvalidConfig {
        name: "invalid-config",
        category: Config,
        severity: Error,
        fix: None,
    }
}

/// The rule's metadata.
pub const META: &RuleMeta = &InvalidConfig::META;
