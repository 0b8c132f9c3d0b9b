//! Import stage: a Feishu doc page in, its spec written or updated, with a report of what
//! changed in substance. `check --docs` runs the same merge without writing, to find drift.

mod merge;
mod page;

use std::path::{Path, PathBuf};

pub use merge::{merge, report};
pub use page::{Page, PageError, read_page};

use crate::load::{RawEndpoint, RawPlatformErrors, SpecSource};
use crate::{Error, PLATFORM_ERRORS_SPEC, load};

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
}

/// Reads `page_path` and merges it into its spec under `spec_dir`, without writing.
/// `Ok(None)` for a page that describes no endpoint and is not the error code list.
pub fn import_page(page_path: &Path, spec_dir: &Path) -> Result<Option<Imported>, Error> {
    let text = std::fs::read_to_string(page_path).map_err(|source| Error::Io {
        path: page_path.to_owned(),
        source,
    })?;
    let page = read_page(&text).map_err(|err| Error::Page {
        path: page_path.to_owned(),
        message: err.0,
    })?;
    match page {
        Some(Page::Endpoint(facts)) => {
            let spec_path = spec_dir.join(format!("{}.yaml", facts.operation_id));
            let old = read_existing(&spec_path, load::parse_spec)?;
            let new = match &old {
                Some(old) => merge(*facts, old),
                None => *facts,
            };
            let changes = match &old {
                Some(old) => report(old, &new),
                None => vec![format!("+ endpoint {}", new.operation_id)],
            };
            let mut untranslated = Vec::new();
            untranslated_endpoint(&new, &mut untranslated);
            Ok(Some(Imported {
                yaml: endpoint_yaml(&new)?,
                existed: old.is_some(),
                spec_path,
                changes,
                untranslated,
            }))
        }
        Some(Page::ErrorCodes(rows)) => {
            let spec_path = spec_dir.join(PLATFORM_ERRORS_SPEC);
            let Some(old) = read_existing(&spec_path, load::parse_platform_errors)? else {
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
            }))
        }
        None => Ok(None),
    }
}

/// Writes the imported spec, when its text changed.
pub fn write_spec(imported: &Imported) -> Result<bool, Error> {
    let io = |source| Error::Io {
        path: imported.spec_path.clone(),
        source,
    };
    let current = std::fs::read_to_string(&imported.spec_path).ok();
    if current.as_deref() == Some(imported.yaml.as_str()) {
        return Ok(false);
    }
    if let Some(parent) = imported.spec_path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(&imported.spec_path, &imported.yaml).map_err(io)?;
    Ok(true)
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
        let Some(imported) = import_page(&page, spec_dir)? else {
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

fn read_existing<T>(
    path: &Path,
    parse: fn(&SpecSource) -> Result<T, crate::diagnostic::Diagnostic>,
) -> Result<Option<T>, Error> {
    if !path.exists() {
        return Ok(None);
    }
    let source = load::read_spec(path)
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
    check("auth.description".into(), &spec.auth.description);
    for (i, scope) in spec.scopes.iter().enumerate() {
        check(format!("scopes[{i}].label"), &scope.label);
    }
    for (i, scope) in spec.field_scopes.iter().enumerate() {
        check(format!("field_scopes[{i}].label"), &scope.label);
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
