#!/usr/bin/env python3
"""How the generator and the generated crate scale with the number of endpoints.

For N in 10, 100, 1,000 and 2,500 (the size of the whole Feishu platform), synthesizes N
endpoint specs from the real one(s) in spec/ (same content, new operation ids and Rust names,
spread over 50 services like the platform's), in a temporary copy of the workspace, then times
the `codegen` binary with `--root` on it:
- `generate` into an empty generated/src/api and docs/ (every file written);
- `check` right after (every file generated again and compared, nothing written).
Each is run --runs times; the table gives medians of wall and CPU time (user + system), and
the CPU time per endpoint, whose flatness across N is what "linear in N" means (CPU time,
because the wall time on a shared machine moves with the other processes' load).
Then, at the largest N, measures the generated code (files, lines, bytes) and a cold
`cargo build -p feishu-openapi` of it in a fresh target dir, next to the same build of the
crate generated from the real spec(s) alone, in the same run.

The codegen binary is built first, in the profile given (default `dev`, what
`cargo run -p feishu-openapi-codegen -- generate` runs; `--profile release` for the other).
Needs only python3 and cargo. Usage: python3 bench/generator_scale.py [--runs 3] [--sizes 10,100]
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SERVICES = 50
WORKSPACE_FILES = ["Cargo.toml", "Cargo.lock", "codegen", "generated", "tests"]


def timed(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """Runs cmd to completion; returns (wall, cpu) seconds, cpu counting all its processes."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{out.decode()}\n{err.decode()}")
    return wall, usage.ru_utime + usage.ru_stime


def copy_workspace(dest: Path) -> None:
    dest.mkdir(parents=True)
    for name in WORKSPACE_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("target"))
        else:
            shutil.copy2(source, dest / name)


def synthesize_specs(spec_dir: Path, n: int) -> None:
    """Writes n specs: the real ones as they are, then copies of them under new names."""
    real = sorted((REPO / "spec").glob("*.yaml"))
    shutil.copytree(REPO / "spec" / "shared", spec_dir / "shared")
    for path in real[:n]:
        shutil.copy2(path, spec_dir / path.name)
    for i in range(n - len(real[:n])):
        template = real[i % len(real)].read_text()
        old_id = re.search(r"^operation_id: (\S+)$", template, re.M).group(1)
        old_name = re.search(r"^rust_name: (\S+)$", template, re.M).group(1)
        _, version, resource, action = old_id.split(".", 3)
        service = f"service{i % SERVICES}"
        new_id = f"{service}.{version}.{resource}{i}.{action}"
        text = template.replace(f"operation_id: {old_id}", f"operation_id: {new_id}", 1)
        text = text.replace(f"rust_name: {old_name}", f"rust_name: {old_name}{i}", 1)
        (spec_dir / f"{new_id}.yaml").write_text(text)


def fresh_output(root: Path) -> None:
    """Removes what the generator writes, so that `generate` writes every file."""
    shutil.rmtree(root / "generated" / "src" / "api", ignore_errors=True)
    shutil.rmtree(root / "generated" / "docs", ignore_errors=True)


def measure_tree(root: Path) -> tuple[int, int, int]:
    files = lines = size = 0
    for base in [root / "generated" / "src" / "api", root / "generated" / "docs"]:
        for path in base.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                files, lines, size = files + 1, lines + data.count(b"\n"), size + len(data)
    return files, lines, size


def cold_build(root: Path) -> tuple[float, float]:
    target = root / "target"
    shutil.rmtree(target, ignore_errors=True)
    env = dict(os.environ, CARGO_TARGET_DIR=str(target))
    return timed(["cargo", "build", "--offline", "--locked", "-q", "-p", "feishu-openapi"], root, env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="10,100,1000,2500")
    parser.add_argument("--profile", default="dev", help="cargo profile of the codegen binary")
    parser.add_argument("--no-build", action="store_true", help="skip the cold builds")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]

    subprocess.run(
        ["cargo", "build", "-q", "--locked", "--profile", args.profile, "-p", "feishu-openapi-codegen"],
        cwd=REPO,
        check=True,
    )
    profile_dir = "debug" if args.profile == "dev" else args.profile
    target_dir = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    codegen = str(target_dir / profile_dir / "codegen")

    scratch = Path(tempfile.mkdtemp(prefix="generator-scale-"))
    print(f"codegen binary: {args.profile} profile; {args.runs} run(s) per figure; median of them")
    print()
    print("| endpoints | generate wall s | generate CPU s | CPU ms per endpoint | check wall s | check CPU s |")
    print("|---:|---:|---:|---:|---:|---:|")
    largest = None
    for n in sizes:
        root = scratch / f"n{n}"
        copy_workspace(root)
        shutil.rmtree(root / "spec", ignore_errors=True)
        (root / "spec").mkdir()
        synthesize_specs(root / "spec", n)
        generate, check = [], []
        for _ in range(args.runs):
            fresh_output(root)
            generate.append(timed([codegen, "--root", str(root), "generate"], root))
            check.append(timed([codegen, "--root", str(root), "check"], root))
        gen_wall = statistics.median(w for w, _ in generate)
        gen_cpu = statistics.median(c for _, c in generate)
        print(
            f"| {n} | {gen_wall:.2f} | {gen_cpu:.2f} | {1000 * gen_cpu / n:.2f} "
            f"| {statistics.median(w for w, _ in check):.2f} | {statistics.median(c for _, c in check):.2f} |",
            flush=True,
        )
        largest = (n, root)

    if largest and not args.no_build:
        n, root = largest
        files, lines, size = measure_tree(root)
        print()
        print(f"generated at N = {n}: {files} files, {lines:,} lines, {size / 2**20:.1f} MiB (src/api and docs)")
        real = scratch / "real"
        copy_workspace(real)
        shutil.copytree(REPO / "spec", real / "spec")
        real_files, real_lines, real_size = measure_tree(real)
        print(
            f"generated from the real spec(s): {real_files} files, {real_lines:,} lines, "
            f"{real_size / 2**10:.0f} KiB"
        )
        print()
        print("| cold `cargo build -p feishu-openapi` (debug) | wall s | CPU s |")
        print("|---|---:|---:|")
        for label, root_dir in [(f"real spec(s), {len(list((REPO / 'spec').glob('*.yaml')))} endpoint(s)", real), (f"{n} endpoints", root)]:
            wall, cpu = cold_build(root_dir)
            print(f"| {label} | {wall:.1f} | {cpu:.1f} |", flush=True)
        with open("/proc/loadavg") as f:
            print(f"\nload average (1, 5, 15 min) at the end: {' '.join(f.read().split()[:3])}")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
