//! Calendar v4 endpoints. Each handler parses its parameters, then runs the calendar
//! service's checks in the order the service makes them (ids, identity, calendar, event),
//! answering with the code of its page's error table, then changes or reads the world.

mod render;

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::routing::{MethodFilter, MethodRouter, on};
use feishu_openapi::calendar::v4::{
    create_meeting_chat, delete_event, get_event, primary_calendar, unbind_meeting_chat,
};
use feishu_openapi::{ErrorCodeInfo, Operation};
use http::HeaderMap;
use serde_json::{Value, json};

use crate::gateway::{self, Caller, Route};
use crate::reply::Reply;
use crate::world::{
    AccessRole, AttendeeAbility, AttendeeKind, Calendar, CalendarKind, Chat, Event, Identity,
    Notification, TenantKey, World,
};
use crate::{Fault, Shared, State as ServerState};

/// 190003, internal service error, is how every calendar endpoint reports its own failure.
const INTERNAL_SERVICE_ERROR: i64 = 190003;

const fn calendar_route(operation: &'static Operation, errors: &'static [ErrorCodeInfo]) -> Route {
    Route {
        operation,
        errors,
        internal_error: INTERNAL_SERVICE_ERROR,
    }
}

pub(crate) const UNBIND_MEETING_CHAT: Route = calendar_route(
    &unbind_meeting_chat::OPERATION,
    unbind_meeting_chat::ERROR_CODES,
);
pub(crate) const CREATE_MEETING_CHAT: Route = calendar_route(
    &create_meeting_chat::OPERATION,
    create_meeting_chat::ERROR_CODES,
);
pub(crate) const DELETE_EVENT: Route =
    calendar_route(&delete_event::OPERATION, delete_event::ERROR_CODES);
pub(crate) const PRIMARY_CALENDAR: Route =
    calendar_route(&primary_calendar::OPERATION, primary_calendar::ERROR_CODES);
pub(crate) const GET_EVENT: Route = calendar_route(&get_event::OPERATION, get_event::ERROR_CODES);

/// Every calendar endpoint the server implements.
pub(crate) const ROUTES: [&Route; 5] = [
    &UNBIND_MEETING_CHAT,
    &CREATE_MEETING_CHAT,
    &DELETE_EVENT,
    &PRIMARY_CALENDAR,
    &GET_EVENT,
];

/// What a handler's work comes to: the response's `data`, or a calendar error code.
pub(crate) type Outcome = Result<Value, i64>;

/// The path ids and query of a call, as far as they decode.
pub(crate) struct Params {
    /// `None` when the path does not decode.
    path: Option<HashMap<String, String>>,
    /// `None` when the query does not decode.
    query: Option<HashMap<String, String>>,
}

impl Params {
    /// The `calendar_id` and `event_id` path segments; an undecodable path is an invalid
    /// parameter.
    fn event_ids(&self) -> Result<(&str, &str), i64> {
        let path = self.path.as_ref().ok_or(190002)?;
        let id = |name: &str| path.get(name).map(String::as_str).ok_or(190002);
        Ok((id("calendar_id")?, id("event_id")?))
    }

    /// The query; an undecodable one is an invalid parameter.
    fn query(&self) -> Result<&HashMap<String, String>, i64> {
        self.query.as_ref().ok_or(190002)
    }
}

/// The route's axum path, and its handler for the method the spec gives: the gateway, then
/// `work` for the caller it let through, then the answer.
pub(crate) fn endpoint<F, Fut>(
    route: &'static Route,
    work: F,
) -> (String, MethodRouter<Arc<Shared>>)
where
    F: Fn(Arc<Shared>, Caller, Params) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Outcome> + Send + 'static,
{
    let handler = move |State(shared): State<Arc<Shared>>,
                        path: Result<Path<HashMap<String, String>>, PathRejection>,
                        query: Result<Query<HashMap<String, String>>, QueryRejection>,
                        headers: HeaderMap| async move {
        let (caller, after_work) = match gateway::admit(&shared, route, &headers).await {
            Ok(admitted) => admitted,
            Err(reply) => return reply,
        };
        let path = match path {
            Ok(Path(path)) => Some(path),
            Err(PathRejection::MissingPathParams(_)) => Some(HashMap::new()),
            Err(_) => None,
        };
        let params = Params {
            path,
            query: query.ok().map(|Query(query)| query),
        };
        let reply = match work(shared, caller, params).await {
            Ok(data) => Reply::success(data),
            Err(code) => refuse(route, code),
        };
        match after_work {
            Some(Fault::StallAnswer(delay)) => {
                tokio::time::sleep(delay).await;
                reply
            }
            Some(Fault::DropAnswer) => Reply::dropped_connection(),
            _ => reply,
        }
    };
    // Generated operations only carry standard methods, which every filter exists for.
    let filter =
        MethodFilter::try_from(route.operation.method.clone()).unwrap_or(MethodFilter::GET);
    (
        crate::axum_path(route.operation.path_template),
        on(filter, handler),
    )
}

/// The error reply for `code`: the row of the route's page, or else the row another calendar
/// page gives the code, as the service answers the same code whichever page lists it.
fn refuse(route: &Route, code: i64) -> Reply {
    let table = std::iter::once(route.errors)
        .chain(ROUTES.iter().map(|route| route.errors))
        .find(|table| table.iter().any(|row| row.code == code))
        .unwrap_or(route.errors);
    Reply::endpoint_error(table, code)
}

/// 解绑会议群: unbinds an event's meeting chat.
pub(crate) async fn unbind_meeting_chat(
    shared: Arc<Shared>,
    caller: Caller,
    params: Params,
) -> Outcome {
    let (calendar_id, event_id) = params.event_ids()?;
    let query = params.query()?;
    let chat_id = query.get("meeting_chat_id").cloned().unwrap_or_default();
    require(chat_id.starts_with("oc_"), 190002)?;
    let may_change = |_: &World, _: &Event| Ok(());
    change_event(
        &shared,
        &UNBIND_MEETING_CHAT,
        &caller,
        (calendar_id, event_id),
        PRIMARY_ONLY,
        may_change,
        |world| {
            let bound = live_event_mut(world, calendar_id, event_id)?
                .meeting_chat_id
                .clone();
            require(bound.as_deref() == Some(&chat_id), 195108)?;
            let owner = world.chats.get(&chat_id).map(|chat| &chat.owner);
            require(owner == Some(&caller.identity), 195107)?;
            live_event_mut(world, calendar_id, event_id)?.meeting_chat_id = None;
            Ok(json!({}))
        },
    )
    .await
}

/// 创建会议群: creates the event's meeting chat, owned by the caller; an event that has one
/// already gets that one back.
pub(crate) async fn create_meeting_chat(
    shared: Arc<Shared>,
    caller: Caller,
    params: Params,
) -> Outcome {
    let (calendar_id, event_id) = params.event_ids()?;
    // The page's conditions for a meeting chat.
    let may_change = |world: &World, event: &Event| {
        let own_primary = world
            .primary_calendars
            .get(&caller.identity)
            .is_some_and(|primary| primary == calendar_id);
        let attendees = event
            .attendees
            .iter()
            .filter(|attendee| attendee.rsvp_status != "removed")
            .count();
        let list_visible = event.attendee_ability != AttendeeAbility::None;
        require(own_primary && attendees >= 2 && list_visible, 195109)
    };
    change_event(
        &shared,
        &CREATE_MEETING_CHAT,
        &caller,
        (calendar_id, event_id),
        PRIMARY_ONLY,
        may_change,
        |world| {
            let bound = live_event_mut(world, calendar_id, event_id)?
                .meeting_chat_id
                .clone();
            let chat_id = match bound {
                Some(chat_id) => chat_id,
                None => {
                    let chat_id = format!("oc_{:032x}", world.next_id());
                    let owner = caller.identity.clone();
                    world.chats.insert(chat_id.clone(), Chat { owner });
                    live_event_mut(world, calendar_id, event_id)?.meeting_chat_id =
                        Some(chat_id.clone());
                    chat_id
                }
            };
            let applink =
                format!("https://applink.feishu.cn/client/chat/open?openChatId={chat_id}");
            Ok(json!({"meeting_chat_id": chat_id, "applink": applink}))
        },
    )
    .await
}

/// 删除日程: deletes an event the caller organizes, telling its attendees unless asked not to.
pub(crate) async fn delete_event(shared: Arc<Shared>, caller: Caller, params: Params) -> Outcome {
    let (calendar_id, event_id) = params.event_ids()?;
    let query = params.query()?;
    let notify = parse_choice(
        query,
        "need_notification",
        &[
            (delete_event::NeedNotification::True.as_str(), true),
            (delete_event::NeedNotification::False.as_str(), false),
        ],
    )?
    .unwrap_or(true);
    let may_change = |_: &World, event: &Event| require(event.organizer == caller.identity, 193002);
    change_event(
        &shared,
        &DELETE_EVENT,
        &caller,
        (calendar_id, event_id),
        PRIMARY_OR_SHARED,
        may_change,
        |world| {
            let event = live_event_mut(world, calendar_id, event_id)?;
            event.deleted = true;
            let told: Vec<Identity> = event
                .attendees
                .iter()
                .filter_map(|attendee| match &attendee.kind {
                    AttendeeKind::User(open_id) => Some(Identity::User(open_id.clone())),
                    _ => None,
                })
                .filter(|attendee| notify && *attendee != caller.identity)
                .collect();
            for to in told {
                world.notifications.push(Notification {
                    to,
                    event_id: event_id.to_owned(),
                    what: "deleted".into(),
                });
            }
            Ok(json!({}))
        },
    )
    .await
}

/// 查询主日历信息: the caller's primary calendar, made on its first call when it has none.
pub(crate) async fn primary_calendar(
    shared: Arc<Shared>,
    caller: Caller,
    params: Params,
) -> Outcome {
    let query = params.query()?;
    let id_kind = parse_user_id_type(query)?;
    // As the page says: an app may not ask for user ids, as its bot has none.
    let is_app = matches!(caller.identity, Identity::App(_));
    require(!(is_app && id_kind == UserIdKind::User), 190002)?;
    let key = format!("primary/{:?}", caller.identity);
    let (found, create_time) = {
        let mut state = shared.lock();
        state.service_limits(&PRIMARY_CALENDAR, &caller)?;
        let world = &state.world;
        check_identity(world, &caller)?;
        let found = match world.primary_calendars.get(&caller.identity) {
            Some(calendar_id) => {
                require(is_calendar_id(calendar_id), 191001)?;
                let role = check_calendar(world, &caller, calendar_id, PRIMARY_ONLY)?.1;
                Some((calendar_id.clone(), role))
            }
            None => None,
        };
        if found.is_none() {
            state.start_change(&key)?;
        }
        (found, state.world.settings.primary_calendar_create_time)
    };
    let (calendar_id, role) = match found {
        Some(found) => found,
        None => {
            take_time(&shared, key, create_time).await;
            let mut state = shared.lock();
            let world = &mut state.world;
            let calendar_id = format!(
                "feishu.cn_{:016x}@group.calendar.feishu.cn",
                world.next_id()
            );
            world.add_primary_calendar(&calendar_id, &caller.tenant, caller.identity.clone());
            (calendar_id, AccessRole::Owner)
        }
    };
    let state = shared.lock();
    let world = &state.world;
    let calendar = world.calendars.get(&calendar_id).ok_or(191000)?;
    Ok(render::primary_calendars(
        world,
        &caller,
        &calendar_id,
        calendar,
        role,
        id_kind,
    ))
}

/// What a get event call asked for beyond the event itself.
#[derive(Debug, Clone, Copy)]
struct EventView {
    meeting_settings: bool,
    attendees: bool,
    max_attendees: usize,
    id_kind: UserIdKind,
}

/// The most attendees get event returns (the page's validation rule).
const MAX_ATTENDEES: i64 = 100;
/// How many attendees get event returns when not told.
const DEFAULT_ATTENDEES: usize = 10;

/// 获取日程: an event as the caller sees it.
pub(crate) async fn get_event(shared: Arc<Shared>, caller: Caller, params: Params) -> Outcome {
    let (calendar_id, event_id) = params.event_ids()?;
    let query = params.query()?;
    let booleans = [("true", true), ("false", false)];
    let max_attendees = match query.get("max_attendee_num") {
        None => DEFAULT_ATTENDEES,
        Some(text) => {
            let max: i64 = text.parse().map_err(|_| 190002)?;
            // Well typed, yet outside the page's validation rule.
            require((1..=MAX_ATTENDEES).contains(&max), 190014)?;
            usize::try_from(max).map_err(|_| 190014)?
        }
    };
    let view = EventView {
        meeting_settings: parse_choice(query, "need_meeting_settings", &booleans)?.unwrap_or(false),
        attendees: parse_choice(query, "need_attendee", &booleans)?.unwrap_or(false),
        max_attendees,
        id_kind: parse_user_id_type(query)?,
    };
    let mut state = shared.lock();
    state.service_limits(&GET_EVENT, &caller)?;
    let world = &state.world;
    let ids = (calendar_id, event_id);
    let (event, role) = find_event(world, &GET_EVENT, &caller, ids, PRIMARY_OR_SHARED)?;
    require(role >= AccessRole::Reader, 193002)?;
    require(
        !state.changing.contains(&event_key(calendar_id, event_id)),
        190010,
    )?;
    // Only the organizer's calendar shows a hidden attendee list.
    let hidden = event.attendee_ability == AttendeeAbility::None
        && event.organizer_calendar_id != calendar_id;
    require(!(view.attendees && hidden), 194001)?;
    let can_edit = role >= AccessRole::Writer;
    Ok(render::event(
        world, &caller, event_id, event, view, can_edit,
    ))
}

/// How user ids are shown (the `user_id_type` query).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UserIdKind {
    /// `open_id`: per app.
    Open,
    /// `union_id`: per developer.
    Union,
    /// `user_id`: per tenant.
    User,
}

/// `user_id_type`, by the values the generated enum sends; open ids when left out.
fn parse_user_id_type(query: &HashMap<String, String>) -> Result<UserIdKind, i64> {
    use get_event::UserIdType;
    let kinds = [
        (UserIdType::OpenId.as_str(), UserIdKind::Open),
        (UserIdType::UnionId.as_str(), UserIdKind::Union),
        (UserIdType::UserId.as_str(), UserIdKind::User),
    ];
    Ok(parse_choice(query, "user_id_type", &kinds)?.unwrap_or(UserIdKind::Open))
}

/// An optional query parameter with allowed values; another value is an invalid parameter.
fn parse_choice<T: Copy>(
    query: &HashMap<String, String>,
    name: &str,
    allowed: &[(&str, T)],
) -> Result<Option<T>, i64> {
    let Some(value) = query.get(name) else {
        return Ok(None);
    };
    allowed
        .iter()
        .find(|(text, _)| text == value)
        .map(|(_, choice)| Some(*choice))
        .ok_or(190002)
}

/// Errs with `code` unless `holds`.
fn require(holds: bool, code: i64) -> Result<(), i64> {
    if holds { Ok(()) } else { Err(code) }
}

const PRIMARY_ONLY: &[CalendarKind] = &[CalendarKind::Primary];
const PRIMARY_OR_SHARED: &[CalendarKind] = &[CalendarKind::Primary, CalendarKind::Shared];

fn event_key(calendar_id: &str, event_id: &str) -> String {
    format!("event/{calendar_id}/{event_id}")
}

/// The path ids' form: 191001, then 193000, or where the page has no 193000 (create meeting
/// chat), 190002 as for any invalid parameter.
fn check_event_ids(route: &Route, calendar_id: &str, event_id: &str) -> Result<(), i64> {
    require(is_calendar_id(calendar_id), 191001)?;
    let invalid_event_id = if route.errors.iter().any(|row| row.code == 193000) {
        193000
    } else {
        190002
    };
    require(is_event_id(event_id), invalid_event_id)
}

/// Calendar ids are addresses, e.g. `feishu.cn_xxx@group.calendar.feishu.cn`.
fn is_calendar_id(calendar_id: &str) -> bool {
    calendar_id.contains('@')
}

/// Event ids are `<uid>_<instance>`, e.g. `75d28f9b-e35c-4230-8a83-123_0`.
fn is_event_id(event_id: &str) -> bool {
    event_id.rsplit_once('_').is_some_and(|(uid, instance)| {
        !uid.is_empty() && !instance.is_empty() && instance.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Whether the calling identity may use the calendar service: a user still in the tenant
/// (195100), an app with its bot enabled (190007).
fn check_identity(world: &World, caller: &Caller) -> Result<(), i64> {
    match &caller.identity {
        Identity::User(user_id) => {
            let in_tenant = world
                .users
                .get(user_id)
                .is_some_and(|user| user.active && user.tenant == caller.tenant);
            require(in_tenant, 195100)
        }
        Identity::App(app_id) => require(world.apps.get(app_id).is_some_and(|app| app.bot), 190007),
    }
}

/// The calendar and the caller's role on it: found (191000), in the caller's tenant (190006),
/// readable with the tenant's key (190011, 190012), not deleted (191003), of a kind the
/// endpoint works on (191004), with a role for the caller (191002).
fn check_calendar<'w>(
    world: &'w World,
    caller: &Caller,
    calendar_id: &str,
    kinds: &[CalendarKind],
) -> Result<(&'w Calendar, AccessRole), i64> {
    let calendar = world.calendars.get(calendar_id).ok_or(191000)?;
    require(calendar.tenant == caller.tenant, 190006)?;
    match world.tenants.get(&calendar.tenant).map(|tenant| tenant.key) {
        Some(TenantKey::EncryptKeyDeleted) => return Err(190011),
        Some(TenantKey::DecryptKeyDeleted) => return Err(190012),
        Some(TenantKey::Usable) | None => {}
    }
    require(!calendar.deleted, 191003)?;
    require(kinds.contains(&calendar.kind), 191004)?;
    let role = *calendar.roles.get(&caller.identity).ok_or(191002)?;
    Ok((calendar, role))
}

/// The checks in the service's order for a call about an event: ids, identity, calendar
/// (of one of `kinds`), event. The event and the caller's role on its calendar.
fn find_event<'w>(
    world: &'w World,
    route: &Route,
    caller: &Caller,
    (calendar_id, event_id): (&str, &str),
    kinds: &[CalendarKind],
) -> Result<(&'w Event, AccessRole), i64> {
    check_event_ids(route, calendar_id, event_id)?;
    check_identity(world, caller)?;
    let role = check_calendar(world, caller, calendar_id, kinds)?.1;
    let event = world
        .events
        .get(&(calendar_id.to_owned(), event_id.to_owned()))
        .ok_or(193001)?;
    require(!event.deleted, 193003)?;
    Ok((event, role))
}

/// Changes an event as the service does: its limits, then [`find_event`], writer access
/// (193002) and the endpoint's own `may_change` checks; then the change takes its time,
/// during which another change of the event is refused (190010); then `change` runs, on an
/// event still there and not deleted.
async fn change_event<T>(
    shared: &Shared,
    route: &Route,
    caller: &Caller,
    (calendar_id, event_id): (&str, &str),
    kinds: &[CalendarKind],
    may_change: impl FnOnce(&World, &Event) -> Result<(), i64>,
    change: impl FnOnce(&mut World) -> Result<T, i64>,
) -> Result<T, i64> {
    let key = event_key(calendar_id, event_id);
    let update_time = {
        let mut state = shared.lock();
        state.service_limits(route, caller)?;
        let world = &state.world;
        let (event, role) = find_event(world, route, caller, (calendar_id, event_id), kinds)?;
        require(role >= AccessRole::Writer, 193002)?;
        may_change(world, event)?;
        state.start_change(&key)?;
        state.world.settings.event_update_time
    };
    take_time(shared, key, update_time).await;
    let mut state = shared.lock();
    live_event_mut(&mut state.world, calendar_id, event_id)?;
    change(&mut state.world)
}

/// The event, still there and not deleted, once a change's time has passed.
fn live_event_mut<'w>(
    world: &'w mut World,
    calendar_id: &str,
    event_id: &str,
) -> Result<&'w mut Event, i64> {
    let event = world.event_mut(calendar_id, event_id).ok_or(193001)?;
    require(!event.deleted, 193003)?;
    Ok(event)
}

impl ServerState {
    /// Marks `key` as being changed, or refuses as contention for a shared resource (190010)
    /// when another call is changing it.
    fn start_change(&mut self, key: &str) -> Result<(), i64> {
        require(self.changing.insert(key.to_owned()), 190010)
    }

    /// The calendar service's own limits, beyond the gateway's: per method over all apps
    /// (190004), and per app over all calendar methods (190005).
    fn service_limits(&mut self, route: &Route, caller: &Caller) -> Result<(), i64> {
        let now = std::time::Instant::now();
        let second = std::time::Duration::from_secs(1);
        let settings = &self.world.settings;
        let limits = [
            (
                settings.method_limit_per_second,
                format!("method/{}", route.operation.id),
                190004,
            ),
            (
                settings.app_limit_per_second,
                format!("app/{}/calendar", caller.app_id),
                190005,
            ),
        ];
        for (limit, key, code) in &limits {
            let full =
                limit.is_some_and(|limit| self.windows.wait(key, limit, second, now).is_some());
            if full {
                return Err(*code);
            }
        }
        for (limit, key, _) in limits {
            if limit.is_some() {
                self.windows.count(key, now);
            }
        }
        Ok(())
    }
}

/// A change in progress, from [`ServerState::start_change`] until its time has passed. The
/// mark goes when the change ends, even when the caller hangs up meanwhile and the handler
/// is dropped.
struct Change<'a> {
    shared: &'a Shared,
    key: String,
}

impl Drop for Change<'_> {
    fn drop(&mut self) {
        self.shared.lock().changing.remove(&self.key);
    }
}

/// Lets the change marked under `key` take `time`, then ends it.
async fn take_time(shared: &Shared, key: String, time: Duration) {
    let _change = Change { shared, key };
    if !time.is_zero() {
        tokio::time::sleep(time).await;
    }
}
