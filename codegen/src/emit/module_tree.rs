//! The module files that tie endpoint modules into the crate: `api/<service>/<version>/`.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc, module_doc, platform_module};
use crate::model::{Endpoint, PlatformErrors};

/// A Rust file to generate, and the specs it comes from.
pub struct ModuleFile {
    /// Path under `generated/`.
    pub path: String,
    pub tokens: TokenStream,
    /// The specs it comes from, as the header cites them (`spec/x.yaml` or a glob).
    pub source: String,
}

/// Where an endpoint's own module goes, under `generated/`.
pub fn endpoint_path(endpoint: &Endpoint) -> String {
    format!(
        "src/api/{}/{}/{}.rs",
        endpoint.service, endpoint.version, endpoint.module_name
    )
}

/// The Rust files under `generated/src/api/` that tie the endpoint modules together: the
/// module tree and the platform errors. Each endpoint's own module is [`endpoint_path`].
pub fn module_tree(endpoints: &[Endpoint], platform: &PlatformErrors) -> Vec<ModuleFile> {
    // service -> version -> endpoints, sorted so output never depends on input order.
    let mut services: BTreeMap<&str, BTreeMap<&str, Vec<&Endpoint>>> = BTreeMap::new();
    for endpoint in endpoints {
        services
            .entry(&endpoint.service)
            .or_default()
            .entry(&endpoint.version)
            .or_default()
            .push(endpoint);
    }
    let mut files = Vec::new();

    let service_mods = services.keys().map(|service| {
        let name = format_ident!("{}", service);
        let service_doc = doc(&format!("The `{service}` service."));
        quote!(#service_doc pub mod #name;)
    });
    files.push(ModuleFile {
        path: "src/api/mod.rs".to_owned(),
        tokens: quote! {
            //! Endpoints, by service and version, and the platform-wide error codes; the crate
            //! root re-exports these modules.
            /// Error codes any endpoint can answer with.
            pub mod platform;
            #(#service_mods)*
        },
        source: "spec/*.yaml".to_owned(),
    });
    files.push(ModuleFile {
        path: "src/api/platform.rs".to_owned(),
        tokens: platform_module(platform),
        source: format!("spec/{}", platform.spec_name),
    });

    for (service, versions) in &services {
        let version_mods = versions.keys().map(|version| {
            let name = format_ident!("{}", version);
            let version_doc = module_doc(&format!("Version `{version}` of the `{service}` API."));
            quote!(#version_doc pub mod #name;)
        });
        files.push(ModuleFile {
            path: format!("src/api/{service}/mod.rs"),
            tokens: quote!(#(#version_mods)*),
            source: format!("spec/{service}.*.yaml"),
        });

        for (version, version_endpoints) in versions {
            let mut sorted = version_endpoints.clone();
            sorted.sort_by(|a, b| a.module_name.cmp(&b.module_name));
            let listing: Vec<String> = sorted
                .iter()
                .map(|e| {
                    format!(
                        "- [`{}Request`] · {} (`{}`)",
                        e.rust_name,
                        e.title.inline(),
                        e.operation_id
                    )
                })
                .collect();
            let version_doc = module_doc(&format!(
                "Endpoints of `{service}` `{version}`. Each module holds the endpoint's consts; \
                 its request, response and error types are re-exported here.\n\n{}",
                listing.join("\n")
            ));
            let endpoint_mods = sorted.iter().map(|e| {
                let module = format_ident!("{}", e.module_name);
                let request = format_ident!("{}Request", e.rust_name);
                let response = format_ident!("{}Response", e.rust_name);
                let error = format_ident!("{}Error", e.rust_name);
                let module_doc = doc(&e.title.inline());
                quote! {
                    #module_doc
                    pub mod #module;
                    pub use #module::{#error, #request, #response};
                }
            });
            files.push(ModuleFile {
                path: format!("src/api/{service}/{version}/mod.rs"),
                tokens: quote!(#version_doc #(#endpoint_mods)*),
                source: format!("spec/{service}.{version}.*.yaml"),
            });
        }
    }
    files
}
