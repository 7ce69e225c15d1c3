//! Value constraints of a profile row, and what can be proved about them
//! without data.
//!
//! Vendors state limits on values (Slack: `userName` shorter than 21
//! characters, `displayName` without `@`; AWS: one email; Atlassian: an
//! email for every user) that Entra does not check: the provisioning service
//! sends the value and the application rejects the user at run time, one
//! provisioning log entry at a time. An export cannot show the values, but
//! its expressions bound them: `Mid([x], 1, 20)` is never longer than 20
//! characters, `[userPrincipalName]` always contains `@`, `[mail]` is empty
//! for a user without a mailbox, `Coalesce([mail], [userPrincipalName])`
//! never is. The functions here compute those bounds conservatively: they
//! answer only what follows from the expression's shape and the attribute
//! definitions, and "can't tell" (`None`) for everything else, so the rule
//! `value-constraint` warns only when the expression itself allows the bad
//! value.

use super::raw::RawRow;
use crate::expr::{Arg, Expr};
use crate::span::FileSpan;
use crate::yaml::{self, YamlError};

/// What the application accepts as a row's value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Constraints {
    /// At most this many characters.
    pub max_length: Option<u32>,
    /// None of these characters.
    pub forbidden_characters: Option<String>,
    /// Never empty, for any user.
    pub required_non_empty: bool,
    /// One value: no multi-valued source, no second mapping into the same
    /// multi-valued SCIM attribute (`emails[type eq "work"]` and
    /// `emails[type eq "other"]`).
    pub single_valued: bool,
}

impl Constraints {
    pub(super) fn from_raw(
        row: &RawRow,
        err: &dyn Fn(FileSpan, String) -> YamlError,
    ) -> Result<Constraints, YamlError> {
        if let Some(max) = &row.max_length
            && max.value == 0
        {
            return Err(err(yaml::span_of(max), "`max-length` must be at least 1".into()));
        }
        if let Some(chars) = &row.forbidden_characters
            && chars.value.is_empty()
        {
            return Err(err(yaml::span_of(chars), "`forbidden-characters` is empty".into())
                .with_help("list the characters the application rejects, e.g. \"@\", or leave the key out"));
        }
        Ok(Constraints {
            max_length: row.max_length.as_ref().map(|m| m.value),
            forbidden_characters: row.forbidden_characters.as_ref().map(|c| c.value.clone()),
            required_non_empty: row.required_non_empty.unwrap_or(false),
            single_valued: row.single_valued.unwrap_or(false),
        })
    }

    /// Whether the row states any constraint.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }

    /// `max-length 20, forbidden-characters "@"`, for messages.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(n) = self.max_length {
            parts.push(format!("max-length {n}"));
        }
        if let Some(c) = &self.forbidden_characters {
            parts.push(format!("forbidden-characters {c:?}"));
        }
        if self.required_non_empty {
            parts.push("required-non-empty".to_string());
        }
        if self.single_valued {
            parts.push("single-valued".to_string());
        }
        parts.join(", ")
    }
}

/// Functions whose value is their first argument, changed in case,
/// spacing or accents only (never longer, empty exactly when it is).
const PASS_THROUGH: &[&str] = &[
    "ToLower",
    "ToUpper",
    "Trim",
    "NormalizeDiacritics",
    "StripSpaces",
    "PCase",
    "CStr",
];

/// Entra attributes every user or group has, when the export does not
/// declare the source object (a pruned export): the user principal name,
/// the object id, the mail nickname and the display name are required by
/// Entra itself.
const ALWAYS_PRESENT: &[&str] = &[
    "userPrincipalName",
    "objectId",
    "mailNickname",
    "displayName",
    "accountEnabled",
    "IsSoftDeleted",
];

/// Entra attributes whose values are email-shaped (always contain `@`).
const EMAIL_SHAPED: &[&str] = &["userPrincipalName", "mail", "otherMails", "proxyAddresses"];

fn args(e: &Expr) -> Option<(&str, &[Arg])> {
    match e {
        Expr::Call { name, args, .. } => Some((name.as_str(), args.as_slice())),
        _ => None,
    }
}

fn arg(args: &[Arg], i: usize) -> Option<&Expr> {
    args.get(i).and_then(Arg::expr)
}

fn number(e: Option<&Expr>) -> Option<usize> {
    match e? {
        Expr::Number { text, .. } => text.parse().ok(),
        Expr::Str { value, .. } => value.trim().parse().ok(),
        _ => None,
    }
}

/// The values a `Switch`, `IIF` or `Coalesce` can give (`None`: an empty
/// slot, e.g. Switch's default in `Switch([x], , …)`).
fn branches<'a>(name: &str, args: &'a [Arg]) -> Option<Vec<Option<&'a Expr>>> {
    match name {
        // Switch(source, default, key1, value1, key2, value2, …)
        "Switch" => {
            let mut out = vec![args.get(1).and_then(Arg::expr)];
            out.extend(args.iter().skip(3).step_by(2).map(Arg::expr));
            Some(out)
        }
        // IIF(condition, valueIfTrue, valueIfFalse)
        "IIF" | "Iif" => Some(vec![arg(args, 1), arg(args, 2)]),
        "Coalesce" => Some(args.iter().map(Arg::expr).collect()),
        _ => None,
    }
}

/// An upper bound of the value's length in characters, or `None` when the
/// expression does not bound it (an attribute, `Replace`, …).
pub fn max_length(e: &Expr) -> Option<usize> {
    match e {
        Expr::Str { value, .. } => Some(value.chars().count()),
        Expr::Number { text, .. } => Some(text.chars().count()),
        Expr::Call { .. } => {
            let (name, args) = args(e)?;
            match name {
                // Mid(source, start, length)
                "Mid" => {
                    let n = number(arg(args, 2))?;
                    Some(arg(args, 0).and_then(max_length).map_or(n, |m| m.min(n)))
                }
                // Left(source, numChars)
                "Left" => {
                    let n = number(arg(args, 1))?;
                    Some(arg(args, 0).and_then(max_length).map_or(n, |m| m.min(n)))
                }
                "Not" | "CBool" | "IsNull" | "IsNullOrEmpty" | "IsPresent" | "IsString" => Some(5),
                "Guid" => Some(36),
                "Append" | "Prepend" => {
                    let mut total = 0;
                    for a in args {
                        total += max_length(a.expr()?)?;
                    }
                    Some(total)
                }
                // Join(separator, value1, value2, …): one value may be multi-valued,
                // so only constants and bounded calls bound it.
                "Join" => {
                    let sep = arg(args, 0).map_or(Some(0), max_length)?;
                    let mut total = 0;
                    for a in &args[1.min(args.len())..] {
                        match a.expr() {
                            Some(Expr::Attribute { .. }) | None => return None,
                            Some(e) => total += max_length(e)?,
                        }
                    }
                    Some(total + sep * args.len().saturating_sub(2))
                }
                _ if PASS_THROUGH.contains(&name) => max_length(arg(args, 0)?),
                _ => {
                    let values = branches(name, args)?;
                    let mut max = 0;
                    for v in values {
                        max = max.max(v.map_or(Some(0), max_length)?);
                    }
                    Some(max)
                }
            }
        }
        _ => None,
    }
}

/// Whether the value can be empty for some user: `Some(true)` when the
/// expression allows it (an optional attribute, an empty `Switch` default),
/// `Some(false)` when it cannot be, `None` when the shape does not tell.
/// `required(name)` is the source object's declaration of an attribute.
pub fn can_be_empty(e: &Expr, required: &dyn Fn(&str) -> Option<bool>) -> Option<bool> {
    match e {
        Expr::Str { value, .. } => Some(value.is_empty()),
        Expr::Number { .. } | Expr::Hex { .. } => Some(false),
        Expr::Attribute { name, .. } => Some(match required(name) {
            Some(required) => !required && !ALWAYS_PRESENT.contains(&name.as_str()),
            None => !ALWAYS_PRESENT.contains(&name.as_str()),
        }),
        Expr::Call { .. } => {
            let (name, args) = args(e)?;
            match name {
                "Not" | "CBool" | "IsNull" | "IsNullOrEmpty" | "IsPresent" | "IsString" | "Guid" => Some(false),
                "Coalesce" | "Join" | "Append" | "Prepend" => {
                    let parts: &[Arg] = if name == "Join" {
                        &args[1.min(args.len())..]
                    } else {
                        args
                    };
                    let verdicts: Vec<Option<bool>> = parts
                        .iter()
                        .map(|a| a.expr().map_or(Some(true), |e| can_be_empty(e, required)))
                        .collect();
                    if verdicts.contains(&Some(false)) {
                        Some(false)
                    } else if verdicts.iter().all(|v| *v == Some(true)) {
                        Some(true)
                    } else {
                        None
                    }
                }
                "Mid" | "Left" | "Word" => can_be_empty(arg(args, 0)?, required).filter(|empty| *empty),
                _ if PASS_THROUGH.contains(&name) => can_be_empty(arg(args, 0)?, required),
                _ => {
                    let values = branches(name, args)?;
                    let verdicts: Vec<Option<bool>> = values
                        .into_iter()
                        .map(|v| v.map_or(Some(true), |e| can_be_empty(e, required)))
                        .collect();
                    if verdicts.contains(&Some(true)) {
                        Some(true)
                    } else if verdicts.iter().all(|v| *v == Some(false)) {
                        Some(false)
                    } else {
                        None
                    }
                }
            }
        }
        _ => None,
    }
}

/// A character of `forbidden` the value can contain, with the part of the
/// expression that brings it in (`the constant "a@b"`, `[mail]`), or
/// `None` when the expression does not show one.
pub fn forbidden_character(e: &Expr, forbidden: &str) -> Option<(char, String)> {
    match e {
        Expr::Str { value, .. } => value
            .chars()
            .find(|c| forbidden.contains(*c))
            .map(|c| (c, format!("from the constant {value:?}"))),
        Expr::Attribute { name, .. } if EMAIL_SHAPED.contains(&name.as_str()) && forbidden.contains('@') => {
            Some(('@', format!("[{name}] is an email address")))
        }
        Expr::Call { .. } => {
            let (name, args) = args(e)?;
            match name {
                "Join" | "Append" | "Prepend" => args
                    .iter()
                    .filter_map(Arg::expr)
                    .find_map(|a| forbidden_character(a, forbidden)),
                // Cutting can remove the character, but the first one survives in Mid(x, 1, n) / Left.
                "Mid" if number(arg(args, 1)) == Some(1) => forbidden_character(arg(args, 0)?, forbidden),
                "Left" => None,
                _ if PASS_THROUGH.contains(&name) => forbidden_character(arg(args, 0)?, forbidden),
                _ => branches(name, args)?
                    .into_iter()
                    .flatten()
                    .find_map(|v| forbidden_character(v, forbidden)),
            }
        }
        _ => None,
    }
}

/// A multi-valued attribute the value is taken from unreduced (`[otherMails]`,
/// not `Item([otherMails], 1)` or `Join(",", [otherMails])`).
pub fn multi_valued_source<'e>(e: &'e Expr, multivalued: &dyn Fn(&str) -> bool) -> Option<&'e str> {
    match e {
        Expr::Attribute { name, .. } if multivalued(name) => Some(name),
        Expr::Call { .. } => {
            let (name, args) = args(e)?;
            if PASS_THROUGH.contains(&name) {
                return multi_valued_source(arg(args, 0)?, multivalued);
            }
            branches(name, args)?
                .into_iter()
                .flatten()
                .find_map(|v| multi_valued_source(v, multivalued))
        }
        _ => None,
    }
}

/// The SCIM attribute a target writes into: `emails` for
/// `emails[type eq "work"].value`, `None` for a plain attribute.
pub fn multi_valued_parent(target: &str) -> Option<&str> {
    let i = target.find('[')?;
    Some(&target[..i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse;

    fn len(e: &str) -> Option<usize> {
        max_length(&parse(e).unwrap())
    }

    fn empty(e: &str) -> Option<bool> {
        can_be_empty(&parse(e).unwrap(), &|name| Some(name == "employeeId"))
    }

    #[test]
    fn lengths_are_bounded_only_by_the_shape() {
        assert_eq!(len("[userPrincipalName]"), None);
        assert_eq!(len("Mid([userPrincipalName], 1, 20)"), Some(20));
        assert_eq!(len("ToLower(Left([mailNickname], 12))"), Some(12));
        assert_eq!(len(r#"Mid("abc", 1, 20)"#), Some(3));
        assert_eq!(
            len(r#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#),
            Some(5)
        );
        assert_eq!(len(r#"Join(".", [givenName], [surname])"#), None);
        assert_eq!(len(r#"Join("-", "ab", Mid([x], 1, 3))"#), Some(6));
        assert_eq!(len(r#"Replace([mail], "@", , , "", , )"#), None);
    }

    #[test]
    fn emptiness_follows_attributes_and_fallbacks() {
        assert_eq!(empty("[mail]"), Some(true));
        assert_eq!(empty("[userPrincipalName]"), Some(false));
        assert_eq!(empty("[employeeId]"), Some(false), "declared required");
        assert_eq!(empty("Coalesce([mail], [userPrincipalName])"), Some(false));
        assert_eq!(empty("Coalesce([mail], [otherMails])"), Some(true));
        assert_eq!(empty("ToLower([mail])"), Some(true));
        assert_eq!(empty(r#"Switch([department], , "Sales", "S")"#), Some(true));
        assert_eq!(empty(r#"Switch([department], "none", "Sales", "S")"#), Some(false));
        assert_eq!(empty(r#"Replace([mail], "@", , , "", , )"#), None);
    }

    #[test]
    fn forbidden_characters_come_from_constants_and_email_attributes() {
        let hit = |e: &str| forbidden_character(&parse(e).unwrap(), "@").map(|(c, why)| format!("{c} {why}"));
        assert_eq!(hit("[displayName]"), None);
        assert_eq!(
            hit("[userPrincipalName]").unwrap(),
            "@ [userPrincipalName] is an email address"
        );
        assert_eq!(
            hit(r#"Join(" ", [givenName], "@team")"#).unwrap(),
            "@ from the constant \"@team\""
        );
        assert_eq!(hit("Mid([mail], 1, 20)").unwrap(), "@ [mail] is an email address");
        assert_eq!(hit(r#"Word([userPrincipalName], 1, "@")"#), None);
        assert_eq!(
            hit("Coalesce([displayName], [mail])").unwrap(),
            "@ [mail] is an email address"
        );
    }

    #[test]
    fn multi_valued_sources_and_parents() {
        let mv = |name: &str| name == "otherMails";
        assert_eq!(
            multi_valued_source(&parse("[otherMails]").unwrap(), &mv),
            Some("otherMails")
        );
        assert_eq!(multi_valued_source(&parse("Item([otherMails], 1)").unwrap(), &mv), None);
        assert_eq!(multi_valued_source(&parse("[mail]").unwrap(), &mv), None);
        assert_eq!(multi_valued_parent(r#"emails[type eq "work"].value"#), Some("emails"));
        assert_eq!(multi_valued_parent("userName"), None);
    }
}
