//! The per-call cost of the crate, side by side with what a hand-rolled client would do.
//!
//! Building the unbind-meeting-chat request against a `format!` + percent-encoding baseline
//! that produces the same URL, and decoding a success and an error body into the typed results
//! against a plain `#[derive(Deserialize)]` struct and `serde_json::Value`. Allocations per
//! operation are counted by the global allocator below and printed before the timings.
//!
//! Times are CPU time of the benchmark thread ([`ThreadCpuTime`]), not wall time: the machines
//! this runs on are shared, and time spent descheduled is not time spent in this code.
//!
//! Run: `cargo bench -p feishu-openapi-tests --bench hot_path`, then `python3 bench/hot_path_table.py`
//! for the medians side by side. Figures: BENCHMARKS.md.

use std::alloc::System;
use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{Criterion, Throughput};
use feishu_openapi::calendar::v4::UnbindMeetingChatRequest;
use feishu_openapi::calendar::{CalendarId, EventId, MeetingChatId};
use feishu_openapi::{AccessToken, BaseUrl, Endpoint, LOG_ID_HEADER};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use rustix::time::{ClockId, clock_gettime};
use serde::Deserialize;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

/// Counts every allocation of the process, so that one operation's count can be read off.
#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Criterion's clock here: CPU time consumed by the benchmark thread.
struct ThreadCpuTime;

fn thread_cpu_now() -> Duration {
    let now = clock_gettime(ClockId::ThreadCPUTime);
    Duration::new(
        u64::try_from(now.tv_sec).unwrap_or(0),
        u32::try_from(now.tv_nsec).unwrap_or(0),
    )
}

impl Measurement for ThreadCpuTime {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        thread_cpu_now()
    }
    fn end(&self, start: Duration) -> Duration {
        thread_cpu_now().saturating_sub(start)
    }
    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }
    fn zero(&self) -> Duration {
        Duration::ZERO
    }
    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &Nanoseconds
    }
}

/// Shows nanoseconds of CPU time in the unit that fits.
struct Nanoseconds;

impl ValueFormatter for Nanoseconds {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = match typical {
            ns if ns < 1e3 => (1.0, "ns"),
            ns if ns < 1e6 => (1e-3, "µs"),
            ns if ns < 1e9 => (1e-6, "ms"),
            _ => (1e-9, "s"),
        };
        values.iter_mut().for_each(|value| *value *= factor);
        unit
    }

    fn scale_throughputs(
        &self,
        _typical: f64,
        throughput: &Throughput,
        values: &mut [f64],
    ) -> &'static str {
        let (per_iteration, unit) = match *throughput {
            Throughput::Bytes(n) | Throughput::BytesDecimal(n) => (n as f64, "B/s"),
            Throughput::Bits(n) => (n as f64, "bit/s"),
            Throughput::Elements(n) => (n as f64, "elem/s"),
        };
        values
            .iter_mut()
            .for_each(|ns| *ns = per_iteration * 1e9 / *ns);
        unit
    }

    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

const CALENDAR_ID: &str = "feishu.cn_xxx@group.calendar.feishu.cn";
const EVENT_ID: &str = "75d28f9b-e35c-4230-8a83-123_0";
const MEETING_CHAT_ID: &str = "oc_xxx";
const TOKEN: &str = "t-g1044qeGEDXTB6NDJOGV4JQCYDGHRBARFTGT1234";
const LOG_ID: &str = "20240716103000A1B2C3D4E5F6A7B8C9D0";

/// A success as the server sends it.
const SUCCESS_BODY: &[u8] = br#"{"code":0,"msg":"success","data":{}}"#;
/// An error as the server sends it: the envelope plus the `error` object with troubleshooting.
const ERROR_BODY: &[u8] = br#"{"code":195107,"msg":"no permission unbind meeting chat","error":{"log_id":"20240716103000A1B2C3D4E5F6A7B8C9D0","troubleshooter":"https://open.feishu.cn/search?from=openapi&log_id=20240716103000A1B2C3D4E5F6A7B8C9D0&code=195107&method_id=7391290925180780545"}}"#;

/// The same sets as the crate's, so that the baseline sends the same bytes.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');
const QUERY_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What a hand-rolled client writes: one `format!`, then the `http` builder.
fn naive_request(
    calendar_id: &str,
    event_id: &str,
    meeting_chat_id: &str,
    token: &str,
) -> http::Request<Vec<u8>> {
    let url = format!(
        "https://open.feishu.cn/open-apis/calendar/v4/calendars/{}/events/{}/meeting_chat?meeting_chat_id={}",
        utf8_percent_encode(calendar_id, PATH_SEGMENT),
        utf8_percent_encode(event_id, PATH_SEGMENT),
        utf8_percent_encode(meeting_chat_id, QUERY_COMPONENT),
    );
    http::Request::builder()
        .method(http::Method::DELETE)
        .uri(url)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Vec::new())
        .expect("the URL and header are valid")
}

/// The envelope as a plain struct, the least a hand-rolled client would decode.
#[derive(Debug, Deserialize)]
struct PlainEnvelope {
    code: i64,
    #[serde(default)]
    msg: String,
    #[serde(default)]
    data: Option<PlainData>,
}

#[derive(Debug, Deserialize)]
struct PlainData {}

fn log_id_headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(LOG_ID_HEADER, HeaderValue::from_static(LOG_ID));
    headers
}

/// The operations measured, each a closure over its inputs so that timing and counting run
/// exactly the same code.
struct Operations {
    request: UnbindMeetingChatRequest,
    token: AccessToken,
    headers: HeaderMap,
    no_headers: HeaderMap,
}

impl Operations {
    fn new() -> Self {
        let ops = Operations {
            request: UnbindMeetingChatRequest::new(
                CalendarId::new(CALENDAR_ID).expect("example id is valid"),
                EventId::new(EVENT_ID).expect("example id is valid"),
                MeetingChatId::new(MEETING_CHAT_ID).expect("example id is valid"),
            ),
            token: AccessToken::tenant(TOKEN).expect("example token is valid"),
            headers: log_id_headers(),
            no_headers: HeaderMap::new(),
        };
        ops.check_same_results();
        ops
    }

    /// The baselines are only comparable if they produce what the crate produces.
    fn check_same_results(&self) {
        let ours = self.build_request();
        let naive = naive_request(CALENDAR_ID, EVENT_ID, MEETING_CHAT_ID, TOKEN);
        assert_eq!(ours.uri(), naive.uri());
        assert_eq!(ours.method(), naive.method());
        assert_eq!(ours.headers(), naive.headers());
        assert!(self.decode_success(&self.headers).is_ok());
        assert!(self.decode_error(&self.headers).is_err());
        let error = decode_plain(ERROR_BODY);
        assert_eq!(
            (error.code, error.msg.as_str()),
            (195107, "no permission unbind meeting chat")
        );
        assert!(decode_plain(SUCCESS_BODY).data.is_some());
    }

    fn build_request(&self) -> http::Request<Vec<u8>> {
        black_box(&self.request)
            .http_request(&BaseUrl::FEISHU, black_box(&self.token))
            .expect("request builds")
    }

    /// Checking the three ids is part of making the request, as `new` used to do it.
    fn new_and_build_request(&self) -> http::Request<Vec<u8>> {
        UnbindMeetingChatRequest::new(
            CalendarId::new(black_box(CALENDAR_ID)).expect("example id is valid"),
            EventId::new(black_box(EVENT_ID)).expect("example id is valid"),
            MeetingChatId::new(black_box(MEETING_CHAT_ID)).expect("example id is valid"),
        )
        .http_request(&BaseUrl::FEISHU, black_box(&self.token))
        .expect("request builds")
    }

    fn decode_success(
        &self,
        headers: &HeaderMap,
    ) -> Result<
        feishu_openapi::ApiResponse<<UnbindMeetingChatRequest as Endpoint>::Response>,
        <UnbindMeetingChatRequest as Endpoint>::Error,
    > {
        UnbindMeetingChatRequest::decode_response(
            StatusCode::OK,
            black_box(headers),
            black_box(SUCCESS_BODY),
        )
    }

    fn decode_error(
        &self,
        headers: &HeaderMap,
    ) -> Result<
        feishu_openapi::ApiResponse<<UnbindMeetingChatRequest as Endpoint>::Response>,
        <UnbindMeetingChatRequest as Endpoint>::Error,
    > {
        UnbindMeetingChatRequest::decode_response(
            StatusCode::FORBIDDEN,
            black_box(headers),
            black_box(ERROR_BODY),
        )
    }
}

fn decode_plain(body: &[u8]) -> PlainEnvelope {
    serde_json::from_slice(black_box(body)).expect("body is the envelope")
}

/// The plain struct plus the log id from the header, the same work ours does on that path.
fn decode_plain_with_log_id(body: &[u8], headers: &HeaderMap) -> (PlainEnvelope, Option<String>) {
    let log_id = black_box(headers)
        .get(LOG_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    (decode_plain(body), log_id)
}

fn decode_value(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(black_box(body)).expect("body is JSON")
}

/// Allocations, reallocations and bytes allocated per call of `operation`, averaged over many
/// calls after a warm-up.
fn allocations_per_call<R>(mut operation: impl FnMut() -> R) -> (f64, f64, f64) {
    const CALLS: usize = 1_000;
    drop(black_box(operation()));
    let region = Region::new(GLOBAL);
    for _ in 0..CALLS {
        drop(black_box(operation()));
    }
    let change = region.change();
    (
        change.allocations as f64 / CALLS as f64,
        change.reallocations as f64 / CALLS as f64,
        change.bytes_allocated as f64 / CALLS as f64,
    )
}

fn print_allocations(ops: &Operations) {
    let rows: [(&str, (f64, f64, f64)); 13] = [
        (
            "request/ours: http_request",
            allocations_per_call(|| ops.build_request()),
        ),
        (
            "request/ours: new + http_request",
            allocations_per_call(|| ops.new_and_build_request()),
        ),
        (
            "request/naive: format! + builder",
            allocations_per_call(|| {
                naive_request(
                    black_box(CALENDAR_ID),
                    black_box(EVENT_ID),
                    black_box(MEETING_CHAT_ID),
                    black_box(TOKEN),
                )
            }),
        ),
        (
            "decode success/ours, log id header",
            allocations_per_call(|| ops.decode_success(&ops.headers)),
        ),
        (
            "decode success/ours, no headers",
            allocations_per_call(|| ops.decode_success(&ops.no_headers)),
        ),
        (
            "decode success/plain struct",
            allocations_per_call(|| decode_plain(SUCCESS_BODY)),
        ),
        (
            "decode success/plain struct + log id header",
            allocations_per_call(|| decode_plain_with_log_id(SUCCESS_BODY, &ops.headers)),
        ),
        (
            "decode success/serde_json::Value",
            allocations_per_call(|| decode_value(SUCCESS_BODY)),
        ),
        (
            "decode error/ours, log id header",
            allocations_per_call(|| ops.decode_error(&ops.headers)),
        ),
        (
            "decode error/ours, no headers",
            allocations_per_call(|| ops.decode_error(&ops.no_headers)),
        ),
        (
            "decode error/plain struct",
            allocations_per_call(|| decode_plain(ERROR_BODY)),
        ),
        (
            "decode error/plain struct + log id header",
            allocations_per_call(|| decode_plain_with_log_id(ERROR_BODY, &ops.headers)),
        ),
        (
            "decode error/serde_json::Value",
            allocations_per_call(|| decode_value(ERROR_BODY)),
        ),
    ];
    println!(
        "| operation | allocations per call | reallocations per call | bytes allocated per call |"
    );
    println!("|---|---:|---:|---:|");
    for (name, (allocations, reallocations, bytes)) in rows {
        println!("| {name} | {allocations:.1} | {reallocations:.1} | {bytes:.0} |");
    }
    println!();
}

fn bench_request(c: &mut Criterion<ThreadCpuTime>, ops: &Operations) {
    let mut group = c.benchmark_group("request");
    group.bench_function("ours: http_request", |b| b.iter(|| ops.build_request()));
    group.bench_function("ours: new + http_request", |b| {
        b.iter(|| ops.new_and_build_request())
    });
    group.bench_function("naive: format! + builder", |b| {
        b.iter(|| {
            naive_request(
                black_box(CALENDAR_ID),
                black_box(EVENT_ID),
                black_box(MEETING_CHAT_ID),
                black_box(TOKEN),
            )
        })
    });
    group.finish();

    // The floor under any `http::Request` with this URL and header, whoever builds it.
    let mut group = c.benchmark_group("request floor (http alone)");
    group.bench_function("validate path and query", |b| {
        b.iter(|| {
            http::uri::PathAndQuery::from_static(black_box(
                "/open-apis/calendar/v4/calendars/feishu.cn_xxx@group.calendar.feishu.cn/events/75d28f9b-e35c-4230-8a83-123_0/meeting_chat?meeting_chat_id=oc_xxx",
            ))
        })
    });
    group.bench_function("Request::new + Authorization header", |b| {
        b.iter(|| {
            let mut request = http::Request::new(Vec::<u8>::new());
            request.headers_mut().insert(
                header::AUTHORIZATION,
                black_box(&ops.token).authorization().clone(),
            );
            request
        })
    });
    group.finish();
}

fn bench_decode(c: &mut Criterion<ThreadCpuTime>, ops: &Operations) {
    bench_decode_group(c, ops, "success", SUCCESS_BODY, |headers| {
        ops.decode_success(headers)
    });
    bench_decode_group(c, ops, "error", ERROR_BODY, |headers| {
        ops.decode_error(headers)
    });
}

/// Ours (with and without the log id header) and both baselines on the same body.
fn bench_decode_group<R>(
    c: &mut Criterion<ThreadCpuTime>,
    ops: &Operations,
    name: &str,
    body: &[u8],
    ours: impl Fn(&HeaderMap) -> R,
) {
    let mut group = c.benchmark_group(format!("decode {name}"));
    group.bench_function("ours, log id header", |b| b.iter(|| ours(&ops.headers)));
    group.bench_function("ours, no headers", |b| b.iter(|| ours(&ops.no_headers)));
    group.bench_function("plain struct", |b| b.iter(|| decode_plain(body)));
    group.bench_function("plain struct + log id header", |b| {
        b.iter(|| decode_plain_with_log_id(body, &ops.headers))
    });
    group.bench_function("serde_json::Value", |b| b.iter(|| decode_value(body)));
    group.finish();
}

/// What one counted allocation and its free cost here, to read the other figures by.
fn bench_allocator(c: &mut Criterion<ThreadCpuTime>) {
    c.bench_function("allocator: Box<u64> alloc + free", |b| {
        b.iter(|| Box::new(black_box(1_u64)))
    });
}

fn main() {
    let ops = Operations::new();
    print_allocations(&ops);
    let mut criterion = Criterion::default()
        .with_measurement(ThreadCpuTime)
        .configure_from_args();
    bench_request(&mut criterion, &ops);
    bench_decode(&mut criterion, &ops);
    bench_allocator(&mut criterion);
    criterion.final_summary();
}
