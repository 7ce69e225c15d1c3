//! mapping-lint: an offline linter, fixer and differ for Microsoft Entra ID
//! provisioning configurations (synchronization schema exports).
//!
//! The pipeline, one module each:
//! - [`source`]: bytes → text (BOM, UTF-16, line endings) and line/column;
//! - [`span`]: typed byte ranges, file and expression coordinates kept apart;
//! - [`json`]: strict JSON with a byte span on every key and value;
//! - [`validate`]: the export's structure against the bundled JSON Schema;
//! - [`model`]: the typed, lenient synchronization schema;
//! - [`expr`]: the attribute-mapping expression language (parser, evaluator, equivalence);
//! - [`rules`]: one file per rule, registered in one place;
//! - [`profile`]: reference profiles (the application's required mappings);
//! - [`discover`]: which files a directory walk lints, and why others are skipped;
//! - [`lint`]: runs the rules on a file;
//! - [`fix`]: applies the rules' fixes in rounds, verifies and writes atomically;
//! - [`output`]: one module per report format;
//! - [`baseline`]: accepting known findings, keyed so they survive reordering;
//! - [`diff`]: semantic comparison of mapping tables (`mapping-lint diff`);
//! - [`preview`]: what Entra would send for given users and groups (`mapping-lint preview`);
//! - [`live`]: Microsoft Graph (`pull`, `push`, `diff live:`), the only network code;
//! - [`write`]: the one way any file is written (atomic, never an input);
//! - [`paths`]: paths named in files (a config's `profile:`) stay inside the repository.

pub mod baseline;
pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod discover;
pub mod expr;
pub mod fix;
pub mod json;
pub mod lint;
pub mod live;
pub mod model;
pub mod output;
pub mod paths;
pub mod preview;
pub mod profile;
pub mod rules;
pub mod run;
pub mod secrets;
pub mod source;
pub mod span;
pub mod suggest;
pub mod suppress;
#[doc(hidden)]
pub mod synthetic;
pub mod validate;
pub mod write;
pub mod yaml;

pub use diagnostic::{Diagnostic, Severity};
pub use lint::{FileReport, LintSettings, lint, lint_text};
