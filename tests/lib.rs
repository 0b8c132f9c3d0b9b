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

/// A workspace of the runtime and the crate generated from `spec_dir`, alone, in `dir`: to
/// build generated code as a consumer would, apart from this workspace. Returns the generated
/// crate's folder.
pub fn generated_workspace(spec_dir: &Path, dir: &Path) -> PathBuf {
    use feishu_openapi_codegen::{generate_tree, write};
    let root = workspace_root();
    let tree = generate_tree(spec_dir).unwrap_or_else(|err| panic!("{err}"));
    let crate_dir = dir.join("generated");
    let changes = write::changes(&tree, &crate_dir).unwrap_or_else(|err| panic!("{err}"));
    write::apply(&changes, &crate_dir).unwrap_or_else(|err| panic!("{err}"));
    copy_dir(&root.join("runtime"), &dir.join("runtime"));
    // The workspace's manifest, with the generated crate and the runtime as its members.
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("manifest");
    let manifest: String = manifest
        .lines()
        .filter(|line| !line.contains("path = \"") || line.contains("path = \"runtime\""))
        .map(|line| {
            if line.starts_with("members = ") {
                "members = [\"generated\", \"runtime\"]\n".to_owned()
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("write manifest");
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("lock");
    crate_dir
}
