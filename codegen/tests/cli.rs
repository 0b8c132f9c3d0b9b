//! The `codegen` binary on a copy of the workspace: generate, check, and a broken spec.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SPEC: &str = "calendar.v4.calendar_event_meeting_chat.delete.yaml";
const ENDPOINT_FILE: &str = "generated/src/calendar/v4/unbind_meeting_chat.rs";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A copy of spec/ and generated/ under the test's own folder.
fn copy_workspace(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    if root.exists() {
        std::fs::remove_dir_all(&root).unwrap();
    }
    for dir in ["spec", "generated"] {
        copy_dir(&workspace_root().join(dir), &root.join(dir));
    }
    root
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

fn codegen(root: &Path, command: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args([command, "--root"])
        .arg(root)
        .output()
        .unwrap()
}

/// How many endpoint specs the workspace at `root` has: every one of them is rendered on a cold
/// cache.
fn endpoint_count(root: &Path) -> usize {
    std::fs::read_dir(root.join("spec"))
        .unwrap()
        .filter(|entry| {
            let path = entry.as_ref().unwrap().path();
            path.is_file() && path.extension().is_some_and(|ext| ext == "yaml")
        })
        .count()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_passes_then_fails_with_a_diff_then_generate_repairs() {
    let root = copy_workspace("cli_roundtrip");
    let fresh = codegen(&root, "check");
    assert!(fresh.status.success(), "{}", text(&fresh.stderr));
    let n = endpoint_count(&root);
    assert_eq!(text(&fresh.stdout), "generated/ is up to date\n");

    let spec = root.join("spec").join(SPEC);
    let edited = std::fs::read_to_string(&spec)
        .unwrap()
        .replace("limit: 1000", "limit: 900");
    std::fs::write(&spec, edited).unwrap();

    let stale = codegen(&root, "check");
    assert_eq!(stale.status.code(), Some(1));
    let diff = text(&stale.stdout);
    assert!(diff.contains(&format!("--- a/{ENDPOINT_FILE}")), "{diff}");
    assert!(diff.contains("RateLimit::per_minute(900)"), "{diff}");
    assert!(text(&stale.stderr).contains("generated/ is stale: 2 file(s) differ"));

    let generated = codegen(&root, "generate");
    assert!(generated.status.success(), "{}", text(&generated.stderr));
    assert_eq!(
        text(&generated.stdout),
        format!(
            "rendered {n} of {n} endpoint(s); the others did not change\n\
             modified generated/docs/calendar.v4.calendar_event_meeting_chat.delete.md (+1 -1)\n\
             modified generated/src/calendar/v4/unbind_meeting_chat.rs (+2 -2)\n"
        )
    );
    assert!(codegen(&root, "check").status.success());
    // Nothing changed since: no endpoint is rendered again.
    let again = codegen(&root, "generate");
    assert_eq!(
        text(&again.stdout),
        format!(
            "rendered 0 of {n} endpoint(s); the others did not change\n\
             generated/ is up to date: the specs changed nothing\n"
        )
    );
    // One spec changed: that endpoint alone is rendered again.
    let edited = std::fs::read_to_string(&spec)
        .unwrap()
        .replace("limit: 900", "limit: 800");
    std::fs::write(&spec, edited).unwrap();
    let one = codegen(&root, "generate");
    assert!(
        text(&one.stdout).starts_with(&format!(
            "rendered 1 of {n} endpoint(s); the others did not change\n"
        )),
        "{}",
        text(&one.stdout)
    );
    // A generated file edited by hand is not what the cache rendered: it is rendered again.
    let module = root.join(ENDPOINT_FILE);
    std::fs::write(&module, "// edited by hand\n").unwrap();
    let repaired = codegen(&root, "generate");
    assert_eq!(
        text(&repaired.stdout),
        format!(
            "rendered 1 of {n} endpoint(s); the others did not change\n\
             modified {ENDPOINT_FILE} (+{} -1)\n",
            std::fs::read_to_string(&module).unwrap().lines().count()
        )
    );
    assert!(codegen(&root, "check").status.success());
}

#[test]
fn a_broken_spec_is_reported_with_its_location_and_nothing_is_written() {
    let root = copy_workspace("cli_broken_spec");
    let spec = root.join("spec").join(SPEC);
    let broken = std::fs::read_to_string(&spec)
        .unwrap()
        .replace("    code: 190003\n", "    code: 0\n")
        .replace("method: DELETE", "method: REMOVE");
    let line_col = |needle: &str, value: &str| {
        let line = broken.lines().position(|l| l.contains(needle)).unwrap();
        let column = broken.lines().nth(line).unwrap().find(value).unwrap();
        format!("{}:{}", line + 1, column + 1)
    };
    let method_at = line_col("method: REMOVE", "REMOVE");
    let code_at = line_col("code: 0", "0");
    std::fs::write(&spec, &broken).unwrap();
    let before = std::fs::read_to_string(root.join(ENDPOINT_FILE)).unwrap();

    let output = codegen(&root, "generate");
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    let spec_path = spec.display().to_string();
    assert!(
        stderr.contains(&format!(
            "error: {spec_path}:{method_at}: http.method: unknown HTTP method \"REMOVE\"\n  \
             hint: use one of: GET, POST, PUT, PATCH, DELETE"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "error: {spec_path}:{code_at}: errors.codes[1].code: error code 0 means success, not an error"
        )),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("2 problems in spec; nothing was generated\n"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(root.join(ENDPOINT_FILE)).unwrap(),
        before
    );
}
