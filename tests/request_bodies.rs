//! Request bodies end to end: a doc page's 请求体 table is imported into `request_body`,
//! generates a body struct with `new` arguments and `with_` setters, and the runtime sends a
//! body as JSON with its content type.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use feishu_openapi::calendar::v4::UnbindMeetingChatRequest;
use feishu_openapi::calendar::v4::unbind_meeting_chat;
use feishu_openapi::calendar::{CalendarId, EventId, MeetingChatId};
use feishu_openapi::{
    AccessToken, BaseUrl, BuildRequestError, Endpoint, JSON_CONTENT_TYPE, Operation, PathAndQuery,
    to_json_body,
};
use feishu_openapi_codegen::generate_tree;
use feishu_openapi_codegen::import::{self, Imported};
use feishu_openapi_codegen::load::{Overlay, RawEndpoint};
use feishu_openapi_codegen::model::BodyEncoding;
use feishu_openapi_tests::{copy_dir, generated_workspace, scratch_dir, workspace_root};

const CREATE_EVENT_SPEC: &str = "calendar.v4.calendar_event.create.yaml";
const CREATE_EVENT_MODULE: &str = "src/calendar/v4/create_calendar_event.rs";

fn page(format: &str) -> PathBuf {
    workspace_root().join(format!("tests/pages/create-event-format-{format}.md"))
}

/// Imports a test page into a scratch spec dir beside the committed shared specs.
fn import_into(test: &str, page: &Path) -> (PathBuf, Imported) {
    let spec_dir = scratch_dir(test).join("spec");
    copy_dir(
        &workspace_root().join("spec/shared"),
        &spec_dir.join("shared"),
    );
    let imported = import::import_page(page, &spec_dir, &Overlay::new())
        .unwrap_or_else(|err| panic!("{err}"))
        .unwrap_or_else(|| panic!("{} is not an endpoint page", page.display()));
    import::write_spec(&imported).unwrap_or_else(|err| panic!("{err}"));
    (spec_dir, imported)
}

fn parse(yaml: &str) -> RawEndpoint {
    serde_yaml::from_str(yaml).unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn the_request_body_table_is_imported_nested_with_required_flags_examples_and_values() {
    let (_, imported) = import_into("body-import", &page("b"));
    assert!(imported.spec_path.ends_with(CREATE_EVENT_SPEC));
    let spec = parse(&imported.yaml);
    let names: Vec<(&str, &str, bool)> = spec
        .request_body
        .iter()
        .map(|f| {
            (
                f.name.as_str(),
                f.field_type.as_str(),
                f.required == Some(true),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("summary", "string", false),
            ("description", "string", false),
            ("need_notification", "bool", false),
            ("start_time", "object", true),
            ("end_time", "object", true),
            ("visibility", "enum", false),
            ("color", "int", false),
            ("reminders", "object", false),
        ]
    );
    let start_time = &spec.request_body[3];
    assert_eq!(start_time.rust_name.as_deref(), Some("TimeInfo"));
    let nested: Vec<&str> = start_time.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(nested, ["date", "timestamp", "timezone"]);
    assert_eq!(start_time.fields[1].example.as_deref(), Some("1602504000"));
    let visibility = &spec.request_body[5];
    assert_eq!(visibility.default.as_deref(), Some("default"));
    let values: Vec<&str> = visibility.values.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["default", "public", "private"]);
    let reminders = &spec.request_body[7];
    assert!(reminders.array);
    assert_eq!(reminders.fields[0].required, Some(true));
    assert_eq!(spec.request_body[6].example.as_deref(), Some("-1"));
    // Untranslated body text is listed like any other.
    assert!(
        imported
            .untranslated
            .contains(&"request_body[3].fields[0].description".to_owned())
    );
}

#[test]
fn both_page_formats_give_the_same_request_body() {
    let (_, a) = import_into("body-format-a", &page("a"));
    let (_, b) = import_into("body-format-b", &page("b"));
    let (a, b) = (parse(&a.yaml), parse(&b.yaml));
    assert!(!a.request_body.is_empty());
    assert_eq!(a.request_body, b.request_body);
    assert_eq!(a.query_params, b.query_params);
    assert_eq!(a.response, b.response);
}

#[test]
fn reimporting_keeps_english_and_chosen_names_and_reports_body_changes() {
    let (spec_dir, imported) = import_into("body-merge", &page("b"));
    let curated = imported
        .yaml
        .replacen("rust_name: TimeInfo", "rust_name: EventTime", 2)
        .replacen(
            "    zh: 日程描述。\n",
            "    zh: 日程描述。\n    en: The event's description.\n",
            1,
        );
    assert_ne!(curated, imported.yaml);
    std::fs::write(&imported.spec_path, &curated).expect("write");

    // The page unchanged: nothing to report, the curation kept.
    let again = import::import_page(&page("b"), &spec_dir, &Overlay::new())
        .expect("import")
        .expect("endpoint");
    assert_eq!(again.changes, Vec::<String>::new());
    assert_eq!(again.yaml, curated);

    // A body field made required, one added: exactly those in the report.
    let text = std::fs::read_to_string(page("b")).expect("page");
    let changed = text
        .replace(
            "| `summary` | `string` | 否 |",
            "| `summary` | `string` | 是 |",
        )
        .replace(
            "| `color` | `int` | 否 |",
            "| `location_name` | `string` | 否 | 地点名称。<br>**示例值**：\"会议室\" |\n| `color` | `int` | 否 |",
        );
    let changed_page = spec_dir.join("changed.md");
    std::fs::write(&changed_page, changed).expect("write");
    let merged = import::import_page(&changed_page, &spec_dir, &Overlay::new())
        .expect("import")
        .expect("endpoint");
    assert_eq!(merged.changes.len(), 2, "{:#?}", merged.changes);
    assert!(
        merged.changes[0].starts_with("~ body field summary: string, optional")
            && merged.changes[0].contains("string, required"),
        "{}",
        merged.changes[0]
    );
    assert!(
        merged.changes[1].starts_with("+ body field location_name: string, optional"),
        "{}",
        merged.changes[1]
    );
    assert!(merged.yaml.contains("rust_name: EventTime"));
    assert!(merged.yaml.contains("en: The event's description."));
}

#[test]
fn an_imported_body_generates_a_struct_with_new_arguments_setters_and_the_json_hook() {
    let (spec_dir, _) = import_into("body-generate", &page("b"));
    // Only the fixture and the shared specs: generation parses and formats every file.
    let tree = generate_tree(&spec_dir).unwrap_or_else(|err| panic!("{err}"));
    let code = &tree.files[CREATE_EVENT_MODULE];
    for expected in [
        // The request takes the path param, then the required body fields.
        "    pub fn new(\n        calendar_id: CalendarId,\n        start_time: body::TimeInfo,\n        end_time: body::TimeInfo,\n    ) -> Self {",
        "            body: body::CreateCalendarEventBody::new(start_time, end_time),",
        // Optional body fields: setters on the request, forwarding to the body.
        "    pub fn with_summary(mut self, summary: impl Into<String>) -> Self {\n        self.body = self.body.with_summary(summary);",
        "    pub fn with_visibility(mut self, visibility: body::Visibility) -> Self {",
        "    /// Example: `default`; when left out: `default`",
        "    pub fn with_reminders(mut self, reminders: Vec<body::Reminder>) -> Self {",
        "    pub body: body::CreateCalendarEventBody,",
        // The hook.
        "    fn json_body(&self) -> Result<Option<Vec<u8>>, crate::BuildRequestError> {\n        crate::to_json_body(&self.body).map(Some)\n    }",
        // The body module: unset optional fields are left out of the JSON.
        "pub mod body {",
        "    #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]\n    #[non_exhaustive]\n    #[must_use]\n    pub struct CreateCalendarEventBody {",
        "        #[serde(skip_serializing_if = \"Option::is_none\")]\n        pub summary: Option<String>,",
        "        pub start_time: TimeInfo,",
        // A nested object with only optional fields can be built empty.
        "    #[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]\n    #[non_exhaustive]\n    #[must_use]\n    pub struct TimeInfo {",
        "        pub fn with_timestamp(mut self, timestamp: impl Into<String>) -> Self {",
        // A list item with a required field takes it in `new`.
        "        pub fn new(minutes: i64) -> Self {\n            Self { minutes }\n        }",
        // A string with 可选值有 is an enum sent as its value.
        "        #[serde(rename = \"private\")]\n        Private,",
        // The doc example builds the required body fields from their examples.
        "/// use feishu_openapi::calendar::{CalendarId};",
        "/// let request = CreateCalendarEventRequest::new(CalendarId::new(\"feishu.cn_xxxxxxxxxx@group.calendar.feishu.cn\")?, body::TimeInfo::new(), body::TimeInfo::new())",
    ] {
        assert!(
            code.contains(expected),
            "missing:\n{expected}\n\nin:\n{code}"
        );
    }
    let docs = &tree.files["docs/calendar.v4.calendar_event.create.md"];
    assert!(docs.contains("### Request body"), "{docs}");
    assert!(
        docs.contains("| `start_time.timestamp` | string | no |"),
        "{docs}"
    );
    assert!(
        docs.contains("| `reminders[].minutes` | int | yes |"),
        "{docs}"
    );
}

#[test]
fn endpoints_without_a_body_generate_no_body() {
    let spec_dir = workspace_root().join("spec");
    let specs = feishu_openapi_codegen::load_all(&spec_dir).unwrap_or_else(|err| panic!("{err}"));
    let tree = generate_tree(&spec_dir).unwrap_or_else(|err| panic!("{err}"));
    for endpoint in &specs.endpoints {
        let path = feishu_openapi_codegen::emit::endpoint_path(endpoint);
        let code = &tree.files[&path];
        let has_body = !endpoint.request_body.is_empty();
        let multipart = endpoint.body_encoding == BodyEncoding::Multipart;
        assert_eq!(
            code.contains("fn json_body"),
            has_body && !multipart,
            "{path}"
        );
        assert_eq!(
            code.contains("fn multipart_body"),
            has_body && multipart,
            "{path}"
        );
        assert_eq!(code.contains("pub mod body"), has_body, "{path}");
    }
}

/// A request body of the page's 请求体示例, to send with the unbind endpoint's facts.
#[derive(Debug)]
struct WithBody<B> {
    request: UnbindMeetingChatRequest,
    body: B,
}

/// The unbind endpoint's facts, sent as a POST: an endpoint written by hand builds its own.
static WITH_BODY: Operation = Operation::new(
    unbind_meeting_chat::OPERATION_ID,
    http::Method::POST,
    unbind_meeting_chat::OPERATION.path_template,
)
.with_token_types(unbind_meeting_chat::OPERATION.token_types);

impl<B: serde::Serialize> Endpoint for WithBody<B> {
    const OPERATION: &'static Operation = &WITH_BODY;
    type Response = <UnbindMeetingChatRequest as Endpoint>::Response;
    type Error = <UnbindMeetingChatRequest as Endpoint>::Error;

    fn write_path_and_query(&self, out: &mut PathAndQuery) {
        self.request.write_path_and_query(out);
    }

    fn json_body(&self) -> Result<Option<Vec<u8>>, BuildRequestError> {
        to_json_body(&self.body).map(Some)
    }
}

fn unbind() -> UnbindMeetingChatRequest {
    UnbindMeetingChatRequest::new(
        CalendarId::new("cal").expect("id"),
        EventId::new("ev").expect("id"),
        MeetingChatId::new("oc").expect("id"),
    )
}

fn token() -> AccessToken {
    AccessToken::tenant("t-abc").expect("token")
}

#[test]
fn a_body_is_sent_as_json_with_its_content_type() {
    let example = std::fs::read_to_string(page("b")).expect("page");
    let example = example
        .split("### 请求体示例\n\n```json\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("请求体示例");
    let body: serde_json::Value = serde_json::from_str(example).expect("JSON");
    let endpoint = WithBody {
        request: unbind(),
        body: body.clone(),
    };
    let request = endpoint
        .http_request(&BaseUrl::FEISHU, &token())
        .expect("request");
    assert_eq!(request.method(), http::Method::POST);
    assert_eq!(
        request.headers()[http::header::CONTENT_TYPE],
        "application/json; charset=utf-8"
    );
    assert_eq!(
        request.headers()[http::header::CONTENT_TYPE],
        JSON_CONTENT_TYPE
    );
    assert_eq!(request.body(), &serde_json::to_vec(&body).expect("bytes"));
    let sent: serde_json::Value = serde_json::from_slice(request.body()).expect("JSON body");
    assert_eq!(sent, body);
    // Path, query and token are as without a body.
    assert_eq!(
        request.uri(),
        &unbind()
            .http_request(&BaseUrl::FEISHU, &token())
            .expect("request")
            .uri()
            .clone()
    );
}

#[test]
fn a_request_without_a_body_sends_no_body_and_no_content_type() {
    let request = unbind()
        .http_request(&BaseUrl::FEISHU, &token())
        .expect("request");
    assert!(unbind().json_body().expect("no body").is_none());
    assert!(request.body().is_empty());
    assert!(request.headers().get(http::header::CONTENT_TYPE).is_none());
}

#[test]
fn a_body_serde_cannot_write_is_an_error_not_a_panic() {
    // JSON object keys must be strings.
    let body: BTreeMap<(i32, i32), i32> = BTreeMap::from([((1, 2), 3)]);
    let endpoint = WithBody {
        request: unbind(),
        body,
    };
    let err = endpoint
        .http_request(&BaseUrl::FEISHU, &token())
        .expect_err("a map with tuple keys is no JSON");
    assert!(matches!(err, BuildRequestError::InvalidBody(_)), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("request body cannot be written as JSON: "),
        "{err}"
    );
}

/// Edits the imported create-event spec and returns what loading it reports, by field path.
fn problems_after_edit(test: &str, edit: impl Fn(&str) -> String) -> Vec<(String, String)> {
    let (spec_dir, imported) = import_into(test, &page("b"));
    let edited = edit(&imported.yaml);
    assert_ne!(edited, imported.yaml, "the edit must change the spec");
    std::fs::write(&imported.spec_path, edited).expect("write");
    match feishu_openapi_codegen::load_all(&spec_dir) {
        Err(feishu_openapi_codegen::Error::Spec(problems)) => problems
            .0
            .into_iter()
            .inspect(|p| assert!(p.line > 0 && p.column > 0, "{p}"))
            .map(|p| (p.field, p.message))
            .collect(),
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("the edited spec was accepted"),
    }
}

#[test]
fn a_body_type_named_like_the_body_struct_is_refused() {
    let problems = problems_after_edit("body-clash", |yaml| {
        yaml.replacen(
            "rust_name: Reminder",
            "rust_name: CreateCalendarEventBody",
            1,
        )
    });
    assert_eq!(
        problems,
        [(
            "request_body".to_owned(),
            "CreateCalendarEventBody, the body's own struct, is also the name of a type inside it"
                .to_owned()
        )]
    );
}

#[test]
fn one_body_type_name_for_two_shapes_is_refused() {
    // end_time's TimeInfo loses its timezone: one name, two shapes.
    let problems = problems_after_edit("body-two-shapes", |yaml| {
        let end = yaml.find("- name: end_time").expect("end_time");
        let (head, tail) = yaml.split_at(end);
        format!(
            "{head}{}",
            tail.replacen("  - name: timezone", "  - name: zone", 1)
        )
    });
    assert_eq!(
        problems,
        [(
            "request_body[4].rust_name".to_owned(),
            "struct TimeInfo is declared again with other fields".to_owned()
        )]
    );
}

#[test]
fn a_parameter_named_body_is_refused_beside_a_body() {
    let problems = problems_after_edit("body-param", |yaml| {
        yaml.replacen("- name: idempotency_key", "- name: body", 1)
    });
    assert_eq!(
        problems,
        [(
            "query_params[0].name".to_owned(),
            "a parameter named `body` clashes with the request's `body()`".to_owned()
        )]
    );
}

/// A crate test for the generated create-event module: built from the page's examples, the
/// request's body is the page's 请求体示例.
const GENERATED_BODY_TEST: &str = r#####"
use feishu_openapi::calendar::v4::create_calendar_event::{body, CreateCalendarEventRequest};
use feishu_openapi::calendar::CalendarId;
use feishu_openapi::{AccessToken, BaseUrl, Endpoint};

const PAGE_EXAMPLE: &str = r####"@PAGE_JSON@"####;

fn token() -> AccessToken {
    AccessToken::tenant("t-abc").unwrap()
}

#[test]
fn the_page_examples_give_the_page_body() {
    let request = CreateCalendarEventRequest::new(
        CalendarId::new("feishu.cn_xxxxxxxxxx@group.calendar.feishu.cn").unwrap(),
        body::TimeInfo::new()
            .with_timestamp("1602504000")
            .with_timezone("Asia/Shanghai"),
        body::TimeInfo::new()
            .with_timestamp("1602505800")
            .with_timezone("Asia/Shanghai"),
    )
    .with_summary("日程标题")
    .with_description("日程描述")
    .with_need_notification(false)
    .with_visibility(body::Visibility::Default)
    .with_color(-1)
    .with_reminders(vec![body::Reminder::new(5)]);
    let http_request = request.http_request(&BaseUrl::FEISHU, &token()).unwrap();
    assert_eq!(http_request.method(), http::Method::POST);
    assert_eq!(
        http_request.uri(),
        "https://open.feishu.cn/open-apis/calendar/v4/calendars/feishu.cn_xxxxxxxxxx@group.calendar.feishu.cn/events"
    );
    assert_eq!(
        http_request.headers()[http::header::CONTENT_TYPE],
        "application/json; charset=utf-8"
    );
    let sent: serde_json::Value = serde_json::from_slice(http_request.body()).unwrap();
    let page: serde_json::Value = serde_json::from_str(PAGE_EXAMPLE).unwrap();
    assert_eq!(sent, page);
}

#[test]
fn unset_optional_fields_are_left_out() {
    let request = CreateCalendarEventRequest::new(
        CalendarId::new("cal").unwrap(),
        body::TimeInfo::new().with_date("2018-09-01"),
        body::TimeInfo::new().with_date("2018-09-02"),
    );
    let http_request = request.http_request(&BaseUrl::FEISHU, &token()).unwrap();
    assert_eq!(
        std::str::from_utf8(http_request.body()).unwrap(),
        r#"{"start_time":{"date":"2018-09-01"},"end_time":{"date":"2018-09-02"}}"#
    );
    assert_eq!(request.body, body::CreateCalendarEventBody::new(
        body::TimeInfo::new().with_date("2018-09-01"),
        body::TimeInfo::new().with_date("2018-09-02"),
    ));
}
"#####;

/// Runs `cargo test` on the scratch workspace holding the generated crate.
fn cargo_test_generated_crate(crate_dir: &Path) -> std::process::Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    // Its own target dir, kept between runs: the outer cargo holds the workspace's.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generated-body-crate");
    std::process::Command::new(cargo)
        .args([
            "test",
            "--offline",
            "--quiet",
            "--features",
            "calendar",
            "--manifest-path",
        ])
        .arg(crate_dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs")
}

#[test]
fn the_generated_body_code_compiles_and_sends_the_page_example() {
    let root = workspace_root();
    let (spec_dir, imported) = import_into("body-compile", &page("b"));
    // Beside the committed endpoints, which the crate's own doc examples use; the page's
    // create-event spec, not the committed one.
    copy_dir(&root.join("spec"), &spec_dir);
    std::fs::write(&imported.spec_path, &imported.yaml).expect("write spec");
    let scratch = spec_dir.parent().expect("scratch").join("workspace");
    let crate_dir = generated_workspace(&spec_dir, &scratch);
    let page_text = std::fs::read_to_string(page("b")).expect("page");
    let example = page_text
        .split("### 请求体示例\n\n```json\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("请求体示例");
    std::fs::create_dir_all(crate_dir.join("tests")).expect("tests dir");
    std::fs::write(
        crate_dir.join("tests/create_event_body.rs"),
        GENERATED_BODY_TEST.replace("@PAGE_JSON@", example),
    )
    .expect("write");

    let output = cargo_test_generated_crate(&crate_dir);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    // The two tests above ran.
    assert!(stdout.contains("running 2 tests"), "{stdout}");
}

#[test]
fn a_body_field_no_rust_identifier_can_name_is_refused() {
    let problems = problems_after_edit("body-keyword", |yaml| {
        yaml.replacen("- name: color", "- name: self", 1)
    });
    assert_eq!(
        problems,
        [(
            "request_body[6].name".to_owned(),
            "\"self\" is not a snake_case Rust name".to_owned()
        )]
    );
}
