"""`python -m station`: run the operator's app."""

import sys

from station.cli import main

sys.exit(main())
