//! 查询主日历信息 primary calendar on the local server: every code of its page's error table in
//! the situation the page describes, and each caller's own primary calendar.

mod common;

use std::time::Duration;

use common::{
    Caller, Outcome, WithQuery, after_app_capacity_used, after_method_capacity_used,
    assert_documented, calendar_situation, client_without_retries, demo_server, send_as,
};
use feishu_local_server::{Identity, demo};
use feishu_openapi::calendar::CalendarErrorCode;
use feishu_openapi::calendar::v4::primary_calendar::{ERROR_CODES, UserCalendar, UserIdType};
use feishu_openapi::calendar::v4::{PrimaryCalendarError, PrimaryCalendarRequest};
use feishu_openapi_client::{Client, Error};

fn primary() -> PrimaryCalendarRequest {
    PrimaryCalendarRequest::new()
}

fn app() -> Identity {
    Identity::App(demo::APP_ID.into())
}

async fn provoke(code: i64) -> Outcome<PrimaryCalendarRequest> {
    let server = demo_server().await;
    let client = client_without_retries(&server);
    match code {
        // As the page says: an app may not ask for user ids.
        190002 => {
            let user_ids = primary().with_user_id_type(UserIdType::UserId);
            client.send(&user_ids).await
        }
        190004 => after_method_capacity_used(&server, &primary()).await,
        190005 => after_app_capacity_used(&server, &primary()).await,
        // The app's first call makes its primary calendar; a second call meanwhile contends.
        190010 => {
            server.with_world(|world| {
                world.primary_calendars.remove(&app());
                world.settings.primary_calendar_create_time = Duration::from_millis(300);
            });
            let request = primary();
            match tokio::join!(client.send(&request), client.send(&request)) {
                (Ok(_), refused @ Err(_)) | (refused @ Err(_), Ok(_)) => refused,
                other => panic!("one call makes the calendar, one is refused: {other:?}"),
            }
        }
        // The app's primary calendar record names a calendar that is gone.
        191000 => {
            server.with_world(|world| world.calendars.remove(demo::CALENDAR_ID));
            client.send(&primary()).await
        }
        // ... or something that is no calendar id.
        191001 => {
            server.with_world(|world| {
                world.primary_calendars.insert(app(), "my-calendar".into());
            });
            client.send(&primary()).await
        }
        _ => {
            let caller = calendar_situation(&server, code)
                .unwrap_or_else(|| panic!("no situation set up for code {code}"));
            send_as(&client, &primary(), caller).await
        }
    }
}

#[tokio::test]
async fn every_documented_code_comes_back_as_its_variant() {
    for row in ERROR_CODES {
        assert_documented::<PrimaryCalendarRequest>(row, provoke(row.code).await);
    }
}

/// The one calendar of the answer.
async fn only_calendar(
    client: &Client,
    request: &PrimaryCalendarRequest,
    caller: Caller,
) -> UserCalendar {
    let response = send_as(client, request, caller).await.expect("answers");
    let mut calendars = response.data.calendars.expect("calendars");
    assert_eq!(calendars.len(), 1, "{calendars:?}");
    calendars.remove(0)
}

#[tokio::test]
async fn the_app_gets_its_bots_primary_calendar() {
    let server = demo_server().await;
    let client = client_without_retries(&server);
    let entry = only_calendar(&client, &primary(), Caller::App).await;
    let calendar = entry.calendar.expect("calendar");
    assert_eq!(calendar.calendar_id.as_deref(), Some(demo::CALENDAR_ID));
    assert_eq!(calendar.r#type.as_deref(), Some("primary"));
    assert_eq!(calendar.role.as_deref(), Some("owner"));
    assert_eq!(calendar.permissions.as_deref(), Some("private"));
    assert_eq!(calendar.is_deleted, Some(false));
    assert_eq!(calendar.is_third_party, Some(false));
    assert_eq!(calendar.color, Some(-1));
    let bot_open_id = format!("ou_bot_{}", demo::APP_ID);
    assert_eq!(entry.user_id, Some(bot_open_id));

    let union = primary().with_user_id_type(UserIdType::UnionId);
    let entry = only_calendar(&client, &union, Caller::App).await;
    assert_eq!(entry.user_id, Some(format!("on_bot_{}", demo::APP_ID)));
}

#[tokio::test]
async fn a_user_token_gets_the_users_primary_calendar_and_user_id_needs_its_scope() {
    let server = demo_server().await;
    let client = client_without_retries(&server);
    let entry = only_calendar(&client, &primary(), Caller::User).await;
    let calendar = entry.calendar.expect("calendar");
    assert_eq!(
        calendar.calendar_id.as_deref(),
        Some(demo::USER_CALENDAR_ID)
    );
    assert_eq!(calendar.summary.as_deref(), Some("张三"));
    assert_eq!(entry.user_id.as_deref(), Some(demo::USER_ID));

    // A user id is a sensitive field: left out without the field scope, given with it.
    let user_ids = primary().with_user_id_type(UserIdType::UserId);
    let entry = only_calendar(&client, &user_ids, Caller::User).await;
    assert_eq!(entry.user_id, None);
    server.with_world(|world| {
        let app = world.apps.get_mut(demo::APP_ID).unwrap();
        app.scopes.push("contact:user.employee_id:readonly".into());
    });
    let entry = only_calendar(&client, &user_ids, Caller::User).await;
    assert_eq!(entry.user_id.as_deref(), Some("u_demo_user"));
}

#[tokio::test]
async fn an_identity_without_a_primary_calendar_gets_one_on_its_first_call() {
    let server = demo_server().await;
    server.with_world(|world| world.primary_calendars.remove(&app()));
    let client = client_without_retries(&server);
    let first = only_calendar(&client, &primary(), Caller::App).await;
    let made = first
        .calendar
        .and_then(|calendar| calendar.calendar_id)
        .expect("an id");
    assert_ne!(made, demo::CALENDAR_ID);
    assert!(made.ends_with("@group.calendar.feishu.cn"), "{made}");
    let second = only_calendar(&client, &primary(), Caller::App).await;
    assert_eq!(
        second.calendar.and_then(|calendar| calendar.calendar_id),
        Some(made)
    );
}

#[tokio::test]
async fn a_user_id_type_the_page_does_not_list_is_an_invalid_parameter() {
    let server = demo_server().await;
    let client = client_without_retries(&server);
    let email = WithQuery {
        request: primary(),
        name: "user_id_type",
        value: "email",
    };
    assert!(matches!(
        client.send(&email).await,
        Err(Error::Api(PrimaryCalendarError::Documented(
            CalendarErrorCode::InvalidParametersInRequest,
            _
        )))
    ));
}
