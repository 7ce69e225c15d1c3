//! Evaluators of the encoding family: base64, UTF-8 hex and SIDs (the byte-level helpers are in
//! [`super::text`]).

use super::{Call, EvalError, Evaluator, Value, text};

pub(crate) fn convert_to_base64(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    ev.map_text(c, 0, |s| Ok(text::base64_encode(&text::utf16le(s))))
}

pub(crate) fn convert_to_utf8_hex(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    ev.map_text(c, 0, |s| Ok(text::utf8_hex(s)))
}

pub(crate) fn convert_from_base64(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    let encoding = ev.text(c, 1)?.unwrap_or_else(|| "Unicode".into());
    ev.map_text(c, 0, |s| text::decode_bytes(&text::base64_decode(s)?, &encoding))
}

pub(crate) fn string_from_sid(ev: &mut Evaluator<'_>, c: &Call<'_>) -> Result<Value, EvalError> {
    ev.map_text(c, 0, |s| {
        if s.starts_with("S-") {
            Ok(s.to_string())
        } else {
            text::sid_to_string(&text::base64_decode(s)?)
        }
    })
}
