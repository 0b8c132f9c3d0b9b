//! 创建会议群 create meeting chat on the local server: every code of its page's error table in
//! the situation the page describes, and a created chat that can then be unbound.

mod common;

use common::{
    Caller, Outcome, after_app_capacity_used, after_method_capacity_used, as_user,
    assert_documented, calendar_situation, client_without_retries, concurrent_changes, demo_server,
    id, send_as,
};
use feishu_local_server::{AccessRole, AttendeeAbility, Identity, LocalServer, demo};
use feishu_openapi::calendar::CalendarErrorCode;
use feishu_openapi::calendar::v4::create_meeting_chat::ERROR_CODES;
use feishu_openapi::calendar::v4::{
    CreateMeetingChatError, CreateMeetingChatRequest, UnbindMeetingChatRequest,
};
use feishu_openapi_client::Error;

fn create(calendar_id: &str, event_id: &str) -> CreateMeetingChatRequest {
    CreateMeetingChatRequest::new(id(calendar_id), id(event_id))
}

/// The demo event that has no meeting chat yet.
fn demo_create() -> CreateMeetingChatRequest {
    create(demo::CALENDAR_ID, demo::EVENT_WITHOUT_CHAT_ID)
}

async fn provoke(code: i64) -> Outcome<CreateMeetingChatRequest> {
    let server = demo_server().await;
    let client = client_without_retries(&server);
    let request = match code {
        // The page has no 193000: a malformed event id is an invalid parameter.
        190002 => create(demo::CALENDAR_ID, "not an event id"),
        190004 => return after_method_capacity_used(&server, &demo_create()).await,
        190005 => return after_app_capacity_used(&server, &demo_create()).await,
        190010 => return concurrent_changes(&server, &demo_create()).await,
        191000 => create(
            "feishu.cn_gone@group.calendar.feishu.cn",
            demo::EVENT_WITHOUT_CHAT_ID,
        ),
        191001 => create("my-calendar", demo::EVENT_WITHOUT_CHAT_ID),
        193001 => create(demo::CALENDAR_ID, "00000000-0000-0000-0000-000_0"),
        // Fewer than 2 attendees.
        195109 => {
            server.with_world(|world| {
                let event = world
                    .event_mut(demo::CALENDAR_ID, demo::EVENT_WITHOUT_CHAT_ID)
                    .unwrap();
                event.attendees.truncate(1);
            });
            demo_create()
        }
        _ => {
            let caller = calendar_situation(&server, code)
                .unwrap_or_else(|| panic!("no situation set up for code {code}"));
            return send_as(&client, &demo_create(), caller).await;
        }
    };
    client.send(&request).await
}

#[tokio::test]
async fn every_documented_code_comes_back_as_its_variant() {
    for row in ERROR_CODES {
        assert_documented::<CreateMeetingChatRequest>(row, provoke(row.code).await);
    }
}

fn is_not_supported(outcome: &Outcome<CreateMeetingChatRequest>) -> bool {
    matches!(
        outcome,
        Err(Error::Api(CreateMeetingChatError::Documented(
            CalendarErrorCode::EventNotSupportChatCreation,
            _
        )))
    )
}

#[tokio::test]
async fn events_that_cannot_have_a_chat_in_each_way_the_page_names() {
    // A hidden attendee list.
    let server = demo_server().await;
    let client = client_without_retries(&server);
    server.with_world(|world| {
        let event = world
            .event_mut(demo::CALENDAR_ID, demo::EVENT_WITHOUT_CHAT_ID)
            .unwrap();
        event.attendee_ability = AttendeeAbility::None;
    });
    assert!(is_not_supported(&client.send(&demo_create()).await));

    // Someone else's primary calendar, even with writer access to it.
    let server = demo_server().await;
    let client = client_without_retries(&server);
    server.with_world(|world| {
        world.add_event(
            demo::USER_CALENDAR_ID,
            demo::EVENT_WITHOUT_CHAT_ID,
            Identity::User(demo::USER_ID.into()),
        );
        let calendar = world.calendars.get_mut(demo::USER_CALENDAR_ID).unwrap();
        calendar
            .roles
            .insert(Identity::App(demo::APP_ID.into()), AccessRole::Writer);
    });
    let others = create(demo::USER_CALENDAR_ID, demo::EVENT_WITHOUT_CHAT_ID);
    assert!(is_not_supported(&client.send(&others).await));
    // The user, whose primary calendar it is, may.
    let chat = client
        .send_with(&others, &as_user())
        .await
        .expect("creates");
    assert!(chat.data.meeting_chat_id.is_some());
}

/// Whether the event is bound to `chat_id`, and who owns that chat.
fn binding(server: &LocalServer, calendar_id: &str, event_id: &str) -> Option<(String, Identity)> {
    server.with_world(|world| {
        let chat_id = world
            .event_mut(calendar_id, event_id)?
            .meeting_chat_id
            .clone()?;
        let owner = world.chats.get(&chat_id)?.owner.clone();
        Some((chat_id, owner))
    })
}

#[tokio::test]
async fn a_created_chat_is_bound_owned_by_the_app_and_can_be_unbound() {
    let server = demo_server().await;
    let client = client_without_retries(&server);
    let created = client.send(&demo_create()).await.expect("creates");
    assert!(created.log_id.is_some());
    let chat_id = created.data.meeting_chat_id.expect("a chat id");
    assert!(chat_id.starts_with("oc_"), "{chat_id}");
    let applink = created.data.applink.expect("an applink");
    assert!(applink.starts_with("https://"), "{applink}");
    assert!(
        applink.ends_with(&format!("openChatId={chat_id}")),
        "{applink}"
    );
    assert_eq!(
        binding(&server, demo::CALENDAR_ID, demo::EVENT_WITHOUT_CHAT_ID),
        Some((chat_id.clone(), Identity::App(demo::APP_ID.into())))
    );

    // Asking again gives the event's chat back rather than a second one.
    let again = client.send(&demo_create()).await.expect("answers");
    assert_eq!(
        again.data.meeting_chat_id.as_deref(),
        Some(chat_id.as_str())
    );

    let unbind = UnbindMeetingChatRequest::new(
        id(demo::CALENDAR_ID),
        id(demo::EVENT_WITHOUT_CHAT_ID),
        id(&chat_id),
    );
    client
        .send(&unbind)
        .await
        .expect("unbinds the created chat");
    assert_eq!(
        binding(&server, demo::CALENDAR_ID, demo::EVENT_WITHOUT_CHAT_ID),
        None
    );

    // Once unbound, a new chat can be created, with a new id.
    let next = client.send(&demo_create()).await.expect("creates again");
    assert_ne!(next.data.meeting_chat_id, Some(chat_id));
}

#[tokio::test]
async fn a_user_creates_a_chat_in_their_primary_calendar_and_owns_it() {
    let server = demo_server().await;
    let user = Identity::User(demo::USER_ID.into());
    server.with_world(|world| {
        world.add_event(
            demo::USER_CALENDAR_ID,
            demo::EVENT_WITHOUT_CHAT_ID,
            user.clone(),
        );
    });
    let client = client_without_retries(&server);
    let request = create(demo::USER_CALENDAR_ID, demo::EVENT_WITHOUT_CHAT_ID);
    let created = send_as(&client, &request, Caller::User)
        .await
        .expect("creates");
    let chat_id = created.data.meeting_chat_id.expect("a chat id");
    assert_eq!(
        binding(&server, demo::USER_CALENDAR_ID, demo::EVENT_WITHOUT_CHAT_ID),
        Some((chat_id, user))
    );
    assert_eq!(server.stats().tenant_tokens_issued, 0);
}
