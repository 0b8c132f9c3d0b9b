//! The checked model: a spec in which every invariant holds, ready to emit.
//!
//! Only `validate` builds these, so emitters can rely on them without checking again.

/// Chinese text as published, with its English rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

/// One endpoint, checked.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// File name under `spec/`, cited in generated headers.
    pub spec_name: String,
    /// `service.version.resource.action`.
    pub operation_id: String,
    /// First part of the operation id, e.g. `calendar`; the generated module's parent.
    pub service: String,
    /// Second part, e.g. `v4`.
    pub version: String,
    /// The name the official SDKs use, e.g. `DeleteCalendarEventMeetingChat`.
    pub sdk_name: String,
    /// UpperCamelCase stem of the generated type names, e.g. `UnbindMeetingChat`.
    pub rust_name: String,
    /// snake_case module name, e.g. `unbind_meeting_chat`.
    pub module_name: String,
    pub title: Text,
    pub description: Text,
    pub notes: Vec<Text>,
    pub source_url: String,
    pub last_updated: String,
    pub method: HttpMethod,
    pub path_template: String,
    /// The template split into fixed text and parameters, in order.
    pub path: Vec<PathPart>,
    pub token_types: Vec<TokenType>,
    pub auth_description: Text,
    pub auth_example: String,
    pub scopes: Vec<Scope>,
    pub rate_limit_doc_url: String,
    pub rate_limits: Vec<RateLimit>,
    pub app_types: Vec<AppType>,
    pub path_params: Vec<Param>,
    pub query_params: Vec<Param>,
    pub envelope: Vec<Field>,
    pub data: Vec<Field>,
    pub response_example: String,
    pub errors_more_info_url: String,
    pub errors: Vec<ErrorCode>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl HttpMethod {
    pub const ALL: [(&'static str, HttpMethod); 5] = [
        ("GET", HttpMethod::Get),
        ("POST", HttpMethod::Post),
        ("PUT", HttpMethod::Put),
        ("PATCH", HttpMethod::Patch),
        ("DELETE", HttpMethod::Delete),
    ];

    pub fn as_str(self) -> &'static str {
        HttpMethod::ALL
            .iter()
            .find(|(_, method)| *method == self)
            .map(|(name, _)| *name)
            .unwrap_or_default()
    }
}

/// A piece of the path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Fixed text, written as is.
    Literal(String),
    /// The path parameter at this index of `Endpoint::path_params`.
    Param(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenType {
    Tenant,
    User,
}

impl TokenType {
    pub const ALL: [(&'static str, TokenType); 2] =
        [("tenant", TokenType::Tenant), ("user", TokenType::User)];
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub name: String,
    pub label: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RatePeriod {
    Second,
    Minute,
}

impl RatePeriod {
    pub const ALL: [(&'static str, RatePeriod); 2] = [
        ("second", RatePeriod::Second),
        ("minute", RatePeriod::Minute),
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub limit: u32,
    pub period: RatePeriod,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppType {
    Custom,
    Store,
}

impl AppType {
    pub const ALL: [(&'static str, AppType); 2] =
        [("custom", AppType::Custom), ("store", AppType::Store)];

    pub fn label_zh(self) -> &'static str {
        match self {
            AppType::Custom => "自建应用",
            AppType::Store => "商店应用",
        }
    }
}

/// The type of a request parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    String,
}

impl ParamType {
    pub const ALL: [(&'static str, ParamType); 1] = [("string", ParamType::String)];
}

/// A path or query parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// The name on the wire, as the docs spell it.
    pub name: String,
    pub param_type: ParamType,
    /// Path parameters are always required.
    pub required: bool,
    pub description: Text,
    pub example: String,
}

/// The type of a response field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    Int,
    Bool,
    Object,
}

impl FieldType {
    pub const ALL: [(&'static str, FieldType); 4] = [
        ("string", FieldType::String),
        ("int", FieldType::Int),
        ("bool", FieldType::Bool),
        ("object", FieldType::Object),
    ];

    pub fn name(self) -> &'static str {
        FieldType::ALL
            .iter()
            .find(|(_, field_type)| *field_type == self)
            .map(|(name, _)| *name)
            .unwrap_or_default()
    }
}

/// A field of the response body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub field_type: FieldType,
    pub description: Text,
}

/// One documented error code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorCode {
    pub status: u16,
    pub code: i64,
    pub message: String,
    /// UpperCamelCase variant name: chosen in the spec, or derived from the message.
    pub variant: String,
    pub retryable: bool,
    pub advice: Text,
}
