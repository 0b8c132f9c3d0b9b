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

/// A person in a tenant.
#[derive(Debug, Clone)]
pub struct User {
    /// The tenant the user belongs to.
    pub tenant: String,
    /// False once the user has left the company.
    pub active: bool,
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
    /// Its kind.
    pub kind: CalendarKind,
    /// Whether it was deleted.
    pub deleted: bool,
    /// Who may do what with it.
    pub roles: BTreeMap<Identity, AccessRole>,
}

/// An event in a calendar.
#[derive(Debug, Clone, Default)]
pub struct Event {
    /// Whether it was deleted.
    pub deleted: bool,
    /// The meeting chat bound to the event, if any.
    pub meeting_chat_id: Option<String>,
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
    /// How long a change to an event takes; a second change to the same event meanwhile is
    /// refused as contention for a shared resource.
    pub event_update_time: Duration,
    /// Whether the gateway enforces each endpoint's documented rate limits (50/s and
    /// 1000/min for unbind). Off only to measure a client's own speed.
    pub documented_rate_limits: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            tenant_token_lifetime: Duration::from_secs(7200),
            method_limit_per_second: None,
            app_limit_per_second: None,
            event_update_time: Duration::ZERO,
            documented_rate_limits: true,
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
    /// Events by calendar id and event id.
    pub events: BTreeMap<(String, String), Event>,
    /// Chats by chat id.
    pub chats: BTreeMap<String, Chat>,
    /// User tokens by token.
    pub user_tokens: BTreeMap<String, UserToken>,
    /// Tenant tokens issued so far, by token.
    pub tenant_tokens: BTreeMap<String, TenantToken>,
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
    /// The app's primary calendar.
    pub const CALENDAR_ID: &str = "feishu.cn_demo@group.calendar.feishu.cn";
    /// An event in it with a meeting chat the app owns.
    pub const EVENT_ID: &str = "75d28f9b-e35c-4230-8a83-123_0";
    /// The meeting chat bound to that event.
    pub const MEETING_CHAT_ID: &str = "oc_demo_meeting_chat";
}

impl World {
    /// One tenant with one app (bot enabled, scope `calendar:calendar`), one user who authorized
    /// it, the app's primary calendar, and an event whose meeting chat the app owns.
    pub fn demo() -> World {
        let mut world = World::default();
        world.tenants.insert(demo::TENANT.into(), Tenant::default());
        world.apps.insert(
            demo::APP_ID.into(),
            App {
                secret: demo::APP_SECRET.into(),
                tenant: demo::TENANT.into(),
                scopes: vec!["calendar:calendar".into()],
                bot: true,
            },
        );
        world.users.insert(
            demo::USER_ID.into(),
            User {
                tenant: demo::TENANT.into(),
                active: true,
            },
        );
        world.user_tokens.insert(
            demo::USER_TOKEN.into(),
            UserToken {
                app_id: demo::APP_ID.into(),
                user_id: demo::USER_ID.into(),
                expires_at: Instant::now() + Duration::from_secs(7200),
            },
        );
        let app = Identity::App(demo::APP_ID.into());
        world.add_primary_calendar(demo::CALENDAR_ID, demo::TENANT, app.clone());
        world.add_meeting_chat(
            demo::CALENDAR_ID,
            demo::EVENT_ID,
            demo::MEETING_CHAT_ID,
            app,
        );
        world
    }

    /// Adds (or replaces) `owner`'s primary calendar.
    pub fn add_primary_calendar(&mut self, calendar_id: &str, tenant: &str, owner: Identity) {
        self.calendars.insert(
            calendar_id.into(),
            Calendar {
                tenant: tenant.into(),
                kind: CalendarKind::Primary,
                deleted: false,
                roles: BTreeMap::from([(owner, AccessRole::Owner)]),
            },
        );
    }

    /// Adds (or replaces) an event bound to a new meeting chat owned by `owner`.
    pub fn add_meeting_chat(
        &mut self,
        calendar_id: &str,
        event_id: &str,
        chat_id: &str,
        owner: Identity,
    ) {
        self.events.insert(
            (calendar_id.into(), event_id.into()),
            Event {
                deleted: false,
                meeting_chat_id: Some(chat_id.into()),
            },
        );
        self.chats.insert(chat_id.into(), Chat { owner });
    }

    /// The event, for a test to change or inspect.
    pub fn event_mut(&mut self, calendar_id: &str, event_id: &str) -> Option<&mut Event> {
        self.events
            .get_mut(&(calendar_id.to_owned(), event_id.to_owned()))
    }

    /// Makes every tenant token issued so far stop working, as if all had expired.
    pub fn expire_tenant_tokens(&mut self) {
        self.tenant_tokens.clear();
    }
}
