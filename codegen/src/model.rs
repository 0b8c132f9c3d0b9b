//! The checked model: a spec in which every invariant holds, ready to emit.
//!
//! Only `validate` builds these, so emitters can rely on them without checking again.

/// Chinese text as published, with its English rendering.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Text {
    pub zh: String,
    /// `None` until someone writes the English rendering.
    pub en: Option<String>,
}

impl Text {
    /// Both texts as paragraphs: the Chinese, then the English when there is one.
    pub fn paragraphs(&self) -> String {
        match &self.en {
            Some(en) => format!("{}\n\n{en}", self.zh),
            None => self.zh.clone(),
        }
    }

    /// Both texts on one line, separated by ` · `, when each is one line; else paragraphs.
    pub fn compact(&self) -> String {
        let one_line = !self.zh.contains('\n') && !self.en.as_deref().unwrap_or("").contains('\n');
        if one_line {
            self.inline()
        } else {
            self.paragraphs()
        }
    }

    /// Both texts on one line, separated by ` · `.
    pub fn inline(&self) -> String {
        match &self.en {
            Some(en) => format!("{} · {en}", self.zh),
            None => self.zh.clone(),
        }
    }

    /// [`compact`](Self::compact), then `note`: on the same line when the text is one line.
    pub fn compact_with(&self, note: &str) -> String {
        let text = self.compact();
        let sep = if text.contains('\n') { "\n\n" } else { " " };
        format!("{text}{sep}{note}")
    }

    /// The English when there is one, else the Chinese.
    pub fn en_or_zh(&self) -> &str {
        self.en.as_deref().unwrap_or(&self.zh)
    }
}

/// One endpoint, checked.
#[derive(Debug, Clone, Hash)]
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
    /// The 字段权限要求 row: scopes without which sensitive response fields are left out.
    pub field_scopes: Vec<Scope>,
    /// The page the 接口频率限制 row links to, when it links one.
    pub rate_limit_doc_url: Option<String>,
    /// Empty when the page states no count: no row, or a special limit.
    pub rate_limits: Vec<RateLimit>,
    /// The row's text when it gives no count (`特殊频控`).
    pub rate_limit_special: Option<String>,
    pub app_types: Vec<AppType>,
    pub path_params: Vec<Param>,
    pub query_params: Vec<Param>,
    /// The request body's fields; empty when the endpoint takes no body.
    pub request_body: Vec<Field>,
    /// How the body is sent: JSON, or `multipart/form-data` for a file upload.
    pub body_encoding: BodyEncoding,
    pub envelope: Vec<Field>,
    /// The response's values: the fields of `data`, or of the body beside `code` and `msg`.
    pub data: Vec<Field>,
    /// Whether the values sit beside `code` and `msg` rather than under `data`.
    pub data_at_top_level: bool,
    pub response_example: String,
    /// The response is a file, decoded as `feishu_openapi::Download`.
    pub response_file: bool,
    /// The 通用错误码 link under the error table, when the page has one.
    pub errors_more_info_url: Option<String>,
    pub errors: Vec<ErrorCode>,
    pub unknown_outcome: UnknownOutcome,
    /// Values of the page that do not fit their type, as `(field path, problem)`: kept as
    /// written, documentation only.
    pub doc_defects: Vec<(String, String)>,
}

/// How a request body is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum BodyEncoding {
    /// `application/json; charset=utf-8`.
    #[default]
    Json,
    /// `multipart/form-data`: each top-level field a part, a file a file part.
    Multipart,
}

/// What a client may do after an attempt whose outcome it cannot know.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnknownOutcome {
    /// Whether the call may be sent again.
    pub resend: bool,
    /// Codes of the endpoint's error table that a resend answers when an earlier attempt was
    /// applied.
    pub codes_if_applied: Vec<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathPart {
    /// Fixed text, written as is.
    Literal(String),
    /// The path parameter at this index of `Endpoint::path_params`.
    Param(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenType {
    Tenant,
    User,
}

impl TokenType {
    pub const ALL: [(&'static str, TokenType); 2] =
        [("tenant", TokenType::Tenant), ("user", TokenType::User)];

    /// The token's name in the docs, as code: `` `tenant_access_token` ``.
    pub fn doc_name(self) -> &'static str {
        match self {
            TokenType::Tenant => "`tenant_access_token`",
            TokenType::User => "`user_access_token`",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Scope {
    pub name: String,
    /// The console's label; some pages give the name alone.
    pub label: Option<Text>,
}

impl Scope {
    /// The const that names it: its name in upper case, `_` for each run of other characters.
    pub fn const_name(&self) -> String {
        let mut name = String::new();
        for c in self.name.chars() {
            if c.is_ascii_alphanumeric() {
                name.push(c.to_ascii_uppercase());
            } else if !name.is_empty() && !name.ends_with('_') {
                name.push('_');
            }
        }
        let name = name.trim_end_matches('_').to_owned();
        if name.starts_with(|c: char| c.is_ascii_digit()) {
            format!("SCOPE_{name}")
        } else {
            name
        }
    }

    /// The label on one line, or nothing.
    pub fn label_inline(&self) -> String {
        self.label.as_ref().map(Text::inline).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateLimit {
    pub limit: u32,
    pub period: RatePeriod,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamType {
    String,
    Bool,
    Int,
    /// One of the param's `values`.
    Enum,
}

impl ParamType {
    pub const ALL: [(&'static str, ParamType); 4] = [
        ("string", ParamType::String),
        ("bool", ParamType::Bool),
        ("int", ParamType::Int),
        ("enum", ParamType::Enum),
    ];

    pub fn name(self) -> &'static str {
        ParamType::ALL
            .iter()
            .find(|(_, param_type)| *param_type == self)
            .map(|(name, _)| *name)
            .unwrap_or_default()
    }
}

/// A value a parameter or field may take.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AllowedValue {
    /// As sent on the wire.
    pub value: String,
    /// UpperCamelCase variant name, from the value.
    pub variant: String,
    pub description: Text,
}

/// A path or query parameter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Param {
    /// The name on the wire, as the docs spell it.
    pub name: String,
    /// The Rust field and setter name: the wire name, or the spec's `rust_field`.
    pub field: String,
    pub param_type: ParamType,
    /// Path parameters are always required.
    pub required: bool,
    pub description: Text,
    pub example: String,
    /// The page's 默认值: what the server assumes when the param is left out.
    pub default: Option<String>,
    /// For `Enum` params, the values in page order; empty otherwise.
    pub values: Vec<AllowedValue>,
    /// For `Enum` params, the UpperCamelCase name of the generated enum.
    pub enum_name: String,
}

impl Param {
    /// A required string becomes an id type of the service (`calendar_id` gives
    /// `CalendarId`), so that two ids cannot be swapped.
    pub fn is_id(&self) -> bool {
        self.required && self.param_type == ParamType::String
    }

    /// The id type's name: the wire name in UpperCamelCase.
    pub fn id_type(&self) -> String {
        crate::validate::upper_camel_from_words(&self.field)
    }
}

/// The type of a response or request body field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldType {
    String,
    Int,
    Float,
    Bool,
    Object,
    /// One of the field's `values`; request body fields only.
    Enum,
    /// A file's bytes: a top-level field of a `multipart/form-data` request body.
    File,
}

impl FieldType {
    pub const ALL: [(&'static str, FieldType); 7] = [
        ("string", FieldType::String),
        ("int", FieldType::Int),
        ("float", FieldType::Float),
        ("bool", FieldType::Bool),
        ("object", FieldType::Object),
        ("enum", FieldType::Enum),
        ("file", FieldType::File),
    ];

    pub fn name(self) -> &'static str {
        FieldType::ALL
            .iter()
            .find(|(_, field_type)| *field_type == self)
            .map(|(name, _)| *name)
            .unwrap_or_default()
    }
}

/// A field of the response body or of the request body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// The name on the wire.
    pub name: String,
    /// The Rust field and setter name: the wire name, or the spec's `rust_field`.
    pub field: String,
    pub field_type: FieldType,
    /// A list of values of `field_type`.
    pub array: bool,
    /// Request body fields: whether the request must carry it. Response fields: `false`.
    pub required: bool,
    pub description: Text,
    /// Request body fields: the page's 示例值, when it gives one.
    pub example: Option<String>,
    /// Request body fields: the page's 默认值, what the server assumes when it is left out.
    pub default: Option<String>,
    /// Values the page lists: in a response, documentation only (the server may add more);
    /// in a request body, the values of an `Enum`.
    pub values: Vec<AllowedValue>,
    /// The fields of an `Object` that declares them; empty for a free-form object.
    pub fields: Vec<Field>,
    /// The struct generated for an `Object` with fields, or the enum of an `Enum`.
    pub struct_name: Option<String>,
    /// A secret: held as `feishu_openapi::Secret`, which `Debug` does not show.
    pub sensitive: bool,
}

impl Field {
    /// `string`, `int[]`, `TimeInfo`, `Reminder[]`: the type as the docs show it.
    pub fn type_label(&self) -> String {
        let base = self
            .struct_name
            .clone()
            .unwrap_or_else(|| self.field_type.name().to_owned());
        if self.array {
            format!("{base}[]")
        } else {
            base
        }
    }
}

/// The platform-wide error codes every endpoint can answer with.
#[derive(Debug, Clone, Hash)]
pub struct PlatformErrors {
    /// Path under `spec/`, cited in generated headers.
    pub spec_name: String,
    pub title: Text,
    pub source_url: String,
    pub last_updated: String,
    pub codes: Vec<PlatformErrorCode>,
}

/// One service: its Rust name and its error codes, defined once for all its endpoints.
#[derive(Debug, Clone, Hash)]
pub struct Service {
    /// Path under `spec/`, cited in generated headers.
    pub spec_name: String,
    /// The first part of its operation ids, e.g. `calendar`: module and cargo feature.
    pub name: String,
    /// UpperCamelCase stem of its types, e.g. `Calendar` gives `CalendarError`.
    pub rust_name: String,
    pub title: Text,
    pub errors: Vec<ServiceErrorCode>,
    /// The scopes its endpoints name, each once, with the label of the first endpoint (by
    /// operation id) that names it: generated once, as `<service>::scopes`.
    pub scopes: Vec<ServiceScope>,
}

/// A scope of a service's endpoints, and the const it is generated as.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ServiceScope {
    pub scope: Scope,
    /// `CALENDAR_CALENDAR` for `calendar:calendar`; none when two of the service's scope names
    /// read as one const (`a:b.c`, `a.b:c`).
    pub const_name: Option<String>,
}

impl Service {
    /// The service's const for `scope`, when it has one with the same label.
    pub fn scope_const(&self, scope: &Scope) -> Option<&str> {
        self.scopes
            .iter()
            .find(|known| known.scope.name == scope.name)
            .filter(|known| known.scope.label == scope.label)
            .and_then(|known| known.const_name.as_deref())
    }
}

/// One error code of a service.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ServiceErrorCode {
    pub code: i64,
    pub status: u16,
    pub message: String,
    /// UpperCamelCase variant name, as the spec states it.
    pub variant: String,
    pub retryable: bool,
    pub advice: Text,
}

/// One platform-wide error code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PlatformErrorCode {
    pub code: i64,
    pub message: String,
    pub variant: String,
    pub retryable: bool,
    /// The access token is missing, invalid or expired: get a new one, then send again.
    pub new_token: bool,
    pub advice: Text,
}

/// One row of an endpoint's error table: the page's facts, and the service code it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ErrorCode {
    pub status: u16,
    pub code: i64,
    pub message: String,
    /// The service's variant name for the code.
    pub variant: String,
    /// As the service says for the code.
    pub retryable: bool,
    pub advice: Text,
    /// Whether status, message and advice are the service's, so the row is generated as a
    /// reference to the service's instead of again.
    pub same_as_service: bool,
    /// Whether status and message are the service's: a row that differs in its advice alone
    /// is the service's with the page's advice.
    pub same_facts_as_service: bool,
}
