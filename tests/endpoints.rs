//! The four endpoints beyond unbind: requests with optional typed queries, and their pages'
//! response examples decoded into the generated data types.

use feishu_openapi::calendar::v4::create_meeting_chat::CreateMeetingChatRequest;
use feishu_openapi::calendar::v4::delete_event::{DeleteEventRequest, NeedNotification};
use feishu_openapi::calendar::v4::get_event::{self, GetEventRequest};
use feishu_openapi::calendar::v4::primary_calendar::{self, PrimaryCalendarRequest};
use feishu_openapi::calendar::{CalendarId, EventId};
use feishu_openapi::{AccessToken, BaseUrl, Endpoint, EndpointError, InvalidParamReason};
use feishu_openapi_codegen::load::RawEndpoint;
use feishu_openapi_tests::workspace_root;
use http::{HeaderMap, Method, StatusCode};

fn token() -> AccessToken {
    AccessToken::user("u-7f1bcd13fc57d46bac21793a18e560").expect("token")
}

/// The 响应体示例 of a spec, as the page gives it.
fn page_example(operation_id: &str) -> Vec<u8> {
    let path = workspace_root().join(format!("spec/{operation_id}.yaml"));
    let text = std::fs::read_to_string(&path).expect("spec");
    let spec: RawEndpoint = serde_yaml::from_str(&text).expect("spec parses");
    spec.response.example.into_bytes()
}

fn calendar_id(value: &str) -> CalendarId {
    CalendarId::new(value).expect("valid calendar id")
}

fn event_id(value: &str) -> EventId {
    EventId::new(value).expect("valid event id")
}

fn uri<E: Endpoint>(request: &E, method: Method) -> String {
    let http = request
        .http_request(&BaseUrl::FEISHU, &token())
        .expect("request");
    assert_eq!(http.method(), method);
    assert!(http.body().is_empty());
    http.uri().to_string()
}

#[test]
fn create_meeting_chat_posts_to_the_event_and_reads_its_data() {
    let request = CreateMeetingChatRequest::new(
        calendar_id("cal_1@group.calendar.feishu.cn"),
        event_id("ev/1"),
    );
    assert_eq!(
        uri(&request, Method::POST),
        "https://open.feishu.cn/open-apis/calendar/v4/calendars/cal_1@group.calendar.feishu.cn/events/ev%2F1/meeting_chat"
    );
    let body = page_example("calendar.v4.calendar_event_meeting_chat.create");
    let data = CreateMeetingChatRequest::decode_response(StatusCode::OK, &HeaderMap::new(), &body)
        .expect("example decodes")
        .data;
    assert_eq!(data.meeting_chat_id.as_deref(), Some("oc_xxx"));
    assert_eq!(
        data.applink.as_deref(),
        Some("https://example.cn?openChatId=oc_xxx")
    );
}

#[test]
fn delete_event_sends_its_optional_enum_only_when_set() {
    let request = DeleteEventRequest::new(calendar_id("cal"), event_id("ev_0"));
    assert_eq!(request.need_notification, None);
    assert_eq!(
        uri(&request, Method::DELETE),
        "https://open.feishu.cn/open-apis/calendar/v4/calendars/cal/events/ev_0"
    );
    let request = request.with_need_notification(NeedNotification::False);
    assert_eq!(request.need_notification, Some(NeedNotification::False));
    assert_eq!(
        request.path_and_query(),
        "/open-apis/calendar/v4/calendars/cal/events/ev_0?need_notification=false"
    );
    assert_eq!(NeedNotification::True.as_str(), "true");
    let empty = EventId::new("").expect_err("empty id");
    assert_eq!(
        (empty.param(), empty.reason()),
        ("event_id", InvalidParamReason::Empty)
    );
}

#[test]
fn primary_calendar_posts_with_an_optional_user_id_type_and_reads_nested_data() {
    let request = PrimaryCalendarRequest::new();
    assert_eq!(request, PrimaryCalendarRequest::default());
    assert_eq!(
        uri(&request, Method::POST),
        "https://open.feishu.cn/open-apis/calendar/v4/calendars/primary"
    );
    let request = request.with_user_id_type(primary_calendar::UserIdType::UnionId);
    assert_eq!(
        request.path_and_query(),
        "/open-apis/calendar/v4/calendars/primary?user_id_type=union_id"
    );

    let body = page_example("calendar.v4.calendar.primary");
    let data = PrimaryCalendarRequest::decode_response(StatusCode::OK, &HeaderMap::new(), &body)
        .expect("example decodes")
        .data;
    let calendars = data.calendars.expect("calendars");
    assert_eq!(calendars.len(), 1);
    assert_eq!(calendars[0].user_id.as_deref(), Some("ou_xxxxxx"));
    let calendar = calendars[0].calendar.as_ref().expect("calendar");
    assert_eq!(calendar.color, Some(-1));
    assert_eq!(calendar.role.as_deref(), Some("owner"));
    assert_eq!(calendar.is_third_party, Some(false));
    // The 字段权限要求 row: without this scope the user_id fields are left out.
    let field_scopes: Vec<&str> = primary_calendar::OPERATION
        .field_scopes
        .iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(field_scopes, ["contact:user.employee_id:readonly"]);
}

#[test]
fn get_event_writes_bool_int_and_enum_queries_in_page_order() {
    let request = GetEventRequest::new(calendar_id("cal"), event_id("ev_1602504000"))
        .with_user_id_type(get_event::UserIdType::UserId)
        .with_max_attendee_num(100)
        .with_need_attendee(true);
    assert_eq!(
        uri(&request, Method::GET),
        "https://open.feishu.cn/open-apis/calendar/v4/calendars/cal/events/ev_1602504000\
         ?need_attendee=true&max_attendee_num=100&user_id_type=user_id"
    );
    assert_eq!(request.need_meeting_settings, None);
    assert_eq!(request.max_attendee_num, Some(100));
}

#[test]
fn get_event_reads_the_whole_deep_example() {
    let body = page_example("calendar.v4.calendar_event.get");
    let event = GetEventRequest::decode_response(StatusCode::OK, &HeaderMap::new(), &body)
        .expect("example decodes")
        .data
        .event
        .expect("event");
    assert_eq!(event.summary.as_deref(), Some("日程标题"));
    let start = event.start_time.expect("start");
    assert_eq!(start.timestamp.as_deref(), Some("1602504000"));
    let settings = event
        .vchat
        .and_then(|v| v.meeting_settings)
        .expect("settings");
    assert_eq!(
        settings.assign_hosts.as_deref(),
        Some(&["ou_7d8a6e6df7621556ce0d21922b676706ccs".to_owned()][..])
    );
    assert_eq!(settings.open_lobby, Some(true));
    let location = event.location.expect("location");
    assert!((location.latitude.expect("latitude") - 1.1).abs() < 1e-6);
    assert_eq!(event.reminders.expect("reminders")[0].minutes, Some(5));
    let attendee = &event.attendees.expect("attendees")[0];
    assert_eq!(attendee.r#type.as_deref(), Some("user"));
    let member = &attendee.chat_members.as_ref().expect("members")[0];
    assert_eq!(member.display_name.as_deref(), Some("zhangsan"));
    let check_in = event.event_check_in.expect("check-in");
    let end = check_in.check_in_end_time.expect("end");
    assert_eq!(
        (end.time_type.as_deref(), end.duration),
        (Some("after_event_end"), Some(0))
    );
    assert_eq!(
        event.attachments.expect("attachments")[0]
            .file_size
            .as_deref(),
        Some("2345")
    );
}

#[test]
fn a_missing_field_reads_as_none_and_a_mistyped_one_is_malformed() {
    let body = br#"{"code":0,"msg":"success","data":{"event":{"summary":"s"}}}"#;
    let event = GetEventRequest::decode_response(StatusCode::OK, &HeaderMap::new(), body)
        .expect("decodes")
        .data
        .event
        .expect("event");
    assert_eq!(event.summary.as_deref(), Some("s"));
    assert_eq!(event.attendees, None);

    let body = br#"{"code":0,"msg":"success","data":{"event":{"color":"red"}}}"#;
    let err = GetEventRequest::decode_response(StatusCode::OK, &HeaderMap::new(), body)
        .expect_err("color is an int");
    assert_eq!(err.code(), None);
    assert!(err.to_string().contains("`data` does not fit"), "{err}");
}
