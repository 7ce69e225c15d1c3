//! The last check before a fixed text may replace the original.
//!
//! Fixes are built by rules from spans, so a bug in one rule could produce
//! text that is not JSON, or JSON that Entra would no longer accept. Nothing
//! is written unless the fixed text is strict JSON of the same kind as the
//! original (same root type, same top-level keys in the same order) and has
//! no structural problem (duplicate key, JSON Schema violation) that the
//! original did not already have. The structural check runs here directly,
//! independent of `--select`/`--ignore`, so it cannot be switched off.

use crate::json::{self, Node};
use crate::model::shape;
use crate::source::LineIndex;
use crate::validate;
use std::collections::HashMap;

/// Checks `fixed` against `original`; the error says what is wrong.
pub fn verify(original: &str, fixed: &str) -> Result<(), String> {
    let new = json::parse(fixed).map_err(|e| {
        let at = LineIndex::new(fixed).line_col(fixed, e.span.start);
        format!(
            "the result is not valid JSON: {} at line {}, column {}",
            e.message, at.line, at.column
        )
    })?;
    // An original that is not JSON has no findings with fixes; if it ever
    // had, there would be nothing to compare the structure with.
    let Ok(old) = json::parse(original) else {
        return Ok(());
    };
    if std::mem::discriminant(&old) != std::mem::discriminant(&new) {
        return Err(format!(
            "the document would change from {} to {}",
            json::type_name(&old),
            json::type_name(&new)
        ));
    }
    if let (Node::Object(a), Node::Object(b)) = (&old, &new) {
        // PowerShell's PascalCase keys count as their camelCase spelling,
        // which a fix may restore, and its `AdditionalProperties` bag
        // (no Graph property) may go.
        let keys = |o: &json::Object<'_>| {
            o.properties
                .iter()
                .filter(|p| p.name.as_str() != "AdditionalProperties")
                .map(|p| shape::pascal_to_camel(p.name.as_str()).unwrap_or_else(|| p.name.as_str().to_string()))
                .collect::<Vec<_>>()
        };
        let (before, after) = (keys(a), keys(b));
        if before != after {
            return Err(format!(
                "the top-level keys would change from [{}] to [{}]",
                before.join(", "),
                after.join(", ")
            ));
        }
    }
    // Pointers shift when array elements come and go, so problems are
    // compared by message: the fix may remove problems, never add one.
    // A PascalCase original is checked as it is read: in camelCase.
    let old_camel = shape::camel_case_text(&old, original);
    let old_camel_root = old_camel.as_deref().and_then(|t| json::parse(t).ok());
    let mut known: HashMap<String, usize> = HashMap::new();
    for p in validate::check(old_camel_root.as_ref().unwrap_or(&old)) {
        *known.entry(p.message).or_default() += 1;
    }
    let new_camel = shape::camel_case_text(&new, fixed);
    let new_camel_root = new_camel.as_deref().and_then(|t| json::parse(t).ok());
    for p in validate::check(new_camel_root.as_ref().unwrap_or(&new)) {
        match known.get_mut(&p.message) {
            Some(n) if *n > 0 => *n -= 1,
            _ => {
                let pointer = if p.pointer.is_empty() { "/" } else { &p.pointer };
                return Err(format!(
                    "the result would have a structural problem the original does not have: {} (at {pointer})",
                    p.message
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = include_str!("../../tests/fixtures/base.json");

    #[test]
    fn accepts_an_equivalent_document() {
        let fixed = BASE.replacen("\"Add,Update,Delete\"", "\"Add,Update\"", 1);
        assert_eq!(verify(BASE, &fixed), Ok(()));
    }

    #[test]
    fn rejects_invalid_json_with_its_position() {
        let err = verify(BASE, &BASE.replacen("\"Always\"", "Always", 1)).unwrap_err();
        assert!(err.starts_with("the result is not valid JSON"), "{err}");
        assert!(err.ends_with("unexpected token at line 19, column 85"), "{err}");
    }

    #[test]
    fn rejects_another_kind_of_document() {
        assert!(verify(BASE, "[]").unwrap_err().contains("from an object to an array"));
        let renamed = BASE.replacen("\"directories\"", "\"directoriez\"", 1);
        assert!(verify(BASE, &renamed).unwrap_err().contains("top-level keys"));
    }

    #[test]
    fn rejects_a_new_structural_problem_but_not_an_old_one() {
        let wrong_type = BASE.replacen("\"matchingPriority\": 1", "\"matchingPriority\": \"1\"", 1);
        let err = verify(BASE, &wrong_type).unwrap_err();
        assert!(err.contains("structural problem"), "{err}");
        assert!(err.contains("matchingPriority"), "{err}");
        // Already broken before: the fix did not make it worse.
        assert_eq!(verify(&wrong_type, &wrong_type), Ok(()));
    }
}
