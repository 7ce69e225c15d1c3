//! Paths that files name stay inside the repository.
//!
//! A config file's `profile:` and a profile's `extends:` are paths written
//! *in a file*, and a file in a repository is whatever the last pull request
//! made it. A CI job that lints a pull request from a fork runs the tool on
//! the fork's `.mapping-lint.yaml`: if that file could say
//! `profile: /proc/self/environ` or `profile: ../../.ssh/id_rsa`, the run
//! would read a file of the CI runner, and an error message about it would
//! show it. So a path named in a file is resolved relative to that file and
//! must stay inside the file's repository — the nearest directory upwards
//! from the file that holds `.git`, else the file's own directory — after
//! every symbolic link is resolved (a link committed in the repository can
//! point anywhere). `--allow-outside-paths` lifts the rule for a run that
//! needs it ([`PathPolicy::Anywhere`]).
//!
//! A path the user gives on the command line (`--profile`, `--config`,
//! `--baseline`, `MAPPING_LINT_PROFILE`) is the user's choice and is not
//! checked; only what such a file names in turn is.

use std::path::{Component, Path, PathBuf};

/// Whether paths named in files must stay inside their repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PathPolicy {
    /// A path named in a file must stay inside that file's repository.
    #[default]
    Repository,
    /// `--allow-outside-paths`: a path named in a file may lead anywhere.
    Anywhere,
}

/// A path named in a file that leads out of the file's repository.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{named}` leads outside the repository {root}")]
pub struct Outside {
    /// The path as written in the file.
    pub named: String,
    /// The directory it must stay in, as shown.
    pub root: String,
}

impl Outside {
    /// What to do about it, for messages.
    pub const HELP: &'static str = "a path named in a config file or profile must stay inside the repository that \
                                    holds the file (symbolic links are followed); move the file into the repository, \
                                    give it on the command line (--profile), or pass --allow-outside-paths";
}

impl PathPolicy {
    /// Checks `path`, named as `named` in the file `named_in` (its path
    /// already joined to that file's directory).
    pub fn check(self, named_in: &Path, named: &str, path: &Path) -> Result<(), Outside> {
        if self == PathPolicy::Anywhere {
            return Ok(());
        }
        let root = repository_of(named_in);
        if resolve(path).starts_with(&root) {
            Ok(())
        } else {
            Err(Outside {
                named: named.to_string(),
                root: root.display().to_string(),
            })
        }
    }
}

/// The repository that holds `file`: the nearest directory from the file's
/// own upwards with a `.git` entry (a directory, or a file in a worktree or
/// submodule), else the file's directory; symbolic links resolved.
pub fn repository_of(file: &Path) -> PathBuf {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let dir = resolve(dir);
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map_or_else(|| dir.clone(), Path::to_path_buf)
}

/// Where `path` really is: every symbolic link resolved, also for a file
/// that does not exist yet (a dangling link is followed to its target; for a
/// missing path its nearest existing ancestor is resolved and the rest
/// normalised lexically, so `missing/../../x` cannot slip out). The one
/// resolution the write guard and the repository check share.
pub fn resolve(path: &Path) -> PathBuf {
    resolve_within(path, MAX_LINK_HOPS)
}

/// Dangling links followed at most this many times (Linux's own limit): a
/// cycle of links ends instead of recursing without end.
const MAX_LINK_HOPS: usize = 40;

fn resolve_within(path: &Path, hops: usize) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if hops > 0
        && let Ok(target) = std::fs::read_link(&absolute)
    {
        let joined = absolute.parent().map_or(target.clone(), |d| d.join(&target));
        if joined != absolute {
            return resolve_within(&joined, hops - 1);
        }
    }
    let mut missing = Vec::new();
    let mut existing = normalise(&absolute);
    loop {
        if let Ok(p) = existing.canonicalize() {
            let mut out = p;
            out.extend(missing.iter().rev());
            return out;
        }
        match (existing.file_name().map(|n| n.to_os_string()), existing.parent()) {
            (Some(name), Some(parent)) => {
                missing.push(name);
                existing = parent.to_path_buf();
            }
            _ => return normalise(&absolute),
        }
    }
}

/// `path` made absolute (from the current directory) and normalised
/// lexically; no link is resolved and nothing needs to exist.
pub fn absolute(path: &Path) -> PathBuf {
    normalise(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// `path` without `.` and `..` components (lexically).
pub fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_in_the_repository_of_the_file_that_names_them() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("sub")).unwrap();
        std::fs::write(repo.join("p.yaml"), "").unwrap();
        std::fs::write(dir.path().join("outside.yaml"), "").unwrap();
        let config = repo.join("sub/.mapping-lint.yaml");
        let policy = PathPolicy::Repository;
        assert!(policy.check(&config, "../p.yaml", &repo.join("sub/../p.yaml")).is_ok());
        assert!(policy.check(&config, "new.yaml", &repo.join("sub/new.yaml")).is_ok());
        let outside = policy
            .check(&config, "../../outside.yaml", &repo.join("sub/../../outside.yaml"))
            .unwrap_err();
        assert_eq!(outside.named, "../../outside.yaml");
        assert!(policy.check(&config, "/etc/passwd", Path::new("/etc/passwd")).is_err());
        assert!(policy.check(&config, "x", &repo.join("missing/../../x")).is_err());
        assert!(
            PathPolicy::Anywhere
                .check(&config, "/etc/passwd", Path::new("/etc/passwd"))
                .is_ok()
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_out_of_the_repository_is_outside() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::write(dir.path().join("secret"), "").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret"), repo.join("p.yaml")).unwrap();
        std::os::unix::fs::symlink(dir.path(), repo.join("up")).unwrap();
        let config = repo.join(".mapping-lint.yaml");
        let policy = PathPolicy::Repository;
        assert!(policy.check(&config, "p.yaml", &repo.join("p.yaml")).is_err());
        assert!(policy.check(&config, "up/secret", &repo.join("up/secret")).is_err());
    }

    #[test]
    fn without_git_the_file_directory_is_the_repository() {
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("a");
        std::fs::create_dir_all(&inner).unwrap();
        // tempdir may itself sit inside a repository on some machines: only
        // assert when it does not.
        if resolve(dir.path()).ancestors().any(|d| d.join(".git").exists()) {
            return;
        }
        assert_eq!(repository_of(&inner.join("c.yaml")), resolve(&inner));
    }
}
