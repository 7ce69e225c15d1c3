//! The human diff: one section per object mapping with a unified diff of the
//! two normalised tables (made with `similar`), then a summary line.
//!
//! The tables were aligned by [`super::compare`] (equivalent sources and
//! facts one side leaves open read the same on both sides), so every `-`/`+`
//! line here is a real difference.

use super::compare::{ObjectDiff, ObjectStatus, Summary, TableDiff};
use similar::{ChangeTag, TextDiff};
use std::io::{self, Write};

/// How to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// ANSI colours.
    pub color: bool,
    /// Also show equal object mappings, unchanged counts and the notes on
    /// equivalent and changed sources.
    pub verbose: bool,
}

/// Lines of context around each change.
const CONTEXT: usize = 3;

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn bold(&self, t: &str) -> String {
        self.paint("1", t)
    }
    fn red(&self, t: &str) -> String {
        self.paint("31", t)
    }
    fn green(&self, t: &str) -> String {
        self.paint("32", t)
    }
    fn cyan(&self, t: &str) -> String {
        self.paint("36", t)
    }
    fn yellow(&self, t: &str) -> String {
        self.paint("1;33", t)
    }
    fn dim(&self, t: &str) -> String {
        self.paint("2", t)
    }
}

pub fn render(diff: &TableDiff, options: Options, out: &mut dyn Write) -> io::Result<()> {
    let style = Style { on: options.color };
    let summary = diff.summary();
    for object in &diff.objects {
        if object.has_differences() {
            section(diff, object, &style, options, out)?;
        } else if options.verbose {
            writeln!(
                out,
                "{} {}",
                style.bold(&format!("━━ {}", clean(&object.title))),
                style.dim(&format!(
                    "equal, {} {} unchanged",
                    object.unchanged,
                    plural(object.unchanged, "row")
                )),
            )?;
            notes(object, &style, out)?;
            writeln!(out)?;
        }
    }
    let mut line = summary_line(&summary);
    let high = super::impact::count(diff);
    if high > 0 {
        line.push_str(&format!("; {high} high-impact {} (marked !)", plural(high, "change")));
    }
    writeln!(out, "{}", style.bold(&line))
}

fn section(
    diff: &TableDiff,
    object: &ObjectDiff,
    style: &Style,
    options: Options,
    out: &mut dyn Write,
) -> io::Result<()> {
    let status = match object.status {
        ObjectStatus::Added => format!(" (only in {})", diff.b),
        ObjectStatus::Removed => format!(" (only in {})", diff.a),
        _ => String::new(),
    };
    writeln!(
        out,
        "{}",
        style.bold(&format!("━━ {}{}", clean(&object.title), clean(&status)))
    )?;
    let side = |label: &str, pointer: &Option<String>| match pointer {
        Some(p) => format!("{label} {p}"),
        None => label.to_string(),
    };
    writeln!(
        out,
        "{}",
        style.bold(&format!("--- {}", clean(&side(&diff.a, &object.pointer_a))))
    )?;
    writeln!(
        out,
        "{}",
        style.bold(&format!("+++ {}", clean(&side(&diff.b, &object.pointer_b))))
    )?;
    let old: Vec<&str> = object.table_a.iter().map(String::as_str).collect();
    let new: Vec<&str> = object.table_b.iter().map(String::as_str).collect();
    let text = TextDiff::from_slices(&old, &new);
    let mut unified = text.unified_diff();
    unified.context_radius(CONTEXT);
    for hunk in unified.iter_hunks() {
        writeln!(out, "{}", style.cyan(&hunk.header().to_string()))?;
        for change in hunk.iter_changes() {
            let line = clean(change.value());
            match change.tag() {
                ChangeTag::Delete => writeln!(out, "{}", style.red(&format!("-{line}")))?,
                ChangeTag::Insert => writeln!(out, "{}", style.green(&format!("+{line}")))?,
                ChangeTag::Equal => writeln!(out, " {line}")?,
            }
        }
    }
    for mark in super::impact::marks(object) {
        writeln!(
            out,
            "{} {}: {}",
            style.yellow("! high impact:"),
            clean(&mark.subject),
            mark.impact.explain()
        )?;
    }
    if options.verbose {
        if object.status == ObjectStatus::Changed {
            writeln!(
                out,
                "{}",
                style.dim(&format!(
                    "{} {} unchanged",
                    object.unchanged,
                    plural(object.unchanged, "row")
                ))
            )?;
        }
        notes(object, style, out)?;
    }
    writeln!(out)
}

/// The verbose notes: equivalences relied on, and why changed sources differ.
fn notes(object: &ObjectDiff, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    for e in &object.equivalent {
        writeln!(
            out,
            "{} {}: {} and {} are {}",
            style.cyan("note:"),
            clean(&e.target),
            clean(&e.source_a),
            clean(&e.source_b),
            clean(&e.note)
        )?;
    }
    for c in &object.changed {
        if let Some(note) = &c.note {
            writeln!(out, "{} {}: {}", style.cyan("note:"), clean(&c.target), clean(note))?;
        }
    }
    Ok(())
}

/// "2 rows changed, 1 added, 16 removed in 2 object mappings; 1 target
/// attribute definition added".
pub fn summary_line(s: &Summary) -> String {
    if s.is_equal() {
        let rows = s.rows_unchanged;
        return format!(
            "No differences: {} {}, {} {} compared{}.",
            s.object_mappings,
            plural(s.object_mappings, "object mapping"),
            rows,
            plural(rows, "row"),
            if s.rows_equivalent > 0 {
                format!(" ({} equivalent)", s.rows_equivalent)
            } else {
                String::new()
            }
        );
    }
    let mut parts = vec![format!(
        "{} {} changed, {} added, {} removed in {} {}",
        s.rows_changed,
        plural(s.rows_changed, "row"),
        s.rows_added,
        s.rows_removed,
        s.object_mappings_changed,
        plural(s.object_mappings_changed, "object mapping"),
    )];
    let mut extra = |count: usize, what: &str, how: &str| {
        if count > 0 {
            parts.push(format!("{count} {} {how}", plural(count, what)));
        }
    };
    extra(s.object_mappings_added, "object mapping", "added");
    extra(s.object_mappings_removed, "object mapping", "removed");
    extra(s.settings_changed, "object-mapping setting", "changed");
    extra(s.attributes_added, "target attribute definition", "added");
    extra(s.attributes_removed, "target attribute definition", "removed");
    extra(s.attributes_changed, "target attribute definition", "changed");
    parts.join("; ")
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { word.to_string() } else { format!("{word}s") }
}

/// Control characters (possible through JSON `\u` escapes) are shown
/// escaped, so an export cannot send escape sequences to the terminal
/// ([`crate::output::printable`]).
fn clean(text: &str) -> String {
    crate::output::printable(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_wording() {
        let s = Summary {
            object_mappings: 2,
            object_mappings_changed: 2,
            rows_changed: 2,
            rows_added: 1,
            rows_removed: 16,
            attributes_added: 1,
            ..Summary::default()
        };
        assert_eq!(
            summary_line(&s),
            "2 rows changed, 1 added, 16 removed in 2 object mappings; 1 target attribute definition added"
        );
        let equal = Summary {
            object_mappings: 1,
            rows_unchanged: 1,
            ..Summary::default()
        };
        assert_eq!(
            summary_line(&equal),
            "No differences: 1 object mapping, 1 row compared."
        );
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(clean("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(clean("plain ← [x]"), "plain ← [x]");
    }
}
