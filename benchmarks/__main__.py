"""`nox -s bench` / `python -m benchmarks`: every benchmark, one table, and JSON for tools.

Each benchmark module has `run(...) -> list[Figure]` where a figure is a dict with at least
`benchmark`, `figure`, `value` and `unit`, and optionally `baseline` (a reference measured in
the same process, so the ratio means something on any machine) and `note`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any

BENCHMARKS = ("bench_population", "bench_portal")


def format_table(rows: list[dict[str, Any]]) -> str:
    header = ("benchmark", "figure", "value", "unit", "baseline", "ratio", "note")
    lines = [header]
    for row in rows:
        value = row["value"]
        baseline = row.get("baseline")
        ratio = f"{value / baseline:.2f}" if baseline else ""
        lines.append(
            (
                str(row["benchmark"]),
                str(row["figure"]),
                _number(value),
                str(row["unit"]),
                _number(baseline) if baseline is not None else "",
                ratio,
                str(row.get("note", "")),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for index, line in enumerate(lines):
        out.append("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
        if index == 0:
            out.append("  ".join("-" * width for width in widths))
    return "\n".join(out)


def _number(value: float) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}" if abs(value) >= 10 else f"{value:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default: all of {BENCHMARKS})")
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
