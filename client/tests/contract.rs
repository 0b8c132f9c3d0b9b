//! The local server as a contract server: every generated endpoint answered by its spec alone.
//! Each is called as its page describes it (and as it must not be), over HTTP, and its answer
//! is read as a client reads it.

mod common;

use feishu_local_server::{CONTRACT_ERROR_HEADER, Fault, LocalServer, World, demo};
use feishu_openapi::calendar::CalendarErrorCode;
use feishu_openapi::{
    ApiError, Endpoint, EndpointError, LOG_ID_HEADER, Operation, TokenType, decode_envelope,
};
use serde_json::{Value, json};

/// The server's tenant token for the demo app, bought as any client buys it.
async fn tenant_token(http: &reqwest::Client, server: &LocalServer) -> String {
    let answer: Value = http
        .post(format!(
            "{}/open-apis/auth/v3/tenant_access_token/internal",
            server.base_url()
        ))
        .body(json!({"app_id": demo::APP_ID, "app_secret": demo::APP_SECRET}).to_string())
        .send()
        .await
        .expect("token call")
        .bytes()
        .await
        .map(|body| serde_json::from_slice(&body).expect("token JSON"))
        .expect("token body");
    answer["tenant_access_token"]
        .as_str()
        .expect("a tenant token")
        .to_owned()
}

/// A call to `operation` as its page describes it: a value for each path id, each required
/// query parameter and each required body field, but for the one named `left_out`.
fn call(
    http: &reqwest::Client,
    server: &LocalServer,
    operation: &Operation,
    token: &str,
    left_out: Option<&str>,
) -> reqwest::RequestBuilder {
    let path: Vec<String> = operation
        .path_template
        .split('/')
        .map(|segment| match segment.strip_prefix(':') {
            Some(name) => format!("{name}-1"),
            None => segment.to_owned(),
        })
        .collect();
    let query: Vec<String> = operation
        .required_query
        .iter()
        .filter(|name| Some(**name) != left_out)
        .map(|name| format!("{name}=x"))
        .collect();
    let mut request = http
        .request(
            operation.method.clone(),
            format!(
                "{}{}?{}",
                server.base_url(),
                path.join("/"),
                query.join("&")
            ),
        )
        .bearer_auth(token);
    if !operation.required_body.is_empty() {
        let body: serde_json::Map<String, Value> = operation
            .required_body
            .iter()
            .filter(|name| Some(**name) != left_out)
            .map(|name| ((*name).to_owned(), json!("x")))
            .collect();
        request = request
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(Value::Object(body).to_string());
    }
    request
}

/// Status, log id and the envelope's `code`, `msg` and whole body of an answer.
async fn read(request: reqwest::RequestBuilder) -> (http::StatusCode, Option<String>, Value) {
    let response = request.send().await.expect("the server answers");
    let status = response.status();
    let log_id = response
        .headers()
        .get(LOG_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let body = response.bytes().await.expect("body");
    (status, log_id, serde_json::from_slice(&body).expect("JSON"))
}

#[tokio::test]
async fn every_generated_endpoint_answers_by_its_spec() {
    let server = LocalServer::start_contract(World::demo())
        .await
        .expect("server");
    let http = reqwest::Client::new();
    let tenant = tenant_token(&http, &server).await;
    let operations = feishu_openapi::operations();
    assert!(!operations.is_empty());
    for operation in operations {
        let id = operation.id;
        // An endpoint that gives a token (and takes none) is the world's token issuer: it
        // checks the app's id and secret, and refuses made-up ones as Feishu does.
        if operation.token_types.is_empty() {
            let (status, log_id, body) = read(call(&http, &server, operation, "", None)).await;
            let code = body["code"].as_i64().unwrap_or_default();
            assert!(
                <feishu_openapi::PlatformErrorCode as feishu_openapi::PlatformCodes>::from_code(
                    code
                )
                .is_some(),
                "{id}: {status} {body}"
            );
            assert!(log_id.is_some(), "{id}");
            continue;
        }
        let token = if operation.accepts(TokenType::Tenant) {
            tenant.as_str()
        } else {
            demo::USER_TOKEN
        };

        // As the page describes the call: the page's response example, decoded as a client does.
        let (status, log_id, body) = read(call(&http, &server, operation, token, None)).await;
        assert_eq!(status, http::StatusCode::OK, "{id}: {body}");
        let example: Value = serde_json::from_str(operation.response_example).expect("example");
        assert_eq!(body, example, "{id}");
        assert!(log_id.is_some(), "{id}");
        let decoded =
            decode_envelope::<Value>(status, &http::HeaderMap::new(), body.to_string().as_bytes());
        assert!(decoded.is_ok(), "{id}: {decoded:?}");

        // Each required value left out: refused as the platform refuses it.
        for name in operation
            .required_query
            .iter()
            .chain(operation.required_body)
        {
            let (status, _, body) = read(call(&http, &server, operation, token, Some(name))).await;
            assert_eq!(status, http::StatusCode::BAD_REQUEST, "{id} without {name}");
            assert_eq!(body["code"], 99992402, "{id} without {name}: {body}");
            assert!(
                body["msg"].as_str().unwrap_or_default().contains(name),
                "{body}"
            );
        }

        // A token the endpoint does not take, and none at all.
        let (other, refusal) = if operation.accepts(TokenType::Tenant) {
            (demo::USER_TOKEN, 99991668)
        } else {
            (tenant.as_str(), 99991663)
        };
        if !operation.accepts(TokenType::Tenant) || !operation.accepts(TokenType::User) {
            let (_, _, body) = read(call(&http, &server, operation, other, None)).await;
            assert_eq!(body["code"], refusal, "{id}: {body}");
        }
        let (_, _, body) = read(call(&http, &server, operation, "", None)).await;
        assert_eq!(body["code"], 99991661, "{id}: {body}");

        // Every code of the page's table, asked for: its status, code and message.
        for row in operation.error_codes {
            let request = call(&http, &server, operation, token, None)
                .header(CONTRACT_ERROR_HEADER, row.code.to_string());
            let (status, log_id, body) = read(request).await;
            assert_eq!(status.as_u16(), row.http_status, "{id} {}", row.code);
            assert_eq!(body["code"], row.code, "{id}");
            assert_eq!(body["msg"], row.message, "{id}");
            assert!(log_id.is_some(), "{id}");
        }
        // The platform's rate limit, with the headers that say when to come back.
        let request =
            call(&http, &server, operation, token, None).header(CONTRACT_ERROR_HEADER, "99991400");
        let response = request.send().await.expect("answer");
        assert_eq!(
            response.status(),
            http::StatusCode::TOO_MANY_REQUESTS,
            "{id}"
        );
        assert!(
            response.headers().contains_key("x-ogw-ratelimit-reset"),
            "{id}"
        );
    }
}

#[tokio::test]
async fn the_client_reads_a_contract_servers_answers_as_typed_data_and_errors() {
    let server = LocalServer::start_contract(World::demo())
        .await
        .expect("server");
    let client = common::client(&server);
    // The unbind endpoint by its spec alone: success whatever the world holds.
    let request = common::demo_request();
    client.send(&request).await.expect("the page's example");
    client
        .send(&request)
        .await
        .expect("again: no state, no 195108");
    // A documented code, asked for: the typed error, with the page's row.
    server.inject(Fault::Answer(195108));
    let error = client.send(&request).await.expect_err("asked for 195108");
    let feishu_openapi_client::Error::Api(error) = error else {
        panic!("{error}");
    };
    assert!(matches!(
        error,
        ApiError::Documented(CalendarErrorCode::ChatNotMatchWithEvent, _)
    ));
    assert_eq!(error.documented().map(|row| row.code), Some(195108));
    assert_eq!(
        error.http_status().as_u16(),
        <feishu_openapi::calendar::v4::UnbindMeetingChatRequest as Endpoint>::OPERATION
            .error_codes
            .iter()
            .find(|row| row.code == 195108)
            .map(|row| row.http_status)
            .unwrap_or_default()
    );
}
