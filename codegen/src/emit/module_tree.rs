//! The files that make the endpoint modules a crate: its manifest with one cargo feature per
//! service, `lib.rs`, the platform errors, and each service's and version's module.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{
    doc, module_doc, platform_module, service_errors_module, service_module, service_scopes_module,
    types_module,
};
use crate::model::Endpoint;
use crate::{SharedByVersion, Specs};

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
        "src/{}/{}/{}.rs",
        endpoint.service, endpoint.version, endpoint.module_name
    )
}

/// Endpoints by service, then version, sorted so output never depends on input order.
fn by_service(endpoints: &[Endpoint]) -> BTreeMap<&str, BTreeMap<&str, Vec<&Endpoint>>> {
    let mut services: BTreeMap<&str, BTreeMap<&str, Vec<&Endpoint>>> = BTreeMap::new();
    for endpoint in endpoints {
        services
            .entry(&endpoint.service)
            .or_default()
            .entry(&endpoint.version)
            .or_default()
            .push(endpoint);
    }
    for versions in services.values_mut() {
        for endpoints in versions.values_mut() {
            endpoints.sort_by(|a, b| a.module_name.cmp(&b.module_name));
        }
    }
    services
}

/// The crate's manifest: one cargo feature per service, none on by default, `full` for all.
pub fn cargo_manifest(specs: &Specs) -> String {
    let services = by_service(&specs.endpoints);
    let features: Vec<String> = specs
        .services
        .iter()
        .filter(|service| services.contains_key(service.name.as_str()))
        .map(|service| {
            let count: usize = services[service.name.as_str()].values().map(Vec::len).sum();
            format!(
                "# {}: {count} endpoint{}.\n{} = []",
                service.title.inline(),
                if count == 1 { "" } else { "s" },
                service.name
            )
        })
        .collect();
    let all: Vec<String> = services.keys().map(|name| format!("{name:?}")).collect();
    format!(
        r#"[package]
name = "feishu-openapi"
version = "0.1.0"
description = "Typed Feishu (Lark) Open Platform API, generated from the YAML specs in spec/"
edition.workspace = true
rust-version.workspace = true
license.workspace = true
publish.workspace = true

# Keep this list short: every crate here is compiled by every consumer.
[dependencies]
feishu-openapi-runtime.workspace = true
http.workspace = true
serde.workspace = true
serde_json.workspace = true

# One feature per service: a consumer compiles only the services it enables.
[features]
default = []
# Every service.
full = [{}]
{}

[package.metadata.docs.rs]
all-features = true

[lints]
workspace = true
"#,
        all.join(", "),
        features.join("\n")
    )
}

/// The Rust files that tie the endpoint modules together: `lib.rs`, the platform errors, each
/// service's module and errors, each version's module. Each endpoint's own module is
/// [`endpoint_path`].
pub fn module_tree(specs: &Specs, shared: &SharedByVersion<'_>) -> Vec<ModuleFile> {
    let services = by_service(&specs.endpoints);
    let mut files = Vec::new();

    let feature_rows: Vec<String> = specs
        .services
        .iter()
        .filter(|service| services.contains_key(service.name.as_str()))
        .map(|service| {
            let count: usize = services[service.name.as_str()].values().map(Vec::len).sum();
            format!(
                "| `{}` | [`{}`] | {} | {count} |",
                service.name,
                service.name,
                service.title.inline()
            )
        })
        .collect();
    let crate_doc = module_doc(&format!(
        "Typed Feishu (Lark) Open Platform API, generated from one YAML source of truth.\n\n\
         Every endpoint is described once in `spec/*.yaml` and turned into a module here by \
         the generator in `codegen/`. This crate does no I/O: a request becomes an \
         [`http::Request`], and the status, headers and body you got back decode into the \
         endpoint's typed data or error, so it works with any HTTP client. What every \
         endpoint builds on ([`Endpoint`], [`AccessToken`], [`BaseUrl`], ids, response \
         decoding) comes from `feishu-openapi-runtime` and is re-exported here.\n\n\
         # Features\n\n\
         One cargo feature per service; none is on by default, `full` turns on all. \
         The platform's error codes ([`platform`]) are always there.\n\n\
         | feature | module | service | endpoints |\n|---|---|---|---:|\n{}",
        feature_rows.join("\n")
    ));
    let operation_lists = services.iter().flat_map(|(service, versions)| {
        versions.keys().map(move |version| {
            let (service_ident, version_ident) =
                (format_ident!("{}", service), format_ident!("{}", version));
            quote! {
                #[cfg(feature = #service)]
                all.extend_from_slice(#service_ident::#version_ident::OPERATIONS);
            }
        })
    });
    let service_mods = services.keys().map(|service| {
        let name = format_ident!("{}", service);
        let service_doc = doc(&specs
            .services
            .iter()
            .find(|s| s.name == *service)
            .map(|s| format!("{} (`{}` feature).", s.title.inline(), s.name))
            .unwrap_or_default());
        quote! {
            #service_doc
            #[cfg(feature = #service)]
            #[rustfmt::skip]
            pub mod #name;
        }
    });
    files.push(ModuleFile {
        path: "src/lib.rs".to_owned(),
        tokens: quote! {
            #crate_doc
            #![deny(missing_docs)]
            // The pages' text is kept as written, bare addresses included.
            #![allow(rustdoc::bare_urls)]

            pub use feishu_openapi_runtime::*;

            /// Error codes any endpoint can answer with.
            // Generated code is laid out by prettyplease, not rustfmt: `codegen check` owns
            // its format.
            #[rustfmt::skip]
            pub mod platform;
            pub use platform::PlatformErrorCode;

            /// The traits that requests, errors and codes answer through, and the error type:
            /// `use feishu_openapi::prelude::*;`. A function that returns a service's error
            /// converts an endpoint's with `.map_err(ApiError::into_service)`.
            pub mod prelude {
                pub use crate::{ApiError, Endpoint, EndpointError, PlatformCodes, ServiceCodes};
            }

            /// Every endpoint of the services this build enables, e.g. for a server that
            /// answers each by its spec.
            #[rustfmt::skip]
            pub fn operations() -> Vec<&'static Operation> {
                #[allow(unused_mut)]
                let mut all: Vec<&'static Operation> = Vec::new();
                #(#operation_lists)*
                all
            }

            #(#service_mods)*
        },
        source: "spec/services/*.yaml".to_owned(),
    });
    files.push(ModuleFile {
        path: "src/platform.rs".to_owned(),
        tokens: platform_module(&specs.platform),
        source: format!("spec/{}", specs.platform.spec_name),
    });

    for (service_name, versions) in &services {
        let Some(service) = specs.services.iter().find(|s| s.name == *service_name) else {
            continue;
        };
        let endpoints: Vec<&Endpoint> = versions.values().flatten().copied().collect();
        files.push(ModuleFile {
            path: format!("src/{service_name}/mod.rs"),
            tokens: service_module(service, &endpoints),
            source: format!("spec/{}", service.spec_name),
        });
        files.push(ModuleFile {
            path: format!("src/{service_name}/errors.rs"),
            tokens: service_errors_module(service),
            source: format!("spec/{}", service.spec_name),
        });
        if !service.scopes.is_empty() {
            files.push(ModuleFile {
                path: format!("src/{service_name}/scopes.rs"),
                tokens: service_scopes_module(service),
                source: format!("spec/{}", service.spec_name),
            });
        }
        for (version, version_endpoints) in versions {
            // Each endpoint module's own docs give its title and request type: rustdoc lists
            // them with the modules.
            let version_doc = module_doc(&format!(
                "Endpoints of `{service_name}` `{version}`. Each module holds the endpoint's \
                 consts; its request, response and error types are re-exported here."
            ));
            let endpoint_mods = version_endpoints.iter().map(|e| {
                let module = format_ident!("{}", e.module_name);
                let request = format_ident!("{}Request", e.rust_name);
                let response = format_ident!("{}Response", e.rust_name);
                let error = format_ident!("{}Error", e.rust_name);
                quote! {
                    pub mod #module;
                    pub use #module::{#error, #request, #response};
                }
            });
            let types = shared
                .get(&(service_name.to_string(), version.to_string()))
                .filter(|types| !types.is_empty());
            let types_mod = types.map(|types| {
                files.push(ModuleFile {
                    path: format!("src/{service_name}/{version}/types.rs"),
                    tokens: types_module(types, service_name, version),
                    source: format!("spec/{service_name}.{version}.*.yaml"),
                });
                quote! {
                    /// Types several endpoints share.
                    pub mod types;
                }
            });
            let operations = version_endpoints.iter().map(|e| {
                let module = format_ident!("{}", e.module_name);
                quote!(&#module::OPERATION)
            });
            files.push(ModuleFile {
                path: format!("src/{service_name}/{version}/mod.rs"),
                tokens: quote! {
                    #version_doc
                    /// Every endpoint of this version, as [`Endpoint::OPERATION`](crate::Endpoint::OPERATION) gives each.
                    pub const OPERATIONS: &[&crate::Operation] = &[#(#operations),*];
                    #types_mod
                    #(#endpoint_mods)*
                },
                source: format!("spec/{service_name}.{version}.*.yaml"),
            });
        }
    }
    files
}
