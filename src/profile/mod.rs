//! Reference profiles: what an application requires of the mapping tables.
//!
//! A profile is a small YAML file (`schemas/profile.schema.json`,
//! `docs/profiles.md`) so that a team can describe any SCIM application in a
//! few minutes. It says, per object (users, groups): which Entra object is
//! the source, which target object names count as "the users" of the app,
//! whether the object mapping is required, the required mappings (target,
//! source in Entra expression syntax, flow, the attribute definition the
//! target needs), which of them identifies objects (the matching attribute),
//! and what to do with any other mapping.
//!
//! Profiles are loaded once, validated completely (every expression parsed)
//! and then shared read-only by every file being linted. Errors carry the
//! YAML position ([`YamlError`]), so a broken profile is reported like a
//! compiler error and stops the run with exit code 2.

mod raw;
pub mod source;

pub use raw::{AttributeType, FlowType, Policy};

use crate::model::{JobKind, ObjectMapping};
use crate::source::Span;
use crate::yaml::{self, YamlError};
use std::path::Path;
use std::sync::Arc;

/// A built-in profile: its name and YAML text.
pub struct Builtin {
    pub name: &'static str,
    pub summary: &'static str,
    pub yaml: &'static str,
}

/// Every profile embedded in the binary, default first.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "astrato",
        summary: "Astrato SCIM: the mapping tables of Astrato's Entra setup guide",
        yaml: include_str!("../../profiles/astrato.yaml"),
    },
    Builtin {
        name: "entra-default",
        summary: "the 22 user and 3 group mappings a new non-gallery Entra app starts with",
        yaml: include_str!("../../profiles/entra-default.yaml"),
    },
];

/// The profile used when none is given.
pub const DEFAULT: &str = "astrato";

/// The `--profile` value that runs only profile-independent rules.
pub const NONE: &str = "none";

/// A validated reference profile.
#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    pub description: String,
    /// Where it came from: `builtin:astrato` or the path as given.
    pub file: String,
    /// Whether it was read from a file (then findings point at its rows).
    pub from_file: bool,
    /// The YAML text, for labels that point into it.
    pub text: Arc<str>,
    pub objects: Vec<ObjectProfile>,
    /// The job kind the profile is written for; `None` applies it to any.
    pub kind: Option<JobKind>,
    /// Template ids or target directory names identifying the application
    /// (compared case-insensitively); empty accepts any target.
    pub targets: Vec<String>,
    /// Span of the `kind:` value, or of `targets:` when only that is given:
    /// what `profile-mismatch` points at in a profile file.
    pub applies_span: Option<Span>,
}

/// Which object of the application a part of a profile describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    Users,
    Groups,
}

impl ObjectKind {
    pub fn key(self) -> &'static str {
        match self {
            ObjectKind::Users => "users",
            ObjectKind::Groups => "groups",
        }
    }

    fn default_source(self) -> &'static str {
        match self {
            ObjectKind::Users => "User",
            ObjectKind::Groups => "Group",
        }
    }

    /// The target object names Entra uses: `User`/`Group` (Graph examples,
    /// legacy jobs) and the SCIM URNs of the non-gallery `scim` job
    /// (format.md §1.4, P29).
    fn default_targets(self) -> &'static [&'static str] {
        match self {
            ObjectKind::Users => &[
                "User",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                "urn:ietf:params:scim:schemas:core:2.0:User",
            ],
            ObjectKind::Groups => &["Group", "urn:ietf:params:scim:schemas:core:2.0:Group"],
        }
    }
}

/// What a profile requires of one object mapping.
#[derive(Debug, Clone)]
pub struct ObjectProfile {
    pub kind: ObjectKind,
    /// `sourceObjectName` of the object mapping (`User`, `Group`).
    pub source_object: String,
    /// Accepted `targetObjectName`s.
    pub target_objects: Vec<String>,
    /// Whether the export must have this object mapping, enabled.
    pub required: bool,
    /// What to do with mappings not listed in `mappings`.
    pub unexpected: Policy,
    pub mappings: Vec<RequiredMapping>,
    /// Span of the object's key in the YAML (`users`).
    pub span: Span,
    /// Span of the `unexpected:` value, when given.
    pub unexpected_span: Option<Span>,
}

/// One row of a reference table: `target ← source`.
#[derive(Debug, Clone)]
pub struct RequiredMapping {
    pub target: String,
    pub source: source::ReferenceSource,
    /// Required `flowType` (default `Always`).
    pub flow: FlowType,
    /// Whether this is the identity: the matching attribute with precedence 1.
    pub matching: bool,
    /// The attribute definition the target object needs, when Entra lacks
    /// it by default.
    pub attribute: Option<AttributeSpec>,
    /// Span of the row in the YAML (from the target to the end of the source).
    pub span: Span,
}

impl RequiredMapping {
    /// `userName ← [mail]`.
    pub fn describe(&self) -> String {
        format!("{} ← {}", self.target, self.source.text)
    }
}

/// A target attribute definition a profile adds to the target object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeSpec {
    pub kind: AttributeType,
    pub multivalued: bool,
    pub required: bool,
    pub case_exact: bool,
}

impl Profile {
    /// A built-in profile by name.
    pub fn builtin(name: &str) -> Option<Profile> {
        let builtin = BUILTINS.iter().find(|b| b.name == name)?;
        let profile = Profile::parse(&format!("builtin:{}", builtin.name), builtin.yaml)
            .unwrap_or_else(|e| panic!("built-in profile {} is invalid: {e}", builtin.name));
        Some(Profile {
            from_file: false,
            ..profile
        })
    }

    /// Reads a profile file.
    pub fn load(path: &Path) -> Result<Profile, LoadError> {
        let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Ok(Profile::parse(&path.display().to_string(), &text)?)
    }

    /// Resolves a `--profile` argument: `none`, a built-in name, or a path
    /// (anything with a path separator or a `.yaml`/`.yml` extension).
    pub fn resolve(arg: &str) -> Result<Option<Profile>, LoadError> {
        if arg == NONE {
            return Ok(None);
        }
        if let Some(p) = Profile::builtin(arg) {
            return Ok(Some(p));
        }
        let path = Path::new(arg);
        let looks_like_path = arg.contains(['/', '\\']) || arg.ends_with(".yaml") || arg.ends_with(".yml");
        if looks_like_path || path.is_file() {
            return Profile::load(path).map(Some);
        }
        Err(LoadError::Unknown(arg.to_string()))
    }

    /// Parses and validates profile YAML.
    pub fn parse(file: &str, text: &str) -> Result<Profile, YamlError> {
        let text: Arc<str> = Arc::from(text);
        let raw: raw::RawProfile = yaml::parse(file, &text)?;
        let err = |span: Span, message: String| YamlError::at(file, &text, span, message);
        if raw.name.value.trim().is_empty() {
            return Err(err(yaml::span_of(&raw.name), "the profile name is empty".into()));
        }
        let mut objects = Vec::new();
        for (kind, object) in [(ObjectKind::Users, raw.users), (ObjectKind::Groups, raw.groups)] {
            if let Some(object) = object {
                objects.push(resolve_object(kind, object, &text, &err)?);
            }
        }
        if objects.is_empty() {
            return Err(
                err(0..0, "the profile describes no object".into()).with_help("add a `users:` or `groups:` section")
            );
        }
        let applies_span = (raw.kind.as_ref().map(yaml::span_of)).or_else(|| raw.targets.as_ref().map(yaml::span_of));
        let targets: Vec<String> = match raw.targets {
            Some(list) if list.value.is_empty() => {
                return Err(err(yaml::span_of(&list), "`targets` is empty".into()).with_help(
                    "list the template ids or target directory names of the application, or leave the key out",
                ));
            }
            Some(list) => list.value.into_iter().map(|t| t.value.trim().to_string()).collect(),
            None => Vec::new(),
        };
        Ok(Profile {
            kind: raw.kind.map(|k| k.value),
            targets,
            applies_span,
            name: raw.name.value,
            description: raw.description.unwrap_or_default().trim().to_string(),
            file: file.to_string(),
            from_file: true,
            text,
            objects,
        })
    }

    /// Why this profile does not fit an export of `job`, if it does not:
    /// another job kind, or a target the profile does not list. An export
    /// whose kind is unknown fits any profile (a fragment, an unfamiliar
    /// template), and so does a profile that declares nothing.
    pub fn mismatch(&self, job: &crate::model::Recognised, schema: &crate::model::Schema) -> Option<Mismatch> {
        if job.kind == JobKind::Unknown {
            return None;
        }
        if let Some(kind) = self.kind
            && kind != JobKind::Unknown
            && kind != job.kind
        {
            return Some(Mismatch::Kind(kind));
        }
        if !self.targets.is_empty() {
            let names: Vec<&str> = job.target_names(schema).collect();
            if !names.is_empty()
                && !names
                    .iter()
                    .any(|n| self.targets.iter().any(|t| t.eq_ignore_ascii_case(n)))
            {
                return Some(Mismatch::Target);
            }
        }
        None
    }

    /// The part of the profile that describes `om`: same source object and
    /// an accepted target object name.
    pub fn object_for(&self, om: &ObjectMapping) -> Option<&ObjectProfile> {
        self.objects.iter().find(|o| o.describes(om))
    }

    /// "required by profile astrato: userName ← [mail]".
    pub fn cause(&self, row: &RequiredMapping) -> String {
        format!("required by profile {}: {}", self.name, row.describe())
    }

    /// A label pointing at `span` of the profile file, or `None` for a
    /// built-in profile (its YAML is not a file the user has).
    pub fn external(&self, span: &Span, message: impl Into<String>) -> Option<crate::diagnostic::ExternalLabel> {
        self.from_file.then(|| crate::diagnostic::ExternalLabel {
            file: self.file.clone(),
            text: self.text.clone(),
            span: span.clone(),
            message: message.into(),
        })
    }
}

impl ObjectProfile {
    /// Whether `om` is the object mapping this part describes.
    pub fn describes(&self, om: &ObjectMapping) -> bool {
        om.source_object_name() == self.source_object && self.accepts_target(om.target_object_name())
    }

    pub fn accepts_target(&self, name: &str) -> bool {
        self.target_objects.iter().any(|t| t == name)
    }

    pub fn mapping(&self, target: &str) -> Option<&RequiredMapping> {
        self.mappings.iter().find(|m| m.target == target)
    }

    /// The identity row (the matching attribute with precedence 1).
    pub fn identity(&self) -> Option<&RequiredMapping> {
        self.mappings.iter().find(|m| m.matching)
    }
}

fn resolve_object(
    kind: ObjectKind,
    raw: serde_saphyr::Spanned<raw::RawObject>,
    text: &str,
    err: &dyn Fn(Span, String) -> YamlError,
) -> Result<ObjectProfile, YamlError> {
    // The value's span starts at its first key; the section's own key
    // (`users:`) is the last occurrence before it.
    let value_start = yaml::span_of(&raw).start;
    let span = match text[..value_start.min(text.len())].rfind(&format!("{}:", kind.key())) {
        Some(i) => i..i + kind.key().len(),
        None => value_start..value_start,
    };
    let raw = raw.value;
    let mut mappings: Vec<RequiredMapping> = Vec::with_capacity(raw.mappings.len());
    for row in raw.mappings {
        let target_span = yaml::span_of(&row.target);
        let source_span = yaml::span_of(&row.source);
        let target = row.target.value.trim().to_string();
        if target.is_empty() {
            return Err(err(target_span, "the target attribute name is empty".into()));
        }
        if let Some(first) = mappings.iter().find(|m| m.target == target) {
            return Err(
                err(target_span, format!("`{target}` is listed twice in `{}`", kind.key()))
                    .with_help(format!("the first row is `{}`; keep one", first.describe())),
            );
        }
        let source =
            source::ReferenceSource::parse(&row.source.value.0, source_span.clone(), text, &|span, message| {
                err(span, message)
            })?;
        let matching = row.matching.as_ref().is_some_and(|m| m.value);
        if matching && let Some(other) = mappings.iter().find(|m| m.matching) {
            let span = row.matching.as_ref().map_or(target_span.clone(), yaml::span_of);
            return Err(
                err(span, format!("two identity rows in `{}`", kind.key())).with_help(format!(
                    "only one mapping can be the matching attribute with precedence 1; `{}` already is",
                    other.target
                )),
            );
        }
        mappings.push(RequiredMapping {
            target,
            source,
            flow: row.flow.map_or(FlowType::Always, |f| f.value),
            matching,
            attribute: row.attribute.map(|a| AttributeSpec {
                kind: a.value.kind.unwrap_or(AttributeType::String),
                multivalued: a.value.multivalued.unwrap_or(false),
                required: a.value.required.unwrap_or(false),
                case_exact: a.value.case_exact.unwrap_or(false),
            }),
            span: target_span.start.min(source_span.start)..target_span.end.max(source_span.end),
        });
    }
    let target_objects = match raw.target_objects {
        Some(list) if list.is_empty() => {
            return Err(err(span, format!("`{}.target-objects` is empty", kind.key()))
                .with_help("list the accepted targetObjectName values, or leave the key out for the defaults"));
        }
        Some(list) => list.into_iter().map(|t| t.value).collect(),
        None => kind.default_targets().iter().map(|s| s.to_string()).collect(),
    };
    Ok(ObjectProfile {
        kind,
        source_object: raw
            .source_object
            .map_or_else(|| kind.default_source().to_string(), |s| s.value),
        target_objects,
        required: raw.required.unwrap_or(true),
        unexpected_span: raw.unexpected.as_ref().map(yaml::span_of),
        unexpected: raw.unexpected.map_or(Policy::Warning, |p| p.value),
        mappings,
        span,
    })
}

/// How a profile does not fit an export (see [`Profile::mismatch`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mismatch {
    /// The profile is written for this other kind of job.
    Kind(JobKind),
    /// Same kind, but the export's target is none of the profile's `targets`.
    Target,
}

/// Why a `--profile` could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("unknown profile `{0}`")]
    Unknown(String),
    #[error("cannot read profile {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("invalid profile {0}")]
    Invalid(#[from] YamlError),
}

/// Names of the built-in profiles, for messages.
pub fn builtin_names() -> Vec<&'static str> {
    BUILTINS.iter().map(|b| b.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_parse() {
        for b in BUILTINS {
            let p = Profile::builtin(b.name).unwrap();
            assert_eq!(p.name, b.name);
            assert!(!p.from_file);
        }
    }

    #[test]
    fn astrato_tables() {
        let p = Profile::builtin("astrato").unwrap();
        let users = &p.objects[0];
        assert_eq!(users.kind, ObjectKind::Users);
        let rows: Vec<String> = users.mappings.iter().map(RequiredMapping::describe).collect();
        assert_eq!(
            rows,
            [
                "userName ← [mail]",
                "active ← Not([IsSoftDeleted])",
                "displayName ← [displayName]",
                "name.givenName ← [givenName]",
                "name.familyName ← [surname]",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber ← [objectId]",
            ]
        );
        assert_eq!(users.identity().unwrap().target, "userName");
        let groups = &p.objects[1];
        assert_eq!(groups.identity().unwrap().target, "displayName");
        let description = groups
            .mapping("urn:ietf:params:scim:schemas:extension:enterprise:2.0:Group:description")
            .unwrap();
        assert_eq!(description.attribute.as_ref().unwrap().kind, AttributeType::String);
        assert_eq!(groups.unexpected, Policy::Warning);
    }

    #[test]
    fn entra_default_has_22_and_3_rows() {
        let p = Profile::builtin("entra-default").unwrap();
        assert_eq!(p.objects[0].mappings.len(), 22);
        assert_eq!(p.objects[1].mappings.len(), 3);
    }

    #[test]
    fn unquoted_attribute_reference_is_understood() {
        let p = Profile::parse(
            "p.yaml",
            "name: x\nusers:\n  mappings:\n    - target: userName\n      source: [mail]\n",
        )
        .unwrap();
        assert_eq!(p.objects[0].mappings[0].source.text, "[mail]");
    }

    #[test]
    fn defaults_apply() {
        let p = Profile::parse("p.yaml", "name: x\ngroups:\n  mappings: []\n").unwrap();
        let g = &p.objects[0];
        assert_eq!(g.source_object, "Group");
        assert!(g.accepts_target("urn:ietf:params:scim:schemas:core:2.0:Group"));
        assert!(g.required);
        assert_eq!(g.unexpected, Policy::Warning);
    }

    #[test]
    fn errors_have_positions() {
        let cases = [
            (
                "name: x\nusers:\n  unexpectd: off\n",
                "unknown field `unexpectd`",
                (3, 3),
            ),
            (
                "name: x\nusers:\n  unexpected: never\n",
                "unknown variant `never`",
                (3, 15),
            ),
            (
                "name: x\nusers:\n  mappings:\n    - target: a\n      source: \"[a]\"\n    - target: a\n      source: \"[b]\"\n",
                "`a` is listed twice",
                (6, 15),
            ),
            ("name: x\n", "describes no object", (1, 1)),
            (
                "name: x\nusers:\n  mappings:\n    - target: a\n      source: \"[a]\"\n      matching: true\n    - target: b\n      source: \"[b]\"\n      matching: true\n",
                "two identity rows",
                (9, 17),
            ),
        ];
        for (yaml, message, (line, column)) in cases {
            let e = Profile::parse("p.yaml", yaml).unwrap_err();
            assert!(e.message.contains(message), "{yaml}: {}", e.message);
            assert_eq!((e.line, e.column), (line, column), "{yaml}: {}", e.message);
        }
    }
}
