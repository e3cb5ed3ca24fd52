"""`python -m portal_mock COMMAND`: the same commands as `hawiya portal COMMAND`."""

from __future__ import annotations

import argparse
import sys

from portal_mock.cli import add_arguments, run


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m portal_mock", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
