//! Semantic diff of mapping tables: "what differs between dev and prod, or
//! between our export and the application's reference?" (`mapping-lint diff`).
//!
//! A textual diff of two exports is useless: the portal reorders mappings,
//! Graph and editors re-indent, the `parameters` tree of an expression can be
//! laid out in several ways, and two expressions can be written differently
//! yet compute the same value (Entra's default `active` Switch and
//! `Not([IsSoftDeleted])`). So the diff works in three steps:
//!
//! 1. **Normalise** ([`table`]): each side becomes a [`MappingTable`] — per
//!    object mapping, rows `target ← source (flow, matching, default)` sorted
//!    by target, where the source is the canonical print of the parsed
//!    `source.expression` (the authoritative form, format.md §1.6); plus the
//!    object-mapping facts (`enabled`, `flowTypes` as a set, `scope` in a
//!    sorted text form) and the target object's attribute definitions. Every
//!    fact keeps the JSON Pointer it came from, for the report.
//! 2. **Compare** ([`compare`]): object mappings are paired by source object
//!    (falling back to the target object), rows by target. Two sources are
//!    equal when their canonical texts are, or when
//!    [`crate::expr::equivalent`] proves them equivalent under the attribute
//!    types of *each* side's source object — a proof under one side's types
//!    says nothing about inputs the other side allows. The result lists rows
//!    added, removed and changed, object-mapping setting changes and target
//!    attribute definition changes, and lays out both normalised tables line
//!    by line, aligned so that what is not a difference reads the same.
//! 3. **Mark** ([`impact`]): the changes that alter who is provisioned or
//!    restart an initial cycle (scoping filters, matching attributes,
//!    `active`, object mappings enabled or disabled, flow behaviour) are
//!    marked high-impact, the same way in every rendering.
//! 4. **Render** ([`human`]: a unified diff of the aligned tables, made with
//!    `similar`; [`json`]: the structured result, `schemas/diff.schema.json`).
//!
//! A reference table ([`MappingTable::from_profile`]) may leave facts
//! unspecified — it has no scope, may ignore mappings it does not list, names
//! only the attribute definitions the application needs. [`ObjectTable`]
//! expresses that with optional facts and "exhaustive" flags, so that
//! comparing an export with a reference reports exactly what the reference
//! requires, and the same code compares two exports.

pub mod compare;
pub mod human;
pub mod impact;
pub mod json;
mod reference;
pub mod table;

pub use compare::{
    AttributeChanges, EquivalentRow, ObjectDiff, ObjectStatus, RowChange, RowValue, Setting, SettingChange,
    SettingValue, Summary, TableDiff, compare,
};
pub use table::{FlowTypes, Located, MappingTable, ObjectTable, Row, SourceTypes, TargetAttribute};

use crate::source::SourceFile;

/// Why a file cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// Not JSON (or not text): the diff has nothing to compare.
    #[error("{file}:{line}:{column}: not valid JSON: {message}")]
    InvalidJson {
        file: String,
        line: usize,
        column: usize,
        message: String,
        help: Option<String>,
    },
}

impl MappingTable {
    /// Reads the mapping table of an export: parse, build the lenient model
    /// (a structurally odd export still has a table; `check` reports its
    /// problems), normalise, and mask credentials.
    pub fn from_source(source: &SourceFile) -> Result<MappingTable, TableError> {
        let invalid = |offset: usize, message: String, help: Option<String>| {
            let at = source.line_col(offset);
            TableError::InvalidJson {
                file: source.name.clone(),
                line: at.line,
                column: at.column,
                message,
                help,
            }
        };
        if let Some(err) = &source.decode_error {
            return Err(invalid(err.offset, err.message.clone(), Some(err.help.clone())));
        }
        let root = crate::json::parse(&source.text).map_err(|e| invalid(e.span.start, e.message, e.help))?;
        let schema = crate::model::build(&root);
        let mut table = MappingTable::from_schema(source.name.clone(), &schema);
        table.redact(&source.text, &crate::secrets::scan(&root));
        Ok(table)
    }
}
