"""`python -m simulator.camera --port P --db URL`: the simulated camera (see cli.py)."""

import sys

from simulator.camera.cli import main

sys.exit(main())
