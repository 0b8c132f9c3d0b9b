//! Tenant tokens: bought once, shared under concurrency, replaced near expiry and when the
//! server refuses them; user tokens passed through; secrets kept out of Debug and logs.

mod common;

use std::time::Duration;

use common::{client, client_without_retries, demo_request, event_request, server_with_events};
use feishu_local_server::{LocalServer, World, demo};
use feishu_openapi::calendar::v4::UnbindMeetingChatError;
use feishu_openapi::{AccessToken, BaseUrl, EndpointError, PlatformErrorCode};
use feishu_openapi_client::{Client, Error, TokenError};

#[tokio::test]
async fn one_token_serves_many_calls() {
    let server = server_with_events(5).await;
    let client = client_without_retries(&server);
    for i in 0..5 {
        client.send(&event_request(i)).await.expect("unbinds");
    }
    assert_eq!(server.stats().tenant_tokens_issued, 1);
    assert_eq!(server.stats().requests, 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_calls_buy_one_token() {
    let server = server_with_events(20).await;
    let client = client_without_retries(&server);
    let calls = (0..20).map(|i| {
        let client = client.clone();
        tokio::spawn(async move { client.send(&event_request(i)).await })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.expect("task").expect("unbinds");
    }
    assert_eq!(server.stats().tenant_tokens_issued, 1);
}

#[tokio::test]
async fn a_token_about_to_expire_is_replaced_before_use() {
    let mut world = World::demo();
    // Less than the client's 5-minute margin: every call finds its token about to expire.
    world.settings.tenant_token_lifetime = Duration::from_secs(120);
    for i in 0..3 {
        world.add_meeting_chat(
            demo::CALENDAR_ID,
            &format!("e{i:04}-test_0"),
            &format!("oc_test_chat_{i}"),
            feishu_local_server::Identity::App(demo::APP_ID.into()),
        );
    }
    let server = LocalServer::start(world).await.expect("server");
    let client = client_without_retries(&server);
    for i in 0..3 {
        client.send(&event_request(i)).await.expect("unbinds");
    }
    assert_eq!(server.stats().tenant_tokens_issued, 3);
}

#[tokio::test]
async fn a_refused_token_is_replaced_once_and_the_call_sent_again() {
    let server = server_with_events(2).await;
    let client = client_without_retries(&server);
    client.send(&event_request(0)).await.expect("unbinds");
    server.with_world(World::expire_tenant_tokens);

    client
        .send(&event_request(1))
        .await
        .expect("unbinds after a new token");
    let stats = server.stats();
    assert_eq!(stats.tenant_tokens_issued, 2);
    // The first call, the refused one, and the one sent again.
    assert_eq!(stats.requests, 3);
}

#[tokio::test]
async fn a_token_refused_again_after_replacing_it_is_the_callers_error() {
    let mut world = World::demo();
    world.settings.tenant_token_lifetime = Duration::ZERO;
    let server = LocalServer::start(world).await.expect("server");
    let client = client(&server);

    let error = client
        .send(&demo_request())
        .await
        .expect_err("tokens never work");
    assert_eq!(error.code(), Some(99991663), "{error}");
    assert!(matches!(
        error,
        Error::Api(UnbindMeetingChatError::Platform(
            PlatformErrorCode::InvalidAccessToken,
            _
        ))
    ));
    assert!(error.log_id().is_some());
    let stats = server.stats();
    assert_eq!(stats.tenant_tokens_issued, 2, "one refresh only");
    assert_eq!(
        stats.requests, 2,
        "no retries of a refused token beyond the one refresh"
    );
}

#[tokio::test]
async fn a_wrong_app_secret_is_a_token_error_with_the_platform_code() {
    let server = common::demo_server().await;
    let client = common::builder(&server)
        .app_credentials(demo::APP_ID, "not the secret")
        .build()
        .expect("client");
    let error = client.send(&demo_request()).await.expect_err("refused");
    assert!(
        matches!(&error, Error::Token(TokenError::Refused(response)) if response.code == 10015)
    );
    assert!(error.log_id().is_some());
    assert_eq!(server.stats().requests, 0, "nothing sent without a token");

    let unknown_app = common::builder(&server)
        .app_credentials("cli_nobody", "secret")
        .build()
        .expect("client");
    let error = unknown_app
        .send(&demo_request())
        .await
        .expect_err("refused");
    assert_eq!(error.code(), Some(10003));
}

#[tokio::test]
async fn without_app_credentials_send_says_so_and_send_with_works() {
    let server = common::demo_server().await;
    let client = Client::builder()
        .base_url(BaseUrl::parse(&server.base_url()).unwrap())
        .build()
        .expect("client");
    let error = client
        .send(&demo_request())
        .await
        .expect_err("no credentials");
    assert!(matches!(error, Error::Token(TokenError::NoAppCredentials)));

    server.with_world(|world| {
        world.chats.get_mut(demo::MEETING_CHAT_ID).unwrap().owner =
            feishu_local_server::Identity::User(demo::USER_ID.into());
        let calendar = world.calendars.get_mut(demo::CALENDAR_ID).unwrap();
        calendar.roles.insert(
            feishu_local_server::Identity::User(demo::USER_ID.into()),
            feishu_local_server::AccessRole::Writer,
        );
    });
    let user = AccessToken::user(demo::USER_TOKEN).unwrap();
    client
        .send_with(&demo_request(), &user)
        .await
        .expect("unbinds as the user");
}

#[tokio::test]
async fn user_token_errors_come_back_untouched() {
    let server = common::demo_server().await;
    server.with_world(|world| {
        let token = world.user_tokens.get_mut(demo::USER_TOKEN).unwrap();
        token.expires_at = std::time::Instant::now();
    });
    let client = client(&server);
    let expired = AccessToken::user(demo::USER_TOKEN).unwrap();
    let error = client
        .send_with(&demo_request(), &expired)
        .await
        .expect_err("expired");
    assert_eq!(error.code(), Some(99991677));
    let unknown = AccessToken::user("u-nobody").unwrap();
    let error = client
        .send_with(&demo_request(), &unknown)
        .await
        .expect_err("unknown");
    assert_eq!(error.code(), Some(99991668));
    let neither = AccessToken::user("x-neither-tenant-nor-user").unwrap();
    let error = client
        .send_with(&demo_request(), &neither)
        .await
        .expect_err("malformed");
    assert_eq!(error.code(), Some(99991671));
    // User tokens are the caller's: none is bought, none retried.
    let stats = server.stats();
    assert_eq!(stats.tenant_tokens_issued, 0);
    assert_eq!(stats.requests, 3);
}

#[tokio::test]
async fn an_app_without_the_scope_is_told_which_scopes_would_do() {
    let server = common::demo_server().await;
    server.with_world(|world| world.apps.get_mut(demo::APP_ID).unwrap().scopes.clear());
    let error = client(&server)
        .send(&demo_request())
        .await
        .expect_err("no scope");
    let Error::Api(error) = error else {
        panic!("{error:?}")
    };
    assert_eq!(error.code(), Some(99991672));
    assert!(!error.is_retryable());
    match &error {
        UnbindMeetingChatError::Platform(code, response) => {
            assert_eq!(*code, PlatformErrorCode::MissingScope);
            let msg = &response.msg;
            assert!(msg.contains("calendar:calendar.event:update"), "{msg}");
        }
        other => panic!("99991672 is a platform code: {other:?}"),
    }
    assert_eq!(server.stats().requests, 1);
}

#[test]
fn debug_output_shows_no_secret() {
    let builder = Client::builder().app_credentials(demo::APP_ID, demo::APP_SECRET);
    let shown = format!("{builder:?}");
    assert!(
        shown.contains(demo::APP_ID) && !shown.contains(demo::APP_SECRET),
        "{shown}"
    );
    let client = builder.build().expect("client");
    let shown = format!("{client:?}");
    assert!(
        shown.contains(demo::APP_ID) && !shown.contains(demo::APP_SECRET),
        "{shown}"
    );
    let error: Error<UnbindMeetingChatError> = Error::Token(TokenError::NoAppCredentials);
    assert!(!format!("{error:?} {error}").contains(demo::APP_SECRET));
}

#[test]
fn empty_credentials_are_refused_when_building() {
    let built = Client::builder().app_credentials("", "secret").build();
    assert!(matches!(
        built,
        Err(feishu_openapi_client::BuildError::EmptyCredentials)
    ));
}

#[tokio::test]
async fn a_client_holding_a_token_shows_neither_token_nor_secret() {
    let server = server_with_events(0).await;
    let client = client(&server);
    client.send(&demo_request()).await.expect("unbound");
    let token = server
        .with_world(|world| world.tenant_token_of(demo::APP_ID).map(str::to_owned))
        .expect("the client's tenant token");
    let token = token.as_str();
    for shown in [format!("{client:?}"), format!("{client:#?}")] {
        assert!(
            !shown.contains(token) && !shown.contains(demo::APP_SECRET),
            "{shown}"
        );
    }
    let request = demo_request();
    let error = client
        .send_with(&request, &AccessToken::user(token).expect("token"))
        .await
        .expect_err("already unbound");
    assert!(!format!("{error:?} {error}").contains(token));
}
