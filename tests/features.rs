//! One cargo feature per service: a consumer that enables one service compiles that service's
//! modules and no other's.

use std::path::Path;
use std::process::Output;

use feishu_openapi_tests::{
    UNBIND_SPEC, copy_dir, generated_workspace, scratch_dir, workspace_root,
};

/// `cargo check` of the generated crate with `features`, in its own kept target dir.
fn check(crate_dir: &Path, features: &str) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("service-features");
    let mut command = std::process::Command::new(cargo);
    command.args(["check", "--offline", "--quiet", "--manifest-path"]);
    command.arg(crate_dir.join("Cargo.toml"));
    if !features.is_empty() {
        command.args(["--features", features]);
    }
    command.env("CARGO_TARGET_DIR", target);
    command.output().expect("cargo runs")
}

#[test]
fn a_consumer_of_one_service_compiles_no_other_service() {
    // The committed specs, and a second service, `probe`, with one endpoint.
    let root = workspace_root();
    let spec_dir = scratch_dir("features-specs");
    copy_dir(&root.join("spec"), &spec_dir);
    let unbind = std::fs::read_to_string(spec_dir.join(UNBIND_SPEC)).expect("spec");
    let probe = unbind.replacen("operation_id: calendar.v4.", "operation_id: probe.v1.", 1);
    std::fs::write(
        spec_dir.join("probe.v1.calendar_event_meeting_chat.delete.yaml"),
        probe,
    )
    .expect("write");
    let service = std::fs::read_to_string(spec_dir.join("services/calendar.yaml")).expect("spec");
    let service = service
        .replacen("service: calendar", "service: probe", 1)
        .replacen("rust_name: Calendar\n", "rust_name: Probe\n", 1);
    std::fs::write(spec_dir.join("services/probe.yaml"), service).expect("write");
    let crate_dir = generated_workspace(&spec_dir, &scratch_dir("features-workspace"));
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).expect("manifest");
    assert!(manifest.contains("\ndefault = []\n"), "{manifest}");
    let full = manifest
        .lines()
        .find(|line| line.starts_with("full = ["))
        .unwrap_or_else(|| panic!("no full feature: {manifest}"));
    assert!(
        full.contains("\"calendar\"") && full.contains("\"probe\""),
        "{full}"
    );
    assert!(manifest.contains("\nprobe = []\n"), "{manifest}");

    // A probe module that cannot compile: a build that succeeds never compiled it.
    let probe_module = crate_dir.join("src/probe/mod.rs");
    let mut text = std::fs::read_to_string(&probe_module).expect("probe module");
    text.push_str("compile_error!(\"the probe service was compiled\");\n");
    std::fs::write(&probe_module, text).expect("write");

    let calendar = check(&crate_dir, "calendar");
    assert!(
        calendar.status.success(),
        "{}",
        String::from_utf8_lossy(&calendar.stderr)
    );
    let default = check(&crate_dir, "");
    assert!(
        default.status.success(),
        "{}",
        String::from_utf8_lossy(&default.stderr)
    );
    // The same build with the probe's feature does compile it: the check above can fail.
    for features in ["probe", "full"] {
        let output = check(&crate_dir, features);
        assert!(!output.status.success(), "{features}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("the probe service was compiled"),
            "{features}: {stderr}"
        );
    }
}
