"""Cancelling at any step (after a confirmation), leaving mid-enrollment, and the failures
that are nobody's rule: a port that raises, a receipt that cannot be written."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from station.enrollment.machine import EnrollmentState
from tests.station.wizard.conftest import (
    SIZE,
    WizardBooth,
    lines,
    on_screen,
    open_at,
    screen_id,
    settled,
    to_receipt,
)


@pytest.mark.parametrize("state", ["consent", "fingerprint", "face", "account", "sms_code"])
async def test_escape_then_y_cancels_and_wipes(booth: WizardBooth, state: str) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        wizard = await open_at(pilot, booth, state)
        await pilot.press("escape")
        await on_screen(pilot, "confirm-cancel")
        await pilot.press("y")
        await on_screen(pilot, "wizard-ended")
        assert wizard.enrollment.state is EnrollmentState.CANCELLED
        assert "cancelled" in lines(pilot, "#ended-reason")
        assert wizard.enrollment.held_biometrics == 0
        assert booth.ledger.all_wiped()
        assert booth.display.screens[-1] == "failure"
        await pilot.press("enter")
        await on_screen(pilot, "home")


async def test_n_in_the_confirmation_goes_on_with_the_enrollment(booth: WizardBooth) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        wizard = await open_at(pilot, booth, "consent")
        await pilot.press("escape")
        await on_screen(pilot, "confirm-cancel")
        await pilot.press("n")
        await on_screen(pilot, "wizard-consent")
        assert not wizard.enrollment.finished


async def test_ctrl_x_cancels_even_from_inside_a_field(booth: WizardBooth) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        wizard = await open_at(pilot, booth, "account")
        assert isinstance(pilot.app.screen.focused, Input)
        await pilot.press("ctrl+x")
        await on_screen(pilot, "confirm-cancel")
        await pilot.press("y")
        await on_screen(pilot, "wizard-ended")
        assert wizard.enrollment.state is EnrollmentState.CANCELLED


async def test_cancel_during_a_capture_wipes_what_it_brings(booth: WizardBooth) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        wizard = await open_at(pilot, booth, "fingerprint")
        booth.fingerprints.during = wizard.cancel  # the operator cancels while it captures
        await pilot.press("c")
        await on_screen(pilot, "wizard-ended")
        await settled(pilot)
        assert wizard.enrollment.state is EnrollmentState.CANCELLED
        assert booth.ledger.all_wiped()


async def test_signing_out_mid_enrollment_cancels_it(booth: WizardBooth) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        wizard = await open_at(pilot, booth, "face")
        await pilot.press("ctrl+o")
        await on_screen(pilot, "sign-in")
        assert wizard.enrollment.state is EnrollmentState.CANCELLED
        assert booth.ledger.all_wiped()


async def test_a_port_that_raises_is_reported_not_a_crash(booth: WizardBooth) -> None:
    async def broken(id_number: str, finger_position: int) -> object:
        raise RuntimeError("scanner driver fell over")

    booth.fingerprints.capture_and_verify = broken  # type: ignore[method-assign,assignment]
    async with booth.app().run_test(size=SIZE) as pilot:
        await open_at(pilot, booth, "fingerprint")
        await pilot.press("c")
        await settled(pilot)
        assert screen_id(pilot) == "wizard-fingerprint"
        assert "Something went wrong" in lines(pilot, "#step-status")
        assert pilot.app.is_running


async def test_a_receipt_that_cannot_be_written_says_so(booth: WizardBooth) -> None:
    booth.receipts_dir.parent.mkdir(parents=True, exist_ok=True)
    booth.receipts_dir.write_text("a file where the folder should be")
    async with booth.app().run_test(size=SIZE) as pilot:
        await to_receipt(pilot, booth)
        await pilot.press("p")
        await settled(pilot)
        assert "could not be saved" in lines(pilot, "#step-status")
        assert not list(booth.tmp_path.rglob("*.pdf*"))
