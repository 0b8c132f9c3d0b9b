//! Rendered endpoints remembered between runs of `generate`: an endpoint whose spec, service
//! and generator did not change is not rendered again. The cache lives outside `generated/`
//! (under the target dir) and is only a shortcut: a missing, stale or unreadable cache means
//! rendering again, and an endpoint is taken from it only while its files on disk are still
//! the ones it wrote (same length and modification time).

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::model::{Endpoint, Service};

/// One endpoint as rendered: its module, its reference page, and the module's public items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedEndpoint {
    /// Path under `generated/` and text.
    pub module: (String, String),
    /// Path under `generated/` and text.
    pub page: (String, String),
    pub items: Vec<String>,
}

/// An endpoint the cache vouches for: its files on disk are what it would render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptEndpoint {
    pub module: String,
    pub page: String,
    pub items: Vec<String>,
}

/// The cache of one workspace's rendered endpoints.
pub struct RenderCache {
    path: PathBuf,
    out_dir: PathBuf,
    /// Changes with every build of the generator, so that its output under another build is
    /// never taken for this one's.
    generator: u64,
    entries: Mutex<HashMap<String, Entry>>,
    /// Endpoints rendered in this run, to remember once their files are written.
    rendered: Mutex<Vec<Rendering>>,
}

/// One endpoint rendered in this run: its operation id, key, file paths and public items.
struct Rendering {
    operation_id: String,
    key: u64,
    module: String,
    page: String,
    items: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    key: u64,
    module: Stamp,
    page: Stamp,
    items: Vec<String>,
}

/// What tells a file rewritten since: its length and modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    len: u64,
    modified_ns: u128,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let metadata = std::fs::metadata(path).ok()?;
        let modified = metadata.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(Stamp {
            len: metadata.len(),
            modified_ns: modified.as_nanos(),
        })
    }
}

fn hash_of(value: impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

impl RenderCache {
    /// The cache file `path`, for output under `out_dir`; `None` when the generator's own
    /// binary cannot be read to tell its build apart.
    pub fn open(path: PathBuf, out_dir: PathBuf) -> Option<RenderCache> {
        let binary = std::env::current_exe().ok()?;
        let generator = hash_of(std::fs::read(binary).ok()?);
        let entries = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Some(RenderCache {
            path,
            out_dir,
            generator,
            entries: Mutex::new(entries),
            rendered: Mutex::new(Vec::new()),
        })
    }

    /// What an endpoint's rendering depends on: the generator, the endpoint, its service and
    /// which of its structs its service version shares.
    pub fn key(
        &self,
        endpoint: &Endpoint,
        service: &Service,
        shared: &crate::emit::SharedUse,
    ) -> u64 {
        hash_of((self.generator, endpoint, service, shared))
    }

    /// The endpoint as last rendered under `key`, when its files on disk are still that.
    pub fn lookup(
        &self,
        endpoint: &Endpoint,
        key: u64,
        module: &str,
        page: &str,
    ) -> Option<KeptEndpoint> {
        let entries = self.entries.lock().ok()?;
        let entry = entries.get(&endpoint.operation_id)?;
        let unchanged = entry.key == key
            && Stamp::of(&self.out_dir.join(module)) == Some(entry.module)
            && Stamp::of(&self.out_dir.join(page)) == Some(entry.page);
        unchanged.then(|| KeptEndpoint {
            module: module.to_owned(),
            page: page.to_owned(),
            items: entry.items.clone(),
        })
    }

    /// Notes a rendering, to remember once its files are on disk ([`save`](Self::save)).
    pub fn rendered(&self, endpoint: &Endpoint, key: u64, rendered: &RenderedEndpoint) {
        if let Ok(mut list) = self.rendered.lock() {
            list.push(Rendering {
                operation_id: endpoint.operation_id.clone(),
                key,
                module: rendered.module.0.clone(),
                page: rendered.page.0.clone(),
                items: rendered.items.clone(),
            });
        }
    }

    /// How many endpoints this run rendered; the others came from the cache.
    pub fn rendered_count(&self) -> usize {
        self.rendered.lock().map_or(0, |list| list.len())
    }

    /// Remembers this run's renderings, now that their files are written, and forgets
    /// endpoints that are gone. A cache that cannot be written only costs the next run time.
    pub fn save(&self, endpoints: &[Endpoint]) {
        let (Ok(mut entries), Ok(rendered)) = (self.entries.lock(), self.rendered.lock()) else {
            return;
        };
        for rendering in rendered.iter() {
            let stamps = (
                Stamp::of(&self.out_dir.join(&rendering.module)),
                Stamp::of(&self.out_dir.join(&rendering.page)),
            );
            if let (Some(module), Some(page)) = stamps {
                let entry = Entry {
                    key: rendering.key,
                    module,
                    page,
                    items: rendering.items.clone(),
                };
                entries.insert(rendering.operation_id.clone(), entry);
            }
        }
        entries.retain(|id, _| endpoints.iter().any(|e| &e.operation_id == id));
        if let Ok(json) = serde_json::to_vec(&*entries) {
            if let Some(parent) = self.path.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            let _ = std::fs::write(&self.path, json);
        }
    }
}
