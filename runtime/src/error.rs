//! What every endpoint's error type can tell, answered in one place for all of them.

use std::fmt;

use http::StatusCode;

use crate::{ErrorCodeInfo, ErrorResponse, MalformedResponse, PlatformErrorInfo};

/// What every endpoint's error type can tell, whichever variant it is.
///
/// Generated error enums implement only [`view`](Self::view); everything else is answered
/// here, so the rules live once instead of in each endpoint's module. Bring the trait into
/// scope (`use feishu_openapi::EndpointError;`) to call these methods.
pub trait EndpointError: std::error::Error {
    /// What the error holds, for the provided methods.
    #[doc(hidden)]
    fn view(&self) -> ErrorView<'_>;

    /// The API's `code`, or `None` when the body was not the envelope.
    fn code(&self) -> Option<i64> {
        self.view().response.ok().map(|response| response.code)
    }

    /// The HTTP status the response had.
    fn http_status(&self) -> StatusCode {
        match self.view().response {
            Ok(response) => response.status,
            Err(malformed) => malformed.status,
        }
    }

    /// The documented message of a documented or platform code; otherwise the server's `msg`,
    /// or what was wrong with the body.
    fn message(&self) -> &str {
        let view = self.view();
        if let Some(platform) = view.platform {
            return platform.message;
        }
        match (view.documented, view.response) {
            (Some(row), _) => row.message,
            (None, Ok(response)) => &response.msg,
            (None, Err(malformed)) => &malformed.reason,
        }
    }

    /// Whether sending the same request again can succeed: as the spec says for a documented
    /// or platform code, else when the status is 429 or 5xx.
    ///
    /// An expired token is not retryable as is; see [`needs_new_token`](Self::needs_new_token).
    fn is_retryable(&self) -> bool {
        let view = self.view();
        if let Some(platform) = view.platform {
            return platform.retryable;
        }
        match (view.documented, view.response) {
            (Some(row), _) => row.retryable,
            (None, Ok(response)) => crate::response::status_suggests_retry(response.status),
            (None, Err(malformed)) => malformed.is_retryable(),
        }
    }

    /// The `X-Tt-Logid` request id, to quote to Feishu support.
    fn log_id(&self) -> Option<&str> {
        match self.view().response {
            Ok(response) => response.log_id.as_deref(),
            Err(malformed) => malformed.log_id.as_deref(),
        }
    }

    /// The error as the envelope carried it: status, `code`, `msg` and log id; `None` when
    /// the body was not the envelope.
    fn response(&self) -> Option<&ErrorResponse> {
        self.view().response.ok()
    }

    /// The documented row for this code, with the page's troubleshooting advice; `None` for
    /// a platform-wide, undocumented or malformed answer.
    fn documented(&self) -> Option<&'static ErrorCodeInfo> {
        self.view().documented
    }

    /// The shared table's row when the code is a platform-wide one (token, scope, rate limit).
    fn platform(&self) -> Option<&'static PlatformErrorInfo> {
        self.view().platform
    }

    /// Whether the access token is missing, invalid or expired: get a new token, then send
    /// the request again. [`is_retryable`](Self::is_retryable) is `false` for these, as the
    /// same request with the same token fails the same way.
    fn needs_new_token(&self) -> bool {
        self.platform().is_some_and(|row| row.new_token)
    }
}

/// What an error enum holds, whatever its variant: the response (or why the body was not the
/// envelope) and the documented row of its code.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct ErrorView<'a> {
    response: Result<&'a ErrorResponse, &'a MalformedResponse>,
    documented: Option<&'static ErrorCodeInfo>,
    platform: Option<&'static PlatformErrorInfo>,
}

impl<'a> ErrorView<'a> {
    /// A code of the spec's error table.
    pub fn documented(response: &'a ErrorResponse, row: &'static ErrorCodeInfo) -> Self {
        ErrorView {
            response: Ok(response),
            documented: Some(row),
            platform: None,
        }
    }

    /// A platform-wide code.
    pub fn platform(response: &'a ErrorResponse, row: &'static PlatformErrorInfo) -> Self {
        ErrorView {
            response: Ok(response),
            documented: None,
            platform: Some(row),
        }
    }

    /// A code no table documents.
    pub fn unknown(response: &'a ErrorResponse) -> Self {
        ErrorView {
            response: Ok(response),
            documented: None,
            platform: None,
        }
    }

    /// A body that was not the envelope.
    pub fn malformed(malformed: &'a MalformedResponse) -> Self {
        ErrorView {
            response: Err(malformed),
            documented: None,
            platform: None,
        }
    }

    /// The answer as it was decoded from, for decoding again as another error type (an
    /// endpoint's error into its service's).
    pub fn to_failure(&self) -> crate::ResponseFailure {
        match self.response {
            Ok(response) => crate::ResponseFailure::Api(response.clone()),
            Err(malformed) => crate::ResponseFailure::Malformed(malformed.clone()),
        }
    }

    /// `<what> failed: <what the response said>`, the `Display` of every error enum.
    pub fn fmt_failure(&self, f: &mut fmt::Formatter<'_>, what: &str) -> fmt::Result {
        write!(f, "{what} failed: ")?;
        self.fmt_response(f)
    }

    /// What the response said: code, status, `msg` and log id, or why it was not the envelope.
    pub fn fmt_response(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.response {
            Ok(response) => fmt::Display::fmt(response, f),
            Err(malformed) => fmt::Display::fmt(malformed, f),
        }
    }
}
