//! Load stage: YAML text into structs that mirror the spec as written.
//!
//! Nothing is interpreted here beyond YAML types; every rule lives in `validate`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;

/// A spec file's text, kept so later stages can point into it.
#[derive(Debug, Clone)]
pub struct SpecSource {
    /// Where the file was read from, as given.
    pub path: PathBuf,
    /// Its name under `spec/`, as generated headers cite it.
    pub name: String,
    /// The YAML text.
    pub text: String,
}

/// Text the docs publish in Chinese, with its English rendering.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawText {
    pub zh: String,
    /// Left out until someone writes it: `codegen import` cannot translate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

/// One endpoint's spec, field for field as in the YAML.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawEndpoint {
    pub operation_id: String,
    pub rust_name: String,
    pub title: RawText,
    pub description: RawText,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<RawText>,
    pub source: RawSource,
    pub http: RawHttp,
    pub auth: RawAuth,
    pub scopes: Vec<RawScope>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub field_scopes: Vec<RawScope>,
    /// The 接口频率限制 row; left out when the page has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limits: Option<RawRateLimits>,
    pub app_types: Vec<String>,
    /// What a client may do when it cannot tell whether an attempt was applied.
    pub unknown_outcome: RawUnknownOutcome,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub path_params: Vec<RawParam>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query_params: Vec<RawParam>,
    /// The 请求体 table: the JSON body's fields, nested as its `└` rows nest them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub request_body: Vec<RawField>,
    pub response: RawResponse,
    pub errors: RawErrors,
    /// Values the page gives that do not fit their type (a prose 默认值, an example the docs
    /// got wrong): kept as written, documentation only, and listed here so that the spec
    /// says they are the page's mistakes, not the importer's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub doc_defects: Vec<RawDocDefect>,
}

/// A value of the page that does not fit its type, at `at` (a field path of the spec).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawDocDefect {
    pub at: String,
    pub problem: String,
}

/// Whether a call may be sent again when an attempt's outcome is unknown (a timeout after the
/// request went out, a dropped connection), and what a resend answers if the first was applied.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawUnknownOutcome {
    pub resend: bool,
    pub codes_if_applied: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub url: String,
    pub last_updated: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawHttp {
    pub method: String,
    pub path: String,
    /// `multipart/form-data` for a file upload; left out for a JSON body (or none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawAuth {
    pub token_types: Vec<String>,
    /// The Authorization row: absent on a page that takes no token (the token endpoints).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<RawText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawScope {
    pub name: String,
    /// The console's label; some pages give the name alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<RawText>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawRateLimits {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub limits: Vec<RawRateLimit>,
    /// The row's text when it gives no count (`特殊频控`, a special limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawRateLimit {
    pub limit: i64,
    pub per: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawParam {
    pub name: String,
    #[serde(rename = "type")]
    pub param_type: String,
    /// The Rust enum of an `enum` parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// The Rust field name, for a parameter whose wire name is not a snake_case identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    pub description: RawText,
    pub example: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<RawAllowedValue>,
}

/// One value a parameter or field may take, as the page's 可选值有 list gives it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawAllowedValue {
    pub value: String,
    /// The enum variant of a value that becomes one (enum parameters and body fields).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    pub description: RawText,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawResponse {
    pub envelope: Vec<RawField>,
    pub data: Vec<RawField>,
    pub example: String,
    /// The response is a file (a download), not the JSON envelope: the page says
    /// 返回文件二进制流 where the 响应体 table would be. `envelope`, `data` and `example` are
    /// then empty.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub file: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawField {
    pub name: String,
    #[serde(rename = "type")]
    pub field_type: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub array: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// The Rust field name, for a field whose wire name is not a snake_case identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_field: Option<String>,
    /// Request body fields only: the page's 必填.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    pub description: RawText,
    /// Request body fields only: the page's 示例值.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Request body fields only: the page's 默认值, what the server assumes when the field is
    /// left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<RawAllowedValue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<RawField>,
    /// A secret (an app secret, an access token): its Rust type keeps it out of `Debug`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sensitive: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawErrors {
    /// The 通用错误码 link under the table; not every page has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub more_info_url: Option<String>,
    pub codes: Vec<RawErrorCode>,
}

/// One row of an endpoint page's error table, as the page gives it. Its Rust name and whether
/// it can be retried belong to the service's row of the same code.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawErrorCode {
    pub status: i64,
    pub code: i64,
    pub message: String,
    pub advice: RawText,
}

/// One service's spec (`spec/services/<service>.yaml`): its Rust name and its error codes,
/// each defined once for every endpoint of the service.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    pub service: String,
    pub rust_name: String,
    pub title: RawText,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<RawServiceErrorCode>,
}

/// One error code of a service, with the name every endpoint's error enum gives it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawServiceErrorCode {
    pub code: i64,
    pub rust_name: String,
    pub status: i64,
    pub message: String,
    pub retryable: bool,
    pub advice: RawText,
}

/// The shared spec of platform-wide error codes (`spec/shared/platform_errors.yaml`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlatformErrors {
    pub title: RawText,
    pub source: RawSource,
    pub codes: Vec<RawPlatformErrorCode>,
}

/// One platform-wide error code. The page gives no HTTP status: the response's own is kept.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlatformErrorCode {
    pub code: i64,
    pub message: String,
    pub rust_name: String,
    pub retryable: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub new_token: bool,
    pub advice: RawText,
}

/// Spec texts that stand in for the files at their paths, new or changed: what `import` checks
/// before it writes anything.
pub type Overlay = std::collections::BTreeMap<PathBuf, String>;

/// Reads a spec file. I/O errors and YAML errors alike become a located diagnostic.
pub fn read_spec(path: &Path) -> Result<SpecSource, Diagnostic> {
    read_spec_in(path, &Overlay::new())
}

/// Reads a spec file, or its text in `overlay` when it has one.
pub fn read_spec_in(path: &Path, overlay: &Overlay) -> Result<SpecSource, Diagnostic> {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(text) = overlay.get(path) {
        return Ok(SpecSource {
            path: path.to_owned(),
            name,
            text: text.clone(),
        });
    }
    let text = std::fs::read_to_string(path).map_err(|err| Diagnostic {
        file: path.display().to_string(),
        line: 0,
        column: 0,
        field: String::new(),
        message: format!("cannot read spec: {err}"),
        hint: None,
    })?;
    Ok(SpecSource {
        path: path.to_owned(),
        name,
        text,
    })
}

/// Parses a spec's YAML into the raw structs.
pub fn parse_spec(source: &SpecSource) -> Result<RawEndpoint, Diagnostic> {
    parse(source)
}

/// Parses a service's YAML.
pub fn parse_service(source: &SpecSource) -> Result<RawService, Diagnostic> {
    parse(source)
}

/// Parses the platform error codes' YAML.
pub fn parse_platform_errors(source: &SpecSource) -> Result<RawPlatformErrors, Diagnostic> {
    parse(source)
}

fn parse<T: serde::de::DeserializeOwned>(source: &SpecSource) -> Result<T, Diagnostic> {
    serde_yaml::from_str(&source.text).map_err(|err| Diagnostic::from_yaml(source, &err))
}
