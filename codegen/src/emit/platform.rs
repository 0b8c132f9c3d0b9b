//! The shared module of platform-wide error codes, which every endpoint's error enum decodes.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::endpoint::en_const;
use super::{doc, module_doc};
use crate::model::{PlatformErrorCode, PlatformErrors};

/// `generated/src/platform.rs`: the code table and the `PlatformError` enum.
pub fn platform_module(platform: &PlatformErrors) -> TokenStream {
    let module_doc = module_doc(&format!(
        "{}: codes the platform answers any endpoint with (token, scope, rate limit).\n\n\
         Every endpoint's error enum decodes these as its `Platform` variant, after the \
         endpoint's own documented codes.\n\n\
         Generated from `spec/{}`; upstream page: <{}> (last updated {}).",
        platform.title.inline(),
        platform.spec_name,
        platform.source_url,
        platform.last_updated
    ));
    let rows = platform.codes.iter().map(|row| {
        let code = Literal::i64_unsuffixed(row.code);
        let (message, zh, en) = (&row.message, &row.advice.zh, en_const(&row.advice));
        let (retryable, new_token) = (row.retryable, row.new_token);
        quote!(PlatformErrorInfo::new(#code, #message, #zh, #en, #retryable, #new_token))
    });
    let variants: Vec<_> = platform
        .codes
        .iter()
        .map(|row| format_ident!("{}", row.variant))
        .collect();
    let variant_docs = platform.codes.iter().map(variant_doc);
    let aliases = platform.codes.iter().map(|row| row.code.to_string());
    let codes = platform
        .codes
        .iter()
        .map(|row| Literal::i64_unsuffixed(row.code));
    let indexes = (0..platform.codes.len()).map(Literal::usize_unsuffixed);
    quote! {
        #module_doc

        use std::fmt;

        use crate::{EndpointError, ErrorResponse, ErrorView, PlatformErrorInfo};

        /// The shared error code table, row for row as the spec lists it.
        pub const ERROR_CODES: &[PlatformErrorInfo] = &[#(#rows),*];

        /// A platform-wide error: one variant per code of the shared table, each keeping the
        /// response's status, `msg` and `X-Tt-Logid` request id; [`EndpointError`] answers
        /// `code()`, `needs_new_token()` and the rest.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum PlatformError {
            #(
                #variant_docs
                #[doc(alias = #aliases)]
                #variants(ErrorResponse),
            )*
        }

        impl PlatformError {
            /// The platform error for this response's code, or the response back when the
            /// code is not a platform code.
            pub fn from_response(response: ErrorResponse) -> Result<Self, ErrorResponse> {
                match response.code {
                    #(#codes => Ok(Self::#variants(response)),)*
                    _ => Err(response),
                }
            }
        }

        impl EndpointError for PlatformError {
            fn view(&self) -> ErrorView<'_> {
                let (response, row) = match self {
                    #(Self::#variants(response) => (response, #indexes),)*
                };
                ErrorView::platform(response, &ERROR_CODES[row])
            }
        }

        impl fmt::Display for PlatformError {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("platform error ")?;
                self.view().fmt_response(f)
            }
        }

        impl std::error::Error for PlatformError {}
    }
}

fn variant_doc(row: &PlatformErrorCode) -> TokenStream {
    let action = match (row.retryable, row.new_token) {
        (_, true) => "Get a new access token, then send the request again.",
        (true, false) => "A retry can help: back off, then send the request again.",
        (false, false) => "Sending the same request again will fail the same way.",
    };
    doc(&format!(
        "`{}` · `{}`\n\n{}\n\n{action}",
        row.code,
        row.message,
        row.advice.paragraphs()
    ))
}
