//! Helpers shared by the workspace tests.

use std::path::{Path, PathBuf};

/// The workspace root, holding spec/ and generated/.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_owned)
        .unwrap_or_default()
}

/// The committed unbind spec's file name.
pub const UNBIND_SPEC: &str = "calendar.v4.calendar_event_meeting_chat.delete.yaml";

/// The upstream doc pages the specs are written from, as kept in the repository.
pub fn doc_pages_dir() -> PathBuf {
    workspace_root().join("spec/pages")
}

/// A fresh, empty directory for one test, under the system's temporary directory.
pub fn scratch_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("feishu-openapi-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
    dir
}

/// Copies the files of `from` into `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|err| panic!("{}: {err}", to.display()));
    for entry in std::fs::read_dir(from).unwrap_or_else(|err| panic!("{}: {err}", from.display())) {
        let path = entry
            .map(|entry| entry.path())
            .unwrap_or_else(|err| panic!("{err}"));
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        }
    }
}
