//! Several processes of one app against one local server with the documented limits on (50/s
//! and 1000/min for unbind): with the rate limits shared through Redis, and without.
//!
//! The bench starts a `redis-server` and the local server on loopback, then runs itself
//! [`PROCESSES`] times as workers, each sending [`CALLS_EACH`] unbinds ([`IN_FLIGHT`] at a
//! time, default retry policy, 120 s deadline per call). The server notes when each call
//! arrives, refused ones too.
//!
//! ```sh
//! cargo bench -p feishu-openapi-client --features redis --bench shared_limits [-- --runs 3]
//! ```

#[allow(dead_code)] // The bench uses part of the tests' helper.
#[path = "../tests/common/redis_server.rs"]
mod redis_server;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use feishu_local_server::{Identity, LocalServer, World, demo};
use feishu_openapi::BaseUrl;
use feishu_openapi::calendar::v4::UnbindMeetingChatRequest;
use feishu_openapi::calendar::{CalendarId, EventId, MeetingChatId};
use feishu_openapi_client::{Client, SharedRedis};
use futures_util::stream::{self, StreamExt};
use redis_server::RedisServer;

const PROCESSES: usize = 4;
const CALLS_EACH: usize = 500;
const IN_FLIGHT: usize = 50;
const DEADLINE: Duration = Duration::from_secs(120);

fn ids(i: usize) -> (String, String) {
    (format!("shared{i:06}_0"), format!("oc_shared_{i}"))
}

/// The demo world with `n` more events, each with a meeting chat the demo app owns.
fn world_with_chats(n: usize) -> World {
    let mut world = World::demo();
    for i in 0..n {
        let (event_id, chat_id) = ids(i);
        let owner = Identity::App(demo::APP_ID.into());
        world.add_meeting_chat(demo::CALENDAR_ID, &event_id, &chat_id, owner);
    }
    world
}

/// What one worker reports on its last line of output.
#[derive(Debug, Default, Clone, Copy)]
struct WorkerReport {
    ok: usize,
    failed: usize,
}

/// A worker: `--worker <base url> <first event> [<redis url>]`.
async fn worker(args: &[String]) {
    let base_url = BaseUrl::parse(&args[0]).expect("base URL");
    let first: usize = args[1].parse().expect("first event");
    let builder = Client::builder()
        .base_url(base_url)
        .app_credentials(demo::APP_ID, demo::APP_SECRET)
        .deadline(DEADLINE);
    let builder = match args.get(2) {
        Some(url) => builder.shared_redis(SharedRedis::new(url).expect("Redis URL")),
        None => builder,
    };
    let client = builder.build().expect("client");
    let ok = stream::iter(first..first + CALLS_EACH)
        .map(|i| {
            let client = &client;
            async move {
                let (event_id, chat_id) = ids(i);
                let request = UnbindMeetingChatRequest::new(
                    CalendarId::new(demo::CALENDAR_ID).expect("valid id"),
                    EventId::new(event_id).expect("valid id"),
                    MeetingChatId::new(chat_id).expect("valid id"),
                );
                client.send(&request).await.is_ok()
            }
        })
        .buffer_unordered(IN_FLIGHT)
        .filter(|ok| std::future::ready(*ok))
        .count()
        .await;
    println!("ok {ok} failed {}", CALLS_EACH - ok);
}

fn parse_report(stdout: &[u8]) -> WorkerReport {
    let text = String::from_utf8_lossy(stdout);
    let line = text.lines().last().unwrap_or_default();
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        ["ok", ok, "failed", failed] => WorkerReport {
            ok: ok.parse().unwrap_or_default(),
            failed: failed.parse().unwrap_or_default(),
        },
        _ => panic!("a worker said {text:?}"),
    }
}

/// The most of `times` (sorted) that fall within any window of `window`.
fn most_in_window(times: &[Instant], window: Duration) -> usize {
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

struct RunFigures {
    wall: Duration,
    ok: usize,
    failed: usize,
    requests: u64,
    rate_limited: u64,
    most_per_second: usize,
    most_per_minute: usize,
}

async fn run(shared: bool) -> RunFigures {
    let redis = shared.then(RedisServer::start);
    let server = LocalServer::start(world_with_chats(PROCESSES * CALLS_EACH))
        .await
        .expect("server");
    server.record_arrivals();
    let exe = std::env::current_exe().expect("the bench's own path");
    let started = Instant::now();
    let workers: Vec<_> = (0..PROCESSES)
        .map(|p| {
            let mut command = Command::new(&exe);
            command
                .arg("--worker")
                .arg(server.base_url())
                .arg((p * CALLS_EACH).to_string());
            if let Some(redis) = &redis {
                command.arg(redis.url());
            }
            let child = command
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("start a worker");
            tokio::task::spawn_blocking(move || child.wait_with_output().expect("worker"))
        })
        .collect();
    let mut total = WorkerReport::default();
    for worker in workers {
        let output = worker.await.expect("join");
        assert!(
            output.status.success(),
            "a worker failed: {}",
            output.status
        );
        let report = parse_report(&output.stdout);
        total.ok += report.ok;
        total.failed += report.failed;
    }
    let wall = started.elapsed();
    let mut arrivals = server.arrivals();
    arrivals.sort();
    let stats = server.stats();
    RunFigures {
        wall,
        ok: total.ok,
        failed: total.failed,
        requests: stats.requests,
        rate_limited: stats.rate_limited,
        most_per_second: most_in_window(&arrivals, Duration::from_secs(1)),
        most_per_minute: most_in_window(&arrivals, Duration::from_secs(60)),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    if let Some(at) = args.iter().position(|arg| arg == "--worker") {
        runtime.block_on(worker(&args[at + 1..]));
        return;
    }
    // `cargo test --benches` and clippy build this too; only `cargo bench` passes `--bench`.
    if !args.iter().any(|arg| arg == "--bench") {
        return;
    }
    let runs: usize = args
        .iter()
        .position(|arg| arg == "--runs")
        .and_then(|at| args.get(at + 1))
        .map(|runs| runs.parse().expect("--runs N"))
        .unwrap_or(1);
    println!(
        "## {PROCESSES} processes × {CALLS_EACH} unbinds, {IN_FLIGHT} in flight each, \
         one local server (50/s and 1000/min)\n"
    );
    println!(
        "| run | limiter | wall s | calls ok | failed | requests | HTTP 429s | most arrived in any 1 s | most in any 60 s |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
    for run_number in 1..=runs {
        // Alternate which goes first, so neither always meets a cooler machine.
        let order = if run_number % 2 == 1 {
            [true, false]
        } else {
            [false, true]
        };
        for shared in order {
            let figures = runtime.block_on(run(shared));
            println!(
                "| {run_number} | {} | {:.1} | {} | {} | {} | {} | {} | {} |",
                if shared {
                    "shared (Redis)"
                } else {
                    "per process"
                },
                figures.wall.as_secs_f64(),
                figures.ok,
                figures.failed,
                figures.requests,
                figures.rate_limited,
                figures.most_per_second,
                figures.most_per_minute,
            );
        }
    }
}
