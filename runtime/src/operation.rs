//! Facts about an endpoint, as the spec states them: what to call, with which rights, how often.

use std::fmt;

use crate::TokenType;

/// Everything the spec says about one endpoint that is not a request or response value.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Operation {
    /// The id the official SDKs and docs use, e.g. `calendar.v4.calendar_event_meeting_chat.delete`.
    pub id: &'static str,
    /// Page title as published (Chinese).
    pub title_zh: &'static str,
    /// Page title in English.
    pub title_en: &'static str,
    /// HTTP method.
    pub method: http::Method,
    /// Path with `:name` placeholders, as the docs write it.
    pub path_template: &'static str,
    /// Token types the endpoint accepts.
    pub token_types: &'static [TokenType],
    /// Scopes of which the app needs any one.
    pub scopes: &'static [Scope],
    /// Scopes without which the response leaves out sensitive fields (字段权限要求).
    pub field_scopes: &'static [Scope],
    /// Rate limits, all of which apply at once.
    pub rate_limits: &'static [RateLimit],
    /// Kinds of app that may call the endpoint.
    pub app_types: &'static [AppType],
    /// The upstream documentation page.
    pub doc_url: &'static str,
    /// What a client may do when it cannot tell whether an attempt was applied.
    pub unknown_outcome: UnknownOutcome,
    /// The query parameters a request must carry.
    pub required_query: &'static [&'static str],
    /// The top-level fields a request's JSON body must carry.
    pub required_body: &'static [&'static str],
    /// The page's error table.
    pub error_codes: &'static [ErrorCodeInfo],
    /// The page's example of a successful response body (JSON).
    pub response_example: &'static str,
}

impl Operation {
    /// An endpoint at `method` and `path_template` (`:name` placeholders), with no other
    /// facts yet: add them with the `with_` methods. The struct is `#[non_exhaustive]`, so
    /// that a fact the spec gains later is not a breaking change; an endpoint written by hand
    /// builds its `Operation` this way too.
    pub const fn new(id: &'static str, method: http::Method, path_template: &'static str) -> Self {
        Operation {
            id,
            title_zh: "",
            title_en: "",
            method,
            path_template,
            token_types: &[],
            scopes: &[],
            field_scopes: &[],
            rate_limits: &[],
            app_types: &[],
            doc_url: "",
            unknown_outcome: UnknownOutcome::new(false, &[]),
            required_query: &[],
            required_body: &[],
            error_codes: &[],
            response_example: "",
        }
    }

    /// The query parameters and top-level body fields a request must carry.
    pub const fn with_required(
        mut self,
        query: &'static [&'static str],
        body: &'static [&'static str],
    ) -> Self {
        self.required_query = query;
        self.required_body = body;
        self
    }

    /// The page's error table.
    pub const fn with_error_codes(mut self, error_codes: &'static [ErrorCodeInfo]) -> Self {
        self.error_codes = error_codes;
        self
    }

    /// The page's example of a successful response body.
    pub const fn with_response_example(mut self, response_example: &'static str) -> Self {
        self.response_example = response_example;
        self
    }

    /// What a client may do when it cannot tell whether an attempt was applied; by default,
    /// not send again.
    pub const fn with_unknown_outcome(mut self, unknown_outcome: UnknownOutcome) -> Self {
        self.unknown_outcome = unknown_outcome;
        self
    }

    /// The page title, as published and in English.
    pub const fn with_title(mut self, zh: &'static str, en: &'static str) -> Self {
        self.title_zh = zh;
        self.title_en = en;
        self
    }

    /// The token types the endpoint accepts.
    pub const fn with_token_types(mut self, token_types: &'static [TokenType]) -> Self {
        self.token_types = token_types;
        self
    }

    /// The scopes of which the app needs any one.
    pub const fn with_scopes(mut self, scopes: &'static [Scope]) -> Self {
        self.scopes = scopes;
        self
    }

    /// The scopes without which the response leaves out sensitive fields.
    pub const fn with_field_scopes(mut self, field_scopes: &'static [Scope]) -> Self {
        self.field_scopes = field_scopes;
        self
    }

    /// The rate limits, all of which apply at once.
    pub const fn with_rate_limits(mut self, rate_limits: &'static [RateLimit]) -> Self {
        self.rate_limits = rate_limits;
        self
    }

    /// The kinds of app that may call the endpoint.
    pub const fn with_app_types(mut self, app_types: &'static [AppType]) -> Self {
        self.app_types = app_types;
        self
    }

    /// The upstream documentation page.
    pub const fn with_doc_url(mut self, doc_url: &'static str) -> Self {
        self.doc_url = doc_url;
        self
    }

    /// Whether a call made with this kind of token is accepted.
    pub fn accepts(&self, token_type: TokenType) -> bool {
        self.token_types.contains(&token_type)
    }
}

/// What a client may do after an attempt whose outcome it cannot know: a timeout after the
/// request went out, or a connection dropped before the whole answer came back.
///
/// Sending again is not always safe, and even when it is, the second answer can describe the
/// state the first attempt left: unbinding twice answers 195108 (chat not match with event)
/// for an unbind that did happen. A client reads this to resend only what may be resent, and
/// to report such an answer as an uncertain outcome rather than as the error it looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnknownOutcome {
    /// Whether the call may be sent again when an earlier attempt may have been applied.
    pub resend: bool,
    /// Codes a resend answers when an earlier attempt was applied.
    pub codes_if_applied: &'static [i64],
}

impl UnknownOutcome {
    /// Whether to `resend`, and the codes a resend answers when an earlier attempt was applied.
    pub const fn new(resend: bool, codes_if_applied: &'static [i64]) -> Self {
        UnknownOutcome {
            resend,
            codes_if_applied,
        }
    }
}

/// A permission an app can be granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Scope {
    /// The scope as the API names it, e.g. `calendar:calendar`.
    pub name: &'static str,
    /// Its label in the developer console (Chinese).
    pub label_zh: &'static str,
    /// Its label in English.
    pub label_en: &'static str,
}

impl Scope {
    /// A scope, for generated code.
    #[doc(hidden)]
    pub const fn new(name: &'static str, label_zh: &'static str, label_en: &'static str) -> Self {
        Scope {
            name,
            label_zh,
            label_en,
        }
    }
}

/// At most `limit` calls per `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// Calls allowed in one period.
    pub limit: u32,
    /// The period.
    pub period: RatePeriod,
}

impl RateLimit {
    /// A rate limit, for generated code.
    #[doc(hidden)]
    pub const fn new(limit: u32, period: RatePeriod) -> Self {
        RateLimit { limit, period }
    }

    /// `limit` calls a second, for generated code.
    #[doc(hidden)]
    pub const fn per_second(limit: u32) -> Self {
        RateLimit::new(limit, RatePeriod::Second)
    }

    /// `limit` calls a minute, for generated code.
    #[doc(hidden)]
    pub const fn per_minute(limit: u32) -> Self {
        RateLimit::new(limit, RatePeriod::Minute)
    }
}

impl fmt::Display for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.limit, self.period)
    }
}

/// The window a rate limit counts calls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RatePeriod {
    /// One second.
    Second,
    /// One minute.
    Minute,
}

impl RatePeriod {
    /// Length of the window.
    pub const fn duration(self) -> std::time::Duration {
        match self {
            RatePeriod::Second => std::time::Duration::from_secs(1),
            RatePeriod::Minute => std::time::Duration::from_secs(60),
        }
    }
}

impl fmt::Display for RatePeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RatePeriod::Second => "s",
            RatePeriod::Minute => "min",
        })
    }
}

/// A kind of app on the Feishu Open Platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AppType {
    /// 自建应用: an app built by a tenant for itself.
    Custom,
    /// 商店应用: an app published in the app store (ISV).
    Store,
}

/// One row of an endpoint's documented error table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorCodeInfo {
    /// The `code` field of the response body.
    pub code: i64,
    /// The HTTP status the docs give for this code.
    pub http_status: u16,
    /// The `msg` the docs give for this code.
    pub message: &'static str,
    /// Troubleshooting advice as published (Chinese).
    pub advice_zh: &'static str,
    /// Troubleshooting advice in English; empty until the spec has it.
    pub advice_en: &'static str,
    /// Whether sending the same request again can succeed.
    pub retryable: bool,
}

impl ErrorCodeInfo {
    /// A row, for generated code.
    #[doc(hidden)]
    pub const fn new(
        code: i64,
        http_status: u16,
        message: &'static str,
        advice_zh: &'static str,
        advice_en: &'static str,
        retryable: bool,
    ) -> Self {
        ErrorCodeInfo {
            code,
            http_status,
            message,
            advice_zh,
            advice_en,
            retryable,
        }
    }

    /// The same row with a page's own advice: an endpoint whose page words a service's code
    /// differently keeps its wording.
    #[doc(hidden)]
    pub const fn with_advice(mut self, advice_zh: &'static str, advice_en: &'static str) -> Self {
        self.advice_zh = advice_zh;
        self.advice_en = advice_en;
        self
    }
}

/// One row of the shared table of platform-wide error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PlatformErrorInfo {
    /// The `code` field of the response body.
    pub code: i64,
    /// The `msg` the docs give for this code.
    pub message: &'static str,
    /// Troubleshooting advice as published (Chinese).
    pub advice_zh: &'static str,
    /// Troubleshooting advice in English; empty until the spec has it.
    pub advice_en: &'static str,
    /// Whether sending the same request again, after a pause, can succeed.
    pub retryable: bool,
    /// Whether a new access token is needed before sending again.
    pub new_token: bool,
}

impl PlatformErrorInfo {
    /// A row, for generated code.
    #[doc(hidden)]
    pub const fn new(
        code: i64,
        message: &'static str,
        advice_zh: &'static str,
        advice_en: &'static str,
        retryable: bool,
        new_token: bool,
    ) -> Self {
        PlatformErrorInfo {
            code,
            message,
            advice_zh,
            advice_en,
            retryable,
            new_token,
        }
    }
}
