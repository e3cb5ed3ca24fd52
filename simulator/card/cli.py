"""`hawiya simulator card`: put a virtual national ID card into the vpcd reader."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--population-db", required=True, help="population database URL")
    parser.add_argument("--person", required=True, help="ID number of the card holder")
    parser.add_argument("--scenario", default="valid")


def run(args: argparse.Namespace) -> int:
    raise NotImplementedError("the virtual card lands with issue 5")
