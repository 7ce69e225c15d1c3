//! Keeping credentials out of every line a live command prints.
//!
//! A live command holds secrets the lint pipeline never sees: the bearer
//! token, a client secret, a client assertion, the GitHub request token.
//! Each is registered here the moment it is read or received, and every
//! message, trace line and error text built from network or environment data
//! passes [`Masker::mask`] before it is printed. On top of the registered
//! values, anything shaped like a JSON Web Token or a bearer credential is
//! masked by the project's one masking choke point
//! ([`crate::secrets::Masker`]), and control characters are escaped so
//! a hostile response cannot drive the terminal.

use std::sync::{Arc, RwLock};

/// What replaces a masked value (the same as in every other output).
pub use crate::secrets::MASK;

/// The secrets of one run; clones share them.
#[derive(Debug, Clone, Default)]
pub struct Masker {
    known: Arc<RwLock<Vec<String>>>,
}

impl Masker {
    pub fn new() -> Masker {
        Masker::default()
    }

    /// Registers a secret value; shorter values than 4 characters are not
    /// worth masking (they would mangle ordinary text).
    pub fn add(&self, secret: &str) {
        let secret = secret.trim();
        if secret.chars().count() < 4 {
            return;
        }
        let mut known = self.known.write().unwrap_or_else(|e| e.into_inner());
        if !known.iter().any(|k| k == secret) {
            known.push(secret.to_string());
            // Longest first, so a secret containing another is masked whole.
            known.sort_by_key(|k| std::cmp::Reverse(k.len()));
        }
    }

    /// `text` with every registered secret, token-shaped value and control
    /// character made harmless.
    pub fn mask(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in self.known.read().unwrap_or_else(|e| e.into_inner()).iter() {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), MASK);
            }
        }
        control_free(&crate::secrets::Masker::default().mask(&out))
    }
}

/// Escapes control characters (newlines included) so that a text from the
/// network prints as one inert line: the one escaping function of every output.
pub fn control_free(text: &str) -> String {
    crate::output::printable(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_registered_values_tokens_and_control_characters() {
        let m = Masker::new();
        m.add("s3cr3t-value");
        m.add("ab"); // too short to mask
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl";
        let out = m.mask(&format!("secret s3cr3t-value, token {jwt}, ab\x1b[31m\nnext"));
        assert!(!out.contains("s3cr3t"), "{out}");
        assert!(!out.contains("eyJzdWIi"), "{out}");
        assert!(out.contains("ab"));
        assert!(!out.contains('\x1b') && !out.contains('\n'), "{out}");
        // Clones share the secrets registered later.
        let clone = m.clone();
        m.add("later-secret");
        assert_eq!(clone.mask("x later-secret y"), format!("x {MASK} y"));
    }
}
