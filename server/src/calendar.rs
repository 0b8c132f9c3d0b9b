//! Calendar v4 endpoints.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use feishu_openapi::calendar::v4::unbind_meeting_chat;
use http::HeaderMap;
use serde_json::json;

use crate::gateway::{self, Caller, Route};
use crate::reply::Reply;
use crate::world::{AccessRole, CalendarKind, Identity, TenantKey, World};
use crate::{Shared, State as ServerState};

/// 190003, internal service error, is how every calendar endpoint reports its own failure.
const INTERNAL_SERVICE_ERROR: i64 = 190003;

pub(crate) const UNBIND_MEETING_CHAT: Route = Route {
    operation: &unbind_meeting_chat::OPERATION,
    errors: unbind_meeting_chat::ERROR_CODES,
    internal_error: INTERNAL_SERVICE_ERROR,
};

/// 解绑会议群: unbinds an event's meeting chat, answering each code of the page's error table in
/// the situation it describes.
pub(crate) async fn unbind_meeting_chat(
    State(shared): State<Arc<Shared>>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    headers: HeaderMap,
) -> Reply {
    let route = &UNBIND_MEETING_CHAT;
    let caller = match gateway::admit(&shared, route, &headers).await {
        Ok(caller) => caller,
        Err(reply) => return reply,
    };
    let error = |code| Reply::endpoint_error(route.errors, code);
    let (Ok(Path((calendar_id, event_id))), Ok(Query(query))) = (path, query) else {
        return error(190002);
    };
    let chat_id = query
        .get("meeting_chat_id")
        .map(String::as_str)
        .unwrap_or_default();
    if !chat_id.starts_with("oc_") {
        return error(190002);
    }
    let event_key = (calendar_id.clone(), event_id.clone());
    let update_time = {
        let mut state = shared.lock();
        if let Err(code) = state.service_limits(route, &caller) {
            return error(code);
        }
        if let Err(code) = check_event_access(&state.world, &caller, &calendar_id, &event_id) {
            return error(code);
        }
        if !state.events_in_update.insert(event_key.clone()) {
            return error(190010);
        }
        state.world.settings.event_update_time
    };
    let update = EventUpdate {
        shared: &shared,
        event_key,
    };
    if !update_time.is_zero() {
        tokio::time::sleep(update_time).await;
    }
    let event_key = update.finish();
    let mut state = shared.lock();
    let world = &mut state.world;
    let bound = world
        .events
        .get(&event_key)
        .and_then(|event| event.meeting_chat_id.as_deref());
    if bound != Some(chat_id) {
        return error(195108);
    }
    if world.chats.get(chat_id).map(|chat| &chat.owner) != Some(&caller.identity) {
        return error(195107);
    }
    if let Some(event) = world.events.get_mut(&event_key) {
        event.meeting_chat_id = None;
    }
    Reply::success(json!({}))
}

/// An event being changed. The mark goes when the change ends, even when the caller hangs up
/// meanwhile and the handler is dropped.
struct EventUpdate<'a> {
    shared: &'a Shared,
    event_key: (String, String),
}

impl EventUpdate<'_> {
    /// Ends the change, giving back the event's key.
    fn finish(self) -> (String, String) {
        self.event_key.clone()
    }
}

impl Drop for EventUpdate<'_> {
    fn drop(&mut self) {
        self.shared.lock().events_in_update.remove(&self.event_key);
    }
}

/// Whether the caller may change the event, in the order the service checks: ids, identity,
/// calendar, then event. Errs with the code of the page's error table.
fn check_event_access(
    world: &World,
    caller: &Caller,
    calendar_id: &str,
    event_id: &str,
) -> Result<(), i64> {
    if !calendar_id.contains('@') {
        return Err(191001);
    }
    if !is_event_id(event_id) {
        return Err(193000);
    }
    match &caller.identity {
        Identity::User(user_id) => {
            let in_tenant = world
                .users
                .get(user_id)
                .is_some_and(|user| user.active && user.tenant == caller.tenant);
            if !in_tenant {
                return Err(195100);
            }
        }
        Identity::App(app_id) => {
            if !world.apps.get(app_id).is_some_and(|app| app.bot) {
                return Err(190007);
            }
        }
    }
    let calendar = world.calendars.get(calendar_id).ok_or(191000)?;
    if calendar.tenant != caller.tenant {
        return Err(190006);
    }
    match world.tenants.get(&calendar.tenant).map(|tenant| tenant.key) {
        Some(TenantKey::EncryptKeyDeleted) => return Err(190011),
        Some(TenantKey::DecryptKeyDeleted) => return Err(190012),
        Some(TenantKey::Usable) | None => {}
    }
    if calendar.deleted {
        return Err(191003);
    }
    if calendar.kind != CalendarKind::Primary {
        return Err(191004);
    }
    let role = calendar.roles.get(&caller.identity).ok_or(191002)?;
    let event = world
        .events
        .get(&(calendar_id.to_owned(), event_id.to_owned()))
        .ok_or(193001)?;
    if event.deleted {
        return Err(193003);
    }
    if *role < AccessRole::Writer {
        return Err(193002);
    }
    Ok(())
}

/// Event ids are `<uid>_<instance>`, e.g. `75d28f9b-e35c-4230-8a83-123_0`.
fn is_event_id(event_id: &str) -> bool {
    event_id.rsplit_once('_').is_some_and(|(uid, instance)| {
        !uid.is_empty() && !instance.is_empty() && instance.bytes().all(|b| b.is_ascii_digit())
    })
}

impl ServerState {
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
