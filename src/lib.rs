//! mapping-lint: an offline linter, fixer and differ for Microsoft Entra ID
//! provisioning configurations (synchronization schema exports).

pub mod expr;
