//! Reading directory objects as Microsoft Graph returns them, one at a time.
//!
//! Accepted shapes, detected from the first line:
//! - **JSON Lines** (the first line is a complete JSON value that starts with `{`): one object per
//!   line, read and converted line by line, so memory does not grow with the number of objects. A
//!   line may also hold a whole Graph list response (`{"value": […]}`), which is what
//!   `az rest`/`Invoke-MgGraphRequest` print per page. A line that is not valid JSON is reported
//!   ([`ReadIssue`]) and the next line is read.
//! - **One document**: a single user or group object, a JSON array of them, or a Graph list
//!   response `{"value": […], "@odata.nextLink": …}` (the next link is ignored: this is offline).
//!   The document is parsed whole; use JSON Lines for large sets.
//!
//! Blank lines are skipped and a UTF-8 byte order mark is ignored. Nothing else about the object
//! is checked here: [`super::object::SourceObject`] turns the JSON into attribute values.

use serde_json::Value as Json;
use std::io::BufRead;

/// One raw object and where it was read.
#[derive(Debug, Clone)]
pub struct RawObject {
    /// 1-based position in the input (the n-th object read).
    pub ordinal: usize,
    /// 1-based line of the input it starts on, in JSON Lines mode; `None` inside a document.
    pub line: Option<usize>,
    pub json: Json,
}

/// A line or item that could not be read as an object; reading goes on after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadIssue {
    pub ordinal: usize,
    pub line: Option<usize>,
    pub message: String,
}

/// Why the input cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read the objects: {0}")]
    Io(#[from] std::io::Error),
    #[error("the objects are not valid JSON (line {line}, column {column}): {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "the objects must be a user or group object, an array of them, or a Graph list response `{{\"value\": [...]}}`; found {found}"
    )]
    Shape { found: &'static str },
}

enum Mode {
    Undetected,
    Lines,
    Done,
}

/// Iterator over the objects of a reader.
pub struct ObjectReader<R> {
    reader: R,
    mode: Mode,
    line_no: usize,
    ordinal: usize,
    /// Items waiting to be handed out (the elements of an array or list response).
    pending: std::vec::IntoIter<Json>,
    pending_line: Option<usize>,
    buf: String,
}

impl<R: BufRead> ObjectReader<R> {
    pub fn new(reader: R) -> Self {
        ObjectReader {
            reader,
            mode: Mode::Undetected,
            line_no: 0,
            ordinal: 0,
            pending: Vec::new().into_iter(),
            pending_line: None,
            buf: String::new(),
        }
    }

    fn read_line(&mut self) -> Result<bool, ReadError> {
        self.buf.clear();
        let n = self.reader.read_line(&mut self.buf)?;
        if n == 0 {
            return Ok(false);
        }
        self.line_no += 1;
        if self.line_no == 1 && self.buf.starts_with('\u{feff}') {
            self.buf.drain(..'\u{feff}'.len_utf8());
        }
        Ok(true)
    }

    /// Detects the mode from the first non-blank line; in document mode reads everything.
    fn detect(&mut self) -> Result<(), ReadError> {
        loop {
            if !self.read_line()? {
                self.mode = Mode::Done;
                return Ok(());
            }
            if !self.buf.trim().is_empty() {
                break;
            }
        }
        let first = self.buf.trim();
        if first.starts_with('{')
            && let Ok(json) = serde_json::from_str::<Json>(first)
        {
            self.mode = Mode::Lines;
            let line = self.line_no;
            self.queue(json, Some(line));
            return Ok(());
        }
        // A document: the first line is only its beginning.
        let start_line = self.line_no;
        let mut text = std::mem::take(&mut self.buf);
        self.reader.read_to_string(&mut text)?;
        self.mode = Mode::Done;
        let json: Json = serde_json::from_str(&text).map_err(|e| ReadError::Syntax {
            line: e.line() + start_line - 1,
            column: e.column(),
            message: strip_position(&e.to_string()),
        })?;
        match json {
            Json::Array(_) => {}
            Json::Object(_) => {}
            Json::Null => return Err(ReadError::Shape { found: "null" }),
            Json::Bool(_) => return Err(ReadError::Shape { found: "a boolean" }),
            Json::Number(_) => return Err(ReadError::Shape { found: "a number" }),
            Json::String(_) => return Err(ReadError::Shape { found: "a string" }),
        }
        self.queue(json, None);
        Ok(())
    }

    /// Queues the objects one JSON value holds.
    fn queue(&mut self, json: Json, line: Option<usize>) {
        let items = match json {
            Json::Array(items) => items,
            Json::Object(mut map) if matches!(map.get("value"), Some(Json::Array(_))) && is_list_response(&map) => {
                match map.remove("value") {
                    Some(Json::Array(items)) => items,
                    _ => Vec::new(),
                }
            }
            other => vec![other],
        };
        self.pending = items.into_iter();
        self.pending_line = line;
    }
}

/// A Graph list response: `value` holds the objects; every other key is `@odata.*`.
fn is_list_response(map: &serde_json::Map<String, Json>) -> bool {
    map.keys()
        .all(|k| k == "value" || k.starts_with("@odata.") || k.starts_with("@microsoft.graph."))
}

/// serde_json appends " at line L column C"; the caller reports the position itself.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

impl<R: BufRead> Iterator for ObjectReader<R> {
    type Item = Result<Result<RawObject, ReadIssue>, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(json) = self.pending.next() {
                self.ordinal += 1;
                let (ordinal, line) = (self.ordinal, self.pending_line);
                return Some(Ok(match json {
                    Json::Object(_) => Ok(RawObject { ordinal, line, json }),
                    other => Err(ReadIssue {
                        ordinal,
                        line,
                        message: format!("expected a directory object, found {}", kind_of(&other)),
                    }),
                }));
            }
            match self.mode {
                Mode::Undetected => {
                    if let Err(e) = self.detect() {
                        self.mode = Mode::Done;
                        return Some(Err(e));
                    }
                }
                Mode::Done => return None,
                Mode::Lines => match self.read_line() {
                    Err(e) => {
                        self.mode = Mode::Done;
                        return Some(Err(e));
                    }
                    Ok(false) => self.mode = Mode::Done,
                    Ok(true) => {
                        let text = self.buf.trim();
                        if text.is_empty() {
                            continue;
                        }
                        match serde_json::from_str::<Json>(text) {
                            Ok(json) => {
                                let line = self.line_no;
                                self.queue(json, Some(line));
                            }
                            Err(e) => {
                                self.ordinal += 1;
                                return Some(Ok(Err(ReadIssue {
                                    ordinal: self.ordinal,
                                    line: Some(self.line_no),
                                    message: format!(
                                        "not valid JSON (column {}): {}",
                                        e.column(),
                                        strip_position(&e.to_string())
                                    ),
                                })));
                            }
                        }
                    }
                },
            }
        }
    }
}

fn kind_of(json: &Json) -> &'static str {
    match json {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(ordinal, line, id)` of each object, or the message of each issue.
    type Item = Result<(usize, Option<usize>, String), String>;

    fn read(text: &str) -> Vec<Item> {
        ObjectReader::new(text.as_bytes())
            .map(|r| match r {
                Ok(Ok(o)) => Ok((o.ordinal, o.line, o.json["id"].as_str().unwrap_or("").to_string())),
                Ok(Err(issue)) => Err(format!("{}@{:?}: {}", issue.ordinal, issue.line, issue.message)),
                Err(e) => Err(e.to_string()),
            })
            .collect()
    }

    #[test]
    fn single_object_pretty_printed() {
        let got = read("{\n  \"id\": \"a\",\n  \"displayName\": \"A\"\n}\n");
        assert_eq!(got, vec![Ok((1, None, "a".into()))]);
    }

    #[test]
    fn array_and_list_response() {
        assert_eq!(
            read("[{\"id\":\"a\"},\n{\"id\":\"b\"}]"),
            vec![Ok((1, None, "a".into())), Ok((2, None, "b".into()))]
        );
        let list =
            "{\"@odata.context\": \"x\",\n \"value\": [{\"id\":\"a\"}, {\"id\":\"b\"}], \"@odata.nextLink\": \"y\"}";
        assert_eq!(read(list), vec![Ok((1, None, "a".into())), Ok((2, None, "b".into()))]);
    }

    #[test]
    fn an_object_with_a_value_property_is_not_a_list_response() {
        assert_eq!(read("{\"id\":\"a\",\"value\":[1]}"), vec![Ok((1, Some(1), "a".into()))]);
    }

    #[test]
    fn json_lines_with_a_bad_line_and_a_list_page() {
        let text = "\u{feff}{\"id\":\"a\"}\n\n{\"id\":\n{\"value\":[{\"id\":\"b\"},{\"id\":\"c\"}]}\n42\n";
        let got = read(text);
        assert_eq!(got[0], Ok((1, Some(1), "a".into())));
        assert!(
            matches!(&got[1], Err(m) if m.starts_with("2@Some(3): not valid JSON")),
            "{got:?}"
        );
        assert_eq!(got[2], Ok((3, Some(4), "b".into())));
        assert_eq!(got[3], Ok((4, Some(4), "c".into())));
        assert!(matches!(&got[4], Err(m) if m.contains("found a number")), "{got:?}");
        assert_eq!(got.len(), 5);
    }

    #[test]
    fn invalid_document_reports_the_position() {
        let got = read("[\n{\"id\": \"a\",}\n]");
        assert_eq!(got.len(), 1);
        assert!(matches!(&got[0], Err(m) if m.contains("line 2")), "{got:?}");
        assert_eq!(read("\"text\""), vec![Err(
            "the objects must be a user or group object, an array of them, or a Graph list response `{\"value\": [...]}`; found a string".into()
        )]);
        assert!(read("").is_empty());
    }
}
