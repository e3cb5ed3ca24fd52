"""`nox -s bench` / `python -m benchmarks`: every benchmark, one table (benchmarks.table), and
JSON for tools. Each benchmark module has `run() -> list[row]`."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any

from benchmarks.table import format_table

BENCHMARKS = (
    "bench_population",
    "bench_portal",
    "bench_fingerprint",
    "bench_synthetic_fingerprints",
    "bench_face",
    "bench_camera",
    "bench_customer_display",
    "bench_scanner",
    "bench_face_preview",
    "bench_card",
    "bench_enrollment",
    "bench_liveness_speed",
    "bench_pad",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument(
        "names", nargs="*", help=f"benchmarks to run (default: all of {BENCHMARKS})"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    rows: list[dict[str, Any]] = []
    for name in args.names or BENCHMARKS:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"running {name} ...", file=sys.stderr, flush=True)
        rows.extend(module.run())
    print(format_table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
