//! "Did you mean": the one place names are compared by edit distance, for
//! rules, profiles, formats, subcommands, functions, enum values and
//! attributes.
//!
//! The distance is the optimal-string-alignment distance (Levenshtein plus
//! adjacent transpositions counted once: `ToLowr`, `Joni`), from `strsim`.

/// Edit distance between two names, as given (callers choose the case).
pub fn distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

/// The candidate closest to `name`, compared without case: at most 3 edits
/// away and fewer edits than its length, or one that starts with `name`.
/// `None` for an empty name or when nothing is close.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    closest_within(name, candidates, 3)
}

/// [`closest`] with another limit on the number of edits.
pub fn closest_within<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>, limit: usize) -> Option<&'a str> {
    if name.is_empty() {
        return None;
    }
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .map(|n| {
            let candidate = n.to_lowercase();
            let d = distance(&candidate, &lower);
            (if candidate.starts_with(&lower) { d.min(1) } else { d }, n)
        })
        .filter(|&(d, n)| d <= limit && d < n.len())
        .min()
        .map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transpositions_count_once_and_case_is_ignored() {
        assert_eq!(distance("tolowr", "tolower"), 1);
        assert_eq!(distance("Joni", "Join"), 1);
        assert_eq!(closest("Astrto", ["astrato", "slack"]), Some("astrato"));
        assert_eq!(closest("sla", ["astrato", "slack"]), Some("slack"), "a prefix");
        assert_eq!(closest("zzzzzz", ["astrato", "slack"]), None);
        assert_eq!(closest("", ["a"]), None);
        assert_eq!(closest_within("usrname", ["userName"], 1), Some("userName"));
    }
}
