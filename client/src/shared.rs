//! Rate limits and the tenant token shared by every process of an app, through Redis
//! (feature `redis`).
//!
//! Feishu counts an endpoint's rate limit per app, however many processes call it, so each
//! process's own limiter would let N processes send N times the rate. With Redis, every call
//! also takes a place in windows kept in Redis per app, endpoint and period.
//!
//! **Algorithm: a sliding log per window, in one Lua script.** Each window is a sorted set of
//! the calls that hold a place in it, scored by the time their place starts to run out (Redis'
//! own clock, so processes on different hosts agree). A call takes a place in every one of its
//! endpoint's windows at once, or in none, in one script: Redis runs a script alone, so two
//! processes can never both take the last place. Fixed windows (a counter per second) would be
//! simpler, but they let `2 × limit` calls through around each window boundary, which a
//! server that counts any second, as the local server does, refuses. As in the process
//! limiter, a place is held from before sending until a full period after the answer (the
//! server counts the call somewhere in between): a call in flight is scored in the future (now
//! plus the longest an attempt may take), and its answer moves the score to that moment. A
//! process that dies mid-call leaves a place that lapses on its own.
//!
//! **When Redis is down or slow**, the client carries on with what each process has alone:
//! its own limiter (which always runs too, before the shared one) and its own token. Every
//! Redis command is bounded by [`SharedRedis::timeout`]; after a failure Redis is left alone
//! for a second, then tried again. The switch is logged once each way, as a `tracing`
//! warning when Redis is lost and as info when it is back. Meanwhile N processes may together
//! send up to N times an endpoint's rate, and the platform's HTTP 429s (which the client waits
//! out) are what holds them.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use feishu_openapi::{AccessToken, BaseUrl, Operation};
use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, RedisResult, Script};

/// How long Redis is left alone after a failure.
const RETRY_REDIS_AFTER: Duration = Duration::from_secs(1);

/// Longest sleep before asking again when the call that holds the place is still in flight:
/// its answer can free the place at any moment, and no process is told when.
const POLL_IN_FLIGHT: Duration = Duration::from_millis(20);

/// Takes a place in every window of `KEYS`, or says how many milliseconds to wait.
///
/// ARGV: the call's member name, how long it may stay in flight (ms), then for each key its
/// limit and period (ms). Returns `{0, 1}` when the place is taken, else `{wait_ms, exact}`:
/// `exact` is 0 when a call in flight holds the place needed, which its answer frees sooner.
const ACQUIRE_LUA: &str = r"
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local member = ARGV[1]
local in_flight = tonumber(ARGV[2])
local wait, exact = 0, 1
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[1 + 2 * i])
  local period = tonumber(ARGV[2 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - period)
  local held = redis.call('ZCARD', key)
  if held >= limit then
    local leaving = redis.call('ZRANGE', key, held - limit, held - limit, 'WITHSCORES')
    local from = tonumber(leaving[2])
    if from > now then exact = 0 end
    wait = math.max(wait, from + period - now)
  end
end
if wait > 0 then return {wait, exact} end
for i, key in ipairs(KEYS) do
  local period = tonumber(ARGV[2 + 2 * i])
  redis.call('ZADD', key, now + in_flight, member)
  redis.call('PEXPIRE', key, in_flight + period)
end
return {0, 1}
";

/// The call `ARGV[1]` was answered: its places run out a period from now.
const RELEASE_LUA: &str = r"
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, 'XX', now, ARGV[1])
end
return 0
";

/// Deletes the token at `KEYS[1]` if it is still `ARGV[1]`, the one the server refused.
const FORGET_TOKEN_LUA: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

static ACQUIRE: LazyLock<Script> = LazyLock::new(|| Script::new(ACQUIRE_LUA));
static RELEASE: LazyLock<Script> = LazyLock::new(|| Script::new(RELEASE_LUA));
static FORGET_TOKEN: LazyLock<Script> = LazyLock::new(|| Script::new(FORGET_TOKEN_LUA));

/// The Redis through which the processes of an app share its rate limits and tenant token;
/// give it to [`ClientBuilder::shared_redis`](crate::ClientBuilder::shared_redis).
///
/// The tenant token is kept in Redis as it is: whoever may read that Redis may call as the
/// app. `Debug` shows the address, never a password.
#[derive(Clone)]
pub struct SharedRedis {
    client: redis::Client,
    timeout: Duration,
    key_prefix: String,
}

impl SharedRedis {
    /// Redis at `url`: `redis://host:port/db`, with `user:password@` when it needs them.
    /// Nothing connects until the first call.
    pub fn new(url: &str) -> Result<SharedRedis, InvalidRedisUrl> {
        let client = redis::Client::open(url).map_err(|error| InvalidRedisUrl {
            reason: error.to_string(),
        })?;
        Ok(SharedRedis {
            client,
            timeout: Duration::from_millis(200),
            key_prefix: "feishu-openapi".to_owned(),
        })
    }

    /// Longest wait for one Redis command, connecting included (200 ms by default). Past
    /// it the call goes on without Redis (see the module docs).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// What every key starts with (`feishu-openapi` by default), to keep apart deployments
    /// that share one Redis.
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.key_prefix = prefix.into();
        self
    }
}

impl fmt::Debug for SharedRedis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let info = self.client.get_connection_info();
        f.debug_struct("SharedRedis")
            .field("addr", &info.addr().to_string())
            .field("db", &info.redis_settings().db())
            .field("timeout", &self.timeout)
            .field("key_prefix", &self.key_prefix)
            .finish()
    }
}

/// Why [`SharedRedis::new`] refused a URL.
#[derive(Debug, Clone)]
pub struct InvalidRedisUrl {
    reason: String,
}

impl fmt::Display for InvalidRedisUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a Redis URL: {}", self.reason)
    }
}

impl std::error::Error for InvalidRedisUrl {}

/// A client's link to the shared Redis: one connection, and whether Redis is usable now.
pub(crate) struct Redis {
    client: redis::Client,
    timeout: Duration,
    key_prefix: String,
    connection: tokio::sync::Mutex<Option<MultiplexedConnection>>,
    /// Redis is left alone until then, after a failure.
    skip_until: Mutex<Option<Instant>>,
    /// Whether the last command succeeded, so that a change is logged once.
    healthy: AtomicBool,
    /// Names this process's calls apart from every other process's in the windows.
    process: String,
    next_call: AtomicU64,
    /// One caller per endpoint asks Redis for a place at a time; the others wait their turn,
    /// in order, instead of all polling Redis.
    turns: Mutex<HashMap<&'static str, Arc<tokio::sync::Mutex<()>>>>,
}

impl fmt::Debug for Redis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redis")
            .field(
                "addr",
                &self.client.get_connection_info().addr().to_string(),
            )
            .field("key_prefix", &self.key_prefix)
            .finish_non_exhaustive()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Redis {
    pub(crate) fn new(shared: SharedRedis) -> Redis {
        let process = format!(
            "{}-{:016x}",
            std::process::id(),
            RandomState::new().hash_one(Instant::now())
        );
        Redis {
            client: shared.client,
            timeout: shared.timeout,
            key_prefix: shared.key_prefix,
            connection: tokio::sync::Mutex::new(None),
            skip_until: Mutex::new(None),
            healthy: AtomicBool::new(true),
            process,
            next_call: AtomicU64::new(0),
            turns: Mutex::new(HashMap::new()),
        }
    }

    /// Runs `command` on the connection within the timeout; `None` when Redis is being left
    /// alone, fails or is too slow.
    async fn run<T, F>(
        &self,
        what: &'static str,
        command: impl FnOnce(MultiplexedConnection) -> F,
    ) -> Option<T>
    where
        F: Future<Output = RedisResult<T>>,
    {
        if lock(&self.skip_until).is_some_and(|until| Instant::now() < until) {
            return None;
        }
        let outcome = tokio::time::timeout(self.timeout, async {
            let connection = self.connection().await?;
            command(connection).await
        })
        .await;
        let failure = match outcome {
            Ok(Ok(value)) => {
                if !self.healthy.swap(true, Ordering::Relaxed) {
                    tracing::info!("Redis answers again: rate limits and the token are shared");
                }
                return Some(value);
            }
            Ok(Err(error)) => error.to_string(),
            Err(_) => format!("no answer within {:?}", self.timeout),
        };
        // A connection that failed once is not trusted again.
        *self.connection.lock().await = None;
        *lock(&self.skip_until) = Some(Instant::now() + RETRY_REDIS_AFTER);
        if self.healthy.swap(false, Ordering::Relaxed) {
            tracing::warn!(
                command = what,
                error = %failure,
                "Redis unavailable: rate limits and the tenant token are this process's own \
                 until it answers again"
            );
        } else {
            tracing::debug!(command = what, error = %failure, "Redis still unavailable");
        }
        None
    }

    async fn connection(&self) -> RedisResult<MultiplexedConnection> {
        let mut slot = self.connection.lock().await;
        if let Some(connection) = slot.as_ref() {
            return Ok(connection.clone());
        }
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(self.timeout))
            .set_response_timeout(Some(self.timeout));
        let connection = self
            .client
            .get_multiplexed_async_connection_with_config(&config)
            .await?;
        *slot = Some(connection.clone());
        Ok(connection)
    }

    /// Waits until a call to `operation` for `app_id` fits all of its limits across every
    /// process, and takes its place; `in_flight` is the longest the call may take. `None`
    /// when the endpoint has no limits, or Redis cannot be used: then only this process's
    /// limiter holds the call.
    pub(crate) async fn acquire(
        self: &Arc<Self>,
        app_id: &str,
        operation: &'static Operation,
        in_flight: Duration,
    ) -> Option<SharedPlace> {
        if operation.rate_limits.is_empty() {
            return None;
        }
        let turn = {
            let mut turns = lock(&self.turns);
            Arc::clone(turns.entry(operation.id).or_default())
        };
        let _turn = turn.lock().await;
        let keys: Vec<String> = operation
            .rate_limits
            .iter()
            .map(|limit| {
                format!(
                    "{}:rate:{{{app_id}/{}}}:{}ms",
                    self.key_prefix,
                    operation.id,
                    limit.period.duration().as_millis()
                )
            })
            .collect();
        let member = format!(
            "{}-{}",
            self.process,
            self.next_call.fetch_add(1, Ordering::Relaxed)
        );
        loop {
            let answer: Option<(u64, u8)> = self
                .run("take a rate-limit place", |mut connection| {
                    let mut invocation = ACQUIRE.prepare_invoke();
                    for key in &keys {
                        invocation.key(key);
                    }
                    invocation.arg(&member).arg(in_flight.as_millis() as u64);
                    for limit in operation.rate_limits {
                        invocation
                            .arg(limit.limit)
                            .arg(limit.period.duration().as_millis() as u64);
                    }
                    async move { invocation.invoke_async(&mut connection).await }
                })
                .await;
            let (wait_ms, exact) = answer?;
            if wait_ms == 0 {
                return Some(SharedPlace {
                    redis: Arc::clone(self),
                    keys,
                    member,
                });
            }
            let wait = Duration::from_millis(wait_ms);
            let wait = if exact == 1 {
                wait
            } else {
                wait.min(POLL_IN_FLIGHT)
            };
            tracing::debug!(
                wait_ms = wait.as_millis() as u64,
                "waiting for the endpoint's shared rate limit"
            );
            tokio::time::sleep(wait).await;
        }
    }

    fn token_key(&self, app_id: &str, base_url: &BaseUrl) -> String {
        format!("{}:tenant_token:{app_id}@{base_url}", self.key_prefix)
    }

    /// The app's tenant token another process bought, with how long until it should be
    /// replaced.
    pub(crate) async fn token(
        &self,
        app_id: &str,
        base_url: &BaseUrl,
    ) -> Option<(AccessToken, Duration)> {
        let key = self.token_key(app_id, base_url);
        let (token, left_ms): (Option<String>, i64) = self
            .run("read the tenant token", |mut connection| async move {
                redis::pipe()
                    .get(&key)
                    .pttl(&key)
                    .query_async(&mut connection)
                    .await
            })
            .await?;
        let left = Duration::from_millis(u64::try_from(left_ms).ok()?);
        let token = AccessToken::tenant(&token?).ok()?;
        Some((token, left))
    }

    /// Shares a token this process bought, until `refresh_in` from now.
    pub(crate) async fn store_token(
        &self,
        app_id: &str,
        base_url: &BaseUrl,
        token: &AccessToken,
        refresh_in: Duration,
    ) {
        let (Some(value), Ok(ttl_ms)) = (raw_token(token), u64::try_from(refresh_in.as_millis()))
        else {
            return;
        };
        if ttl_ms == 0 {
            return;
        }
        let key = self.token_key(app_id, base_url);
        self.run("share the tenant token", |mut connection| async move {
            redis::cmd("SET")
                .arg(&key)
                .arg(value)
                .arg("PX")
                .arg(ttl_ms)
                .query_async::<()>(&mut connection)
                .await
        })
        .await;
    }

    /// Drops the shared token if it is still `rejected`, which the server refused.
    pub(crate) async fn forget_token(
        &self,
        app_id: &str,
        base_url: &BaseUrl,
        rejected: &AccessToken,
    ) {
        let Some(value) = raw_token(rejected) else {
            return;
        };
        let key = self.token_key(app_id, base_url);
        self.run("forget the tenant token", |mut connection| async move {
            FORGET_TOKEN
                .key(&key)
                .arg(value)
                .invoke_async::<i64>(&mut connection)
                .await
        })
        .await;
    }
}

/// The token itself, without `Bearer `.
fn raw_token(token: &AccessToken) -> Option<&str> {
    token.authorization().to_str().ok()?.strip_prefix("Bearer ")
}

/// A call's place in the shared windows; dropping it, when the answer is in or the call was
/// given up, starts the period it still holds.
pub(crate) struct SharedPlace {
    redis: Arc<Redis>,
    keys: Vec<String>,
    member: String,
}

impl Drop for SharedPlace {
    fn drop(&mut self) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            // No runtime to tell Redis with: the place lapses when its in-flight time does.
            return;
        };
        let redis = Arc::clone(&self.redis);
        let keys = std::mem::take(&mut self.keys);
        let member = std::mem::take(&mut self.member);
        runtime.spawn(async move {
            redis
                .run("release a rate-limit place", |mut connection| {
                    let mut invocation = RELEASE.prepare_invoke();
                    for key in &keys {
                        invocation.key(key);
                    }
                    invocation.arg(&member);
                    async move { invocation.invoke_async::<i64>(&mut connection).await }
                })
                .await;
        });
    }
}
