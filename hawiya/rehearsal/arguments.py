"""The options of `hawiya rehearse`, kept apart so that `hawiya --help` imports nothing heavy."""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_POPULATION = 400


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--people", type=int, default=12, help="citizens to walk through")
    parser.add_argument("--seed", type=int, default=1, help="population, people and behaviour")
    parser.add_argument(
        "--scenarios", help="comma-separated scenario names, cycled over the people (default all)"
    )
    parser.add_argument("--json", type=Path, dest="json_out", help="write the report here")
    parser.add_argument(
        "--human-delays",
        action="store_true",
        help="add simulated reading and typing times to each person's time (never slept)",
    )
    parser.add_argument(
        "--state-dir",
        type=Path,
        dest="rehearsal_dir",
        help="keep the booth's state here (default: a temporary folder, removed afterwards)",
    )
    parser.add_argument(
        "--population", type=int, default=DEFAULT_POPULATION, help="population size"
    )
    parser.add_argument(
        "--pcscd-wait",
        type=float,
        default=180.0,
        help="seconds to wait while another pcscd holds the machine's only socket",
    )
