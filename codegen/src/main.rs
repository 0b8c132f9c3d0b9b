//! `codegen generate | check | import`: regenerate `generated/` from `spec/`, prove it is fresh,
//! or bring a spec up to date with its doc page.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use feishu_openapi_codegen::format::REGENERATE_COMMAND;
use feishu_openapi_codegen::{Error, import, stale_files, write};

#[derive(Parser)]
#[command(about = "Generates the feishu-openapi crate from the endpoint specs in spec/")]
struct Cli {
    /// Workspace root holding spec/ and generated/ (default: this source tree).
    #[arg(long, global = true)]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate generated/ from spec/, writing only files that changed, and report them.
    Generate,
    /// Exit non-zero with a unified diff when generated/ is not what spec/ generates; with
    /// --docs, also when a doc page's facts differ from its spec.
    Check {
        /// A folder of doc pages (*.md) to compare with the specs.
        #[arg(long)]
        docs: Option<PathBuf>,
    },
    /// Write or update the spec of a doc page, report what changed, and regenerate.
    Import {
        /// The doc page (Markdown, either crawler's format).
        page: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root.unwrap_or_else(default_root);
    let result = match cli.command {
        Command::Generate => generate(&root),
        Command::Check { docs } => check(&root, docs.as_deref()),
        Command::Import { page } => import_page(&root, &page),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("{err}");
            ExitCode::from(2)
        }
    }
}

/// The workspace this binary was built from, shown relative to the current directory when
/// that is where it is, so diagnostics read `spec/x.yaml:3:5`.
fn default_root() -> PathBuf {
    let built_from = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let here = std::env::current_dir().ok();
    match (here, built_from.canonicalize()) {
        (Some(here), Ok(root)) if here == root => PathBuf::from("."),
        (_, Ok(root)) => root,
        _ => built_from,
    }
}

fn generate(root: &Path) -> Result<ExitCode, Error> {
    let changes = stale_files(root)?;
    let out_dir = root.join("generated");
    write::apply(&changes, &out_dir).map_err(|source| Error::Io {
        path: out_dir,
        source,
    })?;
    if changes.is_empty() {
        println!("generated/ is up to date: the specs changed nothing");
    }
    for change in &changes {
        println!("{}", change.summary());
    }
    Ok(ExitCode::SUCCESS)
}

fn import_page(root: &Path, page: &Path) -> Result<ExitCode, Error> {
    let Some(imported) = import::import_page(page, &root.join("spec"))? else {
        eprintln!(
            "{}: not an endpoint page nor the error code list; nothing to import",
            page.display()
        );
        return Ok(ExitCode::FAILURE);
    };
    for change in &imported.changes {
        println!("{change}");
    }
    if import::write_spec(&imported)? {
        println!("wrote {}", imported.spec_path.display());
    }
    if !imported.untranslated.is_empty() {
        println!(
            "no English yet (add `en` beside `zh`): {}",
            imported.untranslated.join(", ")
        );
    }
    generate(root)
}

fn check(root: &Path, docs: Option<&Path>) -> Result<ExitCode, Error> {
    let mut drifted = false;
    if let Some(docs) = docs {
        for (page, changes) in import::drift(docs, &root.join("spec"))? {
            drifted = true;
            println!("drift: {page} (run `codegen import` on it)");
            for change in changes {
                println!("  {change}");
            }
        }
        if !drifted {
            println!("spec/ matches the doc pages in {}", docs.display());
        }
    }
    let changes = stale_files(root)?;
    if changes.is_empty() {
        println!("generated/ is up to date");
        return Ok(if drifted {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        });
    }
    for change in &changes {
        print!("{}", change.unified_diff());
    }
    eprintln!(
        "generated/ is stale: {} file(s) differ from what spec/ generates; run `{REGENERATE_COMMAND}`",
        changes.len()
    );
    Ok(ExitCode::FAILURE)
}
