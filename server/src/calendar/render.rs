//! Calendars and events as the calendar endpoints write them in `data`, shaped as their pages'
//! response tables.

use std::hash::{DefaultHasher, Hash, Hasher};

use feishu_openapi::calendar::v4::get_event;
use serde_json::{Map, Value, json};

use super::{EventView, UserIdKind};
use crate::gateway::Caller;
use crate::world::{
    AccessRole, AttendeeKind, Calendar, CalendarKind, Event, Identity, VideoMeeting, World,
};

/// `data` of primary calendar: the caller's primary calendar and who it belongs to.
pub(super) fn primary_calendars(
    world: &World,
    caller: &Caller,
    calendar_id: &str,
    calendar: &Calendar,
    role: AccessRole,
    id_kind: UserIdKind,
) -> Value {
    let kind = match calendar.kind {
        CalendarKind::Primary => "primary",
        CalendarKind::Shared => "shared",
        CalendarKind::Resource => "resource",
    };
    let mut entry = Map::new();
    entry.insert(
        "calendar".into(),
        json!({
            "calendar_id": calendar_id,
            "summary": calendar.summary,
            "description": calendar.description,
            "permissions": calendar.permissions,
            "color": calendar.color,
            "type": kind,
            "summary_alias": "",
            "is_deleted": calendar.deleted,
            "is_third_party": false,
            "role": role_name(role),
        }),
    );
    insert_id(
        &mut entry,
        "user_id",
        world,
        caller,
        &caller.identity,
        id_kind,
    );
    json!({"calendars": [entry]})
}

fn role_name(role: AccessRole) -> &'static str {
    match role {
        AccessRole::FreeBusyReader => "free_busy_reader",
        AccessRole::Reader => "reader",
        AccessRole::Writer => "writer",
        AccessRole::Owner => "owner",
    }
}

/// `data` of get event, as `caller` sees the event.
pub(super) fn event(
    world: &World,
    caller: &Caller,
    event_id: &str,
    event: &Event,
    view: EventView,
    can_edit: bool,
) -> Value {
    let time =
        |timestamp: i64| json!({"timestamp": timestamp.to_string(), "timezone": event.timezone});
    let (uid, instance) = event_id.rsplit_once('_').unwrap_or((event_id, "0"));
    let is_exception = instance != "0";
    let mut body = Map::new();
    let mut put = |name: &str, value: Value| {
        body.insert(name.into(), value);
    };
    put("event_id", json!(event_id));
    put("organizer_calendar_id", json!(event.organizer_calendar_id));
    put("summary", json!(event.summary));
    put("description", json!(event.description));
    put("start_time", time(event.start));
    put("end_time", time(event.end));
    put(
        "vchat",
        video_meeting(world, caller, event_id, event, view, can_edit),
    );
    put("visibility", json!(event.visibility));
    put("attendee_ability", json!(event.attendee_ability.as_str()));
    put("free_busy_status", json!(event.free_busy_status));
    if let Some(location) = &event.location {
        put(
            "location",
            json!({
                "name": location.name,
                "address": location.address,
                "latitude": location.latitude,
                "longitude": location.longitude,
            }),
        );
    }
    put("color", json!(event.color));
    let reminders: Vec<Value> = event
        .reminders
        .iter()
        .map(|minutes| json!({"minutes": minutes}))
        .collect();
    put("reminders", json!(reminders));
    if let Some(rule) = &event.recurrence {
        put("recurrence", json!(rule));
    }
    put("status", json!(event.status));
    put("is_exception", json!(is_exception));
    if is_exception {
        put("recurring_event_id", json!(format!("{uid}_0")));
    }
    put("create_time", json!(event.create_time.to_string()));
    let mut organizer = Map::new();
    insert_id(
        &mut organizer,
        "user_id",
        world,
        caller,
        &event.organizer,
        view.id_kind,
    );
    organizer.insert(
        "display_name".into(),
        json!(world.display_name(&event.organizer)),
    );
    put("event_organizer", Value::Object(organizer));
    put(
        "app_link",
        json!(format!(
            "https://applink.feishu.cn/client/calendar/event/detail?calendarId={}&key={uid}&originalTime=0&startTime={}",
            event.organizer_calendar_id, event.start
        )),
    );
    if view.attendees {
        let attendees: Vec<Value> = event
            .attendees
            .iter()
            .enumerate()
            .take(view.max_attendees)
            .map(|(index, attendee)| {
                let organizer_open_id = match &event.organizer {
                    Identity::User(open_id) => Some(open_id),
                    Identity::App(_) => None,
                };
                let mut entry = Map::new();
                let (kind, name, is_organizer, is_external) = match &attendee.kind {
                    AttendeeKind::User(open_id) => {
                        let user = world.users.get(open_id);
                        let name = user.map(|user| user.name.clone()).unwrap_or_default();
                        let external = user.is_none_or(|user| user.tenant != caller.tenant);
                        let identity = Identity::User(open_id.clone());
                        insert_id(
                            &mut entry,
                            "user_id",
                            world,
                            caller,
                            &identity,
                            view.id_kind,
                        );
                        ("user", name, organizer_open_id == Some(open_id), external)
                    }
                    AttendeeKind::Resource { room_id, name } => {
                        entry.insert("room_id".into(), json!(room_id));
                        ("resource", name.clone(), false, false)
                    }
                    AttendeeKind::ThirdParty(email) => {
                        entry.insert("third_party_email".into(), json!(email));
                        ("third_party", email.clone(), false, true)
                    }
                };
                entry.insert("type".into(), json!(kind));
                entry.insert("attendee_id".into(), json!(format!("{kind}_{index}")));
                entry.insert("rsvp_status".into(), json!(attendee.rsvp_status));
                entry.insert("is_optional".into(), json!(attendee.optional));
                entry.insert("is_organizer".into(), json!(is_organizer));
                entry.insert("is_external".into(), json!(is_external));
                entry.insert("display_name".into(), json!(name));
                Value::Object(entry)
            })
            .collect();
        put("attendees", json!(attendees));
        put(
            "has_more_attendee",
            json!(event.attendees.len() > view.max_attendees),
        );
    }
    let attachments: Vec<Value> = event
        .attachments
        .iter()
        .map(|file| {
            json!({"file_token": file.file_token, "file_size": file.size.to_string(), "name": file.name})
        })
        .collect();
    put("attachments", json!(attachments));
    let check_in = match &event.check_in {
        Some(check_in) => json!({
            "enable_check_in": true,
            "check_in_start_time": {"time_type": "before_event_start", "duration": check_in.opens_before_start},
            "check_in_end_time": {"time_type": "after_event_end", "duration": check_in.closes_after_end},
            "need_notify_attendees": check_in.notify_attendees,
        }),
        None => json!({"enable_check_in": false}),
    };
    put("event_check_in", check_in);
    json!({"event": body})
}

/// The `vchat` object; a Feishu meeting's settings only when asked for by someone who may
/// edit the event, as the page says.
fn video_meeting(
    world: &World,
    caller: &Caller,
    event_id: &str,
    event: &Event,
    view: EventView,
    can_edit: bool,
) -> Value {
    match &event.video_meeting {
        VideoMeeting::Feishu(settings) => {
            let mut hasher = DefaultHasher::new();
            (&event.organizer_calendar_id, event_id).hash(&mut hasher);
            let meeting_number = 100_000_000 + hasher.finish() % 900_000_000;
            let mut vchat = json!({
                "vc_type": "vc",
                "meeting_url": format!("https://vc.feishu.cn/j/{meeting_number}"),
            });
            if view.meeting_settings && can_edit {
                let owner_id = shown_id(world, caller, &event.organizer, view.id_kind);
                vchat["meeting_settings"] = json!({
                    "owner_id": owner_id,
                    "assign_hosts": owner_id.iter().collect::<Vec<_>>(),
                    "join_meeting_permission": settings.join_meeting_permission,
                    "auto_record": settings.auto_record,
                    "open_lobby": settings.open_lobby,
                    "allow_attendees_start": settings.allow_attendees_start,
                });
            }
            vchat
        }
        VideoMeeting::ThirdParty { url, description } => json!({
            "vc_type": "third_party",
            "icon_type": "default",
            "description": description,
            "meeting_url": url,
        }),
        VideoMeeting::NoMeeting => json!({"vc_type": "no_meeting"}),
    }
}

/// Puts `identity`'s id of the kind asked for under `field`, when the caller may see one.
fn insert_id(
    out: &mut Map<String, Value>,
    field: &str,
    world: &World,
    caller: &Caller,
    identity: &Identity,
    kind: UserIdKind,
) {
    if let Some(id) = shown_id(world, caller, identity, kind) {
        out.insert(field.into(), json!(id));
    }
}

/// `identity`'s id of the kind asked for, as the caller's app may see it: user ids only with
/// the field scope (otherwise the field is left out, as the page says), and never for a bot,
/// which has none.
fn shown_id(
    world: &World,
    caller: &Caller,
    identity: &Identity,
    kind: UserIdKind,
) -> Option<String> {
    let may_see_user_ids = world.apps.get(&caller.app_id).is_some_and(|app| {
        get_event::OPERATION
            .field_scopes
            .iter()
            .any(|scope| app.scopes.iter().any(|granted| granted == scope.name))
    });
    match (identity, kind) {
        (Identity::App(app_id), UserIdKind::Open) => Some(format!("ou_bot_{app_id}")),
        (Identity::App(app_id), UserIdKind::Union) => Some(format!("on_bot_{app_id}")),
        (Identity::App(_), UserIdKind::User) => None,
        (Identity::User(open_id), UserIdKind::Open) => Some(open_id.clone()),
        (Identity::User(open_id), UserIdKind::Union) => {
            world.users.get(open_id).map(|user| user.union_id.clone())
        }
        (Identity::User(open_id), UserIdKind::User) => world
            .users
            .get(open_id)
            .filter(|_| may_see_user_ids)
            .map(|user| user.user_id.clone()),
    }
}
