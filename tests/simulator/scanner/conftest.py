"""The simulated scanner as a real process for these tests."""

from tests.simulator.scanner.scanner_process import (  # noqa: F401
    fresh_scanner_fixture,
    scanner_fixture,
)
