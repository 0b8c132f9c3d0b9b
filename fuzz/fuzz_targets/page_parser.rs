//! Any text as a doc page: reading it, and turning an endpoint page into a spec and checking
//! it, must give facts or reasons, never a panic; and every line it names is on the page.
#![no_main]

use feishu_openapi_codegen::import::{Page, endpoint_yaml, read_page};
use feishu_openapi_codegen::load::{SpecSource, parse_spec};
use feishu_openapi_codegen::validate::{validate, value_defects};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.lines().count().max(1);
    let facts = match read_page(text) {
        Ok(Some(Page::Endpoint(facts))) => facts,
        Ok(_) => return,
        Err(err) => {
            assert!(err.line <= lines + 1, "{err} is past the page's {lines} lines");
            return;
        }
    };
    for defect in &facts.defects {
        assert!(defect.line <= lines + 1, "{defect} is past the page's {lines} lines");
    }
    let mut spec = facts.spec;
    spec.doc_defects = value_defects(&spec)
        .into_iter()
        .map(|(at, problem)| feishu_openapi_codegen::load::RawDocDefect {
            at: at.to_string(),
            problem,
        })
        .collect();
    let Ok(yaml) = endpoint_yaml(&spec) else {
        return;
    };
    let source = SpecSource {
        path: format!("spec/{}.yaml", spec.operation_id).into(),
        name: format!("{}.yaml", spec.operation_id),
        text: yaml,
    };
    let raw = parse_spec(&source).expect("the importer's YAML reads back");
    assert_eq!(raw, spec, "the spec reads back as it was written");
    let _ = validate(&source, &raw, &[]);
});
