//! Rendered endpoints remembered between runs of `generate`: an endpoint whose spec, service
//! and generator did not change is not rendered again. The cache lives outside `generated/`
//! (under the target dir), and is only a shortcut: a missing, stale or unreadable entry means
//! rendering again, and a hit is taken only when the files on disk are still the ones it
//! rendered.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use crate::model::{Endpoint, Service};

/// One endpoint as rendered: its module, its reference page, and the module's public items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedEndpoint {
    pub module: (String, String),
    pub page: (String, String),
    pub items: Vec<String>,
}

/// The cache of one workspace's rendered endpoints.
pub struct RenderCache {
    dir: PathBuf,
    out_dir: PathBuf,
    /// Changes with every build of the generator, so that its output under another build is
    /// never taken for this one's.
    generator: u64,
    /// Endpoints taken from the cache in this run.
    hits: AtomicUsize,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    key: u64,
    module_hash: u64,
    page_hash: u64,
    items: Vec<String>,
}

fn hash_of(value: impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

impl RenderCache {
    /// The cache in `dir`, for output under `out_dir`; `None` when the generator's own
    /// binary cannot be read to tell its build apart.
    pub fn open(dir: PathBuf, out_dir: PathBuf) -> Option<RenderCache> {
        let binary = std::env::current_exe().ok()?;
        let generator = hash_of(std::fs::read(binary).ok()?);
        Some(RenderCache {
            dir,
            out_dir,
            generator,
            hits: AtomicUsize::new(0),
        })
    }

    /// What an endpoint's rendering depends on: the generator, the endpoint and its service.
    pub fn key(&self, endpoint: &Endpoint, service: &Service) -> u64 {
        hash_of((
            self.generator,
            format!("{endpoint:?}"),
            format!("{service:?}"),
        ))
    }

    fn entry_path(&self, endpoint: &Endpoint) -> PathBuf {
        self.dir.join(format!("{}.json", endpoint.operation_id))
    }

    /// The endpoint as last rendered under `key`, when its files on disk are still that.
    pub fn lookup(
        &self,
        endpoint: &Endpoint,
        key: u64,
        module: &str,
        page: &str,
    ) -> Option<RenderedEndpoint> {
        let entry: Entry =
            serde_json::from_slice(&std::fs::read(self.entry_path(endpoint)).ok()?).ok()?;
        if entry.key != key {
            return None;
        }
        let module_text = read(&self.out_dir.join(module))?;
        let page_text = read(&self.out_dir.join(page))?;
        if hash_of(&module_text) != entry.module_hash || hash_of(&page_text) != entry.page_hash {
            return None;
        }
        self.hits.fetch_add(1, Ordering::Relaxed);
        Some(RenderedEndpoint {
            module: (module.to_owned(), module_text),
            page: (page.to_owned(), page_text),
            items: entry.items,
        })
    }

    /// How many endpoints this run took from the cache.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// Remembers a rendering. A cache that cannot be written only costs the next run time.
    pub fn store(&self, endpoint: &Endpoint, key: u64, rendered: &RenderedEndpoint) {
        let entry = Entry {
            key,
            module_hash: hash_of(&rendered.module.1),
            page_hash: hash_of(&rendered.page.1),
            items: rendered.items.clone(),
        };
        if let Ok(json) = serde_json::to_vec(&entry) {
            let _ = std::fs::create_dir_all(&self.dir);
            let _ = std::fs::write(self.entry_path(endpoint), json);
        }
    }
}

fn read(path: &Path) -> Option<String> {
    String::from_utf8(std::fs::read(path).ok()?).ok()
}
