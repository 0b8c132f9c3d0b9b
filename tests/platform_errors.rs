//! Platform-wide codes from spec/shared/platform_errors.yaml, decoded by every endpoint.

use feishu_openapi::calendar::v4::{
    CreateMeetingChatRequest, DeleteEventRequest, GetEventError, GetEventRequest,
    PrimaryCalendarRequest, UnbindMeetingChatRequest,
};
use feishu_openapi::calendar::{CalendarError, CalendarErrorCode};
use feishu_openapi::platform::{self, PlatformErrorCode};
use feishu_openapi::{Endpoint, EndpointError, PlatformCodes, ResponseFailure, decode_envelope};
use http::{HeaderMap, HeaderValue, StatusCode};

fn decode<E: Endpoint>(status: StatusCode, code: i64) -> E::Error {
    let mut headers = HeaderMap::new();
    headers.insert("x-tt-logid", HeaderValue::from_static("20261128abc"));
    let body = format!(r#"{{"code":{code},"msg":"as the server says"}}"#);
    match E::decode_response(status, &headers, body.as_bytes()) {
        Ok(_) => panic!("code {code} decoded as success"),
        Err(err) => err,
    }
}

/// What any endpoint's error says about a code, through the trait a client uses.
fn verdict<E: Endpoint>(status: StatusCode, code: i64) -> (Option<i64>, bool, bool, Option<i64>) {
    let err = decode::<E>(status, code);
    assert_eq!(err.log_id(), Some("20261128abc"));
    assert_eq!(err.http_status(), status);
    (
        err.code(),
        err.is_retryable(),
        err.needs_new_token(),
        err.platform().map(|row| row.code),
    )
}

fn every_endpoint(status: StatusCode, code: i64) -> Vec<(Option<i64>, bool, bool, Option<i64>)> {
    vec![
        verdict::<UnbindMeetingChatRequest>(status, code),
        verdict::<CreateMeetingChatRequest>(status, code),
        verdict::<DeleteEventRequest>(status, code),
        verdict::<PrimaryCalendarRequest>(status, code),
        verdict::<GetEventRequest>(status, code),
    ]
}

#[test]
fn rate_limiting_is_retryable_on_every_endpoint() {
    let all = every_endpoint(StatusCode::TOO_MANY_REQUESTS, 99991400);
    assert!(
        all.iter()
            .all(|v| *v == (Some(99991400), true, false, Some(99991400))),
        "{all:?}"
    );
}

#[test]
fn an_invalid_token_asks_for_a_new_one_not_a_plain_retry() {
    for code in [99991661, 99991663, 99991668, 99991677] {
        let all = every_endpoint(StatusCode::BAD_REQUEST, code);
        assert!(
            all.iter()
                .all(|v| *v == (Some(code), false, true, Some(code))),
            "{code}: {all:?}"
        );
    }
}

#[test]
fn a_missing_scope_is_neither_retryable_nor_a_token_problem() {
    let all = every_endpoint(StatusCode::FORBIDDEN, 99991672);
    assert!(
        all.iter()
            .all(|v| *v == (Some(99991672), false, false, Some(99991672))),
        "{all:?}"
    );
    let err = decode::<GetEventRequest>(StatusCode::FORBIDDEN, 99991672);
    assert!(matches!(
        err,
        GetEventError::Platform(PlatformErrorCode::MissingScope, _)
    ));
    assert_eq!(
        err.message(),
        "Access denied. One of the following scopes is required"
    );
    assert!(err.documented().is_none());
    let info = err.platform().expect("platform");
    assert_eq!(info.code, 99991672);
    assert!(info.advice_en.contains("scope"));
    // The `Platform` variant holds the code, whose row is the endpoint error's, and the
    // response, whose code it is.
    let GetEventError::Platform(platform, response) = &err else {
        unreachable!("matched above")
    };
    assert_eq!(platform.row(), info);
    assert_eq!(response.code, 99991672);
    assert_eq!(err.response(), Some(response));
}

#[test]
fn an_endpoint_code_and_an_unknown_code_are_not_platform_errors() {
    let err = decode::<GetEventRequest>(StatusCode::NOT_FOUND, 193001);
    assert!(matches!(
        err,
        GetEventError::Documented(CalendarErrorCode::EventNotFound, _)
    ));
    assert!(err.platform().is_none() && !err.needs_new_token());
    let err = decode::<GetEventRequest>(StatusCode::BAD_REQUEST, 99991999);
    assert!(matches!(err, GetEventError::Unknown(_)));
    assert_eq!(err.message(), "as the server says");
}

#[test]
fn every_row_of_the_shared_table_decodes_to_its_own_variant() {
    let mut seen = std::collections::HashSet::new();
    for row in platform::ERROR_CODES {
        let body = format!(r#"{{"code":{}}}"#, row.code);
        let failure = decode_envelope::<serde::de::IgnoredAny>(
            StatusCode::BAD_REQUEST,
            &HeaderMap::new(),
            body.as_bytes(),
        );
        let Err(ResponseFailure::Api(response)) = failure else {
            panic!("{}: not an API error: {failure:?}", row.code);
        };
        let code = PlatformErrorCode::from_code(row.code).expect("a platform code");
        assert!(seen.insert(code), "{}: {code:?} is another row's", row.code);
        assert_eq!(code.row(), row);
        let err = GetEventError::from(ResponseFailure::Api(response.clone()));
        assert!(
            matches!(&err, GetEventError::Platform(c, r) if *c == code && *r == response),
            "{}: {err:?}",
            row.code
        );
        // The service's error decodes it alike.
        let service = CalendarError::from(ResponseFailure::Api(response));
        assert!(matches!(service, CalendarError::Platform(c, _) if c == code));
        assert_eq!(service.platform(), Some(row));
        assert_eq!(err.platform(), Some(row));
        assert_eq!(err.code(), Some(row.code));
        assert_eq!(err.message(), row.message);
        assert_eq!(err.documented(), None, "no endpoint's row");
        assert_eq!(
            (err.is_retryable(), err.needs_new_token()),
            (row.retryable, row.new_token)
        );
        assert!(
            !(row.retryable && row.new_token),
            "{}: one action, not two",
            row.code
        );
    }
}
