//! The tenant access token: bought with the app's id and secret, kept until shortly before it
//! expires, bought again by one caller at a time.

use std::fmt;
use std::time::{Duration, Instant};

use feishu_openapi::auth::v3::tenant_access_token_internal::TenantAccessTokenInternalRequest;
use feishu_openapi::{AccessToken, ApiError, BaseUrl, Endpoint, EndpointError, MalformedResponse};
use tracing::Instrument;

use crate::error::TokenError;

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

/// The app's tenant token, shared by every clone of a client (and, with Redis, by every
/// process of the app).
#[derive(Debug)]
pub(crate) struct TenantTokens {
    credentials: Option<AppCredentials>,
    /// Held while buying a token, so concurrent callers wait for that one instead of each
    /// buying their own.
    cached: tokio::sync::Mutex<Option<Cached>>,
    /// Where other processes of the app leave the token they bought. Processes that find
    /// none buy their own; the issuer hands out the same token while it has more than 30
    /// minutes left, so they end up with one token all the same.
    #[cfg(feature = "redis")]
    shared: Option<std::sync::Arc<crate::shared::Redis>>,
}

impl TenantTokens {
    pub(crate) fn new(credentials: Option<AppCredentials>) -> Self {
        TenantTokens {
            credentials,
            cached: tokio::sync::Mutex::new(None),
            #[cfg(feature = "redis")]
            shared: None,
        }
    }

    /// Shares the token with the app's other processes through `redis`.
    #[cfg(feature = "redis")]
    pub(crate) fn shared(mut self, redis: std::sync::Arc<crate::shared::Redis>) -> Self {
        self.shared = Some(redis);
        self
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
        #[cfg(feature = "redis")]
        if let Some(redis) = &self.shared {
            if let Some((token, left)) = redis.token(&credentials.app_id, base_url).await {
                tracing::debug!("using the tenant access token another process bought");
                *cached = Some(Cached {
                    token: token.clone(),
                    refresh_at: Instant::now() + left,
                });
                return Ok(token);
            }
        }
        let bought_at = Instant::now();
        let (token, lifetime) = fetch(http, base_url, credentials).await?;
        let refresh_in = lifetime.saturating_sub(REFRESH_BEFORE_EXPIRY);
        *cached = Some(Cached {
            token: token.clone(),
            refresh_at: bought_at + refresh_in,
        });
        #[cfg(feature = "redis")]
        if let Some(redis) = &self.shared {
            let refresh_in = refresh_in.saturating_sub(bought_at.elapsed());
            redis
                .store_token(&credentials.app_id, base_url, &token, refresh_in)
                .await;
        }
        Ok(token)
    }

    /// Forgets `rejected` (the server refused it), unless another caller already replaced it.
    pub(crate) async fn forget(&self, rejected: &AccessToken, base_url: &BaseUrl) {
        let mut cached = self.cached.lock().await;
        if cached
            .as_ref()
            .is_some_and(|current| current.token.authorization() == rejected.authorization())
        {
            *cached = None;
        }
        #[cfg(feature = "redis")]
        if let (Some(redis), Some(credentials)) = (&self.shared, &self.credentials) {
            redis
                .forget_token(&credentials.app_id, base_url, rejected)
                .await;
        }
        #[cfg(not(feature = "redis"))]
        let _ = base_url;
    }

    pub(crate) fn app_id(&self) -> Option<&str> {
        self.credentials.as_ref().map(|c| c.app_id.as_str())
    }
}

/// The generated `auth.v3.auth.tenant_access_token_internal` endpoint, with the app's id and
/// secret: a request without a token (it gives one), whose grant sits beside `code` and `msg`.
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
        let request = TenantAccessTokenInternalRequest::new(
            credentials.app_id.clone(),
            credentials.app_secret.clone(),
        );
        let http_request = request
            .http_request_without_token(base_url)
            .map_err(|err| FetchFailure::Token(TokenError::Request(err)))?;
        let http_request =
            reqwest::Request::try_from(http_request).map_err(FetchFailure::Transport)?;
        let response = http
            .execute(http_request)
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
        let grant = TenantAccessTokenInternalRequest::decode_response(status, &headers, &body)
            .map_err(|error| {
                FetchFailure::Token(match error {
                    ApiError::MalformedResponse(mut malformed) => {
                        // The body may hold a token: none of it goes into errors or logs.
                        malformed.excerpt.clear();
                        TokenError::Malformed(malformed)
                    }
                    // A code: the issuer refused (10015, a wrong secret; 10003; ...).
                    other => match other.response() {
                        Some(response) => TokenError::Refused(response.clone()),
                        None => TokenError::Malformed(MalformedResponse::redacted(
                            status,
                            log_id.clone(),
                            "the issuer's answer is neither a grant nor a code",
                            body.len(),
                        )),
                    },
                })
            })?
            .data;
        let malformed = |reason: &str| {
            // The body may hold a token: none of it goes into errors or logs.
            FetchFailure::Token(TokenError::Malformed(MalformedResponse::redacted(
                status,
                log_id.clone(),
                reason,
                body.len(),
            )))
        };
        let (Some(token), Some(expire)) = (grant.tenant_access_token, grant.expire) else {
            return Err(malformed(
                "no `tenant_access_token` and `expire` beside code 0",
            ));
        };
        let token = AccessToken::tenant(token.expose())
            .map_err(|_| malformed("`tenant_access_token` is not a usable token"))?;
        let expire =
            u64::try_from(expire).map_err(|_| malformed("`expire` is not a number of seconds"))?;
        tracing::debug!(expire_s = expire, "got a tenant access token");
        Ok((token, Duration::from_secs(expire)))
    }
    .instrument(span)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A server on loopback that answers one request with `status` and `body`, whatever it was.
    async fn answer_once(status: &str, body: &'static str) -> BaseUrl {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url =
            BaseUrl::parse(&format!("http://{}", listener.local_addr().unwrap())).unwrap();
        let head = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut request = [0_u8; 4096];
            let _ = stream.read(&mut request).await;
            stream.write_all(head.as_bytes()).await.unwrap();
            stream.write_all(body.as_bytes()).await.unwrap();
        });
        base_url
    }

    #[tokio::test]
    async fn a_token_in_a_contradictory_answer_stays_out_of_the_error() {
        // Code 0 with a token, but HTTP 403: not a grant, and the body must not be quoted.
        let secret_token = "t-g1044qeGEDXTB6NDJOGV4JQCYDGHRBARFTGT1234";
        let body = r#"{"code":0,"msg":"ok","tenant_access_token":"t-g1044qeGEDXTB6NDJOGV4JQCYDGHRBARFTGT1234","expire":7200}"#;
        let base_url = answer_once("403 Forbidden", body).await;
        let credentials = AppCredentials {
            app_id: "cli_test".to_owned(),
            app_secret: "secret".to_owned(),
        };
        let failure = fetch(&reqwest::Client::new(), &base_url, &credentials)
            .await
            .expect_err("a 403 is no grant");
        let FetchFailure::Token(TokenError::Malformed(malformed)) = &failure else {
            panic!("{failure:?}");
        };
        assert_eq!(malformed.status.as_u16(), 403);
        assert_eq!(malformed.body_len, body.len());
        assert!(
            !format!("{failure:?}").contains(secret_token),
            "{failure:?}"
        );
        assert!(!malformed.to_string().contains(secret_token));
    }
}
