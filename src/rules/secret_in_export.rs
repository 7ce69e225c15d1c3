use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::secrets::Secret;

declare_rule! {
    /// A credential is stored in the export.
    ///
    /// ## What it does
    /// Reports credentials in the export: JSON Web Tokens (the SCIM "Secret
    /// Token" is usually one), bearer tokens, values under keys such as
    /// `SecretToken`, `ClientSecret` or `password`, and constants or defaults
    /// written to password-like target attributes. Keys that name a URL or
    /// a time about a credential rather than the credential (Graph's
    /// `Oauth2TokenExchangeUri`, `TokenExpiration`, …) are not secret keys,
    /// and neither are masked or placeholder values (`********`, `<token>`).
    ///
    /// ## Why it matters
    /// Exports are committed to repositories and attached to tickets. A
    /// provisioning token lets anyone create, change and delete users in the
    /// application. mapping-lint never prints the value: every output format
    /// shows it masked.
    ///
    /// ## Example
    /// ```json
    /// "metadata": [ { "key": "SecretToken", "value": "eyJhbGciOi…" } ]
    /// ```
    ///
    /// ## Fix
    /// Remove the value from the file, rotate the credential in the
    /// application (it has been exposed), and keep credentials in the
    /// provisioning job's Admin Credentials only.
    pub struct SecretInExport {
        name: "secret-in-export",
        category: Security,
        severity: Error,
        fix: None,
    }
}

impl Rule for SecretInExport {
    type State<'a> = &'a Secret;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<&'a Secret> {
        // One finding per value, however many credentials it holds.
        let mut found: Vec<&Secret> = cx.secrets.iter().collect();
        found.dedup_by(|a, b| a.span == b.span);
        found
    }

    fn diagnostic(&self, _cx: &Context<'_>, secret: &&Secret) -> Diagnostic {
        Diagnostic::at(&Self::META, format!("credential in the export: {}", secret.kind), secret.span, secret.pointer.clone())
            .with_label("value redacted")
            .with_help("remove it from the file and rotate the credential; keep secrets in the provisioning job's Admin Credentials only")
    }
}
