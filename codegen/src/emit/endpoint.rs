//! One endpoint's module: consts, request, response data and error enum.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{doc, ident, module_doc};
use crate::model::{
    AppType, Endpoint, ErrorCode, Field, FieldType, HttpMethod, Param, PathPart, RatePeriod,
    TokenType,
};

/// The whole module for one endpoint.
pub fn endpoint_module(endpoint: &Endpoint) -> TokenStream {
    let module_doc = endpoint_module_doc(endpoint);
    let consts = consts(endpoint);
    let request = request(endpoint);
    let response = response(endpoint);
    let error = error_enum(endpoint);
    quote! {
        #module_doc

        use std::fmt;

        use http::StatusCode;

        use crate::{
            AppType, Endpoint, EndpointError, ErrorCodeInfo, ErrorResponse, InvalidParam,
            MalformedResponse, Operation, PathAndQuery, RateLimit, RatePeriod, ResponseFailure,
            Scope, TokenType,
        };

        #consts
        #request
        #response
        #error
    }
}

fn endpoint_module_doc(e: &Endpoint) -> TokenStream {
    module_doc(&format!(
        "{} · {}\n\n{}\n\n{}\n\nGenerated from `spec/{}`; upstream page: <{}>.",
        e.title.zh, e.title.en, e.description.zh, e.description.en, e.spec_name, e.source_url
    ))
}

fn request_type(e: &Endpoint) -> proc_macro2::Ident {
    format_ident!("{}Request", e.rust_name)
}

fn response_type(e: &Endpoint) -> proc_macro2::Ident {
    format_ident!("{}Response", e.rust_name)
}

fn error_type(e: &Endpoint) -> proc_macro2::Ident {
    format_ident!("{}Error", e.rust_name)
}

fn token_type(token_type: TokenType) -> TokenStream {
    match token_type {
        TokenType::Tenant => quote!(TokenType::Tenant),
        TokenType::User => quote!(TokenType::User),
    }
}

fn consts(e: &Endpoint) -> TokenStream {
    let operation_id = &e.operation_id;
    let path_template = &e.path_template;
    let method = match e.method {
        HttpMethod::Get => quote!(http::Method::GET),
        HttpMethod::Post => quote!(http::Method::POST),
        HttpMethod::Put => quote!(http::Method::PUT),
        HttpMethod::Patch => quote!(http::Method::PATCH),
        HttpMethod::Delete => quote!(http::Method::DELETE),
    };
    let token_types = e.token_types.iter().map(|t| token_type(*t));
    let token_names: Vec<String> = e
        .token_types
        .iter()
        .map(|t| match t {
            TokenType::Tenant => "`tenant_access_token` (as the app)".to_owned(),
            TokenType::User => "`user_access_token` (as a user)".to_owned(),
        })
        .collect();
    let token_doc = doc(&format!(
        "Token types the endpoint accepts: {}.\n\n{}\n\n{}\n\nExample header: `Authorization: {}`",
        token_names.join(", "),
        e.auth_description.zh,
        e.auth_description.en,
        e.auth_example
    ));
    let scopes = e.scopes.iter().map(|scope| {
        let (name, zh, en) = (&scope.name, &scope.label.zh, &scope.label.en);
        quote!(Scope { name: #name, label_zh: #zh, label_en: #en })
    });
    let scope_lines: Vec<String> = e
        .scopes
        .iter()
        .map(|s| format!("- `{}`: {} ({})", s.name, s.label.zh, s.label.en))
        .collect();
    let scopes_doc = doc(&format!(
        "Scopes of which the app needs any one (开启其中任意一项权限即可调用):\n\n{}",
        scope_lines.join("\n")
    ));
    let rate_limits = e.rate_limits.iter().map(|limit| {
        let count = Literal::u32_unsuffixed(limit.limit);
        let period = match limit.period {
            RatePeriod::Second => quote!(RatePeriod::Second),
            RatePeriod::Minute => quote!(RatePeriod::Minute),
        };
        quote!(RateLimit { limit: #count, period: #period })
    });
    let rate_doc = doc(&format!(
        "Rate limits, all applying at once: {} ([频控策略 · rate limiting]({})).",
        rate_limit_text(e),
        e.rate_limit_doc_url
    ));
    let app_types = e.app_types.iter().map(|app_type| match app_type {
        AppType::Custom => quote!(AppType::Custom),
        AppType::Store => quote!(AppType::Store),
    });
    let app_doc = doc(&format!(
        "Kinds of app that may call the endpoint: {}.",
        app_type_text(e)
    ));
    let doc_url = &e.source_url;
    let doc_url_doc = doc(&format!(
        "The upstream documentation page, last updated {}.",
        e.last_updated
    ));
    let error_rows = e.errors.iter().map(|row| {
        let code = Literal::i64_unsuffixed(row.code);
        let status = Literal::u16_unsuffixed(row.status);
        let message = &row.message;
        let (zh, en, retryable) = (&row.advice.zh, &row.advice.en, row.retryable);
        quote! {
            ErrorCodeInfo {
                code: #code,
                http_status: #status,
                message: #message,
                advice_zh: #zh,
                advice_en: #en,
                retryable: #retryable,
            }
        }
    });
    let errors_doc = doc(&format!(
        "The page's error table, row for row. More codes: [通用错误码 · common error codes]({}).",
        e.errors_more_info_url
    ));
    let (title_zh, title_en) = (&e.title.zh, &e.title.en);
    quote! {
        /// The id the official SDKs and docs use for this endpoint.
        pub const OPERATION_ID: &str = #operation_id;
        /// HTTP method.
        pub const METHOD: http::Method = #method;
        /// Path with `:name` placeholders, as the docs write it.
        pub const PATH_TEMPLATE: &str = #path_template;
        #token_doc
        pub const TOKEN_TYPES: &[TokenType] = &[#(#token_types),*];
        #scopes_doc
        pub const SCOPES: &[Scope] = &[#(#scopes),*];
        #rate_doc
        pub const RATE_LIMITS: &[RateLimit] = &[#(#rate_limits),*];
        #app_doc
        pub const APP_TYPES: &[AppType] = &[#(#app_types),*];
        #doc_url_doc
        pub const DOC_URL: &str = #doc_url;
        #errors_doc
        pub const ERROR_CODES: &[ErrorCodeInfo] = &[#(#error_rows),*];
        /// All of the above in one value, as [`Endpoint::OPERATION`] gives it.
        pub const OPERATION: Operation = Operation {
            id: OPERATION_ID,
            title_zh: #title_zh,
            title_en: #title_en,
            method: METHOD,
            path_template: PATH_TEMPLATE,
            token_types: TOKEN_TYPES,
            scopes: SCOPES,
            rate_limits: RATE_LIMITS,
            app_types: APP_TYPES,
            doc_url: DOC_URL,
        };
    }
}

pub(crate) fn rate_limit_text(e: &Endpoint) -> String {
    let limits: Vec<String> = e
        .rate_limits
        .iter()
        .map(|limit| match limit.period {
            RatePeriod::Second => format!("{} 次/秒 ({}/s)", limit.limit, limit.limit),
            RatePeriod::Minute => format!("{} 次/分钟 ({}/min)", limit.limit, limit.limit),
        })
        .collect();
    limits.join(", ")
}

pub(crate) fn app_type_text(e: &Endpoint) -> String {
    let types: Vec<String> = e
        .app_types
        .iter()
        .map(|t| {
            let en = match t {
                AppType::Custom => "custom app",
                AppType::Store => "store app",
            };
            format!("{} ({en})", t.label_zh())
        })
        .collect();
    types.join(", ")
}

/// Params in constructor order: path first, then query.
fn all_params(e: &Endpoint) -> impl Iterator<Item = (&Param, bool)> {
    let path = e.path_params.iter().map(|p| (p, true));
    let query = e.query_params.iter().map(|p| (p, false));
    path.chain(query)
}

fn param_doc(param: &Param) -> String {
    format!(
        "{}\n\n{}\n\nExample: `{}`",
        param.description.zh, param.description.en, param.example
    )
}

fn request(e: &Endpoint) -> TokenStream {
    let request_type = request_type(e);
    let response_type = response_type(e);
    let error_type = error_type(e);
    let module_path = format!("{}::{}", e.service, e.version);
    let (title_zh, title_en) = (&e.title.zh, &e.title.en);
    let aliases = [
        e.title.zh.clone(),
        e.title.en.to_lowercase(),
        e.sdk_name.clone(),
        e.operation_id.clone(),
    ];
    let notes: Vec<String> = e
        .notes
        .iter()
        .map(|note| format!("- {}\n  {}", note.zh, note.en))
        .collect();
    let notes_section = if notes.is_empty() {
        String::new()
    } else {
        format!("\n\n# 注意事项 · Notes\n\n{}", notes.join("\n"))
    };
    let scopes: Vec<String> = e.scopes.iter().map(|s| format!("`{}`", s.name)).collect();
    let examples: Vec<String> = all_params(e)
        .map(|(param, _)| format!("{:?}", param.example))
        .collect();
    let request_doc = doc(&format!(
        "{title_zh} · {title_en}: `{} {}`.\n\n{}\n\n{}{notes_section}\n\n\
         # Access\n\n\
         - Tokens: {}\n- Scopes, any one of: {}\n- Rate limits: {}\n- App types: {}\n\n\
         Upstream page: <{}> (updated {}).\n\n\
         # Example\n\n\
         ```\n\
         use feishu_openapi::{module_path}::{request_type};\n\n\
         let request = {request_type}::new({})?;\n\
         # Ok::<(), feishu_openapi::InvalidParam>(())\n\
         ```",
        e.method.as_str(),
        e.path_template,
        e.description.zh,
        e.description.en,
        e.token_types
            .iter()
            .map(|t| match t {
                TokenType::Tenant => "`tenant_access_token`",
                TokenType::User => "`user_access_token`",
            })
            .collect::<Vec<_>>()
            .join(", "),
        scopes.join(", "),
        rate_limit_text(e),
        app_type_text(e),
        e.source_url,
        e.last_updated,
        examples.join(", "),
    ));

    let fields = all_params(e).map(|(param, _)| {
        let name = ident(&param.name);
        quote!(#name: String)
    });
    let new_args = all_params(e).map(|(param, _)| {
        let name = ident(&param.name);
        quote!(#name: impl Into<String>)
    });
    let new_checks = all_params(e).map(|(param, in_path)| {
        let name = ident(&param.name);
        let wire_name = &param.name;
        let check = if in_path {
            quote!(crate::params::check_path_id)
        } else {
            quote!(crate::params::check_required)
        };
        quote! {
            let #name = #name.into();
            #check(#wire_name, &#name)?;
        }
    });
    let field_names = all_params(e).map(|(param, _)| ident(&param.name));
    let getters = all_params(e).map(|(param, _)| {
        let name = ident(&param.name);
        let getter_doc = doc(&param_doc(param));
        quote! {
            #getter_doc
            pub fn #name(&self) -> &str {
                &self.#name
            }
        }
    });
    let writes = e.path.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(out.literal(#text);),
        PathPart::Param(index) => {
            let name = ident(&e.path_params[*index].name);
            quote!(out.segment(&self.#name);)
        }
    });
    let queries = e.query_params.iter().map(|param| {
        let name = ident(&param.name);
        let wire_name = &param.name;
        quote!(out.query(#wire_name, &self.#name);)
    });
    let new_errors_doc = doc(&format!(
        "# Errors\n\n[`InvalidParam`] when {}.",
        "a value is empty, or a path id is `.` or `..`"
    ));
    quote! {
        #request_doc
        #(#[doc(alias = #aliases)])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct #request_type {
            #(#fields,)*
        }

        impl #request_type {
            /// Checks every parameter, so that a request that exists can be sent.
            ///
            #new_errors_doc
            pub fn new(#(#new_args),*) -> Result<Self, InvalidParam> {
                #(#new_checks)*
                Ok(#request_type { #(#field_names),* })
            }

            #(#getters)*
        }

        impl Endpoint for #request_type {
            const OPERATION: &'static Operation = &OPERATION;
            type Response = #response_type;
            type Error = #error_type;

            fn write_path_and_query(&self, out: &mut PathAndQuery) {
                #(#writes)*
                #(#queries)*
            }
        }
    }
}

fn response(e: &Endpoint) -> TokenStream {
    let response_type = response_type(e);
    let (title_zh, title_en) = (&e.title.zh, &e.title.en);
    let envelope: Vec<String> = e
        .envelope
        .iter()
        .map(|f| {
            format!(
                "- `{}` ({}): {} · {}",
                f.name,
                f.field_type.name(),
                f.description.zh,
                f.description.en
            )
        })
        .collect();
    let shape = if e.data.is_empty() {
        "It is an empty object: success carries no data."
    } else {
        "Fields the server leaves out read as `None`."
    };
    let response_doc = doc(&format!(
        "The `data` of a successful {title_zh} ({title_en}) response. {shape}\n\n\
         The response body is the envelope:\n\n{}\n\nExample:\n\n```json\n{}\n```",
        envelope.join("\n"),
        e.response_example.trim_end()
    ));
    let fields = e.data.iter().map(data_field);
    quote! {
        #response_doc
        #[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
        pub struct #response_type {
            #(#fields)*
        }
    }
}

fn data_field(field: &Field) -> TokenStream {
    let name = ident(&field.name);
    let wire_name = &field.name;
    let field_doc = doc(&format!(
        "{}\n\n{}",
        field.description.zh, field.description.en
    ));
    let field_type = match field.field_type {
        FieldType::String => quote!(String),
        FieldType::Int => quote!(i64),
        FieldType::Bool => quote!(bool),
        FieldType::Object => quote!(serde_json::Map<String, serde_json::Value>),
    };
    quote! {
        #field_doc
        #[serde(rename = #wire_name, default)]
        pub #name: Option<#field_type>,
    }
}

fn variant_doc(row: &ErrorCode) -> TokenStream {
    let retry = if row.retryable {
        "A retry can help: back off, then send the request again."
    } else {
        "Sending the same request again will fail the same way."
    };
    doc(&format!(
        "`{}` · HTTP {} · `{}`\n\n{}\n\n{}\n\n{retry}",
        row.code, row.status, row.message, row.advice.zh, row.advice.en,
    ))
}

fn error_enum(e: &Endpoint) -> TokenStream {
    let error_type = error_type(e);
    let (title_zh, title_en) = (&e.title.zh, &e.title.en);
    let variants: Vec<_> = e
        .errors
        .iter()
        .map(|row| format_ident!("{}", row.variant))
        .collect();
    let variant_docs = e.errors.iter().map(variant_doc);
    let code_aliases = e.errors.iter().map(|row| row.code.to_string());
    let codes = e.errors.iter().map(|row| Literal::i64_unsuffixed(row.code));
    let indexes = (0..e.errors.len()).map(Literal::usize_unsuffixed);
    let enum_doc = doc(&format!(
        "Why {title_zh} ({title_en}) failed: one variant per code of the page's error table, \
         [`Unknown`]({error_type}::Unknown) for any other code, and \
         [`MalformedResponse`]({error_type}::MalformedResponse) when the body was not the \
         API's JSON envelope.\n\n\
         Every variant keeps the response's status, `msg` and `X-Tt-Logid` request id. \
         Branch on the variant (the `code`), never on `msg`."
    ));
    quote! {
        #enum_doc
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum #error_type {
            #(
                #variant_docs
                #[doc(alias = #code_aliases)]
                #variants(ErrorResponse),
            )*
            /// A code the page does not document; its `msg` says what happened.
            Unknown(ErrorResponse),
            /// The body was not the API's JSON envelope (a gateway's HTML page, an empty or
            /// cut-off body), or its `data` did not fit.
            MalformedResponse(MalformedResponse),
        }

        impl #error_type {
            fn parts(&self) -> Result<&ErrorResponse, &MalformedResponse> {
                match self {
                    #(Self::#variants(response) |)* Self::Unknown(response) => Ok(response),
                    Self::MalformedResponse(malformed) => Err(malformed),
                }
            }

            /// The API's `code`, or `None` when the body was not the envelope.
            pub fn code(&self) -> Option<i64> {
                self.parts().ok().map(|response| response.code)
            }

            /// The HTTP status the response had.
            pub fn http_status(&self) -> StatusCode {
                match self.parts() {
                    Ok(response) => response.status,
                    Err(malformed) => malformed.status,
                }
            }

            /// The documented message of a documented code; otherwise the server's `msg`,
            /// or what was wrong with the body.
            pub fn message(&self) -> &str {
                match (self.documented(), self.parts()) {
                    (Some(row), _) => row.message,
                    (None, Ok(response)) => &response.msg,
                    (None, Err(malformed)) => &malformed.reason,
                }
            }

            /// Whether sending the same request again can succeed: as the spec says for a
            /// documented code, else when the status is 429 or 5xx.
            pub fn is_retryable(&self) -> bool {
                match (self.documented(), self.parts()) {
                    (Some(row), _) => row.retryable,
                    (None, Ok(response)) => crate::response::status_suggests_retry(response.status),
                    (None, Err(malformed)) => malformed.is_retryable(),
                }
            }

            /// The `X-Tt-Logid` request id, to quote to Feishu support.
            pub fn log_id(&self) -> Option<&str> {
                match self.parts() {
                    Ok(response) => response.log_id.as_deref(),
                    Err(malformed) => malformed.log_id.as_deref(),
                }
            }

            /// The page's row for this code, with its troubleshooting advice.
            pub fn documented(&self) -> Option<&'static ErrorCodeInfo> {
                match self {
                    #(Self::#variants(_) => Some(&ERROR_CODES[#indexes]),)*
                    Self::Unknown(_) | Self::MalformedResponse(_) => None,
                }
            }
        }

        impl From<ResponseFailure> for #error_type {
            fn from(failure: ResponseFailure) -> Self {
                match failure {
                    ResponseFailure::Api(response) => match response.code {
                        #(#codes => Self::#variants(response),)*
                        _ => Self::Unknown(response),
                    },
                    ResponseFailure::Malformed(malformed) => Self::MalformedResponse(malformed),
                }
            }
        }

        impl fmt::Display for #error_type {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.parts() {
                    Ok(response) => write!(f, "{OPERATION_ID} failed: {response}"),
                    Err(malformed) => write!(f, "{OPERATION_ID} failed: {malformed}"),
                }
            }
        }

        impl std::error::Error for #error_type {}

        impl EndpointError for #error_type {
            fn code(&self) -> Option<i64> {
                self.code()
            }
            fn http_status(&self) -> StatusCode {
                self.http_status()
            }
            fn message(&self) -> &str {
                self.message()
            }
            fn is_retryable(&self) -> bool {
                self.is_retryable()
            }
            fn log_id(&self) -> Option<&str> {
                self.log_id()
            }
            fn documented(&self) -> Option<&'static ErrorCodeInfo> {
                self.documented()
            }
        }
    }
}
