#!/usr/bin/env python3
"""How the generator and the generated crate scale with the number of endpoints.

For N in 10, 100, 1,000 and 2,500 (the size of the whole Feishu platform), synthesizes N
endpoint specs from the real ones in spec/ (same content, new operation ids and Rust names),
spread over 50 services like the platform's, each service with its own spec (the real
service's codes under a new name), in a temporary copy of the workspace, then times the
`codegen` binary with `--root` on it:
- `generate` into an empty generated/ with no render cache (every endpoint rendered, every
  file written);
- `generate` again (nothing changed: every endpoint from the cache, nothing written);
- `generate` after one spec changed (that endpoint rendered again);
- `check` (every file generated again and compared, nothing written).
Each is run --runs times; the table gives medians of wall and CPU time (user + system).
Then, at the largest N, measures the generated code (files, Rust lines, bytes) and cold
builds of the crate in fresh target dirs, side by side in one run:
- the crate generated from the real specs alone, `--features calendar` (today's endpoints);
- the synthetic crate with one service's feature (`--features service1`);
- the synthetic crate with every service (`--features full`);
with wall and CPU time and the peak resident memory of the largest process (a rustc).

The codegen binary is built first, in the profile given (default `release`; `--profile dev`
for what `cargo run -p feishu-openapi-codegen -- generate` runs).
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
WORKSPACE_FILES = ["Cargo.toml", "Cargo.lock", "codegen", "generated", "runtime", "tests"]


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float, int, str]:
    """Runs cmd to completion; returns (wall s, cpu s, peak RSS MiB of one process, stdout)."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{' '.join(cmd)} failed ({code}):\n{out.decode()}\n{err.decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, out.decode()


def copy_workspace(dest: Path) -> None:
    dest.mkdir(parents=True)
    for name in WORKSPACE_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("target"))
        else:
            shutil.copy2(source, dest / name)
    # Only the crates the builds below need: a workspace of generated/ and runtime/.
    manifest = (dest / "Cargo.toml").read_text()
    manifest = re.sub(r"^members = .*$", 'members = ["codegen", "generated", "runtime"]', manifest, flags=re.M)
    (dest / "Cargo.toml").write_text(manifest)
    shutil.rmtree(dest / "tests")


def synthesize_specs(spec_dir: Path, n: int) -> None:
    """Writes n endpoint specs: the real ones as they are, then copies under new names, in
    services service1 .. service49, each with its own service spec."""
    real = sorted((REPO / "spec").glob("*.yaml"))
    shutil.copytree(REPO / "spec" / "shared", spec_dir / "shared")
    shutil.copytree(REPO / "spec" / "services", spec_dir / "services")
    service_template = (REPO / "spec" / "services" / "calendar.yaml").read_text()
    for path in real[:n]:
        shutil.copy2(path, spec_dir / path.name)
    for i in range(n - len(real[:n])):
        template = real[i % len(real)].read_text()
        old_id = re.search(r"^operation_id: (\S+)$", template, re.M).group(1)
        old_name = re.search(r"^rust_name: (\S+)$", template, re.M).group(1)
        _, version, resource, action = old_id.split(".", 3)
        number = 1 + i % (SERVICES - 1)
        service = f"service{number}"
        service_spec = spec_dir / "services" / f"{service}.yaml"
        if not service_spec.exists():
            text = service_template.replace("service: calendar", f"service: {service}", 1)
            text = text.replace("rust_name: Calendar\n", f"rust_name: Service{number}\n", 1)
            service_spec.write_text(text)
        new_id = f"{service}.{version}.{resource}{i}.{action}"
        text = template.replace(f"operation_id: {old_id}", f"operation_id: {new_id}", 1)
        text = text.replace(f"rust_name: {old_name}", f"rust_name: {old_name}{i}", 1)
        (spec_dir / f"{new_id}.yaml").write_text(text)


def measure_tree(root: Path) -> tuple[int, int, int, int]:
    """Files, Rust files, Rust lines and bytes of generated/."""
    files = rust_files = rust_lines = size = 0
    for path in (root / "generated").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            files, size = files + 1, size + len(data)
            if path.suffix == ".rs":
                rust_files, rust_lines = rust_files + 1, rust_lines + data.count(b"\n")
    return files, rust_files, rust_lines, size


def cold_build(root: Path, features: str) -> tuple[float, float, int]:
    target = root / f"target-{features}"
    shutil.rmtree(target, ignore_errors=True)
    env = dict(os.environ, CARGO_TARGET_DIR=str(target))
    # Not --locked: the scratch workspace has fewer members than the lock file lists.
    cmd = ["cargo", "build", "--offline", "-q", "-p", "feishu-openapi", "--features", features]
    wall, cpu, rss, _ = run(cmd, root, env)
    shutil.rmtree(target, ignore_errors=True)
    return wall, cpu, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="10,100,1000,2500")
    parser.add_argument("--profile", default="release", help="cargo profile of the codegen binary")
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
    print(
        "| endpoints | generate, empty tree: wall s | CPU s | CPU ms per endpoint "
        "| again, nothing changed: wall s | one spec changed: wall s | check: wall s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    largest = None
    for n in sizes:
        root = scratch / f"n{n}"
        copy_workspace(root)
        shutil.rmtree(root / "spec", ignore_errors=True)
        (root / "spec").mkdir()
        synthesize_specs(root / "spec", n)
        env = dict(os.environ, CARGO_TARGET_DIR=str(root / "target"))
        cold, warm, one, check = [], [], [], []
        for _ in range(args.runs):
            shutil.rmtree(root / "generated", ignore_errors=True)
            shutil.rmtree(root / "target" / "codegen-cache", ignore_errors=True)
            cold.append(run([codegen, "--root", str(root), "generate"], root, env))
            warm.append(run([codegen, "--root", str(root), "generate"], root, env))
            spec = sorted((root / "spec").glob("service1.*.yaml"))[0]
            text = spec.read_text()
            spec.write_text(text.replace("limit: 1000", "limit: 999", 1))
            one.append(run([codegen, "--root", str(root), "generate"], root, env))
            assert "rendered 1 of" in one[-1][3], one[-1][3]
            spec.write_text(text)
            check.append(run([codegen, "--root", str(root), "generate"], root, env))
            check[-1] = run([codegen, "--root", str(root), "check"], root, env)
        med = lambda runs, i: statistics.median(r[i] for r in runs)
        print(
            f"| {n} | {med(cold, 0):.2f} | {med(cold, 1):.2f} | {1000 * med(cold, 1) / n:.2f} "
            f"| {med(warm, 0):.2f} | {med(one, 0):.2f} | {med(check, 0):.2f} |",
            flush=True,
        )
        largest = (n, root)

    if largest and not args.no_build:
        n, root = largest
        files, rust_files, rust_lines, size = measure_tree(root)
        real = scratch / "real"
        copy_workspace(real)
        shutil.copytree(REPO / "spec", real / "spec")
        real_endpoints = len(list((REPO / "spec").glob("*.yaml")))
        r_files, r_rust_files, r_rust_lines, r_size = measure_tree(real)
        print()
        print("| generated/ | endpoints | files | Rust files | Rust lines | Rust lines per endpoint | MiB |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        print(
            f"| real specs | {real_endpoints} | {r_files} | {r_rust_files} | {r_rust_lines:,} "
            f"| {r_rust_lines / real_endpoints:.0f} | {r_size / 2**20:.2f} |"
        )
        print(
            f"| synthetic | {n} | {files} | {rust_files} | {rust_lines:,} "
            f"| {rust_lines / n:.0f} | {size / 2**20:.1f} |"
        )
        one_service = len(list((root / "spec").glob("service1.*.yaml")))
        print()
        print("| cold `cargo build -p feishu-openapi` (debug), one run each, in this order | wall s | CPU s | peak RSS MiB (one rustc) |")
        print("|---|---:|---:|---:|")
        for label, root_dir, features in [
            (f"real specs, `calendar` ({real_endpoints} endpoints)", real, "calendar"),
            (f"synthetic, `service1` only ({one_service} endpoints)", root, "service1"),
            (f"real specs again, `calendar` ({real_endpoints} endpoints)", real, "calendar"),
            (f"synthetic, `full` ({n} endpoints)", root, "full"),
        ]:
            wall, cpu, rss = cold_build(root_dir, features)
            print(f"| {label} | {wall:.1f} | {cpu:.1f} | {rss} |", flush=True)
        with open("/proc/loadavg") as f:
            print(f"\nload average (1, 5, 15 min) at the end: {' '.join(f.read().split()[:3])}")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
