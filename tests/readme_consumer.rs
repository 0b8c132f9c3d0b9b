//! A consumer crate made from the README alone, in a folder whose name has nothing to do with
//! this repository's: its dependency lines and its examples build, and the sans-IO one runs.

use std::path::{Path, PathBuf};
use std::process::Command;

use feishu_openapi_tests::{scratch_dir, workspace_root};

/// The README's fenced blocks, in order: (info string, text).
fn blocks(readme: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in readme.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) => current = Some((info.to_owned(), String::new())),
            (Some(_), Some("")) => blocks.extend(current.take()),
            (Some((_, text)), _) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

/// A Rust block as a program: rustdoc's hidden `# ` lines shown, the whole in `main` unless it
/// has its own.
fn program(block: &str) -> String {
    let code: String = block
        .lines()
        .map(|line| {
            match line
                .strip_prefix("# ")
                .or(line.strip_prefix("#").filter(|rest| rest.is_empty()))
            {
                Some(rest) => format!("{rest}\n"),
                None => format!("{line}\n"),
            }
        })
        .collect();
    if code.contains("fn main(") {
        code
    } else {
        format!("fn main() {{\n{code}}}\n")
    }
}

/// The consumer crate: the README's `[dependencies]`, with the clone's folder where the README
/// says "where you cloned it".
fn consumer(dir: &Path, dependencies: &str, main: &str) -> PathBuf {
    let root = workspace_root();
    let dependencies = dependencies.replace("/where/you/cloned/it", &root.display().to_string());
    std::fs::create_dir_all(dir.join("src")).expect("consumer dir");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"my-app\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
             [workspace]\n\n{dependencies}"
        ),
    )
    .expect("manifest");
    // The workspace's lock, so that the build picks the versions it was tested with, offline.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("lock");
    std::fs::write(dir.join("src/main.rs"), main).expect("main");
    dir.to_owned()
}

fn cargo(dir: &Path, command: &str) -> std::process::Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    Command::new(cargo)
        .args([command, "--offline", "--quiet"])
        .current_dir(dir)
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("readme-consumer"),
        )
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

#[test]
fn a_consumer_made_from_the_readme_builds_and_runs_in_a_folder_of_any_name() {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).expect("README");
    let blocks = blocks(&readme);
    let toml: Vec<&String> = blocks
        .iter()
        .filter(|(info, _)| info == "toml")
        .map(|(_, t)| t)
        .collect();
    let rust: Vec<&String> = blocks
        .iter()
        .filter(|(info, _)| info.starts_with("rust"))
        .map(|(_, t)| t)
        .collect();
    assert!(toml.len() >= 2 && rust.len() >= 3, "{toml:?} {rust:?}");
    let folder = scratch_dir("readme-consumer").join("my app, not the repo's name");

    // The sans-IO crate, from its dependency lines and its first example: built and run.
    let sans_io = consumer(&folder.join("sans io"), toml[0], &program(rust[0]));
    let run = cargo(&sans_io, "run");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    // The client, from its dependency lines and its example: built (it would call Feishu).
    let client_example = rust
        .iter()
        .find(|code| code.contains("use feishu_openapi_client::"))
        .expect("the client's example");
    let client = consumer(
        &folder.join("with client"),
        toml[1],
        &program(client_example),
    );
    let build = cargo(&client, "build");
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
}
