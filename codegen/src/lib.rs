//! The generator: YAML endpoint specs in, the `feishu-openapi` crate's modules out.
//!
//! One stage per module, data flowing one way:
//! [`load`] → [`validate`] → [`emit`] → [`format`](mod@format) → [`write`](mod@write).

pub mod cache;
pub mod diagnostic;
pub mod emit;
pub mod format;
pub mod import;
pub mod listing;
pub mod load;
pub mod model;
pub mod validate;
pub mod write;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use cache::{KeptEndpoint, RenderCache, RenderedEndpoint};
use diagnostic::{Diagnostic, Diagnostics};
use load::Overlay;
use model::{Endpoint, PlatformErrors, Service};
use write::GeneratedTree;

/// Why generation stopped. Nothing is written in any of these cases.
#[derive(Debug)]
pub enum Error {
    /// One or more specs are wrong; each problem is located.
    Spec(Diagnostics),
    /// A file could not be read or written.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A doc page could not be read as an endpoint page.
    Page { path: PathBuf, message: String },
    /// The generator produced code that does not parse: a bug in the generator.
    Internal(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Spec(diagnostics) => write!(f, "{diagnostics}"),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Page { path, message } => write!(f, "{}: {message}", path.display()),
            Error::Internal(message) => write!(f, "generator bug: {message}"),
        }
    }
}

impl std::error::Error for Error {}

/// Where the shared spec of platform-wide error codes lives, under `spec/`.
pub const PLATFORM_ERRORS_SPEC: &str = "shared/platform_errors.yaml";

/// Where the services' specs live, under `spec/`: `<service>.yaml`.
pub const SERVICES_DIR: &str = "services";

/// Every spec, checked: the endpoints, their services and the shared platform error codes.
#[derive(Debug, Clone)]
pub struct Specs {
    pub endpoints: Vec<Endpoint>,
    pub services: Vec<Service>,
    pub platform: PlatformErrors,
}

impl Specs {
    /// Gives each service the scopes its endpoints name, once the endpoints are known: they
    /// are generated once per service.
    pub(crate) fn gather_service_scopes(&mut self) {
        for service in &mut self.services {
            service.scopes = service_scopes(&service.name, &self.endpoints);
        }
    }

    /// The service an endpoint belongs to; validation made sure there is one.
    pub fn service_of(&self, endpoint: &Endpoint) -> &Service {
        self.services
            .iter()
            .find(|service| service.name == endpoint.service)
            .unwrap_or(&self.services[0])
    }
}

/// The scopes `service`'s endpoints name, each once, labelled as the first endpoint (by
/// operation id) that names it labels it, with the const each is generated as.
fn service_scopes(service: &str, endpoints: &[Endpoint]) -> Vec<model::ServiceScope> {
    let mut own: Vec<&Endpoint> = endpoints.iter().filter(|e| e.service == service).collect();
    own.sort_by(|a, b| a.operation_id.cmp(&b.operation_id));
    let mut scopes: Vec<model::Scope> = Vec::new();
    for scope in own
        .iter()
        .flat_map(|e| e.scopes.iter().chain(&e.field_scopes))
    {
        if !scopes.iter().any(|known| known.name == scope.name) {
            scopes.push(scope.clone());
        }
    }
    scopes.sort_by(|a, b| a.name.cmp(&b.name));
    let names: Vec<String> = scopes.iter().map(model::Scope::const_name).collect();
    scopes
        .into_iter()
        .zip(&names)
        .map(|(scope, name)| {
            // Two names that read as one const get none.
            let unique = names.iter().filter(|other| *other == name).count() == 1;
            model::ServiceScope {
                scope,
                const_name: unique.then(|| name.clone()),
            }
        })
        .collect()
}

/// Loads and checks every spec under `spec_dir`: each `*.yaml` directly in it is an endpoint,
/// `services/*.yaml` the services, and `shared/platform_errors.yaml` the platform error codes.
/// All problems are reported at once.
pub fn load_all(spec_dir: &Path) -> Result<Specs, Error> {
    load_all_with(spec_dir, &Overlay::new())
}

/// As [`load_all`], with the texts of `overlay` in place of (or beside) the files on disk.
pub fn load_all_with(spec_dir: &Path, overlay: &Overlay) -> Result<Specs, Error> {
    let mut problems = Vec::new();
    let platform = load_platform_errors_in(&spec_dir.join(PLATFORM_ERRORS_SPEC), overlay)
        .map_err(|found| problems.extend(found))
        .ok();
    let mut services = Vec::new();
    let mut refused = Vec::new();
    for (path, service) in load_services(spec_dir, overlay)? {
        match service {
            Ok(service) => services.push(service),
            Err(found) => {
                problems.extend(found);
                refused.extend(
                    path.file_stem()
                        .map(|stem| stem.to_string_lossy().into_owned()),
                );
            }
        }
    }
    let endpoints = match load_endpoints(spec_dir, &services, &refused, overlay) {
        Ok(endpoints) => endpoints,
        Err(Error::Spec(found)) => {
            problems.extend(found.0);
            Vec::new()
        }
        Err(other) => return Err(other),
    };
    problems.extend(validate::validate_service_names(&services, &endpoints));
    match platform {
        Some(platform) if problems.is_empty() => {
            let mut specs = Specs {
                endpoints,
                services,
                platform,
            };
            specs.gather_service_scopes();
            Ok(specs)
        }
        _ => Err(Error::Spec(Diagnostics(problems))),
    }
}

/// Loads and checks the shared platform error codes.
pub fn load_platform_errors(path: &Path) -> Result<PlatformErrors, Vec<Diagnostic>> {
    load_platform_errors_in(path, &Overlay::new())
}

fn load_platform_errors_in(
    path: &Path,
    overlay: &Overlay,
) -> Result<PlatformErrors, Vec<Diagnostic>> {
    let mut source = load::read_spec_in(path, overlay).map_err(|problem| vec![problem])?;
    source.name = PLATFORM_ERRORS_SPEC.to_owned();
    let raw = load::parse_platform_errors(&source).map_err(|problem| vec![problem])?;
    validate::validate_platform_errors(&source, &raw)
}

/// Loads and checks one service's spec.
fn load_service(path: &Path, overlay: &Overlay) -> Result<Service, Vec<Diagnostic>> {
    let mut source = load::read_spec_in(path, overlay).map_err(|problem| vec![problem])?;
    source.name = format!("{SERVICES_DIR}/{}", source.name);
    let raw = load::parse_service(&source).map_err(|problem| vec![problem])?;
    validate::validate_service(&source, &raw)
}

/// Every service spec under `spec_dir/services`, each loaded and checked.
/// A service's spec file, and the service or why it was refused.
type LoadedService = (PathBuf, Result<Service, Vec<Diagnostic>>);

fn load_services(spec_dir: &Path, overlay: &Overlay) -> Result<Vec<LoadedService>, Error> {
    Ok(yaml_files(&spec_dir.join(SERVICES_DIR), overlay)?
        .into_iter()
        .map(|path| {
            let service = load_service(&path, overlay);
            (path, service)
        })
        .collect())
}

/// The `*.yaml` files directly in `dir`, on disk or in `overlay`, sorted.
fn yaml_files(dir: &Path, overlay: &Overlay) -> Result<Vec<PathBuf>, Error> {
    let io = |source| Error::Io {
        path: dir.to_owned(),
        source,
    };
    let is_yaml = |path: &Path| path.extension().is_some_and(|ext| ext == "yaml");
    let mut paths: Vec<PathBuf> = overlay
        .keys()
        .filter(|path| path.parent() == Some(dir) && is_yaml(path))
        .cloned()
        .collect();
    if dir.is_dir() {
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            if path.is_file() && is_yaml(&path) && !overlay.contains_key(&path) {
                paths.push(path);
            }
        }
    }
    paths.sort();
    Ok(paths)
}

/// Loads and checks every spec under `spec_dir`, endpoints and services alike, without
/// generating: what `codegen check` reports first.
pub fn load_specs(spec_dir: &Path) -> Result<Vec<Endpoint>, Error> {
    load_all(spec_dir).map(|specs| specs.endpoints)
}

/// Loads and checks every `*.yaml` endpoint spec directly in `spec_dir` against `services`,
/// reporting all problems at once.
fn load_endpoints(
    spec_dir: &Path,
    services: &[Service],
    refused: &[String],
    overlay: &Overlay,
) -> Result<Vec<Endpoint>, Error> {
    let paths = yaml_files(spec_dir, overlay)?;
    // Each spec is read and checked on its own, so the work is shared out over the cores.
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let per_worker = paths.len().div_ceil(workers).max(1);
    let loaded: Vec<Result<Endpoint, Vec<Diagnostic>>> = std::thread::scope(|scope| {
        let workers: Vec<_> = paths
            .chunks(per_worker)
            .map(|share| {
                scope.spawn(move || {
                    share
                        .iter()
                        .map(|path| load_spec(path, services, refused, overlay))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut loaded = Vec::with_capacity(paths.len());
        for worker in workers {
            let share = worker
                .join()
                .map_err(|_| Error::Internal("loading a spec panicked".to_owned()))?;
            loaded.extend(share);
        }
        Ok::<_, Error>(loaded)
    })?;
    let mut problems = Vec::new();
    let mut endpoints: Vec<Endpoint> = Vec::new();
    let mut modules: HashMap<(String, String, String), String> = HashMap::new();
    for (path, loaded) in paths.iter().zip(loaded) {
        match loaded {
            Ok(endpoint) => {
                let module = (
                    endpoint.service.clone(),
                    endpoint.version.clone(),
                    endpoint.module_name.clone(),
                );
                if let Some(other) = modules.insert(module, endpoint.spec_name.clone()) {
                    problems.push(Diagnostic {
                        file: path.display().to_string(),
                        line: 0,
                        column: 0,
                        field: "rust_name".to_owned(),
                        message: format!(
                            "{} is already the Rust name of {other}",
                            endpoint.rust_name
                        ),
                        hint: Some(
                            "give each endpoint of a service version its own rust_name".to_owned(),
                        ),
                    });
                }
                endpoints.push(endpoint);
            }
            Err(found) => problems.extend(found),
        }
    }
    if problems.is_empty() {
        Ok(endpoints)
    } else {
        Err(Error::Spec(Diagnostics(problems)))
    }
}

/// Loads and checks one endpoint spec file.
fn load_spec(
    path: &Path,
    services: &[Service],
    refused: &[String],
    overlay: &Overlay,
) -> Result<Endpoint, Vec<Diagnostic>> {
    let source = load::read_spec_in(path, overlay).map_err(|problem| vec![problem])?;
    let raw = load::parse_spec(&source).map_err(|problem| vec![problem])?;
    validate::validate_beside(&source, &raw, services, refused)
}

/// Emits and formats every generated file, in memory.
pub fn render(specs: &Specs) -> Result<GeneratedTree, Error> {
    render_with(specs, None)
}

/// As [`render`], taking from `cache` each endpoint that did not change since it was rendered
/// into the files on disk, and remembering the others.
pub fn render_with(specs: &Specs, cache: Option<&RenderCache>) -> Result<GeneratedTree, Error> {
    let mut tree = GeneratedTree::default();
    let mut api = Vec::new();
    let shared = shared_types(specs);
    for file in emit::module_tree(specs, &shared) {
        let (text, items) = rust_file(file.tokens, &file.path, &file.source)?;
        tree.files.insert(file.path, text);
        api.extend(items);
    }
    tree.files.insert(
        "Cargo.toml".to_owned(),
        format::toml_file(&emit::cargo_manifest(specs), "spec/services/*.yaml"),
    );
    for endpoint in render_endpoints(specs, &shared, cache)? {
        match endpoint {
            Ok(RenderedEndpoint {
                module,
                page,
                items,
            }) => {
                tree.files.insert(module.0, module.1);
                tree.files.insert(page.0, page.1);
                api.extend(items);
            }
            Err(KeptEndpoint {
                module,
                page,
                items,
            }) => {
                tree.kept.insert(module);
                tree.kept.insert(page);
                api.extend(items);
            }
        }
    }
    api.sort();
    tree.files.insert(
        listing::LISTING_FILE.to_owned(),
        format::listing_file(&api, "spec/"),
    );
    tree.files.insert(
        "docs/platform_errors.md".to_owned(),
        format::markdown_file(
            &emit::platform_reference_page(&specs.platform),
            &format!("spec/{PLATFORM_ERRORS_SPEC}"),
        ),
    );
    Ok(tree)
}

/// Each endpoint's module and reference page, rendered, or kept as the cache vouches for
/// them on disk (`Err`). Endpoints are independent of each other, so they are shared out
/// over the machine's cores; the tree sorts the files, so the output does not depend on which
/// thread finishes first.
fn render_endpoints(
    specs: &Specs,
    shared: &SharedByVersion<'_>,
    cache: Option<&RenderCache>,
) -> Result<Vec<Result<RenderedEndpoint, KeptEndpoint>>, Error> {
    let endpoints = &specs.endpoints;
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let per_worker = endpoints.len().div_ceil(workers).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = endpoints
            .chunks(per_worker)
            .map(|share| {
                scope.spawn(move || {
                    let mut rendered = Vec::with_capacity(share.len());
                    for endpoint in share {
                        let service = specs.service_of(endpoint);
                        let key = (endpoint.service.clone(), endpoint.version.clone());
                        let used = shared
                            .get(&key)
                            .map(|types| types.used_by(endpoint))
                            .unwrap_or_default();
                        rendered.push(match cache {
                            Some(cache) => cached_endpoint(cache, endpoint, service, &used)?,
                            None => Ok(render_endpoint(endpoint, service, &used)?),
                        });
                    }
                    Ok::<_, Error>(rendered)
                })
            })
            .collect();
        let mut rendered = Vec::with_capacity(endpoints.len());
        for worker in workers {
            let share = worker
                .join()
                .map_err(|_| Error::Internal("an endpoint's rendering panicked".to_owned()))?;
            rendered.extend(share?);
        }
        Ok(rendered)
    })
}

/// An endpoint kept from the cache when it did not change (`Err`), else rendered and noted.
fn cached_endpoint(
    cache: &RenderCache,
    endpoint: &Endpoint,
    service: &Service,
    shared: &emit::SharedUse,
) -> Result<Result<RenderedEndpoint, KeptEndpoint>, Error> {
    let key = cache.key(endpoint, service, shared);
    let (module, page) = (emit::endpoint_path(endpoint), reference_path(endpoint));
    if let Some(kept) = cache.lookup(endpoint, key, &module, &page) {
        return Ok(Err(kept));
    }
    let rendered = render_endpoint(endpoint, service, shared)?;
    cache.rendered(endpoint, key, &rendered);
    Ok(Ok(rendered))
}

fn reference_path(endpoint: &Endpoint) -> String {
    format!("docs/{}.md", endpoint.operation_id)
}

/// One endpoint's module with its public items, and its Markdown reference.
fn render_endpoint(
    endpoint: &Endpoint,
    service: &Service,
    shared: &emit::SharedUse,
) -> Result<RenderedEndpoint, Error> {
    let source = format!("spec/{}", endpoint.spec_name);
    let path = emit::endpoint_path(endpoint);
    let module = emit::endpoint_module(endpoint, service, shared);
    let (code, items) = rust_file(module, &path, &source)?;
    let page = format::markdown_file(&emit::reference_page(endpoint, service), &source);
    Ok(RenderedEndpoint {
        module: (path, code),
        page: (reference_path(endpoint), page),
        items,
    })
}

/// Each service version's shared response structs, by `(service, version)`.
pub type SharedByVersion<'e> = BTreeMap<(String, String), emit::SharedTypes<'e>>;

/// The response structs each service version's endpoints share.
fn shared_types(specs: &Specs) -> SharedByVersion<'_> {
    let mut versions: BTreeMap<(String, String), Vec<&Endpoint>> = BTreeMap::new();
    for endpoint in &specs.endpoints {
        versions
            .entry((endpoint.service.clone(), endpoint.version.clone()))
            .or_default()
            .push(endpoint);
    }
    versions
        .into_iter()
        .map(|(key, mut endpoints)| {
            endpoints.sort_by(|a, b| a.module_name.cmp(&b.module_name));
            (key, emit::shared_types(&endpoints))
        })
        .collect()
}

/// A generated Rust file's text and the public items it declares, from one parse.
fn rust_file(
    tokens: proc_macro2::TokenStream,
    path: &str,
    source: &str,
) -> Result<(String, Vec<String>), Error> {
    let file = format::parse(tokens).map_err(|err| Error::Internal(format!("{path}: {err}")))?;
    let items = listing::public_items(&listing::module_path(path), &file);
    Ok((format::rust_file(&file, source), items))
}

/// The whole pipeline up to, not including, writing: specs in, generated files out.
pub fn generate_tree(spec_dir: &Path) -> Result<GeneratedTree, Error> {
    render(&load_all(spec_dir)?)
}

/// How `generated/` differs from what the specs under `root/spec` generate.
pub fn stale_files(root: &Path) -> Result<Vec<write::FileChange>, Error> {
    let tree = generate_tree(&root.join("spec"))?;
    let out_dir = root.join("generated");
    write::changes(&tree, &out_dir).map_err(|source| Error::Io {
        path: out_dir,
        source,
    })
}
