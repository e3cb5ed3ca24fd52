"""The simulated citizen (simulator.subject.display_listener) reads the station's real customer
display: the liveness challenges reach it in order, once each, and it follows the display
across a station restart on the same port."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from simulator.subject.display_listener import DisplayListener
from simulator.subject.prompts import Prompt, PromptQueue
from station.customer_display import DisplayScreen, DisplayUpdate
from station.customer_display.server import CustomerDisplayServer

WAIT_S = 10.0


@pytest.fixture
def queue() -> PromptQueue:
    return PromptQueue()


@pytest.fixture
def ticks() -> Iterator[float]:
    return (float(n) for n in itertools.count(1))


def face(challenge: str | None) -> DisplayUpdate:
    return DisplayUpdate(DisplayScreen.FACE, challenge=challenge, challenge_deadline_s=4.0)


def wait_for_prompts(queue: PromptQueue, count: int) -> list[Prompt]:
    assert queue.wait_for(count, timeout=WAIT_S), f"prompts so far: {queue.take(1e9)}"
    return [event.prompt for event in queue.take(until=1e9)]


def test_the_subject_sees_each_challenge_once_in_order(
    queue: PromptQueue, ticks: Iterator[float]
) -> None:
    with CustomerDisplayServer() as display:
        listener = DisplayListener(display.events_url, queue, clock=lambda: next(ticks))
        listener.start()
        try:
            # On connecting it learns there is no challenge yet.
            assert wait_for_prompts(queue, 1) == [Prompt.CLEAR]
            display.show(DisplayUpdate(DisplayScreen.PLACE_FINGER))
            display.show(face(None))
            for challenge in ("turn_left", "blink", "smile", "look_up", "turn_right"):
                display.show(face(challenge))
                display.show(face(challenge))  # a note under the same challenge: no new prompt
            display.show(DisplayUpdate(DisplayScreen.SUCCESS))
            prompts = wait_for_prompts(queue, 6)
        finally:
            listener.stop()
    assert prompts == [
        Prompt.TURN_LEFT,
        Prompt.BLINK,
        Prompt.SMILE,
        Prompt.LOOK_UP,
        Prompt.TURN_RIGHT,
        Prompt.CLEAR,
    ]
    assert listener.connections == 1


def test_the_subject_follows_the_display_across_a_station_restart(
    queue: PromptQueue, ticks: Iterator[float]
) -> None:
    display = CustomerDisplayServer()
    display.start()
    port = display.port
    listener = DisplayListener(display.events_url, queue, clock=lambda: next(ticks))
    listener.start()
    try:
        assert wait_for_prompts(queue, 1) == [Prompt.CLEAR]
        display.show(face("turn_left"))
        assert wait_for_prompts(queue, 1) == [Prompt.TURN_LEFT]
        display.stop()
        # The station comes back on the same port, already asking for a blink; the listener's
        # Last-Event-ID belongs to the old run, so it is sent the whole new state.
        display = CustomerDisplayServer(port=port)
        display.show(face("blink"))
        display.start()
        assert wait_for_prompts(queue, 1) == [Prompt.BLINK]
        assert listener.connections == 2
    finally:
        listener.stop()
        display.stop()
