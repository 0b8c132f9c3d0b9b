//! The shared module of platform-wide error codes, which every endpoint's error enum decodes.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::endpoint::en_const;
use super::{doc, module_doc};
use crate::model::{PlatformErrorCode, PlatformErrors};

/// `generated/src/api/platform.rs`: the code table and the `PlatformError` enum.
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
        quote! {
            PlatformErrorInfo {
                code: #code,
                message: #message,
                advice_zh: #zh,
                advice_en: #en,
                retryable: #retryable,
                new_token: #new_token,
            }
        }
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

        use http::StatusCode;

        use crate::{ErrorResponse, PlatformErrorInfo};

        /// The shared error code table, row for row as the spec lists it.
        pub const ERROR_CODES: &[PlatformErrorInfo] = &[#(#rows),*];

        /// A platform-wide error: one variant per code of the shared table, each keeping the
        /// response's status, `msg` and `X-Tt-Logid` request id.
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

            /// The response as decoded.
            pub fn response(&self) -> &ErrorResponse {
                match self {
                    #(Self::#variants(response))|* => response,
                }
            }

            /// The API's `code`.
            pub fn code(&self) -> i64 {
                self.response().code
            }

            /// The HTTP status the response had.
            pub fn http_status(&self) -> StatusCode {
                self.response().status
            }

            /// The documented message of the code.
            pub fn message(&self) -> &'static str {
                self.documented().message
            }

            /// Whether sending the same request again, after a pause, can succeed.
            pub fn is_retryable(&self) -> bool {
                self.documented().retryable
            }

            /// Whether the access token is missing, invalid or expired: get a new token, then
            /// send the request again.
            pub fn needs_new_token(&self) -> bool {
                self.documented().new_token
            }

            /// The `X-Tt-Logid` request id, to quote to Feishu support.
            pub fn log_id(&self) -> Option<&str> {
                self.response().log_id.as_deref()
            }

            /// The table's row for this code, with its troubleshooting advice.
            pub fn documented(&self) -> &'static PlatformErrorInfo {
                match self {
                    #(Self::#variants(_) => &ERROR_CODES[#indexes],)*
                }
            }
        }

        impl fmt::Display for PlatformError {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "platform error {}", self.response())
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
