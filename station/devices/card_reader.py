"""The booth's ID card reader on PC/SC (pyscard over pcscd): waits for cards with events,
reads and verifies each one, reports every failure as a `CardReadError`.

Works the same with a physical reader and with the simulator's vpcd reader: nothing here knows
which it is. Blocking calls only; the UI runs them in workers and gets `CardEvent`s.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import structlog
from cryptography import x509
from smartcard import scard

from station.card.failures import CardFailure, CardReadError
from station.card.identity import CardIdentity
from station.card.reading import read_and_verify

log = structlog.get_logger(__name__)

# pcsc-lite's pseudo reader whose state changes when a reader is plugged in or out.
_PNP_READER = "\\\\?PnP?\\Notification"
_SERVICE_GONE = frozenset(
    {scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED, scard.SCARD_E_INVALID_HANDLE}
)
_NO_CARD = frozenset({scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_REMOVED_CARD})
_RETRY_SECONDS = 1.0  # how soon the watcher tries pcscd again after it went away


def load_country_cas(path: Path) -> list[x509.Certificate]:
    """The trusted country signing CA certificates (PEM, one or more) at `path`."""
    try:
        return x509.load_pem_x509_certificates(path.read_bytes())
    except (OSError, ValueError) as error:
        raise CardReadError(
            CardFailure.CARD_UNREADABLE,
            f"the country CA file {path} cannot be read ({error}): set devices.card_country_ca",
        ) from error


def _failure_for(hresult: int, doing: str) -> CardReadError:
    text = f"{doing}: {scard.SCardGetErrorMessage(hresult)} ({hresult & 0xFFFFFFFF:08X})"
    if hresult in _SERVICE_GONE:
        return CardReadError(CardFailure.PCSCD_NOT_RUNNING, text)
    if hresult in (scard.SCARD_E_NO_READERS_AVAILABLE, scard.SCARD_E_UNKNOWN_READER):
        return CardReadError(CardFailure.NO_READER, text)
    if hresult in _NO_CARD:
        return CardReadError(CardFailure.NO_CARD, text)
    return CardReadError(CardFailure.CARD_UNREADABLE, text)


class _Context:
    """One PC/SC context; `release()` is skipped on purpose when a mute card holds it."""

    def __init__(self) -> None:
        hresult, self.handle = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hresult != scard.SCARD_S_SUCCESS:
            raise _failure_for(hresult, "connecting to pcscd")

    def readers(self) -> list[str]:
        hresult, names = scard.SCardListReaders(self.handle, [])
        if hresult != scard.SCARD_S_SUCCESS:
            raise _failure_for(hresult, "listing readers")
        return list(names)

    def states(self, names: Sequence[str], timeout_ms: int) -> list[tuple[str, int, bytes]]:
        hresult, states = scard.SCardGetStatusChange(
            self.handle, timeout_ms, [(name, scard.SCARD_STATE_UNAWARE) for name in names]
        )
        if hresult != scard.SCARD_S_SUCCESS:
            raise _failure_for(hresult, "reading reader states")
        return [(str(name), int(state), bytes(atr)) for name, state, atr in states]

    def release(self) -> None:
        scard.SCardReleaseContext(self.handle)


class _Connection:
    """A card connection whose transmits run in a daemon thread under a deadline: a mute card
    blocks SCardTransmit forever, so the caller gives up and abandons the thread."""

    def __init__(self, context: _Context, reader: str, timeout: float) -> None:
        hresult, self._card, self._protocol = scard.SCardConnect(
            context.handle,
            reader,
            scard.SCARD_SHARE_SHARED,
            scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
        )
        if hresult != scard.SCARD_S_SUCCESS:
            raise _failure_for(hresult, f"connecting to the card in {reader}")
        self._context = context
        self._timeout = timeout
        self._requests: queue.Queue[bytes | None] = queue.Queue()
        self._answers: queue.Queue[tuple[int, list[int]]] = queue.Queue()
        self.stuck = False
        self._worker = threading.Thread(target=self._work, name="card-transmit", daemon=True)
        self._worker.start()

    def _work(self) -> None:
        while (apdu := self._requests.get()) is not None:
            self._answers.put(scard.SCardTransmit(self._card, self._protocol, list(apdu)))
        if self.stuck:
            # The caller gave up on an answer; now that the card let go, clean up here.
            scard.SCardDisconnect(self._card, scard.SCARD_RESET_CARD)
            self._context.release()

    def transmit(self, apdu: bytes) -> bytes:
        self._requests.put(apdu)
        try:
            hresult, response = self._answers.get(timeout=self._timeout)
        except queue.Empty:
            self.stuck = True
            self._requests.put(None)  # the worker ends once SCardTransmit returns, if ever
            raise CardReadError(
                CardFailure.CARD_NOT_ANSWERING, f"no answer within {self._timeout:g} s"
            ) from None
        if hresult in _SERVICE_GONE:
            raise _failure_for(hresult, "transmitting")
        if hresult != scard.SCARD_S_SUCCESS:
            # Whatever the code (vpcd reports 0 for a card pulled mid-command): the card is lost.
            raise CardReadError(
                CardFailure.CARD_REMOVED, f"transmit failed ({hresult & 0xFFFFFFFF:08X})"
            )
        if len(response) < 2:
            # vpcd answers "success" with no bytes when the card vanished mid-command.
            raise CardReadError(CardFailure.CARD_REMOVED, "the card answered nothing")
        return bytes(response)

    def close(self) -> None:
        if self.stuck:
            return  # the worker still sits in SCardTransmit; disconnecting would block too
        self._requests.put(None)
        scard.SCardDisconnect(self._card, scard.SCARD_LEAVE_CARD)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class PcscCardReader:
    """Reads and verifies the card in a PC/SC reader."""

    def __init__(
        self,
        country_cas: Sequence[x509.Certificate],
        *,
        reader_name: str = "",
        apdu_timeout_seconds: float = 5.0,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._country_cas = list(country_cas)
        self.reader_name = reader_name
        self._timeout = apdu_timeout_seconds
        self._clock = clock

    def readers(self) -> list[str]:
        """Readers matching the configured name; raises NO_READER or PCSCD_NOT_RUNNING."""
        context = _Context()
        try:
            return self._matching(context.readers())
        finally:
            context.release()

    def _matching(self, names: Sequence[str]) -> list[str]:
        chosen = [name for name in names if self.reader_name in name]
        if not chosen:
            raise CardReadError(
                CardFailure.NO_READER,
                f"no reader matches {self.reader_name!r}" if self.reader_name else "no reader",
            )
        return chosen

    def read(self, reader: str | None = None) -> CardIdentity:
        """Read the card in `reader` (default: the first matching reader holding a card)."""
        context = _Context()
        stuck = False
        try:
            if reader is None:
                reader = self._reader_with_card(context)
            connection = _Connection(context, reader, self._timeout)
            try:
                identity = read_and_verify(
                    connection.transmit, self._country_cas, self._clock(), reader
                )
            finally:
                stuck = connection.stuck
                connection.close()
        finally:
            if not stuck:
                context.release()
        log.info("card.read", reader=reader, passive_auth="valid")
        return identity

    def _reader_with_card(self, context: _Context) -> str:
        names = self._matching(context.readers())
        for name, state, _ in context.states(names, 0):
            if state & scard.SCARD_STATE_PRESENT and not state & scard.SCARD_STATE_MUTE:
                return name
        raise CardReadError(CardFailure.NO_CARD, f"no card in {', '.join(names)}")


@dataclass(frozen=True, slots=True)
class CardInserted:
    reader: str


@dataclass(frozen=True, slots=True)
class CardRemoved:
    reader: str


@dataclass(frozen=True, slots=True)
class CardIdentityRead:
    identity: CardIdentity


@dataclass(frozen=True, slots=True)
class CardReadFailed:
    reader: str
    error: CardReadError


@dataclass(frozen=True, slots=True)
class ReaderUnavailable:
    """No reader, or pcscd not running; the watcher keeps trying."""

    error: CardReadError


CardEvent = CardInserted | CardRemoved | CardIdentityRead | CardReadFailed | ReaderUnavailable


class CardWatcher:
    """Waits on SCardGetStatusChange in a thread; on each insertion it reads and verifies the
    card (in another thread) and reports `CardEvent`s to `on_event`, from its threads."""

    def __init__(self, reader: PcscCardReader, on_event: Callable[[CardEvent], None]) -> None:
        self._reader = reader
        self._on_event = on_event
        self._stop = threading.Event()
        self._context: _Context | None = None
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._watch, name="card-watcher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        deadline = time.monotonic() + timeout
        while self._thread.is_alive() and time.monotonic() < deadline:
            # SCardCancel wakes a SCardGetStatusChange in progress only: if the thread was
            # between two waits, the cancel is lost, so repeat until it is out.
            with self._lock:
                if self._context is not None:
                    scard.SCardCancel(self._context.handle)
            self._thread.join(0.05)

    def _watch(self) -> None:
        last_problem: CardFailure | None = None
        while not self._stop.is_set():
            try:
                self._watch_once()
                last_problem = None
            except CardReadError as error:
                if error.failure is not last_problem:  # say it once, not every retry
                    self._on_event(ReaderUnavailable(error))
                last_problem = error.failure
                self._stop.wait(_RETRY_SECONDS)

    def _watch_once(self) -> None:
        context = _Context()
        with self._lock:
            self._context = context
        try:
            self._follow(context)
        finally:
            with self._lock:
                self._context = None
            context.release()

    def _follow(self, context: _Context) -> None:
        present: dict[str, bool] = {}
        known: dict[str, int] = {}
        while not self._stop.is_set():
            try:
                names = self._reader._matching(context.readers())
            except CardReadError as error:
                if error.failure is not CardFailure.NO_READER:
                    raise
                self._on_event(ReaderUnavailable(error))
                names = []
            states = [(name, known.get(name, scard.SCARD_STATE_UNAWARE)) for name in names]
            states.append((_PNP_READER, known.get(_PNP_READER, scard.SCARD_STATE_UNAWARE)))
            hresult, changed = scard.SCardGetStatusChange(context.handle, scard.INFINITE, states)
            if hresult == scard.SCARD_E_CANCELLED or self._stop.is_set():
                return
            if hresult != scard.SCARD_S_SUCCESS:
                raise _failure_for(hresult, "waiting for a card")
            for name, state, _ in changed:
                # Acknowledge the change, or the next call returns at once.
                known[name] = state & ~scard.SCARD_STATE_CHANGED
                if name == _PNP_READER:
                    continue
                has_card = bool(state & scard.SCARD_STATE_PRESENT)
                if has_card and not present.get(name, False):
                    self._on_event(CardInserted(name))
                    threading.Thread(
                        target=self._read, args=(name,), name="card-read", daemon=True
                    ).start()
                elif not has_card and present.get(name, False):
                    self._on_event(CardRemoved(name))
                present[name] = has_card

    def _read(self, name: str) -> None:
        try:
            identity = self._reader.read(name)
        except CardReadError as error:
            log.info("card.read_failed", reader=name, reason=error.failure.value)
            self._on_event(CardReadFailed(name, error))
            return
        self._on_event(CardIdentityRead(identity))
