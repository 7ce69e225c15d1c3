//! The function catalogue: one row per function the provisioning engine knows, and the single
//! source of truth for everything about it.
//!
//! Sources are Microsoft's function reference for attribute mappings
//! (<https://learn.microsoft.com/entra/identity/app-provisioning/functions-for-customizing-application-data>,
//! "documented") and the engine-only functions that the synchronization functions API and the
//! Cloud Sync reference list ("undocumented" for app provisioning).
//! `AssertiveAppRoleAssignmentsComplex` appears only in the customize-application-attributes
//! article but is treated as documented.
//!
//! A row ([`FunctionSpec`]) carries the parameters (arity is derived from them; a parameter may
//! carry a validator of constant arguments, [`Param::check`], and its type says which symbols it
//! takes, [`ValueType::symbols`]), the result type, which job kinds' reference documents it
//! ([`FunctionSpec::documented_in`]), its [`Trait`]s (opaque to the equivalence prover,
//! top-level only; taking role assignments is read off the first parameter's type), the
//! documented alternative an undocumented function's finding suggests, a [`Quirk`] for what
//! the parameter list gets wrong, and the evaluator (a function pointer into the families of
//! `expr::eval`). So rules (unknown-function, undocumented-function, function-arity,
//! unknown-symbol, invalid-argument, unsupported-function, app-role-assignments-direct), the
//! evaluator, the equivalence prover and the documentation table all read the same row: a row without an evaluator does not compile, and the tests of
//! this module and of `expr::equiv` check that the traits hold. Function names are
//! case-sensitive, as the engine's are: [`lookup`] is exact, [`suggest`] finds the intended
//! spelling.
//!
//! [`check_arity`] knows the positional quirks that a plain min/max count misses: Switch's
//! key/value pairing after `source` and `defaultValue`, Replace's seven slots and its valid mode
//! combinations, FormatDateTime's optional *second* parameter, and required slots left empty.

use super::ast::{Arg, CallRef, Expr};
use super::constants::{self as C, ArgCheck, ArgLevel};
use super::eval::{EvalFn, family as E};
use crate::model::JobKind;
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

impl ValueType {
    /// The bare words (symbols) a parameter of this type accepts: `InStr(a, b, 1, vbTextCompare)`.
    /// Everywhere else a bare word is an error (`unknown-symbol`).
    pub fn symbols(self) -> &'static [&'static str] {
        match self {
            ValueType::CompareType => &["vbTextCompare", "vbBinaryCompare"],
            ValueType::Encoding => &["Unicode", "UTF8", "ASCII"],
            _ => &[],
        }
    }
}

/// The types whose parameters accept symbols.
const SYMBOL_TYPES: &[ValueType] = &[ValueType::CompareType, ValueType::Encoding];

/// Whether `name` is a symbol of the language (in some parameter).
pub fn is_symbol(name: &str) -> bool {
    SYMBOL_TYPES.iter().any(|t| t.symbols().contains(&name))
}

/// One parameter of a function.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// The name used in the documentation.
    pub name: &'static str,
    /// The key under which the engine stores this argument in the JSON `parameters` array, where it
    /// is known; other keys are unverified.
    pub json_key: Option<&'static str>,
    pub ty: ValueType,
    pub occurrence: Occurrence,
    /// Validates a string constant given for this parameter (`invalid-argument`).
    pub check: Option<ArgCheck>,
}

impl Param {
    /// The same parameter with a validator of constant arguments.
    const fn checked(self, check: ArgCheck) -> Param {
        Param {
            check: Some(check),
            ..self
        }
    }
}

/// A property of a function that rules and the equivalence prover rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trait {
    /// Looks at argument values only through equality, null/empty tests and pass-through, so
    /// the equivalence prover may enumerate representatives (see `expr::equiv`). A function
    /// with this trait that also returns [`ValueType::Boolean`] may be an IIF condition there.
    OpaqueToEquivalence,
    /// Must be the outermost call of an expression.
    TopLevelOnly,
}

/// What a plain reading of the parameter list gets wrong about a function's arguments.
#[derive(Debug, Clone, Copy)]
pub struct Quirk {
    /// Fewest arguments, when it is not the one derived from the parameters.
    pub min_args: Option<usize>,
    /// The parameter index that argument `index` of a call with `argc` arguments binds to, when
    /// it is not positional.
    pub slot: Option<fn(argc: usize, index: usize) -> usize>,
    /// Checks beyond counts and empty required slots.
    pub check: Option<fn(&FunctionSpec, &CallRef<'_>) -> Vec<ArityProblem>>,
    /// Checks of constant arguments that involve more than one parameter.
    pub arguments: Option<fn(&FunctionSpec, &CallRef<'_>) -> Vec<ArgumentProblem>>,
}

impl Quirk {
    const NONE: Quirk = Quirk {
        min_args: None,
        slot: None,
        check: None,
        arguments: None,
    };
}

/// A function of the expression language: one row of the catalogue, the single source of truth
/// for its parameters (and so its arity), result type, documentation status, traits, documented
/// alternative, argument quirks and evaluator.
#[derive(Clone, Copy)]
pub struct FunctionSpec {
    pub name: &'static str,
    pub params: &'static [Param],
    pub returns: ValueType,
    /// One paragraph: what it does and its edge cases.
    pub doc: &'static str,
    /// The job kinds whose documentation documents the function: Microsoft's app-provisioning
    /// function reference (or, for AssertiveAppRoleAssignmentsComplex, the
    /// attribute-customization article) for every kind but Cloud Sync ([`APP`]), the Cloud Sync
    /// expression reference for Cloud Sync ([`CLOUD_SYNC`]), both ([`BOTH`]) or neither
    /// ([`ENGINE_ONLY`]). `undocumented-function` reads it.
    pub documented_in: &'static [JobKind],
    pub traits: &'static [Trait],
    /// A documented way to get the same result (for an undocumented function).
    pub alternative: Option<&'static str>,
    pub quirk: Option<&'static Quirk>,
    /// Computes a call's value.
    pub(crate) eval: EvalFn,
}

impl std::fmt::Debug for FunctionSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FunctionSpec")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// Rows are identified by name (names are unique, which a test checks).
impl PartialEq for FunctionSpec {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for FunctionSpec {}

/// Documented by the app-provisioning function reference, which covers every job kind but Cloud
/// Sync (<https://learn.microsoft.com/entra/identity/app-provisioning/functions-for-customizing-application-data>).
pub const APP: &[JobKind] = &[
    JobKind::OutboundScim,
    JobKind::OutboundApp,
    JobKind::CrossTenant,
    JobKind::InboundHr,
    JobKind::Unknown,
];
/// Documented by the Cloud Sync expression reference only
/// (<https://learn.microsoft.com/entra/identity/hybrid/cloud-sync/reference-expressions>).
pub const CLOUD_SYNC: &[JobKind] = &[JobKind::CloudSync];
/// Documented by both references.
pub const BOTH: &[JobKind] = JobKind::ALL;
/// Documented by neither: advertised by the synchronization functions API only.
pub const ENGINE_ONLY: &[JobKind] = &[];

impl FunctionSpec {
    pub fn has(&self, t: Trait) -> bool {
        self.traits.contains(&t)
    }

    /// Listed in the app-provisioning function reference.
    pub fn documented(&self) -> bool {
        self.documented_for(JobKind::OutboundScim)
    }

    /// Documented for jobs of `kind`.
    pub fn documented_for(&self, kind: JobKind) -> bool {
        self.documented_in.contains(&kind)
    }

    /// Takes the `[appRoleAssignments]` object as its argument.
    pub fn takes_role_assignments(&self) -> bool {
        self.params
            .first()
            .is_some_and(|p| p.ty == ValueType::AppRoleAssignments)
    }

    /// Fewest arguments (including empty slots) accepted: up to the last required parameter, and
    /// one occurrence of a repeating group; a [`Quirk`] may say otherwise.
    pub fn min_args(&self) -> usize {
        if let Some(n) = self.quirk.and_then(|q| q.min_args) {
            return n;
        }
        let last_required = self
            .params
            .iter()
            .rposition(|p| p.occurrence == Occurrence::Required)
            .map_or(0, |i| i + 1);
        let variadic = match self.params.iter().position(|p| p.occurrence == Occurrence::Variadic) {
            Some(v) => v + self.variadic_group(v),
            None => 0,
        };
        last_required.max(variadic)
    }

    /// Most arguments accepted; `None` when a parameter group repeats.
    pub fn max_args(&self) -> Option<usize> {
        (!self.params.iter().any(|p| p.occurrence == Occurrence::Variadic)).then_some(self.params.len())
    }

    fn variadic_group(&self, first: usize) -> usize {
        self.params[first..]
            .iter()
            .take_while(|p| p.occurrence == Occurrence::Variadic)
            .count()
    }

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
        if index >= argc || self.max_args().is_some_and(|m| index >= m) {
            return None;
        }
        if let Some(slot) = self.quirk.and_then(|q| q.slot) {
            return self.params.get(slot(argc, index));
        }
        match self.params.iter().position(|p| p.occurrence == Occurrence::Variadic) {
            Some(v) if index >= v => self.params.get(v + (index - v) % self.variadic_group(v)),
            _ => self.params.get(index),
        }
    }
}

/// FormatDateTime's 3-argument form has no dateTimeStyles.
const FORMAT_DATE_TIME: Quirk = Quirk {
    min_args: Some(3),
    slot: Some(|argc, index| if argc == 3 { [0, 2, 3][index] } else { index }),
    ..Quirk::NONE
};

/// Switch's keys and values come in pairs after source and defaultValue.
const SWITCH: Quirk = Quirk {
    check: Some(check_switch),
    ..Quirk::NONE
};

/// Replace has seven positional slots and five valid combinations of them.
const REPLACE: Quirk = Quirk {
    check: Some(check_replace),
    arguments: Some(check_replace_group),
    ..Quirk::NONE
};

/// SelectUniqueValue needs at least two candidate rules.
const SELECT_UNIQUE_VALUE: Quirk = Quirk {
    min_args: Some(2),
    ..Quirk::NONE
};

const fn p(name: &'static str, json_key: Option<&'static str>, ty: ValueType, occurrence: Occurrence) -> Param {
    Param {
        name,
        json_key,
        ty,
        occurrence,
        check: None,
    }
}

use Occurrence::{Optional as O, Required as R, Variadic as V};
use ValueType as T;

const SOURCE: Option<&str> = Some("source");

macro_rules! spec {
    (
        $name:literal, [$($param:expr),* $(,)?], $ret:expr, $documented_in:expr, $eval:path, $doc:literal
        $(, $field:ident: $value:expr)* $(,)?
    ) => {
        FunctionSpec {
            name: $name,
            params: &[$($param),*],
            returns: $ret,
            doc: $doc,
            documented_in: $documented_in,
            eval: $eval,
            $($field: $value,)*
            ..ROW
        }
    };
}

/// The defaults of a row's optional parts (the evaluator is always given).
const ROW: FunctionSpec = FunctionSpec {
    name: "",
    params: &[],
    returns: ValueType::Any,
    doc: "",
    documented_in: APP,
    traits: &[],
    alternative: None,
    quirk: None,
    eval: E::first,
};

/// Every known function, alphabetically within documented and undocumented.
pub static FUNCTIONS: &[FunctionSpec] = &[
    spec!(
        "Append",
        [
            p("source", SOURCE, T::String, R),
            p("suffix", Some("suffix"), T::String, R)
        ],
        T::String,
        BOTH,
        E::append,
        "Returns source with suffix appended. A null source is treated as an empty string."
    ),
    spec!(
        "AppRoleAssignmentsComplex",
        [p("[appRoleAssignments]", SOURCE, T::AppRoleAssignments, R)],
        T::Roles,
        APP,
        E::roles_complex,
        "Emits all of the user's app roles as multi-valued complex SCIM `roles` (each with primary = false). The `roles` target must exist as a multi-valued attribute; not compatible with scope \"Sync all users and groups\"; PATCH uses Add, so roles removed in Entra are not removed in the target."
    ),
    spec!(
        "AssertiveAppRoleAssignmentsComplex",
        [p("[appRoleAssignments]", SOURCE, T::AppRoleAssignments, R)],
        T::Roles,
        APP,
        E::roles_complex,
        "Like AppRoleAssignmentsComplex but PATCH uses Replace, so roles not assigned in Entra are removed from the target. Documented only in the customize-application-attributes article."
    ),
    spec!(
        "BitAnd",
        [p("value1", None, T::Integer, R), p("value2", None, T::Integer, R)],
        T::Integer,
        BOTH,
        E::bit_and,
        "Bitwise AND of two integers (decimal or &H hex). BitAnd(&HF, &HF7) is 7."
    ),
    spec!(
        "CBool",
        [p("expression", None, T::Condition, R)],
        T::Boolean,
        BOTH,
        E::cbool,
        "\"True\" when the expression evaluates to a non-zero number or true condition, else \"False\"; e.g. CBool([a] = [b])."
    ),
    spec!(
        "CDate",
        [p("expression", None, T::String, R)],
        T::DateTime,
        APP,
        E::cdate,
        "Parses a date/time string and returns it converted to UTC, rendered as M/d/yyyy h:mm:ss tt. Feed its result to DateAdd, DateDiff or FormatDateTime."
    ),
    spec!(
        "Coalesce",
        [p("source", None, T::String, V), p("defaultValue", None, T::String, O)],
        T::String,
        APP,
        E::coalesce,
        "Returns the first argument that is not null; if all are null, the last one (defaultValue) if given, else null. The engine cannot tell the last source from defaultValue positionally.",
        traits: &[Trait::OpaqueToEquivalence]
    ),
    spec!(
        "ConvertToBase64",
        [p("source", None, T::String, R)],
        T::String,
        BOTH,
        E::convert_to_base64,
        "Base64 of the UTF-16LE (\"Unicode\") bytes of source: \"Hello world!\" gives \"SABlAGwAbABvACAAdwBvAHIAbABkACEA\"."
    ),
    spec!(
        "ConvertToUTF8Hex",
        [p("source", None, T::String, R)],
        T::String,
        BOTH,
        E::convert_to_utf8_hex,
        "Upper-case hexadecimal of the UTF-8 bytes of source: \"Hello world!\" gives 48656C6C6F20776F726C6421."
    ),
    spec!(
        "Count",
        [p("attribute", None, T::MultiValued, R)],
        T::Integer,
        BOTH,
        E::count,
        "Number of values of a multi-valued attribute."
    ),
    spec!(
        "CStr",
        [p("value", None, T::Any, R)],
        T::String,
        BOTH,
        E::cstr,
        "Converts a number, reference or boolean to a string.",
        traits: &[Trait::OpaqueToEquivalence]
    ),
    spec!(
        "DateAdd",
        [
            p("interval", None, T::String, R).checked(C::interval),
            p("value", None, T::Integer, R),
            p("dateTime", None, T::DateTime, R)
        ],
        T::DateTime,
        APP,
        E::date_add,
        "Adds value intervals (yyyy, m, d, ww, h, n, s; value may be negative) to dateTime and returns M/d/yyyy h:mm:ss tt. Wrap date strings in CDate; use Now() for the current time."
    ),
    spec!(
        "DateDiff",
        [
            p("interval", None, T::String, R).checked(C::interval),
            p("date1", None, T::DateTime, R),
            p("date2", None, T::DateTime, R)
        ],
        T::Integer,
        APP,
        E::date_diff,
        "date2 − date1 counted in interval units (yyyy, m, d, ww, h, n, s): positive when date2 is later, 0 when equal."
    ),
    spec!(
        "DateFromNum",
        [p("value", None, T::Integer, R)],
        T::DateTime,
        BOTH,
        E::date_from_num,
        "Converts an Active Directory integer date (100-ns ticks since 1601-01-01 UTC, e.g. lastLogonTimestamp) to a DateTime; DateFromNum(129699324000000000) is 1/1/2012 11:00:00 PM."
    ),
    spec!(
        "FormatDateTime",
        [
            p("source", SOURCE, T::String, R),
            p("dateTimeStyles", None, T::String, O).checked(C::date_time_styles),
            p("inputFormat", Some("inputFormat"), T::String, R).checked(C::input_format),
            p("outputFormat", Some("outputFormat"), T::String, R).checked(C::output_format)
        ],
        T::String,
        BOTH,
        E::format_date_time,
        "Parses source with the .NET custom format inputFormat and prints it with outputFormat. dateTimeStyles may be left empty (RoundtripKind, AllowLeadingWhite, AllowTrailingWhite). The older 3-argument form without dateTimeStyles is also accepted.",
        quirk: Some(&FORMAT_DATE_TIME)
    ),
    spec!(
        "Guid",
        [],
        T::String,
        BOTH,
        E::guid,
        "A new random GUID, e.g. 00aa00aa-bb11-cc22-dd33-44ee44ee44ee."
    ),
    spec!(
        "IgnoreFlowIfNullOrEmpty",
        [p("expression", None, T::Any, R)],
        T::Any,
        APP,
        E::ignore_flow_if_null_or_empty,
        "If the enclosed expression is null or empty, the target attribute is dropped from the flow (not sent); otherwise its value flows.",
        traits: &[Trait::OpaqueToEquivalence]
    ),
    spec!(
        "IIF",
        [
            p("condition", Some("one"), T::Condition, R),
            p("valueIfTrue", None, T::Any, R),
            p("valueIfFalse", None, T::Any, R)
        ],
        T::Any,
        BOTH,
        E::iif,
        "valueIfTrue if condition holds, else valueIfFalse. Conditions may compare with =, <>, <, <=, >, >=; there is no AND/OR (nest IIF). If an attribute in the condition is null or empty the condition check fails, so IsNullOrEmpty/IsPresent/=\"\" conditions are unsupported; use Switch with an \"\" key.",
        traits: &[Trait::OpaqueToEquivalence]
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
        BOTH,
        E::instr,
        "1-based position of the first occurrence of value2 in value1 at or after start, 0 if none. compareType is vbBinaryCompare (default, case-sensitive) or vbTextCompare."
    ),
    spec!(
        "IsNull",
        [p("expression", None, T::Any, R)],
        T::Boolean,
        BOTH,
        E::is_null,
        "\"True\" when the expression is null; an attribute is null when it is absent.",
        traits: &[Trait::OpaqueToEquivalence]
    ),
    spec!(
        "IsNullOrEmpty",
        [p("expression", None, T::Any, R)],
        T::Boolean,
        BOTH,
        E::is_null_or_empty,
        "\"True\" when the expression is null or an empty string; the inverse of IsPresent.",
        traits: &[Trait::OpaqueToEquivalence]
    ),
    spec!(
        "IsPresent",
        [p("expression", SOURCE, T::Any, R)],
        T::Boolean,
        BOTH,
        E::is_present,
        "\"True\" when the expression is neither null nor empty; the inverse of IsNullOrEmpty.",
        traits: &[Trait::OpaqueToEquivalence]
    ),
    spec!(
        "IsString",
        [p("expression", None, T::Any, R)],
        T::Boolean,
        BOTH,
        E::is_string,
        "\"True\" when the expression can be evaluated as a string.",
        traits: &[Trait::OpaqueToEquivalence]
    ),
    spec!(
        "Item",
        [p("attribute", None, T::MultiValued, R), p("index", None, T::Integer, R)],
        T::String,
        BOTH,
        E::item,
        "The value at a 1-based index of a multi-valued attribute; index 0 must not be used and an out-of-range index is an error."
    ),
    spec!(
        "Join",
        [
            p("separator", Some("separator"), T::String, R),
            p("source", SOURCE, T::String, V)
        ],
        T::String,
        BOTH,
        E::join,
        "Joins the non-empty source values with separator (which may be \"\"); every value of a multi-valued source is included."
    ),
    spec!(
        "Left",
        [p("String", None, T::String, R), p("NumChars", None, T::Integer, R)],
        T::String,
        BOTH,
        E::left,
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
        BOTH,
        E::mid,
        "length characters starting at the 1-based position start; a length past the end stops at the end."
    ),
    spec!(
        "NormalizeDiacritics",
        [p("source", None, T::String, R)],
        T::String,
        BOTH,
        E::normalize_diacritics,
        "Replaces accented characters with their base letters per a fixed table (Zoë → Zoe; ß → ss, æ → ae, ø → oe)."
    ),
    spec!(
        "Not",
        [p("source", SOURCE, T::Boolean, R)],
        T::Boolean,
        BOTH,
        E::not,
        "\"False\" when source is \"True\"; anything else, including null, gives \"True\".",
        traits: &[Trait::OpaqueToEquivalence]
    ),
    spec!(
        "Now",
        [],
        T::DateTime,
        APP,
        E::now,
        "The current UTC time as M/d/yyyy h:mm:ss tt."
    ),
    spec!(
        "NumFromDate",
        [p("value", None, T::String, R)],
        T::Integer,
        APP,
        E::num_from_date,
        "Converts an ISO 8601 date string to the Active Directory integer format (e.g. for accountExpires)."
    ),
    spec!(
        "PCase",
        [p("source", None, T::String, R), p("wordSeparators", None, T::String, O)],
        T::String,
        APP,
        E::pcase,
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
        APP,
        E::random_string,
        "A random string of Length (at most 256) characters with at least the given numbers of digits, special characters, capitals and lower-case letters, avoiding CharactersToAvoid."
    ),
    spec!(
        "Redact",
        [p("value", None, T::Any, R)],
        T::Any,
        APP,
        E::first,
        "Passes the value through but shows it as [Redact] in the provisioning logs.",
        traits: &[Trait::OpaqueToEquivalence]
    ),
    spec!(
        "RemoveDuplicates",
        [p("attribute", None, T::MultiValued, R)],
        T::MultiValued,
        BOTH,
        E::remove_duplicates,
        "The values of a multi-valued attribute with duplicates removed."
    ),
    spec!(
        "Replace",
        [
            p("source", SOURCE, T::String, R),
            p("oldValue", Some("Find"), T::String, O),
            p("regexPattern", Some("RegularExpression"), T::String, O).checked(C::regex),
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
        BOTH,
        E::replace,
        "Case-sensitive replacement; the mode depends on which of the seven positional slots are filled: oldValue + replacementValue (replace all occurrences), oldValue + template (put source into template at oldValue), regexPattern + replacementValue (${group} references allowed), regexPattern + regexGroupName + replacementValue (replace only that group's matches), regexPattern + regexGroupName + replacementAttributeName (if source is empty, extract the group from that other attribute).",
        quirk: Some(&REPLACE)
    ),
    spec!(
        "SelectUniqueValue",
        [p("uniqueValueRule", None, T::String, V)],
        T::String,
        BOTH,
        E::first,
        "Returns the first rule's value that is not yet used in the target, escrowing the object if all are taken. Needs at least two rules, must be top level, must not be on a matching attribute, should flow only on create, and is only supported for Workday/SuccessFactors/API-driven provisioning to on-premises AD — not for SCIM apps.",
        traits: &[Trait::TopLevelOnly],
        quirk: Some(&SELECT_UNIQUE_VALUE)
    ),
    spec!(
        "SingleAppRoleAssignment",
        [p("[appRoleAssignments]", SOURCE, T::AppRoleAssignments, R)],
        T::String,
        BOTH,
        E::single_app_role_assignment,
        "One of the user's app role values as a string (which one is undefined when there are several). Map it to roles[primary eq \"True\"].value/.display/.type; not compatible with \"Sync all users and groups\"."
    ),
    spec!(
        "Split",
        [
            p("source", SOURCE, T::String, R),
            p("delimiter", Some("delimiter"), T::String, R)
        ],
        T::MultiValued,
        BOTH,
        E::split,
        "Splits source at every occurrence of delimiter into a multi-valued result."
    ),
    spec!(
        "StripSpaces",
        [p("source", SOURCE, T::String, R)],
        T::String,
        BOTH,
        E::strip_spaces,
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
        BOTH,
        E::switch,
        "Returns the value paired with the first key equal to source (case-sensitive; an \"\" key matches an empty or null source), else defaultValue. Keys and values must come in pairs. Do not wrap source in IsPresent/IsNull/IsNullOrEmpty and do not use it for references such as manager; known issue: it may evaluate to null when an unrelated attribute changes.",
        traits: &[Trait::OpaqueToEquivalence],
        quirk: Some(&SWITCH)
    ),
    spec!(
        "ToLower",
        [
            p("source", SOURCE, T::String, R),
            p("culture", None, T::String, O).checked(C::culture)
        ],
        T::String,
        BOTH,
        E::to_lower,
        "Lower case using the given RFC 4646 culture (invariant by default)."
    ),
    spec!(
        "ToUpper",
        [
            p("source", SOURCE, T::String, R),
            p("culture", None, T::String, O).checked(C::culture)
        ],
        T::String,
        BOTH,
        E::to_upper,
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
        BOTH,
        E::word,
        "The WordNumber-th (1-based) word, words being separated by any character of Delimiters; \"\" when WordNumber < 1, the string is null, or there are fewer words."
    ),
    // Engine-only functions (functions API / Cloud Sync reference), not in the app-provisioning docs.
    spec!(
        "AppRoleAssignments",
        [p("source", SOURCE, T::AppRoleAssignments, R)],
        T::MultiValued,
        ENGINE_ONLY,
        E::app_role_assignments,
        "Advertised by the functions API; not documented for app provisioning. Modelled as the list of the user's app role values.",
        alternative: Some("use SingleAppRoleAssignment (one role as a string) or AppRoleAssignmentsComplex (SCIM roles)")
    ),
    spec!(
        "CRef",
        [p("value", None, T::String, R)],
        T::Reference,
        CLOUD_SYNC,
        E::cstr,
        "Cloud Sync: converts a string to a reference (used as DNComponent(CRef([dn]), 1)).",
        traits: &[Trait::OpaqueToEquivalence]
    ),
    spec!(
        "Contains",
        [
            p("attribute", None, T::MultiValued, R),
            p("search", None, T::String, R),
            p("compareType", None, T::CompareType, O)
        ],
        T::Integer,
        ENGINE_ONLY,
        E::contains,
        "Cloud Sync: 1-based index of the first value of a multi-valued attribute that contains search, 0 if none."
    ),
    spec!(
        "ConvertFromBase64",
        [p("source", None, T::String, R), p("encoding", None, T::Encoding, O)],
        T::String,
        CLOUD_SYNC,
        E::convert_from_base64,
        "Cloud Sync: decodes base64 to text; the encoding is Unicode (UTF-16LE, default), UTF8 or ASCII."
    ),
    spec!(
        "DefaultDomain",
        [],
        T::String,
        ENGINE_ONLY,
        E::default_domain,
        "Advertised by the functions API: the tenant's default verified domain.",
        alternative: Some("write the domain as a constant")
    ),
    spec!(
        "DNComponent",
        [
            p("dn", None, T::Reference, R),
            p("ComponentNumber", None, T::Integer, R)
        ],
        T::String,
        CLOUD_SYNC,
        E::dn_component,
        "Cloud Sync: the value of the ComponentNumber-th (1-based, from the left) component of a DN; \"cn=Joe,ou=…\" gives Joe for 1."
    ),
    spec!(
        "Error",
        [p("ErrorMessage", None, T::String, R)],
        T::Never,
        CLOUD_SYNC,
        E::error,
        "Cloud Sync: raises a custom error on the object."
    ),
    spec!(
        "IsNothing",
        [p("source", SOURCE, T::Boolean, R)],
        T::Boolean,
        ENGINE_ONLY,
        E::is_null,
        "Advertised by the functions API; modelled like IsNull.",
        traits: &[Trait::OpaqueToEquivalence],
        alternative: Some("use IsNull, which tests the same")
    ),
    spec!(
        "Prepend",
        [
            p("prefix", Some("prefix"), T::String, R),
            p("source", SOURCE, T::String, R)
        ],
        T::String,
        ENGINE_ONLY,
        E::prepend,
        "Advertised by the functions API: prefix followed by source.",
        alternative: Some("Append(prefix, source) gives the same text")
    ),
    spec!(
        "StringFromSID",
        [p("ObjectSID", None, T::Binary, R)],
        T::String,
        CLOUD_SYNC,
        E::string_from_sid,
        "Cloud Sync: converts a binary security identifier (base64) to its S-1-… string form."
    ),
    spec!(
        "Trim",
        [p("source", SOURCE, T::String, R)],
        T::String,
        CLOUD_SYNC,
        E::trim,
        "Cloud Sync (also used in Microsoft's Entra→AD defaults): removes leading and trailing white space, from every value of a multi-valued input.",
        alternative: Some("to trim without it: Replace([x], , \"^\\\\s+|\\\\s+$\", , \"\", , )")
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
        .map(|f| (crate::suggest::distance(&lower, &f.name.to_ascii_lowercase()), f.name))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
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
    let min = spec.min_args();
    match spec.max_args() {
        Some(max) if max == min => format!("{max} {}", plural(max)),
        Some(max) => format!("{min} to {max} arguments"),
        None => format!("at least {min} {}", plural(min)),
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
    let close_paren = c.span.end.saturating_sub(1)..c.span.end;
    if argc < spec.min_args() {
        problems.push(ArityProblem {
            kind: ArityProblemKind::TooFewArguments,
            message: format!(
                "{} takes {} but {argc} {} given: {}",
                spec.name,
                count_phrase(spec),
                if argc == 1 { "was" } else { "were" },
                spec.signature()
            ),
            span: ExprSpan::from(close_paren),
        });
    }
    if let Some(max) = spec.max_args()
        && argc > max
    {
        problems.push(ArityProblem {
            kind: ArityProblemKind::TooManyArguments,
            message: format!(
                "{} takes {} but {argc} {} given: {}",
                spec.name,
                count_phrase(spec),
                if argc == 1 { "was" } else { "were" },
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
    if let Some(check) = spec.quirk.and_then(|q| q.check) {
        problems.extend(check(spec, &c));
    }
    problems
}

fn check_switch(_: &FunctionSpec, c: &CallRef<'_>) -> Vec<ArityProblem> {
    let argc = c.args.len();
    if argc > 2 && (argc - 2) % 2 == 1 {
        let key = &c.args[argc - 1];
        return vec![ArityProblem {
            kind: ArityProblemKind::UnpairedSwitchValue,
            message: format!(
                "Switch key/value arguments must come in pairs after source and defaultValue; this key has no value ({} key/value arguments)",
                argc - 2
            ),
            span: key.span(),
        }];
    }
    Vec::new()
}

fn check_replace(spec: &FunctionSpec, c: &CallRef<'_>) -> Vec<ArityProblem> {
    let argc = c.args.len();
    let close_paren = c.span.end.saturating_sub(1)..c.span.end;
    let mut problems = Vec::new();
    if argc > 7 {
        return problems;
    }
    if argc < 7 {
        problems.push(ArityProblem {
            kind: ArityProblemKind::ReplaceSlotCount,
            message: format!(
                "Replace is written with all 7 positional slots (source, oldValue, regexPattern, regexGroupName, replacementValue, replacementAttributeName, template); {argc} given"
            ),
            span: ExprSpan::from(close_paren),
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
    problems
}

/// A constant argument that the validator of its parameter rejects (or only warns about).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgumentProblem {
    pub function: &'static str,
    pub param: &'static str,
    pub level: ArgLevel,
    pub message: String,
    pub help: Option<String>,
    /// The constant's span in the expression text.
    pub span: ExprSpan,
}

/// Runs the validators of the catalogue rows ([`Param::check`], [`Quirk::arguments`]) on every
/// string constant of every call of a known function, outermost call first. Other arguments
/// (attributes, calls) are only known when evaluated and are not checked.
pub fn check_arguments(expr: &Expr) -> Vec<ArgumentProblem> {
    let mut out = Vec::new();
    for c in expr.calls() {
        let Some(spec) = lookup(c.name) else { continue };
        let argc = c.args.len();
        for (i, arg) in c.args.iter().enumerate() {
            let (Some(Expr::Str { value, span }), Some(param)) = (arg.expr(), spec.param_for_slot(argc, i)) else {
                continue;
            };
            if let Some(Err(issue)) = param.check.map(|check| check(value)) {
                out.push(ArgumentProblem {
                    function: spec.name,
                    param: param.name,
                    level: issue.level,
                    message: issue.message,
                    help: issue.help,
                    span: *span,
                });
            }
        }
        if let Some(check) = spec.quirk.and_then(|q| q.arguments) {
            out.extend(check(spec, &c));
        }
    }
    out
}

/// The string constant in argument `i`, with its span.
fn constant<'a>(c: &CallRef<'a>, i: usize) -> Option<(&'a str, ExprSpan)> {
    match c.args.get(i)?.expr()? {
        Expr::Str { value, span } => Some((value, *span)),
        _ => None,
    }
}

/// Replace's regexGroupName must name a group of its regexPattern.
fn check_replace_group(spec: &FunctionSpec, c: &CallRef<'_>) -> Vec<ArgumentProblem> {
    let (Some((pattern, _)), Some((group, span))) = (constant(c, 2), constant(c, 3)) else {
        return Vec::new();
    };
    let Ok(Some(re)) = super::eval::replace::compile_for_check(pattern) else {
        // The pattern's own validator reports an invalid one; a huge one is not checked.
        return Vec::new();
    };
    match super::eval::replace::require_group(&re, group) {
        Ok(_) => Vec::new(),
        Err(message) => vec![ArgumentProblem {
            function: spec.name,
            param: "regexGroupName",
            level: ArgLevel::Error,
            message,
            help: Some("name a group of the pattern, written (?<name>…) in it".into()),
            span,
        }],
    }
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
            assert!(!f.doc.is_empty());
            // An undocumented function says what to use instead, or the rule says there is none.
            if f.documented() {
                assert!(f.alternative.is_none(), "{}", f.name);
            }
            if f.has(Trait::OpaqueToEquivalence) {
                assert!(f.documented() || ["IsNothing", "CRef"].contains(&f.name), "{}", f.name);
            }
        }
        // Arity is derived from the parameters (and quirks); these are the counts Entra accepts.
        let arity = |name: &str| {
            let f = lookup(name).unwrap();
            (f.min_args(), f.max_args())
        };
        assert_eq!(arity("Append"), (2, Some(2)));
        assert_eq!(arity("Coalesce"), (1, None));
        assert_eq!(arity("FormatDateTime"), (3, Some(4)));
        assert_eq!(arity("Guid"), (0, Some(0)));
        assert_eq!(arity("InStr"), (2, Some(4)));
        assert_eq!(arity("Join"), (2, None));
        assert_eq!(arity("RandomString"), (5, Some(6)));
        assert_eq!(arity("Replace"), (1, Some(7)));
        assert_eq!(arity("SelectUniqueValue"), (2, None));
        assert_eq!(arity("Switch"), (4, None));
        assert_eq!(arity("ToLower"), (1, Some(2)));
        assert_eq!(arity("Contains"), (2, Some(3)));
        let roles: Vec<&str> = FUNCTIONS
            .iter()
            .filter(|f| f.takes_role_assignments())
            .map(|f| f.name)
            .collect();
        assert_eq!(
            roles,
            [
                "AppRoleAssignmentsComplex",
                "AssertiveAppRoleAssignmentsComplex",
                "SingleAppRoleAssignment",
                "AppRoleAssignments"
            ]
        );
        // The functions Microsoft's expression reference documents, plus the engine-only ones.
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
            assert!(lookup(name).unwrap().documented(), "{name}");
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
            assert!(!lookup(name).unwrap().documented(), "{name}");
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
