"""The Identity step with the real portal: live validation, each lookup outcome, the calendar
toggle and the keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from station.enrollment.lookup import LookupKind, LookupOutcome
from station.operators import OperatorSession
from station.ui.app import StationApp
from station.ui.steps.lookup.result_panel import LookupResultPanel
from station.ui.widgets.bilingual_lines import BilingualLines
from station.ui.widgets.step_indicator import StepIndicator
from tests.station.conftest import (
    PILOT_SIZE,
    AppFactory,
    closed_port_url,
    look_up,
    open_lookup,
    settings_for,
    wait_for,
)
from tests.support.known_people import known
from tests.support.portal_server import PortalHandle


def _outcome(app: StationApp) -> LookupOutcome | None:
    return app.screen.query_one(LookupResultPanel).outcome


def _hint(app: StationApp, field: str) -> BilingualLines:
    return app.screen.query_one(f"#{field}-hint", BilingualLines)


def _input(app: StationApp, field: str) -> Input:
    return app.screen.query_one(f"#{field}", Input)


async def _lookup_outcome(
    make_app: AppFactory, session: OperatorSession, id_number: str, birth_date: str
) -> LookupOutcome:
    app = await make_app()
    async with app.run_test(size=PILOT_SIZE) as pilot:
        await open_lookup(pilot, session)
        await look_up(pilot, id_number, birth_date)
        outcome = _outcome(app)
        headline = app.screen.query_one("#outcome-headline", BilingualLines)
    assert outcome is not None
    assert headline.message is not None
    assert headline.message.ar == outcome.headline.ar
    return outcome


async def test_eligible_person_shows_both_names_and_the_next_step(
    make_app: AppFactory, operator_session: OperatorSession
) -> None:
    person = known("eligible")
    app = await make_app()
    async with app.run_test(size=PILOT_SIZE) as pilot:
        await open_lookup(pilot, operator_session)
        await look_up(pilot, person.id_number, person.birth_date.isoformat())

        outcome = _outcome(app)
        panel = app.screen.query_one(LookupResultPanel)
        next_step = app.screen.query_one("#next-step", BilingualLines)
        assert outcome is not None
        assert outcome.kind is LookupKind.ELIGIBLE
        assert outcome.person is not None
        assert outcome.person.name_ar == person.name_ar  # data in logical order
        assert outcome.person.name_en == person.name_en
        assert outcome.person.birth_date_hijri == person.birth_date_hijri
        assert panel.has_class("-good")
        assert next_step.message is not None
        assert "Continue to consent" in next_step.message.en


async def test_already_registered_person_is_offered_a_password_reset(
    make_app: AppFactory, operator_session: OperatorSession
) -> None:
    person = known("already_registered")

    outcome = await _lookup_outcome(
        make_app, operator_session, person.id_number, person.birth_date.isoformat()
    )

    assert outcome.kind is LookupKind.ALREADY_REGISTERED
    assert "password reset" in outcome.next_step.en


@pytest.mark.parametrize("who", ["deceased", "under_age", "id_expired"])
async def test_not_eligible_person_is_shown_with_the_reason(
    make_app: AppFactory, operator_session: OperatorSession, who: str
) -> None:
    person = known(who)

    outcome = await _lookup_outcome(
        make_app, operator_session, person.id_number, person.birth_date.isoformat()
    )

    assert outcome.kind is LookupKind.NOT_ELIGIBLE
    assert outcome.person is not None
    assert [reason.code for reason in outcome.person.reasons] == [who]


async def test_wrong_birth_date_is_not_found(
    make_app: AppFactory, operator_session: OperatorSession
) -> None:
    person = known("eligible")

    outcome = await _lookup_outcome(make_app, operator_session, person.id_number, "1989-05-17")

    assert outcome.kind is LookupKind.NOT_FOUND
    assert outcome.person is None
    assert "Check both with the card" in outcome.next_step.en


async def test_portal_unreachable_says_so_and_enter_retries(
    make_app: AppFactory, operator_session: OperatorSession, portal: PortalHandle, tmp_path: Path
) -> None:
    # The portal goes away in the middle of a session: the client now meets a closed port.
    down = await make_app(settings_for(tmp_path / "station", portal, url=closed_port_url()))
    person = known("eligible")

    async with down.run_test(size=PILOT_SIZE) as pilot:
        await open_lookup(pilot, operator_session)
        await look_up(pilot, person.id_number, person.birth_date.isoformat())
        first_outcome = _outcome(down)
        panel_tone = [
            tone
            for tone in ("-good", "-warning", "-bad")
            if down.screen.query_one(LookupResultPanel).has_class(tone)
        ]
        await pilot.press("enter")
        await down.workers.wait_for_complete()
        await pilot.pause()
        retried = _outcome(down)

    assert first_outcome is not None
    assert first_outcome.kind is LookupKind.PORTAL_UNREACHABLE
    assert "Check the network" in first_outcome.next_step.en
    assert first_outcome.detail is not None
    assert "Portal unreachable" in first_outcome.detail.en
    assert panel_tone == ["-warning"]
    assert retried is not None
    assert retried.kind is LookupKind.PORTAL_UNREACHABLE
    assert retried is not first_outcome  # Enter asked again


async def test_hijri_toggle_looks_up_by_the_hijri_date(
    make_app: AppFactory, operator_session: OperatorSession
) -> None:
    person = known("eligible")
    app = await make_app()
    async with app.run_test(size=PILOT_SIZE) as pilot:
        await open_lookup(pilot, operator_session)
        await pilot.press("ctrl+t")
        await look_up(pilot, person.id_number, person.birth_date_hijri)

        outcome = _outcome(app)
        assert outcome is not None
        assert outcome.kind is LookupKind.ELIGIBLE
        assert outcome.person is not None
        assert outcome.person.birth_date == person.birth_date


async def test_step_indicator_shows_identity_as_the_current_step(
    make_app: AppFactory, operator_session: OperatorSession
) -> None:
    app = await make_app()
    async with app.run_test(size=PILOT_SIZE) as pilot:
        await open_lookup(pilot, operator_session)

        steps = app.screen.query_one(StepIndicator)
        text = steps.render_steps().plain
        assert steps.active == 0
        assert text.startswith("● 1 Identity")
        assert "○ 6 Done" in text


async def test_escape_goes_home_and_clear_empties_the_form(
    make_app: AppFactory, operator_session: OperatorSession
) -> None:
    app = await make_app()
    async with app.run_test(size=PILOT_SIZE) as pilot:
        await open_lookup(pilot, operator_session)
        await pilot.press(*"12345", "ctrl+l")
        cleared = _input(app, "id-number").value
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen.id == "home", "the home screen")

    assert cleared == ""


# Live validation: each rule's message appears as the operator types.


async def _type_and_read(
    pilot: Pilot[Any], app: StationApp, field: str, text: str
) -> BilingualLines:
    _input(app, field).focus()
    await pilot.press(*text)
    await pilot.pause()
    return _hint(app, field)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12a", "only digits"),
        ("3", "starts with 1 (citizen) or 2 (resident)"),
        ("123456789712", "too many"),
        ("1234567890", "check digit"),
    ],
)
async def test_id_number_errors_appear_as_typed(
    make_app: AppFactory, operator_session: OperatorSession, typed: str, expected: str
) -> None:
    app = await make_app()
    async with app.run_test(size=PILOT_SIZE) as pilot:
        await open_lookup(pilot, operator_session)

        hint = await _type_and_read(pilot, app, "id-number", typed)

        assert hint.tone == "bad"
        assert hint.message is not None
        assert expected in hint.message.en
        assert hint.message.ar
        assert _input(app, "id-number").has_class("-invalid")


async def test_partial_id_number_is_guidance_until_enter_makes_it_an_error(
    make_app: AppFactory, operator_session: OperatorSession
) -> None:
    app = await make_app()
    async with app.run_test(size=PILOT_SIZE) as pilot:
        await open_lookup(pilot, operator_session)
        hint = await _type_and_read(pilot, app, "id-number", "1234")
        while_typing = (hint.tone, _input(app, "id-number").has_class("-invalid"))
        _input(app, "birth-date").value = "1990-05-17"
        _input(app, "id-number").focus()

        await pilot.press("enter")
        await pilot.pause()

        assert while_typing == ("neutral", False)
        assert hint.tone == "bad"
        assert _input(app, "id-number").has_class("-invalid")
        assert hint.message is not None
        assert "type the remaining 6" in hint.message.en
        assert _outcome(app) is None  # nothing was sent to the portal
        assert app.screen.focused is _input(app, "id-number")


async def test_valid_id_number_is_confirmed_with_the_holder_kind(
    make_app: AppFactory, operator_session: OperatorSession
) -> None:
    app = await make_app()
    async with app.run_test(size=PILOT_SIZE) as pilot:
        await open_lookup(pilot, operator_session)

        hint = await _type_and_read(pilot, app, "id-number", known("id_expired").id_number)

        assert hint.tone == "good"
        assert hint.message is not None
        assert hint.message.en == "Valid ID number (resident)."
        assert _input(app, "id-number").has_class("-valid")


async def test_empty_form_enter_asks_for_the_id_number(
    make_app: AppFactory, operator_session: OperatorSession
) -> None:
    app = await make_app()
    async with app.run_test(size=PILOT_SIZE) as pilot:
        await open_lookup(pilot, operator_session)

        await pilot.press("enter")
        await pilot.pause()

        hint = _hint(app, "id-number")
        assert hint.tone == "bad"
        assert hint.message is not None
        assert "Type the 10-digit ID" in hint.message.en


@pytest.mark.parametrize(
    ("typed", "toggle", "expected"),
    [
        ("17.05.1990", False, "YYYY-MM-DD"),
        ("1990-02-30", False, "not a real Gregorian date"),
        ("1410-10-22", False, "switch the calendar to Hijri"),
        ("1410-02-30", True, "not a real Hijri (Umm al-Qura) date"),
        ("2999-01-01", False, "in the future"),
    ],
)
async def test_birth_date_errors_appear_as_typed(
    make_app: AppFactory, operator_session: OperatorSession, typed: str, toggle: bool, expected: str
) -> None:
    app = await make_app()
    async with app.run_test(size=PILOT_SIZE) as pilot:
        await open_lookup(pilot, operator_session)
        if toggle:
            await pilot.press("ctrl+t")

        hint = await _type_and_read(pilot, app, "birth-date", typed)

        assert hint.tone == "bad"
        assert hint.message is not None
        assert expected in hint.message.en
        assert _input(app, "birth-date").has_class("-invalid")


async def test_toggling_the_calendar_rechecks_the_typed_date(
    make_app: AppFactory, operator_session: OperatorSession
) -> None:
    app = await make_app()
    async with app.run_test(size=PILOT_SIZE) as pilot:
        await open_lookup(pilot, operator_session)
        hint = await _type_and_read(pilot, app, "birth-date", "1410-10-22")
        as_gregorian = hint.tone

        await pilot.press("ctrl+t")
        await pilot.pause()

        assert as_gregorian == "bad"
        assert hint.tone == "good"
        assert hint.message is not None
        assert "1990-05-17" in hint.message.en
