"""The customer display served by the station on loopback: a bilingual web page and the
server-sent-events stream that drives it (and that the simulated citizen watches).

    GET /             the page (package data under `page/`; no CDN, no external fonts)
    GET /display.css  GET /display.js
    GET /events       text/event-stream: `screen` and `challenge` events, ids "<run>-<n>"
    GET /state        the current screen as JSON (for people debugging a booth)

Each `show()` becomes an `event: screen` with the update, its words in both languages and,
when the liveness challenge changed, an `event: challenge` ({"challenge": "turn_left"} or
{"challenge": null}). A new connection gets the current state at once; a reconnection with
Last-Event-ID gets only the parts of the current state it has not seen, so a citizen (or the
simulated subject) is never asked twice for the same challenge.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import socket
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from station.customer_display.consent import CONSENT
from station.customer_display.mobile_mask import safe_to_show
from station.customer_display.model import DisplayScreen, DisplayUpdate
from station.customer_display.wording import text_for

# Proxies and idle-connection reapers drop a silent stream after 30-60 s; a comment every 15 s
# keeps it open and lets both ends notice a dead peer.
KEEPALIVE_S = 15.0
# EventSource waits about 3 s before reconnecting unless told otherwise; a citizen waiting for
# the next prompt should not.
RETRY_MS = 1000
# A listener this far behind is not reading; it gets the current state instead of the backlog.
_BACKLOG_LIMIT = 256

_RUNS = itertools.count()  # two servers started in the same millisecond still differ

_PAGE_FILES = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/display.css": ("display.css", "text/css; charset=utf-8"),
    "/display.js": ("display.js", "text/javascript; charset=utf-8"),
}
_SECURITY_HEADERS = {
    # Nothing from outside the station: no CDN, no fonts, no inline script.
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True, slots=True)
class _Event:
    number: int
    name: str  # "screen" or "challenge"
    update: DisplayUpdate
    shown_at: float  # clock seconds, for the challenge countdown of late readers


@dataclass(eq=False)
class _Listener:
    loop: asyncio.AbstractEventLoop
    wake: asyncio.Event
    pending: deque[_Event] = field(default_factory=deque)
    resync: bool = False  # fell too far behind: send the current state instead


class CustomerDisplayServer:
    """The citizen-facing screen's web server; a `DisplayPublisher`.

    `start()` serves in a thread of its own and returns once listening; `show()` may be called
    from any thread, before, during or after serving; `stop()` ends every open stream.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        keepalive_s: float = KEEPALIVE_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.host = host
        self.port_requested = port
        self.keepalive_s = keepalive_s
        self.clock = clock
        # Ids start afresh with every run; a browser still holding an id from the previous run
        # must get the whole state, not be taken for up to date.
        self.run_id = f"{time.time_ns() // 1_000_000:x}{next(_RUNS)}"
        self._lock = threading.Lock()
        self._number = 0
        self._screen = self._next_event("screen", DisplayUpdate(DisplayScreen.IDLE))
        self._challenge = self._next_event("challenge", self._screen.update)
        self._listeners: set[_Listener] = set()
        self._stopping = threading.Event()
        self._pages = {
            path: (resources.files(__package__).joinpath("page", name).read_bytes(), kind)
            for path, (name, kind) in _PAGE_FILES.items()
        }
        self._socket: socket.socket | None = None
        self._port: int | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.app = Starlette(
            routes=[
                *(Route(path, self._page) for path in _PAGE_FILES),
                Route("/events", self._events),
                Route("/state", self._state),
            ]
        )

    # --- life cycle -------------------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> None:
        if self._thread is not None:
            raise RuntimeError("the customer display is already started")
        # IPPROTO_TCP spelled out: asyncio sets TCP_NODELAY only on sockets whose proto says
        # TCP, and accepted sockets inherit it; with proto 0 every response split over two
        # writes waited ~40 ms for a delayed ACK (Nagle), measured here on loopback.
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port_requested))
        except OSError as error:
            sock.close()
            raise RuntimeError(
                f"the customer display cannot listen on {self.host}:{self.port_requested} "
                f"({error.strerror}); choose another port, or 0 for any free one"
            ) from error
        sock.listen(16)
        self._socket = sock
        self._port = int(sock.getsockname()[1])
        config = uvicorn.Config(
            self.app,
            lifespan="off",
            access_log=False,
            # Leave logging to the station (stdout belongs to the TUI).
            log_config=None,
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [sock]},
            name="customer-display-http",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                self.stop()
                raise RuntimeError("the customer display's web server did not start")
            time.sleep(0.01)

    def stop(self, timeout: float = 10.0) -> None:
        """End every open stream, stop serving and close the socket; safe to call twice."""
        with self._lock:
            self._stopping.set()
            listeners = list(self._listeners)
        for listener in listeners:
            self._wake(listener)
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        if self._socket is not None:
            self._socket.close()

    def __enter__(self) -> CustomerDisplayServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the customer display is not started")
        return self._port

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def page_url(self) -> str:
        return f"{self.base_url}/"

    @property
    def events_url(self) -> str:
        return f"{self.base_url}/events"

    @property
    def listeners(self) -> int:
        """Streams open right now (the page, the simulated subject, ...)."""
        with self._lock:
            return len(self._listeners)

    # --- DisplayPublisher -------------------------------------------------------------------

    def show(self, update: DisplayUpdate) -> None:
        """Publish `update` to every listener; thread-safe, returns at once."""
        # Checked here, in the caller's thread: a bad screen name fails the caller, not the
        # stream of every listener later. ValueError names the bad value.
        update = replace(update, screen=DisplayScreen(update.screen))
        if update.masked_mobile is not None:
            update = replace(update, masked_mobile=safe_to_show(update.masked_mobile))
        with self._lock:
            events = [self._next_event("screen", update)]
            if update.challenge != self._challenge.update.challenge:
                events.append(self._next_event("challenge", update))
                self._challenge = events[-1]
            self._screen = events[0]
            listeners = list(self._listeners)
            for listener in listeners:
                if len(listener.pending) + len(events) > _BACKLOG_LIMIT:
                    listener.pending.clear()
                    listener.resync = True
                else:
                    listener.pending.extend(events)
        for listener in listeners:
            self._wake(listener)

    @property
    def current(self) -> DisplayUpdate:
        with self._lock:
            return self._screen.update

    @property
    def current_event_id(self) -> str:
        """The SSE id of the current screen: a page showing it has `data-event-id` equal."""
        with self._lock:
            return self._event_id(self._screen)

    @property
    def last_event_id(self) -> str:
        """The SSE id of the newest event: a client that saw it is up to date."""
        with self._lock:
            return self._event_id(max(self._screen, self._challenge, key=lambda e: e.number))

    # --- inside ------------------------------------------------------------------------------

    def _next_event(self, name: str, update: DisplayUpdate) -> _Event:
        self._number += 1
        return _Event(self._number, name, update, self.clock())

    @staticmethod
    def _wake(listener: _Listener) -> None:
        with contextlib.suppress(RuntimeError):  # the server's loop is already closed
            listener.loop.call_soon_threadsafe(listener.wake.set)

    def _event_id(self, event: _Event) -> str:
        return f"{self.run_id}-{event.number}"

    def _seen_number(self, last_event_id: str | None) -> int:
        """How far a reconnecting client got in this run (0: nothing of this run)."""
        run, _, number = (last_event_id or "").strip().rpartition("-")
        if run != self.run_id or not number.isdigit():
            return 0
        return int(number)

    def _current_state(self, seen: int) -> list[_Event]:
        """The current screen and challenge a client that saw up to `seen` has not seen."""
        state = sorted((self._screen, self._challenge), key=lambda event: event.number)
        return [event for event in state if event.number > seen]

    def _data(self, event: _Event) -> dict[str, Any]:
        update = event.update
        if event.name == "challenge":
            return {"challenge": update.challenge}
        data = update.as_json()
        data["text"] = text_for(update).as_json()
        if update.screen is DisplayScreen.CONSENT:
            data["consent_version"] = CONSENT.version
        if update.challenge_deadline_s is not None:
            # A page that connects late counts down what is left, not the whole time again.
            elapsed = self.clock() - event.shown_at
            data["challenge_remaining_s"] = round(
                max(update.challenge_deadline_s - elapsed, 0.0), 3
            )
        return data

    def _format(self, event: _Event) -> str:
        data = json.dumps(self._data(event), ensure_ascii=False, separators=(",", ":"))
        return f"id: {self._event_id(event)}\nevent: {event.name}\ndata: {data}\n\n"

    async def _stream(self, seen: int) -> AsyncIterator[str]:
        # Registered here, not in the handler: a client gone before the stream starts leaves
        # nothing behind. Registration and the first state are one step, so nothing shown in
        # between is lost or sent twice.
        listener = _Listener(asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            if self._stopping.is_set():
                return
            first = self._current_state(seen)
            self._listeners.add(listener)
        try:
            yield f"retry: {RETRY_MS}\n: Hawiya customer display\n\n"
            for event in first:
                yield self._format(event)
            while True:
                try:
                    await asyncio.wait_for(listener.wake.wait(), self.keepalive_s)
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                listener.wake.clear()
                with self._lock:
                    if self._stopping.is_set():
                        return
                    if listener.resync:
                        listener.resync = False
                        batch = self._current_state(0)
                    else:
                        batch = list(listener.pending)
                    listener.pending.clear()
                for event in batch:
                    yield self._format(event)
        finally:
            with self._lock:
                self._listeners.discard(listener)

    async def _events(self, request: Request) -> Response:
        if self._stopping.is_set():
            return Response("the customer display is stopping", status_code=503)
        seen = self._seen_number(request.headers.get("last-event-id"))
        headers = dict(_SECURITY_HEADERS)
        headers["X-Accel-Buffering"] = "no"  # no proxy buffering of the stream
        return StreamingResponse(
            self._stream(seen), media_type="text/event-stream", headers=headers
        )

    async def _state(self, request: Request) -> Response:
        with self._lock:
            event = self._screen
        return JSONResponse(
            {"id": self._event_id(event), **self._data(event)}, headers=_SECURITY_HEADERS
        )

    async def _page(self, request: Request) -> Response:
        body, kind = self._pages[request.url.path]
        return Response(body, media_type=kind, headers=_SECURITY_HEADERS)
