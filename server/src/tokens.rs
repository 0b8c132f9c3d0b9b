//! The token issuer: `POST /open-apis/auth/v3/tenant_access_token/internal`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use http::StatusCode;
use serde::Deserialize;
use serde_json::json;

use crate::Shared;
use crate::platform;
use crate::reply::Reply;
use crate::world::TenantToken;

/// Where apps buy tenant tokens with their id and secret.
pub(crate) const TENANT_TOKEN_PATH: &str = "/open-apis/auth/v3/tenant_access_token/internal";

/// A token with less than this left is replaced by a new one; until then the same is returned.
const REISSUE_BELOW: Duration = Duration::from_secs(30 * 60);

#[derive(Deserialize)]
pub(crate) struct TenantTokenRequest {
    app_id: String,
    app_secret: String,
}

/// Issues a tenant token for a custom app, as the platform does: the current one while it has
/// more than 30 minutes left, else a new one (the old one keeps working until it expires).
///
/// The body is read as JSON whatever its `Content-Type`, or without one, as Feishu reads it:
/// the official Python SDK sends none.
pub(crate) async fn issue_tenant_token(
    State(shared): State<Arc<Shared>>,
    body: Result<Bytes, BytesRejection>,
) -> Reply {
    let Some(request) = body
        .ok()
        .and_then(|body| serde_json::from_slice::<TenantTokenRequest>(&body).ok())
        .filter(|request| !request.app_id.is_empty() && !request.app_secret.is_empty())
    else {
        return Reply::platform(platform::INVALID_PARAMETER);
    };
    let mut state = shared.lock();
    let Some(app) = state.world.apps.get(&request.app_id) else {
        return Reply::platform(platform::INVALID_PARAMETER);
    };
    if app.secret != request.app_secret {
        return Reply::platform(platform::WRONG_APP_SECRET);
    }
    let now = Instant::now();
    let current = state
        .world
        .tenant_tokens
        .iter()
        .filter(|(_, grant)| grant.app_id == request.app_id)
        .max_by_key(|(_, grant)| grant.expires_at)
        .filter(|(_, grant)| grant.expires_at.saturating_duration_since(now) > REISSUE_BELOW)
        .map(|(token, grant)| (token.clone(), grant.expires_at));
    let (token, expires_at) = match current {
        Some(current) => current,
        None => {
            state.stats.tenant_tokens_issued += 1;
            let token = format!(
                "t-local{:08x}{:08x}",
                shared.nonce, state.stats.tenant_tokens_issued
            );
            let expires_at = now + state.world.settings.tenant_token_lifetime;
            state.world.tenant_tokens.insert(
                token.clone(),
                TenantToken {
                    app_id: request.app_id.clone(),
                    expires_at,
                },
            );
            (token, expires_at)
        }
    };
    let expire = expires_at.saturating_duration_since(now).as_secs();
    Reply::json(
        StatusCode::OK,
        json!({"code": 0, "msg": "ok", "tenant_access_token": token, "expire": expire}),
    )
}
