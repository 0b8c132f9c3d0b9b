//! 删除日程 delete event on the local server: every code of its page's error table in the
//! situation the page describes; a deleted event reads as deleted; `need_notification`.

mod common;

use common::{
    Outcome, WithQuery, after_app_capacity_used, after_method_capacity_used, assert_documented,
    calendar_situation, client_without_retries, concurrent_changes, demo_server, id, send_as,
};
use feishu_local_server::{AccessRole, CalendarKind, Identity, Notification, demo};
use feishu_openapi::EndpointError;
use feishu_openapi::calendar::v4::delete_event::{ERROR_CODES, NeedNotification};
use feishu_openapi::calendar::v4::{
    DeleteEventError, DeleteEventRequest, GetEventError, GetEventRequest, UnbindMeetingChatError,
    UnbindMeetingChatRequest,
};
use feishu_openapi::calendar::{CalendarError, CalendarErrorCode};
use feishu_openapi_client::Error;

fn delete(calendar_id: &str, event_id: &str) -> DeleteEventRequest {
    DeleteEventRequest::new(id(calendar_id), id(event_id))
}

fn demo_delete() -> DeleteEventRequest {
    delete(demo::CALENDAR_ID, demo::EVENT_ID)
}

async fn provoke(code: i64) -> Outcome<DeleteEventRequest> {
    let server = demo_server().await;
    let client = client_without_retries(&server);
    match code {
        // A value the page does not allow.
        190002 => {
            let maybe = WithQuery {
                request: demo_delete(),
                name: "need_notification",
                value: "maybe",
            };
            client.send(&maybe).await
        }
        190004 => after_method_capacity_used(&server, &demo_delete()).await,
        190005 => after_app_capacity_used(&server, &demo_delete()).await,
        190010 => concurrent_changes(&server, &demo_delete()).await,
        191000 => {
            let gone = delete("feishu.cn_gone@group.calendar.feishu.cn", demo::EVENT_ID);
            client.send(&gone).await
        }
        191001 => client.send(&delete("my-calendar", demo::EVENT_ID)).await,
        193000 => {
            client
                .send(&delete(demo::CALENDAR_ID, "not an event id"))
                .await
        }
        193001 => {
            let missing = delete(demo::CALENDAR_ID, "00000000-0000-0000-0000-000_0");
            client.send(&missing).await
        }
        _ => {
            let caller = calendar_situation(&server, code)
                .unwrap_or_else(|| panic!("no situation set up for code {code}"));
            send_as(&client, &demo_delete(), caller).await
        }
    }
}

#[tokio::test]
async fn every_documented_code_comes_back_as_its_variant() {
    for row in ERROR_CODES {
        assert_documented::<DeleteEventRequest>(row, provoke(row.code).await);
    }
}

#[tokio::test]
async fn a_deleted_event_reads_as_deleted_and_its_attendees_are_told() {
    let server = demo_server().await;
    let client = client_without_retries(&server);
    let response = client.send(&demo_delete()).await.expect("deletes");
    assert!(response.log_id.is_some());

    // Both users attending are told (by default, need_notification is true).
    let told = server.with_world(|world| world.notifications.clone());
    let to: Vec<Identity> = told.iter().map(|note| note.to.clone()).collect();
    assert_eq!(
        to,
        [
            Identity::User(demo::COLLEAGUE_ID.into()),
            Identity::User(demo::USER_ID.into()),
        ]
    );
    assert!(
        told.iter()
            .all(|note| note.event_id == demo::EVENT_ID && note.what == "deleted")
    );

    let get = GetEventRequest::new(id(demo::CALENDAR_ID), id(demo::EVENT_ID));
    assert!(matches!(
        client.send(&get).await,
        Err(Error::Api(GetEventError::Documented(
            CalendarErrorCode::EventIsDeleted,
            _
        )))
    ));
    let unbind = UnbindMeetingChatRequest::new(
        id(demo::CALENDAR_ID),
        id(demo::EVENT_ID),
        id(demo::MEETING_CHAT_ID),
    );
    assert!(matches!(
        client.send(&unbind).await,
        Err(Error::Api(UnbindMeetingChatError::Documented(
            CalendarErrorCode::EventIsDeleted,
            _
        )))
    ));
    assert!(matches!(
        client.send(&demo_delete()).await,
        Err(Error::Api(DeleteEventError::Documented(
            CalendarErrorCode::EventIsDeleted,
            _
        )))
    ));
}

#[tokio::test]
async fn need_notification_false_tells_nobody_and_true_tells_the_attendees() {
    let server = demo_server().await;
    let client = client_without_retries(&server);
    let quiet = demo_delete().with_need_notification(NeedNotification::False);
    client.send(&quiet).await.expect("deletes");
    assert_eq!(
        server.with_world(|world| world.notifications.clone()),
        Vec::<Notification>::new()
    );

    let loud = delete(demo::CALENDAR_ID, demo::EVENT_WITHOUT_CHAT_ID)
        .with_need_notification(NeedNotification::True);
    client.send(&loud).await.expect("deletes");
    assert_eq!(server.with_world(|world| world.notifications.len()), 2);
}

#[tokio::test]
async fn only_the_organizer_deletes_even_with_writer_access() {
    let server = demo_server().await;
    let client = client_without_retries(&server);
    // The demo user organizes an event in a shared calendar the app may write to.
    const SHARED: &str = "feishu.cn_team@group.calendar.feishu.cn";
    server.with_world(|world| {
        let user = Identity::User(demo::USER_ID.into());
        world.add_calendar(SHARED, demo::TENANT, CalendarKind::Shared, user.clone());
        world
            .calendars
            .get_mut(SHARED)
            .unwrap()
            .roles
            .insert(Identity::App(demo::APP_ID.into()), AccessRole::Writer);
        world.add_event(SHARED, demo::EVENT_ID, user);
    });
    let request = delete(SHARED, demo::EVENT_ID);
    assert!(matches!(
        client.send(&request).await,
        Err(Error::Api(DeleteEventError::Documented(
            CalendarErrorCode::NoPermissionToOperateEvent,
            _
        )))
    ));
    // The organizer may, in a shared calendar too.
    client
        .send_with(&request, &common::as_user())
        .await
        .expect("the organizer deletes");
    let deleted =
        server.with_world(|world| world.event_mut(SHARED, demo::EVENT_ID).unwrap().deleted);
    assert!(deleted);
}

#[tokio::test]
async fn a_code_the_page_does_not_list_comes_back_as_unknown_with_its_code() {
    let server = demo_server().await;
    // The service answers a deleted tenant key with 190011, which the delete page leaves out.
    server.with_world(|world| {
        world.tenants.get_mut(demo::TENANT).unwrap().key =
            feishu_local_server::TenantKey::EncryptKeyDeleted;
    });
    let client = client_without_retries(&server);
    let error = match client.send(&demo_delete()).await {
        Err(Error::Api(error @ DeleteEventError::Unknown(_))) => error,
        other => panic!("expected an undocumented code, got {other:?}"),
    };
    let DeleteEventError::Unknown(response) = &error else {
        unreachable!()
    };
    assert_eq!(response.code, 190011);
    assert_eq!(response.status, 403);
    assert_eq!(response.msg, "tenant encrypt key has been deleted");
    // The service documents it: as the service's error, it has its variant and advice.
    let log_id = error.log_id().map(str::to_owned);
    let service: CalendarError = error.into_service();
    assert!(
        matches!(
            service,
            CalendarError::Documented(CalendarErrorCode::TenantEncryptKeyHasBeenDeleted, _)
        ),
        "{service:?}"
    );
    assert_eq!(service.documented().map(|row| row.code), Some(190011));
    assert_eq!(service.log_id().map(str::to_owned), log_id);
}
