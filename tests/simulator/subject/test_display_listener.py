"""The subject watches the customer display: server-sent events from a real local server
become prompts in its queue, in order, stamped with the clock; reconnects resume by id."""

from __future__ import annotations

import itertools
import json
import time

import pytest

from simulator.subject.display_listener import DisplayListener
from simulator.subject.prompts import Prompt, PromptQueue, parse_prompt
from tests.simulator.subject.customer_display import DisplayStub, running_display


def test_prompts_on_the_display_reach_the_subject_in_order() -> None:
    first = [
        ": the display is up\n\n",
        "retry: 50\n\n",
        "event: challenge\nid: 1\ndata: " + json.dumps({"challenge": "turn_left"}) + "\n\n",
        'event: status\nid: 2\ndata: {"screen": "consent"}\n\n',  # no prompt in it
        'event: prompt\nid: 3\ndata: {"prompt":\ndata:  "smile"}\n\n',  # data over two lines
    ]
    second = ["event: challenge\nid: 4\ndata: blink\n\n"]
    ticks = itertools.count(100)
    queue = PromptQueue()
    with running_display(DisplayStub([first, second])) as display:
        listener = DisplayListener(display.url, queue, clock=lambda: float(next(ticks)))
        listener.start()
        try:
            assert queue.wait_for(3, timeout=10.0), f"prompts seen: {queue.take(1e9)}"
        finally:
            listener.stop()
        events = queue.take(until=1e9)
        assert [e.prompt for e in events] == [Prompt.TURN_LEFT, Prompt.SMILE, Prompt.BLINK]
        assert [e.event_id for e in events] == ["1", "3", "4"]
        assert [e.seen_at for e in events] == sorted(e.seen_at for e in events)
        # The stream ended after id 3; the listener came back asking to resume from there.
        assert display.requests[0].get("accept") == "text/event-stream"
        assert display.requests[1].get("last-event-id") == "3"
        assert listener.connections == 2


def test_stopping_the_listener_ends_a_quiet_stream_at_once() -> None:
    queue = PromptQueue()
    with running_display(DisplayStub([[": nothing to show\n\n"]])) as display:
        listener = DisplayListener(display.url, queue, clock=lambda: 0.0)
        listener.start()
        listener.stop(timeout=5.0)
        assert not listener.running


def test_a_display_that_is_not_there_is_retried_not_fatal() -> None:
    queue = PromptQueue()
    listener = DisplayListener("http://127.0.0.1:9/events", queue, clock=lambda: 0.0)
    listener.start()
    try:
        deadline = time.monotonic() + 10.0
        while listener.last_error is None:
            assert time.monotonic() < deadline, "the listener never tried to connect"
            time.sleep(0.01)
        assert "Connect" in listener.last_error
        assert listener.running  # retrying
    finally:
        listener.stop()
    assert listener.connections == 0


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
