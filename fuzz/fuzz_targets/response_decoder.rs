//! Any status, log id and body: decoding yields the typed response or a typed error.
#![no_main]

use feishu_openapi::Endpoint;
use feishu_openapi::calendar::v4::UnbindMeetingChatRequest;
use http::{HeaderMap, HeaderValue, StatusCode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [high, low, log_id_len, rest @ ..] = data else {
        return;
    };
    let status = 100 + u16::from_be_bytes([*high, *low]) % 500;
    let Ok(status) = StatusCode::from_u16(status) else {
        return;
    };
    let (log_id, body) = rest.split_at(usize::from(*log_id_len).min(rest.len()));
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_bytes(log_id) {
        headers.insert("x-tt-logid", value);
    }
    match UnbindMeetingChatRequest::decode_response(status, &headers, body) {
        Ok(response) => assert!(status.is_success(), "{response:?}"),
        Err(err) => {
            assert_eq!(err.http_status(), status);
            let _ = err.to_string();
        }
    }
});
