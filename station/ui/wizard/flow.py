"""`EnrollmentWizard`: one enrollment and the screen that shows its current state. Screens call
the core through it and ask it to move on; it picks the screen for the core's new state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import structlog
from textual.app import App

from station.birth_date import Calendar
from station.customer_display.model import DisplayUpdate
from station.enrollment.lookup import LookupOutcome
from station.enrollment.machine import RIGHT_INDEX, Enrollment, EnrollmentState
from station.operators import OperatorSession
from station.ui.wizard.messages import CitizenViewChanged
from station.ui.wizard.parts import (
    MirroredDisplay,
    ObservedFaces,
    ObservedFingerprints,
    WizardParts,
)

if TYPE_CHECKING:
    from station.ui.wizard.base import WizardStepScreen

log = structlog.get_logger(__name__)

S = EnrollmentState

# Where each state sits on the step indicator (Identity, Consent, Fingerprint, Face,
# Account, Done): the lookup belongs to the identity, the SMS code and submit to the account.
STEP_INDEX: dict[EnrollmentState, int] = {
    S.IDENTITY: 0,
    S.LOOKUP: 0,
    S.CONSENT: 1,
    S.FINGERPRINT: 2,
    S.FACE: 3,
    S.ACCOUNT: 4,
    S.SMS_CODE: 4,
    S.SUBMIT: 4,
    S.COMPLETED: 5,
}


@dataclass
class AccountDraft:
    """What the operator typed in the account form, kept to fill it again after "change the
    mobile number". Never the password: it is typed again."""

    username: str = ""
    mobile: str = ""
    email: str = ""


class EnrollmentWizard:
    def __init__(
        self,
        app: App[Any],
        parts: WizardParts,
        session: OperatorSession,
        station_id: str,
    ) -> None:
        self.app = app
        self.parts = parts
        self.session = session
        self.station_id = station_id
        self.current: WizardStepScreen | None = None
        self.fingerprints = ObservedFingerprints(parts.fingerprint)
        self.faces = ObservedFaces(parts.face)
        self.display = MirroredDisplay(parts.display, self._citizen_view_changed)
        options: dict[str, Any] = {} if parts.new_id is None else {"new_id": parts.new_id}
        self.enrollment = Enrollment(
            session=session,
            station_id=station_id,
            portal=parts.portal,
            fingerprint=self.fingerprints,
            face=self.faces,
            display=self.display,
            journal=parts.journal(),
            clock=parts.clock,
            limits=parts.limits,
            **options,
        )
        self.lookup: LookupOutcome | None = None
        self.manual_entry: tuple[str, str, Calendar] | None = None  # to correct it after a lookup
        self.account = AccountDraft()
        self.finger_position = RIGHT_INDEX
        self.codes_sent = 0  # the first code counts: resends wait longer each time
        self.code_sent_at: datetime | None = None
        self.ended_from: EnrollmentState = S.IDENTITY  # the last live state, for the indicator

    # --- where the enrollment is ---------------------------------------------------------

    @property
    def state(self) -> EnrollmentState:
        return self.enrollment.state

    def step_index(self) -> int:
        if self.state in STEP_INDEX:
            return STEP_INDEX[self.state]
        return STEP_INDEX.get(self.ended_from, 0)

    def resend_wait_seconds(self) -> float:
        """How long after the last code the next resend is allowed."""
        waits = self.parts.resend_waits
        if not waits:
            return 0.0
        return waits[min(max(self.codes_sent - 1, 0), len(waits) - 1)]

    def resend_in_seconds(self) -> float:
        if self.code_sent_at is None:
            return 0.0
        elapsed = (self.parts.clock() - self.code_sent_at).total_seconds()
        return max(0.0, self.resend_wait_seconds() - elapsed)

    def code_sent(self) -> None:
        self.codes_sent += 1
        self.code_sent_at = self.parts.clock()

    # --- moving between screens ----------------------------------------------------------

    def start(self) -> None:
        log.info("wizard.started", enrollment_id=self.enrollment.id)
        self._go(self.screen_for_state())

    def show_current(self) -> None:
        """Show the screen for the core's current state (after a step moved it)."""
        self._go(self.screen_for_state())

    def show(self, screen: WizardStepScreen) -> None:
        self._go(screen)

    def screen_for_state(self) -> WizardStepScreen:
        # Imported here: each screen module imports this one.
        from station.ui.wizard.account import AccountScreen
        from station.ui.wizard.consent import ConsentScreen
        from station.ui.wizard.ended import EndedScreen
        from station.ui.wizard.face import FaceScreen
        from station.ui.wizard.fingerprint import FingerprintScreen
        from station.ui.wizard.identity import IdentityScreen
        from station.ui.wizard.lookup_result import LookupResultScreen
        from station.ui.wizard.receipt import ReceiptScreen
        from station.ui.wizard.sms_code import SmsCodeScreen
        from station.ui.wizard.submit import SubmitScreen

        screens: dict[EnrollmentState, type[WizardStepScreen]] = {
            S.IDENTITY: IdentityScreen,
            S.LOOKUP: LookupResultScreen,
            S.CONSENT: ConsentScreen,
            S.FINGERPRINT: FingerprintScreen,
            S.FACE: FaceScreen,
            S.ACCOUNT: AccountScreen,
            S.SMS_CODE: SmsCodeScreen,
            S.SUBMIT: SubmitScreen,
            S.COMPLETED: ReceiptScreen,
            S.STOPPED: EndedScreen,
            S.CANCELLED: EndedScreen,
        }
        return screens[self.state](self)

    def _go(self, screen: WizardStepScreen) -> None:
        if self.state not in (S.STOPPED, S.CANCELLED, S.COMPLETED):
            self.ended_from = self.state
        first = self.current is None
        self.current = screen  # before the switch: the old screen's unmount must see it
        if first:
            self.app.push_screen(screen)
        else:
            self.app.switch_screen(screen)

    def cancel(self) -> None:
        """The operator confirmed the cancel: the core wipes everything; show why it ended."""
        if not self.enrollment.finished:
            self.enrollment.cancel()
        self.show_current()

    def close(self) -> None:
        """Back to the home screen from the receipt or the ended screen."""
        self.current = None
        self.app.pop_screen()

    def abandoned(self) -> None:
        """The wizard's screen went away without the wizard moving on (sign-out, quit): the
        enrollment must not stay open with biometrics in memory."""
        self.current = None
        if not self.enrollment.finished:
            log.info("wizard.abandoned", enrollment_id=self.enrollment.id)
            self.enrollment.cancel()

    def _citizen_view_changed(self, update: DisplayUpdate) -> None:
        screen = self.current
        if screen is not None:
            screen.post_message(CitizenViewChanged(update))  # thread-safe: faces run in threads
