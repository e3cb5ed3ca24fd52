"""The identity step (card or typed ID) and the lookup's every answer."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from station.card.failures import CardFailure, CardReadError
from station.devices.card_reader import CardInserted, CardReadFailed, ReaderUnavailable
from station.enrollment.machine import EnrollmentState
from station.portal.models import Eligibility
from tests.station.enrollment.booth_parts import ID_NUMBER, person, unreachable
from tests.station.wizard.conftest import (
    SIZE,
    WizardBooth,
    fill,
    insert_card,
    lines,
    on_screen,
    screen_id,
    settled,
    start_wizard,
)


async def test_m_shows_the_manual_entry_and_a_typed_id_is_looked_up(booth: WizardBooth) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        await start_wizard(pilot, booth)
        await pilot.press("m")
        await fill(pilot, **{"id-number": ID_NUMBER, "birth-date": "1990-05-17"})
        await pilot.press("enter")  # in the ID field: on to the date
        await pilot.press("enter")  # in the date field: look up
        await on_screen(pilot, "wizard-lookup")
        await settled(pilot)
        assert booth.portal.lookups[0].id_number == ID_NUMBER
        assert "Enter" in lines(pilot, "#step-status")


async def test_a_wrong_check_digit_is_refused_before_the_portal_is_asked(
    booth: WizardBooth,
) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        await start_wizard(pilot, booth)
        await pilot.press("m")
        wrong = ID_NUMBER[:-1] + str((int(ID_NUMBER[-1]) + 1) % 10)
        await fill(pilot, **{"id-number": wrong, "birth-date": "1990-05-17"})
        pilot.app.screen.query_one("#birth-date").focus()
        await pilot.press("enter")
        await settled(pilot)
        assert screen_id(pilot) == "wizard-identity"
        assert lines(pilot, "#id-number-hint")
        assert booth.portal.lookups == []


async def test_a_typed_id_not_found_is_corrected_with_e(booth: WizardBooth) -> None:
    booth.portal.found = None
    async with booth.app().run_test(size=SIZE) as pilot:
        await start_wizard(pilot, booth)
        await pilot.press("m")
        await fill(pilot, **{"id-number": ID_NUMBER, "birth-date": "1990-05-18"})
        pilot.app.screen.query_one("#birth-date").focus()
        await pilot.press("enter")
        await on_screen(pilot, "wizard-lookup")
        await settled(pilot)
        assert "correct" in lines(pilot, "#step-status")
        await pilot.press("e")
        await on_screen(pilot, "wizard-identity")
        await settled(pilot)
        assert pilot.app.screen.query_one("#birth-date").value == "1990-05-18"  # type: ignore[attr-defined]


async def test_an_unreachable_portal_is_asked_again_with_r(booth: WizardBooth) -> None:
    booth.portal.lookup_failures.append(unreachable())
    async with booth.app().run_test(size=SIZE) as pilot:
        await start_wizard(pilot, booth)
        await insert_card(pilot, booth)
        assert "press r" in lines(pilot, "#step-status")
        await pilot.press("r")
        await settled(pilot)
        assert len(booth.portal.lookups) == 2
        assert "Eligible" in lines(pilot, "#step-status")
        await pilot.press("enter")
        await on_screen(pilot, "wizard-consent")


async def test_an_already_registered_person_ends_with_the_reason(booth: WizardBooth) -> None:
    booth.portal.found = person(Eligibility.ALREADY_REGISTERED)
    async with booth.app().run_test(size=SIZE) as pilot:
        await start_wizard(pilot, booth)
        booth.cards.send(CardInserted("reader"))
        await insert_card_to_end(pilot, booth)
        assert "Already registered" in lines(pilot, "#ended-reason")
        assert "already_registered" in lines(pilot, ".hint")
        assert "password reset" in lines(pilot, "#ended-next-step")


async def test_a_forged_card_stops_the_enrollment(booth: WizardBooth) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        await start_wizard(pilot, booth)
        booth.cards.send(
            CardReadFailed("reader", CardReadError(CardFailure.CARD_NOT_GENUINE, "dg2_hash"))
        )
        await on_screen(pilot, "wizard-ended")
        assert "authenticity" in lines(pilot, "#ended-reason")
        assert "card_not_authentic:dg2_hash" in lines(pilot, ".hint")


async def test_an_expired_card_stops_the_enrollment(booth: WizardBooth) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        await start_wizard(pilot, booth)
        booth.cards.send(CardReadFailed("reader", CardReadError(CardFailure.CARD_EXPIRED)))
        await on_screen(pilot, "wizard-ended")
        assert "expired" in lines(pilot, "#ended-reason")


async def test_an_unreadable_card_says_what_to_do_and_waits(booth: WizardBooth) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        await start_wizard(pilot, booth)
        booth.cards.send(CardReadFailed("reader", CardReadError(CardFailure.CARD_UNREADABLE)))
        await settled(pilot)
        assert screen_id(pilot) == "wizard-identity"
        assert "clean the chip" in lines(pilot, "#card-line")
        booth.cards.send(ReaderUnavailable(CardReadError(CardFailure.PCSCD_NOT_RUNNING)))
        await settled(pilot)
        assert "pcscd" in lines(pilot, "#card-line")


async def test_without_a_card_reader_the_manual_entry_shows_at_once(booth: WizardBooth) -> None:
    async with booth.app(cards=None).run_test(size=SIZE) as pilot:
        await start_wizard(pilot, booth)
        assert "No card reader" in lines(pilot, "#card-line")
        assert pilot.app.screen.focused is pilot.app.screen.query_one("#id-number")


async def insert_card_to_end(pilot: Pilot[Any], booth: WizardBooth) -> None:
    from station.devices.card_reader import CardIdentityRead
    from tests.station.enrollment.booth_parts import card

    booth.cards.send(CardIdentityRead(card(booth.ledger)))  # type: ignore[arg-type]
    await on_screen(pilot, "wizard-ended")
    await settled(pilot)
    assert pilot.app.screen.wizard.state is EnrollmentState.STOPPED  # type: ignore[attr-defined]
