//! Import stage: a Feishu doc page in, its spec written or updated, with a report of what
//! changed in substance. `check --docs` runs the same merge without writing, to find drift.

mod merge;
mod names;
mod page;
mod run;

use std::path::{Path, PathBuf};

pub use merge::{merge, report};
pub use page::{DocDefect, MULTIPART, Page, PageError, PageFacts, SourceLines, read_page};
pub use run::{ImportRun, Outcome, PageOutcome, import_pages};

use crate::load::{
    Overlay, RawDocDefect, RawEndpoint, RawPlatformErrors, RawService, RawText, SpecSource,
};
use crate::{Error, PLATFORM_ERRORS_SPEC, SERVICES_DIR, load};

/// The result of importing one page.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The spec file written or checked.
    pub spec_path: PathBuf,
    /// The spec's new text.
    pub yaml: String,
    /// Whether the spec file already existed.
    pub existed: bool,
    /// One line per changed fact (`+` added, `-` removed, `~` changed); empty when none.
    pub changes: Vec<String>,
    /// Field paths of Chinese text that has no English rendering yet.
    pub untranslated: Vec<String>,
    /// The service's spec and its new text, when the page brings codes the service did not
    /// have (or the service is new).
    pub service: Option<(PathBuf, String)>,
    /// What the page itself gets wrong, each at its line: kept as written where it can be.
    pub defects: Vec<DocDefect>,
    /// The page line of each part of the spec, to locate a refusal on the page.
    pub lines: SourceLines,
    /// The endpoint's HTTP method and path; empty for the platform's error codes.
    pub endpoint: (String, String),
}

/// Reads `page_path` and merges it into its spec under `spec_dir` (or its text in `overlay`),
/// without writing. `Ok(None)` for a page that describes no endpoint and is not the error
/// code list.
pub fn import_page(
    page_path: &Path,
    spec_dir: &Path,
    overlay: &Overlay,
) -> Result<Option<Imported>, Error> {
    let text = std::fs::read_to_string(page_path).map_err(|source| Error::Io {
        path: page_path.to_owned(),
        source,
    })?;
    let page = read_page(&text).map_err(|err| Error::Page {
        path: page_path.to_owned(),
        message: err.to_string(),
    })?;
    match page {
        Some(Page::Endpoint(facts)) => {
            let PageFacts {
                spec: mut facts,
                lines,
                mut defects,
            } = *facts;
            let mut spec_path = spec_dir.join(format!("{}.yaml", facts.operation_id));
            if !spec_path.exists() && !overlay.contains_key(&spec_path) {
                // An endpoint keeps the operation id it was first imported under, however a
                // later importer derives ids: it is the spec's name and its Rust names' root.
                if let Some(kept) = spec_of_endpoint(spec_dir, overlay, &facts)? {
                    facts.operation_id = kept;
                    spec_path = spec_dir.join(format!("{}.yaml", facts.operation_id));
                }
            }
            let old = read_existing(&spec_path, overlay, load::parse_spec)?;
            let mut new = match &old {
                Some(old) => merge(facts, old),
                None => facts,
            };
            names::name_new_items(&mut new);
            let renames = names::unique_type_names(&mut new);
            new.doc_defects = crate::validate::value_defects(&new)
                .into_iter()
                .map(|(at, problem)| RawDocDefect {
                    at: at.to_string(),
                    problem,
                })
                .collect();
            for defect in &new.doc_defects {
                defects.push(DocDefect {
                    line: lines.line_of(&defect.at).unwrap_or_default(),
                    message: format!("{}: {}; kept as written", defect.at, defect.problem),
                });
            }
            defects.sort_by_key(|defect| defect.line);
            let service_name = new
                .operation_id
                .split('.')
                .next()
                .unwrap_or_default()
                .to_owned();
            let service_path = spec_dir
                .join(SERVICES_DIR)
                .join(format!("{service_name}.yaml"));
            let old_service = read_existing(&service_path, overlay, load::parse_service)?;
            let mut service = old_service
                .clone()
                .unwrap_or_else(|| new_service(&service_name));
            let added = names::add_new_codes(&new, &mut service);
            english_from_service(&mut new, &service);
            let mut changes = match &old {
                Some(old) => report(old, &new),
                None => vec![format!("+ endpoint {}", new.operation_id)],
            };
            if old.as_ref().is_none_or(|old| old != &new) {
                changes.extend(
                    renames
                        .into_iter()
                        .map(|rename| format!("  name: {rename}")),
                );
            }
            if old_service.is_none() {
                changes.push(format!("+ service {service_name}"));
            }
            for code in &added {
                if let Some(row) = service.errors.iter().find(|row| row.code == *code) {
                    changes.push(format!(
                        "+ {service_name} error code {code}, named {}",
                        row.rust_name
                    ));
                }
            }
            let mut untranslated = Vec::new();
            untranslated_endpoint(&new, &mut untranslated);
            let service = if old_service.as_ref() == Some(&service) {
                None
            } else {
                Some((service_path, service_yaml(&service)?))
            };
            Ok(Some(Imported {
                yaml: endpoint_yaml(&new)?,
                existed: old.is_some(),
                spec_path,
                changes,
                untranslated,
                service,
                endpoint: (new.http.method.clone(), new.http.path.clone()),
                defects,
                lines,
            }))
        }
        Some(Page::ErrorCodes(rows)) => {
            let spec_path = spec_dir.join(PLATFORM_ERRORS_SPEC);
            let Some(old) = read_existing(&spec_path, overlay, load::parse_platform_errors)? else {
                return Err(Error::Page {
                    path: spec_path,
                    message: "the platform error spec must exist: it chooses which codes are platform-wide".into(),
                });
            };
            let mut new = old.clone();
            let mut changes = Vec::new();
            for code in &mut new.codes {
                match rows.iter().find(|(c, _, _)| *c == code.code) {
                    Some((_, message, advice)) => {
                        if *message != code.message {
                            changes.push(format!(
                                "~ platform code {} message: {:?} -> {message:?}",
                                code.code, code.message
                            ));
                            code.message = message.clone();
                        }
                        if *advice != code.advice.zh {
                            changes.push(format!("~ platform code {} advice changed", code.code));
                            code.advice.zh = advice.clone();
                            code.advice.en = None;
                        }
                    }
                    None => changes.push(format!(
                        "- platform code {}: no longer on the page",
                        code.code
                    )),
                }
            }
            let untranslated = new
                .codes
                .iter()
                .enumerate()
                .filter(|(_, code)| code.advice.en.is_none())
                .map(|(i, _)| format!("codes[{i}].advice.en"))
                .collect();
            Ok(Some(Imported {
                yaml: platform_yaml(&new)?,
                existed: true,
                spec_path,
                changes,
                untranslated,
                service: None,
                defects: Vec::new(),
                lines: SourceLines::default(),
                endpoint: (String::new(), String::new()),
            }))
        }
        None => Ok(None),
    }
}

/// Writes the imported spec and its service's, when their text changed.
pub fn write_spec(imported: &Imported) -> Result<bool, Error> {
    let mut wrote = false;
    if let Some((path, yaml)) = &imported.service {
        wrote |= write_file(path, yaml)?;
    }
    wrote |= write_file(&imported.spec_path, &imported.yaml)?;
    Ok(wrote)
}

fn write_file(path: &Path, text: &str) -> Result<bool, Error> {
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let current = std::fs::read_to_string(path).ok();
    if current.as_deref() == Some(text) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(path, text).map_err(io)?;
    Ok(true)
}

/// A service seen for the first time: named after its id, until someone names it better.
fn new_service(name: &str) -> RawService {
    RawService {
        service: name.to_owned(),
        rust_name: crate::validate::upper_camel_from_words(name),
        title: RawText {
            zh: name.to_owned(),
            en: None,
        },
        errors: Vec::new(),
    }
}

/// An error row with no English takes the service's, when both say the same in Chinese: the
/// rendering is written once, for the service.
fn english_from_service(spec: &mut RawEndpoint, service: &RawService) {
    for row in &mut spec.errors.codes {
        if row.advice.en.is_some() {
            continue;
        }
        if let Some(known) = service.errors.iter().find(|known| known.code == row.code) {
            merge::keep_en(&mut row.advice, Some(&known.advice));
        }
    }
}

/// The drift of every page in `pages_dir` against the specs: `(page file, changes)` for each
/// page whose spec is missing or differs. Pages that are no endpoint are skipped.
pub fn drift(pages_dir: &Path, spec_dir: &Path) -> Result<Vec<(String, Vec<String>)>, Error> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(pages_dir)
        .map_err(|source| Error::Io {
            path: pages_dir.to_owned(),
            source,
        })?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    pages.sort();
    let mut drifted = Vec::new();
    for page in pages {
        let Some(imported) = import_page(&page, spec_dir, &Overlay::new())? else {
            continue;
        };
        let name = page
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !imported.existed {
            drifted.push((
                name,
                vec![format!(
                    "no spec: {} is missing",
                    imported.spec_path.display()
                )],
            ));
        } else if !imported.changes.is_empty() {
            drifted.push((name, imported.changes));
        }
    }
    Ok(drifted)
}

/// The operation id of the spec, of the page's service, that already describes the page's
/// method and path under another id.
fn spec_of_endpoint(
    spec_dir: &Path,
    overlay: &Overlay,
    facts: &RawEndpoint,
) -> Result<Option<String>, Error> {
    let service = facts.operation_id.split('.').next().unwrap_or_default();
    let prefix = format!("{service}.");
    let on_disk = std::fs::read_dir(spec_dir)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok().map(|entry| entry.path()));
    let mut candidates: Vec<PathBuf> = on_disk.chain(overlay.keys().cloned()).collect();
    candidates.retain(|path| {
        path.parent() == Some(spec_dir)
            && path.extension().is_some_and(|ext| ext == "yaml")
            && path
                .file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with(&prefix))
    });
    candidates.sort();
    candidates.dedup();
    let spec_error = |problem| Error::Spec(crate::diagnostic::Diagnostics(vec![problem]));
    for path in candidates {
        let source = load::read_spec_in(&path, overlay).map_err(spec_error)?;
        // A look at the text before parsing it: most specs of the service are other paths.
        if !source.text.contains(&facts.http.path) {
            continue;
        }
        let spec = load::parse_spec(&source).map_err(spec_error)?;
        if spec.http.method.eq_ignore_ascii_case(&facts.http.method)
            && spec.http.path == facts.http.path
        {
            return Ok(Some(spec.operation_id));
        }
    }
    Ok(None)
}

fn read_existing<T>(
    path: &Path,
    overlay: &Overlay,
    parse: fn(&SpecSource) -> Result<T, crate::diagnostic::Diagnostic>,
) -> Result<Option<T>, Error> {
    if !path.exists() && !overlay.contains_key(path) {
        return Ok(None);
    }
    let source = load::read_spec_in(path, overlay)
        .map_err(|problem| Error::Spec(crate::diagnostic::Diagnostics(vec![problem])))?;
    parse(&source)
        .map(Some)
        .map_err(|problem| Error::Spec(crate::diagnostic::Diagnostics(vec![problem])))
}

/// The spec file text: a header, then the YAML.
pub fn endpoint_yaml(spec: &RawEndpoint) -> Result<String, Error> {
    let title = spec.title.en.as_deref().unwrap_or(&spec.title.zh);
    let yaml = serde_yaml::to_string(spec).map_err(|err| Error::Internal(err.to_string()))?;
    Ok(format!(
        "# {title} ({}). Format: spec/README.md.\n\
         # `codegen import <page.md>` rewrites this file from the doc page, keeping English text,\n\
         # Rust names and retry overrides; comments are not kept.\n{yaml}",
        spec.title.zh
    ))
}

/// A service spec's text.
pub fn service_yaml(spec: &RawService) -> Result<String, Error> {
    let yaml = serde_yaml::to_string(spec).map_err(|err| Error::Internal(err.to_string()))?;
    Ok(format!(
        "# The {} service ({}): its Rust name, and its error codes, each defined once for all\n\
         # its endpoints. Format: spec/README.md. `codegen import` adds the codes a page brings;\n\
         # names are kept. Comments are not kept.\n{yaml}",
        spec.service, spec.title.zh
    ))
}

/// The platform error spec's text.
pub fn platform_yaml(spec: &RawPlatformErrors) -> Result<String, Error> {
    let yaml = serde_yaml::to_string(spec).map_err(|err| Error::Internal(err.to_string()))?;
    Ok(format!(
        "# Platform-wide error codes ({}). Format: spec/README.md.\n\
         # Which codes are platform-wide is chosen here; `codegen import` updates their message\n\
         # and advice from the page. Comments are not kept.\n{yaml}",
        spec.title.zh
    ))
}

fn untranslated_endpoint(spec: &RawEndpoint, out: &mut Vec<String>) {
    let mut check = |path: String, text: &crate::load::RawText| {
        if text.en.is_none() {
            out.push(path);
        }
    };
    check("title".into(), &spec.title);
    check("description".into(), &spec.description);
    for (i, note) in spec.notes.iter().enumerate() {
        check(format!("notes[{i}]"), note);
    }
    if let Some(description) = &spec.auth.description {
        check("auth.description".into(), description);
    }
    for (i, scope) in spec.scopes.iter().enumerate() {
        if let Some(label) = &scope.label {
            check(format!("scopes[{i}].label"), label);
        }
    }
    for (i, scope) in spec.field_scopes.iter().enumerate() {
        if let Some(label) = &scope.label {
            check(format!("field_scopes[{i}].label"), label);
        }
    }
    for (list, params) in [
        ("path_params", &spec.path_params),
        ("query_params", &spec.query_params),
    ] {
        for (i, param) in params.iter().enumerate() {
            check(format!("{list}[{i}].description"), &param.description);
            for (j, value) in param.values.iter().enumerate() {
                check(
                    format!("{list}[{i}].values[{j}].description"),
                    &value.description,
                );
            }
        }
    }
    fn fields(prefix: &str, list: &[crate::load::RawField], out: &mut Vec<String>) {
        for (i, field) in list.iter().enumerate() {
            let path = format!("{prefix}[{i}]");
            if field.description.en.is_none() {
                out.push(format!("{path}.description"));
            }
            for (j, value) in field.values.iter().enumerate() {
                if value.description.en.is_none() {
                    out.push(format!("{path}.values[{j}].description"));
                }
            }
            fields(&format!("{path}.fields"), &field.fields, out);
        }
    }
    for (i, row) in spec.errors.codes.iter().enumerate() {
        if row.advice.en.is_none() {
            out.push(format!("errors.codes[{i}].advice"));
        }
    }
    fields("request_body", &spec.request_body, out);
    fields("response.envelope", &spec.response.envelope, out);
    fields("response.data", &spec.response.data, out);
}
