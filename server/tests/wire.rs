//! The server's answers as raw bytes on a TCP connection, the way clients that look headers up
//! by exact spelling see them: the official Python SDK reads `X-Tt-Logid` from a plain dict.

use std::time::Duration;

use feishu_local_server::{Fault, LocalServer, World, demo};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const TOKEN_PATH: &str = "/open-apis/auth/v3/tenant_access_token/internal";

/// One answer as it came: its status line and header lines, and its body.
#[derive(Debug)]
struct Answer {
    head: Vec<String>,
    body: String,
}

impl Answer {
    /// The value of the header line spelled exactly `name`, no other case.
    fn header(&self, name: &str) -> Option<&str> {
        self.head
            .iter()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(": "))
    }
}

/// Writes `requests` on one connection as they are, and reads until the server closes it.
async fn exchange(server: &LocalServer, requests: &str) -> Vec<Answer> {
    let mut stream = TcpStream::connect(server.addr()).await.expect("connect");
    stream.write_all(requests.as_bytes()).await.expect("write");
    let mut wire = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut wire))
        .await
        .expect("the server closes the connection after `Connection: close`")
        .expect("read");
    let mut wire = String::from_utf8(wire).expect("UTF-8 answers");
    let mut answers = Vec::new();
    while !wire.is_empty() {
        let (head, rest) = wire.split_once("\r\n\r\n").expect("a head ends");
        let head: Vec<String> = head.split("\r\n").map(str::to_owned).collect();
        let length: usize = head
            .iter()
            .find_map(|line| {
                let (name, value) = line.split_once(": ")?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.parse().expect("a length"))
            })
            .expect("every answer has a length");
        let body = rest[..length].to_owned();
        wire = rest[length..].to_owned();
        answers.push(Answer { head, body });
    }
    answers
}

fn token_request(content_type: Option<&str>, connection_close: bool) -> String {
    let body = format!(
        r#"{{"app_id":"{}","app_secret":"{}"}}"#,
        demo::APP_ID,
        demo::APP_SECRET
    );
    let content_type = content_type
        .map(|value| format!("Content-Type: {value}\r\n"))
        .unwrap_or_default();
    let close = if connection_close {
        "Connection: close\r\n"
    } else {
        ""
    };
    format!(
        "POST {TOKEN_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n{content_type}{close}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

#[tokio::test]
async fn a_token_request_with_any_or_no_content_type_gets_a_token_and_feishus_spellings() {
    let server = LocalServer::start(World::demo()).await.unwrap();
    // Three requests on one connection: each answer must be spelled the same way.
    let requests = [
        token_request(None, false),
        token_request(Some("text/plain"), false),
        token_request(Some("application/json; charset=utf-8"), true),
    ]
    .concat();
    let answers = exchange(&server, &requests).await;
    assert_eq!(answers.len(), 3, "{answers:#?}");
    let calls = server.calls();
    assert_eq!(calls.len(), 3);
    for (answer, call) in answers.iter().zip(&calls) {
        assert_eq!(answer.head[0], "HTTP/1.1 200 OK");
        let body: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
        assert_eq!(body["code"], 0, "{answer:#?}");
        assert!(
            body["tenant_access_token"]
                .as_str()
                .unwrap()
                .starts_with("t-")
        );
        assert_eq!(answer.header("X-Tt-Logid"), Some(call.log_id.as_str()));
        assert_eq!(
            answer.header("Content-Type"),
            Some("application/json; charset=utf-8")
        );
    }
    assert_eq!(server.stats().tenant_tokens_issued, 1);
}

#[tokio::test]
async fn rate_limit_headers_go_out_in_lowercase_beside_x_tt_logid() {
    let server = LocalServer::start(World::demo()).await.unwrap();
    server.inject(Fault::RateLimited { reset_seconds: 7 });
    let request = format!(
        "DELETE /open-apis/calendar/v4/calendars/{}/events/{}/meeting_chat?meeting_chat_id={} HTTP/1.1\r\n\
         Host: 127.0.0.1\r\nConnection: close\r\n\r\n",
        demo::CALENDAR_ID,
        demo::EVENT_ID,
        demo::MEETING_CHAT_ID
    );
    let answers = exchange(&server, &request).await;
    let [answer] = answers.as_slice() else {
        panic!("one answer: {answers:#?}");
    };
    assert_eq!(answer.head[0], "HTTP/1.1 429 Too Many Requests");
    assert_eq!(answer.header("x-ogw-ratelimit-limit"), Some("1"));
    assert_eq!(answer.header("x-ogw-ratelimit-reset"), Some("7"));
    assert_eq!(
        answer.header("X-Tt-Logid"),
        Some(server.calls()[0].log_id.as_str())
    );
    assert!(answer.body.contains("99991400"), "{answer:#?}");
}
