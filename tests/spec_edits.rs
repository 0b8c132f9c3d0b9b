//! Editing the spec changes the generated code accordingly, and only where it should.

use feishu_openapi_codegen::listing::{LISTING_FILE, breaking_changes};
use feishu_openapi_codegen::{Error, generate_tree, stale_files, write};
use feishu_openapi_tests::{UNBIND_SPEC, copy_dir, scratch_dir, workspace_root};

const ENDPOINT_FILE: &str = "src/calendar/v4/unbind_meeting_chat.rs";
const REFERENCE_FILE: &str = "docs/calendar.v4.calendar_event_meeting_chat.delete.md";
const SERVICE_SPEC: &str = "services/calendar.yaml";
const SERVICE_ERRORS_FILE: &str = "src/calendar/errors.rs";

/// An edit of one spec file: its path under `spec/`, and what it does to the text.
type Edit<'a> = (&'a str, Box<dyn FnOnce(String) -> String>);

/// A copy of the committed specs with each `(file under spec/, edit)` applied.
fn edited_specs(test_name: &str, edits: Vec<Edit<'_>>) -> std::path::PathBuf {
    let root = workspace_root();
    let spec_dir = scratch_dir(test_name);
    copy_dir(&root.join("spec"), &spec_dir);
    for (file, edit) in edits {
        let original = std::fs::read_to_string(spec_dir.join(file)).unwrap();
        let edited = edit(original.clone());
        assert_ne!(edited, original, "the edit of {file} changed nothing");
        std::fs::write(spec_dir.join(file), edited).unwrap();
    }
    spec_dir
}

/// Generates from a copy of the committed specs after the edits, returning (before, after).
fn generate_with(
    test_name: &str,
    edits: Vec<Edit<'_>>,
) -> (write::GeneratedTree, write::GeneratedTree) {
    let spec_dir = edited_specs(test_name, edits);
    let before =
        generate_tree(&workspace_root().join("spec")).unwrap_or_else(|err| panic!("{err}"));
    let after = generate_tree(&spec_dir).unwrap_or_else(|err| panic!("{err}"));
    (before, after)
}

/// Generates from a copy of the committed specs after `edit` of the unbind spec.
fn generate_edited(
    test_name: &str,
    edit: impl FnOnce(String) -> String + 'static,
) -> (write::GeneratedTree, write::GeneratedTree) {
    generate_with(test_name, vec![(UNBIND_SPEC, Box::new(edit))])
}

fn changed_files(before: &write::GeneratedTree, after: &write::GeneratedTree) -> Vec<String> {
    let mut changed: Vec<String> = after
        .files
        .iter()
        .filter(|(path, text)| before.files.get(*path) != Some(*text))
        .map(|(path, _)| path.clone())
        .collect();
    changed.extend(
        before
            .files
            .keys()
            .filter(|path| !after.files.contains_key(*path))
            .cloned(),
    );
    changed
}

#[test]
fn a_new_error_code_becomes_a_variant_a_table_row_and_a_reference_row() {
    let service_row = "- code: 195199
  rust_name: MeetingChatIsBeingUnbound
  status: 409
  message: meeting chat is being unbound
  retryable: true
  advice:
    zh: 会议群正在解绑，请稍后重试。
    en: The meeting chat is being unbound; try again shortly.
";
    let page_row = "  - status: 409
    code: 195199
    message: meeting chat is being unbound
    advice:
      zh: 会议群正在解绑，请稍后重试。
      en: The meeting chat is being unbound; try again shortly.
";
    let (before, after) = generate_with(
        "new_error_code",
        vec![
            (SERVICE_SPEC, Box::new(move |spec| spec + service_row)),
            (UNBIND_SPEC, Box::new(move |spec| spec + page_row)),
        ],
    );
    assert_eq!(
        changed_files(&before, &after),
        [
            REFERENCE_FILE,
            LISTING_FILE,
            SERVICE_ERRORS_FILE,
            ENDPOINT_FILE
        ]
    );

    // Defined once, for the service: the row, its advice and the service's code.
    let service = &after.files[SERVICE_ERRORS_FILE];
    assert!(service.contains("pub const MEETING_CHAT_IS_BEING_UNBOUND: ErrorCodeInfo"));
    assert!(service.contains("195199,\n    409,\n    \"meeting chat is being unbound\""));
    assert!(service.contains("    /// 会议群正在解绑，请稍后重试。"));
    assert!(service.contains("    #[doc(alias = \"195199\")]\n    MeetingChatIsBeingUnbound,\n"));
    assert!(
        service.contains("        Self::MeetingChatIsBeingUnbound,\n"),
        "{service}"
    );
    // Referred to by the endpoint's table, which repeats none of it.
    let code = &after.files[ENDPOINT_FILE];
    assert!(code.contains("    errors::MEETING_CHAT_IS_BEING_UNBOUND,\n"));
    assert!(!code.contains("会议群正在解绑"));
    assert!(!code.contains("195199"));
    assert!(!before.files[ENDPOINT_FILE].contains("MEETING_CHAT_IS_BEING_UNBOUND"));

    let reference = &after.files[REFERENCE_FILE];
    assert!(reference.contains(
        "| 409 | 195199 | meeting chat is being unbound | \
         `CalendarErrorCode::MeetingChatIsBeingUnbound` | yes |"
    ));
}

#[test]
fn a_page_row_of_a_code_the_service_lacks_is_refused() {
    let row = "  - status: 409
    code: 195199
    message: meeting chat is being unbound
    advice:
      zh: 会议群正在解绑，请稍后重试。
";
    let spec_dir = edited_specs(
        "unknown_code",
        vec![(UNBIND_SPEC, Box::new(move |s| s + row))],
    );
    let Err(Error::Spec(problems)) = generate_tree(&spec_dir) else {
        panic!("a code the service does not define was accepted");
    };
    let text = problems.to_string();
    assert!(
        text.contains(
            "errors.codes[21].code: error code 195199 is not a code of services/calendar.yaml"
        ),
        "{text}"
    );
}

#[test]
fn a_page_that_words_a_code_its_own_way_keeps_its_wording_and_nothing_else() {
    let (before, after) = generate_edited("own_wording", |spec| {
        spec.replacen(
            "传入的群 ID 和日程不匹配，无法解绑会议群。需检查输入参数是否填写正确。",
            "群与日程不匹配。",
            1,
        )
    });
    assert_eq!(
        changed_files(&before, &after),
        [REFERENCE_FILE, ENDPOINT_FILE]
    );
    // The service's row with this page's advice: status and message stay the service's.
    let code = &after.files[ENDPOINT_FILE];
    assert!(
        code.contains("    errors::CHAT_NOT_MATCH_WITH_EVENT\n        .with_advice(\n            \"群与日程不匹配。\","),
        "{code}"
    );
    assert!(!before.files[ENDPOINT_FILE].contains("群与日程不匹配"));
    assert!(before.files[ENDPOINT_FILE].contains("    errors::CHAT_NOT_MATCH_WITH_EVENT,\n"));
}

#[test]
fn the_api_listing_shows_a_renamed_item_and_generate_reports_it_as_breaking() {
    let (before, after) = generate_with(
        "renamed_variant",
        vec![(
            SERVICE_SPEC,
            Box::new(|spec: String| {
                spec.replacen(
                    "rust_name: ChatNotMatchWithEvent",
                    "rust_name: ChatNotOfEvent",
                    1,
                )
            }),
        )],
    );
    let (old, new) = (&before.files[LISTING_FILE], &after.files[LISTING_FILE]);
    let module = "feishu_openapi::calendar::errors";
    let old_line = format!("{module}::CalendarErrorCode::ChatNotMatchWithEvent variant");
    let new_line = format!("{module}::CalendarErrorCode::ChatNotOfEvent variant");
    assert!(old.lines().any(|line| line == old_line), "{old}");
    assert!(new.lines().any(|line| line == new_line));
    assert!(!new.contains("ChatNotMatchWithEvent"));
    // The review sees the rename as a diff of the listing, and generate calls it breaking.
    let change = write::FileChange {
        path: LISTING_FILE.to_owned(),
        old: Some(old.clone()),
        new: Some(new.clone()),
    };
    let diff = change.unified_diff();
    assert!(diff.contains(&format!("-{old_line}")), "{diff}");
    assert!(diff.contains(&format!("+{new_line}")), "{diff}");
    let breaking = breaking_changes(old, new);
    assert!(breaking.contains(&old_line), "{breaking:?}");
    assert!(
        breaking
            .iter()
            .all(|line| line.contains("ChatNotMatchWithEvent")
                || line.contains("CHAT_NOT_MATCH_WITH_EVENT")),
        "{breaking:?}"
    );
    assert!(breaking_changes(old, old).is_empty());
}

#[test]
fn a_changed_rate_limit_changes_the_const_and_the_docs() {
    let (before, after) = generate_edited("changed_rate_limit", |spec| {
        spec.replacen(
            "  - limit: 50\n    per: second",
            "  - limit: 20\n    per: second",
            1,
        )
    });
    assert_eq!(
        changed_files(&before, &after),
        [REFERENCE_FILE, ENDPOINT_FILE]
    );
    let code = &after.files[ENDPOINT_FILE];
    assert!(code.contains("RateLimit::per_second(20)"));
    assert!(code.contains("20 次/秒 (20/s)"));
    assert!(!code.contains("50 次/秒"));
    assert!(after.files[REFERENCE_FILE].contains("20 次/秒 (20/s)"));
}

#[test]
fn an_edited_spec_makes_the_committed_code_stale_with_a_diff() {
    let (_, after) = generate_edited("stale_after_edit", |spec| {
        spec.replace("en: Update events", "en: Update calendar events")
    });
    let changes = write::changes(&after, &workspace_root().join("generated")).unwrap();
    let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths, [REFERENCE_FILE, ENDPOINT_FILE]);
    let diff = changes[1].unified_diff();
    assert!(diff.contains(&format!("--- a/generated/{ENDPOINT_FILE}")));
    let removed: Vec<&str> = diff.lines().filter(|l| l.starts_with('-')).collect();
    let added: Vec<&str> = diff.lines().filter(|l| l.starts_with('+')).collect();
    assert!(
        removed.iter().any(|l| l.contains("· Update events)")),
        "{diff}"
    );
    // The page now labels the scope its own way, so the endpoint states that label itself
    // instead of referring to the service's definition.
    assert!(
        removed
            .iter()
            .any(|l| l.contains("scopes::CALENDAR_CALENDAR_EVENT_UPDATE")),
        "{diff}"
    );
    assert!(
        added
            .iter()
            .any(|l| l.contains("\"Update calendar events\"")),
        "{diff}"
    );
}

#[test]
fn generation_is_byte_identical_across_runs() {
    let spec_dir = workspace_root().join("spec");
    let first = generate_tree(&spec_dir).unwrap_or_else(|err| panic!("{err}"));
    let second = generate_tree(&spec_dir).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(first, second);
}

#[test]
fn every_generated_file_says_it_is_generated_from_which_spec() {
    let tree = generate_tree(&workspace_root().join("spec")).unwrap_or_else(|err| panic!("{err}"));
    assert!(!tree.files.is_empty());
    for (path, text) in &tree.files {
        let first_line = text.lines().next().unwrap_or_default();
        let header = if path.ends_with(".md") {
            "<!-- @generated by feishu-openapi-codegen from spec/"
        } else if path.ends_with(".rs") {
            "// @generated by feishu-openapi-codegen from spec/"
        } else {
            "# @generated by feishu-openapi-codegen from spec/"
        };
        assert!(first_line.starts_with(header), "{path}: {first_line}");
        assert!(text.contains("Do not edit by hand"), "{path}");
    }
    assert!(tree.files[ENDPOINT_FILE].starts_with(&format!(
        "// @generated by feishu-openapi-codegen from spec/{UNBIND_SPEC}.\n"
    )));
}

#[test]
fn a_stale_file_in_a_generated_folder_is_reported_for_deletion() {
    let root = scratch_dir("stale_extra");
    let tree = generate_tree(&workspace_root().join("spec")).unwrap_or_else(|err| panic!("{err}"));
    let out_dir = root.join("generated");
    let all_new: Vec<write::FileChange> = write::changes(&tree, &out_dir).unwrap();
    assert_eq!(
        all_new.len(),
        tree.files.len(),
        "an empty output folder lacks every file"
    );
    write::apply(&all_new, &out_dir).unwrap();
    assert!(write::changes(&tree, &out_dir).unwrap().is_empty());

    // Every file under generated/ is the generator's: one it does not make goes.
    let leftover = out_dir.join("src/calendar/v4/removed_endpoint.rs");
    std::fs::write(&leftover, "// an endpoint whose spec was deleted\n").unwrap();
    let changes = write::changes(&tree, &out_dir).unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].path, "src/calendar/v4/removed_endpoint.rs");
    assert_eq!(changes[0].new, None);
    assert!(
        changes[0]
            .summary()
            .starts_with("deleted generated/src/calendar/v4/removed_endpoint.rs")
    );
    write::apply(&changes, &out_dir).unwrap();
    assert!(!leftover.exists());
}

#[test]
fn the_committed_tree_is_what_stale_files_compares_against() {
    // Guards the freshness test itself: it must look at the real generated/ folder.
    let changes = stale_files(&workspace_root()).unwrap_or_else(|err| panic!("{err}"));
    assert!(changes.is_empty());
    assert!(
        workspace_root()
            .join("generated")
            .join(ENDPOINT_FILE)
            .is_file()
    );
}

#[test]
fn rustdoc_search_finds_the_endpoint_by_title_sdk_name_and_operation_id() {
    let code =
        std::fs::read_to_string(workspace_root().join("generated").join(ENDPOINT_FILE)).unwrap();
    let aliases = "#[doc(alias = \"解绑会议群\")]\n\
                   #[doc(alias = \"unbind meeting chat\")]\n\
                   #[doc(alias = \"DeleteCalendarEventMeetingChat\")]\n\
                   #[doc(alias = \"calendar.v4.calendar_event_meeting_chat.delete\")]\n\
                   #[derive(Debug, Clone, PartialEq, Eq, Hash)]\n\
                   #[non_exhaustive]\n\
                   #[must_use]\n\
                   pub struct UnbindMeetingChatRequest {";
    assert!(code.contains(aliases), "request type aliases missing");
    // A code is found where it is defined, once for the service.
    let errors =
        std::fs::read_to_string(workspace_root().join("generated").join(SERVICE_ERRORS_FILE))
            .unwrap();
    assert!(errors.contains("    #[doc(alias = \"195107\")]\n    NoPermissionUnbindMeetingChat,"));
}

#[test]
fn an_endpoint_without_english_yet_is_listed_without_a_markdown_link_definition() {
    // A freshly imported page has no English title; its module's summary line, which rustdoc
    // lists in the version module, must not read as `[label]: destination`, which rustdoc and
    // clippy reject.
    let (_, after) = generate_edited("no_english_title", |spec| {
        spec.replacen("  en: Unbind meeting chat\n", "", 1)
    });
    let module = &after.files[ENDPOINT_FILE];
    let line = module
        .lines()
        .find(|line| line.starts_with("//!"))
        .expect("the endpoint's module has docs");
    assert_eq!(
        line,
        "//! 解绑会议群: [`UnbindMeetingChatRequest`], generated from `spec/calendar.v4.calendar_event_meeting_chat.delete.yaml`."
    );
    assert!(!line.contains("]: "), "{line}");
}

#[test]
fn a_query_enum_declared_alike_is_generated_once_and_one_with_other_values_stays_its_own() {
    // Today every calendar v4 endpoint that takes `user_id_type` declares it alike: one enum,
    // in the version's `types`, which each endpoint's module re-exports under its own path.
    let get_event: feishu_openapi::calendar::v4::get_event::UserIdType =
        feishu_openapi::calendar::v4::list_calendar_event::UserIdType::UnionId;
    assert_eq!(get_event.as_str(), "union_id");
    let (before, after) = generate_with(
        "query_enum_other_values",
        vec![(
            "calendar.v4.calendar_event.get.yaml",
            Box::new(|spec: String| {
                spec.replacen(
                    "response:\n",
                    "  - value: people_admin_id\n    rust_name: PeopleAdminId\n    description:\n      \
                     zh: 人事管理员 ID。\n      en: A people admin ID.\nresponse:\n",
                    1,
                )
            }),
        )],
    );
    let types = "src/calendar/v4/types.rs";
    let get = "src/calendar/v4/get_event.rs";
    assert!(before.files[types].contains("pub enum UserIdType {"));
    assert!(before.files[get].contains("pub use super::types::UserIdType;"));
    // The page with another value declares its own; the others still share one.
    assert!(after.files[get].contains("pub enum UserIdType {"));
    assert!(after.files[get].contains("    PeopleAdminId,"));
    assert!(!after.files[get].contains("super::types::UserIdType"));
    assert!(after.files[types].contains("pub enum UserIdType {"));
    assert!(!after.files[types].contains("PeopleAdminId"));
    assert!(
        after.files["src/calendar/v4/list_calendar_event.rs"]
            .contains("pub use super::types::UserIdType;")
    );
}
