//! Requests built from the page's examples and from hostile ids always hit the right endpoint.

use feishu_openapi::calendar::v4::UnbindMeetingChatRequest;
use feishu_openapi::calendar::v4::unbind_meeting_chat::{self, OPERATION, OPERATION_ID};
use feishu_openapi::calendar::{CalendarId, EventId, MeetingChatId};
use feishu_openapi::{
    AccessToken, AppType, BaseUrl, BuildRequestError, Endpoint, InvalidParam, InvalidParamReason,
    InvalidToken, Operation, PathAndQuery, RatePeriod, TokenType,
};
use feishu_openapi_tests::doc_pages_dir;
use percent_encoding::percent_decode_str;

const CALENDAR_ID: &str = "feishu.cn_xxx@group.calendar.feishu.cn";
const EVENT_ID: &str = "75d28f9b-e35c-4230-8a83-123_0";
const MEETING_CHAT_ID: &str = "oc_xxx";
const TOKEN: &str = "u-7f1bcd13fc57d46bac21793a18e560";

/// The unbind request for three ids, each checked by its id type.
fn unbind(
    calendar_id: &str,
    event_id: &str,
    meeting_chat_id: &str,
) -> Result<UnbindMeetingChatRequest, InvalidParam> {
    Ok(UnbindMeetingChatRequest::new(
        CalendarId::new(calendar_id)?,
        EventId::new(event_id)?,
        MeetingChatId::new(meeting_chat_id)?,
    ))
}

fn page() -> String {
    std::fs::read_to_string(doc_pages_dir().join("calendar-v4-event-meeting-chat-delete.md"))
        .unwrap_or_else(|err| panic!("the upstream page must be readable: {err}"))
}

#[test]
fn the_page_examples_build_the_documented_request() {
    let request = unbind(CALENDAR_ID, EVENT_ID, MEETING_CHAT_ID).unwrap();
    let token = AccessToken::user(TOKEN).unwrap();
    let http_request = request.http_request(&BaseUrl::FEISHU, &token).unwrap();
    assert_eq!(http_request.method(), http::Method::DELETE);
    assert_eq!(
        http_request.uri().to_string(),
        "https://open.feishu.cn/open-apis/calendar/v4/calendars/feishu.cn_xxx@group.calendar.feishu.cn\
         /events/75d28f9b-e35c-4230-8a83-123_0/meeting_chat?meeting_chat_id=oc_xxx"
    );
    // The page's own example header value.
    assert_eq!(
        http_request.headers()[http::header::AUTHORIZATION],
        "Bearer u-7f1bcd13fc57d46bac21793a18e560"
    );
    assert!(http_request.headers()[http::header::AUTHORIZATION].is_sensitive());
    assert!(http_request.body().is_empty());
    assert_eq!(
        (
            request.calendar_id.as_str(),
            request.event_id.as_str(),
            request.meeting_chat_id.as_str()
        ),
        (CALENDAR_ID, EVENT_ID, MEETING_CHAT_ID)
    );
    let lark = request.http_request(&BaseUrl::LARK, &token).unwrap();
    assert!(
        lark.uri()
            .to_string()
            .starts_with("https://open.larksuite.com/open-apis/calendar/v4/")
    );
}

#[test]
fn the_operation_carries_the_page_facts() {
    let page = page();
    assert_eq!(
        OPERATION_ID,
        "calendar.v4.calendar_event_meeting_chat.delete"
    );
    assert_eq!(OPERATION.id, OPERATION_ID);
    assert_eq!(OPERATION.method, http::Method::DELETE);
    assert!(page.contains(&format!("HTTP Method | {}", OPERATION.method)));
    assert!(page.contains(&format!(
        "https://open.feishu.cn{}",
        OPERATION.path_template
    )));
    assert_eq!(OPERATION.token_types, [TokenType::Tenant, TokenType::User]);
    let scope_names: Vec<&str> = OPERATION.scopes.iter().map(|s| s.name).collect();
    assert_eq!(
        scope_names,
        ["calendar:calendar", "calendar:calendar.event:update"]
    );
    for scope in OPERATION.scopes {
        assert!(
            page.contains(&format!("{}({})", scope.label_zh, scope.name)),
            "{scope:?}"
        );
    }
    let rate_limits: Vec<(u32, RatePeriod)> = OPERATION
        .rate_limits
        .iter()
        .map(|limit| (limit.limit, limit.period))
        .collect();
    assert_eq!(
        rate_limits,
        [(1000, RatePeriod::Minute), (50, RatePeriod::Second)]
    );
    assert!(page.contains("1000 次/分钟、50 次/秒"));
    assert_eq!(OPERATION.app_types, [AppType::Custom, AppType::Store]);
    assert!(page.contains("自建应用、商店应用"));
    for example in [CALENDAR_ID, EVENT_ID, MEETING_CHAT_ID] {
        assert!(page.contains(example), "{example}");
    }
    assert_eq!(UnbindMeetingChatRequest::OPERATION.id, OPERATION_ID);
}

/// Splits a rendered path into its segments, percent-decoded.
fn decoded_segments(path: &str) -> Vec<String> {
    path.split('/')
        .skip(1)
        .map(|segment| {
            percent_decode_str(segment)
                .decode_utf8()
                .unwrap()
                .into_owned()
        })
        .collect()
}

#[test]
fn hostile_ids_stay_inside_their_segment() {
    let hostile = [
        "a/b",
        "../../admin",
        "x?meeting_chat_id=oc_evil",
        "x#fragment",
        "100%",
        "%2F%2e%2e",
        "with space",
        "日历 ID",
        "a@b:c;d,e=f&g+h",
        "\r\nHost: evil.example",
        "...",
        "tab\there",
    ];
    for id in hostile {
        let request = unbind(id, id, id).unwrap();
        let path_and_query = request.path_and_query();
        let (path, query) = path_and_query.split_once('?').expect("one query separator");
        assert_eq!(
            decoded_segments(path),
            [
                "open-apis",
                "calendar",
                "v4",
                "calendars",
                id,
                "events",
                id,
                "meeting_chat"
            ],
            "{id:?} rendered as {path_and_query}"
        );
        let (name, value) = query.split_once('=').unwrap();
        assert_eq!(name, "meeting_chat_id");
        assert!(!value.contains(['&', '=', '#', '?']), "{value}");
        assert_eq!(percent_decode_str(value).decode_utf8().unwrap(), id);

        let token = AccessToken::tenant("t-abc").unwrap();
        let base = BaseUrl::parse("http://127.0.0.1:8080").unwrap();
        let http_request = request.http_request(&base, &token).unwrap();
        let uri = http_request.uri();
        assert_eq!(uri.host(), Some("127.0.0.1"));
        assert_eq!(uri.port_u16(), Some(8080));
        assert_eq!(uri.path(), path);
        assert_eq!(uri.query(), Some(query));
    }
}

#[test]
fn empty_and_dot_ids_are_refused() {
    let cases = [
        (
            ("", EVENT_ID, MEETING_CHAT_ID),
            "calendar_id",
            InvalidParamReason::Empty,
        ),
        (
            (CALENDAR_ID, "", MEETING_CHAT_ID),
            "event_id",
            InvalidParamReason::Empty,
        ),
        (
            (CALENDAR_ID, EVENT_ID, ""),
            "meeting_chat_id",
            InvalidParamReason::Empty,
        ),
        (
            (".", EVENT_ID, MEETING_CHAT_ID),
            "calendar_id",
            InvalidParamReason::DotSegment,
        ),
        (
            (CALENDAR_ID, "..", MEETING_CHAT_ID),
            "event_id",
            InvalidParamReason::DotSegment,
        ),
    ];
    for ((calendar_id, event_id, meeting_chat_id), param, reason) in cases {
        let err = unbind(calendar_id, event_id, meeting_chat_id).unwrap_err();
        assert_eq!((err.param(), err.reason()), (param, reason));
        assert!(err.to_string().contains(param), "{err}");
    }
    // `meeting_chat_id` only ever goes in a query, where a dot cannot change the path: it may
    // be one, and is sent encoded as any other value.
    let dotted = unbind(CALENDAR_ID, EVENT_ID, "..").expect("a query value may be dots");
    assert!(dotted.path_and_query().ends_with("?meeting_chat_id=.."));
    assert_eq!(
        MeetingChatId::new("").unwrap_err().reason(),
        InvalidParamReason::Empty
    );
    // The same checks through `TryFrom` and `FromStr`.
    assert_eq!(
        CalendarId::try_from("").unwrap_err().reason(),
        InvalidParamReason::Empty
    );
    assert_eq!(
        ".".parse::<EventId>().unwrap_err().reason(),
        InvalidParamReason::DotSegment
    );
    assert_eq!(
        CalendarId::try_from(CALENDAR_ID.to_owned()).unwrap(),
        CALENDAR_ID
    );
}

#[test]
fn tokens_that_would_corrupt_the_header_are_refused() {
    assert_eq!(AccessToken::tenant("").unwrap_err(), InvalidToken::Empty);
    for (token, position) in [
        ("t-abc\r\nX-Injected: 1", 5),
        ("t-abc\n", 5),
        ("t abc", 1),
        ("t-\u{7f}", 2),
        ("t-令牌", 2),
        ("\0", 0),
    ] {
        let err = AccessToken::user(token).unwrap_err();
        assert_eq!(err, InvalidToken::InvalidByte { position }, "{token:?}");
        assert!(
            !err.to_string().contains(token),
            "the error must not echo the token"
        );
    }
}

#[test]
fn secrets_never_show_in_debug_output() {
    let secret = "t-g1044qeGEDXTB6NDJOGV4JQCYDGHRBARFTGT1234";
    let token = AccessToken::tenant(secret).unwrap();
    assert!(!format!("{token:?}").contains(secret));
    assert!(!format!("{token:#?}").contains(secret));
    let request = unbind(CALENDAR_ID, EVENT_ID, MEETING_CHAT_ID).unwrap();
    let http_request = request.http_request(&BaseUrl::FEISHU, &token).unwrap();
    assert!(
        !format!("{http_request:?}").contains(secret),
        "{http_request:?}"
    );
}

#[test]
fn base_urls_that_would_move_the_endpoint_are_refused() {
    for url in [
        "ftp://open.feishu.cn",
        "open.feishu.cn",
        "https://open.feishu.cn/prefix",
        "https://open.feishu.cn?x=1",
        "https://open.feishu.cn#x",
        "https://user:pass@open.feishu.cn",
        "",
    ] {
        let err = BaseUrl::parse(url).unwrap_err();
        assert!(err.to_string().contains("invalid base URL"), "{url}: {err}");
    }
    assert_eq!(
        BaseUrl::parse("https://open.feishu.cn/").unwrap(),
        BaseUrl::FEISHU
    );
    assert_eq!(
        BaseUrl::parse("http://[::1]:9").unwrap().as_str(),
        "http://[::1]:9"
    );
}

/// The unbind endpoint as if its page accepted only tenant tokens.
struct TenantOnlyUnbind(UnbindMeetingChatRequest);

/// `Operation` is `#[non_exhaustive]`: outside the runtime, only its constructor and `with_`
/// methods build one. `http::Method` is not `Copy`, so the method is spelled out rather than
/// read from the endpoint's `OPERATION`.
static TENANT_ONLY: Operation = Operation::new(
    OPERATION_ID,
    http::Method::DELETE,
    unbind_meeting_chat::OPERATION.path_template,
)
.with_title(
    unbind_meeting_chat::OPERATION.title_zh,
    unbind_meeting_chat::OPERATION.title_en,
)
.with_token_types(&[TokenType::Tenant])
.with_scopes(unbind_meeting_chat::OPERATION.scopes)
.with_field_scopes(unbind_meeting_chat::OPERATION.field_scopes)
.with_rate_limits(unbind_meeting_chat::OPERATION.rate_limits)
.with_app_types(unbind_meeting_chat::OPERATION.app_types)
.with_doc_url(unbind_meeting_chat::OPERATION.doc_url)
.with_unknown_outcome(unbind_meeting_chat::OPERATION.unknown_outcome);

impl Endpoint for TenantOnlyUnbind {
    const OPERATION: &'static Operation = &TENANT_ONLY;
    type Response = <UnbindMeetingChatRequest as Endpoint>::Response;
    type Error = <UnbindMeetingChatRequest as Endpoint>::Error;

    fn write_path_and_query(&self, out: &mut PathAndQuery) {
        self.0.write_path_and_query(out);
    }
}

#[test]
fn a_token_type_the_endpoint_does_not_accept_is_an_error() {
    let request = unbind(CALENDAR_ID, EVENT_ID, MEETING_CHAT_ID).unwrap();
    for token in [
        AccessToken::tenant("t-1").unwrap(),
        AccessToken::user("u-1").unwrap(),
    ] {
        assert!(request.http_request(&BaseUrl::FEISHU, &token).is_ok());
    }
    // Spelled out above: the same endpoint but for the token types.
    assert_eq!(TENANT_ONLY.method, OPERATION.method);
    let tenant_only = TenantOnlyUnbind(request);
    let tenant = AccessToken::tenant("t-1").unwrap();
    assert!(tenant_only.http_request(&BaseUrl::FEISHU, &tenant).is_ok());
    let user = AccessToken::user("u-1").unwrap();
    let err = tenant_only
        .http_request(&BaseUrl::FEISHU, &user)
        .unwrap_err();
    assert_eq!(
        err,
        BuildRequestError::TokenTypeNotAccepted {
            operation: OPERATION_ID,
            token_type: TokenType::User,
        }
    );
    assert_eq!(
        err.to_string(),
        "calendar.v4.calendar_event_meeting_chat.delete does not accept a user_access_token"
    );
}

#[test]
fn every_base_url_gives_the_request_its_scheme_host_and_port() {
    let request = unbind("cal", "ev", "oc").unwrap();
    let token = AccessToken::tenant("t-abc").unwrap();
    for (base, expected) in [
        (BaseUrl::FEISHU, "https://open.feishu.cn"),
        (BaseUrl::LARK, "https://open.larksuite.com"),
        (BaseUrl::parse("http://[::1]:9").unwrap(), "http://[::1]:9"),
        (
            BaseUrl::parse("https://proxy.example.com:8443/").unwrap(),
            "https://proxy.example.com:8443",
        ),
    ] {
        let uri = request
            .http_request(&base, &token)
            .unwrap()
            .uri()
            .to_string();
        assert_eq!(
            uri,
            format!(
                "{expected}/open-apis/calendar/v4/calendars/cal/events/ev/meeting_chat?meeting_chat_id=oc"
            )
        );
    }
}
