//! What the client reads from the platform's own error codes (通用错误码), in one place so that
//! it can give way to the generated platform error table.

/// Codes saying the tenant access token is invalid or expired: get a new one and send again.
///
/// 99991663: invalid access token (expired, or revoked); 99991665: invalid tenant token.
/// User tokens (99991668, 99991677) are the caller's to refresh, not the client's.
const TENANT_TOKEN_REJECTED: &[i64] = &[99991663, 99991665];

/// The gateway's rate-limit code, sent with HTTP 429 (or 400 by some older endpoints).
const RATE_LIMITED: i64 = 99991400;

/// Whether `code` says the tenant token must be replaced.
pub(crate) fn tenant_token_rejected(code: i64) -> bool {
    TENANT_TOKEN_REJECTED.contains(&code)
}

/// Whether `code` says the call was over a rate limit, whatever the HTTP status.
pub(crate) fn rate_limited(code: i64) -> bool {
    code == RATE_LIMITED
}
