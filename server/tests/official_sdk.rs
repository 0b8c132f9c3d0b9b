//! The official Python SDK, lark-oapi, against the local server, through the SDK's own API
//! (`sdk/lark_oapi_unbind.py`): it buys its tenant token with the app's id and secret, unbinds
//! the demo meeting chat, and reads the documented error of a second unbind with its log id.
//!
//! Needs `python3` with the venv module, and PyPI the first time: the SDK and its dependencies,
//! pinned in `sdk/requirements.txt`, go into a virtual environment under the target directory,
//! which later runs reuse.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use feishu_local_server::{LocalServer, World, demo};
use feishu_openapi::calendar::v4::unbind_meeting_chat::ERROR_CODES;
use http::Method;
use serde_json::{Value, json};

const SDK_VERSION: &str = "1.7.5";
const TOKEN_PATH: &str = "/open-apis/auth/v3/tenant_access_token/internal";

fn sdk_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sdk")
}

/// Reads `pipe` to its end on a thread of its own.
fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Runs `command` to its end within `limit`, and panics with its output unless it succeeds.
fn run(command: &mut Command, what: &str, limit: Duration) {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("{what}: cannot start {command:?}: {err}"));
    // Read both pipes as the child writes, so that a full pipe cannot stall it.
    let stdout = drain(child.stdout.take().expect("piped stdout"));
    let stderr = drain(child.stderr.take().expect("piped stderr"));
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the child") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: no end after {limit:?}: {command:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let (stdout, stderr) = (stdout.join().unwrap(), stderr.join().unwrap());
    assert!(
        status.success(),
        "{what} failed ({status}): {command:?}\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
}

/// A directory removed when dropped, whether or not what was making it finished.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Panics again with the panic of a blocking task, so its message is not wrapped.
fn blocking_result<T>(joined: Result<T, tokio::task::JoinError>) -> T {
    joined.unwrap_or_else(|err| std::panic::resume_unwind(err.into_panic()))
}

/// The Python of a virtual environment with `sdk/requirements.txt` installed: made once under
/// the target directory, made again when the requirements change.
fn python_with_sdk() -> PathBuf {
    let requirements_path = sdk_dir().join("requirements.txt");
    let requirements = fs::read_to_string(&requirements_path).expect("sdk/requirements.txt");
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lark-oapi-venv");
    let python = venv.join("bin/python");
    let installed = |venv: &Path| venv.join("installed-requirements.txt");
    // `exists` follows the link to the Python the environment was made from.
    if python.exists()
        && fs::read_to_string(installed(&venv)).ok().as_deref() == Some(requirements.as_str())
    {
        return python;
    }
    // Built beside, then renamed: an interrupted install is never taken for a finished one.
    let building =
        Scratch(venv.with_file_name(format!("lark-oapi-venv.building-{}", std::process::id())));
    let building = &building.0;
    let _ = fs::remove_dir_all(building);
    let started = Instant::now();
    run(
        Command::new("python3").args(["-m", "venv"]).arg(building),
        "making a virtual environment for the official Python SDK \
         (needs python3 with its venv module, e.g. Debian's python3-venv)",
        Duration::from_secs(120),
    );
    run(
        Command::new(building.join("bin/python"))
            .args([
                "-m",
                "pip",
                "install",
                "--no-input",
                "--disable-pip-version-check",
            ])
            .arg("--requirement")
            .arg(&requirements_path),
        "installing the official Python SDK from PyPI (needs PyPI)",
        Duration::from_secs(600),
    );
    fs::write(installed(building), &requirements).expect("note what is installed");
    let _ = fs::remove_dir_all(&venv);
    fs::rename(building, &venv).expect("move the virtual environment into place");
    eprintln!(
        "installed lark-oapi {SDK_VERSION} into {} in {:.1?}",
        venv.display(),
        started.elapsed()
    );
    python
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdk_buys_a_token_unbinds_reads_an_error_and_lists_calendars_by_spec() {
    let python = blocking_result(tokio::task::spawn_blocking(python_with_sdk).await);
    let server = LocalServer::start(World::demo()).await.unwrap();
    let report_path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "lark-oapi-report-{}-{}.json",
        std::process::id(),
        server.addr().port()
    ));
    let mut script = Command::new(&python);
    script
        .arg(sdk_dir().join("lark_oapi_unbind.py"))
        .args(["--base-url", &server.base_url()])
        .args(["--app-id", demo::APP_ID, "--app-secret", demo::APP_SECRET])
        .args([
            "--calendar-id",
            demo::CALENDAR_ID,
            "--event-id",
            demo::EVENT_ID,
        ])
        .args(["--meeting-chat-id", demo::MEETING_CHAT_ID])
        .arg("--report")
        .arg(&report_path)
        // Nothing but loopback: no proxy from the environment in between.
        .env("NO_PROXY", "127.0.0.1")
        .env("no_proxy", "127.0.0.1");
    let report = blocking_result(
        tokio::task::spawn_blocking(move || {
            run(&mut script, "the SDK script", Duration::from_secs(120));
            let report = fs::read_to_string(&report_path).expect("the script's report");
            let _ = fs::remove_file(&report_path);
            report
        })
        .await,
    );
    let report: Value = serde_json::from_str(&report).expect("a JSON report");
    assert_eq!(report["sdk_version"], SDK_VERSION, "{report:#}");

    // The SDK's token manager posts id and secret with no Content-Type; refusals read as the
    // platform's error table has them.
    assert_eq!(
        report["wrong_secret"],
        json!({"code": 10015, "msg": "wrong app secret"}),
        "{report:#}"
    );
    assert_eq!(
        report["unknown_app"],
        json!({"code": 10003, "msg": "invalid param"}),
        "{report:#}"
    );
    let calls = server.calls();
    let token_calls: Vec<_> = calls
        .iter()
        .filter(|call| call.path == TOKEN_PATH)
        .collect();
    assert_eq!(token_calls.len(), 3, "{calls:#?}");
    assert!(
        token_calls.iter().all(|call| call.status == 200),
        "{calls:#?}"
    );
    assert_eq!(server.stats().tenant_tokens_issued, 1, "{calls:#?}");

    // Unbound with the token the SDK bought.
    let unbinds: Vec<_> = calls
        .iter()
        .filter(|call| call.method == Method::DELETE && call.path.ends_with("/meeting_chat"))
        .collect();
    assert_eq!(unbinds.len(), 2, "{calls:#?}");
    assert_eq!(report["unbind"]["success"], true, "{report:#}");
    assert_eq!(report["unbind"]["code"], 0, "{report:#}");
    assert_eq!(report["unbind"]["log_id"], unbinds[0].log_id, "{report:#}");
    let still_bound = server.with_world(|world| {
        world
            .event_mut(demo::CALENDAR_ID, demo::EVENT_ID)
            .expect("the demo event")
            .meeting_chat_id
            .clone()
    });
    assert_eq!(still_bound, None);

    // Unbinding again: the page's error, with the log id of the server's answer.
    let documented = ERROR_CODES
        .iter()
        .find(|row| row.code == 195108)
        .expect("195108 in the page's table");
    assert_eq!(unbinds[1].status, documented.http_status);
    assert_eq!(report["unbind_again"]["success"], false, "{report:#}");
    assert_eq!(
        report["unbind_again"]["code"], documented.code,
        "{report:#}"
    );
    assert_eq!(
        report["unbind_again"]["msg"], documented.message,
        "{report:#}"
    );
    assert_eq!(
        report["unbind_again"]["log_id"], unbinds[1].log_id,
        "{report:#}"
    );

    // An endpoint without a world of its own, answered by its spec: the SDK decodes the page's
    // example as the page has it.
    let example: Value = serde_json::from_str(
        feishu_openapi::calendar::v4::list_calendar::OPERATION.response_example,
    )
    .expect("the page's example");
    let listed = &report["list_calendars"];
    assert_eq!(listed["success"], true, "{report:#}");
    assert_eq!(
        listed["has_more"], example["data"]["has_more"],
        "{report:#}"
    );
    assert_eq!(
        listed["page_token"], example["data"]["page_token"],
        "{report:#}"
    );
    let calendars: Vec<Value> = example["data"]["calendar_list"]
        .as_array()
        .expect("calendars in the example")
        .iter()
        .map(|c| json!({"calendar_id": c["calendar_id"], "summary": c["summary"], "role": c["role"]}))
        .collect();
    assert!(!calendars.is_empty());
    assert_eq!(listed["calendars"], json!(calendars), "{report:#}");
    let list_log_id = log_id_of_latest_get(&server, "/open-apis/calendar/v4/calendars");
    assert_eq!(listed["log_id"], list_log_id, "{report:#}");
}

/// The log id of the server's answer to the latest GET of `path`.
fn log_id_of_latest_get(server: &LocalServer, path: &str) -> Value {
    let calls = server.calls();
    let call = calls
        .iter()
        .rev()
        .find(|call| call.method == Method::GET && call.path == path)
        .unwrap_or_else(|| panic!("no GET {path}: {calls:#?}"));
    json!(call.log_id)
}
