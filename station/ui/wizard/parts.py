"""What the wizard needs from the booth: the enrollment core's ports, the card events, the
supervisor check, where receipts go. The app gets one `WizardParts`; tests pass stand-ins.

Also two thin wrappers the wizard puts around the ports: one remembers the last fingerprint
attempt (its quality and decision are shown to the operator; the core keeps only counts), one
mirrors what the customer display shows so the operator sees what the citizen sees.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from station.clock import Clock
from station.customer_display.model import DisplayPublisher, DisplayUpdate
from station.devices.card_reader import CardEvent, CardWatcher, PcscCardReader
from station.enrollment.audit import EnrollmentJournal
from station.enrollment.machine import EnrollmentLimits
from station.enrollment.ports import (
    BiometricBytes,
    EnrollmentPortal,
    FaceSession,
    FaceStep,
    FingerprintAttempt,
    FingerprintStep,
)
from station.ui.wizard.supervisor import SupervisorCheck

# Seconds before each resend of the SMS code is allowed: 30 s, then doubling (the portal has
# its own limits; this keeps the operator from hammering it).
DEFAULT_RESEND_WAITS: tuple[float, ...] = (30.0, 60.0, 120.0, 240.0)


class CardEventSource(Protocol):
    """Card insertions and reads, reported from any thread. `subscribe` starts watching and
    returns the function that stops it (the identity screen subscribes while it is shown)."""

    def subscribe(self, on_event: Callable[[CardEvent], None]) -> Callable[[], None]: ...


class WatchedCards:
    """The booth's PC/SC reader as a `CardEventSource`: a `CardWatcher` while subscribed."""

    def __init__(self, reader: PcscCardReader) -> None:
        self._reader = reader

    def subscribe(self, on_event: Callable[[CardEvent], None]) -> Callable[[], None]:
        watcher = CardWatcher(self._reader, on_event)
        watcher.start()
        # Stopping waits for SCardCancel to take (up to seconds): never on the UI's thread.
        return lambda: threading.Thread(target=watcher.stop, daemon=True).start()


class NoDisplay:
    """A customer display nobody watches (none configured)."""

    def show(self, update: DisplayUpdate) -> None:
        return None


@dataclass
class WizardParts:
    portal: EnrollmentPortal
    fingerprint: FingerprintStep
    face: FaceStep
    journal: Callable[[], EnrollmentJournal]  # a journal per enrollment
    clock: Clock
    receipts_dir: Path
    supervisor: SupervisorCheck | None = None  # None: no supervisor can be checked here
    cards: CardEventSource | None = None  # None: manual entry only
    display: DisplayPublisher = field(default_factory=NoDisplay)
    limits: EnrollmentLimits = field(default_factory=EnrollmentLimits)
    resend_waits: tuple[float, ...] = DEFAULT_RESEND_WAITS
    new_id: Callable[[], str] | None = None  # the enrollment id; None: a random UUID


class ObservedFingerprints:
    """The fingerprint port, remembering the last attempt's quality and decision for the
    screen. Holds a reference only: the core wipes the buffers it carries."""

    def __init__(self, inner: FingerprintStep) -> None:
        self._inner = inner
        self.last: FingerprintAttempt | None = None

    async def capture_and_verify(self, id_number: str, finger_position: int) -> FingerprintAttempt:
        self.last = None
        attempt = await self._inner.capture_and_verify(id_number, finger_position)
        self.last = attempt
        return attempt


class ObservedFaces:
    """The face port, remembering the last session's result (score, threshold, reasons)."""

    def __init__(self, inner: FaceStep) -> None:
        self._inner = inner
        self.last: FaceSession | None = None

    async def capture_and_match(self, reference_jpeg: BiometricBytes) -> FaceSession:
        self.last = None
        session = await self._inner.capture_and_match(reference_jpeg)
        self.last = session
        return session


class MirroredDisplay:
    """Forwards every update to the customer display and tells the wizard (from any thread)."""

    def __init__(self, inner: DisplayPublisher, on_update: Callable[[DisplayUpdate], None]) -> None:
        self._inner = inner
        self._on_update = on_update
        self.latest: DisplayUpdate | None = None

    def show(self, update: DisplayUpdate) -> None:
        self.latest = update
        self._inner.show(update)
        self._on_update(update)
