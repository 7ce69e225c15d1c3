//! Text transformations with .NET semantics: NormalizeDiacritics, PCase, case mapping, base64
//! (ConvertToBase64 / ConvertFromBase64), UTF-8 hex and SID strings.
//!
//! * **NormalizeDiacritics** uses exactly the table of the Microsoft function reference (173
//!   precomposed letters; note ø → oe, æ → ae, ß → ss, but ä → a) and then drops combining
//!   diacritical marks (U+0300–U+036F), which is how the table's multi-codepoint entries such as
//!   `ā́` or `a̱` come out as plain letters. Letters outside the table are left alone.
//! * **Case mapping** is per character, like .NET's `char` mapping: a character whose upper or
//!   lower case would expand to several characters (ß → SS) is kept unchanged.
//! * **PCase** without separators follows .NET `TextInfo.ToTitleCase` after lower-casing the input
//!   (the documented example turns `PABLO` into `Pablo`, which plain ToTitleCase would keep as an
//!   acronym): a word starts at a letter and runs over letters, digits, combining marks and
//!   apostrophes; everything else (white space, punctuation, symbols) separates words.
//! * **Base64** is the standard alphabet with padding; "Unicode" means UTF-16LE, as in .NET.

/// NormalizeDiacritics table from the Microsoft function reference, sorted by code point.
const DIACRITICS: &[(char, &str)] = &[
    ('\u{00C0}', "A"),  // À
    ('\u{00C1}', "A"),  // Á
    ('\u{00C2}', "A"),  // Â
    ('\u{00C3}', "A"),  // Ã
    ('\u{00C4}', "A"),  // Ä
    ('\u{00C5}', "A"),  // Å
    ('\u{00C6}', "AE"), // Æ
    ('\u{00C7}', "C"),  // Ç
    ('\u{00C8}', "E"),  // È
    ('\u{00C9}', "E"),  // É
    ('\u{00CA}', "E"),  // Ê
    ('\u{00CB}', "E"),  // Ë
    ('\u{00CC}', "I"),  // Ì
    ('\u{00CD}', "I"),  // Í
    ('\u{00CE}', "I"),  // Î
    ('\u{00CF}', "I"),  // Ï
    ('\u{00D1}', "N"),  // Ñ
    ('\u{00D2}', "O"),  // Ò
    ('\u{00D3}', "O"),  // Ó
    ('\u{00D4}', "O"),  // Ô
    ('\u{00D5}', "O"),  // Õ
    ('\u{00D6}', "O"),  // Ö
    ('\u{00D8}', "OE"), // Ø
    ('\u{00D9}', "U"),  // Ù
    ('\u{00DA}', "U"),  // Ú
    ('\u{00DB}', "U"),  // Û
    ('\u{00DC}', "U"),  // Ü
    ('\u{00DD}', "Y"),  // Ý
    ('\u{00DF}', "ss"), // ß
    ('\u{00E0}', "a"),  // à
    ('\u{00E1}', "a"),  // á
    ('\u{00E2}', "a"),  // â
    ('\u{00E3}', "a"),  // ã
    ('\u{00E4}', "a"),  // ä
    ('\u{00E5}', "a"),  // å
    ('\u{00E6}', "ae"), // æ
    ('\u{00E7}', "c"),  // ç
    ('\u{00E8}', "e"),  // è
    ('\u{00E9}', "e"),  // é
    ('\u{00EA}', "e"),  // ê
    ('\u{00EB}', "e"),  // ë
    ('\u{00EC}', "i"),  // ì
    ('\u{00ED}', "i"),  // í
    ('\u{00EE}', "i"),  // î
    ('\u{00EF}', "i"),  // ï
    ('\u{00F1}', "n"),  // ñ
    ('\u{00F2}', "o"),  // ò
    ('\u{00F3}', "o"),  // ó
    ('\u{00F4}', "o"),  // ô
    ('\u{00F5}', "o"),  // õ
    ('\u{00F6}', "o"),  // ö
    ('\u{00F8}', "oe"), // ø
    ('\u{00F9}', "u"),  // ù
    ('\u{00FA}', "u"),  // ú
    ('\u{00FB}', "u"),  // û
    ('\u{00FC}', "u"),  // ü
    ('\u{00FD}', "y"),  // ý
    ('\u{00FF}', "y"),  // ÿ
    ('\u{0100}', "A"),  // Ā
    ('\u{0101}', "a"),  // ā
    ('\u{0102}', "A"),  // Ă
    ('\u{0103}', "a"),  // ă
    ('\u{0104}', "A"),  // Ą
    ('\u{0105}', "a"),  // ą
    ('\u{0106}', "C"),  // Ć
    ('\u{0107}', "c"),  // ć
    ('\u{010C}', "C"),  // Č
    ('\u{010D}', "c"),  // č
    ('\u{010E}', "D"),  // Ď
    ('\u{010F}', "d"),  // ď
    ('\u{0112}', "E"),  // Ē
    ('\u{0113}', "e"),  // ē
    ('\u{0116}', "E"),  // Ė
    ('\u{0117}', "e"),  // ė
    ('\u{0118}', "E"),  // Ę
    ('\u{0119}', "e"),  // ę
    ('\u{011A}', "E"),  // Ě
    ('\u{011B}', "e"),  // ě
    ('\u{011E}', "G"),  // Ğ
    ('\u{011F}', "g"),  // ğ
    ('\u{012A}', "I"),  // Ī
    ('\u{012B}', "i"),  // ī
    ('\u{0130}', "I"),  // İ
    ('\u{0131}', "i"),  // ı
    ('\u{013D}', "L"),  // Ľ
    ('\u{013E}', "l"),  // ľ
    ('\u{0141}', "L"),  // Ł
    ('\u{0142}', "l"),  // ł
    ('\u{0143}', "N"),  // Ń
    ('\u{0144}', "n"),  // ń
    ('\u{0147}', "N"),  // Ň
    ('\u{0148}', "n"),  // ň
    ('\u{014C}', "O"),  // Ō
    ('\u{014D}', "o"),  // ō
    ('\u{0150}', "O"),  // Ő
    ('\u{0151}', "o"),  // ő
    ('\u{0152}', "OE"), // Œ
    ('\u{0153}', "oe"), // œ
    ('\u{0158}', "R"),  // Ř
    ('\u{0159}', "r"),  // ř
    ('\u{015A}', "S"),  // Ś
    ('\u{015B}', "s"),  // ś
    ('\u{015E}', "S"),  // Ş
    ('\u{015F}', "s"),  // ş
    ('\u{0160}', "S"),  // Š
    ('\u{0161}', "s"),  // š
    ('\u{0164}', "T"),  // Ť
    ('\u{0165}', "t"),  // ť
    ('\u{016A}', "U"),  // Ū
    ('\u{016B}', "u"),  // ū
    ('\u{016E}', "U"),  // Ů
    ('\u{016F}', "u"),  // ů
    ('\u{0170}', "U"),  // Ű
    ('\u{0171}', "u"),  // ű
    ('\u{0178}', "Y"),  // Ÿ
    ('\u{0179}', "Z"),  // Ź
    ('\u{017A}', "z"),  // ź
    ('\u{017B}', "Z"),  // Ż
    ('\u{017C}', "z"),  // ż
    ('\u{017D}', "Z"),  // Ž
    ('\u{017E}', "z"),  // ž
    ('\u{01D5}', "U"),  // Ǖ
    ('\u{01D6}', "u"),  // ǖ
    ('\u{01DE}', "A"),  // Ǟ
    ('\u{01DF}', "a"),  // ǟ
    ('\u{01E0}', "A"),  // Ǡ
    ('\u{01E1}', "a"),  // ǡ
    ('\u{01E2}', "AE"), // Ǣ
    ('\u{01E3}', "ae"), // ǣ
    ('\u{01EC}', "O"),  // Ǭ
    ('\u{01ED}', "o"),  // ǭ
    ('\u{0218}', "S"),  // Ș
    ('\u{0219}', "s"),  // ș
    ('\u{021A}', "T"),  // Ț
    ('\u{021B}', "t"),  // ț
    ('\u{022A}', "O"),  // Ȫ
    ('\u{022B}', "o"),  // ȫ
    ('\u{022C}', "O"),  // Ȭ
    ('\u{022D}', "o"),  // ȭ
    ('\u{0230}', "O"),  // Ȱ
    ('\u{0231}', "o"),  // ȱ
    ('\u{0232}', "Y"),  // Ȳ
    ('\u{0233}', "y"),  // ȳ
    ('\u{1E0E}', "D"),  // Ḏ
    ('\u{1E0F}', "d"),  // ḏ
    ('\u{1E14}', "E"),  // Ḕ
    ('\u{1E15}', "e"),  // ḕ
    ('\u{1E16}', "E"),  // Ḗ
    ('\u{1E17}', "e"),  // ḗ
    ('\u{1E20}', "G"),  // Ḡ
    ('\u{1E21}', "g"),  // ḡ
    ('\u{1E38}', "L"),  // Ḹ
    ('\u{1E39}', "l"),  // ḹ
    ('\u{1E3A}', "L"),  // Ḻ
    ('\u{1E3B}', "l"),  // ḻ
    ('\u{1E48}', "N"),  // Ṉ
    ('\u{1E49}', "n"),  // ṉ
    ('\u{1E50}', "O"),  // Ṑ
    ('\u{1E51}', "o"),  // ṑ
    ('\u{1E52}', "O"),  // Ṓ
    ('\u{1E53}', "o"),  // ṓ
    ('\u{1E5C}', "R"),  // Ṝ
    ('\u{1E5D}', "r"),  // ṝ
    ('\u{1E5E}', "R"),  // Ṟ
    ('\u{1E5F}', "r"),  // ṟ
    ('\u{1E6E}', "T"),  // Ṯ
    ('\u{1E6F}', "t"),  // ṯ
    ('\u{1E72}', "U"),  // Ṳ
    ('\u{1E73}', "u"),  // ṳ
    ('\u{1E7A}', "U"),  // Ṻ
    ('\u{1E7B}', "u"),  // ṻ
    ('\u{1E94}', "Z"),  // Ẕ
    ('\u{1E95}', "z"),  // ẕ
];

fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Replaces the letters of the Microsoft table by their base letters and drops combining marks.
pub fn normalize_diacritics(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if ('\u{0300}'..='\u{036F}').contains(&c) {
            continue;
        }
        match DIACRITICS.binary_search_by_key(&c, |(k, _)| *k) {
            Ok(i) => out.push_str(DIACRITICS[i].1),
            Err(_) => out.push(c),
        }
    }
    out
}

/// Upper case of one character, kept unchanged when it would expand (ß).
pub fn upper_char(c: char) -> char {
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Lower case of one character, kept unchanged when it would expand (İ).
pub fn lower_char(c: char) -> char {
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Whether a culture name selects Turkish/Azeri dotted/dotless i rules.
fn is_turkic(culture: Option<&str>) -> bool {
    culture.is_some_and(|c| {
        let lang = c.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        lang == "tr" || lang == "az"
    })
}

/// ToUpper with an optional RFC 4646 culture (only tr/az differ from the invariant culture).
pub fn to_upper(s: &str, culture: Option<&str>) -> String {
    let turkic = is_turkic(culture);
    s.chars()
        .map(|c| match c {
            'i' if turkic => '\u{130}',
            _ => upper_char(c),
        })
        .collect()
}

/// ToLower with an optional RFC 4646 culture (only tr/az differ from the invariant culture).
pub fn to_lower(s: &str, culture: Option<&str>) -> String {
    let turkic = is_turkic(culture);
    s.chars()
        .map(|c| match c {
            'I' if turkic => '\u{131}',
            '\u{130}' if turkic => 'i',
            _ => lower_char(c),
        })
        .collect()
}

/// PCase: title case, with .NET ToTitleCase word rules or with explicit separator characters.
pub fn pcase(s: &str, separators: Option<&str>) -> String {
    let lower: Vec<char> = s.chars().map(lower_char).collect();
    let mut out = String::with_capacity(s.len());
    match separators {
        Some(seps) => {
            let mut at_start = true;
            for c in lower {
                if seps.contains(c) {
                    out.push(c);
                    at_start = true;
                } else if at_start {
                    out.push(upper_char(c));
                    at_start = false;
                } else {
                    out.push(c);
                }
            }
        }
        None => {
            let in_word = |c: char| c.is_alphanumeric() || c == '\'' || is_combining_mark(c);
            let mut i = 0;
            while i < lower.len() {
                let c = lower[i];
                i += 1;
                if !c.is_alphabetic() {
                    out.push(c);
                    continue;
                }
                out.push(upper_char(c));
                while i < lower.len() && in_word(lower[i]) {
                    out.push(lower[i]);
                    i += 1;
                }
            }
        }
    }
    out
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(BASE64[(n >> shift & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard base64 (white space ignored, padding optional).
pub fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0;
    let mut padding = 0;
    for c in text.bytes().filter(|b| !b.is_ascii_whitespace()) {
        if c == b'=' {
            padding += 1;
            continue;
        }
        if padding > 0 {
            return Err("base64 padding in the middle of the text".into());
        }
        let v = BASE64
            .iter()
            .position(|&b| b == c)
            .ok_or_else(|| format!("`{}` is not a base64 character", c as char))?;
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    if bits >= 6 || padding > 2 {
        return Err("truncated base64 text".into());
    }
    Ok(out)
}

/// UTF-16LE bytes of a string (.NET "Unicode" encoding).
pub fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// Upper-case hex of the UTF-8 bytes.
pub fn utf8_hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02X}")).collect()
}

/// Decodes bytes with a .NET encoding name: Unicode (UTF-16LE), UTF8 or ASCII.
pub fn decode_bytes(bytes: &[u8], encoding: &str) -> Result<String, String> {
    match encoding.to_ascii_lowercase().as_str() {
        "unicode" | "utf16" | "utf-16" => {
            if !bytes.len().is_multiple_of(2) {
                return Err("UTF-16 data has an odd number of bytes".into());
            }
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|p| u16::from_le_bytes([p[0], p[1]]))
                .collect();
            String::from_utf16(&units).map_err(|_| "invalid UTF-16 data".into())
        }
        "utf8" | "utf-8" => String::from_utf8(bytes.to_vec()).map_err(|_| "invalid UTF-8 data".into()),
        "ascii" => Ok(bytes
            .iter()
            .map(|&b| if b.is_ascii() { b as char } else { '?' })
            .collect()),
        other => Err(format!("`{other}` is not a supported encoding (Unicode, UTF8, ASCII)")),
    }
}

/// The `S-1-5-…` form of a binary security identifier.
pub fn sid_to_string(bytes: &[u8]) -> Result<String, String> {
    let bad = || "not a valid binary SID".to_string();
    if bytes.len() < 8 {
        return Err(bad());
    }
    let count = usize::from(bytes[1]);
    if bytes.len() != 8 + 4 * count {
        return Err(bad());
    }
    let authority = bytes[2..8].iter().fold(0u64, |a, &b| (a << 8) | u64::from(b));
    let mut out = format!("S-{}-{}", bytes[0], authority);
    for chunk in bytes[8..].chunks_exact(4) {
        let sub = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        out.push_str(&format!("-{sub}"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diacritics_table() {
        assert!(
            DIACRITICS.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted for binary search"
        );
        assert_eq!(normalize_diacritics("Zoë"), "Zoe");
        assert_eq!(normalize_diacritics("Jéssica Smith"), "Jessica Smith");
        assert_eq!(
            normalize_diacritics("Straße Ærø Øre œuvre"),
            "Strasse AEroe OEre oeuvre"
        );
        assert_eq!(normalize_diacritics("Łódź İstanbul ı"), "Lodz Istanbul i");
        // Multi-codepoint table entries: base letter plus combining marks.
        assert_eq!(normalize_diacritics("a\u{331} \u{101}\u{301} e\u{30A}\u{304}"), "a a e");
        // Decomposed input.
        assert_eq!(normalize_diacritics("Zoe\u{308}"), "Zoe");
        // Outside the table: unchanged.
        assert_eq!(normalize_diacritics("Þór ĳ"), "Þor ĳ");
    }

    #[test]
    fn title_case() {
        assert_eq!(pcase("PABLO GONSALVES (SECOND)", None), "Pablo Gonsalves (Second)");
        assert_eq!(pcase("PINTO-DE'SILVA", Some(" '-")), "Pinto-De'Silva");
        assert_eq!(pcase("GREGORY JAMES", None), "Gregory James");
        assert_eq!(pcase("o'neil mcDONALD-smith", None), "O'neil Mcdonald-Smith");
        assert_eq!(pcase("3rd floor_east", None), "3Rd Floor_East");
        assert_eq!(pcase("élodie ÉCRIN", None), "Élodie Écrin");
        assert_eq!(pcase("ab,cd ef", Some(",")), "Ab,Cd ef");
        assert_eq!(pcase("", None), "");
    }

    #[test]
    fn case_mapping() {
        assert_eq!(to_upper("straße", None), "STRAßE");
        assert_eq!(to_lower("İSTANBUL", None), "İstanbul");
        assert_eq!(to_lower("ISTANBUL", Some("tr-TR")), "ıstanbul");
        assert_eq!(to_upper("istanbul", Some("tr")), "İSTANBUL");
        assert_eq!(to_upper("istanbul", Some("en-US")), "ISTANBUL");
    }

    #[test]
    fn base64_round_trip() {
        assert_eq!(
            base64_encode(&utf16le("Hello world!")),
            "SABlAGwAbABvACAAdwBvAHIAbABkACEA"
        );
        assert_eq!(base64_encode(b"Hello world!"), "SGVsbG8gd29ybGQh");
        assert_eq!(base64_encode(b"a"), "YQ==");
        assert_eq!(base64_encode(b"ab"), "YWI=");
        assert_eq!(base64_encode(b""), "");
        for s in ["", "a", "ab", "abc", "abcd", "Zoë 😀"] {
            assert_eq!(base64_decode(&base64_encode(s.as_bytes())).unwrap(), s.as_bytes());
        }
        assert_eq!(base64_decode("YQ").unwrap(), b"a");
        assert!(base64_decode("Y").is_err());
        assert!(base64_decode("Y*==").is_err());
        assert!(base64_decode("YQ==YQ==").is_err());
        let decoded = base64_decode("SABlAGwAbABvACAAdwBvAHIAbABkACEA").unwrap();
        assert_eq!(decode_bytes(&decoded, "Unicode").unwrap(), "Hello world!");
        assert_eq!(decode_bytes(b"Hello", "UTF8").unwrap(), "Hello");
        assert_eq!(decode_bytes(&[0x48, 0xE9], "ASCII").unwrap(), "H?");
        assert!(decode_bytes(&[0x48], "Unicode").is_err());
        assert!(decode_bytes(&[0xFF], "UTF8").is_err());
        assert!(decode_bytes(b"x", "EBCDIC").is_err());
    }

    #[test]
    fn hex_and_sid() {
        assert_eq!(utf8_hex("Hello world!"), "48656C6C6F20776F726C6421");
        assert_eq!(utf8_hex("é"), "C3A9");
        // S-1-5-21-1004336348-1177238915-682003330-512
        let mut sid = vec![1u8, 5, 0, 0, 0, 0, 0, 5];
        for sub in [21u32, 1_004_336_348, 1_177_238_915, 682_003_330, 512] {
            sid.extend(sub.to_le_bytes());
        }
        assert_eq!(
            sid_to_string(&sid).unwrap(),
            "S-1-5-21-1004336348-1177238915-682003330-512"
        );
        assert!(sid_to_string(&sid[..10]).is_err());
        assert!(sid_to_string(&[1, 0]).is_err());
    }
}
