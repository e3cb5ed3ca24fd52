"""Masters shared by the synthetic-fingerprint tests: rendering one takes a few tenths of a
second, so each is rendered once per session."""

from __future__ import annotations

import pytest

from fixtures.population import finger_seed
from simulator.fingerprint import MasterFingerprint, render_master

# A right index finger of person 4242 (a loop: cores, a delta, 40-60 minutiae).
POSITION = 2
SEED = finger_seed(4242, POSITION)


@pytest.fixture(scope="session")
def master() -> MasterFingerprint:
    return render_master(SEED, POSITION)


@pytest.fixture(scope="session")
def scarred_master() -> MasterFingerprint:
    return render_master(SEED, POSITION, scarred=True)
