//! `codegen check --docs`: drift between doc pages and specs.

use feishu_openapi_codegen::import;
use feishu_openapi_tests::{copy_dir, scratch_dir, workspace_root};

#[test]
fn the_committed_pages_and_specs_agree() {
    let root = workspace_root();
    let drift = import::drift(&root.join("spec/pages"), &root.join("spec")).expect("drift");
    assert_eq!(drift, Vec::<(String, Vec<String>)>::new());
}

#[test]
fn a_changed_page_and_a_page_without_spec_are_drift() {
    let root = workspace_root();
    let scratch = scratch_dir("drift");
    let pages = scratch.join("pages");
    copy_dir(&root.join("spec/pages"), &pages);
    let get_page = pages.join("mirror--calendar-v4--calendar-event--get.md");
    let text = std::fs::read_to_string(&get_page).expect("page");
    let changed = text.replace(
        "| `need_attendee` | `boolean` | 否 |",
        "| `need_attendee` | `boolean` | 是 |",
    );
    assert_ne!(changed, text);
    std::fs::write(&get_page, changed).expect("write");
    let platform_page = pages.join("mirror--api-call-guide--ugjM14COyUjL4ITN.md");
    let text = std::fs::read_to_string(&platform_page).expect("page");
    std::fs::write(
        &platform_page,
        text.replace(
            "| 99991677 | token expire |",
            "| 99991677 | token expired |",
        ),
    )
    .expect("write");
    std::fs::write(
        pages.join("new-endpoint.md"),
        std::fs::read_to_string(root.join("tests/pages/unbind-meeting-chat-format-b.md"))
            .expect("page")
            .replace("meeting_chat/delete", "meeting_chat/archive")
            .replace("/meeting_chat |", "/meeting_chat/archive |"),
    )
    .expect("write");

    let drift = import::drift(&pages, &root.join("spec")).expect("drift");
    let names: Vec<&str> = drift.iter().map(|(page, _)| page.as_str()).collect();
    assert_eq!(
        names,
        [
            "mirror--api-call-guide--ugjM14COyUjL4ITN.md",
            "mirror--calendar-v4--calendar-event--get.md",
            "new-endpoint.md",
        ]
    );
    assert_eq!(
        drift[0].1,
        ["~ platform code 99991677 message: \"token expire\" -> \"token expired\""]
    );
    assert_eq!(drift[1].1.len(), 1);
    assert!(drift[1].1[0].starts_with("~ query param need_attendee: bool, optional"));
    assert!(drift[1].1[0].contains("-> bool, required"));
    assert!(drift[2].1[0].starts_with("no spec:"));
    assert!(drift[2].1[0].contains("calendar.v4.calendar_event_meeting_chat.archive.yaml"));
}
