"""A stand-in customer display for tests: a real uvicorn on loopback serving server-sent
events from a list of connections, each a list of raw event texts; it records the headers
each connection arrived with."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import anyio
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import StreamingResponse
from starlette.routing import Route


class DisplayStub:
    def __init__(self, connections: list[list[str]], hold_last_open: bool = True) -> None:
        self.connections = connections
        self.hold_last_open = hold_last_open
        self.requests: list[dict[str, str]] = []
        self.stopping = threading.Event()
        self.url = ""

    def app(self) -> Starlette:
        async def events(request: Request) -> StreamingResponse:
            index = len(self.requests)
            self.requests.append(dict(request.headers))
            chunks = self.connections[index] if index < len(self.connections) else []
            last = index >= len(self.connections) - 1

            async def stream() -> AsyncIterator[str]:
                for chunk in chunks:
                    yield chunk
                if last and self.hold_last_open:
                    # Keep the stream open, as a display does, until the stub stops.
                    await anyio.to_thread.run_sync(self.stopping.wait)

            return StreamingResponse(stream(), media_type="text/event-stream")

        return Starlette(routes=[Route("/events", events)])


@contextmanager
def running_display(stub: DisplayStub) -> Iterator[DisplayStub]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    server = uvicorn.Server(
        uvicorn.Config(stub.app(), log_level="warning", lifespan="off", timeout_graceful_shutdown=1)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10.0
    while not server.started:
        assert time.monotonic() < deadline, "the display stub did not start"
        time.sleep(0.01)
    stub.url = f"http://127.0.0.1:{sock.getsockname()[1]}/events"
    try:
        yield stub
    finally:
        stub.stopping.set()
        server.should_exit = True
        thread.join(timeout=10.0)
        sock.close()
