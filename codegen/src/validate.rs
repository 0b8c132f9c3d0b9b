//! Validate stage: raw spec to checked model, collecting every problem with its location.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, FieldPath};
use crate::import::MULTIPART;
use crate::load::{
    RawAllowedValue, RawAuth, RawEndpoint, RawField, RawParam, RawPlatformErrors, RawScope,
    RawService, RawText, SpecSource,
};
use crate::model::{
    AllowedValue, AppType, BodyEncoding, Endpoint, ErrorCode, Field, FieldType, HttpMethod, Param,
    ParamType, PathPart, PlatformErrorCode, PlatformErrors, RateLimit, RatePeriod, Scope, Service,
    ServiceErrorCode, Text, TokenType, UnknownOutcome,
};

/// How many bytes of YAML locating a spec's problems may read: a few hundred problems of a
/// hand-written spec, a few of a spec the size of the largest doc page.
const LOCATE_BUDGET: usize = 16 << 20;

/// Names a type of an endpoint's module may not take: the module's own types, and what it
/// imports from the runtime and the prelude.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "AppType",
    "Endpoint",
    "EndpointError",
    "ErrorCodeInfo",
    "ErrorResponse",
    "ErrorView",
    "MalformedResponse",
    "Operation",
    "PathAndQuery",
    "RateLimit",
    "RatePeriod",
    "ResponseFailure",
    "Scope",
    "TokenType",
    "PlatformError",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Iterator",
    "From",
    "Into",
    "ToString",
    "PartialEq",
    "Eq",
    "Self",
];

/// Variant names every error enum has besides its codes'.
const RESERVED_VARIANTS: [&str; 3] = ["Unknown", "Platform", "MalformedResponse"];

/// Checks a raw endpoint spec completely against the services' specs; returns the model, or
/// every problem found.
pub fn validate(
    source: &SpecSource,
    raw: &RawEndpoint,
    services: &[Service],
) -> Result<Endpoint, Vec<Diagnostic>> {
    validate_beside(source, raw, services, &[])
}

/// As [`validate`], where the services named in `refused` have a spec that was refused itself:
/// their problems are reported there, not again for every endpoint of theirs.
pub fn validate_beside(
    source: &SpecSource,
    raw: &RawEndpoint,
    services: &[Service],
    refused: &[String],
) -> Result<Endpoint, Vec<Diagnostic>> {
    check_all(source, |check| check.endpoint(raw, services, refused))
}

/// Checks a service's spec; returns the model, or every problem found.
pub fn validate_service(source: &SpecSource, raw: &RawService) -> Result<Service, Vec<Diagnostic>> {
    check_all(source, |check| check.service(raw))
}

/// Checks the platform error codes' spec; returns the model, or every problem found.
pub fn validate_platform_errors(
    source: &SpecSource,
    raw: &RawPlatformErrors,
) -> Result<PlatformErrors, Vec<Diagnostic>> {
    check_all(source, |check| check.platform_errors(raw))
}

/// Names a service's endpoints share must not clash: its error type, and the id type (and its
/// kind) of each required string parameter.
pub fn validate_service_names(services: &[Service], endpoints: &[Endpoint]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for service in services {
        let members: Vec<&Endpoint> = endpoints
            .iter()
            .filter(|endpoint| endpoint.service == service.name)
            .collect();
        let ids = crate::emit::service_ids(&members);
        let mut taken: BTreeMap<String, String> = BTreeMap::new();
        taken.insert(
            format!("{}Error", service.rust_name),
            format!("the error type of {}", service.spec_name),
        );
        for (id, params) in &ids {
            if RESERVED_TYPE_NAMES.contains(&id.as_str()) {
                problems.push(Diagnostic {
                    file: String::new(),
                    line: 0,
                    column: 0,
                    field: String::new(),
                    message: format!(
                        "{id}, the id type of parameter {:?}, is a name every endpoint module already uses",
                        params[0].0.name
                    ),
                    hint: Some("give the parameter a rust_field (import names it <name>_id)".to_owned()),
                });
            }
            for name in [id.clone(), format!("{id}Kind")] {
                let what = format!("the id type of parameter {:?}", params[0].0.name);
                match taken.get(&name) {
                    Some(other) => {
                        let user = members
                            .iter()
                            .find(|e| {
                                e.path_params
                                    .iter()
                                    .chain(&e.query_params)
                                    .any(|p| std::ptr::eq(p, params[0].0))
                            })
                            .map(|e| e.spec_name.clone())
                            .unwrap_or_default();
                        problems.push(Diagnostic {
                            file: user,
                            line: 0,
                            column: 0,
                            field: String::new(),
                            message: format!("{name}, {what}, is also {other}"),
                            hint: Some(
                                "rename the service (rust_name in its spec) or the parameter's Rust field"
                                    .to_owned(),
                            ),
                        });
                    }
                    None => {
                        taken.insert(name, what);
                    }
                }
            }
        }
    }
    problems
}

/// Runs `build` to the end, collecting every problem, and gives its model only if none.
fn check_all<T>(
    source: &SpecSource,
    build: impl FnOnce(&mut Checker<'_>) -> T,
) -> Result<T, Vec<Diagnostic>> {
    let mut check = Checker {
        source,
        problems: Vec::new(),
        multipart: false,
    };
    let model = build(&mut check);
    if check.problems.is_empty() {
        Ok(model)
    } else {
        Err(check.problems)
    }
}

struct Checker<'s> {
    source: &'s SpecSource,
    problems: Vec<Diagnostic>,
    /// Whether the endpoint's body is `multipart/form-data`, where files may be.
    multipart: bool,
}

fn root() -> FieldPath {
    FieldPath::default()
}

impl Checker<'_> {
    /// A problem at `field`. Locating one reads the spec's YAML again, so past
    /// [`LOCATE_BUDGET`] bytes read, further problems keep their field path but no line: a
    /// spec with many problems costs time in proportion to its size, not their product.
    fn problem(&mut self, field: &FieldPath, message: impl Into<String>, hint: Option<&str>) {
        let hint = hint.map(str::to_owned);
        let read = self.problems.len().saturating_add(1) * self.source.text.len();
        let diagnostic = if read <= LOCATE_BUDGET {
            Diagnostic::at(self.source, field, message, hint)
        } else {
            Diagnostic {
                file: self.source.path.display().to_string(),
                line: 0,
                column: 0,
                field: field.to_string(),
                message: message.into(),
                hint,
            }
        };
        self.problems.push(diagnostic);
    }

    fn endpoint(
        &mut self,
        raw: &RawEndpoint,
        services: &[Service],
        refused: &[String],
    ) -> Endpoint {
        let operation_parts = self.operation_id(&raw.operation_id);
        let service_name = operation_parts.first().cloned().unwrap_or_default();
        let service = services.iter().find(|service| service.name == service_name);
        if service.is_none() && !service_name.is_empty() && !refused.contains(&service_name) {
            self.problem(
                &root().key("operation_id"),
                format!("service {service_name:?} has no spec services/{service_name}.yaml"),
                Some("importing the page writes it; it names the service and its error codes"),
            );
        }
        let rust_name = self.rust_name(&raw.rust_name, &root().key("rust_name"));
        self.multipart = raw.http.content_type.as_deref() == Some(MULTIPART);
        let path_params = self.params(&raw.path_params, &root().key("path_params"), true);
        let query_params = self.params(&raw.query_params, &root().key("query_params"), false);
        let path = self.path_template(&raw.http.path, &path_params);
        let response_path = root().key("response");
        let doc_defects = self.doc_defects(raw);
        let envelope = self.fields(
            &raw.response.envelope,
            &response_path.key("envelope"),
            false,
        );
        // A response without `data` whose values sit beside `code` and `msg` (the token
        // endpoints'): those values are its data.
        let beside_code: Vec<Field> = envelope
            .iter()
            .filter(|field| !matches!(field.name.as_str(), "code" | "msg" | "data"))
            .cloned()
            .collect();
        let data_at_top_level =
            !envelope.iter().any(|field| field.name == "data") && !beside_code.is_empty();
        let data = if data_at_top_level {
            beside_code
        } else {
            self.fields(&raw.response.data, &response_path.key("data"), false)
        };
        let mut structs = BTreeMap::new();
        self.struct_names(&data, &response_path.key("data"), &mut structs);
        self.type_names(&rust_name, &query_params, &structs);
        let method = self.one_of(
            &raw.http.method,
            &HttpMethod::ALL,
            &root().key("http").key("method"),
            "HTTP method",
        );
        let params: Vec<&Param> = path_params.iter().chain(&query_params).collect();
        // A GET with a body is unusual, but some pages ask for one: it is sent as they say.
        let request_body = self.request_body(raw, &params);
        let mut body_types = BTreeMap::new();
        self.struct_names(&request_body, &root().key("request_body"), &mut body_types);
        let body_struct = format!("{rust_name}Body");
        if body_types.contains_key(&body_struct) {
            self.problem(
                &root().key("request_body"),
                format!(
                    "{body_struct}, the body's own struct, is also the name of a type inside it"
                ),
                Some("choose another rust_name for that object or enum"),
            );
        }

        Endpoint {
            spec_name: self.source.name.clone(),
            operation_id: raw.operation_id.clone(),
            service: operation_parts.first().cloned().unwrap_or_default(),
            version: operation_parts.get(1).cloned().unwrap_or_default(),
            sdk_name: sdk_name(&operation_parts),
            module_name: snake_from_camel(&rust_name),
            rust_name,
            title: self.text(&raw.title, &root().key("title")),
            description: self.text(&raw.description, &root().key("description")),
            notes: raw
                .notes
                .iter()
                .enumerate()
                .map(|(i, note)| self.text(note, &root().key("notes").index(i)))
                .collect(),
            source_url: self.url(&raw.source.url, &root().key("source").key("url")),
            last_updated: self.date(
                &raw.source.last_updated,
                &root().key("source").key("last_updated"),
            ),
            method,
            path_template: raw.http.path.clone(),
            path,
            // None for the endpoints that give a token.
            token_types: self.list_of(
                &raw.auth.token_types,
                &TokenType::ALL,
                &root().key("auth").key("token_types"),
                "token type",
                false,
            ),
            auth_description: self.auth_description(&raw.auth),
            auth_example: raw.auth.example.clone().unwrap_or_default(),
            scopes: self.scopes(&raw.scopes, &root().key("scopes")),
            field_scopes: self.scopes(&raw.field_scopes, &root().key("field_scopes")),
            rate_limit_doc_url: raw.rate_limits.as_ref().and_then(|limits| {
                let field = root().key("rate_limits").key("doc_url");
                limits.doc_url.as_ref().map(|url| self.url(url, &field))
            }),
            rate_limits: self.rate_limits(raw),
            rate_limit_special: raw
                .rate_limits
                .as_ref()
                .and_then(|limits| limits.special.clone()),
            app_types: self.list_of(
                &raw.app_types,
                &AppType::ALL,
                &root().key("app_types"),
                "app type",
                false,
            ),
            path_params,
            query_params,
            request_body,
            envelope,
            data,
            data_at_top_level,
            response_example: raw.response.example.clone(),
            response_file: self.response_file(raw),
            errors_more_info_url: raw
                .errors
                .more_info_url
                .as_ref()
                .map(|url| self.url(url, &root().key("errors").key("more_info_url"))),
            errors: self.errors(raw, service),
            unknown_outcome: self.unknown_outcome(raw),
            body_encoding: self.body_encoding(raw),
            doc_defects,
        }
    }

    fn service(&mut self, raw: &RawService) -> Service {
        let field = root().key("service");
        let expected_file = format!("{}.yaml", raw.service);
        if !is_snake_case(&raw.service) {
            self.problem(
                &field,
                format!("service {:?} is not snake_case", raw.service),
                Some("use the first part of the service's operation ids, e.g. calendar"),
            );
        } else if self.source.name.rsplit('/').next() != Some(expected_file.as_str()) {
            self.problem(
                &field,
                format!(
                    "spec file is named {:?} but its service asks for {expected_file:?}",
                    self.source.name
                ),
                Some("name each service's spec after the service"),
            );
        }
        let rust_name = self.rust_name(&raw.rust_name, &root().key("rust_name"));
        let errors_field = root().key("errors");
        let mut errors: Vec<ServiceErrorCode> = Vec::new();
        let mut variants: BTreeMap<String, i64> = BTreeMap::new();
        for (i, row) in raw.errors.iter().enumerate() {
            let item = errors_field.index(i);
            let status = self.status(row.status, &item.key("status"));
            let (message, variant) =
                self.error_identity(row.code, &row.message, &row.rust_name, &item, &mut variants);
            errors.push(ServiceErrorCode {
                code: row.code,
                status,
                message,
                variant,
                retryable: row.retryable,
                advice: self.text(&row.advice, &item.key("advice")),
            });
        }
        Service {
            spec_name: self.source.name.clone(),
            name: raw.service.clone(),
            rust_name,
            title: self.text(&raw.title, &root().key("title")),
            errors,
            // Filled in from the endpoints once they are loaded.
            scopes: Vec::new(),
        }
    }

    fn status(&mut self, status: i64, field: &FieldPath) -> u16 {
        match u16::try_from(status) {
            Ok(status) if (100..=599).contains(&status) => status,
            _ => {
                self.problem(
                    field,
                    format!("HTTP status {status} is outside 100..=599"),
                    None,
                );
                500
            }
        }
    }

    fn unknown_outcome(&mut self, raw: &RawEndpoint) -> UnknownOutcome {
        let field = root().key("unknown_outcome").key("codes_if_applied");
        for (i, code) in raw.unknown_outcome.codes_if_applied.iter().enumerate() {
            if !raw.errors.codes.iter().any(|row| row.code == *code) {
                self.problem(
                    &field.index(i),
                    format!("code {code} is not in this endpoint's error table"),
                    Some("list only codes of errors.codes, which the generated error type decodes"),
                );
            }
        }
        UnknownOutcome {
            resend: raw.unknown_outcome.resend,
            codes_if_applied: raw.unknown_outcome.codes_if_applied.clone(),
        }
    }

    fn operation_id(&mut self, id: &str) -> Vec<String> {
        let field = root().key("operation_id");
        let parts: Vec<String> = id.split('.').map(str::to_owned).collect();
        if parts.len() < 4 || !parts.iter().all(|part| is_snake_case(part)) {
            self.problem(
                &field,
                format!("operation id {id:?} is not `service.version.resource.action` in snake_case"),
                Some("use the id the official SDKs use, e.g. calendar.v4.calendar_event_meeting_chat.delete"),
            );
        }
        let expected_file = format!("{id}.yaml");
        if self.source.name != expected_file {
            self.problem(
                &field,
                format!(
                    "spec file is named {:?} but its operation id asks for {expected_file:?}",
                    self.source.name
                ),
                Some(
                    "name each spec file after its operation id, so there is one file per endpoint",
                ),
            );
        }
        parts
    }

    fn rust_name(&mut self, name: &str, field: &FieldPath) -> String {
        if !is_upper_camel_case(name) {
            self.problem(
                field,
                format!("{name:?} is not an UpperCamelCase Rust name"),
                Some("ASCII letters and digits, starting with an upper-case letter, e.g. UnbindMeetingChat"),
            );
        }
        name.to_owned()
    }

    /// The Rust name of a parameter or field: its wire name when that is a snake_case
    /// identifier, else the `rust_field` the spec must give.
    fn rust_field(&mut self, wire: &str, rust_field: Option<&str>, item: &FieldPath) -> String {
        let usable = |name: &str| {
            is_snake_case(name) && !matches!(name, "self" | "super" | "crate" | "Self")
        };
        match rust_field {
            Some(name) if usable(name) => name.to_owned(),
            Some(name) => {
                self.problem(
                    &item.key("rust_field"),
                    format!("{name:?} is not a snake_case Rust name"),
                    Some("lower-case ASCII words joined by `_`, e.g. iban"),
                );
                name.to_owned()
            }
            None if usable(wire) => wire.to_owned(),
            None => {
                self.problem(
                    &item.key("name"),
                    format!("{wire:?} is not a snake_case Rust name"),
                    Some("keep the wire name, and give the Rust one as rust_field"),
                );
                wire.to_owned()
            }
        }
    }

    /// The Authorization row: required of an endpoint that takes a token; an endpoint that
    /// gives one has none.
    fn auth_description(&mut self, auth: &RawAuth) -> Text {
        let field = root().key("auth");
        match (&auth.description, &auth.example) {
            (Some(description), Some(_)) => {
                return self.text(description, &field.key("description"));
            }
            (None, None) if auth.token_types.is_empty() => {}
            (None, _) => self.problem(
                &field,
                "missing field `description`",
                Some("the Authorization row's description; leave out `description` and `example` only when `token_types` is []"),
            ),
            (Some(_), None) => self.problem(
                &field,
                "missing field `example`",
                Some("the Authorization header's example, e.g. `Bearer u-7f1b...`"),
            ),
        }
        Text {
            zh: String::new(),
            en: None,
        }
    }

    fn text(&mut self, text: &RawText, field: &FieldPath) -> Text {
        Text {
            zh: self.non_empty(&text.zh, &field.key("zh")),
            en: text
                .en
                .as_ref()
                .map(|en| self.non_empty(en, &field.key("en"))),
        }
    }

    /// A parameter's or field's listed values; `named` when each becomes an enum variant,
    /// whose name the spec must state.
    fn allowed_values(
        &mut self,
        raw: &[RawAllowedValue],
        field: &FieldPath,
        named: bool,
    ) -> Vec<AllowedValue> {
        let mut values: Vec<AllowedValue> = Vec::new();
        for (i, raw_value) in raw.iter().enumerate() {
            let item = field.index(i);
            if values.iter().any(|seen| seen.value == raw_value.value) {
                self.problem(
                    &item.key("value"),
                    format!("value {:?} is listed twice", raw_value.value),
                    None,
                );
            }
            let variant = match (&raw_value.rust_name, named) {
                (Some(name), true) => self.rust_name(name, &item.key("rust_name")),
                (None, true) => {
                    self.problem(
                        &item,
                        format!("value {:?} needs `rust_name`, its enum variant", raw_value.value),
                        Some("name it after the value, e.g. open_id gives OpenId; import proposes one"),
                    );
                    String::new()
                }
                (Some(_), false) => {
                    self.problem(
                        &item.key("rust_name"),
                        "only the values of an enum are named",
                        Some("remove rust_name: a response's values are documentation"),
                    );
                    String::new()
                }
                (None, false) => String::new(),
            };
            if named && !variant.is_empty() && values.iter().any(|seen| seen.variant == variant) {
                self.problem(
                    &item.key("rust_name"),
                    format!("two values are both named {variant}"),
                    None,
                );
            }
            values.push(AllowedValue {
                value: raw_value.value.clone(),
                variant,
                description: self.text(&raw_value.description, &item.key("description")),
            });
        }
        values
    }

    fn non_empty(&mut self, value: &str, field: &FieldPath) -> String {
        if value.trim().is_empty() {
            self.problem(field, "must not be empty", None);
        }
        value.to_owned()
    }

    fn url(&mut self, url: &str, field: &FieldPath) -> String {
        if !url.starts_with("https://") || url.contains(char::is_whitespace) {
            self.problem(
                field,
                format!("{url:?} is not an https URL"),
                Some("copy the address of the upstream page"),
            );
        }
        url.to_owned()
    }

    fn date(&mut self, date: &str, field: &FieldPath) -> String {
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let parts: Vec<&str> = date.split('-').collect();
        let valid =
            matches!(parts.as_slice(), [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2));
        if !valid {
            self.problem(
                field,
                format!("{date:?} is not a date"),
                Some("write it as YYYY-MM-DD"),
            );
        }
        date.to_owned()
    }

    fn one_of<T: Copy>(
        &mut self,
        value: &str,
        choices: &[(&'static str, T)],
        field: &FieldPath,
        what: &str,
    ) -> T {
        if let Some((_, choice)) = choices.iter().find(|(name, _)| *name == value) {
            return *choice;
        }
        let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
        self.problem(
            field,
            format!("unknown {what} {value:?}"),
            Some(&format!("use one of: {}", names.join(", "))),
        );
        choices[0].1
    }

    /// A list of names from `choices`, each at most once; `required` when it may not be empty.
    fn list_of<T: Copy + PartialEq>(
        &mut self,
        values: &[String],
        choices: &[(&'static str, T)],
        field: &FieldPath,
        what: &str,
        required: bool,
    ) -> Vec<T> {
        if required && values.is_empty() {
            self.problem(field, format!("needs at least one {what}"), None);
        }
        let mut checked = Vec::new();
        for (i, value) in values.iter().enumerate() {
            let item = self.one_of(value, choices, &field.index(i), what);
            if checked.contains(&item) {
                self.problem(
                    &field.index(i),
                    format!("{what} {value:?} is listed twice"),
                    None,
                );
            }
            checked.push(item);
        }
        checked
    }

    /// The scopes of which any one grants access; none when the page asks for none (无).
    fn scopes(&mut self, raw: &[RawScope], field: &FieldPath) -> Vec<Scope> {
        let mut scopes: Vec<Scope> = Vec::new();
        for (i, scope) in raw.iter().enumerate() {
            let item = field.index(i);
            let name = self.non_empty(&scope.name, &item.key("name"));
            if scopes.iter().any(|seen| seen.name == name) {
                self.problem(
                    &item.key("name"),
                    format!("scope {name:?} is listed twice"),
                    None,
                );
            }
            let label = scope
                .label
                .as_ref()
                .map(|label| self.text(label, &item.key("label")));
            scopes.push(Scope { name, label });
        }
        scopes
    }

    /// The counted limits; none when the page has no 接口频率限制 row, or a special one.
    fn rate_limits(&mut self, raw: &RawEndpoint) -> Vec<RateLimit> {
        let Some(rate_limits) = &raw.rate_limits else {
            return Vec::new();
        };
        let field = root().key("rate_limits").key("limits");
        if rate_limits.limits.is_empty() && rate_limits.special.is_none() {
            self.problem(
                &field,
                "needs at least one rate limit, or `special` with the row's text",
                Some("leave rate_limits out when the page has no 接口频率限制 row"),
            );
        }
        if let Some(special) = &rate_limits.special {
            self.non_empty(special, &root().key("rate_limits").key("special"));
        }
        let mut limits: Vec<RateLimit> = Vec::new();
        for (i, raw_limit) in rate_limits.limits.iter().enumerate() {
            let item = field.index(i);
            let period = self.one_of(&raw_limit.per, &RatePeriod::ALL, &item.key("per"), "period");
            let limit = match u32::try_from(raw_limit.limit) {
                Ok(limit) if limit > 0 => limit,
                _ => {
                    self.problem(
                        &item.key("limit"),
                        format!("rate limit {} is not a positive count", raw_limit.limit),
                        Some("a limit counts calls per period: 1 or more"),
                    );
                    1
                }
            };
            if limits.iter().any(|seen| seen.period == period) {
                self.problem(&item.key("per"), "two limits for the same period", None);
            }
            limits.push(RateLimit { limit, period });
        }
        limits
    }

    fn params(&mut self, raw: &[RawParam], field: &FieldPath, in_path: bool) -> Vec<Param> {
        let mut params: Vec<Param> = Vec::new();
        for (i, param) in raw.iter().enumerate() {
            let item = field.index(i);
            let rust_field = self.rust_field(&param.name, param.rust_field.as_deref(), &item);
            if params.iter().any(|seen| seen.name == param.name) {
                self.problem(
                    &item.key("name"),
                    format!("parameter {:?} is declared twice", param.name),
                    None,
                );
            }
            let param_type = self.one_of(
                &param.param_type,
                &ParamType::ALL,
                &item.key("type"),
                "parameter type",
            );
            let required = match (in_path, param.required) {
                (true, None | Some(true)) => true,
                (true, Some(false)) => {
                    self.problem(
                        &item.key("required"),
                        "a path parameter is always required",
                        Some("remove `required: false`"),
                    );
                    true
                }
                (false, Some(required)) => required,
                (false, None) => {
                    self.problem(
                        &item,
                        "missing field `required`",
                        Some("say whether the query parameter is required (必填)"),
                    );
                    false
                }
            };
            if in_path && param_type != ParamType::String {
                self.problem(
                    &item.key("type"),
                    format!("a path parameter is a string id, not {}", param_type.name()),
                    Some("use `type: string`"),
                );
            }
            let values = self.allowed_values(
                &param.values,
                &item.key("values"),
                param_type == ParamType::Enum,
            );
            let enum_name = match (param_type, &param.rust_name) {
                (ParamType::Enum, Some(name)) => self.rust_name(name, &item.key("rust_name")),
                (ParamType::Enum, None) => {
                    self.problem(
                        &item,
                        "an enum parameter needs `rust_name`, the name of its enum",
                        Some("name it after the parameter, e.g. user_id_type gives UserIdType"),
                    );
                    String::new()
                }
                (_, Some(_)) => {
                    self.problem(
                        &item.key("rust_name"),
                        "only an enum parameter is named by rust_name",
                        Some("remove rust_name, or use rust_field to rename the parameter"),
                    );
                    String::new()
                }
                (_, None) => String::new(),
            };
            match (param_type, values.is_empty()) {
                (ParamType::Enum, true) => self.problem(
                    &item.key("type"),
                    "an enum parameter needs its `values`",
                    Some("list the page's 可选值有 items under `values`"),
                ),
                (ParamType::String | ParamType::Bool | ParamType::Int, false) => self.problem(
                    &item.key("values"),
                    format!(
                        "a {} parameter takes any value; `values` needs `type: enum`",
                        param_type.name()
                    ),
                    None,
                ),
                _ => {}
            }
            let example = param.example.clone();
            params.push(Param {
                name: param.name.clone(),
                field: rust_field,
                param_type,
                required,
                description: self.text(&param.description, &item.key("description")),
                example,
                default: param.default.clone(),
                values,
                enum_name,
            });
        }
        params
    }

    /// Collects the structs (and a body's enums) of a field tree by name; one name, one shape.
    fn struct_names<'f>(
        &mut self,
        fields: &'f [Field],
        field: &FieldPath,
        structs: &mut BTreeMap<String, &'f Field>,
    ) {
        for (i, data_field) in fields.iter().enumerate() {
            let item = field.index(i);
            if let Some(name) = &data_field.struct_name {
                match structs.get(name.as_str()) {
                    Some(seen) if !same_type(seen, data_field) => {
                        let message = if seen.field_type == data_field.field_type
                            && data_field.field_type == FieldType::Object
                        {
                            format!("struct {name} is declared again with other fields")
                        } else {
                            format!(
                                "type {name} is declared again as another type or with other values"
                            )
                        };
                        self.problem(
                            &item.key("rust_name"),
                            message,
                            Some("give objects of different shapes different rust_names"),
                        )
                    }
                    Some(_) => {}
                    None => {
                        structs.insert(name.clone(), data_field);
                    }
                }
            }
            self.struct_names(&data_field.fields, &item.key("fields"), structs);
        }
    }

    /// Generated names in one endpoint module must not collide.
    fn type_names(
        &mut self,
        rust_name: &str,
        query_params: &[Param],
        structs: &BTreeMap<String, &Field>,
    ) {
        let mut taken: Vec<String> = ["Request", "Response", "Error"]
            .iter()
            .map(|suffix| format!("{rust_name}{suffix}"))
            .collect();
        taken.extend(structs.keys().cloned());
        taken.extend(RESERVED_TYPE_NAMES.iter().map(|name| (*name).to_owned()));
        for (i, param) in query_params.iter().enumerate() {
            if param.param_type == ParamType::Enum {
                if taken.contains(&param.enum_name) {
                    self.problem(
                        &root().key("query_params").index(i).key("name"),
                        format!(
                            "the enum {} would clash with another generated type",
                            param.enum_name
                        ),
                        Some("rename the response struct (rust_name) that has this name"),
                    );
                }
                taken.push(param.enum_name.clone());
            }
        }
        for (name, _) in structs.iter() {
            if taken.iter().filter(|taken| *taken == name).count() > 1 {
                self.problem(
                    &root().key("response").key("data"),
                    format!("struct {name} clashes with a generated type of the same name"),
                    Some("choose another rust_name for the object"),
                );
            }
        }
    }

    fn path_template(&mut self, template: &str, params: &[Param]) -> Vec<PathPart> {
        let field = root().key("http").key("path");
        if !template.starts_with('/') || template.contains(['?', '#', ' ']) {
            self.problem(
                &field,
                format!("path {template:?} is not an absolute path without query"),
                Some("copy the path of the page's HTTP URL, from /open-apis/ on"),
            );
            return Vec::new();
        }
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut used = vec![false; params.len()];
        for segment in template.split('/').skip(1) {
            literal.push('/');
            let Some(name) = segment.strip_prefix(':') else {
                literal.push_str(segment);
                continue;
            };
            match params.iter().position(|param| param.name == name) {
                Some(index) => {
                    parts.push(PathPart::Literal(std::mem::take(&mut literal)));
                    parts.push(PathPart::Param(index));
                    if used[index] {
                        self.problem(&field, format!("`:{name}` appears twice in the path"), None);
                    }
                    used[index] = true;
                }
                None => self.problem(
                    &field,
                    format!("path parameter `:{name}` is not declared in path_params"),
                    Some("add it to path_params, or fix its spelling in the path"),
                ),
            }
        }
        if !literal.is_empty() {
            parts.push(PathPart::Literal(literal));
        }
        for (index, param) in params.iter().enumerate() {
            // A name declared twice is reported once, as a duplicate.
            let declared_before = params[..index].iter().any(|p| p.name == param.name);
            if !used[index] && !declared_before {
                self.problem(
                    &root().key("path_params").index(index).key("name"),
                    format!(
                        "path parameter {:?} does not appear in the path",
                        param.name
                    ),
                    Some("write it as `:name` in http.path, or remove it"),
                );
            }
        }
        parts
    }

    fn fields(&mut self, raw: &[RawField], field: &FieldPath, in_body: bool) -> Vec<Field> {
        let mut fields: Vec<Field> = Vec::new();
        for (i, raw_field) in raw.iter().enumerate() {
            let item = field.index(i);
            let rust_field =
                self.rust_field(&raw_field.name, raw_field.rust_field.as_deref(), &item);
            if fields.iter().any(|seen| seen.name == raw_field.name) {
                self.problem(
                    &item.key("name"),
                    format!("field {:?} is declared twice", raw_field.name),
                    None,
                );
            }
            let field_type = self.one_of(
                &raw_field.field_type,
                &FieldType::ALL,
                &item.key("type"),
                "field type",
            );
            let nested = self.fields(&raw_field.fields, &item.key("fields"), in_body);
            let struct_name = self.field_type_name(raw_field, field_type, &nested, &item);
            if field_type != FieldType::Object && !raw_field.fields.is_empty() {
                self.problem(
                    &item.key("fields"),
                    format!("a {} field has no fields", field_type.name()),
                    Some("use `type: object` for a field that holds others"),
                );
            }
            let values = self.allowed_values(
                &raw_field.values,
                &item.key("values"),
                in_body && field_type == FieldType::Enum,
            );
            let required = self.field_required(raw_field, &item, in_body);
            match (in_body, field_type, values.is_empty()) {
                (false, FieldType::Enum, _) => self.problem(
                    &item.key("type"),
                    "only request body fields are enums; a response may carry values the docs do not list",
                    Some("use `type: string` with `values`"),
                ),
                (true, FieldType::Enum, true) => self.problem(
                    &item.key("type"),
                    "an enum field needs its `values`",
                    Some("list the page's 可选值有 items under `values`"),
                ),
                (true, FieldType::String, false) => self.problem(
                    &item.key("values"),
                    "a request body string takes any value; `values` needs `type: enum`",
                    None,
                ),
                (_, FieldType::Object | FieldType::File, false) => self.problem(
                    &item.key("values"),
                    format!("a {} lists no values", field_type.name()),
                    Some("keep the page's list in the description"),
                ),
                // Numbers and bools list their values as documentation, as responses do.
                _ => {}
            }
            if field_type == FieldType::File {
                let top_level = field.0.len() == 1;
                if !in_body || !self.multipart || !top_level {
                    self.problem(
                        &item.key("type"),
                        "a file is a top-level field of a multipart/form-data request body",
                        Some("set http.content_type: multipart/form-data, or use another type"),
                    );
                }
            }
            for (key, value) in [
                ("example", &raw_field.example),
                ("default", &raw_field.default),
            ] {
                if value.is_some() && !in_body {
                    self.problem(
                        &item.key(key),
                        format!("only request body fields carry {key}"),
                        Some("a response field documents neither; the response's example is response.example"),
                    );
                }
            }
            if raw_field.sensitive && (field_type != FieldType::String || raw_field.array) {
                self.problem(
                    &item.key("sensitive"),
                    "only a string field is sensitive",
                    Some("remove `sensitive`"),
                );
            }
            fields.push(Field {
                name: raw_field.name.clone(),
                field: rust_field,
                field_type,
                array: raw_field.array,
                required,
                description: self.text(&raw_field.description, &item.key("description")),
                example: raw_field.example.clone(),
                default: raw_field.default.clone(),
                values,
                fields: nested,
                struct_name,
                sensitive: raw_field.sensitive,
            });
        }
        fields
    }

    /// The struct of an object with fields, or the enum of an enum field.
    fn field_type_name(
        &mut self,
        raw: &RawField,
        field_type: FieldType,
        nested: &[Field],
        item: &FieldPath,
    ) -> Option<String> {
        match (&raw.rust_name, field_type, nested.is_empty()) {
            (Some(name), FieldType::Object, false) | (Some(name), FieldType::Enum, _) => {
                if matches!(name.as_str(), "Serialize" | "Deserialize") {
                    self.problem(
                        &item.key("rust_name"),
                        format!("{name:?} is the serde derive a body module imports"),
                        Some("choose another name, e.g. after the field"),
                    );
                }
                Some(self.rust_name(name, &item.key("rust_name")))
            }
            (None, FieldType::Enum, _) => {
                self.problem(
                    item,
                    "an enum field needs `rust_name`, the name of its enum",
                    Some("name it after the field, e.g. visibility gives Visibility"),
                );
                None
            }
            (None, FieldType::Object, false) => {
                self.problem(
                    item,
                    "an object with fields needs `rust_name`, the name of its struct",
                    Some("name it after the page's type, e.g. time_info gives TimeInfo"),
                );
                None
            }
            (Some(_), _, _) => {
                self.problem(
                    &item.key("rust_name"),
                    "only an object with fields or an enum is named by rust_name",
                    Some("remove rust_name, or declare the object's fields"),
                );
                None
            }
            (None, _, _) => None,
        }
    }

    /// A body field must say whether it is required; a response field must not.
    fn field_required(&mut self, raw: &RawField, item: &FieldPath, in_body: bool) -> bool {
        match (in_body, raw.required) {
            (true, Some(required)) => required,
            (true, None) => {
                self.problem(
                    item,
                    "missing field `required`",
                    Some("say whether the request body field is required (必填)"),
                );
                false
            }
            (false, Some(_)) => {
                self.problem(
                    &item.key("required"),
                    "only request body fields are required or not; every response field may be left out",
                    Some("remove `required`"),
                );
                false
            }
            (false, None) => false,
        }
    }

    /// A file response has no envelope, data or example.
    fn response_file(&mut self, raw: &RawEndpoint) -> bool {
        let response = &raw.response;
        if response.file
            && !(response.envelope.is_empty()
                && response.data.is_empty()
                && response.example.is_empty())
        {
            self.problem(
                &root().key("response").key("file"),
                "a file response has no envelope, data or example",
                Some("leave envelope and data [] and example '' for a download"),
            );
        }
        response.file
    }

    /// How the body is sent: `http.content_type` is left out for JSON.
    fn body_encoding(&mut self, raw: &RawEndpoint) -> BodyEncoding {
        match raw.http.content_type.as_deref() {
            None => BodyEncoding::Json,
            Some(MULTIPART) => BodyEncoding::Multipart,
            Some(other) => {
                self.problem(
                    &root().key("http").key("content_type"),
                    format!("content type {other:?} is not one the generator sends"),
                    Some("leave it out for a JSON body, or write multipart/form-data"),
                );
                BodyEncoding::Json
            }
        }
    }

    /// The page's values that do not fit their type must be the ones `doc_defects` lists,
    /// each with its problem as [`value_defects`] words it: no more, no fewer.
    fn doc_defects(&mut self, raw: &RawEndpoint) -> Vec<(String, String)> {
        let found = value_defects(raw);
        let listed = &raw.doc_defects;
        for (path, problem) in &found {
            let at = path.to_string();
            if !listed.iter().any(|d| d.at == at && d.problem == *problem) {
                self.problem(
                    path,
                    problem.clone(),
                    Some("fix the value; or, when the page itself says so, list it under doc_defects (import does)"),
                );
            }
        }
        for (i, defect) in listed.iter().enumerate() {
            let known = found
                .iter()
                .any(|(path, problem)| path.to_string() == defect.at && *problem == defect.problem);
            if !known {
                self.problem(
                    &root().key("doc_defects").index(i),
                    format!("{}: no such defect: {}", defect.at, defect.problem),
                    Some("remove the entry: the value it names fits its type"),
                );
            }
        }
        found
            .into_iter()
            .map(|(path, problem)| (path.to_string(), problem))
            .collect()
    }

    /// The request body's checks beyond its fields': where a body may be, and names that
    /// would clash with the request's own methods.
    fn request_body(&mut self, raw: &RawEndpoint, params: &[&Param]) -> Vec<Field> {
        let field = root().key("request_body");
        let body = self.fields(&raw.request_body, &field, true);
        if body.is_empty() {
            return body;
        }
        if let Some(i) = params.iter().position(|param| param.name == "body") {
            let list = if i < raw.path_params.len() {
                "path_params"
            } else {
                "query_params"
            };
            let index = if i < raw.path_params.len() {
                i
            } else {
                i - raw.path_params.len()
            };
            self.problem(
                &root().key(list).index(index).key("name"),
                "a parameter named `body` clashes with the request's `body()`",
                None,
            );
        }
        for (i, body_field) in body.iter().enumerate() {
            if params.iter().any(|param| param.field == body_field.field) {
                self.problem(
                    &field.index(i).key("name"),
                    format!(
                        "body field {:?} has the Rust name of a parameter: the request would get two `{}` methods",
                        body_field.name, body_field.field
                    ),
                    Some("give the body field another rust_field (import names it body_<name>)"),
                );
            }
        }
        body
    }

    /// The page's error rows, each a code of the service, whose name and retry rule it takes.
    fn errors(&mut self, raw: &RawEndpoint, service: Option<&Service>) -> Vec<ErrorCode> {
        let field = root().key("errors").key("codes");
        let mut errors: Vec<ErrorCode> = Vec::new();
        for (i, row) in raw.errors.codes.iter().enumerate() {
            let item = field.index(i);
            let status = self.status(row.status, &item.key("status"));
            if row.code == 0 {
                self.problem(
                    &item.key("code"),
                    "error code 0 means success, not an error",
                    Some("copy the code from the page's 错误码 column"),
                );
            }
            if errors.iter().any(|seen| seen.code == row.code) {
                self.problem(
                    &item.key("code"),
                    format!("error code {} is listed twice", row.code),
                    None,
                );
            }
            self.error_message(&row.message, &item.key("message"));
            let advice = self.text(&row.advice, &item.key("advice"));
            let known = service.and_then(|service| {
                let found = service.errors.iter().find(|known| known.code == row.code);
                if found.is_none() && row.code != 0 {
                    self.problem(
                        &item.key("code"),
                        format!(
                            "error code {} is not a code of {}",
                            row.code, service.spec_name
                        ),
                        Some("add it there with its rust_name; importing the page does"),
                    );
                }
                found
            });
            let Some(known) = known else {
                continue;
            };
            let same_facts_as_service =
                (status, row.message.as_str()) == (known.status, known.message.as_str());
            // The page's wording is the fact; its English is ours, rendered once, in the service.
            let same_as_service = same_facts_as_service && advice.zh == known.advice.zh;
            let advice = if same_as_service {
                known.advice.clone()
            } else {
                advice
            };
            errors.push(ErrorCode {
                status,
                code: row.code,
                message: row.message.clone(),
                variant: known.variant.clone(),
                retryable: known.retryable,
                advice,
                same_as_service,
                same_facts_as_service,
            });
        }
        errors
    }

    fn platform_errors(&mut self, raw: &RawPlatformErrors) -> PlatformErrors {
        let field = root().key("codes");
        if raw.codes.is_empty() {
            self.problem(&field, "needs at least one error code", None);
        }
        let mut codes: Vec<PlatformErrorCode> = Vec::new();
        let mut variants: BTreeMap<String, i64> = BTreeMap::new();
        for (i, row) in raw.codes.iter().enumerate() {
            let item = field.index(i);
            let (message, variant) =
                self.error_identity(row.code, &row.message, &row.rust_name, &item, &mut variants);
            codes.push(PlatformErrorCode {
                code: row.code,
                message,
                variant,
                retryable: row.retryable,
                new_token: row.new_token,
                advice: self.text(&row.advice, &item.key("advice")),
            });
        }
        PlatformErrors {
            spec_name: self.source.name.clone(),
            title: self.text(&raw.title, &root().key("title")),
            source_url: self.url(&raw.source.url, &root().key("source").key("url")),
            last_updated: self.date(
                &raw.source.last_updated,
                &root().key("source").key("last_updated"),
            ),
            codes,
        }
    }

    /// Checks a row's code, message and variant name; `variants` holds the names so far, by
    /// code, so two rows can share neither a code nor a name.
    fn error_identity(
        &mut self,
        code: i64,
        message: &str,
        rust_name: &str,
        item: &FieldPath,
        variants: &mut BTreeMap<String, i64>,
    ) -> (String, String) {
        if code == 0 {
            self.problem(
                &item.key("code"),
                "error code 0 means success, not an error",
                Some("copy the code from the page's 错误码 column"),
            );
        }
        if variants.values().any(|seen| *seen == code) {
            self.problem(
                &item.key("code"),
                format!("error code {code} is listed twice"),
                None,
            );
        }
        self.error_message(message, &item.key("message"));
        let variant = self.rust_name(rust_name, &item.key("rust_name"));
        if RESERVED_VARIANTS.contains(&variant.as_str()) {
            self.problem(
                &item.key("rust_name"),
                format!("Rust name {variant:?} is reserved for errors no table lists"),
                Some("choose another rust_name for this code"),
            );
        }
        match variants.get(&variant) {
            Some(other) => self.problem(
                &item.key("rust_name"),
                format!("codes {other} and {code} are both named {variant}"),
                Some("give each code its own rust_name"),
            ),
            None => {
                variants.insert(variant.clone(), code);
            }
        }
        (message.to_owned(), variant)
    }

    /// Checks a documented `msg`: any text the API sends (Chinese too), on one line.
    fn error_message(&mut self, message: &str, field: &FieldPath) {
        if message.trim().is_empty() {
            self.problem(
                field,
                "must not be empty",
                Some("copy the page's 描述 column"),
            );
        } else if message.chars().any(char::is_control) {
            self.problem(
                field,
                format!("message {message:?} is not one line of text"),
                Some("the message is the API's `msg`, as the page gives it"),
            );
        }
    }
}

/// The values of a spec that do not fit their type, each with its field path and what is
/// wrong: examples and defaults of parameters and body fields, and the response example.
/// They are documentation, kept as the page gives them; the spec lists them in
/// `doc_defects`.
pub fn value_defects(raw: &RawEndpoint) -> Vec<(FieldPath, String)> {
    let mut found = Vec::new();
    if raw
        .auth
        .example
        .as_deref()
        .is_some_and(|example| example.trim().is_empty())
    {
        found.push((
            root().key("auth").key("example"),
            "the page gives no example of the Authorization header".to_owned(),
        ));
    }
    for (list, params) in [
        ("path_params", &raw.path_params),
        ("query_params", &raw.query_params),
    ] {
        for (i, param) in params.iter().enumerate() {
            let item = root().key(list).index(i);
            let param_type = ParamType::ALL
                .iter()
                .find(|(name, _)| *name == param.param_type)
                .map(|(_, t)| *t);
            let Some(param_type) = param_type else {
                continue;
            };
            if param.example.trim().is_empty() {
                found.push((item.key("example"), "the page gives no 示例值".to_owned()));
            } else if let Some(problem) = stray_backtick(&param.example) {
                found.push((item.key("example"), problem));
            } else if !param_value_fits(param_type, &param.values, &param.example) {
                found.push((
                    item.key("example"),
                    misfit(&param.example, param_type.name()),
                ));
            }
            if let Some(default) = &param.default {
                if !param_value_fits(param_type, &param.values, default) {
                    found.push((item.key("default"), misfit(default, param_type.name())));
                }
            }
        }
    }
    body_defects(&raw.request_body, &root().key("request_body"), &mut found);
    let example = root().key("response").key("example");
    if raw.response.file {
        return found;
    }
    match serde_json::from_str::<serde_json::Value>(&raw.response.example) {
        Ok(value) if value.get("code").and_then(serde_json::Value::as_i64) == Some(0) => {}
        Ok(_) => found.push((
            example,
            "the example is not a success envelope with code 0".to_owned(),
        )),
        Err(err) => found.push((example, format!("the example is not JSON: {err}"))),
    }
    found
}

fn body_defects(fields: &[RawField], path: &FieldPath, found: &mut Vec<(FieldPath, String)>) {
    for (i, field) in fields.iter().enumerate() {
        let item = path.index(i);
        let field_type = FieldType::ALL
            .iter()
            .find(|(name, _)| *name == field.field_type)
            .map(|(_, t)| *t);
        if let Some(field_type) = field_type {
            for (key, value) in [("example", &field.example), ("default", &field.default)] {
                let Some(value) = value else { continue };
                if let Some(problem) = stray_backtick(value) {
                    found.push((item.key(key), problem));
                } else if !field_value_fits(field_type, field.array, &field.values, value) {
                    let what = if field.array {
                        format!("{}[]", field_type.name())
                    } else {
                        field_type.name().to_owned()
                    };
                    found.push((item.key(key), misfit(value, &what)));
                }
            }
        }
        body_defects(&field.fields, &item.key("fields"), found);
    }
}

/// A value with one backtick too many: Markdown code the page did not close.
fn stray_backtick(value: &str) -> Option<String> {
    (value.matches('`').count() % 2 == 1).then(|| format!("{value:?} has a stray backtick"))
}

fn misfit(value: &str, what: &str) -> String {
    let article = if what.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{value:?} is not {article} {what} value")
}

/// Whether an example or default fits a parameter's type.
pub fn param_value_fits(param_type: ParamType, values: &[RawAllowedValue], value: &str) -> bool {
    match param_type {
        ParamType::String => true,
        ParamType::Bool => matches!(value, "true" | "false"),
        ParamType::Int => value.parse::<i64>().is_ok(),
        ParamType::Enum => values.is_empty() || values.iter().any(|v| v.value == value),
    }
}

/// Whether a body field's example or default fits its type; a list's or object's is JSON.
pub fn field_value_fits(
    field_type: FieldType,
    array: bool,
    values: &[RawAllowedValue],
    value: &str,
) -> bool {
    match (field_type, array) {
        (FieldType::Object, _) | (_, true) => {
            serde_json::from_str::<serde_json::Value>(value).is_ok()
        }
        (FieldType::String | FieldType::File, false) => true,
        (FieldType::Int, false) => value.parse::<i64>().is_ok(),
        (FieldType::Float, false) => value.parse::<f64>().is_ok_and(f64::is_finite),
        (FieldType::Bool, false) => matches!(value, "true" | "false"),
        (FieldType::Enum, false) => values.is_empty() || values.iter().any(|v| v.value == value),
    }
}

/// Whether two named types are the same: an object's fields, an enum's values (descriptions
/// may differ).
pub fn same_type(a: &Field, b: &Field) -> bool {
    let wire = |f: &Field| f.values.iter().map(|v| v.value.clone()).collect::<Vec<_>>();
    a.field_type == b.field_type
        && same_shape(&a.fields, &b.fields)
        && (a.field_type != FieldType::Enum || wire(a) == wire(b))
}

/// Whether two structs of the same name hold the same fields (descriptions may differ).
fn same_shape(a: &[Field], b: &[Field]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(a, b)| {
            (
                &a.name,
                &a.field,
                a.field_type,
                a.array,
                a.required,
                &a.struct_name,
                a.sensitive,
            ) == (
                &b.name,
                &b.field,
                b.field_type,
                b.array,
                b.required,
                &b.struct_name,
                b.sensitive,
            ) && same_type(a, b)
        })
}

pub fn is_snake_case(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && s.bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_'))
        && !s.ends_with('_')
        && !s.contains("__")
}

pub fn is_upper_camel_case(s: &str) -> bool {
    matches!(s.bytes().next(), Some(b'A'..=b'Z')) && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// `app bot_id not found` to `AppBotIdNotFound`.
pub fn upper_camel_from_words(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            first.into_iter().chain(chars).collect::<String>()
        })
        .collect()
}

/// `UnbindMeetingChat` to `unbind_meeting_chat`.
pub fn snake_from_camel(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for (i, c) in s.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The official SDKs name an operation action first: `...calendar_event_meeting_chat.delete`
/// is `DeleteCalendarEventMeetingChat`.
pub fn sdk_name(operation_parts: &[String]) -> String {
    match operation_parts {
        [_, _, resource @ .., action] if !resource.is_empty() => {
            let resource = resource.join("_");
            format!(
                "{}{}",
                upper_camel_from_words(action),
                upper_camel_from_words(&resource)
            )
        }
        _ => String::new(),
    }
}
