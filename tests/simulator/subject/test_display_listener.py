"""The subject watches the station's real customer display: its server-sent events become
prompts in the subject's queue, in order, once each, stamped with the clock; a dropped
connection resumes with Last-Event-ID; a display that is not there yet is waited for."""

from __future__ import annotations

import contextlib
import itertools
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from simulator.subject.display_listener import DisplayListener, ServerSentEvent, _Parser
from simulator.subject.prompts import Prompt, PromptEvent, PromptQueue, parse_prompt
from station.customer_display import DisplayScreen, DisplayUpdate
from station.customer_display.server import CustomerDisplayServer

WAIT_S = 10.0


class DroppableLink:
    """A TCP relay on loopback between the listener and the display whose connections the test
    can cut: the network dropping, not the display stopping, so the display keeps its run and
    the listener's Last-Event-ID means something to it. New requests can be held at the relay,
    to change the display while the listener cannot see it."""

    def __init__(self, display_port: int) -> None:
        self.display = ("127.0.0.1", display_port)
        self.request_heads: list[dict[str, str]] = []  # each connection's headers, in order
        self._lock = threading.Lock()
        self._held_changed = threading.Condition(self._lock)
        self._held = 0
        self._open = threading.Event()
        self._open.set()
        self._sockets: set[socket.socket] = set()
        self._closing = False
        self._listening = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listening.getsockname()[1]}/events"
        threading.Thread(target=self._accept, name="droppable-link", daemon=True).start()

    def hold(self) -> None:
        """Keep new requests waiting at the relay until `release()`."""
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    def wait_until_held(self, count: int) -> bool:
        with self._held_changed:
            return self._held_changed.wait_for(lambda: self._held >= count, WAIT_S)

    def cut(self) -> None:
        """Drop every connection open through the relay, both ways."""
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        with self._lock:
            self._closing = True
        # shutdown, not close: only shutdown wakes an accept() blocked in another thread.
        with contextlib.suppress(OSError):
            self._listening.shutdown(socket.SHUT_RDWR)
        self._listening.close()
        self.release()
        self.cut()

    def __enter__(self) -> DroppableLink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listening.accept()
            except OSError:
                return
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        with client:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = client.recv(4096)
                if not chunk:
                    return
                head += chunk
            with self._held_changed:
                self.request_heads.append(_headers(head))
                self._held += 1
                self._held_changed.notify_all()
            self._open.wait()
            with self._held_changed:
                self._held -= 1
                if self._closing:
                    return
            with socket.create_connection(self.display) as upstream:
                with self._lock:
                    self._sockets |= {client, upstream}
                upstream.sendall(head)
                back = threading.Thread(target=_pump, args=(upstream, client), daemon=True)
                back.start()
                _pump(client, upstream)
                back.join()
                with self._lock:
                    self._sockets -= {client, upstream}


def _pump(source: socket.socket, target: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while data := source.recv(65536):
            target.sendall(data)
    for sock in (source, target):  # one side gone: the other goes too
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _headers(head: bytes) -> dict[str, str]:
    lines = head.decode("latin-1").split("\r\n")[1:]
    pairs = (line.partition(":") for line in lines if ":" in line)
    return {name.strip().lower(): value.strip() for name, _, value in pairs}


def face(challenge: str | None) -> DisplayUpdate:
    return DisplayUpdate(DisplayScreen.FACE, challenge=challenge, challenge_deadline_s=4.0)


def next_prompt(queue: PromptQueue) -> PromptEvent:
    assert queue.wait_for(1, timeout=WAIT_S), "no prompt reached the subject"
    (event,) = queue.take(until=1e18)
    return event


def wait_for_connections(listener: DisplayListener, count: int) -> None:
    deadline = time.monotonic() + WAIT_S
    while listener.connections < count:
        assert time.monotonic() < deadline, f"connections: {listener.connections}, not {count}"
        time.sleep(0.01)


@pytest.fixture
def display() -> Iterator[CustomerDisplayServer]:
    with CustomerDisplayServer() as server:
        yield server


def test_prompts_reach_the_subject_in_order_once_each_across_dropped_connections(
    display: CustomerDisplayServer,
) -> None:
    ticks = itertools.count(100)
    queue = PromptQueue()
    seen: list[PromptEvent] = []
    with DroppableLink(display.port) as link:
        listener = DisplayListener(link.url, queue, clock=lambda: float(next(ticks)))
        listener.start()
        try:
            seen.append(next_prompt(queue))  # on connecting: no challenge yet
            display.show(DisplayUpdate(DisplayScreen.CONSENT))  # no prompt in it
            display.show(face(None))
            display.show(face("turn_left"))
            seen.append(next_prompt(queue))
            assert seen[-1].event_id == display.last_event_id

            # Dropped with nothing new to show: back, it is not asked to turn left again.
            link.cut()
            wait_for_connections(listener, 2)
            display.show(face("blink"))
            seen.append(next_prompt(queue))

            # Dropped while the display moves on: back, it gets what it missed, once.
            link.hold()
            link.cut()
            assert link.wait_until_held(1), "the listener did not come back"
            display.show(face("smile"))
            link.release()
            seen.append(next_prompt(queue))
            display.show(DisplayUpdate(DisplayScreen.SUCCESS))
            seen.append(next_prompt(queue))
        finally:
            listener.stop()
    assert [e.prompt for e in seen] == [
        Prompt.CLEAR,
        Prompt.TURN_LEFT,
        Prompt.BLINK,
        Prompt.SMILE,
        Prompt.CLEAR,
    ]
    assert queue.take(until=1e18) == []  # nothing twice, nothing late
    assert [e.seen_at for e in seen] == sorted(e.seen_at for e in seen)
    ids = [e.event_id for e in seen]
    assert len(set(ids)) == len(ids)
    assert all(str(i).startswith(f"{display.run_id}-") for i in ids)
    assert listener.connections == 3
    first, second, third = link.request_heads
    assert first["accept"] == "text/event-stream"
    assert "last-event-id" not in first
    assert second["last-event-id"] == ids[1]  # turn_left was the last thing it saw
    assert third["last-event-id"] == ids[2]  # then blink


def test_stopping_the_listener_ends_a_quiet_stream_at_once() -> None:
    queue = PromptQueue()
    # No keep-alive within the test: the stream stays silent while the listener stops.
    with CustomerDisplayServer(keepalive_s=3600.0) as display:
        listener = DisplayListener(display.events_url, queue, clock=lambda: 0.0)
        listener.start()
        assert next_prompt(queue).prompt is Prompt.CLEAR  # connected, then nothing more
        listener.stop(timeout=5.0)
        assert not listener.running


def test_a_display_that_is_not_there_is_retried_not_fatal() -> None:
    # A port where a display was and is no more: the listener keeps trying until one is back.
    gone = CustomerDisplayServer()
    gone.start()
    port, url = gone.port, gone.events_url
    gone.stop()
    queue = PromptQueue()
    listener = DisplayListener(url, queue, clock=lambda: 0.0)
    listener.start()
    try:
        deadline = time.monotonic() + WAIT_S
        while listener.last_error is None:
            assert time.monotonic() < deadline, "the listener never tried to connect"
            time.sleep(0.01)
        assert "Connect" in listener.last_error
        assert listener.running  # retrying
        assert listener.connections == 0
        with CustomerDisplayServer(port=port) as display:
            display.show(face("look_up"))
            assert next_prompt(queue).prompt is Prompt.LOOK_UP
            assert listener.connections == 1
    finally:
        listener.stop()


def test_the_event_stream_is_read_as_the_standard_says() -> None:
    # What the real display does not send but the standard allows: comments, a retry time,
    # data over several lines, an event with no data, an id carried to later events.
    parser = _Parser()
    lines = [
        ": the display is up",
        "retry: 50",
        "",
        "event: prompt",
        "id: 3",
        'data: {"prompt":',
        'data:  "smile"}',
        "",
        "event: challenge",
        "",
        "data: blink",
        "",
    ]
    events = [event for line in lines if (event := parser.feed(line)) is not None]
    assert events == [
        ServerSentEvent("prompt", '{"prompt":\n "smile"}', "3"),
        ServerSentEvent("", "blink", "3"),
    ]
    assert parser.retry_s == 0.05
    assert [parse_prompt(e.event, e.data) for e in events] == [Prompt.SMILE, Prompt.BLINK]


@pytest.mark.parametrize(
    ("event", "data", "prompt"),
    [
        ("challenge", '{"challenge": "turn_right"}', Prompt.TURN_RIGHT),
        ("prompt", '{"prompt": "look-up"}', Prompt.LOOK_UP),
        ("", "smile", Prompt.SMILE),
        ("message", '"blink"', Prompt.BLINK),
        ("challenge", '{"challenge": null}', Prompt.CLEAR),
        ("blink", "", Prompt.BLINK),
        ("status", '{"challenge": "blink"}', None),
        ("challenge", '{"screen": "result"}', None),
        ("challenge", "dance", None),
    ],
)
def test_display_events_are_read_as_prompts(event: str, data: str, prompt: Prompt | None) -> None:
    assert parse_prompt(event, data) == prompt
