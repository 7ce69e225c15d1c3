//! Building the edits of a fix: insert or delete array elements and object
//! properties, replace a value — each as a minimal byte-range [`Edit`] that
//! leaves everything around it as it was.
//!
//! Rules get containers as spans (a model node's `Loc::span`, or
//! [`crate::json::span_of`] on an AST node); the container is re-parsed from
//! the file text, which costs little and keeps this independent of how the
//! caller found it. New JSON is passed as text in any formatting (e.g.
//! `serde_json::to_string(&a_struct)`: note that `serde_json::json!` sorts
//! keys, a `#[derive(Serialize)]` struct keeps its field order) and printed in
//! the layout of its neighbours:
//!
//! - after the last element, with the separator that already stands between
//!   elements (so `,\n    ` or `, ` or `,`), at their indentation, one-line if
//!   the last element is one-line, pretty otherwise;
//! - into an empty `[]`/`{}` on its own line: expanded onto new lines one
//!   level deeper, in the file's usual element layout ([`Style`]); into an
//!   empty container inside a one-line value: on the same line;
//! - deleting takes the element's comma and line with it.

use super::EditError;
use super::style::{Layout, Style};
use crate::diagnostic::Edit;
use crate::json::{self, Node, ObjectProp};
use crate::span::FileSpan;
use jsonc_parser::common::Ranged;
use std::cell::OnceCell;

/// Builds edits against one text; detects the file's [`Style`] once, on
/// first need.
pub struct Editor<'a> {
    text: &'a str,
    style: OnceCell<Style>,
    /// The parsed file, when the caller has it: containers are then read
    /// from it instead of re-parsing their text.
    root: Option<&'a Node<'a>>,
}

/// An array or object found at a span, with absolute offsets. Members are
/// read from the parse tree on demand: a fix touches one or two of them, and
/// listing every member of a large array per fix made many fixes quadratic.
struct Container<'n> {
    kind: Kind,
    /// Offset of `[` or `{`.
    open: usize,
    /// Offset of `]` or `}`.
    close: usize,
    /// The text the tree's offsets point into, and its offset in the file.
    src: &'n str,
    at: usize,
    items: Items<'n>,
}

enum Items<'n> {
    Elements(&'n [Node<'n>]),
    Properties(&'n [ObjectProp<'n>]),
}

impl Container<'_> {
    fn len(&self) -> usize {
        match self.items {
            Items::Elements(e) => e.len(),
            Items::Properties(p) => p.len(),
        }
    }

    fn shift(&self, s: FileSpan) -> FileSpan {
        FileSpan::new(s.start + self.at, s.end + self.at)
    }

    /// Member `i`: an element, or a whole `"key": value` property.
    fn member(&self, i: usize) -> FileSpan {
        self.shift(match self.items {
            Items::Elements(e) => json::span_of(&e[i]),
            Items::Properties(p) => json::prop_span(&p[i]),
        })
    }

    /// The value of member `i` (the element itself for arrays).
    fn value(&self, i: usize) -> FileSpan {
        self.shift(match self.items {
            Items::Elements(e) => json::span_of(&e[i]),
            Items::Properties(p) => json::span_of(&p[i].value),
        })
    }

    /// For objects: the key text of each property, as written.
    fn keys(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator {
        let props = match self.items {
            Items::Properties(p) => p,
            Items::Elements(_) => &[],
        };
        props.iter().map(|p| &self.src[json::key_span(p)])
    }

    /// For objects: the separator between the last key and its value.
    fn last_colon(&self) -> Option<&str> {
        match self.items {
            Items::Properties(p) => p.last().map(|p| &self.src[p.name.end()..p.value.start()]),
            Items::Elements(_) => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Array,
    Object,
}

impl<'a> Editor<'a> {
    pub fn new(text: &'a str) -> Editor<'a> {
        Editor {
            text,
            style: OnceCell::new(),
            root: None,
        }
    }

    /// An editor for a linted file and its parse tree. Rules build one per
    /// fix, so nothing here may cost a pass over the file: the style is the
    /// one the file detected once, and an array or object is found in the
    /// tree instead of re-parsing its text (deleting 3,000 mappings of a
    /// 5 MB export re-parsed the 5 MB `attributeMappings` array 3,000 times:
    /// 28 s).
    pub fn for_file(file: &'a crate::source::SourceFile, root: Option<&'a Node<'a>>) -> Editor<'a> {
        Editor {
            text: &file.text,
            style: OnceCell::from(file.style().clone()),
            root,
        }
    }

    /// The file's style (detected on first call).
    pub fn style(&self) -> &Style {
        self.style.get_or_init(|| Style::detect(self.text))
    }

    /// Appends `element_json` to the array at `array`, laid out like its
    /// last element (see the module docs). Handles `[]`.
    pub fn insert_array_element(&self, array: FileSpan, element_json: &str) -> Result<Edit, EditError> {
        self.with_container(array, Kind::Array, |c| self.append(c, None, element_json))
    }

    /// Appends the property `"key": value_json` to the object at `object`.
    /// The key is escaped as a JSON string.
    pub fn insert_property(&self, object: FileSpan, key: &str, value_json: &str) -> Result<Edit, EditError> {
        let key = serde_json::to_string(key).expect("a string always serialises");
        self.with_container(object, Kind::Object, |c| self.append(c, Some(&key), value_json))
    }

    /// Removes element `index` of the array at `array` with its comma and,
    /// in a multi-line array, its line. Removing the only element leaves
    /// `[]`.
    pub fn delete_array_element(&self, array: FileSpan, index: usize) -> Result<Edit, EditError> {
        let mut edits = self.delete_array_elements(array, &[index])?;
        Ok(edits.pop().expect("one index gives one edit"))
    }

    /// Removes several elements of one array in one fix (indices in any
    /// order; duplicates ignored). Returns non-overlapping edits; removing
    /// every element leaves `[]`. Separate fixes deleting neighbouring
    /// elements also combine (their edits touch but do not overlap), except
    /// deleting element 0 together with element 1, which the fix engine
    /// applies in two rounds — prefer this function for that case.
    pub fn delete_array_elements(&self, array: FileSpan, indices: &[usize]) -> Result<Vec<Edit>, EditError> {
        self.with_container(array, Kind::Array, |c| self.delete_members(c, indices))
    }

    /// Removes the property `key` (its last occurrence, the one a JSON
    /// reader keeps) from the object at `object`.
    pub fn delete_property(&self, object: FileSpan, key: &str) -> Result<Edit, EditError> {
        self.with_container(object, Kind::Object, |c| {
            let index = c
                .keys()
                .rposition(|k| serde_json::from_str::<String>(k).is_ok_and(|k| k == key))
                .ok_or_else(|| EditError::NoSuchProperty { key: key.to_string() })?;
            let mut edits = self.delete_members(c, &[index])?;
            Ok(edits.pop().expect("one index gives one edit"))
        })
    }

    /// Replaces the value at `value` with `new_json`. A value that spans
    /// lines is replaced by a pretty value at the same indentation; a
    /// one-line value by a one-line value with the old one's spacing; a
    /// scalar or empty container standing last on its line
    /// (`"scope": null,`) by a value in the file's element layout, one
    /// inside a one-line object by a one-line value.
    pub fn replace_value(&self, value: FileSpan, new_json: &str) -> Result<Edit, EditError> {
        let old = self.slice(value)?;
        let old_node = json::parse(old).map_err(|_| EditError::NotAValue { span: value })?;
        let is_scalar_or_empty = match &old_node {
            Node::Object(o) => o.properties.is_empty(),
            Node::Array(a) => a.elements.is_empty(),
            _ => true,
        };
        let layout = if is_scalar_or_empty {
            if self.ends_its_line(value.end) {
                self.style().element_layout.clone()
            } else {
                Layout::OneLine(self.style().one_line_spacing())
            }
        } else {
            Layout::of(old, &old_node, &self.style().one_line_spacing())
        };
        let content = self
            .style()
            .render(new_json, &layout, line_indent(self.text, value.start))?;
        Ok(Edit::replace(value, content))
    }

    fn slice(&self, span: FileSpan) -> Result<&'a str, EditError> {
        self.text.get(span.range()).ok_or(EditError::SpanOutOfRange {
            span,
            len: self.text.len(),
        })
    }

    /// Runs `f` on the array or object at `span`: read from the parse tree
    /// when the editor has one, else parsed from the text of the span.
    fn with_container<T>(
        &self,
        span: FileSpan,
        kind: Kind,
        f: impl FnOnce(&Container<'_>) -> Result<T, EditError>,
    ) -> Result<T, EditError> {
        let parsed;
        let (node, src, at) = match self.root.and_then(|root| node_at(root, &span)) {
            Some(node) => (node, self.text, 0),
            None => {
                let src = self.slice(span)?;
                parsed = json::parse(src).map_err(|_| EditError::NotAValue { span })?;
                (&parsed, src, span.start)
            }
        };
        let (range, items) = match (node, kind) {
            (Node::Array(a), Kind::Array) => (&a.range, Items::Elements(&a.elements)),
            (Node::Object(o), Kind::Object) => (&o.range, Items::Properties(&o.properties)),
            _ => {
                return Err(EditError::WrongKind {
                    expected: match kind {
                        Kind::Array => "an array",
                        Kind::Object => "an object",
                    },
                    found: json::type_name(node),
                    span,
                });
            }
        };
        f(&Container {
            kind,
            open: at + range.start,
            close: at + range.end - 1,
            src,
            at,
            items,
        })
    }

    /// Whether only whitespace and at most a comma follow `offset` on its
    /// line: the value there stands in a multi-line ("block") context.
    fn ends_its_line(&self, offset: usize) -> bool {
        let rest = &self.text[offset..];
        let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
        line.trim().trim_start_matches(',').trim().is_empty()
    }

    /// Appends a member: an element (`key` = `None`) or a property.
    fn append(&self, c: &Container<'_>, key: Option<&str>, value_json: &str) -> Result<Edit, EditError> {
        let style = self.style();
        let text = self.text;
        if c.len() > 0 {
            let n = c.len();
            let last = c.member(n - 1);
            // The separator that already stands before the last member:
            // comma, line break and indentation exactly as the file has them.
            let separator = if n >= 2 {
                text[c.member(n - 2).end..last.start].to_string()
            } else {
                format!(",{}", &text[c.open + 1..last.start])
            };
            let multi_line = separator.contains('\n');
            let template = &text[c.value(n - 1)];
            let fallback = style.one_line_spacing();
            let layout = match json::parse(template) {
                Ok(node) if matches!(node, Node::Object(_) | Node::Array(_)) => {
                    let layout = Layout::of(template, &node, &fallback);
                    // An empty `{}`/`[]` shows no layout; in a multi-line
                    // container the file's element layout decides.
                    if is_empty_container(&node) && multi_line {
                        style.element_layout.clone()
                    } else {
                        layout
                    }
                }
                _ if multi_line => style.element_layout.clone(),
                _ => Layout::OneLine(fallback),
            };
            let indent = line_indent(text, last.start);
            let value = style.render(value_json, &layout, indent)?;
            let member = match key {
                Some(key) => format!("{key}{}{value}", c.last_colon().unwrap_or(": ")),
                None => value,
            };
            Ok(Edit::insert(last.end, format!("{separator}{member}")))
        } else {
            let interior = FileSpan::new(c.open + 1, c.close);
            let (layout, open, close, indent);
            let outer = line_indent(text, c.open);
            let inner = format!("{outer}{}", style.indent.unit());
            if self.ends_its_line(c.close + 1) {
                layout = style.element_layout.clone();
                open = format!("{}{inner}", style.newline());
                close = format!("{}{outer}", style.newline());
                indent = inner.as_str();
            } else {
                let spacing = style.one_line_spacing();
                layout = Layout::OneLine(spacing.clone());
                (open, close) = match c.kind {
                    Kind::Array => (spacing.array_open, spacing.array_close),
                    Kind::Object => (spacing.object_open, spacing.object_close),
                };
                indent = outer;
            }
            let value = style.render(value_json, &layout, indent)?;
            let colon = match &layout {
                Layout::OneLine(s) => s.colon.as_str(),
                Layout::Pretty { colon } => colon.as_str(),
            };
            let member = match key {
                Some(key) => format!("{key}{colon}{value}"),
                None => value,
            };
            Ok(Edit::replace(interior, format!("{open}{member}{close}")))
        }
    }

    fn delete_members(&self, c: &Container<'_>, indices: &[usize]) -> Result<Vec<Edit>, EditError> {
        let n = c.len();
        let mut doomed: Vec<usize> = indices.to_vec();
        doomed.sort_unstable();
        doomed.dedup();
        if let Some(&bad) = doomed.iter().find(|&&i| i >= n) {
            return Err(EditError::IndexOutOfRange { index: bad, len: n });
        }
        if doomed.is_empty() {
            return Ok(Vec::new());
        }
        if doomed.len() == n {
            return Ok(vec![Edit::delete(FileSpan::new(c.open + 1, c.close))]);
        }
        let m = |i: usize| c.member(i);
        // Elements before the first kept one take the separator after them
        // (the next element moves up into their place); every other one
        // takes the separator before it (from the end of its predecessor).
        let first_kept = (0..n)
            .find(|i| doomed.binary_search(i).is_err())
            .expect("not all deleted");
        let mut ranges: Vec<FileSpan> = doomed
            .iter()
            .map(|&i| {
                if i < first_kept {
                    FileSpan::new(m(i).start, m(i + 1).start)
                } else {
                    FileSpan::new(m(i - 1).end, m(i).end)
                }
            })
            .collect();
        ranges.sort_by_key(|r| r.start);
        let mut merged: Vec<FileSpan> = Vec::new();
        for r in ranges {
            match merged.last_mut() {
                Some(prev) if prev.end >= r.start => prev.end = prev.end.max(r.end),
                _ => merged.push(r),
            }
        }
        Ok(merged.into_iter().map(Edit::delete).collect())
    }
}

fn is_empty_container(node: &Node<'_>) -> bool {
    match node {
        Node::Object(o) => o.properties.is_empty(),
        Node::Array(a) => a.elements.is_empty(),
        _ => false,
    }
}

/// The value of the tree whose span is exactly `span`: down through the
/// child that contains it (children are in text order).
fn node_at<'a>(root: &'a Node<'a>, span: &FileSpan) -> Option<&'a Node<'a>> {
    let mut node = root;
    loop {
        let here = json::span_of(node);
        if here == *span {
            return Some(node);
        }
        let contains = |child: &Node<'_>| {
            let s = json::span_of(child);
            s.start <= span.start && span.end <= s.end
        };
        let child = match node {
            Node::Array(a) => {
                let i = a.elements.partition_point(|e| json::span_of(e).end <= span.start);
                a.elements.get(i).filter(|e| contains(e))?
            }
            Node::Object(o) => {
                let i = o
                    .properties
                    .partition_point(|p| json::span_of(&p.value).end <= span.start);
                o.properties.get(i).map(|p| &p.value).filter(|v| contains(v))?
            }
            _ => return None,
        };
        node = child;
    }
}

/// The leading whitespace of the line holding `offset` (up to `offset`).
fn line_indent(text: &str, offset: usize) -> &str {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..offset];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// Appends `element_json` to the array at `array` (see [`Editor`]).
pub fn insert_array_element(text: &str, array: FileSpan, element_json: &str) -> Result<Edit, EditError> {
    Editor::new(text).insert_array_element(array, element_json)
}

/// Removes element `index` of the array at `array` (see [`Editor`]).
pub fn delete_array_element(text: &str, array: FileSpan, index: usize) -> Result<Edit, EditError> {
    Editor::new(text).delete_array_element(array, index)
}

/// Replaces the value at `value` with `new_json` (see [`Editor`]).
pub fn replace_value(text: &str, value: FileSpan, new_json: &str) -> Result<Edit, EditError> {
    Editor::new(text).replace_value(value, new_json)
}

/// Appends the property `"key": value_json` to the object at `object`.
pub fn insert_property(text: &str, object: FileSpan, key: &str, value_json: &str) -> Result<Edit, EditError> {
    Editor::new(text).insert_property(object, key, value_json)
}

#[cfg(test)]
#[path = "edit_tests.rs"]
mod tests;
