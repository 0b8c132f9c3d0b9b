//! Times reading every page of a folder (read_page, the spec's YAML): the slowest pages.
use std::time::Instant;
fn main() {
    let dir = std::env::args().nth(1).expect("folder");
    let mut pages = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(dir)];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).expect("dir") {
                stack.push(entry.expect("entry").path());
            }
        } else if path.extension().is_some_and(|e| e == "md") {
            pages.push(path);
        }
    }
    let mut times = Vec::new();
    let (mut endpoints, mut errors, mut other) = (0, 0, 0);
    for page in &pages {
        let text = std::fs::read_to_string(page).expect("read");
        let started = Instant::now();
        match feishu_openapi_codegen::import::read_page(&text) {
            Ok(Some(feishu_openapi_codegen::import::Page::Endpoint(facts))) => {
                endpoints += 1;
                let _ = feishu_openapi_codegen::validate::value_defects(&facts.spec);
                let _ = feishu_openapi_codegen::import::endpoint_yaml(&facts.spec);
            }
            Ok(_) => other += 1,
            Err(_) => errors += 1,
        }
        times.push((started.elapsed(), text.len(), page.clone()));
    }
    times.sort();
    let total: f64 = times.iter().map(|t| t.0.as_secs_f64()).sum();
    println!(
        "{} pages: {endpoints} endpoints, {errors} unreadable, {other} other; {total:.2} s in all",
        pages.len()
    );
    for (time, len, page) in times.iter().rev().take(5) {
        println!(
            "{:>8.3} s {:>7} bytes {}",
            time.as_secs_f64(),
            len,
            page.display()
        );
    }
}
