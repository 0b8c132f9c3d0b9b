//! Every row of the page's error table decodes to its code, and responses that are not the
//! envelope become typed errors.

use feishu_openapi::calendar::v4::unbind_meeting_chat::{ERROR_CODES, OPERATION_ID};
use feishu_openapi::calendar::v4::{UnbindMeetingChatError, UnbindMeetingChatRequest};
use feishu_openapi::calendar::{CalendarError, CalendarErrorCode};
use feishu_openapi::{Endpoint, EndpointError, LOG_ID_HEADER, ServiceCodes};
use feishu_openapi_codegen::load_specs;
use feishu_openapi_tests::{doc_pages_dir, workspace_root};
use http::{HeaderMap, HeaderValue, StatusCode};

const PAGE: &str = "calendar-v4-event-meeting-chat-delete.md";
const LOG_ID: &str = "202407161530000102030405060708";

fn headers_with_log_id() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("X-Tt-Logid", HeaderValue::from_static(LOG_ID));
    headers
}

fn decode(status: u16, body: &[u8]) -> Result<(), UnbindMeetingChatError> {
    let status = StatusCode::from_u16(status).unwrap();
    UnbindMeetingChatRequest::decode_response(status, &headers_with_log_id(), body).map(|_| ())
}

/// (status, code, message) of every row of the page's 错误码 table.
fn page_error_rows() -> Vec<(u16, i64, String)> {
    let page = std::fs::read_to_string(doc_pages_dir().join(PAGE))
        .unwrap_or_else(|err| panic!("the upstream page {PAGE} must be readable: {err}"));
    let table = page
        .split("### 错误码")
        .nth(1)
        .expect("the page has an error table");
    table
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split(" | ").collect();
            let status = cells.first()?.trim().parse().ok()?;
            let code = cells.get(1)?.trim().parse().ok()?;
            Some((status, code, cells.get(2)?.trim().to_owned()))
        })
        .collect()
}

#[test]
fn the_generated_table_holds_every_row_of_the_page() {
    let page_rows = page_error_rows();
    assert_eq!(page_rows.len(), 21);
    let generated: Vec<(u16, i64, String)> = ERROR_CODES
        .iter()
        .map(|row| (row.http_status, row.code, row.message.to_owned()))
        .collect();
    assert_eq!(generated, page_rows);
}

#[test]
fn every_documented_code_decodes_to_its_code_with_status_retry_and_log_id() {
    let endpoint = load_specs(&workspace_root().join("spec"))
        .unwrap_or_else(|err| panic!("{err}"))
        .into_iter()
        .find(|e| e.operation_id == OPERATION_ID)
        .expect("the unbind spec");
    assert_eq!(endpoint.errors.len(), ERROR_CODES.len());
    for (spec_row, row) in endpoint.errors.iter().zip(ERROR_CODES) {
        let body = format!(
            r#"{{"code":{},"msg":"{}","data":{{}}}}"#,
            row.code, row.message
        );
        let err = decode(row.http_status, body.as_bytes()).expect_err("an error code");
        let debug = format!("{err:?}");
        assert!(
            debug.starts_with(&format!("Documented({}, ", spec_row.variant)),
            "code {} decoded to {debug}",
            row.code
        );
        let code = err.documented_code().expect("a documented code");
        assert_eq!(format!("{code:?}"), spec_row.variant);
        assert_eq!(CalendarErrorCode::from_code(row.code), Some(code));
        assert_eq!(code.row().code, row.code);
        assert!(matches!(&err, UnbindMeetingChatError::Documented(c, _) if *c == code));
        assert_eq!(err.code(), Some(row.code));
        assert_eq!(err.http_status().as_u16(), row.http_status);
        assert_eq!(err.message(), row.message);
        assert_eq!(err.is_retryable(), row.retryable, "code {}", row.code);
        assert_eq!(err.is_retryable(), spec_row.retryable);
        assert_eq!(err.log_id(), Some(LOG_ID));
        assert_eq!(err.documented(), Some(row));
        let shown = err.to_string();
        assert!(
            shown.contains(&row.code.to_string()) && shown.contains(LOG_ID),
            "{shown}"
        );
        // The same answers through the trait a generic client uses.
        let dyn_err: &dyn EndpointError = &err;
        assert_eq!(dyn_err.code(), Some(row.code));
        assert_eq!(dyn_err.is_retryable(), row.retryable);
        // The service's error names the code alike, whichever endpoint answered.
        let service: CalendarError = err.clone().into_service();
        assert_eq!(service.documented_code(), Some(code));
        assert!(
            format!("{service:?}").starts_with(&format!("Documented({}, ", spec_row.variant)),
            "code {} became {service:?}",
            row.code
        );
        assert_eq!(service.response(), err.response());
        assert_eq!(service.documented().map(|row| row.code), Some(row.code));
        assert_eq!(service.is_retryable(), row.retryable, "code {}", row.code);
    }
}

#[test]
fn retry_helps_exactly_for_rate_limits_and_internal_errors() {
    let retryable: Vec<i64> = ERROR_CODES
        .iter()
        .filter(|r| r.retryable)
        .map(|r| r.code)
        .collect();
    assert_eq!(retryable, [190003, 190004, 190005, 190010]);
}

#[test]
fn an_undocumented_code_keeps_its_code_and_msg() {
    let err = decode(400, br#"{"code":1234567,"msg":"something new"}"#).unwrap_err();
    let UnbindMeetingChatError::Unknown(response) = &err else {
        panic!("expected Unknown, got {err:?}");
    };
    assert_eq!(
        (response.code, response.msg.as_str()),
        (1234567, "something new")
    );
    assert_eq!(err.message(), "something new");
    assert_eq!(err.documented(), None);
    assert!(
        matches!(err.clone().into_service(), CalendarError::Unknown(r) if r == *response),
        "the service does not know it either"
    );
    assert!(!err.is_retryable());
    assert!(
        decode(503, br#"{"code":1234567,"msg":"busy"}"#)
            .unwrap_err()
            .is_retryable()
    );
}

#[test]
fn success_decodes_to_empty_data_with_the_log_id() {
    let body = br#"{"code":0,"msg":"success","data":{}}"#;
    let response =
        UnbindMeetingChatRequest::decode_response(StatusCode::OK, &headers_with_log_id(), body)
            .unwrap();
    assert_eq!(response.log_id.as_deref(), Some(LOG_ID));
    for body in [
        &br#"{"code":0,"msg":"success"}"#[..],
        br#"{"code":0,"msg":"success","data":null}"#,
        br#"{"code":0,"msg":"success","data":{"extra":1},"more":true}"#,
    ] {
        assert!(
            decode(200, body).is_ok(),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn a_missing_msg_reads_as_empty() {
    assert!(decode(200, br#"{"code":0,"data":{}}"#).is_ok());
    let err = decode(404, br#"{"code":193001}"#).unwrap_err();
    assert!(matches!(
        &err,
        UnbindMeetingChatError::Documented(CalendarErrorCode::EventNotFound, r) if r.msg.is_empty()
    ));
    assert_eq!(
        err.message(),
        "event not found",
        "the documented message stands in"
    );
}

#[test]
fn a_non_zero_code_is_an_error_even_with_status_200() {
    let err = decode(200, br#"{"code":195108,"msg":"chat not match with event"}"#).unwrap_err();
    assert!(matches!(
        err,
        UnbindMeetingChatError::Documented(CalendarErrorCode::ChatNotMatchWithEvent, _)
    ));
    assert_eq!(err.http_status(), StatusCode::OK);
}

#[test]
fn the_log_id_falls_back_to_the_body() {
    let body = br#"{"code":191000,"msg":"calendar not found","error":{"log_id":"from-body"}}"#;
    let err =
        UnbindMeetingChatRequest::decode_response(StatusCode::NOT_FOUND, &HeaderMap::new(), body)
            .unwrap_err();
    assert!(matches!(
        err,
        UnbindMeetingChatError::Documented(CalendarErrorCode::CalendarNotFound, _)
    ));
    assert_eq!(err.log_id(), Some("from-body"));
}

#[test]
fn bodies_that_are_not_the_envelope_are_malformed_responses() {
    let gateway_page = b"<html><head><title>502 Bad Gateway</title></head></html>";
    let cases: [(u16, &[u8], &str); 10] = [
        (502, gateway_page, "not the JSON envelope"),
        (200, b"", "body is empty"),
        (200, br#"{"code":0,"msg":"succ"#, "cut off"),
        (
            400,
            br#"{"code":"190002","msg":"invalid parameters in request"}"#,
            "invalid type",
        ),
        (200, br#"{"msg":"no code"}"#, "missing field `code`"),
        (
            403,
            br#"{"code":0,"msg":"success","data":{}}"#,
            "code 0 (success) with HTTP status 403",
        ),
        (
            200,
            br#"{"code":0,"msg":"success","data":[]}"#,
            "`data` is not an object",
        ),
        (
            200,
            br#"{"code":0,"msg":"success","data":5}"#,
            "`data` is not an object",
        ),
        (
            200,
            br#"{"code":0,"msg":"success","data":"{}"}"#,
            "`data` is not an object",
        ),
        (
            200,
            br#"{"code":0,"msg":"success","data":{}} trailing"#,
            "trailing characters",
        ),
    ];
    for (status, body, reason) in cases {
        let err = decode(status, body).unwrap_err();
        let UnbindMeetingChatError::MalformedResponse(malformed) = &err else {
            panic!("expected MalformedResponse for {body:?}, got {err:?}");
        };
        assert!(
            malformed.reason.contains(reason),
            "{reason:?} not in {:?}",
            malformed.reason
        );
        assert_eq!(malformed.status.as_u16(), status);
        assert_eq!(malformed.log_id.as_deref(), Some(LOG_ID));
        assert_eq!(err.code(), None);
        assert_eq!(err.http_status().as_u16(), status);
        assert!(err.to_string().contains(&format!("HTTP {status}")));
    }
    let gateway = decode(502, gateway_page).unwrap_err();
    assert!(gateway.is_retryable(), "a gateway error is worth retrying");
    assert!(gateway.to_string().contains("502 Bad Gateway"));
    assert!(!decode(200, b"").unwrap_err().is_retryable());
}

#[test]
fn a_huge_body_keeps_only_a_bounded_excerpt() {
    let mut body = "<html>".to_owned();
    body.push_str(&"解绑".repeat(400_000));
    let err = decode(502, body.as_bytes()).unwrap_err();
    let UnbindMeetingChatError::MalformedResponse(malformed) = &err else {
        panic!("expected MalformedResponse, got {err:?}");
    };
    assert_eq!(malformed.body_len, body.len());
    assert!(malformed.excerpt.len() <= 256);
    assert!(malformed.excerpt.starts_with("<html>解绑"));
    assert!(
        !malformed.excerpt.contains('\u{fffd}'),
        "cut inside a character"
    );
    assert!(err.to_string().len() < 1024);
}

#[test]
fn the_log_id_header_name_is_the_documented_one() {
    assert_eq!(LOG_ID_HEADER, "x-tt-logid");
    let advice = decode(
        403,
        br#"{"code":195107,"msg":"no permission unbind meeting chat"}"#,
    )
    .unwrap_err()
    .documented()
    .map(|row| (row.advice_zh, row.advice_en));
    assert_eq!(
        advice,
        Some((
            "没有权限解绑会议群。你需要检查当前身份是否为群主。",
            "No permission to unbind the meeting chat. Check that the current identity is the chat's owner."
        ))
    );
}
