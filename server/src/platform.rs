//! The platform's own error codes (通用错误码) that the gateway and the token issuer answer with.
//!
//! Kept in one table so that it can give way to the generated platform error table. The page
//! gives codes and messages but no HTTP status; these answer 400, except the rate limit (429,
//! as the rate-limit page shows) and the token issuer's refusals, which Feishu sends with
//! HTTP 200.

use http::StatusCode;

/// A row of the platform error table, as far as the server needs it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PlatformError {
    pub(crate) code: i64,
    pub(crate) status: StatusCode,
    pub(crate) msg: &'static str,
}

const fn bad_request(code: i64, msg: &'static str) -> PlatformError {
    PlatformError {
        code,
        status: StatusCode::BAD_REQUEST,
        msg,
    }
}

/// A refusal of the token issuer: HTTP 200, the code says what went wrong.
const fn refused_token(code: i64, msg: &'static str) -> PlatformError {
    PlatformError {
        code,
        status: StatusCode::OK,
        msg,
    }
}

/// 10003: the token request is not JSON, lacks `app_id` / `app_secret`, or names no known app.
pub(crate) const INVALID_PARAMETER: PlatformError = refused_token(10003, "invalid param");
/// 10015: the App Secret is not the app's.
pub(crate) const WRONG_APP_SECRET: PlatformError = refused_token(10015, "wrong app secret");
/// 99991400: over the endpoint's documented rate limit.
pub(crate) const RATE_LIMITED: PlatformError = PlatformError {
    code: 99991400,
    status: StatusCode::TOO_MANY_REQUESTS,
    msg: "request trigger frequency limit",
};
/// 99991661: no `Authorization: Bearer ...` header.
pub(crate) const NEED_TOKEN: PlatformError = bad_request(
    99991661,
    "Missing access token for authorization. Please make a request with token attached.",
);
/// 99991663: the tenant token is unknown or expired, or the endpoint takes no tenant token.
pub(crate) const INVALID_TENANT_TOKEN: PlatformError = bad_request(
    99991663,
    "Invalid access token for authorization. Please make a request with token attached",
);
/// 99991668: the user token is unknown.
pub(crate) const INVALID_USER_TOKEN: PlatformError = bad_request(
    99991668,
    "Invalid access token for authorization. Please make a request with token attached.",
);
/// 99991668 as well, when the endpoint takes no user token.
pub(crate) const USER_TOKEN_NOT_SUPPORTED: PlatformError =
    bad_request(99991668, "user access token not support");
/// 99991671: the token is neither a tenant (`t-`) nor a user (`u-`) token.
pub(crate) const MALFORMED_TOKEN: PlatformError =
    bad_request(99991671, "Invalid token: must start with t-/u-");
/// 99991672: the app has none of the endpoint's scopes.
pub(crate) const MISSING_SCOPE: PlatformError = bad_request(
    99991672,
    "Access denied. One of the following scopes is required",
);
/// 99991677: the user token has expired.
pub(crate) const USER_TOKEN_EXPIRED: PlatformError = bad_request(99991677, "token expire");
/// 99991201: no endpoint at this path and method.
pub(crate) const NOT_FOUND: PlatformError = PlatformError {
    code: 99991201,
    status: StatusCode::NOT_FOUND,
    msg: "resource not find",
};
