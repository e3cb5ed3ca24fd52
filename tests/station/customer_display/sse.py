"""Reading the customer display's event stream in tests: a real httpx stream on loopback,
parsed by the text/event-stream rules, one event at a time with a deadline."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

WAIT_S = 10.0


@dataclass(frozen=True)
class Event:
    name: str
    id: str | None
    data: str

    @property
    def json(self) -> Any:
        return json.loads(self.data)

    @property
    def number(self) -> int:
        assert self.id is not None
        return int(self.id.rpartition("-")[2])


class EventStream:
    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.comments: list[str] = []
        self._lines = response.aiter_lines()

    async def next(self, within: float = WAIT_S) -> Event:
        """The next event; fails if none comes within `within` seconds or the stream ends."""
        async with asyncio.timeout(within):
            name, event_id = "", None
            data: list[str] = []
            async for line in self._lines:
                if line == "":
                    if data:
                        return Event(name, event_id, "\n".join(data))
                    continue
                field, _, value = line.partition(":")
                value = value.removeprefix(" ")
                if field == "":
                    self.comments.append(value)
                elif field == "event":
                    name = value
                elif field == "id":
                    event_id = value
                elif field == "data":
                    data.append(value)
        raise AssertionError("the stream ended")

    async def comment(self, within: float = WAIT_S) -> str:
        """The next comment line (e.g. a keep-alive), skipping anything else."""
        async with asyncio.timeout(within):
            async for line in self._lines:
                if line.startswith(":"):
                    return line[1:].removeprefix(" ")
        raise AssertionError("the stream ended")

    async def take(self, count: int) -> list[Event]:
        return [await self.next() for _ in range(count)]

    async def ends(self, within: float = WAIT_S) -> bool:
        """Whether the server closes the stream within `within` seconds (events are skipped)."""
        async with asyncio.timeout(within):
            async for _ in self._lines:
                pass
        return True


@asynccontextmanager
async def open_stream(url: str, last_event_id: str | None = None) -> AsyncIterator[EventStream]:
    headers = {"Accept": "text/event-stream"}
    if last_event_id is not None:
        headers["Last-Event-ID"] = last_event_id
    timeout = httpx.Timeout(5.0, read=None)
    async with (
        httpx.AsyncClient(timeout=timeout, trust_env=False) as client,
        client.stream("GET", url, headers=headers) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        yield EventStream(response)
