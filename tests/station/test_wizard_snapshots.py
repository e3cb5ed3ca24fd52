"""The enrollment wizard's layout at the smallest supported terminal (80x24). Behaviour is
checked by the Pilot tests in tests/station/wizard; these catch layout regressions. Update with
`pytest tests/station/test_wizard_snapshots.py --snapshot-update`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.station.enrollment.booth_parts import ID_NUMBER
from tests.station.wizard.conftest import (
    WizardBooth,
    fill,
    make_booth,
    open_at,
    settled,
    start_wizard,
    to_receipt,
)

SIZE = (80, 24)


@pytest.fixture
def snapshot_booth(tmp_path: Path) -> Iterator[WizardBooth]:
    booth = make_booth(tmp_path)
    yield booth
    booth.store.close()


def test_wizard_identity_typed(snap_compare: Callable[..., bool], snapshot_booth: Any) -> None:
    async def type_the_id(pilot: Pilot[Any]) -> None:
        await start_wizard(pilot, snapshot_booth)
        await pilot.press("m")
        await fill(pilot, **{"id-number": ID_NUMBER, "birth-date": "1990-05"})

    assert snap_compare(snapshot_booth.app(), terminal_size=SIZE, run_before=type_the_id)


def test_wizard_consent(snap_compare: Callable[..., bool], snapshot_booth: Any) -> None:
    async def to_consent(pilot: Pilot[Any]) -> None:
        await open_at(pilot, snapshot_booth, "consent")

    assert snap_compare(snapshot_booth.app(), terminal_size=SIZE, run_before=to_consent)


def test_wizard_fingerprint_needs_a_supervisor(
    snap_compare: Callable[..., bool], snapshot_booth: Any
) -> None:
    snapshot_booth.fingerprints.decisions = ["no_match"] * 3

    async def use_up_the_tries(pilot: Pilot[Any]) -> None:
        await open_at(pilot, snapshot_booth, "fingerprint")
        for _ in range(3):
            await pilot.press("c")
            await settled(pilot)

    assert snap_compare(snapshot_booth.app(), terminal_size=SIZE, run_before=use_up_the_tries)


def test_wizard_account_form(snap_compare: Callable[..., bool], snapshot_booth: Any) -> None:
    async def type_details(pilot: Pilot[Any]) -> None:
        await open_at(pilot, snapshot_booth, "account")
        await fill(pilot, username="mohammed90", password="short", mobile="0612")

    assert snap_compare(snapshot_booth.app(), terminal_size=SIZE, run_before=type_details)


def test_wizard_receipt(snap_compare: Callable[..., bool], snapshot_booth: Any) -> None:
    async def enroll(pilot: Pilot[Any]) -> None:
        await to_receipt(pilot, snapshot_booth)

    assert snap_compare(snapshot_booth.app(), terminal_size=SIZE, run_before=enroll)
