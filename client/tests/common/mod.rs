//! What the integration tests share: a local server, a client for it, requests to send.
#![allow(dead_code)] // Each test file uses its own part.

use std::time::Duration;

use feishu_local_server::{Identity, LocalServer, World, demo};
use feishu_openapi::BaseUrl;
use feishu_openapi::calendar::v4::UnbindMeetingChatRequest;
use feishu_openapi_client::{Client, ClientBuilder, RetryPolicy};

/// Fast retries, so tests that retry stay quick.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(3)
        .with_backoff(Duration::from_millis(5), Duration::from_millis(20))
        .with_max_elapsed(Duration::from_secs(10))
}

/// A builder aimed at `server`, as the demo app, with fast retries and a 5 s timeout.
pub fn builder(server: &LocalServer) -> ClientBuilder {
    let base_url = BaseUrl::parse(&server.base_url()).expect("the server's URL is a base URL");
    Client::builder()
        .base_url(base_url)
        .app_credentials(demo::APP_ID, demo::APP_SECRET)
        .timeout(Duration::from_secs(5))
        .retry_policy(fast_retries())
}

/// A client for `server` that sends every call once.
pub fn client_without_retries(server: &LocalServer) -> Client {
    builder(server)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client")
}

/// A client for `server` with fast retries.
pub fn client(server: &LocalServer) -> Client {
    builder(server).build().expect("client")
}

/// A server with the demo data.
pub async fn demo_server() -> LocalServer {
    LocalServer::start(World::demo())
        .await
        .expect("server starts")
}

/// A server with the demo data and `n` more events in the app's calendar, each with a meeting
/// chat the app owns (see [`event_request`]).
pub async fn server_with_events(n: usize) -> LocalServer {
    let mut world = World::demo();
    for i in 0..n {
        let (event_id, chat_id) = event_ids(i);
        world.add_meeting_chat(
            demo::CALENDAR_ID,
            &event_id,
            &chat_id,
            Identity::App(demo::APP_ID.into()),
        );
    }
    LocalServer::start(world).await.expect("server starts")
}

fn event_ids(i: usize) -> (String, String) {
    (format!("e{i:04}-test_0"), format!("oc_test_chat_{i}"))
}

/// Unbinds the meeting chat of the `i`-th event [`server_with_events`] added.
pub fn event_request(i: usize) -> UnbindMeetingChatRequest {
    let (event_id, chat_id) = event_ids(i);
    UnbindMeetingChatRequest::new(demo::CALENDAR_ID, event_id, chat_id).expect("valid request")
}

/// Unbinds the demo event's meeting chat.
pub fn demo_request() -> UnbindMeetingChatRequest {
    UnbindMeetingChatRequest::new(demo::CALENDAR_ID, demo::EVENT_ID, demo::MEETING_CHAT_ID)
        .expect("valid request")
}

/// Whether the demo event still has its meeting chat.
pub fn demo_chat_bound(server: &LocalServer) -> bool {
    server.with_world(|world| {
        world
            .event_mut(demo::CALENDAR_ID, demo::EVENT_ID)
            .and_then(|event| event.meeting_chat_id.clone())
            .is_some()
    })
}
