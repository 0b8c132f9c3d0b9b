//! Every generated endpoint answered by its spec, the way Prism answers any OpenAPI document:
//! the calls that no hand-written handler takes (or all of them, on a contract server) are
//! checked against the endpoint's `Operation` and answered with its page's response example.
//!
//! The checks: method and path (each `:name` one non-empty segment), the token and its type,
//! every required query parameter and top-level body field. A call may ask for any code the
//! page or the platform documents with the `X-Feishu-Contract-Error: <code>` header (or
//! [`crate::Fault::Answer`]), and gets it with its HTTP status and headers.

use std::sync::Arc;
use std::time::Instant;

use axum::body::to_bytes;
use axum::extract::{Request, State};
use feishu_openapi::Operation;
use http::StatusCode;
use percent_encoding::percent_decode_str;
use serde_json::{Value, json};

use crate::gateway::{authenticate, documented_answer};
use crate::platform::{self, PlatformError};
use crate::reply::Reply;
use crate::{Fault, Shared};

/// The header a call asks for a documented code with.
pub const CONTRACT_ERROR_HEADER: &str = "x-feishu-contract-error";

/// 99992402: a required parameter or body field is missing.
const FIELD_VALIDATION_FAILED: PlatformError = PlatformError {
    code: 99992402,
    status: StatusCode::BAD_REQUEST,
    msg: "field validation failed",
};

/// A body larger than this is refused rather than read.
const BODY_LIMIT: usize = 1 << 20;

/// Answers a call by the spec of the generated endpoint it is for, or as an unknown path.
pub(crate) async fn answer(State(shared): State<Arc<Shared>>, request: Request) -> Reply {
    let (parts, body) = request.into_parts();
    let Some(operation) = find(&parts.method, parts.uri.path()) else {
        return Reply::platform(platform::NOT_FOUND);
    };
    let fault = shared.arrive();
    if !operation.token_types.is_empty() {
        let state = shared.lock();
        if let Err(refusal) = authenticate(&state.world, operation, &parts.headers, Instant::now())
        {
            return refusal;
        }
    }
    let asked = parts
        .headers
        .get(CONTRACT_ERROR_HEADER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<i64>().ok());
    match (fault, asked) {
        (Some(Fault::Answer(code)), _) | (_, Some(code)) => {
            return documented_answer(operation.error_codes, code);
        }
        (Some(Fault::DropConnection | Fault::DropAnswer), _) => return Reply::dropped_connection(),
        (Some(Fault::Stall(delay) | Fault::StallAnswer(delay)), _) => {
            tokio::time::sleep(delay).await;
        }
        (Some(Fault::RateLimited { reset_seconds }), _) => {
            return documented_answer(&[], platform::RATE_LIMITED.code)
                .header("x-ogw-ratelimit-reset", reset_seconds);
        }
        (Some(Fault::InternalError), _) => {
            let internal = operation
                .error_codes
                .iter()
                .find(|row| row.http_status >= 500);
            if let Some(row) = internal {
                return documented_answer(operation.error_codes, row.code);
            }
        }
        (None, None) => {}
    }
    let query = parts.uri.query().unwrap_or_default();
    for name in operation.required_query {
        if !query_has(query, name) {
            return missing(name, "query parameter");
        }
    }
    if !operation.required_body.is_empty() {
        let body = to_bytes(body, BODY_LIMIT).await.unwrap_or_default();
        let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        for name in operation.required_body {
            if body.get(name).is_none_or(Value::is_null) {
                return missing(name, "request body field");
            }
        }
    }
    match serde_json::from_str(operation.response_example) {
        Ok(example) => Reply::json(StatusCode::OK, example),
        Err(_) => Reply::json(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"code": 1, "msg": "local server: the page's response example is not JSON"}),
        ),
    }
}

/// The generated endpoint a call is for: the same method, and a path of the same segments,
/// each `:name` one non-empty segment. Where two templates fit (`events/instance_view` and
/// `events/:event_id`), the one with the fixed segment earlier wins, as a router would route it.
fn find(method: &http::Method, path: &str) -> Option<&'static Operation> {
    let segments: Vec<&str> = path.split('/').collect();
    feishu_openapi::operations()
        .into_iter()
        .filter(|operation| {
            let template: Vec<&str> = operation.path_template.split('/').collect();
            operation.method == *method
                && template.len() == segments.len()
                && template.iter().zip(&segments).all(|(expected, segment)| {
                    match expected.strip_prefix(':') {
                        Some(_) => !segment.is_empty(),
                        None => expected == segment,
                    }
                })
        })
        // Fixed segments before parameters: `false` sorts first.
        .min_by_key(|operation| {
            operation
                .path_template
                .split('/')
                .map(|part| part.starts_with(':'))
                .collect::<Vec<bool>>()
        })
}

/// Whether the query carries `name` with a value that is not empty.
fn query_has(query: &str, name: &str) -> bool {
    query.split('&').any(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |text: &str| percent_decode_str(text).decode_utf8_lossy().into_owned();
        decode(key) == name && !decode(value).is_empty()
    })
}

fn missing(name: &str, what: &str) -> Reply {
    Reply::platform_detail(
        FIELD_VALIDATION_FAILED,
        &format!("{what} `{name}` is required"),
    )
}
