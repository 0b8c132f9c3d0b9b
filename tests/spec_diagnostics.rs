//! Every kind of spec mistake gets a located, readable message, snapshotted exactly.
//!
//! Each case is a folder under `fixtures/spec_diagnostics/` holding one endpoint spec with one
//! mistake (`several_problems_at_once` has three), or a `services/` spec with one; the
//! committed service and platform specs stand in for what a case does not hold. Snapshots
//! live in `snapshots/`.

use std::path::Path;

use feishu_openapi_codegen::write::GeneratedTree;
use feishu_openapi_codegen::{Error, generate_tree, load_specs};
use feishu_openapi_tests::{copy_dir, scratch_dir, workspace_root};

/// A spec folder of the committed shared specs with the fixture's files over them.
fn spec_dir_of(fixture: &Path, name: &str) -> std::path::PathBuf {
    let spec_dir = scratch_dir(name);
    copy_dir(
        &workspace_root().join("spec/shared"),
        &spec_dir.join("shared"),
    );
    copy_dir(
        &workspace_root().join("spec/services"),
        &spec_dir.join("services"),
    );
    copy_dir(fixture, &spec_dir);
    spec_dir
}

/// The diagnostics for one fixture, as the CLI prints them.
fn diagnostics(case: &str) -> String {
    // Relative to the tests crate, so messages read the same on every machine.
    let fixture = Path::new("fixtures/spec_diagnostics").join(case);
    assert!(fixture.is_dir(), "no fixture {}", fixture.display());
    let spec_dir = spec_dir_of(&fixture, &format!("diagnostics-{case}"));
    match load_specs(&spec_dir) {
        Err(Error::Spec(diagnostics)) => diagnostics.to_string().replace(
            &format!("{}/", spec_dir.display()),
            &format!("{}/", fixture.display()),
        ),
        Err(other) => panic!("{case}: expected spec diagnostics, got {other}"),
        Ok(_) => panic!("{case}: the fixture was accepted"),
    }
}

macro_rules! diagnostic_cases {
    ($($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                insta::assert_snapshot!(stringify!($case), diagnostics(stringify!($case)));
            }
        )*

        #[test]
        fn every_fixture_has_a_case() {
            let mut fixtures: Vec<String> = std::fs::read_dir("fixtures/spec_diagnostics")
                .unwrap()
                .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            fixtures.sort();
            let mut cases = vec![$(stringify!($case).to_owned()),*];
            cases.sort();
            assert_eq!(fixtures, cases);
        }
    };
}

diagnostic_cases!(
    yaml_syntax_error,
    unknown_field,
    missing_field,
    wrong_type,
    path_param_not_declared,
    path_param_not_in_template,
    duplicate_param_name,
    duplicate_error_code,
    same_rust_name,
    invalid_http_method,
    status_out_of_range,
    error_code_zero,
    rate_limits_without_count,
    rate_limit_zero,
    unknown_param_type,
    message_on_two_lines,
    service_code_without_rust_name,
    enum_param_without_rust_name,
    enum_value_without_rust_name,
    empty_message,
    id_not_snake_case,
    several_problems_at_once,
    stale_doc_defect,
    body_field_declared_twice,
    body_field_unknown_type,
    body_field_without_required,
    body_enum_without_values,
    body_example_wrong_type,
    body_field_named_like_param,
    body_string_with_values,
    required_on_response_field,
    default_on_response_field,
    code_if_applied_not_in_table,
);

/// Generates from a fixture's endpoint spec beside the committed shared specs.
fn generate_fixture(fixture: &str) -> GeneratedTree {
    let spec_dir = spec_dir_of(&Path::new("fixtures").join(fixture), fixture);
    generate_tree(&spec_dir).unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn the_fixtures_base_is_valid() {
    // Every fixture is this spec with one mistake, so each snapshot shows that mistake alone.
    let tree = generate_fixture("valid_base");
    assert!(
        tree.files
            .contains_key("src/calendar/v4/unbind_meeting_chat.rs")
    );
}

#[test]
fn a_query_param_named_like_a_keyword_is_generated_as_a_raw_identifier() {
    let tree = generate_fixture("keyword_query_param");
    let code = &tree.files["src/calendar/v4/unbind_meeting_chat.rs"];
    assert!(code.contains("    pub r#type: Type,"), "{code}");
    assert!(
        code.contains("event_id: EventId, r#type: Type) -> Self {"),
        "{code}"
    );
    assert!(code.contains("out.query(\"type\", self.r#type.as_str());"));
    let service = &tree.files["src/calendar/mod.rs"];
    assert!(
        service.contains("pub type Type = crate::Id<TypeKind>;"),
        "{service}"
    );
    assert!(service.contains("const PARAM: &'static str = \"type\";"));
}
