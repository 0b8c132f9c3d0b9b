//! The client: one generic `send` for every generated endpoint.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use feishu_openapi::{AccessToken, ApiResponse, BaseUrl, Endpoint, EndpointError, LOG_ID_HEADER};
use http::{HeaderMap, Method, StatusCode};
use tracing::Instrument;

use crate::error::{BuildError, Error, TransportError};
use crate::rate_limit::RateLimiter;
use crate::retry::RetryPolicy;
use crate::tenant_token::{AppCredentials, FetchFailure, TenantTokens};

/// The header with the seconds to wait after an HTTP 429.
const RATE_LIMIT_RESET_HEADER: &str = "x-ogw-ratelimit-reset";

/// An async Feishu / Lark client. Cheap to clone: clones share connections, the tenant token
/// and the rate limiters.
///
/// The platform counts rate limits per app and tenant, so build one client per app and clone
/// it: two separate clients of one app would each allow the full rate.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: BaseUrl,
    retry: RetryPolicy,
    tokens: TenantTokens,
    /// `None` when the caller keeps to the limits some other way.
    limiter: Option<RateLimiter>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("app_id", &self.inner.tokens.app_id())
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// Sets up a [`Client`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: BaseUrl,
    credentials: Option<AppCredentials>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    /// Whether calls keep to each endpoint's documented rate limits (on by default).
    rate_limited: bool,
}

impl Client {
    /// Starts a client for Feishu, 30 s per attempt, the default [`RetryPolicy`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            base_url: BaseUrl::FEISHU,
            credentials: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            rate_limited: true,
        }
    }

    /// Sends `request` as the app, with a tenant access token bought from the app's id and
    /// secret (and bought again once if the server says it is invalid or expired).
    pub async fn send<E: Endpoint>(
        &self,
        request: &E,
    ) -> Result<ApiResponse<E::Response>, Error<E::Error>> {
        self.call(request, None).await
    }

    /// Sends `request` with `token`, e.g. a `user_access_token` to act as that user.
    pub async fn send_with<E: Endpoint>(
        &self,
        request: &E,
        token: &AccessToken,
    ) -> Result<ApiResponse<E::Response>, Error<E::Error>> {
        self.call(request, Some(token)).await
    }

    async fn call<E: Endpoint>(
        &self,
        request: &E,
        given_token: Option<&AccessToken>,
    ) -> Result<ApiResponse<E::Response>, Error<E::Error>> {
        let operation = E::OPERATION;
        let span = tracing::info_span!(
            "feishu.call",
            operation = operation.id,
            method = %operation.method,
            log_id = tracing::field::Empty,
        );
        async {
            let policy = &self.inner.retry;
            let started = Instant::now();
            let mut attempt = 1;
            let mut refreshed_token = false;
            loop {
                let attempt_span = tracing::debug_span!(
                    "feishu.attempt",
                    attempt,
                    status = tracing::field::Empty,
                    code = tracing::field::Empty,
                    log_id = tracing::field::Empty,
                );
                let outcome = self
                    .attempt(request, given_token)
                    .instrument(attempt_span)
                    .await;
                let failure = match outcome {
                    Ok(response) => {
                        if let Some(log_id) = &response.log_id {
                            tracing::Span::current().record("log_id", log_id.as_str());
                        }
                        tracing::debug!(attempts = attempt, "succeeded");
                        return Ok(response);
                    }
                    Err(failure) => failure,
                };
                if let Some(rejected) = &failure.rejected_tenant_token {
                    if !refreshed_token {
                        refreshed_token = true;
                        tracing::info!("tenant access token refused; getting a new one");
                        self.inner.tokens.forget(rejected).await;
                        continue;
                    }
                }
                if attempt >= policy.max_attempts() || !failure.is_retryable(&operation.method) {
                    return Err(failure.give_up(attempt));
                }
                let wait = failure
                    .retry_after
                    .unwrap_or_else(|| policy.backoff(attempt));
                if started.elapsed() + wait > policy.max_elapsed() {
                    tracing::warn!(
                        wait_ms = wait.as_millis() as u64,
                        "the next try would end past the retry budget"
                    );
                    return Err(failure.give_up(attempt));
                }
                tracing::warn!(
                    wait_ms = wait.as_millis() as u64,
                    error = %failure.error,
                    "retrying"
                );
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
        }
        .instrument(span)
        .await
    }

    /// One try: token, rate limit, send, decode.
    async fn attempt<E: Endpoint>(
        &self,
        request: &E,
        given_token: Option<&AccessToken>,
    ) -> Result<ApiResponse<E::Response>, Failure<E::Error>> {
        let inner = &self.inner;
        let token = match given_token {
            Some(token) => token.clone(),
            None => inner
                .tokens
                .get(&inner.http, &inner.base_url)
                .await
                .map_err(|failure| {
                    Failure::new(match failure {
                        FetchFailure::Token(error) => Error::Token(error),
                        FetchFailure::Transport(error) => transport_error(error),
                    })
                })?,
        };
        let http_request = request
            .http_request(&inner.base_url, &token)
            .map_err(|error| Failure::new(Error::Request(error)))?;
        let http_request = reqwest::Request::try_from(http_request)
            .map_err(|error| Failure::new(transport_error(error)))?;
        // Held until the answer is in: see `rate_limit`.
        let _place = match &inner.limiter {
            Some(limiter) => limiter.acquire(E::OPERATION).await,
            None => None,
        };
        let response = inner
            .http
            .execute(http_request)
            .await
            .map_err(|error| Failure::new(transport_error(error)))?;
        let status = response.status();
        let headers = response.headers().clone();
        let span = tracing::Span::current();
        span.record("status", status.as_u16());
        if let Some(log_id) = headers.get(LOG_ID_HEADER).and_then(|v| v.to_str().ok()) {
            span.record("log_id", log_id);
        }
        let body = response
            .bytes()
            .await
            .map_err(|error| Failure::new(transport_error(error)))?;
        let decoded = E::decode_response(status, &headers, &body);
        if let Err(code) = decoded.as_ref().map_err(EndpointError::code) {
            span.record("code", code);
        }
        tracing::debug!("answered");
        decoded.map_err(|error| {
            // User tokens are the caller's to renew; the client renews only its tenant token.
            let rejected_tenant_token =
                (given_token.is_none() && error.needs_new_token()).then_some(token);
            // The platform's only code that waiting cures is its rate limit.
            let rate_limited = error.platform().is_some_and(|row| row.retryable);
            Failure {
                retry_after: rate_limit_reset(status, &headers, rate_limited),
                rate_limited,
                rejected_tenant_token,
                error: Error::Api(error),
            }
        })
    }
}

/// A failed try, with what decides whether and when to try again.
struct Failure<E> {
    error: Error<E>,
    /// The server's `x-ogw-ratelimit-reset`.
    retry_after: Option<Duration>,
    /// The platform's rate-limit code, which a retry after waiting can get past.
    rate_limited: bool,
    /// The tenant token the server refused as invalid or expired.
    rejected_tenant_token: Option<AccessToken>,
}

impl<E: EndpointError> Failure<E> {
    /// The error for the caller, traced once on the call's span.
    fn give_up(self, attempts: u32) -> Error<E> {
        if let Some(log_id) = self.error.log_id() {
            tracing::Span::current().record("log_id", log_id);
        }
        tracing::debug!(attempts, error = %self.error, "failed");
        self.error
    }

    fn new(error: Error<E>) -> Self {
        Failure {
            error,
            retry_after: None,
            rate_limited: false,
            rejected_tenant_token: None,
        }
    }

    /// Whether sending again can succeed: as the endpoint's error says; for the transport,
    /// when the request cannot have reached the server or repeating it changes nothing.
    fn is_retryable(&self, method: &Method) -> bool {
        match &self.error {
            Error::Api(error) => self.rate_limited || error.is_retryable(),
            Error::Token(error) => error.is_retryable(),
            Error::Transport(error) | Error::Timeout(error) => {
                error.is_connect() || is_idempotent(method)
            }
            Error::Request(_) => false,
        }
    }
}

fn is_idempotent(method: &Method) -> bool {
    [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
    ]
    .contains(method)
}

fn transport_error<E>(error: reqwest::Error) -> Error<E> {
    if error.is_timeout() {
        Error::Timeout(TransportError::new(error))
    } else {
        Error::Transport(TransportError::new(error))
    }
}

/// `x-ogw-ratelimit-reset` of a rate-limited answer, in seconds.
fn rate_limit_reset(
    status: StatusCode,
    headers: &HeaderMap,
    rate_limited: bool,
) -> Option<Duration> {
    if status != StatusCode::TOO_MANY_REQUESTS && !rate_limited {
        return None;
    }
    let seconds: f64 = headers
        .get(RATE_LIMIT_RESET_HEADER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds))
}

impl ClientBuilder {
    /// Where requests go: [`BaseUrl::FEISHU`] (the default), [`BaseUrl::LARK`], or any server.
    pub fn base_url(mut self, base_url: BaseUrl) -> Self {
        self.base_url = base_url;
        self
    }

    /// The app's id and secret, to get tenant access tokens with (needed by [`Client::send`]).
    pub fn app_credentials(
        mut self,
        app_id: impl Into<String>,
        app_secret: impl Into<String>,
    ) -> Self {
        self.credentials = Some(AppCredentials {
            app_id: app_id.into(),
            app_secret: app_secret.into(),
        });
        self
    }

    /// Longest wait for one attempt's whole answer (30 s by default).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Longest wait to connect (10 s by default).
    pub fn connect_timeout(mut self, connect_timeout: Duration) -> Self {
        self.connect_timeout = connect_timeout;
        self
    }

    /// When failed calls are sent again.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sends calls as fast as they come instead of keeping to each endpoint's documented rate
    /// limits: for a caller that limits its calls itself, or a server without those limits.
    pub fn without_rate_limiter(mut self) -> Self {
        self.rate_limited = false;
        self
    }

    /// The client.
    pub fn build(self) -> Result<Client, BuildError> {
        if let Some(credentials) = &self.credentials {
            if credentials.app_id.is_empty() || credentials.app_secret.is_empty() {
                return Err(BuildError::EmptyCredentials);
            }
        }
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .user_agent(concat!("feishu-openapi-client/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(BuildError::Http)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url: self.base_url,
                retry: self.retry,
                tokens: TenantTokens::new(self.credentials),
                limiter: self.rate_limited.then(RateLimiter::default),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(reset: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RATE_LIMIT_RESET_HEADER, reset.parse().unwrap());
        headers
    }

    #[test]
    fn the_reset_header_counts_on_429_and_on_the_legacy_400_with_the_rate_limit_code() {
        let wait = Some(Duration::from_secs(52));
        assert_eq!(
            rate_limit_reset(StatusCode::TOO_MANY_REQUESTS, &headers("52"), false),
            wait
        );
        assert_eq!(
            rate_limit_reset(StatusCode::BAD_REQUEST, &headers("52"), true),
            wait
        );
        assert_eq!(
            rate_limit_reset(StatusCode::BAD_REQUEST, &headers("52"), false),
            None
        );
        assert_eq!(
            rate_limit_reset(StatusCode::TOO_MANY_REQUESTS, &HeaderMap::new(), false),
            None
        );
        assert_eq!(
            rate_limit_reset(StatusCode::TOO_MANY_REQUESTS, &headers("soon"), false),
            None
        );
        assert_eq!(
            rate_limit_reset(StatusCode::TOO_MANY_REQUESTS, &headers("-1"), false),
            None
        );
    }

    #[test]
    fn only_idempotent_methods_are_sent_again_after_the_request_may_have_arrived() {
        assert!(is_idempotent(&Method::DELETE));
        assert!(is_idempotent(&Method::GET));
        assert!(!is_idempotent(&Method::POST));
        assert!(!is_idempotent(&Method::PATCH));
    }
}
