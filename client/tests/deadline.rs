//! One deadline per call: whatever the call waits for (an answer, retries, backoff, the rate
//! limiter, the tenant token), it ends by its deadline and says so.
//!
//! Elapsed times are checked against the deadline with a margin of [`MARGIN`]: enough for a
//! loaded machine to schedule the timer, far less than the stalls the server is asked for.

mod common;

use std::time::{Duration, Instant};

use common::{builder, demo_request, demo_server};
use feishu_local_server::Fault;
use feishu_openapi::BaseUrl;
use feishu_openapi_client::{Client, Error};

const MARGIN: Duration = Duration::from_millis(700);

/// Checks that a call given `deadline` ended by it (with the margin), not before it.
fn assert_ended_at_deadline(started: Instant, deadline: Duration) {
    let elapsed = started.elapsed();
    assert!(
        elapsed >= deadline && elapsed < deadline + MARGIN,
        "the call took {elapsed:?} with a deadline of {deadline:?}"
    );
}

#[tokio::test]
async fn an_attempt_that_outlasts_the_deadline_is_cut_short_and_said_to_be_in_flight() {
    let server = demo_server().await;
    server.inject(Fault::Stall(Duration::from_secs(30)));
    let deadline = Duration::from_millis(800);
    // The attempt's own timeout (5 s) is longer than the whole call may take.
    let client = builder(&server).deadline(deadline).build().unwrap();
    let started = Instant::now();
    let error = client.send(&demo_request()).await.expect_err("stalls");
    assert_ended_at_deadline(started, deadline);
    let Error::DeadlineExceeded(exceeded) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(exceeded.deadline, deadline);
    assert_eq!(exceeded.attempts, 1);
    assert!(exceeded.in_flight, "the stalled attempt was sent");
    assert!(error.outcome_unknown());
    assert!(
        error.to_string().contains("deadline of 800ms passed"),
        "{error}"
    );
}

#[tokio::test]
async fn retries_after_timeouts_stop_at_the_deadline() {
    // The tester's case, scaled down: per-attempt timeouts on a slow unbind, four attempts
    // allowed with short backoff. Each takes 400 ms; the call may take 1 s in all, so the
    // third is cut short. (A retry whose wait would end past the deadline is not started:
    // the backoff here is too short for that.)
    let server = demo_server().await;
    for _ in 0..4 {
        server.inject(Fault::Stall(Duration::from_secs(30)));
    }
    let deadline = Duration::from_secs(1);
    let client = builder(&server)
        .timeout(Duration::from_millis(400))
        .retry_policy(common::fast_retries().with_max_attempts(4))
        .deadline(deadline)
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.send(&demo_request()).await.expect_err("stalls");
    assert_ended_at_deadline(started, deadline);
    let Error::DeadlineExceeded(exceeded) = &error else {
        panic!("{error:?}")
    };
    assert!(exceeded.attempts >= 2, "{exceeded:?}");
    assert!(
        exceeded.unanswered.as_ref().is_some_and(|t| t.is_timeout()),
        "{exceeded:?}"
    );
    assert!(
        matches!(exceeded.last_failure, Some(Error::Timeout(_))),
        "{exceeded:?}"
    );
    assert!(error.outcome_unknown());
}

#[tokio::test]
async fn waiting_for_the_rate_limit_counts_against_the_deadline() {
    const LIMIT: usize = 50;
    let server = common::server_with_events(LIMIT + 1).await;
    let client = common::client_without_retries(&server);
    // Fill the second's 50 places; each is held until a second after its answer.
    let calls: Vec<_> = (0..LIMIT)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move { client.send(&common::event_request(i)).await })
        })
        .collect();
    for call in calls {
        call.await.expect("task").expect("fits the limit");
    }
    let deadline = Duration::from_millis(300);
    let started = Instant::now();
    let error = client
        .with_deadline(deadline)
        .send(&common::event_request(LIMIT))
        .await
        .expect_err("no place within 300 ms");
    assert_ended_at_deadline(started, deadline);
    let Error::DeadlineExceeded(exceeded) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(exceeded.attempts, 0, "nothing was sent");
    assert!(!error.outcome_unknown());
    assert_eq!(server.stats().requests, LIMIT as u64);
}

#[tokio::test]
async fn a_token_issuer_that_never_answers_counts_against_the_deadline() {
    // Accepts connections and never answers them.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let held = tokio::spawn(async move {
        let mut connections = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            connections.push(stream);
        }
    });
    let deadline = Duration::from_millis(600);
    let client = Client::builder()
        .base_url(BaseUrl::parse(&format!("http://{addr}")).unwrap())
        .app_credentials("cli_x", "secret")
        .timeout(Duration::from_secs(30))
        .deadline(deadline)
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.send(&demo_request()).await.expect_err("no token");
    assert_ended_at_deadline(started, deadline);
    let Error::DeadlineExceeded(exceeded) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(exceeded.attempts, 0);
    assert!(!exceeded.in_flight);
    held.abort();
}
