//! `codegen import` for scripts: imports doc pages into the workspace at `--root`, writes the
//! accepted specs, regenerates `generated/`, and prints one JSON object per page (page,
//! outcome, reason, operation id, doc defects) on stdout. `bench/coverage.py` runs it over
//! a whole docs folder.
//!
//! Usage: `cargo run -p feishu-openapi-codegen --example import_report -- --root DIR PAGES...`

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use feishu_openapi_codegen::import::{self, Outcome};
use feishu_openapi_codegen::{Error, render, write};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut root = None;
    let mut pages = Vec::new();
    while let Some(arg) = args.next() {
        if arg == "--root" {
            root = args.next().map(PathBuf::from);
        } else {
            pages.push(PathBuf::from(arg));
        }
    }
    let Some(root) = root else {
        eprintln!("usage: import_report --root DIR PAGES...");
        return ExitCode::from(2);
    };
    match run(&root, &pages) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}

fn run(root: &Path, paths: &[PathBuf]) -> Result<(), Error> {
    let mut pages = Vec::new();
    for path in paths {
        collect(path, &mut pages)?;
    }
    pages.sort();
    let started = Instant::now();
    let run = import::import_pages(&pages, &root.join("spec"))?;
    let import_seconds = started.elapsed().as_secs_f64();
    for page in &run.outcomes {
        let (outcome, reason) = match &page.outcome {
            Outcome::Imported(_) => ("imported", String::new()),
            Outcome::Unchanged => ("unchanged", String::new()),
            Outcome::NotAnApi => ("not_api", String::new()),
            Outcome::Refused(reason) => ("refused", reason.clone()),
        };
        let defects: Vec<String> = page
            .defects
            .iter()
            .map(|defect| format!("line {}: {}", defect.line, defect.message))
            .collect();
        let line = serde_json::json!({
            "page": page.page.display().to_string(),
            "outcome": outcome,
            "reason": reason,
            "operation_id": page.operation_id,
            "defects": defects,
        });
        println!("{line}");
    }
    for (path, text) in &run.overlay {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                path: parent.to_owned(),
                source,
            })?;
        }
        std::fs::write(path, text).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
    }
    let started = Instant::now();
    let tree = render(&run.specs)?;
    let out_dir = root.join("generated");
    let changes = write::changes(&tree, &out_dir).map_err(|source| Error::Io {
        path: out_dir.clone(),
        source,
    })?;
    write::apply(&changes, &out_dir).map_err(|source| Error::Io {
        path: out_dir,
        source,
    })?;
    let timing = serde_json::json!({
        "import_seconds": import_seconds,
        "generate_seconds": started.elapsed().as_secs_f64(),
        "files_written": changes.len(),
    });
    println!("{timing}");
    Ok(())
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    if path.is_dir() {
        let io = |source| Error::Io {
            path: path.to_owned(),
            source,
        };
        for entry in std::fs::read_dir(path).map_err(io)? {
            collect(&entry.map_err(io)?.path(), out)?;
        }
    } else if path.extension().is_some_and(|ext| ext == "md") {
        out.push(path.to_owned());
    }
    Ok(())
}
