//! 获取日程 get event on the local server: every code of its page's error table in the
//! situation the page describes, and the event's deep body decoded into `GetEventResponse`.

mod common;

use std::time::Duration;

use common::{
    Caller, Outcome, WithQuery, after_app_capacity_used, after_method_capacity_used,
    assert_documented, calendar_situation, client_without_retries, demo_server, id, send_as,
};
use feishu_local_server::{AccessRole, AttendeeAbility, Identity, VideoMeeting, demo};
use feishu_openapi::calendar::v4::get_event::{CalendarEvent, ERROR_CODES, UserIdType};
use feishu_openapi::calendar::v4::{DeleteEventRequest, GetEventRequest, PrimaryCalendarRequest};
use feishu_openapi_client::Client;

fn get(calendar_id: &str, event_id: &str) -> GetEventRequest {
    GetEventRequest::new(id(calendar_id), id(event_id))
}

fn demo_get() -> GetEventRequest {
    get(demo::CALENDAR_ID, demo::EVENT_ID)
}

async fn provoke(code: i64) -> Outcome<GetEventRequest> {
    let server = demo_server().await;
    let client = client_without_retries(&server);
    match code {
        // Not a boolean.
        190002 => {
            let yes = WithQuery {
                request: demo_get(),
                name: "need_attendee",
                value: "yes",
            };
            client.send(&yes).await
        }
        190004 => after_method_capacity_used(&server, &demo_get()).await,
        190005 => after_app_capacity_used(&server, &demo_get()).await,
        // Read while the event is being deleted.
        190010 => {
            server
                .with_world(|world| world.settings.event_update_time = Duration::from_millis(300));
            // The token first, so that the delete's arrival is the next request the server sees.
            let primary = PrimaryCalendarRequest::new();
            client.send(&primary).await.expect("the token works");
            let seen = server.stats().requests;
            let delete = DeleteEventRequest::new(id(demo::CALENDAR_ID), id(demo::EVENT_ID));
            let read_meanwhile = async {
                while server.stats().requests == seen {
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
                client.send(&demo_get()).await
            };
            let (deleted, read) = tokio::join!(client.send(&delete), read_meanwhile);
            assert!(deleted.is_ok(), "{deleted:?}");
            read
        }
        // Well typed, but over the page's maximum of 100.
        190014 => client.send(&demo_get().with_max_attendee_num(101)).await,
        191000 => {
            let gone = get("feishu.cn_gone@group.calendar.feishu.cn", demo::EVENT_ID);
            client.send(&gone).await
        }
        191001 => client.send(&get("my-calendar", demo::EVENT_ID)).await,
        193000 => {
            client
                .send(&get(demo::CALENDAR_ID, "not an event id"))
                .await
        }
        193001 => {
            let missing = get(demo::CALENDAR_ID, "00000000-0000-0000-0000-000_0");
            client.send(&missing).await
        }
        // The user's copy of an event whose organizer hides the attendee list.
        194001 => {
            server.with_world(|world| {
                let mut event = world
                    .event_mut(demo::CALENDAR_ID, demo::EVENT_ID)
                    .unwrap()
                    .clone();
                event.attendee_ability = AttendeeAbility::None;
                let key = (demo::USER_CALENDAR_ID.to_owned(), demo::EVENT_ID.to_owned());
                world.events.insert(key, event);
            });
            let with_attendees =
                get(demo::USER_CALENDAR_ID, demo::EVENT_ID).with_need_attendee(true);
            send_as(&client, &with_attendees, Caller::User).await
        }
        _ => {
            let caller = calendar_situation(&server, code)
                .unwrap_or_else(|| panic!("no situation set up for code {code}"));
            send_as(&client, &demo_get(), caller).await
        }
    }
}

#[tokio::test]
async fn every_documented_code_comes_back_as_its_variant() {
    for row in ERROR_CODES {
        assert_documented::<GetEventRequest>(row, provoke(row.code).await);
    }
}

async fn event(client: &Client, request: &GetEventRequest, caller: Caller) -> CalendarEvent {
    let response = send_as(client, request, caller).await.expect("answers");
    assert!(response.log_id.is_some());
    response.data.event.expect("an event")
}

#[tokio::test]
async fn the_event_comes_back_whole_with_attendees_and_meeting_settings_when_asked() {
    let server = demo_server().await;
    let client = client_without_retries(&server);
    let request = demo_get()
        .with_need_attendee(true)
        .with_need_meeting_settings(true)
        .with_max_attendee_num(3)
        .with_user_id_type(UserIdType::OpenId);
    let event = event(&client, &request, Caller::App).await;

    assert_eq!(event.event_id.as_deref(), Some(demo::EVENT_ID));
    assert_eq!(
        event.organizer_calendar_id.as_deref(),
        Some(demo::CALENDAR_ID)
    );
    assert_eq!(event.summary.as_deref(), Some("周会"));
    assert_eq!(event.description.as_deref(), Some("每周同步进展与风险"));
    let start = event.start_time.expect("start");
    let end = event.end_time.expect("end");
    assert_eq!(start.timezone.as_deref(), Some("Asia/Shanghai"));
    let seconds = |time: Option<String>| time.expect("timestamp").parse::<i64>().expect("seconds");
    assert_eq!(seconds(end.timestamp) - seconds(start.timestamp), 3600);
    assert_eq!(event.visibility.as_deref(), Some("default"));
    assert_eq!(event.attendee_ability.as_deref(), Some("can_see_others"));
    assert_eq!(event.free_busy_status.as_deref(), Some("busy"));
    assert_eq!(event.status.as_deref(), Some("confirmed"));
    assert_eq!(event.color, Some(-1));
    assert_eq!(event.recurrence.as_deref(), Some("FREQ=WEEKLY;INTERVAL=1"));
    assert_eq!(event.is_exception, Some(false));
    assert!(event.create_time.is_some());
    assert!(
        event
            .app_link
            .is_some_and(|link| link.starts_with("https://applink.feishu.cn/"))
    );

    let vchat = event.vchat.expect("vchat");
    assert_eq!(vchat.vc_type.as_deref(), Some("vc"));
    assert!(
        vchat
            .meeting_url
            .is_some_and(|url| url.starts_with("https://vc.feishu.cn/j/"))
    );
    let settings = vchat
        .meeting_settings
        .expect("settings, for the organizer who asked");
    let bot = format!("ou_bot_{}", demo::APP_ID);
    assert_eq!(settings.owner_id.as_deref(), Some(bot.as_str()));
    assert_eq!(settings.assign_hosts, Some(vec![bot.clone()]));
    assert_eq!(
        settings.join_meeting_permission.as_deref(),
        Some("only_organization_employees")
    );
    assert_eq!(settings.open_lobby, Some(true));

    let location = event.location.expect("location");
    assert_eq!(location.name.as_deref(), Some("北京中关村会议室"));
    assert_eq!(location.latitude, Some(39.98));
    let reminders = event.reminders.expect("reminders");
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0].minutes, Some(5));

    let organizer = event.event_organizer.expect("organizer");
    assert_eq!(organizer.user_id.as_deref(), Some(bot.as_str()));

    // Four attendees, three asked for: the two users (by open id), then the room.
    let attendees = event.attendees.expect("attendees");
    assert_eq!(event.has_more_attendee, Some(true));
    let kinds: Vec<Option<&str>> = attendees.iter().map(|a| a.r#type.as_deref()).collect();
    assert_eq!(kinds, [Some("user"), Some("user"), Some("resource")]);
    let user_ids: Vec<Option<&str>> = attendees.iter().map(|a| a.user_id.as_deref()).collect();
    assert_eq!(
        user_ids,
        [Some(demo::COLLEAGUE_ID), Some(demo::USER_ID), None]
    );
    assert_eq!(attendees[1].display_name.as_deref(), Some("张三"));
    assert_eq!(attendees[1].rsvp_status.as_deref(), Some("needs_action"));
    assert_eq!(attendees[1].is_external, Some(false));
    assert_eq!(attendees[2].room_id.as_deref(), Some("omm_demo_room"));
    assert!(attendees.iter().all(|a| a.attendee_id.is_some()));

    let attachments = event.attachments.expect("attachments");
    assert_eq!(attachments.len(), 1);
    assert_eq!(attachments[0].file_size.as_deref(), Some("2345"));
    assert_eq!(attachments[0].name.as_deref(), Some("议程.pdf"));
    let check_in = event.event_check_in.expect("check-in");
    assert_eq!(check_in.enable_check_in, Some(true));
    let opens = check_in.check_in_start_time.expect("opens");
    assert_eq!(opens.time_type.as_deref(), Some("before_event_start"));
    assert_eq!(opens.duration, Some(15));
}

#[tokio::test]
async fn without_the_queries_attendees_and_meeting_settings_are_left_out() {
    let server = demo_server().await;
    let client = client_without_retries(&server);
    let event = event(&client, &demo_get(), Caller::App).await;
    assert_eq!(event.attendees, None);
    assert_eq!(event.has_more_attendee, None);
    assert_eq!(event.vchat.expect("vchat").meeting_settings, None);
    assert_eq!(event.summary.as_deref(), Some("周会"));
}

#[tokio::test]
async fn a_reader_sees_the_event_but_not_the_meeting_settings() {
    let server = demo_server().await;
    server.with_world(|world| {
        let calendar = world.calendars.get_mut(demo::CALENDAR_ID).unwrap();
        calendar
            .roles
            .insert(Identity::App(demo::APP_ID.into()), AccessRole::Reader);
    });
    let client = client_without_retries(&server);
    let request = demo_get().with_need_meeting_settings(true);
    let event = event(&client, &request, Caller::App).await;
    assert_eq!(event.vchat.expect("vchat").meeting_settings, None);
}

#[tokio::test]
async fn ids_follow_user_id_type_and_a_third_party_meeting_shows_its_link() {
    let server = demo_server().await;
    server.with_world(|world| {
        let event = world.event_mut(demo::CALENDAR_ID, demo::EVENT_ID).unwrap();
        event.video_meeting = VideoMeeting::ThirdParty {
            url: "https://meet.example.com/abc".into(),
            description: "发起视频会议".into(),
        };
    });
    let client = client_without_retries(&server);
    let request = demo_get()
        .with_need_attendee(true)
        .with_user_id_type(UserIdType::UnionId);
    let event = event(&client, &request, Caller::App).await;
    let attendees = event.attendees.expect("attendees");
    assert_eq!(attendees.len(), 4);
    assert_eq!(event.has_more_attendee, Some(false));
    assert_eq!(attendees[1].user_id.as_deref(), Some("on_demo_user"));
    assert_eq!(
        attendees[3].third_party_email.as_deref(),
        Some("partner@example.com")
    );
    let vchat = event.vchat.expect("vchat");
    assert_eq!(vchat.vc_type.as_deref(), Some("third_party"));
    assert_eq!(
        vchat.meeting_url.as_deref(),
        Some("https://meet.example.com/abc")
    );
    assert_eq!(vchat.description.as_deref(), Some("发起视频会议"));
}

#[tokio::test]
async fn an_exception_event_names_its_recurring_event() {
    let server = demo_server().await;
    const EXCEPTION: &str = "75d28f9b-e35c-4230-8a83-123_1602504000";
    server.with_world(|world| {
        let event = world
            .event_mut(demo::CALENDAR_ID, demo::EVENT_ID)
            .unwrap()
            .clone();
        let key = (demo::CALENDAR_ID.to_owned(), EXCEPTION.to_owned());
        world.events.insert(key, event);
    });
    let client = client_without_retries(&server);
    let event = event(&client, &get(demo::CALENDAR_ID, EXCEPTION), Caller::App).await;
    assert_eq!(event.is_exception, Some(true));
    assert_eq!(event.recurring_event_id.as_deref(), Some(demo::EVENT_ID));
}
