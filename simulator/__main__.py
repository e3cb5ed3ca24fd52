"""`python -m simulator`: the booth's simulated devices (same as `hawiya simulator`)."""

import argparse
import sys
from pathlib import Path

from simulator.cli import add_arguments, run

parser = argparse.ArgumentParser(prog="python -m simulator")
parser.add_argument("--state-dir", type=Path, default=Path(".hawiya"))
add_arguments(parser)
sys.exit(run(parser.parse_args()))
