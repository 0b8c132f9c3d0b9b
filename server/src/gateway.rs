//! What the platform checks before any endpoint runs: faults on demand, the token, the app's
//! scopes and the endpoint's rate limits. Every endpoint handler starts with [`admit`].

use std::time::Instant;

use feishu_openapi::{ErrorCodeInfo, Operation, TokenType};
use http::HeaderMap;

use crate::platform::{self, PlatformError};
use crate::reply::Reply;
use crate::world::Identity;
use crate::{Fault, Shared};

/// An endpoint as the gateway sees it: its facts and error table from the generated crate.
#[derive(Debug)]
pub(crate) struct Route {
    pub(crate) operation: &'static Operation,
    pub(crate) errors: &'static [ErrorCodeInfo],
    /// The code of the table that stands for an internal error of the service.
    pub(crate) internal_error: i64,
}

/// Who is calling, once the gateway let the call through.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub(crate) app_id: String,
    pub(crate) tenant: String,
    pub(crate) identity: Identity,
}

/// Runs the platform's checks for a call to `route`. With the caller comes a fault that is
/// to befall the answer once the endpoint has done its work.
pub(crate) async fn admit(
    shared: &Shared,
    route: &Route,
    headers: &HeaderMap,
) -> Result<(Caller, Option<Fault>), Reply> {
    let fault = shared.arrive();
    let mut after_work = None;
    match fault {
        Some(Fault::Stall(delay)) => tokio::time::sleep(delay).await,
        Some(Fault::DropConnection) => return Err(Reply::dropped_connection()),
        Some(Fault::InternalError) => {
            return Err(Reply::endpoint_error(route.errors, route.internal_error));
        }
        Some(Fault::RateLimited { reset_seconds }) => {
            shared.lock().stats.rate_limited += 1;
            return Err(rate_limited(1, reset_seconds));
        }
        Some(fault @ (Fault::StallAnswer(_) | Fault::DropAnswer)) => after_work = Some(fault),
        Some(Fault::Answer(code)) => return Err(documented_answer(route.errors, code)),
        None => {}
    }

    let mut state = shared.lock();
    let now = Instant::now();
    let caller = authenticate(&state.world, route.operation, headers, now)?;
    let operation = route.operation;
    let granted = state
        .world
        .apps
        .get(&caller.app_id)
        .map(|app| app.scopes.as_slice())
        .unwrap_or_default();
    if !operation
        .scopes
        .iter()
        .any(|scope| granted.iter().any(|name| name == scope.name))
    {
        let names: Vec<&str> = operation.scopes.iter().map(|scope| scope.name).collect();
        return Err(Reply::platform_detail(
            platform::MISSING_SCOPE,
            &format!("[{}]", names.join(", ")),
        ));
    }
    // Limits count per app and tenant, per endpoint; any one exceeded refuses the call.
    let rate_limits = if state.world.settings.documented_rate_limits {
        operation.rate_limits
    } else {
        &[]
    };
    for limit in rate_limits {
        let key = format!(
            "gateway/{}/{}/{}",
            caller.app_id, operation.id, limit.period
        );
        let period = limit.period.duration();
        if let Some(wait) = state.windows.wait(&key, limit.limit, period, now) {
            state.stats.rate_limited += 1;
            return Err(rate_limited(
                limit.limit,
                wait.as_secs_f64().ceil().max(1.0) as u64,
            ));
        }
    }
    for limit in rate_limits {
        let key = format!(
            "gateway/{}/{}/{}",
            caller.app_id, operation.id, limit.period
        );
        state.windows.count(key, now);
    }
    Ok((caller, after_work))
}

/// The answer a page or the platform documents for `code`: the endpoint's row's status and
/// message, or a platform code's. A code neither documents is refused as a test's mistake.
pub(crate) fn documented_answer(errors: &[ErrorCodeInfo], code: i64) -> Reply {
    if errors.iter().any(|row| row.code == code) {
        return Reply::endpoint_error(errors, code);
    }
    let platform = feishu_openapi::platform::ERROR_CODES
        .iter()
        .find(|row| row.code == code);
    match platform {
        Some(row) if row.code == platform::RATE_LIMITED.code => rate_limited(1, 1),
        Some(row) => Reply::json(
            http::StatusCode::BAD_REQUEST,
            serde_json::json!({"code": row.code, "msg": row.message}),
        ),
        None => Reply::json(
            http::StatusCode::INTERNAL_SERVER_ERROR,
            serde_json::json!({
                "code": code,
                "msg": "local server: asked for a code neither the page nor the platform documents",
            }),
        ),
    }
}

fn rate_limited(limit: u32, reset_seconds: u64) -> Reply {
    Reply::platform(platform::RATE_LIMITED)
        .header("x-ogw-ratelimit-limit", limit)
        .header("x-ogw-ratelimit-reset", reset_seconds)
}

/// Finds the app and identity behind the `Authorization` header.
pub(crate) fn authenticate(
    world: &crate::World,
    operation: &Operation,
    headers: &HeaderMap,
    now: Instant,
) -> Result<Caller, Reply> {
    let refuse = |error: PlatformError| Err(Reply::platform(error));
    let Some(token) = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty())
    else {
        return refuse(platform::NEED_TOKEN);
    };
    if token.starts_with("t-") {
        let Some(grant) = world
            .tenant_tokens
            .get(token)
            .filter(|grant| grant.expires_at > now)
        else {
            return refuse(platform::INVALID_TENANT_TOKEN);
        };
        if !operation.accepts(TokenType::Tenant) {
            return refuse(platform::INVALID_TENANT_TOKEN);
        }
        let Some(app) = world.apps.get(&grant.app_id) else {
            return refuse(platform::INVALID_TENANT_TOKEN);
        };
        Ok(Caller {
            app_id: grant.app_id.clone(),
            tenant: app.tenant.clone(),
            identity: Identity::App(grant.app_id.clone()),
        })
    } else if token.starts_with("u-") {
        let Some(grant) = world.user_tokens.get(token) else {
            return refuse(platform::INVALID_USER_TOKEN);
        };
        if grant.expires_at <= now {
            return refuse(platform::USER_TOKEN_EXPIRED);
        }
        if !operation.accepts(TokenType::User) {
            return refuse(platform::USER_TOKEN_NOT_SUPPORTED);
        }
        let Some(app) = world.apps.get(&grant.app_id) else {
            return refuse(platform::INVALID_USER_TOKEN);
        };
        Ok(Caller {
            app_id: grant.app_id.clone(),
            tenant: app.tenant.clone(),
            identity: Identity::User(grant.user_id.clone()),
        })
    } else {
        refuse(platform::MALFORMED_TOKEN)
    }
}
