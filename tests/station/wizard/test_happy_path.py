"""A compliant person with a card, through every screen of the wizard to the receipt."""

from __future__ import annotations

from typing import Any

from pypdf import PdfReader
from textual.pilot import Pilot

from station.bilingual import Bilingual
from station.ui.widgets.bilingual_lines import BilingualLines
from station.ui.widgets.step_indicator import StepIndicator
from tests.station.wizard.conftest import (
    SIZE,
    WizardBooth,
    insert_card,
    lines,
    on_screen,
    settled,
    start_wizard,
    to_receipt,
    walk_to,
)


async def test_key_n_on_home_opens_the_identity_step(booth: WizardBooth) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        await start_wizard(pilot, booth)
        assert "Insert the ID card" in lines(pilot, "#card-line")
        assert pilot.app.screen.query_one(StepIndicator).active == 0


async def test_a_card_read_goes_to_the_lookup_and_shows_the_person(booth: WizardBooth) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        await start_wizard(pilot, booth)
        await insert_card(pilot, booth)
        assert "Enter" in lines(pilot, "#step-status")
        assert booth.portal.lookups[0].id_number == booth.portal.found.id_number  # type: ignore[union-attr]
        assert "Citizen sees: Consent" in lines(pilot, "#citizen-view")


async def test_a_whole_enrollment_ends_on_the_receipt(booth: WizardBooth) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        await start_wizard(pilot, booth)
        await walk_to(pilot, booth, "wizard-receipt")
        screen = pilot.app.screen
        assert screen.query_one(StepIndicator).active == 5
        text = " ".join(line.en for line in _receipt_lines(pilot))
        assert "ENR-000001" in text
        assert "Mohammed Abdullah Al-Qahtani" in text
        assert "Hijri date" in text
        assert len(booth.portal.accounts) == 1
        assert booth.ledger.all_wiped()


async def test_p_on_the_receipt_saves_the_pdf_and_says_where(booth: WizardBooth) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        await to_receipt(pilot, booth)
        await pilot.press("p")
        await settled(pilot)
        saved = booth.receipts_dir / "ENR-000001.pdf"
        assert saved.exists()
        assert str(saved) in lines(pilot, "#step-status")
        text = "".join(page.extract_text() for page in PdfReader(saved).pages)
        assert "ENR-000001" in text


async def test_enter_on_the_receipt_goes_home_with_the_enrollment_recorded(
    booth: WizardBooth,
) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        wizard = await to_receipt(pilot, booth)
        await pilot.press("enter")
        await on_screen(pilot, "home")
        record = wizard.enrollment.record
        assert record is not None
        assert record.outcome.value == "completed"
        assert record.portal_enrollment_id == "ENR-000001"
        assert wizard.current is None


def _receipt_lines(pilot: Pilot[Any]) -> list[Bilingual]:
    return [
        line.message
        for line in pilot.app.screen.query(".receipt-line").results(BilingualLines)
        if line.message is not None
    ]
