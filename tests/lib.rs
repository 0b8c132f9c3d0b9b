//! Helpers shared by the workspace tests.

use std::path::{Path, PathBuf};

/// The workspace root, holding spec/ and generated/.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_owned)
        .unwrap_or_default()
}
