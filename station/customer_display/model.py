"""What the customer display shows, as data. The station's steps publish `DisplayUpdate`s to a
`DisplayPublisher`; the web page (and the simulated citizen) receive them as server-sent events:
every update as `event: screen` with the update as JSON, and, whenever the liveness challenge
changes, also `event: challenge` with `{"challenge": "turn_left"}` (or `null` when none).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any, Protocol


class DisplayScreen(StrEnum):
    IDLE = "idle"  # booth free: "please wait for the operator"
    WELCOME = "welcome"  # a person's enrollment started; shows their name
    CONSENT = "consent"  # the consent text, read aloud by the operator
    PLACE_FINGER = "place_finger"  # "place your right index finger"
    FACE = "face"  # "look at the camera", then the liveness challenges
    ENTER_CODE = "enter_code"  # "enter the code sent to 05X XXX X123"
    SUCCESS = "success"
    FAILURE = "failure"  # the enrollment stopped; what happens next


@dataclass(frozen=True, slots=True)
class DisplayUpdate:
    screen: DisplayScreen
    name_en: str | None = None
    name_ar: str | None = None  # logical order; the page lays it out right to left
    finger: str | None = None  # ISO finger position name, e.g. "right_index"
    challenge: str | None = None  # a matcher.liveness Challenge value, None: look at the camera
    challenge_deadline_s: float | None = None
    masked_mobile: str | None = None  # e.g. "05X XXX X123"; never the whole number
    message_en: str | None = None
    message_ar: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            key: (str(value) if key == "screen" else value) for key, value in asdict(self).items()
        }


class DisplayPublisher(Protocol):
    def show(self, update: DisplayUpdate) -> None:
        """Thread-safe; returns at once."""
        ...
