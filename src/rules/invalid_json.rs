use super::{Context, Described, Rule};
use crate::diagnostic::Diagnostic;
use crate::json::SyntaxError;

declare_rule! {
    /// The file is not valid JSON (or not readable text).
    ///
    /// ## What it does
    /// Reports a file that is not valid JSON, at the position of the first
    /// syntax error: truncated downloads, comments, trailing commas, text that
    /// is not UTF-8, an empty file.
    ///
    /// ## Why it matters
    /// Neither the portal's schema editor nor Graph accepts anything but
    /// strict JSON, and no other check can run on a file that does not parse.
    ///
    /// UTF-8 with or without a byte order mark, LF or CRLF, and UTF-16 with a
    /// byte order mark (what Windows PowerShell 5 writes) are all read fine.
    ///
    /// Text pasted from a guide or a ticket fails in typical ways, and the
    /// help names the cause and the repair: objects copied one by one
    /// (`{…}, {…}`: "wrap the objects in [ ]"), a comma too many ("remove
    /// the trailing comma at 12:5", a leading or doubled comma), an elision
    /// of a documentation excerpt (`...`, `[..]`, `(...)`, `…`), properties
    /// without their braces, several values one after another.
    ///
    /// ## Example
    /// ```json
    /// { "synchronizationRules": [ ], }
    /// ```
    /// The trailing comma is not allowed in JSON.
    ///
    /// ## Fix
    /// Remove what the message points at, or download the schema again
    /// (Provisioning → Mappings → Show advanced options → Review your schema →
    /// Download).
    pub struct InvalidJson {
        name: "invalid-json",
        category: Input,
        severity: Error,
        fix: None,
    }
}

impl Rule for InvalidJson {
    type State<'a> = SyntaxError;

    fn detect<'a>(&self, cx: &Context<'a>) -> Vec<SyntaxError> {
        cx.syntax_error.cloned().into_iter().collect()
    }

    fn diagnostic(&self, _cx: &Context<'_>, err: &SyntaxError) -> Diagnostic {
        let d = Diagnostic::at(
            &Self::META,
            format!("not valid JSON: {}", err.message),
            err.span,
            String::new(),
        )
        .with_label(err.message.clone());
        d.with_help_if(err.help.clone())
    }
}

/// The rule's metadata.
pub const META: &super::RuleMeta = &InvalidJson::META;
