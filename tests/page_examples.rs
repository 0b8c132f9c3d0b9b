//! Every committed doc page's examples against the generated code, read from the page itself:
//! its 响应体示例 decodes into the endpoint's response type with every value kept, and its
//! 请求体示例 reads into the endpoint's body type and is sent (`to_json_body`, what the
//! request's `json_body` sends) as the page wrote it.

use std::fmt::Debug;

use feishu_openapi::Endpoint;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use feishu_openapi_tests::workspace_root;

/// Reads a page's body example and gives what the request sends.
type BodyExample = fn(&str) -> Result<Value, String>;

/// One generated endpoint, as `build.rs` lists them from `generated/src`.
struct Generated {
    operation_id: &'static str,
    response: fn(&[u8]) -> Result<String, String>,
    body: Option<BodyExample>,
}

/// Decodes a success body as the endpoint does; its data's `Debug`, to look values up in.
fn response_example<E: Endpoint>(body: &[u8]) -> Result<String, String>
where
    E::Response: Debug,
{
    E::decode_response(http::StatusCode::OK, &http::HeaderMap::new(), body)
        .map(|response| format!("{:?}", response.data))
        .map_err(|err| err.to_string())
}

/// Reads a body example into the body type and writes it back as the request sends it.
fn body_example<B: DeserializeOwned + Serialize>(json: &str) -> Result<Value, String> {
    let body: B = serde_json::from_str(json).map_err(|err| err.to_string())?;
    let sent = feishu_openapi::to_json_body(&body).map_err(|err| err.to_string())?;
    serde_json::from_slice(&sent).map_err(|err| err.to_string())
}

const GENERATED: &[Generated] = include!(concat!(env!("OUT_DIR"), "/endpoints.rs"));

/// The value of a page's `HTTP URL` or `HTTP Method` row, in either page format.
fn request_row<'p>(page: &'p str, name: &str) -> Option<&'p str> {
    page.lines()
        .map(|line| line.trim().trim_start_matches('|').trim())
        .find_map(|line| line.strip_prefix(name))
        .map(|rest| rest.trim().trim_matches('|').trim().trim_matches('`'))
}

/// The first fenced block after the heading that names `section`.
fn example_after(page: &str, section: &str) -> Option<String> {
    let lines: Vec<&str> = page.lines().collect();
    let heading = lines
        .iter()
        .position(|line| line.starts_with('#') && line.contains(section))?;
    let open = heading
        + 1
        + lines[heading + 1..]
            .iter()
            .position(|line| line.trim_start().starts_with("```"))?;
    // Another heading first: the section has no example.
    if lines[heading + 1..open]
        .iter()
        .any(|line| line.starts_with('#'))
    {
        return None;
    }
    let close = open
        + 1
        + lines[open + 1..]
            .iter()
            .position(|line| line.trim_start().starts_with("```"))?;
    Some(lines[open + 1..close].join("\n"))
}

/// Every string and integer inside `value`: what a decoded response must still hold.
fn leaves(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(text) if !text.is_empty() => out.push(format!("{text:?}")),
        Value::Number(number) if number.is_i64() || number.is_u64() => out.push(number.to_string()),
        Value::Array(items) => items.iter().for_each(|item| leaves(item, out)),
        Value::Object(fields) => fields.values().for_each(|field| leaves(field, out)),
        _ => {}
    }
}

#[test]
fn every_page_example_fits_the_generated_types() {
    let operations = feishu_openapi::operations();
    let mut responses = 0;
    let mut bodies = 0;
    let mut problems = Vec::new();
    let mut pages: Vec<_> = std::fs::read_dir(workspace_root().join("spec/pages"))
        .expect("spec/pages")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    pages.sort();
    for path in pages {
        let page = std::fs::read_to_string(&path).expect("page");
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let (Some(url), Some(method)) = (
            request_row(&page, "HTTP URL"),
            request_row(&page, "HTTP Method"),
        ) else {
            continue;
        };
        let path_template = &url[url.find("/open-apis/").expect("an API path")..];
        let operation = operations
            .iter()
            .find(|op| op.method.as_str() == method && op.path_template == path_template)
            .unwrap_or_else(|| {
                panic!("{name}: no generated endpoint for {method} {path_template}")
            });
        let generated = GENERATED
            .iter()
            .find(|generated| generated.operation_id == operation.id)
            .unwrap_or_else(|| panic!("{name}: {} is not in generated/src", operation.id));

        let example =
            example_after(&page, "响应体示例").unwrap_or_else(|| panic!("{name}: no 响应体示例"));
        let json: Value = serde_json::from_str(&example)
            .unwrap_or_else(|err| panic!("{name}: the response example is not JSON: {err}"));
        match (generated.response)(example.as_bytes()) {
            Ok(decoded) => {
                // The values: `data`, or what sits beside `code` and `msg` (the token pages').
                let values = match json.get("data") {
                    Some(data) => data.clone(),
                    None => {
                        let mut beside = json.clone();
                        if let Some(fields) = beside.as_object_mut() {
                            fields.remove("code");
                            fields.remove("msg");
                        }
                        beside
                    }
                };
                let mut expected = Vec::new();
                leaves(&values, &mut expected);
                // A secret's `Debug` leaves its value out, by design.
                let redacted = decoded.contains("Secret(<redacted>)");
                let lost: Vec<&String> = expected
                    .iter()
                    .filter(|leaf| !decoded.contains(leaf.as_str()))
                    .filter(|leaf| !(redacted && leaf.starts_with('"')))
                    .collect();
                if !lost.is_empty() {
                    problems.push(format!("{name}: the decoded response lost {lost:?}"));
                }
            }
            Err(err) => problems.push(format!(
                "{name}: the response example does not decode: {err}"
            )),
        }
        responses += 1;

        if let (Some(example), Some(body)) = (example_after(&page, "请求体示例"), generated.body)
        {
            let page_body: Value = serde_json::from_str(&example)
                .unwrap_or_else(|err| panic!("{name}: the request example is not JSON: {err}"));
            match body(&example) {
                Ok(sent) if sent == page_body => {}
                Ok(sent) => problems.push(format!(
                    "{name}: the request sends\n{sent}\nnot the page's\n{page_body}"
                )),
                Err(err) => problems.push(format!(
                    "{name}: the request example does not fit the body: {err}"
                )),
            }
            bodies += 1;
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    // Every generated endpoint's page was seen (two pages may be one endpoint's).
    assert!(
        responses >= GENERATED.len(),
        "{responses} pages for {} endpoints",
        GENERATED.len()
    );
    assert!(bodies > 0);
    println!("{responses} response examples and {bodies} request examples checked");
}
