//! Importing many pages at once: each page is checked before it counts, so a refused page
//! leaves nothing behind and never blocks the others.

use std::path::{Path, PathBuf};

use super::{Imported, import_page};
use crate::diagnostic::Diagnostic;
use crate::load::{self, Overlay};
use crate::{Error, SERVICES_DIR, Specs, validate};

/// What became of one page.
#[derive(Debug)]
pub enum Outcome {
    /// Its facts changed the specs.
    Imported(Box<Imported>),
    /// Its specs already say what it says.
    Unchanged,
    /// It describes no endpoint (a guide, an event) and is not the error code list.
    NotAnApi,
    /// Its spec would not pass validation, or the page cannot be read: the first reason,
    /// located.
    Refused(String),
}

/// One page and what became of it.
#[derive(Debug)]
pub struct PageOutcome {
    pub page: PathBuf,
    pub outcome: Outcome,
    /// What the page itself gets wrong, at its lines, whatever became of it.
    pub defects: Vec<super::DocDefect>,
    /// The operation id of its endpoint, when it is one.
    pub operation_id: Option<String>,
}

/// Every page's outcome, the spec texts to write (the accepted pages' alone), and the checked
/// specs they make together with the ones on disk.
#[derive(Debug)]
pub struct ImportRun {
    pub outcomes: Vec<PageOutcome>,
    pub overlay: Overlay,
    pub specs: Specs,
}

/// Imports `pages` in order into the specs under `spec_dir`, without writing: each page's
/// specs are validated against the specs so far before they are taken.
pub fn import_pages(pages: &[PathBuf], spec_dir: &Path) -> Result<ImportRun, Error> {
    let mut specs = crate::load_all(spec_dir)?;
    let mut overlay = Overlay::new();
    let mut outcomes = Vec::with_capacity(pages.len());
    // The page, method and path each operation id came from in this run: two pages of one
    // endpoint (the docs keep some twice) share its spec; two endpoints cannot.
    let mut seen: std::collections::BTreeMap<String, (PathBuf, (String, String))> =
        std::collections::BTreeMap::new();
    for page in pages {
        let mut defects = Vec::new();
        let mut operation_id = None;
        let mut endpoint = None;
        let outcome = match import_page(page, spec_dir, &overlay) {
            Ok(None) => Outcome::NotAnApi,
            Ok(Some(imported)) => {
                defects.clone_from(&imported.defects);
                operation_id = imported
                    .spec_path
                    .file_stem()
                    .map(|stem| stem.to_string_lossy().into_owned());
                let id = operation_id.clone().unwrap_or_default();
                endpoint = Some(imported.endpoint.clone());
                let line = imported.lines.line_of("http.path").unwrap_or_default();
                let earlier = seen.get(&id).filter(|_| !imported.endpoint.0.is_empty());
                if let Some((other, endpoint)) = earlier.filter(|(_, e)| *e != imported.endpoint) {
                    Outcome::Refused(format!(
                        "line {line}: operation id {id} is also that of {} ({} {}); this page's \
                         endpoint is {} {}",
                        other.display(),
                        endpoint.0,
                        endpoint.1,
                        imported.endpoint.0,
                        imported.endpoint.1
                    ))
                } else if is_unchanged(&imported, &overlay) {
                    Outcome::Unchanged
                } else {
                    match accept(&imported, spec_dir, &mut specs) {
                        Ok(()) => {
                            for (path, text) in texts(&imported) {
                                overlay.insert(path, text);
                            }
                            Outcome::Imported(Box::new(imported))
                        }
                        Err(problems) => Outcome::Refused(first(problems, Some(&imported.lines))),
                    }
                }
            }
            Err(Error::Spec(problems)) => Outcome::Refused(first(problems.0, None)),
            // The page's own path is printed beside the reason.
            Err(Error::Page { message, .. }) => Outcome::Refused(message),
            Err(err) => Outcome::Refused(err.to_string()),
        };
        if let (Some(id), Some(endpoint)) = (&operation_id, endpoint) {
            if matches!(outcome, Outcome::Imported(_) | Outcome::Unchanged) {
                seen.entry(id.clone())
                    .or_insert_with(|| (page.clone(), endpoint));
            }
        }
        outcomes.push(PageOutcome {
            page: page.clone(),
            outcome,
            defects,
            operation_id,
        });
    }
    // Pages taken in may have changed which scopes a service's endpoints name.
    specs.gather_service_scopes();
    Ok(ImportRun {
        outcomes,
        overlay,
        specs,
    })
}

/// The spec files an import writes, with their texts.
fn texts(imported: &Imported) -> Vec<(PathBuf, String)> {
    let mut texts = vec![(imported.spec_path.clone(), imported.yaml.clone())];
    texts.extend(imported.service.clone());
    texts
}

fn is_unchanged(imported: &Imported, overlay: &Overlay) -> bool {
    texts(imported).iter().all(|(path, text)| {
        let current = overlay
            .get(path)
            .cloned()
            .or_else(|| std::fs::read_to_string(path).ok());
        current.as_deref() == Some(text.as_str())
    })
}

/// The first problem, at its page line when the page has one for it (the spec was never
/// written, so its own lines mean nothing to the reader), and how many more there are.
fn first(problems: Vec<Diagnostic>, lines: Option<&super::SourceLines>) -> String {
    let count = problems.len();
    let more = if count > 1 {
        format!(" (and {} more)", count - 1)
    } else {
        String::new()
    };
    match problems.into_iter().next() {
        Some(problem) => match lines.and_then(|lines| lines.line_of(&problem.field)) {
            Some(line) => {
                let hint = problem
                    .hint
                    .map(|hint| format!("\n  hint: {hint}"))
                    .unwrap_or_default();
                let field = if problem.field.is_empty() {
                    String::new()
                } else {
                    format!("{}: ", problem.field)
                };
                format!("line {line}: {field}{}{more}{hint}", problem.message)
            }
            None => format!("{problem}{more}"),
        },
        None => "refused".to_owned(),
    }
}

/// Validates the imported specs against `specs` and, when they pass, takes them in.
fn accept(imported: &Imported, spec_dir: &Path, specs: &mut Specs) -> Result<(), Vec<Diagnostic>> {
    let source = |path: &Path, text: &str, name: String| load::SpecSource {
        path: path.to_owned(),
        name,
        text: text.to_owned(),
    };
    if imported.spec_path == spec_dir.join(crate::PLATFORM_ERRORS_SPEC) {
        let source = source(
            &imported.spec_path,
            &imported.yaml,
            crate::PLATFORM_ERRORS_SPEC.to_owned(),
        );
        let raw = load::parse_platform_errors(&source).map_err(|problem| vec![problem])?;
        specs.platform = validate::validate_platform_errors(&source, &raw)?;
        return Ok(());
    }
    let mut services = specs.services.clone();
    if let Some((path, yaml)) = &imported.service {
        let name = path
            .file_name()
            .map(|name| format!("{SERVICES_DIR}/{}", name.to_string_lossy()))
            .unwrap_or_default();
        let source = source(path, yaml, name);
        let raw = load::parse_service(&source).map_err(|problem| vec![problem])?;
        let service = validate::validate_service(&source, &raw)?;
        services.retain(|known| known.name != service.name);
        services.push(service);
        services.sort_by(|a, b| a.name.cmp(&b.name));
    }
    let name = imported
        .spec_path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let source = source(&imported.spec_path, &imported.yaml, name);
    let raw = load::parse_spec(&source).map_err(|problem| vec![problem])?;
    let endpoint = validate::validate(&source, &raw, &services)?;
    let mut endpoints: Vec<_> = specs
        .endpoints
        .iter()
        .filter(|known| known.operation_id != endpoint.operation_id)
        .cloned()
        .collect();
    if let Some(other) = endpoints.iter().find(|known| {
        (&known.service, &known.version, &known.module_name)
            == (&endpoint.service, &endpoint.version, &endpoint.module_name)
    }) {
        return Err(vec![Diagnostic::at(
            &source,
            &crate::diagnostic::FieldPath::default().key("rust_name"),
            format!(
                "{} is already the Rust name of {}",
                endpoint.rust_name, other.spec_name
            ),
            Some("give each endpoint of a service version its own rust_name".to_owned()),
        )]);
    }
    endpoints.push(endpoint);
    endpoints.sort_by(|a, b| a.spec_name.cmp(&b.spec_name));
    let problems = validate::validate_service_names(&services, &endpoints);
    if !problems.is_empty() {
        return Err(problems);
    }
    specs.services = services;
    specs.endpoints = endpoints;
    Ok(())
}
