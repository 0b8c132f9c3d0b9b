//! Rate limits and the tenant token shared through Redis (feature `redis`), against a
//! `redis-server` each test starts on loopback. Separately built clients stand for the
//! processes of one app: each has its own limiter, token cache and Redis connection.
#![cfg(feature = "redis")]

mod common;

use std::time::Duration;

use common::redis_server::RedisServer;
use common::{builder, event_request, most_in_window, server_with_events};
use feishu_local_server::LocalServer;
use feishu_openapi_client::{Client, RetryPolicy, SharedRedis};

const PROCESSES: usize = 3;
/// Calls per process: together more than the 50 a second unbind allows.
const CALLS_EACH: usize = 30;

/// A client for `server` that sends each call once, sharing through `redis` when given.
fn process(server: &LocalServer, redis: Option<&RedisServer>) -> Client {
    let builder = builder(server).retry_policy(RetryPolicy::none());
    let builder = match redis {
        Some(redis) => builder.shared_redis(SharedRedis::new(&redis.url()).expect("URL")),
        None => builder,
    };
    builder.build().expect("client")
}

/// Sends [`CALLS_EACH`] unbinds from each process at once; returns how many failed.
async fn burst(processes: &[Client]) -> usize {
    let calls: Vec<_> = (0..processes.len() * CALLS_EACH)
        .map(|i| {
            let client = processes[i % processes.len()].clone();
            tokio::spawn(async move { client.send(&event_request(i)).await })
        })
        .collect();
    let mut failed = 0;
    for call in calls {
        if call.await.expect("task").is_err() {
            failed += 1;
        }
    }
    failed
}

#[tokio::test]
async fn processes_sharing_redis_keep_to_the_rate_together() {
    let redis = RedisServer::start();
    let server = server_with_events(PROCESSES * CALLS_EACH).await;
    server.record_arrivals();
    let processes: Vec<Client> = (0..PROCESSES)
        .map(|_| process(&server, Some(&redis)))
        .collect();
    assert_eq!(burst(&processes).await, 0, "no call refused");
    let stats = server.stats();
    assert_eq!(stats.rate_limited, 0);
    assert_eq!(stats.requests, (PROCESSES * CALLS_EACH) as u64);
    let most = most_in_window(&server.arrivals(), Duration::from_secs(1));
    assert!(most <= 50, "{most} calls arrived within one second");
}

#[tokio::test]
async fn processes_without_redis_each_allow_the_whole_rate() {
    // The same burst without sharing: each process keeps to 50/s alone, so together they
    // exceed it and the server refuses some.
    let server = server_with_events(PROCESSES * CALLS_EACH).await;
    let processes: Vec<Client> = (0..PROCESSES).map(|_| process(&server, None)).collect();
    let failed = burst(&processes).await;
    assert!(failed > 0, "every call got through");
    assert_eq!(server.stats().rate_limited, failed as u64);
}

/// A server on which every token purchase gets a new token: the issuer hands out the
/// current one again only while it has more than 30 minutes left.
async fn server_issuing_a_token_per_request() -> LocalServer {
    let server = server_with_events(4).await;
    server.with_world(|world| world.settings.tenant_token_lifetime = Duration::from_secs(20 * 60));
    server
}

#[tokio::test]
async fn one_token_is_bought_for_all_processes() {
    let redis = RedisServer::start();
    let server = server_issuing_a_token_per_request().await;
    process(&server, Some(&redis))
        .send(&event_request(0))
        .await
        .expect("first process");
    process(&server, Some(&redis))
        .send(&event_request(1))
        .await
        .expect("second process");
    assert_eq!(server.stats().tenant_tokens_issued, 1);

    // Without Redis, a process buys its own.
    process(&server, None)
        .send(&event_request(2))
        .await
        .expect("unshared process");
    assert_eq!(server.stats().tenant_tokens_issued, 2);
}

#[tokio::test]
async fn a_refused_token_is_dropped_for_all_processes() {
    let redis = RedisServer::start();
    let server = server_issuing_a_token_per_request().await;
    let first = process(&server, Some(&redis));
    first
        .send(&event_request(0))
        .await
        .expect("buys and shares");
    // The server forgets the token: the next call is refused, and the process buys another.
    server.with_world(|world| world.tenant_tokens.clear());
    first
        .send(&event_request(1))
        .await
        .expect("buys a new token once refused");
    assert_eq!(server.stats().tenant_tokens_issued, 2);
    // Another process finds the new token, not the refused one.
    process(&server, Some(&redis))
        .send(&event_request(2))
        .await
        .expect("uses the shared token");
    assert_eq!(server.stats().tenant_tokens_issued, 2);
}

#[test]
fn debug_shows_where_redis_is_never_its_password() {
    let shared = SharedRedis::new("redis://feishu:s3cret-pass@127.0.0.1:6390/2").expect("URL");
    let debug = format!("{shared:?}");
    assert!(debug.contains("127.0.0.1:6390"), "{debug}");
    assert!(!debug.contains("s3cret-pass"), "{debug}");
    let error = SharedRedis::new("http://127.0.0.1/").expect_err("not Redis");
    assert!(error.to_string().contains("not a Redis URL"), "{error}");
}
