"""A booth for the wizard's Pilot tests: the real `StationApp` and enrollment core, with the
core's scripted stand-in ports (tests/station/enrollment/booth_parts.py), a card reader that
the test drives, a real SQLite station database and a clock that moves only when told."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from textual.pilot import Pilot
from textual.widgets import Input

from station.devices.card_reader import CardEvent
from station.enrollment.audit import AuditTrail
from station.enrollment_store import EnrollmentStore
from station.operators import OperatorSession
from station.settings import load_settings
from station.store import CachedOperator, StationStore
from station.ui.app import StationApp
from station.ui.widgets.bilingual_lines import BilingualLines
from station.ui.wizard.flow import EnrollmentWizard
from station.ui.wizard.parts import WizardParts
from station.ui.wizard.supervisor import SupervisorCheck
from tests.station.conftest import FakeClock, FixedDeviceStatus, wait_for
from tests.station.enrollment.booth_parts import (
    START,
    BiometricLedger,
    RecordingDisplay,
    ScriptedFaces,
    ScriptedFingerprints,
    ScriptedPortal,
    card,
)

SIZE = (100, 32)
SUPERVISOR = ("sup-amal", "a long supervisor phrase")
# Cheap argon2 parameters: the check verifies with the hash's own parameters.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


class DrivenCards:
    """A card reader whose events the test sends (as the watcher would, from its thread)."""

    def __init__(self) -> None:
        self.listeners: list[Callable[[CardEvent], None]] = []

    def subscribe(self, on_event: Callable[[CardEvent], None]) -> Callable[[], None]:
        self.listeners.append(on_event)
        return lambda: self.listeners.remove(on_event)

    def send(self, event: CardEvent) -> None:
        for listener in list(self.listeners):
            listener(event)


@dataclass
class WizardBooth:
    tmp_path: Path
    clock: FakeClock
    ledger: BiometricLedger
    portal: ScriptedPortal
    fingerprints: ScriptedFingerprints
    faces: ScriptedFaces
    display: RecordingDisplay
    cards: DrivenCards
    store: StationStore
    session: OperatorSession
    supervisor: SupervisorCheck | None = None
    ids: list[str] = field(default_factory=list)

    @property
    def receipts_dir(self) -> Path:
        return self.tmp_path / "state" / "receipts"

    def parts(self, **changes: Any) -> WizardParts:
        def new_id() -> str:
            self.ids.append(f"enr-{len(self.ids) + 1}")
            return self.ids[-1]

        values: dict[str, Any] = {
            "portal": self.portal,
            "fingerprint": self.fingerprints,
            "face": self.faces,
            "journal": lambda: AuditTrail(EnrollmentStore(self.store.engine)),
            "clock": self.clock,
            "receipts_dir": self.receipts_dir,
            "supervisor": self.supervisor,
            "cards": self.cards,
            "display": self.display,
            "new_id": new_id,
        }
        values.update(changes)
        return WizardParts(**values)

    def app(self, **changes: Any) -> StationApp:
        return StationApp(
            load_settings(state_dir=self.tmp_path / "state"),
            self.portal,
            clock=self.clock,
            device_status=FixedDeviceStatus(),
            store=self.store,
            station_id="station-0001",
            enrollment_parts=self.parts(**changes),
        )

    def add_supervisor(self, role: str = "supervisor", username: str = SUPERVISOR[0]) -> None:
        password = SUPERVISOR[1]
        self.store.save_cached_operator(
            CachedOperator(
                username=username,
                operator_id=username,
                display_name="Amal Supervisor",
                role=role,
                secret_hash=FAST_HASHER.hash(password),
                last_online_sign_in=START,
            )
        )
        self.supervisor = SupervisorCheck(self.store)


@pytest.fixture
def booth(tmp_path: Path) -> Iterator[WizardBooth]:
    booth = make_booth(tmp_path)
    yield booth
    booth.store.close()


def make_booth(tmp_path: Path) -> WizardBooth:
    clock = FakeClock(START)
    ledger = BiometricLedger()
    store = StationStore(tmp_path / "state" / "station.db")
    return WizardBooth(
        tmp_path=tmp_path,
        clock=clock,
        ledger=ledger,
        portal=ScriptedPortal(ledger, clock),
        fingerprints=ScriptedFingerprints(ledger, clock),
        faces=ScriptedFaces(ledger, clock),
        display=RecordingDisplay(),
        cards=DrivenCards(),
        store=store,
        session=OperatorSession(
            "op-test", "op-test", "Test Operator", "operator", "token-1", datetime(2025, 3, 1)
        ),
    )


def screen_id(pilot: Pilot[Any]) -> str | None:
    return pilot.app.screen.id


async def on_screen(pilot: Pilot[Any], wanted: str) -> None:
    await wait_for(pilot, lambda: pilot.app.screen.id == wanted, f"screen {wanted}")


async def settled(pilot: Pilot[Any]) -> None:
    """Every worker done and every message that followed handled."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def start_wizard(pilot: Pilot[Any], booth: WizardBooth) -> None:
    """Sign in (as a successful sign-in would), then key n on home."""
    app = pilot.app
    assert isinstance(app, StationApp)
    await on_screen(pilot, "sign-in")
    app.start_session(booth.session)
    await on_screen(pilot, "home")
    await pilot.press("n")
    await on_screen(pilot, "wizard-identity")


def lines(pilot: Pilot[Any], selector: str) -> str:
    """The English of a BilingualLines (logical order: what was meant, not how it is drawn)."""
    message = pilot.app.screen.query_one(selector, BilingualLines).message
    return "" if message is None else message.en


def arabic(pilot: Pilot[Any], selector: str) -> str:
    message = pilot.app.screen.query_one(selector, BilingualLines).message
    return "" if message is None else message.ar


async def insert_card(pilot: Pilot[Any], booth: WizardBooth, **changes: object) -> None:
    from station.devices.card_reader import CardIdentityRead, CardInserted

    booth.cards.send(CardInserted("Test Reader 00 00"))
    booth.cards.send(CardIdentityRead(card(booth.ledger, **changes)))  # type: ignore[arg-type]
    await on_screen(pilot, "wizard-lookup")
    await settled(pilot)


def _left(pilot: Pilot[Any], step: str) -> bool:
    return screen_id(pilot) != step


async def fill(pilot: Pilot[Any], **values: str) -> None:
    for name, value in values.items():
        pilot.app.screen.query_one(f"#{name}", Input).value = value
    await pilot.pause()


async def walk_to(pilot: Pilot[Any], booth: WizardBooth, target: str) -> None:
    """A compliant person with a card, from the identity screen up to the screen `target`."""
    order = [
        "wizard-identity",
        "wizard-lookup",
        "wizard-consent",
        "wizard-fingerprint",
        "wizard-face",
        "wizard-account",
        "wizard-sms-code",
        "wizard-receipt",
    ]
    for step in order[: order.index(target)]:
        assert screen_id(pilot) == step, (screen_id(pilot), step)
        if step == "wizard-identity":
            await insert_card(pilot, booth)
            continue
        if step == "wizard-lookup":
            await pilot.press("enter")
        elif step == "wizard-consent":
            await pilot.press("y")
        elif step in ("wizard-fingerprint", "wizard-face"):
            await pilot.press("c")
        elif step == "wizard-account":
            await fill(pilot, username="mohammed90", password="a long passphrase")
            await fill(pilot, mobile="0512345123")
            await pilot.press("ctrl+s")
        elif step == "wizard-sms-code":
            await fill(pilot, code=booth.portal.code)
            pilot.app.screen.query_one("#code", Input).focus()
            await pilot.press("enter")
        await settled(pilot)
        await wait_for(pilot, partial(_left, pilot, step), f"leaving {step}")
        await settled(pilot)
    await on_screen(pilot, target)


async def open_at(pilot: Pilot[Any], booth: WizardBooth, state: str) -> EnrollmentWizard:
    """Home, then a new wizard whose enrollment the core has already taken (for a compliant
    person with a card) up to `state`; the wizard opens on that state's screen."""
    from station.enrollment.machine import EnrollmentState as S

    app = pilot.app
    assert isinstance(app, StationApp)
    await on_screen(pilot, "sign-in")
    app.start_session(booth.session)
    await on_screen(pilot, "home")
    parts = app.enrollment_parts
    assert parts is not None
    wizard = EnrollmentWizard(app, parts, booth.session, app.station_id)
    enrollment = wizard.enrollment
    target = S(state)
    steps = [S.IDENTITY, S.LOOKUP, S.CONSENT, S.FINGERPRINT, S.FACE, S.ACCOUNT, S.SMS_CODE]
    for step in steps[: steps.index(target)]:
        if step is S.IDENTITY:
            enrollment.accept_card(card(booth.ledger))
        elif step is S.LOOKUP:
            wizard.lookup = await enrollment.look_up()
        elif step is S.CONSENT:
            enrollment.give_consent()
        elif step is S.FINGERPRINT:
            await enrollment.capture_finger()
        elif step is S.FACE:
            await enrollment.capture_face()
        elif step is S.ACCOUNT:
            wizard.account.username, wizard.account.mobile = "mohammed90", "0512345123"
            await enrollment.open_account(
                username="mohammed90", password="a long passphrase", mobile="0512345123"
            )
            wizard.code_sent()
    assert enrollment.state is target, enrollment.state
    wizard.start()
    await settled(pilot)
    return wizard


async def to_receipt(pilot: Pilot[Any], booth: WizardBooth) -> EnrollmentWizard:
    """A compliant person's enrollment, opened at the SMS code: the right code, the receipt."""
    wizard = await open_at(pilot, booth, "sms_code")
    await fill(pilot, code=booth.portal.code)
    await pilot.press("enter")
    await on_screen(pilot, "wizard-receipt")
    await settled(pilot)
    return wizard
