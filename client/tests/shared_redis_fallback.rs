//! When the shared Redis is killed or freezes mid-run, calls go on without hanging, under the
//! process's own limiter, with a `tracing` warning; once Redis is back, limits are shared again.
//!
//! Alone in its test binary: it listens to tracing output (see tests/tracing.rs for why).
#![cfg(feature = "redis")]

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::redis_server::RedisServer;
use common::{builder, event_request, server_with_events};
use feishu_openapi_client::{Client, RetryPolicy, SharedRedis};

/// Log lines written while the test runs.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const REDIS_TIMEOUT: Duration = Duration::from_millis(200);

/// Keys the client's rate limiter keeps in `redis`.
async fn rate_keys(redis: &RedisServer) -> Vec<String> {
    let client = redis::Client::open(redis.url()).expect("URL");
    let mut connection = client
        .get_multiplexed_async_connection()
        .await
        .expect("connect to Redis");
    redis::cmd("KEYS")
        .arg("feishu-openapi:rate:*")
        .query_async(&mut connection)
        .await
        .expect("KEYS")
}

/// Sends `n` unbinds at once, from event `first` on; each must succeed within `bound`.
async fn calls_succeed_within(client: &Client, first: usize, n: usize, bound: Duration) {
    let started = Instant::now();
    let calls: Vec<_> = (first..first + n)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                let started = Instant::now();
                let outcome = client.send(&event_request(i)).await;
                (outcome, started.elapsed())
            })
        })
        .collect();
    for call in calls {
        let (outcome, took) = call.await.expect("task");
        outcome.expect("the call succeeds without Redis");
        assert!(took < bound, "a call took {took:?}");
    }
    assert!(started.elapsed() < bound + Duration::from_secs(2));
}

#[tokio::test]
async fn without_redis_calls_go_on_under_the_process_limiter_and_say_so() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let mut redis = RedisServer::start();
    let server = server_with_events(200).await;
    let client = builder(&server)
        .retry_policy(RetryPolicy::none())
        .shared_redis(
            SharedRedis::new(&redis.url())
                .expect("URL")
                .timeout(REDIS_TIMEOUT),
        )
        .build()
        .expect("client");
    calls_succeed_within(&client, 0, 5, Duration::from_secs(2)).await;
    assert_eq!(
        rate_keys(&redis).await.len(),
        2,
        "50/s and 1000/min windows"
    );
    assert!(!captured.text().contains("Redis unavailable"));

    // Killed: refused connections, answered at once.
    redis.stop();
    calls_succeed_within(&client, 5, 5, Duration::from_secs(2)).await;
    let logs = captured.text();
    assert!(logs.contains("WARN"), "{logs}");
    assert!(logs.contains("Redis unavailable"), "{logs}");
    assert_eq!(
        logs.matches("Redis unavailable").count(),
        1,
        "one warning per outage:\n{logs}"
    );
    // Still held to the documented rate by the process's own limiter: 60 calls, no 429.
    let before = server.stats().rate_limited;
    let started = Instant::now();
    calls_succeed_within(&client, 10, 60, Duration::from_secs(5)).await;
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(server.stats().rate_limited, before);

    // Back on the same port, empty: after its pause the client shares again.
    let redis = RedisServer::start_on(redis.port());
    tokio::time::sleep(Duration::from_millis(1100)).await;
    calls_succeed_within(&client, 70, 1, Duration::from_secs(2)).await;
    assert_eq!(rate_keys(&redis).await.len(), 2, "shared again");
    assert!(captured.text().contains("Redis answers again"));

    // Frozen: connections accepted, nothing answered. Calls wait the Redis timeout at most.
    redis.pause();
    calls_succeed_within(&client, 71, 5, REDIS_TIMEOUT + Duration::from_secs(1)).await;
    assert_eq!(
        captured.text().matches("Redis unavailable").count(),
        2,
        "{}",
        captured.text()
    );
    redis.resume();

    let logs = captured.text();
    let tokens: Vec<String> =
        server.with_world(|world| world.tenant_tokens.keys().cloned().collect());
    assert!(!tokens.is_empty());
    for token in tokens {
        assert!(!logs.contains(&token), "token in logs:\n{logs}");
    }
    assert!(!logs.contains(feishu_local_server::demo::APP_SECRET));
}
