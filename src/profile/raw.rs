//! The profile YAML exactly as written, deserialized with positions.
//!
//! These types mirror `schemas/profile.schema.json`; keep them in step.
//! Unknown keys are errors (a misspelt `unexpectd:` must not silently keep
//! the default).

use serde::Deserialize;
use serde_saphyr::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawProfile {
    pub name: Spanned<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// The application's display name (`Slack`).
    #[serde(default)]
    pub application: Option<String>,
    /// The URL of the document the profile was written from.
    #[serde(default)]
    pub documentation: Option<Spanned<String>>,
    /// A built-in profile name or a path (relative to this file) to start from.
    #[serde(default)]
    pub extends: Option<Spanned<String>>,
    /// The job kind the profile is written for (`outbound-scim`, …).
    #[serde(default)]
    pub kind: Option<Spanned<crate::model::JobKind>>,
    /// Template ids or target directory names that identify the
    /// application (`customappsso`, `salesforce`).
    #[serde(default)]
    pub targets: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub users: Option<Spanned<RawObject>>,
    #[serde(default)]
    pub groups: Option<Spanned<RawObject>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawObject {
    #[serde(default)]
    pub source_object: Option<Spanned<String>>,
    #[serde(default)]
    pub target_objects: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub required: Option<bool>,
    #[serde(default)]
    pub unexpected: Option<Spanned<Policy>>,
    #[serde(default)]
    pub mappings: Vec<RawRow>,
    /// Targets of the base profile (`extends`) this profile drops.
    #[serde(default)]
    pub remove: Vec<Spanned<String>>,
    /// Targets the application accepts besides the required rows.
    #[serde(default)]
    pub allowed: Option<RawAllowed>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawAllowed {
    #[serde(default)]
    pub reason: Option<String>,
    pub targets: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawRow {
    pub target: Spanned<String>,
    /// Absent: the application requires the target but not a particular source.
    #[serde(default)]
    pub source: Option<Spanned<SourceText>>,
    #[serde(default)]
    pub flow: Option<Spanned<FlowType>>,
    #[serde(default)]
    pub matching: Option<Spanned<bool>>,
    #[serde(default)]
    pub attribute: Option<Spanned<RawAttribute>>,
    /// `false`: checked when mapped, not reported when missing.
    #[serde(default)]
    pub required: Option<bool>,
    /// Why the application requires the row, quoting the source document.
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub max_length: Option<Spanned<u32>>,
    #[serde(default)]
    pub forbidden_characters: Option<Spanned<String>>,
    #[serde(default)]
    pub required_non_empty: Option<bool>,
    #[serde(default)]
    pub single_valued: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawAttribute {
    #[serde(default, rename = "type")]
    pub kind: Option<AttributeType>,
    #[serde(default)]
    pub multivalued: Option<bool>,
    #[serde(default)]
    pub required: Option<bool>,
    #[serde(default)]
    pub case_exact: Option<bool>,
}

/// What to do with a mapping the profile does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Policy {
    Error,
    Warning,
    Info,
    Off,
}

/// `flowType` values a profile may require (format.md §1.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum FlowType {
    Always,
    ObjectAddOnly,
    MultiValueAddOnly,
    ValueAddOnly,
    AttributeAddOnly,
}

impl FlowType {
    pub fn as_str(self) -> &'static str {
        match self {
            FlowType::Always => "Always",
            FlowType::ObjectAddOnly => "ObjectAddOnly",
            FlowType::MultiValueAddOnly => "MultiValueAddOnly",
            FlowType::ValueAddOnly => "ValueAddOnly",
            FlowType::AttributeAddOnly => "AttributeAddOnly",
        }
    }
}

/// Attribute types of an attribute definition (format.md §1.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum AttributeType {
    String,
    Integer,
    Reference,
    Binary,
    Boolean,
    DateTime,
}

impl AttributeType {
    pub fn as_str(self) -> &'static str {
        match self {
            AttributeType::String => "String",
            AttributeType::Integer => "Integer",
            AttributeType::Reference => "Reference",
            AttributeType::Binary => "Binary",
            AttributeType::Boolean => "Boolean",
            AttributeType::DateTime => "DateTime",
        }
    }
}

/// A source expression. In YAML, `source: [mail]` (unquoted) is a list with
/// one string, not the text `[mail]`; since that is what people write for a
/// Direct mapping, a one-element list of a plain name is read as the
/// attribute reference `[name]`.
#[derive(Debug, Clone)]
pub struct SourceText(pub String);

impl<'de> Deserialize<'de> for SourceText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = SourceText;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an expression string such as \"[mail]\" or \"Not([IsSoftDeleted])\"")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SourceText, E> {
                Ok(SourceText(v.to_string()))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<SourceText, A::Error> {
                let first: Option<String> = seq.next_element()?;
                let rest: Option<serde::de::IgnoredAny> = seq.next_element()?;
                match (first, rest) {
                    (Some(name), None) => Ok(SourceText(format!("[{name}]"))),
                    _ => Err(serde::de::Error::custom(
                        "write the source as a quoted expression string, e.g. \"[mail]\"",
                    )),
                }
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}
