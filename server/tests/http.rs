//! The server over raw HTTP, for what a well-behaved client never sends: no token, a missing
//! parameter, a burst over the rate limit, an unknown path.

use feishu_local_server::{LocalServer, World, demo};
use serde_json::Value;

const TOKEN_PATH: &str = "/open-apis/auth/v3/tenant_access_token/internal";

fn unbind_url(server: &LocalServer, query: &str) -> String {
    format!(
        "{}/open-apis/calendar/v4/calendars/{}/events/{}/meeting_chat{query}",
        server.base_url(),
        demo::CALENDAR_ID,
        demo::EVENT_ID
    )
}

async fn body(response: reqwest::Response) -> Value {
    serde_json::from_slice(&response.bytes().await.expect("body")).expect("JSON body")
}

async fn tenant_token(server: &LocalServer, http: &reqwest::Client) -> String {
    let response = http
        .post(format!("{}{TOKEN_PATH}", server.base_url()))
        .header("content-type", "application/json")
        .body(format!(
            r#"{{"app_id":"{}","app_secret":"{}"}}"#,
            demo::APP_ID,
            demo::APP_SECRET
        ))
        .send()
        .await
        .expect("token response");
    assert_eq!(response.status(), 200);
    assert!(response.headers().contains_key("x-tt-logid"));
    let body = body(response).await;
    assert_eq!(body["code"], 0);
    // Seconds left: 7200 for a new token, a little less for the current one handed out again.
    let expire = body["expire"].as_u64().expect("expire");
    assert!((7000..=7200).contains(&expire), "{expire}");
    body["tenant_access_token"]
        .as_str()
        .expect("token")
        .to_owned()
}

#[tokio::test]
async fn the_token_issuer_hands_out_the_current_token_until_it_nears_expiry() {
    let server = LocalServer::start(World::demo()).await.unwrap();
    let http = reqwest::Client::new();
    let first = tenant_token(&server, &http).await;
    assert!(first.starts_with("t-"));
    assert_eq!(tenant_token(&server, &http).await, first);
    assert_eq!(server.stats().tenant_tokens_issued, 1);
}

/// The issuer's refusals come with HTTP 200, as Feishu sends them: the code tells them apart.
#[tokio::test]
async fn the_token_issuer_refuses_with_the_documented_codes() {
    let server = LocalServer::start(World::demo()).await.unwrap();
    let http = reqwest::Client::new();
    let refusal = |sent: String| {
        let request = http
            .post(format!("{}{TOKEN_PATH}", server.base_url()))
            .body(sent);
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200);
            assert!(response.headers().contains_key("x-tt-logid"));
            let body = body(response).await;
            (
                body["code"].as_i64().unwrap(),
                body["msg"].as_str().unwrap().to_owned(),
            )
        }
    };
    let credentials =
        |app_id: &str, secret: &str| format!(r#"{{"app_id":"{app_id}","app_secret":"{secret}"}}"#);

    let invalid_param = (10003, "invalid param".to_owned());
    assert_eq!(refusal("not json".to_owned()).await, invalid_param);
    assert_eq!(
        refusal(r#"{"app_id":"cli_x"}"#.to_owned()).await,
        invalid_param
    );
    assert_eq!(refusal(credentials(demo::APP_ID, "")).await, invalid_param);
    assert_eq!(
        refusal(credentials("cli_nobody", "secret")).await,
        invalid_param
    );
    assert_eq!(
        refusal(credentials(demo::APP_ID, "not the secret")).await,
        (10015, "wrong app secret".to_owned())
    );
    assert_eq!(server.stats().tenant_tokens_issued, 0);
}

#[tokio::test]
async fn calls_without_a_token_or_parameter_get_the_documented_codes() {
    let server = LocalServer::start(World::demo()).await.unwrap();
    let http = reqwest::Client::new();
    let no_token = http
        .delete(unbind_url(&server, "?meeting_chat_id=oc_x"))
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), 400);
    assert!(no_token.headers().contains_key("x-tt-logid"));
    assert_eq!(body(no_token).await["code"], 99991661);

    let token = tenant_token(&server, &http).await;
    let no_chat_id = http
        .delete(unbind_url(&server, ""))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(no_chat_id.status(), 400);
    assert_eq!(body(no_chat_id).await["code"], 190002);

    let wrong_method = http
        .get(unbind_url(&server, "?meeting_chat_id=oc_x"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.status(), 405);

    let unknown_path = http
        .get(format!("{}/open-apis/nothing/here", server.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown_path.status(), 404);
    assert_eq!(body(unknown_path).await["code"], 99991201);
}

#[tokio::test]
async fn a_burst_over_50_per_second_gets_429_with_the_ogw_headers() {
    let server = LocalServer::start(World::demo()).await.unwrap();
    let http = reqwest::Client::new();
    let token = tenant_token(&server, &http).await;
    let mut refused = None;
    // 51 calls one after the other on loopback take far less than a second.
    for _ in 0..51 {
        let response = http
            .delete(unbind_url(&server, "?meeting_chat_id=oc_not_bound"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        if response.status() == 429 {
            refused = Some(response);
            break;
        }
    }
    let refused = refused.expect("the 51st call within a second is refused");
    assert_eq!(refused.headers()["x-ogw-ratelimit-limit"], "50");
    assert_eq!(refused.headers()["x-ogw-ratelimit-reset"], "1");
    let body = body(refused).await;
    assert_eq!(body["code"], 99991400);
    assert_eq!(body["msg"], "request trigger frequency limit");
    assert_eq!(server.stats().rate_limited, 1);
}
