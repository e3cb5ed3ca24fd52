"""Who may approve a fingerprint exception: the portal's word first, the station's cached
hash when the portal is unreachable, never the operator at the desk."""

from __future__ import annotations

from datetime import timedelta

from station.portal.models import OperatorGrant
from station.ui.wizard.supervisor import SupervisorCheck
from tests.station.enrollment.booth_parts import START, problem, unreachable
from tests.station.wizard.conftest import FAST_HASHER, SUPERVISOR, WizardBooth


class SignInPortal:
    def __init__(self, role: str = "supervisor", failure: Exception | None = None) -> None:
        self.role = role
        self.failure = failure
        self.asked: list[str] = []

    async def sign_in(self, username: str, password: str) -> OperatorGrant:
        self.asked.append(username)
        if self.failure is not None:
            raise self.failure
        return OperatorGrant(username, "Amal", self.role, "t", START + timedelta(hours=1))


async def test_the_portal_confirms_a_supervisor(booth: WizardBooth) -> None:
    check = SupervisorCheck(booth.store, SignInPortal(), FAST_HASHER)  # type: ignore[arg-type]
    verdict = await check.check("sup-amal", "secret phrase", operator_id="op-test")
    assert verdict.approved
    assert verdict.supervisor_id == "sup-amal"


async def test_the_portal_says_this_is_no_supervisor(booth: WizardBooth) -> None:
    portal = SignInPortal(role="operator")
    check = SupervisorCheck(booth.store, portal, FAST_HASHER)  # type: ignore[arg-type]
    verdict = await check.check("op-sami", "secret phrase", operator_id="op-test")
    assert not verdict.approved
    assert "not a supervisor" in verdict.message.en


async def test_the_operator_cannot_approve_their_own_exception(booth: WizardBooth) -> None:
    check = SupervisorCheck(booth.store, SignInPortal(), FAST_HASHER)  # type: ignore[arg-type]
    verdict = await check.check("op-test", "secret phrase", operator_id="op-test")
    assert not verdict.approved
    assert "someone other" in verdict.message.en


async def test_wrong_credentials_at_the_portal(booth: WizardBooth) -> None:
    portal = SignInPortal(failure=problem(401, "invalid-credentials"))
    check = SupervisorCheck(booth.store, portal, FAST_HASHER)  # type: ignore[arg-type]
    verdict = await check.check("sup-amal", "wrong", operator_id="op-test")
    assert "Wrong supervisor" in verdict.message.en


async def test_an_unreachable_portal_falls_back_to_the_cached_supervisor(
    booth: WizardBooth,
) -> None:
    booth.add_supervisor()
    portal = SignInPortal(failure=unreachable())
    check = SupervisorCheck(booth.store, portal, FAST_HASHER)  # type: ignore[arg-type]
    verdict = await check.check(SUPERVISOR[0], SUPERVISOR[1], operator_id="op-test")
    assert verdict.approved
    assert portal.asked == [SUPERVISOR[0]]


async def test_nobody_to_check_means_it_needs_a_supervisor(booth: WizardBooth) -> None:
    check = SupervisorCheck(booth.store, None, FAST_HASHER)
    assert not check.available()
    verdict = await check.check("sup-amal", "secret phrase", operator_id="op-test")
    assert "needs a supervisor" in verdict.message.en
