//! What the server knows: tenants, apps, users, calendars, events, meeting chats and tokens.
//!
//! Fields are public so that a test can set up exactly the situation it needs, and read back
//! what a call changed.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// The identity a call is made as: the app's bot (tenant token) or a user (user token).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Identity {
    /// The app itself, by app id.
    App(String),
    /// A user, by open id.
    User(String),
}

/// A company using Feishu.
#[derive(Debug, Clone, Default)]
pub struct Tenant {
    /// State of the tenant's own encryption key (自主密钥).
    pub key: TenantKey,
}

/// State of a tenant's own encryption key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TenantKey {
    /// No own key, or a key in use: data is readable.
    #[default]
    Usable,
    /// The key in encrypt-and-decrypt state was deleted.
    EncryptKeyDeleted,
    /// The key in decrypt-only state was deleted.
    DecryptKeyDeleted,
}

/// An app registered on the platform, installed in one tenant.
///
/// Its bot is known to users as `ou_bot_<app id>` (open id) and `on_bot_<app id>` (union id);
/// a bot has no tenant user id.
#[derive(Debug, Clone)]
pub struct App {
    /// The App Secret that buys tenant tokens.
    pub secret: String,
    /// The tenant the app is installed in.
    pub tenant: String,
    /// Scopes the app was granted.
    pub scopes: Vec<String>,
    /// Whether the bot capability is enabled.
    pub bot: bool,
}

/// A person in a tenant, known by open id (the key in [`World::users`]).
#[derive(Debug, Clone)]
pub struct User {
    /// The tenant the user belongs to.
    pub tenant: String,
    /// False once the user has left the company.
    pub active: bool,
    /// Name shown to others.
    pub name: String,
    /// Union id: the same in all apps of one developer.
    pub union_id: String,
    /// User id (employee id): the same in all apps of one tenant.
    pub user_id: String,
}

/// Kind of calendar; only a primary calendar can have meeting chats unbound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarKind {
    /// An identity's own main calendar.
    Primary,
    /// A calendar shared by several people.
    Shared,
    /// A meeting room's calendar.
    Resource,
}

/// What an identity may do with a calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AccessRole {
    /// Sees free/busy only.
    FreeBusyReader,
    /// Reads events.
    Reader,
    /// Edits events.
    Writer,
    /// Owns the calendar.
    Owner,
}

/// A calendar.
#[derive(Debug, Clone)]
pub struct Calendar {
    /// The tenant the calendar belongs to.
    pub tenant: String,
    /// Title.
    pub summary: String,
    /// Description.
    pub description: String,
    /// Who sees its events: `private`, `show_only_free_busy` or `public`.
    pub permissions: String,
    /// RGB as an int32; -1 follows the client's default.
    pub color: i64,
    /// Its kind.
    pub kind: CalendarKind,
    /// Whether it was deleted.
    pub deleted: bool,
    /// Who may do what with it.
    pub roles: BTreeMap<Identity, AccessRole>,
}

/// An event in a calendar.
///
/// The same event shows in its organizer's calendar and in attendees' calendars; each copy is
/// stored under its calendar, with `organizer_calendar_id` naming the organizer's.
#[derive(Debug, Clone)]
pub struct Event {
    /// Whether it was deleted.
    pub deleted: bool,
    /// The meeting chat bound to the event, if any.
    pub meeting_chat_id: Option<String>,
    /// The organizer's calendar.
    pub organizer_calendar_id: String,
    /// Who organizes it; only the organizer may delete it.
    pub organizer: Identity,
    /// Title.
    pub summary: String,
    /// Description.
    pub description: String,
    /// Start, in seconds since the Unix epoch.
    pub start: i64,
    /// End, in seconds since the Unix epoch.
    pub end: i64,
    /// IANA time zone the times are shown in.
    pub timezone: String,
    /// The video meeting.
    pub video_meeting: VideoMeeting,
    /// `default`, `public` or `private`.
    pub visibility: String,
    /// What attendees may do, including whether they see each other.
    pub attendee_ability: AttendeeAbility,
    /// `busy` or `free`.
    pub free_busy_status: String,
    /// Where it takes place.
    pub location: Option<Location>,
    /// RGB as an int32; -1 follows the calendar's color.
    pub color: i64,
    /// Reminders, in minutes before the start.
    pub reminders: Vec<i64>,
    /// RFC 5545 recurrence rule of a recurring event.
    pub recurrence: Option<String>,
    /// `tentative`, `confirmed` or `cancelled`.
    pub status: String,
    /// When it was created, in seconds since the Unix epoch.
    pub create_time: i64,
    /// Who takes part, in the order they were added.
    pub attendees: Vec<Attendee>,
    /// Files attached to it.
    pub attachments: Vec<Attachment>,
    /// Check-in, when enabled.
    pub check_in: Option<CheckIn>,
}

impl Event {
    /// A confirmed one-hour event organized by `organizer` in its calendar, with a Feishu
    /// video meeting and no attendees yet.
    pub fn new(organizer_calendar_id: &str, organizer: Identity, summary: &str) -> Event {
        const START: i64 = 1_767_225_600; // 2026-01-01 08:00 Asia/Shanghai
        Event {
            deleted: false,
            meeting_chat_id: None,
            organizer_calendar_id: organizer_calendar_id.into(),
            organizer,
            summary: summary.into(),
            description: String::new(),
            start: START,
            end: START + 3600,
            timezone: "Asia/Shanghai".into(),
            video_meeting: VideoMeeting::Feishu(MeetingSettings::default()),
            visibility: "default".into(),
            attendee_ability: AttendeeAbility::CanSeeOthers,
            free_busy_status: "busy".into(),
            location: None,
            color: -1,
            reminders: vec![5],
            recurrence: None,
            status: "confirmed".into(),
            create_time: START - 86_400,
            attendees: Vec::new(),
            attachments: Vec::new(),
            check_in: None,
        }
    }
}

/// What an event's attendees may do (参与人权限).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttendeeAbility {
    /// Not edit, not invite, not see the attendee list.
    None,
    /// See the attendee list.
    CanSeeOthers,
    /// See the list and invite others.
    CanInviteOthers,
    /// See, invite and edit the event.
    CanModifyEvent,
}

impl AttendeeAbility {
    /// The value as the API writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            AttendeeAbility::None => "none",
            AttendeeAbility::CanSeeOthers => "can_see_others",
            AttendeeAbility::CanInviteOthers => "can_invite_others",
            AttendeeAbility::CanModifyEvent => "can_modify_event",
        }
    }
}

/// An event's video meeting.
#[derive(Debug, Clone, PartialEq)]
pub enum VideoMeeting {
    /// A Feishu video meeting (`vc`), with its settings.
    Feishu(MeetingSettings),
    /// A link to a meeting elsewhere (`third_party`).
    ThirdParty {
        /// The meeting's URL.
        url: String,
        /// The link's text.
        description: String,
    },
    /// None (`no_meeting`).
    NoMeeting,
}

/// Settings of a Feishu video meeting, made before it starts; its owner and host is the
/// event's organizer.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingSettings {
    /// `anyone_can_join`, `only_organization_employees` or `only_event_attendees`.
    pub join_meeting_permission: String,
    /// Record automatically.
    pub auto_record: bool,
    /// Attendees wait in a lobby until admitted.
    pub open_lobby: bool,
    /// Attendees may start the meeting.
    pub allow_attendees_start: bool,
}

impl Default for MeetingSettings {
    fn default() -> Self {
        MeetingSettings {
            join_meeting_permission: "only_organization_employees".into(),
            auto_record: false,
            open_lobby: true,
            allow_attendees_start: true,
        }
    }
}

/// Where an event takes place.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    /// Name of the place.
    pub name: String,
    /// Its address.
    pub address: String,
    /// Latitude (GCJ-02 in China, WGS84 elsewhere).
    pub latitude: f64,
    /// Longitude.
    pub longitude: f64,
}

/// Someone or something taking part in an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    /// Who or what.
    pub kind: AttendeeKind,
    /// `needs_action`, `accept`, `tentative`, `decline` or `removed`.
    pub rsvp_status: String,
    /// Whether attending is optional.
    pub optional: bool,
}

/// What kind of attendee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttendeeKind {
    /// A user, by open id.
    User(String),
    /// A meeting room.
    Resource {
        /// The room's id.
        room_id: String,
        /// Its name.
        name: String,
    },
    /// Someone outside Feishu, by email address.
    ThirdParty(String),
}

/// A file attached to an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The file's token in Feishu Drive.
    pub file_token: String,
    /// File name.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
}

/// Check-in to an event: open from some minutes before it starts to some after it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckIn {
    /// Minutes before the start when check-in opens.
    pub opens_before_start: i64,
    /// Minutes after the end when check-in closes.
    pub closes_after_end: i64,
    /// Whether attendees are told when check-in opens.
    pub notify_attendees: bool,
}

/// A bot message the server sent, as a test reads it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// Who it went to.
    pub to: Identity,
    /// The event it is about.
    pub event_id: String,
    /// What happened to the event, e.g. `deleted`.
    pub what: String,
}

/// A group chat.
#[derive(Debug, Clone)]
pub struct Chat {
    /// Its owner (群主).
    pub owner: Identity,
}

/// A user access token, as the OAuth flow would have granted it.
#[derive(Debug, Clone)]
pub struct UserToken {
    /// The app the user authorized.
    pub app_id: String,
    /// The user's open id.
    pub user_id: String,
    /// When it stops working.
    pub expires_at: Instant,
}

/// A tenant access token the server issued.
#[derive(Debug, Clone)]
pub struct TenantToken {
    /// The app it was issued to.
    pub app_id: String,
    /// When it stops working.
    pub expires_at: Instant,
}

/// Knobs for situations that depend on load or time rather than on data.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long a new tenant token lives (Feishu: 2 hours).
    pub tenant_token_lifetime: Duration,
    /// Calls per second the calendar service takes for one method, over all apps; beyond it,
    /// the method is rate limited. `None`: no such limit.
    pub method_limit_per_second: Option<u32>,
    /// Calls per second the calendar service takes from one app; `None`: no such limit.
    pub app_limit_per_second: Option<u32>,
    /// How long a change to an event takes; a second change to the same event meanwhile, or
    /// a read of it, is refused as contention for a shared resource.
    pub event_update_time: Duration,
    /// Whether the gateway enforces each endpoint's documented rate limits (50/s and
    /// 1000/min for unbind). Off only to measure a client's own speed.
    pub documented_rate_limits: bool,
    /// How long creating an identity's primary calendar (on its first call) takes; another
    /// call for the same identity meanwhile is refused as contention.
    pub primary_calendar_create_time: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            tenant_token_lifetime: Duration::from_secs(7200),
            method_limit_per_second: None,
            app_limit_per_second: None,
            event_update_time: Duration::ZERO,
            documented_rate_limits: true,
            primary_calendar_create_time: Duration::ZERO,
        }
    }
}

/// Everything the server knows.
#[derive(Debug, Clone, Default)]
pub struct World {
    /// Tenants by tenant key.
    pub tenants: BTreeMap<String, Tenant>,
    /// Apps by app id.
    pub apps: BTreeMap<String, App>,
    /// Users by open id.
    pub users: BTreeMap<String, User>,
    /// Calendars by calendar id.
    pub calendars: BTreeMap<String, Calendar>,
    /// Each identity's primary calendar, by calendar id; one is made on an identity's first
    /// call to primary calendar when it has none.
    pub primary_calendars: BTreeMap<Identity, String>,
    /// Events by calendar id and event id.
    pub events: BTreeMap<(String, String), Event>,
    /// Chats by chat id.
    pub chats: BTreeMap<String, Chat>,
    /// User tokens by token.
    pub user_tokens: BTreeMap<String, UserToken>,
    /// Tenant tokens issued so far, by token.
    pub tenant_tokens: BTreeMap<String, TenantToken>,
    /// Bot messages sent so far, oldest first.
    pub notifications: Vec<Notification>,
    /// Ids handed out so far (meeting chats, calendars), to make the next one unique.
    pub ids_issued: u64,
    /// Load- and time-dependent behaviour.
    pub settings: Settings,
}

/// The demo data's ids and secrets, for the binary's banner, the example and tests.
pub mod demo {
    /// The demo tenant.
    pub const TENANT: &str = "demo-tenant";
    /// The demo app's id.
    pub const APP_ID: &str = "cli_demo0123456789";
    /// The demo app's secret (a local, made-up one).
    pub const APP_SECRET: &str = "demo-app-secret";
    /// A user of the demo tenant who authorized the demo app.
    pub const USER_ID: &str = "ou_demo_user";
    /// The demo user's access token.
    pub const USER_TOKEN: &str = "u-demo-user-token";
    /// The demo user's primary calendar.
    pub const USER_CALENDAR_ID: &str = "feishu.cn_demo_user@group.calendar.feishu.cn";
    /// A colleague of the demo user, attending the demo events.
    pub const COLLEAGUE_ID: &str = "ou_demo_colleague";
    /// The app's primary calendar.
    pub const CALENDAR_ID: &str = "feishu.cn_demo@group.calendar.feishu.cn";
    /// An event in it with a meeting chat the app owns.
    pub const EVENT_ID: &str = "75d28f9b-e35c-4230-8a83-123_0";
    /// The meeting chat bound to that event.
    pub const MEETING_CHAT_ID: &str = "oc_demo_meeting_chat";
    /// An event in the app's calendar with no meeting chat yet, for creating one.
    pub const EVENT_WITHOUT_CHAT_ID: &str = "00592a0e-7edf-4678-bc9d-1b77383ef08e_0";
}

impl World {
    /// One tenant with one app (bot enabled, scopes `calendar:calendar` and
    /// `calendar:calendar:readonly`: all five endpoints), a user who authorized
    /// it and a colleague, each identity's primary calendar, and in the app's two events the
    /// app organizes with both users attending: one whose meeting chat the app owns, one with
    /// no meeting chat.
    pub fn demo() -> World {
        let mut world = World::default();
        world.tenants.insert(demo::TENANT.into(), Tenant::default());
        world.apps.insert(
            demo::APP_ID.into(),
            App {
                secret: demo::APP_SECRET.into(),
                tenant: demo::TENANT.into(),
                scopes: vec![
                    "calendar:calendar".into(),
                    "calendar:calendar:readonly".into(),
                ],
                bot: true,
            },
        );
        world.add_user(demo::USER_ID, demo::TENANT, "张三");
        world.add_user(demo::COLLEAGUE_ID, demo::TENANT, "李四");
        world.user_tokens.insert(
            demo::USER_TOKEN.into(),
            UserToken {
                app_id: demo::APP_ID.into(),
                user_id: demo::USER_ID.into(),
                expires_at: Instant::now() + Duration::from_secs(7200),
            },
        );
        let user = Identity::User(demo::USER_ID.into());
        world.add_primary_calendar(demo::USER_CALENDAR_ID, demo::TENANT, user);
        let app = Identity::App(demo::APP_ID.into());
        world.add_primary_calendar(demo::CALENDAR_ID, demo::TENANT, app.clone());
        world.add_meeting_chat(
            demo::CALENDAR_ID,
            demo::EVENT_ID,
            demo::MEETING_CHAT_ID,
            app.clone(),
        );
        world.add_event(demo::CALENDAR_ID, demo::EVENT_WITHOUT_CHAT_ID, app);
        for event_id in [demo::EVENT_ID, demo::EVENT_WITHOUT_CHAT_ID] {
            let event = world.event_mut(demo::CALENDAR_ID, event_id).expect("added");
            event.description = "每周同步进展与风险".into();
            event.location = Some(Location {
                name: "北京中关村会议室".into(),
                address: "北京市海淀区中关村大街 1 号".into(),
                latitude: 39.98,
                longitude: 116.31,
            });
            event.recurrence = Some("FREQ=WEEKLY;INTERVAL=1".into());
            event.attachments.push(Attachment {
                file_token: "boxcnDemoAgenda".into(),
                name: "议程.pdf".into(),
                size: 2345,
            });
            event.check_in = Some(CheckIn {
                opens_before_start: 15,
                closes_after_end: 0,
                notify_attendees: false,
            });
            event.attendees.push(Attendee {
                kind: AttendeeKind::Resource {
                    room_id: "omm_demo_room".into(),
                    name: "中关村会议室".into(),
                },
                rsvp_status: "accept".into(),
                optional: false,
            });
            event.attendees.push(Attendee {
                kind: AttendeeKind::ThirdParty("partner@example.com".into()),
                rsvp_status: "needs_action".into(),
                optional: true,
            });
        }
        world
    }

    /// Adds (or replaces) an active user of `tenant`, with union and user ids made from the
    /// open id.
    pub fn add_user(&mut self, open_id: &str, tenant: &str, name: &str) {
        let key = open_id.strip_prefix("ou_").unwrap_or(open_id);
        self.users.insert(
            open_id.into(),
            User {
                tenant: tenant.into(),
                active: true,
                name: name.into(),
                union_id: format!("on_{key}"),
                user_id: format!("u_{key}"),
            },
        );
    }

    /// Adds (or replaces) `owner`'s primary calendar, titled with the owner's name.
    pub fn add_primary_calendar(&mut self, calendar_id: &str, tenant: &str, owner: Identity) {
        self.add_calendar(calendar_id, tenant, CalendarKind::Primary, owner.clone());
        let summary = self.display_name(&owner);
        if let Some(calendar) = self.calendars.get_mut(calendar_id) {
            calendar.summary = summary;
        }
        self.primary_calendars.insert(owner, calendar_id.into());
    }

    /// Name shown for an identity: a user's name, or for a bot its app id.
    pub fn display_name(&self, identity: &Identity) -> String {
        match identity {
            Identity::User(open_id) => self
                .users
                .get(open_id)
                .map(|user| user.name.clone())
                .unwrap_or_default(),
            Identity::App(app_id) => app_id.clone(),
        }
    }

    /// Adds (or replaces) a calendar `owner` owns; for a primary one, see
    /// [`add_primary_calendar`](World::add_primary_calendar).
    pub fn add_calendar(
        &mut self,
        calendar_id: &str,
        tenant: &str,
        kind: CalendarKind,
        owner: Identity,
    ) {
        self.calendars.insert(
            calendar_id.into(),
            Calendar {
                tenant: tenant.into(),
                summary: String::new(),
                description: String::new(),
                permissions: "private".into(),
                color: -1,
                kind,
                deleted: false,
                roles: BTreeMap::from([(owner, AccessRole::Owner)]),
            },
        );
    }

    /// Adds (or replaces) an event that `organizer` organizes in its calendar `calendar_id`,
    /// with the organizer and every other active user of the calendar's tenant attending
    /// (users, by open id in order; a bot organizer does not attend).
    pub fn add_event(&mut self, calendar_id: &str, event_id: &str, organizer: Identity) {
        let mut event = Event::new(calendar_id, organizer.clone(), "周会");
        let tenant = self.calendars.get(calendar_id).map(|c| c.tenant.clone());
        for (open_id, user) in &self.users {
            if user.active && Some(&user.tenant) == tenant.as_ref() {
                let is_organizer = organizer == Identity::User(open_id.clone());
                event.attendees.push(Attendee {
                    kind: AttendeeKind::User(open_id.clone()),
                    rsvp_status: if is_organizer {
                        "accept"
                    } else {
                        "needs_action"
                    }
                    .into(),
                    optional: false,
                });
            }
        }
        self.events
            .insert((calendar_id.into(), event_id.into()), event);
    }

    /// Adds (or replaces) an event as [`add_event`](World::add_event) does, bound to a new
    /// meeting chat owned by `owner`, who organizes the event.
    pub fn add_meeting_chat(
        &mut self,
        calendar_id: &str,
        event_id: &str,
        chat_id: &str,
        owner: Identity,
    ) {
        self.add_event(calendar_id, event_id, owner.clone());
        if let Some(event) = self.event_mut(calendar_id, event_id) {
            event.meeting_chat_id = Some(chat_id.into());
        }
        self.chats.insert(chat_id.into(), Chat { owner });
    }

    /// The event, for a test to change or inspect.
    pub fn event_mut(&mut self, calendar_id: &str, event_id: &str) -> Option<&mut Event> {
        self.events
            .get_mut(&(calendar_id.to_owned(), event_id.to_owned()))
    }

    /// The tenant token last issued to `app_id`, the one its client holds: for tests that
    /// call as that app without a client, or check that the token shows nowhere.
    pub fn tenant_token_of(&self, app_id: &str) -> Option<&str> {
        self.tenant_tokens
            .iter()
            .filter(|(_, grant)| grant.app_id == app_id)
            .max_by_key(|(_, grant)| grant.expires_at)
            .map(|(token, _)| token.as_str())
    }

    /// Makes every tenant token issued so far stop working, as if all had expired.
    pub fn expire_tenant_tokens(&mut self) {
        self.tenant_tokens.clear();
    }

    /// A new id for a chat or calendar, unique in this world.
    pub(crate) fn next_id(&mut self) -> u64 {
        self.ids_issued += 1;
        self.ids_issued
    }
}
