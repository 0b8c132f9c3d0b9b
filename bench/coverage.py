#!/usr/bin/env python3
"""How much of the Feishu docs the generator takes, with no hand edit.

Imports every page of a docs folder (the riba2534/feishu-open-docs mirror, say) into a scratch
copy of the workspace (its spec/, generated/ and runtime/), regenerates, checks the generated
crate with `--features full` (`cargo check`), runs `cargo clippy -- -D warnings` on it, and
builds it. An endpoint whose module fails to compile or to pass clippy is taken out (its spec
removed, the crate generated again) and counted as failed at that stage, until the crate
compiles and passes clippy clean; then `cargo build --features full` must succeed.

Prints, per service: the API pages (pages with an `HTTP URL`), how many import, generate,
build and pass clippy, and the rest by reason; then the totals and the wall time of each
stage. Every refusal is listed, with its page, line and reason, in <work>/refusals.txt; the
doc defects (facts kept as written) in <work>/defects.txt.

Usage: python3 bench/coverage.py --mirror DIR [--work DIR] [--rounds 6]
Needs python3 and cargo. The scratch tree is kept (default: a new temporary folder).
"""

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run(cmd, cwd=None, env=None, check=True):
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if check and proc.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return proc


def scratch_workspace(work: Path) -> None:
    """A workspace of the generated crate and its runtime, with the committed specs."""
    work.mkdir(parents=True, exist_ok=True)
    for name in ["spec", "generated", "runtime"]:
        if (work / name).exists():
            shutil.rmtree(work / name)
        shutil.copytree(REPO / name, work / name, ignore=shutil.ignore_patterns("target"))
    manifest = (REPO / "Cargo.toml").read_text()
    manifest = re.sub(r"members = \[[^\]]*\]", 'members = ["generated", "runtime"]', manifest, count=1)
    (work / "Cargo.toml").write_text(manifest)
    shutil.copy2(REPO / "Cargo.lock", work / "Cargo.lock")


def service_of(page: Path, mirror: Path, operation_id: str | None) -> str:
    if operation_id:
        return operation_id.split(".")[0]
    top = page.relative_to(mirror).parts[0]
    return re.sub(r"-v\d+$", "", top).replace("-", "_")


def reason_kind(reason: str) -> str:
    """A refusal's reason without its particulars, to count pages by it."""
    first = reason.split("\n")[0]
    first = re.sub(r"^line \d+: ", "", first)
    first = re.sub(r"^\S+\.yaml:\d+:\d+: ", "", first)
    first = re.sub(r"\(and \d+ more\)", "", first)
    first = re.sub(r'"[^"]*"', '"…"', first)
    first = re.sub(r"\[\d+\]", "[]", first)
    first = re.sub(r"\d{3,}", "N", first)
    return first.strip()


def module_files(work: Path) -> dict[str, str]:
    """Generated endpoint module file (relative to generated/) -> operation id."""
    files = {}
    for path in (work / "generated" / "src").rglob("*.rs"):
        head = path.read_text(errors="replace")[:400]
        found = re.search(r"spec/([a-z0-9_.]+)\.yaml", head)
        if found and not found.group(1).startswith("services"):
            files[str(path.relative_to(work / "generated"))] = found.group(1)
    return files


def cargo_messages(work: Path, subcommand: list[str], env: dict, levels: tuple) -> list[dict]:
    cmd = ["cargo", *subcommand, "--manifest-path", str(work / "Cargo.toml"), "-p", "feishu-openapi",
           "--features", "full", "--message-format=json"]
    if subcommand[0] == "clippy":
        cmd += ["--", "-D", "warnings"]
    proc = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True)
    messages = []
    for line in proc.stdout.splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        if message.get("reason") == "compiler-message":
            inner = message["message"]
            if inner.get("level") in levels and inner.get("spans"):
                messages.append(inner)
    if proc.returncode != 0 and not messages:
        sys.exit(f"{' '.join(cmd)} failed without a located message:\n{proc.stderr[-4000:]}")
    return messages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mirror", required=True, type=Path, help="the docs folder")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a new temporary one)")
    parser.add_argument("--rounds", type=int, default=6, help="build/clippy rounds at most")
    args = parser.parse_args()
    mirror = args.mirror.resolve()
    work = (args.work or Path(tempfile.mkdtemp(prefix="feishu-coverage-"))).resolve()
    started = time.monotonic()
    times = {}

    print(f"scratch workspace: {work}", flush=True)
    t = time.monotonic()
    run(["cargo", "build", "-p", "feishu-openapi-codegen", "--example", "import_report", "--bin", "codegen"], cwd=REPO)
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    times["build the generator"] = time.monotonic() - t
    scratch_workspace(work)
    # Copies, so that a rebuild in the workspace during the run does not change the generator.
    (work / "bin").mkdir(exist_ok=True)
    import_report = Path(shutil.copy2(target / "debug" / "examples" / "import_report", work / "bin"))
    codegen = Path(shutil.copy2(target / "debug" / "codegen", work / "bin"))

    pages = sorted(mirror.rglob("*.md"))
    api_pages = {p for p in pages if "HTTP URL" in p.read_text(errors="replace")}
    t = time.monotonic()
    proc = run([str(import_report), "--root", str(work), str(mirror)])
    times["import and generate"] = time.monotonic() - t
    results = {}
    timing = {}
    for line in proc.stdout.splitlines():
        record = json.loads(line)
        if "page" in record:
            results[Path(record["page"])] = record
        else:
            timing = record

    # Build, then clippy: take out each endpoint whose module fails, generate again, repeat.
    env = dict(os.environ, CARGO_TARGET_DIR=str(work / "target"))
    failed = {}  # operation id -> (stage, message)
    service_failures = []
    for stage, subcommand in [("compile", ["check"]), ("clippy", ["clippy"])]:
        t = time.monotonic()
        for _ in range(args.rounds):
            # Compiling fails on errors; clippy -D warnings on warnings too.
            levels = ("error",) if stage == "compile" else ("error", "warning")
            messages = cargo_messages(work, subcommand, env, levels)
            with open(work / f"{stage}-messages.txt", "a") as log:
                for message in messages:
                    log.write(message.get("rendered") or message["message"])
            files = module_files(work)
            bad = {}
            for message in messages:
                span = next((s for s in message["spans"] if s.get("is_primary")), message["spans"][0])
                file = span["file_name"]
                rel = file.split("generated/", 1)[-1] if "generated/" in file else file
                op = files.get(rel)
                text = f"{message.get('code', {}) and message['code'].get('code') or ''} {message['message']} ({rel}:{span['line_start']})".strip()
                if op:
                    bad.setdefault(op, text)
                else:
                    service_failures.append(f"{stage}: {text}")
            if not bad:
                break
            for op, text in bad.items():
                failed[op] = (stage, text)
                (work / "spec" / f"{op}.yaml").unlink(missing_ok=True)
            run([str(codegen), "--root", str(work), "generate"])
        times[stage] = time.monotonic() - t
    t = time.monotonic()
    built = subprocess.run(
        ["cargo", "build", "--manifest-path", str(work / "Cargo.toml"), "-p", "feishu-openapi",
         "--features", "full"], cwd=work, env=env, capture_output=True, text=True)
    times["build"] = time.monotonic() - t
    if built.returncode != 0:
        sys.exit(f"cargo build failed after check and clippy passed:\n{built.stderr[-4000:]}")
    lines = sum(len(p.read_text().splitlines()) for p in (work / "generated" / "src").rglob("*.rs"))

    # The table.
    rows = collections.defaultdict(lambda: collections.Counter())
    reasons = collections.defaultdict(collections.Counter)
    refusals = []
    defects = []
    for page in sorted(api_pages):
        record = results.get(page, {"outcome": "missing", "reason": "no result", "operation_id": None})
        op = record.get("operation_id")
        service = service_of(page, mirror, op)
        row = rows[service]
        row["api pages"] += 1
        where = page.relative_to(mirror)
        for defect in record.get("defects", []):
            defects.append(f"{where}: {defect}")
        if record["outcome"] == "refused":
            row["refused"] += 1
            kind = reason_kind(record["reason"])
            reasons[service][f"import: {kind}"] += 1
            refusals.append(f"{where}: {record['reason']}")
        elif record["outcome"] == "not_api":
            row["refused"] += 1
            reasons[service]["import: no 请求 table (a guide that mentions an HTTP URL)"] += 1
            refusals.append(f"{where}: no 请求 table: a guide or overview that mentions an HTTP URL, no endpoint page")
        elif op in failed:
            stage, text = failed[op]
            row[f"failed {stage}"] += 1
            reasons[service][f"{stage}: {reason_kind(text)}"] += 1
            refusals.append(f"{where}: {stage}: {text}")
        else:
            row["through"] += 1
            row["defect pages"] += bool(record.get("defects"))

    (work / "refusals.txt").write_text("\n".join(refusals) + "\n")
    (work / "defects.txt").write_text("\n".join(defects) + "\n")
    width = max(len(s) for s in rows) if rows else 10
    print(f"\n| {'service':{width}} | API pages | through | refused | failed to compile | failed clippy | reasons |")
    print(f"|{'-' * (width + 2)}|---:|---:|---:|---:|---:|---|")
    total = collections.Counter()
    for service in sorted(rows):
        row = rows[service]
        total.update(row)
        why = "; ".join(f"{kind} ×{n}" for kind, n in reasons[service].most_common())
        print(f"| {service:{width}} | {row['api pages']} | {row['through']} | {row['refused']} | "
              f"{row['failed compile']} | {row['failed clippy']} | {why} |")
    share = 100 * total["through"] / max(total["api pages"], 1)
    print(f"| {'total':{width}} | {total['api pages']} | {total['through']} | {total['refused']} | "
          f"{total['failed compile']} | {total['failed clippy']} | |")
    print(f"\n{total['through']} of {total['api pages']} API pages ({share:.1f}%) import, generate, build "
          f"with --features full and pass clippy -D warnings, with no hand edit.")
    print(f"The generated crate: {lines:,} lines of Rust; it builds with --features full.")
    print(f"{len(pages)} pages read: {sum(1 for r in results.values() if r['outcome'] in ('imported', 'unchanged'))} "
          f"endpoints imported, {sum(1 for r in results.values() if r['outcome'] == 'refused')} refused, "
          f"{sum(1 for r in results.values() if r['outcome'] == 'not_api')} not an API page; "
          f"{len(defects)} doc defects on {total['defect pages']} imported pages (kept as written).")
    if service_failures:
        print("\nMessages outside any endpoint's module:")
        for text in sorted(set(service_failures))[:20]:
            print(f"  {text}")
    print("\nWall time:")
    for stage, seconds in times.items():
        print(f"  {stage}: {seconds:.0f} s")
    if timing:
        print(f"  (of which import {timing['import_seconds']:.0f} s, generate {timing['generate_seconds']:.0f} s)")
    print(f"  total: {time.monotonic() - started:.0f} s")
    print(f"\nRefusals, each with page, line and reason: {work / 'refusals.txt'}")
    print(f"Doc defects, each with page and line: {work / 'defects.txt'}")


if __name__ == "__main__":
    main()
