"""Messages that cross between the core (run in workers) and the screens: data, nothing else."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from textual.message import Message

from station.bilingual import Bilingual
from station.devices.status import DeviceStatus
from station.enrollment.lookup import LookupOutcome
from station.operators import OperatorSession, SignInOutcome
from station.portal.models import PortalHealth


@dataclass
class SignInFinished(Message):
    """The sign-in worker is done, whatever the outcome."""

    outcome: SignInOutcome


@dataclass
class OperatorSignedIn(Message):
    """Bubbles from the sign-in screen to the app, which starts the session."""

    session: OperatorSession


@dataclass
class PortalHealthChecked(Message):
    """`health` when the portal answered; `problem` (what to tell the operator) when not."""

    checked_at: datetime
    health: PortalHealth | None
    problem: Bilingual | None

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, PortalHealthChecked)  # only the newest check matters


@dataclass
class DeviceStatusRead(Message):
    read_at: datetime
    statuses: Sequence[DeviceStatus]

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, DeviceStatusRead)


@dataclass
class LookupFinished(Message):
    outcome: LookupOutcome
