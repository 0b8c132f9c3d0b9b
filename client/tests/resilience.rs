//! Retries, rate limits, timeouts and dropped connections, against the local server.
//!
//! Time is only checked where the client must wait (a lower bound) or must not (a bound far
//! above what the test needs).

mod common;

use std::time::{Duration, Instant};

use common::{builder, client, client_without_retries, demo_request, demo_server};
use feishu_local_server::Fault;
use feishu_openapi::calendar::CalendarErrorCode;
use feishu_openapi::calendar::v4::UnbindMeetingChatError;
use feishu_openapi::{BaseUrl, EndpointError};
use feishu_openapi_client::{Client, Error, RetryPolicy};

#[tokio::test]
async fn a_retryable_error_is_retried_until_it_succeeds() {
    let server = demo_server().await;
    server.inject(Fault::InternalError);
    server.inject(Fault::InternalError);
    client(&server)
        .send(&demo_request())
        .await
        .expect("third try succeeds");
    assert_eq!(server.stats().requests, 3);
    assert!(!common::demo_chat_bound(&server));
}

#[tokio::test]
async fn retries_stop_after_the_policys_attempts() {
    let server = demo_server().await;
    for _ in 0..4 {
        server.inject(Fault::InternalError);
    }
    let error = client(&server)
        .send(&demo_request())
        .await
        .expect_err("fails");
    assert!(matches!(
        error,
        Error::Api(UnbindMeetingChatError::Documented(
            CalendarErrorCode::InternalServiceError,
            _
        ))
    ));
    assert_eq!(server.stats().requests, 3, "3 attempts, as the policy says");
}

#[tokio::test]
async fn backoff_grows_between_attempts() {
    let server = demo_server().await;
    for _ in 0..3 {
        server.inject(Fault::InternalError);
    }
    let policy = RetryPolicy::default()
        .with_max_attempts(4)
        .with_backoff(Duration::from_millis(100), Duration::from_secs(1));
    let client = builder(&server).retry_policy(policy).build().unwrap();
    let started = Instant::now();
    client
        .send(&demo_request())
        .await
        .expect("fourth try succeeds");
    // Waits of at least 50, 100 and 200 ms (half of 100, 200, 400 with jitter).
    assert!(
        started.elapsed() >= Duration::from_millis(350),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn an_error_a_retry_cannot_fix_is_not_retried() {
    let server = demo_server().await;
    let client = client(&server);
    client.send(&demo_request()).await.expect("unbinds");
    let error = client
        .send(&demo_request())
        .await
        .expect_err("no longer bound");
    assert!(matches!(
        error,
        Error::Api(UnbindMeetingChatError::Documented(
            CalendarErrorCode::ChatNotMatchWithEvent,
            _
        ))
    ));
    assert_eq!(server.stats().requests, 2);
}

#[tokio::test]
async fn http_429_waits_the_reset_header_then_succeeds() {
    let server = demo_server().await;
    server.inject(Fault::RateLimited { reset_seconds: 1 });
    let started = Instant::now();
    client(&server)
        .send(&demo_request())
        .await
        .expect("succeeds after the wait");
    // The backoff alone would be a few milliseconds.
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    let stats = server.stats();
    assert_eq!((stats.requests, stats.rate_limited), (2, 1));
}

#[tokio::test]
async fn a_reset_beyond_the_time_budget_returns_at_once() {
    let server = demo_server().await;
    server.inject(Fault::RateLimited { reset_seconds: 120 });
    let client = builder(&server)
        .deadline(Duration::from_secs(5))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client
        .send(&demo_request())
        .await
        .expect_err("rate limited");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(error.code(), Some(99991400));
    let Error::Api(error) = error else {
        panic!("{error:?}")
    };
    assert_eq!(error.http_status(), http::StatusCode::TOO_MANY_REQUESTS);
    assert!(error.is_retryable());
    assert_eq!(server.stats().requests, 1);
}

#[tokio::test]
async fn a_busy_caller_is_held_to_the_documented_rate_and_earns_no_429() {
    // 60 calls against 50/s: the last ones must wait for the window, not be refused.
    const CALLS: usize = 60;
    let server = common::server_with_events(CALLS).await;
    let client = client_without_retries(&server);
    let started = Instant::now();
    let calls: Vec<_> = (0..CALLS)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move { client.send(&common::event_request(i)).await })
        })
        .collect();
    for call in calls {
        call.await.expect("task").expect("no call refused");
    }
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    let stats = server.stats();
    assert_eq!((stats.requests, stats.rate_limited), (CALLS as u64, 0));
}

#[tokio::test]
async fn a_stalled_server_times_out() {
    let server = demo_server().await;
    server.inject(Fault::Stall(Duration::from_secs(30)));
    let client = builder(&server)
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.send(&demo_request()).await.expect_err("stalls");
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_timeout_is_retried_on_an_idempotent_call() {
    let server = demo_server().await;
    let client = builder(&server)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    server.inject(Fault::Stall(Duration::from_secs(30)));
    let started = Instant::now();
    client
        .send(&demo_request())
        .await
        .expect("second try succeeds");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.stats().requests, 2);
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error() {
    let server = demo_server().await;
    server.inject(Fault::DropConnection);
    let error = client_without_retries(&server)
        .send(&demo_request())
        .await
        .expect_err("dropped");
    let Error::Transport(transport) = &error else {
        panic!("{error:?}")
    };
    assert!(
        !transport.is_connect(),
        "the connection was made: {transport}"
    );
    assert!(
        common::demo_chat_bound(&server),
        "the dropped call changed nothing"
    );
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let server = demo_server().await;
    server.inject(Fault::DropConnection);
    server.inject(Fault::DropConnection);
    client(&server)
        .send(&demo_request())
        .await
        .expect("third try succeeds");
    assert_eq!(server.stats().requests, 3);
}

#[tokio::test]
async fn nobody_listening_is_a_connect_error_after_the_retries() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .base_url(BaseUrl::parse(&format!("http://127.0.0.1:{port}")).unwrap())
        .app_credentials("cli_x", "secret")
        .retry_policy(common::fast_retries())
        .build()
        .unwrap();
    let error = client.send(&demo_request()).await.expect_err("refused");
    let Error::Transport(transport) = &error else {
        panic!("{error:?}")
    };
    assert!(transport.is_connect(), "{transport}");
}
