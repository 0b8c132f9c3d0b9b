//! One service's shared items: its error codes, defined once for all its endpoints, and the
//! id types of its required string parameters.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::endpoint::{error_code_info, screaming_snake, service_code_type, service_error_type};
use super::{doc, module_doc};
use crate::model::{Endpoint, Param, Service, ServiceErrorCode};

/// `generated/src/<service>/mod.rs`: the service's docs, its id types and its modules.
pub fn service_module(service: &Service, endpoints: &[&Endpoint]) -> TokenStream {
    let module_doc = module_doc(&format!(
        "The `{}` service: {}.\n\n\
         Each version module holds the endpoints; [`{error}`](crate::{name}::{error}) holds \
         every error code of the service, and the id types below are the checked values of \
         its required string parameters, so that two ids cannot be swapped.\n\n\
         Enabled by the `{name}` cargo feature.",
        service.name,
        service.title.inline(),
        error = service_error_type(service),
        name = service.name
    ));
    let error_type = format_ident!("{}", service_error_type(service));
    let code_type = format_ident!("{}", service_code_type(service));
    let mut versions: Vec<&str> = endpoints.iter().map(|e| e.version.as_str()).collect();
    versions.sort_unstable();
    versions.dedup();
    let version_mods = versions.iter().map(|version| {
        let name = format_ident!("{}", version);
        let version_doc = doc(&format!(
            "Version `{version}` of the `{}` API.",
            service.name
        ));
        quote!(#version_doc pub mod #name;)
    });
    let ids = service_ids(endpoints).into_iter().map(|(name, params)| {
        let id_type = format_ident!("{}", name);
        let kind = format_ident!("{}Kind", name);
        let wire = &params[0].0.name;
        let in_path = params.iter().any(|(_, in_path)| *in_path);
        let (rule, query_only) = if in_path {
            (
                "not empty, and not `.` or `..` (it is a path segment)",
                quote!(),
            )
        } else {
            (
                "not empty",
                quote!(
                    const IN_PATH: bool = false;
                ),
            )
        };
        let id_doc = doc(&format!(
            "A checked `{wire}`: {rule}. Make one with `{name}::new(value)?`."
        ));
        let kind_doc = doc(&format!("Which parameter a [`{name}`] is the value of."));
        quote! {
            #id_doc
            pub type #id_type = crate::Id<#kind>;
            #kind_doc
            #[derive(Debug)]
            pub enum #kind {}
            impl crate::IdKind for #kind {
                const PARAM: &'static str = #wire;
                #query_only
            }
        }
    });
    let scopes_mod = (!service.scopes.is_empty()).then(|| {
        quote!(
            pub mod scopes;
        )
    });
    quote! {
        #module_doc
        pub mod errors;
        pub use errors::{#code_type, #error_type};
        #scopes_mod
        #(#version_mods)*
        #(#ids)*
    }
}

/// The id types of a service: each required string parameter of its endpoints, by type name,
/// with whether it is a path parameter there.
pub fn service_ids<'e>(endpoints: &[&'e Endpoint]) -> BTreeMap<String, Vec<(&'e Param, bool)>> {
    let mut ids: BTreeMap<String, Vec<(&Param, bool)>> = BTreeMap::new();
    for endpoint in endpoints {
        let path = endpoint.path_params.iter().map(|param| (param, true));
        let query = endpoint.query_params.iter().map(|param| (param, false));
        for (param, in_path) in path.chain(query) {
            if param.is_id() {
                ids.entry(param.id_type())
                    .or_default()
                    .push((param, in_path));
            }
        }
    }
    ids
}

/// `generated/src/<service>/errors.rs`: one const per code, the table, the service's code enum
/// that every endpoint's error refers to, and the service's error type.
pub fn service_errors_module(service: &Service) -> TokenStream {
    let error_type = format_ident!("{}", service_error_type(service));
    let code_type = format_ident!("{}", service_code_type(service));
    let title = service.title.inline();
    let module_doc = module_doc(&format!(
        "Error codes of the `{}` service ({title}), each defined once: every endpoint's error \
         table refers to these rows, and every endpoint's error holds a [`{code_type}`].\n\n\
         Generated from `spec/{}`.",
        service.name, service.spec_name
    ));
    let const_names: Vec<_> = service
        .errors
        .iter()
        .map(|row| format_ident!("{}", screaming_snake(&row.variant)))
        .collect();
    let consts = service.errors.iter().zip(&const_names).map(|(row, name)| {
        let row_doc = doc(&format!(
            "`{}` · HTTP {} · `{}`: [`{code_type}::{}`].",
            row.code, row.status, row.message, row.variant
        ));
        let value = error_code_info(
            row.code,
            row.status,
            &row.message,
            &row.advice,
            row.retryable,
        );
        quote!(#row_doc pub const #name: ErrorCodeInfo = #value;)
    });
    let variants: Vec<_> = service
        .errors
        .iter()
        .map(|row| format_ident!("{}", row.variant))
        .collect();
    let variant_docs = service.errors.iter().map(variant_doc);
    let aliases = service.errors.iter().map(|row| row.code.to_string());
    let code_doc = doc(&format!(
        "A code the `{}` service documents: one variant per code, named once for every \
         endpoint of the service. An endpoint's error holds it in \
         [`Documented`](crate::ApiError::Documented).",
        service.name
    ));
    let error_doc = doc(&format!(
        "Any error of a `{}` endpoint, whichever endpoint answered: an endpoint's error \
         becomes one with [`into_service`](crate::ApiError::into_service), to handle a code once \
         for the whole service; a code no endpoint's page documents, but the service does, is \
         [`Documented`](crate::ApiError::Documented) here too.",
        service.name
    ));
    let article = if service.name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    let context = format!("{article} {} call", service.name);
    quote! {
        #module_doc

        use crate::{ApiError, ErrorCodeInfo, ErrorTable, PlatformErrorCode, ServiceCodes};

        #(#consts)*

        /// Every code of the service, as its spec lists them.
        pub const ERROR_CODES: &[ErrorCodeInfo] = &[#(#const_names),*];

        #code_doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #code_type {
            #(
                #variant_docs
                #[doc(alias = #aliases)]
                #variants,
            )*
        }

        impl ServiceCodes for #code_type {
            const ALL: &'static [Self] = &[#(Self::#variants),*];
            const ROWS: &'static [ErrorCodeInfo] = ERROR_CODES;
        }

        impl ErrorTable for #code_type {
            type Code = Self;
            type Platform = PlatformErrorCode;
            type Service = Self;
            const CONTEXT: &'static str = #context;
            const ROWS: &'static [ErrorCodeInfo] = ERROR_CODES;
        }

        #error_doc
        pub type #error_type = ApiError<#code_type>;
    }
}

fn variant_doc(row: &ServiceErrorCode) -> TokenStream {
    let retry = if row.retryable {
        "A retry can help: back off, then send the request again."
    } else {
        "Sending the same request again will fail the same way."
    };
    doc(&format!(
        "`{}` · HTTP {} · `{}`\n\n{}",
        row.code,
        row.status,
        row.message,
        row.advice.compact_with(retry),
    ))
}

/// `generated/src/<service>/scopes.rs`: one const per scope the service's endpoints name,
/// labelled once, that every endpoint's `OPERATION` refers to.
pub fn service_scopes_module(service: &Service) -> TokenStream {
    let module_doc = module_doc(&format!(
        "Scopes the `{}` service's endpoints ask for, each defined once, with the label the \
         developer console shows (from the first page, by operation id, that names it). An \
         endpoint whose page labels a scope its own way states it in its own `OPERATION`.\n\n\
         Generated from the endpoint specs of `spec/{}`'s service.",
        service.name, service.spec_name
    ));
    let consts = service.scopes.iter().filter_map(|known| {
        let name = format_ident!("{}", known.const_name.as_deref()?);
        let scope = &known.scope;
        let scope_name = &scope.name;
        let (zh, en) = scope.label.as_ref().map_or(("", ""), |label| {
            (label.zh.as_str(), label.en.as_deref().unwrap_or_default())
        });
        let scope_doc = doc(&match &scope.label {
            Some(label) => format!("`{scope_name}`: {}", label.inline()),
            None => format!("`{scope_name}`"),
        });
        Some(quote! {
            #scope_doc
            pub const #name: Scope = Scope::new(#scope_name, #zh, #en);
        })
    });
    quote! {
        #module_doc
        use crate::Scope;
        #(#consts)*
    }
}
