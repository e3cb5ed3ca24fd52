"""What the subject can be asked on the customer display, and the queue prompts reach it by.

A `PromptQueue` is filled by whoever watches the display (the SSE listener, or a test) with
the clock time each prompt was seen; the subject's script takes the prompts seen up to the
time it is asked about. Thread-safe: the listener runs in its own thread.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Prompt(StrEnum):
    BLINK = "blink"
    TURN_LEFT = "turn_left"  # the person's own left
    TURN_RIGHT = "turn_right"
    SMILE = "smile"
    LOOK_UP = "look_up"
    CLEAR = "clear"  # the display went back to "look at the camera": stop what you do


@dataclass(frozen=True)
class PromptEvent:
    prompt: Prompt
    seen_at: float  # clock seconds
    event_id: str | None = None


class PromptSource(Protocol):
    def take(self, until: float) -> list[PromptEvent]:
        """Prompts seen at or before `until`, oldest first, each returned once."""
        ...


class PromptQueue:
    """A PromptSource others put prompts into."""

    def __init__(self) -> None:
        self._events: deque[PromptEvent] = deque()
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)

    def put(self, event: PromptEvent) -> None:
        with self._arrived:
            self._events.append(event)
            self._arrived.notify_all()

    def take(self, until: float) -> list[PromptEvent]:
        with self._lock:
            taken = []
            while self._events and self._events[0].seen_at <= until:
                taken.append(self._events.popleft())
            return taken

    def wait_for(self, count: int, timeout: float) -> bool:
        """Block until at least `count` prompts wait in the queue (for tests and tools)."""
        with self._arrived:
            return self._arrived.wait_for(lambda: len(self._events) >= count, timeout)


# What the station's customer display may send: an SSE event named "challenge" or "prompt"
# (or unnamed), whose data is a JSON object with "challenge" or "prompt", or a bare word.
_ALIASES = {
    "blink": Prompt.BLINK,
    "turn_left": Prompt.TURN_LEFT,
    "left": Prompt.TURN_LEFT,
    "turn_right": Prompt.TURN_RIGHT,
    "right": Prompt.TURN_RIGHT,
    "smile": Prompt.SMILE,
    "look_up": Prompt.LOOK_UP,
    "up": Prompt.LOOK_UP,
    "clear": Prompt.CLEAR,
    "idle": Prompt.CLEAR,
    "none": Prompt.CLEAR,
    "look_straight": Prompt.CLEAR,
}
PROMPT_EVENT_NAMES = frozenset({"", "message", "challenge", "prompt"})


def parse_prompt(event_name: str, data: str) -> Prompt | None:
    """The prompt an SSE event carries, or None if it carries none (other display updates)."""
    if event_name not in PROMPT_EVENT_NAMES and event_name not in _ALIASES:
        return None
    if event_name in _ALIASES:
        return _ALIASES[event_name]
    text = data.strip()
    try:
        decoded = json.loads(text)
    except json.JSONDecodeError:
        decoded = text
    if isinstance(decoded, dict):
        key = next((k for k in ("challenge", "prompt") if k in decoded), None)
        if key is None:
            return None
        if decoded[key] is None:  # the display shows no challenge any more
            return Prompt.CLEAR
        decoded = decoded[key]
    return _ALIASES.get(str(decoded).strip().lower().replace("-", "_").replace(" ", "_"))
