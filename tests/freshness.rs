//! The checked-in generated code is exactly what the specs generate.

use feishu_openapi_codegen::format::REGENERATE_COMMAND;
use feishu_openapi_codegen::stale_files;
use feishu_openapi_tests::workspace_root;

#[test]
fn generated_code_is_fresh() {
    let changes = stale_files(&workspace_root()).unwrap_or_else(|err| panic!("{err}"));
    let diffs: String = changes.iter().map(|c| c.unified_diff()).collect();
    assert!(
        changes.is_empty(),
        "generated/ is stale; run `{REGENERATE_COMMAND}` and commit the result:\n{diffs}"
    );
}
