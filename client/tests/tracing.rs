//! Tracing: a span per call with the operation id, one per attempt with the `X-Tt-Logid`, and
//! no secret in any line.
//!
//! Alone in its test binary: tracing caches per call site whether anyone listens, and a test
//! running meanwhile without a subscriber could make this one miss lines.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{client, event_request, server_with_events};
use feishu_local_server::demo;

/// Log lines written while a test runs.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn calls_are_traced_with_operation_and_log_id_and_never_with_secrets() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = server_with_events(1).await;
    let client = client(&server);
    server.inject(feishu_local_server::Fault::InternalError);
    let response = client
        .send(&event_request(0))
        .await
        .expect("unbinds after a retry");

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("calendar.v4.calendar_event_meeting_chat.delete"),
        "{logs}"
    );
    let log_id = response.log_id.expect("log id");
    assert!(
        logs.contains(&log_id),
        "log id {log_id} not traced:\n{logs}"
    );
    assert!(logs.contains("retrying"), "{logs}");
    assert!(
        !logs.contains(demo::APP_SECRET),
        "app secret in logs:\n{logs}"
    );
    let tokens: Vec<String> =
        server.with_world(|world| world.tenant_tokens.keys().cloned().collect());
    assert_eq!(tokens.len(), 1);
    assert!(!logs.contains(&tokens[0]), "token in logs:\n{logs}");
}
