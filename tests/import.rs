//! `codegen import`: doc pages in, the committed specs' facts out, and a report of exactly
//! what a changed page changes.

use std::path::Path;

use feishu_openapi_codegen::import::{self, Imported, Outcome};
use feishu_openapi_codegen::listing::LISTING_FILE;
use feishu_openapi_codegen::load::{Overlay, RawEndpoint, RawService, RawText, RawUnknownOutcome};
use feishu_openapi_codegen::{generate_tree, render, write};
use feishu_openapi_tests::{copy_dir, scratch_dir, workspace_root};

const UNBIND_PAGE: &str = "spec/pages/calendar-v4-event-meeting-chat-delete.md";
const UNBIND_SPEC: &str = "spec/calendar.v4.calendar_event_meeting_chat.delete.yaml";
const CALENDAR_SERVICE: &str = "spec/services/calendar.yaml";

fn import(page: &Path, spec_dir: &Path) -> Imported {
    import::import_page(page, spec_dir, &Overlay::new())
        .unwrap_or_else(|err| panic!("{err}"))
        .unwrap_or_else(|| panic!("{} is not an endpoint page", page.display()))
}

/// A spec file's YAML under its comment header.
fn parse<T: serde::de::DeserializeOwned>(yaml: &str) -> T {
    let body: String = yaml
        .lines()
        .skip_while(|line| line.starts_with('#'))
        .map(|line| format!("{line}\n"))
        .collect();
    serde_yaml::from_str(&body).unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn every_page_reimports_to_its_committed_spec_unchanged() {
    let root = workspace_root();
    let mut imported_ops = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(root.join("spec/pages")).expect("spec/pages") {
        let page = entry.expect("entry").path();
        let Some(imported) =
            import::import_page(&page, &root.join("spec"), &Overlay::new()).expect("import")
        else {
            continue;
        };
        imported_ops.insert(imported.spec_path.clone());
        assert_eq!(imported.changes, Vec::<String>::new(), "{}", page.display());
        // A service translated into English (its title has `en`) stays translated; pages of
        // other services need no English.
        let service = imported
            .spec_path
            .file_name()
            .and_then(|name| name.to_str())
            .and_then(|name| name.split('.').next())
            .expect("service");
        let service_path = root.join("spec/services").join(format!("{service}.yaml"));
        // The platform's error codes have no service: they are translated.
        let translated = std::fs::read_to_string(&service_path)
            .map(|text| parse::<RawService>(&text).title.en.is_some())
            .unwrap_or(true);
        if translated {
            assert_eq!(
                imported.untranslated,
                Vec::<String>::new(),
                "{}",
                page.display()
            );
        }
        let committed = std::fs::read_to_string(&imported.spec_path).expect("spec");
        assert_eq!(imported.yaml, committed, "{}", page.display());
        assert_eq!(imported.service, None, "{}", page.display());
    }
    // Every endpoint's page (some in both formats), and the common error code page.
    let endpoint_specs = std::fs::read_dir(root.join("spec"))
        .expect("spec")
        .filter(|entry| {
            entry
                .as_ref()
                .is_ok_and(|entry| entry.path().extension().is_some_and(|ext| ext == "yaml"))
        })
        .count();
    assert_eq!(imported_ops.len(), endpoint_specs + 1);
}

#[test]
fn importing_the_unbind_page_afresh_yields_the_committed_facts() {
    let root = workspace_root();
    let empty = scratch_dir("import-afresh");
    let imported = import(&root.join(UNBIND_PAGE), &empty);
    assert!(!imported.existed);
    let fresh: RawEndpoint = parse(&imported.yaml);
    let committed: RawEndpoint =
        parse(&std::fs::read_to_string(root.join(UNBIND_SPEC)).expect("spec"));
    // Facts only: the fresh spec has no English and the SDK's name.
    assert_eq!(import::report(&committed, &fresh), Vec::<String>::new());
    assert_eq!(fresh.rust_name, "DeleteCalendarEventMeetingChat");
    assert_eq!(committed.rust_name, "UnbindMeetingChat");
    assert!(fresh.title.en.is_none());
    assert!(
        imported
            .untranslated
            .contains(&"errors.codes[20].advice".to_owned())
    );
    // The service is new too: each of its codes is named once, from its message.
    let (service_path, service_yaml) = imported.service.expect("a new service");
    assert!(service_path.ends_with("services/calendar.yaml"));
    let service: RawService = parse(&service_yaml);
    assert_eq!(service.rust_name, "Calendar");
    assert_eq!(service.errors.len(), 21);
    let chat = service
        .errors
        .iter()
        .find(|row| row.code == 195108)
        .expect("195108");
    assert_eq!(chat.rust_name, "ChatNotMatchWithEvent");
    assert!(!chat.retryable);
}

#[test]
fn a_new_spec_may_resend_only_a_get_and_a_reimport_keeps_the_specs_choice() {
    let root = workspace_root();
    let empty = scratch_dir("import-unknown-outcome");
    let fresh =
        |page: &str| parse::<RawEndpoint>(&import(&root.join(page), &empty).yaml).unknown_outcome;
    let only = |resend| RawUnknownOutcome {
        resend,
        codes_if_applied: Vec::new(),
    };
    assert_eq!(fresh(UNBIND_PAGE), only(false));
    assert_eq!(
        fresh("spec/pages/mirror--calendar-v4--calendar-event--get.md"),
        only(true)
    );

    // The spec's choice, whatever it is, survives a re-import of the page.
    let spec_dir = scratch_dir("import-unknown-outcome-kept");
    copy_dir(&root.join("spec/services"), &spec_dir.join("services"));
    let committed = std::fs::read_to_string(root.join(UNBIND_SPEC)).expect("spec");
    let curated = committed.replacen(
        "unknown_outcome:\n  resend: true\n  codes_if_applied:\n  - 195108\n",
        "unknown_outcome:\n  resend: false\n  codes_if_applied:\n  - 195108\n  - 195107\n",
        1,
    );
    assert_ne!(curated, committed, "the curation edit did not apply");
    let spec_path = spec_dir.join(UNBIND_SPEC.trim_start_matches("spec/"));
    std::fs::write(&spec_path, &curated).expect("write spec");
    let imported = import(&root.join(UNBIND_PAGE), &spec_dir);
    assert_eq!(imported.changes, Vec::<String>::new());
    assert_eq!(
        parse::<RawEndpoint>(&imported.yaml).unknown_outcome,
        RawUnknownOutcome {
            resend: false,
            codes_if_applied: vec![195108, 195107],
        }
    );
}

/// Collapses whitespace: format B puts on one line what format A breaks over several.
fn facts_only(mut spec: RawEndpoint) -> RawEndpoint {
    fn text(text: &mut RawText) {
        text.zh = text.zh.split_whitespace().collect::<Vec<_>>().join(" ");
        text.en = None;
    }
    text(&mut spec.title);
    text(&mut spec.description);
    spec.notes.iter_mut().for_each(text);
    spec.auth.description.iter_mut().for_each(text);
    spec.scopes
        .iter_mut()
        .filter_map(|s| s.label.as_mut())
        .for_each(text);
    for param in spec.path_params.iter_mut().chain(&mut spec.query_params) {
        text(&mut param.description);
    }
    for field in spec
        .response
        .envelope
        .iter_mut()
        .chain(&mut spec.response.data)
    {
        text(&mut field.description);
    }
    spec.errors
        .codes
        .iter_mut()
        .for_each(|row| text(&mut row.advice));
    spec
}

#[test]
fn both_page_formats_give_the_same_facts() {
    let root = workspace_root();
    let empty = scratch_dir("import-formats");
    let a: RawEndpoint = parse(&import(&root.join(UNBIND_PAGE), &empty).yaml);
    let b_page = root.join("tests/pages/unbind-meeting-chat-format-b.md");
    let b: RawEndpoint = parse(&import(&b_page, &empty).yaml);
    // The one fact that differs: each crawler saved the page under another of its addresses.
    assert_eq!(
        a.source.url,
        "https://open.feishu.cn/document/calendar-v4/calendar-event-meeting_chat/delete"
    );
    assert_eq!(
        b.source.url,
        "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/calendar-v4/calendar-event-meeting_chat/delete"
    );
    let mut b = facts_only(b);
    b.source.url = a.source.url.clone();
    let a = facts_only(a);
    assert_eq!(import::report(&a, &b), Vec::<String>::new());
    assert_eq!(a, b);
}

#[test]
fn a_changed_page_changes_exactly_its_facts_in_report_spec_and_code() {
    let root = workspace_root();
    let scratch = scratch_dir("import-changed");
    copy_dir(&root.join("spec"), &scratch.join("spec"));
    copy_dir(&root.join("generated"), &scratch.join("generated"));

    let page = std::fs::read_to_string(root.join(UNBIND_PAGE)).expect("page");
    let new_row = "400 | 195998 | chat unbind not allowed now | 当前不允许解绑会议群。\n";
    let changed = page
        .replace("[1000 次/分钟、50 次/秒]", "[1000 次/分钟、100 次/秒]")
        .replace(
            "开启任一权限即可 | 更新日历及日程信息(calendar:calendar)  \n            更新日程(calendar:calendar.event:update)",
            "开启任一权限即可 | 更新日历及日程信息(calendar:calendar)",
        )
        .replace("\n\n更多错误码信息", &format!("\n{new_row}\n更多错误码信息"));
    assert!(changed != page, "the page edit did not apply");
    let page_path = scratch.join("page.md");
    std::fs::write(&page_path, changed).expect("write page");
    // A curated service row: its Rust name and retry verdict are choices no page carries.
    let service_path = scratch.join(CALENDAR_SERVICE);
    let service_text = std::fs::read_to_string(&service_path).expect("service");
    let curated = service_text.replacen(
        "  rust_name: InvalidParametersInRequest\n  status: 400\n  message: invalid parameters in request\n  retryable: false",
        "  rust_name: InvalidParams\n  status: 400\n  message: invalid parameters in request\n  retryable: true",
        1,
    );
    assert!(curated != service_text, "the curation edit did not apply");
    std::fs::write(&service_path, curated).expect("write service");
    // Generated code as the curated spec makes it, before the import.
    let generated = scratch.join("generated");
    let before = generate_tree(&scratch.join("spec")).unwrap_or_else(|err| panic!("{err}"));
    let curation = write::changes(&before, &generated).expect("changes");
    write::apply(&curation, &generated).expect("apply");

    let imported = import(&page_path, &scratch.join("spec"));
    assert_eq!(
        imported.changes,
        [
            "- scope calendar:calendar.event:update: 更新日程",
            "~ rate limit per second: 50 -> 100",
            "+ error code 195998: HTTP 400 \"chat unbind not allowed now\": 当前不允许解绑会议群。",
            "+ calendar error code 195998, named ChatUnbindNotAllowedNow",
        ]
    );
    assert_eq!(imported.untranslated, ["errors.codes[21].advice"]);
    assert!(import::write_spec(&imported).expect("write spec"));

    // The spec keeps its English and Rust name; the service keeps its names and retry
    // verdicts, and gains the new code.
    let spec: RawEndpoint = parse(&imported.yaml);
    assert_eq!(spec.rust_name, "UnbindMeetingChat");
    assert_eq!(spec.title.en.as_deref(), Some("Unbind meeting chat"));
    let service: RawService = parse(&std::fs::read_to_string(&service_path).expect("service"));
    let curated = service
        .errors
        .iter()
        .find(|row| row.code == 190002)
        .expect("row");
    assert_eq!(
        (curated.rust_name.as_str(), curated.retryable),
        ("InvalidParams", true)
    );
    let new = service
        .errors
        .iter()
        .find(|row| row.code == 195998)
        .expect("row");
    assert_eq!(
        (
            new.rust_name.as_str(),
            new.retryable,
            new.advice.en.as_ref()
        ),
        ("ChatUnbindNotAllowedNow", false, None)
    );

    // Regenerating touches the endpoint's module and reference page, the service's errors
    // (a new code) and the API listing only.
    let tree = generate_tree(&scratch.join("spec")).unwrap_or_else(|err| panic!("{err}"));
    let changes = write::changes(&tree, &generated).expect("changes");
    let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "docs/calendar.v4.calendar_event_meeting_chat.delete.md",
            LISTING_FILE,
            "src/calendar/errors.rs",
            "src/calendar/v4/unbind_meeting_chat.rs",
        ]
    );
    // The new code is defined once, in the service's errors ...
    let service = changes[2].unified_diff();
    assert!(
        service.contains("\n+    ChatUnbindNotAllowedNow,\n"),
        "{service}"
    );
    assert!(
        service.contains("+pub const CHAT_UNBIND_NOT_ALLOWED_NOW: ErrorCodeInfo"),
        "{service}"
    );
    // ... and the endpoint's table refers to it.
    let code = changes[3].unified_diff();
    let added: Vec<&str> = code.lines().filter(|l| l.starts_with('+')).collect();
    let removed: Vec<&str> = code.lines().filter(|l| l.starts_with('-')).collect();
    assert!(
        added.iter().any(|l| l.trim()
            == "+errors::CHAT_UNBIND_NOT_ALLOWED_NOW,".trim_start_matches('+')
            || l.ends_with("errors::CHAT_UNBIND_NOT_ALLOWED_NOW,")),
        "{code}"
    );
    assert!(
        added
            .iter()
            .any(|l| l.contains("RateLimit::per_second(100)"))
    );
    assert!(
        removed
            .iter()
            .any(|l| l.contains("RateLimit::per_second(50)"))
    );
    // The scope is defined once per service; the endpoint drops its reference to it.
    assert!(
        removed
            .iter()
            .any(|l| l.contains("scopes::CALENDAR_CALENDAR_EVENT_UPDATE")),
        "{code}"
    );
    assert!(
        !added
            .iter()
            .any(|l| l.contains("CALENDAR_CALENDAR_EVENT_UPDATE")),
        "{code}"
    );
}

/// Rewords every error message and its advice, every value's and field's description, and
/// every struct's type name on a page: prose, none of it an identifier.
fn reword(page: &str) -> String {
    page.lines()
        .map(|line| {
            let cells: Vec<&str> = line.split(" | ").collect();
            let is_error_row = cells.len() == 4 && cells[1].trim().parse::<i64>().is_ok();
            if is_error_row {
                format!(
                    "{} | {} | the page now says {} differently | 新的说法：{}",
                    cells[0], cells[1], cells[2], cells[3]
                )
            } else {
                line.replace("`time_info`", "`event_time`")
                    .replace("标识一个用户", "表示一个用户")
                    .replace(": 私密", ": 仅自己可见")
                    .replace("日程开始时间。", "开始的时间。")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn rewording_a_page_changes_no_public_rust_name() {
    let root = workspace_root();
    let scratch = scratch_dir("import-reworded");
    copy_dir(&root.join("spec"), &scratch.join("spec"));
    let pages = scratch.join("pages");
    std::fs::create_dir_all(&pages).expect("pages");
    let mut reworded_rows = 0;
    for page in [
        UNBIND_PAGE,
        "spec/pages/mirror--calendar-v4--calendar-event--get.md",
        "spec/pages/mirror--calendar-v4--calendar--primary.md",
    ] {
        let text = std::fs::read_to_string(root.join(page)).expect("page");
        let new = reword(&text);
        assert_ne!(new, text);
        reworded_rows += new.matches("the page now says").count();
        let name = Path::new(page).file_name().expect("name");
        std::fs::write(pages.join(name), new).expect("write");
    }
    assert!(reworded_rows > 50, "{reworded_rows} rows reworded");

    let pages: Vec<_> = std::fs::read_dir(&pages)
        .expect("pages")
        .map(|entry| entry.expect("entry").path())
        .collect();
    let run = import::import_pages(&pages, &scratch.join("spec")).expect("import");
    for page in &run.outcomes {
        match &page.outcome {
            Outcome::Imported(imported) => {
                assert!(
                    imported
                        .changes
                        .iter()
                        .any(|c| c.contains("the page now says")),
                    "{}: {:?}",
                    page.page.display(),
                    imported.changes
                );
            }
            other => panic!("{}: {other:?}", page.page.display()),
        }
    }
    // The facts changed; every public name, and so the API listing, did not.
    let listing = render(&run.specs).expect("render").files[LISTING_FILE].clone();
    let committed =
        std::fs::read_to_string(root.join("generated").join(LISTING_FILE)).expect("listing");
    assert_eq!(listing, committed);
}

#[test]
fn an_unchanged_page_reports_nothing_and_writes_nothing() {
    let root = workspace_root();
    let scratch = scratch_dir("import-unchanged");
    copy_dir(&root.join("spec"), &scratch.join("spec"));
    let imported = import(&root.join(UNBIND_PAGE), &scratch.join("spec"));
    assert!(imported.changes.is_empty());
    assert!(!import::write_spec(&imported).expect("write"));
}

#[test]
fn a_request_body_added_to_a_page_is_imported_and_reported() {
    let root = workspace_root();
    let scratch = scratch_dir("import-body");
    copy_dir(&root.join("spec"), &scratch.join("spec"));
    let page = std::fs::read_to_string(root.join(UNBIND_PAGE)).expect("page");
    let with_body = page.replace(
        "## 响应",
        "### 请求体\n\n名称 | 类型 | 必填 | 描述\n--- | --- | --- | ---\n\
         summary | string | 否 | 标题  \n**示例值**：\"周会\"\n\n## 响应",
    );
    let path = scratch.join("page.md");
    std::fs::write(&path, with_body).expect("write");
    let imported = import(&path, &scratch.join("spec"));
    assert_eq!(
        imported.changes,
        ["+ body field summary: string, optional, example Some(\"周会\") []: 标题"]
    );
    let spec: RawEndpoint = parse(&imported.yaml);
    assert_eq!(spec.request_body.len(), 1);
    assert_eq!(spec.request_body[0].required, Some(false));
    assert_eq!(spec.request_body[0].example.as_deref(), Some("周会"));
    assert_eq!(imported.untranslated, ["request_body[0].description"]);
}

#[test]
fn a_page_that_is_no_endpoint_is_not_imported() {
    let root = workspace_root();
    let page = root.join("spec/pages/mirror--api-call-guide--uUzN04SN3QjL1cDN.md");
    let outcome =
        import::import_page(&page, &root.join("spec"), &Overlay::new()).expect("readable");
    assert_eq!(outcome, None);
}

#[test]
fn an_endpoint_keeps_the_operation_id_it_was_imported_under() {
    // The spec was imported under an id that today's importer would not derive from the page
    // (an older rule, or a hand decision): the page's method and path find it all the same.
    let root = workspace_root();
    let scratch = scratch_dir("import-kept-id");
    copy_dir(&root.join("spec"), &scratch.join("spec"));
    let spec_dir = scratch.join("spec");
    let old_id = "calendar.v4.calendar_event_meeting_chat.delete";
    let kept_id = "calendar.v4.meeting_chat.unbind";
    let text = std::fs::read_to_string(spec_dir.join(format!("{old_id}.yaml"))).expect("spec");
    std::fs::remove_file(spec_dir.join(format!("{old_id}.yaml"))).expect("remove");
    std::fs::write(
        spec_dir.join(format!("{kept_id}.yaml")),
        text.replace(
            &format!("operation_id: {old_id}"),
            &format!("operation_id: {kept_id}"),
        ),
    )
    .expect("write");

    let imported = import::import_page(&root.join(UNBIND_PAGE), &spec_dir, &Overlay::new())
        .expect("import")
        .expect("endpoint");
    assert_eq!(
        imported.spec_path.file_name().and_then(|n| n.to_str()),
        Some(format!("{kept_id}.yaml").as_str())
    );
    assert_eq!(imported.changes, Vec::<String>::new());
    assert!(!spec_dir.join(format!("{old_id}.yaml")).exists());
}
