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
    return [
        {
            "figure": "population generation",
            "value": round(stats.persons / stats.seconds),
            "unit": "persons/s",
            "persons": stats.persons,
            "seconds": round(stats.seconds, 2),
            "limit_seconds": round(limit, 1),
            "within_limit": stats.seconds < limit,
            "seed": seed,
        },
        {
            "figure": "population database size",
            "value": round(megabytes, 1),
            "unit": "MB",
            "persons": stats.persons,
            "bytes_per_person": round(megabytes * 1_000_000 / stats.persons),
        },
        {
            "figure": "population export",
            "value": round(exported / export_seconds),
            "unit": "persons/s",
            "persons": exported,
            "seconds": round(export_seconds, 2),
        },
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rows = run(args.size, args.seed)
    for row in rows:
        print(f"{row['figure']:<28} {row['value']:>10} {row['unit']}")
    print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
