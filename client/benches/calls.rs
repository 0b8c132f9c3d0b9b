//! The client against the local server, over loopback:
//! 1. 1,000 unbinds with the rate limiter on: the rate achieved and the 429s earned (target 0);
//! 2. with the limiter off (and the server's limits off), calls per second of our client
//!    against a bare reqwest loop sending the same requests, interleaved, medians of 3 runs.
//!
//! `cargo bench -p feishu-openapi-client --bench calls` prints the tables for BENCHMARKS.md.

use std::time::{Duration, Instant};

use feishu_local_server::{Identity, LocalServer, World, demo};
use feishu_openapi::calendar::v4::UnbindMeetingChatRequest;
use feishu_openapi::calendar::{CalendarId, EventId, MeetingChatId};
use feishu_openapi::{AccessToken, BaseUrl, Endpoint};
use feishu_openapi_client::Client;
use futures_util::stream::{self, StreamExt};

const LIMITED_CALLS: usize = 1_000;
const LIMITED_CONCURRENCY: usize = 100;
const THROUGHPUT_CALLS: usize = 2_000;
const THROUGHPUT_CONCURRENCY: usize = 32;
const RUNS: usize = 3;

fn ids(i: usize) -> (String, String) {
    (format!("bench{i:06}_0"), format!("oc_bench_{i}"))
}

fn request(i: usize) -> UnbindMeetingChatRequest {
    let (event_id, chat_id) = ids(i);
    UnbindMeetingChatRequest::new(
        CalendarId::new(demo::CALENDAR_ID).expect("valid id"),
        EventId::new(event_id).expect("valid id"),
        MeetingChatId::new(chat_id).expect("valid id"),
    )
}

/// The demo world with `n` more events, each with a meeting chat the demo app owns.
fn world_with_chats(n: usize, documented_rate_limits: bool) -> World {
    let mut world = World::demo();
    world.settings.documented_rate_limits = documented_rate_limits;
    for i in 0..n {
        let (event_id, chat_id) = ids(i);
        let owner = Identity::App(demo::APP_ID.into());
        world.add_meeting_chat(demo::CALENDAR_ID, &event_id, &chat_id, owner);
    }
    world
}

fn base_url(server: &LocalServer) -> BaseUrl {
    BaseUrl::parse(&server.base_url()).expect("loopback URL")
}

fn client(server: &LocalServer, rate_limited: bool) -> Client {
    let builder = Client::builder()
        .base_url(base_url(server))
        .app_credentials(demo::APP_ID, demo::APP_SECRET);
    let builder = if rate_limited {
        builder
    } else {
        builder.without_rate_limiter()
    };
    builder.build().expect("client")
}

/// The most of `times` (sorted) that fall within any window of `window`.
fn most_in_window(times: &[Duration], window: Duration) -> usize {
    let mut most = 0;
    let mut start = 0;
    for end in 0..times.len() {
        while times[end] - times[start] >= window {
            start += 1;
        }
        most = most.max(end - start + 1);
    }
    most
}

async fn under_the_limiter() {
    let server = LocalServer::start(world_with_chats(LIMITED_CALLS, true))
        .await
        .expect("server");
    let client = client(&server, true);
    let started = Instant::now();
    let outcomes: Vec<(bool, Duration)> = stream::iter(0..LIMITED_CALLS)
        .map(|i| {
            let client = &client;
            async move {
                let ok = client.send(&request(i)).await.is_ok();
                (ok, started.elapsed())
            }
        })
        .buffer_unordered(LIMITED_CONCURRENCY)
        .collect()
        .await;
    let elapsed = started.elapsed();
    let ok = outcomes.iter().filter(|(ok, _)| *ok).count();
    let mut answered: Vec<Duration> = outcomes.iter().map(|(_, at)| *at).collect();
    answered.sort();
    let stats = server.stats();
    println!("## 1,000 unbinds under the limiter ({LIMITED_CONCURRENCY} in flight)\n");
    println!(
        "| calls | succeeded | wall s | achieved calls/s | most answered in any 1 s | HTTP 429s at the server |"
    );
    println!("|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {LIMITED_CALLS} | {ok} | {:.2} | {:.1} | {} | {} |\n",
        elapsed.as_secs_f64(),
        LIMITED_CALLS as f64 / elapsed.as_secs_f64(),
        most_in_window(&answered, Duration::from_secs(1)),
        stats.rate_limited
    );
}

/// Calls per second, and calls that succeeded, of one loop.
struct Throughput {
    per_second: f64,
    ok: usize,
}

async fn ours(client: &Client, first: usize) -> Throughput {
    let started = Instant::now();
    let ok = stream::iter(first..first + THROUGHPUT_CALLS)
        .map(|i| async move { client.send(&request(i)).await.is_ok() })
        .buffer_unordered(THROUGHPUT_CONCURRENCY)
        .filter(|ok| std::future::ready(*ok))
        .count()
        .await;
    Throughput {
        per_second: THROUGHPUT_CALLS as f64 / started.elapsed().as_secs_f64(),
        ok,
    }
}

/// The same requests, built by the generated crate, sent by reqwest alone: no token cache,
/// limiter, retries, decoding or tracing.
async fn bare_reqwest(
    http: &reqwest::Client,
    base: &BaseUrl,
    token: &AccessToken,
    first: usize,
) -> Throughput {
    let started = Instant::now();
    let ok = stream::iter(first..first + THROUGHPUT_CALLS)
        .map(|i| async move {
            let request = request(i).http_request(base, token).expect("request");
            let request = reqwest::Request::try_from(request).expect("reqwest request");
            match http.execute(request).await {
                Ok(response) => response.status().is_success() && response.bytes().await.is_ok(),
                Err(_) => false,
            }
        })
        .buffer_unordered(THROUGHPUT_CONCURRENCY)
        .filter(|ok| std::future::ready(*ok))
        .count()
        .await;
    Throughput {
        per_second: THROUGHPUT_CALLS as f64 / started.elapsed().as_secs_f64(),
        ok,
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

async fn without_limits() {
    let server = LocalServer::start(world_with_chats(2 * RUNS * THROUGHPUT_CALLS, false))
        .await
        .expect("server");
    let client = client(&server, false);
    let http = reqwest::Client::new();
    let base = base_url(&server);
    // Warm both: connections, and the client's token, which the bare loop then uses too.
    client.send(&request(usize::MAX / 2)).await.ok();
    http.get(server.base_url()).send().await.ok();
    let token = server
        .with_world(|world| world.tenant_token_of(demo::APP_ID).map(str::to_owned))
        .expect("the client's tenant token");
    let token = AccessToken::tenant(&token).expect("a valid token");

    let (mut our_rates, mut bare_rates) = (Vec::new(), Vec::new());
    println!(
        "## Limiter off: {THROUGHPUT_CALLS} unbinds per run, {THROUGHPUT_CONCURRENCY} in flight\n"
    );
    println!("| run | ours calls/s | ours ok | bare reqwest calls/s | bare ok | ours / bare |");
    println!("|---:|---:|---:|---:|---:|---:|");
    for run in 0..RUNS {
        let first = 2 * run * THROUGHPUT_CALLS;
        // Alternate which goes first, so neither always meets a warmer server.
        let (our, bare) = if run % 2 == 0 {
            let our = ours(&client, first).await;
            (
                our,
                bare_reqwest(&http, &base, &token, first + THROUGHPUT_CALLS).await,
            )
        } else {
            let bare = bare_reqwest(&http, &base, &token, first).await;
            (ours(&client, first + THROUGHPUT_CALLS).await, bare)
        };
        println!(
            "| {} | {:.0} | {} | {:.0} | {} | {:.2} |",
            run + 1,
            our.per_second,
            our.ok,
            bare.per_second,
            bare.ok,
            our.per_second / bare.per_second
        );
        our_rates.push(our.per_second);
        bare_rates.push(bare.per_second);
    }
    let (ours_median, bare_median) = (median(our_rates), median(bare_rates));
    println!(
        "| median | {ours_median:.0} | | {bare_median:.0} | | {:.2} |\n",
        ours_median / bare_median
    );
    println!("HTTP 429s at the server: {}", server.stats().rate_limited);
}

fn main() {
    // `cargo test --benches` and clippy build this too; only `cargo bench` passes `--bench`.
    if !std::env::args().any(|arg| arg == "--bench") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        under_the_limiter().await;
        without_limits().await;
    });
}
