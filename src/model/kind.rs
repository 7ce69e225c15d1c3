//! Which kind of provisioning job an export configures.
//!
//! The same synchronization-schema format serves very different jobs: Entra
//! to a SCIM application, Entra to a gallery application with its own API
//! (Salesforce, ServiceNow), Entra tenant to Entra tenant (cross-tenant
//! synchronization), Active Directory to Entra and back (Cloud Sync), and
//! HR systems into Entra or AD (Workday, SuccessFactors, API-driven inbound
//! provisioning). Rules that encode the expectations of one kind — a SCIM
//! `active` attribute, a profile written for a SCIM app — must not fire on
//! the others, so the kind is recognised once per file and every rule
//! declares the kinds it applies to.
//!
//! Recognition uses, in order of strength: the template id (the first part
//! of a job or schema id, `scim.…`, `Azure2Azure.…`; Microsoft documents
//! that a job id starts with its template id), then the directory names of
//! the synchronization rules (`customappsso` is the non-gallery SCIM
//! target), then object names (SCIM URNs). Nothing is guessed from display
//! names. What cannot be told is [`JobKind::Unknown`], on which every rule
//! runs.

use super::Schema;

/// The kind of provisioning job. Serialised in kebab-case (`outbound-scim`),
/// the one vocabulary shared by rules, profiles and reports.
/// With the `cli` feature it is also a command-line value (`eval --kind cloud-sync`), with the
/// same names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "kebab-case")]
pub enum JobKind {
    /// Entra ID to a SCIM 2.0 application: the non-gallery app
    /// (`customappsso`/`scim` template) and SCIM gallery apps.
    OutboundScim,
    /// Entra ID to a gallery application with its own connector
    /// (Salesforce, ServiceNow, …).
    OutboundApp,
    /// Entra ID tenant to Entra ID tenant (cross-tenant synchronization).
    CrossTenant,
    /// Microsoft Entra Cloud Sync: Active Directory to Entra ID, and group
    /// writeback from Entra ID to Active Directory.
    CloudSync,
    /// HR-driven inbound provisioning: Workday, SuccessFactors, API-driven.
    InboundHr,
    /// Not recognisable from the file (a fragment, an unfamiliar template): every rule runs, and
    /// functions are checked against the app-provisioning function reference.
    Unknown,
}

impl JobKind {
    /// Every kind, in documentation order.
    pub const ALL: &'static [JobKind] = &[
        JobKind::OutboundScim,
        JobKind::OutboundApp,
        JobKind::CrossTenant,
        JobKind::CloudSync,
        JobKind::InboundHr,
        JobKind::Unknown,
    ];

    /// The kebab-case name (`outbound-scim`).
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::OutboundScim => "outbound-scim",
            JobKind::OutboundApp => "outbound-app",
            JobKind::CrossTenant => "cross-tenant",
            JobKind::CloudSync => "cloud-sync",
            JobKind::InboundHr => "inbound-hr",
            JobKind::Unknown => "unknown",
        }
    }

    /// Parses a kebab-case name.
    pub fn parse(name: &str) -> Option<JobKind> {
        JobKind::ALL.iter().copied().find(|k| k.as_str() == name)
    }

    /// Words for messages: "outbound provisioning to a SCIM application".
    pub fn describe(self) -> &'static str {
        match self {
            JobKind::OutboundScim => "outbound provisioning to a SCIM application",
            JobKind::OutboundApp => "outbound provisioning to a gallery application that is not SCIM",
            JobKind::CrossTenant => "cross-tenant synchronization",
            JobKind::CloudSync => "Entra Cloud Sync",
            JobKind::InboundHr => "inbound provisioning from an HR source",
            JobKind::Unknown => "a provisioning job of unrecognised kind",
        }
    }

    /// Target attributes that switch an account on or off in this kind's
    /// target, i.e. where `[IsSoftDeleted]` must flow for deprovisioning to
    /// work (compared case-insensitively). Empty where the kind has none the
    /// export controls: inbound jobs read deletion from the source system,
    /// and Cloud Sync deletes through the directory itself.
    pub fn activation_attributes(self) -> &'static [&'static str] {
        match self {
            JobKind::OutboundScim => &["active"],
            // Salesforce `IsActive`, ServiceNow `active`, Google `suspended`…:
            // any of these, with or without the SCIM spelling.
            JobKind::OutboundApp => &[
                "active",
                "IsActive",
                "accountEnabled",
                "suspended",
                "enabled",
                "disabled",
            ],
            JobKind::CrossTenant => &["IsSoftDeleted", "accountEnabled"],
            JobKind::Unknown => &["active", "IsActive", "IsSoftDeleted", "accountEnabled"],
            JobKind::CloudSync | JobKind::InboundHr => &[],
        }
    }
}

impl std::fmt::Display for JobKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What was recognised about a file's job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognised {
    pub kind: JobKind,
    /// What identifies the application: the template id when the file has
    /// one (`scim`, `salesforce`), else the target directory name.
    pub target: Option<String>,
    /// The template id (first part of the job or schema id), when known.
    pub template: Option<String>,
}

impl Default for Recognised {
    fn default() -> Recognised {
        Recognised {
            kind: JobKind::Unknown,
            target: None,
            template: None,
        }
    }
}

impl Recognised {
    /// "outbound-scim (customappsso)".
    pub fn label(&self) -> String {
        match &self.target {
            Some(t) => format!("{} ({t})", self.kind),
            None => self.kind.to_string(),
        }
    }

    /// The line human output prints for a file: "outbound-scim job
    /// (outbound provisioning to a SCIM application), target customappsso".
    pub fn summary(&self) -> String {
        let mut line = format!("{} job ({})", self.kind, self.kind.describe());
        if let Some(t) = &self.target {
            line.push_str(", target ");
            line.push_str(t);
        }
        line
    }

    /// Every name that identifies the application, for matching against a
    /// profile's `targets`: template id and target directory names.
    pub fn target_names<'a>(&'a self, schema: &'a Schema) -> impl Iterator<Item = &'a str> + 'a {
        self.template.as_deref().into_iter().chain(
            schema
                .rules
                .iter()
                .filter_map(|r| r.target_directory.as_ref().map(|t| t.as_str())),
        )
    }
}

/// Template ids (lower case) and the kind each one is. A job id starts with
/// its template id (`scim.0123….guid`), so ids are matched on their first
/// dot-separated part, and a prefix of it for families (`workday…`).
const TEMPLATES: &[(&str, JobKind, bool)] = &[
    // (id or prefix, kind, is_prefix)
    ("scim", JobKind::OutboundScim, false),
    ("customappsso", JobKind::OutboundScim, true),
    ("azure2azure", JobKind::CrossTenant, false),
    ("ad2aad", JobKind::CloudSync, true),
    ("aad2ad", JobKind::CloudSync, true),
    ("workday", JobKind::InboundHr, true),
    ("successfactors", JobKind::InboundHr, true),
    ("sapsuccessfactors", JobKind::InboundHr, true),
    ("api2aad", JobKind::InboundHr, true),
    ("api2ad", JobKind::InboundHr, true),
];

/// The kind a template id names, when it is one of the templates above.
pub fn kind_of_template(template: &str) -> Option<JobKind> {
    let t = template.to_ascii_lowercase();
    TEMPLATES
        .iter()
        .find(|(id, _, prefix)| if *prefix { t.starts_with(id) } else { t == *id })
        .map(|&(_, kind, _)| kind)
}

/// Directory names of Entra ID itself (renamed in 2023; cross-tenant jobs
/// add a suffix for the target tenant).
fn is_entra(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("azure active directory") || n.contains("entra id") || n == "aad" || n == "azure ad"
}

/// Directory names of on-premises Active Directory (Cloud Sync).
fn is_active_directory(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    !is_entra(name) && (n == "ad" || n == "active directory" || n.contains("on-premises active directory"))
}

/// Source directory names of HR systems.
fn is_hr_source(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("workday") || n.contains("successfactors") || n == "api" || n.contains("inbound")
}

const SCIM_URN: &str = "urn:ietf:params:scim:schemas:";

/// The first part of a job, template or schema id: `scim` in
/// `scim.0123….guid`, `Azure2Azure` in `Azure2Azure.000…`.
pub fn template_of_id(id: &str) -> Option<&str> {
    let head = id.split('.').next()?.trim();
    // A bare GUID or an empty id names no template.
    let looks_like_guid = head.len() == 36 && head.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    (!head.is_empty() && !looks_like_guid).then_some(head)
}

/// A name from the file made safe to print on one line: control
/// characters become `?` and long names are cut.
fn printable(name: &str) -> String {
    let mut out: String = name
        .chars()
        .take(80)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if name.chars().count() > 80 {
        out.push('…');
    }
    out
}

/// Recognises the job kind of a schema.
pub fn recognise(schema: &Schema) -> Recognised {
    let template = schema
        .template_id
        .as_deref()
        .or_else(|| schema.job_id.as_deref().and_then(template_of_id))
        .or_else(|| schema.id.as_ref().and_then(|id| template_of_id(id.as_str())))
        .map(str::to_string);
    let target_dir = schema
        .rules
        .iter()
        .find_map(|r| r.target_directory.as_ref().map(|t| t.value.clone()));
    let target = template.clone().or_else(|| target_dir.clone()).map(|t| printable(&t));
    let done = |kind| Recognised {
        kind,
        target: target.clone(),
        template: template.clone(),
    };
    if let Some(kind) = template.as_deref().and_then(kind_of_template) {
        return done(kind);
    }
    // Directory names of every rule; rules that disagree leave the kind
    // unknown.
    let mut votes: Vec<JobKind> = Vec::new();
    for rule in &schema.rules {
        let source = rule.source_directory.as_ref().map_or("", |s| s.as_str());
        let target = rule.target_directory.as_ref().map_or("", |s| s.as_str());
        let scim_objects = rule
            .object_mappings
            .iter()
            .any(|m| m.target_object_name().starts_with(SCIM_URN));
        let kind = if target.eq_ignore_ascii_case("customappsso") || scim_objects {
            Some(JobKind::OutboundScim)
        } else if is_hr_source(source) {
            Some(JobKind::InboundHr)
        } else if is_active_directory(source) || (is_entra(source) && is_active_directory(target)) {
            Some(JobKind::CloudSync)
        } else if is_entra(source) && is_entra(target) {
            Some(JobKind::CrossTenant)
        } else if is_entra(source) && !target.is_empty() {
            Some(JobKind::OutboundApp)
        } else {
            None
        };
        votes.extend(kind);
    }
    // Without rules, the directories list alone (a `directories` fragment).
    if votes.is_empty() {
        let names: Vec<&str> = schema.directories.iter().map(|d| d.name_str()).collect();
        if names.iter().any(|n| n.eq_ignore_ascii_case("customappsso")) {
            votes.push(JobKind::OutboundScim);
        }
    }
    // Without directory names, SCIM URN object names still tell (fragments).
    if votes.is_empty()
        && schema
            .object_mappings()
            .any(|(_, m)| m.target_object_name().starts_with(SCIM_URN))
    {
        votes.push(JobKind::OutboundScim);
    }
    votes.sort();
    votes.dedup();
    match votes.as_slice() {
        [kind] => done(*kind),
        _ => done(JobKind::Unknown),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn kind_of(text: &str) -> Recognised {
        let root = json::parse(text).unwrap();
        recognise(&crate::model::build(&root))
    }

    fn rule(source: &str, target: &str, target_object: &str) -> String {
        format!(
            r#"{{"synchronizationRules":[{{"sourceDirectoryName":"{source}","targetDirectoryName":"{target}",
            "objectMappings":[{{"sourceObjectName":"User","targetObjectName":"{target_object}"}}]}}]}}"#
        )
    }

    #[test]
    fn names_are_kebab_case_and_round_trip() {
        for kind in JobKind::ALL {
            assert_eq!(JobKind::parse(kind.as_str()), Some(*kind));
            let json = serde_json::to_string(kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
    }

    /// The command line (`eval --kind`) takes the same names, in the same order.
    #[cfg(feature = "cli")]
    #[test]
    fn command_line_names_are_the_kebab_case_names() {
        use clap::ValueEnum;
        assert_eq!(JobKind::value_variants(), JobKind::ALL);
        for kind in JobKind::ALL {
            let value = kind.to_possible_value().unwrap();
            assert_eq!(value.get_name(), kind.as_str());
            assert_eq!(JobKind::from_str(kind.as_str(), false), Ok(*kind));
        }
    }

    #[test]
    fn template_ids_decide() {
        let scim = kind_of(r#"{"id":"scim.0123456789abcdef0123456789abcdef.6a0b230b-3a8d-455d-98db-6e9e679fb64f"}"#);
        assert_eq!(scim.kind, JobKind::OutboundScim);
        assert_eq!(scim.target.as_deref(), Some("scim"));
        let xts = kind_of(r#"{"id":"Azure2Azure.00000000000000000000000000000000"}"#);
        assert_eq!(xts.kind, JobKind::CrossTenant);
        assert_eq!(kind_of(r#"{"id":"AD2AADProvisioning.1.2"}"#).kind, JobKind::CloudSync);
        assert_eq!(kind_of(r#"{"id":"Workday2AAD.1.2"}"#).kind, JobKind::InboundHr);
        assert_eq!(kind_of(r#"{"id":"API2AAD.1.2"}"#).kind, JobKind::InboundHr);
        // A bare GUID is no template.
        assert_eq!(
            kind_of(r#"{"id":"6a0b230b-3a8d-455d-98db-6e9e679fb64f"}"#).kind,
            JobKind::Unknown
        );
    }

    #[test]
    fn directory_names_decide_without_an_id() {
        let cases = [
            ("Azure Active Directory", "customappsso", "User", JobKind::OutboundScim),
            ("Microsoft Entra ID", "Salesforce", "User", JobKind::OutboundApp),
            ("Azure Active Directory", "ServiceNow", "user", JobKind::OutboundApp),
            (
                "Microsoft Entra ID",
                "Microsoft Entra ID (target tenant)",
                "User",
                JobKind::CrossTenant,
            ),
            ("AD", "AAD", "User", JobKind::CloudSync),
            ("Microsoft Entra ID", "AD", "group", JobKind::CloudSync),
            ("Workday", "Active Directory", "user", JobKind::InboundHr),
            (
                "Azure Active Directory",
                "acme",
                "urn:ietf:params:scim:schemas:core:2.0:User",
                JobKind::OutboundScim,
            ),
            ("", "", "User", JobKind::Unknown),
        ];
        for (source, target, object, kind) in cases {
            assert_eq!(kind_of(&rule(source, target, object)).kind, kind, "{source} → {target}");
        }
        let salesforce = kind_of(&rule("Azure Active Directory", "salesforce.com", "User"));
        assert_eq!(salesforce.target.as_deref(), Some("salesforce.com"));
    }

    #[test]
    fn activation_attributes_per_kind() {
        assert_eq!(JobKind::OutboundScim.activation_attributes(), &["active"]);
        assert!(JobKind::OutboundApp.activation_attributes().contains(&"IsActive"));
        assert!(JobKind::CrossTenant.activation_attributes().contains(&"IsSoftDeleted"));
        assert!(JobKind::InboundHr.activation_attributes().is_empty());
    }
}
