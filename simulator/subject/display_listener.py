"""The simulated person's eyes on the customer display: reads the station's server-sent events
(`text/event-stream`) from a URL and puts every prompt into a PromptQueue, stamped with the
clock time it was seen. Reconnects (with Last-Event-ID) when the stream drops.

It runs an asyncio loop in its own thread, so `stop()` ends it at once, whatever it waits on.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import httpx

from simulator.subject.prompts import PromptEvent, PromptQueue, parse_prompt

_DEFAULT_RETRY_S = 1.0


@dataclass
class ServerSentEvent:
    event: str = ""
    data: str = ""
    id: str | None = None


@dataclass
class _Parser:
    """The text/event-stream line protocol (WHATWG HTML, server-sent events)."""

    last_event_id: str | None = None
    retry_s: float = _DEFAULT_RETRY_S
    _event: str = ""
    _data: list[str] = field(default_factory=list)

    def feed(self, line: str) -> ServerSentEvent | None:
        if line == "":
            if not self._data:
                self._event = ""
                return None
            event = ServerSentEvent(self._event, "\n".join(self._data), self.last_event_id)
            self._event, self._data = "", []
            return event
        if line.startswith(":"):
            return None  # a comment, e.g. a keep-alive
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        elif name == "id" and "\0" not in value:
            self.last_event_id = value
        elif name == "retry" and value.isdigit():
            self.retry_s = int(value) / 1000.0
        return None


async def read_events(
    client: httpx.AsyncClient, url: str, parser: _Parser, on_open: Callable[[], None]
) -> AsyncIterator[ServerSentEvent]:
    """Events of one connection, until the server closes it."""
    headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache"}
    if parser.last_event_id is not None:
        headers["Last-Event-ID"] = parser.last_event_id
    async with client.stream("GET", url, headers=headers) as response:
        response.raise_for_status()
        on_open()
        async for line in response.aiter_lines():
            event = parser.feed(line.rstrip("\r"))
            if event is not None:
                yield event


class DisplayListener:
    """Watches the customer display at `url` and feeds `queue` until stopped."""

    def __init__(self, url: str, queue: PromptQueue, clock: Callable[[], float]) -> None:
        self.url = url
        self.queue = queue
        self.clock = clock
        self.connections = 0  # successful connections so far (reconnects included)
        self.last_error: str | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._thread: threading.Thread | None = None
        self._started = threading.Event()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="display-listener", daemon=True)
        self._thread.start()
        self._started.wait()

    def stop(self, timeout: float = 5.0) -> None:
        if self._loop is not None and self._task is not None:
            self._loop.call_soon_threadsafe(self._task.cancel)
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _opened(self) -> None:
        self.connections += 1

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._task = loop.create_task(self._listen())
        self._started.set()
        with contextlib.suppress(asyncio.CancelledError):
            loop.run_until_complete(self._task)
        loop.close()

    async def _listen(self) -> None:
        parser = _Parser()
        # No read timeout: a display may show one screen for minutes between events.
        timeout = httpx.Timeout(5.0, read=None)
        async with httpx.AsyncClient(timeout=timeout, trust_env=False) as client:
            while True:
                try:
                    async for event in read_events(client, self.url, parser, self._opened):
                        prompt = parse_prompt(event.event, event.data)
                        if prompt is not None:
                            self.queue.put(PromptEvent(prompt, self.clock(), event.id))
                    self.last_error = "the display closed the stream"
                except httpx.HTTPError as error:
                    self.last_error = f"{type(error).__name__}: {error}"
                await asyncio.sleep(parser.retry_s)
