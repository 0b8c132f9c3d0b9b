//! The shared module of platform-wide error codes, which every endpoint's error enum decodes.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::endpoint::en_const;
use super::{doc, module_doc};
use crate::model::{PlatformErrorCode, PlatformErrors};

/// `generated/src/platform.rs`: the code table and the `PlatformErrorCode` enum.
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
    quote! {
        #module_doc

        use crate::{PlatformCodes, PlatformErrorInfo};

        /// The shared error code table, row for row as the spec lists it.
        pub const ERROR_CODES: &[PlatformErrorInfo] = &[#(#rows),*];

        /// A platform-wide error code: one variant per code of the shared table. Every
        /// endpoint's error holds it in [`Platform`](crate::ApiError::Platform).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum PlatformErrorCode {
            #(
                #variant_docs
                #[doc(alias = #aliases)]
                #variants,
            )*
        }

        impl PlatformCodes for PlatformErrorCode {
            const ALL: &'static [Self] = &[#(Self::#variants),*];
            const ROWS: &'static [PlatformErrorInfo] = ERROR_CODES;
        }
    }
}

fn variant_doc(row: &PlatformErrorCode) -> TokenStream {
    let action = match (row.retryable, row.new_token) {
        (_, true) => "Get a new access token, then send the request again.",
        (true, false) => "A retry can help: back off, then send the request again.",
        (false, false) => "Sending the same request again will fail the same way.",
    };
    doc(&format!(
        "`{}` · `{}`\n\n{}",
        row.code,
        row.message,
        row.advice.compact_with(action)
    ))
}
