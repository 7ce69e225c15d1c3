//! Input loading: turning bytes from a file or stdin into text the linter can
//! point into.
//!
//! Every diagnostic carries a byte range into [`SourceFile::text`], so this is
//! the one place that decides what "the text" is. Exports come from the Entra
//! portal (UTF-8, LF), from Graph via `curl` (UTF-8), or from Windows
//! PowerShell 5 (`Out-File` writes UTF-16 LE with a BOM, `Set-Content` may add
//! a UTF-8 BOM, editors may use CRLF). We accept all of them, strip the byte
//! order mark so offsets refer to the characters a user sees, and remember the
//! encoding details so `--fix` can write the file back exactly as it came.

mod decode;
mod lines;

pub use decode::{DecodeError, Encoding};
pub use lines::{LineCol, LineIndex};

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Byte range into [`SourceFile::text`].
pub use crate::span::FileSpan;

/// Line ending convention detected in a file (the first line break wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnding {
    Lf,
    CrLf,
}

impl LineEnding {
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
        }
    }

    /// The convention of the first line break (LF when there is none).
    pub fn detect(text: &str) -> LineEnding {
        match text.find('\n') {
            Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => LineEnding::CrLf,
            _ => LineEnding::Lf,
        }
    }
}

/// Where a source came from: a path on disk or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Path(PathBuf),
    Stdin,
}

/// One input document, decoded to UTF-8 text.
#[derive(Debug)]
pub struct SourceFile {
    /// The name shown in reports (the path as given, or `--stdin-filename`).
    pub name: String,
    pub origin: Origin,
    /// The decoded text without byte order mark. All spans point into this.
    pub text: String,
    pub encoding: Encoding,
    pub line_ending: LineEnding,
    /// Set when the bytes are not text we can read; `text` is then a lossy
    /// rendering and the linter reports `invalid-json`.
    pub decode_error: Option<DecodeError>,
    lines: OnceLock<LineIndex>,
    /// Formatting style for fixes, detected once per file (a scan of the
    /// whole text) rather than once per fix.
    style: OnceLock<crate::fix::style::Style>,
}

/// Why an input could not be turned into text at all. These are not lint
/// findings (an unreadable or non-text file has no position to point at), the
/// CLI reports them as `invalid-json` or exits with code 2 depending on kind.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum LoadError {
    #[error("{path}: no such file or directory")]
    #[diagnostic(
        code(mapping_lint::io),
        help("check the path; directories are searched for *.json files")
    )]
    NotFound { path: String },
    #[error("{path}: cannot be read: {source}")]
    #[diagnostic(code(mapping_lint::io))]
    Unreadable {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: file is {size} bytes, larger than the limit of {limit} bytes")]
    #[diagnostic(
        code(mapping_lint::io),
        help("raise the limit with --max-file-size if this really is an export")
    )]
    TooLarge { path: String, size: u64, limit: u64 },
}

impl SourceFile {
    /// Builds a source from bytes. Undecodable input is not an error here: it
    /// is recorded in [`SourceFile::decode_error`] and reported as
    /// `invalid-json`.
    pub fn from_bytes(name: impl Into<String>, origin: Origin, bytes: Vec<u8>) -> SourceFile {
        let name = name.into();
        match decode::decode(bytes) {
            Ok((text, encoding)) => SourceFile::new(name, origin, text, encoding),
            Err((lossy, err)) => {
                let mut source = SourceFile::new(name, origin, lossy, Encoding::Utf8 { bom: false });
                source.decode_error = Some(err);
                source
            }
        }
    }

    /// A source from text already in memory (tests, `eval`, profiles).
    pub fn from_text(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        SourceFile::new(name.into(), Origin::Stdin, text.into(), Encoding::Utf8 { bom: false })
    }

    /// The same file (name, origin, encoding) with other text: what
    /// `--fix` re-lints after editing.
    pub fn with_text(&self, text: String) -> SourceFile {
        SourceFile::new(self.name.clone(), self.origin.clone(), text, self.encoding)
    }

    fn new(name: String, origin: Origin, text: String, encoding: Encoding) -> SourceFile {
        let line_ending = LineEnding::detect(&text);
        SourceFile {
            name,
            origin,
            text,
            encoding,
            line_ending,
            decode_error: None,
            lines: OnceLock::new(),
            style: OnceLock::new(),
        }
    }

    /// Reads a file, enforcing a size limit while reading: the limit holds
    /// for what is read, not for what the file system says, so a device
    /// (`/dev/zero`) or a FIFO cannot make the read endless.
    pub fn read(path: &Path, display_name: String, max_size: u64) -> Result<SourceFile, LoadError> {
        let bytes = read_capped(path, max_size).map_err(|e| match e {
            CappedError::Io(e) => io_error(&display_name, e),
            CappedError::TooLarge(size) => LoadError::TooLarge {
                path: display_name.clone(),
                size,
                limit: max_size,
            },
        })?;
        Ok(SourceFile::from_bytes(
            display_name,
            Origin::Path(path.to_path_buf()),
            bytes,
        ))
    }

    /// Line/column lookups, built on first use.
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// The file's indentation, line endings and layout, for the edits of
    /// fixes (detected on first use).
    pub fn style(&self) -> &crate::fix::style::Style {
        self.style.get_or_init(|| crate::fix::style::Style::detect(&self.text))
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.lines().line_col(&self.text, offset)
    }

    /// Encodes text the way this file was encoded (BOM, UTF-16), for writing
    /// a fixed version back.
    pub fn encode(&self, text: &str) -> Vec<u8> {
        decode::encode(text, self.encoding)
    }
}

/// Why [`read_capped`] failed.
#[derive(Debug)]
pub enum CappedError {
    Io(std::io::Error),
    /// More than the limit: the size on disk, or limit + 1 when unknown.
    TooLarge(u64),
}

impl fmt::Display for CappedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CappedError::Io(e) => write!(f, "{e}"),
            CappedError::TooLarge(size) => write!(f, "larger than the limit ({size} bytes or more)"),
        }
    }
}

/// Reads at most `limit` bytes of a file; more is an error. Every input
/// the tool reads (exports, profiles, configs, baselines, `--input`) goes
/// through this or an equivalent `take`, so no file — a device, a FIFO, a
/// huge file — is read without a bound.
pub fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, CappedError> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(CappedError::Io)?;
    let meta = file.metadata().map_err(CappedError::Io)?;
    if meta.is_dir() {
        return Err(CappedError::Io(std::io::Error::other("is a directory")));
    }
    if meta.is_file() && meta.len() > limit {
        return Err(CappedError::TooLarge(meta.len()));
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(CappedError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(CappedError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// What configuration-like files (profiles, configs, baselines, `--input`)
/// may weigh at most.
pub const MAX_SIDE_FILE: u64 = 16 << 20;

/// Reads a side file (profile, config, baseline, `--input`) capped at
/// [`MAX_SIDE_FILE`], as bytes.
pub fn read_side_file(path: &Path) -> std::io::Result<Vec<u8>> {
    read_capped(path, MAX_SIDE_FILE).map_err(|e| match e {
        CappedError::Io(e) => e,
        CappedError::TooLarge(_) => std::io::Error::other(format!(
            "larger than {} MiB, which no configuration file needs",
            MAX_SIDE_FILE >> 20
        )),
    })
}

/// [`read_side_file`] as UTF-8 text.
pub fn read_side_text(path: &Path) -> std::io::Result<String> {
    String::from_utf8(read_side_file(path)?)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "stream did not contain valid UTF-8"))
}

fn io_error(path: &str, e: std::io::Error) -> LoadError {
    if e.kind() == std::io::ErrorKind::NotFound {
        LoadError::NotFound { path: path.to_string() }
    } else {
        LoadError::Unreadable {
            path: path.to_string(),
            source: e,
        }
    }
}

impl fmt::Display for SourceFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_line_endings() {
        assert_eq!(LineEnding::detect("{\r\n}"), LineEnding::CrLf);
        assert_eq!(LineEnding::detect("{\n}"), LineEnding::Lf);
        assert_eq!(LineEnding::detect("{}"), LineEnding::Lf);
        assert_eq!(LineEnding::detect("\n{}"), LineEnding::Lf);
    }

    #[test]
    fn bom_is_stripped_and_remembered() {
        let src = SourceFile::from_bytes("a.json", Origin::Stdin, b"\xEF\xBB\xBF{}".to_vec());
        assert!(src.decode_error.is_none());
        assert_eq!(src.text, "{}");
        assert_eq!(src.encoding, Encoding::Utf8 { bom: true });
        assert_eq!(src.encode("{}"), b"\xEF\xBB\xBF{}");
    }
}
