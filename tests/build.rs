//! Lists the generated crate's endpoints for the page example test: for each endpoint module
//! under `generated/src`, its operation id, request type and, for a JSON body, its body type,
//! read from the generated code itself (not from the specs it came from).

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/src");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut modules = Vec::new();
    collect(&root, &mut modules);
    modules.sort();
    let mut table = String::from("&[\n");
    for path in modules {
        let text = std::fs::read_to_string(&path).expect("generated module");
        println!("cargo:rerun-if-changed={}", path.display());
        let Some(operation_id) = between(&text, "pub const OPERATION_ID: &str = \"", "\"") else {
            continue;
        };
        let request = between(&text, "impl Endpoint for ", " {").expect("request type");
        let module = path
            .strip_prefix(&root)
            .expect("under generated/src")
            .with_extension("")
            .to_string_lossy()
            .replace('/', "::");
        let module = format!("feishu_openapi::{module}");
        // A JSON body is sent by `json_body`; a multipart one by parts, from no example.
        let name = request
            .strip_suffix("Request")
            .expect("a request type ends in Request");
        let body = if text.contains("fn json_body(") {
            format!("Some(body_example::<{module}::body::{name}Body>)")
        } else {
            "None".to_owned()
        };
        writeln!(
            table,
            "    Generated {{ operation_id: {operation_id:?}, response: response_example::<{module}::{request}>, body: {body} }},"
        )
        .expect("write");
    }
    table.push(']');
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("endpoints.rs");
    std::fs::write(out, table).expect("write endpoints.rs");
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("generated/src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

fn between<'t>(text: &'t str, start: &str, end: &str) -> Option<&'t str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}
