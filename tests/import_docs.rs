//! `codegen import` on what the docs really contain: pages without a 通用错误码 link or a rate
//! limit, file uploads, legacy paths without a version, numeric values, and the docs' own
//! mistakes, which are kept as written and reported at their lines. Each test reads a page
//! of `tests/pages/` and checks the spec against what the page says.

use std::path::{Path, PathBuf};

use feishu_openapi_codegen::import::{self, Imported, Outcome};
use feishu_openapi_codegen::load::{Overlay, RawEndpoint, RawField};
use feishu_openapi_tests::{copy_dir, scratch_dir, workspace_root};

fn page(name: &str) -> PathBuf {
    workspace_root().join("tests/pages").join(name)
}

/// A spec dir holding only the shared specs, as for a service seen the first time.
fn fresh_spec_dir(test: &str) -> PathBuf {
    let spec_dir = scratch_dir(test).join("spec");
    copy_dir(
        &workspace_root().join("spec/shared"),
        &spec_dir.join("shared"),
    );
    spec_dir
}

fn import(page: &Path, spec_dir: &Path) -> Imported {
    import::import_page(page, spec_dir, &Overlay::new())
        .unwrap_or_else(|err| panic!("{err}"))
        .unwrap_or_else(|| panic!("{} is not an endpoint page", page.display()))
}

fn parse(yaml: &str) -> RawEndpoint {
    serde_yaml::from_str(yaml).unwrap_or_else(|err| panic!("{err}"))
}

fn names(fields: &[RawField]) -> Vec<(&str, &str, bool)> {
    fields
        .iter()
        .map(|f| (f.name.as_str(), f.field_type.as_str(), f.array))
        .collect()
}

fn defects(imported: &Imported) -> Vec<String> {
    imported
        .defects
        .iter()
        .map(|defect| format!("{}: {}", defect.line, defect.message))
        .collect()
}

#[test]
fn a_file_upload_is_a_multipart_body_with_a_file_field() {
    let imported = import(
        &page("upload-part-multipart.md"),
        &fresh_spec_dir("docs-upload"),
    );
    let spec = parse(&imported.yaml);
    assert_eq!(spec.operation_id, "drive.v1.media.upload_part");
    assert_eq!(
        spec.http.content_type.as_deref(),
        Some("multipart/form-data")
    );
    assert_eq!(
        names(&spec.request_body),
        [
            ("upload_id", "string", false),
            ("seq", "int", false),
            ("size", "int", false),
            ("checksum", "string", false),
            ("file", "file", false),
        ]
    );
    let required: Vec<bool> = spec
        .request_body
        .iter()
        .map(|f| f.required == Some(true))
        .collect();
    assert_eq!(required, [true, true, true, false, true]);
    // `| 接口频率限制 | [特殊频控](...) |`: a special limit, no count.
    let limits = spec.rate_limits.as_ref().expect("the row is on the page");
    assert_eq!(limits.special.as_deref(), Some("特殊频控"));
    assert!(limits.limits.is_empty());
    // No `更多错误码信息，参见[通用错误码](...)` line under the table.
    assert_eq!(spec.errors.more_info_url, None);
    // `## 使用限制` and the `> **Note**` quote are the page's notes.
    let notes: Vec<&str> = spec.notes.iter().map(|n| n.zh.as_str()).collect();
    assert_eq!(
        notes,
        [
            "使用限制：该接口调用频率上限为 5 QPS，10000 次/天。",
            "更多云文档接口权限问题，参考[常见问题](https://open.feishu.cn/document/ukTMukTMukTM/uczNzUjL3czM14yN3MTN)。",
        ]
    );
    assert_eq!(defects(&imported), Vec::<String>::new());
}

#[test]
fn a_legacy_page_is_named_from_its_path_and_nests_its_old_rows() {
    let imported = import(
        &page("legacy-meeting-room-summary.md"),
        &fresh_spec_dir("docs-legacy"),
    );
    let spec = parse(&imported.yaml);
    // `HTTP URL | https://open.feishu.cn/open-apis/meeting_room/summary/batch_get`, on a page
    // whose address (`/ukTMukTMukTM/uIjM5UjLyITO14iMykTN/`) names no operation.
    // Named by the path's fixed segments and the method, which tell endpoints apart.
    assert_eq!(
        spec.operation_id,
        "meeting_room.legacy.summary_batch_get.post"
    );
    assert_eq!(spec.rust_name, "PostSummaryBatchGet");
    assert_eq!(spec.http.path, "/open-apis/meeting_room/summary/batch_get");
    assert_eq!(spec.rate_limits, None);
    // `∟uid` rows under `EventUids`, whose example is a list.
    assert_eq!(names(&spec.request_body), [("EventUids", "object", true)]);
    assert_eq!(
        spec.request_body[0].rust_field.as_deref(),
        Some("event_uids")
    );
    assert_eq!(
        names(&spec.request_body[0].fields),
        [("uid", "string", false), ("original_time", "int", false)]
    );
    let data = names(&spec.response.data);
    assert_eq!(
        data,
        [
            ("EventInfos", "object", true),
            ("ErrorEventUids", "object", true)
        ]
    );
    let vchat = &spec.response.data[0].fields[3];
    assert_eq!(vchat.name, "vchat");
    assert_eq!(vchat.rust_name.as_deref(), Some("Vhcat"));
    assert_eq!(vchat.fields.len(), 4);
    // The `> **Note**` right under the title is a note, not the description.
    assert_eq!(
        spec.description.zh,
        "调用该接口使用日程的 Uid 和 Original time 查询会议室日程主题与详情。"
    );
    assert!(spec.notes[0].zh.starts_with("日程 ID（event_id）格式为"));
}

#[test]
fn the_docs_mistakes_are_kept_as_written_and_reported_at_their_lines() {
    let imported = import(&page("doc-defects.md"), &fresh_spec_dir("docs-defects"));
    assert_eq!(
        defects(&imported),
        [
            "41: query_params[1].default: \"空，表示不更新该字段\" is not a bool value; kept as written",
            "42: query_params[2].example: \"无\" is not an int value; kept as written",
            "49: request_body[1].example: \"Asia/Shanghai`\" has a stray backtick; kept as written",
            "50: request_body[2].example: \"[{\\\"type\\\": \\\"user\\\", // 参与人类型\\n\\\"user_id\\\": \\\"ou_xxx\\\"}]\" is not an object[] value; kept as written",
            "82: response.example: the example is not JSON: key must be a string at line 5 column 52; kept as written",
            "98: error code 190002 is listed twice; the first row is kept",
        ]
    );
    let spec = parse(&imported.yaml);
    assert_eq!(
        spec.query_params[1].default.as_deref(),
        Some("空，表示不更新该字段")
    );
    assert_eq!(spec.query_params[2].example, "无");
    assert_eq!(
        spec.request_body[2].example.as_deref(),
        Some("[{\"type\": \"user\", // 参与人类型\n\"user_id\": \"ou_xxx\"}]")
    );
    assert!(
        spec.response
            .example
            .contains("\"timeoff:XXXXXX-XXXX\", // 请假日程 ID")
    );
    // The spec says which values are the page's mistakes, so validation takes them.
    let listed: Vec<&str> = spec.doc_defects.iter().map(|d| d.at.as_str()).collect();
    assert_eq!(
        listed,
        [
            "query_params[1].default",
            "query_params[2].example",
            "request_body[1].example",
            "request_body[2].example",
            "response.example",
        ]
    );
    let codes: Vec<i64> = spec.errors.codes.iter().map(|row| row.code).collect();
    assert_eq!(codes, [190002, 190003, 190004]);
}

#[test]
fn numbers_with_values_named_data_two_types_of_one_name_and_odd_field_names() {
    let imported = import(&page("doc-defects.md"), &fresh_spec_dir("docs-shapes"));
    let spec = parse(&imported.yaml);
    // `folder_type` | `int` with `1`, `2`: an enum whose values are the numbers.
    let folder_type = &spec.query_params[0];
    assert_eq!(folder_type.param_type, "enum");
    let values: Vec<(&str, Option<&str>)> = folder_type
        .values
        .iter()
        .map(|v| (v.value.as_str(), v.rust_name.as_deref()))
        .collect();
    assert_eq!(values, [("1", Some("Value1")), ("2", Some("Value2"))]);
    // `data` | `timeoff_event`: the response type itself.
    assert_eq!(spec.response.envelope[2].rust_name, None);
    assert_eq!(
        names(&spec.response.data),
        [
            ("timeoff_event_id", "string", false),
            ("status", "int", false),
            ("home", "object", false),
            ("office", "object", false),
        ]
    );
    // An int response field lists its values as documentation.
    assert_eq!(spec.response.data[1].values.len(), 2);
    // Two `address` types of other fields: the later one is named after its holder.
    assert_eq!(spec.response.data[2].rust_name.as_deref(), Some("Address"));
    let office = &spec.response.data[3];
    assert_eq!(office.rust_name.as_deref(), Some("Office"));
    assert_eq!(office.fields[0].rust_name.as_deref(), Some("AddressOffice"));
    assert!(imported.changes.iter().any(|c| c.contains("AddressOffice")));
    // `IBAN`: the wire name kept, a Rust name beside it.
    let iban = &spec.request_body[3];
    assert_eq!(
        (iban.name.as_str(), iban.rust_field.as_deref()),
        ("IBAN", Some("iban"))
    );
    // No 接口频率限制 row, no 通用错误码 link: neither is made up.
    assert_eq!(spec.rate_limits, None);
    assert_eq!(spec.errors.more_info_url, None);
    // `## 注意事项` bullets, then the `> **Warning**` under the request headers.
    let notes: Vec<&str> = spec.notes.iter().map(|n| n.zh.as_str()).collect();
    assert_eq!(
        notes,
        [
            "请假日程只能由应用身份创建。",
            "同一用户的请假日程不能重叠。",
            "请假日程创建后不可修改，只能删除后重新创建。",
        ]
    );
}

#[test]
fn importing_a_page_again_changes_nothing() {
    for name in [
        "upload-part-multipart.md",
        "legacy-meeting-room-summary.md",
        "doc-defects.md",
    ] {
        let spec_dir = fresh_spec_dir(&format!("docs-again-{}", name.len()));
        let first = import(&page(name), &spec_dir);
        import::write_spec(&first).expect("write");
        let again = import(&page(name), &spec_dir);
        assert_eq!(again.changes, Vec::<String>::new(), "{name}");
        assert_eq!(again.yaml, first.yaml, "{name}");
        assert!(!import::write_spec(&again).expect("write"), "{name}");
    }
}

#[test]
fn the_mirror_format_of_a_committed_page_changes_nothing_and_keeps_english() {
    let root = workspace_root();
    let spec_dir = scratch_dir("docs-format-b").join("spec");
    copy_dir(&root.join("spec"), &spec_dir);
    let committed = std::fs::read_to_string(
        spec_dir.join("calendar.v4.calendar_event_meeting_chat.delete.yaml"),
    )
    .expect("spec");
    // The committed spec comes from format A; this is the same page as the mirror saves it.
    let imported = import(&page("unbind-meeting-chat-format-b.md"), &spec_dir);
    assert_eq!(imported.changes, Vec::<String>::new());
    assert_eq!(imported.yaml, committed);
    assert_eq!(imported.untranslated, Vec::<String>::new());
}

#[test]
fn a_changed_text_is_reported_from_where_it_differs() {
    let root = workspace_root();
    let spec_dir = scratch_dir("docs-report").join("spec");
    copy_dir(&root.join("spec"), &spec_dir);
    let text =
        std::fs::read_to_string(root.join("spec/pages/calendar-v4-event-meeting-chat-delete.md"))
            .expect("page");
    // A new word at the end of the description: the report shows it, from where it starts.
    let changed = text.replace(
        "为日程解绑已创建的会议群。",
        "为日程解绑已创建的会议群。 新",
    );
    assert_ne!(changed, text);
    let path = spec_dir.parent().expect("scratch").join("page.md");
    std::fs::write(&path, changed).expect("write");
    let imported = import(&path, &spec_dir);
    assert_eq!(imported.changes.len(), 1, "{:?}", imported.changes);
    let change = &imported.changes[0];
    assert!(change.starts_with("~ description: "), "{change}");
    let (was, is) = change
        .trim_start_matches("~ description: ")
        .split_once(" -> ")
        .expect("two sides");
    assert_ne!(was, is, "{change}");
    assert!(is.contains('新'), "{change}");
}

#[test]
fn a_refused_page_names_its_line_and_writes_nothing() {
    let root = workspace_root();
    let spec_dir = scratch_dir("docs-refused").join("spec");
    copy_dir(&root.join("spec"), &spec_dir);
    let text =
        std::fs::read_to_string(root.join("spec/pages/calendar-v4-event-meeting-chat-delete.md"))
            .expect("page");
    // The path's `:event_id` loses its row in the 路径参数 table.
    let row = "event_id | string | 日程 ID。";
    let start = text.find(row).expect("row");
    let end = start + text[start..].find("\n\n").expect("row end");
    let changed = format!("{}{}", &text[..start], &text[end + 1..]);
    let path = spec_dir.parent().expect("scratch").join("page.md");
    std::fs::write(&path, &changed).expect("write");
    let http_url_line = changed
        .lines()
        .position(|line| line.starts_with("HTTP URL"))
        .expect("HTTP URL row")
        + 1;
    let run = import::import_pages(std::slice::from_ref(&path), &spec_dir).expect("run");
    match &run.outcomes[0].outcome {
        Outcome::Refused(reason) => assert!(
            reason.starts_with(&format!(
                "line {http_url_line}: http.path: path parameter `:event_id` is not declared in path_params"
            )),
            "{reason}"
        ),
        other => panic!("{other:?}"),
    }
    assert!(run.overlay.is_empty());
}

#[test]
fn every_page_of_the_fixtures_passes_validation_beside_the_committed_specs() {
    let root = workspace_root();
    let spec_dir = scratch_dir("docs-all").join("spec");
    copy_dir(&root.join("spec"), &spec_dir);
    let pages: Vec<PathBuf> = [
        "upload-part-multipart.md",
        "legacy-meeting-room-summary.md",
        "doc-defects.md",
    ]
    .iter()
    .map(|name| page(name))
    .collect();
    let run = import::import_pages(&pages, &spec_dir).expect("run");
    for outcome in &run.outcomes {
        assert!(
            // Unchanged: the committed specs already hold the page's endpoint.
            matches!(outcome.outcome, Outcome::Imported(_) | Outcome::Unchanged),
            "{}: {:?}",
            outcome.page.display(),
            outcome.outcome
        );
    }
}

#[test]
fn a_page_that_answers_with_a_file_is_a_download() {
    let imported = import(&page("download-image.md"), &fresh_spec_dir("docs-download"));
    let spec = parse(&imported.yaml);
    assert_eq!(spec.operation_id, "im.v1.image.get");
    // `## 响应` says 返回文件二进制流 (or the like) and has no 响应体 table.
    assert!(spec.response.file);
    assert!(spec.response.envelope.is_empty() && spec.response.data.is_empty());
    assert_eq!(spec.response.example, "");
    assert!(!spec.errors.codes.is_empty());
    assert_eq!(defects(&imported), Vec::<String>::new());
}

/// The doc-defects page with its response table's rows repeated until the page is about
/// `size` bytes, each repeat a new field.
fn page_of_size(size: usize) -> String {
    let text = std::fs::read_to_string(page("doc-defects.md")).expect("page");
    let row = "| &nbsp;&nbsp;└ `timeoff_event_id` | `string` | 请假日程 ID。 |\n";
    let at = text.find(row).expect("row") + row.len();
    let mut rows = String::new();
    let mut n = 0;
    while text.len() + rows.len() < size {
        rows.push_str(&format!(
            "| &nbsp;&nbsp;└ `field_{n}` | `int` | 第 {n} 个字段。<br>**可选值有**：<br>- `0`: 否 - `1`: 是 |\n"
        ));
        n += 1;
    }
    format!("{}{rows}{}", &text[..at], &text[at..])
}

/// The fastest of three: read the page and write its spec.
fn read_and_check(text: &str) -> std::time::Duration {
    (0..3)
        .map(|_| {
            let started = std::time::Instant::now();
            let Ok(Some(import::Page::Endpoint(facts))) = import::read_page(text) else {
                panic!("not an endpoint page");
            };
            let yaml = import::endpoint_yaml(&facts.spec).expect("yaml");
            assert!(yaml.len() > text.len() / 4);
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

#[test]
fn reading_a_page_takes_time_in_proportion_to_its_length() {
    let small = page_of_size(64 << 10);
    let large = page_of_size(512 << 10);
    let (small_time, large_time) = (read_and_check(&small), read_and_check(&large));
    // Eight times the page: about eight times the time. Sixty-four would be quadratic.
    let ratio = large_time.as_secs_f64() / small_time.as_secs_f64().max(1e-6);
    assert!(
        ratio < 24.0,
        "64 KB in {small_time:?}, 512 KB in {large_time:?}: {ratio:.1} times"
    );
    assert!(large_time.as_secs() < 5, "512 KB took {large_time:?}");
}

#[test]
fn two_pages_of_one_endpoint_share_a_spec_and_two_endpoints_of_one_name_do_not() {
    let spec_dir = fresh_spec_dir("docs-same-id");
    let pages = spec_dir.parent().expect("scratch").join("pages");
    std::fs::create_dir_all(&pages).expect("pages");
    let text = std::fs::read_to_string(page("legacy-meeting-room-summary.md")).expect("page");
    // The docs keep some pages twice; and a path with a parameter more has the same fixed
    // segments, so the same name, but is another endpoint.
    std::fs::write(pages.join("a.md"), &text).expect("write");
    std::fs::write(pages.join("b.md"), &text).expect("write");
    let other = text.replace(
        "/open-apis/meeting_room/summary/batch_get",
        "/open-apis/meeting_room/summary/:room_id/batch_get",
    );
    std::fs::write(pages.join("c.md"), other).expect("write");
    let paths: Vec<PathBuf> = ["a.md", "b.md", "c.md"]
        .iter()
        .map(|name| pages.join(name))
        .collect();
    let run = import::import_pages(&paths, &spec_dir).expect("run");
    assert!(matches!(run.outcomes[0].outcome, Outcome::Imported(_)));
    assert!(matches!(run.outcomes[1].outcome, Outcome::Unchanged));
    match &run.outcomes[2].outcome {
        Outcome::Refused(reason) => assert!(
            reason.starts_with(
                "line 18: operation id meeting_room.legacy.summary_batch_get.post is also that of "
            ) && reason.ends_with(
                "a.md (POST /open-apis/meeting_room/summary/batch_get); this page's endpoint is POST /open-apis/meeting_room/summary/:room_id/batch_get"
            ),
            "{reason}"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_import_generates_what_its_written_specs_generate() {
    // A service seen the first time: the import writes its specs and generates from them in
    // one go; generating from the written specs afterwards must change nothing (its scopes,
    // for one, are the service's).
    let spec_dir = fresh_spec_dir("docs-import-fresh");
    let pages = vec![page("download-image.md"), page("upload-part-multipart.md")];
    let run = import::import_pages(&pages, &spec_dir).expect("run");
    for outcome in &run.outcomes {
        assert!(
            matches!(outcome.outcome, Outcome::Imported(_)),
            "{}: {:?}",
            outcome.page.display(),
            outcome.outcome
        );
    }
    for (path, text) in &run.overlay {
        std::fs::create_dir_all(path.parent().expect("spec folder")).expect("folder");
        std::fs::write(path, text).expect("write");
    }
    let imported = feishu_openapi_codegen::render(&run.specs).expect("render");
    let written = feishu_openapi_codegen::generate_tree(&spec_dir).expect("generate");
    assert!(
        imported
            .files
            .keys()
            .any(|file| file.ends_with("/scopes.rs")),
        "the pages name scopes: {:?}",
        imported.files.keys()
    );
    assert_eq!(
        imported.files.keys().collect::<Vec<_>>(),
        written.files.keys().collect::<Vec<_>>()
    );
    for (file, text) in &written.files {
        assert!(imported.files[file] == *text, "{file} differs");
    }
}
