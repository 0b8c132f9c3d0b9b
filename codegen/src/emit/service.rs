//! One service's shared items: its error codes, defined once for all its endpoints, and the
//! id types of its required string parameters.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::endpoint::{error_code_info, screaming_snake, service_error_type};
use super::{doc, module_doc};
use crate::model::{Endpoint, Param, Service, ServiceErrorCode};

/// `generated/src/<service>/mod.rs`: the service's docs, its id types and its modules.
pub fn service_module(service: &Service, endpoints: &[&Endpoint]) -> TokenStream {
    let module_doc = module_doc(&format!(
        "The `{}` service: {}.\n\n\
         Each version module holds the endpoints; [`{}`] holds every error code of the \
         service, and the id types below are the checked values of its required string \
         parameters, so that two ids cannot be swapped.\n\n\
         Enabled by the `{}` cargo feature.",
        service.name,
        service.title.inline(),
        service_error_type(service),
        service.name
    ));
    let error_type = format_ident!("{}", service_error_type(service));
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
    quote! {
        #module_doc
        pub mod errors;
        pub use errors::#error_type;
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

/// `generated/src/<service>/errors.rs`: one const per code, the table, and the service's
/// error enum that every endpoint's converts into.
pub fn service_errors_module(service: &Service) -> TokenStream {
    let error_type = format_ident!("{}", service_error_type(service));
    let title = service.title.inline();
    let module_doc = module_doc(&format!(
        "Error codes of the `{}` service ({title}), each defined once: every endpoint's error \
         table refers to these rows, and every endpoint's error enum converts into [`{}`].\n\n\
         Generated from `spec/{}`.",
        service.name,
        service_error_type(service),
        service.spec_name
    ));
    let const_names: Vec<_> = service
        .errors
        .iter()
        .map(|row| format_ident!("{}", screaming_snake(&row.variant)))
        .collect();
    let consts = service.errors.iter().zip(&const_names).map(|(row, name)| {
        let row_doc = doc(&format!(
            "`{}` · HTTP {} · `{}`: [`{}::{}`].",
            row.code,
            row.status,
            row.message,
            service_error_type(service),
            row.variant
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
    let codes = service
        .errors
        .iter()
        .map(|row| Literal::i64_unsuffixed(row.code));
    let enum_doc = doc(&format!(
        "Any error of a `{}` endpoint, whichever endpoint answered: convert an endpoint's \
         error into it (`{}::from(error)`) to handle a code once for the whole service. \
         A code that no endpoint's page documents, but the service does, gets its variant \
         here too.",
        service.name,
        service_error_type(service)
    ));
    let view_body = if variants.is_empty() {
        quote! {
            match self {
                Self::Platform(platform) => platform.view(),
                Self::Unknown(response) => ErrorView::unknown(response),
                Self::MalformedResponse(malformed) => ErrorView::malformed(malformed),
            }
        }
    } else {
        quote! {
            let (response, row) = match self {
                #(Self::#variants(response) => (response, &#const_names),)*
                Self::Platform(platform) => return platform.view(),
                Self::Unknown(response) => return ErrorView::unknown(response),
                Self::MalformedResponse(malformed) => return ErrorView::malformed(malformed),
            };
            ErrorView::documented(response, row)
        }
    };
    let what = format!("a {} call", service.name);
    let undocumented = quote! {
        match PlatformError::from_response(response) {
            Ok(platform) => Self::Platform(platform),
            Err(response) => Self::Unknown(response),
        }
    };
    // A service whose pages document no code: no match on it.
    let from_code = if variants.is_empty() {
        undocumented
    } else {
        quote! {
            match response.code {
                #(#codes => Self::#variants(response),)*
                _ => #undocumented,
            }
        }
    };
    quote! {
        #module_doc

        use std::fmt;

        use crate::{
            EndpointError, ErrorCodeInfo, ErrorResponse, ErrorView, MalformedResponse,
            ResponseFailure,
        };
        use crate::platform::PlatformError;

        #(#consts)*

        /// Every code of the service, as its spec lists them.
        pub const ERROR_CODES: &[ErrorCodeInfo] = &[#(#const_names),*];

        #enum_doc
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum #error_type {
            #(
                #variant_docs
                #[doc(alias = #aliases)]
                #variants(ErrorResponse),
            )*
            /// A platform-wide code (an invalid or expired token, a missing scope, the
            /// platform's rate limit).
            Platform(PlatformError),
            /// A code the service does not document. Match on
            /// [`code()`](EndpointError::code) rather than on this variant: a code the docs
            /// add later moves to a variant of its own.
            Unknown(ErrorResponse),
            /// The body was not the API's JSON envelope, or its `data` did not fit.
            MalformedResponse(MalformedResponse),
        }

        impl EndpointError for #error_type {
            fn view(&self) -> ErrorView<'_> {
                #view_body
            }
        }

        impl From<ResponseFailure> for #error_type {
            fn from(failure: ResponseFailure) -> Self {
                let response = match failure {
                    ResponseFailure::Api(response) => response,
                    ResponseFailure::Malformed(malformed) => {
                        return Self::MalformedResponse(malformed);
                    }
                };
                #from_code
            }
        }

        impl fmt::Display for #error_type {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.view().fmt_failure(f, #what)
            }
        }

        impl std::error::Error for #error_type {}
    }
}

fn variant_doc(row: &ServiceErrorCode) -> TokenStream {
    let retry = if row.retryable {
        "A retry can help: back off, then send the request again."
    } else {
        "Sending the same request again will fail the same way."
    };
    doc(&format!(
        "`{}` · HTTP {} · `{}`\n\n{}\n\n{retry}",
        row.code,
        row.status,
        row.message,
        row.advice.paragraphs(),
    ))
}
