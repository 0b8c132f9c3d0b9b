//! The tenant access token: bought with the app's id and secret, kept until shortly before it
//! expires, bought again by one caller at a time.

use std::fmt;
use std::time::{Duration, Instant};

use feishu_openapi::{AccessToken, BaseUrl, MalformedResponse, decode_envelope};
use http::{HeaderValue, header};
use serde::Deserialize;
use tracing::Instrument;

use crate::error::TokenError;

/// Where a custom app buys its tenant token.
pub(crate) const TENANT_TOKEN_PATH: &str = "/open-apis/auth/v3/tenant_access_token/internal";

/// A token with less than this left is replaced before use. Below 30 minutes the issuer
/// hands out a new token rather than the current one.
const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(5 * 60);

/// An app's id and secret. `Debug` shows the id only.
#[derive(Clone)]
pub(crate) struct AppCredentials {
    pub(crate) app_id: String,
    pub(crate) app_secret: String,
}

impl fmt::Debug for AppCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppCredentials")
            .field("app_id", &self.app_id)
            .field("app_secret", &"<redacted>")
            .finish()
    }
}

/// Why getting a token failed, before it is told apart as the caller's error type.
#[derive(Debug)]
pub(crate) enum FetchFailure {
    Token(TokenError),
    Transport(reqwest::Error),
}

#[derive(Debug)]
struct Cached {
    token: AccessToken,
    refresh_at: Instant,
}

/// The app's tenant token, shared by every clone of a client.
#[derive(Debug)]
pub(crate) struct TenantTokens {
    credentials: Option<AppCredentials>,
    /// Held while buying a token, so concurrent callers wait for that one instead of each
    /// buying their own.
    cached: tokio::sync::Mutex<Option<Cached>>,
}

#[derive(Deserialize)]
struct Grant {
    tenant_access_token: String,
    expire: u64,
}

impl TenantTokens {
    pub(crate) fn new(credentials: Option<AppCredentials>) -> Self {
        TenantTokens {
            credentials,
            cached: tokio::sync::Mutex::new(None),
        }
    }

    /// The current token, bought first when there is none or it is about to expire.
    pub(crate) async fn get(
        &self,
        http: &reqwest::Client,
        base_url: &BaseUrl,
    ) -> Result<AccessToken, FetchFailure> {
        let credentials = self
            .credentials
            .as_ref()
            .ok_or(FetchFailure::Token(TokenError::NoAppCredentials))?;
        let mut cached = self.cached.lock().await;
        if let Some(current) = cached.as_ref() {
            if Instant::now() < current.refresh_at {
                return Ok(current.token.clone());
            }
        }
        let bought_at = Instant::now();
        let (token, lifetime) = fetch(http, base_url, credentials).await?;
        *cached = Some(Cached {
            token: token.clone(),
            refresh_at: bought_at + lifetime.saturating_sub(REFRESH_BEFORE_EXPIRY),
        });
        Ok(token)
    }

    /// Forgets `rejected` (the server refused it), unless another caller already replaced it.
    pub(crate) async fn forget(&self, rejected: &AccessToken) {
        let mut cached = self.cached.lock().await;
        if cached
            .as_ref()
            .is_some_and(|current| current.token.authorization() == rejected.authorization())
        {
            *cached = None;
        }
    }

    pub(crate) fn app_id(&self) -> Option<&str> {
        self.credentials.as_ref().map(|c| c.app_id.as_str())
    }
}

/// `POST /open-apis/auth/v3/tenant_access_token/internal` with the app's id and secret.
async fn fetch(
    http: &reqwest::Client,
    base_url: &BaseUrl,
    credentials: &AppCredentials,
) -> Result<(AccessToken, Duration), FetchFailure> {
    let span = tracing::info_span!(
        "feishu.tenant_access_token",
        app_id = %credentials.app_id,
        log_id = tracing::field::Empty,
    );
    async {
        let body = serde_json::json!({
            "app_id": credentials.app_id,
            "app_secret": credentials.app_secret,
        });
        let response = http
            .post(format!("{base_url}{TENANT_TOKEN_PATH}"))
            .header(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            )
            .body(body.to_string())
            .send()
            .await
            .map_err(FetchFailure::Transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(FetchFailure::Transport)?;
        let log_id = headers
            .get(feishu_openapi::LOG_ID_HEADER)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        if let Some(log_id) = &log_id {
            tracing::Span::current().record("log_id", log_id.as_str());
        }
        // The code and message decide first; the grant sits beside them, not in `data`.
        decode_envelope::<serde::de::IgnoredAny>(status, &headers, &body).map_err(|failure| {
            FetchFailure::Token(match failure {
                feishu_openapi::ResponseFailure::Api(response) => TokenError::Refused(response),
                feishu_openapi::ResponseFailure::Malformed(malformed) => {
                    TokenError::Malformed(malformed)
                }
            })
        })?;
        let malformed = |reason: &str| {
            FetchFailure::Token(TokenError::Malformed(MalformedResponse {
                status,
                log_id: log_id.clone(),
                reason: reason.to_owned(),
                // The body may hold a token: none of it goes into errors or logs.
                excerpt: String::new(),
                body_len: body.len(),
            }))
        };
        let grant: Grant = serde_json::from_slice(&body)
            .map_err(|_| malformed("no `tenant_access_token` and `expire` beside code 0"))?;
        let token = AccessToken::tenant(&grant.tenant_access_token)
            .map_err(|_| malformed("`tenant_access_token` is not a usable token"))?;
        tracing::debug!(expire_s = grant.expire, "got a tenant access token");
        Ok((token, Duration::from_secs(grant.expire)))
    }
    .instrument(span)
    .await
}
