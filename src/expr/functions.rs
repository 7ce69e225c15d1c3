//! The function catalogue: every function the provisioning engine knows, with its parameters.
//!
//! Sources are format.md §3.3 (the app-provisioning function reference, "documented") and the
//! engine-only functions of §3.3's tail (functions API and Cloud Sync reference, "undocumented" for
//! app provisioning). `AssertiveAppRoleAssignmentsComplex` appears only in the
//! customize-application-attributes article but is treated as documented.
//!
//! The catalogue is data, so rules (unknown-function, undocumented-function, function-arity),
//! the evaluator and documentation output all read the same table. Function names are
//! case-sensitive (pitfall P22): [`lookup`] is exact, [`suggest`] finds the intended spelling.
//!
//! [`check_arity`] knows the positional quirks that a plain min/max count misses: Switch's
//! key/value pairing after `source` and `defaultValue`, Replace's seven slots and its valid mode
//! combinations, FormatDateTime's optional *second* parameter, and required slots left empty.

use super::ast::{Arg, Expr};
use crate::span::ExprSpan;

/// How often a parameter may appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occurrence {
    Required,
    Optional,
    /// Repeats; consecutive variadic parameters repeat as a group (Switch's key, value).
    Variadic,
}

/// Documented value types of parameters and results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    String,
    /// `"True"` / `"False"` strings.
    Boolean,
    Integer,
    /// A date string (`M/d/yyyy h:mm:ss tt` when produced by the engine).
    DateTime,
    /// A multi-valued attribute or list.
    MultiValued,
    /// A reference (DN or object id).
    Reference,
    /// Binary data (base64 in JSON).
    Binary,
    /// A condition: a value or a comparison (`=`, `<>`, `<`, `<=`, `>`, `>=`).
    Condition,
    /// `vbTextCompare` / `vbBinaryCompare`.
    CompareType,
    /// A text encoding name (`Unicode`, `UTF8`, `ASCII`).
    Encoding,
    /// The `[appRoleAssignments]` object.
    AppRoleAssignments,
    /// Multi-valued complex SCIM roles.
    Roles,
    /// Whatever the arguments produce.
    Any,
    /// Produces no value (raises an error).
    Never,
}

/// One parameter of a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// The name used in the documentation.
    pub name: &'static str,
    /// The key under which the engine stores this argument in the JSON `parameters` array, where it
    /// is known (format.md §2.1); other keys are unverified.
    pub json_key: Option<&'static str>,
    pub ty: ValueType,
    pub occurrence: Occurrence,
}

/// A function of the expression language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FunctionSpec {
    pub name: &'static str,
    pub params: &'static [Param],
    pub returns: ValueType,
    /// One paragraph: what it does and its edge cases.
    pub doc: &'static str,
    /// Listed in the app-provisioning function reference (or, for
    /// AssertiveAppRoleAssignmentsComplex, in the attribute-customization article).
    pub documented: bool,
    /// Fewest arguments (including empty slots) accepted.
    pub min_args: usize,
    /// Most arguments accepted; `None` for unbounded.
    pub max_args: Option<usize>,
}

impl FunctionSpec {
    /// `Name(a, [b], c…)`: optional parameters in brackets, repeating ones with `…`.
    pub fn signature(&self) -> String {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|p| match p.occurrence {
                Occurrence::Required => p.name.to_string(),
                Occurrence::Optional => format!("[{}]", p.name),
                Occurrence::Variadic => format!("{}…", p.name),
            })
            .collect();
        format!("{}({})", self.name, params.join(", "))
    }

    /// The parameter that argument `index` of a call with `argc` arguments binds to.
    pub fn param_for_slot(&self, argc: usize, index: usize) -> Option<&'static Param> {
        if index >= argc || self.max_args.is_some_and(|m| index >= m) {
            return None;
        }
        match self.name {
            // The 3-argument form has no dateTimeStyles.
            "FormatDateTime" if argc == 3 => Some(&self.params[[0, 2, 3][index]]),
            "Switch" => Some(&self.params[if index < 2 { index } else { 2 + (index - 2) % 2 }]),
            _ => {
                let first_variadic = self.params.iter().position(|p| p.occurrence == Occurrence::Variadic);
                match first_variadic {
                    None => self.params.get(index),
                    Some(v) if index < v => self.params.get(index),
                    Some(v) => {
                        let group = self.params[v..]
                            .iter()
                            .take_while(|p| p.occurrence == Occurrence::Variadic)
                            .count();
                        self.params.get(v + (index - v) % group)
                    }
                }
            }
        }
    }
}

const fn p(name: &'static str, json_key: Option<&'static str>, ty: ValueType, occurrence: Occurrence) -> Param {
    Param {
        name,
        json_key,
        ty,
        occurrence,
    }
}

use Occurrence::{Optional as O, Required as R, Variadic as V};
use ValueType as T;

const SOURCE: Option<&str> = Some("source");

macro_rules! spec {
    ($name:literal, [$($param:expr),* $(,)?], $ret:expr, $min:expr, $max:expr, $documented:expr, $doc:literal) => {
        FunctionSpec {
            name: $name,
            params: &[$($param),*],
            returns: $ret,
            doc: $doc,
            documented: $documented,
            min_args: $min,
            max_args: $max,
        }
    };
}

/// Every known function, alphabetically within documented and undocumented.
pub static FUNCTIONS: &[FunctionSpec] = &[
    spec!(
        "Append",
        [
            p("source", SOURCE, T::String, R),
            p("suffix", Some("suffix"), T::String, R)
        ],
        T::String,
        2,
        Some(2),
        true,
        "Returns source with suffix appended. A null source is treated as an empty string."
    ),
    spec!(
        "AppRoleAssignmentsComplex",
        [p("[appRoleAssignments]", SOURCE, T::AppRoleAssignments, R)],
        T::Roles,
        1,
        Some(1),
        true,
        "Emits all of the user's app roles as multi-valued complex SCIM `roles` (each with primary = false). The `roles` target must exist as a multi-valued attribute; not compatible with scope \"Sync all users and groups\"; PATCH uses Add, so roles removed in Entra are not removed in the target."
    ),
    spec!(
        "AssertiveAppRoleAssignmentsComplex",
        [p("[appRoleAssignments]", SOURCE, T::AppRoleAssignments, R)],
        T::Roles,
        1,
        Some(1),
        true,
        "Like AppRoleAssignmentsComplex but PATCH uses Replace, so roles not assigned in Entra are removed from the target. Documented only in the customize-application-attributes article."
    ),
    spec!(
        "BitAnd",
        [p("value1", None, T::Integer, R), p("value2", None, T::Integer, R)],
        T::Integer,
        2,
        Some(2),
        true,
        "Bitwise AND of two integers (decimal or &H hex). BitAnd(&HF, &HF7) is 7."
    ),
    spec!(
        "CBool",
        [p("expression", None, T::Condition, R)],
        T::Boolean,
        1,
        Some(1),
        true,
        "\"True\" when the expression evaluates to a non-zero number or true condition, else \"False\"; e.g. CBool([a] = [b])."
    ),
    spec!(
        "CDate",
        [p("expression", None, T::String, R)],
        T::DateTime,
        1,
        Some(1),
        true,
        "Parses a date/time string and returns it converted to UTC, rendered as M/d/yyyy h:mm:ss tt. Feed its result to DateAdd, DateDiff or FormatDateTime."
    ),
    spec!(
        "Coalesce",
        [p("source", None, T::String, V), p("defaultValue", None, T::String, O)],
        T::String,
        1,
        None,
        true,
        "Returns the first argument that is not null; if all are null, the last one (defaultValue) if given, else null. The engine cannot tell the last source from defaultValue positionally."
    ),
    spec!(
        "ConvertToBase64",
        [p("source", None, T::String, R)],
        T::String,
        1,
        Some(1),
        true,
        "Base64 of the UTF-16LE (\"Unicode\") bytes of source: \"Hello world!\" gives \"SABlAGwAbABvACAAdwBvAHIAbABkACEA\"."
    ),
    spec!(
        "ConvertToUTF8Hex",
        [p("source", None, T::String, R)],
        T::String,
        1,
        Some(1),
        true,
        "Upper-case hexadecimal of the UTF-8 bytes of source: \"Hello world!\" gives 48656C6C6F20776F726C6421."
    ),
    spec!(
        "Count",
        [p("attribute", None, T::MultiValued, R)],
        T::Integer,
        1,
        Some(1),
        true,
        "Number of values of a multi-valued attribute."
    ),
    spec!(
        "CStr",
        [p("value", None, T::Any, R)],
        T::String,
        1,
        Some(1),
        true,
        "Converts a number, reference or boolean to a string."
    ),
    spec!(
        "DateAdd",
        [
            p("interval", None, T::String, R),
            p("value", None, T::Integer, R),
            p("dateTime", None, T::DateTime, R)
        ],
        T::DateTime,
        3,
        Some(3),
        true,
        "Adds value intervals (yyyy, m, d, ww, h, n, s; value may be negative) to dateTime and returns M/d/yyyy h:mm:ss tt. Wrap date strings in CDate; use Now() for the current time."
    ),
    spec!(
        "DateDiff",
        [
            p("interval", None, T::String, R),
            p("date1", None, T::DateTime, R),
            p("date2", None, T::DateTime, R)
        ],
        T::Integer,
        3,
        Some(3),
        true,
        "date2 − date1 counted in interval units (yyyy, m, d, ww, h, n, s): positive when date2 is later, 0 when equal."
    ),
    spec!(
        "DateFromNum",
        [p("value", None, T::Integer, R)],
        T::DateTime,
        1,
        Some(1),
        true,
        "Converts an Active Directory integer date (100-ns ticks since 1601-01-01 UTC, e.g. lastLogonTimestamp) to a DateTime; DateFromNum(129699324000000000) is 1/1/2012 11:00:00 PM."
    ),
    spec!(
        "FormatDateTime",
        [
            p("source", SOURCE, T::String, R),
            p("dateTimeStyles", None, T::String, O),
            p("inputFormat", Some("inputFormat"), T::String, R),
            p("outputFormat", Some("outputFormat"), T::String, R)
        ],
        T::String,
        3,
        Some(4),
        true,
        "Parses source with the .NET custom format inputFormat and prints it with outputFormat. dateTimeStyles may be left empty (RoundtripKind, AllowLeadingWhite, AllowTrailingWhite). The older 3-argument form without dateTimeStyles is also accepted."
    ),
    spec!(
        "Guid",
        [],
        T::String,
        0,
        Some(0),
        true,
        "A new random GUID, e.g. 00aa00aa-bb11-cc22-dd33-44ee44ee44ee."
    ),
    spec!(
        "IgnoreFlowIfNullOrEmpty",
        [p("expression", None, T::Any, R)],
        T::Any,
        1,
        Some(1),
        true,
        "If the enclosed expression is null or empty, the target attribute is dropped from the flow (not sent); otherwise its value flows."
    ),
    spec!(
        "IIF",
        [
            p("condition", Some("one"), T::Condition, R),
            p("valueIfTrue", None, T::Any, R),
            p("valueIfFalse", None, T::Any, R)
        ],
        T::Any,
        3,
        Some(3),
        true,
        "valueIfTrue if condition holds, else valueIfFalse. Conditions may compare with =, <>, <, <=, >, >=; there is no AND/OR (nest IIF). If an attribute in the condition is null or empty the condition check fails, so IsNullOrEmpty/IsPresent/=\"\" conditions are unsupported; use Switch with an \"\" key."
    ),
    spec!(
        "InStr",
        [
            p("value1", None, T::String, R),
            p("value2", None, T::String, R),
            p("start", None, T::Integer, O),
            p("compareType", None, T::CompareType, O)
        ],
        T::Integer,
        2,
        Some(4),
        true,
        "1-based position of the first occurrence of value2 in value1 at or after start, 0 if none. compareType is vbBinaryCompare (default, case-sensitive) or vbTextCompare."
    ),
    spec!(
        "IsNull",
        [p("expression", None, T::Any, R)],
        T::Boolean,
        1,
        Some(1),
        true,
        "\"True\" when the expression is null; an attribute is null when it is absent."
    ),
    spec!(
        "IsNullOrEmpty",
        [p("expression", None, T::Any, R)],
        T::Boolean,
        1,
        Some(1),
        true,
        "\"True\" when the expression is null or an empty string; the inverse of IsPresent."
    ),
    spec!(
        "IsPresent",
        [p("expression", SOURCE, T::Any, R)],
        T::Boolean,
        1,
        Some(1),
        true,
        "\"True\" when the expression is neither null nor empty; the inverse of IsNullOrEmpty."
    ),
    spec!(
        "IsString",
        [p("expression", None, T::Any, R)],
        T::Boolean,
        1,
        Some(1),
        true,
        "\"True\" when the expression can be evaluated as a string."
    ),
    spec!(
        "Item",
        [p("attribute", None, T::MultiValued, R), p("index", None, T::Integer, R)],
        T::String,
        2,
        Some(2),
        true,
        "The value at a 1-based index of a multi-valued attribute; index 0 must not be used and an out-of-range index is an error."
    ),
    spec!(
        "Join",
        [
            p("separator", Some("separator"), T::String, R),
            p("source", SOURCE, T::String, V)
        ],
        T::String,
        2,
        None,
        true,
        "Joins the non-empty source values with separator (which may be \"\"); every value of a multi-valued source is included."
    ),
    spec!(
        "Left",
        [p("String", None, T::String, R), p("NumChars", None, T::Integer, R)],
        T::String,
        2,
        Some(2),
        true,
        "The first NumChars characters: 0 gives \"\", a negative count gives the whole string, a null string gives \"\", a shorter string is returned unchanged."
    ),
    spec!(
        "Mid",
        [
            p("source", SOURCE, T::String, R),
            p("start", Some("start"), T::Integer, R),
            p("length", Some("length"), T::Integer, R)
        ],
        T::String,
        3,
        Some(3),
        true,
        "length characters starting at the 1-based position start; a length past the end stops at the end."
    ),
    spec!(
        "NormalizeDiacritics",
        [p("source", None, T::String, R)],
        T::String,
        1,
        Some(1),
        true,
        "Replaces accented characters with their base letters per a fixed table (Zoë → Zoe; ß → ss, æ → ae, ø → oe)."
    ),
    spec!(
        "Not",
        [p("source", SOURCE, T::Boolean, R)],
        T::Boolean,
        1,
        Some(1),
        true,
        "\"False\" when source is \"True\"; anything else, including null, gives \"True\"."
    ),
    spec!(
        "Now",
        [],
        T::DateTime,
        0,
        Some(0),
        true,
        "The current UTC time as M/d/yyyy h:mm:ss tt."
    ),
    spec!(
        "NumFromDate",
        [p("value", None, T::String, R)],
        T::Integer,
        1,
        Some(1),
        true,
        "Converts an ISO 8601 date string to the Active Directory integer format (e.g. for accountExpires)."
    ),
    spec!(
        "PCase",
        [p("source", None, T::String, R), p("wordSeparators", None, T::String, O)],
        T::String,
        1,
        Some(2),
        true,
        "Proper case: the first letter of each word upper case, the rest lower case. Without wordSeparators words are split like .NET ToTitleCase (spaces, punctuation, symbols); with them only those characters split words."
    ),
    spec!(
        "RandomString",
        [
            p("Length", None, T::Integer, R),
            p("MinimumNumbers", None, T::Integer, R),
            p("MinimumSpecialCharacters", None, T::Integer, R),
            p("MinimumCapital", None, T::Integer, R),
            p("MinimumLowerCase", None, T::Integer, R),
            p("CharactersToAvoid", None, T::String, O)
        ],
        T::String,
        5,
        Some(6),
        true,
        "A random string of Length (at most 256) characters with at least the given numbers of digits, special characters, capitals and lower-case letters, avoiding CharactersToAvoid."
    ),
    spec!(
        "Redact",
        [p("value", None, T::Any, R)],
        T::Any,
        1,
        Some(1),
        true,
        "Passes the value through but shows it as [Redact] in the provisioning logs."
    ),
    spec!(
        "RemoveDuplicates",
        [p("attribute", None, T::MultiValued, R)],
        T::MultiValued,
        1,
        Some(1),
        true,
        "The values of a multi-valued attribute with duplicates removed."
    ),
    spec!(
        "Replace",
        [
            p("source", SOURCE, T::String, R),
            p("oldValue", Some("Find"), T::String, O),
            p("regexPattern", Some("RegularExpression"), T::String, O),
            p("regexGroupName", Some("RegularExpressionGroupName"), T::String, O),
            p("replacementValue", Some("Replacement"), T::String, O),
            p(
                "replacementAttributeName",
                Some("ReplacementPropertyName"),
                T::String,
                O
            ),
            p("template", Some("Template"), T::String, O),
        ],
        T::String,
        1,
        Some(7),
        true,
        "Case-sensitive replacement; the mode depends on which of the seven positional slots are filled: oldValue + replacementValue (replace all occurrences), oldValue + template (put source into template at oldValue), regexPattern + replacementValue (${group} references allowed), regexPattern + regexGroupName + replacementValue (replace only that group's matches), regexPattern + regexGroupName + replacementAttributeName (if source is empty, extract the group from that other attribute)."
    ),
    spec!(
        "SelectUniqueValue",
        [p("uniqueValueRule", None, T::String, V)],
        T::String,
        2,
        None,
        true,
        "Returns the first rule's value that is not yet used in the target, escrowing the object if all are taken. Needs at least two rules, must be top level, must not be on a matching attribute, should flow only on create, and is only supported for Workday/SuccessFactors/API-driven provisioning to on-premises AD — not for SCIM apps."
    ),
    spec!(
        "SingleAppRoleAssignment",
        [p("[appRoleAssignments]", SOURCE, T::AppRoleAssignments, R)],
        T::String,
        1,
        Some(1),
        true,
        "One of the user's app role values as a string (which one is undefined when there are several). Map it to roles[primary eq \"True\"].value/.display/.type; not compatible with \"Sync all users and groups\"."
    ),
    spec!(
        "Split",
        [
            p("source", SOURCE, T::String, R),
            p("delimiter", Some("delimiter"), T::String, R)
        ],
        T::MultiValued,
        2,
        Some(2),
        true,
        "Splits source at every occurrence of delimiter into a multi-valued result."
    ),
    spec!(
        "StripSpaces",
        [p("source", SOURCE, T::String, R)],
        T::String,
        1,
        Some(1),
        true,
        "Removes every space (\" \") character."
    ),
    spec!(
        "Switch",
        [
            p("source", SOURCE, T::String, R),
            p("defaultValue", Some("defaultValue"), T::String, O),
            p("key", Some("switchValue"), T::String, V),
            p("value", Some("switchValue"), T::String, V)
        ],
        T::String,
        4,
        None,
        true,
        "Returns the value paired with the first key equal to source (case-sensitive; an \"\" key matches an empty or null source), else defaultValue. Keys and values must come in pairs. Do not wrap source in IsPresent/IsNull/IsNullOrEmpty and do not use it for references such as manager; known issue: it may evaluate to null when an unrelated attribute changes."
    ),
    spec!(
        "ToLower",
        [p("source", SOURCE, T::String, R), p("culture", None, T::String, O)],
        T::String,
        1,
        Some(2),
        true,
        "Lower case using the given RFC 4646 culture (invariant by default)."
    ),
    spec!(
        "ToUpper",
        [p("source", SOURCE, T::String, R), p("culture", None, T::String, O)],
        T::String,
        1,
        Some(2),
        true,
        "Upper case using the given RFC 4646 culture (invariant by default)."
    ),
    spec!(
        "Word",
        [
            p("String", None, T::String, R),
            p("WordNumber", None, T::Integer, R),
            p("Delimiters", None, T::String, R)
        ],
        T::String,
        3,
        Some(3),
        true,
        "The WordNumber-th (1-based) word, words being separated by any character of Delimiters; \"\" when WordNumber < 1, the string is null, or there are fewer words."
    ),
    // Engine-only functions (functions API / Cloud Sync reference), not in the app-provisioning docs.
    spec!(
        "AppRoleAssignments",
        [p("source", SOURCE, T::AppRoleAssignments, R)],
        T::MultiValued,
        1,
        Some(1),
        false,
        "Advertised by the functions API; not documented for app provisioning. Modelled as the list of the user's app role values."
    ),
    spec!(
        "CRef",
        [p("value", None, T::String, R)],
        T::Reference,
        1,
        Some(1),
        false,
        "Cloud Sync: converts a string to a reference (used as DNComponent(CRef([dn]), 1))."
    ),
    spec!(
        "Contains",
        [
            p("attribute", None, T::MultiValued, R),
            p("search", None, T::String, R),
            p("compareType", None, T::CompareType, O)
        ],
        T::Integer,
        2,
        Some(3),
        false,
        "Cloud Sync: 1-based index of the first value of a multi-valued attribute that contains search, 0 if none."
    ),
    spec!(
        "ConvertFromBase64",
        [p("source", None, T::String, R), p("encoding", None, T::Encoding, O)],
        T::String,
        1,
        Some(2),
        false,
        "Cloud Sync: decodes base64 to text; the encoding is Unicode (UTF-16LE, default), UTF8 or ASCII."
    ),
    spec!(
        "DefaultDomain",
        [],
        T::String,
        0,
        Some(0),
        false,
        "Advertised by the functions API: the tenant's default verified domain."
    ),
    spec!(
        "DNComponent",
        [
            p("dn", None, T::Reference, R),
            p("ComponentNumber", None, T::Integer, R)
        ],
        T::String,
        2,
        Some(2),
        false,
        "Cloud Sync: the value of the ComponentNumber-th (1-based, from the left) component of a DN; \"cn=Joe,ou=…\" gives Joe for 1."
    ),
    spec!(
        "Error",
        [p("ErrorMessage", None, T::String, R)],
        T::Never,
        1,
        Some(1),
        false,
        "Cloud Sync: raises a custom error on the object."
    ),
    spec!(
        "IsNothing",
        [p("source", SOURCE, T::Boolean, R)],
        T::Boolean,
        1,
        Some(1),
        false,
        "Advertised by the functions API; modelled like IsNull."
    ),
    spec!(
        "Prepend",
        [
            p("prefix", Some("prefix"), T::String, R),
            p("source", SOURCE, T::String, R)
        ],
        T::String,
        2,
        Some(2),
        false,
        "Advertised by the functions API: prefix followed by source."
    ),
    spec!(
        "StringFromSID",
        [p("ObjectSID", None, T::Binary, R)],
        T::String,
        1,
        Some(1),
        false,
        "Cloud Sync: converts a binary security identifier (base64) to its S-1-… string form."
    ),
    spec!(
        "Trim",
        [p("source", SOURCE, T::String, R)],
        T::String,
        1,
        Some(1),
        false,
        "Cloud Sync (also used in Microsoft's Entra→AD defaults): removes leading and trailing white space, from every value of a multi-valued input."
    ),
];

/// Looks a function up by its exact (case-sensitive) name.
pub fn lookup(name: &str) -> Option<&'static FunctionSpec> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

/// The most likely intended function for an unknown name: a case-insensitive match first, then
/// the closest name by edit distance (transpositions count once). `None` when `name` is already a
/// known function or nothing is close.
pub fn suggest(name: &str) -> Option<&'static str> {
    if lookup(name).is_some() {
        return None;
    }
    if let Some(f) = FUNCTIONS.iter().find(|f| f.name.eq_ignore_ascii_case(name)) {
        return Some(f.name);
    }
    let lower = name.to_ascii_lowercase();
    let limit = match name.chars().count() {
        0..=3 => 1,
        4..=6 => 2,
        _ => 3,
    };
    FUNCTIONS
        .iter()
        .map(|f| (edit_distance(&lower, &f.name.to_ascii_lowercase()), f.name))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

/// What kind of arity problem was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArityProblemKind {
    TooFewArguments,
    TooManyArguments,
    /// A required slot holds nothing (`Mid([x], , 3)`).
    EmptyRequiredArgument,
    /// Switch has a key without a value.
    UnpairedSwitchValue,
    /// Replace written with fewer than its seven positional slots.
    ReplaceSlotCount,
    /// Replace's filled slots match none of its documented modes.
    InvalidReplaceCombination,
}

/// One arity problem with the span it concerns (offsets into the expression text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArityProblem {
    pub kind: ArityProblemKind,
    pub message: String,
    pub span: ExprSpan,
}

fn count_phrase(spec: &FunctionSpec) -> String {
    let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
    match spec.max_args {
        Some(max) if max == spec.min_args => format!("{max} {}", plural(max)),
        Some(max) => format!("{} to {max} arguments", spec.min_args),
        None => format!("at least {} {}", spec.min_args, plural(spec.min_args)),
    }
}

/// Replace's documented modes, as the set of filled optional slots (1-based positions 2..=7
/// counted from 0: oldValue 1, regexPattern 2, regexGroupName 3, replacementValue 4,
/// replacementAttributeName 5, template 6).
const REPLACE_MODES: &[(&[usize], &str)] = &[
    (&[1, 4], "oldValue + replacementValue"),
    (&[1, 6], "oldValue + template"),
    (&[2, 4], "regexPattern + replacementValue"),
    (&[2, 3, 4], "regexPattern + regexGroupName + replacementValue"),
    (&[2, 3, 5], "regexPattern + regexGroupName + replacementAttributeName"),
];

/// Checks the argument count and slot usage of one call. Returns nothing for other nodes and for
/// unknown functions (that is the unknown-function rule's business).
pub fn check_arity(call: &Expr) -> Vec<ArityProblem> {
    let Some(c) = call.as_call() else {
        return Vec::new();
    };
    let Some(spec) = lookup(c.name) else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    let argc = c.args.len();
    let close_paren = ExprSpan::new(c.span.end.saturating_sub(1), c.span.end);
    if argc < spec.min_args {
        problems.push(ArityProblem {
            kind: ArityProblemKind::TooFewArguments,
            message: format!(
                "{} takes {} but {argc} {} given: {}",
                spec.name,
                count_phrase(spec),
                if argc == 1 { "was" } else { "were" },
                spec.signature()
            ),
            span: close_paren,
        });
    }
    if let Some(max) = spec.max_args
        && argc > max
    {
        problems.push(ArityProblem {
            kind: ArityProblemKind::TooManyArguments,
            message: format!(
                "{} takes {} but {argc} were given: {}",
                spec.name,
                count_phrase(spec),
                spec.signature()
            ),
            span: ExprSpan::new(c.args[max].span().start, c.args[argc - 1].span().end),
        });
    }
    for (i, arg) in c.args.iter().enumerate() {
        if let (Arg::Empty(span), Some(param)) = (arg, spec.param_for_slot(argc, i))
            && param.occurrence != Occurrence::Optional
        {
            problems.push(ArityProblem {
                kind: ArityProblemKind::EmptyRequiredArgument,
                message: format!(
                    "argument {} of {} (`{}`) is required but empty",
                    i + 1,
                    spec.name,
                    param.name
                ),
                span: *span,
            });
        }
    }
    match spec.name {
        "Switch" if argc > 2 && (argc - 2) % 2 == 1 => {
            let key = &c.args[argc - 1];
            problems.push(ArityProblem {
                kind: ArityProblemKind::UnpairedSwitchValue,
                message: format!(
                    "Switch key/value arguments must come in pairs after source and defaultValue; this key has no value ({} key/value arguments)",
                    argc - 2
                ),
                span: key.span(),
            });
        }
        "Replace" if argc <= 7 => {
            if argc < 7 {
                problems.push(ArityProblem {
                    kind: ArityProblemKind::ReplaceSlotCount,
                    message: format!(
                        "Replace is written with all 7 positional slots (source, oldValue, regexPattern, regexGroupName, replacementValue, replacementAttributeName, template); {argc} given"
                    ),
                    span: close_paren,
                });
            }
            let filled: Vec<usize> = (1..argc).filter(|&i| !c.args[i].is_empty()).collect();
            if !REPLACE_MODES.iter().any(|(mode, _)| *mode == filled.as_slice()) {
                let names: Vec<&str> = filled
                    .iter()
                    .filter_map(|&i| spec.params.get(i).map(|p| p.name))
                    .collect();
                let modes: Vec<&str> = REPLACE_MODES.iter().map(|(_, d)| *d).collect();
                problems.push(ArityProblem {
                    kind: ArityProblemKind::InvalidReplaceCombination,
                    message: format!(
                        "Replace with {} matches none of its modes ({})",
                        if names.is_empty() {
                            "only source".to_string()
                        } else {
                            names.join(" + ")
                        },
                        modes.join("; ")
                    ),
                    span: *c.name_span,
                });
            }
        }
        _ => {}
    }
    problems
}

/// [`check_arity`] for every call in the tree, outermost first.
pub fn check_arity_all(expr: &Expr) -> Vec<ArityProblem> {
    expr.calls().flat_map(|c| check_arity(c.node)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parser::parse;

    fn problems(src: &str) -> Vec<(ArityProblemKind, std::ops::Range<usize>)> {
        check_arity_all(&parse(src).unwrap())
            .into_iter()
            .map(|p| (p.kind, p.span.range()))
            .collect()
    }

    #[test]
    fn catalogue_is_consistent() {
        let mut names: Vec<&str> = FUNCTIONS.iter().map(|f| f.name).collect();
        let total = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), total, "duplicate function names");
        for f in FUNCTIONS {
            let required = f.params.iter().filter(|p| p.occurrence == Occurrence::Required).count();
            let variadic = f.params.iter().any(|p| p.occurrence == Occurrence::Variadic);
            assert!(f.min_args >= required, "{}", f.name);
            assert_eq!(f.max_args.is_none(), variadic, "{}", f.name);
            if let Some(max) = f.max_args {
                assert_eq!(max, f.params.len(), "{}", f.name);
            }
            assert!(!f.doc.is_empty());
        }
        // The documented list of format.md §3.3 plus the engine-only ones.
        for name in [
            "Append",
            "AppRoleAssignmentsComplex",
            "BitAnd",
            "CBool",
            "CDate",
            "Coalesce",
            "ConvertToBase64",
            "ConvertToUTF8Hex",
            "Count",
            "CStr",
            "DateAdd",
            "DateDiff",
            "DateFromNum",
            "FormatDateTime",
            "Guid",
            "IgnoreFlowIfNullOrEmpty",
            "IIF",
            "InStr",
            "IsNull",
            "IsNullOrEmpty",
            "IsPresent",
            "IsString",
            "Item",
            "Join",
            "Left",
            "Mid",
            "NormalizeDiacritics",
            "Not",
            "Now",
            "NumFromDate",
            "PCase",
            "RandomString",
            "Redact",
            "RemoveDuplicates",
            "Replace",
            "SelectUniqueValue",
            "SingleAppRoleAssignment",
            "Split",
            "StripSpaces",
            "Switch",
            "ToLower",
            "ToUpper",
            "Word",
            "AssertiveAppRoleAssignmentsComplex",
        ] {
            assert!(lookup(name).unwrap().documented, "{name}");
        }
        for name in [
            "Prepend",
            "Trim",
            "DefaultDomain",
            "AppRoleAssignments",
            "IsNothing",
            "ConvertFromBase64",
            "DNComponent",
            "Error",
            "StringFromSID",
            "Contains",
            "CRef",
        ] {
            assert!(!lookup(name).unwrap().documented, "{name}");
        }
        assert!(lookup("AssertNotNull").is_none());
        assert!(lookup("toLower").is_none(), "lookup is case-sensitive");
    }

    #[test]
    fn signatures_and_keys() {
        assert_eq!(lookup("Mid").unwrap().signature(), "Mid(source, start, length)");
        assert_eq!(
            lookup("Switch").unwrap().signature(),
            "Switch(source, [defaultValue], key…, value…)"
        );
        let replace = lookup("Replace").unwrap();
        let keys: Vec<_> = replace.params.iter().map(|p| p.json_key.unwrap()).collect();
        assert_eq!(
            keys,
            [
                "source",
                "Find",
                "RegularExpression",
                "RegularExpressionGroupName",
                "Replacement",
                "ReplacementPropertyName",
                "Template"
            ]
        );
        let fdt = lookup("FormatDateTime").unwrap();
        assert_eq!(fdt.param_for_slot(3, 1).unwrap().name, "inputFormat");
        assert_eq!(fdt.param_for_slot(4, 1).unwrap().name, "dateTimeStyles");
        let switch = lookup("Switch").unwrap();
        assert_eq!(switch.param_for_slot(6, 4).unwrap().name, "key");
        assert_eq!(switch.param_for_slot(6, 5).unwrap().name, "value");
        let join = lookup("Join").unwrap();
        assert_eq!(join.param_for_slot(5, 4).unwrap().name, "source");
        assert!(lookup("Mid").unwrap().param_for_slot(4, 3).is_none());
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest("toLower"), Some("ToLower"));
        assert_eq!(suggest("Iif"), Some("IIF"));
        assert_eq!(suggest("Cstr"), Some("CStr"));
        assert_eq!(suggest("StringFromSid"), Some("StringFromSID"));
        assert_eq!(suggest("Repalce"), Some("Replace"));
        assert_eq!(suggest("Coalese"), Some("Coalesce"));
        assert_eq!(suggest("NormalizeDiacritic"), Some("NormalizeDiacritics"));
        assert_eq!(suggest("Join"), None);
        assert_eq!(suggest("Frobnicate"), None);
        assert_eq!(suggest("AssertNotNull"), None);
    }

    #[test]
    fn valid_calls_have_no_problems() {
        for src in [
            r#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#,
            r#"Replace([BusinessTitle],"Product Developer", , , "Software Engineer", , )"#,
            r#"Replace([UserID],"<username>", , , , , "<username>@contoso.com")"#,
            r#"Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", , "${phoneNumber}", , )"#,
            r#"Replace([AddressLineData], ,"(?<streetNumber>^\\d*)","streetNumber", "888", , )"#,
            r#"Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", "phoneNumber" , , [mobile], )"#,
            r#"FormatDateTime([x], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")"#,
            r#"FormatDateTime([x], "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")"#,
            r#"Coalesce([mail],[userPrincipalName])"#,
            r#"Join(", ", "", [surname], [givenName])"#,
            r#"Word("The quick brown fox",3," ")"#,
            r#"InStr("repEated","e",3,vbBinaryCompare)"#,
            r#"RandomString(10,2,2,2,1,"?,")"#,
            "Guid()",
            "Frobnicate(, , )",
        ] {
            assert_eq!(problems(src), [], "{src}");
        }
    }

    #[test]
    fn count_problems() {
        assert_eq!(problems("Mid([a], 1)"), [(ArityProblemKind::TooFewArguments, 10..11)]);
        assert_eq!(
            problems("Not([a], [b], [c])"),
            [(ArityProblemKind::TooManyArguments, 9..17)]
        );
        assert_eq!(problems("Join(\",\")"), [(ArityProblemKind::TooFewArguments, 8..9)]);
        assert_eq!(
            problems("SelectUniqueValue([a])"),
            [(ArityProblemKind::TooFewArguments, 21..22)]
        );
        assert_eq!(
            problems("FormatDateTime([a], \"x\")")[0].0,
            ArityProblemKind::TooFewArguments
        );
        assert_eq!(
            problems("FormatDateTime([a], , \"x\", \"y\", \"z\")")[0].0,
            ArityProblemKind::TooManyArguments
        );
        assert_eq!(problems("Word([a], 1)")[0].0, ArityProblemKind::TooFewArguments);
        assert_eq!(problems("Guid([a])")[0].0, ArityProblemKind::TooManyArguments);
        let msg = &check_arity(&parse("Mid([a], 1)").unwrap())[0].message;
        assert_eq!(
            msg,
            "Mid takes 3 arguments but 2 were given: Mid(source, start, length)"
        );
    }

    #[test]
    fn empty_required_slots() {
        assert_eq!(
            problems("Mid([a], , 3)"),
            [(ArityProblemKind::EmptyRequiredArgument, 8..9)]
        );
        assert_eq!(
            problems("FormatDateTime([a], , , \"y\")"),
            [(ArityProblemKind::EmptyRequiredArgument, 21..22)]
        );
        assert_eq!(
            problems("Switch(, \"d\", \"k\", \"v\")"),
            [(ArityProblemKind::EmptyRequiredArgument, 7..7)]
        );
        assert_eq!(
            problems("Join(, [a])"),
            [(ArityProblemKind::EmptyRequiredArgument, 5..5)]
        );
        assert_eq!(
            problems("Coalesce([a], , \"x\")"),
            [(ArityProblemKind::EmptyRequiredArgument, 13..14)]
        );
    }

    #[test]
    fn switch_pairs() {
        let src = r#"Switch([a], "d", "k1", "v1", "k2")"#;
        assert_eq!(problems(src), [(ArityProblemKind::UnpairedSwitchValue, 29..33)]);
        // Missing defaultValue slot shifts every pair: the engine sees an odd key/value list.
        let src = r#"Switch([a], "k1", "v1", "k2", "v2")"#;
        assert_eq!(problems(src)[0].0, ArityProblemKind::UnpairedSwitchValue);
        assert_eq!(
            problems(r#"Switch([a], "d", "k")"#)[0].0,
            ArityProblemKind::TooFewArguments
        );
    }

    #[test]
    fn replace_slots_and_modes() {
        assert_eq!(
            problems(r#"Replace([a], "-", , , "_")"#),
            [(ArityProblemKind::ReplaceSlotCount, 25..26)]
        );
        assert_eq!(
            problems(r#"Replace([a], "-", "re", , "_", , )"#),
            [(ArityProblemKind::InvalidReplaceCombination, 0..7)]
        );
        assert_eq!(
            problems(r#"Replace([a], "-", , , , , )"#),
            [(ArityProblemKind::InvalidReplaceCombination, 0..7)]
        );
        let msg = &check_arity(&parse(r#"Replace([a], , "re", , , [b], )"#).unwrap())[0].message;
        assert!(
            msg.starts_with("Replace with regexPattern + replacementAttributeName matches none"),
            "{msg}"
        );
        assert_eq!(
            problems(r#"Replace([a], "-", , , "_", , , "x")"#),
            [(ArityProblemKind::TooManyArguments, 31..34)]
        );
        // Nested calls are checked too, outermost first.
        assert_eq!(
            problems(r#"Join(",", Mid([a], 1), Not())"#),
            [
                (ArityProblemKind::TooFewArguments, 20..21),
                (ArityProblemKind::TooFewArguments, 27..28)
            ]
        );
    }
}
