//! Attempts whose outcome is unknown: the server makes the change, and its answer is stalled
//! past the attempt's timeout or lost with the connection. The client resends only what the
//! endpoint's spec allows, and an answer that the first attempt having been applied explains
//! (195108 after an unbind) comes back as an uncertain outcome, never as that plain error.

mod common;

use std::time::Duration;

use common::{builder, demo_chat_bound, demo_request, demo_server, id};
use feishu_local_server::{Fault, LocalServer, demo};
use feishu_openapi::calendar::CalendarErrorCode;
use feishu_openapi::calendar::v4::{
    CreateMeetingChatRequest, DeleteEventError, DeleteEventRequest, UnbindMeetingChatError,
    UnbindMeetingChatRequest, unbind_meeting_chat,
};
use feishu_openapi::{Endpoint, EndpointError, Operation, PathAndQuery, UnknownOutcome};
use feishu_openapi_client::{Client, Error};

/// A client whose attempts give up after 300 ms, with fast retries (3 attempts).
fn impatient_client(server: &LocalServer) -> Client {
    builder(server)
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client")
}

/// The answer to the first call comes after the attempt gave up; the change is made.
fn stall_the_first_answer(server: &LocalServer) {
    server.inject(Fault::StallAnswer(Duration::from_secs(2)));
}

#[tokio::test]
async fn an_unbind_applied_without_its_answer_is_uncertain_not_195108() {
    let server = demo_server().await;
    stall_the_first_answer(&server);
    let error = impatient_client(&server)
        .send(&demo_request())
        .await
        .expect_err("the resend finds the chat unbound");
    assert!(!demo_chat_bound(&server), "the first attempt was applied");

    let Error::UncertainOutcome(uncertain) = &error else {
        panic!("expected an uncertain outcome, got {error:?}");
    };
    assert_eq!(uncertain.operation_id, unbind_meeting_chat::OPERATION_ID);
    assert!(
        uncertain.unanswered.is_timeout(),
        "{}",
        uncertain.unanswered
    );
    assert!(
        matches!(
            uncertain.later_answer,
            Some(UnbindMeetingChatError::Documented(
                CalendarErrorCode::ChatNotMatchWithEvent,
                _
            ))
        ),
        "{uncertain:?}"
    );
    assert_eq!(uncertain.attempts, 2);
    let later_log_id = uncertain
        .later_answer
        .as_ref()
        .and_then(|answer| answer.log_id())
        .expect("the later answer's log id");
    assert_eq!(uncertain.log_ids, [later_log_id]);
    assert_eq!(error.log_id(), Some(later_log_id));
    // Not the plain 195108 a caller would read as "that chat was never bound here".
    assert_eq!(error.code(), None);
    assert!(error.api().is_none());
    assert!(error.outcome_unknown());
    let text = error.to_string();
    assert!(text.contains("outcome unknown"), "{text}");
    assert!(text.contains("chat not match with event"), "{text}");
    assert_eq!(server.stats().requests, 2);
}

#[tokio::test]
async fn a_connection_lost_after_the_change_is_uncertain_too() {
    let server = demo_server().await;
    server.inject(Fault::DropAnswer);
    let error = common::client(&server)
        .send(&demo_request())
        .await
        .expect_err("the resend finds the chat unbound");
    assert!(!demo_chat_bound(&server));
    let Error::UncertainOutcome(uncertain) = &error else {
        panic!("expected an uncertain outcome, got {error:?}");
    };
    assert!(!uncertain.unanswered.is_timeout());
    assert!(uncertain.unanswered.may_have_arrived());
    assert!(matches!(
        uncertain.later_answer,
        Some(UnbindMeetingChatError::Documented(
            CalendarErrorCode::ChatNotMatchWithEvent,
            _
        ))
    ));
}

#[tokio::test]
async fn a_delete_applied_without_its_answer_is_uncertain_not_193003() {
    let server = demo_server().await;
    stall_the_first_answer(&server);
    let request = DeleteEventRequest::new(id(demo::CALENDAR_ID), id(demo::EVENT_ID));
    let error = impatient_client(&server)
        .send(&request)
        .await
        .expect_err("the resend finds the event deleted");
    let Error::UncertainOutcome(uncertain) = &error else {
        panic!("expected an uncertain outcome, got {error:?}");
    };
    assert!(
        matches!(
            uncertain.later_answer,
            Some(DeleteEventError::Documented(
                CalendarErrorCode::EventIsDeleted,
                _
            ))
        ),
        "{uncertain:?}"
    );
}

#[tokio::test]
async fn a_passing_failure_after_an_unanswered_attempt_leaves_the_outcome_uncertain() {
    let server = demo_server().await;
    stall_the_first_answer(&server);
    server.inject(Fault::InternalError);
    server.inject(Fault::InternalError);
    let error = impatient_client(&server)
        .send(&demo_request())
        .await
        .expect_err("3 attempts: no answer, then two internal errors");
    let Error::UncertainOutcome(uncertain) = &error else {
        panic!("expected an uncertain outcome, got {error:?}");
    };
    assert!(matches!(
        uncertain.later_answer,
        Some(UnbindMeetingChatError::Documented(
            CalendarErrorCode::InternalServiceError,
            _
        ))
    ));
    assert_eq!(uncertain.attempts, 3);
    assert_eq!(uncertain.log_ids.len(), 2, "one per answer");
}

#[tokio::test]
async fn an_answer_the_change_cannot_explain_stands() {
    // The first attempt gets no answer in time; the resend answers 195107 (not the chat's
    // owner), which would have refused the first attempt too: nothing was applied.
    let server = demo_server().await;
    server.inject(Fault::Stall(Duration::from_secs(2)));
    server.with_world(|world| {
        let chat = world
            .chats
            .get_mut(demo::MEETING_CHAT_ID)
            .expect("demo chat");
        chat.owner = feishu_local_server::Identity::User(demo::COLLEAGUE_ID.into());
    });
    let error = impatient_client(&server)
        .send(&demo_request())
        .await
        .expect_err("not the owner");
    assert!(
        matches!(
            error,
            Error::Api(UnbindMeetingChatError::Documented(
                CalendarErrorCode::NoPermissionUnbindMeetingChat,
                _
            ))
        ),
        "{error:?}"
    );
    assert!(!error.outcome_unknown());
}

#[tokio::test]
async fn a_second_create_answers_the_chat_the_first_one_made() {
    // POST, yet the spec allows a resend: a second create returns the event's chat.
    let server = demo_server().await;
    stall_the_first_answer(&server);
    let request =
        CreateMeetingChatRequest::new(id(demo::CALENDAR_ID), id(demo::EVENT_WITHOUT_CHAT_ID));
    let response = impatient_client(&server)
        .send(&request)
        .await
        .expect("the resend answers the chat");
    let chat_id = response.data.meeting_chat_id;
    let bound = server.with_world(|world| {
        world
            .event_mut(demo::CALENDAR_ID, demo::EVENT_WITHOUT_CHAT_ID)
            .and_then(|event| event.meeting_chat_id.clone())
    });
    assert!(chat_id.is_some());
    assert_eq!(chat_id, bound, "one chat, made by the first attempt");
    assert_eq!(server.stats().requests, 2);
}

/// Unbind, as if its spec said it may not be sent again after an unknown outcome.
struct NoResendUnbind(UnbindMeetingChatRequest);

/// `http::Method` is not `Copy`, so the method is spelled out rather than read from the
/// endpoint's `OPERATION`.
static NO_RESEND: Operation = Operation::new(
    unbind_meeting_chat::OPERATION_ID,
    http::Method::DELETE,
    unbind_meeting_chat::OPERATION.path_template,
)
.with_token_types(unbind_meeting_chat::OPERATION.token_types)
.with_rate_limits(unbind_meeting_chat::OPERATION.rate_limits)
.with_unknown_outcome(UnknownOutcome::new(false, &[]));

impl Endpoint for NoResendUnbind {
    const OPERATION: &'static Operation = &NO_RESEND;
    type Response = <UnbindMeetingChatRequest as Endpoint>::Response;
    type Error = <UnbindMeetingChatRequest as Endpoint>::Error;

    fn write_path_and_query(&self, out: &mut PathAndQuery) {
        self.0.write_path_and_query(out);
    }
}

#[tokio::test]
async fn an_endpoint_that_may_not_be_resent_is_not_resent() {
    // The same endpoint but for its unknown outcome.
    assert_eq!(NO_RESEND.method, unbind_meeting_chat::OPERATION.method);
    assert!(unbind_meeting_chat::OPERATION.unknown_outcome.resend);
    let server = demo_server().await;
    stall_the_first_answer(&server);
    let error = impatient_client(&server)
        .send(&NoResendUnbind(demo_request()))
        .await
        .expect_err("no answer");
    let Error::UncertainOutcome(uncertain) = &error else {
        panic!("expected an uncertain outcome, got {error:?}");
    };
    assert!(uncertain.later_answer.is_none());
    assert!(uncertain.unanswered.is_timeout());
    assert_eq!(uncertain.attempts, 1);
    assert!(error.to_string().contains("not sent again"), "{error}");
    assert_eq!(server.stats().requests, 1, "sent once");
}

#[tokio::test]
async fn an_endpoint_that_may_not_be_resent_is_still_retried_when_nothing_was_sent() {
    // A 500 is an answer: the call was not applied, so it may go again.
    let server = demo_server().await;
    server.inject(Fault::InternalError);
    common::client(&server)
        .send(&NoResendUnbind(demo_request()))
        .await
        .expect("second try succeeds");
    assert_eq!(server.stats().requests, 2);
}
