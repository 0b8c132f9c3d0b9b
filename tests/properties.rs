//! Property tests: no id changes the endpoint, no response bytes cause a panic.
//!
//! 10,000 cases per property by default; set `PROPTEST_CASES` for more.

use feishu_openapi::calendar::v4::types::UserIdType;
use feishu_openapi::calendar::v4::{
    GetEventRequest, ListCalendarEventRequest, UnbindMeetingChatError, UnbindMeetingChatRequest,
};
use feishu_openapi::calendar::{CalendarId, EventId, MeetingChatId};
use feishu_openapi::{AccessToken, BaseUrl, Endpoint, EndpointError, Id, IdKind};
use http::{HeaderMap, HeaderValue, StatusCode};
use percent_encoding::percent_decode_str;
use proptest::prelude::*;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(10_000);
    ProptestConfig::with_cases(cases)
}

/// Ids of any text, weighted toward the characters that matter in a URL.
fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9_./?#%@&=+;:, \\-\\\\日历\u{0}\r\n]{1,24}",
    ]
    .prop_filter("required, and not a dot segment", |id| {
        !matches!(id.as_str(), "" | "." | "..")
    })
}

/// Any text an id could be given, the values an id type refuses included.
fn id_candidate() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[./]{0,3}",
        Just(String::new()),
        Just(".".to_owned()),
        Just("..".to_owned()),
    ]
}

fn checked<K: IdKind>(value: &str) -> Id<K> {
    Id::new(value).expect("the strategy gives valid ids")
}

fn decode_segment(segment: &str) -> String {
    percent_decode_str(segment)
        .decode_utf8()
        .expect("UTF-8")
        .into_owned()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_ids_keep_the_template_shape(calendar_id in id(), event_id in id(), chat_id in id()) {
        let request =
            UnbindMeetingChatRequest::new(checked(&calendar_id), checked(&event_id), checked(&chat_id));
        let path_and_query = request.path_and_query();
        let (path, query) = path_and_query.split_once('?').expect("a query");
        let segments: Vec<&str> = path.split('/').collect();
        prop_assert_eq!(segments.len(), 9);
        prop_assert_eq!(&segments[..4], ["", "open-apis", "calendar", "v4"]);
        prop_assert_eq!(segments[4], "calendars");
        prop_assert_eq!(decode_segment(segments[5]), calendar_id);
        prop_assert_eq!(segments[6], "events");
        prop_assert_eq!(decode_segment(segments[7]), event_id);
        prop_assert_eq!(segments[8], "meeting_chat");

        let url = url::Url::parse(&format!("http://127.0.0.1{path_and_query}")).unwrap();
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        prop_assert_eq!(pairs, vec![("meeting_chat_id".to_owned(), chat_id)]);
        prop_assert_eq!(url.path(), path);
        prop_assert_eq!(url.query(), Some(query));

        let token = AccessToken::tenant("t-abc").unwrap();
        let base = BaseUrl::parse("http://127.0.0.1:9").unwrap();
        let http_request = request.http_request(&base, &token).unwrap();
        prop_assert_eq!(http_request.uri().host(), Some("127.0.0.1"));
        prop_assert_eq!(http_request.uri().path(), path);
        prop_assert_eq!(http_request.uri().query(), Some(query));
    }

    #[test]
    fn optional_query_values_are_sent_when_set_and_not_empty(
        page_size in proptest::option::of(any::<i64>()),
        strings in proptest::collection::vec(proptest::option::of(prop_oneof![Just(String::new()), any::<String>()]), 5),
        user_id_type in proptest::option::of(prop_oneof![Just(UserIdType::OpenId), Just(UserIdType::UnionId), Just(UserIdType::UserId)]),
        need_attendee in proptest::option::of(any::<bool>()),
    ) {
        // Strings: anchor_time, page_token, sync_token, start_time, end_time, in that order.
        let mut request = ListCalendarEventRequest::new(checked("cal"));
        request.page_size = page_size;
        request.anchor_time = strings[0].clone();
        request.page_token = strings[1].clone();
        request.sync_token = strings[2].clone();
        request.start_time = strings[3].clone();
        request.end_time = strings[4].clone();
        request.user_id_type = user_id_type;
        let mut expected: Vec<(String, String)> = Vec::new();
        if let Some(size) = page_size {
            expected.push(("page_size".to_owned(), size.to_string()));
        }
        let names = ["anchor_time", "page_token", "sync_token", "start_time", "end_time"];
        for (name, value) in names.iter().zip(&strings) {
            if let Some(value) = value.as_ref().filter(|value| !value.is_empty()) {
                expected.push(((*name).to_owned(), value.clone()));
            }
        }
        if let Some(kind) = user_id_type {
            expected.push(("user_id_type".to_owned(), kind.as_str().to_owned()));
        }
        let path_and_query = request.path_and_query();
        let url = url::Url::parse(&format!("http://127.0.0.1{path_and_query}")).unwrap();
        prop_assert_eq!(url.path(), "/open-apis/calendar/v4/calendars/cal/events");
        prop_assert_eq!(url.query().is_some(), !expected.is_empty(), "{}", path_and_query);
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        prop_assert_eq!(pairs, expected);

        let get = GetEventRequest::new(checked("cal"), checked("ev"));
        let get = match need_attendee {
            Some(need) => get.with_need_attendee(need),
            None => get,
        };
        let expected_get = need_attendee.map(|need| format!("?need_attendee={need}")).unwrap_or_default();
        prop_assert_eq!(get.path_and_query(), format!("/open-apis/calendar/v4/calendars/cal/events/ev{expected_get}"));
    }

    #[test]
    fn an_id_is_refused_exactly_when_empty_or_a_dot_segment(value in id_candidate()) {
        // Path ids refuse `.` and `..`; `meeting_chat_id`, only ever in a query, refuses only
        // the empty value.
        let refused = matches!(value.as_str(), "" | "." | "..");
        let calendar_id = CalendarId::new(value.as_str());
        let event_id = EventId::new(value.as_str());
        let chat_id = MeetingChatId::new(value.as_str());
        prop_assert_eq!(calendar_id.is_err(), refused);
        prop_assert_eq!(event_id.is_err(), refused);
        prop_assert_eq!(chat_id.is_err(), value.is_empty());
        match calendar_id {
            Ok(id) => {
                prop_assert_eq!(id.as_str(), value.as_str());
                prop_assert_eq!(id.to_string(), value);
            }
            Err(err) => prop_assert_eq!(err.param(), "calendar_id"),
        }
    }

    #[test]
    fn any_response_bytes_decode_without_panic(
        status in 100u16..600,
        body in prop::collection::vec(any::<u8>(), 0..600),
        log_id in prop::option::of(prop::collection::vec(any::<u8>(), 0..40)),
    ) {
        let status = StatusCode::from_u16(status).unwrap();
        let mut headers = HeaderMap::new();
        if let Some(value) = log_id.and_then(|bytes| HeaderValue::from_bytes(&bytes).ok()) {
            headers.insert("x-tt-logid", value);
        }
        match UnbindMeetingChatRequest::decode_response(status, &headers, &body) {
            Ok(response) => prop_assert!(status.is_success(), "{:?}", response),
            Err(err) => {
                prop_assert_eq!(err.http_status(), status);
                prop_assert!(!err.to_string().is_empty());
                if let UnbindMeetingChatError::MalformedResponse(malformed) = &err {
                    prop_assert!(malformed.excerpt.len() <= 256 * 3);
                    prop_assert_eq!(malformed.body_len, body.len());
                }
            }
        }
    }

    #[test]
    fn any_envelope_decodes_by_its_code(
        status in prop_oneof![Just(200u16), Just(400), Just(403), Just(404), Just(429), Just(500), 100u16..600],
        code in prop_oneof![Just(0i64), 190002i64..195110, any::<i64>()],
        msg in any::<String>(),
        data in prop_oneof![
            Just(None),
            Just(Some("null".to_owned())),
            Just(Some("{}".to_owned())),
            Just(Some(r#"{"a":[1,2,{"b":null}]}"#.to_owned())),
        ],
    ) {
        let mut body = serde_json::json!({ "code": code, "msg": msg });
        if let Some(data) = &data {
            body["data"] = serde_json::from_str(data).unwrap();
        }
        let body = serde_json::to_vec(&body).unwrap();
        let status = StatusCode::from_u16(status).unwrap();
        let result = UnbindMeetingChatRequest::decode_response(status, &HeaderMap::new(), &body);
        match (code, status.is_success()) {
            (0, true) => prop_assert!(result.is_ok()),
            (0, false) => prop_assert!(matches!(result, Err(UnbindMeetingChatError::MalformedResponse(_)))),
            (code, _) => {
                let err = result.unwrap_err();
                prop_assert_eq!(err.code(), Some(code));
                match err.documented() {
                    Some(row) => prop_assert_eq!(row.code, code),
                    None => prop_assert!(matches!(&err, UnbindMeetingChatError::Unknown(r) if r.msg == msg)),
                }
            }
        }
    }
}
