//! Writing a fixed file without ever leaving a half-written one.
//!
//! The new bytes go to a temporary file in the same directory (so the final
//! rename stays on one file system and is atomic), get the original's
//! permissions, are flushed to disk, and only then replace the original by
//! `rename`. An error at any point before the rename leaves the original as
//! it was and removes the temporary file (if the process is killed instead,
//! the original is still intact and a hidden `.NAME.*.mapping-lint.tmp` may
//! remain); after the rename the
//! directory is synced so the new name survives a power loss. Symlinks are
//! followed: the file they point to is replaced, the link stays a link.
//! Ownership is not copied (only root could), which matters only when
//! fixing someone else's file as root.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Environment variable read by debug builds only: `before-rename` makes
/// every write fail after the temporary file is written and synced, just
/// before the rename — the test hook for "a crash here leaves the original
/// intact". Release builds never look at it.
pub const FAULT_ENV: &str = "MAPPING_LINT_TEST_FAULT";

/// A failed write, with the step that failed.
#[derive(Debug, thiserror::Error)]
#[error("cannot {step} {}: {source}", path.display())]
pub struct WriteError {
    pub step: &'static str,
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// Replaces the file at `path` with `bytes`, atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    write_atomic_with(path, bytes, injected_fault)
}

/// [`write_atomic`] with a hook that runs between writing the temporary
/// file and renaming it over the original; an error from the hook aborts
/// the write (tests use it to simulate a crash at the worst moment).
pub fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    before_rename: impl FnOnce(&Path) -> io::Result<()>,
) -> Result<(), WriteError> {
    let fail = |step: &'static str, path: &Path| {
        let path = path.to_path_buf();
        move |source| WriteError { step, path, source }
    };
    let target = std::fs::canonicalize(path).map_err(fail("resolve", path))?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(&target)
        .map_err(fail("read the permissions of", &target))?
        .permissions();
    let file_name = target.file_name().map_or("export".into(), |n| n.to_string_lossy());
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{file_name}."))
        .suffix(".mapping-lint.tmp")
        .tempfile_in(dir)
        .map_err(fail("create a temporary file in", dir))?;
    temp.write_all(bytes).map_err(fail("write", temp.path()))?;
    temp.as_file()
        .set_permissions(permissions)
        .map_err(fail("set the permissions of", temp.path()))?;
    temp.as_file().sync_all().map_err(fail("sync", temp.path()))?;
    before_rename(temp.path()).map_err(fail("finish writing", &target))?;
    // On error the temporary file is handed back and removed when dropped.
    temp.persist(&target).map_err(|e| fail("replace", &target)(e.error))?;
    sync_dir(dir);
    Ok(())
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

    #[test]
    fn replaces_the_file_and_keeps_its_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.json");
        std::fs::write(&path, b"old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
        }
        assert_eq!(entries(dir.path()), ["export.json"]);
    }

    #[test]
    fn a_failure_before_the_rename_leaves_the_original_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.json");
        std::fs::write(&path, b"old").unwrap();
        let mut seen = None;
        let err = write_atomic_with(&path, b"new", |temp| {
            // The new content is complete on disk at this point.
            assert_eq!(std::fs::read(temp).unwrap(), b"new");
            seen = Some(temp.to_path_buf());
            Err(io::Error::other("simulated crash"))
        })
        .unwrap_err();
        assert_eq!(err.step, "finish writing");
        assert!(err.to_string().contains("simulated crash"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert!(!seen.unwrap().exists());
        assert_eq!(entries(dir.path()), ["export.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn follows_symlinks_and_keeps_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        let link = dir.path().join("link.json");
        std::fs::write(&real, b"old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
    }

    #[test]
    fn a_missing_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_atomic(&dir.path().join("nope.json"), b"x").unwrap_err();
        assert_eq!(err.step, "resolve");
    }
}
