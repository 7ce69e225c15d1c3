//! The regular-expression side of `Replace`.
//!
//! The engine uses .NET regular expressions, so patterns are compiled with `fancy-regex`, which
//! supports the .NET constructs that appear in practice: named groups `(?<name>…)`, lookarounds
//! and backreferences. Replacement strings follow .NET substitution syntax, implemented here
//! because it differs from the `regex` crate's (`$name` without braces is literal in .NET):
//! `$1`, `${name}`, `${1}`, `$$`, `$&`, `` $` ``, `$'`, `$+`, `$_`; a reference to a group that does
//! not exist stays literal; a group that did not participate in the match gives "".
//!
//! A backtracking limit bounds pathological patterns; exceeding it is an evaluation error rather
//! than a hang.

use fancy_regex::{Captures, Regex, RegexBuilder};

/// Backtracking steps allowed per match attempt.
const BACKTRACK_LIMIT: usize = 1_000_000;

/// Compiled patterns kept per thread: `preview` evaluates the same expressions for every object,
/// and compiling a pattern costs far more than running it. Bounded in entries (when full it starts
/// over) and, through [`EVAL_SIZE_LIMIT`], in the memory of each entry.
const CACHE_ENTRIES: usize = 32;

/// Compiled-size limit of a pattern the evaluator runs (bytes of the compiled program; the regex
/// crate's default is 10 MiB). Real patterns need a few kilobytes; past this a pattern is an
/// evaluation error, which keeps the cache's memory bounded too.
const EVAL_SIZE_LIMIT: usize = 4 << 20;

thread_local! {
    static CACHE: std::cell::RefCell<std::collections::HashMap<String, Result<Regex, String>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// The compiled pattern (from this thread's cache when it was compiled before), or why it does not
/// compile.
pub fn compile(pattern: &str) -> Result<Regex, String> {
    if let Some(cached) = CACHE.with(|c| c.borrow().get(pattern).cloned()) {
        return cached;
    }
    let compiled = RegexBuilder::new(pattern)
        .backtrack_limit(BACKTRACK_LIMIT)
        .delegate_size_limit(EVAL_SIZE_LIMIT)
        .build()
        .map_err(|e| format!("invalid regular expression `{pattern}`: {e}"));
    CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= CACHE_ENTRIES {
            cache.clear();
        }
        cache.insert(pattern.to_string(), compiled.clone());
    });
    compiled
}

/// Compiled-size limit of a pattern compiled only to check it (in bytes of the compiled program):
/// real patterns need a few kilobytes, and the compiler stops as soon as the limit is reached, so
/// checking an expression full of huge patterns stays fast.
const CHECK_SIZE_LIMIT: usize = 32 * 1024;

/// Compiles `pattern` to check it, not to run it: `Ok(None)` when it is valid syntax but too
/// large to compile within a small size limit (the evaluator, with the regex crate's default
/// limit, decides about those).
pub fn compile_for_check(pattern: &str) -> Result<Option<Regex>, String> {
    match RegexBuilder::new(pattern)
        .backtrack_limit(BACKTRACK_LIMIT)
        .delegate_size_limit(CHECK_SIZE_LIMIT)
        .delegate_dfa_size_limit(CHECK_SIZE_LIMIT)
        .build()
    {
        Ok(re) => Ok(Some(re)),
        Err(fancy_regex::Error::CompileError(e)) if matches!(&*e, fancy_regex::CompileError::InnerError(b) if b.size_limit().is_some()) => {
            Ok(None)
        }
        Err(e) => Err(format!("invalid regular expression `{pattern}`: {e}")),
    }
}

fn group_index(re: &Regex, name: &str) -> Option<usize> {
    re.capture_names().position(|n| n == Some(name))
}

/// Checks that `group` names a group of `re` (or is a group number).
pub fn require_group(re: &Regex, group: &str) -> Result<usize, String> {
    group_index(re, group)
        .or_else(|| group.parse::<usize>().ok().filter(|&i| i < re.captures_len()))
        .ok_or_else(|| format!("the regular expression `{}` has no group named `{group}`", re.as_str()))
}

/// Expands a .NET replacement pattern for one match.
fn expand(re: &Regex, caps: &Captures<'_, str>, input: &str, replacement: &str, out: &mut String) {
    let group_count = re.captures_len();
    let text_of = |i: usize| caps.get(i).map_or("", |m| m.as_str());
    let bytes = replacement.as_bytes();
    let mut i = 0;
    let mut literal_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' || i + 1 >= bytes.len() {
            i += 1;
            continue;
        }
        let rest = &replacement[i + 1..];
        // (text to insert, bytes consumed after the `$`)
        let substitution: Option<(&str, usize)> = match bytes[i + 1] {
            b'$' => Some(("$", 1)),
            b'&' => Some((text_of(0), 1)),
            b'`' => Some((&input[..caps.get(0).map_or(0, |m| m.start())], 1)),
            b'\'' => Some((&input[caps.get(0).map_or(0, |m| m.end())..], 1)),
            b'_' => Some((input, 1)),
            b'+' => Some((if group_count > 1 { text_of(group_count - 1) } else { "" }, 1)),
            b'{' => rest.find('}').and_then(|close| {
                let name = &rest[1..close];
                let index = group_index(re, name).or_else(|| name.parse::<usize>().ok().filter(|&n| n < group_count));
                index.map(|g| (text_of(g), close + 1))
            }),
            b'0'..=b'9' => {
                // The longest digit run that names an existing group.
                let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                (1..=digits).rev().find_map(|len| {
                    rest[..len]
                        .parse::<usize>()
                        .ok()
                        .filter(|&n| n < group_count)
                        .map(|n| (text_of(n), len))
                })
            }
            _ => None,
        };
        match substitution {
            Some((text, consumed)) => {
                out.push_str(&replacement[literal_start..i]);
                out.push_str(text);
                i += 1 + consumed;
                literal_start = i;
            }
            None => i += 1,
        }
    }
    out.push_str(&replacement[literal_start..]);
}

fn runtime(e: fancy_regex::Error) -> String {
    format!("regular expression failed: {e}")
}

/// The error of a result that would exceed `max` bytes.
pub fn too_large(max: usize) -> String {
    format!(
        "evaluation stopped: the result would be larger than {} (the evaluation limit)",
        super::describe_bytes(max)
    )
}

/// Plain `source.replace(old, new)` (`old` not empty), refused before it is built when the
/// result would exceed `max` bytes.
pub fn replace_text(source: &str, old: &str, new: &str, max: usize) -> Result<String, String> {
    if new.len() > old.len() {
        let count = source.matches(old).count();
        let size = count
            .checked_mul(new.len() - old.len())
            .and_then(|grow| grow.checked_add(source.len()));
        if size.is_none_or(|n| n > max) {
            return Err(too_large(max));
        }
    }
    Ok(source.replace(old, new))
}

/// Patterns the linear-time `regex` engine cannot run (lookaround, backreferences, atomic
/// groups) go to fancy-regex's backtracking engine, whose work can grow with the square of the
/// input (a lookahead rescans the rest of the text at every position). Their inputs are capped.
pub const MAX_BACKTRACKING_INPUT: usize = 16 * 1024;

fn check_input(re: &Regex, source: &str) -> Result<(), String> {
    if source.len() > MAX_BACKTRACKING_INPUT && regex::Regex::new(re.as_str()).is_err() {
        return Err(format!(
            "evaluation stopped: the regular expression `{}` needs backtracking (lookaround or \
             backreferences), which is limited to inputs of {} KiB; this input has {} bytes",
            re.as_str(),
            MAX_BACKTRACKING_INPUT / 1024,
            source.len()
        ));
    }
    Ok(())
}

/// `Regex.Replace(source, pattern, replacement)` with .NET substitutions; fails as soon as the
/// result grows past `max` bytes.
pub fn replace_all(re: &Regex, source: &str, replacement: &str, max: usize) -> Result<String, String> {
    check_input(re, source)?;
    let mut out = String::with_capacity(source.len().min(max));
    let mut last = 0;
    for caps in re.captures_iter(source) {
        let caps = caps.map_err(runtime)?;
        let m = caps.get(0).expect("group 0 always participates");
        out.push_str(&source[last..m.start()]);
        expand(re, &caps, source, replacement, &mut out);
        if out.len() > max {
            return Err(too_large(max));
        }
        last = m.end();
    }
    out.push_str(&source[last..]);
    if out.len() > max {
        return Err(too_large(max));
    }
    Ok(out)
}

/// Replaces, in every match, only the text captured by `group` with `replacement` (literal);
/// fails as soon as the result grows past `max` bytes.
pub fn replace_group(re: &Regex, group: usize, source: &str, replacement: &str, max: usize) -> Result<String, String> {
    check_input(re, source)?;
    let mut out = String::with_capacity(source.len().min(max));
    let mut last = 0;
    for caps in re.captures_iter(source) {
        let caps = caps.map_err(runtime)?;
        if let Some(g) = caps.get(group) {
            out.push_str(&source[last..g.start()]);
            out.push_str(replacement);
            if out.len() > max {
                return Err(too_large(max));
            }
            last = g.end();
        }
    }
    out.push_str(&source[last..]);
    if out.len() > max {
        return Err(too_large(max));
    }
    Ok(out)
}

/// The text of `group` in the first match, if any.
pub fn extract_group(re: &Regex, group: usize, source: &str) -> Result<Option<String>, String> {
    check_input(re, source)?;
    Ok(re
        .captures(source)
        .map_err(runtime)?
        .and_then(|c| c.get(group).map(|m| m.as_str().to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn re(p: &str) -> Regex {
        compile(p).unwrap()
    }

    #[test]
    fn dotnet_substitutions() {
        let r = re(r"(?<first>\w+) (?<last>\w+)");
        let sub = |rep: &str| replace_all(&r, "John Smith!", rep, 1000).unwrap();
        assert_eq!(sub("${last}, ${first}"), "Smith, John!");
        assert_eq!(sub("$2 $1"), "Smith John!");
        assert_eq!(sub("$$1"), "$1!");
        assert_eq!(sub("[$&]"), "[John Smith]!");
        assert_eq!(sub("$'|$`|$_"), "!||John Smith!!");
        assert_eq!(sub("$+"), "Smith!");
        // .NET leaves unknown or brace-less named references alone.
        assert_eq!(sub("${nope} $last $9 $"), "${nope} $last $9 $!");
        // `$10` falls back to `$1` followed by `0` when there is no group 10.
        assert_eq!(sub("$10"), "John0!");
        assert_eq!(sub("${1}0"), "John0!");
    }

    #[test]
    fn replacements_and_groups() {
        let r = re(r"\+(?<isdCode>\d* )(?<phoneNumber>\d{10})");
        assert_eq!(
            replace_all(&r, "+91 9998887777", "${phoneNumber}", 1000).unwrap(),
            "9998887777"
        );
        let r = re("[a-zA-Z_]*");
        assert_eq!(replace_all(&r, "john_doe72", "", 1000).unwrap(), "72");
        let r = re(r"(?<streetNumber>^\d*)");
        let g = require_group(&r, "streetNumber").unwrap();
        assert_eq!(
            replace_group(&r, g, "545 Tremont Street", "888", 1000).unwrap(),
            "888 Tremont Street"
        );
        let r = re(r"(?<Suffix>@(.)*)");
        let g = require_group(&r, "Suffix").unwrap();
        assert_eq!(replace_group(&r, g, "jsmith@contoso.com", "", 1000).unwrap(), "jsmith");
        let r = re(r"\+(?<isdCode>\d* )(?<phoneNumber>\d{10})");
        let g = require_group(&r, "phoneNumber").unwrap();
        assert_eq!(
            extract_group(&r, g, "+91 8887779999").unwrap().as_deref(),
            Some("8887779999")
        );
        assert_eq!(extract_group(&r, g, "none").unwrap(), None);
        assert!(require_group(&r, "missing").is_err());
        assert_eq!(require_group(&r, "1").unwrap(), 1);
        // Lookarounds are .NET features the plain regex crate lacks.
        let r = re(r"(?<=@)\w+");
        assert_eq!(replace_all(&r, "a@b.c", "x", 1000).unwrap(), "a@x.c");
    }

    #[test]
    fn errors_instead_of_panics_or_hangs() {
        assert!(compile("(unclosed").is_err());
        let r = re(r"(a|aa)+\1c");
        let input = "a".repeat(40);
        assert!(replace_all(&r, &input, "x", 1000).is_err());
    }

    #[test]
    fn a_pattern_too_large_to_run_is_an_error_and_stays_one() {
        // Valid syntax, but its compiled program is far beyond the limit.
        let huge = "(\\w{100}){100}";
        let first = compile(huge).expect_err("too large");
        assert!(first.contains("invalid regular expression"), "{first}");
        assert_eq!(compile(huge).err(), Some(first), "the cached answer is the same");
        // Small patterns still compile, also once the cache has started over.
        for i in 0..(CACHE_ENTRIES * 2) {
            let re = compile(&format!("a{{{i}}}")).unwrap();
            assert!(re.is_match(&"a".repeat(i)).unwrap());
        }
    }
}
