//! RFC 6901 JSON Pointers: how every finding names the value it is about,
//! independent of formatting, and how config ignores and baselines address
//! values.

/// Appends one escaped reference token (`~` → `~0`, `/` → `~1`).
pub fn push(ptr: &mut String, token: &str) {
    ptr.push('/');
    if !token.contains(['~', '/']) {
        ptr.push_str(token);
        return;
    }
    for c in token.chars() {
        match c {
            '~' => ptr.push_str("~0"),
            '/' => ptr.push_str("~1"),
            c => ptr.push(c),
        }
    }
}

pub fn push_index(ptr: &mut String, index: usize) {
    use std::fmt::Write;
    let _ = write!(ptr, "/{index}");
}

/// `base` + one token, as a new string.
pub fn join(base: &str, token: &str) -> String {
    let mut s = String::with_capacity(base.len() + token.len() + 1);
    s.push_str(base);
    push(&mut s, token);
    s
}

pub fn join_index(base: &str, index: usize) -> String {
    let mut s = base.to_string();
    push_index(&mut s, index);
    s
}

/// One step of a path being walked. Tree walks keep a stack of these and
/// build the pointer string only for the rare node they report, instead of
/// maintaining a string for every node they pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    Key(&'a str),
    Index(usize),
}

/// The pointer of a path of tokens.
pub fn from_tokens(path: &[Token<'_>]) -> String {
    let mut ptr = String::new();
    for token in path {
        match token {
            Token::Key(key) => push(&mut ptr, key),
            Token::Index(i) => push_index(&mut ptr, *i),
        }
    }
    ptr
}

/// Unescaped reference tokens, or `None` for a malformed pointer.
pub fn segments(ptr: &str) -> Option<Vec<String>> {
    if ptr.is_empty() {
        return Some(Vec::new());
    }
    let rest = ptr.strip_prefix('/')?;
    rest.split('/').map(unescape).collect()
}

fn unescape(token: &str) -> Option<String> {
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.next()? {
                '0' => out.push('~'),
                '1' => out.push('/'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// An array index token: digits without leading zeros.
pub fn array_index(token: &str) -> Option<usize> {
    if token.is_empty() || (token.len() > 1 && token.starts_with('0')) || !token.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    token.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_unescapes_round_trip() {
        let mut p = String::new();
        push(&mut p, "a/b~c");
        push_index(&mut p, 3);
        assert_eq!(p, "/a~1b~0c/3");
        assert_eq!(segments(&p).unwrap(), vec!["a/b~c".to_string(), "3".to_string()]);
        assert_eq!(segments("").unwrap(), Vec::<String>::new());
        assert!(segments("no-slash").is_none());
        assert!(segments("/bad~2").is_none());
        assert_eq!(from_tokens(&[Token::Key("a/b~c"), Token::Index(3)]), p);
        assert_eq!(from_tokens(&[]), "");
    }

    #[test]
    fn array_indexes_reject_leading_zeros() {
        assert_eq!(array_index("0"), Some(0));
        assert_eq!(array_index("12"), Some(12));
        assert_eq!(array_index("012"), None);
        assert_eq!(array_index("-1"), None);
    }
}
