//! Decoding what the server sent back: the `{code, msg, data}` envelope, or why it is not one.

use std::fmt;

use http::{HeaderMap, HeaderName, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// The header that carries the request id of every response; quote it to Feishu support.
pub const LOG_ID_HEADER: &str = "x-tt-logid";

/// [`LOG_ID_HEADER`] checked once, so a lookup does not parse the name again.
static LOG_ID_HEADER_NAME: HeaderName = HeaderName::from_static(LOG_ID_HEADER);

/// At most this many bytes of a body that is not the envelope are kept in the error.
const EXCERPT_LIMIT: usize = 256;

/// A successful call: the endpoint's data and the request id.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiResponse<T> {
    /// The `data` of the envelope.
    pub data: T,
    /// The `X-Tt-Logid` request id, when the server sent one.
    pub log_id: Option<String>,
}

/// An error the API reported in the envelope: a non-zero `code`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorResponse {
    /// HTTP status of the response.
    pub status: StatusCode,
    /// The `code` field.
    pub code: i64,
    /// The `msg` field, as sent (clients should branch on `code`, not on this).
    pub msg: String,
    /// The `X-Tt-Logid` request id, or the body's `error.log_id` when the header is missing.
    pub log_id: Option<String>,
}

/// A response that is not the JSON envelope: a gateway's HTML page, an empty or cut-off body,
/// a `code` of the wrong type, or data that does not match the endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MalformedResponse {
    /// HTTP status of the response.
    pub status: StatusCode,
    /// The `X-Tt-Logid` request id, when the server sent one.
    pub log_id: Option<String>,
    /// What is wrong with the body.
    pub reason: String,
    /// The start of the body (lossy UTF-8, at most 256 bytes), for the log.
    pub excerpt: String,
    /// Length of the whole body in bytes.
    pub body_len: usize,
}

impl ErrorResponse {
    /// An error as the envelope carries it, e.g. to stand in for a server's answer in a test
    /// of code that handles an endpoint's error.
    pub fn new(
        status: StatusCode,
        code: i64,
        msg: impl Into<String>,
        log_id: Option<String>,
    ) -> Self {
        ErrorResponse {
            status,
            code,
            msg: msg.into(),
            log_id,
        }
    }
}

impl MalformedResponse {
    fn new(status: StatusCode, log_id: Option<String>, body: &[u8], reason: String) -> Self {
        let mut end = body.len().min(EXCERPT_LIMIT);
        // Cut at a character boundary so the excerpt is readable, when the body is UTF-8.
        while end > 0 && end < body.len() && (body[end] & 0xC0) == 0x80 {
            end -= 1;
        }
        MalformedResponse {
            status,
            log_id,
            reason,
            excerpt: String::from_utf8_lossy(&body[..end]).into_owned(),
            body_len: body.len(),
        }
    }

    /// A body that is not what was expected and must not be kept, not even an excerpt: it may
    /// hold a secret, such as a token the envelope did not frame as expected.
    pub fn redacted(
        status: StatusCode,
        log_id: Option<String>,
        reason: impl Into<String>,
        body_len: usize,
    ) -> Self {
        MalformedResponse {
            status,
            log_id,
            reason: reason.into(),
            excerpt: String::new(),
            body_len,
        }
    }

    /// Whether sending again can help: gateways answer 429 and 5xx with bodies like these.
    pub fn is_retryable(&self) -> bool {
        status_suggests_retry(self.status)
    }
}

/// Whether an HTTP status alone says a retry can help.
pub(crate) fn status_suggests_retry(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

impl fmt::Display for ErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "code {} (HTTP {}): {}",
            self.code,
            self.status.as_u16(),
            self.msg
        )?;
        write_log_id(f, self.log_id.as_deref())
    }
}

impl fmt::Display for MalformedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "response is not the API's JSON envelope (HTTP {}): {}",
            self.status.as_u16(),
            self.reason
        )?;
        write_log_id(f, self.log_id.as_deref())?;
        write!(
            f,
            "; body ({} bytes) starts {:?}",
            self.body_len, self.excerpt
        )
    }
}

fn write_log_id(f: &mut fmt::Formatter<'_>, log_id: Option<&str>) -> fmt::Result {
    match log_id {
        Some(log_id) => write!(f, " [log id {log_id}]"),
        None => Ok(()),
    }
}

impl std::error::Error for ErrorResponse {}
impl std::error::Error for MalformedResponse {}

/// Why a response is not a success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseFailure {
    /// The envelope carries a non-zero `code`.
    Api(ErrorResponse),
    /// The body is not the envelope, or its `data` does not fit the endpoint.
    Malformed(MalformedResponse),
}

#[derive(Deserialize)]
struct Envelope<'a> {
    code: i64,
    #[serde(default)]
    msg: String,
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
    #[serde(borrow, default)]
    error: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct ErrorDetail {
    #[serde(default)]
    log_id: Option<String>,
}

/// As [`decode_envelope`], for a response whose values sit beside `code` and `msg` instead of
/// under `data` (the token endpoints'): `T` is read from the whole body.
pub(crate) fn decode_top_level<T: DeserializeOwned>(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<ApiResponse<T>, ResponseFailure> {
    let checked = decode_envelope::<serde::de::IgnoredAny>(status, headers, body)?;
    match serde_json::from_slice(body) {
        Ok(data) => Ok(ApiResponse {
            data,
            log_id: checked.log_id,
        }),
        Err(err) => Err(ResponseFailure::Malformed(MalformedResponse::new(
            status,
            checked.log_id,
            body,
            format!("the response's values do not fit: {err}"),
        ))),
    }
}

/// Decodes a response into the endpoint's `data` type `T`, or says why it is not a success.
///
/// The `code` decides: `0` is success and anything else an API error, whatever the status.
/// A `0` with a status other than 2xx is contradictory and reported as malformed.
/// A missing or `null` `data` reads as `{}`; any other `data` must be an object.
pub fn decode_envelope<T: DeserializeOwned>(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<ApiResponse<T>, ResponseFailure> {
    let header_log_id = headers
        .get(&LOG_ID_HEADER_NAME)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let malformed = |log_id: Option<String>, reason: String| {
        ResponseFailure::Malformed(MalformedResponse::new(status, log_id, body, reason))
    };
    let envelope: Envelope<'_> = match serde_json::from_slice(body) {
        Ok(envelope) => envelope,
        Err(err) => return Err(malformed(header_log_id, envelope_reason(body, &err))),
    };
    if envelope.code != 0 {
        let log_id = header_log_id.or_else(|| {
            let detail = envelope.error?;
            serde_json::from_str::<ErrorDetail>(detail.get())
                .ok()?
                .log_id
        });
        return Err(ResponseFailure::Api(ErrorResponse {
            status,
            code: envelope.code,
            msg: envelope.msg,
            log_id,
        }));
    }
    if !status.is_success() {
        let reason = format!("code 0 (success) with HTTP status {}", status.as_u16());
        return Err(malformed(header_log_id, reason));
    }
    let data_json = match envelope.data {
        Some(raw) if raw.get() != "null" => raw.get(),
        _ => "{}",
    };
    if !data_json.starts_with('{') {
        return Err(malformed(
            header_log_id,
            "`data` is not an object".to_owned(),
        ));
    }
    match serde_json::from_str(data_json) {
        Ok(data) => Ok(ApiResponse {
            data,
            log_id: header_log_id,
        }),
        Err(err) => Err(malformed(
            header_log_id,
            format!("`data` does not fit: {err}"),
        )),
    }
}

fn envelope_reason(body: &[u8], err: &serde_json::Error) -> String {
    if body.iter().all(u8::is_ascii_whitespace) {
        "body is empty".to_owned()
    } else if err.is_eof() {
        format!("body is cut off: {err}")
    } else {
        format!("body is not the JSON envelope: {err}")
    }
}
