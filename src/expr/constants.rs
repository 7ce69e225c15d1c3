//! Validators of constant arguments: what the provisioning engine would reject (or accept only
//! as a VB.NET leftover) in a string constant, found without evaluating anything.
//!
//! The catalogue row of a function attaches one of these to a parameter ([`super::functions::Param::check`]);
//! `invalid-argument` runs them on every string constant in such a slot, in `check` and `eval`
//! alike. Each runs in time linear in the constant; the regular expression check compiles the
//! pattern with a small size limit and accepts a pattern that is valid but too large for it
//! (see [`replace::compile_for_check`]), so a crafted export full of huge patterns stays fast.
//!
//! **Culture names.** .NET's `CultureInfo` throws for a name it does not know, so `ToLower([x],
//! "xx-YY")` fails. Which names a server knows depends on its globalization data (NLS or ICU and
//! their versions), so no embedded list of full culture names can be exact. The check is instead
//! the structure .NET names follow (RFC 4646 / BCP 47: language, optional script, optional
//! region, as in `en-US`, `sr-Latn-RS`, `zh-Hans`) with the language and region subtags checked
//! against the ISO lists they come from: a two-letter language must be an ISO 639-1 code, a
//! two-letter region an ISO 3166-1 code (a three-digit UN M.49 region such as `419` is accepted).
//! Three-letter languages (ISO 639-2/3, used where no two-letter code exists) and four-letter
//! scripts are only checked for their shape: the lists are long and rarely matter. So `en_US`,
//! `english`, `xx` and `en-XX` are errors, `haw-US` is accepted. The empty string is the invariant
//! culture, and .NET's legacy names (`zh-CHS`, `zh-CHT`) and alternate sort orders
//! (`de-DE_phoneb`) are accepted.

use super::eval::datetime::{self, Interval, Styles};
use super::eval::replace;

/// How serious a problem with a constant argument is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArgLevel {
    /// The engine rejects the value.
    Error,
    /// The engine accepts the value, but it is not documented.
    Warning,
}

/// What is wrong with a constant argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgIssue {
    pub level: ArgLevel,
    pub message: String,
    pub help: Option<String>,
}

impl ArgIssue {
    fn error(message: impl Into<String>, help: Option<String>) -> Self {
        ArgIssue {
            level: ArgLevel::Error,
            message: message.into(),
            help,
        }
    }
}

/// A validator of one constant argument.
pub type ArgCheck = fn(&str) -> Result<(), ArgIssue>;

/// The intervals the function reference documents for DateAdd and DateDiff.
pub const DOCUMENTED_INTERVALS: &[&str] = &["yyyy", "m", "d", "ww", "h", "n", "s"];

/// DateAdd/DateDiff `interval`: one of the documented intervals; VB.NET's other intervals (`q`,
/// `y`, `w`) work in the engine but are not documented.
pub fn interval(text: &str) -> Result<(), ArgIssue> {
    let documented = DOCUMENTED_INTERVALS.join(", ");
    if DOCUMENTED_INTERVALS.iter().any(|i| i.eq_ignore_ascii_case(text)) {
        return Ok(());
    }
    match Interval::parse(text) {
        Ok(_) => Err(ArgIssue {
            level: ArgLevel::Warning,
            message: format!("`{text}` is a VB.NET date interval that the function reference does not document"),
            help: Some(format!(
                "the documented intervals are {documented}; `q` is 3 months (\"m\" with 3×), `y` and `w` count days (\"d\")"
            )),
        }),
        Err(_) => Err(ArgIssue::error(
            format!("`{text}` is not a date interval"),
            Some(format!("use one of {documented}")),
        )),
    }
}

/// ISO 639-1 two-letter language codes.
const LANGUAGES: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy \
     da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik \
     io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt \
     my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so \
     sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// ISO 3166-1 alpha-2 country and region codes, plus `XK` (Kosovo), which .NET also knows.
const REGIONS: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS \
     BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ \
     FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT \
     JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP \
     MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE \
     RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV \
     TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW";

/// .NET's alternate sort orders, written after the culture name with `_`.
const SORT_SUFFIXES: &[&str] = &[
    "phoneb", "tradnl", "technl", "modern", "stroke", "pronun", "radstr", "unicod",
];

fn listed(list: &str, code: &str) -> bool {
    list.split_ascii_whitespace().any(|c| c.eq_ignore_ascii_case(code))
}

/// ToLower/ToUpper `culture`: a culture name .NET can know (see the module documentation).
pub fn culture(name: &str) -> Result<(), ArgIssue> {
    let help = || {
        Some("write a culture name such as en-US, tr-TR or sr-Latn-RS, or leave the argument out for the invariant culture".to_string())
    };
    if name.is_empty() || ["zh-CHS", "zh-CHT"].iter().any(|l| l.eq_ignore_ascii_case(name)) {
        return Ok(());
    }
    let bad = |why: String| {
        Err(ArgIssue::error(
            format!("`{name}` is not a culture name: {why}"),
            help(),
        ))
    };
    let tag = match name.split_once('_') {
        Some((tag, sort)) if SORT_SUFFIXES.iter().any(|s| s.eq_ignore_ascii_case(sort)) => tag,
        Some(_) => return bad("parts are separated by `-`, as in en-US".into()),
        None => name,
    };
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default();
    let alpha = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphabetic());
    match language.len() {
        2 if alpha(language) && listed(LANGUAGES, language) => {}
        2 if alpha(language) => return bad(format!("`{language}` is not an ISO 639-1 language code")),
        3 if alpha(language) => {}
        _ => return bad("it must start with a two- or three-letter language code".into()),
    }
    let mut seen_region = false;
    for (i, part) in parts.enumerate() {
        match part.len() {
            4 if i == 0 && alpha(part) => {}
            2 if !seen_region && alpha(part) => {
                if !listed(REGIONS, part) {
                    return bad(format!("`{part}` is not an ISO 3166-1 country or region code"));
                }
                seen_region = true;
            }
            3 if !seen_region && part.bytes().all(|b| b.is_ascii_digit()) => seen_region = true,
            5..=8 if part.bytes().all(|b| b.is_ascii_alphanumeric()) => {}
            _ => return bad(format!("`{part}` is not a script, region or variant")),
        }
    }
    Ok(())
}

/// Replace `regexPattern`: a regular expression that compiles.
pub fn regex(pattern: &str) -> Result<(), ArgIssue> {
    replace::compile_for_check(pattern).map(|_| ()).map_err(|message| {
        ArgIssue::error(
            message,
            Some(
                "inside an expression string a backslash is written twice: \"\\\\d\" is the regular expression \\d"
                    .into(),
            ),
        )
    })
}

/// FormatDateTime `outputFormat`: a .NET date format string.
pub fn output_format(format: &str) -> Result<(), ArgIssue> {
    datetime::check_format(format).map_err(|m| ArgIssue::error(m, Some(FORMAT_HELP.into())))
}

/// FormatDateTime `inputFormat`: a .NET date format string that can parse (not empty).
pub fn input_format(format: &str) -> Result<(), ArgIssue> {
    if format.is_empty() {
        return Err(ArgIssue::error(
            "an empty inputFormat matches no date",
            Some(FORMAT_HELP.into()),
        ));
    }
    output_format(format)
}

const FORMAT_HELP: &str = "see .NET's custom date and time format strings: https://learn.microsoft.com/dotnet/standard/base-types/custom-date-and-time-format-strings";

/// FormatDateTime `dateTimeStyles`: DateTimeStyles names that .NET accepts together.
pub fn date_time_styles(text: &str) -> Result<(), ArgIssue> {
    let help = || {
        Some("leave it empty for the default (RoundtripKind, AllowLeadingWhite, AllowTrailingWhite); see https://learn.microsoft.com/dotnet/api/system.globalization.datetimestyles".to_string())
    };
    Styles::parse(text).map_err(|m| ArgIssue::error(m, help()))?;
    let has = |name: &str| {
        text.split([',', '|']).map(|n| n.trim()).any(|n| {
            n.strip_prefix("DateTimeStyles.")
                .unwrap_or(n)
                .eq_ignore_ascii_case(name)
        })
    };
    let conflict = if has("AssumeLocal") && has("AssumeUniversal") {
        Some("AssumeLocal and AssumeUniversal")
    } else if has("RoundtripKind") && (has("AssumeLocal") || has("AssumeUniversal") || has("AdjustToUniversal")) {
        Some("RoundtripKind and AssumeLocal, AssumeUniversal or AdjustToUniversal")
    } else {
        None
    };
    match conflict {
        Some(pair) => Err(ArgIssue::error(
            format!("{pair} cannot be combined (.NET rejects them together)"),
            help(),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(r: Result<(), ArgIssue>) -> Option<ArgLevel> {
        r.err().map(|i| i.level)
    }

    #[test]
    fn intervals() {
        for ok in ["yyyy", "m", "d", "ww", "h", "n", "s", "D", "YYYY"] {
            assert_eq!(level(interval(ok)), None, "{ok}");
        }
        for vb in ["q", "y", "w"] {
            assert_eq!(level(interval(vb)), Some(ArgLevel::Warning), "{vb}");
        }
        for bad in ["day", "", "mm", "yy", "hh"] {
            assert_eq!(level(interval(bad)), Some(ArgLevel::Error), "{bad}");
        }
        assert_eq!(interval("day").unwrap_err().message, "`day` is not a date interval");
    }

    #[test]
    fn cultures() {
        for ok in [
            "",
            "en-US",
            "EN-us",
            "tr-TR",
            "tr",
            "ja-JP",
            "sr-Latn-RS",
            "zh-Hans",
            "zh-Hant-TW",
            "es-419",
            "haw-US",
            "de-DE_phoneb",
            "zh-CHS",
            "ca-ES-valencia",
        ] {
            assert_eq!(level(culture(ok)), None, "{ok}");
        }
        for bad in [
            "xx",
            "en-XX",
            "en_US",
            "english",
            "e",
            "en-",
            "-US",
            "tr-TR-",
            "invariant",
            "en-US_foo",
            "12",
        ] {
            assert_eq!(level(culture(bad)), Some(ArgLevel::Error), "{bad}");
        }
        assert_eq!(
            culture("en-XX").unwrap_err().message,
            "`en-XX` is not a culture name: `XX` is not an ISO 3166-1 country or region code"
        );
    }

    #[test]
    fn regexes_and_formats() {
        assert_eq!(level(regex(r"\+(?<isdCode>\d* )(?<phoneNumber>\d{10})")), None);
        assert_eq!(level(regex("(")), Some(ArgLevel::Error));
        assert_eq!(level(regex("[a-")), Some(ArgLevel::Error));
        for ok in [
            "yyyyMMddHHmmss.fZ",
            "yyyy-MM-dd",
            "M/d/yyyy hh:mm:ss tt",
            "yyyy-MM-ddzzz",
            "o",
            "'at' HH",
            "fffffff",
        ] {
            assert_eq!(level(output_format(ok)), None, "{ok}");
            assert_eq!(level(input_format(ok)), None, "{ok}");
        }
        for bad in ["ffffffff", "'open", "yyyy\\", "%", "%%", "Z", "x"] {
            assert_eq!(level(output_format(bad)), Some(ArgLevel::Error), "{bad}");
        }
        assert_eq!(level(output_format("")), None);
        assert_eq!(level(input_format("")), Some(ArgLevel::Error));
        assert_eq!(level(date_time_styles("AdjustToUniversal, AllowWhiteSpaces")), None);
        assert_eq!(level(date_time_styles("RoundtripKind")), None);
        assert_eq!(level(date_time_styles("Roundtrip")), Some(ArgLevel::Error));
        assert_eq!(
            level(date_time_styles("AssumeLocal, AssumeUniversal")),
            Some(ArgLevel::Error)
        );
        assert_eq!(
            level(date_time_styles("RoundtripKind|AdjustToUniversal")),
            Some(ArgLevel::Error)
        );
    }
}
