//! The one way mapping-lint writes a file: every report (`-o`, `--report`),
//! baseline (`--write-baseline`), fixed export (`--fix`) and any other file
//! a command produces goes through [`Destinations::write`].
//!
//! # Guarantees
//!
//! - **Atomic.** The bytes go to a temporary file in the destination's
//!   directory (so the rename stays on one file system), are flushed to
//!   disk, and only then replace the destination by `rename`. A failure at
//!   any point before the rename (a full disk, a crash) leaves the old file
//!   as it was; the temporary file is removed (if the process is killed, a
//!   hidden `.NAME.*.mapping-lint.tmp` may remain). After the rename the
//!   directory is synced so the new name survives a power loss.
//! - **Never an input.** A caller registers every file it reads as an input
//!   ([`Destinations::protect`], [`Destinations::protect_stdin`]); a
//!   destination that is the same file — by device and inode, so hard links
//!   and symbolic links to an input are caught too — is refused.
//! - **No symbolic link out of the tree.** A destination named inside the
//!   current directory whose resolved location (through a symbolic link in
//!   any component) lies outside it is refused: a link committed in a
//!   repository cannot make a CI run write elsewhere. A path the user names
//!   outside the current directory (`-o /tmp/report.json`) is the user's
//!   choice and is allowed. A link that stays inside is followed: the file
//!   it points to is replaced, the link stays a link.
//! - **Replacing an export ([`Mode::Replace`], `--fix`)** refuses a
//!   read-only file (judged by its permission bits, so also when running as
//!   root) and a file with several hard links (the rename would silently
//!   detach it from the others), saying how to proceed; the new file keeps
//!   the old one's permissions. Ownership is not copied (only root could).
//! - **Not a regular file.** A destination that exists and is not a regular
//!   file (`/dev/null`, a FIFO) is written directly, without a rename,
//!   which would replace the device node itself.
//!
//! # Use
//!
//! ```no_run
//! use mapping_lint::write::{Destinations, Mode};
//! # fn main() -> Result<(), mapping_lint::write::WriteError> {
//! let mut dest = Destinations::new();
//! dest.protect(std::path::Path::new("export.json"));
//! // Check early, before a long run…
//! dest.check(std::path::Path::new("report.json"), Mode::Create)?;
//! // …and write at the end (the checks run again).
//! dest.write(std::path::Path::new("report.json"), b"{}", Mode::Create)?;
//! # Ok(()) }
//! ```

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Environment variable read by debug builds only: `before-rename` makes
/// every write fail after the temporary file is written and synced, just
/// before the rename — the test hook for "a crash here leaves the original
/// intact". Release builds never look at it.
pub const FAULT_ENV: &str = "MAPPING_LINT_TEST_FAULT";

/// What a write is allowed to do to an existing file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A file the tool produces (report, baseline, diff): created with its
    /// missing parent directories, or replaced.
    Create,
    /// An input rewritten in place (`--fix`): it must exist, be writable
    /// and have one link; it keeps its permissions. The input check does
    /// not apply (the file is an input by definition).
    Replace,
}

/// Why a file was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("refusing to overwrite the input {input}: {} is the same file", path.display())]
    IsInput { path: PathBuf, input: String },
    #[error(
        "refusing to write {}: it leads through a symbolic link to {}, outside the current directory",
        path.display(),
        target.display()
    )]
    LinkOutside { path: PathBuf, target: PathBuf },
    #[error("refusing to fix {}: the file is read-only", path.display())]
    ReadOnly { path: PathBuf },
    #[error("refusing to fix {}: it has {links} hard links, and replacing it would detach it from the others", path.display())]
    HardLinks { path: PathBuf, links: u64 },
    #[error("refusing to write {}: it is a directory", path.display())]
    Directory { path: PathBuf },
    #[error("cannot {step} {}: {source}", path.display())]
    Io {
        step: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl WriteError {
    /// What the user can do about it.
    pub fn help(&self) -> Option<String> {
        Some(match self {
            WriteError::IsInput { .. } => "choose another file for the output; inputs are never overwritten".into(),
            WriteError::LinkOutside { .. } => {
                "write to a path that is not a symbolic link, or name the destination outside the current directory explicitly"
                    .into()
            }
            WriteError::ReadOnly { path } | WriteError::HardLinks { path, .. } => format!(
                "make it writable (chmod u+w) or fix a copy: mapping-lint check --fix - < {0} > fixed.json",
                path.display()
            ),
            WriteError::Directory { .. } => "name a file, not a directory".into(),
            WriteError::Io { .. } => return None,
        })
    }
}

/// Identity of a file: device and inode (on other platforms, the
/// canonical path).
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileId(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] PathBuf);

impl FileId {
    fn of_metadata(meta: &std::fs::Metadata, _path: &Path) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(FileId((meta.dev(), meta.ino())))
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            _path.canonicalize().ok().map(FileId)
        }
    }

    fn of(path: &Path) -> Option<FileId> {
        std::fs::metadata(path).ok().and_then(|m| FileId::of_metadata(&m, path))
    }
}

/// The inputs of a run and where the tree ends; see the module docs.
#[derive(Debug, Clone)]
pub struct Destinations {
    inputs: Vec<(FileId, String)>,
    /// The canonical current directory: links must not lead out of it.
    base: Option<PathBuf>,
}

impl Default for Destinations {
    fn default() -> Self {
        Destinations::new()
    }
}

impl Destinations {
    /// No inputs yet; the tree is the current directory.
    pub fn new() -> Destinations {
        Destinations {
            inputs: Vec::new(),
            base: std::env::current_dir().ok().and_then(|d| d.canonicalize().ok()),
        }
    }

    /// The tree is `base` instead of the current directory (tests).
    pub fn with_base(base: &Path) -> Destinations {
        Destinations {
            inputs: Vec::new(),
            base: base.canonicalize().ok(),
        }
    }

    /// Records a file that is read, so that nothing overwrites it. A path
    /// that does not exist is ignored.
    pub fn protect(&mut self, path: &Path) {
        if let Some(id) = FileId::of(path) {
            self.inputs.push((id, path.display().to_string()));
        }
    }

    /// Records standard input when it is a file (`< export.json`).
    pub fn protect_stdin(&mut self) {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            let stdin = io::stdin();
            if let Ok(fd) = stdin.as_fd().try_clone_to_owned()
                && let Ok(meta) = std::fs::File::from(fd).metadata()
                && meta.is_file()
                && let Some(id) = FileId::of_metadata(&meta, Path::new("-"))
            {
                self.inputs.push((id, "on standard input".into()));
            }
        }
    }

    /// Whether `path` may be written in `mode`; [`Destinations::write`]
    /// checks again.
    pub fn check(&self, path: &Path, mode: Mode) -> Result<(), WriteError> {
        let io = |step, source| WriteError::Io {
            step,
            path: path.to_path_buf(),
            source,
        };
        self.check_links(path)?;
        let meta = match std::fs::metadata(path) {
            Ok(meta) => Some(meta),
            Err(e) if e.kind() == io::ErrorKind::NotFound && mode == Mode::Create => None,
            Err(e) => return Err(io("read the metadata of", e)),
        };
        let Some(meta) = meta else { return Ok(()) };
        if meta.is_dir() {
            return Err(WriteError::Directory {
                path: path.to_path_buf(),
            });
        }
        match mode {
            Mode::Create => {
                if let Some(id) = FileId::of_metadata(&meta, path)
                    && let Some((_, input)) = self.inputs.iter().find(|(i, _)| *i == id)
                {
                    return Err(WriteError::IsInput {
                        path: path.to_path_buf(),
                        input: input.clone(),
                    });
                }
            }
            Mode::Replace => {
                if meta.permissions().readonly() {
                    return Err(WriteError::ReadOnly {
                        path: path.to_path_buf(),
                    });
                }
                #[cfg(unix)]
                {
                    use std::os::unix::fs::MetadataExt;
                    if meta.nlink() > 1 {
                        return Err(WriteError::HardLinks {
                            path: path.to_path_buf(),
                            links: meta.nlink(),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    /// A destination named inside the tree must resolve inside it.
    fn check_links(&self, path: &Path) -> Result<(), WriteError> {
        let Some(base) = &self.base else { return Ok(()) };
        let Ok(absolute) = std::path::absolute(path) else {
            return Ok(());
        };
        if !crate::paths::normalise(&absolute).starts_with(base) {
            return Ok(());
        }
        let resolved = crate::paths::resolve(path);
        if !resolved.starts_with(base) {
            return Err(WriteError::LinkOutside {
                path: path.to_path_buf(),
                target: resolved,
            });
        }
        Ok(())
    }

    /// Writes `bytes` to `path` after [`Destinations::check`], atomically.
    pub fn write(&self, path: &Path, bytes: &[u8], mode: Mode) -> Result<(), WriteError> {
        self.write_with(path, bytes, mode, injected_fault)
    }

    /// [`Destinations::write`] with a hook that runs between writing the
    /// temporary file and renaming it; an error from the hook aborts the
    /// write (tests use it to simulate a crash at the worst moment).
    pub fn write_with(
        &self,
        path: &Path,
        bytes: &[u8],
        mode: Mode,
        before_rename: impl FnOnce(&Path) -> io::Result<()>,
    ) -> Result<(), WriteError> {
        self.write_inner(path, mode, &mut |w: &mut dyn Write| w.write_all(bytes), before_rename)
    }

    /// [`Destinations::write`] for output produced piece by piece (`preview` streams one
    /// record per object): `fill` writes into the temporary file, so the output never has to
    /// be held in memory, and the destination is replaced only when `fill` succeeds. An error
    /// from `fill` is returned as a [`WriteError::Io`] with the step `produce`.
    pub fn write_streamed(
        &self,
        path: &Path,
        mode: Mode,
        fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), WriteError> {
        self.write_inner(path, mode, fill, injected_fault)
    }

    fn write_inner(
        &self,
        path: &Path,
        mode: Mode,
        fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
        before_rename: impl FnOnce(&Path) -> io::Result<()>,
    ) -> Result<(), WriteError> {
        self.check(path, mode)?;
        let fail = |step: &'static str, path: &Path| {
            let path = path.to_path_buf();
            move |source| WriteError::Io { step, path, source }
        };
        if mode == Mode::Create
            && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        {
            // CI recipes write into artifact folders that may not exist yet.
            std::fs::create_dir_all(dir).map_err(fail("create the directory", dir))?;
        }
        let target = crate::paths::resolve(path);
        let existing = std::fs::metadata(&target).ok();
        if let Some(meta) = &existing
            && !meta.is_file()
        {
            // `/dev/null`, a FIFO: renaming over it would replace the node.
            return std::fs::OpenOptions::new()
                .write(true)
                .open(&target)
                .and_then(|f| {
                    let mut w = io::BufWriter::new(f);
                    fill(&mut w).and_then(|()| w.flush())
                })
                .map_err(fail("write", &target));
        }
        let dir = target
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let file_name = target.file_name().map_or("output".into(), |n| n.to_string_lossy());
        let mut temp = tempfile::Builder::new()
            .prefix(&format!(".{file_name}."))
            .suffix(".mapping-lint.tmp")
            .tempfile_in(dir)
            .map_err(fail("create a temporary file in", dir))?;
        let temp_path = temp.path().to_path_buf();
        {
            let mut w = io::BufWriter::with_capacity(1 << 16, temp.as_file_mut());
            fill(&mut w)
                .and_then(|()| w.flush())
                .map_err(fail("write", &temp_path))?;
        }
        let permissions = match &existing {
            Some(meta) => Some(meta.permissions()),
            None => default_permissions(temp.as_file()),
        };
        if let Some(permissions) = permissions {
            temp.as_file()
                .set_permissions(permissions)
                .map_err(fail("set the permissions of", temp.path()))?;
        }
        temp.as_file().sync_all().map_err(fail("sync", temp.path()))?;
        before_rename(temp.path()).map_err(fail("finish writing", &target))?;
        // On error the temporary file is handed back and removed when dropped.
        temp.persist(&target).map_err(|e| fail("replace", &target)(e.error))?;
        sync_dir(dir);
        Ok(())
    }
}

/// Permissions of a new file: readable by all, writable by the owner (the
/// temporary file starts private). Elsewhere the temporary file's own.
fn default_permissions(file: &std::fs::File) -> Option<std::fs::Permissions> {
    #[cfg(unix)]
    {
        let _ = file;
        use std::os::unix::fs::PermissionsExt;
        Some(std::fs::Permissions::from_mode(0o644))
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        None
    }
}

fn injected_fault(_temp: &Path) -> io::Result<()> {
    #[cfg(debug_assertions)]
    if std::env::var_os(FAULT_ENV).is_some_and(|v| v == "before-rename") {
        return Err(io::Error::other(format!(
            "fault injected before the rename ({FAULT_ENV})"
        )));
    }
    Ok(())
}

/// Makes the rename durable. Best effort: not every platform or file system
/// can sync a directory, and the rename itself has already succeeded.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn setup() -> (tempfile::TempDir, Destinations) {
        let dir = tempfile::tempdir().unwrap();
        let dest = Destinations::with_base(dir.path());
        (dir, dest)
    }

    #[test]
    fn replaces_the_file_and_keeps_its_permissions() {
        let (dir, dest) = setup();
        let path = dir.path().join("export.json");
        std::fs::write(&path, b"old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        dest.write(&path, b"new", Mode::Replace).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
        }
        assert_eq!(entries(dir.path()), ["export.json"]);
    }

    #[test]
    fn creates_a_new_file_with_its_directories_readable_by_all() {
        let (dir, dest) = setup();
        let path = dir.path().join("out/deep/report.json");
        dest.write(&path, b"{}", Mode::Create).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"{}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o644);
        }
    }

    #[test]
    fn a_failure_before_the_rename_leaves_the_original_and_no_temporary_file() {
        let (dir, dest) = setup();
        let path = dir.path().join("baseline.json");
        std::fs::write(&path, b"old").unwrap();
        let mut seen = None;
        let err = dest
            .write_with(&path, b"new", Mode::Create, |temp| {
                // The new content is complete on disk at this point.
                assert_eq!(std::fs::read(temp).unwrap(), b"new");
                seen = Some(temp.to_path_buf());
                Err(io::Error::other("simulated full disk"))
            })
            .unwrap_err();
        assert!(
            matches!(
                err,
                WriteError::Io {
                    step: "finish writing",
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("simulated full disk"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert!(!seen.unwrap().exists());
        assert_eq!(entries(dir.path()), ["baseline.json"]);
    }

    #[test]
    fn refuses_an_input_also_through_a_hard_link() {
        let (dir, mut dest) = setup();
        let input = dir.path().join("a.json");
        std::fs::write(&input, b"export").unwrap();
        dest.protect(&input);
        let err = dest.write(&input, b"diff", Mode::Create).unwrap_err();
        assert!(matches!(err, WriteError::IsInput { .. }), "{err}");
        let link = dir.path().join("h.json");
        std::fs::hard_link(&input, &link).unwrap();
        let err = dest.write(&link, b"report", Mode::Create).unwrap_err();
        assert!(matches!(err, WriteError::IsInput { .. }), "{err}");
        assert_eq!(std::fs::read(&input).unwrap(), b"export");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_an_input_through_a_symbolic_link() {
        let (dir, mut dest) = setup();
        let input = dir.path().join("a.json");
        std::fs::write(&input, b"export").unwrap();
        dest.protect(&input);
        let link = dir.path().join("s.json");
        std::os::unix::fs::symlink(&input, &link).unwrap();
        let err = dest.write(&link, b"report", Mode::Create).unwrap_err();
        assert!(matches!(err, WriteError::IsInput { .. }), "{err}");
        assert_eq!(std::fs::read(&input).unwrap(), b"export");
    }

    #[cfg(unix)]
    #[test]
    fn follows_links_inside_the_tree_and_keeps_the_link() {
        let (dir, dest) = setup();
        let real = dir.path().join("real.json");
        let link = dir.path().join("link.json");
        std::fs::write(&real, b"old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        dest.write(&link, b"new", Mode::Replace).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_links_that_lead_out_of_the_tree() {
        let outside = tempfile::tempdir().unwrap();
        let (dir, dest) = setup();
        let victim = outside.path().join("victim");
        std::fs::write(&victim, b"precious").unwrap();
        // A link to a file, a dangling link, and a linked directory.
        std::os::unix::fs::symlink(&victim, dir.path().join("report.json")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("new"), dir.path().join("dangling.json")).unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("reports")).unwrap();
        for name in ["report.json", "dangling.json", "reports/r.json"] {
            let err = dest.write(&dir.path().join(name), b"x", Mode::Create).unwrap_err();
            assert!(matches!(err, WriteError::LinkOutside { .. }), "{name}: {err}");
        }
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
        assert_eq!(entries(outside.path()), ["victim"]);
        // Named outside explicitly: the user's choice.
        dest.write(&outside.path().join("chosen.json"), b"x", Mode::Create)
            .unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn refuses_to_replace_a_read_only_file_even_as_root() {
        use std::os::unix::fs::PermissionsExt;
        let (dir, dest) = setup();
        let path = dir.path().join("export.json");
        std::fs::write(&path, b"old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
        let err = dest.write(&path, b"new", Mode::Replace).unwrap_err();
        assert!(matches!(err, WriteError::ReadOnly { .. }), "{err}");
        assert!(err.help().unwrap().contains("--fix - <"), "{:?}", err.help());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
    }

    #[test]
    fn refuses_to_replace_a_file_with_other_hard_links() {
        let (dir, dest) = setup();
        let path = dir.path().join("export.json");
        std::fs::write(&path, b"old").unwrap();
        std::fs::hard_link(&path, dir.path().join("other.json")).unwrap();
        let err = dest.write(&path, b"new", Mode::Replace).unwrap_err();
        assert!(matches!(err, WriteError::HardLinks { links: 2, .. }), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn writes_into_a_device_without_replacing_it() {
        let dest = Destinations::new();
        dest.write(Path::new("/dev/null"), b"x", Mode::Create).unwrap();
        assert!(!std::fs::metadata("/dev/null").unwrap().is_file());
    }

    #[test]
    fn a_missing_file_cannot_be_replaced() {
        let (dir, dest) = setup();
        let err = dest
            .write(&dir.path().join("nope.json"), b"x", Mode::Replace)
            .unwrap_err();
        assert!(matches!(err, WriteError::Io { .. }), "{err}");
    }
}
