#!/usr/bin/env python3
"""Cold `cargo build` of four tiny consumers of the unbind-meeting-chat endpoint, side by side.

One consumer depends on this repo's `generated/` crate (its `calendar` feature), one on it and the
`client/` crate (the like-for-like comparison, HTTP client included), one on `open-lark`
0.14 (only its `calendar` feature), one on `feishu-sdk` 0.1. Each is built cold, in a fresh
target dir outside the workspace, `--runs` times, the four interleaved in rotating order so
that a change of load on this shared machine hits all of them alike. Prints one table: median
wall time and CPU time (user + system, all processes of the build: the work done, which the
load of other processes on the machine changes less than the wall time), peak memory, crates
compiled, and each consumer's times against ours.

Memory, measured two ways without cgroups or external tools:
- max RSS: the largest resident set of any single process of the build (cargo, a rustc, a build
  script), from wait4's rusage, the figure GNU time's "Maximum resident set size" reports;
- tree RSS: the peak of the summed resident sets of all processes of the build at one moment,
  sampled from /proc every 50 ms (so short spikes can be missed).

Needs only python3 and cargo. Usage: python3 bench/consumer_build.py [--runs 3] [--keep DIR]
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CONSUMERS = {
    "feishu-openapi (ours)": {
        "deps": f'feishu-openapi = {{ path = "{REPO / "generated"}", features = ["calendar"] }}\nhttp = "1"\n',
        "main": r'''
use feishu_openapi::calendar::v4::UnbindMeetingChatRequest;
use feishu_openapi::calendar::{CalendarId, EventId, MeetingChatId};
use feishu_openapi::{AccessToken, BaseUrl, Endpoint};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let request = UnbindMeetingChatRequest::new(
        CalendarId::new("feishu.cn_xxx@group.calendar.feishu.cn")?,
        EventId::new("75d28f9b-e35c-4230-8a83-123_0")?,
        MeetingChatId::new("oc_xxx")?,
    );
    let token = AccessToken::tenant("t-xxx")?;
    let http_request = request.http_request(&BaseUrl::FEISHU, &token)?;
    println!("{} {}", http_request.method(), http_request.uri());
    let body = br#"{"code":195107,"msg":"no permission unbind meeting chat"}"#;
    let outcome = UnbindMeetingChatRequest::decode_response(
        http::StatusCode::FORBIDDEN,
        &http::HeaderMap::new(),
        body,
    );
    println!("{outcome:?}");
    Ok(())
}
''',
    },
    "feishu-openapi + client (ours, like for like)": {
        "deps": f'feishu-openapi = {{ path = "{REPO / "generated"}", features = ["calendar"] }}\n'
        f'feishu-openapi-client = {{ path = "{REPO / "client"}" }}\n'
        'tokio = { version = "1", features = ["rt"] }\n',
        # With our HTTP client, like the peers: tokens, retries, rate limits over reqwest.
        "main": r'''
use feishu_openapi::calendar::v4::UnbindMeetingChatRequest;
use feishu_openapi::calendar::{CalendarId, EventId, MeetingChatId};
use feishu_openapi_client::Client;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder().app_credentials("cli_xxx", "xxx").build()?;
    let request = UnbindMeetingChatRequest::new(
        CalendarId::new("feishu.cn_xxx@group.calendar.feishu.cn")?,
        EventId::new("75d28f9b-e35c-4230-8a83-123_0")?,
        MeetingChatId::new("oc_xxx")?,
    );
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    match runtime.block_on(client.send(&request)) {
        Ok(response) => println!("unbound, log id {:?}", response.log_id),
        Err(error) => println!("{error}"),
    }
    Ok(())
}
''',
    },
    "open-lark 0.14 (calendar)": {
        "deps": 'open-lark = { version = "0.14", default-features = false, features = ["calendar"] }\n'
        'tokio = { version = "1", features = ["rt"] }\n',
        # 0.14's meeting-chat delete takes no ids and always answers "not implemented";
        # it is still the API the crate offers for this endpoint.
        "main": r'''
use open_lark::prelude::*;
use open_lark::service::calendar::v4::meeting_chat::delete::DeleteMeetingChatRequest;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = LarkClient::builder("cli_xxx", "xxx")
        .with_app_type(AppType::SelfBuild)
        .build();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let outcome = runtime.block_on(
        client
            .calendar
            .v4
            .meeting_chat
            .delete(DeleteMeetingChatRequest::default(), None),
    );
    println!("{:?}", outcome.map(|response| response.code()));
    Ok(())
}
''',
    },
    "feishu-sdk 0.1": {
        "deps": 'feishu-sdk = "0.1"\ntokio = { version = "1", features = ["rt"] }\n',
        "main": r'''
use feishu_sdk::Client;
use feishu_sdk::api::all_services::calendar::v4::calendar_event_meeting_chat;
use feishu_sdk::core::Config;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::new(Config::builder("cli_xxx", "xxx").build())?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let response = runtime.block_on(
        calendar_event_meeting_chat::delete(
            &client,
            "feishu.cn_xxx@group.calendar.feishu.cn",
            "75d28f9b-e35c-4230-8a83-123_0",
        )
        .query_param("meeting_chat_id", "oc_xxx")
        .send(),
    )?;
    println!("{}", response.status);
    Ok(())
}
''',
    },
}

COMPILING = re.compile(r"^\s*Compiling (\S+) v")


def write_consumer(root: Path, index: int, spec: dict) -> Path:
    crate = root / f"consumer{index}"
    (crate / "src").mkdir(parents=True, exist_ok=True)
    (crate / "Cargo.toml").write_text(
        f'[package]\nname = "consumer{index}"\nversion = "0.0.0"\nedition = "2024"\n'
        f"publish = false\n\n[workspace]\n\n[dependencies]\n{spec['deps']}"
    )
    (crate / "src" / "main.rs").write_text(spec["main"].lstrip())
    return crate


def descendants_rss_kib(root_pid: int) -> int:
    """Summed VmRSS of root_pid and all its descendants, read from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
            with open(f"/proc/{entry}/status") as f:
                kib = next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
        except (OSError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = kib
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def other_rustc_count() -> int:
    """rustc processes running now that are not ours: the concurrent load on this machine."""
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as f:
                    count += f.read().strip() == "rustc"
            except OSError:
                pass
    return count


def loadavg() -> float:
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def cold_build(crate: Path, target_dir: Path) -> dict:
    shutil.rmtree(target_dir, ignore_errors=True)
    env = dict(os.environ, CARGO_TARGET_DIR=str(target_dir), CARGO_TERM_COLOR="never")
    load_before, others = loadavg(), other_rustc_count()
    start = time.monotonic()
    proc = subprocess.Popen(
        ["cargo", "build", "--offline", "--locked"],
        cwd=crate,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak_tree = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree
        while not done.is_set():
            peak_tree = max(peak_tree, descendants_rss_kib(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    stderr = proc.stderr.read()
    _, status, rusage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"build of {crate} failed:\n{stderr}")
    compiled = {m.group(1) for line in stderr.splitlines() if (m := COMPILING.match(line))}
    compiled.discard(crate.name)
    return {
        "wall": wall,
        "cpu": rusage.ru_utime + rusage.ru_stime,
        "max_rss_mib": rusage.ru_maxrss / 1024,
        "tree_rss_mib": peak_tree / 1024,
        "crates": len(compiled),
        "load": load_before,
        "others": others,
    }


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
        "?",
    )
    mem_kib = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    return f"{os.cpu_count()} cores ({cpu}), {mem_kib / 2**20:.1f} GiB, {rustc}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="cold builds of each consumer")
    parser.add_argument("--keep", type=Path, help="build in this dir and keep it")
    args = parser.parse_args()

    root = args.keep or Path(tempfile.mkdtemp(prefix="consumer-build-"))
    names = list(CONSUMERS)
    crates = [write_consumer(root, i, CONSUMERS[name]) for i, name in enumerate(names)]
    for crate in crates:  # resolve and download once, untimed
        subprocess.run(["cargo", "generate-lockfile", "-q"], cwd=crate, check=True)
        subprocess.run(["cargo", "fetch", "-q"], cwd=crate, check=True)

    print(f"machine: {machine()}")
    results: dict[str, list[dict]] = {name: [] for name in names}
    for run in range(args.runs):
        order = names[run % len(names) :] + names[: run % len(names)]
        for name in order:
            crate = crates[names.index(name)]
            result = cold_build(crate, root / "target" / crate.name)
            results[name].append(result)
            print(
                f"run {run + 1} {name}: {result['wall']:.1f} s, CPU {result['cpu']:.0f} s, max RSS {result['max_rss_mib']:.0f} MiB, "
                f"tree RSS {result['tree_rss_mib']:.0f} MiB, {result['crates']} crates, "
                f"load {result['load']:.2f}, other rustc {result['others']}",
                flush=True,
            )

    ours = statistics.median(r["wall"] for r in results[names[0]])
    print()
    print(f"Cold `cargo build` (debug), {args.runs} run(s) each, interleaved; medians:")
    print()
    ours_cpu = statistics.median(r["cpu"] for r in results[names[0]])
    print(
        "| consumer | wall s (median) | min–max s | time / ours | CPU s (median) | CPU / ours "
        "| max RSS MiB | tree RSS MiB | crates |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in names:
        runs = results[name]
        wall = statistics.median(r["wall"] for r in runs)
        cpu = statistics.median(r["cpu"] for r in runs)
        print(
            f"| {name} | {wall:.1f} | {min(r['wall'] for r in runs):.1f}–{max(r['wall'] for r in runs):.1f} "
            f"| {wall / ours:.1f}x | {cpu:.0f} | {cpu / ours_cpu:.1f}x "
            f"| {statistics.median(r['max_rss_mib'] for r in runs):.0f} "
            f"| {statistics.median(r['tree_rss_mib'] for r in runs):.0f} "
            f"| {runs[0]['crates']} |"
        )
    loads = [r["load"] for rs in results.values() for r in rs]
    others = [r["others"] for rs in results.values() for r in rs]
    print()
    print(
        f"load average (1 min) at build starts: {min(loads):.2f}–{max(loads):.2f}; "
        f"other rustc processes running at build starts: {min(others)}–{max(others)}"
    )
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
