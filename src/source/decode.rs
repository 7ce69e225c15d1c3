//! Byte-level decoding: UTF-8 with or without BOM, and UTF-16 with a BOM
//! (what Windows PowerShell 5's `Out-File` and `>` produce by default).

/// How the original bytes were encoded, so a fixed file is written back the
/// same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8 { bom: bool },
    Utf16Le,
    Utf16Be,
}

impl Encoding {
    pub fn describe(self) -> &'static str {
        match self {
            Encoding::Utf8 { bom: false } => "UTF-8",
            Encoding::Utf8 { bom: true } => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16 LE with BOM",
            Encoding::Utf16Be => "UTF-16 BE with BOM",
        }
    }
}

/// The input is not text we can read. `offset` points into the lossy text
/// returned alongside, which is identical to the input up to that point.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DecodeError {
    pub message: String,
    pub help: String,
    pub offset: usize,
}

/// The parentheses matter: `Get-Content f | Set-Content f` streams into
/// the file it is still reading and fails (or empties it); `(Get-Content f)`
/// reads the whole file first.
const RESAVE_HELP: &str = "re-save the file as UTF-8, e.g. in PowerShell: \
    (Get-Content export.json) | Set-Content -Encoding utf8 export.json, \
    or download the schema again from the portal";

/// For UTF-16 without a byte order mark, which Get-Content cannot detect:
/// it must be told the encoding (`Unicode` is UTF-16 LE in PowerShell).
fn resave_utf16_help(little_endian: bool) -> String {
    let encoding = if little_endian { "Unicode" } else { "BigEndianUnicode" };
    format!(
        "re-save the file as UTF-8, e.g. in PowerShell: \
         (Get-Content -Encoding {encoding} export.json) | Set-Content -Encoding utf8 export.json, \
         or download the schema again from the portal"
    )
}

pub(super) fn decode(bytes: Vec<u8>) -> Result<(String, Encoding), (String, DecodeError)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest.to_vec(), true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes, Encoding::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes, Encoding::Utf16Be);
    }
    if looks_like_utf16_without_bom(&bytes) {
        let lossy = String::from_utf8_lossy(&bytes).into_owned();
        return Err((
            lossy,
            DecodeError {
                message: "the file looks like UTF-16 without a byte order mark".into(),
                help: resave_utf16_help(bytes.get(1) == Some(&0)),
                offset: 0,
            },
        ));
    }
    utf8(bytes, false)
}

fn utf8(bytes: Vec<u8>, bom: bool) -> Result<(String, Encoding), (String, DecodeError)> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, Encoding::Utf8 { bom })),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Err((
                lossy,
                DecodeError {
                    message: format!("the file is not valid UTF-8 (invalid byte at offset {offset})"),
                    help: RESAVE_HELP.into(),
                    offset,
                },
            ))
        }
    }
}

fn utf16(
    rest: &[u8],
    unit: fn([u8; 2]) -> u16,
    encoding: Encoding,
) -> Result<(String, Encoding), (String, DecodeError)> {
    let units = rest.chunks(2).map(|c| unit([c[0], *c.get(1).unwrap_or(&0)]));
    let mut text = String::with_capacity(rest.len() / 2);
    for ch in char::decode_utf16(units) {
        match ch {
            Ok(c) => text.push(c),
            Err(_) => {
                let offset = text.len();
                return Err((
                    text,
                    DecodeError {
                        message: format!("the file is not valid {} (unpaired surrogate)", encoding.describe()),
                        help: RESAVE_HELP.into(),
                        offset,
                    },
                ));
            }
        }
    }
    if rest.len() % 2 == 1 {
        let offset = text.len();
        return Err((
            text,
            DecodeError {
                message: format!("the file is not valid {} (odd number of bytes)", encoding.describe()),
                help: RESAVE_HELP.into(),
                offset,
            },
        ));
    }
    Ok((text, encoding))
}

/// JSON starts with ASCII (`{`, `[`, whitespace), so UTF-16 without a BOM
/// shows a NUL byte in the first pair.
fn looks_like_utf16_without_bom(bytes: &[u8]) -> bool {
    matches!(bytes, [a, 0, ..] | [0, a, ..] if a.is_ascii() && *a != 0)
}

pub(super) fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 { bom } => {
            let mut out = Vec::with_capacity(text.len() + 3);
            if bom {
                out.extend_from_slice(b"\xEF\xBB\xBF");
            }
            out.extend_from_slice(text.as_bytes());
            out
        }
        Encoding::Utf16Le => std::iter::once(0xFEFF)
            .chain(text.encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect(),
        Encoding::Utf16Be => std::iter::once(0xFEFF)
            .chain(text.encode_utf16())
            .flat_map(u16::to_be_bytes)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str) -> Vec<u8> {
        encode(s, Encoding::Utf16Le)
    }

    #[test]
    fn decodes_utf16_le_with_bom_and_round_trips() {
        let bytes = utf16le("{\"a\": \"é\"}");
        let (text, enc) = decode(bytes.clone()).unwrap();
        assert_eq!(text, "{\"a\": \"é\"}");
        assert_eq!(enc, Encoding::Utf16Le);
        assert_eq!(encode(&text, enc), bytes);
    }

    #[test]
    fn decodes_utf16_be_with_bom() {
        let bytes = encode("[1]", Encoding::Utf16Be);
        assert_eq!(decode(bytes).unwrap(), ("[1]".to_string(), Encoding::Utf16Be));
    }

    #[test]
    fn rejects_utf16_without_bom_with_resave_help() {
        let bytes: Vec<u8> = "{}".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let (_, err) = decode(bytes).unwrap_err();
        assert!(err.message.contains("UTF-16"));
        assert!(err.help.contains("re-save"));
    }

    #[test]
    fn invalid_utf8_reports_first_bad_offset() {
        let (lossy, err) = decode(b"{\"a\": \"\xFF\"}".to_vec()).unwrap_err();
        assert_eq!(err.offset, 7);
        assert!(lossy.starts_with("{\"a\": \""));
    }

    #[test]
    fn odd_utf16_length_is_an_error_not_a_panic() {
        let mut bytes = utf16le("{}");
        bytes.push(b'x');
        assert!(decode(bytes).is_err());
    }
}
