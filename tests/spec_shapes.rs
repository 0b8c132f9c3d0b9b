//! The spec format's newer shapes: typed and enum query params, nested data, platform codes.
//! Each mistake is refused with its file, line:column and field path.

use feishu_openapi_codegen::diagnostic::Diagnostic;
use feishu_openapi_codegen::{Error, PLATFORM_ERRORS_SPEC, generate_tree, load_all};
use feishu_openapi_tests::{copy_dir, scratch_dir, workspace_root};

const GET_EVENT: &str = "calendar.v4.calendar_event.get.yaml";

/// Copies spec/ to a scratch dir, edits one file, and returns what loading it reports.
fn problems_after(test: &str, file: &str, edit: impl Fn(&str) -> String) -> Vec<Diagnostic> {
    let spec = scratch_dir(test).join("spec");
    copy_dir(&workspace_root().join("spec"), &spec);
    let path = spec.join(file);
    let text = std::fs::read_to_string(&path).expect("spec");
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit must change the spec");
    std::fs::write(&path, edited).expect("write");
    match load_all(&spec) {
        Ok(_) => panic!("the edited spec was accepted"),
        Err(Error::Spec(diagnostics)) => diagnostics.0,
        Err(other) => panic!("{other}"),
    }
}

fn located(problems: &[Diagnostic], field: &str) -> Diagnostic {
    let found = problems
        .iter()
        .find(|p| p.field == field)
        .unwrap_or_else(|| panic!("no problem at {field}: {problems:#?}"));
    assert!(found.line > 0 && found.column > 0, "{found}");
    found.clone()
}

#[test]
fn an_example_that_does_not_fit_its_type_is_refused() {
    let problems = problems_after("shape-bool", GET_EVENT, |t| {
        t.replacen("  example: 'false'", "  example: 'no'", 1)
    });
    let found = located(&problems, "query_params[0].example");
    assert_eq!(found.message, "\"no\" is not a bool value");
    let text = std::fs::read_to_string(&found.file).expect("edited spec");
    let line = text
        .lines()
        .position(|l| l == "  example: 'no'")
        .expect("edited line")
        + 1;
    assert_eq!((found.line, found.column), (line, 12));
}

#[test]
fn an_enum_without_values_is_refused() {
    let problems = problems_after("shape-enum", GET_EVENT, |t| {
        t.replacen(
            "- name: need_attendee\n  type: bool",
            "- name: need_attendee\n  type: enum",
            1,
        )
    });
    let found = located(&problems, "query_params[1].type");
    assert!(found.message.contains("needs its `values`"), "{found}");
}

#[test]
fn values_on_a_free_string_param_are_refused() {
    let problems = problems_after("shape-values", GET_EVENT, |t| {
        t.replacen("  type: enum\n", "  type: string\n", 1)
    });
    let found = located(&problems, "query_params[3].values");
    assert!(found.message.contains("needs `type: enum`"), "{found}");
}

#[test]
fn an_object_with_fields_needs_a_struct_name() {
    let problems = problems_after("shape-struct-name", GET_EVENT, |t| {
        t.replacen("      rust_name: TimeInfo\n", "", 1)
    });
    let found = located(&problems, "response.data[0].fields[4]");
    assert!(found.message.contains("needs `rust_name`"), "{found}");
}

#[test]
fn one_struct_name_for_two_shapes_is_refused() {
    // end_time's date field becomes an int: TimeInfo would mean two shapes.
    let problems = problems_after("shape-two-shapes", GET_EVENT, |t| {
        let end = t.find("- name: end_time").expect("end_time");
        let (head, tail) = t.split_at(end);
        format!("{head}{}", tail.replacen("type: string", "type: int", 1))
    });
    let found = located(&problems, "response.data[0].fields[5].rust_name");
    assert_eq!(
        found.message,
        "struct TimeInfo is declared again with other fields"
    );
}

#[test]
fn a_path_param_must_be_a_string() {
    let problems = problems_after("shape-path-type", GET_EVENT, |t| {
        t.replacen(
            "- name: calendar_id\n  type: string",
            "- name: calendar_id\n  type: int",
            1,
        )
    });
    let found = located(&problems, "path_params[0].type");
    assert!(
        found.message.contains("a path parameter is a string id"),
        "{found}"
    );
}

#[test]
fn the_platform_error_codes_are_checked_too() {
    let problems = problems_after("shape-platform", PLATFORM_ERRORS_SPEC, |t| {
        t.replacen("rust_name: TokenExpired", "rust_name: RateLimited", 1)
    });
    let found = located(&problems, "codes[16].rust_name");
    assert_eq!(
        found.message,
        "codes 99991400 and 99991677 are both named RateLimited"
    );
    assert!(found.file.ends_with("platform_errors.yaml"));
}

#[test]
fn a_missing_platform_spec_is_reported() {
    let spec = scratch_dir("shape-no-platform").join("spec");
    copy_dir(&workspace_root().join("spec"), &spec);
    std::fs::remove_file(spec.join(PLATFORM_ERRORS_SPEC)).expect("remove");
    let Err(Error::Spec(problems)) = load_all(&spec) else {
        panic!("loaded without the platform spec");
    };
    assert!(problems.0[0].file.ends_with("platform_errors.yaml"));
    assert!(problems.0[0].message.starts_with("cannot read spec"));
}

#[test]
fn text_without_english_still_generates_with_the_chinese_alone() {
    let spec = scratch_dir("shape-no-english").join("spec");
    copy_dir(&workspace_root().join("spec"), &spec);
    let path = spec.join("calendar.v4.calendar_event_meeting_chat.create.yaml");
    let text = std::fs::read_to_string(&path).expect("spec");
    let edited = text.replacen("  en: Create meeting chat\n", "", 1);
    assert_ne!(edited, text);
    std::fs::write(&path, edited).expect("write");
    let tree = generate_tree(&spec).unwrap_or_else(|err| panic!("{err}"));
    let module = &tree.files["src/calendar/v4/create_meeting_chat.rs"];
    assert!(
        module.contains("//! 创建会议群: [`CreateMeetingChatRequest`]"),
        "{module}"
    );
    assert!(
        module.contains(".with_title(\"创建会议群\", \"\")"),
        "{module}"
    );
}
