"""`python -m hawiya` is the `hawiya` command."""

import sys

from hawiya.cli import main

sys.exit(main())
