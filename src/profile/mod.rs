//! Reference profiles: what an application requires of the mapping tables.
//!
//! A profile is a small YAML file (`schemas/profile.schema.json`,
//! `docs/profiles.md`) so that a team can describe any SCIM application in a
//! few minutes. It says, per object (users, groups): which Entra object is
//! the source, which target object names count as "the users" of the app,
//! whether the object mapping is required, the required mappings (target,
//! source in Entra expression syntax, flow, the attribute definition the
//! target needs, the value constraints the application states), which of
//! them identifies objects (the matching attribute), which other targets the
//! application accepts, and what to do with any other mapping. Every row can
//! say why it is there (`reason:`), and the profile where it comes from
//! (`documentation:`): findings quote both, so an admin sees the vendor's
//! sentence rather than the tool's opinion.
//!
//! A profile can start from another one (`extends:`, a built-in name or a
//! path) and add, override or remove rows; the rows it inherits keep their
//! own file and position ([`Origin`]), so a finding points at the file that
//! states the row.
//!
//! Profiles are loaded once, validated completely (every expression parsed)
//! and then shared read-only by every file being linted. Errors carry the
//! YAML position ([`YamlError`]), so a broken profile is reported like a
//! compiler error and stops the run with exit code 2.

pub mod constraint;
pub mod from_export;
mod raw;
pub mod source;

pub use raw::{AttributeType, FlowType, Policy};

use crate::model::{JobKind, ObjectMapping};
use crate::paths::PathPolicy;
use crate::span::FileSpan;
use crate::yaml::{self, YamlError};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A built-in profile: its name and YAML text.
pub struct Builtin {
    pub name: &'static str,
    pub yaml: &'static str,
}

macro_rules! builtins {
    ($($name:literal),* $(,)?) => {
        &[$(Builtin { name: $name, yaml: include_str!(concat!("../../profiles/", $name, ".yaml")) }),*]
    };
}

/// Every profile embedded in the binary, default first. Each is a file in
/// `profiles/`; its `application`, `documentation` and `description` are
/// what `profile list` shows.
pub const BUILTINS: &[Builtin] = builtins![
    "astrato",
    "entra-default",
    "atlassian-cloud",
    "aws-iam-identity-center",
    "cloudflare",
    "databricks",
    "github-emu",
    "slack",
    "snowflake",
    "zoom",
];

/// The profile used when none is given.
pub const DEFAULT: &str = "astrato";

/// The `--profile` value that runs only profile-independent rules.
pub const NONE: &str = "none";

/// What a profile file looks like (its top-level keys), to tell a profile
/// with a mistake from a file that is none ([`crate::yaml`]).
pub const KIND: yaml::DocKind = yaml::DocKind {
    noun: "profile",
    what: "a YAML profile",
    keys: &[
        "name",
        "description",
        "application",
        "documentation",
        "extends",
        "kind",
        "targets",
        "users",
        "groups",
    ],
    needs_exact_key: true,
};

/// What `none` means, in one sentence used everywhere it is described.
pub const NONE_DESCRIPTION: &str = "no reference profile: only the profile-independent rules run";

/// A validated reference profile.
#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    pub description: String,
    /// The application's display name (`Slack`), when the profile gives it.
    pub application: Option<String>,
    /// The URL of the document the profile was written from.
    pub documentation: Option<String>,
    /// The base profile as written after `extends:`.
    pub extends: Option<String>,
    /// Where it came from: `builtin:astrato` or the path as given.
    pub file: String,
    /// Whether it was read from a file (then findings point at its rows).
    pub from_file: bool,
    /// The YAML text, for labels that point into it.
    pub text: Arc<str>,
    /// The files rows come from: this one first, then its bases.
    pub origins: Vec<Origin>,
    pub objects: Vec<ObjectProfile>,
    /// The job kind the profile is written for; `None` applies it to any.
    pub kind: Option<JobKind>,
    /// Template ids or target directory names identifying the application
    /// (compared case-insensitively); empty accepts any target.
    pub targets: Vec<String>,
    /// Span of the `kind:` value, or of `targets:` when only that is given:
    /// what `profile-mismatch` points at in a profile file.
    pub applies_span: Option<FileSpan>,
}

/// A file a profile's rows come from (the profile itself or a base).
#[derive(Debug, Clone)]
pub struct Origin {
    pub file: String,
    pub text: Arc<str>,
    pub from_file: bool,
    /// That file's `documentation:` URL (what its rows' reasons quote).
    pub documentation: Option<String>,
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
    /// legacy jobs) and the SCIM URNs of the non-gallery `scim` job.
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
    /// What to do with mappings not listed in `mappings` or `allowed`.
    pub unexpected: Policy,
    pub mappings: Vec<RequiredMapping>,
    /// Targets the application accepts from any source, besides the rows.
    pub allowed: Vec<String>,
    /// Why they are accepted (the document's attribute table).
    pub allowed_reason: Option<String>,
    /// FileSpan of the object's key in the YAML (`users`).
    pub span: FileSpan,
    /// FileSpan of the `unexpected:` value, when given.
    pub unexpected_span: Option<FileSpan>,
    /// The file (index into [`Profile::origins`]) the spans point into.
    pub origin: usize,
}

/// One row of a reference table: `target ← source`.
#[derive(Debug, Clone)]
pub struct RequiredMapping {
    pub target: String,
    /// `None`: the target must be mapped, from any source.
    pub source: Option<source::ReferenceSource>,
    /// Required `flowType` (default `Always`).
    pub flow: FlowType,
    /// Whether this is the identity: the matching attribute with precedence 1.
    pub matching: bool,
    /// Whether the export must map the target (`required: false`: the row's
    /// source, flow and constraints apply only when it is mapped).
    pub required: bool,
    /// The attribute definition the target object needs, when Entra lacks
    /// it by default.
    pub attribute: Option<AttributeSpec>,
    /// Why the application requires it, quoting the source document.
    pub reason: Option<String>,
    /// What the application accepts as a value.
    pub constraints: constraint::Constraints,
    /// FileSpan of the row in the YAML (from the target to the end of the source).
    pub span: FileSpan,
    /// The file (index into [`Profile::origins`]) the span points into.
    pub origin: usize,
}

impl RequiredMapping {
    /// `userName ← [mail]`, or `userName ← (any source)`.
    pub fn describe(&self) -> String {
        format!("{} ← {}", self.target, self.source_text())
    }

    /// `userName ← [mail]`; a row without a source by its target and
    /// constraints: `userName (max-length 20)`.
    pub fn summary(&self) -> String {
        match &self.source {
            Some(source) => format!("{} ← {}", self.target, source.text),
            None if self.constraints.is_empty() => self.target.clone(),
            None => format!("{} ({})", self.target, self.constraints.describe()),
        }
    }

    /// The source as written, or `(any source)`.
    pub fn source_text(&self) -> &str {
        self.source.as_ref().map_or("(any source)", |s| s.text.as_str())
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
    /// Each is parsed once per process (rules that look for a fitting
    /// profile ask for all of them, per file).
    pub fn builtin(name: &str) -> Option<Profile> {
        static PARSED: std::sync::OnceLock<Vec<Profile>> = std::sync::OnceLock::new();
        let parsed = PARSED.get_or_init(|| {
            BUILTINS
                .iter()
                .map(|b| {
                    parse_in(
                        &format!("builtin:{}", b.name),
                        b.yaml,
                        false,
                        PathPolicy::Repository,
                        &mut Vec::new(),
                    )
                    .unwrap_or_else(|e| panic!("built-in profile {} is invalid: {e}", b.name))
                })
                .collect()
        });
        let i = BUILTINS.iter().position(|b| b.name == name)?;
        Some(parsed[i].clone())
    }

    /// Whether `name` is a built-in profile's name.
    pub fn is_builtin(name: &str) -> bool {
        BUILTINS.iter().any(|b| b.name == name)
    }

    /// Reads a profile file; the paths it names (`extends:`) must stay
    /// inside its repository.
    pub fn load(path: &Path) -> Result<Profile, LoadError> {
        Profile::load_with(path, PathPolicy::Repository)
    }

    /// Reads a profile file; `policy` decides where its `extends:` may lead.
    pub fn load_with(path: &Path, policy: PathPolicy) -> Result<Profile, LoadError> {
        let text = crate::source::read_side_text(path).map_err(|source| LoadError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Ok(parse_in(
            &path.display().to_string(),
            &text,
            true,
            policy,
            &mut Vec::new(),
        )?)
    }

    /// Resolves a `--profile` argument: `none`, a built-in name, or a path
    /// (anything with a path separator or a `.yaml`/`.yml` extension).
    pub fn resolve(arg: &str) -> Result<Option<Profile>, LoadError> {
        Profile::resolve_in(arg, None, PathPolicy::Repository)
    }

    /// [`Profile::resolve`] for a value named in the file `named_in` (a
    /// config's `profile:`, already joined to the config's directory):
    /// under [`PathPolicy::Repository`] a path must stay inside that file's
    /// repository. A value given by the user (`named_in` `None`) is not
    /// checked; the `extends:` paths of any profile file are.
    pub fn resolve_in(
        arg: &str,
        named_in: Option<(&Path, &str)>,
        policy: PathPolicy,
    ) -> Result<Option<Profile>, LoadError> {
        if arg == NONE {
            return Ok(None);
        }
        if let Some(p) = Profile::builtin(arg) {
            return Ok(Some(p));
        }
        let path = Path::new(arg);
        if let Some((file, written)) = named_in {
            policy
                .check(file, written, path)
                .map_err(|outside| LoadError::Outside {
                    named_in: file.display().to_string(),
                    outside,
                })?;
        }
        if looks_like_path(arg) || path.is_file() || named_in.is_some() {
            return Profile::load_with(path, policy).map(Some);
        }
        Err(LoadError::Unknown(arg.to_string()))
    }

    /// Parses and validates profile YAML read from `file` (a path: a
    /// relative `extends:` path is resolved from its directory and must
    /// stay inside its repository).
    pub fn parse(file: &str, text: &str) -> Result<Profile, YamlError> {
        parse_in(file, text, true, PathPolicy::Repository, &mut Vec::new())
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
            // A generic template or directory (`scim`, `customappsso`: a
            // non-gallery app) does not say which application it is, so it
            // cannot contradict the profile.
            let names: Vec<&str> = job
                .target_names(schema)
                .filter(|n| crate::model::kind::kind_of_template(n).is_none())
                .collect();
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

    /// "required by profile astrato: userName ← [mail]", followed by the
    /// row's reason when it has one.
    /// A row without a source is named by its target, with its
    /// constraints; the profile's documentation URL follows the reason.
    pub fn cause(&self, row: &RequiredMapping) -> String {
        let mut out = format!("required by profile {}: {}", self.name, row.summary());
        if let Some(reason) = &row.reason {
            out.push_str("; ");
            out.push_str(reason);
            if let Some(url) = self.origins.get(row.origin).and_then(|o| o.documentation.as_ref()) {
                out.push_str(&format!(" ({url})"));
            }
        }
        out
    }

    /// One line for `profile list` and messages: the application, or the
    /// description's first sentence.
    pub fn summary(&self) -> String {
        let first = self.description.split(". ").next().unwrap_or("").trim_end_matches('.');
        match &self.application {
            Some(app) => app.clone(),
            None => first.to_string(),
        }
    }

    /// The job kind the profile is written for, for listings (`–` when it
    /// does not say).
    pub fn kind_label(&self) -> String {
        self.kind.map_or_else(|| "–".to_string(), |k| k.as_str().to_string())
    }

    /// A label pointing at `span` of the profile file `origin`, or `None`
    /// for a built-in profile (its YAML is not a file the user has).
    pub fn external(
        &self,
        origin: usize,
        span: &FileSpan,
        message: impl Into<String>,
    ) -> Option<crate::diagnostic::ExternalLabel> {
        let origin = self.origins.get(origin)?;
        origin.from_file.then(|| crate::diagnostic::ExternalLabel {
            file: origin.file.clone(),
            text: origin.text.clone(),
            span: *span,
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

    /// Whether a mapping of `target` is expected: a row, or an allowed target.
    pub fn expects(&self, target: &str) -> bool {
        self.mapping(target).is_some() || self.allowed.iter().any(|t| t == target)
    }

    /// The identity row (the matching attribute with precedence 1).
    pub fn identity(&self) -> Option<&RequiredMapping> {
        self.mappings.iter().find(|m| m.matching)
    }
}

/// Whether a `--profile` value names a file rather than a built-in profile.
pub fn looks_like_path(arg: &str) -> bool {
    arg.contains(['/', '\\']) || arg.ends_with(".yaml") || arg.ends_with(".yml")
}

/// The profile a run uses, by name or path: the one asked for (flag or
/// environment), else the config file's `profile:`, else [`DEFAULT`]. The
/// one rule every command that reads a profile follows.
pub fn choose(asked: Option<&str>, configured: Option<&str>) -> String {
    asked.or(configured).unwrap_or(DEFAULT).to_string()
}

/// A built-in profile name close to `name` (`Astrato`, `astrto` → `astrato`).
pub fn suggest(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    if let Some(b) = BUILTINS.iter().find(|b| b.name == lower) {
        return Some(b.name);
    }
    crate::suggest::closest(&lower, BUILTINS.iter().map(|b| b.name))
}

/// Parses `text`; `chain` holds the profiles being loaded that extend this
/// one (for cycles).
fn parse_in(
    file: &str,
    text: &str,
    from_file: bool,
    policy: PathPolicy,
    chain: &mut Vec<String>,
) -> Result<Profile, YamlError> {
    let text: Arc<str> = Arc::from(text);
    let raw: raw::RawProfile = yaml::parse(&KIND, file, &text)?;
    let err = |span: FileSpan, message: String| YamlError::at(file, &text, span, message);
    if raw.name.value.trim().is_empty() {
        return Err(err(yaml::span_of(&raw.name), "the profile name is empty".into()));
    }
    if let Some(url) = &raw.documentation
        && !(url.value.starts_with("https://") || url.value.starts_with("http://"))
    {
        return Err(err(
            yaml::span_of(url),
            format!("`documentation` is not a URL: `{}`", url.value),
        )
        .with_help("give the address of the page the profile was written from, e.g. https://learn.microsoft.com/…"));
    }
    let base = match &raw.extends {
        Some(extends) => Some(load_base(file, &text, from_file, extends, policy, chain)?),
        None => None,
    };
    let mut origins = vec![Origin {
        file: file.to_string(),
        text: text.clone(),
        from_file,
        documentation: raw.documentation.as_ref().map(|d| d.value.clone()),
    }];
    let mut base_objects = Vec::new();
    let (base_kind, base_targets) = base
        .as_ref()
        .map_or((None, Vec::new()), |b| (b.kind, b.targets.clone()));
    if let Some(base) = base {
        let shift = origins.len();
        origins.extend(base.origins);
        base_objects = base
            .objects
            .into_iter()
            .map(|mut o| {
                o.origin += shift;
                for m in &mut o.mappings {
                    m.origin += shift;
                }
                o
            })
            .collect();
    }
    let mut objects = Vec::new();
    for (kind, object) in [(ObjectKind::Users, raw.users), (ObjectKind::Groups, raw.groups)] {
        let inherited = base_objects.iter().position(|o: &ObjectProfile| o.kind == kind);
        let inherited = inherited.map(|i| base_objects.swap_remove(i));
        match (object, inherited) {
            (Some(object), inherited) => objects.push(resolve_object(kind, object, inherited, &text, &err)?),
            (None, Some(inherited)) => objects.push(inherited),
            (None, None) => {}
        }
    }
    objects.sort_by_key(|o| o.kind != ObjectKind::Users);
    if objects.is_empty() {
        return Err(err(FileSpan::new(0, 0), "the profile describes no object".into())
            .with_help("add a `users:` or `groups:` section"));
    }
    // `kind:` and `targets:` are inherited from the base when not given;
    // `profile-mismatch` points at them only in this file.
    let applies_span = (raw.kind.as_ref().map(yaml::span_of)).or_else(|| raw.targets.as_ref().map(yaml::span_of));
    let targets: Vec<String> = match raw.targets {
        Some(list) if list.value.is_empty() => {
            return Err(err(yaml::span_of(&list), "`targets` is empty".into()).with_help(
                "list the template ids or target directory names of the application, or leave the key out",
            ));
        }
        Some(list) => list.value.into_iter().map(|t| t.value.trim().to_string()).collect(),
        None => base_targets,
    };
    Ok(Profile {
        kind: raw.kind.map(|k| k.value).or(base_kind),
        targets,
        applies_span,
        name: raw.name.value,
        description: raw.description.unwrap_or_default().trim().to_string(),
        application: raw.application.map(|a| a.trim().to_string()).filter(|a| !a.is_empty()),
        documentation: raw.documentation.map(|d| d.value),
        extends: raw.extends.map(|e| e.value),
        file: file.to_string(),
        from_file,
        text,
        origins,
        objects,
    })
}

/// Loads the profile named by `extends:`: a built-in name, or a path
/// relative to the extending file. Unknown names, unreadable files and
/// cycles are errors at the `extends:` value.
fn load_base(
    file: &str,
    text: &Arc<str>,
    from_file: bool,
    extends: &serde_saphyr::Spanned<String>,
    policy: PathPolicy,
    chain: &mut Vec<String>,
) -> Result<Profile, YamlError> {
    let span = yaml::span_of(extends);
    let err = |message: String| YamlError::at(file, text, span, message);
    let name = extends.value.trim();
    let me = identity(file, from_file);
    let (key, base_file, base_text, base_from_file) = if let Some(builtin) =
        BUILTINS.iter().find(|b| b.name == name && !looks_like_path(name))
    {
        let key = format!("builtin:{}", builtin.name);
        (key.clone(), key, builtin.yaml.to_string(), false)
    } else if from_file && looks_like_path(name) {
        let path = match Path::new(file).parent() {
            Some(dir) if Path::new(name).is_relative() => dir.join(name),
            _ => PathBuf::from(name),
        };
        policy
            .check(Path::new(file), name, &path)
            .map_err(|outside| err(outside.to_string()).with_help(crate::paths::Outside::HELP))?;
        let content = crate::source::read_side_text(&path).map_err(|e| {
            err(format!("cannot read the base profile {}: {e}", path.display()))
                .with_help("a relative `extends:` path is resolved from the directory of the profile that names it")
        })?;
        let key = std::fs::canonicalize(&path).map_or_else(|_| path.display().to_string(), |p| p.display().to_string());
        (key, path.display().to_string(), content, true)
    } else {
        let help = match suggest(name) {
            Some(s) => format!(
                "did you mean `{s}`? built-in profiles: {}; or give a path ending in .yaml",
                builtin_names().join(", ")
            ),
            None => format!(
                "built-in profiles: {}; or give a path ending in .yaml",
                builtin_names().join(", ")
            ),
        };
        return Err(err(format!("unknown base profile `{name}`")).with_help(help));
    };
    chain.push(me.clone());
    if chain.contains(&key) {
        let mut cycle: Vec<String> = chain.iter().skip_while(|k| **k != key).cloned().collect();
        cycle.push(key);
        chain.pop();
        return Err(err(format!("`extends` makes a cycle: {}", cycle.join(" → ")))
            .with_help("a profile cannot extend itself, directly or through its bases"));
    }
    let base = parse_in(&base_file, &base_text, base_from_file, policy, chain);
    chain.pop();
    base
}

/// How a profile is named in a cycle: `builtin:NAME` or its canonical path.
fn identity(file: &str, from_file: bool) -> String {
    if !from_file {
        return file.to_string();
    }
    std::fs::canonicalize(file).map_or_else(|_| file.to_string(), |p| p.display().to_string())
}

fn resolve_object(
    kind: ObjectKind,
    raw: serde_saphyr::Spanned<raw::RawObject>,
    inherited: Option<ObjectProfile>,
    text: &str,
    err: &dyn Fn(FileSpan, String) -> YamlError,
) -> Result<ObjectProfile, YamlError> {
    // The value's span starts at its first key; the section's own key
    // (`users:`) is the last occurrence before it.
    let value_start = yaml::span_of(&raw).start;
    let span = match text[..value_start.min(text.len())].rfind(&format!("{}:", kind.key())) {
        Some(i) => FileSpan::at(i, kind.key().len()),
        None => FileSpan::empty(value_start),
    };
    let raw = raw.value;
    let mut mappings: Vec<RequiredMapping> = inherited.as_ref().map(|o| o.mappings.clone()).unwrap_or_default();
    let mut allowed: Vec<String> = inherited.as_ref().map(|o| o.allowed.clone()).unwrap_or_default();
    for removed in &raw.remove {
        let target = removed.value.trim();
        let before = mappings.len() + allowed.len();
        mappings.retain(|m| m.target != target);
        allowed.retain(|t| t != target);
        if mappings.len() + allowed.len() == before {
            let help = if inherited.is_none() {
                "`remove:` drops rows of the profile named by `extends:`, and this profile extends none with this section".to_string()
            } else {
                "`remove:` drops rows of the profile named by `extends:`; check the target's spelling".to_string()
            };
            return Err(err(
                yaml::span_of(removed),
                format!("`{target}` is not a row of the base profile's `{}`", kind.key()),
            )
            .with_help(help));
        }
    }
    let inherited_count = mappings.len();
    for row in raw.mappings {
        let target_span = yaml::span_of(&row.target);
        let target = row.target.value.trim().to_string();
        if target.is_empty() {
            return Err(err(target_span, "the target attribute name is empty".into()));
        }
        if let Some(first) = mappings[inherited_count..].iter().find(|m| m.target == target) {
            return Err(
                err(target_span, format!("`{target}` is listed twice in `{}`", kind.key()))
                    .with_help(format!("the first row is `{}`; keep one", first.describe())),
            );
        }
        let (source, source_span) = match &row.source {
            Some(raw_source) => {
                let source_span = yaml::span_of(raw_source);
                let parsed =
                    source::ReferenceSource::parse(&raw_source.value.0, source_span, text, &|span, message| {
                        err(span, message)
                    })?;
                (Some(parsed), source_span)
            }
            None => (None, target_span),
        };
        let matching = row.matching.as_ref().is_some_and(|m| m.value);
        if matching && let Some(other) = mappings[inherited_count..].iter().find(|m| m.matching) {
            let span = row.matching.as_ref().map_or(target_span, yaml::span_of);
            return Err(
                err(span, format!("two identity rows in `{}`", kind.key())).with_help(format!(
                    "only one mapping can be the matching attribute with precedence 1; `{}` already is",
                    other.target
                )),
            );
        }
        let constraints = constraint::Constraints::from_raw(&row, err)?;
        let new = RequiredMapping {
            target: target.clone(),
            source,
            flow: row.flow.map_or(FlowType::Always, |f| f.value),
            matching,
            required: row.required.unwrap_or(true),
            attribute: row.attribute.map(|a| AttributeSpec {
                kind: a.value.kind.unwrap_or(AttributeType::String),
                multivalued: a.value.multivalued.unwrap_or(false),
                required: a.value.required.unwrap_or(false),
                case_exact: a.value.case_exact.unwrap_or(false),
            }),
            reason: row
                .reason
                .map(|r| r.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|r| !r.is_empty()),
            constraints,
            span: FileSpan::new(
                target_span.start.min(source_span.start),
                target_span.end.max(source_span.end),
            ),
            origin: 0,
        };
        // This profile states the identity: an inherited one gives way.
        if matching {
            for m in &mut mappings[..inherited_count] {
                m.matching = false;
            }
        }
        allowed.retain(|t| *t != target);
        match mappings[..inherited_count].iter().position(|m| m.target == target) {
            Some(i) => mappings[i] = new,
            None => mappings.push(new),
        }
    }
    let allowed_reason = match &raw.allowed {
        Some(list) => {
            for t in &list.targets {
                let name = t.value.trim();
                if mappings.iter().any(|m| m.target == name) {
                    return Err(err(
                        yaml::span_of(t),
                        format!("`{name}` is both a row and an allowed target in `{}`", kind.key()),
                    )
                    .with_help("a row already allows its target; remove it from `allowed:`"));
                }
                if !allowed.iter().any(|a| a == name) {
                    allowed.push(name.to_string());
                }
            }
            list.reason
                .clone()
                .or_else(|| inherited.as_ref().and_then(|o| o.allowed_reason.clone()))
        }
        None => inherited.as_ref().and_then(|o| o.allowed_reason.clone()),
    };
    let target_objects = match raw.target_objects {
        Some(list) if list.is_empty() => {
            return Err(err(span, format!("`{}.target-objects` is empty", kind.key()))
                .with_help("list the accepted targetObjectName values, or leave the key out for the defaults"));
        }
        Some(list) => list.into_iter().map(|t| t.value).collect(),
        None => inherited.as_ref().map_or_else(
            || kind.default_targets().iter().map(|s| s.to_string()).collect(),
            |o| o.target_objects.clone(),
        ),
    };
    Ok(ObjectProfile {
        kind,
        source_object: raw.source_object.map_or_else(
            || {
                inherited
                    .as_ref()
                    .map_or_else(|| kind.default_source().to_string(), |o| o.source_object.clone())
            },
            |s| s.value,
        ),
        target_objects,
        required: raw.required.or(inherited.as_ref().map(|o| o.required)).unwrap_or(true),
        unexpected_span: raw.unexpected.as_ref().map(yaml::span_of),
        unexpected: raw
            .unexpected
            .map(|p| p.value)
            .or(inherited.as_ref().map(|o| o.unexpected))
            .unwrap_or(Policy::Warning),
        mappings,
        allowed,
        allowed_reason,
        span,
        origin: 0,
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
    #[error("profile `{}` named in {named_in} leads outside the repository {}", .outside.named, .outside.root)]
    Outside {
        named_in: String,
        outside: crate::paths::Outside,
    },
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
        assert_eq!(p.objects[0].mappings[0].source_text(), "[mail]");
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

    fn write(dir: &Path, name: &str, text: &str) -> String {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    }

    #[test]
    fn extends_adds_overrides_and_removes_rows() {
        let p = Profile::parse(
            "p.yaml",
            "name: x\nextends: entra-default\nusers:\n  remove: [title]\n  mappings:\n    - target: userName\n      source: \"[mail]\"\n      matching: true\n      reason: Acme wants mail\n    - target: nickName\n      source: \"[mailNickname]\"\n",
        )
        .unwrap();
        let users = &p.objects[0];
        assert!(users.mapping("title").is_none(), "removed");
        assert_eq!(users.mapping("userName").unwrap().source_text(), "[mail]", "overridden");
        assert_eq!(users.mapping("userName").unwrap().origin, 0);
        assert_eq!(
            users.mapping("displayName").unwrap().origin,
            1,
            "inherited rows keep their file"
        );
        assert!(users.mapping("nickName").is_some(), "added");
        assert_eq!(users.mappings.len(), 22);
        assert_eq!(p.objects[1].mappings.len(), 3, "groups inherited whole");
        assert_eq!(
            p.cause(users.mapping("userName").unwrap()),
            "required by profile x: userName ← [mail]; Acme wants mail"
        );
        assert_eq!(p.origins[1].file, "builtin:entra-default");
    }

    #[test]
    fn extends_a_file_relative_to_the_profile_and_detects_cycles() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "base.yaml",
            "name: base\nusers:\n  mappings:\n    - target: userName\n      source: \"[mail]\"\n",
        );
        let child = write(dir.path(), "child.yaml", "name: child\nextends: ./base.yaml\n");
        let p = Profile::load(Path::new(&child)).unwrap();
        assert_eq!(p.objects[0].mappings[0].source_text(), "[mail]");
        assert!(p.origins[1].from_file);

        let a = write(dir.path(), "a.yaml", "name: a\nextends: ./b.yaml\nusers: {}\n");
        write(dir.path(), "b.yaml", "name: b\nextends: ./a.yaml\nusers: {}\n");
        let LoadError::Invalid(e) = Profile::load(Path::new(&a)).unwrap_err() else {
            panic!("a cycle is a profile error")
        };
        assert!(e.message.contains("cycle"), "{}", e.message);
        assert!(e.file.ends_with("b.yaml"), "{}", e.file);
        assert_eq!((e.line, e.column), (2, 10));
    }

    #[test]
    fn extends_errors_have_positions_and_suggestions() {
        let e = Profile::parse("p.yaml", "name: x\nextends: Slak\nusers: {}\n").unwrap_err();
        assert!(e.message.contains("unknown base profile `Slak`"), "{}", e.message);
        assert!(e.help.as_deref().unwrap().contains("did you mean `slack`?"));
        assert_eq!((e.line, e.column), (2, 10));
        let e = Profile::parse("p.yaml", "name: x\nextends: ./missing.yaml\nusers: {}\n").unwrap_err();
        assert!(e.message.contains("cannot read the base profile"), "{}", e.message);
        let e = Profile::parse("p.yaml", "name: x\nextends: astrato\nusers:\n  remove: [nickName]\n").unwrap_err();
        assert!(e.message.contains("not a row of the base profile"), "{}", e.message);
        assert_eq!((e.line, e.column), (4, 12));
        let e = Profile::parse("p.yaml", "name: x\ndocumentation: see the wiki\nusers: {}\n").unwrap_err();
        assert!(e.message.contains("not a URL"), "{}", e.message);
        let e = Profile::parse(
            "p.yaml",
            "name: x\nusers:\n  mappings:\n    - target: a\n      max-length: 0\n",
        )
        .unwrap_err();
        assert!(e.message.contains("at least 1"), "{}", e.message);
    }

    #[test]
    fn rows_without_source_and_allowed_targets() {
        let p = Profile::parse(
            "p.yaml",
            "name: x\nusers:\n  mappings:\n    - target: userName\n      max-length: 20\n  allowed:\n    reason: the table\n    targets: [title]\n",
        )
        .unwrap();
        let users = &p.objects[0];
        assert_eq!(users.mappings[0].describe(), "userName ← (any source)");
        assert_eq!(users.mappings[0].constraints.max_length, Some(20));
        assert!(users.expects("title") && users.expects("userName") && !users.expects("nickName"));
    }

    #[test]
    fn every_new_builtin_cites_its_source() {
        for b in BUILTINS
            .iter()
            .filter(|b| !matches!(b.name, "astrato" | "entra-default"))
        {
            let p = Profile::builtin(b.name).unwrap();
            assert!(
                p.documentation.as_deref().is_some_and(|d| d.starts_with("https://")),
                "{}",
                b.name
            );
            assert!(p.application.is_some(), "{}", b.name);
            for o in &p.objects {
                for row in &o.mappings {
                    assert!(row.reason.is_some(), "{}: {} has no reason", b.name, row.target);
                }
            }
        }
        assert!(BUILTINS.len() >= 10);
    }

    #[test]
    fn profile_names_get_suggestions() {
        assert_eq!(suggest("Astrato"), Some("astrato"));
        assert_eq!(suggest("astrto"), Some("astrato"));
        assert_eq!(suggest("aws"), Some("aws-iam-identity-center"), "a prefix of the name");
        assert_eq!(suggest("okta"), None);
        assert_eq!(suggest("github-emus"), Some("github-emu"));
    }
}
