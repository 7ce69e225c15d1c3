//! Semantic equivalence through the public API, with attribute types looked up the way the
//! profile rules will (a schema's attribute definitions).

use mapping_lint::expr::{AttrKind, AttrType, Equivalence, Value, equivalent, parse};

const DEFAULT_ACTIVE: &str = r#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#;

fn schema(required_soft_delete: bool) -> impl Fn(&str) -> Option<AttrType> {
    move |name| {
        let (kind, required) = match name {
            "IsSoftDeleted" => (AttrKind::Boolean, required_soft_delete),
            "accountEnabled" => (AttrKind::Boolean, false),
            "mail" | "userPrincipalName" | "department" => (AttrKind::String, name == "userPrincipalName"),
            "employeeId" => (AttrKind::Integer, false),
            "proxyAddresses" => {
                return Some(AttrType {
                    kind: AttrKind::String,
                    required: false,
                    multivalued: true,
                });
            }
            _ => return None,
        };
        Some(AttrType {
            kind,
            required,
            multivalued: false,
        })
    }
}

fn eq(a: &str, b: &str, required_soft_delete: bool) -> Equivalence {
    equivalent(&parse(a).unwrap(), &parse(b).unwrap(), &schema(required_soft_delete))
}

/// The counterexample and the two values of a `NotEquivalent` answer; panics on any other.
fn not_equivalent(r: Equivalence) -> (Vec<(String, Value)>, Value, Value) {
    match r {
        Equivalence::NotEquivalent {
            counterexample,
            left,
            right,
        } => (counterexample, left, right),
        other => panic!("{other:?}"),
    }
}

#[test]
fn default_active_switch_equals_not_for_a_required_boolean() {
    assert_eq!(
        eq(DEFAULT_ACTIVE, "Not([IsSoftDeleted])", true),
        Equivalence::Equivalent
    );
    assert_eq!(
        eq("Not([IsSoftDeleted])", DEFAULT_ACTIVE, true),
        Equivalence::Equivalent
    );
}

#[test]
fn default_active_switch_differs_from_not_when_null_is_possible() {
    let (counterexample, left, right) = not_equivalent(eq(DEFAULT_ACTIVE, "Not([IsSoftDeleted])", false));
    assert_eq!(counterexample, [("IsSoftDeleted".to_string(), Value::Null)]);
    assert_eq!(left, Value::Null, "Switch falls back to its empty defaultValue");
    assert_eq!(right, Value::str("True"), "Not(null) is True");
}

#[test]
fn different_sources_are_not_equivalent() {
    let r = eq("[mail]", "[userPrincipalName]", true);
    assert!(matches!(r, Equivalence::NotEquivalent { .. }), "{r:?}");
    let (counterexample, left, right) = not_equivalent(eq("Not([accountEnabled])", "Not([IsSoftDeleted])", true));
    assert_ne!(left, right);
    assert_eq!(counterexample.len(), 2);
}

#[test]
fn whitespace_and_layout_are_irrelevant() {
    assert_eq!(
        eq(
            DEFAULT_ACTIVE,
            "Switch(\n  [IsSoftDeleted],\n  ,\n  \"False\", \"True\",\n  \"True\", \"False\"\n)",
            false
        ),
        Equivalence::Equivalent
    );
    assert_eq!(
        eq(r#"Append( [mail] ,".test")"#, r#"Append([mail], ".test")"#, false),
        Equivalence::Equivalent
    );
}

#[test]
fn rewrites_that_preserve_meaning() {
    assert_eq!(
        eq(
            r#"Switch([department], "Other", "Sales", "S", "HR", "H")"#,
            r#"IIF([department] = "Sales", "S", IIF([department] = "HR", "H", "Other"))"#,
            true
        ),
        Equivalence::Equivalent
    );
    assert_eq!(
        eq("Coalesce([userPrincipalName], [mail])", "[userPrincipalName]", true),
        Equivalence::Equivalent
    );
    let (counterexample, left, right) = not_equivalent(eq("Coalesce([mail], [userPrincipalName])", "[mail]", true));
    assert_eq!(counterexample[0], ("mail".to_string(), Value::Null));
    assert_eq!(left, counterexample[1].1);
    assert_eq!(right, Value::Null);
}

#[test]
fn unknown_outside_the_sound_fragment() {
    for (a, b) in [
        ("ToLower([mail])", "[mail]"),
        (r#"Append([mail], "")"#, "[mail]"),
        ("[proxyAddresses]", "Coalesce([proxyAddresses])"),
        (r#"IIF([employeeId] > 5, "a", "b")"#, r#""a""#),
    ] {
        let r = eq(a, b, true);
        assert!(matches!(r, Equivalence::Unknown { .. }), "{a} vs {b}: {r:?}");
    }
}
