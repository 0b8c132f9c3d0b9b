//! The `feishu-local-server` binary: starts with demo data on the port it is given.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use feishu_local_server::demo;

/// Kills the server when the test ends, however it ends.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_serves_the_demo_app_on_the_given_port() {
    let child = Command::new(env!("CARGO_BIN_EXE_feishu-local-server"))
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut server = Running(child);
    let stdout = server.0.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let banner = lines.next().expect("a banner").expect("readable");
    let base_url = banner
        .rsplit(' ')
        .next()
        .filter(|url| url.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL in {banner:?}"))
        .to_owned();
    let rest: Vec<String> = lines
        .by_ref()
        .take(6)
        .map(|line| line.expect("readable"))
        .collect();
    assert!(
        rest.iter().any(|line| line.contains(demo::APP_ID)),
        "{rest:?}"
    );

    let response = reqwest::Client::new()
        .post(format!(
            "{base_url}/open-apis/auth/v3/tenant_access_token/internal"
        ))
        .body(format!(
            r#"{{"app_id":"{}","app_secret":"{}"}}"#,
            demo::APP_ID,
            demo::APP_SECRET
        ))
        .header("content-type", "application/json")
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(body["code"], 0);
}
