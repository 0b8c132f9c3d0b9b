//! Any text as a spec: load and validate must report problems, never panic.
#![no_main]

use feishu_openapi_codegen::load::{SpecSource, parse_spec};
use feishu_openapi_codegen::validate::validate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = SpecSource {
        path: "spec/calendar.v4.calendar_event_meeting_chat.delete.yaml".into(),
        name: "calendar.v4.calendar_event_meeting_chat.delete.yaml".to_owned(),
        text: text.to_owned(),
    };
    if let Ok(raw) = parse_spec(&source) {
        let _ = validate(&source, &raw, &[]);
    }
});
