"""Benchmark: how fast a population generates and exports, and how large its SQLite file is.

Run from the repository root: `python -m benchmarks.bench_population [--size N] [--seed S]`.
Issue 2 requires 100,000 persons in under 2 minutes on the 2-core reference machine.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from benchmarks.table import format_table
from fixtures.population import export_population, generate_population

LIMIT_SECONDS_FOR_100K = 120.0


def run(size: int = 100_000, seed: int = 1) -> list[dict[str, object]]:
    """Generate and export a population into a temporary SQLite file; return the figures."""
    with tempfile.TemporaryDirectory(prefix="hawiya-bench-") as directory:
        db_path = Path(directory) / "population.db"
        db_url = f"sqlite:///{db_path}"
        stats = generate_population(seed, size, db_url)
        megabytes = db_path.stat().st_size / 1_000_000
        started = time.perf_counter()
        exported = export_population(db_url, Path(directory) / "population.jsonl")
        export_seconds = time.perf_counter() - started
    limit = LIMIT_SECONDS_FOR_100K * size / 100_000
    generation_note = (
        f"{stats.persons:,} persons in {stats.seconds:.1f} s (limit {limit:.0f} s: "
        f"{'within' if stats.seconds < limit else 'OVER'}), seed {seed}"
    )
    return [
        {
            "benchmark": "population",
            "figure": "generation rate",
            "value": round(stats.persons / stats.seconds),
            "unit": "persons/s",
            "note": generation_note,
        },
        {
            "benchmark": "population",
            "figure": "SQLite database size",
            "value": round(megabytes, 1),
            "unit": "MB",
            "note": f"{round(megabytes * 1_000_000 / stats.persons)} bytes per person",
        },
        {
            "benchmark": "population",
            "figure": "JSONL export rate",
            "value": round(exported / export_seconds),
            "unit": "persons/s",
            "note": f"{exported:,} persons in {export_seconds:.1f} s",
        },
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rows = run(args.size, args.seed)
    print(format_table(rows))
    print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
