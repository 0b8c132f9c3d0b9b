//! The client: one generic `send` for every generated endpoint.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use feishu_openapi::{
    AccessToken, ApiResponse, BaseUrl, Endpoint, EndpointError, LOG_ID_HEADER, Operation,
};
use http::{HeaderMap, StatusCode};
use tracing::Instrument;

use crate::error::{BuildError, DeadlineExceeded, Error, TransportError, UncertainOutcome};
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
    /// The longest a call takes, from `send` to its result.
    deadline: Duration,
}

struct Inner {
    http: reqwest::Client,
    base_url: BaseUrl,
    retry: RetryPolicy,
    tokens: TenantTokens,
    /// `None` when the caller keeps to the limits some other way.
    limiter: Option<RateLimiter>,
    /// The limits shared with the app's other processes, on top of `limiter`.
    #[cfg(feature = "redis")]
    shared: Option<Arc<crate::shared::Redis>>,
    /// The longest one attempt can stay in flight: how long a shared place is held for a
    /// call whose end this process never reports.
    #[cfg(feature = "redis")]
    longest_attempt: Duration,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("app_id", &self.inner.tokens.app_id())
            .field("retry", &self.inner.retry)
            .field("deadline", &self.deadline)
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
    deadline: Duration,
    retry: RetryPolicy,
    /// Whether calls keep to each endpoint's documented rate limits (on by default).
    rate_limited: bool,
    #[cfg(feature = "redis")]
    shared: Option<crate::shared::SharedRedis>,
}

impl Client {
    /// Starts a client for Feishu: 30 s per attempt, 60 s per call, the default
    /// [`RetryPolicy`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            base_url: BaseUrl::FEISHU,
            credentials: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            deadline: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            rate_limited: true,
            #[cfg(feature = "redis")]
            shared: None,
        }
    }

    /// This client with another deadline for each call, e.g. what is left of a request's
    /// own time budget. It shares everything else (connections, token, rate limits).
    pub fn with_deadline(&self, deadline: Duration) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            deadline,
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
            let budget = self.deadline;
            let deadline = tokio::time::Instant::now() + budget;
            let mut call = Call::new();
            // Everything a call waits for runs inside this one timeout, so no wait, retry or
            // attempt can take the call past its deadline; what is known by then is in `call`.
            match tokio::time::timeout_at(
                deadline,
                self.attempts(request, given_token, deadline, &mut call),
            )
            .await
            {
                Ok(result) => result,
                Err(_) => {
                    let exceeded = call.deadline_exceeded(operation.id, budget);
                    tracing::warn!(
                        attempts = exceeded.attempts,
                        in_flight = exceeded.in_flight,
                        "the call's deadline passed"
                    );
                    Err(Error::DeadlineExceeded(Box::new(exceeded)))
                }
            }
        }
        .instrument(span)
        .await
    }

    /// Sends `request` until it succeeds, fails in a way a retry cannot fix, or its attempts
    /// or time run out.
    async fn attempts<E: Endpoint>(
        &self,
        request: &E,
        given_token: Option<&AccessToken>,
        deadline: tokio::time::Instant,
        call: &mut Call<E::Error>,
    ) -> Result<ApiResponse<E::Response>, Error<E::Error>> {
        let operation = E::OPERATION;
        let policy = &self.inner.retry;
        let mut failed = 0;
        let mut refreshed_token = false;
        loop {
            let attempt_span = tracing::debug_span!(
                "feishu.attempt",
                attempt = failed + 1,
                status = tracing::field::Empty,
                code = tracing::field::Empty,
                log_id = tracing::field::Empty,
            );
            let outcome = self
                .attempt(request, given_token, call)
                .instrument(attempt_span)
                .await;
            let failure = match outcome {
                Ok(response) => {
                    if let Some(log_id) = &response.log_id {
                        tracing::Span::current().record("log_id", log_id.as_str());
                    }
                    tracing::debug!(attempts = call.attempts, "succeeded");
                    return Ok(response);
                }
                Err(failure) => failure,
            };
            if let Some(log_id) = failure.error.log_id() {
                call.log_ids.push(log_id.to_owned());
            }
            if let Some(unanswered) = failure.unanswered() {
                call.unanswered.get_or_insert_with(|| unanswered.clone());
                if !operation.unknown_outcome.resend {
                    tracing::warn!(
                        error = %failure.error,
                        "no answer, and the endpoint may not be sent again: outcome unknown"
                    );
                    return Err(call.uncertain(operation.id, None));
                }
            }
            if let Some(rejected) = &failure.rejected_tenant_token {
                if !refreshed_token {
                    refreshed_token = true;
                    tracing::info!("tenant access token refused; getting a new one");
                    self.inner
                        .tokens
                        .forget(rejected, &self.inner.base_url)
                        .await;
                    call.last_failure = Some(failure.error);
                    continue;
                }
            }
            failed += 1;
            if failed >= policy.max_attempts() || !failure.is_retryable() {
                return Err(call.give_up(operation, failure));
            }
            let wait = failure
                .retry_after
                .unwrap_or_else(|| policy.backoff(failed));
            if tokio::time::Instant::now() + wait >= deadline {
                tracing::warn!(
                    wait_ms = wait.as_millis() as u64,
                    "the next try would start past the call's deadline"
                );
                return Err(call.give_up(operation, failure));
            }
            tracing::warn!(
                wait_ms = wait.as_millis() as u64,
                error = %failure.error,
                "retrying"
            );
            call.last_failure = Some(failure.error);
            tokio::time::sleep(wait).await;
        }
    }

    /// One try: token, rate limit, send, decode.
    async fn attempt<E: Endpoint>(
        &self,
        request: &E,
        given_token: Option<&AccessToken>,
        call: &mut Call<E::Error>,
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
        // Then a place among all the app's processes, held the same way: see `shared`.
        #[cfg(feature = "redis")]
        let _shared_place = match (&inner.shared, &inner.limiter) {
            (Some(redis), Some(_)) => {
                let app_id = inner.tokens.app_id().unwrap_or_default();
                redis
                    .acquire(app_id, E::OPERATION, inner.longest_attempt)
                    .await
            }
            _ => None,
        };
        call.attempts += 1;
        // From here until the whole answer is read, the server may apply the call unseen.
        call.in_flight = true;
        let sent = inner.http.execute(http_request).await;
        if sent.is_err() {
            call.in_flight = false;
        }
        let response = sent.map_err(|error| Failure::sent(transport_error(error)))?;
        let status = response.status();
        let headers = response.headers().clone();
        let span = tracing::Span::current();
        span.record("status", status.as_u16());
        if let Some(log_id) = headers.get(LOG_ID_HEADER).and_then(|v| v.to_str().ok()) {
            span.record("log_id", log_id);
        }
        let body = response.bytes().await;
        call.in_flight = false;
        let body = body.map_err(|error| Failure::sent(transport_error(error)))?;
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
                sent: true,
                error: Error::Api(error),
            }
        })
    }
}

/// What one call has come to so far, kept outside its attempts so that it outlives them when
/// the deadline cuts them short.
struct Call<E> {
    /// Attempts sent.
    attempts: u32,
    /// An attempt is sent and its answer not yet read.
    in_flight: bool,
    /// The first attempt that got no answer after it may have reached the server.
    unanswered: Option<TransportError>,
    /// The failure of the last attempt that was tried again.
    last_failure: Option<Error<E>>,
    log_ids: Vec<String>,
}

impl<E: EndpointError> Call<E> {
    fn new() -> Self {
        Call {
            attempts: 0,
            in_flight: false,
            unanswered: None,
            last_failure: None,
            log_ids: Vec::new(),
        }
    }

    fn deadline_exceeded(
        self,
        operation_id: &'static str,
        deadline: Duration,
    ) -> DeadlineExceeded<E> {
        DeadlineExceeded {
            operation_id,
            deadline,
            attempts: self.attempts,
            in_flight: self.in_flight,
            unanswered: self.unanswered,
            last_failure: self.last_failure,
            log_ids: self.log_ids,
        }
    }

    /// The uncertain outcome of this call, once an attempt went unanswered.
    fn uncertain(&mut self, operation_id: &'static str, later_answer: Option<E>) -> Error<E> {
        let Some(unanswered) = self.unanswered.take() else {
            unreachable!("an uncertain outcome follows an attempt without an answer")
        };
        Error::UncertainOutcome(Box::new(UncertainOutcome {
            operation_id,
            unanswered,
            later_answer,
            attempts: self.attempts,
            log_ids: std::mem::take(&mut self.log_ids),
        }))
    }

    /// The error for the caller when no more attempts are made, traced once on the call's
    /// span. After an attempt without an answer, an answer that the first attempt having been
    /// applied would explain, or that says nothing either way (a passing failure), makes the
    /// outcome uncertain; any other answer is the endpoint's word, which the first attempt
    /// would have had too.
    fn give_up(&mut self, operation: &Operation, failure: Failure<E>) -> Error<E> {
        let error = match failure.error {
            Error::Api(answer) if self.unanswered.is_some() => {
                let applied_explains = answer
                    .code()
                    .is_some_and(|code| operation.unknown_outcome.codes_if_applied.contains(&code));
                let passing = failure.rate_limited || answer.is_retryable();
                if applied_explains || passing {
                    self.uncertain(operation.id, Some(answer))
                } else {
                    Error::Api(answer)
                }
            }
            error => error,
        };
        if let Some(log_id) = error.log_id() {
            tracing::Span::current().record("log_id", log_id);
        }
        tracing::debug!(attempts = self.attempts, error = %error, "failed");
        error
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
    /// The endpoint's request was sent (not only the token's).
    sent: bool,
}

impl<E: EndpointError> Failure<E> {
    /// A failure before the endpoint's request went out.
    fn new(error: Error<E>) -> Self {
        Failure {
            error,
            retry_after: None,
            rate_limited: false,
            rejected_tenant_token: None,
            sent: false,
        }
    }

    /// A failure after the endpoint's request went out.
    fn sent(error: Error<E>) -> Self {
        Failure {
            sent: true,
            ..Failure::new(error)
        }
    }

    /// The transport failure that leaves the endpoint's outcome unknown: the request went
    /// out, and no answer came back.
    fn unanswered(&self) -> Option<&TransportError> {
        match &self.error {
            Error::Transport(error) | Error::Timeout(error)
                if self.sent && error.may_have_arrived() =>
            {
                Some(error)
            }
            _ => None,
        }
    }

    /// Whether sending again can succeed: as the endpoint's error says; after no answer,
    /// yes (whether the spec allows a resend is checked before this), unless the request
    /// cannot be made at all.
    fn is_retryable(&self) -> bool {
        match &self.error {
            Error::Api(error) => self.rate_limited || error.is_retryable(),
            Error::Token(error) => error.is_retryable(),
            Error::Transport(error) | Error::Timeout(error) => !error.is_builder(),
            Error::Request(_) | Error::DeadlineExceeded(_) | Error::UncertainOutcome(_) => false,
        }
    }
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

    /// Longest wait for one attempt's whole answer (30 s by default). A call may make
    /// several attempts; [`deadline`](Self::deadline) bounds them all.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Longest time one call takes, from `send` to its result (60 s by default): token
    /// purchase, rate-limit waits, attempts, backoff and HTTP 429 waits included. When it
    /// passes, the call ends with [`Error::DeadlineExceeded`], and no retry starts whose wait
    /// would end past it.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
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

    /// Shares each endpoint's rate limits and the tenant token with the app's other
    /// processes through `redis`, so that together they keep to the documented limits (50/s
    /// and 1000/min for unbind) and buy one token. Keys are per app id (from
    /// [`app_credentials`](Self::app_credentials)). When Redis is down or slow, each process
    /// goes on with its own limiter and token, and says so in a `tracing` warning.
    #[cfg(feature = "redis")]
    pub fn shared_redis(mut self, redis: crate::shared::SharedRedis) -> Self {
        self.shared = Some(redis);
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
        let tokens = TenantTokens::new(self.credentials);
        #[cfg(feature = "redis")]
        let shared = self
            .shared
            .map(|redis| Arc::new(crate::shared::Redis::new(redis)));
        #[cfg(feature = "redis")]
        let tokens = match &shared {
            Some(redis) => tokens.shared(Arc::clone(redis)),
            None => tokens,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url: self.base_url,
                retry: self.retry,
                tokens,
                limiter: self.rate_limited.then(RateLimiter::default),
                #[cfg(feature = "redis")]
                shared,
                #[cfg(feature = "redis")]
                longest_attempt: self.timeout + Duration::from_secs(1),
            }),
            deadline: self.deadline,
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
}
