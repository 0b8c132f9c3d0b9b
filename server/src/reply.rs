//! Responses as the platform writes them: the `{code, msg, data}` envelope and its headers.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use feishu_openapi::{ErrorCodeInfo, LOG_ID_HEADER};
use http::{HeaderName, HeaderValue, StatusCode};
use serde_json::{Value, json};

use crate::platform::PlatformError;
use crate::{Call, Shared};

/// What a handler answers.
#[derive(Debug)]
pub(crate) struct Reply {
    status: StatusCode,
    body: Value,
    headers: Vec<(HeaderName, HeaderValue)>,
    /// Cut the connection instead of finishing the body.
    broken: bool,
}

impl Reply {
    /// `code: 0` with `data`.
    pub(crate) fn success(data: Value) -> Reply {
        Reply::json(
            StatusCode::OK,
            json!({"code": 0, "msg": "success", "data": data}),
        )
    }

    /// Any JSON body, e.g. the token issuer's, whose fields sit beside `code`.
    pub(crate) fn json(status: StatusCode, body: Value) -> Reply {
        Reply {
            status,
            body,
            headers: Vec::new(),
            broken: false,
        }
    }

    /// A documented error of the endpoint, with the status and message of its page's row.
    pub(crate) fn endpoint_error(errors: &[ErrorCodeInfo], code: i64) -> Reply {
        match errors.iter().find(|row| row.code == code) {
            Some(row) => {
                let status =
                    StatusCode::from_u16(row.http_status).unwrap_or(StatusCode::BAD_REQUEST);
                Reply::json(status, json!({"code": row.code, "msg": row.message}))
            }
            // A server bug, reported as one rather than as a made-up row.
            None => Reply::json(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"code": code, "msg": "local server: code missing from the error table"}),
            ),
        }
    }

    /// A platform error with its usual message.
    pub(crate) fn platform(error: PlatformError) -> Reply {
        Reply::json(error.status, json!({"code": error.code, "msg": error.msg}))
    }

    /// A platform error whose message says more, as the gateway's do.
    pub(crate) fn platform_detail(error: PlatformError, detail: &str) -> Reply {
        let msg = format!("{}: {detail}", error.msg);
        Reply::json(error.status, json!({"code": error.code, "msg": msg}))
    }

    /// Starts the response, then drops the connection before the body is complete.
    pub(crate) fn dropped_connection() -> Reply {
        Reply {
            broken: true,
            ..Reply::json(StatusCode::OK, Value::Null)
        }
    }

    /// Adds a header.
    pub(crate) fn header(mut self, name: &'static str, value: impl ToString) -> Reply {
        if let Ok(value) = HeaderValue::try_from(value.to_string()) {
            self.headers.push((HeaderName::from_static(name), value));
        }
        self
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let body = if self.broken {
            let cut = futures_util::stream::iter([
                Ok(Bytes::from_static(b"{\"code\":0,")),
                Err(std::io::Error::other("connection dropped on purpose")),
            ]);
            Body::from_stream(cut)
        } else {
            Body::from(self.body.to_string())
        };
        let mut response = Response::new(body);
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        for (name, value) in self.headers {
            headers.insert(name, value);
        }
        response
    }
}

/// Gives every response a fresh `X-Tt-Logid`, as the platform does, and notes the call with it,
/// so a test can tell which answer a client's log id came from.
pub(crate) async fn stamp(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or_default();
    let log_id = format!("{seconds}{:016X}", NEXT.fetch_add(1, Ordering::Relaxed));
    if let Ok(value) = HeaderValue::try_from(log_id.as_str()) {
        response.headers_mut().insert(LOG_ID_HEADER, value);
    }
    shared.lock().record(Call {
        method,
        path,
        status: response.status(),
        log_id,
    });
    response
}
