//! What the integration tests share: a local server, a client for it, requests to send.
#![allow(dead_code)] // Each test file uses its own part.

#[cfg(feature = "redis")]
pub mod redis_server;

use std::time::{Duration, Instant};

use feishu_local_server::{
    AccessRole, CalendarKind, Fault, Identity, LocalServer, Tenant, TenantKey, World, demo,
};
use feishu_openapi::calendar::v4::{PrimaryCalendarRequest, UnbindMeetingChatRequest};
use feishu_openapi::{
    AccessToken, BaseUrl, Endpoint, EndpointError, ErrorCodeInfo, Id, IdKind, Operation,
    PathAndQuery,
};
use feishu_openapi_client::{Client, ClientBuilder, RetryPolicy};

/// A checked id of any kind (`CalendarId`, `EventId`, `MeetingChatId`), for ids a test
/// knows to be valid.
pub fn id<K: IdKind>(value: &str) -> Id<K> {
    Id::new(value).unwrap_or_else(|err| panic!("{value:?}: {err}"))
}

/// Fast retries, so tests that retry stay quick.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(3)
        .with_backoff(Duration::from_millis(5), Duration::from_millis(20))
}

/// A builder aimed at `server`, as the demo app, with fast retries, a 5 s timeout per attempt
/// and 10 s per call.
pub fn builder(server: &LocalServer) -> ClientBuilder {
    let base_url = BaseUrl::parse(&server.base_url()).expect("the server's URL is a base URL");
    Client::builder()
        .base_url(base_url)
        .app_credentials(demo::APP_ID, demo::APP_SECRET)
        .timeout(Duration::from_secs(5))
        .deadline(Duration::from_secs(10))
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

/// The most of `times` that fall within any one `window`.
pub fn most_in_window(times: &[Instant], window: Duration) -> usize {
    let mut times = times.to_vec();
    times.sort();
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
    UnbindMeetingChatRequest::new(id(demo::CALENDAR_ID), id(&event_id), id(&chat_id))
}

/// Unbinds the demo event's meeting chat.
pub fn demo_request() -> UnbindMeetingChatRequest {
    UnbindMeetingChatRequest::new(
        id(demo::CALENDAR_ID),
        id(demo::EVENT_ID),
        id(demo::MEETING_CHAT_ID),
    )
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

/// What a call to `E` comes to.
pub type Outcome<E> = Result<
    feishu_openapi::ApiResponse<<E as Endpoint>::Response>,
    feishu_openapi_client::Error<<E as Endpoint>::Error>,
>;

/// Checks that `outcome` is the endpoint's documented error `row`: its variant (the one whose
/// `documented()` row it is), status, message and a log id.
pub fn assert_documented<E: Endpoint>(row: &ErrorCodeInfo, outcome: Outcome<E>)
where
    E::Response: std::fmt::Debug,
    E::Error: std::fmt::Debug,
{
    let error = match outcome {
        Err(feishu_openapi_client::Error::Api(error)) => error,
        other => panic!(
            "{} code {}: expected the endpoint's error, got {other:?}",
            E::OPERATION.id,
            row.code
        ),
    };
    assert_eq!(error.code(), Some(row.code), "{error}");
    assert_eq!(error.documented(), Some(row), "{error}");
    assert_eq!(error.http_status().as_u16(), row.http_status, "{error}");
    assert_eq!(error.message(), row.message, "{error}");
    assert!(
        error.log_id().is_some_and(|id| !id.is_empty()),
        "no log id: {error}"
    );
}

/// A generated request with one more query parameter, as a hand-written client could send:
/// a value the typed request cannot hold, to see how the server answers it.
pub struct WithQuery<E> {
    pub request: E,
    pub name: &'static str,
    pub value: &'static str,
}

impl<E: Endpoint> Endpoint for WithQuery<E> {
    const OPERATION: &'static Operation = E::OPERATION;
    type Response = E::Response;
    type Error = E::Error;
    fn write_path_and_query(&self, out: &mut PathAndQuery) {
        self.request.write_path_and_query(out);
        out.query(self.name, self.value);
    }
}

/// The demo user's access token.
pub fn as_user() -> AccessToken {
    AccessToken::user(demo::USER_TOKEN).expect("valid token")
}

/// Who a call is made as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// The demo app, with a tenant token.
    App,
    /// The demo user, with the user's token.
    User,
}

/// Sends `request` as `caller`.
pub async fn send_as<E: Endpoint>(client: &Client, request: &E, caller: Caller) -> Outcome<E> {
    match caller {
        Caller::App => client.send(request).await,
        Caller::User => client.send_with(request, &as_user()).await,
    }
}

/// Sets up, on the demo world, the situation that the calendar pages describe alike for
/// `code` and that a call about the demo calendar (and event) then runs into; says who must
/// make that call. `None` for a code whose situation depends on the endpoint.
pub fn calendar_situation(server: &LocalServer, code: i64) -> Option<Caller> {
    let change = |change: fn(&mut World)| server.with_world(change);
    match code {
        190003 => server.inject(Fault::InternalError),
        // The calendar belongs to another tenant than the app.
        190006 => change(|world| {
            world
                .tenants
                .insert("other-tenant".into(), Tenant::default());
            demo_calendar(world).tenant = "other-tenant".into();
        }),
        // Calling as the app, whose bot capability is off.
        190007 => change(|world| world.apps.get_mut(demo::APP_ID).unwrap().bot = false),
        190011 => change(|world| {
            world.tenants.get_mut(demo::TENANT).unwrap().key = TenantKey::EncryptKeyDeleted;
        }),
        190012 => change(|world| {
            world.tenants.get_mut(demo::TENANT).unwrap().key = TenantKey::DecryptKeyDeleted;
        }),
        // The app has no role on the calendar.
        191002 => change(|world| demo_calendar(world).roles.clear()),
        191003 => change(|world| demo_calendar(world).deleted = true),
        // A meeting room's calendar, which no calendar endpoint here works on.
        191004 => change(|world| demo_calendar(world).kind = CalendarKind::Resource),
        // Free/busy access only: no event may be read, let alone changed.
        193002 => change(|world| {
            demo_calendar(world).roles.insert(
                Identity::App(demo::APP_ID.into()),
                AccessRole::FreeBusyReader,
            );
        }),
        193003 => change(|world| {
            for event in world.events.values_mut() {
                event.deleted = true;
            }
        }),
        // Calling as a user who has left the company.
        195100 => {
            change(|world| world.users.get_mut(demo::USER_ID).unwrap().active = false);
            return Some(Caller::User);
        }
        _ => return None,
    }
    Some(Caller::App)
}

fn demo_calendar(world: &mut World) -> &mut feishu_local_server::Calendar {
    world
        .calendars
        .get_mut(demo::CALENDAR_ID)
        .expect("demo calendar")
}

/// 190005: the app's capacity at the calendar service (one call a second here) is used up by
/// its call to another calendar method, so `request` is refused.
pub async fn after_app_capacity_used<E: Endpoint>(server: &LocalServer, request: &E) -> Outcome<E> {
    server.with_world(|world| world.settings.app_limit_per_second = Some(1));
    let client = client_without_retries(server);
    let primary = PrimaryCalendarRequest::new();
    let first = client.send(&primary).await;
    assert!(first.is_ok(), "the first call fits: {first:?}");
    client.send(request).await
}

/// 190004: the method's capacity (one call a second here) is used up by a first `request`,
/// so the same request again is refused, before anything else is checked.
pub async fn after_method_capacity_used<E: Endpoint>(
    server: &LocalServer,
    request: &E,
) -> Outcome<E>
where
    E::Response: std::fmt::Debug,
    E::Error: std::fmt::Debug,
{
    server.with_world(|world| world.settings.method_limit_per_second = Some(1));
    let client = client_without_retries(server);
    let first = client.send(request).await;
    assert!(first.is_ok(), "the first call fits: {first:?}");
    client.send(request).await
}

/// 190010: two changes of the same event at once; one goes through, the other comes back.
pub async fn concurrent_changes<E: Endpoint>(server: &LocalServer, request: &E) -> Outcome<E>
where
    E::Response: std::fmt::Debug,
    E::Error: std::fmt::Debug,
{
    server.with_world(|world| world.settings.event_update_time = Duration::from_millis(300));
    let client = client_without_retries(server);
    match tokio::join!(client.send(request), client.send(request)) {
        (Ok(_), refused @ Err(_)) | (refused @ Err(_), Ok(_)) => refused,
        other => panic!("one change goes through and one is refused: {other:?}"),
    }
}
