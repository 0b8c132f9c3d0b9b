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

/// The upstream doc pages the specs are written from (`shared/docs/feishu`, beside the repository).
pub fn doc_pages_dir() -> PathBuf {
    workspace_root().join("../shared/docs/feishu")
}

/// A fresh, empty directory under `base` for one test, named `name`.
pub fn fresh_dir(base: &Path, name: &str) -> PathBuf {
    let dir = base.join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
    }
    std::fs::create_dir_all(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
    dir
}
