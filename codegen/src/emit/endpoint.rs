//! One endpoint's module: consts, request, response data and error enum.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use std::collections::BTreeSet;

use super::types::SharedUse;
use super::{doc, ident, module_doc};
use crate::model::{
    AllowedValue, AppType, BodyEncoding, Endpoint, Field, FieldType, HttpMethod, Param, ParamType,
    PathPart, RatePeriod, Service, Text, TokenType,
};

/// The whole module for one endpoint of `service`; the structs in `shared` are its service
/// version's `types`.
pub fn endpoint_module(endpoint: &Endpoint, service: &Service, shared: &SharedUse) -> TokenStream {
    let module_doc = endpoint_module_doc(endpoint);
    let consts = consts(endpoint, service);
    let own_enums: Vec<&Param> = endpoint_enums(endpoint)
        .into_iter()
        .filter(|param| !shared.params.contains(&param.enum_name))
        .collect();
    let param_enums = own_enums.iter().map(|param| param_enum(param));
    let shared_enums = (!shared.params.is_empty()).then(|| {
        let names = shared.params.iter().map(|name| format_ident!("{}", name));
        quote!(pub use super::types::{#(#names),*};)
    });
    let request = request(endpoint);
    let body = body_module(endpoint, &shared.body);
    let response = response(endpoint, &shared.response);
    let error = error_type_alias(endpoint, service);
    let service_module = format_ident!("{}", service.name);
    let ids: BTreeSet<String> = all_params(endpoint)
        .filter(|(param, _)| param.is_id())
        .map(|(param, _)| param.id_type())
        .collect();
    let uses_errors = endpoint
        .errors
        .iter()
        .any(|row| row.same_as_service || row.same_facts_as_service);
    let errors_import = uses_errors.then(|| quote!(errors,));
    let fmt_import = (!own_enums.is_empty()).then(|| {
        quote!(
            use std::fmt;
        )
    });
    // Only what the module uses: an endpoint without ids or rows of the service's, scopes,
    // a counted rate limit, tokens or app types imports less.
    let all_scopes = || endpoint.scopes.iter().chain(&endpoint.field_scopes);
    let uses_scopes = all_scopes().any(|scope| service.scope_const(scope).is_some());
    let scopes_import = uses_scopes.then(|| quote!(scopes,));
    let service_import = (uses_errors || uses_scopes || !ids.is_empty()).then(|| {
        let ids = ids.iter().map(|id| format_ident!("{}", id));
        quote!(use crate::#service_module::{#errors_import #scopes_import #(#ids),*};)
    });
    let rate_import = (!endpoint.rate_limits.is_empty()).then(|| quote!(RateLimit,));
    let scope_import = all_scopes()
        .any(|scope| service.scope_const(scope).is_none())
        .then(|| quote!(Scope,));
    let token_import = (!endpoint.token_types.is_empty()).then(|| quote!(TokenType,));
    let app_import = (!endpoint.app_types.is_empty()).then(|| quote!(AppType,));
    quote! {
        #module_doc

        #fmt_import

        use crate::{
            #app_import Endpoint, Operation, PathAndQuery, #rate_import #scope_import #token_import
        };
        #service_import

        #consts
        #shared_enums
        #(#param_enums)*
        #request
        #body
        #response
        #error
    }
}

/// The title, and where it comes from: the page's text is the request type's doc, once.
fn endpoint_module_doc(e: &Endpoint) -> TokenStream {
    module_doc(&format!(
        "{}: [`{}`], generated from `spec/{}`.",
        e.title.inline(),
        request_type(e),
        e.spec_name,
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

fn consts(e: &Endpoint, service: &Service) -> TokenStream {
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
    let scopes = scope_values(&e.scopes, service);
    let field_scopes = (!e.field_scopes.is_empty()).then(|| {
        let field_scopes = scope_values(&e.field_scopes, service);
        quote!(.with_field_scopes(&[#(#field_scopes),*]))
    });
    let rate_limits = e.rate_limits.iter().map(|limit| {
        let count = Literal::u32_unsuffixed(limit.limit);
        match limit.period {
            RatePeriod::Second => quote!(RateLimit::per_second(#count)),
            RatePeriod::Minute => quote!(RateLimit::per_minute(#count)),
        }
    });
    let app_types = e.app_types.iter().map(|app_type| match app_type {
        AppType::Custom => quote!(AppType::Custom),
        AppType::Store => quote!(AppType::Store),
    });
    let doc_url = &e.source_url;
    let error_rows = e.errors.iter().map(|row| {
        let name = format_ident!("{}", screaming_snake(&row.variant));
        if row.same_as_service {
            quote!(errors::#name)
        } else if row.same_facts_as_service {
            let (zh, en) = (&row.advice.zh, en_const(&row.advice));
            quote!(errors::#name.with_advice(#zh, #en))
        } else {
            error_code_info(
                row.code,
                row.status,
                &row.message,
                &row.advice,
                row.retryable,
            )
        }
    });
    let more_codes = e
        .errors_more_info_url
        .as_ref()
        .map(|url| format!(" More codes: [通用错误码 · common error codes]({url})."))
        .unwrap_or_default();
    let errors_doc = doc(&format!(
        "The page's error table, row for row: the service's rows ([`{}`](crate::{}::{})), unless \
         the page words a code its own way.{more_codes}",
        service_code_type(service),
        service.name,
        service_code_type(service),
    ));
    let (title_zh, title_en) = (&e.title.zh, en_const(&e.title));
    let resend = e.unknown_outcome.resend;
    let codes_if_applied = e
        .unknown_outcome
        .codes_if_applied
        .iter()
        .map(|code| Literal::i64_unsuffixed(*code));
    let required_query = e
        .query_params
        .iter()
        .filter(|param| param.required)
        .map(|param| &param.name);
    let required_body = e
        .request_body
        .iter()
        .filter(|field| field.required)
        .map(|field| &field.name);
    let required = (e.query_params.iter().any(|param| param.required)
        || e.request_body.iter().any(|field| field.required))
    .then(|| quote!(.with_required(&[#(#required_query),*], &[#(#required_body),*])));
    let response_example = minified_json(&e.response_example);
    quote! {
        /// The id the official SDKs and docs use for this endpoint.
        pub const OPERATION_ID: &str = #operation_id;
        #errors_doc
        pub const ERROR_CODES: &[crate::ErrorCodeInfo] = &[#(#error_rows),*];
        /// The page's response example, minified (the reference in `generated/docs/` has it laid out).
        pub const RESPONSE_EXAMPLE: &str = #response_example;
        /// The spec's facts beyond request and response values, as [`Endpoint::OPERATION`] gives them.
        pub static OPERATION: Operation = Operation::new(OPERATION_ID, #method, #path_template)
            .with_title(#title_zh, #title_en)
            .with_token_types(&[#(#token_types),*])
            .with_scopes(&[#(#scopes),*])
            #field_scopes
            .with_rate_limits(&[#(#rate_limits),*])
            .with_app_types(&[#(#app_types),*])
            .with_doc_url(#doc_url)
            .with_unknown_outcome(crate::UnknownOutcome::new(#resend, &[#(#codes_if_applied),*]))
            #required
            .with_error_codes(ERROR_CODES)
            .with_response_example(RESPONSE_EXAMPLE);
    }
}

/// Scopes as `Scope` values.
fn scope_values(scopes: &[crate::model::Scope], service: &Service) -> Vec<TokenStream> {
    scopes
        .iter()
        .map(|scope| {
            // The service's const, unless this page labels the scope its own way.
            if let Some(name) = service.scope_const(scope) {
                let name = format_ident!("{}", name);
                return quote!(scopes::#name);
            }
            let name = &scope.name;
            let (zh, en) = scope
                .label
                .as_ref()
                .map_or(("", ""), |label| (label.zh.as_str(), en_const(label)));
            quote!(Scope::new(#name, #zh, #en))
        })
        .collect()
}

/// The page's rate limits as a sentence, with the page they link to.
pub(crate) fn rate_limit_sentence(e: &Endpoint) -> String {
    let link = e
        .rate_limit_doc_url
        .as_ref()
        .map(|url| format!(" ([频控策略 · rate limiting]({url}))"))
        .unwrap_or_default();
    match (&e.rate_limit_special, e.rate_limits.is_empty()) {
        (_, false) => format!("Rate limits, all at once: {}{link}", rate_limit_text(e)),
        (Some(special), true) => format!("Rate limit: {special} (the page gives no count){link}"),
        (None, true) => "The page states no rate limit".to_owned(),
    }
}

/// The page's rate limits in a few words: counts, a special limit, or none.
pub(crate) fn rate_limit_short(e: &Endpoint) -> String {
    match (&e.rate_limit_special, e.rate_limits.is_empty()) {
        (_, false) => rate_limit_text(e),
        (Some(special), true) => special.clone(),
        (None, true) => "none stated on the page".to_owned(),
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
    if types.is_empty() {
        return "not stated on the page".to_owned();
    }
    types.join(", ")
}

/// An `ErrorCodeInfo` value: a service's row, or a page's own wording of one.
pub(crate) fn error_code_info(
    code: i64,
    status: u16,
    message: &str,
    advice: &Text,
    retryable: bool,
) -> TokenStream {
    let code = Literal::i64_unsuffixed(code);
    let status = Literal::u16_unsuffixed(status);
    let (zh, en) = (&advice.zh, en_const(advice));
    quote!(crate::ErrorCodeInfo::new(#code, #status, #message, #zh, #en, #retryable))
}

/// `ChatNotMatchWithEvent` to `CHAT_NOT_MATCH_WITH_EVENT`, the name of a service's row.
pub(crate) fn screaming_snake(variant: &str) -> String {
    crate::validate::snake_from_camel(variant).to_ascii_uppercase()
}

/// The service-level error type: `Calendar` gives `CalendarError`.
pub(crate) fn service_error_type(service: &Service) -> String {
    format!("{}Error", service.rust_name)
}

/// The service's code enum: `Calendar` gives `CalendarErrorCode`.
pub(crate) fn service_code_type(service: &Service) -> String {
    format!("{}ErrorCode", service.rust_name)
}

/// The enums of an endpoint's module: its enum parameters'. A body's live in its `body` module.
pub(super) fn endpoint_enums(e: &Endpoint) -> Vec<&Param> {
    e.query_params
        .iter()
        .filter(|param| param.param_type == ParamType::Enum)
        .collect()
}

/// The English of a text for a `&'static str` const: empty until someone writes it.
pub(crate) fn en_const(text: &Text) -> &str {
    text.en.as_deref().unwrap_or("")
}

/// Params in struct order: path first, then query.
fn all_params(e: &Endpoint) -> impl Iterator<Item = (&Param, bool)> {
    let path = e.path_params.iter().map(|p| (p, true));
    let query = e.query_params.iter().map(|p| (p, false));
    path.chain(query)
}

/// `- \`value\`: 描述 · description` lines for a list of allowed values.
pub(crate) fn values_text(values: &[AllowedValue]) -> String {
    values
        .iter()
        .map(|v| format!("- `{}`: {}", v.value, v.description.inline()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn param_doc(param: &Param) -> String {
    let mut text = format!(
        "{}\n\nExample: `{}`",
        param.description.compact(),
        param.example
    );
    if let Some(default) = &param.default {
        text.push_str(&format!("; when left out: `{default}`"));
    }
    text
}

/// The Rust type of a parameter's value.
fn param_value_type(param: &Param) -> TokenStream {
    match param.param_type {
        ParamType::String if param.is_id() => {
            let name = format_ident!("{}", param.id_type());
            quote!(#name)
        }
        ParamType::String => quote!(String),
        ParamType::Bool => quote!(bool),
        ParamType::Int => quote!(i64),
        ParamType::Enum => {
            let name = format_ident!("{}", param.enum_name);
            quote!(#name)
        }
    }
}

/// The parameter's example as a Rust expression, for doc examples. An example the page got
/// wrong (a doc defect) gives way to a value of the type.
fn param_example(param: &Param) -> String {
    match param.param_type {
        ParamType::String if param.is_id() => {
            let example = if param.example.trim().is_empty() {
                &param.name
            } else {
                &param.example
            };
            format!("{}::new({example:?})?", param.id_type())
        }
        ParamType::String => format!("{:?}", param.example),
        ParamType::Bool if matches!(param.example.as_str(), "true" | "false") => {
            param.example.clone()
        }
        ParamType::Bool => "false".to_owned(),
        ParamType::Int => param
            .example
            .parse::<i64>()
            .map_or_else(|_| "0".to_owned(), |n| n.to_string()),
        ParamType::Enum => {
            let variant = param
                .values
                .iter()
                .find(|v| v.value == param.example)
                .or(param.values.first())
                .map(|v| v.variant.as_str())
                .unwrap_or_default();
            format!("{}::{variant}", param.enum_name)
        }
    }
}

/// The enum of an `enum` query parameter's values.
pub(super) fn param_enum(param: &Param) -> TokenStream {
    let enum_doc = format!(
        "Values of the `{}` query parameter.\n\n{}",
        param.name,
        param.description.paragraphs()
    );
    value_enum(&param.enum_name, &enum_doc, &param.values, false)
}

/// An enum of the values a query parameter or, `in_body`, a body field takes, with
/// `as_str()` giving each as sent; a body's serializes as that text.
fn value_enum(name: &str, enum_doc: &str, values: &[AllowedValue], in_body: bool) -> TokenStream {
    let name = format_ident!("{}", name);
    let enum_doc = doc(enum_doc);
    let variants: Vec<_> = values
        .iter()
        .map(|v| format_ident!("{}", v.variant))
        .collect();
    let variant_docs = values
        .iter()
        .map(|v| doc(&format!("`{}`: {}", v.value, v.description.compact())));
    let wire: Vec<&String> = values.iter().map(|v| &v.value).collect();
    let renames = wire.iter().map(|wire| {
        if in_body {
            quote!(#[serde(rename = #wire)])
        } else {
            quote!()
        }
    });
    let (derives, as_str_doc) = if in_body {
        (
            quote!(, Serialize, Deserialize),
            doc("The value as the request body carries it."),
        )
    } else {
        (quote!(), doc("The value as the query carries it."))
    };
    quote! {
        #enum_doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash #derives)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_docs #renames #variants,)*
        }

        impl #name {
            #as_str_doc
            pub const fn as_str(self) -> &'static str {
                match self {
                    #(Self::#variants => #wire,)*
                }
            }
        }

        impl fmt::Display for #name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn request(e: &Endpoint) -> TokenStream {
    let request_type = request_type(e);
    let response_type = response_type(e);
    let error_type = error_type(e);
    let title = e.title.inline();
    let mut aliases = vec![e.title.zh.clone()];
    aliases.extend(e.title.en.as_ref().map(|en| en.to_lowercase()));
    // Rustdoc's search finds the type by its name already; the SDKs' name only when it differs.
    if e.sdk_name != e.rust_name {
        aliases.push(e.sdk_name.clone());
    }
    aliases.push(e.operation_id.clone());
    let notes: Vec<String> = e
        .notes
        .iter()
        .map(|note| match &note.en {
            Some(en) => format!("- {}\n  {en}", note.zh),
            None => format!("- {}", note.zh),
        })
        .collect();
    let notes_section = if notes.is_empty() {
        String::new()
    } else {
        format!("\n\n# 注意事项 · Notes\n\n{}", notes.join("\n"))
    };
    let scope_list = |scopes: &[crate::model::Scope]| {
        scopes
            .iter()
            .map(|s| match &s.label {
                Some(label) => format!("`{}` ({})", s.name, label.inline()),
                None => format!("`{}`", s.name),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let scopes = if e.scopes.is_empty() {
        "none (无)".to_owned()
    } else {
        scope_list(&e.scopes)
    };
    let field_scopes = if e.field_scopes.is_empty() {
        String::new()
    } else {
        format!(
            "\n- Without these, sensitive fields are left out (字段权限要求): {}",
            scope_list(&e.field_scopes)
        )
    };
    let required: Vec<&Param> = all_params(e)
        .filter(|(param, _)| param.required)
        .map(|(param, _)| param)
        .collect();
    let optional: Vec<&Param> = e.query_params.iter().filter(|p| !p.required).collect();
    let required_body: Vec<&Field> = e.request_body.iter().filter(|f| f.required).collect();
    let optional_body: Vec<&Field> = e.request_body.iter().filter(|f| !f.required).collect();
    let mut examples: Vec<String> = required.iter().map(|param| param_example(param)).collect();
    examples.extend(required_body.iter().map(|field| body_example(field)));
    let mut imports = vec![format!(
        "{}::{}::{}::{{{}}}",
        e.service,
        e.version,
        e.module_name,
        std::iter::once(request_type.to_string())
            .chain(
                all_params(e)
                    .filter(|(param, _)| param.param_type == ParamType::Enum)
                    .map(|(param, _)| param.enum_name.clone())
            )
            .chain(
                examples
                    .iter()
                    .any(|example| example.contains("body::"))
                    .then(|| "body".to_owned())
            )
            .collect::<Vec<_>>()
            .join(", ")
    )];
    let ids: BTreeSet<String> = required
        .iter()
        .filter(|param| param.is_id())
        .map(|param| param.id_type())
        .collect();
    if !ids.is_empty() {
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        imports.push(format!("{}::{{{}}}", e.service, ids.join(", ")));
    }
    let setters_example: String = optional
        .iter()
        .map(|param| format!("\n    .with_{}({})", param.field, param_example(param)))
        .collect();
    let ok = if ids.is_empty() {
        ""
    } else {
        "\n# Ok::<(), feishu_openapi::InvalidParam>(())"
    };
    let use_lines: String = imports
        .iter()
        .map(|path| format!("use feishu_openapi::{path};\n"))
        .collect();
    let request_doc = doc(&format!(
        "{title}: `{} {}`.\n\n{}{notes_section}\n\n\
         # Access\n\n\
         - Tokens: {}\n- Scopes, any one of (开启其中任意一项权限即可调用): {}{field_scopes}\n\
         - {}\n- App types: {}\n\n\
         Upstream page: <{}> (updated {}).\n\n\
         # Example\n\n\
         ```\n\
         {use_lines}\
         let request = {request_type}::new({}){setters_example};{ok}\n\
         ```",
        e.method.as_str(),
        e.path_template,
        e.description.paragraphs(),
        if e.token_types.is_empty() {
            "none: this endpoint gives one, and is sent with `http_request_without_token`"
                .to_owned()
        } else {
            let tokens: Vec<&str> = e.token_types.iter().map(|t| t.doc_name()).collect();
            format!(
                "{} (`Authorization: {}`)",
                tokens.join(", "),
                e.auth_example
            )
        },
        scopes,
        rate_limit_sentence(e),
        app_type_text(e),
        e.source_url,
        e.last_updated,
        examples.join(", "),
    ));

    let fields = all_params(e).map(|(param, _)| {
        let name = ident(&param.field);
        let field_doc = doc(&param_doc(param));
        let value_type = param_value_type(param);
        if param.required {
            quote!(#field_doc pub #name: #value_type)
        } else {
            quote!(#field_doc pub #name: Option<#value_type>)
        }
    });
    let new_args = required.iter().map(|param| {
        let name = ident(&param.field);
        let value_type = param_value_type(param);
        quote!(#name: #value_type)
    });
    let field_inits = all_params(e).map(|(param, _)| {
        let name = ident(&param.field);
        if param.required {
            quote!(#name)
        } else {
            quote!(#name: None)
        }
    });
    let setters = optional.iter().map(|param| {
        let name = ident(&param.field);
        let setter = format_ident!("with_{}", param.field);
        let (arg_type, value, empty) = match param.param_type {
            ParamType::String => (
                quote!(impl Into<String>),
                quote!(#name.into()),
                " An empty value is not sent.",
            ),
            _ => {
                let value_type = param_value_type(param);
                (quote!(#value_type), quote!(#name), "")
            }
        };
        let setter_doc = doc(&format!(
            "Sets the optional `{}` query parameter.{empty}",
            param.name
        ));
        quote! {
            #setter_doc
            pub fn #setter(mut self, #name: #arg_type) -> Self {
                self.#name = Some(#value);
                self
            }
        }
    });
    let writes = e.path.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(out.literal(#text);),
        PathPart::Param(index) => {
            let name = ident(&e.path_params[*index].field);
            quote!(out.segment(self.#name.as_str());)
        }
    });
    let queries = e.query_params.iter().map(query_write);
    let new_doc = {
        let body = if e.request_body.is_empty() {
            String::new()
        } else {
            format!(
                " The arguments after the parameters are the required fields of the JSON body \
                 ([`body::{}Body`]).",
                e.rust_name
            )
        };
        let optional_doc = if optional.is_empty() && optional_body.is_empty() {
            ""
        } else {
            " Optional ones are set with the `with_` methods."
        };
        let checked = if required.iter().any(|param| param.is_id()) {
            " Ids are checked when made, so the request can always be sent."
        } else {
            ""
        };
        doc(&format!(
            "A request with every required value.{checked}{body}{optional_doc}"
        ))
    };
    let (derives, body_parts) = if e.request_body.is_empty() {
        (
            quote!(Debug, Clone, PartialEq, Eq, Hash),
            BodyParts::default(),
        )
    } else {
        (
            body_derives(e),
            request_body_parts(e, &required_body, &optional_body),
        )
    };
    let BodyParts {
        field: body_field,
        args: body_args,
        init: body_init,
        setters: body_setters,
        json: body_json,
    } = body_parts;
    let top_level = e.data_at_top_level.then(|| {
        quote!(
            const DATA_AT_TOP_LEVEL: bool = true;
        )
    });
    // A file response is read as a file; errors still come as the envelope.
    let decode_file = e.response_file.then(|| {
        quote! {
            fn decode_response(
                status: http::StatusCode,
                headers: &http::HeaderMap,
                body: &[u8],
            ) -> Result<crate::ApiResponse<Self::Response>, Self::Error> {
                crate::decode_download(status, headers, body).map_err(Self::Error::from)
            }
        }
    });
    let arg_count = required.len() + required_body.len();
    let many_args = (arg_count > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    // With nothing required, every field is unset at first: the derived `Default`.
    let (default, construct) = if arg_count == 0 {
        (quote!(, Default), quote!(Self::default()))
    } else {
        (quote!(), quote!(Self { #(#field_inits,)* #body_init }))
    };
    quote! {
        #request_doc
        #(#[doc(alias = #aliases)])*
        #[derive(#derives #default)]
        #[non_exhaustive]
        #[must_use]
        pub struct #request_type {
            #(#fields,)*
            #body_field
        }

        impl #request_type {
            #new_doc
            #many_args
            pub fn new(#(#new_args,)* #(#body_args),*) -> Self {
                #construct
            }

            #(#setters)*
            #(#body_setters)*
        }

        impl Endpoint for #request_type {
            const OPERATION: &'static Operation = &OPERATION;
            #top_level
            type Response = #response_type;
            type Error = #error_type;

            fn write_path_and_query(&self, out: &mut PathAndQuery) {
                #(#writes)*
                #(#queries)*
            }

            #body_json
            #decode_file
        }
    }
}

/// Writes a query parameter: a required one always, an optional one when set (a string
/// only when not empty).
fn query_write(param: &Param) -> TokenStream {
    let name = ident(&param.field);
    let wire_name = &param.name;
    match (param.required, param.param_type) {
        (true, ParamType::String) => quote!(out.query(#wire_name, self.#name.as_str());),
        (true, ParamType::Bool) => {
            quote!(out.query(#wire_name, if self.#name { "true" } else { "false" });)
        }
        (true, ParamType::Int) => quote!(out.query(#wire_name, &self.#name.to_string());),
        (true, ParamType::Enum) => quote!(out.query(#wire_name, self.#name.as_str());),
        (false, ParamType::String) => {
            quote!(out.optional_query(#wire_name, self.#name.as_deref());)
        }
        (false, ParamType::Bool | ParamType::Int | ParamType::Enum) => {
            quote!(out.optional_query(#wire_name, self.#name);)
        }
    }
}

/// What a request with a body adds to its type: the field, `new`'s arguments and the
/// setters, and the `json_body` hook.
#[derive(Default)]
struct BodyParts {
    field: TokenStream,
    args: Vec<TokenStream>,
    init: TokenStream,
    setters: Vec<TokenStream>,
    json: TokenStream,
}

fn request_body_parts(e: &Endpoint, required: &[&Field], optional: &[&Field]) -> BodyParts {
    let body_type = format_ident!("{}Body", e.rust_name);
    let args = required
        .iter()
        .map(|field| {
            let name = ident(&field.field);
            let arg_type = body_arg_type(field, quote!(body::));
            quote!(#name: #arg_type)
        })
        .collect();
    let names = required.iter().map(|field| ident(&field.field));
    let setters = optional
        .iter()
        .map(|field| {
            let name = ident(&field.field);
            let setter = format_ident!("with_{}", field.field);
            let setter_doc = doc(&format!(
                "Sets the optional `{}` field of the JSON body: [`body::{}Body::{setter}`].",
                field.name, e.rust_name
            ));
            let arg_type = body_arg_type(field, quote!(body::));
            quote! {
                #setter_doc
                pub fn #setter(mut self, #name: #arg_type) -> Self {
                    self.body = self.body.#setter(#name);
                    self
                }
            }
        })
        .collect();
    let body_doc = doc(&format!(
        "The JSON body, as [`Endpoint::json_body`] sends it: [`body::{}Body`].",
        e.rust_name
    ));
    let json = match e.body_encoding {
        BodyEncoding::Json => quote! {
            fn json_body(&self) -> Result<Option<Vec<u8>>, crate::BuildRequestError> {
                crate::to_json_body(&self.body).map(Some)
            }
        },
        BodyEncoding::Multipart => multipart_body(&e.request_body),
    };
    BodyParts {
        field: quote!(#body_doc pub body: body::#body_type,),
        args,
        init: quote!(body: body::#body_type::new(#(#names),*)),
        setters,
        json,
    }
}

/// `Endpoint::multipart_body` for a file upload: one part per top-level field, in the page's
/// order; a file as a file part, a list or an object as JSON text, anything else as text.
fn multipart_body(fields: &[Field]) -> TokenStream {
    let parts = fields.iter().map(|field| {
        let name = ident(&field.field);
        let wire = &field.name;
        let add = |value: TokenStream| match (field.field_type, field.array) {
            (FieldType::File, false) => quote!(form.file(#wire, #value);),
            (FieldType::Object, _) | (_, true) => quote!(form.json(#wire, #value)?;),
            _ => quote!(form.text(#wire, #value);),
        };
        // Numbers, bools and enums are `Copy`: given as they are.
        let copy = !field.array
            && matches!(
                field.field_type,
                FieldType::Int | FieldType::Float | FieldType::Bool | FieldType::Enum
            );
        if field.required && copy {
            add(quote!(body.#name))
        } else if field.required {
            add(quote!(&body.#name))
        } else {
            let add = add(quote!(value));
            quote! {
                if let Some(value) = &body.#name {
                    #add
                }
            }
        }
    });
    quote! {
        fn multipart_body(&self) -> Result<Option<crate::Multipart>, crate::BuildRequestError> {
            let body = &self.body;
            let mut form = crate::Multipart::new();
            #(#parts)*
            Ok(Some(form))
        }
    }
}

fn response(e: &Endpoint, shared: &BTreeSet<String>) -> TokenStream {
    let response_type = response_type(e);
    let title = e.title.inline();
    if e.response_file {
        let response_doc = doc(&format!(
            "What a successful {title} response carries: a file (its bytes, content type and \
             disposition), not the JSON envelope. Errors still come as the envelope."
        ));
        return quote! {
            #response_doc
            pub type #response_type = crate::Download;
        };
    }
    let shape = if e.data.is_empty() {
        "It is an empty object: success carries no data."
    } else {
        "Fields the server leaves out read as `None`."
    };
    let place = if e.data_at_top_level {
        "the values of a successful {title} response, beside `code` and `msg` in its body"
    } else {
        "the `data` of a successful {title} response, in the body's `{code, msg, data}` envelope"
    };
    let response_doc = doc(&format!(
        "{}. {shape} The page's example: [`RESPONSE_EXAMPLE`].",
        upper_first(&place.replace("{title}", &title)),
    ));
    let derives = derives(&e.data);
    let fields = e.data.iter().map(data_field);
    let mut structs = Vec::new();
    let mut seen = Vec::new();
    nested_structs(&e.data, shared, &mut seen, &mut structs);
    let shared_uses = (!shared.is_empty()).then(|| {
        let names = shared.iter().map(|name| format_ident!("{}", name));
        quote!(pub use super::types::{#(#names),*};)
    });
    quote! {
        #response_doc
        #derives
        pub struct #response_type {
            #(#fields)*
        }

        #shared_uses
        #(#structs)*
    }
}

/// The text with its first letter in upper case.
fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// JSON on one line: the whitespace between tokens dropped, strings and key order kept.
fn minified_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

/// Response structs derive `Eq` unless a float is somewhere inside. Every field may be left
/// out by the server, and one the docs add later must not break a consumer's build.
fn derives(fields: &[Field]) -> TokenStream {
    fn has_float(fields: &[Field]) -> bool {
        fields
            .iter()
            .any(|f| f.field_type == FieldType::Float || has_float(&f.fields))
    }
    let eq = (!has_float(fields)).then(|| quote!(Eq,));
    quote! {
        #[derive(Debug, Clone, Default, PartialEq, #eq serde::Deserialize)]
        #[serde(default)]
        #[non_exhaustive]
    }
}

/// One struct per named object of the data tree, in order of first appearance, but for the
/// `shared` ones, which the service version's `types` declares.
fn nested_structs(
    fields: &[Field],
    shared: &BTreeSet<String>,
    seen: &mut Vec<String>,
    out: &mut Vec<TokenStream>,
) {
    for field in fields {
        let Some(name) = &field.struct_name else {
            continue;
        };
        if seen.contains(name) {
            continue;
        }
        seen.push(name.clone());
        if !shared.contains(name) {
            out.push(response_struct(&format_ident!("{}", name), field));
        }
        nested_structs(&field.fields, shared, seen, out);
    }
}

/// The struct of a response object with fields.
pub(crate) fn response_struct(struct_name: &proc_macro2::Ident, field: &Field) -> TokenStream {
    let struct_doc = doc(&field
        .description
        .compact_with(&format!("(`{}` in the response.)", field.name)));
    let derives = derives(&field.fields);
    let members = field.fields.iter().map(data_field);
    quote! {
        #struct_doc
        #derives
        pub struct #struct_name {
            #(#members)*
        }
    }
}

fn data_field(field: &Field) -> TokenStream {
    let name = ident(&field.field);
    let mut text = field.description.compact();
    if !field.values.is_empty() {
        text.push_str("\n\nValues the docs list (the server may send others):\n\n");
        text.push_str(&values_text(&field.values));
    }
    let field_doc = doc(&text);
    let field_type = field_value_type(field);
    let rename = wire_rename(field);
    quote! {
        #field_doc
        #rename
        pub #name: Option<#field_type>,
    }
}

/// `#[serde(rename = "...")]` for a field whose Rust name is not its wire name.
fn wire_rename(field: &Field) -> TokenStream {
    let wire_name = &field.name;
    if field.field == field.name {
        quote!()
    } else {
        quote!(#[serde(rename = #wire_name)])
    }
}

/// The Rust type of a field's value: its struct or enum, a scalar, a JSON map; a `Vec` of it
/// for a list.
fn field_value_type(field: &Field) -> TokenStream {
    value_type_in(field, quote!())
}

/// As [`field_value_type`], a struct or enum named through `module` (`body::`).
fn value_type_in(field: &Field, module: TokenStream) -> TokenStream {
    let mut field_type = match (field.field_type, &field.struct_name) {
        (_, Some(type_name)) => {
            let type_name = format_ident!("{}", type_name);
            quote!(#module #type_name)
        }
        (FieldType::String, None) if field.sensitive => quote!(crate::Secret),
        (FieldType::String | FieldType::Enum, None) => quote!(String),
        (FieldType::Int, None) => quote!(i64),
        (FieldType::Float, None) => quote!(f64),
        (FieldType::Bool, None) => quote!(bool),
        (FieldType::Object, None) => quote!(serde_json::Map<String, serde_json::Value>),
        (FieldType::File, None) => quote!(crate::FilePart),
    };
    if field.array {
        field_type = quote!(Vec<#field_type>);
    }
    field_type
}

/// The `body` module: the request body's struct, and the structs and enums inside it.
fn body_module(e: &Endpoint, shared: &BTreeSet<String>) -> TokenStream {
    if e.request_body.is_empty() {
        return quote!();
    }
    let module_doc = doc(&format!(
        "The JSON request body of {} (the page's 请求体), and the types inside it.",
        e.title.inline()
    ));
    let body_doc = format!(
        "The request body: required fields are arguments of `new`, optional ones are set \
         with the `with_` methods and left out of the JSON until then. \
         [`{}Request`](super::{}Request) takes the same arguments and methods.",
        e.rust_name, e.rust_name
    );
    let derives = body_derives(e);
    // A multipart body is written part by part, not by serde; what is inside it is JSON.
    let serialized = e.body_encoding == BodyEncoding::Json;
    let mut items = vec![body_struct(
        &format!("{}Body", e.rust_name),
        &body_doc,
        &e.request_body,
        &derives,
        serialized,
    )];
    let mut seen = Vec::new();
    let mut has_enum = false;
    body_types(
        &e.request_body,
        shared,
        &mut seen,
        &mut items,
        &mut has_enum,
    );
    let fmt_import = has_enum.then(|| {
        quote!(
            use std::fmt;
        )
    });
    let serde_import = (serialized || has_enum).then(|| {
        quote!(
            use serde::{Deserialize, Serialize};
        )
    });
    let shared_uses = (!shared.is_empty()).then(|| {
        let names = shared.iter().map(|name| format_ident!("{}", name));
        quote!(pub use super::super::types::body::{#(#names),*};)
    });
    quote! {
        #module_doc
        pub mod body {
            #fmt_import
            #serde_import
            #shared_uses

            #(#items)*
        }
    }
}

/// Body types derive `Eq` and `Hash` unless a float or a free-form object is inside, as
/// must the request that holds the body.
fn body_derives(e: &Endpoint) -> TokenStream {
    fields_derives(&e.request_body)
}

/// The derives of a body struct holding `fields`.
fn fields_derives(fields: &[Field]) -> TokenStream {
    fn plain(fields: &[Field]) -> bool {
        fields.iter().all(|f| {
            f.field_type != FieldType::Float
                && (f.field_type != FieldType::Object || f.struct_name.is_some())
                && plain(&f.fields)
        })
    }
    if plain(fields) {
        quote!(Debug, Clone, PartialEq, Eq, Hash)
    } else {
        quote!(Debug, Clone, PartialEq)
    }
}

/// One struct or enum per named object or enum of the body tree, in order of first
/// appearance, but for the `shared` ones, which the service version's `types::body` declares.
fn body_types(
    fields: &[Field],
    shared: &BTreeSet<String>,
    seen: &mut Vec<String>,
    out: &mut Vec<TokenStream>,
    has_enum: &mut bool,
) {
    for field in fields {
        let Some(name) = &field.struct_name else {
            continue;
        };
        if seen.contains(name) || shared.contains(name) {
            continue;
        }
        seen.push(name.clone());
        *has_enum |= field.field_type == FieldType::Enum;
        out.push(body_type(name, field));
        body_types(&field.fields, shared, seen, out, has_enum);
    }
}

/// The struct or enum a named body field declares.
pub(crate) fn body_type(name: &str, field: &Field) -> TokenStream {
    let type_doc = field
        .description
        .compact_with(&format!("(`{}` in the request body.)", field.name));
    if field.field_type == FieldType::Enum {
        value_enum(name, &type_doc, &field.values, true)
    } else {
        body_struct(
            name,
            &type_doc,
            &field.fields,
            &fields_derives(&field.fields),
            true,
        )
    }
}

/// A body field's doc: its description, values and example.
fn body_field_doc(field: &Field) -> String {
    let mut text = field.description.compact();
    if !field.values.is_empty() {
        text.push_str("\n\nValues:\n\n");
        text.push_str(&values_text(&field.values));
    }
    if let Some(example) = &field.example {
        text.push_str(&format!("\n\nExample: `{example}`"));
    }
    if let Some(default) = &field.default {
        let sep = if field.example.is_some() {
            "; "
        } else {
            "\n\n"
        };
        text.push_str(&format!("{sep}when left out: `{default}`"));
    }
    text
}

/// The argument type a body field's value is given as: text as `impl Into<String>`; types
/// of the body named through `module`.
fn body_arg_type(field: &Field, module: TokenStream) -> TokenStream {
    if field.sensitive {
        quote!(impl Into<crate::Secret>)
    } else if field.field_type == FieldType::String && !field.array {
        quote!(impl Into<String>)
    } else {
        value_type_in(field, module)
    }
}

/// The value a body argument is stored as.
fn body_arg_value(field: &Field) -> TokenStream {
    let name = ident(&field.field);
    if field.field_type == FieldType::String && !field.array {
        quote!(#name.into())
    } else {
        quote!(#name)
    }
}

/// A body struct: required fields given to `new`, optional ones by `with_` methods and
/// serialized only when set.
fn body_struct(
    name: &str,
    struct_doc: &str,
    fields: &[Field],
    derives: &TokenStream,
    serialized: bool,
) -> TokenStream {
    let struct_name = format_ident!("{}", name);
    let struct_doc = doc(struct_doc);
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let optional: Vec<&Field> = fields.iter().filter(|f| !f.required).collect();
    let members = fields.iter().map(|field| {
        let name = ident(&field.field);
        let field_doc = doc(&body_field_doc(field));
        let value_type = field_value_type(field);
        let rename = if serialized {
            wire_rename(field)
        } else {
            quote!()
        };
        let skip = serialized.then(|| quote!(#[serde(skip_serializing_if = "Option::is_none")]));
        if field.required {
            quote! {
                #field_doc
                #rename
                pub #name: #value_type,
            }
        } else {
            quote! {
                #field_doc
                #rename
                #skip
                pub #name: Option<#value_type>,
            }
        }
    });
    let args = required.iter().map(|field| {
        let name = ident(&field.field);
        let arg_type = body_arg_type(field, quote!());
        quote!(#name: #arg_type)
    });
    let inits = fields.iter().map(|field| {
        let name = ident(&field.field);
        match (
            field.required,
            field.field_type == FieldType::String && !field.array,
        ) {
            (true, true) => quote!(#name: #name.into()),
            (true, false) => quote!(#name),
            (false, _) => quote!(#name: None),
        }
    });
    let setters = optional.iter().map(|field| {
        let name = ident(&field.field);
        let setter = format_ident!("with_{}", field.field);
        let setter_doc = doc(&format!("Sets the optional `{}` field.", field.name));
        let arg_type = body_arg_type(field, quote!());
        let value = body_arg_value(field);
        quote! {
            #setter_doc
            pub fn #setter(mut self, #name: #arg_type) -> Self {
                self.#name = Some(#value);
                self
            }
        }
    });
    // With every field optional the struct derives `Default`, which is the empty body.
    let construct = if required.is_empty() {
        quote!(Self::default())
    } else {
        quote!(Self { #(#inits),* })
    };
    let (default, new_doc) = if required.is_empty() {
        (
            quote!(, Default),
            doc("Every field is optional: set them with the `with_` methods."),
        )
    } else {
        (
            quote!(),
            doc("Takes the required fields; set optional ones with the `with_` methods."),
        )
    };
    let many_args = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    // Read back too: a body kept as JSON (a saved request, the page's example) is sent as it
    // was read.
    let serialize = serialized.then(|| quote!(, Serialize, Deserialize));
    quote! {
        #struct_doc
        #[derive(#derives #default #serialize)]
        #[non_exhaustive]
        #[must_use]
        pub struct #struct_name {
            #(#members)*
        }

        impl #struct_name {
            #new_doc
            #many_args
            pub fn new(#(#args),*) -> Self {
                #construct
            }

            #(#setters)*
        }
    }
}

/// A body field's example as a Rust expression, for the request's doc example.
fn body_example(field: &Field) -> String {
    if field.array {
        return "Vec::new()".to_owned();
    }
    let example = field.example.as_deref();
    match (field.field_type, &field.struct_name) {
        (FieldType::Enum, Some(name)) => {
            let variant = field
                .values
                .iter()
                .find(|v| Some(v.value.as_str()) == example)
                .or(field.values.first())
                .map(|v| v.variant.as_str())
                .unwrap_or_default();
            format!("body::{name}::{variant}")
        }
        (FieldType::Object, Some(name)) => {
            let args: Vec<String> = field
                .fields
                .iter()
                .filter(|f| f.required)
                .map(body_example)
                .collect();
            format!("body::{name}::new({})", args.join(", "))
        }
        (FieldType::Object, None) => "Default::default()".to_owned(),
        (FieldType::String | FieldType::Enum, _) => format!("{:?}", example.unwrap_or_default()),
        (FieldType::Int, _) => example
            .and_then(|e| e.parse::<i64>().ok())
            .unwrap_or_default()
            .to_string(),
        (FieldType::Float, _) => {
            format!(
                "{:?}",
                example
                    .and_then(|e| e.parse::<f64>().ok())
                    .unwrap_or_default()
            )
        }
        (FieldType::Bool, _) => (example == Some("true")).to_string(),
        (FieldType::File, _) => {
            "feishu_openapi::FilePart::new(\"file.bin\", b\"...\".to_vec())".to_owned()
        }
    }
}

/// The endpoint's error type: the runtime's [`ApiError`] over the page's table, whose codes are
/// the service's.
fn error_type_alias(e: &Endpoint, service: &Service) -> TokenStream {
    let error_type = error_type(e);
    let request_type = request_type(e);
    let title = e.title.inline();
    let service_module = format_ident!("{}", service.name);
    let code_type = format_ident!("{}", service_code_type(service));
    let alias_doc = doc(&format!(
        "Why {title} failed: [`Documented`](crate::ApiError::Documented) with one of the \
         [`{code_type}`](crate::{service_module}::{code_type})s of the page's error table \
         ([`ERROR_CODES`], with this page's wording), `Platform` for a platform-wide code (token, \
         scope, rate limit), `Unknown` for any other code, and `MalformedResponse` when the body \
         was not the API's JSON envelope. [`into_service`](crate::ApiError::into_service) makes it \
         the service's error, to handle a code once for every endpoint."
    ));
    quote! {
        #alias_doc
        pub type #error_type = crate::ApiError<#request_type>;

        impl crate::PageErrorTable for #request_type {
            type ServiceCodes = crate::#service_module::#code_type;
        }
    }
}
