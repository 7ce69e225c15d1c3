//! Found while the run's settings are loaded, before anything is linted: it
//! is registered as a run-level check. The finding is built from the
//! loader's error ([`crate::yaml::YamlError::to_report`]).

use super::{Described, RuleMeta};

declare_rule! {
    /// A reference profile file cannot be used; nothing was linted.
    ///
    /// ## What it does
    /// Reports a profile file (named with `--profile PATH`, by the config's
    /// `profile:`, or through another profile's `extends:`) that cannot be
    /// used: YAML that does not parse, a key a profile does not have, an
    /// expression in a row that does not parse, an `extends:` that cannot be
    /// resolved, a value constraint of the wrong shape.
    ///
    /// The run stops before linting anything and exits with 2, whatever
    /// `--select`, `--ignore` and `--fail-on` say. The finding points at the
    /// line of the profile file that is wrong, in every format. A file that
    /// is not a profile at all (a `.env`, a key file) is named but never
    /// shown: its finding is at its first line, with no snippet.
    ///
    /// ## Why it matters
    /// The profile is the mapping table the exports are checked against. A
    /// profile read in part would report missing mappings that are not
    /// missing, or pass exports that lack a required one.
    ///
    /// ## Example
    /// ```yaml
    /// name: contoso-scim
    /// objects:
    ///   - source: User
    ///     target: urn:ietf:params:scim:schemas:core:2.0:User
    ///     required:
    ///       - target: userName
    ///         source: Join("@", [mailNickname]     # the ) is missing
    /// ```
    ///
    /// ## Fix
    /// Correct the line the finding points at. `docs/profiles.md` describes
    /// the format; `mapping-lint profile show NAME` prints a built-in profile
    /// to start from.
    pub struct InvalidProfile {
        name: "invalid-profile",
        category: Config,
        severity: Error,
        fix: None,
    }
}

/// The rule's metadata.
pub const META: &RuleMeta = &InvalidProfile::META;
