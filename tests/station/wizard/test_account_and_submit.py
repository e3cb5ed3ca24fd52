"""Account form (live checks, the portal's field errors), SMS code (wrong codes, resend
back-off, change mobile), submit (unreachable portal, refusal)."""

from __future__ import annotations

from textual.widgets import Input

from tests.station.enrollment.booth_parts import problem, unreachable
from tests.station.wizard.conftest import (
    SIZE,
    WizardBooth,
    arabic,
    fill,
    lines,
    on_screen,
    open_at,
    screen_id,
    settled,
)


async def test_the_fields_are_checked_as_typed(booth: WizardBooth) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        await open_at(pilot, booth, "account")
        await fill(pilot, username="9lives", password="short", mobile="0612345678")
        assert "Start with an English letter" in lines(pilot, "#username-hint")
        assert "At least 8 characters" in lines(pilot, "#password-hint")
        assert "Saudi mobile" in lines(pilot, "#mobile-hint")
        assert arabic(pilot, "#mobile-hint")
        assert pilot.app.screen.query_one("#mobile", Input).has_class("-invalid")


async def test_an_empty_field_says_what_it_expects_as_it_takes_the_focus(
    booth: WizardBooth,
) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        await open_at(pilot, booth, "account")
        assert lines(pilot, "#password-hint") == ""
        await fill(pilot, username="mohammed90")
        await pilot.press("enter")
        await settled(pilot)
        assert pilot.app.screen.focused is pilot.app.screen.query_one("#password")
        assert "(0 so far)" in lines(pilot, "#password-hint")
        assert lines(pilot, "#mobile-hint") == ""
        await fill(pilot, password="a long passphrase")
        await pilot.press("enter")
        await settled(pilot)
        assert "A Saudi mobile number" in lines(pilot, "#mobile-hint")
        assert arabic(pilot, "#mobile-hint")


async def test_invalid_fields_are_not_sent(booth: WizardBooth) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        wizard = await open_at(pilot, booth, "account")
        await fill(pilot, username="mohammed90", password="short", mobile="0512345123")
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert "Correct the fields" in lines(pilot, "#step-status")
        assert pilot.app.screen.focused is pilot.app.screen.query_one("#password")
        assert wizard.enrollment.state.value == "account"


async def test_the_portals_field_errors_show_under_their_fields(booth: WizardBooth) -> None:
    booth.portal.account_failures.append(problem(422, "mobile-not-owned", "mobile"))
    async with booth.app().run_test(size=SIZE) as pilot:
        await open_at(pilot, booth, "account")
        await fill(pilot, username="mohammed90", password="a long passphrase")
        await fill(pilot, mobile="0512345123")
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert screen_id(pilot) == "wizard-account"
        assert lines(pilot, "#mobile-hint") == "bad"
        assert pilot.app.screen.focused is pilot.app.screen.query_one("#mobile")


async def test_a_wrong_code_counts_and_the_right_one_submits(booth: WizardBooth) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        await open_at(pilot, booth, "sms_code")
        assert "05X XXX X123" in lines(pilot, "#code-sent-to")
        await fill(pilot, code="000000")
        await pilot.press("enter")
        await settled(pilot)
        assert "Wrong code: 4 tries left" in lines(pilot, "#step-status")
        assert lines(pilot, "#codes-left") == "Wrong codes allowed: 4"
        await fill(pilot, code=booth.portal.code)
        await pilot.press("enter")
        await on_screen(pilot, "wizard-receipt")


async def test_a_short_code_is_refused_before_the_portal_is_asked(booth: WizardBooth) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        wizard = await open_at(pilot, booth, "sms_code")
        await fill(pilot, code="123")
        await pilot.press("enter")
        await settled(pilot)
        assert "6 digits (3 typed)" in lines(pilot, "#step-status")
        assert wizard.enrollment.codes_left == 5


async def test_five_wrong_codes_stop_the_enrollment(booth: WizardBooth) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        await open_at(pilot, booth, "sms_code")
        for _ in range(5):
            await fill(pilot, code="000000")
            await pilot.press("enter")
            await settled(pilot)
        await on_screen(pilot, "wizard-ended")
        assert "sms_code_attempts" in lines(pilot, ".hint")


async def test_resend_waits_for_the_back_off_then_doubles_it(booth: WizardBooth) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        wizard = await open_at(pilot, booth, "sms_code")
        assert "Resend possible in 30 s" in lines(pilot, "#resend-line")
        await pilot.press("ctrl+r")
        await settled(pilot)
        assert wizard.codes_sent == 1
        booth.clock.advance(seconds=30)
        await pilot.press("ctrl+r")
        await settled(pilot)
        assert wizard.codes_sent == 2
        assert "New code sent" in lines(pilot, "#step-status")
        pilot.app.screen._show_resend()  # type: ignore[attr-defined]
        assert "Resend possible in 60 s" in lines(pilot, "#resend-line")


async def test_ctrl_e_goes_back_to_change_the_mobile_number(booth: WizardBooth) -> None:
    async with booth.app().run_test(size=SIZE) as pilot:
        await open_at(pilot, booth, "sms_code")
        await pilot.press("ctrl+e")
        await on_screen(pilot, "wizard-account")
        screen = pilot.app.screen
        assert screen.query_one("#username", Input).value == "mohammed90"
        assert screen.query_one("#mobile", Input).value == "0512345123"
        assert screen.query_one("#password", Input).value == ""
        assert screen.focused is screen.query_one("#password")


async def test_an_unreachable_portal_at_submit_is_retried_with_the_same_key(
    booth: WizardBooth,
) -> None:
    booth.portal.submit_failures.append(unreachable())
    async with booth.app().run_test(size=SIZE) as pilot:
        await open_at(pilot, booth, "sms_code")
        await fill(pilot, code=booth.portal.code)
        await pilot.press("enter")
        await on_screen(pilot, "wizard-submit")
        await settled(pilot)
        assert "Press r to retry" in lines(pilot, "#step-status")
        await pilot.press("r")
        await on_screen(pilot, "wizard-receipt")
        keys = [key for key, _ in booth.portal.submissions]
        assert keys == ["enr-1", "enr-1"]
        assert len(booth.portal.accounts) == 1


async def test_a_refused_submission_stops_with_the_problem(booth: WizardBooth) -> None:
    booth.portal.submit_failures.append(problem(409, "face-evidence-rejected"))
    async with booth.app().run_test(size=SIZE) as pilot:
        await open_at(pilot, booth, "sms_code")
        await fill(pilot, code=booth.portal.code)
        await pilot.press("enter")
        await on_screen(pilot, "wizard-ended")
        assert "submission_refused:face-evidence-rejected" in lines(pilot, ".hint")
        assert booth.ledger.all_wiped()
