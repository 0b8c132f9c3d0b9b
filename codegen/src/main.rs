//! `codegen generate | check | import`: regenerate `generated/` from `spec/`, prove it is fresh,
//! or bring specs up to date with their doc pages.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use feishu_openapi_codegen::cache::RenderCache;
use feishu_openapi_codegen::format::REGENERATE_COMMAND;
use feishu_openapi_codegen::import::{self, Outcome};
use feishu_openapi_codegen::listing::{LISTING_FILE, breaking_changes};
use feishu_openapi_codegen::write::{self, FileChange, GeneratedTree};
use feishu_openapi_codegen::{Error, Specs, load_all, render, render_with};

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
    /// Write or update the specs of doc pages, report what changed, and regenerate. A page
    /// whose spec would not pass validation is refused and writes nothing.
    Import {
        /// Doc pages (Markdown, either crawler's format), or folders of them.
        #[arg(required = true)]
        pages: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root.unwrap_or_else(default_root);
    let result = match cli.command {
        Command::Generate => load_all(&root.join("spec")).and_then(|specs| generate(&root, &specs)),
        Command::Check { docs } => check(&root, docs.as_deref()),
        Command::Import { pages } => import_pages(&root, &pages),
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

/// What `specs` generate, against what `generated/` holds: the files that differ.
fn stale(root: &Path, specs: &Specs) -> Result<(GeneratedTree, Vec<FileChange>), Error> {
    let tree = render(specs)?;
    let out_dir = root.join("generated");
    let changes = write::changes(&tree, &out_dir).map_err(|source| Error::Io {
        path: out_dir,
        source,
    })?;
    Ok((tree, changes))
}

/// The public items the change removes or alters, from the API listing's two versions.
fn breaking(changes: &[FileChange]) -> Vec<String> {
    changes
        .iter()
        .find(|change| change.path == LISTING_FILE)
        .map(|change| {
            breaking_changes(
                change.old.as_deref().unwrap_or(""),
                change.new.as_deref().unwrap_or(""),
            )
        })
        .unwrap_or_default()
}

fn print_breaking(breaking: &[String]) {
    if breaking.is_empty() {
        return;
    }
    println!(
        "\nBreaking changes: {} public item(s) removed, renamed or changed \
         (see generated/{LISTING_FILE}):",
        breaking.len()
    );
    for line in breaking {
        println!("  - {line}");
    }
}

/// Where `generate` keeps what it rendered: in the target dir cargo uses for this workspace.
fn cache_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("codegen-cache")
        .join("rendered.json")
}

fn generate(root: &Path, specs: &Specs) -> Result<ExitCode, Error> {
    let out_dir = root.join("generated");
    let cache = RenderCache::open(cache_dir(root), out_dir.clone());
    let tree = render_with(specs, cache.as_ref())?;
    let changes = write::changes(&tree, &out_dir).map_err(|source| Error::Io {
        path: out_dir.clone(),
        source,
    })?;
    write::apply(&changes, &out_dir).map_err(|source| Error::Io {
        path: out_dir,
        source,
    })?;
    if let Some(cache) = &cache {
        cache.save(&specs.endpoints);
    }
    let rendered = cache
        .as_ref()
        .map_or(specs.endpoints.len(), RenderCache::rendered_count);
    println!(
        "rendered {rendered} of {} endpoint(s); the others did not change",
        specs.endpoints.len()
    );
    if changes.is_empty() {
        println!("generated/ is up to date: the specs changed nothing");
    }
    for change in &changes {
        println!("{}", change.summary());
    }
    print_breaking(&breaking(&changes));
    Ok(ExitCode::SUCCESS)
}

/// Every `*.md` page among `paths`, folders searched recursively, sorted.
fn page_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    fn walk(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
        if path.is_dir() {
            let io = |source| Error::Io {
                path: path.to_owned(),
                source,
            };
            for entry in std::fs::read_dir(path).map_err(io)? {
                walk(&entry.map_err(io)?.path(), out)?;
            }
        } else if path.extension().is_some_and(|ext| ext == "md") || !path.exists() {
            out.push(path.to_owned());
        }
        Ok(())
    }
    let mut pages = Vec::new();
    for path in paths {
        walk(path, &mut pages)?;
    }
    pages.sort();
    Ok(pages)
}

fn import_pages(root: &Path, paths: &[PathBuf]) -> Result<ExitCode, Error> {
    let pages = page_files(paths)?;
    let run = import::import_pages(&pages, &root.join("spec"))?;
    let (mut imported, mut unchanged, mut not_api, mut refused) = (0, 0, 0, Vec::new());
    for page in &run.outcomes {
        match &page.outcome {
            Outcome::Imported(result) => {
                imported += 1;
                println!("{}:", page.page.display());
                for change in &result.changes {
                    println!("  {change}");
                }
                if !result.untranslated.is_empty() {
                    println!(
                        "  no English yet (add `en` beside `zh`): {}",
                        result.untranslated.join(", ")
                    );
                }
            }
            Outcome::Unchanged => unchanged += 1,
            Outcome::NotAnApi => not_api += 1,
            Outcome::Refused(reason) => refused.push((page.page.clone(), reason.clone())),
        }
        for defect in &page.defects {
            println!(
                "{}:{}: doc defect: {}",
                page.page.display(),
                defect.line,
                defect.message
            );
        }
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
        println!("wrote {}", path.display());
    }
    if !refused.is_empty() {
        println!("\nRefused (nothing written for these):");
        for (page, reason) in &refused {
            println!("  {}: {reason}", page.display());
        }
    }
    println!(
        "\n{} page(s): {imported} imported, {unchanged} unchanged, {} refused, {not_api} not an API",
        run.outcomes.len(),
        refused.len()
    );
    generate(root, &run.specs)?;
    Ok(if refused.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn check(root: &Path, docs: Option<&Path>) -> Result<ExitCode, Error> {
    let specs = load_all(&root.join("spec"))?;
    let mut drifted = false;
    if let Some(docs) = docs {
        let run = import::import_pages(&page_files(&[docs.to_owned()])?, &root.join("spec"))?;
        for page in &run.outcomes {
            let name = page.page.display();
            match &page.outcome {
                Outcome::Imported(result) => {
                    drifted = true;
                    println!("drift: {name} (run `codegen import` on it)");
                    if !result.existed {
                        println!("  no spec: {} is missing", result.spec_path.display());
                    }
                    for change in &result.changes {
                        println!("  {change}");
                    }
                }
                Outcome::Refused(reason) => {
                    drifted = true;
                    println!("drift: {name} cannot be imported: {reason}");
                }
                Outcome::Unchanged | Outcome::NotAnApi => {}
            }
        }
        if drifted {
            let (_, changes) = stale(root, &run.specs)?;
            print_breaking(&breaking(&changes));
        } else {
            println!("spec/ matches the doc pages in {}", docs.display());
        }
    }
    let (_, changes) = stale(root, &specs)?;
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
    print_breaking(&breaking(&changes));
    eprintln!(
        "generated/ is stale: {} file(s) differ from what spec/ generates; run `{REGENERATE_COMMAND}`",
        changes.len()
    );
    Ok(ExitCode::FAILURE)
}
