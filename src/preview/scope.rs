//! Scoping filters, evaluated as Microsoft documents them in "Scoping users or groups to be
//! provisioned with scoping filters"
//! (<https://learn.microsoft.com/entra/identity/app-provisioning/define-conditional-rules-for-provisioning-user-accounts>):
//!
//! - the clauses of one scoping filter (a filter group) are AND-ed; several filters are OR-ed;
//! - every clause is false when the attribute is null or empty, except `IS NULL` (true);
//! - filtering on multi-valued attributes is not supported: such a clause is false here, with a
//!   reason;
//! - `EQUALS`, `NOT EQUALS`, `Includes` and `REGEX MATCH` are case-sensitive (documented);
//!   `ENDS_WITH`, `&` and `!&` are compared case-sensitively as well (the page is silent);
//! - `&`: true when the attribute's value occurs in the clause's value ("the evaluated attribute
//!   exists in the input string value"); `!&` the opposite;
//! - `Greater_Than`, `Greater_Than_OR_EQUALS`: both sides must be integers, otherwise false;
//! - `IS TRUE` / `IS FALSE`: the Boolean value, read case-insensitively (`True`, `true`);
//! - `REGEX MATCH` searches (like .NET `Regex.IsMatch`, not anchored); `NOT REGEX MATCH` is false
//!   for a null or empty attribute (documented).
//!
//! Operator names are matched case-insensitively. The three lists of a filter (`groups`,
//! `inputFilterGroups`, `categoryFilterGroups`) must each pass when present.

use crate::expr::eval::replace;
use crate::expr::{Input, Value};
use crate::model::{Filter, FilterClause};

/// The outcome of one clause.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClauseResult {
    pub attribute: String,
    pub operator: String,
    pub values: Vec<String>,
    /// The attribute's value as read (`null`, `"text"`, `["a", "b"]`).
    pub actual: String,
    pub passed: bool,
    /// Why the clause is false when the reason is not the plain comparison.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The outcome of one scoping filter (filter group).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GroupResult {
    pub name: String,
    pub list: &'static str,
    pub passed: bool,
    pub clauses: Vec<ClauseResult>,
}

/// The outcome of the whole filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeResult {
    pub in_scope: bool,
    pub groups: Vec<GroupResult>,
}

impl ScopeResult {
    /// The first failing clause of every filter, when the object is out of scope: what excluded it.
    pub fn excluded_by(&self) -> Vec<(&GroupResult, &ClauseResult)> {
        if self.in_scope {
            return Vec::new();
        }
        self.groups
            .iter()
            .filter(|g| !g.passed)
            .filter_map(|g| g.clauses.iter().find(|c| !c.passed).map(|c| (g, c)))
            .collect()
    }
}

/// A filter with its regular expressions compiled once.
pub struct CompiledScope<'a> {
    groups: Vec<CompiledGroup<'a>>,
}

struct CompiledGroup<'a> {
    name: String,
    list: &'static str,
    clauses: Vec<CompiledClause<'a>>,
}

struct CompiledClause<'a> {
    clause: &'a FilterClause,
    operator: Operator,
    regex: Option<Result<fancy_regex::Regex, String>>,
}

/// The documented operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    Equals,
    NotEquals,
    RegexMatch,
    NotRegexMatch,
    IsNull,
    IsNotNull,
    IsTrue,
    IsFalse,
    ContainedIn,
    NotContainedIn,
    EndsWith,
    GreaterThan,
    GreaterThanOrEquals,
    Includes,
    Unknown,
}

impl Operator {
    pub fn parse(name: &str) -> Operator {
        let norm: String = name
            .trim()
            .chars()
            .map(|c| if c == '_' { ' ' } else { c.to_ascii_uppercase() })
            .collect();
        match norm.as_str() {
            "EQUALS" => Operator::Equals,
            "NOT EQUALS" => Operator::NotEquals,
            "REGEX MATCH" => Operator::RegexMatch,
            "NOT REGEX MATCH" => Operator::NotRegexMatch,
            "IS NULL" => Operator::IsNull,
            "IS NOT NULL" => Operator::IsNotNull,
            "IS TRUE" => Operator::IsTrue,
            "IS FALSE" => Operator::IsFalse,
            "&" => Operator::ContainedIn,
            "!&" => Operator::NotContainedIn,
            "ENDS WITH" => Operator::EndsWith,
            "GREATER THAN" => Operator::GreaterThan,
            "GREATER THAN OR EQUALS" => Operator::GreaterThanOrEquals,
            "INCLUDES" => Operator::Includes,
            _ => Operator::Unknown,
        }
    }
}

impl<'a> CompiledScope<'a> {
    pub fn new(filter: Option<&'a Filter>) -> CompiledScope<'a> {
        let groups = filter
            .map(|f| {
                f.groups
                    .iter()
                    .map(|g| CompiledGroup {
                        name: g.name.as_ref().map_or_else(String::new, |n| n.value.clone()),
                        list: g.list,
                        clauses: g
                            .clauses
                            .iter()
                            .map(|clause| {
                                let operator = Operator::parse(clause.operator.as_ref().map_or("", |o| o.as_str()));
                                let regex = matches!(operator, Operator::RegexMatch | Operator::NotRegexMatch)
                                    .then(|| replace::compile(clause.values.first().map_or("", |v| v.as_str())));
                                CompiledClause {
                                    clause,
                                    operator,
                                    regex,
                                }
                            })
                            .collect(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        CompiledScope { groups }
    }

    /// Whether the filter has any clause at all.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    pub fn evaluate(&self, input: &Input) -> ScopeResult {
        let groups: Vec<GroupResult> = self.groups.iter().map(|g| g.evaluate(input)).collect();
        let in_scope = ["groups", "inputFilterGroups", "categoryFilterGroups"]
            .iter()
            .all(|list| {
                let mut of_list = groups.iter().filter(|g| g.list == *list).peekable();
                of_list.peek().is_none() || of_list.any(|g| g.passed)
            });
        ScopeResult { in_scope, groups }
    }
}

impl CompiledGroup<'_> {
    fn evaluate(&self, input: &Input) -> GroupResult {
        let clauses: Vec<ClauseResult> = self.clauses.iter().map(|c| c.evaluate(input)).collect();
        GroupResult {
            name: self.name.clone(),
            list: self.list,
            passed: clauses.iter().all(|c| c.passed),
            clauses,
        }
    }
}

impl CompiledClause<'_> {
    fn evaluate(&self, input: &Input) -> ClauseResult {
        let attribute = self.clause.source_operand.as_ref().map_or("", |s| s.as_str());
        let values: Vec<String> = self.clause.values.iter().map(|v| v.value.clone()).collect();
        let value = input.get(attribute).cloned().unwrap_or(Value::Null);
        let (passed, reason) = self.test(&value, values.first().map_or("", String::as_str));
        ClauseResult {
            attribute: attribute.to_string(),
            operator: self
                .clause
                .operator
                .as_ref()
                .map_or_else(String::new, |o| o.value.clone()),
            values,
            actual: value.describe(),
            passed,
            reason,
        }
    }

    fn test(&self, value: &Value, operand: &str) -> (bool, Option<String>) {
        use Operator::*;
        if self.operator == Unknown {
            return (false, Some("unknown operator: the clause never passes".into()));
        }
        let text = match value {
            Value::Multi(_) | Value::Complex(_) => {
                return (
                    false,
                    Some("filtering on multi-valued attributes is not supported".into()),
                );
            }
            Value::Null => "",
            Value::Str(s) => s.as_str(),
        };
        if text.is_empty() {
            return match self.operator {
                IsNull => (true, None),
                _ => (false, Some("the attribute is null or empty".into())),
            };
        }
        let integer = |s: &str| s.trim().parse::<i64>().ok();
        let passed = match self.operator {
            Equals => text == operand,
            NotEquals => text != operand,
            IsNull => false,
            IsNotNull => true,
            IsTrue => text.eq_ignore_ascii_case("true"),
            IsFalse => text.eq_ignore_ascii_case("false"),
            ContainedIn => operand.contains(text),
            NotContainedIn => !operand.contains(text),
            EndsWith => text.ends_with(operand),
            Includes => text.contains(operand),
            GreaterThan | GreaterThanOrEquals => match (integer(text), integer(operand)) {
                (Some(a), Some(b)) => {
                    if self.operator == GreaterThan {
                        a > b
                    } else {
                        a >= b
                    }
                }
                _ => return (false, Some("both sides must be integers".into())),
            },
            RegexMatch | NotRegexMatch => match &self.regex {
                Some(Ok(re)) => match re.is_match(text) {
                    Ok(m) => m == (self.operator == RegexMatch),
                    Err(e) => return (false, Some(format!("the regular expression failed: {e}"))),
                },
                Some(Err(e)) => return (false, Some(e.clone())),
                None => false,
            },
            Unknown => false,
        };
        (passed, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Spanned;

    fn clause(attribute: &str, operator: &str, value: Option<&str>) -> FilterClause {
        let s = |v: &str| Spanned::new(v.to_string(), Default::default());
        FilterClause {
            loc: Default::default(),
            operator: Some(s(operator)),
            source_operand: Some(s(attribute)),
            values: value.into_iter().map(s).collect(),
        }
    }

    fn check(operator: &str, operand: Option<&str>, value: Value) -> bool {
        let c = clause("a", operator, operand);
        let compiled = CompiledClause {
            clause: &c,
            operator: Operator::parse(operator),
            regex: matches!(
                Operator::parse(operator),
                Operator::RegexMatch | Operator::NotRegexMatch
            )
            .then(|| replace::compile(operand.unwrap_or(""))),
        };
        let mut input = Input::new();
        input.insert("a", value);
        compiled.evaluate(&input).passed
    }

    fn s(v: &str) -> Value {
        Value::str(v)
    }

    #[test]
    fn every_documented_operator() {
        assert!(check("EQUALS", Some("Sales"), s("Sales")));
        assert!(!check("EQUALS", Some("Sales"), s("sales")), "EQUALS is case-sensitive");
        assert!(check("NOT EQUALS", Some("Sales"), s("sales")));
        assert!(!check("NOT EQUALS", Some("Sales"), Value::Null), "null is false");
        assert!(check("REGEX MATCH", Some(r".*\@domain.com"), s("a@domain.com")));
        assert!(
            !check("REGEX MATCH", Some("^A"), s("abc")),
            "REGEX MATCH is case-sensitive"
        );
        assert!(
            check("REGEX MATCH", Some("([1-9][0-9])"), s("x42y")),
            "search, not anchored"
        );
        assert!(check("NOT REGEX MATCH", Some(r".*\@domain.com"), s("a@other.com")));
        assert!(
            !check("NOT REGEX MATCH", Some("x"), Value::Null),
            "documented: false for null"
        );
        assert!(check("IS NULL", None, Value::Null));
        assert!(check("IS NULL", None, s("")));
        assert!(!check("IS NULL", None, s("x")));
        assert!(check("IS NOT NULL", None, s("x")));
        assert!(!check("IS NOT NULL", None, s("")));
        assert!(check("IS TRUE", None, s("True")));
        assert!(check("IS TRUE", None, s("true")));
        assert!(!check("IS TRUE", None, s("False")));
        assert!(check("IS FALSE", None, s("False")));
        assert!(!check("IS FALSE", None, Value::Null));
        assert!(check("&", Some("Sales,Marketing"), s("Sales")));
        assert!(!check("&", Some("Sales,Marketing"), s("HR")));
        assert!(check("!&", Some("Sales,Marketing"), s("HR")));
        assert!(!check("!&", Some("Sales"), Value::Null));
        assert!(check("ENDS_WITH", Some("@contoso.com"), s("a@contoso.com")));
        assert!(!check("ENDS_WITH", Some("@contoso.com"), s("a@Contoso.com")));
        assert!(check("Greater_Than", Some("1000000"), s("1500000")));
        assert!(!check("Greater_Than", Some("10"), s("10")));
        assert!(!check("Greater_Than", Some("10"), s("abc")), "integers only");
        assert!(check("Greater_Than_OR_EQUALS", Some("10"), s("10")));
        assert!(!check("Greater_Than_OR_EQUALS", Some("10"), s("9")));
        assert!(check("Includes", Some("Eng"), s("Engineering")));
        assert!(
            !check("Includes", Some("eng"), s("Engineering")),
            "Includes is case-sensitive"
        );
        assert!(!check("BETWEEN", Some("1"), s("1")), "unknown operators never pass");
    }

    #[test]
    fn multi_valued_attributes_are_not_filterable() {
        assert!(!check("EQUALS", Some("a"), Value::Multi(vec!["a".into()])));
        assert!(!check("IS NULL", None, Value::Multi(vec!["a".into()])));
    }

    #[test]
    fn operator_names_are_matched_loosely() {
        assert_eq!(Operator::parse("greater_than_or_equals"), Operator::GreaterThanOrEquals);
        assert_eq!(Operator::parse("Ends_With"), Operator::EndsWith);
        assert_eq!(Operator::parse("is not null"), Operator::IsNotNull);
    }
}
