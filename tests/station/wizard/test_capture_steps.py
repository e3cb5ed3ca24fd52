"""Consent, fingerprint (tries, quality, supervisor exception), face (sessions, result)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from station.enrollment.machine import EnrollmentState
from station.ui.widgets.step_indicator import StepIndicator
from tests.station.wizard.conftest import (
    SIZE,
    SUPERVISOR,
    WizardBooth,
    lines,
    on_screen,
    open_at,
    screen_id,
    settled,
)


async def test_y_records_the_consent(booth: WizardBooth) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        wizard = await open_at(pilot, booth, "consent")
        assert pilot.app.screen.query_one(StepIndicator).active == 1
        await pilot.press("y")
        await on_screen(pilot, "wizard-fingerprint")
        assert wizard.enrollment.state is EnrollmentState.FINGERPRINT


async def test_n_declines_and_the_enrollment_stops(booth: WizardBooth) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        await open_at(pilot, booth, "consent")
        await pilot.press("n")
        await on_screen(pilot, "wizard-ended")
        assert "Consent declined" in lines(pilot, "#ended-reason")


async def test_a_failed_try_shows_the_decision_quality_and_tries_left(booth: WizardBooth) -> None:
    booth.fingerprints.decisions = ["no_match"]
    async with booth.app().run_test(size=SIZE) as pilot:
        await open_at(pilot, booth, "fingerprint")
        assert "right index" in lines(pilot, "#finger-asked")
        await pilot.press("c")
        await settled(pilot)
        assert "no_match" in lines(pilot, "#finger-attempt")
        assert "quality 0.80" in lines(pilot, "#finger-attempt")
        assert lines(pilot, "#finger-tries") == "Tries left: 2"


async def test_f_asks_for_another_finger(booth: WizardBooth) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        await open_at(pilot, booth, "fingerprint")
        await pilot.press("f")
        assert "right middle" in lines(pilot, "#finger-asked")
        await pilot.press("c")
        await on_screen(pilot, "wizard-face")
        assert booth.fingerprints.tries == [3]


async def _use_up_the_tries(pilot: Pilot[Any], booth: WizardBooth) -> None:
    booth.fingerprints.decisions = ["no_match"] * 3
    for _ in range(3):
        await pilot.press("c")
        await settled(pilot)
    assert "supervisor exception" in lines(pilot, "#step-status")


async def test_after_three_failed_tries_a_supervisor_approves_an_exception(
    booth: WizardBooth,
) -> None:
    booth.add_supervisor()
    async with booth.app().run_test(size=SIZE) as pilot:
        wizard = await open_at(pilot, booth, "fingerprint")
        await _use_up_the_tries(pilot, booth)
        await pilot.press("c")  # no fourth try
        await settled(pilot)
        assert booth.fingerprints.tries == [2, 2, 2]
        await pilot.press("s")
        await on_screen(pilot, "supervisor-dialog")
        dialog = pilot.app.screen
        dialog.query_one("#supervisor-username", Input).value = SUPERVISOR[0]
        dialog.query_one("#supervisor-password", Input).value = "not the password"
        dialog.query_one("#supervisor-reason", Input).value = "scarred finger"
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert "Wrong supervisor" in lines(pilot, "#supervisor-status")
        dialog.query_one("#supervisor-password", Input).value = SUPERVISOR[1]
        await pilot.press("ctrl+s")
        await on_screen(pilot, "wizard-face")
        evidence = wizard.enrollment._progress.fingerprint_exception
        assert evidence is not None
        assert evidence.supervisor_id == SUPERVISOR[0]


async def test_an_operator_account_cannot_approve_an_exception(booth: WizardBooth) -> None:
    booth.add_supervisor()
    booth.add_supervisor(role="operator", username="op-sami")
    async with booth.app().run_test(size=SIZE) as pilot:
        await open_at(pilot, booth, "fingerprint")
        await _use_up_the_tries(pilot, booth)
        await pilot.press("s")
        await on_screen(pilot, "supervisor-dialog")
        dialog = pilot.app.screen
        dialog.query_one("#supervisor-username", Input).value = "op-sami"
        dialog.query_one("#supervisor-password", Input).value = SUPERVISOR[1]
        dialog.query_one("#supervisor-reason", Input).value = "injured"
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert "not a supervisor" in lines(pilot, "#supervisor-status")
        assert screen_id(pilot) == "supervisor-dialog"


async def test_without_a_supervisor_the_dialog_says_so_and_t_stops(booth: WizardBooth) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        await open_at(pilot, booth, "fingerprint")
        await _use_up_the_tries(pilot, booth)
        await pilot.press("s")
        await on_screen(pilot, "supervisor-dialog")
        assert "needs a supervisor" in lines(pilot, "#supervisor-status")
        await pilot.press("escape")
        await on_screen(pilot, "wizard-fingerprint")
        await pilot.press("t")
        await on_screen(pilot, "wizard-ended")
        assert "fingerprint_not_verified" in lines(pilot, ".hint")
        assert booth.ledger.all_wiped()


async def test_a_failed_face_session_shows_why_and_the_sessions_left(booth: WizardBooth) -> None:
    booth.faces.sessions = [(False, "not_live")]
    async with booth.app().run_test(size=SIZE) as pilot:
        await open_at(pilot, booth, "face")
        assert pilot.app.screen.query_one(StepIndicator).active == 3
        await pilot.press("c")
        await settled(pilot)
        assert "NOT live (screen_moire)" in lines(pilot, "#face-result")
        assert "threshold 0.500" in lines(pilot, "#face-result")
        assert lines(pilot, "#face-sessions") == "Sessions left: 2"
        await pilot.press("c")
        await on_screen(pilot, "wizard-account")


async def test_three_failed_face_sessions_stop_the_enrollment(booth: WizardBooth) -> None:
    booth.faces.sessions = [(False, "not_live")] * 3
    async with booth.app().run_test(size=SIZE) as pilot:
        await open_at(pilot, booth, "face")
        for _ in range(3):
            await pilot.press("c")
            await settled(pilot)
        await on_screen(pilot, "wizard-ended")
        assert "face_not_live:screen_moire" in lines(pilot, ".hint")
        assert booth.ledger.all_wiped()
