//! Consumers of `feishu-openapi` compile none of the generator's dependencies: neither through
//! the generated crate nor through the hand-written runtime it builds on.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use feishu_openapi_tests::workspace_root;
use serde_json::Value;

/// Crates only the generator may use.
const GENERATOR_ONLY: [&str; 8] = [
    "feishu-openapi-codegen",
    "prettyplease",
    "yaml_serde",
    "serde_yaml",
    "libyaml-rs",
    "unsafe-libyaml",
    "similar",
    "clap",
];

/// Proc-macro crates that are fine only as serde's derive brings them.
const MACRO_CRATES: [&str; 3] = ["syn", "quote", "proc-macro2"];

/// The most crates a consumer's default build of `feishu-openapi` may compile, itself and
/// `feishu-openapi-runtime` included.
const DEPENDENCY_BUDGET: usize = 20;

/// What a consumer depends on: the generated crate, or the runtime alone to write an endpoint
/// by hand.
const CONSUMER_CRATES: [&str; 2] = ["feishu-openapi", "feishu-openapi-runtime"];

struct Graph {
    names: BTreeMap<String, String>,
    edges: BTreeMap<String, Vec<String>>,
}

impl Graph {
    /// Normal and build dependencies of the workspace, for the host platform, as Cargo resolves them.
    fn load() -> Graph {
        let host = host_triple();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let output = Command::new(cargo)
            .args([
                "metadata",
                "--format-version",
                "1",
                "--locked",
                "--filter-platform",
                &host,
            ])
            .current_dir(workspace_root())
            .output()
            .expect("cargo metadata runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let metadata: Value = serde_json::from_slice(&output.stdout).unwrap();
        let names = metadata["packages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["id"].as_str().unwrap().to_owned(),
                    p["name"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let edges = metadata["resolve"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|node| {
                let deps = node["deps"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|dep| {
                        dep["dep_kinds"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|kind| kind["kind"] != "dev")
                    })
                    .map(|dep| dep["pkg"].as_str().unwrap().to_owned())
                    .collect();
                (node["id"].as_str().unwrap().to_owned(), deps)
            })
            .collect();
        Graph { names, edges }
    }

    /// Names of the crates `root` pulls in, itself included, not descending into `skip`.
    fn reachable(&self, root: &str, skip: &[&str]) -> BTreeSet<String> {
        let start = self
            .names
            .iter()
            .find(|(_, name)| *name == root)
            .map(|(id, _)| id.clone())
            .expect("the package is in the workspace");
        let mut seen = BTreeSet::new();
        let mut stack = vec![start];
        while let Some(id) = stack.pop() {
            let name = &self.names[&id];
            if !seen.insert(name.clone()) || skip.contains(&name.as_str()) {
                continue;
            }
            stack.extend(self.edges.get(&id).into_iter().flatten().cloned());
        }
        seen
    }
}

fn host_triple() -> String {
    let output = Command::new("rustc")
        .arg("-vV")
        .output()
        .expect("rustc runs");
    let text = String::from_utf8(output.stdout).unwrap();
    text.lines()
        .find_map(|line| line.strip_prefix("host: "))
        .expect("rustc -vV names the host")
        .to_owned()
}

#[test]
fn the_generated_crate_does_not_depend_on_the_generator() {
    let graph = Graph::load();
    for consumer in CONSUMER_CRATES {
        let tree = graph.reachable(consumer, &[]);
        for forbidden in GENERATOR_ONLY {
            assert!(
                !tree.contains(forbidden),
                "{consumer} pulls in {forbidden}: {tree:?}"
            );
        }
        let without_serde_derive = graph.reachable(consumer, &["serde_derive"]);
        for macro_crate in MACRO_CRATES {
            assert!(
                !without_serde_derive.contains(macro_crate),
                "{consumer} pulls in {macro_crate} other than through serde_derive"
            );
        }
    }
    let tree = graph.reachable("feishu-openapi", &[]);
    // The runtime is part of what every consumer compiles, so it counts against the budget.
    assert!(
        tree.contains("feishu-openapi-runtime"),
        "the generated crate builds on the runtime: {tree:?}"
    );
    assert!(
        tree.len() <= DEPENDENCY_BUDGET,
        "{} crates in the default tree, budget {DEPENDENCY_BUDGET}: {tree:?}",
        tree.len()
    );
    // The check itself sees the generator's tree, so it cannot pass by looking at nothing.
    let generator = graph.reachable("feishu-openapi-codegen", &[]);
    assert!(generator.contains("prettyplease") && generator.contains("yaml_serde"));
}
