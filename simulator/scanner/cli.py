"""`hawiya simulator scanner`: run the fingerprint scanner device service."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=4501)


def run(args: argparse.Namespace) -> int:
    raise NotImplementedError("the scanner device service lands with issue 5")
