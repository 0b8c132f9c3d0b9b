//! Every code of the unbind page's error table, provoked on the local server in the situation
//! the page describes, and decoded by the real client into its documented variant.

mod common;

use std::time::Duration;

use common::{client_without_retries, demo_request, demo_server, id};
use feishu_local_server::{
    AccessRole, App, CalendarKind, Identity, LocalServer, Tenant, TenantKey, World, demo,
};
use feishu_openapi::calendar::CalendarErrorCode;
use feishu_openapi::calendar::v4::unbind_meeting_chat::ERROR_CODES;
use feishu_openapi::calendar::v4::{UnbindMeetingChatError, UnbindMeetingChatRequest};
use feishu_openapi::{
    AccessToken, ApiResponse, EndpointError, calendar::v4::UnbindMeetingChatResponse,
};
use feishu_openapi_client::{Client, Error};

type Outcome = Result<ApiResponse<UnbindMeetingChatResponse>, Error<UnbindMeetingChatError>>;

fn request(calendar_id: &str, event_id: &str, chat_id: &str) -> UnbindMeetingChatRequest {
    UnbindMeetingChatRequest::new(id(calendar_id), id(event_id), id(chat_id))
}

fn as_user() -> AccessToken {
    AccessToken::user(demo::USER_TOKEN).expect("valid token")
}

/// Sets up the situation the page gives for `code`, and makes the call that runs into it.
async fn provoke(code: i64) -> Outcome {
    let server = demo_server().await;
    let client = client_without_retries(&server);
    let change = |change: fn(&mut World)| server.with_world(change);
    match code {
        // A meeting chat id that is not an open chat id.
        190002 => {
            let bad = request(demo::CALENDAR_ID, demo::EVENT_ID, "chat-42");
            return client.send(&bad).await;
        }
        190003 => server.inject(feishu_local_server::Fault::InternalError),
        // The method's capacity, over all apps, is used up by another app.
        190004 => {
            change(|world| {
                world.settings.method_limit_per_second = Some(1);
                add_other_app(world);
            });
            let other = other_app_client(&server);
            let other_request = request(OTHER_CALENDAR, demo::EVENT_ID, "oc_other_chat");
            other
                .send(&other_request)
                .await
                .expect("the other app's call fits");
        }
        // This app's capacity at the calendar service is used up by its earlier call.
        190005 => {
            change(|world| world.settings.app_limit_per_second = Some(1));
            let first = client.send(&demo_request()).await;
            assert!(first.is_ok(), "the first call fits: {first:?}");
        }
        // The calendar belongs to another tenant than the app.
        190006 => change(|world| {
            world
                .tenants
                .insert("other-tenant".into(), Tenant::default());
            world.calendars.get_mut(demo::CALENDAR_ID).unwrap().tenant = "other-tenant".into();
        }),
        // Calling as the app, whose bot capability is off.
        190007 => change(|world| world.apps.get_mut(demo::APP_ID).unwrap().bot = false),
        // Two changes to the same event at once.
        190010 => {
            change(|world| world.settings.event_update_time = Duration::from_millis(500));
            let request = demo_request();
            let both = tokio::join!(client.send(&request), client.send(&request));
            return match both {
                (Ok(_), refused @ Err(_)) | (refused @ Err(_), Ok(_)) => refused,
                other => panic!("one change goes through and one is refused: {other:?}"),
            };
        }
        190011 => change(|world| {
            world.tenants.get_mut(demo::TENANT).unwrap().key = TenantKey::EncryptKeyDeleted;
        }),
        190012 => change(|world| {
            world.tenants.get_mut(demo::TENANT).unwrap().key = TenantKey::DecryptKeyDeleted;
        }),
        191000 => {
            let missing = request(
                "feishu.cn_gone@group.calendar.feishu.cn",
                demo::EVENT_ID,
                demo::MEETING_CHAT_ID,
            );
            return client.send(&missing).await;
        }
        191001 => {
            let invalid = request("my-calendar", demo::EVENT_ID, demo::MEETING_CHAT_ID);
            return client.send(&invalid).await;
        }
        // The app has no role on the calendar.
        191002 => change(|world| {
            world
                .calendars
                .get_mut(demo::CALENDAR_ID)
                .unwrap()
                .roles
                .clear()
        }),
        191003 => {
            change(|world| world.calendars.get_mut(demo::CALENDAR_ID).unwrap().deleted = true)
        }
        // Not a primary calendar.
        191004 => change(|world| {
            world.calendars.get_mut(demo::CALENDAR_ID).unwrap().kind = CalendarKind::Shared;
        }),
        193000 => {
            let invalid = request(demo::CALENDAR_ID, "not an event id", demo::MEETING_CHAT_ID);
            return client.send(&invalid).await;
        }
        193001 => {
            let missing = request(
                demo::CALENDAR_ID,
                "00000000-0000-0000-0000-000_0",
                demo::MEETING_CHAT_ID,
            );
            return client.send(&missing).await;
        }
        // Read access only.
        193002 => change(|world| {
            let calendar = world.calendars.get_mut(demo::CALENDAR_ID).unwrap();
            calendar
                .roles
                .insert(Identity::App(demo::APP_ID.into()), AccessRole::Reader);
        }),
        193003 => change(|world| {
            world
                .event_mut(demo::CALENDAR_ID, demo::EVENT_ID)
                .unwrap()
                .deleted = true;
        }),
        // Calling as a user who has left the company.
        195100 => {
            change(|world| world.users.get_mut(demo::USER_ID).unwrap().active = false);
            return client.send_with(&demo_request(), &as_user()).await;
        }
        // The chat's owner is a user, not the app.
        195107 => change(|world| {
            world.chats.get_mut(demo::MEETING_CHAT_ID).unwrap().owner =
                Identity::User(demo::USER_ID.into());
        }),
        // A chat that is not this event's meeting chat.
        195108 => {
            let other = request(demo::CALENDAR_ID, demo::EVENT_ID, "oc_some_other_chat");
            return client.send(&other).await;
        }
        _ => panic!("no situation set up for code {code}: add one to `provoke`"),
    }
    client.send(&demo_request()).await
}

const OTHER_APP: &str = "cli_other_app";
const OTHER_CALENDAR: &str = "feishu.cn_other@group.calendar.feishu.cn";

/// A second app in the demo tenant, with its own calendar and meeting chat.
fn add_other_app(world: &mut World) {
    world.apps.insert(
        OTHER_APP.into(),
        App {
            secret: "other-secret".into(),
            tenant: demo::TENANT.into(),
            scopes: vec!["calendar:calendar.event:update".into()],
            bot: true,
        },
    );
    let owner = Identity::App(OTHER_APP.into());
    world.add_primary_calendar(OTHER_CALENDAR, demo::TENANT, owner.clone());
    world.add_meeting_chat(OTHER_CALENDAR, demo::EVENT_ID, "oc_other_chat", owner);
}

fn other_app_client(server: &LocalServer) -> Client {
    common::builder(server)
        .app_credentials(OTHER_APP, "other-secret")
        .build()
        .expect("client")
}

#[tokio::test]
async fn every_documented_code_comes_back_as_its_variant() {
    for row in ERROR_CODES {
        let outcome = provoke(row.code).await;
        let error = match outcome {
            Err(Error::Api(error)) => error,
            other => panic!(
                "code {}: expected the endpoint's error, got {other:?}",
                row.code
            ),
        };
        assert_eq!(error.code(), Some(row.code), "{error}");
        assert_eq!(error.documented(), Some(row), "{error}");
        assert_eq!(error.http_status().as_u16(), row.http_status, "{error}");
        assert_eq!(error.message(), row.message);
        assert!(
            error.log_id().is_some_and(|id| !id.is_empty()),
            "no log id: {error}"
        );
        assert!(!matches!(error, UnbindMeetingChatError::Unknown(_)));
    }
}

#[tokio::test]
async fn the_chat_owner_unbinds_and_the_chat_is_no_longer_bound() {
    let server = demo_server().await;
    let client = client_without_retries(&server);
    let response = client.send(&demo_request()).await.expect("unbinds");
    assert!(response.log_id.is_some());
    assert!(!common::demo_chat_bound(&server));
    // Unbinding again finds the chat no longer bound to the event.
    let again = client.send(&demo_request()).await;
    assert!(matches!(
        again,
        Err(Error::Api(UnbindMeetingChatError::Documented(
            CalendarErrorCode::ChatNotMatchWithEvent,
            _
        )))
    ));
}

#[tokio::test]
async fn a_user_who_owns_the_chat_unbinds_with_a_user_token() {
    let server = demo_server().await;
    const USER_CALENDAR: &str = "feishu.cn_user@group.calendar.feishu.cn";
    server.with_world(|world| {
        let user = Identity::User(demo::USER_ID.into());
        world.add_primary_calendar(USER_CALENDAR, demo::TENANT, user.clone());
        world.add_meeting_chat(USER_CALENDAR, demo::EVENT_ID, "oc_user_chat", user);
        // The app's bot capability only matters when calling as the app.
        world.apps.get_mut(demo::APP_ID).unwrap().bot = false;
    });
    let client = client_without_retries(&server);
    let request = request(USER_CALENDAR, demo::EVENT_ID, "oc_user_chat");
    client
        .send_with(&request, &as_user())
        .await
        .expect("unbinds as the user");
    // A user token needs no tenant token.
    assert_eq!(server.stats().tenant_tokens_issued, 0);
}
