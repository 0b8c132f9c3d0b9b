#!/usr/bin/env python3
"""Medians of the last `cargo bench -p feishu-openapi-tests --bench hot_path` run, side by side.

Reads criterion's target/criterion/**/new/{benchmark,estimates}.json (CPU time of the bench
thread, see generated/benches/hot_path.rs) and prints one table per group, with each
benchmark's median as a ratio to the group's baseline (the naive request, the plain struct).
The allocation counts are printed by the bench binary itself, before the timings.

Usage: python3 bench/hot_path_table.py [TARGET_DIR]   (default: ./target)
"""

import json
import sys
from pathlib import Path

BASELINES = {
    "request": "naive: format! + builder",
    "request floor (http alone)": None,
    "allocator: Box<u64> alloc + free": None,
}
DEFAULT_BASELINE = "plain struct"


def main() -> None:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "target")
    groups: dict[str, list[tuple[str, float, float, float]]] = {}
    for bench in sorted((target / "criterion").glob("**/new/benchmark.json")):
        info = json.loads(bench.read_text())
        estimates = json.loads((bench.parent / "estimates.json").read_text())
        median = estimates["median"]
        groups.setdefault(info["group_id"], []).append(
            (
                info.get("function_id") or info["group_id"],
                median["point_estimate"],
                median["confidence_interval"]["lower_bound"],
                median["confidence_interval"]["upper_bound"],
            )
        )
    if not groups:
        sys.exit(f"no criterion results under {target}/criterion: run the bench first")
    print("| group | benchmark | median ns | 95% CI ns | vs baseline |")
    print("|---|---|---:|---:|---:|")
    for group, rows in groups.items():
        baseline_name = BASELINES.get(group, DEFAULT_BASELINE)
        baseline = next((median for name, median, _, _ in rows if name == baseline_name), None)
        for name, median, low, high in rows:
            ratio = f"{median / baseline:.2f}x" if baseline else ""
            print(f"| {group} | {name} | {median:.0f} | {low:.0f}–{high:.0f} | {ratio} |")


if __name__ == "__main__":
    main()
