"""The card's side of the vpcd protocol: a TCP client of the vpcd reader driver.

Framing (vsmartcard): 2-byte big-endian length, then the payload. A 1-byte payload is a control
code from the reader (0 power off, 1 power on, 2 reset, 4 ATR request, which may come at any
time and must be answered); anything longer is a command APDU to answer with a response APDU.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from dataclasses import dataclass

from simulator.card.applet import READ_INSTRUCTIONS, CardApplet
from simulator.card.layout import ATR, CardFile
from simulator.card.scenarios import CardBehaviour

VPCD_HOST = "127.0.0.1"
VPCD_BASE_PORT = 35963  # slot 0; slot 1 listens on the next port
CONTROL_POWER_OFF, CONTROL_POWER_ON, CONTROL_RESET, CONTROL_ATR = 0, 1, 2, 4
_RECONNECT_SECONDS = 0.1


def slot_port(slot: int) -> int:
    if slot not in (0, 1):
        raise ValueError("vpcd has two slots: 0 or 1")
    return VPCD_BASE_PORT + slot


class ReaderGoneError(ConnectionError):
    """vpcd closed the connection (pcscd stopped)."""


@dataclass
class CardCounters:
    """What the card answered, for tests and benchmarks."""

    apdus: int = 0
    power_ups: int = 0


class VirtualCard:
    """Inserts the card into a vpcd slot and answers until `stop()` (or the scenario's removal).

    `run()` blocks; call it from a thread or a process's main. The card is "inserted" while its
    TCP connection is open, so closing the connection is pulling the card out.
    """

    def __init__(
        self,
        applet: CardApplet,
        behaviour: CardBehaviour = CardBehaviour(),  # noqa: B008 - frozen dataclass
        *,
        port: int = VPCD_BASE_PORT,
        host: str = VPCD_HOST,
    ) -> None:
        self._applet = applet
        self._behaviour = behaviour
        self._address = (host, port)
        self._stop = threading.Event()
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()
        self.inserted = threading.Event()
        self.inserted_at = 0.0  # time.monotonic() of the last insertion
        self.removed = threading.Event()
        self.muted = threading.Event()
        self.counters = CardCounters()
        self._portrait_read_started = False

    def stop(self) -> None:
        """Pull the card out: close the connection, end `run()`."""
        self._stop.set()
        self._close()

    def run(self) -> None:
        """Connect (retrying while vpcd is not listening yet) and serve; reconnect if pcscd
        restarts, until stopped or removed by the scenario."""
        try:
            while not self._stop.is_set():
                connection = self._connect()
                if connection is None:
                    return
                try:
                    self._serve(connection)
                except (ReaderGoneError, OSError):
                    pass
                finally:
                    self._close()
                    self.inserted.clear()
                if self.removed.is_set():
                    return
        finally:
            self.removed.set()

    def _connect(self) -> socket.socket | None:
        while not self._stop.is_set():
            try:
                connection = socket.create_connection(self._address, timeout=1.0)
            except OSError:
                self._stop.wait(_RECONNECT_SECONDS)
                continue
            connection.settimeout(None)
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                if self._stop.is_set():
                    connection.close()
                    return None
                self._socket = connection
            self.inserted_at = time.monotonic()
            self.inserted.set()
            return connection
        return None

    def _close(self) -> None:
        with self._lock:
            connection, self._socket = self._socket, None
        if connection is not None:
            with contextlib.suppress(OSError):  # already closed by vpcd
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()

    def _serve(self, connection: socket.socket) -> None:
        while not self._stop.is_set():
            payload = _receive(connection)
            if len(payload) == 1:
                self._control(connection, payload[0])
                continue
            answer = self._answer(payload)
            if answer is None:
                return
            _send(connection, answer)

    def _control(self, connection: socket.socket, code: int) -> None:
        if code == CONTROL_ATR:
            _send(connection, ATR)
        elif code in (CONTROL_POWER_ON, CONTROL_RESET):
            self.counters.power_ups += 1
            self._applet.reset()
        elif code == CONTROL_POWER_OFF:
            self._applet.reset()

    def _answer(self, apdu: bytes) -> bytes | None:
        """The response APDU, or None when the scenario says the card is gone."""
        behaviour = self._behaviour
        reading = len(apdu) >= 2 and apdu[1] in READ_INSTRUCTIONS
        if behaviour.mute_mid_read and reading:
            # A mute card keeps the contact (the reader still sees a card) and never answers.
            self.muted.set()
            self._stop.wait()
            return None
        if behaviour.remove_mid_read and reading and self._portrait_read_started:
            self.removed.set()
            return None
        if behaviour.apdu_delay_seconds and self._stop.wait(behaviour.apdu_delay_seconds):
            return None
        self.counters.apdus += 1
        answer = self._applet.respond(apdu)
        if reading and self._applet.current_file is CardFile.DG2 and answer[-2:] != b"\x6a\x82":
            self._portrait_read_started = True
        return answer


def _receive(connection: socket.socket) -> bytes:
    length = int.from_bytes(_receive_exactly(connection, 2), "big")
    return _receive_exactly(connection, length)


def _receive_exactly(connection: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = connection.recv(size - len(chunks))
        # Without QUICKACK, Linux delays the ACK of this small read and vpcd's next send waits
        # for it: each APDU would stall ~40 ms. The flag resets itself, so set it every read.
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        if not chunk:
            raise ReaderGoneError("vpcd closed the connection")
        chunks += chunk
    return bytes(chunks)


def _send(connection: socket.socket, payload: bytes) -> None:
    connection.sendall(len(payload).to_bytes(2, "big") + payload)
