"""`python -m simulator.scanner --port P --population-db URL`: the scanner service (cli.py)."""

import sys

from simulator.scanner.cli import main

sys.exit(main())
