//! The layout conventions of a file, and a printer that writes new JSON in
//! them.
//!
//! Exports come pretty-printed by the portal or Graph (2-space indentation,
//! one member per line), re-indented by editors (4 spaces, tabs), or written
//! by hand and by scripts with one array element per line (`{ "a": 1, … }`).
//! A fix that inserts JSON must look as if the same tool wrote it, so new
//! text is never pasted as given: it is parsed and printed again in the
//! layout of its neighbours (see [`super::edit`]), falling back to what this
//! module detects for the whole file.

use super::EditError;
use crate::json::{self, Node};
use crate::source::LineEnding;
use jsonc_parser::common::Ranged;

/// One level of indentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Indent {
    Spaces(usize),
    Tab,
}

impl Indent {
    /// The text of one level, e.g. two spaces.
    pub fn unit(&self) -> String {
        match self {
            Indent::Spaces(n) => " ".repeat(*n),
            Indent::Tab => "\t".to_string(),
        }
    }
}

/// The separators of JSON written on one line, copied from the file:
/// `{ "a": 1, "b": [ 2 ] }` has `"{ "`-style padding, `": "` and `", "`;
/// minified JSON has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spacing {
    /// Between `{` and the first key.
    pub object_open: String,
    /// Between the last value and `}`.
    pub object_close: String,
    /// Between `[` and the first element.
    pub array_open: String,
    /// Between the last element and `]`.
    pub array_close: String,
    /// From the end of a key to the start of its value, colon included.
    pub colon: String,
    /// Between two members, comma included.
    pub comma: String,
}

impl Spacing {
    /// `{ "a": 1, "b": [ 2 ] }`: the one-element-per-line style of
    /// hand-written exports.
    pub fn spaced() -> Spacing {
        Spacing {
            object_open: " ".into(),
            object_close: " ".into(),
            array_open: " ".into(),
            array_close: " ".into(),
            colon: ": ".into(),
            comma: ", ".into(),
        }
    }

    /// `{"a":1,"b":[2]}`.
    pub fn minified() -> Spacing {
        Spacing {
            object_open: String::new(),
            object_close: String::new(),
            array_open: String::new(),
            array_close: String::new(),
            colon: ":".into(),
            comma: ",".into(),
        }
    }

    /// The spacing a one-line JSON value uses, if it shows any: the first
    /// object with a member gives the object padding and the colon, the
    /// first array with an element the array padding; what the value does
    /// not show is taken from `fallback`. `None` when the value spans lines.
    pub fn of(text: &str, node: &Node<'_>, fallback: &Spacing) -> Option<Spacing> {
        let span = json::span_of(node);
        if text[span].contains('\n') {
            return None;
        }
        let mut object = None;
        let mut array = None;
        let mut colon = None;
        let mut comma = None;
        json::walk(node, &mut |n, _| match n {
            Node::Object(o) if !o.properties.is_empty() => {
                let first = &o.properties[0];
                let last = &o.properties[o.properties.len() - 1];
                object.get_or_insert_with(|| {
                    (
                        text[o.range.start + 1..first.range.start].to_string(),
                        text[last.range.end..o.range.end - 1].to_string(),
                    )
                });
                colon.get_or_insert_with(|| text[first.name.end()..first.value.start()].to_string());
                if let [a, b, ..] = &o.properties[..] {
                    comma.get_or_insert_with(|| text[a.range.end..b.range.start].to_string());
                }
            }
            Node::Array(a) if !a.elements.is_empty() => {
                let (first, last) = (&a.elements[0], &a.elements[a.elements.len() - 1]);
                array.get_or_insert_with(|| {
                    (
                        text[a.range.start + 1..first.start()].to_string(),
                        text[last.end()..a.range.end - 1].to_string(),
                    )
                });
                if let [x, y, ..] = &a.elements[..] {
                    comma.get_or_insert_with(|| text[x.end()..y.start()].to_string());
                }
            }
            _ => {}
        });
        // Without an array of its own, a value's arrays are padded like its
        // objects (`[ { … } ]` next to `{ "a": 1 }`).
        let array = array.or_else(|| object.clone());
        let (object_open, object_close) =
            object.unwrap_or((fallback.object_open.clone(), fallback.object_close.clone()));
        let (array_open, array_close) = array.unwrap_or((fallback.array_open.clone(), fallback.array_close.clone()));
        Some(Spacing {
            object_open,
            object_close,
            array_open,
            array_close,
            colon: colon.unwrap_or_else(|| fallback.colon.clone()),
            comma: comma.unwrap_or_else(|| fallback.comma.clone()),
        })
    }
}

/// How a new JSON value is laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// Everything on one line.
    OneLine(Spacing),
    /// One member per line, nested containers expanded and indented one
    /// [`Indent`] per level; empty containers stay `[]` and `{}` (as Graph,
    /// `ConvertTo-Json` and Python's `json.dumps(indent=…)` print them).
    Pretty {
        /// From the end of a key to the start of its value, e.g. `": "`.
        colon: String,
    },
}

impl Layout {
    pub fn pretty() -> Layout {
        Layout::Pretty { colon: ": ".into() }
    }

    /// The layout of an existing value: one-line with its own spacing, or
    /// pretty with its colon.
    pub fn of(text: &str, node: &Node<'_>, fallback: &Spacing) -> Layout {
        match Spacing::of(text, node, fallback) {
            Some(spacing) => Layout::OneLine(spacing),
            None => {
                let mut colon = None;
                json::walk(node, &mut |n, _| {
                    if let Node::Object(o) = n
                        && let Some(p) = o.properties.first()
                    {
                        colon.get_or_insert_with(|| text[p.name.end()..p.value.start()].to_string());
                    }
                });
                Layout::Pretty {
                    colon: colon.filter(|c| !c.contains('\n')).unwrap_or_else(|| ": ".into()),
                }
            }
        }
    }
}

/// The conventions of a whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Style {
    /// One level of indentation: the most common increase of indentation
    /// from one line to the next (2 spaces when the file has none).
    pub indent: Indent,
    /// The line break new lines use.
    pub line_ending: LineEnding,
    /// How the file writes objects that are array elements: pretty when
    /// most such objects open with `{` alone on its line, one-line (with the
    /// spacing of the first such line) when most fit on one line. Used
    /// where no neighbour shows the way, e.g. in an empty array.
    pub element_layout: Layout,
}

impl Style {
    /// Detects the style of a file from its lines (no parse of the whole
    /// file: this runs once per edit a fix builds).
    pub fn detect(text: &str) -> Style {
        Style {
            indent: detect_indent(text),
            line_ending: LineEnding::detect(text),
            element_layout: detect_element_layout(text),
        }
    }

    pub fn newline(&self) -> &'static str {
        self.line_ending.as_str()
    }

    /// The one-line spacing to use where nothing nearby shows one.
    pub fn one_line_spacing(&self) -> Spacing {
        match &self.element_layout {
            Layout::OneLine(s) => s.clone(),
            Layout::Pretty { .. } => Spacing::spaced(),
        }
    }

    /// Prints the JSON value `json` (any formatting; parsed strictly) in
    /// `layout`. Lines after the first are indented from `indent`, the
    /// indentation of the line the value starts on. Strings and numbers are
    /// copied as written (escapes included) and key order is kept.
    pub fn render(&self, json: &str, layout: &Layout, indent: &str) -> Result<String, EditError> {
        let node = json::parse(json).map_err(|e| EditError::InvalidJson {
            message: e.message,
            offset: e.span.start,
        })?;
        let mut out = String::with_capacity(json.len() + 16);
        match layout {
            Layout::OneLine(spacing) => one_line(json, &node, spacing, &mut out),
            Layout::Pretty { colon } => pretty(
                json,
                &node,
                &Pretty {
                    colon,
                    unit: &self.indent.unit(),
                    newline: self.newline(),
                },
                indent,
                &mut out,
            ),
        }
        Ok(out)
    }
}

/// A scalar or key exactly as written in `src`.
fn raw(src: &str, range: jsonc_parser::common::Range) -> &str {
    &src[range.start..range.end]
}

fn one_line(src: &str, node: &Node<'_>, s: &Spacing, out: &mut String) {
    match node {
        Node::Object(o) if o.properties.is_empty() => out.push_str("{}"),
        Node::Array(a) if a.elements.is_empty() => out.push_str("[]"),
        Node::Object(o) => {
            out.push('{');
            out.push_str(&s.object_open);
            for (i, p) in o.properties.iter().enumerate() {
                if i > 0 {
                    out.push_str(&s.comma);
                }
                out.push_str(raw(src, p.name.range()));
                out.push_str(&s.colon);
                one_line(src, &p.value, s, out);
            }
            out.push_str(&s.object_close);
            out.push('}');
        }
        Node::Array(a) => {
            out.push('[');
            out.push_str(&s.array_open);
            for (i, e) in a.elements.iter().enumerate() {
                if i > 0 {
                    out.push_str(&s.comma);
                }
                one_line(src, e, s, out);
            }
            out.push_str(&s.array_close);
            out.push(']');
        }
        scalar => out.push_str(raw(src, scalar.range())),
    }
}

struct Pretty<'a> {
    colon: &'a str,
    unit: &'a str,
    newline: &'a str,
}

fn pretty(src: &str, node: &Node<'_>, p: &Pretty<'_>, indent: &str, out: &mut String) {
    match node {
        Node::Object(o) if o.properties.is_empty() => out.push_str("{}"),
        Node::Array(a) if a.elements.is_empty() => out.push_str("[]"),
        Node::Object(o) => {
            let inner = format!("{indent}{}", p.unit);
            out.push('{');
            for (i, prop) in o.properties.iter().enumerate() {
                out.push_str(if i > 0 { "," } else { "" });
                out.push_str(p.newline);
                out.push_str(&inner);
                out.push_str(raw(src, prop.name.range()));
                out.push_str(p.colon);
                pretty(src, &prop.value, p, &inner, out);
            }
            out.push_str(p.newline);
            out.push_str(indent);
            out.push('}');
        }
        Node::Array(a) => {
            let inner = format!("{indent}{}", p.unit);
            out.push('[');
            for (i, e) in a.elements.iter().enumerate() {
                out.push_str(if i > 0 { "," } else { "" });
                out.push_str(p.newline);
                out.push_str(&inner);
                pretty(src, e, p, &inner, out);
            }
            out.push_str(p.newline);
            out.push_str(indent);
            out.push(']');
        }
        scalar => out.push_str(raw(src, scalar.range())),
    }
}

/// The most common positive step in indentation between consecutive lines.
fn detect_indent(text: &str) -> Indent {
    let mut steps: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let (mut tab_lines, mut space_lines) = (0usize, 0usize);
    let mut previous = 0usize;
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with('\t') {
            tab_lines += 1;
            continue;
        }
        let width = line.len() - line.trim_start_matches(' ').len();
        if width > 0 {
            space_lines += 1;
        }
        if width > previous {
            *steps.entry(width - previous).or_default() += 1;
        }
        previous = width;
    }
    if tab_lines > space_lines {
        return Indent::Tab;
    }
    // Most frequent step; on a tie the smaller one (a 4-space file nested
    // twice still steps by 4 most of the time).
    steps
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map_or(Indent::Spaces(2), |(step, _)| Indent::Spaces(step))
}

/// Counts lines that open a pretty object (`{` alone) against lines that
/// hold a whole object (`{ … }` or `{ … },`).
fn detect_element_layout(text: &str) -> Layout {
    let (mut pretty_lines, mut one_line_lines) = (0usize, 0usize);
    let mut example: Option<&str> = None;
    for line in text.lines() {
        let t = line.trim();
        if t == "{" {
            pretty_lines += 1;
        } else if t.len() > 2 && t.starts_with('{') && (t.ends_with('}') || t.ends_with("},")) {
            one_line_lines += 1;
            example.get_or_insert(t.strip_suffix(',').unwrap_or(t));
        }
    }
    if one_line_lines > pretty_lines
        && let Some(example) = example
        && let Ok(node) = json::parse(example)
        && let Some(spacing) = Spacing::of(example, &node, &Spacing::spaced())
    {
        return Layout::OneLine(spacing);
    }
    Layout::pretty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_two_four_and_tab_indentation() {
        assert_eq!(detect_indent("{\n  \"a\": {\n    \"b\": 1\n  }\n}"), Indent::Spaces(2));
        assert_eq!(
            detect_indent("{\n    \"a\": {\n        \"b\": 1\n    },\n    \"c\": 2\n}"),
            Indent::Spaces(4)
        );
        assert_eq!(detect_indent("{\n\t\"a\": {\n\t\t\"b\": 1\n\t}\n}"), Indent::Tab);
        assert_eq!(detect_indent("{\"a\":1}"), Indent::Spaces(2));
    }

    #[test]
    fn detects_line_ending_and_element_layout() {
        let crlf = "{\r\n  \"a\": [\r\n    { \"x\": 1, \"y\": [ 2 ] },\r\n    { \"x\": 3 }\r\n  ]\r\n}\r\n";
        let style = Style::detect(crlf);
        assert_eq!(style.line_ending, LineEnding::CrLf);
        assert_eq!(style.element_layout, Layout::OneLine(Spacing::spaced()));

        let pretty = "{\n  \"a\": [\n    {\n      \"x\": 1\n    }\n  ]\n}\n";
        let style = Style::detect(pretty);
        assert_eq!(style.line_ending, LineEnding::Lf);
        assert_eq!(style.element_layout, Layout::pretty());
    }

    #[test]
    fn spacing_is_copied_from_a_one_line_value() {
        let text = r#"{"a":1,"b":[2,3]}"#;
        let node = json::parse(text).unwrap();
        assert_eq!(Spacing::of(text, &node, &Spacing::spaced()), Some(Spacing::minified()));
        let multi = "{\n\"a\": 1}";
        assert_eq!(
            Spacing::of(multi, &json::parse(multi).unwrap(), &Spacing::spaced()),
            None
        );
    }

    #[test]
    fn renders_pretty_with_the_files_unit_and_line_break() {
        let style = Style {
            indent: Indent::Tab,
            line_ending: LineEnding::CrLf,
            element_layout: Layout::pretty(),
        };
        let out = style
            .render(r#"{"a":[1,{"b":"\u00e9"}],"c":{},"d":[]}"#, &Layout::pretty(), "  ")
            .unwrap();
        assert_eq!(
            out,
            "{\r\n  \t\"a\": [\r\n  \t\t1,\r\n  \t\t{\r\n  \t\t\t\"b\": \"\\u00e9\"\r\n  \t\t}\r\n  \t],\r\n  \t\"c\": {},\r\n  \t\"d\": []\r\n  }"
        );
    }

    #[test]
    fn renders_one_line_and_keeps_key_order() {
        let style = Style::detect("");
        let out = style
            .render(
                "{\n  \"z\": 1,\n  \"a\": [ {\"k\": null} ]\n}",
                &Layout::OneLine(Spacing::spaced()),
                "",
            )
            .unwrap();
        assert_eq!(out, r#"{ "z": 1, "a": [ { "k": null } ] }"#);
        assert!(matches!(
            style.render("{", &Layout::pretty(), ""),
            Err(EditError::InvalidJson { .. })
        ));
    }
}
