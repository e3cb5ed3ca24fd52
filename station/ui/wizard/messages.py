"""Messages between the wizard's workers (and the card watcher's threads) and its screens."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from station.bilingual import Bilingual
from station.customer_display.model import DisplayUpdate
from station.devices.card_reader import CardEvent


@dataclass
class StepDone(Message):
    """A core step run by a worker finished: `result` is what it returned (a `StepOutcome`,
    a `LookupOutcome`, ...), or `error` says what went wrong outside the core's rules."""

    action: str
    result: object
    error: Bilingual | None = None


@dataclass
class CitizenViewChanged(Message):
    """The customer display was told to show `update`."""

    update: DisplayUpdate

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, CitizenViewChanged)  # only the newest view matters


@dataclass
class CardEventArrived(Message):
    event: CardEvent
