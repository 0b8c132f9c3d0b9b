//! A local Feishu Open Platform server that behaves like the real one, for tests and demos.
//!
//! It keeps state (tenants, apps with their scopes and bot capability, users, calendars,
//! events, meeting chats and their owners, tokens), issues tenant tokens from app id and
//! secret, and answers the generated endpoints with every documented error in the situation
//! its page describes. The platform layer (tokens, scopes, rate limits with `x-ogw-*`
//! headers) sits in front of every endpoint, and faults can be asked for: internal errors,
//! rate limiting, a dropped connection, a stall, or a change made whose answer is stalled or
//! lost.
//!
//! It takes what Feishu takes from the official SDKs, and answers as Feishu does on the wire:
//! the token request's JSON with any `Content-Type` or none, headers spelled `X-Tt-Logid` and
//! `x-ogw-ratelimit-*` (`tests/official_sdk.rs` runs the Python SDK against it).
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use feishu_local_server::{LocalServer, World};
//!
//! let server = LocalServer::start(World::demo()).await?;
//! println!("Feishu at {}", server.base_url());
//! # Ok(())
//! # }
//! ```
//!
//! To add an endpoint: give it a `gateway::Route` and a handler next to its peers (see
//! `calendar.rs`: the handler hands its work to `serve`, which runs `gateway::admit` first),
//! and add it to `router`'s table.

mod calendar;
mod contract;
mod faults;
mod gateway;
mod limiter;
mod platform;
mod reply;
mod tokens;
mod wire;
mod world;

use std::collections::{HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::routing::post;

pub use contract::CONTRACT_ERROR_HEADER;
pub use faults::Fault;
pub use world::{
    AccessRole, App, Attachment, Attendee, AttendeeAbility, AttendeeKind, Calendar, CalendarKind,
    Chat, CheckIn, Event, Identity, Location, MeetingSettings, Notification, Settings, Tenant,
    TenantKey, TenantToken, User, UserToken, VideoMeeting, World, demo,
};

/// Counts of what the server saw, for tests to check what a client did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Tenant tokens issued (a token handed out again is not counted again).
    pub tenant_tokens_issued: u64,
    /// Calls to endpoints, the token issuer not included.
    pub requests: u64,
    /// Calls refused with HTTP 429 by the platform's rate limits (or a fault asking for one).
    pub rate_limited: u64,
}

/// A call the server answered, with the log id of its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The request's method.
    pub method: http::Method,
    /// The path as sent, without the query.
    pub path: String,
    /// The answer's HTTP status.
    pub status: http::StatusCode,
    /// The `X-Tt-Logid` of the answer, by which Feishu's support finds a call.
    pub log_id: String,
}

/// How many calls the server remembers, so that a long-running server stays small.
const CALLS_KEPT: usize = 1000;

/// Everything behind the lock.
#[derive(Debug, Default)]
struct State {
    world: World,
    faults: VecDeque<Fault>,
    windows: limiter::Windows,
    /// Keys of what is being changed right now (an event, a primary calendar being made).
    changing: HashSet<String>,
    stats: Stats,
    /// The latest calls, oldest first.
    calls: VecDeque<Call>,
    /// When each call to an endpoint arrived, once [`LocalServer::record_arrivals`] was called.
    arrivals: Option<Vec<std::time::Instant>>,
}

impl State {
    fn record(&mut self, call: Call) {
        if self.calls.len() == CALLS_KEPT {
            self.calls.pop_front();
        }
        self.calls.push_back(call);
    }
}

/// What handlers share.
#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    /// Makes this server's tokens differ from another's.
    nonce: u32,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A handler that panicked left consistent data behind: every change is one assignment.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Counts a request that reached an endpoint, and takes the next injected fault.
    fn arrive(&self) -> Option<Fault> {
        let mut state = self.lock();
        state.stats.requests += 1;
        if let Some(arrivals) = &mut state.arrivals {
            arrivals.push(std::time::Instant::now());
        }
        state.faults.pop_front()
    }
}

/// The routes of every endpoint the server implements, and the token issuer.
/// The server's routes: the endpoints with a hand-written world (unless `contract_only`), the
/// token issuer, and every other generated endpoint answered by its spec.
fn router(shared: Arc<Shared>, spellings: Arc<http::Extensions>, contract_only: bool) -> Router {
    use calendar::{
        CREATE_MEETING_CHAT, DELETE_EVENT, GET_EVENT, PRIMARY_CALENDAR, UNBIND_MEETING_CHAT,
        endpoint,
    };
    let handled = if contract_only {
        Vec::new()
    } else {
        vec![
            endpoint(&UNBIND_MEETING_CHAT, calendar::unbind_meeting_chat),
            endpoint(&CREATE_MEETING_CHAT, calendar::create_meeting_chat),
            endpoint(&DELETE_EVENT, calendar::delete_event),
            endpoint(&PRIMARY_CALENDAR, calendar::primary_calendar),
            endpoint(&GET_EVENT, calendar::get_event),
        ]
    };
    // axum merges the methods of routes with the same path (delete and get event).
    handled
        .into_iter()
        .fold(Router::new(), |router, (path, methods)| {
            router.route(&path, methods)
        })
        .route(tokens::TENANT_TOKEN_PATH, post(tokens::issue_tenant_token))
        // Every other generated endpoint is answered by its spec.
        .fallback(contract::answer)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&shared),
            reply::stamp,
        ))
        .layer(axum::middleware::map_response_with_state(
            spellings,
            wire::spell_as_feishu,
        ))
        .with_state(shared)
}

/// `/a/:id/b` as the docs write paths, to `/a/{id}/b` as axum matches them.
fn axum_path(template: &str) -> String {
    template
        .split('/')
        .map(|segment| match segment.strip_prefix(':') {
            Some(name) => format!("{{{name}}}"),
            None => segment.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A running server. Dropping it stops it and closes its connections.
#[derive(Debug)]
pub struct LocalServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl LocalServer {
    /// Starts on 127.0.0.1 with a port the system picks.
    pub async fn start(world: World) -> std::io::Result<LocalServer> {
        LocalServer::bind(SocketAddr::from(([127, 0, 0, 1], 0)), world).await
    }

    /// Starts on `addr`.
    pub async fn bind(addr: SocketAddr, world: World) -> std::io::Result<LocalServer> {
        LocalServer::serve(addr, world, false).await
    }

    /// A contract server on 127.0.0.1: every generated endpoint, the five with a hand-written
    /// world too, answered by its spec alone (see [`CONTRACT_ERROR_HEADER`]); tokens are
    /// issued and checked against `world` as on any local server.
    pub async fn start_contract(world: World) -> std::io::Result<LocalServer> {
        LocalServer::serve(SocketAddr::from(([127, 0, 0, 1], 0)), world, true).await
    }

    async fn serve(
        addr: SocketAddr,
        world: World,
        contract_only: bool,
    ) -> std::io::Result<LocalServer> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let nonce = {
            use std::hash::{BuildHasher, RandomState};
            RandomState::new().hash_one(addr) as u32
        };
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                world,
                ..State::default()
            }),
            nonce,
        });
        let app = router(
            Arc::clone(&shared),
            wire::feishu_spellings().await?,
            contract_only,
        );
        let task = tokio::spawn(wire::serve(listener, app));
        Ok(LocalServer { addr, shared, task })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`, to give a client as its base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Reads or changes the server's data, e.g. to set up a situation or check an outcome.
    pub fn with_world<T>(&self, change: impl FnOnce(&mut World) -> T) -> T {
        change(&mut self.shared.lock().world)
    }

    /// The latest calls the server answered (at most 1000), oldest first, the token issuer's
    /// and unknown paths' included.
    pub fn calls(&self) -> Vec<Call> {
        self.shared.lock().calls.iter().cloned().collect()
    }

    /// Makes the next call to an endpoint run into `fault`; several queue up in order.
    pub fn inject(&self, fault: Fault) {
        self.shared.lock().faults.push_back(fault);
    }

    /// What the server has seen so far.
    pub fn stats(&self) -> Stats {
        self.shared.lock().stats
    }

    /// Starts noting when each call to an endpoint arrives (refused ones too), for
    /// [`LocalServer::arrivals`]. Off by default, so a long-running server does not grow.
    pub fn record_arrivals(&self) {
        self.shared.lock().arrivals.get_or_insert_with(Vec::new);
    }

    /// When the calls to endpoints arrived since [`LocalServer::record_arrivals`], in order.
    pub fn arrivals(&self) -> Vec<std::time::Instant> {
        self.shared.lock().arrivals.clone().unwrap_or_default()
    }

    /// Serves until the process ends (or the server task fails).
    pub async fn run(mut self) {
        let task = std::mem::replace(&mut self.task, tokio::spawn(async {}));
        let _ = task.await;
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_paths_become_axum_paths() {
        assert_eq!(
            axum_path(
                "/open-apis/calendar/v4/calendars/:calendar_id/events/:event_id/meeting_chat"
            ),
            "/open-apis/calendar/v4/calendars/{calendar_id}/events/{event_id}/meeting_chat"
        );
    }
}
