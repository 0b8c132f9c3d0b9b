//! Write/check stage: compare the generated tree with `generated/` on disk, then write it or
//! report the difference.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

use similar::TextDiff;

/// Every generated file: path under `generated/` to contents, sorted by path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GeneratedTree {
    pub files: BTreeMap<String, String>,
    /// Files known to be on disk as they would be generated (the render cache vouches for
    /// them): neither read nor written.
    pub kept: BTreeSet<String>,
}

/// How one file on disk differs from what the specs generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Path under `generated/`.
    pub path: String,
    /// What is on disk now, if anything.
    pub old: Option<String>,
    /// What the specs generate, or `None` when the file should go.
    pub new: Option<String>,
}

impl FileChange {
    /// One line for the change report, e.g. `modified generated/src/api/mod.rs (+3 -1)`.
    pub fn summary(&self) -> String {
        let old = self.old.as_deref().unwrap_or("");
        let new = self.new.as_deref().unwrap_or("");
        let (mut added, mut removed) = (0, 0);
        for change in TextDiff::from_lines(old, new).iter_all_changes() {
            match change.tag() {
                similar::ChangeTag::Insert => added += 1,
                similar::ChangeTag::Delete => removed += 1,
                similar::ChangeTag::Equal => {}
            }
        }
        let verb = match (&self.old, &self.new) {
            (None, _) => "created",
            (_, None) => "deleted",
            _ => "modified",
        };
        format!("{verb} generated/{} (+{added} -{removed})", self.path)
    }

    /// A unified diff from the file on disk to the generated one.
    pub fn unified_diff(&self) -> String {
        let old = self.old.as_deref().unwrap_or("");
        let new = self.new.as_deref().unwrap_or("");
        TextDiff::from_lines(old, new)
            .unified_diff()
            .context_radius(3)
            .header(
                &format!("a/generated/{}", self.path),
                &format!("b/generated/{}", self.path),
            )
            .to_string()
    }
}

/// Files whose contents on disk differ from `tree`, plus stale files: every file under
/// `generated/` is the generator's, so one it does not produce goes.
pub fn changes(tree: &GeneratedTree, out_dir: &Path) -> io::Result<Vec<FileChange>> {
    let mut on_disk = BTreeMap::new();
    collect_files(out_dir, out_dir, &tree.kept, &mut on_disk)?;
    let mut changes = Vec::new();
    for (path, new) in &tree.files {
        let old = match on_disk.remove(path) {
            Some(old) => Some(old),
            None => read_if_exists(&out_dir.join(path))?,
        };
        if old.as_deref() != Some(new.as_str()) {
            changes.push(FileChange {
                path: path.clone(),
                old,
                new: Some(new.clone()),
            });
        }
    }
    for (path, old) in on_disk {
        changes.push(FileChange {
            path,
            old: Some(old),
            new: None,
        });
    }
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(changes)
}

/// Writes or deletes each changed file. Each write goes through a temporary file and a
/// rename, so an interrupted run leaves whole files behind.
pub fn apply(changes: &[FileChange], out_dir: &Path) -> io::Result<()> {
    for change in changes {
        let path = out_dir.join(&change.path);
        match &change.new {
            Some(contents) => {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                let temporary = path.with_extension("tmp~");
                std::fs::write(&temporary, contents)?;
                std::fs::rename(&temporary, &path)?;
            }
            None => {
                std::fs::remove_file(&path)?;
                remove_empty_parents(&path, out_dir);
            }
        }
    }
    Ok(())
}

/// The files under `dir`, read, but for those in `kept`.
fn collect_files(
    dir: &Path,
    root: &Path,
    kept: &BTreeSet<String>,
    files: &mut BTreeMap<String, String>,
) -> io::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(err) => return Err(err),
    };
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, root, kept, files)?;
        } else {
            let relative = relative_path(&path, root);
            if kept.contains(&relative) {
                continue;
            }
            let contents = std::fs::read(&path)?;
            files.insert(relative, String::from_utf8_lossy(&contents).into_owned());
        }
    }
    Ok(())
}

/// `root/a/b.rs` as `a/b.rs`, with `/` on every platform.
fn relative_path(path: &Path, root: &Path) -> String {
    let relative: PathBuf = path.strip_prefix(root).unwrap_or(path).to_owned();
    relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn read_if_exists(path: &Path) -> io::Result<Option<String>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err),
    }
}

fn remove_empty_parents(path: &Path, root: &Path) {
    let mut dir = path.parent();
    while let Some(current) = dir {
        if current == root || std::fs::remove_dir(current).is_err() {
            break;
        }
        dir = current.parent();
    }
}
